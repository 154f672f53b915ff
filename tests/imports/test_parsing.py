"""Cell parsing, decided per column: dates, FTE, levels, text, codes."""

from datetime import date, datetime

import pytest

from imports.engine import safe_cell_text
from imports.engine.levels import detect_scale, level_lookup, looks_like_level
from imports.engine.parsing import (
    canonical_lookup,
    date_lookup,
    email_lookup,
    fte_lookup,
    rome_lookup,
    split_full_name,
    text_lookup,
)
from imports.engine.types import CellError


def test_it_reads_a_french_day_first_column():
    lookup, kind, two_digit = date_lookup(["05/03/2021", "25/12/1980", "01.02.2003", None])

    assert kind == "DMY"
    assert lookup["05/03/2021"] == date(2021, 3, 5)
    assert lookup["25/12/1980"] == date(1980, 12, 25)
    assert lookup["01.02.2003"] == date(2003, 2, 1)
    assert lookup[None] is None
    assert two_digit == frozenset()


def test_it_reads_a_column_as_month_first_when_a_second_part_exceeds_12():
    lookup, kind, _ = date_lookup(["03/05/2021", "12/31/1999"])

    assert kind == "MDY"
    assert lookup["03/05/2021"] == date(2021, 3, 5)
    assert lookup["12/31/1999"] == date(1999, 12, 31)


def test_it_reads_an_ambiguous_column_day_first():
    lookup, kind, _ = date_lookup(["03/05/2021", "01/02/2020"])

    assert kind == "DMY"
    assert lookup["03/05/2021"] == date(2021, 5, 3)


def test_it_reads_text_dates_in_the_order_it_is_told_but_not_iso_dates_or_serials():
    lookup, kind, _ = date_lookup(["03/05/2021", "25/01/2021", "2021-03-05", 44260], order="MDY")

    assert kind == "MDY"
    assert lookup["03/05/2021"] == date(2021, 3, 5)
    assert lookup["25/01/2021"].startswith("Date impossible : « 25/01/2021 »")
    assert (lookup["2021-03-05"], lookup[44260]) == (date(2021, 3, 5), date(2021, 3, 5))


def test_it_keeps_day_first_when_parts_exceed_12_on_both_sides():
    lookup, kind, _ = date_lookup(["25/01/2021", "01/25/2021"])

    assert kind == "DMY"
    assert lookup["25/01/2021"] == date(2021, 1, 25)
    assert lookup["01/25/2021"] == (
        "Date impossible : « 01/25/2021 » n'existe pas (jour ou mois hors limites). "
        "Saisissez la date au format JJ/MM/AAAA (par exemple 05/03/2021)."
    )


def test_it_reads_iso_dates_date_cells_and_excel_serials_in_one_column():
    lookup, _, _ = date_lookup(
        [
            "2021-03-05",
            "2021-03-05T00:00:00",
            datetime(2020, 1, 2, 0, 0),
            date(2019, 4, 5),
            44197,
            44197.0,
            "44197",
            "20210305",
        ]
    )

    assert lookup["2021-03-05"] == date(2021, 3, 5)
    assert lookup["2021-03-05T00:00:00"] == date(2021, 3, 5)
    assert lookup[datetime(2020, 1, 2, 0, 0)] == date(2020, 1, 2)
    assert lookup[date(2019, 4, 5)] == date(2019, 4, 5)
    assert lookup[44197] == date(2021, 1, 1)
    assert lookup["44197"] == date(2021, 1, 1)
    assert lookup["20210305"] == date(2021, 3, 5)


def test_it_reads_two_digit_years_as_2000s_and_flags_them():
    lookup, kind, two_digit = date_lookup(["07/10/83", "11/24/92", "02/28/05"])

    assert kind == "MDY"
    assert lookup["11/24/92"] == date(2092, 11, 24)
    assert two_digit == frozenset({"07/10/83", "11/24/92", "02/28/05"})


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("31/02/2020", "Date impossible : « 31/02/2020 » n'existe pas (jour ou mois hors limites)."),
        ("bientôt", "Date non reconnue : « bientôt »."),
        ("12/2020", "Date non reconnue : « 12/2020 »."),
        (1983, "Date incomplète : « 1983 » ne donne que l'année."),
    ],
)
def test_it_explains_a_date_it_cannot_read(value, message):
    lookup, _, _ = date_lookup([value])

    assert isinstance(lookup[value], CellError)
    assert lookup[value].startswith(message)
    assert lookup[value].endswith("Saisissez la date au format JJ/MM/AAAA (par exemple 05/03/2021).")


@pytest.mark.parametrize(
    ("value", "fte"),
    [
        ("80 %", 0.8),
        ("80%", 0.8),
        ("0,8", 0.8),
        ("0.8", 0.8),
        (0.8, 0.8),
        ("80", 0.8),
        (80, 0.8),
        (1, 1.0),
        ("100 %", 1.0),
        ("1", 1.0),
        ("50,5 %", 0.505),
        (None, None),
        ("  ", None),
    ],
)
def test_it_reads_a_working_time_in_every_usual_form(value, fte):
    assert fte_lookup([value])[value] == fte


@pytest.mark.parametrize("value", ["120 %", "0", "-0,5", "temps plein", "3"])
def test_it_refuses_a_working_time_out_of_range(value):
    message = fte_lookup([value])[value]

    assert message == (
        f"Temps de travail non valide : « {value} ». Indiquez une quotité entre 1 % et 100 % "
        "(par exemple 80 %, 0,8 ou 100 %)."
    )


@pytest.mark.parametrize(
    ("value", "level"),
    [
        (0, 0),
        (3, 3),
        (4.0, 4),
        ("2", 2),
        ("aucun", 0),
        ("Non acquis", 0),
        ("débutant", 1),
        ("En cours d'acquisition", 1),
        ("Intermédiaire", 2),
        ("acquis", 3),
        ("CONFIRMÉ", 3),
        ("Expert", 4),
        ("none", 0),
        ("beginner", 1),
        ("intermediate", 2),
        ("advanced", 3),
        ("expert", 4),
        ("A", 4),
        ("b", 3),
        ("C", 2),
        ("D", 1),
        ("E", 0),
        (None, None),
        ("-", None),
        ("n/a", None),
    ],
)
def test_it_reads_levels_as_numbers_words_and_letters(value, level):
    assert level_lookup([value], scale="0-4")[value] == level


def test_it_shifts_a_one_to_five_scale_when_5_appears_and_0_never():
    values = [1, 2, 5, "3", None, "expert"]

    scale = detect_scale(values)
    lookup = level_lookup(values, scale=scale)

    assert scale == "1-5"
    assert [lookup[v] for v in values] == [0, 1, 4, 2, None, 4]


def test_it_keeps_a_zero_to_four_scale_when_0_appears():
    assert detect_scale([0, 1, 4, 5]) == "0-4"
    assert detect_scale([1, 2, 3, 4]) == "0-4"


def test_it_rescales_words_to_another_scale_max():
    lookup = level_lookup(["expert", "intermédiaire", 10], scale="0-4", scale_max=10)

    assert (lookup["expert"], lookup["intermédiaire"], lookup[10]) == (10, 5, 10)


def test_it_explains_a_level_out_of_scale_or_unknown():
    lookup = level_lookup([7, 2.5, "moyennement bien"], scale="0-4")

    assert lookup[7] == (
        "Niveau hors échelle : « 7 ». L'échelle va de 0 à 4 ; corrigez la valeur ou laissez la cellule vide "
        "si la compétence n'est pas évaluée."
    )
    assert (
        lookup[2.5]
        == "Niveau non reconnu : « 2.5 » n'est pas un nombre entier. Indiquez un niveau entier de 0 à 4."
    )
    assert lookup["moyennement bien"].startswith(
        "Niveau non reconnu : « moyennement bien ». Utilisez un nombre de 0 à 4"
    )


def test_it_tells_level_values_from_other_values():
    assert [looks_like_level(v) for v in (3, "4", "Confirmé", "B", None, "Paris", 12, "06 12 34 56 78")] == [
        True,
        True,
        True,
        True,
        False,
        False,
        False,
        False,
    ]


def test_it_collapses_whitespace_in_text():
    lookup = text_lookup(["  Jean   Marc ", "Dupont\u00a0 ", 1042.0, None, "   "])

    assert list(lookup.values()) == ["Jean Marc", "Dupont", "1042", None, None]


def test_it_keeps_the_first_spelling_of_an_org_unit():
    values = ["Atelier bois", "ATELIER  BOIS", " atelier bois", "Espaces verts", "espaces Verts"]

    lookup = canonical_lookup(values)

    assert [lookup[v] for v in values] == ["Atelier bois"] * 3 + ["Espaces verts"] * 2


def test_it_checks_email_addresses():
    lookup = email_lookup(["lea.durand@exemple.fr", " marc@exemple.org ", "marc@", "lea durand@exemple.fr"])

    assert lookup["lea.durand@exemple.fr"] == "lea.durand@exemple.fr"
    assert lookup[" marc@exemple.org "] == "marc@exemple.org"
    assert lookup["marc@"] == (
        "Email non valide : « marc@ ». Indiquez une adresse de la forme prenom.nom@exemple.fr "
        "ou laissez la cellule vide."
    )
    assert isinstance(lookup["lea durand@exemple.fr"], CellError)


def test_it_checks_rome_codes():
    lookup = rome_lookup(["m1805", "K 2112", "M18O5", "1805"])

    assert (lookup["m1805"], lookup["K 2112"]) == ("M1805", "K2112")
    assert lookup["M18O5"] == (
        "Code ROME non valide : « M18O5 ». Un code ROME est une lettre suivie de 4 chiffres "
        "(par exemple M1805) ; laissez la cellule vide si vous ne le connaissez pas."
    )
    assert isinstance(lookup["1805"], CellError)


@pytest.mark.parametrize(
    ("text", "first_name_first", "names"),
    [
        ("Dupont, Jean", False, ("Dupont", "Jean")),
        ("Smith, John", True, ("Smith", "John")),
        ("DUPONT Jean-Marc", False, ("DUPONT", "Jean-Marc")),
        ("LE GALL Marie", True, ("LE GALL", "Marie")),
        ("Marie Le Gall", True, ("Le Gall", "Marie")),
        ("Durand Léa", False, ("Durand", "Léa")),
        ("Cher", False, ("Cher", None)),
    ],
)
def test_it_splits_a_full_name_column(text, first_name_first, names):
    assert split_full_name(text, first_name_first=first_name_first) == names


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ("=SUM(A1)", "'=SUM(A1)"),
        ("+33 6 12", "'+33 6 12"),
        ("-Atelier", "'-Atelier"),
        ("@poste", "'@poste"),
        ("\tcmd", "'\tcmd"),
        ("Durand", "Durand"),
        (None, ""),
        (42, "42"),
    ],
)
def test_it_neutralises_formula_like_text_for_export(value, safe):
    assert safe_cell_text(value) == safe
