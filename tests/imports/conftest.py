"""Fixtures of the staff-import tests: uploaded files kept out of the repository, a killable worker,
and a helper that runs an import in-process the way the command line does."""

import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.core.files import File

from tests.conftest import require_service, worker_database_url

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def import_data_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("esipro-data")


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, import_data_dir):
    settings.MEDIA_ROOT = str(import_data_dir / "media")
    # django-tenants caches the tenant media root; changing this setting clears the cache.
    settings.MULTITENANT_RELATIVE_MEDIA_ROOT = "%s"


@pytest.fixture
def run_import():
    """run_import(path, user=None, **options) -> the finished ImportJob (same code path as the CLI)."""
    from imports.services import clean_options, import_job_create, import_run

    def run(path, user=None, **options):
        path = Path(path)
        with path.open("rb") as handle:
            job = import_job_create(user=user, file=File(handle), file_name=path.name,
                                    options=clean_options(**options), background=False)
        return import_run(job=job)

    return run


class Worker:
    """A Celery worker subprocess on a queue of its own, which a test may kill -9."""

    def __init__(self, django_db_blocker, data_dir, *, beat_seconds: float | None = None):
        require_service("Redis", "127.0.0.1", 6379)
        self.queue = f"test-imports-{uuid.uuid4().hex[:8]}"
        self.broker = os.environ.get("ESIPRO_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
        with django_db_blocker.unblock():
            db_url = worker_database_url()
        self.env = dict(os.environ, DATABASE_URL=db_url, CELERY_BROKER_URL=self.broker,
                        CELERY_TASK_DEFAULT_QUEUE=self.queue, ESIPRO_DATA_DIR=str(data_dir))
        # with beat_seconds, the worker also runs the periodic housekeeping (CELERY_BEAT_SCHEDULE) that often
        self.beat = [] if beat_seconds is None else ["--beat", "--schedule", str(data_dir / "celerybeat-schedule")]
        if beat_seconds is not None:
            self.env["ESIPRO_HOUSEKEEPING_SECONDS"] = str(beat_seconds)
        self.process = None

    def start(self):
        celery_bin = shutil.which("celery", path=os.path.dirname(sys.executable)) or "celery"
        self.process = subprocess.Popen(
            [celery_bin, "-A", "esipro", "worker", "-Q", self.queue, "--pool", "solo", "--loglevel", "WARNING",
             "--without-gossip", "--without-mingle", "--without-heartbeat", *self.beat],
            env=self.env, cwd=str(ROOT),
        )
        return self

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


@pytest.fixture(scope="session")
def import_broker():
    """Tasks are published to Redis for the rest of the session (as with the shared celery_worker)."""
    from esipro.celery import app

    require_service("Redis", "127.0.0.1", 6379)
    broker = os.environ.get("ESIPRO_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    previous = (app.conf.broker_url, app.conf.broker_transport_options, app.conf.task_default_queue)
    if app.conf.broker_url != broker:
        app.conf.update(broker_url=broker, broker_transport_options={})
        app.pool.force_close_all() if app._pool else None
    yield broker
    app.conf.update(broker_url=previous[0], broker_transport_options=previous[1], task_default_queue=previous[2])


@pytest.fixture
def import_worker(django_db_setup, django_db_blocker, import_data_dir, import_broker):
    """A fresh worker for this test, on a queue of its own; tasks enqueued meanwhile go to it."""
    from esipro.celery import app

    worker = Worker(django_db_blocker, import_data_dir).start()
    previous_queue = app.conf.task_default_queue
    app.conf.update(task_default_queue=worker.queue)
    time.sleep(1)
    yield worker
    worker.stop()
    app.conf.update(task_default_queue=previous_queue)
