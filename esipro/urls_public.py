"""URLs of the bare base domain: the platform's front page."""

from django.urls import include, path
from django.views.generic import TemplateView

urlpatterns = [
    path("", TemplateView.as_view(template_name="public/home.html"), name="public_home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("operateur/", include("tenants.urls")),
]

handler403 = "core.errorpages.permission_denied"
handler404 = "core.errorpages.page_not_found"
handler500 = "core.errorpages.server_error"
