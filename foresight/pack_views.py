"""Pages of the GEPP negotiation pack (Excel workbook, printable page, PDF), of the needs import and of the
needs seeded from national foresight. Admin and HR only (``foresight.view`` to read, ``foresight.edit`` to
write); another organisation's scenario answers 404."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import has_right, right_required
from core.errors import ApplicationError
from workforce.models import Employee

from . import pack as packs
from .models import PackExport
from .selectors import scenario_list

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def _scenario(scenario_id: int):
    return get_object_or_404(scenario_list(), pk=scenario_id)


def _names(request) -> bool:
    """Holders of the skills at risk are named only on request (``?noms=1``) and to who may see them."""
    return request.GET.get("noms") == "1" and has_right(request.user, "sensitive.view")


def _file(content: bytes, scenario, fmt: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{packs.pack_filename(scenario, fmt)}"'
    return response


def _download(request, scenario_id: int, fmt: str):
    """Small organisations: built in the request. Large ones (more than LARGE_PACK_EMPLOYEES people): built
    by the worker; this page then shows its progress until the file is ready (``?export=<id>``)."""
    from .pack_jobs import pack_export_create

    scenario = _scenario(scenario_id)
    export_id = request.GET.get("export")
    if export_id is not None:
        export = get_object_or_404(PackExport, pk=int(export_id) if export_id.isdigit() else 0, scenario=scenario,
                                   format=fmt)
        if export.status == PackExport.Status.DONE:
            return _file(bytes(export.content), scenario, fmt)
        return render(request, "foresight/pack_progress.html", {"scenario": scenario, "export": export})
    if Employee.objects.count() > packs.LARGE_PACK_EMPLOYEES and request.GET.get("direct") != "1":
        export = pack_export_create(scenario=scenario, fmt=fmt, user=request.user, with_names=_names(request))
        return redirect(f"{request.path}?export={export.pk}")
    data = packs.pack_data(scenario=scenario, organisation=request.tenant.name, with_names=_names(request))
    return _file(packs.pack_bytes(data, fmt), scenario, fmt)


@right_required("foresight.view")
def pack_xlsx(request, scenario_id: int):
    return _download(request, scenario_id, "xlsx")


@right_required("foresight.view")
def pack_pdf(request, scenario_id: int):
    return _download(request, scenario_id, "pdf")


@right_required("foresight.view")
def pack_html(request, scenario_id: int):
    scenario = _scenario(scenario_id)
    data = packs.pack_data(scenario=scenario, organisation=request.tenant.name, with_names=_names(request))
    html = packs.pack_html(data, downloads={
        "xlsx": reverse("foresight:pack_xlsx", args=[scenario.pk]),
        "pdf": reverse("foresight:pack_pdf", args=[scenario.pk]),
    })
    return HttpResponse(html)


@right_required("foresight.edit")
def needs_import(request, scenario_id: int):
    """Upload a needs file for the scenario; all or nothing, every bad row listed in French."""
    from .needs_import import needs_import as run_import

    scenario = _scenario(scenario_id)
    result = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("Choisissez un fichier .xlsx ou .csv à importer."))
        else:
            result = run_import(scenario=scenario, upload=upload)
            if result.ok:
                messages.success(request, _("%(jobs)s besoin(s) par emploi importé(s) dans « %(scenario)s ».") % {
                    "jobs": result.written, "scenario": scenario.name})
    return render(request, "foresight/needs_import.html", {"scenario": scenario, "result": result})


@require_POST
@right_required("foresight.edit")
def needs_seed(request, scenario_id: int):
    """Seed the scenario's needs from national foresight (ROME, DARES, Les métiers en 2030)."""
    from .seeding import needs_seed_national

    scenario = _scenario(scenario_id)
    try:
        result = needs_seed_national(scenario=scenario, overwrite=request.POST.get("overwrite") == "1")
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _(
            "Prospective nationale : %(seeded)s emploi(s) renseigné(s), %(kept)s besoin(s) saisi(s) conservé(s), "
            "%(none)s emploi(s) sans donnée nationale, %(skills)s compétence(s) émergente(s) ajoutée(s) au "
            "référentiel.") % {"seeded": result.seeded, "kept": result.kept, "none": result.without_data,
                                "skills": result.skills_created})
    return redirect(request.POST.get("next") if _safe_next(request) else
                    reverse("foresight:needs_import", args=[scenario.pk]))


def _safe_next(request) -> bool:
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next") or ""
    return bool(target) and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
