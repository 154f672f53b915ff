"""Background work of the imports app (thin: ids in, one service call)."""

import logging

from celery import shared_task

from .models import ImportJob
from .services import import_files_purge, import_jobs_fail_stale, import_run

logger = logging.getLogger(__name__)


@shared_task(name="imports.run")
def import_run_task(job_id: int) -> str:
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None:
        return "missing"
    return import_run(job=job).status


@shared_task(name="imports.files_purge")
def import_files_purge_task() -> int:
    """Every organisation's import files past ESIPRO_IMPORT_KEEP_DAYS are deleted (periodic, see
    CELERY_BEAT_SCHEDULE): the one task that visits every schema, like the worker's start-up check."""
    from django_tenants.utils import get_tenant_model, tenant_context

    deleted = 0
    for organization in get_tenant_model().objects.exclude(schema_name="public"):
        with tenant_context(organization):
            deleted += import_files_purge()
    return deleted


@shared_task(name="imports.fail_stale")
def import_jobs_fail_stale_task() -> int:
    """Housekeeping run by Celery beat (CELERY_BEAT_SCHEDULE): in every organisation, fail the imports whose
    worker died or whose task was lost, so that nobody watches a dead progress bar. Reads never do it."""
    from django_tenants.utils import get_tenant_model, tenant_context

    failed = 0
    for organization in get_tenant_model().objects.exclude(schema_name="public"):
        with tenant_context(organization):
            failed += import_jobs_fail_stale()
    return failed
