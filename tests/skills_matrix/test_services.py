"""Writes with rules: organisation skills, append-only levels (one by one and in bulk), requirements."""

import datetime

import numpy as np
import pytest
from django.core.exceptions import PermissionDenied

from core.errors import ApplicationError
from skills_matrix import selectors, services
from skills_matrix.models import EmployeeSkill, JobRequirement, OrgSkill
from workforce.models import Employee

from .conftest import moment

Status, Source = EmployeeSkill.Status, EmployeeSkill.Source


def test_it_finds_one_skill_whatever_the_spelling(in_alpha):
    first = services.org_skill_get_or_create(label="Soudure TIG")
    again = services.org_skill_get_or_create(label="soudure  tig")
    other = services.org_skill_get_or_create(label="Soudure-TIG !")
    assert first.pk == again.pk == other.pk
    assert first.label == "Soudure TIG"
    assert OrgSkill.objects.filter(normalized_label="soudure tig").count() == 1


def test_it_rejects_an_empty_skill_label(in_alpha):
    with pytest.raises(ApplicationError, match="vide"):
        services.org_skill_get_or_create(label=" -- ")


def test_it_gets_or_creates_many_skills_in_bulk(in_alpha):
    existing = services.org_skill_get_or_create(label="Accueil client")
    result = services.org_skills_get_or_create_many(labels=["accueil CLIENT", "Caristes", "Cariste", "Éco-conduite"])
    assert result["accueil CLIENT"].pk == existing.pk
    assert result["Éco-conduite"].normalized_label == "eco conduite"
    assert OrgSkill.objects.count() == 4


def test_it_keeps_the_old_level_with_its_end_date_when_the_level_changes(in_alpha, employee_factory):
    employee = employee_factory()
    skill = services.org_skill_get_or_create(label="Cariste")
    services.employee_skill_set(employee=employee, skill=skill, level=1, status=Status.DECLARED,
                                source=Source.SELF, assessed_on=datetime.date(2024, 1, 10), user=None,
                                at=moment("2024-01-10"))
    services.employee_skill_set(employee=employee, skill=skill, level=3, status=Status.VALIDATED,
                                source=Source.SUPERVISOR, assessed_on=datetime.date(2024, 6, 1), user=None,
                                at=moment("2024-06-01"))
    rows = list(EmployeeSkill.objects.filter(employee=employee).order_by("valid_from"))
    assert [(r.level, r.status) for r in rows] == [(1, "declared"), (3, "validated")]
    assert rows[0].valid_to == moment("2024-06-01")
    assert rows[1].valid_to is None


def test_it_answers_the_level_held_on_a_past_date(in_alpha, employee_factory):
    employee = employee_factory()
    skill = services.org_skill_get_or_create(label="Cariste")
    for day, level in [("2023-03-01", 1), ("2024-03-01", 2), ("2025-03-01", 4)]:
        services.employee_skill_set(employee=employee, skill=skill, level=level, status=Status.OBSERVED,
                                    source=Source.SUPERVISOR, assessed_on=None, user=None, at=moment(day))

    def level_on(day):
        return [r.level for r in selectors.employee_skills_at(employee=employee, at=datetime.date.fromisoformat(day))]

    assert level_on("2023-02-28") == []
    assert level_on("2023-03-01") == [1]
    assert level_on("2024-02-29") == [1]
    assert level_on("2024-03-01") == [2]
    assert level_on("2026-01-01") == [4]
    assert [r.level for r in selectors.employee_skills_at(employee=employee)] == [4]


def test_it_writes_nothing_when_the_level_is_unchanged(in_alpha, employee_factory):
    employee = employee_factory()
    skill = services.org_skill_get_or_create(label="Cariste")
    kwargs = {"employee": employee, "skill": skill, "level": 2, "status": Status.OBSERVED,
              "source": Source.SUPERVISOR, "assessed_on": datetime.date(2024, 1, 1), "user": None}
    first = services.employee_skill_set(**kwargs, at=moment("2024-01-01"))
    again = services.employee_skill_set(**kwargs, at=moment("2024-02-01"))
    assert again.pk == first.pk
    assert EmployeeSkill.objects.filter(employee=employee).count() == 1


def test_it_refuses_a_level_outside_the_scale(in_alpha, employee_factory):
    employee = employee_factory()
    skill = services.org_skill_get_or_create(label="Cariste")
    with pytest.raises(ApplicationError, match="Niveau 7 invalide"):
        services.employee_skill_set(employee=employee, skill=skill, level=7, status=Status.OBSERVED,
                                    source=Source.SUPERVISOR, assessed_on=None, user=None)


def test_it_records_an_employees_own_assessment_as_declared(in_alpha, make_user, employee_factory):
    employee = employee_factory()
    user = make_user(in_alpha, "employee", employee=employee)
    skill = services.org_skill_get_or_create(label="Cariste")
    with pytest.raises(ApplicationError, match="propre fiche"):
        services.employee_skill_assess(user=user, employee=employee, skill=skill, level=3, status=Status.CERTIFIED)
    row = services.employee_skill_assess(user=user, employee=employee, skill=skill, level=3,
                                         source=Source.TRAINING)
    assert (row.level, row.status, row.source, row.recorded_by_id) == (3, "declared", "self", user.pk)


def test_it_keeps_a_validated_level_that_the_employee_confirms(in_alpha, make_user, employee_factory):
    employee = employee_factory()
    user = make_user(in_alpha, "employee", employee=employee)
    skill = services.org_skill_get_or_create(label="Cariste")
    services.employee_skill_set(employee=employee, skill=skill, level=3, status=Status.VALIDATED,
                                source=Source.SUPERVISOR, assessed_on=None, user=None, at=moment("2024-01-01"))
    same = services.employee_skill_assess(user=user, employee=employee, skill=skill, level=3)
    assert (same.status, EmployeeSkill.objects.filter(employee=employee).count()) == ("validated", 1)
    with pytest.raises(ApplicationError, match="seuls votre encadrant ou les RH peuvent le modifier"):
        services.employee_skill_assess(user=user, employee=employee, skill=skill, level=4)
    assert EmployeeSkill.objects.filter(employee=employee).count() == 1


def test_it_lets_a_supervisor_assess_only_their_team(in_alpha, make_user, employee_factory):
    boss = employee_factory()
    member, stranger = employee_factory(manager=boss), employee_factory()
    supervisor = make_user(in_alpha, "supervisor", employee=boss)
    skill = services.org_skill_get_or_create(label="Cariste")
    row = services.employee_skill_assess(user=supervisor, employee=member, skill=skill, level=2)
    assert (row.status, row.source) == ("observed", "supervisor")
    with pytest.raises(PermissionDenied):
        services.employee_skill_assess(user=supervisor, employee=stranger, skill=skill, level=2)
    with pytest.raises(ApplicationError, match="certifié"):
        services.employee_skill_assess(user=supervisor, employee=member, skill=skill, level=3,
                                       status=Status.CERTIFIED)


def _employees(count: int) -> list[int]:
    Employee.objects.bulk_create([Employee(staff_number=f"B{n:05d}", last_name=f"Nom{n}") for n in range(count)])
    return list(Employee.objects.filter(staff_number__startswith="B").order_by("pk").values_list("pk", flat=True))


def test_it_sets_many_levels_idempotently(in_alpha, make_user):
    user = make_user(in_alpha, "admin")
    employee_ids = _employees(2000)
    skills = services.org_skills_get_or_create_many(labels=[f"Compétence {n}" for n in range(10)])
    skill_ids = [s.pk for s in skills.values()]
    rows = [(e, s, (e + s) % 5, datetime.date(2025, 1, 31)) for e in employee_ids for s in skill_ids]

    first = services.employee_skills_bulk_set(rows=rows, source=Source.IMPORT, user=user)
    assert (first.created, first.updated, first.unchanged) == (20_000, 0, 0)

    again = services.employee_skills_bulk_set(rows=rows, source=Source.IMPORT, user=user)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 20_000)
    assert EmployeeSkill.objects.count() == 20_000

    changed = [(e, s, (level + 1) % 5, day) for e, s, level, day in rows[:150]]
    third = services.employee_skills_bulk_set(rows=changed, source=Source.IMPORT, user=user)
    assert (third.created, third.updated, third.unchanged) == (0, 150, 0)
    assert EmployeeSkill.objects.count() == 20_150
    assert EmployeeSkill.objects.filter(valid_to__isnull=False).count() == 150
    e, s, level, _day = changed[0]
    current = EmployeeSkill.objects.get(employee_id=e, skill_id=s, valid_to__isnull=True)
    assert (current.level, current.status, current.source, current.recorded_by_id) == (level, "validated", "import",
                                                                                       user.pk)


def test_it_keeps_the_last_of_duplicate_bulk_rows_and_the_previous_date(in_alpha, make_user):
    employee_id = _employees(1)[0]
    skill = services.org_skill_get_or_create(label="Cariste")
    day = datetime.date(2024, 5, 2)
    services.employee_skills_bulk_set(rows=[(employee_id, skill.pk, 1, day)], source=Source.IMPORT, user=None)
    result = services.employee_skills_bulk_set(
        rows=[(employee_id, skill.pk, 2, None), (employee_id, skill.pk, 3, None)], source=Source.IMPORT, user=None,
    )
    assert (result.created, result.updated, result.unchanged) == (0, 1, 0)
    current = EmployeeSkill.objects.get(employee_id=employee_id, valid_to__isnull=True)
    assert (current.level, current.assessed_on) == (3, day)


def test_it_rejects_a_bulk_batch_with_unknown_employees_or_levels(in_alpha):
    employee_id = _employees(1)[0]
    skill = services.org_skill_get_or_create(label="Cariste")
    with pytest.raises(ApplicationError) as error:
        services.employee_skills_bulk_set(
            rows=[(employee_id, skill.pk, 2, None), (987654321, skill.pk, 2, None), (employee_id, skill.pk + 999, 9, None)],
            source=Source.IMPORT, user=None,
        )
    assert error.value.extra == {"unknown_employees": 1, "unknown_skills": 1, "invalid_levels": 1}
    assert EmployeeSkill.objects.count() == 0


def test_it_writes_first_levels_from_arrays_in_one_copy(in_alpha, make_user):
    user = make_user(in_alpha, "hr")
    employees = np.array(_employees(3), dtype=np.int64)
    skills = np.array([services.org_skill_get_or_create(label=f"Compétence {i}").pk for i in range(2)], dtype=np.int64)
    employee_ids, skill_ids = np.repeat(employees, 2), np.tile(skills, 3)
    days = np.array(["2024-05-02", "NaT", "2023-12-31", "NaT", "NaT", "2025-01-01"], dtype="datetime64[D]")
    at = moment("2025-02-01")
    written = services.employee_skills_first_levels(
        employee_ids=employee_ids, skill_ids=skill_ids, levels=np.array([0, 1, 2, 3, 4, 4]), assessed_on=days,
        source=Source.IMPORT, user=user, at=at,
    )
    assert written == 6
    rows = EmployeeSkill.objects.order_by("employee_id", "skill_id")
    assert [(r.employee_id, r.skill_id, r.level, r.assessed_on) for r in rows] == [
        (int(employees[0]), int(skills[0]), 0, datetime.date(2024, 5, 2)), (int(employees[0]), int(skills[1]), 1, None),
        (int(employees[1]), int(skills[0]), 2, datetime.date(2023, 12, 31)), (int(employees[1]), int(skills[1]), 3, None),
        (int(employees[2]), int(skills[0]), 4, None), (int(employees[2]), int(skills[1]), 4, datetime.date(2025, 1, 1)),
    ]
    assert {(r.status, r.source, r.recorded_by_id, r.valid_from, r.valid_to) for r in rows} == {
        ("validated", "import", user.pk, at, None)}
    # The same pairs again: they have a current level, which only employee_skills_bulk_set may replace.
    with pytest.raises(ApplicationError, match="relancez"):
        services.employee_skills_first_levels(
            employee_ids=employee_ids[:1], skill_ids=skill_ids[:1], levels=np.array([3]), assessed_on=days[:1],
            source=Source.IMPORT, user=None,
        )
    assert EmployeeSkill.objects.count() == 6


def test_it_rejects_first_levels_with_unknown_employees_skills_or_levels(in_alpha):
    employee_id = _employees(1)[0]
    skill = services.org_skill_get_or_create(label="Cariste")
    with pytest.raises(ApplicationError) as error:
        services.employee_skills_first_levels(
            employee_ids=np.array([employee_id, 987654321, employee_id]), skill_ids=np.array([skill.pk, skill.pk,
                                                                                              skill.pk + 999]),
            levels=np.array([2, 2, 9]), assessed_on=np.full(3, np.datetime64("NaT"), dtype="datetime64[D]"),
            source=Source.IMPORT, user=None,
        )
    assert error.value.extra == {"unknown_employees": 1, "unknown_skills": 1, "invalid_levels": 1}
    assert EmployeeSkill.objects.count() == 0


def test_it_sets_and_validates_job_requirements(in_alpha, job_factory):
    job = job_factory()
    skill = services.org_skill_get_or_create(label="Cariste")
    services.job_requirement_set(job=job, skill=skill, target_level=3, weight=2, critical=True)
    services.job_requirement_set(job=job, skill=skill, target_level=4)
    requirement = JobRequirement.objects.get(job=job)
    # Values left out keep the stored ones: a new target does not reset weight and "critical".
    assert (requirement.target_level, requirement.weight, requirement.critical) == (4, 2.0, True)
    fresh = services.job_requirement_set(job=job, skill=services.org_skill_get_or_create(label="Soudure"))
    assert (fresh.target_level, fresh.weight, fresh.critical) == (2, 1.0, False)
    with pytest.raises(ApplicationError, match="Niveau requis 0 invalide"):
        services.job_requirement_set(job=job, skill=skill, target_level=0)
    with pytest.raises(ApplicationError, match="poids"):
        services.job_requirement_set(job=job, skill=skill, target_level=2, weight=0)


def test_it_refuses_to_delete_a_skill_in_use(in_alpha, job_factory):
    skill = services.org_skill_get_or_create(label="Cariste")
    services.job_requirement_set(job=job_factory(), skill=skill, target_level=2)
    with pytest.raises(ApplicationError, match="utilisée"):
        services.org_skill_delete(skill=skill)
