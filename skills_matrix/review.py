"""The review queue: every suggestion of the mapping engine still waiting for a person's decision.

One line per job (its best pending ROME occupation, ``workforce.OccupationSuggestion``) and per
organisation skill (its best suggested ROME/ESCO skill, ``SkillMapping``), the most confident first.
Reads and the "accept all above a threshold" write live here because the queue spans both apps.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from core.errors import ApplicationError
from workforce.models import OccupationSuggestion

from .models import SkillMapping

# "Tout accepter au-dessus de 0,9": the confidence from which a suggestion is right about nine times in ten.
ACCEPT_ALL_THRESHOLD = 0.9


@dataclass(frozen=True)
class ReviewLine:
    """kind: "job" or "skill"; pk: the suggestion's (job) or mapping's (skill) id; subject: the job title or
    skill label; target: "H2913 – Soudeur / Soudeuse", "ROME 123456 – …" or "ESCO – …"; others: how many
    other suggestions of the same job or skill wait too."""

    kind: str
    pk: int
    subject_id: int
    subject: str
    target: str
    confidence: float
    others: int


def _job_lines() -> list[ReviewLine]:
    pending = OccupationSuggestion.objects.filter(status=OccupationSuggestion.Status.PENDING, job__rome_code="")
    counts = dict(pending.values("job_id").annotate(n=Count("pk")).values_list("job_id", "n"))
    best = pending.select_related("job").order_by("job_id", "-confidence", "pk").distinct("job_id")
    return [ReviewLine("job", s.pk, s.job_id, s.job.title, f"{s.rome_code} – {s.label}", s.confidence,
                       counts.get(s.job_id, 1) - 1) for s in best]


def _skill_lines() -> list[ReviewLine]:
    suggested = SkillMapping.objects.filter(status=SkillMapping.Status.SUGGESTED)
    counts = dict(suggested.values("org_skill_id").annotate(n=Count("pk")).values_list("org_skill_id", "n"))
    best = (suggested.select_related("org_skill", "rome_skill", "esco_skill")
            .order_by("org_skill_id", "-confidence", "pk").distinct("org_skill_id"))
    lines = []
    for m in best:
        target = (f"ROME {m.rome_skill.code_ogr} – {m.rome_skill.label}" if m.rome_skill_id
                  else f"ESCO – {m.esco_skill.label}")
        lines.append(ReviewLine("skill", m.pk, m.org_skill_id, m.org_skill.label, target, m.confidence,
                                counts.get(m.org_skill_id, 1) - 1))
    return lines


def review_queue(*, kind: str = "") -> list[ReviewLine]:
    """The lines waiting for a decision (``kind`` "job" or "skill" for one of them), most confident first."""
    lines = (_job_lines() if kind in ("", "job") else []) + (_skill_lines() if kind in ("", "skill") else [])
    return sorted(lines, key=lambda line: (-line.confidence, line.kind, line.subject.casefold(), line.pk))


@transaction.atomic
def review_accept_above(*, threshold: float = ACCEPT_ALL_THRESHOLD, user) -> tuple[int, int]:
    """Accept every line of the queue at ``threshold`` or more: each such job is linked to its best
    occupation, each such skill mapped onto its best suggestion. Returns (jobs linked, skills mapped)."""
    from workforce.services import occupation_suggestion_accept

    from .services import mapping_review

    if not 0 < threshold <= 1:
        raise ApplicationError(_("Le seuil de confiance doit être compris entre 0 et 1 (ex. 0,9)."))
    lines = [line for line in review_queue() if line.confidence >= threshold]
    jobs = 0
    for suggestion in OccupationSuggestion.objects.filter(pk__in=[ln.pk for ln in lines if ln.kind == "job"]):
        occupation_suggestion_accept(suggestion=suggestion, user=user)
        jobs += 1
    mappings = list(SkillMapping.objects.filter(pk__in=[ln.pk for ln in lines if ln.kind == "skill"]))
    skills = mapping_review(mappings=mappings, status=SkillMapping.Status.ACCEPTED, user=user) if mappings else 0
    return jobs, skills
