"""Reads of foresight scenarios and their results."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from accounts.permissions import has_right
from workforce.selectors import employee_visible_qs

from .diagnostic import Scope, diagnostic_get
from .models import Scenario


def scenario_list() -> QuerySet[Scenario]:
    return Scenario.objects.all()


def scenario_job_gaps(*, scenario: Scenario) -> dict[int, float]:
    """job id → target − expected headcount at the horizon (positive: people missing), for every job that
    has staff today or a need in the scenario. A job without a need keeps today's headcount as its target."""
    return {row["job_id"]: row["gap"] for row in diagnostic_get(scenario=scenario)["jobs"]}


def scope_for(*, user, org_unit: int | None = None, contract_type: str = "") -> Scope:
    """The population ``user`` may see in a diagnostic: everyone for admin and HR, their team for a
    supervisor (through ``employee_visible_qs``'s rule: themselves and their direct reports)."""
    if has_right(user, "foresight.view"):
        return Scope(org_unit=org_unit, contract_type=contract_type)
    if has_right(user, "foresight.view_team") and getattr(user, "employee_id", None):
        team = tuple(sorted(employee_visible_qs(user).values_list("id", flat=True)))
        return Scope(org_unit=org_unit, contract_type=contract_type, team=team)
    raise PermissionDenied
