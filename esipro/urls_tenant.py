"""URLs of an organisation's site (<slug>.<base domain>)."""

from django.urls import include, path

from booklet import views as booklet_views
from workforce import views as workforce_views

from .api import api

urlpatterns = [
    path("", workforce_views.dashboard, name="dashboard"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("comptes/", include("accounts.urls")),
    path("", include("workforce.urls")),
    path("competences/", include("skills_matrix.urls")),
    path("referentiels/", include("referentials.urls")),
    path("imports/", include("imports.urls")),
    path("previsions/", include("foresight.urls")),
    path("mobilite/", include("mobility.urls")),
    path("carnet/", include("booklet.urls")),
    # The third party's endorsement page: no account, the secret link only.
    path("endorse/<str:token>", booklet_views.endorse, name="endorse"),
]
