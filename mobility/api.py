"""Mobility API: suggestions per employee, candidates per job, training catalogue and plans, wishes.

Every lookup goes through a scoped query: another organisation's object, or an employee outside the
user's scope, answers 404.
"""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from accounts.permissions import has_right, require_right
from core.errors import ApplicationError
from core.pagination import page
from workforce.selectors import employee_visible_qs, job_list, org_unit_list

from . import selectors, services
from .models import Training
from .schemas import (
    CandidatePage,
    JobSuggestionPage,
    PlanCreatedOut,
    PlanOptionsIn,
    PlanOut,
    TrainingIn,
    TrainingOut,
    TrainingPage,
    TrainingPlanOut,
    WishIn,
    WishOut,
)

router = Router(tags=["mobilite"])

VIEW_MOBILITY = ("mobility.view_all", "mobility.view_team", "mobility.view_self")


def _line(line) -> dict:
    return {"skill_id": line.skill_id, "skill": line.skill, "required": line.required, "held": line.held,
            "credit": line.credit, "via": line.via, "weight": line.weight, "critical": line.critical,
            "source_skill_id": line.source_id, "source_skill": line.source, "sigma": line.sigma}


def _signals(suggestion) -> dict:
    return {"fit": suggestion.fit, "rome_edge": suggestion.rome_edge is not None,
            "interested": suggestion.interested, "same_unit": suggestion.same_unit,
            "scenario_gap": suggestion.scenario_gap, "requirements": [_line(x) for x in suggestion.lines],
            "explanation": suggestion.explanation,
            "nearby_paths": suggestion.nearby.value if suggestion.nearby else 0.0,
            "nearby_via": list(suggestion.nearby.via) if suggestion.nearby else []}


def visible_employee(user, staff_number: str):
    require_right(user, *VIEW_MOBILITY)
    return get_object_or_404(employee_visible_qs(user), staff_number=staff_number)


class MobilityFilters(Schema):
    limit: int = 10
    scenario: int | None = None
    order: str = Field(selectors.ORDER_FIT, description=(
        "« fit » : meilleure adéquation d'abord (par défaut) ; « recommended » : l'ordre des pages, les 50 "
        "meilleures adéquations classées par adéquation + parcours fréquents des métiers proches (nearby_paths)"))


def _scenario(scenario_id):
    if scenario_id is None:
        return None
    from foresight.models import Scenario

    return get_object_or_404(Scenario, pk=scenario_id)


@router.get("/employees/{staff_number}/mobility", response=JobSuggestionPage,
            summary="Pistes de mobilité d'un salarié, meilleure adéquation d'abord (ou ordre recommandé)")
def employee_mobility(request, staff_number: str, filters: Query[MobilityFilters]):
    """Sorted by ``fit`` descending; ``order=recommended`` gives the pages' order instead: the person's 50 best
    fits re-ranked by fit + ``nearby_paths`` (the share of the occupations closest to theirs in the ROME whose
    people move to that job's occupation)."""
    employee = visible_employee(request.user, staff_number)
    if filters.order not in selectors.ORDERS:
        raise ApplicationError(_("« order » vaut « fit » (meilleure adéquation d'abord) ou « recommended » (ordre "
                                 "recommandé)."), status=422)
    suggestions, fresh = selectors.employee_mobility_and_freshness(employee=employee, limit=filters.limit,
                                                                   scenario=_scenario(filters.scenario),
                                                                   order=filters.order)
    if not fresh:
        services.mobility_refresh_request()
    return {"results": [{"job_id": s.job_id, "job": s.job, "rome_code": s.rome_code, **_signals(s)}
                        for s in suggestions]}


class CandidateFilters(Schema):
    limit: int = 10
    org_unit: int | None = None
    min_fit: float = 0.0
    interested: bool = False
    scenario: int | None = None


@router.get("/jobs/{int:job_id}/candidates", response=CandidatePage,
            summary="Candidats internes pour un emploi, meilleure adéquation d'abord")
def job_candidates(request, job_id: int, filters: Query[CandidateFilters]):
    require_right(request.user, "mobility.view_all", "mobility.view_team")
    job = get_object_or_404(job_list(), pk=job_id)
    if filters.org_unit:
        get_object_or_404(org_unit_list(), pk=filters.org_unit)
    if not 0 <= filters.min_fit <= 1:
        raise ApplicationError(_("« min_fit » doit être compris entre 0 et 1 (ex. 0.6)."), status=422)
    suggestions = selectors.job_candidates(
        user=request.user, job=job, limit=filters.limit, org_unit=filters.org_unit, min_fit=filters.min_fit,
        interested_only=filters.interested, scenario=_scenario(filters.scenario))
    return {"results": [{"staff_number": s.staff_number, "name": s.name, **_signals(s)} for s in suggestions]}


@router.get("/employees/{staff_number}/training-plan", response=TrainingPlanOut,
            summary="Formations au moindre coût pour rejoindre un emploi")
def employee_training_plan(request, staff_number: str, job: int):
    employee = visible_employee(request.user, staff_number)
    target = get_object_or_404(job_list(), pk=job)
    plan = selectors.training_plan(employee=employee, job=target)
    return {"trainings": [{"id": t.pk, "title": t.title, "cost": float(t.cost), "hours": float(t.hours),
                           "cpf": t.cpf} for t in plan.trainings],
            "total_cost": plan.total_cost, "total_hours": plan.total_hours, "exact": plan.exact,
            "uncovered": [u.__dict__ for u in plan.uncovered]}


def _may_wish(user, employee) -> None:
    if has_right(user, "mobility.view_all") or getattr(user, "employee_id", None) == employee.pk:
        return
    require_right(user, "mobility.view_all")


@router.post("/employees/{staff_number}/wishes", response={201: WishOut},
             summary="« Ça m'intéresse » : noter l'intérêt d'un salarié pour un emploi")
def wish_create(request, staff_number: str, payload: WishIn):
    employee = visible_employee(request.user, staff_number)
    _may_wish(request.user, employee)
    job = get_object_or_404(job_list(), pk=payload.job_id)
    services.mobility_wish_set(employee=employee, job=job, user=request.user)
    return Status(201, {"job_id": job.pk, "interested": True})


@router.delete("/employees/{staff_number}/wishes/{int:job_id}", response={204: None},
               summary="Retirer un « ça m'intéresse »")
def wish_delete(request, staff_number: str, job_id: int):
    employee = visible_employee(request.user, staff_number)
    _may_wish(request.user, employee)
    job = get_object_or_404(job_list(), pk=job_id)
    services.mobility_wish_set(employee=employee, job=job, user=request.user, interested=False)
    return Status(204, None)


# --- Training catalogue ----------------------------------------------------------------------------------

def training_out(training: Training) -> dict:
    return {"id": training.pk, "title": training.title, "provider": training.provider,
            "cost": float(training.cost), "hours": float(training.hours), "cpf": training.cpf,
            "modality": training.modality, "sessions": training.sessions,
            "skills": [{"skill_id": ts.skill_id, "skill": ts.skill.label, "level": ts.level}
                       for ts in training.skills.all()]}


def _save(payload: TrainingIn, training=None) -> Training:
    saved = services.training_save(
        training=training, title=payload.title, provider=payload.provider, cost=payload.cost,
        hours=payload.hours, cpf=payload.cpf, modality=payload.modality, sessions=payload.sessions,
        skills=[(s.skill_id, s.level) for s in payload.skills])
    return selectors.training_list().get(pk=saved.pk)


@router.get("/trainings", response=TrainingPage, summary="Catalogue de formations (paginé)")
def training_list(request, search: str = "", limit: int = 50, offset: int = 0):
    require_right(request.user, "trainings.view")
    return page(selectors.training_list(search=search), limit=limit, offset=offset, serialize=training_out)


@router.post("/trainings", response={201: TrainingOut}, summary="Ajouter une formation au catalogue")
def training_create(request, payload: TrainingIn):
    require_right(request.user, "trainings.edit")
    return Status(201, training_out(_save(payload)))


@router.get("/trainings/{int:training_id}", response=TrainingOut, summary="Une formation")
def training_detail(request, training_id: int):
    require_right(request.user, "trainings.view")
    return training_out(get_object_or_404(selectors.training_list(), pk=training_id))


@router.put("/trainings/{int:training_id}", response=TrainingOut, summary="Modifier une formation")
def training_update(request, training_id: int, payload: TrainingIn):
    require_right(request.user, "trainings.edit")
    training = get_object_or_404(Training, pk=training_id)
    return training_out(_save(payload, training))


@router.delete("/trainings/{int:training_id}", response={204: None}, summary="Retirer une formation")
def training_delete(request, training_id: int):
    require_right(request.user, "trainings.edit")
    services.training_delete(training=get_object_or_404(Training, pk=training_id))
    return Status(204, None)


# --- Organisation-wide plans -----------------------------------------------------------------------------

def plan_out(plan) -> dict:
    result = plan.result or {}
    return {"id": plan.pk, "scenario_id": plan.scenario_id, "status": plan.status, "progress": plan.progress,
            "options": plan.options, "moves": result.get("moves", []),
            "training_cost": result.get("training_cost", 0.0), "training_hours": result.get("training_hours", 0.0),
            "external_hires": result.get("external_hires", []), "error": plan.error}


@router.post("/scenarios/{int:scenario_id}/mobility-plan", response={202: PlanCreatedOut},
             summary="Lancer le plan de mobilité d'un scénario (calculé en arrière-plan)")
def mobility_plan_create(request, scenario_id: int, payload: PlanOptionsIn):
    require_right(request.user, "mobility.plan")
    from foresight.models import Scenario

    from .planning import mobility_plan_create as plan_create

    scenario = get_object_or_404(Scenario, pk=scenario_id)
    plan = plan_create(scenario=scenario, user=request.user, interested_only=payload.interested_only,
                       shrinking_jobs_only=payload.shrinking_jobs_only, min_fit=payload.min_fit)
    return Status(202, {"id": plan.pk})


@router.get("/mobility-plans/{int:plan_id}", response=PlanOut, summary="Un plan de mobilité (statut, mouvements)")
def mobility_plan_detail(request, plan_id: int):
    require_right(request.user, "mobility.plan")
    from .models import MobilityPlan

    return plan_out(get_object_or_404(MobilityPlan, pk=plan_id))
