from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("mot-de-passe/<str:token>/", views.password_set, name="password_set"),
    path("jetons/", views.token_list, name="token_list"),
    path("jetons/<int:token_id>/revoquer/", views.token_revoke, name="token_revoke"),
    path("utilisateurs/", views.user_list, name="user_list"),
    path("utilisateurs/<int:user_id>/", views.user_detail, name="user_detail"),
    path("utilisateurs/<int:user_id>/equipe/", views.team_edit, name="team_edit"),
    path("utilisateurs/<int:user_id>/<slug:action>/", views.user_action, name="user_action"),
    path("equipes/", views.team_list, name="team_list"),
    path("journal/", views.audit_log, name="audit_log"),
]
