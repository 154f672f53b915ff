"""Background work of the referentials app."""

from celery import shared_task

from .suggest import suggestion_indexes_warm


@shared_task(name="referentials.suggestions_warm")
def suggestions_warm() -> dict[str, float | None]:
    """Build the suggestion indexes in the worker (they go to the disk cache every process reads), e.g.
    after ``demo_seed`` imported ROME. Enqueue on the public schema:
    ``core.tasks.enqueue(suggestions_warm, schema_name="public")``."""
    return suggestion_indexes_warm()


@shared_task(name="referentials.upload_import")
def referential_upload_task(upload_id: int) -> str:
    """Import an archive the platform operator uploaded (enqueued on the public schema)."""
    from .models import ReferentialUpload
    from .uploads import referential_upload_run

    upload = ReferentialUpload.objects.filter(pk=upload_id).first()
    if upload is None:
        return "missing"
    return referential_upload_run(upload=upload).status
