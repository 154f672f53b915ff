"""Skills matrix API: organisation skills and mappings, job requirements, employees' levels.

Registered at "/" (paths are absolute under /api/v1). Every lookup goes through a scoped query, so
another organisation's object, or an employee outside the user's scope, answers 404.
"""


from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from accounts.permissions import require_right
from core.dates import InputDate
from core.errors import ApplicationError
from workforce.models import Job
from workforce.selectors import employee_visible_qs, job_list, org_unit_list

from . import selectors, services
from .models import JobRequirement, OrgSkill, SkillKind, SkillLevel, SkillMapping
from .schemas import (
    EmployeeSkillIn,
    EmployeeSkillOut,
    EmployeeSkillPage,
    MappingIn,
    MappingOut,
    MappingReviewIn,
    MatrixFilters,
    MatrixOut,
    OrgSkillIn,
    OrgSkillOut,
    OrgSkillPage,
    OrgSkillPatch,
    RequirementIn,
    RequirementOut,
    RequirementPage,
    RequirementPatch,
    RequirementsFromRomeOut,
    SkillLevelIn,
    SkillLevelOut,
)

router = Router(tags=["competences"])

VIEW_SKILLS = ("skills.view_all", "skills.view_team", "skills.view_self")


class SkillFilters(Schema):
    search: str = ""
    kind: str = ""
    needs_mapping: bool | None = None
    limit: int = 50
    offset: int = 0


def _window(limit: int, offset: int) -> tuple[int, int]:
    return max(0, offset), min(max(1, limit), 500)


def _check_filter(value: str | None, choices, name: str) -> None:
    """An unknown filter value is refused (422) rather than answering an empty list."""
    if value and value not in choices.values:
        raise ApplicationError(
            _("Filtre « %(name)s » : valeur « %(value)s » inconnue ; choisissez parmi %(choices)s.")
            % {"name": name, "value": value, "choices": ", ".join(choices.values)},
            extra={"errors": [{"field": name, "message": _("Valeur inconnue.")}]},
            status=422,
        )


# --- The matrix and the level scale ------------------------------------------------------------------

@router.get("/skills/matrix", response=MatrixOut,
            summary="Matrice salariés × compétences (niveaux, niveaux requis, écarts), à une date avec ?at=")
def skill_matrix(request, filters: Query[MatrixFilters]):
    require_right(request.user, "skills.view_all", "skills.view_team")
    _check_filter(filters.kind, SkillKind, "kind")
    if filters.org_unit:
        get_object_or_404(org_unit_list(), pk=filters.org_unit)
    if filters.job:
        get_object_or_404(job_list(), pk=filters.job)
    offset, limit = _window(filters.limit, filters.offset)
    matrix = selectors.skill_matrix(user=request.user, org_unit=filters.org_unit, job=filters.job,
                                    kind=filters.kind or None, at=filters.at, offset=offset, limit=limit,
                                    with_totals=False)
    levels, targets, gaps = matrix.levels.tolist(), matrix.targets.tolist(), matrix.gaps.tolist()
    items = [
        {"staff_number": e.staff_number, "last_name": e.last_name, "first_name": e.first_name,
         "job_title": e.job_title, "org_unit_name": e.org_unit_name,
         "levels": [lvl if lvl >= 0 else None for lvl in levels[i]], "targets": targets[i], "gaps": gaps[i],
         "gap_count": int(matrix.summary.gaps_per_employee[i])}
        for i, e in enumerate(matrix.employees)
    ]
    return {"at": filters.at, "skills": matrix.skills, "items": items, "count": matrix.employee_total}


@router.get("/skill-levels", response=list[SkillLevelOut], summary="Échelle des niveaux")
def skill_level_list(request):
    require_right(request.user, *VIEW_SKILLS)
    return list(selectors.skill_levels())


@router.put("/skill-levels/{int:value}", response=SkillLevelOut, summary="Modifier un niveau de l'échelle")
def skill_level_update(request, value: int, payload: SkillLevelIn):
    require_right(request.user, "skills.edit")
    level = get_object_or_404(SkillLevel, value=value)
    return services.skill_level_update(level=level, label=payload.label, description=payload.description)


# --- Organisation skills -------------------------------------------------------------------------

@router.get("/skills", response=OrgSkillPage, summary="Compétences de l'organisation (paginé)")
def skill_list(request, filters: Query[SkillFilters]):
    require_right(request.user, *VIEW_SKILLS)
    _check_filter(filters.kind, SkillKind, "kind")
    qs = selectors.org_skill_list(search=filters.search, kind=filters.kind, needs_mapping=filters.needs_mapping)
    offset, limit = _window(filters.limit, filters.offset)
    return {"items": list(qs[offset:offset + limit]), "count": qs.count()}


@router.post("/skills", response={201: OrgSkillOut}, summary="Créer une compétence")
def skill_create(request, payload: OrgSkillIn):
    require_right(request.user, "skills.edit")
    skill = services.org_skill_create(label=payload.label, kind=payload.kind, description=payload.description)
    return Status(201, skill)


@router.get("/skills/{int:skill_id}", response=OrgSkillOut, summary="Une compétence")
def skill_detail(request, skill_id: int):
    require_right(request.user, *VIEW_SKILLS)
    return get_object_or_404(OrgSkill, pk=skill_id)


@router.put("/skills/{int:skill_id}", response=OrgSkillOut, summary="Modifier une compétence")
def skill_update(request, skill_id: int, payload: OrgSkillPatch):
    require_right(request.user, "skills.edit")
    skill = get_object_or_404(OrgSkill, pk=skill_id)
    return services.org_skill_update(skill=skill, **payload.dict(exclude_unset=True))


@router.delete("/skills/{int:skill_id}", response={204: None}, summary="Supprimer une compétence")
def skill_delete(request, skill_id: int):
    require_right(request.user, "skills.edit")
    services.org_skill_delete(skill=get_object_or_404(OrgSkill, pk=skill_id))
    return Status(204, None)


@router.get("/skills/{int:skill_id}/mappings", response=list[MappingOut],
            summary="Correspondances ROME/ESCO d'une compétence")
def skill_mappings(request, skill_id: int, status: str = ""):
    require_right(request.user, "mappings.review", "skills.edit")
    skill = get_object_or_404(OrgSkill, pk=skill_id)
    _check_filter(status, SkillMapping.Status, "status")
    return list(selectors.mapping_list(skill=skill, status=status))


@router.post("/skills/{int:skill_id}/mappings", response={201: MappingOut},
             summary="Rapprocher une compétence d'une compétence ROME ou ESCO choisie (acceptée)")
def skill_mapping_create(request, skill_id: int, payload: MappingIn):
    require_right(request.user, "mappings.review")
    skill = get_object_or_404(OrgSkill, pk=skill_id)
    mapping = services.mapping_create(skill=skill, source=payload.source, code=payload.code, user=request.user)
    return Status(201, selectors.mapping_list(skill=skill).get(pk=mapping.pk))


@router.post("/skills/{int:skill_id}/mappings/suggest", response=list[MappingOut],
             summary="Calculer des suggestions de correspondance")
def skill_mappings_suggest(request, skill_id: int, k: int = 5):
    require_right(request.user, "mappings.review")
    skill = get_object_or_404(OrgSkill, pk=skill_id)
    services.org_skill_mappings_suggest(skills=[skill], k=min(max(k, 1), 20))
    return list(selectors.mapping_list(skill=skill))


@router.post("/mappings/review", response=dict, summary="Accepter ou rejeter des correspondances en lot")
def mappings_review(request, payload: MappingReviewIn):
    require_right(request.user, "mappings.review")
    mappings = list(SkillMapping.objects.filter(pk__in=payload.ids))
    if len(mappings) != len(set(payload.ids)):
        raise ApplicationError(_("Correspondance introuvable."), status=404)
    count = services.mapping_review(mappings=mappings, status=payload.status, user=request.user)
    return {"reviewed": count, "status": payload.status}


# --- Job requirements ---------------------------------------------------------------------------

@router.get("/jobs/{int:job_id}/requirements", response=RequirementPage, summary="Compétences requises")
def requirement_list(request, job_id: int):
    require_right(request.user, "jobs.view")
    job = get_object_or_404(Job, pk=job_id)
    items = list(selectors.job_requirements(job=job))
    return {"items": items, "count": len(items)}


@router.post("/jobs/{int:job_id}/requirements/from-rome", response=RequirementsFromRomeOut,
             summary="Ajouter les compétences clés de la fiche ROME de l'emploi (exigences existantes inchangées)")
def requirements_from_rome(request, job_id: int):
    require_right(request.user, "jobs.edit")
    job = get_object_or_404(Job, pk=job_id)
    added = services.job_requirements_from_rome(job=job, user=request.user)
    items = list(selectors.job_requirements(job=job))
    return {"added": added, "items": items, "count": len(items)}


@router.post("/jobs/{int:job_id}/requirements", response={201: RequirementOut},
             summary="Exiger une compétence (ou mettre à jour l'exigence)")
def requirement_create(request, job_id: int, payload: RequirementIn):
    require_right(request.user, "jobs.edit")
    job = get_object_or_404(Job, pk=job_id)
    skill = get_object_or_404(OrgSkill, pk=payload.skill_id)
    requirement = services.job_requirement_set(job=job, skill=skill, target_level=payload.target_level,
                                               weight=payload.weight, critical=payload.critical)
    return Status(201, requirement)


@router.put("/jobs/{int:job_id}/requirements/{int:requirement_id}", response=RequirementOut,
            summary="Modifier une exigence")
def requirement_update(request, job_id: int, requirement_id: int, payload: RequirementPatch):
    require_right(request.user, "jobs.edit")
    requirement = get_object_or_404(JobRequirement.objects.select_related("job", "skill"),
                                    pk=requirement_id, job_id=job_id)
    changes = payload.dict(exclude_unset=True)
    return services.job_requirement_set(
        job=requirement.job, skill=requirement.skill,
        target_level=changes.get("target_level", requirement.target_level),
        weight=changes.get("weight", requirement.weight), critical=changes.get("critical", requirement.critical),
    )


@router.delete("/jobs/{int:job_id}/requirements/{int:requirement_id}", response={204: None},
               summary="Retirer une exigence")
def requirement_delete(request, job_id: int, requirement_id: int):
    require_right(request.user, "jobs.edit")
    services.job_requirement_delete(requirement=get_object_or_404(JobRequirement, pk=requirement_id, job_id=job_id))
    return Status(204, None)


# --- Employees' levels -----------------------------------------------------------------------------

def _visible_employee(request, staff_number: str):
    require_right(request.user, *VIEW_SKILLS)
    return get_object_or_404(employee_visible_qs(request.user), staff_number=staff_number)


@router.get("/employees/{staff_number}/skills", response=EmployeeSkillPage,
            summary="Niveaux d'un salarié (aujourd'hui, ou à une date passée avec ?at=AAAA-MM-JJ)")
def employee_skills(request, staff_number: str, at: InputDate | None = None):
    employee = _visible_employee(request, staff_number)
    items = list(selectors.employee_skills_at(employee=employee, at=at))
    return {"staff_number": employee.staff_number, "at": at, "items": items, "count": len(items)}


@router.post("/employees/{staff_number}/skills", response={200: EmployeeSkillOut, 201: EmployeeSkillOut},
             summary="Enregistrer un niveau (auto-évaluation sur sa propre fiche) ; 200 si rien n'a changé")
def employee_skill_set(request, staff_number: str, payload: EmployeeSkillIn):
    employee = _visible_employee(request, staff_number)
    if payload.skill_id is not None:
        skill = get_object_or_404(OrgSkill, pk=payload.skill_id)
    elif payload.skill_label:
        require_right(request.user, "skills.edit")
        skill = services.org_skill_get_or_create(label=payload.skill_label)
    else:
        raise ApplicationError(_("Indiquez la compétence : skill_id (ou skill_label pour en créer une)."))
    before = selectors.employee_skills_at(employee=employee).filter(skill=skill).values_list("pk", flat=True).first()
    row = services.employee_skill_assess(
        user=request.user, employee=employee, skill=skill, level=payload.level, status=payload.status,
        source=payload.source, assessed_on=payload.assessed_on,
    )
    return Status(200 if row.pk == before else 201, row)


@router.delete("/employees/{staff_number}/skills/{int:skill_id}", response={204: None},
               summary="Retirer un niveau enregistré par erreur (l'historique le garde)")
def employee_skill_withdraw(request, staff_number: str, skill_id: int):
    employee = _visible_employee(request, staff_number)
    skill = get_object_or_404(OrgSkill, pk=skill_id)
    services.employee_skill_withdraw(user=request.user, employee=employee, skill=skill)
    return Status(204, None)


@router.get("/employees/{staff_number}/skills/history", response=list[EmployeeSkillOut],
            summary="Historique complet des niveaux d'un salarié")
def employee_skills_history(request, staff_number: str):
    employee = _visible_employee(request, staff_number)
    return list(selectors.employee_skill_history(employee=employee))
