"""The platform operator's pages, on the public host under /operateur/."""

from django.urls import path

from . import views

app_name = "operator"

urlpatterns = [
    path("connexion/", views.login, name="login"),
    path("deconnexion/", views.logout, name="logout"),
    path("", views.organization_list, name="organization_list"),
    path("organisations/<slug:slug>/<slug:action>/", views.organization_state, name="organization_state"),
    path("referentiels/", views.referentials, name="referentials"),
    path("referentiels/<int:upload_id>/", views.referential_upload, name="referential_upload"),
    path("referentiels/<int:upload_id>/etat/", views.referential_upload_status, name="referential_upload_status"),
]
