"""Dates typed by people (query strings, forms, API input): the span the application accepts.

A well-formed date such as 9999-12-31 is still unusable (its end of day overflows); refusing it where it
is typed gives the person a message instead of a server error."""

import datetime
from typing import Annotated

from django.utils.translation import gettext as _
from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

EARLIEST = datetime.date(1900, 1, 1)
LATEST = datetime.date(2199, 12, 31)


def date_in_range(value: datetime.date) -> datetime.date:
    """``value`` when within EARLIEST..LATEST; a ``date_out_of_range`` validation error otherwise."""
    if not EARLIEST <= value <= LATEST:
        raise PydanticCustomError("date_out_of_range", "date outside 1900-01-01..2199-12-31")
    return value


def out_of_range_message(value) -> str:
    return _("Date « %(value)s » hors limites : choisissez une date entre le 01/01/1900 et le 31/12/2199.") % {
        "value": value}


# An API date field or parameter of that span: ``at: InputDate | None = None``.
InputDate = Annotated[datetime.date, AfterValidator(date_in_range)]
