"""Scenarios, their needs and their results: ``/api/v1/scenarios…``. Admin and HR read and write; a supervisor
reads the projection of their own team; an employee nothing."""

from django.shortcuts import get_object_or_404
from ninja import Router, Status

from accounts.permissions import has_right, require_right

from . import selectors, services
from .diagnostic import diagnostic_get
from .models import JobNeed
from .schemas import GapsOut, NeedIn, NeedOut, ProjectionOut, RisksOut, ScenarioIn, ScenarioOut, ScenarioPatch

router = Router(tags=["foresight"])


def _scenario(request, scenario_id: int, *rights: str):
    require_right(request.user, *(rights or ("foresight.view",)))
    return get_object_or_404(selectors.scenario_list(), pk=scenario_id)


@router.get("/scenarios", response=list[ScenarioOut], summary="Scénarios de prospective")
def scenario_list(request):
    require_right(request.user, "foresight.view", "foresight.view_team")
    return selectors.scenario_list()


@router.post("/scenarios", response={201: ScenarioOut}, summary="Créer un scénario")
def scenario_create(request, payload: ScenarioIn):
    require_right(request.user, "foresight.edit")
    return Status(201, services.scenario_create(**payload.dict()))


@router.get("/scenarios/{int:scenario_id}", response=ScenarioOut, summary="Un scénario")
def scenario_detail(request, scenario_id: int):
    return _scenario(request, scenario_id, "foresight.view", "foresight.view_team")


@router.patch("/scenarios/{int:scenario_id}", response=ScenarioOut, summary="Modifier un scénario")
def scenario_update(request, scenario_id: int, payload: ScenarioPatch):
    scenario = _scenario(request, scenario_id, "foresight.edit")
    return services.scenario_update(scenario=scenario, **payload.dict(exclude_unset=True))


@router.delete("/scenarios/{int:scenario_id}", response={204: None}, summary="Supprimer un scénario")
def scenario_delete(request, scenario_id: int):
    services.scenario_delete(scenario=_scenario(request, scenario_id, "foresight.edit"))
    return Status(204, None)


@router.post("/scenarios/{int:scenario_id}/copy", response={201: ScenarioOut}, summary="Copier un scénario")
def scenario_copy(request, scenario_id: int):
    return Status(201, services.scenario_copy(scenario=_scenario(request, scenario_id, "foresight.edit")))


@router.get("/scenarios/{int:scenario_id}/needs", response=list[NeedOut], summary="Besoins par emploi")
def need_list(request, scenario_id: int):
    scenario = _scenario(request, scenario_id)
    return scenario.needs.select_related("job").prefetch_related("skills__skill")


@router.post("/scenarios/{int:scenario_id}/needs", response={201: NeedOut},
             summary="Fixer le besoin d'un emploi (effectif cible ou évolution en %, compétences)")
def need_create(request, scenario_id: int, payload: NeedIn):
    scenario = _scenario(request, scenario_id, "foresight.edit")
    data = payload.dict()
    need = services.job_need_set(scenario=scenario, **data)
    return Status(201, JobNeed.objects.select_related("job").prefetch_related("skills__skill").get(pk=need.pk))


@router.get("/scenarios/{int:scenario_id}/needs/{int:need_id}", response=NeedOut, summary="Un besoin")
def need_detail(request, scenario_id: int, need_id: int):
    scenario = _scenario(request, scenario_id)
    return get_object_or_404(scenario.needs.select_related("job").prefetch_related("skills__skill"), pk=need_id)


@router.delete("/scenarios/{int:scenario_id}/needs/{int:need_id}", response={204: None},
               summary="Supprimer un besoin")
def need_delete(request, scenario_id: int, need_id: int):
    scenario = _scenario(request, scenario_id, "foresight.edit")
    services.job_need_delete(need=get_object_or_404(scenario.needs, pk=need_id))
    return Status(204, None)


@router.get("/scenarios/{int:scenario_id}/projection", response=ProjectionOut,
            summary="Effectifs attendus et départs par année jusqu'à l'horizon (bande Monte-Carlo si demandée)")
def scenario_projection(request, scenario_id: int):
    scenario = _scenario(request, scenario_id, "foresight.view", "foresight.view_team")
    result = diagnostic_get(scenario=scenario, scope=selectors.scope_for(user=request.user))
    return {"reference_date": scenario.reference_date, "horizon_year": scenario.horizon_year,
            "periods": result["periods"], "jobs": result["jobs"]}


@router.get("/scenarios/{int:scenario_id}/gaps", response=GapsOut,
            summary="Écarts à l'horizon : effectifs par emploi, compétences (offre et demande)")
def scenario_gaps(request, scenario_id: int):
    result = diagnostic_get(scenario=_scenario(request, scenario_id))
    return {"jobs": result["jobs"], "skills": result["skills"]}


@router.get("/scenarios/{int:scenario_id}/risks", response=RisksOut,
            summary="Risques de perte de savoir-faire (titulaires et dates de départ : RH et administrateurs)")
def scenario_risks(request, scenario_id: int):
    result = diagnostic_get(scenario=_scenario(request, scenario_id))
    named = has_right(request.user, "sensitive.view")
    return {"risks": [dict(r, people=r["people"] if named else []) for r in result["risks"]]}
