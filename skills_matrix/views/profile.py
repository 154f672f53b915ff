"""An employee's skills profile: current levels, gaps to the job, history, and the assessment form."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts.permissions import has_right, refusal_message, right_required
from core.errors import ApplicationError
from workforce.selectors import employee_visible_qs

from .. import selectors, services
from ..models import EmployeeSkill, OrgSkill
from .forms import date_field, date_or_none, int_or_none, required_int, skill_from_post

VIEW_SKILLS = ("skills.view_all", "skills.view_team", "skills.view_self")


@right_required(*VIEW_SKILLS)
def employee_skills(request, staff_number: str):
    employee = get_object_or_404(employee_visible_qs(request.user), staff_number=staff_number)
    own = request.user.employee_id == employee.pk
    can_assess = has_right(request.user, "skills.self_assess") if own else has_right(request.user, "skills.assess")
    if request.method == "POST":
        if not can_assess:
            raise PermissionDenied(refusal_message("skills.self_assess" if own else "skills.assess"))
        try:
            if request.POST.get("action") == "validate":
                skill = get_object_or_404(OrgSkill, pk=int_or_none(request.POST.get("skill")))
                services.employee_skill_validate(user=request.user, employee=employee, skill=skill)
                done = _("Auto-évaluation validée pour « %(skill)s ».")
            elif request.POST.get("action") == "withdraw":
                skill = get_object_or_404(OrgSkill, pk=int_or_none(request.POST.get("skill")))
                services.employee_skill_withdraw(user=request.user, employee=employee, skill=skill)
                done = _("Niveau retiré pour « %(skill)s » (l'historique le conserve).")
            else:
                skill = skill_from_post(request)
                services.employee_skill_assess(
                    user=request.user, employee=employee, skill=skill,
                    level=required_int(request.POST.get("level"), _("le niveau")),
                    status=request.POST.get("status") or None, source=request.POST.get("source") or None,
                    assessed_on=date_field(request.POST.get("assessed_on")),
                )
                done = _("Niveau enregistré pour « %(skill)s ».")
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, done % {"skill": skill.label})
            return redirect("skills_matrix:employee_skills", staff_number=employee.staff_number)
    at = date_or_none(request.GET.get("at"), request)
    return render(request, "skills_matrix/employee_skills.html", {
        "employee": employee, "own": own, "can_assess": can_assess, "at": at,
        "current": selectors.employee_skills_at(employee=employee, at=at),
        "requirements": selectors.employee_requirement_gaps(employee=employee, at=at),
        "history": selectors.employee_skill_history(employee=employee),
        "can_withdraw_certified": has_right(request.user, "skills.edit"),
        "skills": selectors.org_skill_list(), "levels": selectors.skill_levels(),
        "statuses": [c for c in EmployeeSkill.Status.choices
                     if c[0] != EmployeeSkill.Status.CERTIFIED or has_right(request.user, "skills.edit")],
        "sources": [c for c in EmployeeSkill.Source.choices if c[0] != EmployeeSkill.Source.SELF],
    })


@login_required
def my_skills(request):
    if not request.user.employee_id:
        messages.error(request, _("Votre compte n'est relié à aucune fiche salarié."))
        return redirect("dashboard")
    return redirect("skills_matrix:employee_skills", staff_number=request.user.employee.staff_number)
