from django.urls import path

from .views import employees, jobs

app_name = "workforce"

urlpatterns = [
    path("salaries/", employees.employee_list, name="employee_list"),
    path("salaries/moi/", employees.my_profile, name="my_profile"),
    path("salaries/<str:staff_number>/", employees.employee_detail, name="employee_detail"),
    path("emplois/", jobs.job_list_page, name="job_list"),
    path("emplois/nouveau/", jobs.job_create_page, name="job_create"),
    path("emplois/<int:job_id>/", jobs.job_detail, name="job_detail"),
]
