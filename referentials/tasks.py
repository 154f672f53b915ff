"""Background work of the referentials app."""

from celery import shared_task

from .suggest import suggestion_indexes_warm


@shared_task(name="referentials.suggestions_warm")
def suggestions_warm() -> dict[str, float | None]:
    """Build the suggestion indexes in the worker (they go to the disk cache every process reads), e.g.
    after ``demo_seed`` imported ROME. Enqueue on the public schema:
    ``core.tasks.enqueue(suggestions_warm, schema_name="public")``."""
    return suggestion_indexes_warm()
