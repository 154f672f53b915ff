"""The import pages: upload, preview with editable mapping, dry run, job page, report, history."""

import io
import re
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from imports.models import ImportJob, ImportMapping
from tests.browser import CHROMIUM_ARGS
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
    assert page.count("<th scope=\"row\" class=\"sticky-col\">") == 21  # the field row + 20 data rows
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
    assert f'data-url="/api/v1/imports/{job.pk}?errors_limit=0&amp;changes_limit=0" data-active="1"' in page
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
    assert values[1][:4] == ["E1", "=SUM(A1)", "+33 6 12", "31/02/2020"]
    assert values[2][:4] == ["E3", "@poste", "-Atelier", "pas une date"]
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
    response = upload(client, generate_fake_xlsx(tmp_path / "export.xlsx"))
    assert response.status_code == 200  # the upload form again, with the reason
    assert "« export.xlsx » ne correspond pas à son extension .xlsx" in response.content.decode()
    job = ImportJob.objects.get()
    assert (job.status, job.file.name) == ("failed", "")  # refused at upload: the file is not kept


def test_it_lists_the_history_with_who_when_and_counts(in_alpha, tmp_path, make_user, client_for, run_import):
    admin = make_user(in_alpha, "admin")
    run_import(generate_hr_export(tmp_path / "janvier.xlsx", 4), user=admin)
    page = client_for(in_alpha, make_user(in_alpha, "hr")).get("/imports/").content.decode()
    assert "janvier.xlsx" in page and "Admin alpha" in page and "Terminé" in page
    assert "<td>4</td><td>4</td><td>0</td><td>0</td><td>0</td><td>0</td>" in page
    assert "Importer un fichier" in page  # HR runs imports too


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


def test_it_lets_hr_upload_and_tells_a_supervisor_who_may(in_alpha, tmp_path, make_user, client_for):
    hr = client_for(in_alpha, make_user(in_alpha, "hr"))
    assert hr.get("/imports/").status_code == 200
    assert hr.get("/imports/nouveau/").status_code == 200
    supervisor = client_for(in_alpha, make_user(in_alpha, "supervisor"))
    refused = supervisor.get("/imports/nouveau/")
    assert refused.status_code == 403
    assert "Action réservée aux rôles : administrateur, RH." in refused.content.decode()
    assert upload(supervisor, generate_hr_export(tmp_path / "export.xlsx", 2)).status_code == 403


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
    assert "1 modifié, 2 inchangés, " in page
    assert "<td>E00002</td><td>E-mail</td>" in page and "<td>lea.durand@exemple.fr</td>" in page


def launch(client, job, **fields):
    """Post the preview form with the mapping the page proposes (plus `fields`), as the browser would."""
    from imports.selectors import import_preview

    form = {f"col-{c.index}": c.choice for c in import_preview(job=job).columns}
    return client.post(f"/imports/{job.pk}/apercu/", {**form, **fields})


def run_pending(job):
    """What the worker does with the queued job (the test's transaction never commits, so no task is sent)."""
    from imports.services import import_run

    job.refresh_from_db()
    return import_run(job=job)


def test_it_reads_a_1_to_5_file_where_nobody_has_5_when_told_so(in_alpha, tmp_path, make_user, client_for,
                                                                 run_import):
    from skills_matrix.models import EmployeeSkill
    from tests.imports.filegen import SKILLS, generate_wide_skills

    path = generate_wide_skills(tmp_path / "wide.xlsx", 4, levels=[1, 2, 3, 4])
    job = run_import(path, level_scale="1-5")
    assert (job.status, job.created, job.decision_maps["level_scales"]) == ("ok", 4, dict.fromkeys(SKILLS[:3], "1-5"))
    first = EmployeeSkill.objects.filter(employee__staff_number="E00001", valid_to=None)
    assert sorted((s.skill.label, s.level) for s in first) == sorted(zip(SKILLS[:3], [0, 1, 2], strict=True))
    page = client_for(in_alpha, make_user(in_alpha, "hr")).get(f"/imports/{job.pk}/").content.decode()
    decisions = page.split('id="job-decisions"')[1].split("</ul>")[0]
    assert f"<li>Niveaux lus sur une échelle de 1 à 5, ramenés à 0–4 : {', '.join(SKILLS[:3])}</li>" \
        in decisions.replace("&#x27;", "'")
    assert "niveaux notés de 1 à 5" in page


def test_it_shows_how_dates_were_read_on_a_dry_run_and_follows_the_date_order(in_alpha, tmp_path, make_user,
                                                                               client_for, run_import):
    rows = [["Matricule", "Nom", "Date de naissance", "Date d'entrée"], ["E1", "Durand", "03/04/1980", "05/06/2020"],
            ["E2", "Petit", "07/08/1990", "01/02/2021"]]
    path = write_xlsx(tmp_path / "dates.xlsx", rows)
    dry = run_import(path, dry_run=True)
    page = client_for(in_alpha, make_user(in_alpha, "hr")).get(f"/imports/{dry.pk}/").content.decode()
    assert "Simulation terminée" in page
    assert "<li>Dates lues jour/mois/année : Date de naissance, Date d&#x27;entrée</li>" in page
    job = run_import(path, date_order="MDY")
    assert job.decision_maps["date_formats"] == {"Date de naissance": "MDY", "Date d'entrée": "MDY"}
    assert Employee.objects.get(staff_number="E1").birth_date.isoformat() == "1980-03-04"
    page = client_for(in_alpha, make_user(in_alpha, "hr")).get(f"/imports/{job.pk}/").content.decode()
    assert "<li>Dates lues mois/jour/année : Date de naissance, Date d&#x27;entrée</li>" in page
    assert "dates mois/jour/année" in page.split('id="job-status"')[1]


def test_it_lists_the_unknown_columns_the_user_ignored_on_the_report(in_alpha, tmp_path, make_user, client_for):
    client = client_for(in_alpha, make_user(in_alpha, "admin"))
    upload(client, write_xlsx(tmp_path / "export.xlsx", [STAFF_HEADER + ["Badge", "Casier"],
                                                         *[r + ["B1", "C1"] for r in make_employees(3)]]))
    job = ImportJob.objects.get()
    response = launch(client, job, **{f"col-{len(STAFF_HEADER)}": "ignore", "action": "run"})
    assert response.status_code == 302
    job = run_pending(job)
    assert (job.status, job.created, job.unknown_columns) == ("ok", 3, ["Badge", "Casier"])
    page = client.get(f"/imports/{job.pk}/").content.decode()
    assert '<p id="unknown-columns">Colonnes du fichier non reconnues : Badge, Casier</p>' in page


def test_it_refuses_the_preview_and_the_launch_to_a_supervisor(in_alpha, tmp_path, make_user, client_for,
                                                                run_import):
    dry = run_import(generate_hr_export(tmp_path / "export.xlsx", 2), dry_run=True)
    draft = ImportJob.objects.create(file_name="export.xlsx", file=dry.file.name, status="draft")
    client = client_for(in_alpha, make_user(in_alpha, "supervisor"))
    assert client.get(f"/imports/{draft.pk}/apercu/").status_code == 403
    assert client.post(f"/imports/{draft.pk}/apercu/", {"action": "run"}).status_code == 403
    assert client.post(f"/imports/{dry.pk}/lancer/").status_code == 403
    draft.refresh_from_db()
    assert draft.status == "draft" and ImportJob.objects.count() == 2


def test_it_applies_the_upload_options_and_the_saved_mapping_chosen_in_the_form(in_alpha, tmp_path, make_user,
                                                                               client_for, run_import):
    run_import(write_xlsx(tmp_path / "avant.xlsx", [["Matricule", "Nom"], ["A-1", "Durand"], ["A-9", "Parti"]]))
    mapping = ImportMapping.objects.create(name="Export atelier", columns={"Clé": "staff_number", "Zone": "org_unit"})
    client = client_for(in_alpha, make_user(in_alpha, "admin"))
    form = client.get("/imports/nouveau/").content.decode()
    assert '<option value="1-5">De 1 à 5 (ramenés à 0–4)</option>' in form
    assert '<option value="MDY">Mois/jour/année (12/31/2024)</option>' in form
    rows = [["Clé", "Nom", "Zone", "Date d'entrée"], ["A-1", "Durand", "Cuisine", "01/02/2020"],
            ["A-2", "Petit", "Cuisine", "31/02/2020"], ["A-3", "Roux", "Atelier", "03/02/2020"]]
    response = upload(client, write_xlsx(tmp_path / "atelier.xlsx", rows), partial="on", full_export="on",
                      mapping=mapping.pk, level_scale="1-5", date_order="DMY")
    job = ImportJob.objects.get(file_name="atelier.xlsx")
    assert response["Location"] == f"/imports/{job.pk}/apercu/"
    assert {k: job.options[k] for k in ("partial", "full_export", "mapping", "level_scale", "date_order")} == {
        "partial": True, "full_export": True, "mapping": mapping.columns, "level_scale": "1-5", "date_order": "DMY"}
    page = client.get(f"/imports/{job.pk}/apercu/").content.decode()
    assert '<option value="staff_number" selected>Matricule</option>' in page
    launch(client, job, action="run")
    job = run_pending(job)
    assert (job.status, job.dry_run, job.created, job.invalid, job.departed) == ("ok", False, 1, 1, 1)
    assert sorted(Employee.objects.filter(is_active=True).values_list("staff_number", flat=True)) == ["A-1", "A-3"]
    assert Employee.objects.get(staff_number="A-9").is_active is False
    assert Employee.objects.get(staff_number="A-3").org_unit.name == "Atelier"


def test_it_runs_the_import_from_the_preview_button(in_alpha, tmp_path, make_user, client_for):
    client = client_for(in_alpha, make_user(in_alpha, "admin"))
    upload(client, generate_hr_export(tmp_path / "export.xlsx", 5))
    job = ImportJob.objects.get()
    assert "<button type=\"submit\" name=\"action\" value=\"run\">Lancer l'import</button>" in \
        client.get(f"/imports/{job.pk}/apercu/").content.decode()
    response = launch(client, job, action="run")
    assert response["Location"] == f"/imports/{job.pk}/"
    job.refresh_from_db()
    assert (job.status, job.dry_run) == ("pending", False)
    job = run_pending(job)
    assert (job.status, job.created) == ("ok", 5)
    assert Employee.objects.count() == 5


def test_it_refuses_another_organisations_saved_mapping_in_the_upload_form(in_alpha, beta, tmp_path, make_user,
                                                                          client_for):
    from django_tenants.utils import tenant_context

    with tenant_context(beta):
        theirs = ImportMapping.objects.create(name="SIRH Beta", columns={"Clé": "staff_number"})
    client = client_for(in_alpha, make_user(in_alpha, "admin"))
    response = upload(client, generate_hr_export(tmp_path / "export.xlsx", 2), mapping=theirs.pk)
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert "SIRH Beta" not in response.content.decode()
    assert not ImportJob.objects.exists()


def test_it_refuses_a_file_over_the_row_limit_of_the_settings(in_alpha, tmp_path, make_user, client_for,
                                                               settings):
    settings.ESIPRO_IMPORT_MAX_ROWS = 10
    client = client_for(in_alpha, make_user(in_alpha, "admin"))
    stored = set(Path(settings.MEDIA_ROOT).rglob("*"))
    response = upload(client, write_xlsx(tmp_path / "export.xlsx", [STAFF_HEADER, *make_employees(30)]))
    assert "« export.xlsx » contient plus de 10 lignes, la limite autorisée." in response.content.decode()
    job = ImportJob.objects.get()
    assert (job.status, job.file.name) == ("failed", "")
    assert set(Path(settings.MEDIA_ROOT).rglob("*")) == stored  # refused before it was stored


def test_it_refuses_a_file_over_the_size_limit_of_the_settings(in_alpha, tmp_path, make_user, client_for,
                                                                settings):
    settings.ESIPRO_IMPORT_MAX_MB = 1
    path = tmp_path / "export.csv"
    path.write_text("Matricule;Nom;Commentaire\n" + "".join(f"E{n};Durand;{'x' * 100}\n" for n in range(11_000)),
                    encoding="utf-8")
    client = client_for(in_alpha, make_user(in_alpha, "admin"))
    stored = set(Path(settings.MEDIA_ROOT).rglob("*"))
    page = upload(client, path).content.decode()
    assert "Le fichier « export.csv » fait 2 Mo, au-delà de la limite de 1 Mo." in page
    job = ImportJob.objects.get()
    assert (job.status, job.file.name) == ("failed", "")
    assert set(Path(settings.MEDIA_ROOT).rglob("*")) == stored  # refused before it was stored


# Records, across the reload at the end, every (progress, phase, bar hidden) the page shows.
RECORD_PROGRESS = """
(() => {
  const seen = () => JSON.parse(sessionStorage.getItem("progress") || "[]");
  const record = () => {
    const box = document.getElementById("job-progress");
    const bar = document.getElementById("job-progress-bar");
    const phase = document.getElementById("job-phase");
    if (!box || !bar || !phase) { return; }
    const list = seen(), last = list[list.length - 1];
    const state = [Number(bar.value), phase.textContent, box.hidden];
    if (!last || last.join("|") !== state.join("|")) {
      list.push(state);
      sessionStorage.setItem("progress", JSON.stringify(list));
    }
  };
  new MutationObserver(record).observe(document, {subtree: true, childList: true, attributes: true,
                                                  characterData: true});
})();
"""


@pytest.mark.browser
def test_it_follows_a_real_import_with_the_live_progress_bar_in_a_browser(chromium_path, server,
                                                                         committed_org, import_worker, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    from accounts.services import user_create
    from tests.imports.filegen import generate_large_export

    user_create(email="admin@import.test", password="Navigateur-2026!", role="admin", full_name="Ada Import")
    path = generate_large_export(tmp_path / "export_personnel.xlsx", 6000, 20)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(locale="fr-FR")
            page.set_default_timeout(15_000)
            page.add_init_script(RECORD_PROGRESS)
            page.goto(f"{server}/comptes/connexion/?next=/imports/nouveau/")
            page.get_by_label("Adresse e-mail").fill("admin@import.test")
            page.get_by_label("Mot de passe").fill("Navigateur-2026!")
            page.get_by_role("button", name="Se connecter").click()
            expect(page.get_by_role("heading", level=1)).to_have_text("Importer un fichier du personnel")
            page.get_by_label("Fichier du personnel").set_input_files(str(path))
            page.get_by_role("button", name="Voir l'aperçu").click()
            expect(page.get_by_role("heading", level=1)).to_have_text("Aperçu de l'import : export_personnel.xlsx")
            page.get_by_role("button", name="Lancer l'import").click()

            expect(page).to_have_url(re.compile(r"/imports/\d+/$"))  # no ORM here: Playwright runs an event loop
            # The page reloads itself once the job ends: the report replaces the bar.
            expect(page.locator("#job-message")).to_contain_text("Import terminé : 6000 créés", timeout=180_000)
            expect(page.locator("#job-status")).to_have_text("Terminé")
            expect(page.locator("#job-progress")).to_be_hidden()
            expect(page.locator("#job-counts .card").first).to_contain_text("6000")
            seen = page.evaluate("JSON.parse(sessionStorage.getItem('progress') || '[]')")
        finally:
            browser.close()
    # Shown by the script while the bar was on screen: the bar only moves forward, up to 100 % and "Terminé".
    live = [(value, phase) for value, phase, hidden in seen if not hidden]
    # (the worker may claim the job before the page's first poll: "En attente…" is not always seen)
    assert live[0][0] < 100 and len({phase for _value, phase in live}) >= 2, seen
    assert live[-1] == (100, "Terminé"), seen
    assert [value for value, _phase in live] == sorted(value for value, _phase in live), seen
    assert seen[-1] == [100, "Terminé", True], seen  # then the reloaded page shows the report, bar hidden
    assert Employee.objects.count() == 6000


def test_it_shows_each_columns_decision_and_the_bad_rows_on_the_preview(in_alpha, tmp_path, make_user, client_for):
    client = client_for(in_alpha, make_user(in_alpha, "admin"))
    rows = make_employees(25)
    rows[22][3] = "pas-un-email"
    header = [*STAFF_HEADER, "Soudure TIG", "DaysLateLast30", "Religion"]
    path = write_xlsx(tmp_path / "export.xlsx", [header, *[[*r, 2, 1, "x"] for r in rows]])
    upload(client, path)
    job = ImportJob.objects.get()
    page = client.get(f"/imports/{job.pk}/apercu/").content.decode()
    assert ('data-column="Soudure TIG">Compétence : le titre se lit comme une compétence et les cellules comme des '
            "niveaux</span>") in page
    assert 'data-column="DaysLateLast30">Non lue : nombre ou compteur, pas une compétence</span>' in page
    assert 'data-column="Religion">Donnée sensible : donnée personnelle sensible : jamais importée</span>' in page
    assert "1 ligne sur 25 a une erreur (1 au total)" in page
    row = page.split('data-row="24">')[1].split("</tr>")[0]  # row 24 of the sheet: beyond the first 20, in error
    assert "Email : Email non valide : « pas-un-email »." in row
    assert page.count('class="row-error"') == 1


def test_it_offers_a_partial_relaunch_of_a_refused_import(in_alpha, tmp_path, make_user, client_for, run_import):
    rows = make_employees(3)
    rows[1][3] = "pas-un-email"
    refused = run_import(write_xlsx(tmp_path / "export.xlsx", [STAFF_HEADER, *rows]))
    client = client_for(in_alpha, make_user(in_alpha, "admin"))
    assert "Relancer en import partiel" in client.get(f"/imports/{refused.pk}/").content.decode()
    response = client.post(f"/imports/{refused.pk}/import-partiel/")
    again = ImportJob.objects.exclude(pk=refused.pk).get()
    assert response["Location"] == f"/imports/{again.pk}/"
    assert run_pending(again).created == 2


def test_it_answers_404_for_another_organisations_job_on_the_new_routes(in_alpha, beta, tmp_path, make_user,
                                                                        client_for, run_import):
    rows = make_employees(3)
    rows[1][3] = "pas-un-email"
    refused = run_import(write_xlsx(tmp_path / "export.xlsx", [STAFF_HEADER, *rows]))
    client = client_for(beta, make_user(beta, "admin"))
    assert client.post(f"/imports/{refused.pk}/import-partiel/").status_code == 404
    assert client.post(f"/imports/{refused.pk}/emplois-crees/", {"title": "x", "rome_code": "H2913"}).status_code == 404


@pytest.mark.parametrize("role", ["supervisor", "employee"])
def test_it_refuses_the_new_routes_to_roles_without_the_right(in_alpha, tmp_path, make_user, client_for, run_import,
                                                              role):
    rows = make_employees(3)
    rows[1][3] = "pas-un-email"
    refused = run_import(write_xlsx(tmp_path / "export.xlsx", [STAFF_HEADER, *rows]))
    client = client_for(in_alpha, make_user(in_alpha, role))
    assert client.post(f"/imports/{refused.pk}/import-partiel/").status_code == 403
    assert client.post(f"/imports/{refused.pk}/emplois-crees/", {"title": "x", "rome_code": "H2913"}).status_code == 403
    assert ImportJob.objects.count() == 1


@pytest.mark.browser
def test_it_shows_a_column_decision_and_a_bad_row_on_the_preview_in_a_browser(chromium_path, server,
                                                                             committed_org, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    from accounts.services import user_create

    user_create(email="admin@apercu.test", password="Navigateur-2026!", role="admin", full_name="Ada Aperçu")
    rows = make_employees(30)
    rows[25][5] = "31/02/2020"  # sheet row 27: beyond the first 20 rows, an impossible hire date
    header = [*STAFF_HEADER, "Soudure TIG", "EmpSatisfaction", "SpecialProjectsCount", "Commentaire long"]
    path = write_xlsx(tmp_path / "export_us.xlsx", [header, *[[*r, 3, 4, 0, "texte " * 30] for r in rows]])
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(locale="fr-FR", viewport={"width": 1024, "height": 768})
            page.set_default_timeout(15_000)
            page.goto(f"{server}/comptes/connexion/?next=/imports/nouveau/")
            page.get_by_label("Adresse e-mail").fill("admin@apercu.test")
            page.get_by_label("Mot de passe").fill("Navigateur-2026!")
            page.get_by_role("button", name="Se connecter").click()
            page.get_by_label("Fichier du personnel").set_input_files(str(path))
            page.get_by_role("button", name="Voir l'aperçu").click()
            expect(page.get_by_role("heading", level=1)).to_have_text("Aperçu de l'import : export_us.xlsx")
            expect(page.locator('[data-column="EmpSatisfaction"]')).to_have_text(
                "Non lue : note, score ou enquête, pas une compétence")
            expect(page.locator('[data-column="Soudure TIG"]')).to_contain_text("Compétence")
            expect(page.locator("#preview-errors-summary")).to_contain_text("1 ligne sur 30 a une erreur")
            bad = page.locator('tr[data-row="27"]')
            expect(bad).to_have_class("row-error")
            expect(bad.locator(".row-errors")).to_contain_text("Date d'entrée : Date impossible : « 31/02/2020 »")
            # the table scrolls inside its box, the page does not; the first column stays in view
            box = page.locator(".table-scroll")
            assert page.evaluate("document.documentElement.scrollWidth") <= 1024
            assert box.evaluate("el => el.scrollWidth > el.clientWidth")
            box.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
            first = bad.locator("th.sticky-col")
            assert first.evaluate("el => getComputedStyle(el).position") == "sticky"
            assert abs(first.bounding_box()["x"] - box.bounding_box()["x"]) < 3
        finally:
            browser.close()
