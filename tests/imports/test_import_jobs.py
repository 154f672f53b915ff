"""An import job's life: its follow-up tasks, an empty partial import, launched only once, the progress poll,
the recorded changes (page and API) and the messages with their counts."""

from datetime import date

import pytest
from django.core.management import call_command
from django.utils import timezone

from imports.models import ImportJob
from skills_matrix.models import OrgSkill
from tests.imports.filegen import (
    STAFF_HEADER,
    generate_hr_export,
    generate_wide_skills,
    make_employees,
    write_xlsx,
)
from tests.imports.test_api import api_client
from tests.imports.test_cli import staff_import
from tests.imports.test_worker import unreachable_broker  # noqa: F401 (fixture)
from workforce.models import Employee

MAPPINGS_NOTE = (
    "Les suggestions de rapprochement des nouvelles compétences avec les référentiels ROME/ESCO n'ont pas pu être "
    "confiées au serveur de tâches (injoignable) : calculez-les depuis la page « Rapprochements avec le ROME et "
    "ESCO » (/competences/rapprochements/), bouton « Calculer des suggestions »."
)


# 1. A committed import stays done when its follow-up task cannot be queued.

def test_it_keeps_a_written_import_ok_when_the_mapping_suggestions_cannot_be_queued(
    committed_org, unreachable_broker, tmp_path,  # noqa: F811
):
    path = generate_wide_skills(tmp_path / "competences.xlsx", 4, levels=[1, 2, 3])
    code, report = staff_import(committed_org, path)
    assert (code, report["status"], report["created"], report["skills"]) == (0, "ok", 4, 12)
    assert report["job_id"] is not None
    assert report["message"].startswith("Import terminé : 4 créés, 0 ")
    assert report["message"].endswith(f". {MAPPINGS_NOTE}")
    job = ImportJob.objects.get(pk=report["job_id"])
    assert (job.status, job.message) == ("ok", report["message"])
    assert Employee.objects.count() == 4
    assert OrgSkill.objects.filter(needs_mapping=True).count() == 3


# 2. A partial import where no row is valid writes nothing: it is refused.

def all_invalid(tmp_path):
    rows = make_employees(3)
    for row in rows:
        row[3] = "pas-un-email"
    return write_xlsx(tmp_path / "tout-faux.xlsx", [STAFF_HEADER, *rows])


NOTHING_VALID = (
    "Import refusé : aucune ligne du fichier n'est valide (3 erreurs), l'import partiel n'a donc rien à écrire. "
    "Rien n'a été écrit. Corrigez les lignes (le fichier des lignes rejetées les liste avec une colonne « Erreur »), "
    "puis importez-le à nouveau."
)


def test_it_exits_1_when_no_row_of_a_partial_import_is_valid(in_alpha, tmp_path):
    code, report = staff_import(in_alpha, all_invalid(tmp_path), "--partial")
    assert (code, report["status"], report["created"], report["invalid"], report["error_count"]) == (
        1, "rejected", 0, 3, 3)
    assert report["message"] == NOTHING_VALID
    assert Employee.objects.count() == 0


def test_it_shows_a_partial_import_without_valid_rows_as_refused(in_alpha, tmp_path, make_user, client_for,
                                                                 run_import):
    job = run_import(all_invalid(tmp_path), partial=True)
    page = client_for(in_alpha, make_user(in_alpha, "hr")).get(f"/imports/{job.pk}/").content.decode()
    assert '<dd id="job-status">Refusé</dd>' in page
    assert "aucune ligne du fichier n&#x27;est valide (3 erreurs)" in page
    assert "Import terminé" not in page


# 3. Launching the real import from a dry run twice queues it once.

def test_it_launches_the_real_import_of_a_dry_run_only_once(in_alpha, tmp_path, make_user, client_for, run_import):
    client = client_for(in_alpha, make_user(in_alpha, "admin"))
    dry = run_import(generate_hr_export(tmp_path / "export.xlsx", 3), dry_run=True)
    first = client.post(f"/imports/{dry.pk}/lancer/")
    second = client.post(f"/imports/{dry.pk}/lancer/")
    real = ImportJob.objects.exclude(pk=dry.pk).get()
    assert (real.status, real.dry_run, real.launched_from_id) == ("pending", False, dry.pk)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == f"/imports/{real.pk}/"


def test_it_launches_a_draft_only_once_from_the_preview(in_alpha, tmp_path, make_user, client_for):
    from tests.imports.test_pages import launch, upload

    client = client_for(in_alpha, make_user(in_alpha, "admin"))
    upload(client, generate_hr_export(tmp_path / "export.xlsx", 3))
    draft = ImportJob.objects.get()
    first = launch(client, draft, action="run")
    second = launch(client, draft, action="run")
    assert first["Location"] == second["Location"] == f"/imports/{draft.pk}/"
    assert list(ImportJob.objects.values_list("status", flat=True)) == ["pending"]


# 4. The progress poll asks for no errors and no changes.

def test_it_polls_the_progress_without_errors_or_changes(in_alpha, tmp_path, make_user, client_for, run_import):
    client = client_for(in_alpha, make_user(in_alpha, "admin"))
    rows = make_employees(3)
    rows[1][3] = "pas-un-email"
    job = run_import(write_xlsx(tmp_path / "e.xlsx", [STAFF_HEADER, *rows]))
    ImportJob.objects.filter(pk=job.pk).update(status="running", heartbeat_at=timezone.now())
    page = client.get(f"/imports/{job.pk}/").content.decode()
    url = f"/api/v1/imports/{job.pk}?errors_limit=0&changes_limit=0"
    assert f'data-url="{url.replace("&", "&amp;")}" data-active="1"' in page
    body = client.get(url).json()
    assert (body["status"], body["error_count"], body["errors"], body["changes"]) == ("running", 1, [], [])


# 5. The recorded changes: every one, paged, in French formats, in the page and the API.

def reimported(tmp_path, run_import, n=60):
    """n employees imported, then imported again with a new hire date and FTE each: 2 × n changes."""
    rows = make_employees(n)
    for row in rows:
        row[4], row[5], row[6], row[10] = date(1980, 5, 6), date(2010, 1, 2), None, 1.0
    run_import(write_xlsx(tmp_path / "m1.xlsx", [STAFF_HEADER, *rows]))
    for row in rows:
        row[5], row[10] = date(2011, 3, 4), 0.875
    return run_import(write_xlsx(tmp_path / "m2.xlsx", [STAFF_HEADER, *rows])), rows


def test_it_pages_the_changes_with_their_total_in_french_formats(in_alpha, tmp_path, make_user, client_for,
                                                                 run_import):
    job, rows = reimported(tmp_path, run_import)
    assert job.updated == 60
    client = client_for(in_alpha, make_user(in_alpha, "hr"))
    page = client.get(f"/imports/{job.pk}/").content.decode()
    assert "120 modifications enregistrées" in page
    assert "Modifications 1 à 100 sur 120." in page
    table = page.split('id="job-changes"')[1].split("</table>")[0]
    assert table.count("<tr><td>") == 100
    assert "<tr><td>E00001</td><td>Date d&#x27;entrée</td><td>02/01/2010</td><td>04/03/2011</td></tr>" in table
    assert "<tr><td>E00001</td><td>Quotité</td><td>100 %</td><td>87,5 %</td></tr>" in table
    assert '<a href="?changes_page=2#changes" rel="next">' in page
    second = client.get(f"/imports/{job.pk}/?changes_page=2").content.decode()
    table = second.split('id="job-changes"')[1].split("</table>")[0]
    assert table.count("<tr><td>") == 20
    assert "<td>E00060</td><td>Quotité</td>" in table and "Modifications 101 à 120 sur 120." in second

    # A full export without the last employee: they leave, shown as a French reader expects.
    departure = run_import(write_xlsx(tmp_path / "m3.xlsx", [STAFF_HEADER, *rows[:-1]]), full_export=True)
    page = client.get(f"/imports/{departure.pk}/").content.decode()
    today = timezone.localdate().strftime("%d/%m/%Y")
    assert "2 modifications enregistrées" in page and "job-changes-shown" not in page
    assert "<tr><td>E00060</td><td>Présent</td><td>présent</td><td>parti</td></tr>" in page
    assert f"<tr><td>E00060</td><td>Date de sortie</td><td>—</td><td>{today}</td></tr>" in page


def test_it_pages_the_changes_in_the_api(in_alpha, tmp_path, make_user, client_for, run_import):
    job, _rows = reimported(tmp_path, run_import, n=3)
    client = api_client(client_for, in_alpha, make_user(in_alpha, "hr"))
    body = client.get(f"/api/v1/imports/{job.pk}?changes_offset=1&changes_limit=2").json()
    assert (body["change_count"], body["changes_offset"]) == (6, 1)
    assert len(body["changes"]) == 2
    assert {"staff_number": "E00001", "field": "fte", "field_label": "Quotité", "old_value": "1.000",
            "new_value": "0.875", "old_display": "100 %", "new_display": "87,5 %"} in (
        client.get(f"/api/v1/imports/{job.pk}").json()["changes"])
    listed = client.get("/api/v1/imports").json()["items"]
    assert [(item["id"], item["change_count"], item["changes"]) for item in listed][0] == (job.pk, 6, [])


def test_it_refuses_the_changes_of_another_organisations_job(in_alpha, beta, tmp_path, make_user, client_for,
                                                             run_import):
    job, _rows = reimported(tmp_path, run_import, n=2)
    other = api_client(client_for, beta, make_user(beta, "admin"))
    assert other.get(f"/api/v1/imports/{job.pk}?changes_limit=10").status_code == 404
    assert client_for(beta, make_user(beta, "admin")).get(f"/imports/{job.pk}/?changes_page=2").status_code == 404
    employee = api_client(client_for, in_alpha, make_user(in_alpha, "employee"))
    assert employee.get(f"/api/v1/imports/{job.pk}?changes_limit=10").status_code == 403


# 6. Messages: valid field names, --help, plurals.

FIELD_LIST = ("staff_number, last_name, first_name, full_name, email, birth_date, hire_date, exit_date, org_unit, "
              "job_title, manager_staff_number, fte, rome_code, sex, contract_type, skill, level, assessed_on")


def test_it_lists_the_valid_fields_for_a_bad_map(in_alpha, tmp_path):
    code, report = staff_import(in_alpha, generate_hr_export(tmp_path / "e.xlsx", 2), "--map", "Nom=salaire")
    assert (code, report["status"]) == (2, "failed")
    assert report["message"].startswith(
        f"La colonne « Nom » est associée à « salaire », qui n'est pas un champ connu. Champs possibles : "
        f"{FIELD_LIST} ;")


def test_it_lists_the_valid_fields_in_the_help_of_map(capsys):
    with pytest.raises(SystemExit) as exit_info:
        call_command("staff_import", "--help")
    assert exit_info.value.code == 0
    assert f"champs possibles : {FIELD_LIST}, skill:<compétence>" in " ".join(capsys.readouterr().out.split())


def test_it_writes_the_counts_with_plurals(in_alpha, tmp_path, run_import):
    rows = make_employees(3)
    run_import(write_xlsx(tmp_path / "m1.xlsx", [STAFF_HEADER, *rows[:2]]))
    rows[1][3] = "lea.durand@exemple.fr"
    job = run_import(write_xlsx(tmp_path / "m2.xlsx", [STAFF_HEADER, *rows]))
    # (0 takes the singular in French once the catalogue is merged, the plural before)
    assert job.message.startswith("Import terminé : 1 créé, 1 modifié, 1 inchangé, 0 départ")
