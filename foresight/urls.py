from django.urls import path  # noqa: F401

from . import pack_views

app_name = "foresight"
urlpatterns: list = [
    # GEPP pack and needs import
    path("scenarios/<int:scenario_id>/pack-gepp.xlsx", pack_views.pack_xlsx, name="pack_xlsx"),
    path("scenarios/<int:scenario_id>/pack-gepp/", pack_views.pack_html, name="pack_html"),
    path("scenarios/<int:scenario_id>/pack-gepp.pdf", pack_views.pack_pdf, name="pack_pdf"),
    path("scenarios/<int:scenario_id>/besoins/import/", pack_views.needs_import, name="needs_import"),
    path("scenarios/<int:scenario_id>/besoins/prospective-nationale/", pack_views.needs_seed, name="needs_seed"),
]
