"""Reads of imports never write: the progress poll and the job pages run no UPDATE; failing the jobs whose
worker died is the periodic task's work (imports.fail_stale, scheduled in CELERY_BEAT_SCHEDULE)."""

from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from imports.models import ImportJob
from imports.tasks import import_jobs_fail_stale_task


def test_it_reads_the_progress_of_a_dead_job_without_writing(in_alpha, make_user, client_for):
    dead = ImportJob.objects.create(file_name="a.xlsx", file="x/a.xlsx", status="running", progress=40,
                                    heartbeat_at=timezone.now() - timedelta(minutes=10))
    client = client_for(in_alpha, make_user(in_alpha, "admin"))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/api/v1/imports/{dead.pk}").json()["status"] == "running"
        assert client.get("/imports/").status_code == 200
        assert client.get(f"/imports/{dead.pk}/").status_code == 200
    writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT", "DELETE"))]
    assert [sql for sql in writes if "imports_importjob" in sql] == []
    assert ImportJob.objects.get(pk=dead.pk).status == "running"


def test_it_fails_dead_jobs_in_every_organisation_from_the_periodic_task(in_alpha):
    dead = ImportJob.objects.create(file_name="a.xlsx", file="x/a.xlsx", status="running",
                                    heartbeat_at=timezone.now() - timedelta(minutes=10))
    alive = ImportJob.objects.create(file_name="b.xlsx", file="x/b.xlsx", status="running",
                                     heartbeat_at=timezone.now())
    assert import_jobs_fail_stale_task() >= 1
    assert ImportJob.objects.get(pk=dead.pk).status == "failed"
    assert ImportJob.objects.get(pk=alive.pk).status == "running"
    assert settings.CELERY_BEAT_SCHEDULE["imports-fail-stale"]["task"] == "imports.fail_stale"
