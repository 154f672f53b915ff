"""Test infrastructure: the only place (with middleware, task base and commands) that picks a schema.

- The test database is created once (``ESIPRO_TEST_ID`` names it, so several runs can share a server);
  the template schema and two organisations, ``alpha`` and ``beta``, are created once per session.
- ``in_alpha`` / ``in_beta`` run a test inside that organisation's schema (rolled back after).
- ``client_for(org, user=None)`` is a Django test client on the organisation's host that puts the
  connection back on the test's schema after each request.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager

import pytest
from django.db import connection
from django.test import Client
from django_tenants.utils import tenant_context

pytest_plugins = ["tests.plugins"]

IN_CI = os.environ.get("CI", "").lower() == "true"

# The suite imports the full ROME and ESCO: with the sentence encoder on, the first suggestion would embed
# their ~60,000 labels (minutes). Suggestions run on the lexical engine here, worker processes included;
# the encoder is tested on a small real slice of ROME (tests/referentials/test_encoder.py).
os.environ["ESIPRO_ENCODER"] = ""


@pytest.fixture(scope="session", autouse=True)
def _lexical_suggestions():
    from django.conf import settings

    settings.ESIPRO_ENCODER = ""
    yield


def service_answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def require_service(name: str, host: str, port: int) -> None:
    """Skip outside CI when a service is absent; in CI a missing service is a failure."""
    if service_answers(host, port):
        return
    message = f"{name} ne répond pas sur {host}:{port}"
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from django.test.utils import setup_databases, teardown_databases

    from tenants.models import Organization
    from tenants.services import organization_create, template_schema_sync

    own = None
    if connection.settings_dict["NAME"] != connection.settings_dict["TEST"]["NAME"]:
        # pytest-django sets up the test database only for tests that ask for ``db`` (or its mark); a run of
        # browser or worker tests alone (committed organisations, no ``db``) needs it all the same.
        with django_db_blocker.unblock():
            own = setup_databases(verbosity=0, interactive=False, aliases={"default"})
    with django_db_blocker.unblock():
        template_schema_sync()
        for slug, name, kind in [("alpha", "Alpha Industrie", "company"), ("beta", "ESAT Beta", "esat")]:
            if not Organization.objects.filter(slug=slug).exists():
                organization_create(slug=slug, name=name, kind=kind)
        connection.set_schema_to_public()
    yield
    if own is not None:
        with django_db_blocker.unblock():
            teardown_databases(own, verbosity=0)


@pytest.fixture
def alpha(django_db_setup, django_db_blocker):
    from tenants.models import Organization

    with django_db_blocker.unblock():
        return Organization.objects.get(slug="alpha")


@pytest.fixture
def beta(django_db_setup, django_db_blocker):
    from tenants.models import Organization

    with django_db_blocker.unblock():
        return Organization.objects.get(slug="beta")


@pytest.fixture
def in_alpha(db, alpha):
    with tenant_context(alpha):
        yield alpha


@pytest.fixture
def in_beta(db, beta):
    with tenant_context(beta):
        yield beta


class OrganizationClient(Client):
    """A test client on ``<slug>.localhost`` that restores the caller's schema after each request."""

    def __init__(self, organization, **defaults):
        self.organization = organization
        super().__init__(HTTP_HOST=organization.get_primary_domain().domain, **defaults)

    def request(self, **request):
        previous = connection.schema_name
        try:
            return super().request(**request)
        finally:
            if previous == "public":
                connection.set_schema_to_public()
            else:
                connection.set_schema(previous)

    def force_login(self, user, backend=None):
        with tenant_context(self.organization):
            super().force_login(user, backend)


@pytest.fixture
def client_for(db):
    def make(organization, user=None, **defaults):
        client = OrganizationClient(organization, **defaults)
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def make_user(db):
    """``make_user(org, role, employee=None)``: a user of that organisation with that role."""
    from accounts.services import user_create

    def make(organization, role="admin", employee=None, email=None):
        with tenant_context(organization):
            return user_create(
                email=email or f"{role}-{uuid.uuid4().hex[:8]}@{organization.slug}.test",
                password="motdepasse-test", role=role, employee=employee,
                full_name=f"{role.title()} {organization.slug}",
            )

    return make


@contextmanager
def committed_organization(django_db_blocker, slug_prefix="org"):
    """A throw-away organisation whose writes are committed (for workers and live servers)."""
    from tenants.services import organization_create

    slug = f"{slug_prefix}-{uuid.uuid4().hex[:6]}"
    with django_db_blocker.unblock():
        organization = organization_create(slug=slug, name=f"Organisation {slug}")
        try:
            yield organization
        finally:
            connection.set_schema_to_public()
            organization.delete(force_drop=True)


@pytest.fixture
def committed_org(django_db_setup, django_db_blocker):
    with committed_organization(django_db_blocker) as organization:
        with tenant_context(organization):
            yield organization


def worker_database_url() -> str:
    settings = connection.settings_dict
    host = settings["HOST"] or "127.0.0.1"
    from urllib.parse import quote

    host = quote(host, safe="") if host.startswith("/") else host
    port = f":{settings['PORT']}" if settings.get("PORT") else ""
    return f"postgresql://{settings['USER']}@{host}{port}/{settings['NAME']}"


@pytest.fixture(scope="session")
def celery_worker(django_db_setup, django_db_blocker):
    """A real Celery worker process on Redis, on a queue of its own, against the test database."""
    require_service("Redis", "127.0.0.1", 6379)
    from esipro.celery import app

    queue = f"test-{uuid.uuid4().hex[:8]}"
    broker = os.environ.get("ESIPRO_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    with django_db_blocker.unblock():
        db_url = worker_database_url()
    env = dict(os.environ, DATABASE_URL=db_url, CELERY_BROKER_URL=broker, CELERY_TASK_DEFAULT_QUEUE=queue)
    celery_bin = shutil.which("celery", path=os.path.dirname(sys.executable)) or "celery"
    process = subprocess.Popen(
        [celery_bin, "-A", "esipro", "worker", "-Q", queue, "--pool", "solo", "--loglevel", "WARNING",
         "--without-gossip", "--without-mingle", "--without-heartbeat"],
        env=env, cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
    )
    previous = (app.conf.broker_url, app.conf.broker_transport_options, app.conf.task_default_queue)
    app.conf.update(broker_url=broker, broker_transport_options={}, task_default_queue=queue)
    if app._pool is not None:  # connections opened on the default broker must not be reused
        app.pool.force_close_all()
    time.sleep(1)
    yield process
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
    app.conf.update(broker_url=previous[0], broker_transport_options=previous[1], task_default_queue=previous[2])


def wait_for(predicate, timeout=20.0, interval=0.2):
    """Poll ``predicate`` until it returns a truthy value or ``timeout`` seconds pass."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return predicate()

