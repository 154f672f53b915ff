"""Needs seeded from national foresight for the jobs linked to a ROME occupation: the headcount follows the net
job creations of the job's family (« Les métiers en 2030 », FAP 87, bridged to ROME through ``fap225_rome``),
prorated to the scenario's horizon; the occupation's emerging skills (*Émergente* links of the ROME) become
skills required at the horizon; the note says where each figure comes from (DARES tension, transition tags,
end-of-career departures). Needs typed or imported by hand are kept unless asked otherwise."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import ApplicationError
from skills_matrix.models import SkillMapping
from skills_matrix.services import org_skills_get_or_create_many
from workforce.models import Job

from .charts import fr_number
from .models import JobNeed, JobNeedSkill, Scenario
from .national import TENSION_LEVELS, JobNational, jobs_national

# « Les métiers en 2030 » covers 2019 → 2030: its net creations are spread evenly over these years.
PROJECTION_YEARS = 11
EMERGING_LEVEL = 2


@dataclass
class SeedResult:
    seeded: int = 0
    kept: int = 0
    without_data: int = 0
    skills_created: int = 0
    jobs: list[dict] = field(default_factory=list)


def _change_pct(info: JobNational, years: int) -> float | None:
    if info.net_creations_pct is None:
        return None
    return round(info.net_creations_pct * 100 * years / PROJECTION_YEARS, 2)


def _note(info: JobNational, change: float | None, years: int, emerging: list[str]) -> str:
    parts = [_("Prospective nationale (code ROME %(code)s).") % {"code": info.rome_code}]
    if info.fap_code:
        parts.append(_("Famille professionnelle %(fap)s%(label)s.") % {
            "fap": info.fap_code, "label": f" ({info.fap_label})" if info.fap_label else ""})
    if info.tension_category is not None:
        parts.append(_("Tension DARES : %(level)s (%(n)s/5).") % {
            "level": TENSION_LEVELS.get(info.tension_category, ""), "n": info.tension_category})
    if change is not None:
        parts.append(_("Créations nettes 2019-2030 de la famille : %(pct)s %% ; sur %(years)s an(s) jusqu'à "
                       "l'horizon : %(change)s %%.") % {
            "pct": fr_number(info.net_creations_pct * 100), "years": years, "change": fr_number(change)})
    if info.end_of_career_pct is not None:
        parts.append(_("Départs en fin de carrière 2019-2030 : %(pct)s %% des effectifs.") % {
            "pct": fr_number(info.end_of_career_pct * 100)})
    tags = [t for t in (info.ecological, info.digital, info.demographic) if t]
    if tags:
        parts.append(_("Transitions : %(tags)s.") % {"tags": ", ".join(tags)})
    if emerging:
        parts.append(_("Compétences émergentes : %(skills)s.") % {"skills": ", ".join(emerging)})
    return " ".join(parts)


def _emerging_skills(codes: set[str]) -> dict[str, list[tuple[int, str]]]:
    """ROME code → [(referential skill id, label)] of its *Émergente* links."""
    from referentials.models import OccupationSkill

    out: dict[str, list[tuple[int, str]]] = {}
    rows = OccupationSkill.objects.filter(occupation__code__in=codes, role=OccupationSkill.Role.EMERGING).order_by(
        "occupation__code", "skill__label").values_list("occupation__code", "skill_id", "skill__label")
    for code, skill_id, label in rows:
        out.setdefault(code, []).append((skill_id, label))
    return out


def _org_skills_for(referential: dict[int, str]) -> tuple[dict[int, int], int]:
    """Referential skill id → organisation skill id: through an accepted (else suggested) mapping, else the
    organisation skill of the same label, created when missing. Returns the map and how many were created."""
    mapped: dict[int, int] = {}
    for rome_id, org_id, status in SkillMapping.objects.filter(rome_skill_id__in=referential).exclude(
            status=SkillMapping.Status.REJECTED).order_by("-confidence").values_list(
            "rome_skill_id", "org_skill_id", "status"):
        if rome_id not in mapped or status == SkillMapping.Status.ACCEPTED:
            mapped[rome_id] = org_id
    missing = {pk: label for pk, label in referential.items() if pk not in mapped}
    if not missing:
        return mapped, 0
    from skills_matrix.models import OrgSkill

    before = OrgSkill.objects.count()
    by_label = org_skills_get_or_create_many(labels=list(set(missing.values())))
    for pk, label in missing.items():
        mapped[pk] = by_label[label].pk
    return mapped, OrgSkill.objects.count() - before


@transaction.atomic
def needs_seed_national(*, scenario: Scenario, overwrite: bool = False) -> SeedResult:
    """Set the need of every job with a ROME code that national foresight knows about. Jobs whose need was typed
    or imported keep it unless ``overwrite``; needs seeded before are replaced (running it twice is harmless)."""
    from .services import job_need_set

    jobs = list(Job.objects.exclude(rome_code="").order_by("title").values_list("pk", "title", "rome_code"))
    if not jobs:
        raise ApplicationError(_("Aucun emploi n'est relié à une fiche ROME : renseignez le code ROME des emplois "
                                 "pour utiliser la prospective nationale."), status=422)
    codes = {code.strip().upper() for _pk, _title, code in jobs}
    national = jobs_national(codes)
    emerging = _emerging_skills(codes)
    referential = {pk: label for links in emerging.values() for pk, label in links}
    org_skill_of, created = _org_skills_for(referential) if referential else ({}, 0)
    sources = dict(JobNeed.objects.filter(scenario=scenario).values_list("job_id", "source"))
    years = scenario.period_count
    result = SeedResult(skills_created=created)
    for job_id, title, code in jobs:
        code = code.strip().upper()
        info = national[code]
        links = emerging.get(code, [])
        has_data = info.fap_code or links or info.ecological or info.digital or info.demographic
        if not has_data:
            result.without_data += 1
            continue
        if job_id in sources and sources[job_id] != JobNeed.Source.NATIONAL and not overwrite:
            result.kept += 1
            continue
        change = _change_pct(info, years)
        skills = {org_skill_of[pk]: label for pk, label in links if pk in org_skill_of}
        job_need_set(scenario=scenario, job_id=job_id, change_pct=change,
                     skills=[{"skill_id": pk, "level": EMERGING_LEVEL, "change": JobNeedSkill.Change.REQUIRED}
                             for pk in skills],
                     note=_note(info, change, years, list(skills.values())), source=JobNeed.Source.NATIONAL)
        result.seeded += 1
        result.jobs.append({"job_id": job_id, "job": title, "rome_code": code, "change_pct": change,
                            "tension": info.tension_category, "emerging_skills": len(skills)})
    return result
