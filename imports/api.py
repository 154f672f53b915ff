"""Staff imports over HTTP: upload (202 + id), follow a job, list jobs."""

import json

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Status, UploadedFile

from accounts.permissions import require_right
from esipro.errors import ApplicationError

from . import selectors
from .models import ImportJob
from .schemas import ImportCreatedOut, ImportJobListOut, ImportJobOut
from .services import clean_options, import_job_create

router = Router(tags=["imports"])


def serialize_job(job: ImportJob, *, with_errors: bool = True) -> dict:
    creator = job.created_by
    return {
        "id": job.pk, "status": job.status, "status_label": str(job.get_status_display()),
        "progress": job.progress, "phase": job.phase, "file_name": job.file_name,
        "created_at": job.created_at, "finished_at": job.finished_at,
        "created_by": (creator.full_name or creator.email) if creator else None,
        "dry_run": job.dry_run, "partial": bool(job.options.get("partial")),
        "full_export": bool(job.options.get("full_export")), "header_row": job.header_row,
        "counts": {name: getattr(job, name) for name in
                   ("rows", "created", "updated", "unchanged", "invalid", "departed", "skills")},
        "error_count": job.error_count, "errors": job.errors if with_errors else [],
        "unknown_columns": job.unknown_columns, "message": job.message,
    }


@router.post("", response={202: ImportCreatedOut}, summary="Importer un fichier du personnel")
def import_create(
    request,
    file: File[UploadedFile],
    partial: Form[bool] = False,
    full_export: Form[bool] = False,
    dry_run: Form[bool] = False,
    sheet: Form[str] = "",
    mapping: Form[str] = "",
    mapping_id: Form[int | None] = None,
):
    """Queue the import of an .xlsx/.xls/.ods/.csv file; follow it with GET /imports/{id}.

    `mapping` is a JSON object header → field ("skill:<label>" for a skill column, "ignore"); `mapping_id`
    names a saved mapping (its columns come first, `mapping` overrides them)."""
    require_right(request.user, "imports.run")
    columns = {}
    if mapping_id is not None:
        columns.update(get_object_or_404(selectors.import_mapping_list(), pk=mapping_id).columns)
    if mapping:
        try:
            given = json.loads(mapping)
        except ValueError:
            given = None
        if not isinstance(given, dict):
            raise ApplicationError(
                _("Le champ « mapping » doit être un objet JSON, par exemple {\"Code agent\": \"staff_number\"}.")
            )
        columns.update(given)
    options = clean_options(partial=partial, full_export=full_export, dry_run=dry_run, mapping=columns, sheet=sheet)
    job = import_job_create(user=request.user, file=file, file_name=file.name, options=options)
    return Status(202, {"id": job.pk})


@router.get("", response=ImportJobListOut, summary="Historique des imports (paginé)")
def import_list(request, limit: int = 50, offset: int = 0):
    require_right(request.user, "imports.view", "imports.run")
    qs = selectors.import_job_visible_qs(request.user)
    offset, limit = max(0, offset), min(max(1, limit), 200)
    return {"items": [serialize_job(job, with_errors=False) for job in qs[offset:offset + limit]],
            "count": qs.count()}


@router.get("/{job_id}", response=ImportJobOut, summary="Un import : statut, progression, comptes, erreurs")
def import_detail(request, job_id: int):
    require_right(request.user, "imports.view", "imports.run")
    return serialize_job(get_object_or_404(selectors.import_job_visible_qs(request.user), pk=job_id))
