"""Job writes of the API (/api/v1/jobs): create, change, delete, create from ROME; isolation and rights."""

from workforce.models import Job

JSON = {"content_type": "application/json"}


def test_it_creates_changes_and_deletes_a_job(in_alpha, make_user, api_client):
    client = api_client(in_alpha, make_user(in_alpha, "hr"))
    created = client.post("/api/v1/jobs", {"title": " Soudeur  ", "code": "S01", "description": "TIG"}, **JSON)
    assert created.status_code == 201
    assert {k: created.json()[k] for k in ("title", "code", "description")} == {
        "title": "Soudeur", "code": "S01", "description": "TIG"}
    job_id = created.json()["id"]
    duplicate = client.post("/api/v1/jobs", {"title": "soudeur"}, **JSON)
    assert duplicate.status_code == 400
    assert duplicate.json()["detail"] == "Un emploi s'intitule déjà « soudeur » : choisissez un autre intitulé."
    changed = client.put(f"/api/v1/jobs/{job_id}", {"title": "Soudeur TIG"}, **JSON)
    assert (changed.json()["title"], changed.json()["code"]) == ("Soudeur TIG", "S01")
    assert client.delete(f"/api/v1/jobs/{job_id}").status_code == 204
    assert not Job.objects.filter(pk=job_id).exists()


def test_it_answers_an_unknown_rome_code_with_a_clear_message(in_alpha, make_user, api_client):
    client = api_client(in_alpha, make_user(in_alpha, "admin"))
    response = client.post("/api/v1/jobs/from-rome", {"occupation_code": "Z9999"}, **JSON)
    assert response.status_code == 400
    assert "Fiche ROME « Z9999 » introuvable" in response.json()["detail"]


def test_it_answers_404_for_another_organisations_job(in_alpha, beta, make_user, api_client):
    job = Job.objects.create(id=880_301, title="Emploi alpha")
    client = api_client(beta, make_user(beta, "admin"))
    responses = [client.put(f"/api/v1/jobs/{job.pk}", {"title": "x"}, **JSON), client.delete(f"/api/v1/jobs/{job.pk}")]
    assert [r.status_code for r in responses] == [404, 404]


def test_it_refuses_job_writes_to_roles_without_the_right(in_alpha, make_user, api_client):
    job = Job.objects.create(title="Cariste")
    supervisor = api_client(in_alpha, make_user(in_alpha, "supervisor"))
    refused = [
        supervisor.post("/api/v1/jobs", {"title": "x"}, **JSON),
        supervisor.post("/api/v1/jobs/from-rome", {"occupation_code": "D1402"}, **JSON),
        supervisor.put(f"/api/v1/jobs/{job.pk}", {"title": "x"}, **JSON),
        supervisor.delete(f"/api/v1/jobs/{job.pk}"),
    ]
    assert [r.status_code for r in refused] == [403] * 4
    assert Job.objects.get(pk=job.pk).title == "Cariste"
