from django.urls import path
from django.views.generic import RedirectView

from .views import catalogue, levels, mappings, matrix, profile, review

app_name = "skills_matrix"

urlpatterns = [
    path("", matrix.matrix, name="matrix"),
    path("export.xlsx", matrix.matrix_export, name="matrix_export"),
    path("moi/", profile.my_skills, name="my_skills"),
    path("salaries/<str:staff_number>/", profile.employee_skills, name="employee_skills"),
    path("rapprochements/", mappings.mapping_review, name="mapping_review"),
    path("a-valider/", review.review_queue_page, name="review_queue"),
    path("catalogue/", catalogue.skill_list_page, name="skill_list"),
    path("catalogue/<int:skill_id>/", catalogue.skill_edit_page, name="skill_edit"),
    path("niveaux/", levels.level_scale, name="levels"),
    # Jobs moved to workforce (/emplois/); links and bookmarks to the old pages still land.
    path("emplois/", RedirectView.as_view(pattern_name="workforce:job_list", permanent=True, query_string=True)),
    path("emplois/<int:job_id>/",
         RedirectView.as_view(pattern_name="workforce:job_detail", permanent=True, query_string=True)),
]
