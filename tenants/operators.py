"""The platform operator's sign-in on the public host.

Django's users and sessions are tenant tables (each organisation's schema): the public host has
neither. The operator therefore has its own ``Operator`` row in the public schema and stays signed in
through a signed, HTTP-only cookie scoped to the public host. The cookie carries the operator's id
and a digest of its password hash, so that a new password or a deactivation ends every open session.
"""

from functools import wraps

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core import signing
from django.db import transaction
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from core.errors import ApplicationError

from .models import Operator

COOKIE = "esipro_operator"
SALT = "esipro.operator.session"


def _password_digest(operator: Operator) -> str:
    return salted_hmac(SALT, operator.password).hexdigest()[:16]


@transaction.atomic
def operator_create(*, email: str, password: str, full_name: str = "") -> Operator:
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    email = (email or "").strip().lower()
    if not email or "@" not in email:
        raise ApplicationError(_("Adresse e-mail invalide : « %(email)s ».") % {"email": email})
    try:
        validate_password(password)
    except ValidationError as exc:
        raise ApplicationError(_("Mot de passe refusé : %(reasons)s") % {"reasons": " ".join(exc.messages)}) from exc
    operator, _created = Operator.objects.update_or_create(
        email=email, defaults={"full_name": full_name, "password": make_password(password), "is_active": True})
    return operator


def operator_authenticate(*, email: str, password: str) -> Operator | None:
    operator = Operator.objects.filter(email=(email or "").strip().lower(), is_active=True).first()
    if operator is None:
        make_password(password)  # the same work as a real check, so that timing does not tell who exists
        return None
    return operator if check_password(password, operator.password) else None


def operator_sign_in(response, operator: Operator) -> None:
    Operator.objects.filter(pk=operator.pk).update(last_login=timezone.now())
    value = signing.dumps({"id": operator.pk, "p": _password_digest(operator)}, salt=SALT)
    response.set_cookie(COOKIE, value, max_age=settings.ESIPRO_OPERATOR_SESSION_SECONDS, httponly=True,
                        samesite="Strict", secure=not settings.DEVELOPMENT)


def operator_sign_out(response) -> None:
    response.delete_cookie(COOKIE, samesite="Strict")


def operator_from_request(request) -> Operator | None:
    """The signed-in operator, or None (no cookie, tampered, expired, password changed, deactivated)."""
    value = request.COOKIES.get(COOKIE)
    if not value:
        return None
    try:
        data = signing.loads(value, salt=SALT, max_age=settings.ESIPRO_OPERATOR_SESSION_SECONDS)
    except signing.BadSignature:
        return None
    operator = Operator.objects.filter(pk=data.get("id"), is_active=True).first()
    if operator is None or data.get("p") != _password_digest(operator):
        return None
    return operator


def operator_required(view):
    """View decorator for the public host's operator pages: sets ``request.operator`` or asks to sign in."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        request.operator = operator_from_request(request)
        if request.operator is None:
            from urllib.parse import urlencode

            return redirect(f"/operateur/connexion/?{urlencode({'next': request.get_full_path()})}")
        return view(request, *args, **kwargs)

    return wrapped
