"""Reading the values typed in the skills pages' forms and query strings (shared with the job pages)."""

import datetime

from django.contrib import messages
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from accounts.permissions import has_right
from core.dates import EARLIEST, LATEST, out_of_range_message
from core.errors import ApplicationError

from .. import services
from ..models import OrgSkill


def int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def date_or_none(value: str | None, request=None):
    """A date of the query string; unreadable or out of range, it is ignored with a message saying so."""
    if not value:
        return None
    try:
        day = datetime.date.fromisoformat(value.strip())
    except ValueError:
        if request is not None:
            messages.error(request, _("Date « %(value)s » illisible : utilisez le format AAAA-MM-JJ.")
                           % {"value": value})
        return None
    if not EARLIEST <= day <= LATEST:
        if request is not None:
            messages.error(request, out_of_range_message(value))
        return None
    return day


def date_field(value: str | None) -> datetime.date | None:
    """A date typed in a form: empty is ``None``, anything but AAAA-MM-JJ is refused."""
    if not (value or "").strip():
        return None
    try:
        day = datetime.date.fromisoformat(value.strip())
    except ValueError as exc:
        raise ApplicationError(_("Date « %(value)s » illisible : utilisez le format AAAA-MM-JJ (ex. 2024-12-31).")
                               % {"value": value}) from exc
    if not EARLIEST <= day <= LATEST:
        raise ApplicationError(out_of_range_message(value))
    return day


def required_int(value, what: str) -> int:
    number = int_or_none(value)
    if number is None:
        raise ApplicationError(_("Indiquez %(what)s (un nombre entier).") % {"what": what})
    return number


def skill_from_post(request) -> OrgSkill:
    skill_id = int_or_none(request.POST.get("skill"))
    if skill_id:
        return get_object_or_404(OrgSkill, pk=skill_id)
    label = request.POST.get("skill_label", "").strip()
    if label and has_right(request.user, "skills.edit"):
        return services.org_skill_get_or_create(label=label)
    raise ApplicationError(_("Choisissez une compétence dans la liste."))
