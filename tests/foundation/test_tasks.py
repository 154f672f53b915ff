"""A task sent from an organisation runs in that organisation's schema, in a real worker on Redis."""

from django.db import transaction
from django_tenants.utils import schema_context, tenant_context

from core.tasks import enqueue
from reports.models import HeadcountSnapshot
from reports.tasks import headcount_snapshot
from tests.conftest import committed_organization, wait_for
from tests.factories import EmployeeFactory


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
