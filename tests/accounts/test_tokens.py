"""API tokens: a new token's clear value is shown once, in the answer to its creation, and stored nowhere on
the server (not in the session table either, only its hash); a revoked token, someone else's revocation and a
request without a token are refused."""

import re

from django.contrib.sessions.models import Session
from django_tenants.utils import tenant_context

from accounts.models import ApiToken
from accounts.services import token_create, token_revoke


def test_it_shows_a_new_token_once_and_keeps_it_out_of_the_session(in_alpha, make_user, client_for):
    user = make_user(in_alpha, "hr")
    client = client_for(in_alpha, user)
    created = client.post("/comptes/jetons/", {"name": "export paie"})
    assert created.status_code == 200
    assert created["Cache-Control"] == "no-store"
    key = re.search(r'<code id="new-token">([^<]+)</code>', created.content.decode()).group(1)
    with tenant_context(in_alpha):
        assert ApiToken.objects.get(user=user).key_hash == ApiToken.hash(key)
        stored = [session.get_decoded() for session in Session.objects.all()]
    assert stored and all(key not in repr(data) for data in stored)
    assert key not in client.get("/comptes/jetons/").content.decode()
    assert client.get("/api/v1/jobs", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200


def text_of(response) -> str:
    return response.content.decode()


def test_it_shows_a_new_token_once_and_revokes_it(in_alpha, client_for, make_user, employee_factory):
    employee_factory(staff_number="T-001")
    user = make_user(in_alpha, "admin")
    client = client_for(in_alpha, user)

    created = client.post("/comptes/jetons/", {"name": "export paie"}, follow=True)
    key = re.search(r'<code id="new-token">(esi_[\w-]+)</code>', text_of(created)).group(1)
    assert "Jeton créé. Copiez-le maintenant" in text_of(created)
    assert "export paie" in text_of(created)
    again = client.get("/comptes/jetons/")
    assert key not in text_of(again) and 'id="new-token"' not in text_of(again)

    api = client_for(in_alpha, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert api.get("/api/v1/employees/T-001").json()["staff_number"] == "T-001"

    token_id = re.search(r'action="/comptes/jetons/(\d+)/revoquer/"', text_of(again)).group(1)
    revoked = client.post(f"/comptes/jetons/{token_id}/revoquer/", follow=True)
    assert "Jeton révoqué" in text_of(revoked)
    assert "<td>révoqué</td>" in text_of(revoked)
    assert api.get("/api/v1/employees/T-001").status_code == 401


def test_it_does_not_let_a_user_revoke_someone_elses_token(in_alpha, client_for, make_user):
    owner, other = make_user(in_alpha, "admin"), make_user(in_alpha, "hr")
    with tenant_context(in_alpha):
        token, key = token_create(user=owner)
    response = client_for(in_alpha, other).post(f"/comptes/jetons/{token.pk}/revoquer/")
    assert response.status_code == 404
    api = client_for(in_alpha, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert api.get("/api/v1/employees").status_code == 200


def test_it_requires_authentication(in_alpha, client_for):
    assert client_for(in_alpha).get("/api/v1/employees").status_code == 401


def test_it_refuses_a_revoked_token(in_alpha, make_user, client_for):
    token, key = token_create(user=make_user(in_alpha, "admin"))
    token_revoke(token=token)
    response = client_for(in_alpha, HTTP_AUTHORIZATION=f"Bearer {key}").get("/api/v1/employees")
    assert response.status_code == 401


def test_it_stores_only_a_hash_of_the_token(in_alpha, make_user):
    token, key = token_create(user=make_user(in_alpha, "admin"))
    assert key not in (token.key_hash, token.key_hint)
    assert len(token.key_hash) == 64
