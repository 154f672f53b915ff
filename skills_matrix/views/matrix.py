"""The heat map of employees × skills and its workbook export."""

import datetime

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.permissions import has_right, right_required
from workforce.selectors import job_list, org_unit_list

from .. import selectors
from ..export import matrix_workbook
from ..models import SkillKind
from .forms import date_or_none, int_or_none

VIEW_MATRIX = ("skills.view_all", "skills.view_team")
MATRIX_PAGE_SIZE = 50


def _id_filter(request, name: str, what: str) -> int | None:
    value = request.GET.get(name, "").strip()
    number = int_or_none(value)
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
        "at": date_or_none(request.GET.get("at"), request),
    }
    if filters["org_unit"]:
        get_object_or_404(org_unit_list(), pk=filters["org_unit"])
    if filters["job"]:
        get_object_or_404(job_list(), pk=filters["job"])
    return filters


def _grouping(request) -> str:
    """Columns grouped by nature unless the page asks otherwise (``group=family``, ``group=none``)."""
    value = request.GET.get("group", "kind")
    return value if value in selectors.MATRIX_GROUPINGS else ""


GROUPING_CHOICES = (("kind", gettext_lazy("par nature")), ("family", gettext_lazy("par famille ROME")),
                    ("none", gettext_lazy("sans regroupement")))


@right_required(*VIEW_MATRIX)
def matrix(request):
    filters = _matrix_filters(request)
    grouping = _grouping(request)
    compact = request.GET.get("compact") == "1"
    wanted = max(int_or_none(request.GET.get("page")) or 1, 1)
    result = selectors.skill_matrix(user=request.user, **filters, offset=(wanted - 1) * MATRIX_PAGE_SIZE,
                                    limit=MATRIX_PAGE_SIZE, grouping=grouping)
    page = Paginator(range(result.employee_total), MATRIX_PAGE_SIZE).get_page(wanted)
    if page.number != wanted:
        result = selectors.skill_matrix(user=request.user, **filters, offset=max(page.start_index() - 1, 0),
                                        limit=MATRIX_PAGE_SIZE, grouping=grouping)
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
    toggled = query.copy()
    if compact:
        toggled.pop("compact", None)
    else:
        toggled["compact"] = "1"
    return render(request, "skills_matrix/matrix.html", {
        "matrix": result, "rows": rows, "page": page, "filters": filters, "querystring": query.urlencode(),
        "compact": compact, "compact_toggle": toggled.urlencode(), "grouping": grouping or "none",
        "grouping_choices": GROUPING_CHOICES,
        "skill_totals": list(zip(result.skills, result.totals.gaps_per_skill.tolist(), strict=True)),
        "org_units": org_unit_list(), "jobs": job_list(), "kinds": SkillKind.choices,
        "levels": selectors.skill_levels(), "can_edit_levels": has_right(request.user, "skills.edit"),
    })


@right_required(*VIEW_MATRIX)
def matrix_export(request):
    filters = _matrix_filters(request)
    result = selectors.skill_matrix(user=request.user, **filters, grouping=_grouping(request))
    scale = list(selectors.skill_levels().values_list("value", "label"))
    described = selectors.matrix_filter_labels(org_unit=filters["org_unit"], job=filters["job"], kind=filters["kind"])
    response = HttpResponse(
        matrix_workbook(result, scale, described),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    stamp = (result.at or datetime.date.today()).isoformat()
    response["Content-Disposition"] = f'attachment; filename="matrice-competences-{stamp}.xlsx"'
    return response
