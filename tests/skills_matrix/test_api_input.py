"""Bad input to the API gets a French message per field, and unknown filter values are refused."""

from skills_matrix import services
from skills_matrix.models import EmployeeSkill, JobRequirement

JSON = {"content_type": "application/json"}


def test_it_answers_a_bad_date_with_a_french_message_per_field(in_alpha, make_user, api_client, employee_factory):
    employee_factory(staff_number="IN-1")
    client = api_client(in_alpha, make_user(in_alpha, "hr"))
    for url in ("/api/v1/employees/IN-1/skills?at=2023-13-45", "/api/v1/skills/matrix?at=2023-13-45"):
        response = client.get(url)
        assert response.status_code == 422
        assert response.json()["errors"] == [
            {"field": "at", "message": "Date invalide : utilisez AAAA-MM-JJ (ex. 2024-12-31)."}]
        assert response.json()["detail"] == (
            "Saisie invalide. « at » : Date invalide : utilisez AAAA-MM-JJ (ex. 2024-12-31).")


def test_it_answers_a_bad_number_in_the_query_and_the_body(in_alpha, make_user, api_client, employee_factory):
    employee_factory(staff_number="IN-2")
    skill = services.org_skill_get_or_create(label="Cariste")
    client = api_client(in_alpha, make_user(in_alpha, "hr"))
    unit = client.get("/api/v1/skills/matrix?org_unit=abc")
    assert unit.status_code == 422
    assert unit.json()["errors"] == [{"field": "org_unit", "message": "Nombre entier attendu (ex. 3)."}]
    level = client.post("/api/v1/employees/IN-2/skills", {"skill_id": skill.pk, "level": "abc"}, **JSON)
    assert level.status_code == 422
    assert level.json()["errors"] == [{"field": "level", "message": "Nombre entier attendu (ex. 3)."}]
    missing = client.post("/api/v1/employees/IN-2/skills", {"skill_id": skill.pk}, **JSON)
    assert missing.json()["errors"] == [{"field": "level", "message": "Champ obligatoire : indiquez-le."}]
    assert not EmployeeSkill.objects.exists()


def test_it_answers_a_body_that_is_not_json(in_alpha, make_user, api_client, employee_factory):
    employee_factory(staff_number="IN-3")
    client = api_client(in_alpha, make_user(in_alpha, "hr"))
    response = client.post("/api/v1/employees/IN-3/skills", "{level: 2", **JSON)
    assert response.status_code == 400
    assert response.json()["detail"].startswith("Corps de la requête illisible : envoyez un objet JSON valide")


def test_it_refuses_unknown_filter_values(in_alpha, make_user, api_client):
    skill = services.org_skill_get_or_create(label="Cariste")
    client = api_client(in_alpha, make_user(in_alpha, "hr"))
    matrix = client.get("/api/v1/skills/matrix?kind=hard")
    assert matrix.status_code == 422
    assert matrix.json()["detail"] == (
        "Filtre « kind » : valeur « hard » inconnue ; choisissez parmi savoir_faire, savoir_etre, savoir.")
    assert matrix.json()["errors"] == [{"field": "kind", "message": "Valeur inconnue."}]
    assert client.get("/api/v1/skills?kind=hard").status_code == 422
    mappings = client.get(f"/api/v1/skills/{skill.pk}/mappings?status=foo")
    assert mappings.status_code == 422
    assert "suggested, accepted, rejected" in mappings.json()["detail"]
    assert client.get("/api/v1/skills?kind=savoir_faire").json()["count"] == 1
    assert client.get(f"/api/v1/skills/{skill.pk}/mappings?status=accepted").json() == []


def test_it_keeps_weight_and_critical_when_a_requirement_is_posted_again(in_alpha, make_user, api_client,
                                                                         job_factory):
    job = job_factory(title="Soudeur")
    skill = services.org_skill_get_or_create(label="Soudure TIG")
    client = api_client(in_alpha, make_user(in_alpha, "hr"))
    url = f"/api/v1/jobs/{job.pk}/requirements"
    first = client.post(url, {"skill_id": skill.pk, "target_level": 3, "weight": 2.5, "critical": True}, **JSON)
    assert (first.json()["weight"], first.json()["critical"]) == (2.5, True)
    again = client.post(url, {"skill_id": skill.pk, "target_level": 4}, **JSON)
    assert again.status_code == 201
    assert (again.json()["target_level"], again.json()["weight"], again.json()["critical"]) == (4, 2.5, True)
    requirement = JobRequirement.objects.get(job=job)
    assert (requirement.target_level, requirement.weight, requirement.critical) == (4, 2.5, True)
    new = client.post(url, {"skill_id": services.org_skill_get_or_create(label="Sécurité").pk}, **JSON).json()
    assert (new["target_level"], new["weight"], new["critical"]) == (2, 1.0, False)
