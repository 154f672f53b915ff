"""Background work of foresight (thin: ids in, one service call)."""

from celery import shared_task


@shared_task(name="foresight.pack")
def pack_build_task(export_id: int) -> str:
    from .pack_jobs import pack_export_run

    return pack_export_run(export_id=export_id)
