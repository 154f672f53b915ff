"""Writes on the organisation's jobs (their skill requirements are the skills matrix's)."""

import re

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core.errors import ApplicationError

from .models import Job, OccupationSuggestion

ROME_CODE = re.compile(r"[A-Z][0-9]{4}")


def _clean_title(title: str | None) -> str:
    title = " ".join((title or "").split())
    if not title:
        raise ApplicationError(_("L'intitulé de l'emploi est vide."))
    return title[:200]


def _check_unique_title(title: str, exclude_pk=None) -> None:
    if Job.objects.filter(title__iexact=title).exclude(pk=exclude_pk).exists():
        raise ApplicationError(
            _("Un emploi s'intitule déjà « %(title)s » : choisissez un autre intitulé.") % {"title": title}
        )


def _clean_rome_code(rome_code: str | None, title: str = "") -> str:
    """The ROME occupation code, upper-cased; empty unlinks the job. A code that is not a letter and four
    digits is refused, and so is one missing from the shared referential once it has been imported (an
    installation without it, such as a demo without the ROME files, keeps the codes as typed). The refusal
    offers the mapping engine's occupations for the job's ``title``."""
    from referentials.models import Occupation

    code = (rome_code or "").strip().upper()
    known = not code or (
        ROME_CODE.fullmatch(code) is not None
        and (Occupation.objects.filter(code=code).exists() or not Occupation.objects.exists())
    )
    if not known:
        proposals = occupation_proposals(title, k=3) if title and Occupation.objects.exists() else []
        if proposals:
            listed = " ; ".join(f"{p.code} – {p.label} ({formats.number_format(p.confidence, 2)})"
                                for p in proposals)
            raise ApplicationError(
                _("Code ROME « %(code)s » inconnu. Fiches proposées pour « %(title)s » : %(proposals)s. "
                  "Reprenez l'un de ces codes, ou saisissez le code d'une fiche métier (une lettre et quatre "
                  "chiffres, ex. D1402).") % {"code": code, "title": title, "proposals": listed},
                extra={"suggestions": [{"code": p.code, "label": p.label, "confidence": p.confidence}
                                       for p in proposals]},
            )
        raise ApplicationError(
            _("Code ROME « %(code)s » inconnu : saisissez le code d'une fiche métier (une lettre et quatre "
              "chiffres, ex. D1402). Cherchez-le dans Référentiels › Métiers ou avec "
              "/api/v1/referentials/suggest?kind=occupation&label=… (l'intitulé).") % {"code": code}
        )
    return code


def occupation_proposals(title: str, k: int = 5, *, ready_only: bool = False):
    """The mapping engine's ``k`` likeliest ROME occupations for a job title (``referentials.suggest``
    ``Suggestion`` rows, most confident first); empty before the ROME referential is imported, and with
    ``ready_only`` (pages) while the engine's index is still to be built."""
    from referentials.suggest import suggest_occupations, suggestion_index_ready

    title = " ".join((title or "").split())
    if not title or (ready_only and not suggestion_index_ready("occupation", "rome")):
        return []
    return suggest_occupations(title, k=k)


@transaction.atomic
def job_create(*, title: str, code: str = "", rome_code: str = "", description: str = "") -> Job:
    title = _clean_title(title)
    _check_unique_title(title)
    return Job.objects.create(title=title, code=code.strip()[:50], rome_code=_clean_rome_code(rome_code, title),
                              description=description.strip())


@transaction.atomic
def job_update(*, job: Job, title: str | None = None, code: str | None = None, rome_code: str | None = None,
               description: str | None = None, user=None) -> Job:
    """Change ``job``; a new ROME code settles the job's pending occupation suggestions (the one naming
    that code is accepted, the others rejected, by ``user``)."""
    if title is not None:
        job.title = _clean_title(title)
        _check_unique_title(job.title, exclude_pk=job.pk)
    if code is not None:
        job.code = code.strip()[:50]
    if rome_code is not None:
        job.rome_code = _clean_rome_code(rome_code, job.title)
    if description is not None:
        job.description = description.strip()
    job.save()
    if rome_code is not None and job.rome_code:
        _settle_suggestions(job=job, user=user)
    return job


def _settle_suggestions(*, job: Job, user) -> None:
    now = timezone.now()
    pending = OccupationSuggestion.objects.filter(job=job, status=OccupationSuggestion.Status.PENDING)
    pending.filter(rome_code=job.rome_code).update(status=OccupationSuggestion.Status.ACCEPTED, reviewed_by=user,
                                                   reviewed_at=now)
    pending.update(status=OccupationSuggestion.Status.REJECTED, reviewed_by=user, reviewed_at=now)


@transaction.atomic
def job_delete(*, job: Job) -> None:
    """Delete a job and its requirements; its holders keep their skills and lose the job link."""
    job.delete()


@transaction.atomic
def job_create_from_rome(*, occupation_code: str, title: str | None = None, user) -> Job:
    """A job linked to ROME ``occupation_code`` requiring each of the occupation's core skills
    (``skills_matrix.services.job_requirements_from_rome``)."""
    from skills_matrix.services import job_requirements_from_rome, rome_occupation

    if title and title.strip():
        _clean_rome_code(occupation_code, title)  # an unknown code is refused with the title's proposals
    occupation = rome_occupation(occupation_code)
    title = _clean_title(title or occupation.label)
    if Job.objects.filter(title__iexact=title).exists():
        raise ApplicationError(
            _("Un emploi s'intitule déjà « %(title)s » : choisissez un autre intitulé, ou ouvrez cet emploi, "
              "reliez-le à la fiche %(code)s et cliquez « Ajouter les compétences clés de la fiche ROME ».")
            % {"title": title, "code": occupation.code}
        )
    job = job_create(title=title, rome_code=occupation.code, description=occupation.definition)
    job_requirements_from_rome(job=job, user=user)
    return job


# Suggestions stored per job created by an import (the best first); fewer when the engine has no more.
SUGGESTIONS_PER_JOB = 3


@transaction.atomic
def job_occupation_suggestions_compute(*, jobs, k: int = SUGGESTIONS_PER_JOB) -> int:
    """Store the engine's top-``k`` ROME occupations of each job without a ROME code as pending
    ``OccupationSuggestion`` rows (e.g. for the jobs a staff import created). A pair someone already
    accepted or rejected stays as reviewed; a pending one gets the new confidence. Returns the number of
    suggestions created or refreshed."""
    jobs = [job for job in jobs if not job.rome_code]
    if not jobs:
        return 0
    existing = {(s.job_id, s.rome_code): s for s in OccupationSuggestion.objects.filter(job__in=jobs)}
    to_create, to_update = [], []
    for job in jobs:
        for proposal in occupation_proposals(job.title, k=k):
            confidence = min(max(round(float(proposal.confidence), 4), 0.0), 1.0)
            suggestion = existing.get((job.pk, proposal.code))
            if suggestion is None:
                to_create.append(OccupationSuggestion(job=job, rome_code=proposal.code, label=proposal.label[:300],
                                                      confidence=confidence))
            elif suggestion.status == OccupationSuggestion.Status.PENDING:
                suggestion.confidence = confidence
                to_update.append(suggestion)
    OccupationSuggestion.objects.bulk_create(to_create, ignore_conflicts=True)
    OccupationSuggestion.objects.bulk_update(to_update, ["confidence"])
    return len(to_create) + len(to_update)


@transaction.atomic
def occupation_suggestion_accept(*, suggestion: OccupationSuggestion, user, core_skills: bool = False) -> int:
    """Link the suggestion's job to its ROME occupation (the job's other pending suggestions are rejected);
    with ``core_skills``, the job also requires the occupation's core skills. Returns the number of
    requirements added."""
    suggestion = _pending(suggestion)
    job = job_update(job=suggestion.job, rome_code=suggestion.rome_code, user=user)
    if not core_skills:
        return 0
    from skills_matrix.services import job_requirements_from_rome

    return job_requirements_from_rome(job=job, user=user)


@transaction.atomic
def occupation_suggestion_reject(*, suggestion: OccupationSuggestion, user) -> OccupationSuggestion:
    suggestion = _pending(suggestion)
    suggestion.status, suggestion.reviewed_by, suggestion.reviewed_at = (
        OccupationSuggestion.Status.REJECTED, user, timezone.now())
    suggestion.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    return suggestion


def _pending(suggestion: OccupationSuggestion) -> OccupationSuggestion:
    locked = OccupationSuggestion.objects.select_for_update().select_related("job").get(pk=suggestion.pk)
    if locked.status != OccupationSuggestion.Status.PENDING:
        raise ApplicationError(
            _("La fiche %(code)s proposée pour « %(title)s » a déjà été %(status)s.")
            % {"code": locked.rome_code, "title": locked.job.title, "status": locked.get_status_display().lower()}
        )
    return locked
