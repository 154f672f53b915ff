"""The real browser of the browser tests: Chromium's path, its arguments and a live server.

Registered for the whole suite through ``tests/plugins.py``: a test asks for ``chromium_path`` and
``server`` by name, and imports ``CHROMIUM_ARGS`` (``from tests.browser import CHROMIUM_ARGS``).

The server is Django's ``LiveServerThread`` started here rather than pytest-django's ``live_server``:
that fixture pulls in ``transactional_db``, whose teardown truncates the public schema (organisations,
domains, referentials) for the rest of the session. The data lives in ``committed_org`` instead, a
throw-away organisation whose writes are committed and which is dropped afterwards.
"""

import os
import shutil

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.test.testcases import LiveServerThread

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


@pytest.fixture
def server(committed_org):
    """An HTTP server on a free port, in a thread, against the test database."""
    thread = LiveServerThread("localhost", static_handler=StaticFilesHandler, port=0)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    yield f"http://{committed_org.get_primary_domain().domain}:{thread.port}"
    thread.terminate()
