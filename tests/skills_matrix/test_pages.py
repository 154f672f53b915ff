"""Pages of the skills matrix: what each role sees and may change, and isolation between organisations."""

import re

import pytest

from referentials.models import Skill
from skills_matrix import services
from skills_matrix.models import EmployeeSkill, OrgSkill, SkillLevel, SkillMapping
from workforce.models import Job

from .conftest import moment


def _set(employee, skill, level, day="2024-01-01"):
    services.employee_skill_set(employee=employee, skill=skill, level=level, status="observed",
                                source="supervisor", assessed_on=None, user=None, at=moment(day))


def test_it_shows_the_heat_map_with_gap_cells_and_counts(in_alpha, make_user, client_for, employee_factory,
                                                         job_factory):
    job = job_factory(title="Soudeur")
    tig = services.org_skill_get_or_create(label="Soudure TIG")
    safety = services.org_skill_get_or_create(label="Sécurité")
    services.job_requirement_set(job=job, skill=tig, target_level=3)
    services.job_requirement_set(job=job, skill=safety, target_level=2)
    ana = employee_factory(staff_number="H-1", last_name="Abel", job=job)
    employee_factory(staff_number="H-2", last_name="Bernard", job=job)
    _set(ana, tig, 1)
    _set(ana, safety, 4)

    response = client_for(in_alpha, make_user(in_alpha, "hr")).get("/competences/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<table class="heat">' in html
    row = re.search(r'<tr data-staff-number="H-1">(.*?)</tr>', html, re.S).group(1)
    assert 'class="level level-4"' in row
    assert 'class="level level-1 gap"' in row
    assert re.search(r'<td class="gap-count">1</td>', row)
    other = re.search(r'<tr data-staff-number="H-2">(.*?)</tr>', html, re.S).group(1)
    assert other.count(" gap\"") == 2
    assert re.search(r'<td class="gap-count">2</td>', other)
    assert re.search(r'id="gap-total">3<', html)
    assert re.search(r'id="employee-count">2<', html)


def test_it_pages_the_heat_map(in_alpha, make_user, client_for, employee_factory):
    skill = services.org_skill_get_or_create(label="Cariste")
    for n in range(55):
        _set(employee_factory(staff_number=f"PG-{n:02d}", last_name=f"Nom{n:02d}"), skill, n % 5)
    client = client_for(in_alpha, make_user(in_alpha, "hr"))
    first = client.get("/competences/").content.decode()
    assert first.count("<tr data-staff-number=") == 50
    assert re.search(r'id="employee-count">55<', first)
    second = client.get("/competences/?page=2").content.decode()
    assert second.count("<tr data-staff-number=") == 5
    assert '<tr data-staff-number="PG-54">' in second
    assert client.get("/competences/?page=9").content.decode().count("<tr data-staff-number=") == 5


def test_it_filters_the_heat_map_by_date(in_alpha, make_user, client_for, employee_factory):
    employee = employee_factory(staff_number="H-3")
    skill = services.org_skill_get_or_create(label="Cariste")
    _set(employee, skill, 1, "2023-01-01")
    _set(employee, skill, 3, "2024-01-01")
    client = client_for(in_alpha, make_user(in_alpha, "admin"))
    assert 'class="level level-1"' in client.get("/competences/?at=2023-06-30").content.decode()
    assert 'class="level level-3"' in client.get("/competences/").content.decode()
    bad = client.get("/competences/?at=30/06/2023").content.decode()
    assert "Date « 30/06/2023 » illisible" in bad


def test_it_shows_a_profile_with_history_and_records_a_level(in_alpha, make_user, client_for, employee_factory):
    boss = employee_factory()
    employee = employee_factory(staff_number="P-1", manager=boss)
    skill = services.org_skill_get_or_create(label="Cariste")
    _set(employee, skill, 1, "2023-01-01")
    client = client_for(in_alpha, make_user(in_alpha, "supervisor", employee=boss))
    response = client.post("/competences/salaries/P-1/", {"skill": skill.pk, "level": 3, "status": "validated",
                                                          "source": "supervisor", "assessed_on": "2025-02-03"})
    assert response.status_code == 302
    page = client.get("/competences/salaries/P-1/").content.decode()
    assert "Niveau enregistré pour « Cariste »." in page
    history = page[page.index('id="history"'):]
    assert history.count("<tr><td>Cariste</td>") == 2
    assert "Validée" in history and "Observée" in history
    past = client.get("/competences/salaries/P-1/?at=2023-06-01").content.decode()
    current = past[past.index('id="current-skills"'):past.index('id="history"')]
    assert 'class="level level-1"' in current
    assert EmployeeSkill.objects.filter(employee=employee, valid_to__isnull=True).get().level == 3


def test_it_lets_an_employee_self_assess_on_their_own_profile(in_alpha, make_user, client_for, employee_factory):
    employee = employee_factory(staff_number="P-2")
    employee_factory(staff_number="P-3")
    skill = services.org_skill_get_or_create(label="Cariste")
    client = client_for(in_alpha, make_user(in_alpha, "employee", employee=employee))
    page = client.get("/competences/moi/", follow=True).content.decode()
    assert "M&#x27;auto-évaluer" in page or "M'auto-évaluer" in page
    client.post("/competences/salaries/P-2/", {"skill": skill.pk, "level": 2, "status": "certified"})
    assert not EmployeeSkill.objects.filter(employee=employee).exists()  # a self-assessment is never certified
    client.post("/competences/salaries/P-2/", {"skill": skill.pk, "level": 2})
    row = EmployeeSkill.objects.get(employee=employee)
    assert (row.level, row.status, row.source) == (2, "declared", "self")
    assert client.get("/competences/salaries/P-3/").status_code == 404
    assert client.get("/competences/").status_code == 403


def test_it_accepts_and_rejects_mappings_in_bulk(in_alpha, make_user, client_for):
    skill = services.org_skill_get_or_create(label="Cariste")
    rome = [Skill.objects.create(code_ogr=f"T-PAGE-{n}", label=f"Conduite d'engins {n}", kind="savoir_faire")
            for n in range(4)]
    mappings = [SkillMapping.objects.create(org_skill=skill, rome_skill=r, confidence=0.4 + n / 10)
                for n, r in enumerate(rome)]
    client = client_for(in_alpha, make_user(in_alpha, "hr"))
    page = client.get("/competences/rapprochements/").content.decode()
    assert page.count('name="mapping"') == 4
    assert "Cariste" in page and "70 %" in page
    client.post("/competences/rapprochements/", {"action": "accept", "mapping": [mappings[3].pk, mappings[2].pk]})
    client.post("/competences/rapprochements/", {"action": "reject", "mapping": [mappings[0].pk]})
    statuses = dict(SkillMapping.objects.values_list("pk", "status"))
    # Accepting rejects the skill's other suggestions, so the skill leaves the queue.
    assert [statuses[m.pk] for m in mappings] == ["rejected", "rejected", "accepted", "accepted"]
    page = client.get("/competences/rapprochements/").content.decode()
    assert "1 correspondance(s) rejetée(s)." in page
    assert page.count('name="mapping"') == 0
    empty = client.post("/competences/rapprochements/", {"action": "accept"}, follow=True).content.decode()
    assert "Cochez au moins une correspondance" in empty


def test_it_edits_the_level_scale(in_alpha, make_user, client_for):
    client = client_for(in_alpha, make_user(in_alpha, "admin"))
    data = {f"label-{lvl.value}": lvl.label for lvl in SkillLevel.objects.all()}
    data.update({f"description-{lvl.value}": lvl.description for lvl in SkillLevel.objects.all()})
    data["description-2"] = "Travaille seul sur les postes courants."
    assert client.post("/competences/niveaux/", data).status_code == 302
    assert SkillLevel.objects.get(value=2).description == "Travaille seul sur les postes courants."
    assert "Travaille seul sur les postes courants." in client.get("/competences/niveaux/").content.decode()


@pytest.fixture
def alpha_objects(in_alpha, employee_factory, job_factory, org_unit_factory):
    job = job_factory(id=890_001)
    unit = org_unit_factory(id=890_002)
    employee_factory(staff_number="A-PAGE", job=job, org_unit=unit)
    skill = OrgSkill.objects.create(id=890_003, label="Secret alpha", normalized_label="secret alpha")
    rome = Skill.objects.create(code_ogr="T-ISO-PAGE", label="Iso", kind="savoir_faire")
    mapping = SkillMapping.objects.create(id=890_004, org_skill=skill, rome_skill=rome, confidence=0.9)
    return {"job": job, "unit": unit, "mapping": mapping}


def test_it_answers_404_on_pages_for_another_organisations_objects(alpha_objects, beta, make_user, client_for):
    client = client_for(beta, make_user(beta, "admin"))
    job, unit, mapping = alpha_objects["job"].pk, alpha_objects["unit"].pk, alpha_objects["mapping"].pk
    responses = [
        client.get("/competences/salaries/A-PAGE/"),
        client.post("/competences/salaries/A-PAGE/", {"skill": 890_003, "level": 1}),
        client.get(f"/emplois/{job}/"),
        client.post(f"/emplois/{job}/", {"action": "set", "skill_label": "x", "target_level": 2}),
        client.get(f"/competences/?org_unit={unit}"),
        client.get(f"/competences/?job={job}"),
        client.get(f"/competences/export.xlsx?job={job}"),
        client.post("/competences/rapprochements/", {"action": "accept", "mapping": [mapping]}),
    ]
    assert [r.status_code for r in responses] == [404] * len(responses)
    assert "A-PAGE" not in client.get("/competences/").content.decode()


def test_it_refuses_pages_to_roles_without_the_right(in_alpha, make_user, client_for, employee_factory):
    job = Job.objects.create(title="Cariste")
    employee = employee_factory()
    supervisor = client_for(in_alpha, make_user(in_alpha, "supervisor"))
    worker = client_for(in_alpha, make_user(in_alpha, "employee", employee=employee))
    refused = [
        worker.get("/competences/"),
        worker.get("/competences/export.xlsx"),
        supervisor.get("/competences/rapprochements/"),
        supervisor.post("/competences/rapprochements/", {"action": "suggest"}),
        supervisor.get("/competences/niveaux/"),
        supervisor.post("/emplois/nouveau/", {"title": "Nouveau"}),
        worker.post(f"/emplois/{job.pk}/", {"action": "set", "skill_label": "x", "target_level": 2}),
    ]
    assert [r.status_code for r in refused] == [403] * len(refused)
    assert not Job.objects.filter(title="Nouveau").exists()
    assert supervisor.get("/competences/").status_code == 200
    assert worker.get(f"/emplois/{job.pk}/").status_code == 200
