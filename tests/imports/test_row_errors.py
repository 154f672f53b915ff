"""Every error of a file is kept, however many: page, rejected-rows workbook, API pages, selector."""

import io

import openpyxl
import pytest
from django_tenants.utils import tenant_context

from accounts.services import token_create
from imports.models import ImportRowError
from imports.selectors import import_job_errors
from tests.imports.filegen import STAFF_HEADER, make_employees, write_xlsx

BAD_ROWS = 6000


@pytest.fixture
def rejected_job(in_alpha, tmp_path, run_import):
    """A file of 6,000 employees, each with an impossible hire date: 6,000 errors."""
    rows = make_employees(BAD_ROWS)
    for row in rows:
        row[5] = "31/02/2020"
    job = run_import(write_xlsx(tmp_path / "export.xlsx", [STAFF_HEADER, *rows]))
    assert (job.status, job.error_count, job.invalid) == ("rejected", BAD_ROWS, BAD_ROWS)
    return job


def test_it_keeps_every_error_in_file_order(rejected_job):
    errors = import_job_errors(rejected_job)
    assert ImportRowError.objects.filter(job=rejected_job).count() == BAD_ROWS
    assert [e["row"] for e in errors] == list(range(2, BAD_ROWS + 2))
    assert errors[-1] == {"row": BAD_ROWS + 1, "column": "Date d'entrée", "value": "31/02/2020",
                          "message": errors[0]["message"]}
    assert import_job_errors(rejected_job, offset=5999, limit=10) == errors[5999:]


def test_it_fills_the_error_column_of_every_rejected_row(rejected_job, in_alpha, make_user, client_for):
    client = client_for(in_alpha, make_user(in_alpha, "hr"))
    response = client.get(f"/imports/{rejected_job.pk}/lignes-rejetees.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == BAD_ROWS
    assert all(row[-1].startswith("Date d'entrée : Date impossible") for row in rows)


def test_it_shows_the_first_errors_the_total_and_the_download(rejected_job, in_alpha, make_user, client_for):
    client = client_for(in_alpha, make_user(in_alpha, "hr"))
    page = client.get(f"/imports/{rejected_job.pk}/").content.decode()
    assert "<h2>6000 erreurs</h2>" in page
    assert "Erreurs 1 à 100 sur 6000 ; le fichier des lignes rejetées les contient toutes." in page
    assert f'href="/imports/{rejected_job.pk}/lignes-rejetees.xlsx"' in page
    assert page.split('id="job-errors"')[1].count("<tr><td>") == 100
    last = client.get(f"/imports/{rejected_job.pk}/?page=60").content.decode()
    assert "Erreurs 5901 à 6000 sur 6000" in last and "<tr><td>6001</td>" in last


def test_it_pages_through_every_error_in_the_api(rejected_job, in_alpha, make_user, client_for):
    with tenant_context(in_alpha):
        _token, key = token_create(user=make_user(in_alpha, "hr"))
    client = client_for(in_alpha, HTTP_AUTHORIZATION=f"Bearer {key}")
    body = client.get(f"/api/v1/imports/{rejected_job.pk}").json()
    assert (body["error_count"], len(body["errors"]), body["errors_offset"]) == (BAD_ROWS, 1000, 0)
    seen = []
    for offset in range(0, BAD_ROWS, 5000):
        page = client.get(f"/api/v1/imports/{rejected_job.pk}?errors_offset={offset}&errors_limit=5000").json()
        assert page["errors_offset"] == offset
        seen += [e["row"] for e in page["errors"]]
    assert seen == list(range(2, BAD_ROWS + 2))
    too_many = client.get(f"/api/v1/imports/{rejected_job.pk}?errors_limit=20000")
    assert too_many.status_code == 422


def test_it_documents_the_error_paging_in_the_schema(in_alpha, client_for):
    schema = client_for(in_alpha).get("/api/v1/openapi.json").json()
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/imports/{job_id}"]["get"]["parameters"]}
    assert parameters["errors_offset"]["description"] == "Rang de la première erreur renvoyée (0 au début)."
    assert "error_count donne le total" in parameters["errors_limit"]["description"]
