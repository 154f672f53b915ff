"""The matrix read: levels at a date, job requirements turned into gaps, scope and filters."""

import datetime

from skills_matrix import selectors, services
from skills_matrix.models import EmployeeSkill

from .conftest import moment


def _set(employee, skill, level, day):
    services.employee_skill_set(employee=employee, skill=skill, level=level, status=EmployeeSkill.Status.OBSERVED,
                                source=EmployeeSkill.Source.SUPERVISOR, assessed_on=None, user=None, at=moment(day))


def _setup(employee_factory, job_factory, org_unit_factory):
    welder = job_factory(title="Soudeur")
    parent = org_unit_factory(name="Atelier")
    child = org_unit_factory(name="Atelier soudure", parent=parent)
    tig = services.org_skill_get_or_create(label="Soudure TIG")
    safety = services.org_skill_get_or_create(label="Sécurité", kind="savoir_etre")
    reading = services.org_skill_get_or_create(label="Lecture de plans", kind="savoir")
    services.job_requirement_set(job=welder, skill=tig, target_level=3)
    services.job_requirement_set(job=welder, skill=safety, target_level=2)
    ana = employee_factory(last_name="Abel", first_name="Ana", job=welder, org_unit=child)
    bob = employee_factory(last_name="Bernard", first_name="Bob", job=welder, org_unit=parent)
    cy = employee_factory(last_name="Cohen", first_name="Cy", job=None, org_unit=org_unit_factory(name="Bureau"))
    _set(ana, tig, 1, "2023-01-01")
    _set(ana, tig, 3, "2024-01-01")
    _set(ana, safety, 2, "2023-01-01")
    _set(bob, tig, 4, "2023-01-01")
    _set(cy, reading, 2, "2023-01-01")
    return {"welder": welder, "parent": parent, "child": child, "tig": tig, "safety": safety, "reading": reading,
            "ana": ana, "bob": bob, "cy": cy}


def _by_name(matrix):
    columns = [s.label for s in matrix.skills]
    return {
        e.last_name: {
            "levels": dict(zip(columns, matrix.levels[i].tolist(), strict=True)),
            "gaps": dict(zip(columns, matrix.gaps[i].tolist(), strict=True)),
            "gap_count": int(matrix.summary.gaps_per_employee[i]),
        }
        for i, e in enumerate(matrix.employees)
    }


def test_it_computes_gaps_against_each_employees_job(in_alpha, make_user, employee_factory, job_factory,
                                                     org_unit_factory):
    _setup(employee_factory, job_factory, org_unit_factory)
    matrix = selectors.skill_matrix(user=make_user(in_alpha, "hr"))
    assert [s.label for s in matrix.skills] == ["Lecture de plans", "Sécurité", "Soudure TIG"]
    rows = _by_name(matrix)
    assert rows["Abel"] == {"levels": {"Lecture de plans": -1, "Sécurité": 2, "Soudure TIG": 3},
                            "gaps": {"Lecture de plans": 0, "Sécurité": 0, "Soudure TIG": 0}, "gap_count": 0}
    assert rows["Bernard"]["gaps"] == {"Lecture de plans": 0, "Sécurité": 2, "Soudure TIG": 0}
    assert rows["Bernard"]["gap_count"] == 1
    assert rows["Cohen"]["gap_count"] == 0
    assert matrix.summary.total_gaps == 1


def test_it_rebuilds_the_matrix_at_a_past_date(in_alpha, make_user, employee_factory, job_factory,
                                               org_unit_factory):
    _setup(employee_factory, job_factory, org_unit_factory)
    matrix = selectors.skill_matrix(user=make_user(in_alpha, "hr"), at=datetime.date(2023, 6, 30))
    rows = _by_name(matrix)
    assert rows["Abel"]["levels"]["Soudure TIG"] == 1
    assert rows["Abel"]["gaps"]["Soudure TIG"] == 2
    assert rows["Abel"]["gap_count"] == 1
    before = selectors.skill_matrix(user=make_user(in_alpha, "hr"), at=datetime.date(2022, 12, 31))
    assert int((before.levels >= 0).sum()) == 0
    assert before.summary.total_gaps == 4


def test_it_filters_by_unit_with_sub_units_job_and_kind(in_alpha, make_user, employee_factory, job_factory,
                                                        org_unit_factory):
    data = _setup(employee_factory, job_factory, org_unit_factory)
    hr = make_user(in_alpha, "hr")
    by_unit = selectors.skill_matrix(user=hr, org_unit=data["parent"].pk)
    assert [e.last_name for e in by_unit.employees] == ["Abel", "Bernard"]
    by_child = selectors.skill_matrix(user=hr, org_unit=data["child"].pk)
    assert [e.last_name for e in by_child.employees] == ["Abel"]
    by_job = selectors.skill_matrix(user=hr, job=data["welder"].pk)
    assert [e.last_name for e in by_job.employees] == ["Abel", "Bernard"]
    soft = selectors.skill_matrix(user=hr, kind="savoir_etre")
    assert [s.label for s in soft.skills] == ["Sécurité"]
    assert _by_name(soft)["Bernard"]["gap_count"] == 1


def test_it_shows_a_supervisor_only_their_team(in_alpha, make_user, employee_factory, job_factory,
                                               org_unit_factory):
    data = _setup(employee_factory, job_factory, org_unit_factory)
    data["bob"].manager = data["ana"]
    data["bob"].save()
    matrix = selectors.skill_matrix(user=make_user(in_alpha, "supervisor", employee=data["ana"]))
    assert [e.last_name for e in matrix.employees] == ["Abel", "Bernard"]


def test_it_builds_the_matrix_with_a_fixed_number_of_queries(in_alpha, make_user, employee_factory, job_factory,
                                                              org_unit_factory, django_assert_max_num_queries):
    data = _setup(employee_factory, job_factory, org_unit_factory)
    hr = make_user(in_alpha, "hr")
    for n in range(30):
        employee = employee_factory(job=data["welder"], org_unit=data["child"])
        _set(employee, data["tig"], n % 5, "2024-02-01")
    with django_assert_max_num_queries(5):
        matrix = selectors.skill_matrix(user=hr, org_unit=data["parent"].pk)
    assert matrix.levels.shape == (32, 2)


def test_it_keeps_a_window_of_employees_with_the_populations_columns(in_alpha, make_user, employee_factory,
                                                                     job_factory, org_unit_factory):
    _setup(employee_factory, job_factory, org_unit_factory)
    window = selectors.skill_matrix(user=make_user(in_alpha, "hr"), offset=1, limit=1)
    assert window.employee_total == 3
    assert [e.last_name for e in window.employees] == ["Bernard"]
    assert [s.label for s in window.skills] == ["Lecture de plans", "Sécurité", "Soudure TIG"]
    assert _by_name(window)["Bernard"]["levels"] == {"Lecture de plans": -1, "Sécurité": -1, "Soudure TIG": 4}
    assert window.summary.total_gaps == 1
