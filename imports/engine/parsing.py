"""Cell value parsing, decided per column (dates, FTE, text, codes).

Each `*_lookup(values)` takes the distinct cells of one column and returns a dict
cell -> parsed value | None (empty) | CellError (French message). Validation then maps
every cell with a dict lookup: formats are decided once per column, never per cell.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta

from imports.engine.i18n import _, gettext_noop
from imports.engine.types import CellError

# OWASP's list for CSV/formula injection: = + - @ and tab / carriage return.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
EXCEL_EPOCH = date(1899, 12, 30)
DATE_HINT = gettext_noop("Saisissez la date au format JJ/MM/AAAA (par exemple 05/03/2021).")

_DATE_TEXT = re.compile(r"(\d{1,4})[/.\-](\d{1,2})[/.\-](\d{1,4})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_EMAIL = re.compile(r"[^@\s,;<>\"]+@[^@\s,;<>\"]+\.[A-Za-z]{2,}")
_ROME = re.compile(r"[A-Z]\d{4}")
# "Soudure TIG : 3", "Soudure TIG = 3", "Soudure TIG (3)": a skill with its level, in the secondary imports
# (training catalogue, foresight needs).
SKILL_WITH_LEVEL = re.compile(r"^(?P<label>.+?)\s*(?:[:=]\s*|\(\s*)(?P<level>\d+)\s*\)?\s*$")


def safe_cell_text(value) -> str:
    """Text safe to write in a spreadsheet cell: "=SUM(A1)" -> "'=SUM(A1)".

    Cells are stored as typed; this is applied when exporting them to xlsx/csv so that
    text starting with = + - @ is never run as a formula."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def show(value) -> str:
    """A cell as the user typed it (for error messages and the rejected-rows file)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        value = value.date() if not (value.hour or value.minute) else value
    if isinstance(value, date) and not isinstance(value, datetime):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


def clean_text(value) -> str | None:
    """Trimmed text with inner whitespace collapsed; None when empty."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, date):
        value = show(value)
    text = " ".join(str(value).split())
    return text or None


# --- dates -------------------------------------------------------------------------


DATE_ORDERS = ("auto", "DMY", "MDY")


def date_lookup(values, *, order: str = "auto") -> tuple[dict, str, frozenset]:
    """Parse the distinct cells of one date column.

    Returns (lookup, format, two_digit): lookup maps each cell to a date, None or a
    CellError; format is "cells" (real date cells), "excel" (serial numbers), "DMY",
    "MDY" or "YMD" (text, the most frequent kind wins the name); two_digit holds the cells
    whose year had two digits: they are parsed as 20YY and validation moves them to 19YY
    when needed (birth date in the future, hired before 15).
    Day-first or month-first is decided for the whole column: some first part > 12 means
    day-first, some second part > 12 means month-first, otherwise French day-first.
    `order` "DMY" or "MDY" forces it (a cell impossible in that order is then a CellError);
    ISO dates, date cells and serials do not depend on it.
    """
    lookup: dict = {}
    texts: dict[object, tuple[int, int, int, int]] = {}
    counts = {"cells": 0, "excel": 0, "DMY": 0, "YMD": 0}
    for value in values:
        if value is None:
            lookup[value] = None
        elif isinstance(value, datetime):
            lookup[value] = value.date()
            counts["cells"] += 1
        elif isinstance(value, date):
            lookup[value] = value
            counts["cells"] += 1
        elif isinstance(value, bool):
            lookup[value] = _unreadable_date(value)
        elif isinstance(value, int | float):
            lookup[value] = _serial(value)
            counts["excel"] += 1
        elif isinstance(value, str):
            text = value.strip()
            if not text:
                lookup[value] = None
                continue
            match = _DATE_TEXT.fullmatch(text)
            if match:
                a, b, c = match.groups()
                if len(a) == 4:
                    lookup[value] = _make_date(value, int(a), int(b), int(c))
                    counts["YMD"] += 1
                elif len(c) in (2, 4):
                    texts[value] = (int(a), int(b), int(c), len(c))
                    counts["DMY"] += 1
                else:
                    lookup[value] = _unreadable_date(value)
            elif text.isdigit() and len(text) == 8 and text[:2] in ("19", "20"):
                lookup[value] = _make_date(value, int(text[:4]), int(text[4:6]), int(text[6:]))
                counts["YMD"] += 1
            elif text.isdigit() and len(text) == 5:
                lookup[value] = _serial(int(text))
                counts["excel"] += 1
            else:
                lookup[value] = _unreadable_date(value)
        else:
            lookup[value] = _unreadable_date(value)
    if order == "auto":
        month_first = any(b > 12 for _, b, _, _ in texts.values()) and not any(
            a > 12 for a, _, _, _ in texts.values()
        )
    else:
        month_first = order == "MDY"
    two_digit = []
    for value, (a, b, c, year_digits) in texts.items():
        day, month = (b, a) if month_first else (a, b)
        year = 2000 + c if year_digits == 2 else c
        lookup[value] = parsed = _make_date(value, year, month, day)
        if year_digits == 2 and parsed.__class__ is date:
            two_digit.append(value)
    if month_first:
        counts["MDY"] = counts.pop("DMY")
    kind = max(counts, key=counts.get) if any(counts.values()) else ""
    return lookup, kind, frozenset(two_digit)


def _serial(number) -> date | CellError:
    if 1900 <= number <= 2100:
        return CellError(_("Date incomplète : « %(value)s » ne donne que l'année. %(hint)s")
                         % {"value": int(number), "hint": _(DATE_HINT)})
    if not 1 <= number < 2_958_466:
        return _unreadable_date(number)
    return EXCEL_EPOCH + timedelta(days=int(number))


def _make_date(value, year: int, month: int, day: int) -> date | CellError:
    try:
        return date(year, month, day)
    except ValueError:
        return CellError(
            _("Date impossible : « %(value)s » n'existe pas (jour ou mois hors limites). %(hint)s")
            % {"value": show(value), "hint": _(DATE_HINT)}
        )


def _unreadable_date(value) -> CellError:
    return CellError(_("Date non reconnue : « %(value)s ». %(hint)s") % {"value": show(value), "hint": _(DATE_HINT)})


def minus_century(day: date) -> date:
    """The same day 100 years earlier (29 February falls back to the 28th)."""
    try:
        return day.replace(year=day.year - 100)
    except ValueError:
        return day.replace(year=day.year - 100, day=28)


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


# --- other columns -----------------------------------------------------------------


def fte_lookup(values) -> dict:
    """FTE as a fraction in (0, 1]: 80 %, "80", 0,8 and 0.8 all give 0.8; 1 and 100 give 1."""
    return {value: _fte(value) for value in values}


def _fte(value) -> float | None | CellError:
    if value is None:
        return None
    percent = False
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int | float):
        number = float(value)
    else:
        text = str(value).strip().replace("\u202f", "").replace("\xa0", "").replace(" ", "")
        if not text:
            return None
        if text.endswith("%"):
            percent, text = True, text[:-1]
        try:
            number = float(text.replace(",", "."))
        except ValueError:
            number = None
    if number is not None:
        if percent or number >= 10:
            number /= 100
        if 0 < number <= 1:
            return round(number, 4)
    return CellError(
        _("Temps de travail non valide : « %(value)s ». Indiquez une quotité entre 1 %% et 100 %% "
          "(par exemple 80 %%, 0,8 ou 100 %%).") % {"value": show(value)}
    )


def email_lookup(values) -> dict:
    """Email addresses, trimmed; a value that is not an address is a CellError."""
    lookup: dict = {}
    for value in values:
        text = (" ".join(value.split()) or None) if value.__class__ is str else clean_text(value)
        if text is None:
            lookup[value] = None
        elif _EMAIL.fullmatch(text):
            lookup[value] = text
        else:
            lookup[value] = CellError(
                _("Email non valide : « %(value)s ». Indiquez une adresse de la forme prenom.nom@exemple.fr "
                  "ou laissez la cellule vide.") % {"value": text}
            )
    return lookup


def rome_lookup(values) -> dict:
    """ROME codes: one letter and four digits ("M1805"), upper-cased."""
    lookup: dict = {}
    for value in values:
        text = clean_text(value)
        if text is None:
            lookup[value] = None
            continue
        code = text.replace(" ", "").upper()
        if _ROME.fullmatch(code):
            lookup[value] = code
        else:
            lookup[value] = CellError(
                _("Code ROME non valide : « %(value)s ». Un code ROME est une lettre suivie de 4 chiffres "
                  "(par exemple M1805) ; laissez la cellule vide si vous ne le connaissez pas.") % {"value": text}
            )
    return lookup


def _plain(text: str) -> str:
    """Lower case without accents, dots or spaces: "Mme." -> "mme", "Féminin" -> "feminin"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if ch.isalnum() and not unicodedata.combining(ch))


_SEX_VALUES = {
    **dict.fromkeys(("f", "femme", "feminin", "female", "woman", "mme", "madame", "mlle", "mademoiselle",
                     "ms", "mrs", "miss", "2"), "F"),
    **dict.fromkeys(("m", "h", "homme", "masculin", "male", "man", "monsieur", "mr", "1"), "M"),
}
_CONTRACT_VALUES = {
    **dict.fromkeys(("cdi", "contratadureeindeterminee", "dureeindeterminee", "permanent"), "cdi"),
    **dict.fromkeys(("cdd", "contratadureedeterminee", "dureedeterminee", "fixedterm", "temporaire"), "cdd"),
    **dict.fromkeys(("interim", "interimaire", "travailtemporaire", "ctt", "temporary"), "interim"),
    **dict.fromkeys(("apprentissage", "apprenti", "apprentie", "contratdapprentissage", "alternance",
                     "alternant", "professionnalisation", "contratdeprofessionnalisation", "apprentice"),
                    "apprentissage"),
    **dict.fromkeys(("stage", "stagiaire", "conventiondestage", "internship", "intern"), "stage"),
    **dict.fromkeys(("fonctionnaire", "titulaire", "agenttitulaire", "stagiairedelafonctionpublique",
                     "civilservant"), "fonctionnaire"),
    **dict.fromkeys(("contractuel", "contractuelle", "agentcontractuel", "agentcontractuelle"), "contractuel"),
}


def sex_lookup(values) -> dict:
    """Sex as "F" or "M" from civilité or sex columns (Mme, M., H/F, M/F, Femme, Male…)."""
    lookup: dict = {}
    for value in values:
        text = clean_text(value)
        if text is None:
            lookup[value] = None
            continue
        lookup[value] = _SEX_VALUES.get(_plain(text)) or CellError(
            _("Sexe non reconnu : « %(value)s ». Indiquez F ou M (Mme, M., Femme, Homme sont aussi acceptés) "
              "ou laissez la cellule vide.") % {"value": text}
        )
    return lookup


def contract_lookup(values) -> dict:
    """Contract type: cdi, cdd, interim, apprentissage, stage, fonctionnaire or contractuel."""
    lookup: dict = {}
    for value in values:
        text = clean_text(value)
        if text is None:
            lookup[value] = None
            continue
        lookup[value] = _CONTRACT_VALUES.get(_plain(text)) or CellError(
            _("Type de contrat non reconnu : « %(value)s ». Indiquez CDI, CDD, intérim, apprentissage, stage, "
              "fonctionnaire ou contractuel, ou laissez la cellule vide.") % {"value": text}
        )
    return lookup


def text_lookup(values) -> dict:
    """Trimmed, whitespace-collapsed text; None for empty cells."""
    return {
        value: (" ".join(value.split()) or None) if value.__class__ is str else clean_text(value)
        for value in values
    }


def canonical_lookup(values) -> dict:
    """Like text_lookup, but spellings that differ only by case or spaces map to the first
    one met ("Atelier  bois", "ATELIER BOIS" -> "Atelier bois"); `values` in file order."""
    first_spelling: dict[str, str] = {}
    lookup: dict = {}
    for value in values:
        if value in lookup:
            continue
        text = clean_text(value)
        if text is None:
            lookup[value] = None
            continue
        lookup[value] = first_spelling.setdefault(text.casefold(), text)
    return lookup


def split_full_name(text: str, *, first_name_first: bool) -> tuple[str | None, str | None]:
    """(last_name, first_name) from one "Nom, Prénom" cell. A comma separates last from
    first; otherwise leading upper-case words are the last name ("DUPONT Jean-Marc"),
    else the header order decides (first word first name for "Prénom Nom")."""
    if "," in text:
        last, _, first = text.partition(",")
        return last.strip() or None, first.strip() or None
    words = text.split(" ")
    if len(words) == 1:
        return text, None
    upper = 0
    while upper < len(words) and words[upper].isupper() and len(words[upper]) > 1:
        upper += 1
    if 0 < upper < len(words):
        return " ".join(words[:upper]), " ".join(words[upper:])
    if first_name_first:
        return " ".join(words[1:]), words[0]
    return words[0], " ".join(words[1:])
