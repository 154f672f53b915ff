"""The real browser of the browser tests: Chromium's path, its arguments and a live server.

Registered for the whole suite through ``tests/plugins.py``: a test asks for ``chromium_path`` and
``server`` by name, and imports ``CHROMIUM_ARGS`` (``from tests.browser import CHROMIUM_ARGS``).

The server is Django's ``LiveServerThread`` started here rather than pytest-django's ``live_server``:
that fixture pulls in ``transactional_db``, whose teardown truncates the public schema (organisations,
domains, referentials) for the rest of the session. The data lives in ``committed_org`` instead, a
throw-away organisation whose writes are committed and which is dropped afterwards.
"""

import io
import os
import shutil
import uuid
from contextlib import contextmanager

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.management import call_command
from django.db import connection
from django.test.testcases import LiveServerThread
from django_tenants.utils import tenant_context

from tests.conftest import IN_CI

CHROMIUM = os.environ.get("ESIPRO_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic",
    "--no-first-run", "--disable-component-update", "--disable-sync",
]


@pytest.fixture(scope="module")
def chromium_path():
    path = CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        path = None
    if path is None:
        message = "Chromium ou Playwright est absent : test navigateur impossible."
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return path


@contextmanager
def _live_server(organization):
    """An HTTP server on a free port, in a thread, against the test database, on ``organization``'s host."""
    thread = LiveServerThread("localhost", static_handler=StaticFilesHandler, port=0)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    try:
        yield f"http://{organization.get_primary_domain().domain}:{thread.port}"
    finally:
        thread.terminate()


@pytest.fixture
def server(committed_org):
    """The live server of ``committed_org``."""
    with _live_server(committed_org) as url:
        yield url


@pytest.fixture
def demo_org(django_db_setup, django_db_blocker):
    """A company demo organisation made by ``demo_seed`` (its scenarios, catalogue and booklets included),
    committed and dropped afterwards."""
    from tenants.models import Organization

    slug = f"demo-{uuid.uuid4().hex[:6]}"
    with django_db_blocker.unblock():
        call_command("demo_seed", slug=slug, kind="company", skip_referentials=True, stdout=io.StringIO())
        organization = Organization.objects.get(slug=slug)
        try:
            with tenant_context(organization):
                yield organization
        finally:
            connection.set_schema_to_public()
            organization.delete(force_drop=True)


@pytest.fixture
def demo_server(demo_org):
    """The live server of ``demo_org``."""
    with _live_server(demo_org) as url:
        yield url
