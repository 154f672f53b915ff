"""Withdrawing a level recorded by mistake: the current row is closed, the history keeps it."""

from skills_matrix import services
from skills_matrix.models import EmployeeSkill, OrgSkill

from .conftest import moment


def _set(employee, skill, level, day, status="observed"):
    services.employee_skill_set(employee=employee, skill=skill, level=level, status=status, source="supervisor",
                                assessed_on=None, user=None, at=moment(day))


def test_it_withdraws_a_level_through_the_api_and_keeps_the_history(in_alpha, make_user, api_client,
                                                                    employee_factory):
    employee = employee_factory(staff_number="WD-1")
    skill = services.org_skill_get_or_create(label="Cariste")
    _set(employee, skill, 1, "2023-01-01")
    _set(employee, skill, 3, "2024-01-01")
    client = api_client(in_alpha, make_user(in_alpha, "hr"))
    assert client.delete(f"/api/v1/employees/WD-1/skills/{skill.pk}").status_code == 204
    assert client.get("/api/v1/employees/WD-1/skills").json()["count"] == 0
    assert client.get("/api/v1/employees/WD-1/skills?at=2024-06-01").json()["items"][0]["level"] == 3
    history = client.get("/api/v1/employees/WD-1/skills/history").json()
    assert [(h["level"], h["valid_to"] is None) for h in history] == [(3, False), (1, False)]
    assert EmployeeSkill.objects.filter(employee=employee).count() == 2
    again = client.delete(f"/api/v1/employees/WD-1/skills/{skill.pk}")
    assert again.status_code == 404
    assert again.json()["detail"] == "« Cariste » n'a aucun niveau en cours pour ce salarié : il n'y a rien à retirer."


def test_it_guards_the_withdrawal_by_scope_and_role(in_alpha, make_user, api_client, employee_factory):
    boss = employee_factory()
    team = employee_factory(staff_number="WD-2", manager=boss)
    outside = employee_factory(staff_number="WD-3")
    skill = services.org_skill_get_or_create(label="Cariste")
    for person in (team, outside):
        _set(person, skill, 2, "2024-01-01", status="certified")
    supervisor = api_client(in_alpha, make_user(in_alpha, "supervisor", employee=boss))
    assert supervisor.delete(f"/api/v1/employees/WD-3/skills/{skill.pk}").status_code == 404
    certified = supervisor.delete(f"/api/v1/employees/WD-2/skills/{skill.pk}")
    assert certified.status_code == 400
    assert certified.json()["detail"] == "Seuls les RH et administrateurs retirent un niveau certifié."
    worker = api_client(in_alpha, make_user(in_alpha, "employee", employee=team))
    own = worker.delete(f"/api/v1/employees/WD-2/skills/{skill.pk}")
    assert own.status_code == 400
    assert own.json()["detail"] == ("Ce niveau est certifié : seuls les RH peuvent le retirer. Proposez une nouvelle "
                                    "évaluation à votre encadrant.")
    viewer = employee_factory(staff_number="WD-4")
    other_worker = api_client(in_alpha, make_user(in_alpha, "employee", employee=viewer))
    assert other_worker.delete(f"/api/v1/employees/WD-2/skills/{skill.pk}").status_code == 404
    assert EmployeeSkill.objects.filter(valid_to__isnull=True).count() == 2
    assert api_client(in_alpha, make_user(in_alpha, "hr")).delete(
        f"/api/v1/employees/WD-2/skills/{skill.pk}").status_code == 204


def test_it_lets_an_employee_withdraw_their_own_declared_level(in_alpha, make_user, api_client, employee_factory):
    employee = employee_factory(staff_number="WD-5")
    skill = services.org_skill_get_or_create(label="Cariste")
    client = api_client(in_alpha, make_user(in_alpha, "employee", employee=employee))
    client.post("/api/v1/employees/WD-5/skills", {"skill_id": skill.pk, "level": 2}, content_type="application/json")
    assert client.delete(f"/api/v1/employees/WD-5/skills/{skill.pk}").status_code == 204
    assert client.get("/api/v1/employees/WD-5/skills").json()["count"] == 0


def test_it_answers_404_to_another_organisation_when_withdrawing(in_alpha, beta, make_user, api_client,
                                                                 employee_factory):
    employee = employee_factory(staff_number="WD-ISO")
    skill = OrgSkill.objects.create(id=870_101, label="Secret alpha", normalized_label="secret alpha")
    _set(employee, skill, 2, "2024-01-01")
    client = api_client(beta, make_user(beta, "admin"))
    assert client.delete(f"/api/v1/employees/WD-ISO/skills/{skill.pk}").status_code == 404
    assert EmployeeSkill.objects.get(employee=employee).valid_to is None


def test_it_withdraws_a_level_from_the_profile_page(in_alpha, beta, make_user, client_for, employee_factory):
    boss = employee_factory()
    employee = employee_factory(staff_number="WD-6", manager=boss)
    skill = services.org_skill_get_or_create(label="Cariste")
    _set(employee, skill, 2, "2024-01-01")
    client = client_for(in_alpha, make_user(in_alpha, "supervisor", employee=boss))
    page = client.get("/competences/salaries/WD-6/").content.decode()
    assert '<input type="hidden" name="action" value="withdraw">' in page
    response = client.post("/competences/salaries/WD-6/", {"action": "withdraw", "skill": skill.pk}, follow=True)
    html = response.content.decode()
    assert "Niveau retiré pour « Cariste » (l&#x27;historique le conserve)." in html
    current = html[html.index('id="current-skills"'):html.index('id="history"')]
    assert "Aucun niveau enregistré à cette date." in current
    assert EmployeeSkill.objects.get(employee=employee).valid_to is not None
    _set(employee, skill, 3, "2025-01-01")
    other = client_for(beta, make_user(beta, "admin"))
    assert other.post("/competences/salaries/WD-6/", {"action": "withdraw", "skill": skill.pk}).status_code == 404
    viewer = employee_factory(staff_number="WD-7")
    worker = client_for(in_alpha, make_user(in_alpha, "employee", employee=viewer))
    assert worker.post("/competences/salaries/WD-6/", {"action": "withdraw", "skill": skill.pk}).status_code == 404
    outside_supervisor = client_for(in_alpha, make_user(in_alpha, "supervisor"))
    assert outside_supervisor.post("/competences/salaries/WD-6/", {"action": "withdraw", "skill": skill.pk}).status_code == 404
    assert EmployeeSkill.objects.get(employee=employee, valid_to__isnull=True).level == 3
