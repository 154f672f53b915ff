"""Weak passwords are refused wherever a password is set: the service every path calls, user creation,
tenant_create --admin-password, demo_seed --password, operator_create (the invitation and reset link's page:
tests/accounts/test_users.py)."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django_tenants.utils import tenant_context

from accounts.models import User
from accounts.services import password_check, user_create, user_password_set
from core.errors import ApplicationError
from tenants.models import Organization


@pytest.mark.parametrize("password, reason", [
    ("a", "Ce mot de passe est trop court. Il doit contenir au minimum 8 caractères."),
    ("20242025", "Ce mot de passe est entièrement numérique."),
    ("password1", "Ce mot de passe est trop courant."),
])
def test_it_refuses_a_weak_password_with_the_french_reason(password, reason):
    with pytest.raises(ApplicationError) as error:
        password_check(password)
    assert error.value.message.startswith(f"Mot de passe refusé : {reason}")
    assert error.value.extra["errors"][0]["field"] == "password"


def test_it_refuses_a_password_close_to_the_email(db):
    with pytest.raises(ApplicationError) as error:
        password_check("camille.durand", user=User(email="camille.durand@alpha.test"))
    assert "trop semblable" in error.value.message


def test_it_refuses_a_weak_password_when_creating_or_changing_a_user(in_alpha, make_user):
    with pytest.raises(ApplicationError):
        user_create(email="faible@alpha.test", password="12345678")
    assert not User.objects.filter(email="faible@alpha.test").exists()
    user = make_user(in_alpha, "hr")
    with pytest.raises(ApplicationError):
        user_password_set(user=user, password="azerty")
    user.refresh_from_db()
    assert user.check_password("motdepasse-test")
    user_password_set(user=user, password="Lilas-en-avril-2026")
    assert User.objects.get(pk=user.pk).check_password("Lilas-en-avril-2026")


def test_it_refuses_a_weak_admin_password_in_tenant_create_and_creates_nothing(db):
    with pytest.raises(CommandError) as error:
        call_command("tenant_create", "faible", "--name", "Faible", "--admin-email", "chef@faible.fr",
                     "--admin-password", "a")
    assert str(error.value).startswith("Mot de passe refusé : Ce mot de passe est trop court.")
    assert not Organization.objects.filter(slug="faible").exists()


def test_it_refuses_a_weak_demo_password(db):
    with pytest.raises(CommandError) as error:
        call_command("demo_seed", "--password", "12345678", "--skip-referentials")
    assert "Ce mot de passe est entièrement numérique." in str(error.value)


def test_it_keeps_a_strong_password_usable(in_alpha):
    user = user_create(email="forte@alpha.test", password="Lilas-en-avril-2026", role="hr")
    with tenant_context(in_alpha):
        assert User.objects.get(pk=user.pk).check_password("Lilas-en-avril-2026")


def test_it_refuses_a_weak_operator_password_and_creates_no_operator(db):
    from tenants.models import Operator

    with pytest.raises(CommandError) as error:
        call_command("operator_create", "faible@esipro.test", "--password", "abc")
    assert str(error.value).startswith("Mot de passe refusé : Ce mot de passe est trop court.")
    assert not Operator.objects.filter(email="faible@esipro.test").exists()
