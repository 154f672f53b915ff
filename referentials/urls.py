from django.urls import path

from . import views

app_name = "referentials"

urlpatterns = [
    path("metiers/", views.occupation_list, name="occupation_list"),
    path("metiers/<str:code>/", views.occupation_detail, name="occupation_detail"),
]
