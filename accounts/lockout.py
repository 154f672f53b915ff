"""Lockout after repeated failed sign-ins (django-axes): what counts as the account, and what the
locked-out person sees. Failures are recorded per organisation (axes' tables live in each schema),
by account and by network address; each failure is an ``axes.AccessFailureLog`` entry (the audit)."""

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def lockout_username(request, credentials) -> str | None:
    """The account a sign-in names, whatever its case or surrounding spaces (``Admin@X`` is ``admin@x``)."""
    if credentials:
        username = credentials.get("username")
    else:
        username = getattr(request, "POST", {}).get("username")
    return username.strip().lower() if isinstance(username, str) and username.strip() else None


def lockout_parameters(request_or_attempt, credentials) -> list[str]:
    """Count failures by account and by address; an attempt naming no account (a wrong API token)
    counts by address only, never against every attempt without an account."""
    if isinstance(request_or_attempt, HttpRequest):
        username = lockout_username(request_or_attempt, credentials)
    else:
        username = request_or_attempt.username
    return ["username", "ip_address"] if username else ["ip_address"]


def lockout_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return _("Trop de tentatives de connexion échouées : la connexion est bloquée pendant %(minutes)s minutes "
             "pour ce compte ou cette adresse réseau. Réessayez plus tard, ou demandez à l'administrateur de "
             "votre organisation de la débloquer.") % {"minutes": minutes}


def lockout_response(request, original_response=None, credentials=None):
    """429 with the French message: JSON on the API, the sign-in page with the message elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": lockout_message()}, status=429)
    return render(request, "accounts/lockout.html", {"message": lockout_message()}, status=429)
