"""Linking a job to a ROME occupation: checked codes through the API and the job page."""

import pytest
from django.db import connection

from referentials.models import Occupation
from referentials.readers import normalize_search
from workforce.models import Job

JSON = {"content_type": "application/json"}


@pytest.fixture
def occupation(in_alpha):
    label = "Métier d'essai des emplois"
    return Occupation.objects.get_or_create(
        code="Z9901", defaults={"label": label, "search_text": normalize_search(f"{label} Z9901")})[0]


def test_it_checks_the_rome_code_of_jobs_created_and_changed_through_the_api(in_alpha, occupation, make_user,
                                                                               api_client):
    client = api_client(in_alpha, make_user(in_alpha, "hr"))
    unknown = client.post("/api/v1/jobs", {"title": "Vendeur", "rome_code": "ZZZZZ"}, **JSON)
    assert unknown.status_code == 400
    assert unknown.json()["detail"].startswith("Code ROME « ZZZZZ » inconnu")  # the engine's proposals follow
    assert "saisissez le code d'une fiche métier (une lettre et quatre chiffres" in unknown.json()["detail"]
    assert not Job.objects.filter(title="Vendeur").exists()
    created = client.post("/api/v1/jobs", {"title": "Vendeur", "rome_code": " z9901 "}, **JSON)
    assert (created.status_code, created.json()["rome_code"]) == (201, "Z9901")
    job_id = created.json()["id"]
    changed = client.put(f"/api/v1/jobs/{job_id}", {"rome_code": "A0000"}, **JSON)
    assert changed.status_code == 400
    assert Job.objects.get(pk=job_id).rome_code == "Z9901"
    assert client.put(f"/api/v1/jobs/{job_id}", {"rome_code": ""}, **JSON).json()["rome_code"] == ""


def test_it_links_a_job_to_a_rome_occupation_from_its_page(in_alpha, occupation, make_user, client_for):
    job = Job.objects.create(title="Vendeur")
    client = client_for(in_alpha, make_user(in_alpha, "hr"))
    search = client.get(f"/emplois/{job.pk}/?rome=z9901").content.decode()
    assert "<strong>Z9901</strong> – Métier d&#x27;essai des emplois" in search
    bad = client.post(f"/emplois/{job.pk}/", {"action": "rome", "rome_code": "zzzzz"}).content.decode()
    assert "Code ROME « ZZZZZ » inconnu" in bad
    job.refresh_from_db()
    assert job.rome_code == ""
    done = client.post(f"/emplois/{job.pk}/", {"action": "rome", "rome_code": "z9901"}, follow=True)
    page = done.content.decode()
    assert "Emploi relié à la fiche ROME Z9901." in page
    assert "Z9901 – Métier d&#x27;essai des emplois</a>" in page
    job.refresh_from_db()
    assert job.rome_code == "Z9901"
    client.post(f"/emplois/{job.pk}/", {"action": "rome", "rome_code": ""})
    job.refresh_from_db()
    assert job.rome_code == ""


def test_it_guards_the_rome_link_of_the_page_by_organisation_and_role(in_alpha, beta, occupation, make_user,
                                                                      client_for, employee_factory):
    job = Job.objects.create(title="Vendeur", id=870_001)
    other = client_for(beta, make_user(beta, "admin"))
    assert other.post(f"/emplois/{job.pk}/", {"action": "rome", "rome_code": "Z9901"}).status_code == 404
    supervisor = client_for(in_alpha, make_user(in_alpha, "supervisor"))
    assert supervisor.post(f"/emplois/{job.pk}/",
                           {"action": "rome", "rome_code": "Z9901"}).status_code == 403
    assert 'id="job-rome"' not in supervisor.get(f"/emplois/{job.pk}/").content.decode()
    job.refresh_from_db()
    assert job.rome_code == ""


def test_it_keeps_well_formed_codes_while_no_rome_referential_is_imported(in_alpha, make_user, api_client):
    with connection.cursor() as cursor:  # an installation without the ROME files (rolled back after the test)
        cursor.execute(f'TRUNCATE public."{Occupation._meta.db_table}" CASCADE')
    client = api_client(in_alpha, make_user(in_alpha, "hr"))
    created = client.post("/api/v1/jobs", {"title": "Vendeur", "rome_code": "d1211"}, **JSON)
    assert (created.status_code, created.json()["rome_code"]) == (201, "D1211")
    malformed = client.post("/api/v1/jobs", {"title": "Caissier", "rome_code": "Caisse"}, **JSON)
    assert malformed.status_code == 400
    assert malformed.json()["detail"].startswith("Code ROME « CAISSE » inconnu : saisissez le code d'une fiche")
