"""manage.py staff_import, end to end on generated files."""

import io
import json
import os
import subprocess
import sys

import pytest
from django.core.management import call_command

from tests import conftest
from tests.imports.filegen import (
    STAFF_HEADER,
    generate_crafted_ods,
    generate_crafted_xls,
    generate_crafted_xlsx,
    generate_csv_export,
    generate_fake_xlsx,
    generate_hr_export,
    generate_long_skills,
    generate_protected_xlsx,
    generate_us_dates_csv,
    generate_wide_skills,
    generate_zip_bomb,
    make_employees,
    write_xlsx,
)
from workforce.models import Employee


def staff_import(org, *args) -> tuple[int, dict]:
    out = io.StringIO()
    try:
        call_command("staff_import", "--tenant", org.slug, *map(str, args), "--json", stdout=out)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, json.loads(out.getvalue())


def test_it_imports_a_file_and_prints_one_json_object(in_alpha, tmp_path):
    code, report = staff_import(in_alpha, generate_hr_export(tmp_path / "export.xlsx", 30))
    assert code == 0
    assert {k: report[k] for k in ("status", "rows", "created", "updated", "unchanged", "invalid", "errors")} == {
        "status": "ok", "rows": 30, "created": 30, "updated": 0, "unchanged": 0, "invalid": 0, "errors": [],
    }
    assert Employee.objects.count() == 30


def test_it_is_idempotent_from_the_command_line(in_alpha, tmp_path):
    path = generate_hr_export(tmp_path / "export.xlsx", 8)
    staff_import(in_alpha, path)
    code, report = staff_import(in_alpha, path)
    assert (code, report["created"], report["updated"], report["unchanged"]) == (0, 0, 0, 8)


def test_it_exits_1_and_lists_every_error_when_rejected(in_alpha, tmp_path):
    rows = make_employees(5)
    rows[1][5] = "13/13/2020"  # E00002 manages nobody: no report is rejected with him
    rows[3][3] = "pas-un-email"
    code, report = staff_import(in_alpha, write_xlsx(tmp_path / "bad.xlsx", [STAFF_HEADER, *rows]))
    assert (code, report["status"], report["invalid"], report["created"]) == (1, "rejected", 2, 0)
    assert [(e["row"], e["column"], e["value"]) for e in report["errors"]] == [
        (3, "Date d'entrée", "13/13/2020"), (5, "Email", "pas-un-email"),
    ]
    assert report["error_count"] == 2
    assert all(e["message"] for e in report["errors"])
    assert Employee.objects.count() == 0


def test_it_exits_0_with_partial_and_invalid_rows(in_alpha, tmp_path):
    rows = make_employees(5)
    rows[3][3] = "pas-un-email"
    code, report = staff_import(in_alpha, write_xlsx(tmp_path / "bad.xlsx", [STAFF_HEADER, *rows]), "--partial")
    assert (code, report["status"], report["created"], report["invalid"]) == (0, "ok", 4, 1)
    assert report["errors"][0]["row"] == 5


def test_it_writes_nothing_on_a_dry_run(in_alpha, tmp_path):
    code, report = staff_import(in_alpha, generate_hr_export(tmp_path / "e.xlsx", 6), "--dry-run")
    assert (code, report["status"], report["created"]) == (0, "ok", 6)
    assert Employee.objects.count() == 0


def test_it_reads_a_cp1252_csv_with_semicolons(in_alpha, tmp_path):
    code, report = staff_import(in_alpha, generate_csv_export(tmp_path / "export.csv", 10))
    assert (code, report["created"]) == (0, 10)
    accented = [r for r in make_employees(10) if any(ch in r[2] for ch in "éèçïëÉ")]
    assert accented, "the generated names should carry accents"
    assert Employee.objects.get(staff_number=accented[0][0]).first_name == accented[0][2]


def test_it_reads_us_dates_and_english_headers(in_alpha, tmp_path):
    code, report = staff_import(in_alpha, generate_us_dates_csv(tmp_path / "us.csv"))
    assert (code, report["created"]) == (0, 4)
    smith = Employee.objects.get(staff_number="1001")
    assert (smith.last_name, smith.first_name) == ("Smith", "John")
    assert (smith.birth_date.isoformat(), smith.hire_date.isoformat()) == ("1983-07-10", "2011-07-05")
    assert float(Employee.objects.get(staff_number="1002").fte) == 0.8


def test_it_reads_both_skill_layouts(in_alpha, tmp_path):
    code, wide = staff_import(in_alpha, generate_wide_skills(tmp_path / "wide.xlsx", 6, levels=[1, 2, 3, 4]))
    assert (code, wide["created"], wide["skills"]) == (0, 6, 18)
    code, long = staff_import(in_alpha, generate_long_skills(tmp_path / "long.xlsx", 4))
    assert (code, long["created"], long["unchanged"], long["rows"]) == (0, 0, 4, 12)


def test_it_applies_a_mapping_given_with_map(in_alpha, tmp_path):
    rows = [["Clé", "Nom", "Zone"], ["A-1", "Durand", "Blanchisserie"], ["A-2", "Petit", "Cuisine"]]
    path = write_xlsx(tmp_path / "custom.xlsx", rows)
    code, report = staff_import(in_alpha, path)
    assert (code, report["status"]) == (2, "failed")
    assert "Matricule" in report["message"]
    code, report = staff_import(in_alpha, path, "--map", "Clé=staff_number", "--map", "Zone=org_unit")
    assert (code, report["created"]) == (0, 2)
    assert Employee.objects.get(staff_number="A-2").org_unit.name == "Cuisine"


@pytest.mark.parametrize("make, words", [
    (generate_fake_xlsx, "« export.xlsx » ne correspond pas à son extension .xlsx"),
    (generate_zip_bomb, ""),
    (generate_protected_xlsx, "mot de passe"),
])
def test_it_exits_2_on_a_file_it_cannot_read(in_alpha, tmp_path, make, words):
    code, report = staff_import(in_alpha, make(tmp_path / "export.xlsx"))
    assert (code, report["status"], report["created"]) == (2, "failed", 0)
    assert words in report["message"]
    assert len(report["message"]) > 40


def test_it_runs_as_a_real_command_with_exit_codes(committed_org, tmp_path, import_data_dir):
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    env = dict(os.environ, DATABASE_URL=conftest.worker_database_url(), ESIPRO_DATA_DIR=str(import_data_dir))

    def run(path):
        done = subprocess.run(
            [sys.executable, "manage.py", "staff_import", "--tenant", committed_org.slug, str(path), "--json"],
            cwd=root, env=env, capture_output=True, text=True, timeout=120,
        )
        return done.returncode, json.loads(done.stdout)

    code, report = run(generate_zip_bomb(tmp_path / "bomb.xlsx"))
    assert (code, report["status"]) == (2, "failed")
    code, report = run(generate_hr_export(tmp_path / "ok.xlsx", 5))
    assert (code, report["status"], report["created"]) == (0, "ok", 5)
    assert Employee.objects.count() == 5


CRAFTED = [
    (lambda folder: generate_crafted_xlsx(folder / "crafted.xlsx"), "(cellule XFD1048576)"),
    (lambda folder: generate_crafted_xlsx(folder / "crafted.xlsx", dimension="A1:B2"), "(cellule XFD1048576)"),
    (lambda folder: generate_crafted_xlsx(folder / "crafted.xlsx", cell="Z600000"), "(ligne 600\u202f000)"),
    (lambda folder: generate_crafted_xls(folder / "crafted.xls"), "(ligne 65\u202f536)"),
    (lambda folder: generate_crafted_ods(folder / "crafted.ods"), "(cellule XFD1048576)"),
]


@pytest.mark.parametrize("make, where", CRAFTED)
def test_it_exits_2_on_a_crafted_workbook_with_a_far_cell(in_alpha, tmp_path, make, where):
    path = make(tmp_path)
    code, report = staff_import(in_alpha, path)
    assert (code, report["status"], report["created"]) == (2, "failed", 0)
    assert f"Le fichier « {path.name} » contient une valeur isolée très loin" in report["message"]
    assert where in report["message"]


def test_it_refuses_every_crafted_workbook_as_a_real_command_in_little_memory(committed_org, tmp_path,
                                                                               import_data_dir):
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    env = dict(os.environ, DATABASE_URL=conftest.worker_database_url(), ESIPRO_DATA_DIR=str(import_data_dir))
    # The wrapper's only children are the command and its reading child: their peak resident memory.
    measure = ("import resource, subprocess, sys; done = subprocess.run(sys.argv[1:]); "
               "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); "
               "sys.exit(done.returncode)")
    for number, (make, where) in enumerate(CRAFTED):
        folder = tmp_path / str(number)
        folder.mkdir()
        done = subprocess.run(
            [sys.executable, "-c", measure, sys.executable, "manage.py", "staff_import", "--tenant",
             committed_org.slug, str(make(folder)), "--json"],
            cwd=root, env=env, capture_output=True, text=True, timeout=120,
        )
        report = json.loads(done.stdout)
        assert (done.returncode, report["status"]) == (2, "failed")
        assert where in report["message"]
        assert int(done.stderr.strip().splitlines()[-1]) < 300 * 1024  # kilobytes


def run_command(*args) -> tuple[int, str, str]:
    """The command as a user runs it, without --json: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("staff_import", *map(str, args), stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def test_it_exits_2_with_one_json_object_for_a_missing_file(in_alpha, tmp_path):
    code, report = staff_import(in_alpha, tmp_path / "absent.xlsx")
    assert (code, report["status"], report["job_id"], report["error_count"]) == (2, "failed", None, 0)
    assert report["message"] == f"Fichier « {tmp_path / 'absent.xlsx'} » introuvable : vérifiez le chemin."


def test_it_exits_2_with_one_json_object_for_an_unknown_tenant(in_alpha, tmp_path):
    out = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("staff_import", "--tenant", "inconnue", str(generate_hr_export(tmp_path / "e.xlsx", 2)),
                     "--json", stdout=out)
    report = json.loads(out.getvalue())
    assert (exit_info.value.code, report["status"]) == (2, "failed")
    assert report["message"] == "Organisation « inconnue » introuvable : vérifiez l'option --tenant."


@pytest.mark.parametrize("option, words", [
    ("Matricule", "--map « Matricule » : écrivez « En-tête=champ »"),
    ("Nom=salaire", "La colonne « Nom » est associée à « salaire », qui n'est pas un champ connu."),
])
def test_it_exits_2_with_one_json_object_for_a_bad_map(in_alpha, tmp_path, option, words):
    code, report = staff_import(in_alpha, generate_hr_export(tmp_path / "e.xlsx", 2), "--map", option)
    assert (code, report["status"]) == (2, "failed")
    assert words in report["message"]
    assert Employee.objects.count() == 0


def test_it_prints_the_failure_on_stderr_without_json(in_alpha, tmp_path):
    code, out, err = run_command("--tenant", in_alpha.slug, tmp_path / "absent.xlsx")
    assert (code, out) == (2, "")
    assert "introuvable : vérifiez le chemin." in err


def test_it_exits_2_with_a_clear_message_on_an_unexpected_crash(in_alpha, tmp_path):
    from django_tenants.utils import schema_context

    from tenants.models import Organization

    # An organisation whose schema is gone (dropped by hand, half-deleted): every query of the import fails.
    ghost = Organization(slug="fantome", name="Fantôme", schema_name="fantome_sans_schema")
    ghost.auto_create_schema = False
    with schema_context("public"):
        ghost.save()
    code, out, err = run_command("--tenant", "fantome", generate_hr_export(tmp_path / "e.xlsx", 2), "--json")
    report = json.loads(out)
    assert (code, report["status"]) == (2, "failed")
    assert report["message"].startswith("Erreur inattendue (ProgrammingError) : l'import n'a pas abouti et rien "
                                        "n'a été écrit.")
    assert "Traceback" not in out


def test_it_reads_the_sheet_named_with_sheet(in_alpha, tmp_path):
    path = write_xlsx(tmp_path / "classeur.xlsx", [["Bienvenue"], ["Voir l'onglet Personnel"]],
                      sheet="Accueil", extra_sheets={"Personnel": [STAFF_HEADER, *make_employees(4)]})
    code, report = staff_import(in_alpha, path, "--sheet", "Personnel")
    assert (code, report["status"], report["created"]) == (0, "ok", 4)
    code, report = staff_import(in_alpha, path, "--sheet", "Paie")
    assert (code, report["status"]) == (2, "failed")
    assert report["message"] == ("La feuille « Paie » n'existe pas dans « classeur.xlsx ». "
                                 "Feuilles disponibles : « Accueil », « Personnel ».")


def test_it_marks_people_missing_from_a_full_export_as_departed(in_alpha, tmp_path):
    rows = make_employees(5)
    staff_import(in_alpha, write_xlsx(tmp_path / "m1.xlsx", [STAFF_HEADER, *rows]))
    code, report = staff_import(in_alpha, write_xlsx(tmp_path / "m2.xlsx", [STAFF_HEADER, *rows[:3]]),
                                "--full-export")
    assert (code, report["status"], report["unchanged"], report["departed"]) == (0, "ok", 3, 2)
    assert sorted(Employee.objects.filter(is_active=False).values_list("staff_number", flat=True)) == [
        rows[3][0], rows[4][0]]


def test_it_prints_a_readable_report_without_json(in_alpha, tmp_path):
    rows = make_employees(4)
    rows[1][5] = "31/02/2020"
    code, out, err = run_command("--tenant", in_alpha.slug, write_xlsx(tmp_path / "e.xlsx", [STAFF_HEADER, *rows]))
    lines = out.splitlines()
    assert code == 1
    assert lines[0].startswith("Import refusé : 1 erreur sur 1 ligne. Rien n'a été écrit.")
    assert lines[1] == "Lignes : 4 · créés : 0 · modifiés : 0 · inchangés : 0 · en erreur : 1 · départs : 0 · " \
                       "compétences : 0"
    assert "Lecture : Dates lues dans des cellules au format date : Date de naissance, Date d'entrée" in lines
    assert any(line.startswith("  ligne 3 · Date d'entrée · « 31/02/2020 » : ") for line in lines)
    assert not out.lstrip().startswith("{")


def test_it_prints_every_error_and_the_count_with_json(in_alpha, tmp_path):
    code, report = staff_import(in_alpha, bad_dates_file(tmp_path / "bad.xlsx", 6000))
    assert (code, report["status"], report["error_count"], report["invalid"]) == (1, "rejected", 6000, 6000)
    assert len(report["errors"]) == 6000
    assert (report["errors"][0]["row"], report["errors"][-1]["row"]) == (2, 6001)
    assert all(e["message"] for e in report["errors"])


def bad_dates_file(path, n):
    rows = make_employees(n)
    for row in rows:
        row[5] = "31/02/2020"
    return write_xlsx(path, [STAFF_HEADER, *rows])


def test_it_reads_levels_and_dates_as_told_and_prints_the_decisions(in_alpha, tmp_path):
    from tests.imports.filegen import SKILLS

    path = generate_wide_skills(tmp_path / "wide.xlsx", 4, levels=[1, 2, 3, 4])
    code, report = staff_import(in_alpha, path, "--level-scale", "1-5", "--date-order", "MDY", "--dry-run")
    assert (code, report["status"], report["skills"]) == (0, "ok", 12)
    assert report["decisions"] == {"level_scales": dict.fromkeys(SKILLS[:3], "1-5"),
                                   "date_formats": {"Date de naissance": "cells", "Date d'entrée": "cells"}}
