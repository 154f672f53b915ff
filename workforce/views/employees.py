"""Pages of the dashboard and of the employees."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse

from accounts.permissions import has_any_right, has_right, right_required

from .. import selectors
from ..models import Employee, Job, OrgUnit

EMPLOYEES_PER_PAGE = 25


@login_required
def dashboard(request):
    """Admin and HR see headcounts, a supervisor their team, anyone linked to an employee their card."""
    user = request.user
    counts = None
    if has_right(user, "employees.view_all"):
        counts = {
            "employees": Employee.objects.filter(is_active=True).count(),
            "jobs": Job.objects.count(),
            "org_units": OrgUnit.objects.count(),
        }
    team = None
    if has_right(user, "employees.view_team") and not has_right(user, "employees.view_all"):
        team = selectors.employee_visible_qs(user).filter(manager_id=user.employee_id, is_active=True)
    me = None
    if user.employee_id and not has_right(user, "employees.view_all"):
        me = selectors.employee_visible_qs(user).filter(pk=user.employee_id).first()
    return render(request, "workforce/dashboard.html", {"counts": counts, "team": team, "me": me})


@right_required("employees.view_all", "employees.view_team")
def employee_list(request):
    active_param = request.GET.get("active", "1")
    if active_param not in ("1", "0", "all"):
        active_param = "1"
    filters = {
        "search": request.GET.get("q", "").strip(),
        "org_unit": _int_or_none(request.GET.get("org_unit")),
        "job": _int_or_none(request.GET.get("job")),
        "active": {"1": True, "0": False}.get(active_param),
    }
    qs = selectors.employee_list(user=request.user, **filters)
    page = Paginator(qs, EMPLOYEES_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "workforce/employee_list.html", {
        "page": page,
        "filters": filters,
        "active_param": active_param,
        "querystring": query.urlencode(),
        "org_units": selectors.org_unit_list(),
        "jobs": selectors.job_list(),
    })


@login_required
def employee_detail(request, staff_number: str):
    employee = get_object_or_404(selectors.employee_visible_qs(request.user), staff_number=staff_number)
    skills_url = None
    if has_any_right(request.user, "skills.view_all", "skills.view_team", "skills.view_self"):
        skills_url = _skills_profile_url(employee)
    return render(request, "workforce/employee_detail.html", {
        "employee": employee,
        "show_sensitive": has_right(request.user, "sensitive.view"),
        "skills_url": skills_url,
        "can_list": has_any_right(request.user, "employees.view_all", "employees.view_team"),
    })


@login_required
def my_profile(request):
    if not request.user.employee_id:
        raise Http404
    return redirect("workforce:employee_detail", staff_number=request.user.employee.staff_number)


# URL names under which the skills matrix may publish an employee's skills profile.
SKILLS_PROFILE_URL_NAMES = ("skills_matrix:employee_profile", "skills_matrix:employee_skills")


def _skills_profile_url(employee) -> str | None:
    """The skills profile page of ``employee`` when the skills matrix provides one."""
    for name in SKILLS_PROFILE_URL_NAMES:
        try:
            return reverse(name, kwargs={"staff_number": employee.staff_number})
        except NoReverseMatch:
            continue
    return None


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
