from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .models import ApiToken


@login_required
def token_list(request):
    new_key = None
    if request.method == "POST":
        _token, new_key = services.token_create(user=request.user, name=request.POST.get("name", "")[:100])
        messages.success(request, _("Jeton créé. Copiez-le maintenant : il ne sera plus affiché."))
    tokens = ApiToken.objects.filter(user=request.user).order_by("-created_at")
    return render(request, "accounts/token_list.html", {"tokens": tokens, "new_key": new_key})


@login_required
@require_POST
def token_revoke(request, token_id: int):
    token = get_object_or_404(ApiToken.objects.filter(user=request.user), pk=token_id)
    services.token_revoke(token=token)
    messages.success(request, _("Jeton révoqué."))
    return redirect("accounts:token_list")
