"""Review of the mappings of the organisation's skills onto the ROME and ESCO skills."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.permissions import right_required
from core.errors import ApplicationError

from .. import selectors, services
from ..models import OrgSkill, SkillMapping
from .forms import int_or_none

# Skills sent to the mapping engine per click: keeps the request short.
SUGGEST_BATCH = 200
LIST_PAGE_SIZE = 50
# ROME/ESCO candidates listed when a skill is mapped by hand.
STANDARD_CANDIDATES = 15


# Tabs of the mapping review page: the queue, the accepted mappings, the skills without one.
MAPPING_TABS = ("a_revoir", "acceptees", "sans_correspondance")


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
        skill = get_object_or_404(OrgSkill, pk=int_or_none(request.POST.get("skill")))
        mapping = services.mapping_create(skill=skill, source=request.POST.get("source", ""),
                                          code=request.POST.get("code", ""), user=request.user)
        target = mapping.rome_skill or mapping.esco_skill
        messages.success(request, _("« %(skill)s » est rapprochée de « %(target)s » (correspondance acceptée).")
                         % {"skill": skill.label, "target": target.label})
    elif action == "cancel":
        mapping = get_object_or_404(SkillMapping.objects.select_related("org_skill", "rome_skill", "esco_skill"),
                                    pk=int_or_none(request.POST.get("mapping")))
        services.mapping_cancel(mapping=mapping, user=request.user)
        target = mapping.rome_skill or mapping.esco_skill
        messages.success(request, _("Correspondance « %(skill)s » → « %(target)s » annulée (rejetée).")
                         % {"skill": mapping.org_skill.label, "target": target.label})
    else:
        status = {"accept": SkillMapping.Status.ACCEPTED, "reject": SkillMapping.Status.REJECTED}.get(action)
        ids = {i for i in map(int_or_none, request.POST.getlist("mapping")) if i}
        mappings = list(SkillMapping.objects.filter(pk__in=ids))
        if len(mappings) != len(ids):
            raise Http404
        count = services.mapping_review(mappings=mappings, status=status or "", user=request.user)
        text = (_("%(count)s correspondance(s) acceptée(s) ; les autres suggestions de ces compétences sont "
                  "rejetées.") if status == SkillMapping.Status.ACCEPTED
                else _("%(count)s correspondance(s) rejetée(s)."))
        messages.success(request, text % {"count": count})


def _standard_candidates(text: str) -> list[dict]:
    """ROME/ESCO skills to map a skill onto: the mapping engine's candidates for ``text`` first, with their
    confidence (its sentence encoder blended with the words when it is on), then the skills containing
    every word of ``text`` that the engine did not propose (no confidence)."""
    from referentials.selectors import item_out, skill_search
    from referentials.suggest import suggest_skills

    results = [{"source": s.source, "code": s.code, "label": s.label, "confidence": s.confidence}
               for s in suggest_skills(text, k=STANDARD_CANDIDATES)]
    seen = {(r["source"], r["code"]) for r in results}
    for row in skill_search(search=text)[:STANDARD_CANDIDATES]:
        item = item_out(row)
        if (item["source"], item["code"]) not in seen:
            results.append({"source": item["source"], "code": item["code"], "label": item["label"],
                            "confidence": None})
    return results


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
        map_skill = get_object_or_404(OrgSkill, pk=int_or_none(request.GET.get("rapprocher")))
        standard = standard or map_skill.label
        results = _standard_candidates(standard)
    return render(request, "skills_matrix/mapping_review.html", {
        "tab": tab, "search": search, "page": page, "skills": page.object_list,
        "counts": {name: _mapping_tab_skills(name, "").count() for name in MAPPING_TABS},
        "pending_count": selectors.org_skill_list(needs_mapping=True).count(),
        "map_skill": map_skill, "standard": standard, "results": results,
        "querystring": urlencode({"vue": tab, "q": search}),
    })
