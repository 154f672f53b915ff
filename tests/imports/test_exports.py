"""The rejected-rows workbook: what the user downloads, fixes in Excel and uploads again."""

import io

import openpyxl

from imports.exports import rejected_rows_workbook
from tests.imports.filegen import write_xlsx
from workforce.models import Employee


def test_it_keeps_formula_like_text_as_typed_through_a_fix_and_a_reupload(in_alpha, tmp_path, run_import):
    rows = [["Matricule", "Nom", "Prénom", "Service", "Date d'entrée"],
            ["E1", "=SUM(A1)", "+33 6 12", "-Atelier", "31/02/2020"],
            ["E2", "Durand", "Léa", "Cuisine", "01/02/2020"]]
    job = run_import(write_xlsx(tmp_path / "export.xlsx", rows))
    assert (job.status, job.invalid) == ("rejected", 1)

    workbook = openpyxl.load_workbook(io.BytesIO(rejected_rows_workbook(job)))
    sheet = workbook.active
    assert [c.value for c in sheet[2]][:5] == ["E1", "=SUM(A1)", "+33 6 12", "-Atelier", "31/02/2020"]
    formula_like = [sheet["B2"], sheet["C2"], sheet["D2"]]
    assert all(c.data_type == "s" and c.quotePrefix for c in formula_like)
    assert not sheet["A2"].quotePrefix and not sheet["E2"].quotePrefix
    assert sheet["F2"].value.startswith("Date d'entrée : ")

    sheet["E2"] = "28/02/2020"
    fixed = tmp_path / "export-corrige.xlsx"
    workbook.save(fixed)
    assert openpyxl.load_workbook(fixed).active["B2"].quotePrefix  # still text if edited again in Excel
    again = run_import(fixed)
    assert (again.status, again.created, again.invalid) == ("ok", 1, 0)
    e1 = Employee.objects.get(staff_number="E1")
    assert (e1.last_name, e1.first_name, e1.org_unit.name) == ("=SUM(A1)", "+33 6 12", "-Atelier")
    assert e1.hire_date.isoformat() == "2020-02-28"
