"""Import of a scenario's needs per job from xlsx/csv: same reader, header detection and row errors as the staff
import; all or nothing."""

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from foresight.models import JobNeed, JobNeedSkill
from foresight.needs_import import needs_import_path


def url(scenario):
    return reverse("foresight:needs_import", args=[scenario.pk])


@pytest.fixture
def hr_client(in_alpha, make_user, client_for):
    return client_for(in_alpha, make_user(in_alpha, "hr"))


def csv_upload(text, name="besoins.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def test_it_imports_needs_from_a_workbook_with_a_title_above_the_headers(workshop, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Besoins 2030 – atelier"])
    sheet.append([])
    sheet.append(["Emploi", "Effectif cible", "Nouvelles compétences", "Commentaire"])
    sheet.append(["Soudeur", 12, "Tableur : 3 ; Soudure TIG : 4", "Nouvelle ligne de production"])
    sheet.append(["comptable", "-50 %", "", ""])
    path = tmp_path / "besoins.xlsx"
    book.save(path)
    result = needs_import_path(scenario=workshop["scenario"], path=str(path))
    assert (result.errors, result.file_error, result.written, result.skills) == ([], "", 2, 2)
    welder = JobNeed.objects.get(job=workshop["welder"])
    assert (welder.target_headcount, welder.change_pct, welder.source) == (12.0, None, "import")
    assert welder.note == "Nouvelle ligne de production"
    assert sorted((s.skill.label, s.level, s.change) for s in welder.skills.all()) == [
        ("Soudure TIG", 4, "required"), ("Tableur", 3, "required")]
    clerk = JobNeed.objects.get(job=workshop["clerk"])
    assert (clerk.target_headcount, clerk.change_pct) == (None, -50.0)


def test_it_merges_one_row_per_job_and_skill_and_reads_declining_skills(workshop, tmp_path):
    path = tmp_path / "besoins.csv"
    path.write_text("Emploi;Évolution (%);Compétence;Niveau;Compétences en déclin\n"
                    "Soudeur;+10;Soudure TIG;4;\n"
                    "Soudeur;;Tableur;2;\n"
                    "Comptable;;;;Tableur\n", encoding="utf-8")
    result = needs_import_path(scenario=workshop["scenario"], path=str(path))
    assert result.errors == [] and result.written == 2
    welder = JobNeed.objects.get(job=workshop["welder"])
    assert welder.change_pct == 10.0
    assert welder.skills.count() == 2
    declining = JobNeedSkill.objects.get(need__job=workshop["clerk"])
    assert (declining.skill.label, declining.change) == ("Tableur", "declining")


def test_it_lists_every_bad_row_in_french_and_writes_nothing(hr_client, workshop):
    workshop["scenario"].needs.create(job=workshop["clerk"], target_headcount=3)
    text = ("Emploi;Effectif cible;Nouvelles compétences\n"
            "Soudeur;12;Tableur : 3\n"
            "Chaudronnier;4;\n"
            "Comptable;douze;\n"
            "Soudeur;-2;Soudure : 3\n"
            ";5;Tableur : 9\n")
    response = hr_client.post(url(workshop["scenario"]), {"file": csv_upload(text)})
    assert response.status_code == 200
    errors = [(e.row, e.column, e.value, e.message) for e in response.context["result"].errors]
    assert errors == [
        (3, "Emploi", "Chaudronnier", "Emploi « Chaudronnier » inconnu : écrivez l'intitulé (ou le code interne) "
                                      "d'un emploi de l'organisation."),
        (4, "Effectif cible", "douze", "Écrivez un nombre (par exemple 12, ou +10 % pour une évolution)."),
        (5, "Effectif cible", "-2", "L'effectif cible ne peut pas être négatif."),
        (5, "Nouvelles compétences", "Soudure : 3", "Compétence « Soudure » inconnue : corrigez son nom ou "
                                                    "ajoutez-la au référentiel des compétences."),
        (6, "Emploi", "", "Emploi manquant : indiquez l'intitulé d'un emploi de l'organisation."),
        (6, "Nouvelles compétences", "Tableur : 9", "« Tableur : 9 » : niveau entre 1 et 5."),
    ]
    page = response.content.decode()
    assert "4 lignes refusées : rien n'a été enregistré." in page
    assert "Emploi « Chaudronnier » inconnu" in page
    # All or nothing: the valid welder row was not written and the existing need is untouched.
    assert list(JobNeed.objects.values_list("job__title", "target_headcount")) == [("Comptable", 3.0)]


def test_it_says_which_headers_it_needs(hr_client, workshop):
    response = hr_client.post(url(workshop["scenario"]), {"file": csv_upload("Nom;Prénom\nDupont;Jean\n")})
    assert "Aucune ligne d&#x27;en-tête avec les colonnes « Emploi » et « Effectif cible »" in response.content.decode()
    assert not JobNeed.objects.exists()


def test_it_imports_through_the_page(hr_client, workshop):
    page = hr_client.get(url(workshop["scenario"]))
    assert page.status_code == 200 and "Importer un fichier" in page.content.decode()
    response = hr_client.post(url(workshop["scenario"]), {"file": csv_upload("Emploi,Effectif cible\nSoudeur,8\n")},
                              follow=True)
    assert "1 besoin(s) par emploi importé(s) dans « Fil de l&#x27;eau »." in response.content.decode()
    assert JobNeed.objects.get().target_headcount == 8.0


def test_it_answers_404_for_another_organisations_scenario(workshop, beta, make_user, client_for):
    client = client_for(beta, make_user(beta, "hr"))
    assert client.get(url(workshop["scenario"])).status_code == 404


@pytest.mark.parametrize("role", ["employee", "supervisor"])
def test_it_refuses_the_import_to_employees_and_supervisors(role, workshop, in_alpha, make_user, client_for):
    client = client_for(in_alpha, make_user(in_alpha, role, employee=workshop["boss"]))
    assert client.get(url(workshop["scenario"])).status_code == 403
    assert client.post(url(workshop["scenario"]), {"file": csv_upload("Emploi;Effectif cible\nSoudeur;8\n")}
                       ).status_code == 403
    assert not JobNeed.objects.exists()


def test_it_imports_needs_through_the_api_with_row_errors_in_422(workshop, in_alpha, make_user, api_for):
    api = api_for(in_alpha, make_user(in_alpha, "hr"))
    path = f"/api/v1/scenarios/{workshop['scenario'].pk}/needs/import"
    bad = api.post(path, {"file": csv_upload("Emploi;Effectif cible\nSoudeur;12\nChaudronnier;3\n")})
    assert bad.status_code == 422
    body = bad.json()
    assert body["detail"] == "1 ligne(s) refusée(s) : rien n'a été enregistré."
    assert body["errors"] == [{"row": 3, "column": "Emploi", "value": "Chaudronnier", "message": (
        "Emploi « Chaudronnier » inconnu : écrivez l'intitulé (ou le code interne) d'un emploi de l'organisation.")}]
    assert not JobNeed.objects.exists()
    good = api.post(path, {"file": csv_upload("Emploi;Effectif cible\nSoudeur;12\n")})
    assert (good.status_code, good.json()) == (200, {"written": 1, "skills": 0})
    employee = api_for(in_alpha, make_user(in_alpha, "employee", employee=workshop["people"][4]))
    assert employee.post(path, {"file": csv_upload("Emploi;Effectif cible\nSoudeur;12\n")}).status_code == 403


def test_it_answers_404_on_the_import_api_for_another_organisations_scenario(workshop, beta, make_user, api_for):
    api = api_for(beta, make_user(beta, "hr"))
    response = api.post(f"/api/v1/scenarios/{workshop['scenario'].pk}/needs/import",
                        {"file": csv_upload("Emploi;Effectif cible\nSoudeur;12\n")})
    assert response.status_code == 404
