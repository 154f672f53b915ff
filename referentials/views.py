"""Referential browser: ROME (and ESCO) occupations with search, and one ROME occupation's page."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from accounts.permissions import right_required

from . import selectors
from .models import Occupation, ReferentialVersion


@right_required("referentials.view")
def occupation_list(request):
    search = request.GET.get("q", "").strip()
    source = request.GET.get("source", "rome")
    if source not in selectors.SOURCE_CHOICES:
        source = "rome"
    qs = selectors.occupation_search(search=search, sources=selectors.SOURCE_CHOICES[source])
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    page.object_list = [selectors.item_out(row) for row in page.object_list]
    return render(request, "referentials/occupation_list.html", {
        "page": page,
        "search": search,
        "source": source,
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
