"""Pages of the organisation's jobs: list, creation (by hand or from a ROME occupation), and a job's
detail with the skills it requires."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import has_any_right, has_right, require_right, right_required
from core.errors import ApplicationError
from referentials.models import Occupation
from referentials.selectors import occupation_list
from skills_matrix import selectors as skills_selectors
from skills_matrix import services as skills_services
from skills_matrix.models import JobRequirement
from skills_matrix.views.forms import int_or_none, required_int, skill_from_post

from .. import selectors, services
from ..models import Job


@right_required("jobs.view")
def job_list_page(request):
    search = request.GET.get("q", "").strip()
    occupation_search = request.GET.get("rome", "").strip()
    occupations = []
    if occupation_search and services.ROME_CODE.fullmatch(occupation_search.upper()):
        occupations = list(occupation_list(search=occupation_search)[:20])
    elif occupation_search:  # words: the mapping engine's likeliest occupations, with their confidence
        occupations = services.occupation_proposals(occupation_search, k=10, ready_only=True)
    return render(request, "workforce/job_list.html", {
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
        return redirect("workforce:job_list")
    messages.success(request, _("Emploi « %(title)s » créé.") % {"title": job.title})
    return redirect("workforce:job_detail", job_id=job.pk)


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
            return redirect("workforce:job_detail", job_id=job.pk)
    occupation = Occupation.objects.filter(code=job.rome_code).first() if job.rome_code else None
    occupation_search = request.GET.get("rome", "").strip()
    can_edit = has_right(request.user, "jobs.edit")
    return render(request, "workforce/job_detail.html", {
        "job": job, "requirements": skills_selectors.job_requirements(job=job), "occupation": occupation,
        "occupation_search": occupation_search,
        "proposals": _proposals(job, occupation_search) if can_edit else [],
        "skills": skills_selectors.org_skill_list(),
        "levels": skills_selectors.skill_levels().filter(value__gte=1), "can_edit": can_edit,
        "can_view_matrix": has_any_right(request.user, "skills.view_all", "skills.view_team"),
    })


# Occupations the job page proposes (the engine's best for the title, or for the words typed).
PROPOSALS = 5


def _proposals(job: Job, search: str) -> list:
    """The mapping engine's likeliest ROME occupations for the words searched, else for the job's title
    (``Suggestion`` rows with their confidence); a ROME code typed in the search is looked up as such."""
    if services.ROME_CODE.fullmatch(search.upper()):
        from referentials.suggest import Suggestion

        found = Occupation.objects.filter(code=search.upper()).first()
        return [Suggestion(found.code, found.label, "rome", 1.0)] if found else []
    proposals = services.occupation_proposals(search or job.title, k=PROPOSALS, ready_only=True)
    return [p for p in proposals if p.code != job.rome_code]


def _job_post(request, job: Job) -> None:
    action = request.POST.get("action")
    if action == "remove":
        requirement = get_object_or_404(JobRequirement, pk=int_or_none(request.POST.get("requirement")), job=job)
        label = requirement.skill.label
        skills_services.job_requirement_delete(requirement=requirement)
        messages.success(request, _("« %(skill)s » n'est plus requise.") % {"skill": label})
        return
    if action == "rome_core":
        added = skills_services.job_requirements_from_rome(job=job, user=request.user)
        if added:
            messages.success(request, _("%(count)s compétence(s) clé(s) de la fiche ROME %(code)s ajoutée(s) ; "
                                        "les exigences déjà présentes sont inchangées.")
                             % {"count": added, "code": job.rome_code})
        else:
            messages.success(request, _("Aucune compétence ajoutée : l'emploi requiert déjà toutes les "
                                        "compétences clés de la fiche ROME %(code)s.") % {"code": job.rome_code})
        return
    if action in ("rome", "rome_with_core"):
        services.job_update(job=job, rome_code=request.POST.get("rome_code", ""), user=request.user)
        if not job.rome_code:
            messages.success(request, _("L'emploi n'est plus relié à une fiche ROME."))
        elif action == "rome_with_core":
            added = skills_services.job_requirements_from_rome(job=job, user=request.user)
            messages.success(request, _("Emploi relié à la fiche ROME %(code)s ; %(count)s compétence(s) clé(s) "
                                        "de la fiche ajoutée(s).") % {"code": job.rome_code, "count": added})
        else:
            messages.success(request, _("Emploi relié à la fiche ROME %(code)s.") % {"code": job.rome_code})
        return
    skill = skill_from_post(request)
    weight = request.POST.get("weight", "1").replace(",", ".")
    try:
        weight = float(weight)
    except ValueError as exc:
        raise ApplicationError(_("Poids « %(value)s » illisible : saisissez un nombre (ex. 1).")
                               % {"value": weight}) from exc
    skills_services.job_requirement_set(
        job=job, skill=skill, target_level=required_int(request.POST.get("target_level"), _("le niveau requis")),
        weight=weight, critical=bool(request.POST.get("critical")),
    )
    messages.success(request, _("Exigence enregistrée pour « %(skill)s ».") % {"skill": skill.label})
