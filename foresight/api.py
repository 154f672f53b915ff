"""Scenarios, their needs and their results: ``/api/v1/scenarios…``. Admin and HR read and write; a supervisor
reads the projection of their own team; an employee nothing."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import File, Router, Schema, Status, UploadedFile

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


# --- needs import and national seeding --------------------------------------------------------------------

class NeedsImportOut(Schema):
    written: int
    skills: int


class NeedsSeedIn(Schema):
    overwrite: bool = False


class NeedsSeedOut(Schema):
    seeded: int
    kept: int
    without_data: int
    skills_created: int


@router.post("/scenarios/{int:scenario_id}/needs/import", response=NeedsImportOut,
             summary="Importer les besoins par emploi (xlsx/csv ; tout ou rien, erreurs par ligne en 422)")
def needs_import(request, scenario_id: int, file: File[UploadedFile]):
    from core.errors import ApplicationError

    from .needs_import import needs_import as run_import

    scenario = _scenario(request, scenario_id, "foresight.edit")
    result = run_import(scenario=scenario, upload=file)
    if result.file_error:
        raise ApplicationError(result.file_error, status=422)
    if result.errors:
        raise ApplicationError(
            _("%(rows)s ligne(s) refusée(s) : rien n'a été enregistré.") % {"rows": len(result.rejected_rows)},
            extra={"errors": [e._asdict() for e in result.errors]}, status=422)
    return {"written": result.written, "skills": result.skills}


@router.post("/scenarios/{int:scenario_id}/needs/seed", response=NeedsSeedOut,
             summary="Proposer les besoins d'après la prospective nationale (ROME, DARES, Les métiers en 2030)")
def needs_seed(request, scenario_id: int, payload: NeedsSeedIn):
    from .seeding import needs_seed_national

    result = needs_seed_national(scenario=_scenario(request, scenario_id, "foresight.edit"),
                                 overwrite=payload.overwrite)
    return {"seeded": result.seeded, "kept": result.kept, "without_data": result.without_data,
            "skills_created": result.skills_created}
