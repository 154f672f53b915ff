"""POST/GET /api/v1/imports: upload, follow, list; rights and organisations kept apart."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import tenant_context

from accounts.services import token_create
from imports.models import ImportJob, ImportMapping
from tests.imports.filegen import generate_hr_export


def api_client(client_for, org, user):
    with tenant_context(org):
        _token, key = token_create(user=user)
    return client_for(org, HTTP_AUTHORIZATION=f"Bearer {key}")


def upload(tmp_path, n=5, name="export.xlsx"):
    path = generate_hr_export(tmp_path / name, n)
    return SimpleUploadedFile(name, path.read_bytes())


def test_it_accepts_an_upload_with_202_and_an_id(in_alpha, tmp_path, make_user, client_for):
    admin = make_user(in_alpha, "admin")
    response = api_client(client_for, in_alpha, admin).post(
        "/api/v1/imports", {"file": upload(tmp_path), "partial": "true", "full_export": "true", "sheet": "Export",
                            "mapping": json.dumps({"Code ROME": "ignore"}), "level_scale": "1-5", "date_order": "MDY"},
    )
    assert response.status_code == 202
    job = ImportJob.objects.get(pk=response.json()["id"])
    assert (job.status, job.file_name, job.created_by) == ("pending", "export.xlsx", admin)
    assert job.options == {"partial": True, "full_export": True, "dry_run": False, "sheet": "Export",
                           "mapping": {"Code ROME": "ignore"}, "level_scale": "1-5", "date_order": "MDY"}


def test_it_uses_a_saved_mapping(in_alpha, tmp_path, make_user, client_for):
    mapping = ImportMapping.objects.create(name="SIRH", columns={"Clé": "staff_number"})
    client = api_client(client_for, in_alpha, make_user(in_alpha, "admin"))
    response = client.post("/api/v1/imports", {"file": upload(tmp_path), "mapping_id": mapping.pk})
    assert ImportJob.objects.get(pk=response.json()["id"]).options["mapping"] == {"Clé": "staff_number"}


def test_it_refuses_a_mapping_to_an_unknown_field(in_alpha, tmp_path, make_user, client_for):
    client = api_client(client_for, in_alpha, make_user(in_alpha, "admin"))
    response = client.post("/api/v1/imports", {"file": upload(tmp_path), "mapping": '{"Nom": "salaire"}'})
    assert response.status_code == 400
    assert response.json()["detail"] == (
        "La colonne « Nom » est associée à « salaire », qui n'est pas un champ connu. Champs possibles : "
        "staff_number, last_name, first_name, full_name, email, birth_date, hire_date, exit_date, org_unit, "
        "job_title, manager_staff_number, fte, rome_code, sex, contract_type, skill, level, assessed_on ; « skill: » "
        "suivi du nom d'une "
        "compétence (ex. « skill:Soudure ») pour une colonne de niveaux de cette compétence ; « ignore » pour ne pas "
        "lire la colonne.")
    assert not ImportJob.objects.exists()


def test_it_reports_a_finished_job(in_alpha, tmp_path, make_user, client_for, run_import):
    hr = make_user(in_alpha, "hr")
    job = run_import(generate_hr_export(tmp_path / "export.xlsx", 7))
    body = api_client(client_for, in_alpha, hr).get(f"/api/v1/imports/{job.pk}").json()
    assert (body["status"], body["status_label"], body["progress"]) == ("ok", "Terminé", 100)
    assert body["counts"] == {"rows": 7, "created": 7, "updated": 0, "unchanged": 0, "invalid": 0, "departed": 0,
                              "skills": 0}
    assert body["errors"] == [] and body["header_row"] == 5


def test_it_lists_jobs_with_pagination(in_alpha, tmp_path, make_user, client_for, run_import):
    for n in range(3):
        run_import(generate_hr_export(tmp_path / f"e{n}.xlsx", 2))
    client = api_client(client_for, in_alpha, make_user(in_alpha, "hr"))
    body = client.get("/api/v1/imports?limit=2&offset=0").json()
    assert body["count"] == 3 and len(body["items"]) == 2
    assert body["items"][0]["file_name"] == "e2.xlsx"


def test_it_answers_404_for_another_organisations_job(in_alpha, beta, tmp_path, make_user, client_for, run_import):
    job = run_import(generate_hr_export(tmp_path / "export.xlsx", 2))
    client = api_client(client_for, beta, make_user(beta, "admin"))
    assert client.get(f"/api/v1/imports/{job.pk}").status_code == 404
    assert client.get("/api/v1/imports").json() == {"items": [], "count": 0}


def test_it_answers_404_for_another_organisations_saved_mapping(in_alpha, beta, tmp_path, make_user, client_for):
    mapping = ImportMapping.objects.create(name="SIRH", columns={"Clé": "staff_number"})
    client = api_client(client_for, beta, make_user(beta, "admin"))
    response = client.post("/api/v1/imports", {"file": upload(tmp_path), "mapping_id": mapping.pk})
    assert response.status_code == 404
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize("role", ["supervisor", "employee"])
def test_it_refuses_roles_without_the_right(in_alpha, tmp_path, make_user, client_for, run_import, role):
    job = run_import(generate_hr_export(tmp_path / "export.xlsx", 2))
    client = api_client(client_for, in_alpha, make_user(in_alpha, role))
    assert client.post("/api/v1/imports", {"file": upload(tmp_path)}).status_code == 403
    assert client.get(f"/api/v1/imports/{job.pk}").status_code == 403
    assert client.get("/api/v1/imports").status_code == 403
    assert ImportJob.objects.count() == 1


def test_it_refuses_an_upload_from_a_supervisor_and_names_who_may(in_alpha, tmp_path, make_user, client_for):
    response = api_client(client_for, in_alpha, make_user(in_alpha, "supervisor")).post(
        "/api/v1/imports", {"file": upload(tmp_path)})
    assert response.status_code == 403
    assert response.json()["detail"] == "Action réservée aux rôles : administrateur, RH."


def test_it_reports_how_the_file_was_read(in_alpha, tmp_path, make_user, client_for, run_import):
    from tests.imports.filegen import SKILLS, generate_wide_skills

    job = run_import(generate_wide_skills(tmp_path / "wide.xlsx", 3, levels=[1, 2, 3, 4]), level_scale="1-5")
    body = api_client(client_for, in_alpha, make_user(in_alpha, "hr")).get(f"/api/v1/imports/{job.pk}").json()
    assert (body["level_scale"], body["date_order"]) == ("1-5", "auto")
    assert body["decisions"] == {"level_scales": dict.fromkeys(SKILLS[:3], "1-5"),
                                 "date_formats": {"Date de naissance": "cells", "Date d'entrée": "cells"}}


def test_it_refuses_an_unknown_level_scale(in_alpha, tmp_path, make_user, client_for):
    client = api_client(client_for, in_alpha, make_user(in_alpha, "admin"))
    response = client.post("/api/v1/imports", {"file": upload(tmp_path), "level_scale": "1-10"})
    assert response.status_code == 400
    assert response.json()["detail"] == "Échelle des niveaux « 1-10 » inconnue : choisissez auto, 0-4 ou 1-5."
    assert not ImportJob.objects.exists()
