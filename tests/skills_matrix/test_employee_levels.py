"""An employee's skill levels: who may replace a level, the staff of a past date, the job's required levels
on the profile, future assessment dates, the export's header and the API's 200 on no change."""

import datetime
import io
import re

from openpyxl import load_workbook

from skills_matrix import services
from skills_matrix.models import EmployeeSkill

from .conftest import moment

JSON = {"content_type": "application/json"}
CERTIFIED_FOR_EMPLOYEE = ("Ce niveau est certifié : seuls les RH peuvent le modifier. Proposez une nouvelle "
                          "évaluation à votre encadrant.")


def _record(employee, skill, level=3, status="certified", day="2024-01-01"):
    return services.employee_skill_set(employee=employee, skill=skill, level=level, status=status,
                                       source="training", assessed_on=None, user=None, at=moment(day))


def _current(employee, skill):
    return list(EmployeeSkill.objects.filter(employee=employee, skill=skill, valid_to__isnull=True)
                .values_list("level", "status"))


def _unescape(html: str) -> str:
    return html.replace("&#x27;", "'").replace("&quot;", '"')


# --- 1. A level above one's ceiling is never replaced nor withdrawn -------------------------------------

def test_it_refuses_an_employee_overwriting_or_withdrawing_a_certified_level_on_the_page(
        in_alpha, make_user, client_for, employee_factory):
    boss = employee_factory()
    employee = employee_factory(staff_number="W1", manager=boss)
    skill = services.org_skill_get_or_create(label="Cariste")
    _record(employee, skill)
    worker = client_for(in_alpha, make_user(in_alpha, "employee", employee=employee))

    html = _unescape(worker.post("/competences/salaries/W1/", {"skill": skill.pk, "level": 1}, follow=True)
                     .content.decode())
    assert CERTIFIED_FOR_EMPLOYEE in html
    html = _unescape(worker.post("/competences/salaries/W1/", {"action": "withdraw", "skill": skill.pk},
                                 follow=True).content.decode())
    assert ("Ce niveau est certifié : seuls les RH peuvent le retirer. Proposez une nouvelle évaluation à votre "
            "encadrant.") in html
    assert _current(employee, skill) == [(3, "certified")]
    assert EmployeeSkill.objects.filter(employee=employee).count() == 1


def test_it_refuses_an_employee_overwriting_an_observed_or_validated_level_through_the_api(
        in_alpha, make_user, api_client, employee_factory):
    employee = employee_factory(staff_number="W2")
    observed, validated = (services.org_skill_get_or_create(label=label) for label in ("Cariste", "Soudure"))
    _record(employee, observed, level=2, status="observed")
    _record(employee, validated, level=2, status="validated")
    client = api_client(in_alpha, make_user(in_alpha, "employee", employee=employee))
    for skill, label in ((observed, "Observée"), (validated, "Validée")):
        response = client.post("/api/v1/employees/W2/skills", {"skill_id": skill.pk, "level": 4}, **JSON)
        assert response.status_code == 400
        assert response.json()["detail"] == (
            f"Ce niveau est « {label} » : seuls votre encadrant ou les RH peuvent le modifier. Proposez une "
            f"nouvelle évaluation à votre encadrant.")
    assert _current(employee, observed) == [(2, "observed")]
    assert _current(employee, validated) == [(2, "validated")]


def test_it_lets_an_employee_replace_their_own_declared_level(in_alpha, make_user, api_client, employee_factory):
    employee = employee_factory(staff_number="W3")
    skill = services.org_skill_get_or_create(label="Cariste")
    _record(employee, skill, level=1, status="declared")
    client = api_client(in_alpha, make_user(in_alpha, "employee", employee=employee))
    response = client.post("/api/v1/employees/W3/skills", {"skill_id": skill.pk, "level": 2}, **JSON)
    assert (response.status_code, response.json()["level"], response.json()["status"]) == (201, 2, "declared")


def test_it_refuses_an_employee_asking_for_a_certified_status(in_alpha, make_user, api_client, employee_factory):
    employee = employee_factory(staff_number="W4")
    skill = services.org_skill_get_or_create(label="Cariste")
    client = api_client(in_alpha, make_user(in_alpha, "employee", employee=employee))
    response = client.post("/api/v1/employees/W4/skills", {"skill_id": skill.pk, "level": 2, "status": "certified"},
                           **JSON)
    assert response.status_code == 400
    assert response.json()["detail"] == (
        "Sur votre propre fiche, un niveau est « déclaré » : le statut « Certifiée » est réservé à votre encadrant "
        "ou aux RH. Retirez le statut ou demandez-leur une évaluation.")
    assert not EmployeeSkill.objects.filter(employee=employee).exists()


def test_it_lets_a_supervisor_replace_a_validated_level_but_not_a_certified_one(in_alpha, make_user, api_client,
                                                                                employee_factory):
    boss = employee_factory()
    employee = employee_factory(staff_number="W5", manager=boss)
    validated, certified = (services.org_skill_get_or_create(label=label) for label in ("Cariste", "Soudure"))
    _record(employee, validated, level=2, status="validated")
    _record(employee, certified, level=3, status="certified")
    supervisor = api_client(in_alpha, make_user(in_alpha, "supervisor", employee=boss))

    replaced = supervisor.post("/api/v1/employees/W5/skills", {"skill_id": validated.pk, "level": 1}, **JSON)
    assert (replaced.status_code, replaced.json()["level"], replaced.json()["status"]) == (201, 1, "observed")
    refused = supervisor.post("/api/v1/employees/W5/skills", {"skill_id": certified.pk, "level": 1}, **JSON)
    assert refused.status_code == 400
    assert refused.json()["detail"] == "Ce niveau est certifié : seuls les RH et administrateurs peuvent le modifier."
    dated = supervisor.post("/api/v1/employees/W5/skills",
                            {"skill_id": certified.pk, "level": 3, "assessed_on": "2025-01-10"}, **JSON)
    assert dated.status_code == 400
    assert _current(employee, certified) == [(3, "certified")]

    hr = api_client(in_alpha, make_user(in_alpha, "hr"))
    by_hr = hr.post("/api/v1/employees/W5/skills", {"skill_id": certified.pk, "level": 1, "status": "validated"},
                    **JSON)
    assert (by_hr.status_code, by_hr.json()["level"], by_hr.json()["status"]) == (201, 1, "validated")


def test_it_keeps_the_bulk_writer_of_imports_unrestricted(in_alpha, employee_factory):
    employee = employee_factory()
    skill = services.org_skill_get_or_create(label="Cariste")
    _record(employee, skill)
    result = services.employee_skills_bulk_set(rows=[(employee.pk, skill.pk, 1, None)], source="import", user=None,
                                               at=moment("2024-06-01"))
    assert (result.created, result.updated) == (0, 1)
    assert _current(employee, skill) == [(1, "validated")]


def test_it_answers_404_for_another_organisations_employee(in_alpha, beta, make_user, api_client,
                                                           employee_factory):
    employee_factory(staff_number="W-ISO")
    skill = services.org_skill_get_or_create(label="Cariste")
    outsider = api_client(beta, make_user(beta, "hr"))
    response = outsider.post("/api/v1/employees/W-ISO/skills", {"skill_id": skill.pk, "level": 1}, **JSON)
    assert response.status_code == 404


# --- 2. The matrix at a past date lists the staff of that date --------------------------------------------

def _staff_over_time(employee_factory, job_factory):
    job = job_factory(title="Cariste")
    skill = services.org_skill_get_or_create(label="Conduite")
    services.job_requirement_set(job=job, skill=skill, target_level=3)
    people = {
        "P-STAY": employee_factory(staff_number="P-STAY", last_name="Aubert", job=job),
        "P-NEW": employee_factory(staff_number="P-NEW", last_name="Bernard", job=job,
                                  hire_date=datetime.date(2025, 6, 2)),
        "P-GONE": employee_factory(staff_number="P-GONE", last_name="Colin", job=job, is_active=False,
                                   exit_date=datetime.date(2024, 9, 30)),
        "P-NODATE": employee_factory(staff_number="P-NODATE", last_name="Durand", job=job, hire_date=None),
    }
    for person in people.values():
        _record(person, skill, level=2, status="observed", day="2024-01-01")
    return people


def test_it_shows_the_staff_present_at_a_past_date_on_the_page(in_alpha, make_user, client_for, employee_factory,
                                                               job_factory):
    _staff_over_time(employee_factory, job_factory)
    client = client_for(in_alpha, make_user(in_alpha, "hr"))
    past = _unescape(client.get("/competences/?at=2024-03-01").content.decode())
    assert re.findall(r'<tr data-staff-number="([^"]+)">', past) == ["P-STAY", "P-GONE", "P-NODATE"]
    assert "les emplois et niveaux requis sont ceux d'aujourd'hui (ils n'ont pas d'historique)" in past
    today = _unescape(client.get("/competences/").content.decode())
    assert re.findall(r'<tr data-staff-number="([^"]+)">', today) == ["P-STAY", "P-NEW", "P-NODATE"]
    assert 'id="past-date-note"' not in today


def test_it_shows_the_staff_present_at_a_past_date_in_the_api_and_the_export(in_alpha, make_user, api_client,
                                                                             client_for, employee_factory,
                                                                             job_factory):
    _staff_over_time(employee_factory, job_factory)
    hr = make_user(in_alpha, "hr")
    body = api_client(in_alpha, hr).get("/api/v1/skills/matrix?at=2024-03-01").json()
    assert [item["staff_number"] for item in body["items"]] == ["P-STAY", "P-GONE", "P-NODATE"]
    assert body["count"] == 3

    response = client_for(in_alpha, hr).get("/competences/export.xlsx?at=2024-03-01")
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook["Matrice"]
    assert [row[0].value for row in sheet.iter_rows(min_row=2)] == ["P-STAY", "P-GONE", "P-NODATE"]
    info = [[c.value for c in row] for row in workbook["Informations"].iter_rows()]
    assert info[0] == ["Matrice au", "01/03/2024"]
    assert any(row[0] and "ils n'ont pas d'historique" in row[0] for row in info)


# --- 3. The profile shows the job's required levels ---------------------------------------------------------

def test_it_shows_the_required_levels_and_gaps_on_the_profile(in_alpha, make_user, client_for, employee_factory,
                                                              job_factory):
    job = job_factory(title="Agent de conditionnement")
    held, reached, missing = (services.org_skill_get_or_create(label=label)
                              for label in ("Conditionnement", "Hygiène", "Palettisation"))
    services.job_requirement_set(job=job, skill=held, target_level=3)
    services.job_requirement_set(job=job, skill=reached, target_level=2)
    services.job_requirement_set(job=job, skill=missing, target_level=2)
    boss = employee_factory()
    employee = employee_factory(staff_number="E-1", job=job, manager=boss)
    services.employee_skill_set(employee=employee, skill=held, level=2, status="observed", source="supervisor",
                                assessed_on=datetime.date(2024, 2, 15), user=None, at=moment("2024-03-01"))
    _record(employee, reached, level=2, status="observed")

    html = client_for(in_alpha, make_user(in_alpha, "supervisor", employee=boss)).get(
        "/competences/salaries/E-1/").content.decode()
    table = html[html.index('id="job-requirements"'):]
    table = table[:table.index("</table>")]
    rows = [re.sub(r"<[^>]+>", "|", row) for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)][1:]
    cells = [[c.strip() for c in row.split("|") if c.strip()] for row in rows]
    assert cells == [
        ["Conditionnement", "requis 3", "2", "1 niveau manquant"],
        ["Hygiène", "requis 2", "2", "atteint"],
        ["Palettisation", "requis 2", "non évalué", "2 niveaux manquants"],
    ]
    history = html[html.index('id="history"'):]
    assert "Évalué le" in history[:history.index("</thead>")]
    assert "15/02/2024" in history


# --- 4. Future dates, the export's header and required levels, 200 when nothing changed --------------------

def test_it_refuses_an_assessment_date_in_the_future(in_alpha, make_user, api_client, client_for, employee_factory):
    boss = employee_factory()
    employee_factory(staff_number="F-1", manager=boss)
    skill = services.org_skill_get_or_create(label="Cariste")
    supervisor = make_user(in_alpha, "supervisor", employee=boss)
    expected = ("Date d'évaluation 01/01/2030 dans le futur : indiquez la date où le niveau a été évalué "
                "(aujourd'hui au plus tard).")
    response = api_client(in_alpha, supervisor).post(
        "/api/v1/employees/F-1/skills", {"skill_id": skill.pk, "level": 2, "assessed_on": "2030-01-01"}, **JSON)
    assert (response.status_code, response.json()["detail"]) == (400, expected)
    html = _unescape(client_for(in_alpha, supervisor).post(
        "/competences/salaries/F-1/", {"skill": skill.pk, "level": 2, "status": "observed", "source": "supervisor",
                                       "assessed_on": "2030-01-01"}, follow=True).content.decode())
    assert expected in html
    assert not EmployeeSkill.objects.filter(skill=skill).exists()


def test_it_exports_the_filters_and_the_required_level_of_each_gap(in_alpha, make_user, client_for,
                                                                   employee_factory, job_factory,
                                                                   org_unit_factory):
    unit = org_unit_factory(name="Atelier")
    job = job_factory(title="Soudeur")
    tig = services.org_skill_get_or_create(label="Soudure TIG")
    services.job_requirement_set(job=job, skill=tig, target_level=3)
    employee = employee_factory(staff_number="X-1", last_name="Abel", job=job, org_unit=unit)
    _record(employee, tig, level=1, status="observed")
    employee_factory(staff_number="X-2", last_name="Brun", job=job, org_unit=unit)

    response = client_for(in_alpha, make_user(in_alpha, "hr")).get(
        f"/competences/export.xlsx?org_unit={unit.pk}&job={job.pk}&kind=savoir_faire")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames[:3] == ["Informations", "Matrice", "Niveaux requis"]
    info = [[c.value for c in row] for row in workbook["Informations"].iter_rows()]
    assert info == [["Matrice au", datetime.date.today().strftime("%d/%m/%Y")], ["Unité", "Atelier"],
                    ["Emploi", "Soudeur"], ["Nature", "Savoir-faire"]]
    required = [[c.value for c in row] for row in workbook["Niveaux requis"].iter_rows()]
    assert required[0] == ["Matricule", "Nom", "Prénom", "Emploi", "Unité", "Soudure TIG"]
    assert [(row[0], row[5]) for row in required[1:]] == [("X-1", 3), ("X-2", 3)]
    assert [c.value for c in workbook["Matrice"]["F"]][1:] == [1, None]


def test_it_answers_200_with_the_current_level_when_nothing_changed(in_alpha, make_user, api_client,
                                                                    employee_factory):
    boss = employee_factory()
    employee_factory(staff_number="N-1", manager=boss)
    skill = services.org_skill_get_or_create(label="Cariste")
    client = api_client(in_alpha, make_user(in_alpha, "supervisor", employee=boss))
    payload = {"skill_id": skill.pk, "level": 2, "status": "observed", "assessed_on": "2024-05-02"}
    first = client.post("/api/v1/employees/N-1/skills", payload, **JSON)
    again = client.post("/api/v1/employees/N-1/skills", payload, **JSON)
    assert first.status_code == 201
    assert (again.status_code, again.json()["id"], again.json()["level"]) == (200, first.json()["id"], 2)
    assert EmployeeSkill.objects.filter(skill=skill).count() == 1


def test_it_refuses_a_role_without_the_right_to_record_a_level(in_alpha, make_user, api_client, employee_factory):
    employee_factory(staff_number="N-2")
    skill = services.org_skill_get_or_create(label="Cariste")
    worker = api_client(in_alpha, make_user(in_alpha, "employee", employee=employee_factory()))
    assert worker.post("/api/v1/employees/N-2/skills", {"skill_id": skill.pk, "level": 2}, **JSON).status_code == 404
