"""Writes of the skills booklet that carry rules; each leaves an entry in the booklet's audit trail."""

from .endorsements import (
    endorsement_delete,
    endorsement_for_token,
    endorsement_request,
    endorsement_respond,
    require_change_endorsement,
)
from .items import (
    booklet_skill_set,
    evidence_create,
    evidence_delete,
    evidence_update,
    experience_create,
    experience_delete,
    experience_update,
    interview_create,
    interview_delete,
    interview_update,
    orientation_set,
    pathway_step_create,
    pathway_step_delete,
    pathway_step_update,
)

__all__ = [
    "booklet_skill_set", "endorsement_delete", "endorsement_for_token", "endorsement_request", "endorsement_respond",
    "evidence_create", "evidence_delete", "evidence_update", "experience_create", "experience_delete",
    "experience_update", "interview_create", "interview_delete", "interview_update", "orientation_set",
    "pathway_step_create", "pathway_step_delete", "pathway_step_update", "require_change_endorsement",
]
from .portability import (  # noqa: E402
    ImportCounts,
    booklet_export,
    booklet_export_document,
    booklet_import,
    booklet_read_zip,
)

__all__ += ["ImportCounts", "booklet_export", "booklet_export_document", "booklet_import", "booklet_read_zip"]
from .gdpr import person_erase, person_export  # noqa: E402

__all__ += ["person_erase", "person_export"]
