"""The organisation URLs plus stand-ins for the GEPP pack and needs import routes (built elsewhere), to check
that the dashboard and the scenario page link to them once they exist."""

from django.http import HttpResponse
from django.urls import include, path

from esipro.urls_tenant import urlpatterns as tenant_urlpatterns
from foresight.urls import urlpatterns as foresight_urlpatterns


def stand_in(request, scenario_id):
    return HttpResponse("ok")


extra = [
    path("<int:scenario_id>/dossier.xlsx", stand_in, name="pack_xlsx"),
    path("<int:scenario_id>/dossier/", stand_in, name="pack_html"),
    path("<int:scenario_id>/dossier.pdf", stand_in, name="pack_pdf"),
    path("<int:scenario_id>/besoins/import/", stand_in, name="needs_import"),
]
urlpatterns = [path("previsions/", include((foresight_urlpatterns + extra, "foresight")))] + [
    p for p in tenant_urlpatterns if "previsions" not in str(getattr(p, "pattern", ""))]
