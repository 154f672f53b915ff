"""A supervisor's level recorded today is dated today; a self-assessment is validated in one click."""

from django.utils import timezone

from skills_matrix import services
from skills_matrix.models import EmployeeSkill

from .conftest import moment


def test_it_dates_today_a_supervisors_level_recorded_without_a_date(in_alpha, make_user, employee_factory):
    boss = employee_factory()
    employee = employee_factory(manager=boss)
    skill = services.org_skill_get_or_create(label="Cariste")
    services.employee_skill_set(employee=employee, skill=skill, level=1, status="observed", source="supervisor",
                                assessed_on=moment("2023-05-02").date(), user=None, at=moment("2023-05-02"))
    supervisor = make_user(in_alpha, "supervisor", employee=boss)
    row = services.employee_skill_assess(user=supervisor, employee=employee, skill=skill, level=3)
    assert (row.level, row.assessed_on) == (3, timezone.localdate())


def test_it_validates_a_self_assessment_in_one_click_on_the_profile(in_alpha, make_user, client_for,
                                                                    employee_factory):
    boss = employee_factory()
    employee = employee_factory(staff_number="VAL-1", manager=boss)
    skill = services.org_skill_get_or_create(label="Soudure TIG")
    worker = make_user(in_alpha, "employee", employee=employee)
    services.employee_skill_assess(user=worker, employee=employee, skill=skill, level=2,
                                   assessed_on=moment("2024-03-01").date())
    client = client_for(in_alpha, make_user(in_alpha, "supervisor", employee=boss))
    page = client.get("/competences/salaries/VAL-1/").content.decode()
    assert 'Valider<span class="visually-hidden"> « Soudure TIG »</span>' in page
    response = client.post("/competences/salaries/VAL-1/", {"action": "validate", "skill": skill.pk}, follow=True)
    assert "Auto-évaluation validée pour « Soudure TIG »." in response.content.decode()
    current = EmployeeSkill.objects.get(employee=employee, skill=skill, valid_to__isnull=True)
    assert (current.level, current.status, current.source, current.assessed_on) == (
        2, "validated", "supervisor", timezone.localdate())
    # the worker cannot validate their own level, and there is nothing left to validate
    own = client_for(in_alpha, worker).get("/competences/salaries/VAL-1/").content.decode()
    assert 'name="action" value="validate"' not in own
    again = client.post("/competences/salaries/VAL-1/", {"action": "validate", "skill": skill.pk}, follow=True)
    assert "Il n&#x27;y a pas d&#x27;auto-évaluation à valider pour « Soudure TIG »" in again.content.decode()


def test_it_refuses_the_validation_to_a_supervisor_outside_the_team(in_alpha, make_user, client_for,
                                                                    employee_factory):
    employee = employee_factory(staff_number="VAL-2")
    skill = services.org_skill_get_or_create(label="Soudure TIG")
    worker = make_user(in_alpha, "employee", employee=employee)
    services.employee_skill_assess(user=worker, employee=employee, skill=skill, level=2)
    stranger = client_for(in_alpha, make_user(in_alpha, "supervisor", employee=employee_factory()))
    assert stranger.post("/competences/salaries/VAL-2/", {"action": "validate", "skill": skill.pk}).status_code == 404
    assert EmployeeSkill.objects.get(employee=employee).status == "declared"
