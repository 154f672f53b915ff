"""Pages of mobility: an employee's paths ("Mes pistes de mobilité"), a job's internal candidates, the
training catalogue (with its import) and the organisation-wide plans."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import has_right, right_required
from core.errors import ApplicationError
from skills_matrix.selectors import org_skill_list, skill_levels
from workforce.selectors import employee_visible_qs, job_list, org_unit_list

from . import selectors, services
from .models import Training

VIEW_MOBILITY = ("mobility.view_all", "mobility.view_team", "mobility.view_self")
PAGE_SUGGESTIONS = 10


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _scenario_filter(request):
    """The scenario chosen in the query string (404 for another organisation's), and the list to choose from."""
    from foresight.models import Scenario
    from foresight.selectors import scenario_list

    value = _int_or_none(request.GET.get("scenario"))
    return (get_object_or_404(Scenario, pk=value) if value else None), scenario_list()


def _float_filter(request, name: str, what: str) -> float:
    value = request.GET.get(name, "").strip().replace(",", ".")
    if not value:
        return 0.0
    try:
        number = float(value)
    except ValueError:
        number = -1
    if not 0 <= number <= 100:
        messages.error(request, _("Filtre « %(what)s » : « %(value)s » n'est pas un pourcentage entre 0 et 100. "
                                  "Le filtre est ignoré.") % {"what": what, "value": value})
        return 0.0
    return number / 100


@right_required(*VIEW_MOBILITY)
def my_paths(request):
    if not request.user.employee_id:
        if has_right(request.user, "mobility.view_all"):
            return redirect("mobility:job_list")
        raise PermissionDenied
    return employee_paths(request, request.user.employee.staff_number)


@right_required(*VIEW_MOBILITY)
def employee_paths(request, staff_number: str):
    employee = get_object_or_404(employee_visible_qs(request.user), staff_number=staff_number)
    scenario, scenarios = _scenario_filter(request)
    by_fit = request.GET.get("ordre", "") == "adequation"
    if request.GET.get("ordre", "") not in ("", "adequation", "recommande"):
        messages.error(request, _("Ordre « %(value)s » inconnu : choisissez « recommande » ou « adequation ». "
                                  "L'ordre recommandé est affiché.") % {"value": request.GET["ordre"]})
    suggestions, fresh = selectors.employee_mobility_and_freshness(
        employee=employee, limit=PAGE_SUGGESTIONS, scenario=scenario,
        order=selectors.ORDER_FIT if by_fit else selectors.ORDER_RECOMMENDED)
    if not fresh:
        services.mobility_refresh_request()
    plans = {s.job_id: selectors.training_plan_for_lines(s.lines) for s in suggestions}
    shortage_only = request.GET.get("tension") == "1"
    beyond = selectors.occupation_suggestions(employee=employee, limit=10, shortage_only=shortage_only)
    return render(request, "mobility/employee_paths.html", {
        "employee": employee, "own": request.user.employee_id == employee.pk,
        "can_wish": request.user.employee_id == employee.pk or has_right(request.user, "mobility.view_all"),
        "items": [(s, plans[s.job_id]) for s in suggestions], "beyond": beyond, "shortage_only": shortage_only,
        "scenario": scenario, "scenarios": scenarios if has_right(request.user, "mobility.view_all") else [],
        "by_fit": by_fit,
    })


@right_required(*VIEW_MOBILITY)
@require_POST
def wish(request, staff_number: str):
    employee = get_object_or_404(employee_visible_qs(request.user), staff_number=staff_number)
    if request.user.employee_id != employee.pk and not has_right(request.user, "mobility.view_all"):
        raise PermissionDenied
    job = get_object_or_404(job_list(), pk=_int_or_none(request.POST.get("job")))
    interested = request.POST.get("interested", "1") == "1"
    try:
        services.mobility_wish_set(employee=employee, job=job, user=request.user, interested=interested)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        if interested:
            messages.success(request, _("Intérêt noté pour « %(job)s » : les ressources humaines le verront.")
                             % {"job": job.title})
        else:
            messages.success(request, _("Intérêt retiré pour « %(job)s ».") % {"job": job.title})
    return redirect("mobility:employee_paths", staff_number=employee.staff_number)


@right_required("mobility.view_all", "mobility.view_team")
def job_list_page(request):
    return render(request, "mobility/job_list.html", {"jobs": job_list()})


@right_required("mobility.view_all", "mobility.view_team")
def job_candidates(request, job_id: int):
    job = get_object_or_404(job_list(), pk=job_id)
    unit_value = request.GET.get("org_unit", "").strip()
    org_unit = _int_or_none(unit_value)
    if unit_value and org_unit is None:
        messages.error(request, _("Filtre « Unité » : « %(value)s » n'est pas un identifiant ; choisissez dans la "
                                  "liste. Le filtre est ignoré.") % {"value": unit_value})
    if org_unit:
        get_object_or_404(org_unit_list(), pk=org_unit)
    min_fit = _float_filter(request, "min_fit", _("Adéquation minimale"))
    interested = request.GET.get("interested") == "1"
    scenario, scenarios = _scenario_filter(request)
    candidates = selectors.job_candidates(user=request.user, job=job, limit=50, org_unit=org_unit,
                                          min_fit=min_fit, interested_only=interested, scenario=scenario)
    gap = selectors.scenario_gap(scenario=scenario, job=job) if scenario else None
    return render(request, "mobility/job_candidates.html", {
        "job": job, "candidates": candidates, "org_units": org_unit_list(), "org_unit": org_unit,
        "min_fit": request.GET.get("min_fit", ""), "interested": interested, "scenario": scenario,
        "scenarios": scenarios, "gap": gap,
    })


# --- Training catalogue ----------------------------------------------------------------------------------

def _skills_from_post(request) -> list[tuple[int, int]]:
    pairs = []
    for skill, level in zip(request.POST.getlist("skill"), request.POST.getlist("level"), strict=False):
        skill_id, level_value = _int_or_none(skill), _int_or_none(level)
        if skill_id is None:
            continue
        if level_value is None:
            raise ApplicationError(_("Indiquez le niveau atteint pour chaque compétence choisie."))
        pairs.append((skill_id, level_value))
    return pairs


def _save_from_post(request, training=None) -> Training:
    return services.training_save(
        training=training, title=request.POST.get("title", ""), provider=request.POST.get("provider", ""),
        cost=request.POST.get("cost") or "0", hours=request.POST.get("hours") or "0",
        cpf=request.POST.get("cpf") == "1", modality=request.POST.get("modality", ""),
        sessions=request.POST.get("sessions", ""), skills=_skills_from_post(request))


@right_required("trainings.view")
def training_list_page(request):
    can_edit = has_right(request.user, "trainings.edit")
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        try:
            training = _save_from_post(request)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Formation « %(title)s » ajoutée au catalogue.") % {"title": training.title})
            return redirect("mobility:training_list")
    search = request.GET.get("q", "").strip()
    return render(request, "mobility/training_list.html", {
        "trainings": selectors.training_list(search=search), "search": search, "can_edit": can_edit,
        "skills": org_skill_list(), "levels": [lv for lv in skill_levels() if lv.value >= 1],
        "modalities": Training.Modality.choices, "rows": range(3),
    })


@right_required("trainings.edit")
def training_edit_page(request, training_id: int):
    training = get_object_or_404(selectors.training_list(), pk=training_id)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "delete":
                services.training_delete(training=training)
                messages.success(request, _("Formation « %(title)s » retirée du catalogue.") % {"title": training.title})
                return redirect("mobility:training_list")
            training = _save_from_post(request, training)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Formation « %(title)s » enregistrée.") % {"title": training.title})
            return redirect("mobility:training_list")
    return render(request, "mobility/training_edit.html", {
        "training": training, "current": list(training.skills.all()), "skills": org_skill_list(),
        "levels": [lv for lv in skill_levels() if lv.value >= 1], "modalities": Training.Modality.choices,
        "rows": range(3),
    })


@right_required("trainings.edit")
@require_POST
def training_import_page(request):
    from .catalogue_import import training_import

    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choisissez un fichier .xlsx ou .csv à importer."))
        return redirect("mobility:training_list")
    result = training_import(upload=upload)
    if result.file_error:
        messages.error(request, result.file_error)
    else:
        messages.success(request, _("%(created)s formation(s) ajoutée(s), %(updated)s mise(s) à jour, %(rejected)s "
                                    "ligne(s) refusée(s).") % {"created": result.created, "updated": result.updated,
                                                               "rejected": len(result.rejected_rows)})
    return render(request, "mobility/training_import.html", {"result": result})


# --- Organisation-wide plans -----------------------------------------------------------------------------

@right_required("mobility.plan")
def plan_list(request):
    from foresight.selectors import scenario_list

    from .models import MobilityPlan
    from .planning import mobility_plan_create

    if request.method == "POST":
        from foresight.models import Scenario

        scenario = get_object_or_404(Scenario, pk=_int_or_none(request.POST.get("scenario")))
        try:
            min_fit = float((request.POST.get("min_fit") or "0").replace(",", ".")) / 100
        except ValueError:
            min_fit = -1
        try:
            plan = mobility_plan_create(scenario=scenario, user=request.user,
                                        interested_only=request.POST.get("interested_only") == "1",
                                        shrinking_jobs_only=request.POST.get("shrinking_jobs_only") == "1",
                                        min_fit=min_fit)
        except ApplicationError:
            messages.error(request, _("Adéquation minimale : indiquez un pourcentage entre 0 et 100 (ex. 60)."))
        else:
            messages.success(request, _("Plan lancé : il se calcule en arrière-plan."))
            return redirect("mobility:plan_detail", plan_id=plan.pk)
    return render(request, "mobility/plan_list.html", {
        "scenarios": scenario_list(), "plans": MobilityPlan.objects.all()[:30],
        "scenario_names": dict(scenario_list().values_list("pk", "name")),
    })


@right_required("mobility.plan")
def plan_detail(request, plan_id: int):
    from .models import MobilityPlan

    plan = get_object_or_404(MobilityPlan, pk=plan_id)
    return render(request, "mobility/plan_detail.html", {"plan": plan, "view": selectors.plan_view(plan=plan)})


@right_required("mobility.plan")
def plan_export(request, plan_id: int):
    from django.http import HttpResponse

    from .export import plan_workbook
    from .models import MobilityPlan

    plan = get_object_or_404(MobilityPlan, pk=plan_id, status=MobilityPlan.Status.DONE)
    response = HttpResponse(plan_workbook(selectors.plan_view(plan=plan)),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="plan-mobilite-{plan.pk}.xlsx"'
    return response
