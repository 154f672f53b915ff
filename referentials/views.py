"""Referential browser: ROME occupations with search, and one occupation's page."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from accounts.permissions import right_required

from . import selectors
from .models import Occupation, ReferentialVersion


@right_required("referentials.view")
def occupation_list(request):
    search = request.GET.get("q", "").strip()
    page = Paginator(selectors.occupation_list(search=search), 50).get_page(request.GET.get("page"))
    return render(request, "referentials/occupation_list.html", {
        "page": page,
        "search": search,
        "version": ReferentialVersion.objects.filter(name="rome").first(),
    })


@right_required("referentials.view")
def occupation_detail(request, code: str):
    try:
        occupation = selectors.occupation_get(code=code)
    except Occupation.DoesNotExist:
        raise Http404 from None
    return render(request, "referentials/occupation_detail.html", {
        "occupation": occupation,
        "skills": selectors.occupation_skills_by_role(occupation),
    })
