"""Reads of the workforce, always scoped to what the acting user may see."""

from django.db.models import Count, Q, QuerySet

from accounts.permissions import has_right

from .models import Employee, Job, OrgUnit


def employee_visible_qs(user) -> QuerySet[Employee]:
    """Employees ``user`` may see: everyone (admin, HR), their team (supervisor), themselves."""
    qs = Employee.objects.select_related("job", "org_unit", "manager")
    if has_right(user, "employees.view_all"):
        return qs
    own = getattr(user, "employee_id", None)
    if has_right(user, "employees.view_team") and own:
        return qs.filter(Q(pk=own) | Q(manager_id=own))
    if has_right(user, "employees.view_self") and own:
        return qs.filter(pk=own)
    return qs.none()


def employee_list(
    *, user, search: str = "", staff_number: str = "", org_unit: int | None = None,
    job: int | None = None, active: bool | None = None,
) -> QuerySet[Employee]:
    qs = employee_visible_qs(user)
    if staff_number:
        qs = qs.filter(staff_number=staff_number)
    if search:
        for word in search.split():
            qs = qs.filter(
                Q(last_name__icontains=word) | Q(first_name__icontains=word)
                | Q(staff_number__icontains=word) | Q(email__icontains=word)
            )
    if org_unit:
        qs = qs.filter(org_unit_id=org_unit)
    if job:
        qs = qs.filter(job_id=job)
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs


def job_list(*, search: str = "") -> QuerySet[Job]:
    qs = Job.objects.all()
    if search:
        qs = qs.filter(Q(title__icontains=search) | Q(code__icontains=search) | Q(rome_code__iexact=search))
    return qs


def job_list_with_counts(*, search: str = ""):
    return job_list(search=search).annotate(
        requirement_count=Count("requirements", distinct=True),
        employee_count=Count("employees", filter=Q(employees__is_active=True), distinct=True),
    )


def org_unit_list(*, search: str = "") -> QuerySet[OrgUnit]:
    qs = OrgUnit.objects.select_related("parent")
    if search:
        qs = qs.filter(name__icontains=search)
    return qs
