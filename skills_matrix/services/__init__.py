"""Writes of the skills matrix that carry rules: organisation skills and their mappings, the
skills each job requires, employees' levels (append-only, one by one or in bulk)."""

from .employee_skills import (
    BulkSetResult,
    employee_skill_assess,
    employee_skill_set,
    employee_skill_validate,
    employee_skill_withdraw,
    employee_skills_bulk_set,
    employee_skills_first_levels,
)
from .requirements import (
    job_requirement_delete,
    job_requirement_set,
    job_requirements_from_rome,
    rome_occupation,
)
from .similarity import skill_similarities_build
from .skills import (
    SkillUsage,
    mapping_cancel,
    mapping_create,
    mapping_review,
    org_skill_create,
    org_skill_delete,
    org_skill_get_or_create,
    org_skill_mappings_suggest,
    org_skill_update,
    org_skill_usage,
    org_skills_get_or_create_many,
    skill_level_update,
)

__all__ = [
    "BulkSetResult", "SkillUsage", "employee_skill_assess", "employee_skill_set", "employee_skill_validate",
    "employee_skill_withdraw",
    "employee_skills_bulk_set", "employee_skills_first_levels",
    "job_requirement_delete", "job_requirement_set", "job_requirements_from_rome", "mapping_cancel", "mapping_create", "mapping_review",
    "org_skill_create", "org_skill_delete", "org_skill_get_or_create", "org_skill_mappings_suggest",
    "org_skill_update", "org_skill_usage", "org_skills_get_or_create_many", "rome_occupation", "skill_level_update",
    "skill_similarities_build",
]
