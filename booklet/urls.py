from django.urls import path

from . import views

app_name = "booklet"

urlpatterns = [
    path("", views.worker_list, name="worker_list"),
    path("moi/", views.my_booklet, name="mine"),
    path("entretiens/", views.tracker, name="tracker"),
    path("entretiens.xlsx", views.tracker_export, name="tracker_export"),
    path("indicateurs/", views.indicators, name="indicators"),
    path("indicateurs.xlsx", views.indicators_export, name="indicators_export"),
    path("rgpd/", views.gdpr, name="gdpr"),
    path("<str:staff_number>/", views.detail, name="detail"),
    path("<str:staff_number>/facile/", views.easy_read, name="easy_read"),
    path("<str:staff_number>/cv/", views.cv, name="cv"),
    path("<str:staff_number>/cv/imprimer/", views.cv_print, name="cv_print"),
    path("<str:staff_number>/cv.pdf", views.cv_pdf, name="cv_pdf"),
    path("<str:staff_number>/journal/", views.audit_trail, name="audit"),
    path("<str:staff_number>/observation/", views.observation, name="observation"),
    path("<str:staff_number>/experiences/ajouter/", views.experience_add, name="experience_add"),
    path("<str:staff_number>/preuves/ajouter/", views.evidence_add, name="evidence_add"),
    path("<str:staff_number>/entretiens/ajouter/", views.interview_add, name="interview_add"),
    path("<str:staff_number>/parcours/ajouter/", views.pathway_add, name="pathway_add"),
    path("<str:staff_number>/experiences/<int:item_id>/modifier/", views.experience_edit, name="experience_edit"),
    path("<str:staff_number>/preuves/<int:item_id>/modifier/", views.evidence_edit, name="evidence_edit"),
    path("<str:staff_number>/entretiens/<int:item_id>/modifier/", views.interview_edit, name="interview_edit"),
    path("<str:staff_number>/parcours/<int:item_id>/modifier/", views.pathway_edit, name="pathway_edit"),
    path("<str:staff_number>/retirer/<str:kind>/<int:item_id>/", views.item_delete, name="item_delete"),
    path("<str:staff_number>/orientation/ajouter/", views.orientation_add, name="orientation_add"),
    path("<str:staff_number>/confirmations/demander/", views.endorsement_add, name="endorsement_add"),
]
