"""URLs of an organisation's site (<slug>.<base domain>)."""

from importlib.util import find_spec

from django.urls import include, path

from workforce import views as workforce_views

from .api import api

urlpatterns = [
    path("", workforce_views.dashboard, name="dashboard"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("comptes/", include("accounts.urls")),
    path("salaries/", include("workforce.urls")),
]

# Each app's pages, mounted when the app provides them.
for module, prefix in [
    ("skills_matrix.urls", "competences/"),
    ("referentials.urls", "referentiels/"),
    ("imports.urls", "imports/"),
    ("mobility.urls", "mobilite/"),
    ("reports.urls", "indicateurs/"),
]:
    if find_spec(module) is not None:
        urlpatterns.append(path(prefix, include(module)))
