from django.urls import path

from . import views

app_name = "booklet"

urlpatterns = [
    path("", views.worker_list, name="worker_list"),
    path("moi/", views.my_booklet, name="mine"),
    path("<str:staff_number>/", views.detail, name="detail"),
    path("<str:staff_number>/facile/", views.easy_read, name="easy_read"),
    path("<str:staff_number>/journal/", views.audit_trail, name="audit"),
    path("<str:staff_number>/observation/", views.observation, name="observation"),
    path("<str:staff_number>/experiences/ajouter/", views.experience_add, name="experience_add"),
    path("<str:staff_number>/preuves/ajouter/", views.evidence_add, name="evidence_add"),
    path("<str:staff_number>/entretiens/ajouter/", views.interview_add, name="interview_add"),
    path("<str:staff_number>/parcours/ajouter/", views.pathway_add, name="pathway_add"),
    path("<str:staff_number>/confirmations/demander/", views.endorsement_add, name="endorsement_add"),
]
