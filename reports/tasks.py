from celery import shared_task

from .services import headcount_snapshot_compute


@shared_task(name="reports.headcount_snapshot")
def headcount_snapshot() -> int:
    return headcount_snapshot_compute().pk
