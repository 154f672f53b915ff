from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
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
    created_job_link_rome,
    file_error_message,
    import_alias_save,
    import_job_create,
    import_job_launch,
    import_job_refuse,
    import_job_retry_partial,
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
            if job.status != ImportJob.Status.FAILED:
                return redirect("imports:job_preview", job_id=job.pk)
            messages.error(request, job.message)  # refused at upload (limits, unreadable): nothing stored
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
    if request.method == "POST" and request.POST.get("take", "").isdigit():
        return _take_existing(request, job, preview, int(request.POST["take"]))
    if request.method == "POST":
        mapping = {}
        for column in preview.columns:
            mapping[column.header] = request.POST.get(f"col-{column.index}", column.choice)
        try:
            if request.POST.get("save_as", "").strip():
                saved = import_mapping_save(name=request.POST["save_as"], columns=mapping, user=request.user)
                messages.success(request, _("Correspondance « %(name)s » enregistrée.") % {"name": saved.name})
            job = import_job_launch(job=job, mapping=mapping, dry_run=request.POST.get("action") == "dry_run",
                                    unknown_columns=preview.unknown_columns,
                                    partial=bool(request.POST.get("partial")) if "partial_shown" in request.POST else None)
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


def _take_existing(request, job: ImportJob, preview, position: int):
    """One click on a near-duplicate: the file's label is read as the existing skill or job, now and in
    every later import."""
    if position >= len(preview.near_matches) or not preview.near_matches[position].target:
        messages.error(request, _("Ce rapprochement n'est plus proposé : vérifiez l'aperçu à nouveau."))
        return redirect("imports:job_preview", job_id=job.pk)
    match = preview.near_matches[position]
    try:
        import_alias_save(kind=match.kind, source_label=match.label, target_label=match.target, user=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("« %(label)s » sera lu comme « %(target)s », dans cet import et les suivants.")
                         % {"label": match.label, "target": match.target})
    return redirect("imports:job_preview", job_id=job.pk)


@require_POST
@right_required("imports.run")
def job_retry_partial(request, job_id: int):
    job = get_object_or_404(selectors.import_job_visible_qs(request.user), pk=job_id)
    try:
        job = import_job_retry_partial(job=job, user=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("imports:job_detail", job_id=job.pk)


@require_POST
@right_required("imports.run")
def job_created_job_link(request, job_id: int):
    """A job the import created takes the ROME occupation suggested for it, and that occupation's core
    skills as requirements, in one click."""
    job = get_object_or_404(selectors.import_job_visible_qs(request.user), pk=job_id)
    try:
        added = created_job_link_rome(import_job=job, title=request.POST.get("title", ""),
                                      rome_code=request.POST.get("rome_code", ""), user=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, ngettext(
            "« %(title)s » est relié à la fiche %(code)s : %(n)d compétence clé requise.",
            "« %(title)s » est relié à la fiche %(code)s : %(n)d compétences clés requises.", added,
        ) % {"title": request.POST.get("title", ""), "code": request.POST.get("rome_code", ""), "n": added})
    return redirect("imports:job_detail", job_id=job.pk)


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
        "column_decisions": selectors.import_job_column_decisions(job),
        "created_jobs": selectors.import_job_created_jobs(job) if job.status == ImportJob.Status.OK else [],
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
    if not job.file:
        messages.error(request, _("Le fichier de cet import a été supprimé : les lignes rejetées ne peuvent plus "
                                  "être téléchargées. La liste des erreurs reste ci-dessous."))
        return redirect("imports:job_detail", job_id=job.pk)
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
