"""Writes on the organisation's jobs (their skill requirements are the skills matrix's)."""

import re

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import ApplicationError

from .models import Job

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


def _clean_rome_code(rome_code: str | None) -> str:
    """The ROME occupation code, upper-cased; empty unlinks the job. A code that is not a letter and four
    digits is refused, and so is one missing from the shared referential once it has been imported (an
    installation without it, such as a demo without the ROME files, keeps the codes as typed)."""
    from referentials.models import Occupation

    code = (rome_code or "").strip().upper()
    known = not code or (
        ROME_CODE.fullmatch(code) is not None
        and (Occupation.objects.filter(code=code).exists() or not Occupation.objects.exists())
    )
    if not known:
        raise ApplicationError(
            _("Code ROME « %(code)s » inconnu : saisissez le code d'une fiche métier (une lettre et quatre "
              "chiffres, ex. D1402). Cherchez-le dans Référentiels › Métiers ou avec "
              "/api/v1/referentials/suggest?kind=occupation&label=… (l'intitulé).") % {"code": code}
        )
    return code


@transaction.atomic
def job_create(*, title: str, code: str = "", rome_code: str = "", description: str = "") -> Job:
    title = _clean_title(title)
    _check_unique_title(title)
    return Job.objects.create(title=title, code=code.strip()[:50], rome_code=_clean_rome_code(rome_code),
                              description=description.strip())


@transaction.atomic
def job_update(*, job: Job, title: str | None = None, code: str | None = None, rome_code: str | None = None,
               description: str | None = None) -> Job:
    if title is not None:
        job.title = _clean_title(title)
        _check_unique_title(job.title, exclude_pk=job.pk)
    if code is not None:
        job.code = code.strip()[:50]
    if rome_code is not None:
        job.rome_code = _clean_rome_code(rome_code)
    if description is not None:
        job.description = description.strip()
    job.save()
    return job


@transaction.atomic
def job_delete(*, job: Job) -> None:
    """Delete a job and its requirements; its holders keep their skills and lose the job link."""
    job.delete()


@transaction.atomic
def job_create_from_rome(*, occupation_code: str, title: str | None = None, user) -> Job:
    """A job linked to ROME ``occupation_code`` requiring each of the occupation's core skills
    (``skills_matrix.services.job_requirements_from_rome``)."""
    from skills_matrix.services import job_requirements_from_rome, rome_occupation

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
