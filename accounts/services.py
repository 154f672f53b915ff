"""Writes about people who sign in: users and their API tokens."""

import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ApplicationError

from .models import ApiToken, Role, User


def password_check(password: str | None, user: User | None = None) -> None:
    """Refuse a weak password with the validators' French reasons (AUTH_PASSWORD_VALIDATORS); ``user``
    (possibly not saved yet) lets the validators refuse a password close to the e-mail or name.

    Every place that sets a password calls it: user_create, user_password_set, tenant_create."""
    try:
        validate_password(password or "", user=user)
    except ValidationError as exc:
        raise ApplicationError(
            _("Mot de passe refusé : %(reasons)s Choisissez au moins 8 caractères, pas uniquement des chiffres, "
              "ni un mot de passe courant ni proche de l'adresse e-mail.") % {"reasons": " ".join(exc.messages)},
            extra={"errors": [{"field": "password", "message": message} for message in exc.messages]},
        ) from exc


@transaction.atomic
def user_password_set(*, user: User, password: str) -> User:
    """Set ``user``'s password once ``password_check`` accepts it."""
    password_check(password, user=user)
    user.set_password(password)
    user.save(update_fields=["password"])
    return user


@transaction.atomic
def user_create(
    *, email: str, password: str | None, role: str = Role.EMPLOYEE, full_name: str = "", employee=None
) -> User:
    if role not in Role.values:
        raise ApplicationError(
            _("Rôle « %(role)s » inconnu : choisissez parmi %(choices)s.")
            % {"role": role, "choices": ", ".join(Role.values)}
        )
    email = (email or "").strip().lower()
    if User.objects.filter(email=email).exists():
        raise ApplicationError(_("Un compte existe déjà pour %(email)s.") % {"email": email})
    user = User(email=email, role=role, full_name=full_name, employee=employee)
    if password:
        password_check(password, user=user)
    user.set_password(password) if password else user.set_unusable_password()
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as exc:
        raise ApplicationError(_("Compte invalide : %(errors)s") % {"errors": exc.messages}) from exc
    user.save()
    return user


def token_create(*, user: User, name: str = "") -> tuple[ApiToken, str]:
    """Create a token for ``user``; returns it with the clear key, which is never stored."""
    key = ApiToken.PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, key_hash=ApiToken.hash(key), key_hint=key[:10])
    return token, key


def token_revoke(*, token: ApiToken) -> None:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])


def token_authenticate(key: str) -> User | None:
    """The active user owning the unrevoked token ``key``, in the current organisation, or None."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=ApiToken.hash(key), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user
