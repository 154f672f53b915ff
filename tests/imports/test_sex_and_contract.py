"""Sex (restricted) and contract type read by the staff import: header variants, values, the write."""

from datetime import date

import pytest

from imports.engine import RawTable, detect_header, validate
from imports.models import EmployeeChange
from tests.imports.filegen import write_csv
from workforce.models import Employee


def table(rows):
    return RawTable(sheet_name="", sheet_names=("",), rows=[list(r) for r in rows],
                    row_numbers=list(range(1, len(rows) + 1)), file_kind="csv")


@pytest.mark.parametrize("header", ["Sexe", "Civilité", "H/F", "M/F", "Genre", "Gender", "Sexe (H/F)", "M./Mme"])
def test_it_recognises_the_sex_column_under_its_usual_headers(header):
    guess = detect_header(table([["Matricule", "Nom", header], ["E1", "Durand", "F"]]))
    assert guess.columns[2] == "sex"


@pytest.mark.parametrize("header", ["Contrat", "Type de contrat", "Nature du contrat"])
def test_it_recognises_the_contract_column(header):
    guess = detect_header(table([["Matricule", "Nom", header], ["E1", "Durand", "CDI"]]))
    assert guess.columns[2] == "contract_type"


def test_it_normalises_sex_and_contract_values_and_reports_unknown_ones():
    rows = [["Matricule", "Nom", "Civilité", "Contrat"],
            ["E1", "Durand", "Mme", "CDI"], ["E2", "Petit", "M.", "Contrat à durée déterminée"],
            ["E3", "Roux", "Female", "Intérimaire"], ["E4", "Blanc", "H", "apprenti"],
            ["E5", "Noir", "", "Fonctionnaire"], ["E6", "Vert", "X", "Freelance"]]
    raw = table(rows)
    result = validate(raw, detect_header(raw), today=date(2025, 6, 30))
    got = {e.staff_number: (e.sex, e.contract_type) for e in result.employees}
    assert got == {"E1": ("F", "cdi"), "E2": ("M", "cdd"), "E3": ("F", "interim"), "E4": ("M", "apprentissage"),
                   "E5": (None, "fonctionnaire")}
    messages = [(e.row, e.column, e.message) for e in result.errors]
    assert messages == [
        (7, "Civilité", "Sexe non reconnu : « X ». Indiquez F ou M (Mme, M., Femme, Homme sont aussi acceptés) "
                        "ou laissez la cellule vide."),
        (7, "Contrat", "Type de contrat non reconnu : « Freelance ». Indiquez CDI, CDD, intérim, apprentissage, "
                       "stage, fonctionnaire ou contractuel, ou laissez la cellule vide."),
    ]


def test_it_writes_sex_and_contract_and_keeps_sex_out_of_the_change_history(in_alpha, tmp_path, run_import):
    first = write_csv(tmp_path / "a.csv", [["Matricule", "Nom", "Sexe", "Type de contrat"],
                                           ["E1", "Durand", "F", "CDD"], ["E2", "Petit", "M", "CDI"]])
    run_import(first)
    assert {(e.staff_number, e.sex, e.contract_type) for e in Employee.objects.all()} == {
        ("E1", "F", "cdd"), ("E2", "M", "cdi")}
    second = write_csv(tmp_path / "b.csv", [["Matricule", "Nom", "Sexe", "Type de contrat"],
                                            ["E1", "Durand", "M", "CDI"], ["E2", "Petit", "M", "CDI"]])
    job = run_import(second)
    assert job.updated == 1
    assert Employee.objects.get(staff_number="E1").sex == "M"
    fields = set(EmployeeChange.objects.values_list("field", flat=True))
    assert "contract_type" in fields and "sex" not in fields
