from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from . import services
from .models import ApiToken


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
