"""The platform operator's pages on the public host: organisations and the shared referentials."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tenants.utils import schema_context

from core.errors import ApplicationError

from . import services
from .models import Organization
from .operators import (
    operator_authenticate,
    operator_from_request,
    operator_required,
    operator_sign_in,
    operator_sign_out,
)


def login(request):
    next_url = request.POST.get("next") or request.GET.get("next") or "/operateur/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/operateur/"
    if request.method == "GET" and operator_from_request(request) is not None:
        return redirect(next_url)
    error, email = None, request.POST.get("email", "").strip()
    if request.method == "POST":
        operator = operator_authenticate(email=email, password=request.POST.get("password", ""))
        if operator is not None:
            response = redirect(next_url)
            operator_sign_in(response, operator)
            return response
        error = _("Adresse e-mail ou mot de passe incorrect. Vérifiez votre saisie et réessayez.")
    return render(request, "operator/login.html", {"error": error, "email": email, "next": next_url},
                  status=400 if error else 200)


@require_POST
def logout(request):
    response = redirect("operator:login")
    operator_sign_out(response)
    return response


def _address(request) -> dict:
    """How to write an organisation's address from here (same scheme and port as the public host)."""
    port = request.get_port()
    default = "443" if request.is_secure() else "80"
    return {"scheme": request.scheme, "port": "" if port == default else f":{port}"}


@operator_required
def organization_list(request):
    from referentials.uploads import referential_status

    form = {"name": "", "slug": "", "kind": Organization.Kind.COMPANY, "admin_email": ""}
    if request.method == "POST":
        form = {name: request.POST.get(name, "").strip()[:254] for name in form}
        try:
            organization = _organization_create(request, form)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Organisation « %(name)s » créée.") % {"name": organization.name}
                             + (" " + _("Invitation envoyée à %(email)s.") % {"email": form["admin_email"]}
                                if form["admin_email"] else ""))
            return redirect("operator:organization_list")
    return render(request, "operator/organization_list.html", {
        "operator": request.operator, "section": "organizations", "form": form,
        "organizations": Organization.objects.exclude(schema_name="public").prefetch_related("domains"),
        "kinds": Organization.Kind.choices, "base_domain": settings.ESIPRO_BASE_DOMAIN,
        "referential": referential_status(), **_address(request),
    })


def _organization_create(request, form: dict) -> Organization:
    """The organisation, then (when an e-mail is given) its first administrator, invited by e-mail."""
    if not form["name"]:
        raise ApplicationError(_("Donnez un nom à l'organisation."))
    organization = services.organization_create(slug=form["slug"], name=form["name"], kind=form["kind"])
    if form["admin_email"]:
        from accounts.models import Role
        from accounts.services import user_invite

        address = _address(request)
        site_url = f"{address['scheme']}://{organization.get_primary_domain().domain}{address['port']}/"
        try:
            with schema_context(organization.schema_name):
                user_invite(actor=None, email=form["admin_email"], role=Role.ADMIN, site_url=site_url,
                            organization_name=organization.name)
        except ApplicationError as exc:
            raise ApplicationError(_("Organisation créée, mais son administrateur n'a pas pu être invité : "
                                     "%(reason)s") % {"reason": exc.message}) from exc
    return organization


@operator_required
@require_POST
def organization_state(request, slug: str, action: str):
    organization = get_object_or_404(Organization.objects.exclude(schema_name="public"), slug=slug)
    if action not in ("suspendre", "rouvrir"):
        raise Http404
    services.organization_suspend(slug=organization.slug, active=action == "rouvrir")
    message = (_("Organisation « %(name)s » rouverte : ses utilisateurs peuvent de nouveau se connecter.")
               if action == "rouvrir" else
               _("Organisation « %(name)s » suspendue : plus personne ne peut s'y connecter."))
    messages.success(request, message % {"name": organization.name})
    return redirect("operator:organization_list")


@operator_required
def referentials(request):
    from referentials.models import ReferentialUpload
    from referentials.uploads import referential_status, referential_upload_create

    if request.method == "POST":
        file = request.FILES.get("file")
        try:
            if file is None:
                raise ApplicationError(_("Choisissez l'archive .zip à importer."))
            upload = referential_upload_create(kind=request.POST.get("kind", ""), file=file, file_name=file.name,
                                               uploaded_by=request.operator.email)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            return redirect("operator:referential_upload", upload_id=upload.pk)
    return render(request, "operator/referentials.html", {
        "operator": request.operator, "section": "referentials", "status": referential_status(),
        "kinds": ReferentialUpload.Kind.choices, "uploads": ReferentialUpload.objects.all()[:20],
        "max_mb": settings.ESIPRO_REFERENTIAL_MAX_MB,
    })


@operator_required
def referential_upload(request, upload_id: int):
    from referentials.models import ReferentialUpload

    upload = get_object_or_404(ReferentialUpload, pk=upload_id)
    return render(request, "operator/referential_upload.html", {
        "operator": request.operator, "section": "referentials", "upload": upload})


@operator_required
def referential_upload_status(request, upload_id: int):
    from referentials.models import ReferentialUpload

    upload = get_object_or_404(ReferentialUpload, pk=upload_id)
    return JsonResponse({"status": upload.status, "status_label": upload.get_status_display(),
                         "step": upload.step, "percent": upload.percent, "error": upload.error})
