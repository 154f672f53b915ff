"""The one NinjaAPI of Esi Pro, mounted at /api/v1/ on organisation hosts."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext
from ninja import NinjaAPI
from ninja.security import HttpBearer, SessionAuth

from accounts.services import token_authenticate

from .errors import ApplicationError


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        user = token_authenticate(token)
        if user is not None:
            request.user = user
        return user


class BrowserSession(SessionAuth):
    """The browser's session (with CSRF on unsafe methods)."""


api = NinjaAPI(
    title="Esi Pro API",
    version="1",
    urls_namespace="api",
    auth=[BearerToken(), BrowserSession()],
    docs_url="/docs",
)


@api.exception_handler(ApplicationError)
def application_error(request, exc: ApplicationError):
    return api.create_response(request, {"detail": exc.message, **exc.extra}, status=exc.status)


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc):
    return api.create_response(
        request, {"detail": gettext("Vous n'avez pas les droits nécessaires pour cette action.")}, status=403
    )


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": gettext("Introuvable.")}, status=404)


def _register_routers() -> None:
    from imports.api import router as imports_router
    from referentials.api import router as referentials_router
    from referentials.api_suggest import router as suggest_router
    from skills_matrix.api import router as skills_router
    from workforce.api import router as workforce_router

    api.add_router("/", workforce_router)
    api.add_router("/", skills_router)
    api.add_router("/referentials", referentials_router)
    api.add_router("/referentials", suggest_router)
    api.add_router("/imports", imports_router)


_register_routers()
