from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("jetons/", views.token_list, name="token_list"),
    path("jetons/<int:token_id>/revoquer/", views.token_revoke, name="token_revoke"),
]
