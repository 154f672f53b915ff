"""The booklet's audit trail: every read of and change to a booklet, with who, when and from where."""

from dataclasses import dataclass

from django.utils import timezone

from .models import AuditEntry


@dataclass(frozen=True)
class Actor:
    """Who acts and from which address: what a service needs of the request, and no more."""

    user: object
    ip: str | None = None

    @classmethod
    def system(cls) -> "Actor":
        return cls(user=None, ip=None)


def actor_from(request) -> Actor:
    # The address the request came from; behind the project's reverse proxy this is the proxy's
    # client address as set by gunicorn's forwarded-allow-ips.
    return Actor(user=request.user if request.user.is_authenticated else None,
                 ip=request.META.get("REMOTE_ADDR") or None)


def audit_write(*, actor: Actor, employee, action: str, item: str, who: str = "") -> AuditEntry:
    """One entry in ``employee``'s trail. ``item`` names the kind and id of what was touched, never its
    content (an erasure must not have to rewrite the trail's wording)."""
    user = actor.user
    return AuditEntry.objects.create(
        employee=employee, at=timezone.now(), user=user, user_name=str(user) if user else (who or "système"),
        action=action, item=item[:100], ip=actor.ip,
    )
