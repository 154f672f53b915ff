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
    rows[0][5] = "13/13/2020"
    rows[3][3] = "pas-un-email"
    code, report = staff_import(in_alpha, write_xlsx(tmp_path / "bad.xlsx", [STAFF_HEADER, *rows]))
    assert (code, report["status"], report["invalid"], report["created"]) == (1, "rejected", 2, 0)
    assert [(e["row"], e["column"], e["value"]) for e in report["errors"]] == [
        (2, "Date d'entrée", "13/13/2020"), (5, "Email", "pas-un-email"),
    ]
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
