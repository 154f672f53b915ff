"""Arrays for the mobility engine, read from the organisation's tables with a few ``values_list`` queries.

Which rows are read depends on the question: every active employee and every job (the cached
computation), one employee against the jobs their skills can count for, or the employees who can count
for one job. Sensitive fields (birth date, sex, health, disability) are never read here: the engine only
ever sees levels, requirements, mappings and similarities.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import scipy.sparse as sp
from django.conf import settings
from django.db.models import Q

from skills_matrix.models import EmployeeSkill, JobRequirement, SkillMapping, SkillSimilarity
from workforce.models import Employee

from .engine import fit as engine


def similarity_threshold() -> float:
    return float(getattr(settings, "MOBILITY_SIMILARITY_THRESHOLD", engine.DEFAULT_SIMILARITY_THRESHOLD))


@dataclass(frozen=True)
class FitInputs:
    """``skill_ids[S]``, ``employee_ids[E]``, ``employee_job[E]`` (job id, 0 for none), ``job_ids[J]`` (ids in
    ascending order), the engine's ``levels``, ``requirements`` and ``neighbours`` over those indexes."""

    skill_ids: np.ndarray
    employee_ids: np.ndarray
    employee_job: np.ndarray
    job_ids: np.ndarray
    levels: sp.csr_matrix
    requirements: engine.Requirements
    neighbours: engine.Neighbours
    # Read along with the rows when cheap (``fit_inputs_for_pairs``): skill id → label, (job, skill) critical.
    labels: dict | None = None
    critical: frozenset | None = None

    def skill_index(self, ids) -> np.ndarray:
        return np.searchsorted(self.skill_ids, np.asarray(ids, dtype=np.int64))

    def effective(self, *, detail: bool = False) -> engine.Effective:
        required = np.zeros(len(self.skill_ids), dtype=bool)
        required[self.requirements.targets.indices] = True
        return engine.effective_levels(self.levels, self.neighbours, columns=required, detail=detail)

    def fit(self) -> np.ndarray:
        return engine.fit_matrix(self.effective().level, self.requirements)


def _rows(values_list, width: int, dtype=np.int64) -> np.ndarray:
    return np.array(list(values_list), dtype=dtype).reshape(-1, width)


def _mappings(skill_filter: Q | None = None) -> np.ndarray:
    """``[n, 2]``: (org skill id, standard skill key) of accepted mappings; ROME keys even, ESCO keys odd."""
    rows = list(SkillMapping.objects.filter(skill_filter or Q(), status=SkillMapping.Status.ACCEPTED)
                .values_list("org_skill_id", "rome_skill_id", "esco_skill_id"))
    return np.array([(skill, 2 * rome if rome else 2 * esco + 1) for skill, rome, esco in rows],
                    dtype=np.int64).reshape(-1, 2)


def _similarities(credited: np.ndarray | None, threshold: float) -> np.ndarray:
    """``[n, 3]``: (skill held, skill credited, σ) with σ ≥ threshold, credited skills limited to ``credited``."""
    qs = SkillSimilarity.objects.filter(sigma__gte=threshold)
    if credited is not None:
        qs = qs.filter(skill_id__in=credited.tolist())
    return _rows(qs.values_list("similar_id", "skill_id", "sigma"), 3, dtype=np.float64)


def _sources_for(credited: np.ndarray, mappings: np.ndarray, similar: np.ndarray) -> np.ndarray:
    """Skills whose level can count for one of ``credited``: themselves, skills mapped alike, similar ones."""
    keys = mappings[np.isin(mappings[:, 0], credited), 1]
    mapped = mappings[np.isin(mappings[:, 1], keys), 0]
    return np.unique(np.concatenate([credited, mapped, similar[:, 0].astype(np.int64)]))


def fit_inputs(*, employee_ids=None, job_ids=None, similar: bool = True) -> FitInputs:
    """Inputs for ``employee_ids`` (default: every active employee) × ``job_ids`` (default: every job with
    requirements). Only the levels that can count for a required skill are read."""
    threshold = similarity_threshold()
    requirement_qs = JobRequirement.objects.filter(target_level__gte=1)
    if job_ids is not None:
        requirement_qs = requirement_qs.filter(job_id__in=list(job_ids))
    requirements = list(requirement_qs.values_list("job_id", "skill_id", "target_level", "weight", "critical"))
    req = np.array(requirements, dtype=np.float64).reshape(-1, 5)
    required = np.unique(req[:, 1].astype(np.int64))
    mappings = _mappings()
    similarities = _similarities(required, threshold) if similar else np.zeros((0, 3))
    sources = _sources_for(required, mappings, similarities)

    employee_qs = Employee.objects.all()
    employee_qs = employee_qs.filter(pk__in=list(employee_ids)) if employee_ids is not None else \
        employee_qs.filter(is_active=True)
    people = _rows(employee_qs.order_by("pk").values_list("pk", "job_id"), 2, dtype=object)
    people_ids = people[:, 0].astype(np.int64)
    people_jobs = np.array([job or 0 for job in people[:, 1]], dtype=np.int64)
    level_qs = EmployeeSkill.objects.filter(valid_to__isnull=True, level__gte=1)
    if job_ids is not None:
        level_qs = level_qs.filter(skill_id__in=sources.tolist())
    if employee_ids is not None:
        level_qs = level_qs.filter(employee_id__in=people_ids.tolist())
    else:
        level_qs = level_qs.filter(employee__is_active=True)
    held = _rows(level_qs.values_list("employee_id", "skill_id", "level"), 3)
    return _assemble(people_ids, people_jobs, job_ids, req, held, mappings, similarities, similar, threshold)


def fit_inputs_for_employee(*, employee_id: int, similar: bool = True) -> FitInputs:
    """Inputs for one employee against every job one of their skills can count for (other jobs fit 0)."""
    threshold = similarity_threshold()
    held = _rows(EmployeeSkill.objects.filter(valid_to__isnull=True, level__gte=1, employee_id=employee_id)
                 .values_list("employee_id", "skill_id", "level"), 3)
    mappings = _mappings()
    own = np.unique(held[:, 1])
    keys = mappings[np.isin(mappings[:, 0], own), 1]
    credited = np.unique(np.concatenate([own, mappings[np.isin(mappings[:, 1], keys), 0]]))
    if similar:
        similarities = _rows(SkillSimilarity.objects.filter(sigma__gte=threshold, similar_id__in=own.tolist())
                             .values_list("similar_id", "skill_id", "sigma"), 3, dtype=np.float64)
        credited = np.union1d(credited, similarities[:, 1].astype(np.int64))
    else:
        similarities = np.zeros((0, 3))
    job_ids = sorted(set(JobRequirement.objects.filter(skill_id__in=credited.tolist())
                         .values_list("job_id", flat=True)))
    req = np.array(list(JobRequirement.objects.filter(job_id__in=job_ids, target_level__gte=1)
                        .values_list("job_id", "skill_id", "target_level", "weight", "critical")),
                   dtype=np.float64).reshape(-1, 5)
    job = Employee.objects.filter(pk=employee_id).values_list("job_id", flat=True).first() or 0
    return _assemble(np.array([employee_id]), np.array([job]), job_ids, req, held, mappings, similarities,
                     similar, threshold)


def fit_inputs_for_pairs(*, employee_id: int, employee_job: int | None, job_ids, similar: bool = True) -> FitInputs:
    """Inputs for one employee against ``job_ids`` only (the cached suggestions being explained): the rows
    read are bounded by the person's levels and those jobs' requirements (mappings and similarities
    between those skills only), whatever the size of the organisation."""
    threshold = similarity_threshold()
    job_ids = sorted(set(job_ids))
    held_rows = list(EmployeeSkill.objects.filter(valid_to__isnull=True, level__gte=1, employee_id=employee_id)
                     .values_list("employee_id", "skill_id", "level", "skill__label"))
    req_rows = list(JobRequirement.objects.filter(job_id__in=job_ids, target_level__gte=1)
                    .values_list("job_id", "skill_id", "target_level", "weight", "critical", "skill__label"))
    labels = {row[1]: row[3] for row in held_rows} | {row[1]: row[5] for row in req_rows}
    critical = frozenset((row[0], row[1]) for row in req_rows if row[4])
    held = np.array([row[:3] for row in held_rows], dtype=np.int64).reshape(-1, 3)
    req = np.array([row[:5] for row in req_rows], dtype=np.float64).reshape(-1, 5)
    own, required = np.unique(held[:, 1]), np.unique(req[:, 1].astype(np.int64))
    mappings = _mappings(Q(org_skill_id__in=np.union1d(own, required).tolist()))
    similarities = _rows(SkillSimilarity.objects.filter(sigma__gte=threshold, similar_id__in=own.tolist(),
                                                        skill_id__in=required.tolist())
                         .values_list("similar_id", "skill_id", "sigma"), 3, dtype=np.float64) if similar else \
        np.zeros((0, 3))
    inputs = _assemble(np.array([employee_id]), np.array([employee_job or 0]), job_ids, req, held, mappings,
                       similarities, similar, threshold)
    return replace(inputs, labels=labels, critical=critical)


def _assemble(people_ids, people_jobs, job_ids, req, held, mappings, similarities, similar, threshold) -> FitInputs:
    jobs = np.unique(req[:, 0].astype(np.int64)) if job_ids is None else np.array(sorted(job_ids), dtype=np.int64)
    skill_ids = np.unique(np.concatenate([held[:, 1], req[:, 1].astype(np.int64), mappings[:, 0],
                                          similarities[:, 0].astype(np.int64), similarities[:, 1].astype(np.int64)]))
    n_skills = len(skill_ids)

    def at(ids):
        return np.searchsorted(skill_ids, np.asarray(ids, dtype=np.int64))

    levels = engine.levels_from_rows(len(people_ids), n_skills, np.searchsorted(people_ids, held[:, 0]),
                                     at(held[:, 1]), held[:, 2])
    requirements = engine.requirements_from_rows(
        len(jobs), n_skills, np.searchsorted(jobs, req[:, 0].astype(np.int64)), at(req[:, 1]), req[:, 2], req[:, 3],
        req[:, 4].astype(bool))
    neighbours = engine.skill_neighbours(
        n_skills, mapped_skill=at(mappings[:, 0]), mapped_target=mappings[:, 1],
        similar_from=at(similarities[:, 0]), similar_to=at(similarities[:, 1]), sigma=similarities[:, 2],
        threshold=threshold, similar=similar)
    return FitInputs(skill_ids, np.asarray(people_ids, dtype=np.int64), np.asarray(people_jobs, dtype=np.int64),
                     jobs, levels, requirements, neighbours)
