"""validate: every row checked, every error explained in French, valid rows ready to write."""

import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from imports.engine import ImportFileError, RawTable, RowError, SkillCell, detect_header, read_table, validate
from tests.imports import filegen

TODAY = date(2026, 1, 5)
ROOT = Path(__file__).resolve().parents[2]
HEADER = [
    "Matricule",
    "Nom",
    "Prénom",
    "Date de naissance",
    "Date d'entrée",
    "Date de sortie",
    "Service",
    "Poste",
    "Manager",
    "Temps de travail",
    "Email",
    "Code ROME",
]


def table(rows):
    """A RawTable as read from a CSV: row numbers 1, 2, 3..."""
    return RawTable(
        sheet_name="",
        sheet_names=("",),
        rows=[list(r) for r in rows],
        row_numbers=list(range(1, len(rows) + 1)),
        file_kind="csv",
    )


def staff(
    number,
    last="Durand",
    first="Léa",
    birth="12/03/1985",
    hire="01/09/2010",
    exit_=None,
    unit="Atelier",
    job="Menuisier",
    manager=None,
    fte="100 %",
    email=None,
    rome=None,
):
    return [number, last, first, birth, hire, exit_, unit, job, manager, fte, email, rome]


def run(rows, **options):
    raw = table(rows)
    options.setdefault("today", TODAY)
    return validate(raw, detect_header(raw), **options)


def messages(result):
    return [(e.row, e.column, e.value, e.message) for e in result.errors]


def test_it_returns_valid_employees_with_parsed_values(tmp_path):
    result = run(
        [
            HEADER,
            staff(
                "E1",
                last="  DURAND ",
                first="Léa  Marie",
                unit="Atelier  bois",
                fte="80 %",
                email="lea@exemple.fr",
                rome="h2206",
            ),
            staff(
                "E2",
                last="Petit",
                first="Marc",
                unit="ATELIER BOIS",
                manager="E1",
                fte="0,5",
                exit_="31/12/2025",
            ),
        ]
    )

    assert result.errors == []
    assert result.total_rows == 2
    first, second = result.employees
    assert (first.row, first.staff_number, first.last_name, first.first_name, first.full_name) == (
        2,
        "E1",
        "DURAND",
        "Léa Marie",
        "Léa Marie DURAND",
    )
    assert (first.birth_date, first.hire_date, first.exit_date) == (date(1985, 3, 12), date(2010, 9, 1), None)
    assert (first.org_unit, first.job_title, first.fte, first.email, first.rome_code) == (
        "Atelier bois",
        "Menuisier",
        0.8,
        "lea@exemple.fr",
        "H2206",
    )
    assert (second.org_unit, second.manager_staff_number, second.fte, second.exit_date) == (
        "Atelier bois",
        "E1",
        0.5,
        date(2025, 12, 31),
    )


def test_it_says_which_fields_the_file_provides():
    result = run([["Matricule", "Nom", "Prénom", "Service"], ["E1", "Durand", "Léa", "Atelier"]])

    assert result.fields_present == frozenset(
        {"staff_number", "last_name", "first_name", "full_name", "org_unit"}
    )
    assert result.employees[0].email is None


def test_it_reports_a_row_with_only_a_name_as_missing_its_staff_number():
    result = run(
        [["Matricule", "Nom complet", "Service"], ["E1", "Léa Durand", "Atelier"], [None, "Jean Marc Petit"]]
    )

    assert [(e.row, e.column, e.message.split(" :")[0]) for e in result.errors] == [
        (3, "Matricule", "Matricule manquant")
    ]


def test_it_reports_a_missing_staff_number():
    result = run([HEADER, staff("E1"), staff(None), staff("E3")])

    assert messages(result) == [
        (
            3,
            "Matricule",
            "",
            "Matricule manquant : chaque ligne doit porter le matricule "
            "du salarié. Ajoutez-le ou supprimez la ligne.",
        )
    ]
    assert [e.staff_number for e in result.employees] == ["E1", "E3"]
    assert result.invalid_rows == frozenset({3})


def test_it_reports_both_rows_of_a_duplicate_staff_number():
    rows = [HEADER] + [staff(f"E{i:03d}") for i in range(1, 12)] + [staff("E042"), staff("E005")]
    rows[12 - 1] = staff("E042")  # row 12

    result = run(rows)

    assert messages(result) == [
        (
            6,
            "Matricule",
            "E005",
            "Matricule en double : la ligne 14 porte aussi le matricule E005. "
            "Chaque salarié doit avoir un matricule unique.",
        ),
        (
            12,
            "Matricule",
            "E042",
            "Matricule en double : la ligne 13 porte aussi le matricule E042. "
            "Chaque salarié doit avoir un matricule unique.",
        ),
        (
            13,
            "Matricule",
            "E042",
            "Matricule en double : la ligne 12 porte déjà le matricule E042. "
            "Chaque salarié doit avoir un matricule unique.",
        ),
        (
            14,
            "Matricule",
            "E005",
            "Matricule en double : la ligne 6 porte déjà le matricule E005. "
            "Chaque salarié doit avoir un matricule unique.",
        ),
    ]
    assert "E042" not in {e.staff_number for e in result.employees}
    assert result.invalid_rows == frozenset({6, 12, 13, 14})


def test_it_reports_an_impossible_date():
    result = run([HEADER, staff("E1", hire="31/02/2020")])

    assert messages(result) == [
        (
            2,
            "Date d'entrée",
            "31/02/2020",
            "Date impossible : « 31/02/2020 » n'existe pas "
            "(jour ou mois hors limites). Saisissez la date au format JJ/MM/AAAA (par exemple "
            "05/03/2021).",
        )
    ]
    assert result.employees == []


def test_it_reports_a_birth_date_in_the_future():
    result = run([HEADER, staff("E1", birth="12/03/2031", hire=None)])

    assert messages(result) == [
        (
            2,
            "Date de naissance",
            "12/03/2031",
            "Date de naissance dans le futur : 12/03/2031. Vérifiez l'année.",
        )
    ]


def test_it_reports_someone_hired_before_15():
    result = run([HEADER, staff("E1", birth="12/03/2010", hire="01/09/2020")])

    assert messages(result) == [
        (
            2,
            "Date d'entrée",
            "01/09/2020",
            "Embauche avant 15 ans : né(e) le 12/03/2010, "
            "entré(e) le 01/09/2020. Vérifiez la date de naissance et la date d'entrée.",
        )
    ]


def test_it_reports_an_exit_before_the_hire_date():
    result = run([HEADER, staff("E1", hire="01/09/2020", exit_="30/06/2019")])

    assert messages(result) == [
        (
            2,
            "Date de sortie",
            "30/06/2019",
            "Date de sortie antérieure à la date d'entrée (01/09/2020) : vérifiez les deux dates.",
        )
    ]


def test_it_reports_an_unknown_manager_and_accepts_one_already_in_the_organisation():
    result = run(
        [
            HEADER,
            staff("E1", manager="E9"),
            staff("E2", manager="E1"),
            staff("E3", manager="X77"),
            staff("E4", manager="E4"),
        ],
        existing_staff_numbers=frozenset({"E9"}),
    )

    assert messages(result) == [
        (
            4,
            "Manager",
            "X77",
            "Manager inconnu : aucun salarié ne porte le matricule X77, ni dans ce fichier ni dans "
            "l'organisation. Corrigez le matricule du manager ou ajoutez ce salarié au fichier.",
        ),
        (
            5,
            "Manager",
            "E4",
            "Un salarié ne peut pas être son propre manager : laissez la cellule vide ou indiquez "
            "le matricule de son responsable.",
        ),
    ]
    assert [e.staff_number for e in result.employees] == ["E1", "E2"]


def test_it_finds_a_manager_given_by_name_when_the_name_is_unique():
    result = run(
        [
            HEADER,
            staff("E1", last="DURAND", first="Léa"),
            staff("E2", last="Petit", first="Marc", manager="Léa Durand"),
            staff("E3", last="Roux", first="Inès", manager="durand, léa"),
            staff("E4", last="Petit", first="Marc", birth="01/01/1990"),
            staff("E5", last="Morel", first="Zoé", manager="Marc Petit"),
        ]
    )

    assert [(e.staff_number, e.manager_staff_number) for e in result.employees[:3]] == [
        ("E1", None),
        ("E2", "E1"),
        ("E3", "E1"),
    ]
    assert [(e.row, e.value) for e in result.errors] == [(6, "Marc Petit")]
    assert result.errors[0].message.startswith(
        "Manager ambigu : plusieurs salariés du fichier s'appellent Marc Petit"
    )


MANAGER_CHAIN = [
    HEADER,
    staff("E1", birth="31/02/1980"),
    staff("E2", manager="E1"),
    staff("E3", manager="E2"),
    staff("E4"),
]


def test_it_rejects_the_reports_of_a_manager_whose_row_is_rejected_down_the_chain():
    result = run(MANAGER_CHAIN)

    assert messages(result)[1:] == [
        (
            3,
            "Manager",
            "E1",
            "Manager sur une ligne en erreur : le manager E1 n'est pas importé à cause de la ligne 2. "
            "Corrigez cette ligne, ou videz cette cellule pour importer ce salarié sans manager.",
        ),
        (
            4,
            "Manager",
            "E2",
            "Manager sur une ligne en erreur : le manager E2 n'est pas importé à cause de la ligne 3. "
            "Corrigez cette ligne, ou videz cette cellule pour importer ce salarié sans manager.",
        ),
    ]
    assert messages(result)[0][:3] == (2, "Date de naissance", "31/02/1980")
    assert result.invalid_rows == frozenset({2, 3, 4})
    assert [e.staff_number for e in result.employees] == ["E4"]


def test_it_keeps_the_reports_of_a_rejected_manager_already_in_the_organisation():
    result = run(MANAGER_CHAIN, existing_staff_numbers=frozenset({"E1"}))

    assert [(e.row, e.column) for e in result.errors] == [(2, "Date de naissance")]
    assert [(e.staff_number, e.manager_staff_number) for e in result.employees] == [
        ("E2", "E1"),
        ("E3", "E2"),
        ("E4", None),
    ]


def test_it_rejects_the_reports_of_a_manager_rejected_for_a_skill_level_or_a_duplicate():
    result = run(
        [
            ["Matricule", "Nom", "Manager", "Soudure"],
            ["E1", "Durand", None, 9],
            ["E2", "Petit", "E1", 2],
            ["E3", "Roux", None, 1],
            ["E3", "Morel", None, 1],
            ["E5", "Leroy", "E3", 3],
            ["E6", "Simon", "E6b", 3],
            ["E6b", "Girard", "E6", 3],
        ]
    )

    assert [(e.row, e.column, e.message.split(" :")[0]) for e in result.errors] == [
        (2, "Soudure", "Niveau hors échelle"),
        (3, "Manager", "Manager sur une ligne en erreur"),
        (4, "Matricule", "Matricule en double"),
        (5, "Matricule", "Matricule en double"),
        (6, "Manager", "Manager sur une ligne en erreur"),
    ]
    assert "le manager E3 n'est pas importé à cause de la ligne 4" in result.errors[4].message
    assert [e.staff_number for e in result.employees] == ["E6", "E6b"]
    assert {s.staff_number for s in result.skills} == {"E6", "E6b"}


def test_it_rejects_every_row_of_a_report_of_a_rejected_manager_in_the_long_layout():
    result = run(
        [
            ["Matricule", "Date de naissance", "Manager", "Compétence", "Niveau"],
            ["E1", "31/02/1980", None, "Soudure", 2],
            ["E2", "12/03/1985", "E1", "Soudure", 3],
            ["E2", "12/03/1985", "E1", "Paie", 1],
        ]
    )

    assert [(e.row, e.column, e.message.split(" :")[0]) for e in result.errors] == [
        (2, "Date de naissance", "Date impossible"),
        (3, "Manager", "Manager sur une ligne en erreur"),
        (4, "Matricule", "Ligne non importée"),
    ]
    assert (result.employees, result.skills) == ([], [])


def test_it_reports_bad_fte_email_and_rome_code():
    result = run([HEADER, staff("E1", fte="150 %", email="lea.durand@", rome="Menuisier")])

    assert [(e.column, e.value) for e in result.errors] == [
        ("Temps de travail", "150 %"),
        ("Email", "lea.durand@"),
        ("Code ROME", "Menuisier"),
    ]
    assert result.errors[0].message.startswith("Temps de travail non valide : « 150 % ».")
    assert result.errors[1].message.startswith("Email non valide : « lea.durand@ ».")
    assert result.errors[2].message.startswith("Code ROME non valide : « Menuisier ».")


def test_it_refuses_rows_of_one_job_that_give_another_rome_code_than_the_others():
    result = run(
        [
            HEADER,
            staff("E1", job="Menuisier", rome="H2206"),
            staff("E2", job="menuisier ", rome="h2206"),
            staff("E3", job="Menuisier", rome="F1607"),
            staff("E4", job="Soudeur", rome="H2913"),
            staff("E5", job="Menuisier"),
        ]
    )

    assert messages(result) == [
        (
            4,
            "Code ROME",
            "F1607",
            "Code ROME « F1607 » différent de celui des autres lignes de l'emploi « Menuisier » (H2206). "
            "Un emploi n'a qu'un code ROME : corrigez la ligne ou changez l'intitulé du poste.",
        )
    ]
    assert [e.staff_number for e in result.employees] == ["E1", "E2", "E4", "E5"]


def test_it_does_not_count_an_unreadable_rome_code_among_the_codes_of_a_job():
    result = run(
        [
            HEADER,
            staff("E1", job="Comptable", rome="M 1203x"),
            staff("E2", job="Comptable", rome="M 1203x"),
            staff("E3", job="Comptable", rome="M1203"),
        ]
    )

    assert [(e.row, e.value) for e in result.errors] == [(2, "M 1203x"), (3, "M 1203x")]
    assert all(e.message.startswith("Code ROME non valide") for e in result.errors)
    assert [e.staff_number for e in result.employees] == ["E3"]


def test_it_refuses_rows_whose_skill_names_sensitive_data_in_the_long_layout():
    result = run(
        [
            ["Matricule", "Nom", "Compétence", "Niveau"],
            ["E1", "Durand", "Soudure", 3],
            ["E2", "Petit", "Soudure", 2],
            ["E2", "Petit", "RQTH", 1],
        ]
    )

    assert messages(result) == [
        (
            4,
            "Compétence",
            "RQTH",
            "« RQTH » désigne une donnée personnelle sensible (handicap, santé, sexe, âge…), pas une compétence : "
            "elle n'est jamais importée. Supprimez ces lignes du fichier.",
        )
    ]
    assert [(c.staff_number, c.skill_label) for c in result.skills] == [("E1", "Soudure"), ("E2", "Soudure")]


def test_it_refuses_a_rome_code_column_without_a_job_title_column():
    header = [h for h in HEADER if h != "Poste"]
    row = staff("E1", rome="H2206")
    del row[HEADER.index("Poste")]

    with pytest.raises(ImportFileError) as refused:
        run([header, row])

    assert str(refused.value) == (
        "La colonne « Code ROME » (code ROME) ne peut pas être importée : le fichier n'a pas de colonne "
        "d'intitulé de poste, et un code ROME se rattache à un emploi. Ajoutez la colonne « Intitulé du poste » "
        "(ou associez-la dans l'aperçu), ou ignorez la colonne du code ROME, puis relancez l'import."
    )


def test_it_lists_every_error_of_every_row_in_order():
    result = run(
        [
            HEADER,
            staff("E1", birth="30/02/1990", fte="abc"),
            staff("E2"),
            staff(None, hire="pas encore", email="x"),
        ]
    )

    assert [(e.row, e.column) for e in result.errors] == [
        (2, "Date de naissance"),
        (2, "Temps de travail"),
        (4, "Matricule"),
        (4, "Date d'entrée"),
        (4, "Email"),
    ]
    assert result.invalid_rows == frozenset({2, 4})
    assert [e.staff_number for e in result.employees] == ["E2"]


def test_it_raises_when_there_is_no_staff_number_column():
    raw = table([["Nom", "Prénom", "Service"], ["Durand", "Léa", "Atelier"]])

    with pytest.raises(ImportFileError) as error:
        validate(raw, detect_header(raw), today=TODAY)

    assert error.value.message.startswith("Colonne « Matricule » introuvable")


def test_it_resolves_two_digit_us_years_so_nobody_is_born_in_the_future_or_hired_before_15(tmp_path):
    raw = read_table(filegen.generate_us_dates_csv(tmp_path / "hr.csv"))

    result = validate(raw, detect_header(raw), today=TODAY)

    assert result.errors == []
    assert result.date_formats == {"DOB": "MDY", "DateofHire": "MDY"}
    assert [(e.full_name, e.birth_date, e.hire_date, e.fte) for e in result.employees] == [
        ("John Smith", date(1983, 7, 10), date(2011, 7, 5), 1.0),
        ("Maria Garcia", date(1992, 11, 24), date(2017, 1, 9), 0.8),
        ("Anna Lee", date(2005, 2, 28), date(2023, 9, 1), 1.0),
        ("Tom Brown", date(1999, 12, 31), date(2020, 3, 15), 0.5),
    ]


def test_it_moves_a_two_digit_birth_year_back_a_century_when_20yy_means_hired_before_15():
    result = run([["Matricule", "Date de naissance", "Date d'entrée"], ["E1", "03/04/10", "01/09/2024"]])

    assert result.errors == []
    assert result.employees[0].birth_date == date(1910, 4, 3)


def test_it_reads_wide_skill_columns(tmp_path):
    path = filegen.generate_wide_skills(
        tmp_path / "wide.xlsx", n_employees=3, skills=("Soudure", "Paie"), levels=[0, "Confirmé", "B", None]
    )

    raw = read_table(path)
    result = validate(raw, detect_header(raw), today=TODAY)

    assert result.errors == []
    assert result.skill_labels == ("Soudure", "Paie")
    assert sorted(result.skills) == sorted(
        [
            SkillCell(6, "E00001", "Soudure", 0, None),
            SkillCell(6, "E00001", "Paie", 3, None),
            SkillCell(7, "E00002", "Soudure", 3, None),
            SkillCell(7, "E00002", "Paie", 3, None),
            SkillCell(8, "E00003", "Soudure", 3, None),
        ]
    )
    assert result.total_rows == 3


def test_it_dates_wide_skill_levels_with_an_assessment_date_column():
    result = run(
        [
            ["Matricule", "Nom", "Date d'évaluation", "Soudure", "Paie"],
            ["E1", "Durand", "15/06/25", 3, None],
            ["E2", "Petit", "15/06/99", 1, "expert"],
            ["E3", "Roux", None, 2, 0],
        ]
    )

    assert result.errors == []
    assert sorted(result.skills) == [
        SkillCell(2, "E1", "Soudure", 3, date(2025, 6, 15)),
        SkillCell(3, "E2", "Paie", 4, date(1999, 6, 15)),
        SkillCell(3, "E2", "Soudure", 1, date(1999, 6, 15)),
        SkillCell(4, "E3", "Paie", 0, None),
        SkillCell(4, "E3", "Soudure", 2, None),
    ]


def test_it_keeps_the_first_of_two_columns_for_the_same_skill():
    raw = table([["Matricule", "Nom", "Soudure", "SOUDURE"], ["E1", "Durand", 3, 1]])

    header = detect_header(raw)
    result = validate(raw, header, today=TODAY)

    assert [(d.column, d.kept) for d in result.duplicate_columns] == [("SOUDURE (2)", "Soudure")]
    assert result.duplicate_columns[0].message.startswith(
        "Colonne « SOUDURE (2) » non importée : la colonne « Soudure » fournit déjà la compétence « Soudure »."
    )
    assert result.skills == [SkillCell(2, "E1", "Soudure", 3, None)]


def test_it_reads_a_one_to_five_scale_for_the_whole_file():
    result = run(
        [
            ["Matricule", "Nom", "Soudure", "Paie"],
            ["E1", "Durand", 5, 1],
            ["E2", "Petit", 2, 4],
        ]
    )

    assert result.level_scales == {"Soudure": "1-5", "Paie": "1-5"}
    assert sorted((s.staff_number, s.skill_label, s.level) for s in result.skills) == [
        ("E1", "Paie", 0),
        ("E1", "Soudure", 4),
        ("E2", "Paie", 3),
        ("E2", "Soudure", 1),
    ]


def test_it_reports_levels_out_of_scale_and_unrecognised():
    result = run(
        [
            ["Matricule", "Nom", "Soudure", "Paie"],
            ["E1", "Durand", 3, 9],
            ["E2", "Petit", "super fort", 2],
            ["E3", "Roux", 1, 2],
        ]
    )

    assert [(e.row, e.column, e.value) for e in result.errors] == [
        (2, "Paie", "9"),
        (3, "Soudure", "super fort"),
    ]
    assert result.errors[0].message.startswith("Niveau hors échelle : « 9 ». L'échelle va de 0 à 4")
    assert [e.staff_number for e in result.employees] == ["E3"]
    assert {s.staff_number for s in result.skills} == {"E3"}


ONE_TO_FIVE_WITHOUT_A_FIVE = [
    ["Matricule", "Nom", "Soudure", "Paie"],
    ["E1", "Durand", 1, 4],
    ["E2", "Petit", 2, 3],
]


def test_it_reads_a_one_to_five_file_without_a_five_as_zero_to_four_unless_told():
    guessed = run(ONE_TO_FIVE_WITHOUT_A_FIVE)
    told = run(ONE_TO_FIVE_WITHOUT_A_FIVE, level_scale="1-5")

    assert guessed.level_scales == {"Soudure": "0-4", "Paie": "0-4"}
    assert sorted((s.staff_number, s.skill_label, s.level) for s in guessed.skills) == [
        ("E1", "Paie", 4),
        ("E1", "Soudure", 1),
        ("E2", "Paie", 3),
        ("E2", "Soudure", 2),
    ]
    assert told.level_scales == {"Soudure": "1-5", "Paie": "1-5"}
    assert sorted((s.staff_number, s.skill_label, s.level) for s in told.skills) == [
        ("E1", "Paie", 3),
        ("E1", "Soudure", 0),
        ("E2", "Paie", 2),
        ("E2", "Soudure", 1),
    ]


def test_it_reads_levels_on_the_scale_told_even_when_the_file_suggests_another():
    result = run(
        [["Matricule", "Nom", "Compétence", "Niveau"], ["E1", "Durand", "Soudure", 5], ["E2", "Petit", "Paie", 1]],
        level_scale="0-4",
    )

    assert result.level_scales == {"Niveau": "0-4"}
    assert [(e.row, e.column, e.value) for e in result.errors] == [(2, "Niveau", "5")]
    assert result.errors[0].message.startswith("Niveau hors échelle : « 5 ». L'échelle va de 0 à 4")
    assert result.skills == [SkillCell(3, "E2", "Paie", 1, None)]


def test_it_reads_the_levels_of_a_one_to_ten_scale_told_as_shifted():
    result = run(
        [["Matricule", "Compétence", "Niveau"], ["E1", "Soudure", 1], ["E2", "Soudure", 10], ["E3", "Paie", 11]],
        scale_max=10,
        level_scale="1-5",
    )

    assert result.errors == []
    assert [(s.staff_number, s.level) for s in result.skills] == [("E1", 0), ("E2", 9), ("E3", 10)]


US_DATES = [
    ["Matricule", "Date de naissance", "Date d'entrée", "Date de sortie"],
    ["E1", "03/05/1985", "2010-09-01", None],
    ["E2", "01/02/1990", 40179, "12/01/2025"],
    ["E3", "12/11/1970", "2015-06-30", None],
]


def test_it_reads_ambiguous_text_dates_month_first_when_told():
    guessed = run(US_DATES)
    told = run(US_DATES, date_order="MDY")

    assert guessed.date_formats == {"Date de naissance": "DMY", "Date d'entrée": "YMD", "Date de sortie": "DMY"}
    assert [(e.birth_date, e.exit_date) for e in guessed.employees] == [
        (date(1985, 5, 3), None),
        (date(1990, 2, 1), date(2025, 1, 12)),
        (date(1970, 11, 12), None),
    ]
    assert told.errors == []
    assert told.date_formats == {"Date de naissance": "MDY", "Date d'entrée": "YMD", "Date de sortie": "MDY"}
    assert [(e.birth_date, e.hire_date, e.exit_date) for e in told.employees] == [
        (date(1985, 3, 5), date(2010, 9, 1), None),
        (date(1990, 1, 2), date(2010, 1, 1), date(2025, 12, 1)),
        (date(1970, 12, 11), date(2015, 6, 30), None),
    ]


def test_it_reads_text_dates_day_first_when_told_and_reports_a_date_impossible_that_way():
    # one typo (05/25/2020) would make the automatic reading take the whole column month-first
    rows = [["Matricule", "Date d'entrée"], ["E1", "03/05/2021"], ["E2", "05/25/2020"]]

    guessed = run(rows)
    told = run(rows, date_order="DMY")

    assert guessed.date_formats == {"Date d'entrée": "MDY"}
    assert told.date_formats == {"Date d'entrée": "DMY"}
    assert [(e.staff_number, e.hire_date) for e in told.employees] == [("E1", date(2021, 5, 3))]
    assert [(e.row, e.column, e.value) for e in told.errors] == [(3, "Date d'entrée", "05/25/2020")]
    assert told.errors[0].message.startswith("Date impossible : « 05/25/2020 » n'existe pas")


@pytest.mark.parametrize(
    ("option", "value"), [("level_scale", "1-10"), ("level_scale", ""), ("date_order", "YMD"), ("date_order", "mdy")]
)
def test_it_refuses_an_unknown_scale_or_date_order(option, value):
    with pytest.raises(ValueError, match=option):
        run([HEADER, staff("E1")], **{option: value})


def test_it_reads_the_long_layout_without_calling_repeated_staff_numbers_duplicates(tmp_path):
    raw = read_table(
        filegen.generate_long_skills(
            tmp_path / "long.xlsx", n_employees=2, skills=("Soudure", "Paie", "Accueil")
        )
    )

    result = validate(raw, detect_header(raw), today=TODAY)

    assert result.errors == []
    assert [(e.row, e.staff_number, e.full_name) for e in result.employees] == [
        (2, "E00001", "Alain DAVID"),
        (5, "E00002", "Marie ROBERT"),
    ]
    assert result.skills[:3] == [
        SkillCell(2, "E00001", "Soudure", 1, date(2025, 6, 1)),
        SkillCell(3, "E00001", "Paie", 2, date(2025, 6, 2)),
        SkillCell(4, "E00001", "Accueil", 3, date(2025, 6, 3)),
    ]
    assert len(result.skills) == 6
    assert result.skill_labels == ("Soudure", "Paie", "Accueil")
    assert {"skill", "level", "assessed_on"} <= result.fields_present


def test_it_reports_skill_problems_in_the_long_layout_and_rejects_the_rows_of_a_rejected_employee():
    result = run(
        [
            ["Matricule", "Nom", "Date de naissance", "Compétence", "Niveau"],
            ["E1", "Durand", "12/03/1985", "Soudure", "Expert"],
            ["E1", "Durand", "12/03/1985", "soudure", "Débutant"],
            ["E1", "Durand", "12/03/1985", "Paie", None],
            ["E2", "Petit", "31/02/1990", "Soudure", 2],
            ["E2", "Petit", "31/02/1990", "Paie", 3],
            ["E3", "Roux", "01/01/1970", None, None],
        ]
    )

    assert [(e.row, e.column, e.message.split(" :")[0]) for e in result.errors] == [
        (3, "Compétence", "Compétence en double"),
        (4, "Niveau", "Niveau manquant pour la compétence « Paie »"),
        (5, "Date de naissance", "Date impossible"),
        (6, "Matricule", "Ligne non importée"),
    ]
    assert result.errors[0].message == (
        "Compétence en double : la ligne 2 donne déjà un niveau pour « Soudure » "
        "au matricule E1. Gardez une seule ligne."
    )
    assert result.errors[3].message == (
        "Ligne non importée : le salarié E2 est rejeté à cause de la ligne 5. "
        "Corrigez cette ligne pour importer ses compétences."
    )
    assert [e.staff_number for e in result.employees] == ["E1", "E3"]
    assert result.skills == [SkillCell(2, "E1", "Soudure", 4, None)]


def test_it_skips_titles_blank_rows_and_footers_and_uses_excel_row_numbers(tmp_path):
    rows = [filegen.STAFF_HEADER, *filegen.make_employees(3)]
    rows[2][9] = "E999"  # unknown manager on the second employee (Excel row 7)
    path = filegen.write_xlsx(tmp_path / "export.xlsx", filegen.with_title_and_footer(rows), ghost_rows=True)

    raw = read_table(path)
    result = validate(raw, detect_header(raw), today=TODAY)

    assert result.total_rows == 3
    assert [(e.row, e.column, e.value) for e in result.errors] == [(7, "Matricule du manager", "E999")]
    assert result.invalid_rows == frozenset({7})


def test_it_keeps_formula_like_text_as_plain_text(tmp_path):
    raw = read_table(filegen.generate_formula_text(tmp_path / "formules.xlsx"))

    result = validate(raw, detect_header(raw), today=TODAY)

    first, second = result.employees
    assert (first.last_name, first.first_name, first.org_unit, first.job_title) == (
        "=SUM(A1)",
        "+33 6 12",
        "-Atelier",
        "@poste",
    )
    assert second.org_unit == '=HYPERLINK("http://x")'


def test_it_returns_errors_as_plain_tuples_the_report_can_use():
    result = run([HEADER, staff("E1", email="pas-un-email")])

    assert result.errors == [RowError(2, "Email", "pas-un-email", result.errors[0].message)]
    assert not result.is_valid


def test_it_reads_and_validates_5000_employees_with_20_skill_columns_quickly(tmp_path):
    path = filegen.generate_large_export(tmp_path / "export.xlsx", n_employees=5000, n_skill_columns=20)

    started = time.process_time()
    raw = read_table(path)
    result = validate(raw, detect_header(raw), today=TODAY)
    cpu = time.process_time() - started

    assert (len(result.employees), result.errors) == (5000, [])
    assert len(result.skills) > 5000 * 20 * 0.8
    assert cpu < 2.5


def test_it_runs_without_django():
    code = (
        "import sys; import imports.engine; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'django', 'ninja', 'celery'}))"
    )

    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout

    assert output.strip() == "[]"


def test_it_maps_apart_two_columns_with_the_same_header_text():
    raw = table(
        [
            ["Matricule", "Nom", "Prénom", "Code", "Libellé", "Code", "Libellé"],
            ["E1", "Durand", "Léa", "S1", "Atelier", "P1", "Soudeur"],
        ]
    )

    header = detect_header(raw, mapping={"Libellé": "org_unit", "Libellé (2)": "job_title"})
    result = validate(raw, header, today=TODAY)

    assert header.headers == ("Matricule", "Nom", "Prénom", "Code", "Libellé", "Code (2)", "Libellé (2)")
    assert [(e.org_unit, e.job_title) for e in result.employees] == [("Atelier", "Soudeur")]
    assert result.errors == []


def test_it_refuses_a_staff_number_whose_leading_zeros_excel_removed():
    result = run(
        [HEADER, staff("123"), staff("00456"), staff("789")],
        existing_staff_numbers=frozenset({"00123", "456", "0789X"}),
    )

    assert [(e.row, e.value, e.message) for e in result.errors] == [
        (
            2,
            "123",
            "Matricule 123 inconnu, mais 00123 existe déjà : Excel a peut-être supprimé les zéros en tête. "
            "Formatez la colonne Matricule en texte et rétablissez les zéros, ou corrigez le matricule.",
        ),
        (
            3,
            "00456",
            "Matricule 00456 inconnu, mais 456 existe déjà : les zéros en tête ont peut-être été supprimés lors "
            "d'un import précédent. Corrigez le matricule dans le fichier, ou celui du salarié 456 dans "
            "l'organisation.",
        ),
    ]
    assert [e.staff_number for e in result.employees] == ["789"]


def test_it_finds_a_manager_given_first_name_first_when_the_file_has_one_name_column():
    raw = table(
        [
            ["Matricule", "Nom, Prénom", "Manager"],
            ["E1", "DURAND, Léa", None],
            ["E2", "PETIT, Marc", "Léa Durand"],
            ["E3", "ROUX, Inès", "Durand Léa"],
            ["E4", "MOREL, Zoé", "Paul Martin"],
        ]
    )

    result = validate(raw, detect_header(raw), today=TODAY)

    assert [(e.staff_number, e.manager_staff_number) for e in result.employees] == [
        ("E1", None),
        ("E2", "E1"),
        ("E3", "E1"),
    ]
    assert [(e.row, e.message) for e in result.errors] == [
        (
            5,
            "Manager inconnu : Paul Martin n'est ni un matricule ni le nom d'un salarié de ce fichier. "
            "Indiquez le matricule du manager, ou son nom tel qu'il est écrit dans les colonnes de nom.",
        )
    ]
