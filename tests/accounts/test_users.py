"""Invitations, set-password links, account changes and their audit log (services and pages)."""

import datetime

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from accounts.models import AuditEntry, PasswordLink, User
from accounts.services import password_link_use, user_invite, user_update
from core.errors import ApplicationError


def pk_unknown_in(other, user: User) -> User:
    """``user`` moved to an id no account of ``other`` has (each schema numbers its own rows)."""
    with tenant_context(other):
        highest = User.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    User.objects.filter(pk=user.pk).update(id=highest + user.pk + 1000)
    return User.objects.get(email=user.email)


SITE = {"site_url": "http://alpha.localhost/", "organization_name": "Alpha Industrie"}
PASSWORD = "Atelier-Soudure-2026"


@pytest.fixture
def admin(in_alpha, make_user):
    return make_user(in_alpha, "admin")


def test_it_invites_by_email_with_a_single_use_link_stored_hashed(admin, mailoutbox, token_of):
    user = user_invite(actor=admin, email="Rose.Herault@Alpha.test", role="hr", full_name="Rose Hérault", **SITE)

    assert user.email == "rose.herault@alpha.test"
    assert not user.has_usable_password()
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["rose.herault@alpha.test"]
    assert mail.subject == "Invitation à Esi Pro – Alpha Industrie"
    assert "expire dans 7 jours" in mail.body
    token = token_of(mail)
    link = PasswordLink.objects.get(user=user)
    assert token not in link.token_hash and len(link.token_hash) == 64
    assert link.expires_at - link.created_at == datetime.timedelta(days=7)

    password_link_use(token=token, password=PASSWORD, confirmation=PASSWORD)
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    with pytest.raises(ApplicationError, match="n'est plus valable"):
        password_link_use(token=token, password=PASSWORD, confirmation=PASSWORD)
    actions = list(AuditEntry.objects.filter(target=user).order_by("at", "id").values_list("action", "actor_email"))
    assert actions == [("invited", admin.email), ("password_set", "rose.herault@alpha.test")]


def test_it_refuses_an_expired_link_and_says_so(admin, mailoutbox, token_of):
    user = user_invite(actor=admin, email="late@alpha.test", role="employee", **SITE)
    PasswordLink.objects.filter(user=user).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    with pytest.raises(ApplicationError, match="Ce lien a expiré le"):
        password_link_use(token=token_of(mailoutbox[0]), password=PASSWORD, confirmation=PASSWORD)


def test_it_refuses_a_weak_or_mistyped_password_in_french(admin, mailoutbox, token_of):
    user_invite(actor=admin, email="weak@alpha.test", role="employee", **SITE)
    token = token_of(mailoutbox[0])
    with pytest.raises(ApplicationError, match="ne sont pas identiques"):
        password_link_use(token=token, password=PASSWORD, confirmation=PASSWORD + "x")
    with pytest.raises(ApplicationError, match="Mot de passe refusé : .*trop court"):
        password_link_use(token=token, password="abc", confirmation="abc")


def test_it_stops_the_previous_link_when_the_invitation_is_resent(in_alpha, admin, client_for, mailoutbox, token_of):
    user = user_invite(actor=admin, email="again@alpha.test", role="employee", **SITE)
    client = client_for(in_alpha, admin)
    response = client.post(f"/comptes/utilisateurs/{user.pk}/renvoyer-invitation/", follow=True)
    assert "Nouvelle invitation envoyée à again@alpha.test" in response.content.decode()
    first, second = token_of(mailoutbox[0]), token_of(mailoutbox[1])
    anonymous = client_for(in_alpha)
    assert "plus valable" in anonymous.get(f"/comptes/mot-de-passe/{first}/").content.decode()
    page = anonymous.get(f"/comptes/mot-de-passe/{second}/")
    assert page.status_code == 200
    assert "Choisir votre mot de passe" in page.content.decode()


def test_it_sets_the_password_from_the_page_and_signs_in(in_alpha, admin, client_for, mailoutbox, token_of):
    user_invite(actor=admin, email="page@alpha.test", role="supervisor", full_name="Paul Page", **SITE)
    client = client_for(in_alpha)
    url = f"/comptes/mot-de-passe/{token_of(mailoutbox[0])}/"
    refused = client.post(url, {"password": "court", "confirmation": "court"})
    assert refused.status_code == 400
    assert "Mot de passe refusé" in refused.content.decode()
    response = client.post(url, {"password": PASSWORD, "confirmation": PASSWORD}, follow=True)
    assert response.status_code == 200
    assert "Mot de passe enregistré : bienvenue dans Esi Pro." in response.content.decode()
    assert "Paul Page" in response.content.decode()


def test_it_lists_users_with_their_status_and_invites_from_the_page(in_alpha, admin, client_for, mailoutbox,
                                                                    employee_factory):
    employee_factory(staff_number="A-100")
    client = client_for(in_alpha, admin)
    response = client.post("/comptes/utilisateurs/", {
        "email": "new@alpha.test", "full_name": "Nina Neuve", "role": "hr", "staff_number": "A-100"}, follow=True)
    html = response.content.decode()
    assert "Invitation envoyée à new@alpha.test : le lien reste valable 7 jours." in html
    assert 'data-status="pending"' in html and "Invitation en attente" in html
    assert User.objects.get(email="new@alpha.test").employee.staff_number == "A-100"
    assert len(mailoutbox) == 1

    duplicate = client.post("/comptes/utilisateurs/", {"email": "new@alpha.test", "role": "hr"})
    assert "Un compte existe déjà pour new@alpha.test." in duplicate.content.decode()
    unknown = client.post("/comptes/utilisateurs/", {"email": "x@alpha.test", "role": "hr", "staff_number": "NOPE"})
    assert "Aucune fiche salarié de matricule « NOPE »" in unknown.content.decode()
    assert len(mailoutbox) == 1


def test_it_changes_a_role_deactivates_and_reactivates_with_an_audit_trail(in_alpha, admin, make_user, client_for):
    other = make_user(in_alpha, "employee", email="emp@alpha.test")
    client = client_for(in_alpha, admin)
    client.post(f"/comptes/utilisateurs/{other.pk}/", {"role": "supervisor", "full_name": other.full_name,
                                                        "staff_number": ""})
    client.post(f"/comptes/utilisateurs/{other.pk}/desactiver/")
    other.refresh_from_db()
    assert other.role == "supervisor" and not other.is_active
    # signing in goes through the login page (the lockout backend needs the request)
    stranger = client_for(in_alpha)
    refused = stranger.post("/comptes/connexion/", {"username": "emp@alpha.test", "password": "motdepasse-test"})
    assert refused.status_code == 200 and "_auth_user_id" not in stranger.session
    client.post(f"/comptes/utilisateurs/{other.pk}/reactiver/")

    log = client.get("/comptes/journal/").content.decode()
    for text in ("Rôle modifié", "Salarié", "Encadrant", "Compte désactivé", "Compte réactivé", admin.email):
        assert text in log
    entries = list(AuditEntry.objects.filter(target=other).values_list("action", flat=True))
    assert entries == ["reactivated", "deactivated", "role_changed"]


def test_it_keeps_the_last_active_administrator(admin):
    with pytest.raises(ApplicationError, match="dernier administrateur actif"):
        user_update(actor=admin, user=admin, role="hr")
    with pytest.raises(ApplicationError, match="propre compte"):
        user_update(actor=admin, user=admin, is_active=False)


def test_it_sends_a_password_reset_link_to_an_active_account(in_alpha, admin, make_user, client_for, mailoutbox, token_of):
    other = make_user(in_alpha, "employee", email="reset@alpha.test")
    client = client_for(in_alpha, admin)
    response = client.post(f"/comptes/utilisateurs/{other.pk}/reinitialiser-mot-de-passe/", follow=True)
    assert "Lien de réinitialisation du mot de passe envoyé à reset@alpha.test." in response.content.decode()
    assert "expire dans 24 heures" in mailoutbox[0].body
    password_link_use(token=token_of(mailoutbox[0]), password=PASSWORD, confirmation=PASSWORD)
    other.refresh_from_db()
    assert other.check_password(PASSWORD)


def test_it_refuses_the_users_pages_to_hr_and_names_the_role(in_alpha, make_user, client_for):
    hr = make_user(in_alpha, "hr")
    client = client_for(in_alpha, hr)
    for url in ("/comptes/utilisateurs/", f"/comptes/utilisateurs/{hr.pk}/", "/comptes/journal/"):
        response = client.get(url)
        assert response.status_code == 403
        assert "Action réservée au rôle : administrateur." in response.content.decode()
    assert client.post(f"/comptes/utilisateurs/{hr.pk}/desactiver/").status_code == 403


def test_it_answers_404_for_another_organisations_account(in_alpha, beta, make_user, client_for):
    beta_admin = make_user(beta, "admin")
    alpha_user = pk_unknown_in(beta, make_user(in_alpha, "employee"))
    client = client_for(beta, beta_admin)
    page = client.get(f"/comptes/utilisateurs/{alpha_user.pk}/")
    assert page.status_code == 404
    assert "Introuvable : aucun élément « utilisateur » ne correspond à cette adresse" in page.content.decode()
    for action in ("desactiver", "reactiver", "renvoyer-invitation", "reinitialiser-mot-de-passe"):
        assert client.post(f"/comptes/utilisateurs/{alpha_user.pk}/{action}/").status_code == 404
