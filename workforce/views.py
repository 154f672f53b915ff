from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from accounts.permissions import has_right, right_required

from . import selectors
from .models import Employee, Job, OrgUnit


@login_required
def dashboard(request):
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
        team = selectors.employee_visible_qs(user).filter(manager_id=user.employee_id)
    return render(request, "workforce/dashboard.html", {"counts": counts, "team": team})


@right_required("employees.view_all", "employees.view_team")
def employee_list(request):
    filters = {
        "search": request.GET.get("q", "").strip(),
        "org_unit": _int_or_none(request.GET.get("org_unit")),
        "job": _int_or_none(request.GET.get("job")),
        "active": {"1": True, "0": False}.get(request.GET.get("active", "1")),
    }
    qs = selectors.employee_list(user=request.user, **filters)
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "workforce/employee_list.html", {
        "page": page,
        "filters": filters,
        "active_param": request.GET.get("active", "1"),
        "querystring": query.urlencode(),
        "org_units": selectors.org_unit_list(),
        "jobs": selectors.job_list(),
    })


@login_required
def employee_detail(request, staff_number: str):
    employee = get_object_or_404(selectors.employee_visible_qs(request.user), staff_number=staff_number)
    return render(request, "workforce/employee_detail.html", {
        "employee": employee,
        "show_sensitive": has_right(request.user, "sensitive.view"),
    })


@login_required
def my_profile(request):
    if not request.user.employee_id:
        raise Http404
    return redirect("workforce:employee_detail", staff_number=request.user.employee.staff_number)


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
