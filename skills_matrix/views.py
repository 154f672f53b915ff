"""Pages of the skills matrix: heat map and export, employee profile, jobs, mapping review, level scale."""

import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import has_any_right, has_right, require_right, right_required
from core.errors import ApplicationError
from workforce.models import Job
from workforce.selectors import employee_visible_qs, job_list, org_unit_list

from . import selectors, services
from .export import matrix_workbook
from .models import EmployeeSkill, JobRequirement, OrgSkill, SkillKind, SkillMapping

VIEW_MATRIX = ("skills.view_all", "skills.view_team")
VIEW_SKILLS = ("skills.view_all", "skills.view_team", "skills.view_self")
MATRIX_PAGE_SIZE = 50
# Skills sent to the mapping engine per click: keeps the request short.
SUGGEST_BATCH = 200


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _date_or_none(value: str | None, request=None):
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value.strip())
    except ValueError:
        if request is not None:
            messages.error(request, _("Date « %(value)s » illisible : utilisez le format AAAA-MM-JJ.")
                           % {"value": value})
        return None


def _date_field(value: str | None) -> datetime.date | None:
    """A date typed in a form: empty is ``None``, anything but AAAA-MM-JJ is refused."""
    if not (value or "").strip():
        return None
    try:
        return datetime.date.fromisoformat(value.strip())
    except ValueError as exc:
        raise ApplicationError(_("Date « %(value)s » illisible : utilisez le format AAAA-MM-JJ (ex. 2024-12-31).")
                               % {"value": value}) from exc


def _id_filter(request, name: str, what: str) -> int | None:
    value = request.GET.get(name, "").strip()
    number = _int_or_none(value)
    if value and number is None:
        messages.error(request, _("Filtre « %(what)s » : « %(value)s » n'est pas un identifiant ; choisissez dans "
                                  "la liste. Le filtre est ignoré.") % {"what": what, "value": value})
    return number


def _matrix_filters(request) -> dict:
    """Filters from the query string; an unknown unit or job (e.g. another organisation's) is a 404.
    An unreadable value is ignored with a message saying so."""
    kind = request.GET.get("kind", "")
    if kind and kind not in SkillKind.values:
        choices = ", ".join(str(label) for _value, label in SkillKind.choices)
        messages.error(request, _("Nature « %(value)s » inconnue : choisissez parmi %(choices)s. Le filtre est "
                                  "ignoré.") % {"value": kind, "choices": choices})
    filters = {
        "org_unit": _id_filter(request, "org_unit", _("Unité")),
        "job": _id_filter(request, "job", _("Emploi")),
        "kind": kind if kind in SkillKind.values else None,
        "at": _date_or_none(request.GET.get("at"), request),
    }
    if filters["org_unit"]:
        get_object_or_404(org_unit_list(), pk=filters["org_unit"])
    if filters["job"]:
        get_object_or_404(job_list(), pk=filters["job"])
    return filters


@right_required(*VIEW_MATRIX)
def matrix(request):
    filters = _matrix_filters(request)
    wanted = max(_int_or_none(request.GET.get("page")) or 1, 1)
    result = selectors.skill_matrix(user=request.user, **filters, offset=(wanted - 1) * MATRIX_PAGE_SIZE,
                                    limit=MATRIX_PAGE_SIZE)
    page = Paginator(range(result.employee_total), MATRIX_PAGE_SIZE).get_page(wanted)
    if page.number != wanted:
        result = selectors.skill_matrix(user=request.user, **filters, offset=max(page.start_index() - 1, 0),
                                        limit=MATRIX_PAGE_SIZE)
    rows = []
    for index in range(len(result.employees)):
        cells = [
            {"level": int(result.levels[index, col]), "target": int(result.targets[index, col]),
             "gap": int(result.gaps[index, col])}
            for col in range(len(result.skills))
        ]
        rows.append({"employee": result.employees[index], "cells": cells,
                     "gap_count": int(result.summary.gaps_per_employee[index])})
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "skills_matrix/matrix.html", {
        "matrix": result, "rows": rows, "page": page, "filters": filters, "querystring": query.urlencode(),
        "org_units": org_unit_list(), "jobs": job_list(), "kinds": SkillKind.choices,
        "levels": selectors.skill_levels(), "can_edit_levels": has_right(request.user, "skills.edit"),
    })


@right_required(*VIEW_MATRIX)
def matrix_export(request):
    filters = _matrix_filters(request)
    result = selectors.skill_matrix(user=request.user, **filters)
    scale = list(selectors.skill_levels().values_list("value", "label"))
    described = selectors.matrix_filter_labels(org_unit=filters["org_unit"], job=filters["job"], kind=filters["kind"])
    response = HttpResponse(
        matrix_workbook(result, scale, described),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    stamp = (result.at or datetime.date.today()).isoformat()
    response["Content-Disposition"] = f'attachment; filename="matrice-competences-{stamp}.xlsx"'
    return response


@right_required(*VIEW_SKILLS)
def employee_skills(request, staff_number: str):
    employee = get_object_or_404(employee_visible_qs(request.user), staff_number=staff_number)
    own = request.user.employee_id == employee.pk
    can_assess = has_right(request.user, "skills.self_assess") if own else has_right(request.user, "skills.assess")
    if request.method == "POST":
        if not can_assess:
            raise PermissionDenied
        try:
            if request.POST.get("action") == "withdraw":
                skill = get_object_or_404(OrgSkill, pk=_int_or_none(request.POST.get("skill")))
                services.employee_skill_withdraw(user=request.user, employee=employee, skill=skill)
                done = _("Niveau retiré pour « %(skill)s » (l'historique le conserve).")
            else:
                skill = _skill_from_post(request)
                services.employee_skill_assess(
                    user=request.user, employee=employee, skill=skill,
                    level=_required_int(request.POST.get("level"), _("le niveau")),
                    status=request.POST.get("status") or None, source=request.POST.get("source") or None,
                    assessed_on=_date_field(request.POST.get("assessed_on")),
                )
                done = _("Niveau enregistré pour « %(skill)s ».")
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, done % {"skill": skill.label})
            return redirect("skills_matrix:employee_skills", staff_number=employee.staff_number)
    at = _date_or_none(request.GET.get("at"), request)
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


def _required_int(value, what: str) -> int:
    number = _int_or_none(value)
    if number is None:
        raise ApplicationError(_("Indiquez %(what)s (un nombre entier).") % {"what": what})
    return number


def _skill_from_post(request) -> OrgSkill:
    skill_id = _int_or_none(request.POST.get("skill"))
    if skill_id:
        return get_object_or_404(OrgSkill, pk=skill_id)
    label = request.POST.get("skill_label", "").strip()
    if label and has_right(request.user, "skills.edit"):
        return services.org_skill_get_or_create(label=label)
    raise ApplicationError(_("Choisissez une compétence dans la liste."))


@right_required("jobs.view")
def job_list_page(request):
    search = request.GET.get("q", "").strip()
    occupation_search = request.GET.get("rome", "").strip()
    occupations = []
    if occupation_search:
        from referentials.selectors import occupation_list

        occupations = list(occupation_list(search=occupation_search)[:20])
    return render(request, "skills_matrix/job_list.html", {
        "jobs": selectors.job_list_with_counts(search=search), "search": search,
        "occupation_search": occupation_search, "occupations": occupations,
        "can_edit": has_right(request.user, "jobs.edit"),
    })


@require_POST
@right_required("jobs.edit")
def job_create_page(request):
    try:
        if request.POST.get("occupation_code"):
            job = services.job_create_from_rome(occupation_code=request.POST["occupation_code"],
                                                title=request.POST.get("title", "").strip() or None,
                                                user=request.user)
        else:
            job = services.job_create(title=request.POST.get("title", ""), code=request.POST.get("code", ""))
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("skills_matrix:job_list")
    messages.success(request, _("Emploi « %(title)s » créé.") % {"title": job.title})
    return redirect("skills_matrix:job_detail", job_id=job.pk)


@right_required("jobs.view")
def job_detail(request, job_id: int):
    job = get_object_or_404(Job, pk=job_id)
    if request.method == "POST":
        require_right(request.user, "jobs.edit")
        try:
            _job_post(request, job)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            return redirect("skills_matrix:job_detail", job_id=job.pk)
    from referentials.models import Occupation
    from referentials.selectors import occupation_list

    occupation = Occupation.objects.filter(code=job.rome_code).first() if job.rome_code else None
    occupation_search = request.GET.get("rome", "").strip()
    occupations = list(occupation_list(search=occupation_search)[:20]) if occupation_search else []
    return render(request, "skills_matrix/job_detail.html", {
        "job": job, "requirements": selectors.job_requirements(job=job), "occupation": occupation,
        "occupation_search": occupation_search, "occupations": occupations,
        "skills": selectors.org_skill_list(),
        "levels": selectors.skill_levels().filter(value__gte=1), "can_edit": has_right(request.user, "jobs.edit"),
        "can_view_matrix": has_any_right(request.user, *VIEW_MATRIX),
    })


def _job_post(request, job: Job) -> None:
    action = request.POST.get("action")
    if action == "remove":
        requirement = get_object_or_404(JobRequirement, pk=_int_or_none(request.POST.get("requirement")), job=job)
        label = requirement.skill.label
        services.job_requirement_delete(requirement=requirement)
        messages.success(request, _("« %(skill)s » n'est plus requise.") % {"skill": label})
        return
    if action == "rome_core":
        added = services.job_requirements_from_rome(job=job, user=request.user)
        if added:
            messages.success(request, _("%(count)s compétence(s) clé(s) de la fiche ROME %(code)s ajoutée(s) ; "
                                        "les exigences déjà présentes sont inchangées.")
                             % {"count": added, "code": job.rome_code})
        else:
            messages.success(request, _("Aucune compétence ajoutée : l'emploi requiert déjà toutes les "
                                        "compétences clés de la fiche ROME %(code)s.") % {"code": job.rome_code})
        return
    if action == "rome":
        services.job_update(job=job, rome_code=request.POST.get("rome_code", ""))
        if job.rome_code:
            messages.success(request, _("Emploi relié à la fiche ROME %(code)s.") % {"code": job.rome_code})
        else:
            messages.success(request, _("L'emploi n'est plus relié à une fiche ROME."))
        return
    skill = _skill_from_post(request)
    weight = request.POST.get("weight", "1").replace(",", ".")
    try:
        weight = float(weight)
    except ValueError as exc:
        raise ApplicationError(_("Poids « %(value)s » illisible : saisissez un nombre (ex. 1).")
                               % {"value": weight}) from exc
    services.job_requirement_set(
        job=job, skill=skill, target_level=_required_int(request.POST.get("target_level"), _("le niveau requis")),
        weight=weight, critical=bool(request.POST.get("critical")),
    )
    messages.success(request, _("Exigence enregistrée pour « %(skill)s ».") % {"skill": skill.label})


# Tabs of the mapping review page: the queue, the accepted mappings, the skills without one.
MAPPING_TABS = ("a_revoir", "acceptees", "sans_correspondance")
LIST_PAGE_SIZE = 50


def _mapping_tab_skills(tab: str, search: str):
    qs = selectors.org_skill_list(search=search)
    if tab == "acceptees":
        accepted = selectors.mapping_list(status=SkillMapping.Status.ACCEPTED)
        return (qs.filter(mappings__status=SkillMapping.Status.ACCEPTED).distinct()
                .prefetch_related(Prefetch("mappings", queryset=accepted, to_attr="accepted")))
    if tab == "sans_correspondance":
        return qs.exclude(mappings__status=SkillMapping.Status.ACCEPTED)
    return selectors.mappings_to_review().filter(pk__in=qs.values("pk"))


def _mapping_post(request) -> None:
    action = request.POST.get("action")
    if action == "suggest":
        pending = list(selectors.org_skill_list(needs_mapping=True)[:SUGGEST_BATCH])
        count = services.org_skill_mappings_suggest(skills=pending)
        messages.success(request, _("%(count)s suggestion(s) calculée(s) pour %(skills)s compétence(s).")
                         % {"count": count, "skills": len(pending)})
    elif action == "map":
        skill = get_object_or_404(OrgSkill, pk=_int_or_none(request.POST.get("skill")))
        mapping = services.mapping_create(skill=skill, source=request.POST.get("source", ""),
                                          code=request.POST.get("code", ""), user=request.user)
        target = mapping.rome_skill or mapping.esco_skill
        messages.success(request, _("« %(skill)s » est rapprochée de « %(target)s » (correspondance acceptée).")
                         % {"skill": skill.label, "target": target.label})
    elif action == "cancel":
        mapping = get_object_or_404(SkillMapping.objects.select_related("org_skill", "rome_skill", "esco_skill"),
                                    pk=_int_or_none(request.POST.get("mapping")))
        services.mapping_cancel(mapping=mapping, user=request.user)
        target = mapping.rome_skill or mapping.esco_skill
        messages.success(request, _("Correspondance « %(skill)s » → « %(target)s » annulée (rejetée).")
                         % {"skill": mapping.org_skill.label, "target": target.label})
    else:
        status = {"accept": SkillMapping.Status.ACCEPTED, "reject": SkillMapping.Status.REJECTED}.get(action)
        ids = {i for i in map(_int_or_none, request.POST.getlist("mapping")) if i}
        mappings = list(SkillMapping.objects.filter(pk__in=ids))
        if len(mappings) != len(ids):
            raise Http404
        count = services.mapping_review(mappings=mappings, status=status or "", user=request.user)
        text = (_("%(count)s correspondance(s) acceptée(s) ; les autres suggestions de ces compétences sont "
                  "rejetées.") if status == SkillMapping.Status.ACCEPTED
                else _("%(count)s correspondance(s) rejetée(s)."))
        messages.success(request, text % {"count": count})


@right_required("mappings.review")
def mapping_review(request):
    """The queue of suggestions, the accepted mappings (with « annuler ») and the skills without one; each
    skill can be mapped by hand onto a ROME/ESCO skill searched in the shared referential."""
    if request.method == "POST":
        try:
            _mapping_post(request)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        tab = request.POST.get("vue")
        query = urlencode({"vue": tab if tab in MAPPING_TABS else MAPPING_TABS[0], "q": request.POST.get("q", "")})
        return redirect(f"{reverse('skills_matrix:mapping_review')}?{query}")
    tab = request.GET.get("vue") if request.GET.get("vue") in MAPPING_TABS else MAPPING_TABS[0]
    search = request.GET.get("q", "").strip()
    page = Paginator(_mapping_tab_skills(tab, search), LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    map_skill, standard, results = None, request.GET.get("standard", "").strip(), []
    if request.GET.get("rapprocher"):
        from referentials.selectors import item_out, skill_search

        map_skill = get_object_or_404(OrgSkill, pk=_int_or_none(request.GET.get("rapprocher")))
        standard = standard or map_skill.label
        results = [item_out(row) for row in skill_search(search=standard)[:15]]
    return render(request, "skills_matrix/mapping_review.html", {
        "tab": tab, "search": search, "page": page, "skills": page.object_list,
        "counts": {name: _mapping_tab_skills(name, "").count() for name in MAPPING_TABS},
        "pending_count": selectors.org_skill_list(needs_mapping=True).count(),
        "map_skill": map_skill, "standard": standard, "results": results,
        "querystring": urlencode({"vue": tab, "q": search}),
    })


def _kind_filter(request) -> str:
    kind = request.GET.get("kind", "")
    if kind and kind not in SkillKind.values:
        choices = ", ".join(str(label) for _value, label in SkillKind.choices)
        messages.error(request, _("Nature « %(value)s » inconnue : choisissez parmi %(choices)s. Le filtre est "
                                  "ignoré.") % {"value": kind, "choices": choices})
        return ""
    return kind


@right_required("skills.edit")
def skill_list_page(request):
    """The organisation's own skills: search, kind filter, what uses each, and a form to add one."""
    if request.method == "POST":
        try:
            skill = services.org_skill_create(label=request.POST.get("label", ""), kind=request.POST.get("kind", ""),
                                              description=request.POST.get("description", "").strip())
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect("skills_matrix:skill_list")
        messages.success(request, _("Compétence « %(label)s » créée.") % {"label": skill.label})
        return redirect("skills_matrix:skill_list")
    search, kind = request.GET.get("q", "").strip(), _kind_filter(request)
    page = Paginator(selectors.org_skill_list(search=search, kind=kind), LIST_PAGE_SIZE).get_page(
        request.GET.get("page"))
    usage = services.org_skill_usage(skill_ids=[s.pk for s in page.object_list])
    rows = [{"skill": s, "usage": usage.get(s.pk, services.SkillUsage())} for s in page.object_list]
    return render(request, "skills_matrix/skill_list.html", {
        "page": page, "rows": rows, "search": search, "kind": kind, "kinds": SkillKind.choices,
        "querystring": urlencode({"q": search, "kind": kind}),
    })


@right_required("skills.edit")
def skill_edit_page(request, skill_id: int):
    skill = get_object_or_404(OrgSkill, pk=skill_id)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "delete":
                label = skill.label
                services.org_skill_delete(skill=skill)
                messages.success(request, _("Compétence « %(label)s » supprimée.") % {"label": label})
                return redirect("skills_matrix:skill_list")
            services.org_skill_update(skill=skill, label=request.POST.get("label", ""),
                                      kind=request.POST.get("kind", ""),
                                      description=request.POST.get("description", "").strip())
        except ApplicationError as exc:
            messages.error(request, exc.message)
            skill.refresh_from_db()
        else:
            messages.success(request, _("Compétence « %(label)s » enregistrée.") % {"label": skill.label})
            return redirect("skills_matrix:skill_edit", skill_id=skill.pk)
    return render(request, "skills_matrix/skill_edit.html", {
        "skill": skill, "kinds": SkillKind.choices,
        "usage": services.org_skill_usage(skill_ids=[skill.pk]).get(skill.pk, services.SkillUsage()),
        "mappings": selectors.mapping_list(skill=skill, status=SkillMapping.Status.ACCEPTED),
    })


@right_required("skills.edit")
def level_scale(request):
    levels = list(selectors.skill_levels())
    if request.method == "POST":
        try:
            for level in levels:
                services.skill_level_update(
                    level=level, label=request.POST.get(f"label-{level.value}", level.label),
                    description=request.POST.get(f"description-{level.value}", level.description),
                )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Échelle des niveaux enregistrée."))
            return redirect("skills_matrix:levels")
    return render(request, "skills_matrix/levels.html", {"levels": levels})


@login_required
def my_skills(request):
    if not request.user.employee_id:
        messages.error(request, _("Votre compte n'est relié à aucune fiche salarié."))
        return redirect("dashboard")
    return redirect("skills_matrix:employee_skills", staff_number=request.user.employee.staff_number)

