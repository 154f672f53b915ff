from django.urls import path

from . import pack_views, views

app_name = "foresight"
urlpatterns = [
    path("", views.scenario_list, name="scenario_list"),
    path("nouveau/", views.scenario_create, name="scenario_create"),
    path("comparer/", views.scenario_compare, name="scenario_compare"),
    path("<int:scenario_id>/", views.scenario_dashboard, name="scenario_dashboard"),
    path("<int:scenario_id>/modifier/", views.scenario_edit, name="scenario_edit"),
    path("<int:scenario_id>/copier/", views.scenario_copy, name="scenario_copy"),
    path("<int:scenario_id>/supprimer/", views.scenario_delete, name="scenario_delete"),
    path("<int:scenario_id>/besoins/", views.need_save, name="need_save"),
    path("<int:scenario_id>/besoins/<int:need_id>/supprimer/", views.need_delete, name="need_delete"),
    path("<int:scenario_id>/hypotheses/emploi/", views.job_override_save, name="job_override_save"),
    path("<int:scenario_id>/hypotheses/unite/", views.unit_override_save, name="unit_override_save"),
    # GEPP pack and needs import
    path("<int:scenario_id>/dossier-gepp.xlsx", pack_views.pack_xlsx, name="pack_xlsx"),
    path("<int:scenario_id>/dossier-gepp/", pack_views.pack_html, name="pack_html"),
    path("<int:scenario_id>/dossier-gepp.pdf", pack_views.pack_pdf, name="pack_pdf"),
    path("<int:scenario_id>/besoins/import/", pack_views.needs_import, name="needs_import"),
    path("<int:scenario_id>/besoins/prospective-nationale/", pack_views.needs_seed, name="needs_seed"),
]
