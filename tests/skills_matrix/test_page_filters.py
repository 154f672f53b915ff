"""The matrix page's filters, its Excel export with filters, and bad input on the profile page."""

import io
import re

from openpyxl import load_workbook

from skills_matrix import services
from skills_matrix.models import EmployeeSkill

from .conftest import moment


def _set(employee, skill, level):
    services.employee_skill_set(employee=employee, skill=skill, level=level, status="observed", source="supervisor",
                                assessed_on=None, user=None, at=moment("2024-01-01"))


def _staff_numbers(html):
    return re.findall(r'<tr data-staff-number="([^"]+)">', html)


def _skill_headers(html):
    head = html[html.index('<table class="heat">'):html.index("</thead>")]
    return re.findall(r'<th scope="col" class="skill" title="[^"]*"><span>([^<]+)</span></th>', head)


def _population(employee_factory, job_factory, org_unit_factory):
    workshop = org_unit_factory(name="Atelier")
    bench = org_unit_factory(name="Établi", parent=workshop)
    office = org_unit_factory(name="Bureau")
    welder, clerk = job_factory(title="Soudeur"), job_factory(title="Comptable")
    tig = services.org_skill_get_or_create(label="Soudure TIG")
    calm = services.org_skill_get_or_create(label="Calme", kind="savoir_etre")
    services.job_requirement_set(job=welder, skill=tig, target_level=3)
    ana = employee_factory(staff_number="F-1", last_name="Abel", job=welder, org_unit=bench)
    bob = employee_factory(staff_number="F-2", last_name="Bach", job=clerk, org_unit=office)
    _set(ana, tig, 1)
    _set(ana, calm, 3)
    _set(bob, calm, 4)
    return {"workshop": workshop, "office": office, "welder": welder, "clerk": clerk}


def test_it_filters_the_heat_map_by_unit_job_and_kind(in_alpha, make_user, client_for, employee_factory,
                                                      job_factory, org_unit_factory):
    data = _population(employee_factory, job_factory, org_unit_factory)
    client = client_for(in_alpha, make_user(in_alpha, "hr"))
    by_unit = client.get(f"/competences/?org_unit={data['workshop'].pk}").content.decode()
    assert _staff_numbers(by_unit) == ["F-1"]
    assert f'<option value="{data["workshop"].pk}" selected>Atelier</option>' in by_unit
    assert _staff_numbers(client.get(f"/competences/?job={data['clerk'].pk}").content.decode()) == ["F-2"]
    soft = client.get("/competences/?kind=savoir_etre").content.decode()
    assert _skill_headers(soft) == ["Calme"]
    assert _staff_numbers(soft) == ["F-1", "F-2"]
    # grouped by nature by default: savoir-faire, then savoir-être
    assert _skill_headers(client.get("/competences/").content.decode()) == ["Soudure TIG", "Calme"]
    assert _skill_headers(client.get("/competences/?group=none").content.decode()) == ["Calme", "Soudure TIG"]


def test_it_says_when_a_matrix_filter_is_unreadable(in_alpha, make_user, client_for, employee_factory, job_factory,
                                                    org_unit_factory):
    _population(employee_factory, job_factory, org_unit_factory)
    client = client_for(in_alpha, make_user(in_alpha, "hr"))
    kind = client.get("/competences/?kind=hard").content.decode()
    assert ("Nature « hard » inconnue : choisissez parmi Savoir-faire, Savoir-être professionnel, Savoir. "
            "Le filtre est ignoré.") in kind
    assert _skill_headers(kind) == ["Soudure TIG", "Calme"]
    unit = client.get("/competences/?org_unit=abc").content.decode()
    assert ("Filtre « Unité » : « abc » n&#x27;est pas un identifiant ; choisissez dans la liste. "
            "Le filtre est ignoré.") in unit
    assert _staff_numbers(unit) == ["F-1", "F-2"]


def test_it_exports_only_the_filtered_rows_and_columns(in_alpha, make_user, client_for, employee_factory,
                                                       job_factory, org_unit_factory):
    data = _population(employee_factory, job_factory, org_unit_factory)
    client = client_for(in_alpha, make_user(in_alpha, "hr"))

    def sheet(query):
        response = client.get(f"/competences/export.xlsx?{query}")
        assert response.status_code == 200
        return [[c.value for c in row] for row in load_workbook(io.BytesIO(response.content))["Matrice"].iter_rows()]

    welders = sheet(f"job={data['welder'].pk}")
    assert welders[0] == ["Matricule", "Nom", "Prénom", "Emploi", "Unité", "Soudure TIG", "Calme", "Écarts"]
    assert [row[0] for row in welders[1:]] == ["F-1"]
    assert welders[1][5:] == [1, 3, 1]
    alphabetical = sheet(f"job={data['welder'].pk}&group=none")
    assert alphabetical[0][5:] == ["Calme", "Soudure TIG", "Écarts"]
    office = sheet(f"org_unit={data['office'].pk}&kind=savoir_etre")
    assert office[0][5:] == ["Calme", "Écarts"]
    assert [row[0] for row in office[1:]] == ["F-2"]
    assert office[1][5:] == [4, 0]
    past = client.get("/competences/export.xlsx?at=2023-06-30")
    assert 'filename="matrice-competences-2023-06-30.xlsx"' in past["Content-Disposition"]
    assert [[c.value for c in row] for row in load_workbook(io.BytesIO(past.content))["Matrice"].iter_rows()][0][5:] \
        == ["Soudure TIG", "Écarts"]


def test_it_refuses_an_unreadable_assessment_date_and_saves_nothing(in_alpha, make_user, client_for,
                                                                    employee_factory):
    boss = employee_factory()
    employee = employee_factory(staff_number="F-3", manager=boss)
    skill = services.org_skill_get_or_create(label="Cariste")
    client = client_for(in_alpha, make_user(in_alpha, "supervisor", employee=boss))
    for typed in ("31/12/2024", "2024-02-30"):
        response = client.post("/competences/salaries/F-3/", {"skill": skill.pk, "level": 3, "status": "observed",
                                                              "source": "supervisor", "assessed_on": typed})
        assert response.status_code == 200
        assert (f"Date « {typed} » illisible : utilisez le format AAAA-MM-JJ (ex. 2024-12-31)."
                in response.content.decode())
    assert not EmployeeSkill.objects.filter(employee=employee).exists()
    client.post("/competences/salaries/F-3/", {"skill": skill.pk, "level": 3, "assessed_on": "2024-12-31"})
    assert str(EmployeeSkill.objects.get(employee=employee).assessed_on) == "2024-12-31"
