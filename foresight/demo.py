"""The demo organisations' foresight: the sex and contract type of their (fictitious) people, and two scenarios,
« Fil de l'eau » and « Transition écologique », with needs, so that a new user sees a full dashboard at once
(a ``DEMO_EXTENSIONS`` entry: called inside the organisation's schema once staff, skills and users exist)."""

from __future__ import annotations

import datetime
import zlib

from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from skills_matrix.models import JobRequirement, OrgSkill
from skills_matrix.services import org_skill_create
from workforce.models import ContractType, Employee, Job

from . import services
from .diagnostic import diagnostic_get
from .models import Scenario

BASELINE = "Fil de l'eau"
TRANSITION = "Transition écologique"
# The new skill the ecological transition asks for, by kind of organisation (label, description); a second
# one is taken from the catalogue (a skill the job does not require yet), so the catalogue grows by one only.
GREEN_SKILL = {
    "esat": ("Gestion écologique des espaces verts", "Zéro phyto, paillage, fauche tardive, tri des déchets verts."),
    "default": ("Efficacité énergétique des procédés", "Mesurer et réduire la consommation d'énergie d'un poste."),
}
SECOND_SKILL_HINTS = ("Lean", "Trier", "qualité", "Emballer")
# (share, contract type) for people whose contract is unknown; the rest are CDI.
CONTRACTS = [(0.07, ContractType.CDD), (0.04, ContractType.INTERIM), (0.03, ContractType.APPRENTICESHIP)]


def _share(text: str) -> float:
    """A stable number in [0, 1) drawn from ``text`` (the same demo gives the same people)."""
    return (zlib.crc32(text.encode()) % 10000) / 10000


def _people_details(demo) -> None:
    """Sex from the demo's first-name lists, contract type drawn once; only where unknown."""
    from demo.data import FIRST_NAMES_F, FIRST_NAMES_M

    women, men = set(FIRST_NAMES_F), set(FIRST_NAMES_M)
    changed = []
    for employee in Employee.objects.filter(staff_number__in=[e.staff_number for e in demo.employees]):
        before = (employee.sex, employee.contract_type)
        if not employee.sex:
            employee.sex = "F" if employee.first_name in women else "M" if employee.first_name in men else ""
        if not employee.contract_type:
            draw, employee.contract_type = _share(employee.staff_number), ContractType.CDI
            for share, kind in CONTRACTS:
                if draw < share:
                    employee.contract_type = kind
                    break
                draw -= share
        if (employee.sex, employee.contract_type) != before:
            changed.append(employee)
    Employee.objects.bulk_update(changed, ["sex", "contract_type"])


def _green_skill() -> OrgSkill:
    kind = getattr(getattr(connection, "tenant", None), "kind", "")
    label, description = GREEN_SKILL.get(kind, GREEN_SKILL["default"])
    return OrgSkill.objects.filter(label=label).first() or org_skill_create(label=label, description=description)


def _catalogue_skill(job: Job, exclude: OrgSkill) -> OrgSkill | None:
    """A skill of the catalogue that ``job`` does not require yet (one of SECOND_SKILL_HINTS when possible)."""
    candidates = OrgSkill.objects.exclude(pk=exclude.pk).exclude(requirements__job=job).order_by("label")
    for hint in SECOND_SKILL_HINTS:
        found = candidates.filter(label__icontains=hint).first()
        if found:
            return found
    return candidates.first()


def _jobs_by_headcount() -> list[Job]:
    return list(Job.objects.annotate(n=Count("employees")).filter(n__gt=0).order_by("-n", "title"))


def _lowest_requirement(job: Job):
    return JobRequirement.objects.filter(job=job).order_by("target_level", "skill__label").first()


@transaction.atomic
def demo_foresight(*, demo) -> None:
    _people_details(demo)
    if Scenario.objects.filter(name__in=[BASELINE, TRANSITION]).exists():
        return
    jobs = _jobs_by_headcount()
    if not jobs:
        return
    today = timezone.localdate()
    reference = datetime.date(today.year, 1, 1)
    horizon = max(2030, today.year + 4)
    big, second = jobs[0], jobs[1 if len(jobs) > 1 else 0]
    third = jobs[2 if len(jobs) > 2 else 0]
    maintenance = next((j for j in jobs if (j.rome_code or "").startswith("I")), third)

    baseline = services.scenario_create(
        name=BASELINE, horizon_year=horizon, reference_date=reference, retirement_age=64, attrition_rate=0.05,
        monte_carlo_runs=300,
        description="L'activité continue comme aujourd'hui : chaque départ est remplacé, l'emploi le plus nombreux "
                    "baisse un peu avec l'automatisation.")
    services.job_override_set(scenario=baseline, job_id=big.pk, retirement_age=62, attrition_rate=None)
    services.job_need_set(scenario=baseline, job_id=big.pk, change_pct=-5.0,
                          note="Gains de productivité attendus de l'automatisation.")
    services.job_need_set(scenario=baseline, job_id=second.pk, change_pct=0.0)

    transition = services.scenario_copy(scenario=baseline, name=TRANSITION)
    transition.description = ("Le plan de transition écologique : moins de volume sur l'activité historique, plus de "
                               "maintenance et de nouvelles compétences (énergie, matières).")
    transition.save()
    energy = _green_skill()
    circular = _catalogue_skill(big, exclude=energy) or energy
    declining = _lowest_requirement(big)
    services.job_need_set(
        scenario=transition, job_id=big.pk, change_pct=-10.0, note="Recentrage sur les produits durables.",
        skills=[{"skill_id": circular.pk, "level": 2}]
        + ([{"skill_id": declining.skill_id, "level": declining.target_level, "change": "declining"}]
           if declining and declining.skill_id != circular.pk else []))
    services.job_need_set(scenario=transition, job_id=second.pk, change_pct=15.0,
                          skills=[{"skill_id": energy.pk, "level": 2}], note="Nouveaux marchés de la rénovation.")
    if maintenance.pk not in (big.pk, second.pk):
        current = Employee.objects.filter(job=maintenance).count()
        services.job_need_set(scenario=transition, job_id=maintenance.pk, target_headcount=float(current + 2),
                              skills=[{"skill_id": energy.pk, "level": 3}],
                              note="Suivi énergétique des équipements.")
    unit = Employee.objects.filter(job=second).values_list("org_unit_id", flat=True).first()
    if unit:
        services.unit_override_set(scenario=transition, org_unit_id=unit, attrition_rate=0.08)
    for scenario in (baseline, transition):
        diagnostic_get(scenario=Scenario.objects.get(pk=scenario.pk))
