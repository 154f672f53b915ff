"""Pages of foresight ("Prévisions"): the scenarios (list, create, edit with their needs and per-job or per-unit
assumptions, copy, delete), the dashboard of one scenario and two scenarios side by side."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import has_right, right_required
from core.errors import ApplicationError
from skills_matrix.selectors import org_skill_list, skill_levels
from workforce.models import ContractType, OrgUnit

from . import dashboard, selectors, services
from .diagnostic import diagnostic_get
from .forms import (
    JobOverrideForm,
    NeedForm,
    ScenarioForm,
    UnitOverrideForm,
    add_service_errors,
    need_skill_rows,
    pct_to_rate,
)
from .models import JobNeed, JobNeedSkill, JobOverride, OrgUnitOverride, Scenario

VIEW = ("foresight.view", "foresight.view_team")
SKILL_ROWS = 3


def _scenario(pk: int) -> Scenario:
    return get_object_or_404(selectors.scenario_list(), pk=pk)


@right_required(*VIEW)
def scenario_list(request):
    scenarios = list(selectors.scenario_list().prefetch_related("needs"))
    return render(request, "foresight/scenario_list.html", {
        "scenarios": scenarios, "can_edit": has_right(request.user, "foresight.edit"),
        "can_compare": has_right(request.user, "foresight.view") and len(scenarios) >= 2,
    })


@right_required("foresight.edit")
def scenario_create(request):
    form = ScenarioForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            scenario = services.scenario_create(**form.values())
        except ApplicationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Scénario « %(name)s » créé : indiquez maintenant les besoins par emploi.")
                             % {"name": scenario.name})
            return redirect("foresight:scenario_edit", scenario.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "foresight/scenario_form.html", {"form": form, "scenario": None}, status=status)


def _edit_context(scenario: Scenario, **forms) -> dict:
    needs = list(scenario.needs.select_related("job").prefetch_related("skills__skill"))
    return {
        "scenario": scenario, "form": forms.get("form") or ScenarioForm(initial=ScenarioForm.initial_for(scenario)),
        "need_form": forms.get("need_form") or NeedForm(), "needs": needs,
        "need_errors": forms.get("need_errors", []),
        "job_override_form": forms.get("job_override_form") or JobOverrideForm(),
        "unit_override_form": forms.get("unit_override_form") or UnitOverrideForm(),
        "job_overrides": JobOverride.objects.filter(scenario=scenario).select_related("job").order_by("job__title"),
        "unit_overrides": OrgUnitOverride.objects.filter(scenario=scenario).select_related("org_unit")
        .order_by("org_unit__name"),
        "skills": org_skill_list(), "levels": list(skill_levels()), "changes": JobNeedSkill.Change.choices,
        "skill_rows": forms.get("skill_rows") or [{}] * SKILL_ROWS,
    }


@right_required("foresight.edit")
def scenario_edit(request, scenario_id: int):
    scenario = _scenario(scenario_id)
    form = None
    if request.method == "POST":
        form = ScenarioForm(request.POST)
        if form.is_valid():
            try:
                services.scenario_update(scenario=scenario, **form.values())
            except ApplicationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Hypothèses du scénario « %(name)s » enregistrées.") % {"name": scenario.name})
                return redirect("foresight:scenario_edit", scenario.pk)
        scenario.refresh_from_db()
    status = 422 if form is not None else 200
    return render(request, "foresight/scenario_edit.html", _edit_context(scenario, form=form), status=status)


@right_required("foresight.edit")
@require_POST
def need_save(request, scenario_id: int):
    scenario = _scenario(scenario_id)
    form = NeedForm(request.POST)
    skills, row_errors = need_skill_rows(request.POST)
    if form.is_valid() and not row_errors:
        try:
            services.job_need_set(scenario=scenario, job_id=form.cleaned_data["job"].pk, skills=skills,
                                  note=form.cleaned_data["note"], **form.target())
        except ApplicationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Besoin enregistré pour « %(job)s ».") % {"job": form.cleaned_data["job"]})
            return redirect("foresight:scenario_edit", scenario.pk)
    rows = [{"skill": s, "change": c, "level": lv} for s, c, lv in zip(
        request.POST.getlist("skill"), request.POST.getlist("change"), request.POST.getlist("level"), strict=False)]
    rows += [{}] * max(SKILL_ROWS - len(rows), 0)
    if "skills" in form.errors:
        row_errors += form.errors.pop("skills")
    return render(request, "foresight/scenario_edit.html",
                  _edit_context(scenario, need_form=form, need_errors=row_errors, skill_rows=rows), status=422)


@right_required("foresight.edit")
@require_POST
def need_delete(request, scenario_id: int, need_id: int):
    scenario = _scenario(scenario_id)
    need = get_object_or_404(JobNeed.objects.filter(scenario=scenario).select_related("job"), pk=need_id)
    services.job_need_delete(need=need)
    messages.success(request, _("Besoin retiré pour « %(job)s ».") % {"job": need.job.title})
    return redirect("foresight:scenario_edit", scenario.pk)


@right_required("foresight.edit")
@require_POST
def job_override_save(request, scenario_id: int):
    scenario = _scenario(scenario_id)
    form = JobOverrideForm(request.POST)
    if form.is_valid():
        try:
            services.job_override_set(scenario=scenario, job_id=form.cleaned_data["job"].pk,
                                      retirement_age=form.cleaned_data["retirement_age"],
                                      attrition_rate=pct_to_rate(form.cleaned_data["attrition_pct"]))
        except ApplicationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Hypothèse enregistrée pour l'emploi « %(job)s ».")
                             % {"job": form.cleaned_data["job"]})
            return redirect("foresight:scenario_edit", scenario.pk)
    return render(request, "foresight/scenario_edit.html", _edit_context(scenario, job_override_form=form),
                  status=422)


@right_required("foresight.edit")
@require_POST
def unit_override_save(request, scenario_id: int):
    scenario = _scenario(scenario_id)
    form = UnitOverrideForm(request.POST)
    if form.is_valid():
        try:
            services.unit_override_set(scenario=scenario, org_unit_id=form.cleaned_data["org_unit"].pk,
                                       attrition_rate=pct_to_rate(form.cleaned_data["attrition_pct"]))
        except ApplicationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Hypothèse enregistrée pour l'unité « %(unit)s ».")
                             % {"unit": form.cleaned_data["org_unit"]})
            return redirect("foresight:scenario_edit", scenario.pk)
    return render(request, "foresight/scenario_edit.html", _edit_context(scenario, unit_override_form=form),
                  status=422)


@right_required("foresight.edit")
@require_POST
def scenario_copy(request, scenario_id: int):
    scenario = _scenario(scenario_id)
    copy = services.scenario_copy(scenario=scenario)
    messages.success(request, _("Scénario copié sous le nom « %(name)s » : modifiez-le librement.")
                     % {"name": copy.name})
    return redirect("foresight:scenario_edit", copy.pk)


@right_required("foresight.edit")
def scenario_delete(request, scenario_id: int):
    scenario = _scenario(scenario_id)
    if request.method == "POST":
        name = scenario.name
        services.scenario_delete(scenario=scenario)
        messages.success(request, _("Scénario « %(name)s » supprimé.") % {"name": name})
        return redirect("foresight:scenario_list")
    return render(request, "foresight/scenario_delete.html", {"scenario": scenario})


def _filters(request) -> tuple[int | None, str]:
    """The org unit and contract type of the query string; a bad value is reported and ignored."""
    unit_value = request.GET.get("org_unit", "").strip()
    org_unit = None
    if unit_value:
        try:
            org_unit = int(unit_value)
        except ValueError:
            messages.error(request, _("Filtre « Unité » : « %(value)s » n'est pas une unité ; choisissez dans la "
                                      "liste. Le filtre est ignoré.") % {"value": unit_value})
        else:
            if not OrgUnit.objects.filter(pk=org_unit).exists():
                raise Http404
    contract = request.GET.get("contract_type", "").strip()
    if contract and contract not in ContractType.values:
        messages.error(request, _("Filtre « Type de contrat » : « %(value)s » inconnu ; choisissez dans la liste. "
                                  "Le filtre est ignoré.") % {"value": contract})
        contract = ""
    return org_unit, contract


@right_required(*VIEW)
def scenario_dashboard(request, scenario_id: int):
    scenario = _scenario(scenario_id)
    org_unit, contract = _filters(request)
    scope = selectors.scope_for(user=request.user, org_unit=org_unit, contract_type=contract)
    result = diagnostic_get(scenario=scenario, scope=scope)
    full = has_right(request.user, "foresight.view")
    context = dashboard.dashboard_context(result, full=full, named=has_right(request.user, "sensitive.view"),
                                          by_sex=has_right(request.user, "sensitive.view"))
    context.update({
        "scenario": scenario, "team": scope.team is not None, "org_unit": org_unit, "contract_type": contract,
        "org_units": OrgUnit.objects.order_by("name"), "contract_types": ContractType.choices,
        "can_edit": has_right(request.user, "foresight.edit"),
        "others": selectors.scenario_list().exclude(pk=scenario.pk) if full else [],
    })
    return render(request, "foresight/dashboard.html", context)


@right_required("foresight.view")
def scenario_compare(request):
    def pick(name):
        value = request.GET.get(name, "").strip()
        try:
            return _scenario(int(value)) if value else None
        except ValueError:
            raise Http404 from None

    scenarios = selectors.scenario_list()
    a, b = pick("a"), pick("b")
    context = {"scenarios": scenarios, "a": a, "b": b}
    if a and b:
        result_a, result_b = diagnostic_get(scenario=a), diagnostic_get(scenario=b)
        context.update(left=dashboard.compare_context(result_a, "ca"), right=dashboard.compare_context(result_b, "cb"),
                       jobs=dashboard.compare_jobs(result_a, result_b))
    elif request.GET.get("a") or request.GET.get("b"):
        messages.error(request, _("Choisissez deux scénarios à comparer."))
    return render(request, "foresight/compare.html", context)
