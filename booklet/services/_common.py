"""What every booklet write shares: who may make it, and turning model validation into a French message."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from core.errors import ApplicationError

from ..audit import Actor
from ..selectors import Access, booklet_access, booklet_employee_qs

SYSTEM_ACCESS = Access(own=False, edit=True, restricted=True, audit=True)


def access_for(actor: Actor, employee) -> Access:
    """``actor``'s access to ``employee``'s booklet; commands (no user) act with full access. Raises
    ``PermissionDenied`` when the booklet is outside their scope."""
    if actor.user is None:
        return SYSTEM_ACCESS
    if not booklet_employee_qs(actor.user).filter(pk=employee.pk).exists():
        raise PermissionDenied
    return booklet_access(user=actor.user, employee=employee)


def require_edit(actor: Actor, employee) -> Access:
    access = access_for(actor, employee)
    if not access.edit:
        raise PermissionDenied
    return access


def require_add(actor: Actor, employee) -> Access:
    """Staff add anything; the worker adds declared items to their own booklet."""
    access = access_for(actor, employee)
    if not (access.edit or access.own):
        raise PermissionDenied
    return access


def require_change(actor: Actor, item) -> Access:
    access = access_for(actor, item.employee)
    if actor.user is not None and not access.may_change(item, actor.user):
        raise PermissionDenied
    return access


def author_of(actor: Actor) -> dict:
    user = actor.user
    return {"created_by": user, "author_name": (str(user) if user else "")}


def checked_save(item, *, exclude=()) -> None:
    try:
        item.full_clean(exclude=list(exclude))
    except ValidationError as exc:
        messages = "; ".join(
            f"{field} : {' '.join(errors)}" if field != "__all__" else " ".join(errors)
            for field, errors in exc.message_dict.items()
        )
        raise ApplicationError(_("Saisie invalide : %(errors)s") % {"errors": messages}, status=422) from exc
    item.save()


def check_period(start, end, what: str) -> None:
    if start and end and end < start:
        raise ApplicationError(
            _("%(what)s : la fin (%(end)s) est avant le début (%(start)s) ; corrigez l'une des deux dates.")
            % {"what": what, "end": end.strftime("%d/%m/%Y"), "start": start.strftime("%d/%m/%Y")}, status=422)
