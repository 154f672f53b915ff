"""Queueing tasks: a task runs in its sender's schema in a real worker, only once the transaction commits;
from the command line, a fresh checkout (no .data) queues on the file transport, and an unreachable broker
is one French sentence after the work already done, never a traceback."""

import os
import subprocess
import sys
from pathlib import Path

from django.db import transaction
from django_tenants.utils import schema_context, tenant_context

from core.tasks import enqueue
from reports.models import HeadcountSnapshot
from reports.tasks import headcount_snapshot
from tests import conftest
from tests.conftest import committed_organization, wait_for
from tests.factories import EmployeeFactory

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args, data_dir: Path, **env) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "CELERY_BROKER_URL"}
    environment.update(DATABASE_URL=conftest.worker_database_url(), ESIPRO_DATA_DIR=str(data_dir), **env)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True,
                          text=True, timeout=120)


def test_it_queues_a_task_from_a_fresh_checkout_on_the_file_transport(db, tmp_path):
    data_dir = tmp_path / ".data"
    done = _manage("shell", "--no-imports", "-c", "from core.tasks import enqueue; from referentials.tasks import suggestions_warm; "
                   "enqueue(suggestions_warm, schema_name='public'); print('en file')", data_dir=data_dir)
    assert (done.returncode, done.stdout.strip()) == (0, "en file"), done.stderr
    assert len(list((data_dir / "broker" / "queue").iterdir())) == 1


def test_it_reports_an_unreachable_broker_in_one_french_sentence(db, tmp_path):
    done = _manage("shell", "--no-imports", "-c", "from referentials.management.commands.referential_import import _warm_queued, "
                   "render_summary; print(_warm_queued())", data_dir=tmp_path / ".data",
                   CELERY_BROKER_URL="redis://127.0.0.1:1/0")
    assert (done.returncode, done.stdout.strip()) == (0, "False"), done.stderr
    assert "Traceback" not in done.stderr


def test_it_says_what_was_imported_before_the_unreachable_broker():
    from referentials.management.commands.referential_import import render_summary

    summary = {"referential": "rome", "version": "4.0", "seconds": 12.5, "changed": True, "ignored": {},
               "tables": {"occupations": {"created": 1, "updated": 0, "unchanged": 0}},
               "suggestion_indexes": "broker_unreachable"}
    lines = render_summary(summary).splitlines()
    assert lines[1] == "  fiches métier : 1 créé(s), 0 mis à jour, 0 inchangé(s)"
    assert lines[-1].startswith("Index de suggestions non reconstruits : le serveur de tâches ne répond pas.")


def test_it_runs_a_task_in_the_senders_schema_through_a_real_worker(celery_worker, django_db_blocker):
    with committed_organization(django_db_blocker, "task-a") as org_a, \
            committed_organization(django_db_blocker, "task-b") as org_b:
        with tenant_context(org_a):
            EmployeeFactory.create_batch(3)
        with tenant_context(org_b):
            EmployeeFactory.create_batch(5)

        # Sent from a transaction opened outside any tenant context: the schema is still org A's.
        with transaction.atomic():
            enqueue(headcount_snapshot, schema_name=org_a.schema_name)
        with tenant_context(org_b), transaction.atomic():
            enqueue(headcount_snapshot)

        def snapshots():
            with schema_context(org_a.schema_name):
                a = list(HeadcountSnapshot.objects.values_list("employees", flat=True))
            with schema_context(org_b.schema_name):
                b = list(HeadcountSnapshot.objects.values_list("employees", flat=True))
            return (a, b) if a and b else None

        assert wait_for(snapshots, timeout=30) == ([3], [5])
        assert celery_worker.poll() is None


def test_it_publishes_only_after_the_transaction_commits(celery_worker, django_db_blocker):
    with committed_organization(django_db_blocker, "task-c") as org:
        with tenant_context(org):
            try:
                with transaction.atomic():
                    EmployeeFactory.create_batch(2)
                    enqueue(headcount_snapshot)
                    raise RuntimeError("rollback")
            except RuntimeError:
                pass
            with transaction.atomic():
                EmployeeFactory.create_batch(1)
                enqueue(headcount_snapshot)

        def counts():
            with schema_context(org.schema_name):
                return list(HeadcountSnapshot.objects.values_list("employees", flat=True))

        assert wait_for(counts, timeout=30) == [1]
