"""The review queue (« À valider »): jobs and skills whose engine suggestions wait for a decision."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.permissions import has_right, require_right, right_required
from core.errors import ApplicationError
from workforce import services as workforce_services
from workforce.models import OccupationSuggestion

from .. import services
from ..models import SkillMapping
from ..review import ACCEPT_ALL_THRESHOLD, review_accept_above, review_queue
from .forms import int_or_none

QUEUE_PAGE_SIZE = 100
KINDS = ("", "job", "skill")


def _accept_job(request, core_skills: bool) -> None:
    require_right(request.user, "jobs.edit")
    suggestion = get_object_or_404(OccupationSuggestion.objects.select_related("job"),
                                   pk=int_or_none(request.POST.get("suggestion")))
    added = workforce_services.occupation_suggestion_accept(suggestion=suggestion, user=request.user,
                                                            core_skills=core_skills)
    text = _("« %(title)s » est relié à la fiche %(code)s – %(label)s.") % {
        "title": suggestion.job.title, "code": suggestion.rome_code, "label": suggestion.label}
    if core_skills:
        text += " " + ngettext("%(count)s compétence clé requise.", "%(count)s compétences clés requises.",
                               added) % {"count": added}
    messages.success(request, text)


def _review_post(request) -> None:
    action = request.POST.get("action")
    if action in ("accept_job", "accept_job_core"):
        _accept_job(request, core_skills=action == "accept_job_core")
    elif action == "reject_job":
        require_right(request.user, "jobs.edit")
        suggestion = get_object_or_404(OccupationSuggestion.objects.select_related("job"),
                                       pk=int_or_none(request.POST.get("suggestion")))
        workforce_services.occupation_suggestion_reject(suggestion=suggestion, user=request.user)
        messages.success(request, _("Fiche %(code)s rejetée pour « %(title)s ».")
                         % {"code": suggestion.rome_code, "title": suggestion.job.title})
    elif action in ("accept_skill", "reject_skill"):
        mapping = get_object_or_404(SkillMapping.objects.select_related("org_skill", "rome_skill", "esco_skill"),
                                    pk=int_or_none(request.POST.get("mapping")))
        if mapping.status != SkillMapping.Status.SUGGESTED:
            raise ApplicationError(_("Cette suggestion pour « %(skill)s » a déjà été traitée.")
                                   % {"skill": mapping.org_skill.label})
        accept = action == "accept_skill"
        services.mapping_review(mappings=[mapping], user=request.user,
                                status=SkillMapping.Status.ACCEPTED if accept else SkillMapping.Status.REJECTED)
        target = (mapping.rome_skill or mapping.esco_skill).label
        text = (_("« %(skill)s » est rapprochée de « %(target)s ».") if accept
                else _("Suggestion « %(target)s » rejetée pour « %(skill)s »."))
        messages.success(request, text % {"skill": mapping.org_skill.label, "target": target})
    elif action == "accept_above":
        require_right(request.user, "jobs.edit")
        jobs, skills = review_accept_above(user=request.user)
        messages.success(request, _("Au-dessus de %(threshold)s : %(jobs)s emploi(s) relié(s) à leur fiche ROME, "
                                    "%(skills)s compétence(s) rapprochée(s).")
                         % {"threshold": formats.number_format(ACCEPT_ALL_THRESHOLD, 1), "jobs": jobs,
                            "skills": skills})
    else:
        raise ApplicationError(_("Action inconnue : choisissez accepter ou rejeter."))


@right_required("mappings.review")
def review_queue_page(request):
    """Jobs and skills waiting for a decision on the engine's suggestion, the most confident first, with
    accept / reject per line and « Tout accepter au-dessus de 0,9 »."""
    kind = request.GET.get("nature", "") if request.GET.get("nature", "") in KINDS else ""
    if request.method == "POST":
        try:
            _review_post(request)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        return redirect(request.get_full_path())
    lines = review_queue(kind=kind)
    page = Paginator(lines, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "skills_matrix/review_queue.html", {
        "page": page, "lines": page.object_list, "kind": kind, "total": len(lines),
        "above": sum(1 for line in lines if line.confidence >= ACCEPT_ALL_THRESHOLD),
        "threshold": ACCEPT_ALL_THRESHOLD, "can_link_jobs": has_right(request.user, "jobs.edit"),
    })
