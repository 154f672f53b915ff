from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import has_right, right_required
from core.errors import ApplicationError
from imports.engine import FIELD_LABELS, FIELDS, IGNORE, ImportFileError

from . import selectors
from .exports import rejected_rows_workbook
from .forms import UploadForm
from .models import ImportJob
from .services import (
    clean_options,
    file_error_message,
    import_job_create,
    import_job_launch,
    import_job_refuse,
    import_mapping_save,
)

CHANGES_PER_PAGE = 100


@right_required("imports.view", "imports.run")
def job_list(request):
    page = Paginator(selectors.import_job_visible_qs(request.user), 25).get_page(request.GET.get("page"))
    return render(request, "imports/job_list.html", {
        "page": page, "can_run": has_right(request.user, "imports.run"),
    })


@right_required("imports.run")
def job_new(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            options = clean_options(
                partial=data["partial"], full_export=data["full_export"], sheet=data["sheet"],
                mapping=data["mapping"].columns if data["mapping"] else None,
                level_scale=data["level_scale"] or "auto", date_order=data["date_order"] or "auto",
            )
            job = import_job_create(user=request.user, file=data["file"], file_name=data["file"].name,
                                    options=options, draft=True)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            return redirect("imports:job_preview", job_id=job.pk)
    return render(request, "imports/job_new.html", {"form": form})


@right_required("imports.run")
def job_preview(request, job_id: int):
    job = get_object_or_404(selectors.import_job_visible_qs(request.user), pk=job_id)
    if job.status != ImportJob.Status.DRAFT:
        return redirect("imports:job_detail", job_id=job.pk)
    try:
        preview = selectors.import_preview(job=job)
    except ImportFileError as exc:
        job = import_job_refuse(job=job, message=file_error_message(job, exc))
        messages.error(request, job.message)
        return redirect("imports:job_new")
    if request.method == "POST":
        mapping = {}
        for column in preview.columns:
            mapping[column.header] = request.POST.get(f"col-{column.index}", column.choice)
        try:
            if request.POST.get("save_as", "").strip():
                saved = import_mapping_save(name=request.POST["save_as"], columns=mapping, user=request.user)
                messages.success(request, _("Correspondance « %(name)s » enregistrée.") % {"name": saved.name})
            job = import_job_launch(job=job, mapping=mapping, dry_run=request.POST.get("action") == "dry_run",
                                    unknown_columns=preview.unknown_columns)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            return redirect("imports:job_detail", job_id=job.pk)
    choices = [(IGNORE, _("— ignorer cette colonne —"))]
    choices += [(field, _(FIELD_LABELS.get(field, field))) for field in FIELDS]
    return render(request, "imports/job_preview.html", {
        "job": job, "preview": preview, "choices": choices,
        "missing_labels": [_(FIELD_LABELS.get(f, f)) for f in preview.missing_fields],
    })


@right_required("imports.view", "imports.run")
def job_detail(request, job_id: int):
    job = get_object_or_404(selectors.import_job_visible_qs(request.user), pk=job_id)
    errors = Paginator(selectors.import_job_error_qs(job), 100).get_page(request.GET.get("page"))
    changes = None
    if job.status == ImportJob.Status.OK:
        changes = Paginator(selectors.employee_change_list(job=job), CHANGES_PER_PAGE).get_page(
            request.GET.get("changes_page"))
    return render(request, "imports/job_detail.html", {
        "job": job, "errors": errors, "can_run": has_right(request.user, "imports.run"),
        "decisions": selectors.import_job_decisions(job), "changes": changes,
    })


@require_POST
@right_required("imports.run")
def job_relaunch(request, job_id: int):
    job = get_object_or_404(selectors.import_job_visible_qs(request.user), pk=job_id)
    try:
        job = import_job_launch(job=job, dry_run=False)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("imports:job_detail", job_id=job.pk)


@right_required("imports.view", "imports.run")
def job_rejected_rows(request, job_id: int):
    job = get_object_or_404(selectors.import_job_visible_qs(request.user), pk=job_id)
    try:
        content = rejected_rows_workbook(job)
    except ImportFileError as exc:
        messages.error(request, file_error_message(job, exc))
        return redirect("imports:job_detail", job_id=job.pk)
    stem = job.file_name.rsplit(".", 1)[0]
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = content_disposition_header(True, f"{stem}-lignes-rejetees.xlsx")
    return response
