from django.urls import path

from . import views

app_name = "mobility"
urlpatterns = [
    path("", views.my_paths, name="my_paths"),
    path("salaries/<str:staff_number>/", views.employee_paths, name="employee_paths"),
    path("salaries/<str:staff_number>/souhaits/", views.wish, name="wish"),
    path("emplois/", views.job_list_page, name="job_list"),
    path("emplois/<int:job_id>/candidats/", views.job_candidates, name="job_candidates"),
    path("formations/", views.training_list_page, name="training_list"),
    path("formations/import/", views.training_import_page, name="training_import"),
    path("formations/<int:training_id>/", views.training_edit_page, name="training_edit"),
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/<int:plan_id>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:plan_id>/export.xlsx", views.plan_export, name="plan_export"),
]
