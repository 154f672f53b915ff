"""Data shapes shared by the staff-import engine (pure: no Django)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

from imports.engine.i18n import gettext_noop

Cell = str | float | int | bool | date | datetime | None

# Employee fields a file can provide, in the order they are shown to users.
STAFF_FIELDS: tuple[str, ...] = (
    "staff_number",
    "last_name",
    "first_name",
    "full_name",
    "email",
    "birth_date",
    "hire_date",
    "exit_date",
    "org_unit",
    "job_title",
    "manager_staff_number",
    "fte",
    "rome_code",
    "sex",
    "contract_type",
)
# Fields of the long skill layout (one row per employee and skill).
SKILL_FIELDS: tuple[str, ...] = ("skill", "level", "assessed_on")
FIELDS: tuple[str, ...] = STAFF_FIELDS + SKILL_FIELDS

# Mapping values that are not fields.
IGNORE = "ignore"
SKILL_PREFIX = "skill:"

FIELD_LABELS: dict[str, str] = {
    "staff_number": gettext_noop("Matricule"),
    "last_name": gettext_noop("Nom de famille"),
    "first_name": gettext_noop("Prénom"),
    "full_name": gettext_noop("Nom complet"),
    "email": gettext_noop("Email"),
    "birth_date": gettext_noop("Date de naissance"),
    "hire_date": gettext_noop("Date d'entrée"),
    "exit_date": gettext_noop("Date de sortie"),
    "org_unit": gettext_noop("Service"),
    "job_title": gettext_noop("Poste"),
    "manager_staff_number": gettext_noop("Matricule du manager"),
    "fte": gettext_noop("Temps de travail"),
    "rome_code": gettext_noop("Code ROME"),
    "sex": gettext_noop("Sexe"),
    "contract_type": gettext_noop("Type de contrat"),
    "skill": gettext_noop("Compétence"),
    "level": gettext_noop("Niveau"),
    "assessed_on": gettext_noop("Date d'évaluation"),
}


class CellError(str):
    """A cell value that cannot be read; the string is the French message for the user."""


class ImportFileError(Exception):
    """The file cannot be imported at all; `message` says why and how to fix it (French)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True, eq=False)
class RawTable:
    """One sheet of a file, as read.

    rows: non-blank rows in file order; each row is a list of cells (str, float, int,
        bool, date, datetime or None for an empty cell), column 0 being the first column
        of the sheet's used area; rows may have different lengths (CSV). Text is as typed:
        "=SUM(A1)" is a string, never a formula.
    row_numbers: for each row, the row number the user sees in Excel (for a CSV, the
        1-based line of the record, Excel's hidden "sep=;" first line not counted); same
        length as rows.
    file_kind: "xlsx", "xls", "ods" or "csv".
    sheet_names: every sheet of the workbook (("",) for a CSV).
    encoding / delimiter: how a CSV was decoded ("" for workbooks).
    """

    sheet_name: str
    sheet_names: tuple[str, ...]
    rows: list[list[Cell]]
    row_numbers: list[int]
    file_kind: str
    encoding: str = ""
    delimiter: str = ""


class DuplicateColumn(NamedTuple):
    """A column not imported because an earlier column gives the same field or skill.

    column: its name in HeaderGuess.headers; kept: the name of the column that is read;
    field: the field name, or "skill:<label>"; message: why, in French, and how to fix.
    """

    column: str
    kept: str
    field: str
    message: str


@dataclass(frozen=True, slots=True, eq=False)
class HeaderGuess:
    """Where the header is and what each column means.

    header_index: index of the header row in RawTable.rows (header_row: its Excel number).
    headers: name of every column: the header text as typed ("" for a blank header), a
        text repeated in the row being numbered from its second occurrence ("Libellé",
        then "Libellé (2)"; compared like normalize_header). These names are what the
        preview shows, what a mapping's keys match and what RowError.column says.
    columns: column index -> field name (one of FIELDS); one column per field.
    skill_columns: column index -> skill label (wide layout: one column per skill).
    long_layout: the file has one row per employee and skill (skill + level columns).
    unknown_columns: header texts of columns neither recognised nor used as skills.
    ignored_columns: header texts deliberately ignored (mapping "ignore", or sensitive
        data such as sex, disability or age, which is never imported).
    footer_indexes: indexes in RawTable.rows of footer lines ("Total : 1 470 salariés")
        and repeated header lines, which are not data.
    missing_fields: required fields with no column ("staff_number"; "level" when a skill
        column exists in the long layout); validate() refuses such a file.
    duplicate_columns: columns not imported because an earlier column gives the same
        field ("Nom" and "Last name") or skill, with the reason (DuplicateColumn).
    decisions: how each named column is read and why (columns.ColumnDecision), in file order.
    """

    header_index: int
    header_row: int
    headers: tuple[str, ...]
    columns: dict[int, str]
    skill_columns: dict[int, str]
    long_layout: bool
    unknown_columns: tuple[str, ...]
    ignored_columns: tuple[str, ...]
    footer_indexes: frozenset[int]
    missing_fields: tuple[str, ...]
    duplicate_columns: tuple[DuplicateColumn, ...] = ()
    decisions: tuple = ()  # columns.ColumnDecision per named column, in file order

    def column_of(self, field: str) -> int | None:
        """Index of the column holding `field`, or None."""
        for index, name in self.columns.items():
            if name == field:
                return index
        return None


@dataclass(frozen=True, slots=True)
class StaffRow:
    """One valid employee. `row` is the Excel row number (first row in the long layout).

    Text fields are trimmed with inner whitespace collapsed; absent values are None.
    full_name is always set ("Prénom Nom" when built from two columns); last_name and
    first_name are split from a single "Nom, Prénom" column when needed.
    org_unit / job_title use the first spelling met in the file for names that differ
    only by case or spaces.
    fte is a fraction in (0, 1] (80 % -> 0.8). rome_code is upper case ("M1805").
    sex is "F" or "M" (restricted: aggregate statistics only); contract_type one of "cdi", "cdd",
    "interim", "apprentissage", "stage", "fonctionnaire", "contractuel".
    manager_staff_number is the staff number of a valid employee of the file or one of
    existing_staff_numbers (a manager given by name is resolved): an employee whose
    manager's row is rejected is rejected too.
    """

    row: int
    staff_number: str
    last_name: str | None = None
    first_name: str | None = None
    full_name: str | None = None
    email: str | None = None
    birth_date: date | None = None
    hire_date: date | None = None
    exit_date: date | None = None
    org_unit: str | None = None
    job_title: str | None = None
    manager_staff_number: str | None = None
    fte: float | None = None
    rome_code: str | None = None
    sex: str | None = None
    contract_type: str | None = None


class SkillCell(NamedTuple):
    """One skill level of one employee; level is on the 0..scale_max scale."""

    row: int
    staff_number: str
    skill_label: str
    level: int
    assessed_on: date | None


class RowError(NamedTuple):
    """One problem in one cell. column is the header text the user sees ("" if the
    problem is about the whole row); value is the cell as text; message is French."""

    row: int
    column: str
    value: str
    message: str


@dataclass(frozen=True, slots=True, eq=False)
class ValidationResult:
    """Everything the upsert needs, and everything the user must be told.

    employees: valid employees, in file order (one per staff number).
    fields_present: fields the file provides (absent columns never blank existing data);
        includes last_name/first_name when split from a full-name column.
    skills: valid skill levels (rows of rejected employees are left out); wide layout:
        column after column, each in row order; long layout: in row order.
    skill_labels: distinct skill labels in file order.
    errors: every problem found, sorted by row then column order.
    invalid_rows: Excel row numbers with at least one error (a rejected employee's other
        rows in the long layout included).
    total_rows: data rows read (blank and footer lines excluded).
    unknown_columns / ignored_columns / duplicate_columns: copied from the HeaderGuess.
    level_scales: skill column header -> "0-4" or "1-5" (how numbers were read).
    date_formats: date column header -> "DMY", "MDY", "YMD", "excel" or "cells".
    """

    employees: list[StaffRow]
    fields_present: frozenset[str]
    skills: list[SkillCell]
    skill_labels: tuple[str, ...]
    errors: list[RowError]
    invalid_rows: frozenset[int]
    total_rows: int
    unknown_columns: tuple[str, ...]
    ignored_columns: tuple[str, ...]
    level_scales: dict[str, str]
    date_formats: dict[str, str]
    duplicate_columns: tuple[DuplicateColumn, ...] = ()
    decisions: tuple = ()  # columns.ColumnDecision per named column (HeaderGuess.decisions, as validated)

    @property
    def is_valid(self) -> bool:
        return not self.errors
