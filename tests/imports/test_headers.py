"""detect_header: where the header is, what each column means, what is not data."""

import pytest

from imports.engine import ImportFileError, RawTable, detect_header, normalize_header, read_table
from tests.imports import filegen


def table(rows, first_row=1):
    """A RawTable as read from a CSV whose rows start at `first_row`."""
    return RawTable(
        sheet_name="",
        sheet_names=("",),
        rows=[list(r) for r in rows],
        row_numbers=list(range(first_row, first_row + len(rows))),
        file_kind="csv",
    )


def test_it_finds_the_header_below_titles_and_a_company_name(tmp_path):
    raw = read_table(filegen.generate_hr_export(tmp_path / "export.xlsx", n_employees=4))

    header = detect_header(raw)

    assert header.header_row == 5
    assert header.headers[:3] == ("Matricule", "Nom", "Prénom")
    assert list(header.columns.values()) == [
        "staff_number",
        "last_name",
        "first_name",
        "email",
        "birth_date",
        "hire_date",
        "exit_date",
        "org_unit",
        "job_title",
        "manager_staff_number",
        "fte",
        "rome_code",
    ]
    assert header.unknown_columns == ()
    assert header.missing_fields == ()
    assert not header.long_layout


def test_it_marks_footer_lines_as_not_data(tmp_path):
    raw = read_table(filegen.generate_hr_export(tmp_path / "export.xlsx", n_employees=4))

    header = detect_header(raw)

    footers = sorted(raw.row_numbers[i] for i in header.footer_indexes)
    assert footers == [11, 12]
    assert [raw.rows[i][0] for i in sorted(header.footer_indexes)] == [
        "Total : 4 salariés",
        "Nombre de salariés",
    ]


def test_it_treats_totals_notes_and_a_repeated_header_as_not_data():
    raw = table(
        [
            ["Matricule", "Nom", "Prénom", "Service"],
            ["E1", "Durand", "Léa", "Atelier"],
            ["Matricule", "Nom", "Prénom", "Service"],
            ["E2", "Petit", "Marc", "Atelier"],
            ["E3"],
            ["Effectif total", 3],
            [None, None, "1 470 salariés"],
            ["Édité le 05/01/2026 par le SIRH"],
        ]
    )

    header = detect_header(raw)

    assert sorted(header.footer_indexes) == [2, 5, 6, 7]


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("Matricule", "staff_number"),
        ("N° matricule", "staff_number"),
        ("ID salarié", "staff_number"),
        ("EmpID", "staff_number"),
        ("Employee Number", "staff_number"),
        ("  MATRICULE ", "staff_number"),
        ("Nom", "last_name"),
        ("Prénom", "first_name"),
        ("Nom, Prénom", "full_name"),
        ("Prénom Nom", "full_name"),
        ("Employee Name", "full_name"),
        ("Date de naissance", "birth_date"),
        ("DOB", "birth_date"),
        ("date_de_naissance", "birth_date"),
        ("Date d'entrée", "hire_date"),
        ("Date d’embauche", "hire_date"),
        ("DateofHire", "hire_date"),
        ("Date de sortie", "exit_date"),
        ("Service", "org_unit"),
        ("Direction", "org_unit"),
        ("Département", "org_unit"),
        ("Department", "org_unit"),
        ("Poste", "job_title"),
        ("Intitulé du poste", "job_title"),
        ("Emploi", "job_title"),
        ("Position", "job_title"),
        ("Job Role", "job_title"),
        ("Temps de travail", "fte"),
        ("Quotité", "fte"),
        ("FTE", "fte"),
        ("Manager", "manager_staff_number"),
        ("Matricule du manager", "manager_staff_number"),
        ("Code ROME", "rome_code"),
        ("E-mail", "email"),
        ("Courriel", "email"),
    ],
)
def test_it_recognises_french_and_english_header_variants(text, field):
    raw = table(
        [["Nom de l'entreprise"], [text, "Matricule" if field != "staff_number" else "Nom"], ["x", "y"]]
    )

    header = detect_header(raw)

    assert header.columns[0] == field


def test_it_normalises_case_accents_spaces_and_punctuation():
    assert normalize_header("  N° Matricule ") == "nmatricule"
    assert normalize_header("DATE D'ENTRÉE") == normalize_header("date_d_entree") == "datedentree"
    assert normalize_header(None) == ""


def test_it_recognises_a_long_skill_layout(tmp_path):
    raw = read_table(filegen.generate_long_skills(tmp_path / "competences.xlsx"))

    header = detect_header(raw)

    assert header.long_layout
    assert header.columns == {
        0: "staff_number",
        1: "last_name",
        2: "first_name",
        3: "skill",
        4: "level",
        5: "assessed_on",
    }
    assert header.skill_columns == {}


def test_it_finds_skill_columns_in_the_wide_layout_from_their_values():
    raw = table(
        [
            ["Matricule", "Nom", "Soudure", "Anglais", "Paie", "Commentaire", "Téléphone"],
            ["E1", "Durand", 3, "Confirmé", "B", "RAS", "06 12 34 56 78"],
            ["E2", "Petit", 1, "débutant", None, "Arrivé en mars", "06 98 76 54 32"],
            ["E3", "Roux", None, "Expert", "A", None, None],
        ]
    )

    header = detect_header(raw)

    assert header.skill_columns == {2: "Soudure", 3: "Anglais", 4: "Paie"}
    assert header.unknown_columns == ("Commentaire", "Téléphone")
    assert not header.long_layout


def test_it_never_takes_sensitive_columns_as_skills():
    raw = table(
        [
            ["Matricule", "Nom", "Sexe", "RQTH", "Âge", "Catégorie", "Soudure"],
            ["E1", "Durand", "F", "Oui", 45, "B", 3],
            ["E2", "Petit", "M", "Non", 31, "C", 2],
        ]
    )

    header = detect_header(raw)

    assert header.ignored_columns == ("RQTH", "Âge", "Catégorie")
    assert header.columns[2] == "sex"  # restricted field, never a skill
    assert header.skill_columns == {6: "Soudure"}


def test_it_never_takes_variants_of_sensitive_headers_as_skills_even_when_mapped():
    headers = ["Matricule", "RQTH (oui/non)", "Handicap reconnu", "Taux d'incapacité", "Sexe (H/F)",
               "Date RQTH", "Restrictions médicales", "Aptitude médicale", "Soudure",
               "Accompagnement des personnes handicapées"]
    raw = table([headers, ["E1", 1, 2, 3, 1, 2, 3, 4, 3, 2], ["E2", 0, 1, 2, 2, 3, 1, 0, 2, 3]])

    header = detect_header(raw, mapping={"Aptitude médicale": "skill:Aptitude", "Soudure": "skill:Soudure"})

    assert header.ignored_columns == tuple(headers[1:4] + headers[5:8])
    assert header.columns[4] == "sex"
    assert header.skill_columns == {8: "Soudure", 9: "Accompagnement des personnes handicapées"}


def test_it_applies_an_explicit_mapping_over_recognition():
    raw = table(
        [
            ["Code agent", "Nom", "Service", "Excel", "Section"],
            ["A1", "Durand", "Atelier", 3, "Bois"],
        ]
    )

    header = detect_header(
        raw,
        mapping={
            "code agent": "staff_number",
            "EXCEL": "skill:Tableur",
            "Service": "ignore",
            "Section": "org_unit",
        },
    )

    assert header.columns == {0: "staff_number", 1: "last_name", 4: "org_unit"}
    assert header.skill_columns == {3: "Tableur"}
    assert header.ignored_columns == ("Service",)


def test_it_refuses_a_mapping_to_an_unknown_field():
    raw = table([["Matricule", "Nom"], ["E1", "Durand"]])

    with pytest.raises(ValueError):
        detect_header(raw, mapping={"Nom": "surname"})


def test_it_reports_a_missing_staff_number_column():
    raw = table([["Nom", "Prénom", "Service"], ["Durand", "Léa", "Atelier"]])

    header = detect_header(raw)

    assert header.missing_fields == ("staff_number",)


def test_it_refuses_a_sheet_without_a_header_row():
    raw = table([["Durand", "Léa", "Atelier"], ["Petit", "Marc", "Atelier"]])

    with pytest.raises(ImportFileError) as error:
        detect_header(raw)

    assert error.value.message.startswith(
        "Ligne d'en-tête introuvable : aucune des premières lignes ne contient"
    )


def test_it_lists_unknown_columns_without_failing():
    raw = table([["Matricule", "Nom", "Badge", "Casier"], ["E1", "Durand", "X-12", "Vestiaire nord"]])

    header = detect_header(raw)

    assert header.unknown_columns == ("Badge", "Casier")


def test_it_reads_an_english_export(tmp_path):
    raw = read_table(filegen.generate_us_dates_csv(tmp_path / "hr.csv"))

    header = detect_header(raw)

    assert header.columns == {
        0: "staff_number",
        1: "full_name",
        2: "birth_date",
        3: "hire_date",
        4: "org_unit",
        5: "job_title",
        6: "fte",
    }


def test_it_numbers_a_repeated_header_text_and_still_recognises_the_first():
    raw = table(
        [
            ["Matricule", "Service", "Code", "SERVICE", "Code", "Code (2)"],
            ["E1", "Paie", "S1", "RH", "P1", "x"],
        ]
    )

    header = detect_header(raw)

    assert header.headers == ("Matricule", "Service", "Code", "SERVICE (2)", "Code (3)", "Code (2)")
    assert header.columns == {0: "staff_number", 1: "org_unit"}


def test_it_reports_a_second_column_for_the_same_field_with_the_reason():
    raw = table(
        [
            ["Matricule", "Nom", "Last name", "Service", "Département"],
            ["E1", "Durand", "Durand", "Paie", "RH"],
        ]
    )

    header = detect_header(raw)

    assert header.columns == {0: "staff_number", 1: "last_name", 3: "org_unit"}
    assert [(d.column, d.kept, d.field) for d in header.duplicate_columns] == [
        ("Last name", "Nom", "last_name"),
        ("Département", "Service", "org_unit"),
    ]
    assert header.duplicate_columns[1].message == (
        "Colonne « Département » non importée : la colonne « Service » fournit déjà le champ « Service ». "
        "Supprimez la colonne en trop, ou choisissez dans la correspondance des colonnes laquelle importer."
    )
    assert header.ignored_columns == ()
