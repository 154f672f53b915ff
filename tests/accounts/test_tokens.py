"""A new API token's clear value is shown once, in the answer to its creation, and stored nowhere on the
server (not in the session table either)."""

import re

from django.contrib.sessions.models import Session
from django_tenants.utils import tenant_context

from accounts.models import ApiToken


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
