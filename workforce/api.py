from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status

from accounts.permissions import has_right, require_right
from core.pagination import page

from . import selectors, services
from .schemas import (
    EmployeeOut,
    EmployeeSensitiveOut,
    JobDetailOut,
    JobFromRomeIn,
    JobIn,
    JobOut,
    JobPatch,
    OrgUnitOut,
)

router = Router(tags=["workforce"])


class EmployeeFilters(Schema):
    staff_number: str = ""
    search: str = ""
    org_unit: int | None = None
    job: int | None = None
    active: bool | None = None
    limit: int = 50
    offset: int = 0


class JobPage(Schema):
    items: list[JobOut]
    count: int


class OrgUnitPage(Schema):
    items: list[OrgUnitOut]
    count: int


def _serialize_employee(user, employee) -> dict:
    schema = EmployeeSensitiveOut if has_right(user, "sensitive.view") else EmployeeOut
    return schema.from_orm(employee).model_dump()


@router.get("/employees", response=dict, summary="Salariés visibles (paginé)")
def employee_list(request, filters: Query[EmployeeFilters]):
    require_right(request.user, "employees.view_all", "employees.view_team")
    qs = selectors.employee_list(
        user=request.user, search=filters.search, staff_number=filters.staff_number,
        org_unit=filters.org_unit, job=filters.job, active=filters.active,
    )
    return page(qs, limit=filters.limit, offset=filters.offset,
                serialize=lambda employee: _serialize_employee(request.user, employee))


@router.get("/employees/{staff_number}", response=dict, summary="Un salarié")
def employee_detail(request, staff_number: str):
    employee = get_object_or_404(selectors.employee_visible_qs(request.user), staff_number=staff_number)
    return _serialize_employee(request.user, employee)


@router.get("/jobs", response=JobPage, summary="Emplois (paginé)")
def job_list(request, search: str = "", limit: int = 50, offset: int = 0):
    require_right(request.user, "jobs.view")
    return page(selectors.job_list(search=search), limit=limit, offset=offset)


@router.get("/jobs/{int:job_id}", response=JobOut, summary="Un emploi")
def job_detail(request, job_id: int):
    require_right(request.user, "jobs.view")
    return get_object_or_404(selectors.job_list(), pk=job_id)


@router.post("/jobs", response={201: JobDetailOut}, summary="Créer un emploi")
def job_create(request, payload: JobIn):
    require_right(request.user, "jobs.edit")
    return Status(201, services.job_create(**payload.dict()))


@router.post("/jobs/from-rome", response={201: JobOut},
             summary="Créer un emploi depuis une fiche ROME (avec les compétences clés de la fiche)")
def job_from_rome(request, payload: JobFromRomeIn):
    require_right(request.user, "jobs.edit")
    job = services.job_create_from_rome(occupation_code=payload.occupation_code, title=payload.title,
                                        user=request.user)
    return Status(201, job)


@router.put("/jobs/{int:job_id}", response=JobDetailOut, summary="Modifier un emploi")
def job_update(request, job_id: int, payload: JobPatch):
    require_right(request.user, "jobs.edit")
    job = get_object_or_404(selectors.job_list(), pk=job_id)
    return services.job_update(job=job, **payload.dict(exclude_unset=True))


@router.delete("/jobs/{int:job_id}", response={204: None}, summary="Supprimer un emploi")
def job_delete(request, job_id: int):
    require_right(request.user, "jobs.edit")
    services.job_delete(job=get_object_or_404(selectors.job_list(), pk=job_id))
    return Status(204, None)


@router.get("/org-units", response=OrgUnitPage, summary="Unités (paginé)")
def org_unit_list(request, search: str = "", limit: int = 50, offset: int = 0):
    require_right(request.user, "org_units.view")
    return page(selectors.org_unit_list(search=search), limit=limit, offset=offset)


@router.get("/org-units/{unit_id}", response=OrgUnitOut, summary="Une unité")
def org_unit_detail(request, unit_id: int):
    require_right(request.user, "org_units.view")
    return get_object_or_404(selectors.org_unit_list(), pk=unit_id)
