"""Writes of foresight scenarios and their needs; every rule a user can break answers a French message per
field (422)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ApplicationError
from skills_matrix.models import OrgSkill
from workforce.models import Job, OrgUnit

from .models import DEFAULT_RETIREMENT_AGE, JobNeed, JobNeedSkill, JobOverride, OrgUnitOverride, Scenario

MAX_RUNS = 10000
MAX_HORIZON_YEARS = 40


def _invalid(errors: dict[str, str]) -> ApplicationError:
    detail = "; ".join(f"« {field} » : {message}" for field, message in errors.items())
    return ApplicationError(
        _("Saisie invalide. %(errors)s") % {"errors": detail},
        extra={"errors": [{"field": f, "message": m} for f, m in errors.items()]}, status=422,
    )


def _scenario_errors(*, scenario: Scenario | None, name, horizon_year, reference_date, retirement_age,
                     attrition_rate, monte_carlo_runs) -> dict[str, str]:
    errors: dict[str, str] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = _("Donnez un nom au scénario (par exemple « Fil de l'eau »).")
    elif len(name) > 200:
        errors["name"] = _("Nom trop long : 200 caractères au plus.")
    elif Scenario.objects.filter(name__iexact=name).exclude(pk=getattr(scenario, "pk", None)).exists():
        errors["name"] = _("Un scénario porte déjà ce nom : choisissez-en un autre.")
    if reference_date.year + 1 > horizon_year:
        errors["horizon_year"] = _(
            "L'année d'horizon doit suivre l'année de la date de référence (%(year)s) : indiquez %(next)s ou "
            "plus.") % {"year": reference_date.year, "next": reference_date.year + 1}
    elif horizon_year > reference_date.year + MAX_HORIZON_YEARS:
        errors["horizon_year"] = _("Horizon trop lointain : %(max)s ans au plus après la date de référence.") % {
            "max": MAX_HORIZON_YEARS}
    if not 50 <= retirement_age <= 75:
        errors["retirement_age"] = _("Âge de départ en retraite entre 50 et 75 ans (64 par défaut).")
    if not 0 <= attrition_rate < 1:
        errors["attrition_rate"] = _("Taux de départs annuel entre 0 et 1 exclu (0,05 pour 5 % par an).")
    if not 0 <= monte_carlo_runs <= MAX_RUNS:
        errors["monte_carlo_runs"] = _("Nombre de tirages Monte-Carlo entre 0 (aucun) et %(max)s.") % {
            "max": MAX_RUNS}
    return errors


@transaction.atomic
def scenario_create(*, name: str, horizon_year: int, reference_date: datetime.date | None = None,
                    retirement_age: int = DEFAULT_RETIREMENT_AGE, attrition_rate: float = 0.05,
                    monte_carlo_runs: int = 0, description: str = "") -> Scenario:
    reference_date = reference_date or timezone.localdate()
    errors = _scenario_errors(scenario=None, name=name, horizon_year=horizon_year, reference_date=reference_date,
                              retirement_age=retirement_age, attrition_rate=attrition_rate,
                              monte_carlo_runs=monte_carlo_runs)
    if errors:
        raise _invalid(errors)
    return Scenario.objects.create(
        name=name.strip(), horizon_year=horizon_year, reference_date=reference_date,
        retirement_age=retirement_age, attrition_rate=attrition_rate, monte_carlo_runs=monte_carlo_runs,
        description=description,
    )


SCENARIO_FIELDS = ("name", "horizon_year", "reference_date", "retirement_age", "attrition_rate",
                   "monte_carlo_runs", "description")


@transaction.atomic
def scenario_update(*, scenario: Scenario, **changes) -> Scenario:
    """Change any of SCENARIO_FIELDS; the cached results go stale with ``updated_at``."""
    values = {field: changes.get(field, getattr(scenario, field)) for field in SCENARIO_FIELDS}
    if values["reference_date"] is None:
        values["reference_date"] = timezone.localdate()
    errors = _scenario_errors(scenario=scenario, **{k: v for k, v in values.items() if k != "description"})
    if errors:
        raise _invalid(errors)
    for field, value in values.items():
        setattr(scenario, field, value.strip() if field == "name" else value)
    scenario.save()
    return scenario


@transaction.atomic
def scenario_delete(*, scenario: Scenario) -> None:
    scenario.delete()


def _copy_name(name: str) -> str:
    candidate = _("%(name)s (copie)") % {"name": name}
    number = 2
    while Scenario.objects.filter(name__iexact=candidate).exists():
        candidate = _("%(name)s (copie %(number)s)") % {"name": name, "number": number}
        number += 1
    return candidate[:200]


@transaction.atomic
def scenario_copy(*, scenario: Scenario, name: str = "") -> Scenario:
    """A new scenario with the same assumptions, overrides and needs (skill changes included)."""
    copy = scenario_create(
        name=name or _copy_name(scenario.name), horizon_year=scenario.horizon_year,
        reference_date=scenario.reference_date, retirement_age=scenario.retirement_age,
        attrition_rate=scenario.attrition_rate, monte_carlo_runs=scenario.monte_carlo_runs,
        description=scenario.description,
    )
    JobOverride.objects.bulk_create(
        JobOverride(scenario=copy, job_id=o.job_id, retirement_age=o.retirement_age, attrition_rate=o.attrition_rate)
        for o in scenario.job_overrides.all()
    )
    OrgUnitOverride.objects.bulk_create(
        OrgUnitOverride(scenario=copy, org_unit_id=o.org_unit_id, attrition_rate=o.attrition_rate)
        for o in scenario.unit_overrides.all()
    )
    for need in scenario.needs.prefetch_related("skills"):
        new = JobNeed.objects.create(scenario=copy, job_id=need.job_id, target_headcount=need.target_headcount,
                                     change_pct=need.change_pct, source=need.source, note=need.note)
        JobNeedSkill.objects.bulk_create(
            JobNeedSkill(need=new, skill_id=s.skill_id, change=s.change, level=s.level) for s in need.skills.all()
        )
    return copy


def _touch(scenario: Scenario) -> None:
    Scenario.objects.filter(pk=scenario.pk).update(updated_at=timezone.now())


def _need_errors(*, job_id, target_headcount, change_pct, skills) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not Job.objects.filter(pk=job_id).exists():
        errors["job_id"] = _("Emploi %(id)s inconnu : choisissez un emploi de l'organisation (GET /api/v1/jobs).") % {
            "id": job_id}
    if target_headcount is not None and change_pct is not None:
        errors["target_headcount"] = _("Indiquez soit un effectif cible, soit une évolution en %, pas les deux.")
    elif target_headcount is not None and target_headcount < 0:
        errors["target_headcount"] = _("L'effectif cible ne peut pas être négatif.")
    elif change_pct is not None and change_pct < -100:
        errors["change_pct"] = _("Une évolution ne peut pas descendre sous −100 %.")
    wanted = [s["skill_id"] for s in skills]
    known = set(OrgSkill.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    unknown = [str(pk) for pk in wanted if pk not in known]
    if unknown:
        errors["skills"] = _("Compétence(s) inconnue(s) : %(ids)s ; choisissez des compétences de l'organisation "
                             "(GET /api/v1/skills).") % {"ids": ", ".join(unknown)}
    elif any(not 0 <= s.get("level", 2) <= 5 for s in skills):
        errors["skills"] = _("Niveau cible entre 0 et 5.")
    elif len(set(wanted)) != len(wanted):
        errors["skills"] = _("Une même compétence est citée deux fois : gardez-en une.")
    return errors


@transaction.atomic
def job_need_set(*, scenario: Scenario, job_id: int, target_headcount: float | None = None,
                 change_pct: float | None = None, skills: list[dict] | None = None, note: str = "",
                 source: str = JobNeed.Source.MANUAL) -> JobNeed:
    """Create or replace the scenario's need for one job. ``skills``: [{"skill_id", "level", "change"?}] with
    change "required" (default) or "declining"."""
    skills = skills or []
    errors = _need_errors(job_id=job_id, target_headcount=target_headcount, change_pct=change_pct, skills=skills)
    if errors:
        raise _invalid(errors)
    need, _created = JobNeed.objects.update_or_create(
        scenario=scenario, job_id=job_id,
        defaults={"target_headcount": target_headcount, "change_pct": change_pct, "note": note, "source": source},
    )
    need.skills.all().delete()
    JobNeedSkill.objects.bulk_create(
        JobNeedSkill(need=need, skill_id=s["skill_id"], level=s.get("level", 2),
                     change=s.get("change") or JobNeedSkill.Change.REQUIRED)
        for s in skills
    )
    _touch(scenario)
    return need


@transaction.atomic
def job_need_delete(*, need: JobNeed) -> None:
    scenario = need.scenario
    need.delete()
    _touch(scenario)


@transaction.atomic
def job_override_set(*, scenario: Scenario, job_id: int, retirement_age: int | None,
                     attrition_rate: float | None) -> None:
    """Per-job retirement age and attrition rate (both empty: the override is removed)."""
    errors: dict[str, str] = {}
    if not Job.objects.filter(pk=job_id).exists():
        errors["job_id"] = _("Emploi %(id)s inconnu.") % {"id": job_id}
    if retirement_age is not None and not 50 <= retirement_age <= 75:
        errors["retirement_age"] = _("Âge de départ en retraite entre 50 et 75 ans (64 par défaut).")
    if attrition_rate is not None and not 0 <= attrition_rate < 1:
        errors["attrition_rate"] = _("Taux de départs annuel entre 0 et 1 exclu (0,05 pour 5 % par an).")
    if errors:
        raise _invalid(errors)
    if retirement_age is None and attrition_rate is None:
        JobOverride.objects.filter(scenario=scenario, job_id=job_id).delete()
    else:
        JobOverride.objects.update_or_create(scenario=scenario, job_id=job_id, defaults={
            "retirement_age": retirement_age, "attrition_rate": attrition_rate})
    _touch(scenario)


@transaction.atomic
def unit_override_set(*, scenario: Scenario, org_unit_id: int, attrition_rate: float | None) -> None:
    """Per-unit attrition rate (empty: the override is removed)."""
    errors: dict[str, str] = {}
    if not OrgUnit.objects.filter(pk=org_unit_id).exists():
        errors["org_unit_id"] = _("Unité %(id)s inconnue.") % {"id": org_unit_id}
    if attrition_rate is not None and not 0 <= attrition_rate < 1:
        errors["attrition_rate"] = _("Taux de départs annuel entre 0 et 1 exclu (0,05 pour 5 % par an).")
    if errors:
        raise _invalid(errors)
    if attrition_rate is None:
        OrgUnitOverride.objects.filter(scenario=scenario, org_unit_id=org_unit_id).delete()
    else:
        OrgUnitOverride.objects.update_or_create(scenario=scenario, org_unit_id=org_unit_id,
                                                 defaults={"attrition_rate": attrition_rate})
    _touch(scenario)
