"""URLs of the bare base domain: the platform's front page."""

from django.urls import include, path
from django.views.generic import TemplateView

urlpatterns = [
    path("", TemplateView.as_view(template_name="public/home.html"), name="public_home"),
    path("i18n/", include("django.conf.urls.i18n")),
]
