"""The foresight selectors over a real organisation schema."""

import datetime

import pytest

from foresight.models import JobNeed, Scenario
from foresight.selectors import scenario_job_gaps
from tests.factories import EmployeeFactory, JobFactory, OrgUnitFactory


def test_it_gives_each_job_its_gap_at_the_horizon(in_alpha):
    unit = OrgUnitFactory()
    welder, clerk, coder = JobFactory(title="Soudeur"), JobFactory(title="Comptable"), JobFactory(title="Codeur")
    for _ in range(10):
        EmployeeFactory(job=welder, org_unit=unit, birth_date=datetime.date(1990, 1, 1))
    EmployeeFactory(job=clerk, org_unit=unit, birth_date=datetime.date(1960, 1, 1))  # retires in period 1
    EmployeeFactory(job=clerk, org_unit=unit, birth_date=datetime.date(1990, 1, 1),
                    exit_date=datetime.date(2026, 3, 1))  # planned departure
    scenario = Scenario.objects.create(name="Fil de l'eau", horizon_year=2027,
                                       reference_date=datetime.date(2025, 6, 30), attrition_rate=0.1)
    JobNeed.objects.create(scenario=scenario, job=welder, target_headcount=12)
    JobNeed.objects.create(scenario=scenario, job=coder, change_pct=None, target_headcount=3)

    gaps = scenario_job_gaps(scenario=scenario)

    assert gaps[welder.pk] == pytest.approx(12 - 10 * 0.9 ** 2)
    assert gaps[clerk.pk] == 2.0  # target = today's 2, both gone
    assert gaps[coder.pk] == 3.0
