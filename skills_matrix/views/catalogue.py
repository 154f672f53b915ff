"""The catalogue of the organisation's own skills: list, add, edit, delete."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts.permissions import right_required
from core.errors import ApplicationError

from .. import selectors, services
from ..models import OrgSkill, SkillKind, SkillMapping

LIST_PAGE_SIZE = 50


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
