from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("", views.job_list, name="job_list"),
    path("nouveau/", views.job_new, name="job_new"),
    path("<int:job_id>/", views.job_detail, name="job_detail"),
    path("<int:job_id>/apercu/", views.job_preview, name="job_preview"),
    path("<int:job_id>/lancer/", views.job_relaunch, name="job_relaunch"),
    path("<int:job_id>/import-partiel/", views.job_retry_partial, name="job_retry_partial"),
    path("<int:job_id>/emplois-crees/", views.job_created_job_link, name="job_created_job_link"),
    path("<int:job_id>/lignes-rejetees.xlsx", views.job_rejected_rows, name="job_rejected_rows"),
]
