from django.urls import path

from . import views

app_name = "workforce"

urlpatterns = [
    path("", views.employee_list, name="employee_list"),
    path("moi/", views.my_profile, name="my_profile"),
    path("<str:staff_number>/", views.employee_detail, name="employee_detail"),
]
