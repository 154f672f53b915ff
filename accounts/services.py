"""Writes about people who sign in: users and their API tokens."""

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ApplicationError

from .models import ApiToken, Role, User


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
