from django.urls import path

from . import views

app_name = "skills_matrix"

urlpatterns = [
    path("", views.matrix, name="matrix"),
    path("export.xlsx", views.matrix_export, name="matrix_export"),
    path("moi/", views.my_skills, name="my_skills"),
    path("salaries/<str:staff_number>/", views.employee_skills, name="employee_skills"),
    path("emplois/", views.job_list_page, name="job_list"),
    path("emplois/nouveau/", views.job_create_page, name="job_create"),
    path("emplois/<int:job_id>/", views.job_detail, name="job_detail"),
    path("rapprochements/", views.mapping_review, name="mapping_review"),
    path("catalogue/", views.skill_list_page, name="skill_list"),
    path("catalogue/<int:skill_id>/", views.skill_edit_page, name="skill_edit"),
    path("niveaux/", views.level_scale, name="levels"),
]
