"""Suspending an organisation takes effect at once in every web process, not only the one that suspended it."""

import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

from accounts.services import token_create
from tenants.models import Organization
from tenants.services import organization_create, organization_suspend
from tests import conftest

ROOT = Path(__file__).resolve().parents[2]
# A second web process: the application behind a WSGI server on a free port, which it prints.
SERVER = (
    "import django, sys; django.setup(); from wsgiref.simple_server import make_server, WSGIRequestHandler; "
    "from django.core.wsgi import get_wsgi_application; "
    "WSGIRequestHandler.log_message = lambda *a: None; "
    "server = make_server('127.0.0.1', 0, get_wsgi_application()); "
    "print(server.server_port, flush=True); server.serve_forever()"
)


def _status(port: int, host: str) -> int:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/comptes/connexion/", headers={"Host": host})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_it_refuses_a_suspended_organisation_at_once_in_another_process(committed_org, django_db_blocker):
    env = dict(os.environ, DATABASE_URL=conftest.worker_database_url(), DJANGO_SETTINGS_MODULE="esipro.settings",
               ESIPRO_DOMAIN_CACHE_SECONDS="3600")
    server = subprocess.Popen([sys.executable, "-c", SERVER], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    host = committed_org.get_primary_domain().domain
    try:
        port = int(server.stdout.readline())
        assert _status(port, host) == 200  # the other process now holds the organisation in its cache
        with django_db_blocker.unblock():
            organization_suspend(slug=committed_org.slug)
        assert _status(port, host) == 403  # its very next request
        with django_db_blocker.unblock():
            organization_suspend(slug=committed_org.slug, active=True)
        assert _status(port, host) == 200
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_it_refuses_a_token_of_a_suspended_organisation(in_alpha, make_user, client_for):
    _token, key = token_create(user=make_user(in_alpha, "admin"))
    client = client_for(in_alpha, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert client.get("/api/v1/employees").status_code == 200
    organization_suspend(slug="alpha")
    try:
        response = client.get("/api/v1/employees")
        assert response.status_code == 403
        assert "suspendu" in response.content.decode()
    finally:
        organization_suspend(slug="alpha", active=True)


def test_it_answers_403_with_a_message_for_a_suspended_organisation(db, client_for, make_user):
    organization = organization_create(slug="epsilon", name="Epsilon")
    user = make_user(organization, "admin")
    client = client_for(organization, user)
    Organization.objects.filter(pk=organization.pk).update(is_active=False)
    from tenants.middleware import domain_cache_clear

    domain_cache_clear()
    response = client.get("/")
    assert response.status_code == 403
    assert "suspendu" in response.content.decode()
