"""read_table: real-looking files in, raw rows out, bad files refused with a French message."""

import zipfile
from datetime import date

import pytest
import xlsxwriter

from imports.engine import ImportFileError, read_table
from imports.engine.archive import check_zip
from tests.imports import filegen


def test_it_reads_an_hr_export_with_the_excel_row_numbers(tmp_path):
    path = filegen.generate_hr_export(tmp_path / "export.xlsx", n_employees=3, ghost_rows=False)

    raw = read_table(path)

    assert raw.file_kind == "xlsx"
    assert raw.sheet_name == "Export"
    # rows 1-3 are titles, row 4 is blank, row 5 the header, 6-8 employees, 9 blank, 10-11 footers
    assert raw.row_numbers == [1, 2, 3, 5, 6, 7, 8, 10, 11]
    assert raw.rows[0][0] == "Export SIRH — liste du personnel"
    assert raw.rows[3][:3] == ["Matricule", "Nom", "Prénom"]
    assert raw.rows[4][0] == "E00001"
    assert isinstance(raw.rows[4][4], date)
    assert raw.rows[4][6] is None


def test_it_numbers_rows_from_the_top_of_the_sheet_when_the_table_starts_at_c3(tmp_path):
    path = filegen.write_xlsx(
        tmp_path / "decale.xlsx", [[], [], [None, None, "Matricule", "Nom"], [None, None, "E1", "Durand"]]
    )

    raw = read_table(path)

    assert raw.rows == [["Matricule", "Nom"], ["E1", "Durand"]]
    assert raw.row_numbers == [3, 4]


def test_it_ignores_ghost_formatted_rows_down_to_the_last_excel_row(tmp_path):
    path = filegen.generate_hr_export(tmp_path / "ghost.xlsx", n_employees=20, ghost_rows=True)

    raw = read_table(path)

    assert len(raw.rows) == 4 + 20 + 2
    assert raw.row_numbers[-1] == 5 + 20 + 3  # header, employees, a blank row, two footers


def test_it_ignores_a_far_cell_formatted_with_openpyxl(tmp_path):
    path = filegen.generate_openpyxl_ghost_rows(tmp_path / "ghost.xlsx", n_employees=5)

    raw = read_table(path)

    assert len(raw.rows) == 4 + 5 + 2
    assert raw.rows[-1][0] == "Nombre de salariés"


def test_it_refuses_a_value_typed_far_below_the_table(tmp_path):
    path = filegen.generate_far_value_xlsx(tmp_path / "far.xlsx")

    with pytest.raises(ImportFileError) as error:
        read_table(path)

    assert "valeur isolée très loin sous le tableau" in error.value.message
    assert "1\u202f048\u202f576" in error.value.message


def test_it_refuses_a_value_typed_far_below_a_narrow_table_before_reading_it(tmp_path):
    # 10 columns x 1,048,576 rows stays under the 12 million cells limit, yet is mostly blank
    path = filegen.generate_far_value_xlsx(tmp_path / "far.xlsx", column=10)

    with pytest.raises(ImportFileError) as error:
        read_table(path)

    assert error.value.message == (
        "Le fichier « far.xlsx » contient une valeur isolée très loin sous le tableau (ligne 1\u202f048\u202f576) : "
        "elle obligerait à lire toutes les lignes vides jusque-là. Supprimez les lignes sous le tableau "
        "(sélectionnez-les puis Supprimer) et enregistrez."
    )


def test_it_refuses_a_value_typed_in_the_last_cell_of_a_legacy_xls_sheet(tmp_path):
    path = filegen.generate_far_value_xls(tmp_path / "export.xls")

    with pytest.raises(ImportFileError) as error:
        read_table(path)

    assert error.value.message.startswith(
        "Le fichier « export.xls » contient une valeur isolée très loin sous le tableau (ligne 65\u202f536) : "
    )
    assert "Supprimez les lignes sous le tableau" in error.value.message


def test_it_refuses_a_far_value_in_a_small_xls_stored_in_the_ole2_mini_stream(tmp_path):
    path = filegen.write_bare_xls(tmp_path / "export.xls", {(0, 0): 1.0, (1, 0): 2.0, (65535, 255): 3.0})

    with pytest.raises(ImportFileError) as error:
        read_table(path)

    assert "valeur isolée très loin sous le tableau (ligne 65\u202f536)" in error.value.message


def test_it_reads_a_legacy_xls_sheet_formatted_down_to_its_last_cell(tmp_path):
    path = filegen.generate_far_value_xls(tmp_path / "export.xls", value=False)

    raw = read_table(path)

    assert raw.row_numbers == [1, 2, 3, 4]
    assert raw.rows[1][0] == "E00001"


def test_it_reads_a_cp1252_semicolon_csv(tmp_path):
    path = filegen.generate_csv_export(
        tmp_path / "export.csv", n_employees=3, encoding="cp1252", delimiter=";"
    )

    raw = read_table(path)

    assert (raw.file_kind, raw.encoding, raw.delimiter) == ("csv", "cp1252", ";")
    assert raw.rows[0][:3] == ["Matricule", "Nom", "Prénom"]
    assert raw.rows[0][5] == "Date d'entrée"
    assert len(raw.rows) == 4
    assert raw.rows[1][:5] == ["E00001", "DAVID", "Alain", "alain.david0@exemple.fr", "17/08/1964"]
    assert raw.rows[1][10] == "1,0"
    assert raw.rows[3][2] == "Aïcha"


def test_it_reads_a_utf8_csv_with_a_bom_and_commas(tmp_path):
    path = filegen.generate_csv_export(
        tmp_path / "export.csv", n_employees=2, encoding="utf-8", delimiter=",", bom=True
    )

    raw = read_table(path)

    assert (raw.encoding, raw.delimiter) == ("utf-8-sig", ",")
    assert raw.rows[0][0] == "Matricule"
    assert raw.row_numbers == [1, 2, 3]


def test_it_reads_a_tab_separated_csv_with_a_title_line(tmp_path):
    path = filegen.write_csv(
        tmp_path / "export.txt",
        [["Export du 05/01/2026"], [], ["Matricule", "Nom", "Service"], ["E1", "Durand", "Atelier, bois"]],
        delimiter="\t",
    )

    raw = read_table(path)

    assert raw.delimiter == "\t"
    assert raw.rows == [
        ["Export du 05/01/2026"],
        ["Matricule", "Nom", "Service"],
        ["E1", "Durand", "Atelier, bois"],
    ]
    assert raw.row_numbers == [1, 3, 4]


def test_it_follows_the_excel_sep_hint_line_and_numbers_rows_as_excel_shows_them(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(b"sep=,\r\nMatricule,Nom;Pr\xe9nom\r\n\r\nE1,Durand;L\xe9a\r\n")

    raw = read_table(path)

    assert raw.delimiter == ","
    assert raw.rows == [["Matricule", "Nom;Prénom"], ["E1", "Durand;Léa"]]
    # Excel hides the sep= line: the header is its row 1, the blank line row 2
    assert raw.row_numbers == [1, 3]


def test_it_refuses_a_csv_in_an_unreadable_encoding(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(b"Matricule;Nom\r\nE1;\x81\x8d\x90\r\n")

    with pytest.raises(ImportFileError) as error:
        read_table(path)

    assert "L'encodage du fichier « export.csv » n'est pas reconnu" in error.value.message
    assert "CSV UTF-8" in error.value.message


def test_it_reads_an_ods_spreadsheet(tmp_path):
    path = filegen.write_ods(tmp_path / "liste.ods", [["Liste"], [], ["Matricule", "Nom"], ["E1", "Durand"]])

    raw = read_table(path)

    assert raw.file_kind == "ods"
    assert raw.rows == [["Liste", None], ["Matricule", "Nom"], ["E1", "Durand"]]
    assert raw.row_numbers == [1, 3, 4]


def test_it_reads_a_legacy_xls_workbook(tmp_path):
    rows = filegen.with_title_and_footer([filegen.STAFF_HEADER, *filegen.make_employees(2)])
    path = filegen.write_xls(tmp_path / "export.xls", rows)

    raw = read_table(path)

    assert raw.file_kind == "xls"
    assert raw.row_numbers == [1, 2, 3, 5, 6, 7, 9, 10]
    assert raw.rows[4][:5] == ["E00001", "DAVID", "Alain", "alain.david0@exemple.fr", date(1964, 8, 17)]


def test_it_reads_a_legacy_xls_workbook_renamed_xlsx(tmp_path):
    path = filegen.write_xls(tmp_path / "export.xlsx", [["Matricule", "Nom"], ["E1", "Durand"]])

    raw = read_table(path)

    assert raw.file_kind == "xls"
    assert raw.rows == [["Matricule", "Nom"], ["E1", "Durand"]]


def test_it_reads_an_xlsx_workbook_renamed_xls(tmp_path):
    path = filegen.write_xlsx(tmp_path / "export.xls", [["Matricule", "Nom"], ["E1", "Durand"]])

    raw = read_table(path)

    assert raw.file_kind == "xlsx"
    assert raw.rows == [["Matricule", "Nom"], ["E1", "Durand"]]


def test_it_refuses_a_value_far_below_an_ods_table(tmp_path):
    path = filegen.write_ods(tmp_path / "liste.ods", [["Matricule", "Nom"], ["E1", "Durand"]])
    with zipfile.ZipFile(path) as archive:
        content = archive.read("content.xml").decode()
    far = (
        '<table:table-row table:number-rows-repeated="1048000"><table:table-cell '
        'table:number-columns-repeated="1024"/></table:table-row><table:table-row><table:table-cell '
        'office:value-type="string"><text:p> </text:p></table:table-cell></table:table-row></table:table>'
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", "<manifest/>")
        archive.writestr("content.xml", content.replace("</table:table>", far))

    with pytest.raises(ImportFileError) as error:
        read_table(path)

    assert "valeur isolée très loin sous le tableau (ligne 1\u202f048\u202f003)" in error.value.message


def test_it_keeps_formula_like_text_as_text(tmp_path):
    path = filegen.generate_formula_text(tmp_path / "formules.xlsx")

    raw = read_table(path)

    assert raw.rows[1] == ["E1", "=SUM(A1)", "+33 6 12", "-Atelier", "@poste"]


def test_it_refuses_a_text_file_renamed_xlsx(tmp_path):
    path = filegen.generate_fake_xlsx(tmp_path / "export.xlsx")

    with pytest.raises(ImportFileError) as error:
        read_table(path)

    assert error.value.message.startswith(
        "Le fichier « export.xlsx » ne correspond pas à son extension .xlsx : son contenu est du texte"
    )
    assert "renommez-le en .csv" in error.value.message


def test_it_refuses_a_word_document_renamed_xlsx(tmp_path):
    path = tmp_path / "export.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<document/>")

    with pytest.raises(ImportFileError) as error:
        read_table(path)

    assert "n'est pas un classeur XLSX" in error.value.message


def test_it_refuses_a_password_protected_workbook(tmp_path):
    path = filegen.generate_protected_xlsx(tmp_path / "paie.xlsx")

    with pytest.raises(ImportFileError) as error:
        read_table(path)

    assert "classeur protégé par mot de passe : enregistrez-le sans mot de passe" in error.value.message


def test_it_refuses_a_zip_bomb_without_inflating_it(tmp_path):
    path = filegen.generate_zip_bomb(tmp_path / "bombe.xlsx", inflated_bytes=30 * 1024 * 1024)

    with pytest.raises(ImportFileError) as error:
        read_table(path)

    assert error.value.message.startswith(
        "Le fichier « bombe.xlsx » est anormalement compressé (30 Mo tiennent dans"
    )
    assert "refusé par sécurité" in error.value.message


def test_it_refuses_an_archive_beyond_the_uncompressed_limit(tmp_path):
    path = filegen.generate_hr_export(tmp_path / "export.xlsx", n_employees=50)

    with pytest.raises(ImportFileError) as error:
        read_table(path, max_uncompressed_bytes=10_000)

    assert "se décompresse en" in error.value.message
    assert "au-delà de la limite de 10 Ko" in error.value.message


def test_it_refuses_more_rows_than_the_limit(tmp_path):
    path = filegen.generate_hr_export(tmp_path / "export.xlsx", n_employees=30)

    with pytest.raises(ImportFileError) as error:
        read_table(path, max_rows=20)

    assert "contient plus de 20 lignes" in error.value.message
    assert "Découpez-le" in error.value.message


def test_it_refuses_more_rows_than_the_limit_in_a_csv(tmp_path):
    path = filegen.generate_csv_export(tmp_path / "export.csv", n_employees=30)

    with pytest.raises(ImportFileError) as error:
        read_table(path, max_rows=20)

    assert "contient plus de 20 lignes" in error.value.message


def test_it_refuses_a_file_over_the_size_limit(tmp_path):
    path = filegen.generate_csv_export(tmp_path / "export.csv", n_employees=30)

    with pytest.raises(ImportFileError) as error:
        read_table(path, max_bytes=2048)

    size = round(path.stat().st_size / 1024)
    assert error.value.message.startswith(
        f"Le fichier « export.csv » fait {size} Ko, au-delà de la limite de 2 Ko."
    )


def test_it_lists_the_sheets_when_the_sheet_is_unknown(tmp_path):
    path = filegen.write_xlsx(
        tmp_path / "classeur.xlsx",
        [["Matricule"], ["E1"]],
        sheet="Personnel",
        extra_sheets={"Compétences": [["Matricule", "Compétence"]]},
    )

    with pytest.raises(ImportFileError) as error:
        read_table(path, sheet="Salariés")

    assert error.value.message == (
        "La feuille « Salariés » n'existe pas dans « classeur.xlsx ». "
        "Feuilles disponibles : « Personnel », « Compétences »."
    )


def test_it_reads_the_sheet_asked_for(tmp_path):
    path = filegen.write_xlsx(
        tmp_path / "classeur.xlsx",
        [["Matricule"], ["E1"]],
        sheet="Personnel",
        extra_sheets={"Compétences": [["Matricule", "Compétence"], ["E1", "Paie"]]},
    )

    raw = read_table(path, sheet="Compétences")

    assert raw.sheet_names == ("Personnel", "Compétences")
    assert raw.rows == [["Matricule", "Compétence"], ["E1", "Paie"]]


def test_it_reads_the_first_visible_sheet_by_default(tmp_path):
    path = tmp_path / "classeur.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    hidden = workbook.add_worksheet("Paramètres")
    hidden.write_row(0, 0, ["Version", "3.2"])
    shown = workbook.add_worksheet("Personnel")
    shown.write_row(0, 0, ["Matricule", "Nom"])
    shown.activate()
    hidden.hide()
    workbook.close()

    raw = read_table(path)

    assert raw.sheet_name == "Personnel"
    assert raw.rows == [["Matricule", "Nom"]]


def test_it_refuses_an_unsupported_extension(tmp_path):
    path = tmp_path / "export.pdf"
    path.write_bytes(b"%PDF-1.4")

    with pytest.raises(ImportFileError) as error:
        read_table(path)

    assert "n'est pas d'un type accepté" in error.value.message


@pytest.mark.parametrize("dimension", [None, "A1:T10", "A1:T700000"])
def test_it_refuses_too_many_rows_before_calamine_loads_the_sheet(tmp_path, dimension):
    path = filegen.generate_rows_without_dimension(tmp_path / "export.xlsx", 3000, dimension=dimension)

    with pytest.raises(ImportFileError) as error:
        check_zip(path, "xlsx", max_uncompressed_bytes=10**9, max_rows=2000)

    assert error.value.message.startswith("Le fichier « export.xlsx » contient plus de 2\u202f000 lignes")
    with pytest.raises(ImportFileError):
        read_table(path, max_rows=2000)


def test_it_reads_a_sheet_just_under_the_row_limit_written_without_row_numbers(tmp_path):
    path = filegen.generate_rows_without_dimension(tmp_path / "export.xlsx", 2000)

    assert len(read_table(path, max_rows=2000).rows) == 2000


def test_it_does_not_count_formatted_blank_rows_against_the_row_limit(tmp_path):
    path = filegen.generate_styled_blank_rows(tmp_path / "export.xlsx", n_rows=50, n_blank=5000)

    raw = read_table(path, max_rows=100)

    assert raw.rows[-1] == ["E51"]
    assert len(raw.rows) == 51


@pytest.mark.parametrize(
    "start", [b"\xef\xbb\xbf<meta charset='utf-8'>", b"  \n<HTML>", b"<!DOCTYPE html>", b"<table>"]
)
def test_it_says_an_xls_is_a_web_page_and_how_to_save_it_as_xlsx(tmp_path, start):
    path = tmp_path / "export.xls"
    path.write_bytes(start + b"<table><tr><td>Matricule</td></tr></table>")

    with pytest.raises(ImportFileError) as error:
        read_table(path)

    assert error.value.message == (
        "Le fichier « export.xls » n'est pas un vrai classeur : c'est une page web (HTML) enregistrée avec "
        "l'extension .xls, comme en produisent certains logiciels RH. Ouvrez-le dans Excel, puis "
        "Fichier > Enregistrer sous > « Classeur Excel (.xlsx) », et importez ce nouveau fichier."
    )


def test_it_says_the_sheet_is_empty_when_a_workbook_has_no_cell(tmp_path):
    workbook = xlsxwriter.Workbook(tmp_path / "vide.xlsx")
    workbook.add_worksheet("Export")
    workbook.close()

    with pytest.raises(ImportFileError) as error:
        read_table(tmp_path / "vide.xlsx")

    assert error.value.message.startswith("La feuille « Export » du fichier « vide.xlsx » est vide")
