"""Crafted workbooks (a 2 KB file with one far cell) are refused before any read allocates: the checks
of imports/engine/archive.py and xls.py, on the reader and on the import page."""

import html

import pytest

from imports.engine import ImportFileError, read_table
from imports.models import ImportJob
from tests.imports import filegen
from tests.imports.test_pages import upload

FAR_CELL = ("contient une valeur isolée très loin du tableau (cellule XFD1048576) : elle obligerait à lire toutes "
            "les cellules vides jusque-là. Supprimez les lignes et colonnes autour du tableau (sélectionnez-les "
            "puis Supprimer) et enregistrez.")


@pytest.mark.parametrize("dimension", [None, "A1:B2"])
def test_it_refuses_an_xlsx_with_a_value_at_the_last_cell_whatever_its_dimension(tmp_path, dimension):
    path = filegen.generate_crafted_xlsx(tmp_path / "crafted.xlsx", dimension=dimension)
    with pytest.raises(ImportFileError) as error:
        read_table(path)
    assert error.value.message == f"Le fichier « crafted.xlsx » {FAR_CELL}"


def test_it_refuses_an_xlsx_without_dimension_and_a_value_at_z600000(tmp_path):
    path = filegen.generate_crafted_xlsx(tmp_path / "crafted.xlsx", cell="Z600000")
    with pytest.raises(ImportFileError) as error:
        read_table(path)
    assert "valeur isolée très loin sous le tableau (ligne 600\u202f000)" in error.value.message


def test_it_refuses_an_xls_whose_dimensions_record_lies(tmp_path):
    path = filegen.generate_crafted_xls(tmp_path / "crafted.xls")
    with pytest.raises(ImportFileError) as error:
        read_table(path)
    assert "valeur isolée très loin sous le tableau (ligne 65\u202f536)" in error.value.message


def test_it_refuses_an_ods_whose_repeated_cells_would_fill_the_whole_grid(tmp_path):
    path = filegen.generate_crafted_ods(tmp_path / "crafted.ods")
    with pytest.raises(ImportFileError) as error:
        read_table(path)
    assert error.value.message == f"Le fichier « crafted.ods » {FAR_CELL}"


def test_it_reads_an_xlsx_whose_false_dimension_hides_nothing(tmp_path):
    path = filegen.generate_crafted_xlsx(tmp_path / "small.xlsx", cell="B3", dimension="A1:A1")
    assert read_table(path).rows == [["Matricule", "Nom"], [None, 1]]


def test_it_stops_a_read_past_its_time_bound_with_a_clear_message(tmp_path):
    # the bound in memory is proven in tests/core/test_bounded.py; the reader says both the same way
    path = filegen.generate_hr_export(tmp_path / "export.xlsx", 200)
    with pytest.raises(ImportFileError) as error:
        read_table(path, timeout_seconds=0.000001)
    assert error.value.message == (
        "La lecture du fichier « export.xlsx » a été arrêtée au bout de 0 secondes. Enregistrez-le à nouveau au "
        "format .xlsx ou .csv sans mise en forme, ou découpez-le en plusieurs fichiers.")
    assert len(read_table(path).rows) > 200


@pytest.mark.parametrize("make, suffix", [(filegen.generate_crafted_xlsx, ".xlsx"),
                                          (filegen.generate_crafted_xls, ".xls"),
                                          (filegen.generate_crafted_ods, ".ods")])
def test_it_refuses_a_crafted_workbook_on_the_preview_with_a_clear_message(in_alpha, tmp_path, make_user,
                                                                            client_for, make, suffix):
    client = client_for(in_alpha, make_user(in_alpha, "admin"))
    response = upload(client, make(tmp_path / f"crafted{suffix}"))  # refused at upload, before it is stored
    assert response.status_code == 200
    assert f"Le fichier « crafted{suffix} » contient une valeur isolée très loin" in html.unescape(
        response.content.decode())
    job = ImportJob.objects.get()
    assert (job.status, job.file.name) == ("failed", "")
