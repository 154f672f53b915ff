"""French error pages, whatever raised them: "No Employee matches the given query." becomes a sentence."""

import re

from django.apps import apps
from django.shortcuts import render
from django.utils.translation import gettext as _

_NO_MATCH = re.compile(r"^No (?P<model>\w+) matches the given query\.?$")


def not_found_message(exception, *, default: str | None = None) -> str:
    """The French sentence for a 404: names what was looked for when ``get_object_or_404`` raised it."""
    text = str(exception) if exception else ""
    match = _NO_MATCH.match(text)
    if match:
        for model in apps.get_models():
            if model.__name__ == match["model"]:
                return _("Introuvable : aucun élément « %(thing)s » ne correspond à cette adresse, ou vous n'y "
                         "avez pas accès.") % {"thing": model._meta.verbose_name}
    if text and not text.isascii():
        return text  # already a sentence of ours
    if default is not None:
        return default
    return _("Introuvable : cette page n'existe pas, ou elle n'est pas accessible depuis votre compte.")


def page_not_found(request, exception=None):
    return render(request, "404.html", {"reason": not_found_message(exception)}, status=404)


def permission_denied(request, exception=None):
    return render(request, "403.html", {"exception": str(exception) if exception else ""}, status=403)


def server_error(request):
    return render(request, "500.html", status=500)
