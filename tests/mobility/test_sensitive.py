"""Sensitive data (birth date, sex, health, disability…) is never an input: changing it changes no fit
and no rank (property test)."""

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mobility import selectors
from workforce.models import Employee, Sex

SEXES = ["", *Sex.values]


def snapshot(world):
    mobility = [(s.job_id, s.fit) for s in selectors.employee_mobility(employee=world.alice, limit=20)]
    recommended = [(s.job_id, s.fit, s.nearby) for s in selectors.employee_mobility(
        employee=world.alice, limit=20, order=selectors.ORDER_RECOMMENDED)]
    candidates = {
        title: [(s.staff_number, s.fit) for s in selectors.job_candidates(user=world.hr, job=job, limit=20)]
        for title, job in world.jobs.items()}
    return mobility, recommended, candidates


@pytest.fixture
def sensitive_world(world, alpha, make_user):
    from django_tenants.utils import tenant_context

    world.hr = make_user(alpha, "hr")
    with tenant_context(alpha):
        yield world


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(birth=st.dates(min_value=datetime.date(1940, 1, 1), max_value=datetime.date(2008, 12, 31)),
       other_birth=st.one_of(st.none(), st.dates(min_value=datetime.date(1940, 1, 1),
                                                 max_value=datetime.date(2008, 12, 31))),
       first_name=st.sampled_from(["Alice", "Alex", "Mohamed", "Fatou", "Jean"]),
       sexes=st.tuples(st.sampled_from(SEXES), st.sampled_from(SEXES)))
def test_it_changes_no_fit_or_rank_when_sensitive_fields_change(sensitive_world, birth, other_birth, first_name,
                                                                 sexes):
    world = sensitive_world
    before = snapshot(world)
    Employee.objects.filter(pk=world.alice.pk).update(birth_date=birth, first_name=first_name, sex=sexes[0])
    Employee.objects.filter(pk=world.bruno.pk).update(birth_date=other_birth, sex=sexes[1])
    after = snapshot(world)
    assert after == before
    assert before[0][0][1] == pytest.approx(0.7)


def test_it_reads_no_sensitive_column_to_build_the_engine_inputs(world, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from mobility.inputs import fit_inputs

    with CaptureQueriesContext(connection) as queries:
        fit_inputs()
    sql = " ".join(q["sql"] for q in queries.captured_queries).lower()
    assert "birth_date" not in sql
    assert '"sex"' not in sql
    assert "first_name" not in sql
