import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import password_validators_help_texts
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.errors import ApplicationError
from workforce.selectors import employee_visible_qs

from . import selectors, services
from .models import ApiToken, PasswordLink, Role, Team
from .permissions import right_required

STATUS_LABELS = {
    "active": gettext_lazy("Actif"),
    "pending": gettext_lazy("Invitation en attente"),
    "expired": gettext_lazy("Invitation expirée"),
    "inactive": gettext_lazy("Désactivé"),
}


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": gettext_lazy(
            "Adresse e-mail ou mot de passe incorrect. Vérifiez votre saisie (les majuscules comptent "
            "dans le mot de passe) et réessayez."
        ),
        "inactive": gettext_lazy("Ce compte est désactivé. Adressez-vous à l'administrateur de votre organisation."),
    }


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


@login_required
def token_list(request):
    """The user's tokens. Creating one answers this page with the clear key, once: the key is in that
    response only (never in the session or anywhere on the server, which keeps its hash)."""
    new_key = None
    if request.method == "POST":
        _token, new_key = services.token_create(user=request.user,
                                                name=request.POST.get("name", "").strip()[:100])
        messages.success(request, _("Jeton créé. Copiez-le maintenant : il ne sera plus affiché."))
    tokens = ApiToken.objects.filter(user=request.user).order_by("-created_at")
    response = render(request, "accounts/token_list.html", {"tokens": tokens, "new_key": new_key})
    if new_key:
        response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def token_revoke(request, token_id: int):
    token = get_object_or_404(ApiToken.objects.filter(user=request.user), pk=token_id)
    services.token_revoke(token=token)
    messages.success(request, _("Jeton révoqué : les programmes qui l'utilisent n'ont plus accès à l'API."))
    return redirect("accounts:token_list")


# ---- users page (admin) ------------------------------------------------------------------------------

def _site(request) -> dict:
    """Where the links in e-mails point to, and the organisation's name they mention."""
    return {"site_url": request.build_absolute_uri("/"), "organization_name": request.tenant.name}


def _form_value(request, name: str, limit: int = 254) -> str:
    return request.POST.get(name, "").strip()[:limit]


@right_required("users.manage")
def user_list(request):
    form = {"email": "", "full_name": "", "role": Role.EMPLOYEE, "staff_number": ""}
    if request.method == "POST":
        form = {name: _form_value(request, name) for name in form}
        try:
            user = services.user_invite(actor=request.user, email=form["email"], role=form["role"],
                                        full_name=form["full_name"], staff_number=form["staff_number"],
                                        **_site(request))
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Invitation envoyée à %(email)s : le lien reste valable %(days)s jours.")
                             % {"email": user.email, "days": settings.ESIPRO_INVITATION_DAYS})
            return redirect("accounts:user_list")
    filters = {"q": request.GET.get("q", "").strip(), "role": request.GET.get("role", ""),
               "status": request.GET.get("status", "")}
    if filters["role"] not in Role.values:
        filters["role"] = ""
    if filters["status"] not in selectors.USER_STATUSES:
        filters["status"] = ""
    qs = selectors.user_list(search=filters["q"], role=filters["role"], status=filters["status"])
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    for user in page.object_list:
        user.status = selectors.user_status(user)
    return render(request, "accounts/user_list.html", {
        "page": page, "filters": filters, "form": form, "roles": Role.choices, "statuses": STATUS_LABELS,
        "invitation_days": settings.ESIPRO_INVITATION_DAYS,
    })


@right_required("users.manage")
def user_detail(request, user_id: int):
    account = get_object_or_404(selectors.user_list(), pk=user_id)
    if request.method == "POST":
        try:
            services.user_update(actor=request.user, user=account, role=_form_value(request, "role"),
                                 full_name=_form_value(request, "full_name", 200),
                                 staff_number=_form_value(request, "staff_number", 50))
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Compte de %(email)s enregistré.") % {"email": account.email})
            return redirect("accounts:user_detail", user_id=account.pk)
    account.status = selectors.user_status(account)
    return render(request, "accounts/user_detail.html", {
        "account": account, "roles": Role.choices, "statuses": STATUS_LABELS,
        "audit": selectors.audit_list(target=account)[:50],
        "team": selectors.team_for(account) if account.role == Role.SUPERVISOR else None,
    })


# What each action button does: the service, then the message shown.
_ACTIONS = {
    "desactiver": (lambda request, account: services.user_update(actor=request.user, user=account, is_active=False),
                   gettext_lazy("Compte de %(email)s désactivé : il ne peut plus se connecter.")),
    "reactiver": (lambda request, account: services.user_update(actor=request.user, user=account, is_active=True),
                   gettext_lazy("Compte de %(email)s réactivé.")),
    "renvoyer-invitation": (lambda request, account: services.invitation_resend(actor=request.user, user=account, **_site(request)),
               gettext_lazy("Nouvelle invitation envoyée à %(email)s ; le lien précédent ne fonctionne plus.")),
    "reinitialiser-mot-de-passe": (lambda request, account: services.password_reset_send(actor=request.user, user=account,
                                                                    **_site(request)),
              gettext_lazy("Lien de réinitialisation du mot de passe envoyé à %(email)s.")),
}


@right_required("users.manage")
@require_POST
def user_action(request, user_id: int, action: str):
    account = get_object_or_404(selectors.user_list(), pk=user_id)
    if action not in _ACTIONS:
        raise Http404(_("Action inconnue."))
    run, message = _ACTIONS[action]
    try:
        run(request, account)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, str(message) % {"email": account.email})
    return redirect("accounts:user_detail", user_id=account.pk)


@right_required("teams.manage")
def team_edit(request, user_id: int):
    from workforce.models import OrgUnit

    supervisor = get_object_or_404(selectors.user_list(role=Role.SUPERVISOR), pk=user_id)
    team = selectors.team_for(supervisor)
    if request.method == "POST":
        try:
            services.team_set(actor=request.user, supervisor=supervisor, mode=request.POST.get("mode", ""),
                              org_unit_ids=_ids(request.POST.getlist("org_units")),
                              staff_numbers=re.split(r"[\s,;]+", request.POST.get("staff_numbers", "")))
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Équipe de %(name)s enregistrée.") % {"name": supervisor})
            return redirect("accounts:team_edit", user_id=supervisor.pk)
    chosen_units = set(team.org_units.values_list("pk", flat=True)) if team.pk else set()
    staff_numbers = request.POST.get("staff_numbers") if request.method == "POST" else "\n".join(
        team.employees.values_list("staff_number", flat=True)) if team.pk else ""
    return render(request, "accounts/team_edit.html", {
        "supervisor": supervisor, "team": team, "modes": Team.Mode.choices,
        "units": OrgUnit.objects.select_related("parent"), "chosen_units": chosen_units,
        "staff_numbers": staff_numbers,
        "members": employee_visible_qs(supervisor).exclude(pk=supervisor.employee_id).filter(is_active=True)
        .order_by("last_name", "first_name"),
    })


def _ids(values) -> list[int]:
    return [int(value) for value in values if value.isdigit()]


@right_required("teams.manage")
def team_list(request):
    supervisors = selectors.user_list(role=Role.SUPERVISOR).filter(is_active=True)
    rows = [{"user": user, "team": selectors.team_for(user),
             "size": employee_visible_qs(user).exclude(pk=user.employee_id).filter(is_active=True).count()}
            for user in supervisors]
    return render(request, "accounts/team_list.html", {"rows": rows})


@right_required("audit.view")
def audit_log(request):
    page = Paginator(selectors.audit_list(), 50).get_page(request.GET.get("page"))
    return render(request, "accounts/audit_log.html", {"page": page})


# ---- choosing a password through an e-mailed link (signed out) --------------------------------------

def password_set(request, token: str):
    try:
        link = services.password_link_get(token=token)
    except ApplicationError as exc:
        return render(request, "accounts/password_set.html", {"link_error": exc.message}, status=exc.status)
    error = None
    if request.method == "POST":
        try:
            user = services.password_link_use(token=token, password=request.POST.get("password", ""),
                                              confirmation=request.POST.get("confirmation", ""))
        except ApplicationError as exc:
            error = exc.message
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Mot de passe enregistré : bienvenue dans Esi Pro."))
            return redirect("dashboard")
    return render(request, "accounts/password_set.html", {
        "link": link, "account": link.user, "error": error,
        "invitation": link.purpose == PasswordLink.Purpose.INVITATION,
        "help_texts": password_validators_help_texts(),
    }, status=400 if error else 200)
