"""Lockout after repeated failed sign-ins (django-axes): per account and per address, on the sign-in page and
the API, with a French message, an audit entry, and its release after the cool-off."""

import datetime

from axes.models import AccessAttempt, AccessFailureLog
from django.utils import timezone
from django_tenants.utils import tenant_context

from accounts.services import token_create

LOCKED = "Trop de tentatives de connexion échouées : la connexion est bloquée pendant 15 minutes"


def _sign_in(client, email, password, address="10.0.0.1"):
    return client.post("/comptes/connexion/", {"username": email, "password": password}, REMOTE_ADDR=address)


def test_it_locks_an_account_after_five_failures_even_from_other_addresses(alpha, make_user, client_for):
    user = make_user(alpha, "admin")
    client = client_for(alpha)
    wrong = [_sign_in(client, user.email, f"faux-{n}", address=f"10.0.1.{n}") for n in range(5)]
    assert [r.status_code for r in wrong] == [200] * 4 + [429]  # the fifth failure locks
    assert "Adresse e-mail ou mot de passe incorrect" in wrong[0].content.decode()
    locked = _sign_in(client, user.email.upper(), "motdepasse-test", address="10.0.1.99")
    assert locked.status_code == 429
    assert LOCKED in locked.content.decode()
    with tenant_context(alpha):
        assert AccessFailureLog.objects.filter(username=user.email).count() >= 5
        assert AccessFailureLog.objects.filter(username=user.email, locked_out=True).exists()


def test_it_locks_an_address_that_tries_many_accounts(alpha, make_user, client_for):
    client = client_for(alpha)
    for n in range(5):
        _sign_in(client, f"inconnu-{n}@alpha.test", "faux-mot-de-passe", address="10.0.2.1")
    other = make_user(alpha, "hr")
    assert _sign_in(client, other.email, "motdepasse-test", address="10.0.2.1").status_code == 429
    assert _sign_in(client, other.email, "motdepasse-test", address="10.0.2.2").status_code == 302


def test_it_releases_the_lock_after_the_cool_off(alpha, make_user, client_for):
    user = make_user(alpha, "admin")
    client = client_for(alpha)
    for n in range(5):
        _sign_in(client, user.email, f"faux-{n}")
    assert _sign_in(client, user.email, "motdepasse-test").status_code == 429
    with tenant_context(alpha):  # sixteen minutes later
        AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))
    signed_in = _sign_in(client, user.email, "motdepasse-test")
    assert (signed_in.status_code, signed_in["Location"]) == (302, "/")


def test_it_keeps_the_lock_of_one_organisation_out_of_another(alpha, beta, make_user, client_for):
    email = "meme-adresse@exemple.test"
    make_user(alpha, "admin", email=email)
    make_user(beta, "admin", email=email)
    for n in range(5):
        _sign_in(client_for(alpha), email, f"faux-{n}", address="10.0.3.1")
    assert _sign_in(client_for(alpha), email, "motdepasse-test", address="10.0.3.2").status_code == 429
    assert _sign_in(client_for(beta), email, "motdepasse-test", address="10.0.3.2").status_code == 302


def test_it_locks_an_address_that_tries_wrong_api_tokens(alpha, make_user, client_for):
    user = make_user(alpha, "admin")
    with tenant_context(alpha):
        _token, key = token_create(user=user)
    client = client_for(alpha)
    wrong = [client.get("/api/v1/jobs", HTTP_AUTHORIZATION=f"Bearer esp_faux{n}", REMOTE_ADDR="10.0.4.1")
             for n in range(5)]
    assert [r.status_code for r in wrong] == [401] * 4 + [429]  # the fifth failure locks the address
    locked = client.get("/api/v1/jobs", HTTP_AUTHORIZATION=f"Bearer {key}", REMOTE_ADDR="10.0.4.1")
    assert locked.status_code == 429
    assert locked.json()["detail"].startswith(LOCKED)
    assert client.get("/api/v1/jobs", HTTP_AUTHORIZATION=f"Bearer {key}", REMOTE_ADDR="10.0.4.2").status_code == 200
