"""ESCO mappings, isolation between organisations on lists and the level scale, and who may read whose skills."""

from urllib.parse import quote

import pytest
from django_tenants.utils import tenant_context

from referentials.models import EscoSkill, Skill
from skills_matrix import services
from skills_matrix.models import EmployeeSkill, OrgSkill, SkillLevel, SkillMapping
from workforce import services as job_services

from .conftest import moment

JSON = {"content_type": "application/json"}
LOGIN = "/comptes/connexion/"


def test_it_stores_lists_shows_and_reviews_esco_mappings(in_alpha, make_user, api_client, client_for):
    skill = services.org_skill_get_or_create(label="Cariste")
    esco = [EscoSkill.objects.create(uri=f"http://data.europa.eu/esco/skill/test-{n}", label=f"conduire un chariot {n}")
            for n in range(2)]
    rome = Skill.objects.create(code_ogr="T-ESCO-R", label="Conduite de chariot", kind="savoir_faire")
    accepted, rejected = (SkillMapping.objects.create(org_skill=skill, esco_skill=e, confidence=0.8 - n / 10)
                          for n, e in enumerate(esco))
    SkillMapping.objects.create(org_skill=skill, rome_skill=rome, confidence=0.5)
    hr = make_user(in_alpha, "hr")
    listed = api_client(in_alpha, hr).get(f"/api/v1/skills/{skill.pk}/mappings").json()
    assert [(m["source"], m["code"], m["label"]) for m in listed] == [
        ("esco", "http://data.europa.eu/esco/skill/test-0", "conduire un chariot 0"),
        ("esco", "http://data.europa.eu/esco/skill/test-1", "conduire un chariot 1"),
        ("rome", "T-ESCO-R", "Conduite de chariot"),
    ]
    client = client_for(in_alpha, hr)
    page = client.get("/competences/rapprochements/").content.decode()
    assert page.count("<td>ESCO</td>") == 2
    assert f'<label for="m-{accepted.pk}">conduire un chariot 0</label>' in page
    client.post("/competences/rapprochements/", {"action": "accept", "mapping": [accepted.pk]})
    client.post("/competences/rapprochements/", {"action": "reject", "mapping": [rejected.pk]})
    statuses = api_client(in_alpha, hr).get(f"/api/v1/skills/{skill.pk}/mappings?status=accepted").json()
    assert [(m["source"], m["label"]) for m in statuses] == [("esco", "conduire un chariot 0")]
    assert SkillMapping.objects.get(pk=rejected.pk).status == "rejected"


@pytest.fixture
def alpha_objects(in_alpha, employee_factory, job_factory, org_unit_factory):
    unit = org_unit_factory(id=860_001, name="Unité secrète alpha")
    job = job_factory(id=860_002, title="Emploi secret alpha")
    employee_factory(staff_number="ISO-A", org_unit=unit, job=job)
    skill = OrgSkill.objects.create(id=860_003, label="Compétence secrète alpha",
                                    normalized_label="competence secrete alpha")
    rome = Skill.objects.create(code_ogr="T-ISO-LIST", label="Suggestion secrète alpha", kind="savoir_faire")
    SkillMapping.objects.create(org_skill=skill, rome_skill=rome, confidence=0.9)
    return {"unit": unit, "job": job}


def test_it_keeps_another_organisations_units_jobs_and_suggestions_out(alpha_objects, beta, make_user, api_client,
                                                                      client_for):
    admin = make_user(beta, "admin")
    assert api_client(beta, admin).get(f"/api/v1/skills/matrix?org_unit={alpha_objects['unit'].pk}").status_code == (
        404)
    client = client_for(beta, admin)
    suggestions = client.get("/competences/rapprochements/").content.decode()
    assert "secrète alpha" not in suggestions
    assert "Aucune suggestion en attente de revue." in suggestions
    jobs = client.get("/emplois/").content.decode()
    assert "Emploi secret alpha" not in jobs


def test_it_edits_one_organisations_level_scale_only(in_alpha, beta, make_user, api_client, client_for):
    alpha_label = SkillLevel.objects.get(value=2).label
    beta_admin = make_user(beta, "admin")
    changed = api_client(beta, beta_admin).put("/api/v1/skill-levels/2", {"label": "Autonome"}, **JSON)
    assert changed.json()["label"] == "Autonome"
    assert SkillLevel.objects.get(value=2).label == alpha_label
    with tenant_context(beta):
        data = {f"label-{lvl.value}": lvl.label for lvl in SkillLevel.objects.all()}
    data["label-3"] = "Référent beta"
    assert client_for(beta, beta_admin).post("/competences/niveaux/", data).status_code == 302
    assert SkillLevel.objects.get(value=3).label != "Référent beta"
    assert "Référent beta" not in api_client(in_alpha, make_user(in_alpha, "admin")).get(
        "/api/v1/skill-levels").content.decode()
    with tenant_context(beta):
        assert list(SkillLevel.objects.filter(value__in=[2, 3]).values_list("label", flat=True)) == [
            "Autonome", "Référent beta"]


def test_it_hides_other_employees_skills_from_employees_and_outside_supervisors(in_alpha, make_user, api_client,
                                                                                 client_for, employee_factory):
    boss = employee_factory()
    mine = employee_factory(staff_number="SC-1", manager=boss)
    stranger = employee_factory(staff_number="SC-2")
    skill = services.org_skill_get_or_create(label="Cariste")
    EmployeeSkill.objects.create(employee=stranger, skill=skill, level=2, valid_from=moment("2024-01-01"))
    worker = api_client(in_alpha, make_user(in_alpha, "employee", employee=mine))
    supervisor = make_user(in_alpha, "supervisor", employee=boss)
    for client in (worker, api_client(in_alpha, supervisor)):
        assert client.get("/api/v1/employees/SC-2/skills").status_code == 404
        assert client.get("/api/v1/employees/SC-2/skills/history").status_code == 404
    assert worker.get("/api/v1/employees/SC-1/skills").status_code == 200
    page = client_for(in_alpha, supervisor)
    assert page.get("/competences/salaries/SC-2/").status_code == 404
    assert page.get("/competences/salaries/SC-1/").status_code == 200


def test_it_asks_anonymous_callers_to_log_in(in_alpha, client_for, employee_factory):
    employee_factory(staff_number="AN-1")
    skill = services.org_skill_get_or_create(label="Cariste")
    job = job_services.job_create(title="Cariste")
    anonymous = client_for(in_alpha)
    api_calls = [
        anonymous.get("/api/v1/skills"),
        anonymous.post("/api/v1/skills", {"label": "x"}, **JSON),
        anonymous.get(f"/api/v1/skills/{skill.pk}"),
        anonymous.get(f"/api/v1/skills/{skill.pk}/mappings"),
        anonymous.get("/api/v1/skills/matrix"),
        anonymous.get("/api/v1/skill-levels"),
        anonymous.put("/api/v1/skill-levels/2", {"label": "x"}, **JSON),
        anonymous.get("/api/v1/employees/AN-1/skills"),
        anonymous.post("/api/v1/employees/AN-1/skills", {"skill_id": skill.pk, "level": 1}, **JSON),
        anonymous.delete(f"/api/v1/employees/AN-1/skills/{skill.pk}"),
        anonymous.get("/api/v1/employees/AN-1/skills/history"),
    ]
    assert [r.status_code for r in api_calls] == [401] * len(api_calls)
    pages = ["/competences/", "/competences/export.xlsx", "/competences/moi/", "/competences/salaries/AN-1/",
             "/emplois/", f"/emplois/{job.pk}/", "/competences/rapprochements/",
             "/competences/niveaux/"]
    for url in pages:
        response = anonymous.get(url)
        assert (response.status_code, response["Location"]) == (302, f"{LOGIN}?next={quote(url)}")
    assert not SkillLevel.objects.filter(label="x").exists()
