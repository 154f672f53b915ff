"""Translation of the engine's messages to the user, without importing Django.

The messages are written in French (the source language of Esi Pro) and marked with ``_`` so that
``manage.py makemessages`` extracts them. Inside the application, ``_`` is Django's ``gettext``:
the message follows the language of the request (or task) that runs the engine. Run on its own
(benchmarks, scripts: Django absent or not set up), the engine keeps its French messages.
"""

from __future__ import annotations

import sys


def gettext_noop(message: str) -> str:
    """Mark a message for extraction only; it is translated where it is used."""
    return message


def _(message: str) -> str:
    translation = sys.modules.get("django.utils.translation")
    apps = sys.modules.get("django.apps")
    if translation is None or apps is None or not apps.apps.ready:
        return message
    return translation.gettext(message)
