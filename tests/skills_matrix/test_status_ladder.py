"""The status ladder (declared < observed < validated < certified): the same level never goes back down."""

from skills_matrix import services
from skills_matrix.models import EmployeeSkill

from .conftest import moment


def _certify(employee, skill, level=3, day="2024-01-01"):
    services.employee_skill_set(employee=employee, skill=skill, level=level, status="certified", source="training",
                                assessed_on=None, user=None, at=moment(day))


def _rows(employee):
    return list(EmployeeSkill.objects.filter(employee=employee).order_by("valid_from")
                .values_list("level", "status", "valid_to"))


def test_it_keeps_a_certified_status_when_a_supervisor_repeats_the_level(in_alpha, make_user, employee_factory):
    boss = employee_factory()
    employee = employee_factory(manager=boss)
    skill = services.org_skill_get_or_create(label="Cariste")
    _certify(employee, skill)
    supervisor = make_user(in_alpha, "supervisor", employee=boss)
    row = services.employee_skill_assess(user=supervisor, employee=employee, skill=skill, level=3)
    assert (row.level, row.status) == (3, "certified")
    assert [(lvl, status) for lvl, status, _to in _rows(employee)] == [(3, "certified")]


def test_it_keeps_the_higher_status_on_a_new_assessment_date_of_the_same_level(in_alpha, employee_factory):
    employee = employee_factory()
    skill = services.org_skill_get_or_create(label="Cariste")
    _certify(employee, skill)
    row = services.employee_skill_set(employee=employee, skill=skill, level=3, status="observed",
                                      source="supervisor", assessed_on=moment("2025-01-10").date(), user=None)
    assert (row.level, row.status, str(row.assessed_on)) == (3, "certified", "2025-01-10")
    assert [(lvl, status) for lvl, status, _to in _rows(employee)] == [(3, "certified"), (3, "certified")]


def test_it_raises_the_status_of_the_same_level_and_takes_the_given_one_for_another_level(in_alpha,
                                                                                           employee_factory):
    employee = employee_factory()
    skill = services.org_skill_get_or_create(label="Cariste")
    kwargs = {"employee": employee, "skill": skill, "source": "supervisor", "assessed_on": None, "user": None}
    services.employee_skill_set(level=2, status="observed", at=moment("2024-01-01"), **kwargs)
    raised = services.employee_skill_set(level=2, status="validated", at=moment("2024-02-01"), **kwargs)
    assert raised.status == "validated"
    lower_level = services.employee_skill_set(level=1, status="observed", at=moment("2024-03-01"), **kwargs)
    assert (lower_level.level, lower_level.status) == (1, "observed")
    assert [(lvl, status) for lvl, status, _to in _rows(employee)] == [
        (2, "observed"), (2, "validated"), (1, "observed")]


def test_it_keeps_the_status_through_the_api_and_the_page(in_alpha, make_user, api_client, client_for,
                                                          employee_factory):
    boss = employee_factory()
    through_api = employee_factory(staff_number="LAD-1", manager=boss)
    employee = employee_factory(staff_number="LAD-2", manager=boss)
    skill = services.org_skill_get_or_create(label="Cariste")
    for person in (through_api, employee):
        _certify(person, skill)
    supervisor = make_user(in_alpha, "supervisor", employee=boss)
    response = api_client(in_alpha, supervisor).post(
        "/api/v1/employees/LAD-1/skills", {"skill_id": skill.pk, "level": 3, "status": "observed"},
        content_type="application/json")
    assert (response.status_code, response.json()["status"]) == (200, "certified")  # nothing written
    page = client_for(in_alpha, supervisor)
    page.post("/competences/salaries/LAD-2/", {"skill": skill.pk, "level": 3, "status": "validated",
                                               "source": "supervisor"})
    current = page.get("/competences/salaries/LAD-2/").content.decode()
    current = current[current.index('id="current-skills"'):current.index('id="history"')]
    assert "Certifiée" in current
    assert [(lvl, status) for lvl, status, _to in _rows(employee)] == [(3, "certified")]


def test_it_keeps_a_higher_status_in_bulk_and_counts_those_rows_unchanged(in_alpha, employee_factory):
    certified, observed, other_level = employee_factory(), employee_factory(), employee_factory()
    skill = services.org_skill_get_or_create(label="Cariste")
    _certify(certified, skill)
    services.employee_skill_set(employee=observed, skill=skill, level=3, status="observed", source="supervisor",
                                assessed_on=None, user=None, at=moment("2024-01-01"))
    _certify(other_level, skill)
    result = services.employee_skills_bulk_set(
        rows=[(certified.pk, skill.pk, 3, None), (observed.pk, skill.pk, 3, None), (other_level.pk, skill.pk, 4, None)],
        source="import", user=None, status="validated",
    )
    assert (result.created, result.updated, result.unchanged) == (0, 2, 1)
    current = dict(EmployeeSkill.objects.filter(valid_to__isnull=True).values_list("employee_id", "status"))
    assert current == {certified.pk: "certified", observed.pk: "validated", other_level.pk: "validated"}
    dated = services.employee_skills_bulk_set(rows=[(certified.pk, skill.pk, 3, moment("2025-01-10").date())],
                                              source="import", user=None, status="validated")
    assert (dated.updated, EmployeeSkill.objects.get(employee=certified, valid_to__isnull=True).status) == (
        1, "certified")
