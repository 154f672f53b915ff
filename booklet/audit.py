"""The booklet's audit trail: every read of and change to a booklet, with who, when and from where."""

from dataclasses import dataclass

from django.db import connection, transaction
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
    entry = AuditEntry(employee=employee, at=timezone.now(), user=user,
                       user_name=str(user) if user else (who or "système"), action=action, item=item[:100], ip=actor.ip)
    if connection.in_atomic_block:
        # Part of a change: written and committed with it, all or nothing.
        entry.save(force_insert=True)
        return entry
    # A read: the entry commits on its own without waiting for the disk flush (synchronous_commit off, for
    # this transaction only), which is most of what an entry would otherwise add to the read. PostgreSQL
    # still writes it in order and never half; only a server crash in the next fraction of a second
    # (wal_writer_delay, 200 ms by default) could lose it.
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
        entry.save(force_insert=True)
    return entry
