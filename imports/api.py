"""Staff imports over HTTP: upload (202 + id), follow a job, list jobs."""

import json

from django.db.models import Count
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Status, UploadedFile

from accounts.permissions import require_right
from core.errors import ApplicationError

from . import selectors
from .models import ImportJob
from .schemas import ImportCreatedOut, ImportJobListOut, ImportJobOut
from .services import clean_options, import_job_create

router = Router(tags=["imports"])


ERRORS_LIMIT_DEFAULT = 1000
ERRORS_LIMIT_MAX = 10_000
CHANGES_LIMIT_DEFAULT = 1000
CHANGES_LIMIT_MAX = 10_000


def serialize_job(
    job: ImportJob, *, errors_offset: int = 0, errors_limit: int = 0, changes_offset: int = 0, changes_limit: int = 0,
) -> dict:
    """The job as ImportJobOut; errors_limit errors from errors_offset and changes_limit changes from
    changes_offset (none when 0). A job of a list carries its change count (annotated)."""
    change_count = getattr(job, "change_total", None)
    if change_count is None:
        change_count = selectors.employee_change_list(job=job).count()
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
        "level_scale": job.options.get("level_scale", "auto"), "date_order": job.options.get("date_order", "auto"),
        "decisions": job.decision_maps, "error_count": job.error_count, "errors_offset": errors_offset,
        "errors": selectors.import_job_errors(job, offset=errors_offset, limit=errors_limit) if errors_limit else [],
        "change_count": change_count, "changes_offset": changes_offset,
        "changes": selectors.import_job_changes(job, offset=changes_offset, limit=changes_limit)
        if changes_limit else [],
        "unknown_columns": job.unknown_columns, "message": job.message,
        "created_items": selectors.created_items(job),
        "columns": [dict(zip(("column", "decision", "target", "reason"), d, strict=True))
                    for d in job.column_decisions or []],
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
    level_scale: Form[str] = "auto",
    date_order: Form[str] = "auto",
):
    """Queue the import of an .xlsx/.xls/.ods/.csv file; follow it with GET /imports/{id}.

    `mapping` is a JSON object header → field ("skill:<label>" for a skill column, "ignore"); `mapping_id`
    names a saved mapping (its columns come first, `mapping` overrides them). `level_scale` ("auto", "0-4",
    "1-5") says how skill levels written as numbers are read; `date_order` ("auto", "DMY", "MDY") how text
    dates such as 03/04/2024 are read."""
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
    options = clean_options(partial=partial, full_export=full_export, dry_run=dry_run, mapping=columns, sheet=sheet,
                            level_scale=level_scale, date_order=date_order)
    job = import_job_create(user=request.user, file=file, file_name=file.name, options=options)
    return Status(202, {"id": job.pk})


@router.get("", response=ImportJobListOut, summary="Historique des imports (paginé)")
def import_list(request, limit: int = 50, offset: int = 0):
    require_right(request.user, "imports.view", "imports.run")
    qs = selectors.import_job_visible_qs(request.user)
    offset, limit = max(0, offset), min(max(1, limit), 200)
    # Meta.ordering does not apply to a query with GROUP BY: the order is repeated.
    page = qs.annotate(change_total=Count("changes")).order_by(*ImportJob._meta.ordering)[offset:offset + limit]
    return {"items": [serialize_job(job) for job in page], "count": qs.count()}


@router.get("/{job_id}", response=ImportJobOut, summary="Un import : statut, progression, comptes, erreurs")
def import_detail(
    request,
    job_id: int,
    errors_offset: int = Query(0, ge=0, description="Rang de la première erreur renvoyée (0 au début)."),
    errors_limit: int = Query(
        ERRORS_LIMIT_DEFAULT, ge=0, le=ERRORS_LIMIT_MAX,
        description=f"Nombre d'erreurs renvoyées, {ERRORS_LIMIT_MAX} au plus ; error_count donne le total.",
    ),
    changes_offset: int = Query(0, ge=0, description="Rang de la première modification renvoyée (0 au début)."),
    changes_limit: int = Query(
        CHANGES_LIMIT_DEFAULT, ge=0, le=CHANGES_LIMIT_MAX,
        description=f"Nombre de modifications renvoyées, {CHANGES_LIMIT_MAX} au plus ; change_count donne le "
                    "total.",
    ),
):
    """Status, live progress, counts, how the file was read (`decisions`), its errors and the changes it
    made to employees, a page at a time: `errors` holds errors_limit errors from errors_offset, `error_count`
    all of them; `changes` holds changes_limit changes from changes_offset, `change_count` all of them.
    To follow the progress, ask for errors_limit=0 and changes_limit=0."""
    require_right(request.user, "imports.view", "imports.run")
    job = get_object_or_404(selectors.import_job_visible_qs(request.user), pk=job_id)
    return serialize_job(job, errors_offset=errors_offset, errors_limit=errors_limit, changes_offset=changes_offset,
                         changes_limit=changes_limit)
