"""Which columns of a staff file are skills, system fields or special-category data (engine, no database)."""

from datetime import date

import pytest

from imports.engine import RawTable, detect_header, non_skill_reason, sensitive_category, validate
from tests.imports.filegen import US_HEADER, make_us_rows


def raw_of(rows: list[list]) -> RawTable:
    return RawTable(sheet_name="Feuil1", sheet_names=("Feuil1",), rows=rows, row_numbers=list(range(1, len(rows) + 1)),
                    file_kind="xlsx")


def decisions_of(header) -> dict[str, tuple[str, str]]:
    return {d.column: (d.decision, d.reason) for d in header.decisions}


def test_it_reads_no_skill_in_a_us_export_of_ids_flags_scores_and_counts():
    header = detect_header(raw_of([US_HEADER, *make_us_rows(30)]))
    assert header.skill_columns == {}
    decisions = decisions_of(header)
    assert decisions["EmpID"] == ("field", "header")
    assert decisions["Termd"] == ("unknown", "flag")
    assert decisions["DeptID"] == ("unknown", "identifier")
    assert decisions["PerfScoreID"] == ("unknown", "identifier")
    assert decisions["EmpSatisfaction"] == ("unknown", "score")
    assert decisions["SpecialProjectsCount"] == ("unknown", "count")
    assert decisions["DaysLateLast30"] == ("unknown", "count")
    for column in ("MarriedID", "MaritalStatusID", "GenderID", "MaritalDesc", "CitizenDesc",
                   "HispanicLatino", "RaceDesc"):
        assert decisions[column] == ("sensitive", "sensitive"), column
        assert column in header.ignored_columns
    # Sex goes to the restricted field (pyramid statistics only), never to a skill.
    assert header.columns[US_HEADER.index("Sex")] == "sex"


def test_it_validates_a_us_export_with_us_dates_and_another_systems_manager_ids():
    raw = raw_of([US_HEADER, *make_us_rows(30)])
    result = validate(raw, detect_header(raw), today=date(2026, 12, 5))
    assert (result.errors, len(result.employees), result.skills) == ([], 30, [])
    assert result.date_formats == {"DOB": "MDY", "DateofHire": "MDY", "DateofTermination": "MDY"}
    # ManagerID numbers nobody of the file: another system's identifiers, not read (and not 30 errors)
    assert ("ManagerID", "unknown", "", "unmatched_managers") in result.decisions
    assert {e.manager_staff_number for e in result.employees} == {None}
    terminated = [e for e in result.employees if e.exit_date]
    assert len(terminated) == 10 and all(e.exit_date > e.hire_date for e in terminated)


def test_it_still_reads_a_manager_column_that_the_user_mapped():
    raw = raw_of([["Matricule", "Nom", "Boss"], ["E1", "Durand", "99"]])
    result = validate(raw, detect_header(raw, mapping={"Boss": "manager_staff_number"}), today=date(2026, 1, 1))
    assert [e.column for e in result.errors] == ["Boss"]


@pytest.mark.parametrize("header", [
    "Ethnie", "Origine ethnique", "Ethnicity", "Race", "RaceDesc", "HispanicLatino", "Etnia",
    "Religion", "Confession", "Religión", "Konfession",
    "Nationalité", "Nationality", "Citizenship", "CitizenDesc", "Staatsangehörigkeit", "Nacionalidad",
    "Pays de naissance",
    "Situation familiale", "État civil", "Marital status", "MaritalDesc", "MarriedID", "Estado civil",
    "Familienstand", "Marié(e)",
    "Santé", "État de santé", "Health", "Medical condition", "Maladie",
    "Handicap", "RQTH", "Disability", "Travailleur handicapé", "Discapacidad",
    "GenderID",
    "Âge", "Age", "Tranche d'âge",
])
def test_it_never_imports_a_special_category_column(header):
    raw = raw_of([["Matricule", "Nom", header], ["E1", "Durand", "1"], ["E2", "Petit", "2"]])
    guess = detect_header(raw)
    assert header in guess.ignored_columns
    assert guess.skill_columns == {}
    assert decisions_of(guess)[header] == ("sensitive", "sensitive")


@pytest.mark.parametrize("header", ["Sexe", "Sex", "Gender", "Genre", "Civilité", "H/F", "Sexo", "Geschlecht"])
def test_it_reads_a_sex_column_only_into_the_restricted_sex_field(header):
    raw = raw_of([["Matricule", "Nom", header], ["E1", "Durand", "F"], ["E2", "Petit", "M"]])
    guess = detect_header(raw)
    assert guess.columns[2] == "sex"
    assert guess.skill_columns == {}
    assert header not in guess.ignored_columns


def test_it_never_imports_a_special_category_column_even_mapped_as_a_skill():
    raw = raw_of([["Matricule", "Nom", "RaceDesc"], ["E1", "Durand", "1"]])
    guess = detect_header(raw, mapping={"RaceDesc": "skill:RaceDesc"})
    assert guess.skill_columns == {} and decisions_of(guess)["RaceDesc"] == ("sensitive", "sensitive")


@pytest.mark.parametrize("header", [
    "Soudure TIG", "Lecture de plans", "Lire un plan technique", "Anglais", "Excel", "CACES R489",
    "Gestion du temps", "Prise de notes", "Relation client", "Santé et sécurité au travail",
    "Accompagner une personne en situation de handicap", "Conduite de chariot élévateur",
])
def test_it_reads_a_skill_named_like_a_skill(header):
    assert non_skill_reason(header) is None
    assert sensitive_category(header) is None
    raw = raw_of([["Matricule", "Nom", header], ["E1", "Durand", "3"], ["E2", "Petit", "2"]])
    guess = detect_header(raw)
    assert guess.skill_columns == {2: header}
    assert decisions_of(guess)[header] == ("skill", "skill_header")


@pytest.mark.parametrize(("header", "reason"), [
    ("DeptID", "identifier"), ("Zip", "identifier"), ("Code postal", "identifier"), ("Nombre de projets", "count"),
    ("Jours d'absence", "count"), ("Année", "date"), ("Note annuelle", "score"), ("Taux de réussite", "score"),
    ("Actif", "flag"), ("IsRemote", "flag"), ("Niveau", "score"), ("2024", "identifier"),
])
def test_it_says_why_a_numbered_column_is_not_a_skill(header, reason):
    assert non_skill_reason(header) == reason
    raw = raw_of([["Matricule", "Nom", header], ["E1", "Durand", "1"], ["E2", "Petit", "0"]])
    guess = detect_header(raw)
    assert guess.skill_columns == {}
    assert header in guess.unknown_columns


def test_it_reads_a_column_named_after_a_known_skill_even_if_its_title_looks_like_a_score():
    raw = raw_of([["Matricule", "Nom", "Performance commerciale"], ["E1", "Durand", "3"]])
    assert detect_header(raw).skill_columns == {}
    known = detect_header(raw, known_skills=frozenset({"performancecommerciale"}))
    assert known.skill_columns == {2: "Performance commerciale"}
    assert decisions_of(known)["Performance commerciale"] == ("skill", "known_skill")


def test_it_reads_a_mapped_column_as_a_skill_whatever_its_title():
    raw = raw_of([["Matricule", "Nom", "Score1"], ["E1", "Durand", "3"]])
    guess = detect_header(raw, mapping={"Score1": "skill:Soudure"})
    assert guess.skill_columns == {2: "Soudure"} and decisions_of(guess)["Score1"] == ("skill", "mapping")


def test_it_rejects_a_staff_number_longer_than_fifty_characters_in_validation():
    raw = raw_of([["Matricule", "Nom"], ["E" * 51, "Durand"], ["E2", "Petit"]])
    result = validate(raw, detect_header(raw), today=date(2026, 1, 1))
    assert [e.staff_number for e in result.employees] == ["E2"]
    assert result.errors[0].message == ("Matricule trop long : 51 caractères, 50 au plus. Vérifiez que la colonne "
                                        "contient bien le matricule.")
