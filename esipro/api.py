"""The one NinjaAPI of Esi Pro, mounted at /api/v1/ on organisation hosts."""

import json

from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext
from ninja import NinjaAPI, Swagger
from ninja.errors import HttpError, ValidationError
from ninja.security import HttpBearer, SessionAuth

from accounts.lockout import lockout_message
from accounts.services import token_authenticate
from core.errorpages import not_found_message
from core.errors import ApplicationError


class BearerToken(HttpBearer):
    """A personal API token. Wrong tokens count as failed sign-ins of the caller's address (django-axes):
    past the limit, the address is refused (429) like the sign-in page."""

    def authenticate(self, request, token):
        if AxesProxyHandler.is_locked(request, credentials={}):
            raise HttpError(429, lockout_message())
        user = token_authenticate(token)
        if user is None:
            user_login_failed.send(sender=BearerToken, credentials={}, request=request)
            return None
        request.user = user
        return user


class BrowserSession(SessionAuth):
    """The browser's session (with CSRF on unsafe methods)."""


class StaticSwagger(Swagger):
    """Swagger UI from the app's own static files (static/vendor/swagger-ui): the docs page loads nothing
    from another host and works offline."""

    def render_page(self, request, api, **kwargs):
        self.settings["url"] = self.get_openapi_url(api, kwargs)
        return render(request, "api/docs.html", {
            "swagger_settings": json.dumps(self.settings), "api": api, "add_csrf": True,
        })


api = NinjaAPI(
    title="Esi Pro API",
    version="1",
    urls_namespace="api",
    auth=[BearerToken(), BrowserSession()],
    docs_url="/docs",
    docs=StaticSwagger(),
)


@api.exception_handler(ApplicationError)
def application_error(request, exc: ApplicationError):
    return api.create_response(request, {"detail": exc.message, **exc.extra}, status=exc.status)


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc):
    """The refusal names the roles that may do the action (``accounts.permissions.refusal_message``)."""
    detail = str(exc) or gettext("Vous n'avez pas les droits nécessaires pour cette action.")
    return api.create_response(request, {"detail": detail}, status=403)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": not_found_message(exc, default=gettext("Introuvable."))}, status=404)


# Pydantic error types (https://docs.pydantic.dev/latest/errors/validation_errors/) and what to type instead.
_INPUT_MESSAGES = [
    (("date_out_of_range",), lambda: gettext("Date hors limites : choisissez une date entre 1900-01-01 et "
                                             "2199-12-31.")),
    (("date_",), lambda: gettext("Date invalide : utilisez AAAA-MM-JJ (ex. 2024-12-31).")),
    (("datetime_", "timezone_"), lambda: gettext("Date et heure invalides : utilisez AAAA-MM-JJTHH:MM (ex. "
                                                 "2024-12-31T08:30).")),
    (("int_",), lambda: gettext("Nombre entier attendu (ex. 3).")),
    (("float_", "decimal_"), lambda: gettext("Nombre attendu (ex. 1.5).")),
    (("bool_",), lambda: gettext("Valeur attendue : true ou false.")),
    (("missing",), lambda: gettext("Champ obligatoire : indiquez-le.")),
    (("string_",), lambda: gettext("Texte attendu.")),
    (("list_", "tuple_", "set_"), lambda: gettext("Liste attendue (ex. [1, 2]).")),
    (("model_", "dict_"), lambda: gettext("Objet JSON attendu (ex. {\"level\": 2}).")),
    (("enum", "literal_"), lambda: gettext("Valeur inconnue : consultez les valeurs permises dans /api/v1/docs.")),
]
_WHERE = {"body", "query", "path", "header", "cookie", "form", "file"}


def _input_message(error_type: str) -> str:
    for prefixes, message in _INPUT_MESSAGES:
        if error_type.startswith(prefixes):
            return message()
    return gettext("Valeur invalide : consultez le format attendu dans /api/v1/docs.")


def _field_name(loc) -> str:
    """``("query", "at")`` → ``at``; ``("body", "payload", "level")`` → ``level`` (the operation's body
    parameter is not a field the caller typed)."""
    parts = [str(part) for part in loc]
    if len(parts) > 2 and parts[0] == "body":
        parts = parts[2:]
    elif parts and parts[0] in _WHERE:
        parts = parts[1:]
    return ".".join(parts)


@api.exception_handler(ValidationError)
def input_invalid(request, exc: ValidationError):
    errors = [
        {"field": _field_name(error.get("loc", ())),
         "message": _input_message(error.get("type", ""))}
        for error in exc.errors
    ]
    detail = "; ".join(
        gettext("« %(field)s » : %(message)s") % error if error["field"] else error["message"] for error in errors
    )
    return api.create_response(
        request, {"detail": gettext("Saisie invalide. %(errors)s") % {"errors": detail}, "errors": errors}, status=422
    )


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    # Ninja's only HttpError with a client-side fix: a body that is not JSON.
    if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
        message = gettext("Corps de la requête illisible : envoyez un objet JSON valide (ex. {\"level\": 2}) "
                          "avec l'en-tête Content-Type: application/json.")
        return api.create_response(request, {"detail": message, "errors": []}, status=400)
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


def _register_routers() -> None:
    from accounts.api import router as accounts_router
    from booklet.api import router as booklet_router
    from foresight.api import router as foresight_router
    from imports.api import router as imports_router
    from mobility.api import router as mobility_router
    from referentials.api import router as referentials_router
    from referentials.api_suggest import router as suggest_router
    from skills_matrix.api import router as skills_router
    from workforce.api import router as workforce_router

    api.add_router("/", workforce_router)
    api.add_router("/", skills_router)
    api.add_router("/referentials", referentials_router)
    api.add_router("/referentials", suggest_router)
    api.add_router("/imports", imports_router)
    api.add_router("/", accounts_router)
    api.add_router("/", foresight_router)
    api.add_router("/", mobility_router)
    api.add_router("/", booklet_router)


_register_routers()
