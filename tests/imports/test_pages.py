"""The import pages: upload, preview with editable mapping, dry run, job page, report, history."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from imports.models import ImportJob, ImportMapping
from tests.imports.filegen import (
    STAFF_HEADER,
    generate_fake_xlsx,
    generate_formula_text,
    generate_hr_export,
    make_employees,
    write_xlsx,
)
from workforce.models import Employee


def upload_file(path):
    return SimpleUploadedFile(path.name, path.read_bytes())


def upload(client, path, **fields):
    return client.post("/imports/nouveau/", {"file": upload_file(path), **fields})


def test_it_goes_from_upload_to_preview_with_the_detected_header_and_mapping(in_alpha, tmp_path, make_user,
                                                                             client_for):
    client = client_for(in_alpha, make_user(in_alpha, "admin"))
    rows = [STAFF_HEADER + ["Badge"], *[r + ["B1"] for r in make_employees(25)]]
    response = upload(client, write_xlsx(tmp_path / "export.xlsx", [["Export SIRH"], [], *rows]))
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/imports/{job.pk}/apercu/"
    assert job.status == "draft"
    page = client.get(f"/imports/{job.pk}/apercu/").content.decode()
    assert '<dd id="header-row">ligne 3</dd>' in page
    assert "Badge" in page.split('id="unknown-columns"')[1].split("</dd>")[0]
    assert '<option value="staff_number" selected>Matricule</option>' in page
    assert page.count("<tr><th scope=\"row\">") == 21  # the field row + 20 data rows
    assert "E00020" in page and "E00021" not in page
    assert Employee.objects.count() == 0


def test_it_runs_a_dry_run_with_the_edited_mapping_and_saves_it(in_alpha, tmp_path, make_user, client_for):
    client = client_for(in_alpha, make_user(in_alpha, "admin"))
    rows = [["Clé", "Nom", "Zone"], ["A-1", "Durand", "Blanchisserie"], ["A-2", "Petit", "Cuisine"]]
    upload(client, write_xlsx(tmp_path / "custom.xlsx", rows))
    job = ImportJob.objects.get()
    page = client.get(f"/imports/{job.pk}/apercu/").content.decode()
    assert "Colonne obligatoire introuvable : Matricule" in page
    response = client.post(f"/imports/{job.pk}/apercu/", {
        "col-0": "staff_number", "col-1": "last_name", "col-2": "org_unit", "save_as": "Export atelier",
        "action": "dry_run",
    })
    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.status, job.dry_run) == ("pending", True)
    assert job.options["mapping"] == {"Clé": "staff_number", "Nom": "last_name", "Zone": "org_unit"}
    assert ImportMapping.objects.get(name="Export atelier").columns == job.options["mapping"]
    form = client.get("/imports/nouveau/").content.decode()
    assert "Export atelier" in form


def test_it_shows_the_job_page_with_a_live_progress_bar_while_running(in_alpha, tmp_path, make_user, client_for):
    client = client_for(in_alpha, make_user(in_alpha, "hr"))
    job = ImportJob.objects.create(file_name="export.xlsx", file="x/export.xlsx", status="running", progress=42,
                                   phase="Écriture des compétences", heartbeat_at=timezone.now())
    page = client.get(f"/imports/{job.pk}/").content.decode()
    assert '<progress id="job-progress-bar" class="progress" max="100" value="42">' in page
    assert f'data-url="/api/v1/imports/{job.pk}" data-active="1"' in page
    assert "Écriture des compétences" in page
    assert "/static/imports/job_progress.js" in page


def test_it_reports_errors_and_serves_the_rejected_rows_with_formulas_neutralised(
        in_alpha, tmp_path, make_user, client_for, run_import):
    client = client_for(in_alpha, make_user(in_alpha, "admin"))
    rows = [["Matricule", "Nom", "Prénom", "Date d'entrée"], ["E1", "=SUM(A1)", "+33 6 12", "31/02/2020"],
            ["E2", "Durand", "Léa", "01/02/2020"], ["E3", "@poste", "-Atelier", "pas une date"]]
    job = run_import(write_xlsx(tmp_path / "export.xlsx", rows))
    assert job.status == "rejected"
    page = client.get(f"/imports/{job.pk}/").content.decode()
    assert "Import refusé : 2 erreurs sur 2 lignes. Rien n&#x27;a été écrit." in page
    assert "<td>2</td><td>Date d&#x27;entrée</td><td>31/02/2020</td>" in page
    response = client.get(f"/imports/{job.pk}/lignes-rejetees.xlsx")
    assert response.status_code == 200
    assert 'filename="export-lignes-rejetees.xlsx"' in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0] == ["Matricule", "Nom", "Prénom", "Date d'entrée", "Erreur"]
    assert values[1][:4] == ["E1", "'=SUM(A1)", "'+33 6 12", "31/02/2020"]
    assert values[2][:4] == ["E3", "'@poste", "'-Atelier", "pas une date"]
    assert values[1][4].startswith("Date d'entrée : ")
    assert all(c.data_type == "s" for row in sheet.iter_rows(min_row=2) for c in row)
    assert len(values) == 3


def test_it_reuploads_the_fixed_rejected_rows(in_alpha, tmp_path, make_user, client_for, run_import):
    client = client_for(in_alpha, make_user(in_alpha, "admin"))
    rows = [["Matricule", "Nom", "Date d'entrée"], ["E1", "Martin", "31/02/2020"], ["E2", "Durand", "01/02/2020"]]
    job = run_import(write_xlsx(tmp_path / "export.xlsx", rows), partial=True)
    fixed = tmp_path / "fixed.xlsx"
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(f"/imports/{job.pk}/lignes-rejetees.xlsx").content))
    workbook.active["C2"] = "28/02/2020"
    workbook.save(fixed)
    again = run_import(fixed)
    assert (again.status, again.created, again.unknown_columns) == ("ok", 1, ["Erreur"])
    assert Employee.objects.get(staff_number="E1").hire_date.isoformat() == "2020-02-28"


def test_it_shows_a_clear_message_for_an_unreadable_file(in_alpha, tmp_path, make_user, client_for):
    client = client_for(in_alpha, make_user(in_alpha, "admin"))
    upload(client, generate_fake_xlsx(tmp_path / "export.xlsx"))
    job = ImportJob.objects.get()
    response = client.get(f"/imports/{job.pk}/apercu/", follow=True)
    assert response.redirect_chain[-1][0] == "/imports/nouveau/"
    assert "« export.xlsx » ne correspond pas à son extension .xlsx" in response.content.decode()
    job.refresh_from_db()
    assert job.status == "failed"


def test_it_lists_the_history_with_who_when_and_counts(in_alpha, tmp_path, make_user, client_for, run_import):
    admin = make_user(in_alpha, "admin")
    run_import(generate_hr_export(tmp_path / "janvier.xlsx", 4), user=admin)
    page = client_for(in_alpha, make_user(in_alpha, "hr")).get("/imports/").content.decode()
    assert "janvier.xlsx" in page and "Admin alpha" in page and "Terminé" in page
    assert "<td>4</td><td>4</td><td>0</td><td>0</td><td>0</td><td>0</td>" in page
    assert "Importer un fichier" not in page


def test_it_neutralises_formula_text_on_import(in_alpha, tmp_path, run_import):
    job = run_import(generate_formula_text(tmp_path / "formulas.xlsx"))
    assert job.status == "ok"
    assert Employee.objects.get(staff_number="E1").last_name == "=SUM(A1)"


def test_it_answers_404_for_another_organisations_job(in_alpha, beta, tmp_path, make_user, client_for, run_import):
    job = run_import(generate_hr_export(tmp_path / "export.xlsx", 2), partial=True)
    client = client_for(beta, make_user(beta, "admin"))
    for url in ("/", "/apercu/", "/lignes-rejetees.xlsx"):
        assert client.get(f"/imports/{job.pk}{url}").status_code == 404
    assert client.post(f"/imports/{job.pk}/lancer/").status_code == 404
    assert "export.xlsx" not in client.get("/imports/").content.decode()


@pytest.mark.parametrize("role", ["supervisor", "employee"])
def test_it_refuses_roles_without_the_right(in_alpha, tmp_path, make_user, client_for, run_import, role):
    job = run_import(generate_hr_export(tmp_path / "export.xlsx", 2))
    client = client_for(in_alpha, make_user(in_alpha, role))
    assert client.get("/imports/").status_code == 403
    assert client.get("/imports/nouveau/").status_code == 403
    assert upload(client, tmp_path / "export.xlsx").status_code == 403
    for url in ("/", "/apercu/", "/lignes-rejetees.xlsx"):
        assert client.get(f"/imports/{job.pk}{url}").status_code == 403
    assert client.post(f"/imports/{job.pk}/lancer/").status_code == 403
    assert ImportJob.objects.count() == 1


def test_it_lets_hr_view_but_not_upload(in_alpha, tmp_path, make_user, client_for):
    client = client_for(in_alpha, make_user(in_alpha, "hr"))
    assert client.get("/imports/").status_code == 200
    assert client.get("/imports/nouveau/").status_code == 403
    assert upload(client, generate_hr_export(tmp_path / "export.xlsx", 2)).status_code == 403


def test_it_launches_the_real_import_after_a_dry_run(in_alpha, tmp_path, make_user, client_for, run_import):
    client = client_for(in_alpha, make_user(in_alpha, "admin"))
    dry = run_import(generate_hr_export(tmp_path / "export.xlsx", 3), dry_run=True, partial=True)
    page = client.get(f"/imports/{dry.pk}/").content.decode()
    assert "Simulation terminée, rien n&#x27;a été écrit. L&#x27;import donnerait : 3 créés" in page
    assert "Lancer l'import pour de bon" in page
    response = client.post(f"/imports/{dry.pk}/lancer/")
    real = ImportJob.objects.exclude(pk=dry.pk).get()
    assert response["Location"] == f"/imports/{real.pk}/"
    assert (real.status, real.dry_run, real.options["partial"], real.file.name) == (
        "pending", False, True, dry.file.name)


def test_it_lists_the_changes_of_a_reimport_on_the_job_page(in_alpha, tmp_path, make_user, client_for, run_import):
    rows = make_employees(3)
    run_import(write_xlsx(tmp_path / "m1.xlsx", [STAFF_HEADER, *rows]))
    rows[1][3] = "lea.durand@exemple.fr"
    job = run_import(write_xlsx(tmp_path / "m2.xlsx", [STAFF_HEADER, *rows]))
    page = client_for(in_alpha, make_user(in_alpha, "hr")).get(f"/imports/{job.pk}/").content.decode()
    assert "Import terminé : 0 créés, 1 modifiés, 2 inchangés, 0 départs." in page
    assert "<td>E00002</td><td>E-mail</td>" in page and "<td>lea.durand@exemple.fr</td>" in page
