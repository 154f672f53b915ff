from celery import shared_task

from . import services
from .models import Job


@shared_task(name="workforce.occupation_suggestions")
def occupation_suggestions(job_ids: list[int]) -> int:
    """Store the mapping engine's ROME occupations for ``job_ids`` (those still without a ROME code), e.g.
    the jobs a staff import created; they wait on the review queue. Enqueue with
    ``core.tasks.enqueue(occupation_suggestions, ids)``."""
    return services.job_occupation_suggestions_compute(jobs=list(Job.objects.filter(pk__in=job_ids)))
