"""Reads of foresight scenarios and their results."""

from django.db.models import QuerySet

from .diagnostic import diagnostic_get
from .models import Scenario


def scenario_list() -> QuerySet[Scenario]:
    return Scenario.objects.all()


def scenario_job_gaps(*, scenario: Scenario) -> dict[int, float]:
    """job id → target − expected headcount at the horizon (positive: people missing), for every job that
    has staff today or a need in the scenario. A job without a need keeps today's headcount as its target."""
    return {row["job_id"]: row["gap"] for row in diagnostic_get(scenario=scenario)["jobs"]}
