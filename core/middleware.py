"""Refusal of requests no view can serve: a NUL byte in the path, the query string or a form field.

PostgreSQL cannot store or compare a NUL character: such a value would reach a query and fail as a server
error (and, in debug, show the settings). It is refused here, before any view, with a French message."""

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

_JSON_NUL = (b"\x00", b"\\u0000")


class RefuseNulBytesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _carries_nul(request):
            message = _("Requête refusée : l'adresse ou le formulaire contient un caractère nul (%00). Retirez-le "
                        "(il vient souvent d'un copier-coller ou d'un programme) et réessayez.")
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message, "errors": []}, status=400)
            return render(request, "core/bad_request.html", {"message": message}, status=400)
        return self.get_response(request)


def _carries_nul(request) -> bool:
    if "\x00" in request.path:
        return True
    if any("\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()):
        return True
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return False
    if request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return any("\x00" in key or any("\x00" in value for value in values) for key, values in request.POST.lists())
    if request.content_type == "application/json":
        body = request.body.lower()
        return any(marker in body for marker in _JSON_NUL)
    return False
