"""Row validation: RawTable + HeaderGuess -> ValidationResult.

Formats are decided per column over its distinct values (dates, levels, FTE), then every
cell is resolved with a dict lookup; only cross-field rules (dates against each other,
managers, duplicates) walk the rows.
"""

from __future__ import annotations

import dataclasses
import gc
from collections import Counter
from datetime import date, timedelta

from imports.engine import parsing
from imports.engine.headers import normalize_header
from imports.engine.i18n import _
from imports.engine.levels import LEVEL_SCALES
from imports.engine.parsing import DATE_ORDERS, add_years, minus_century, show
from imports.engine.skills import SkillChecks, pick_positions
from imports.engine.types import (
    CellError,
    HeaderGuess,
    ImportFileError,
    RawTable,
    RowError,
    StaffRow,
    ValidationResult,
)

MIN_HIRING_AGE = 15
STAFF_NUMBER_MAX = 50  # the longest staff number the organisation's records hold
_TEXT_FIELDS = ("last_name", "first_name", "full_name")
_CANONICAL_FIELDS = ("org_unit", "job_title")
_DATE_FIELDS = ("birth_date", "hire_date", "exit_date")


def validate(
    raw: RawTable,
    header: HeaderGuess,
    *,
    scale_max: int = 4,
    today: date,
    existing_staff_numbers: frozenset[str] = frozenset(),
    level_scale: str = "auto",
    date_order: str = "auto",
) -> ValidationResult:
    """Validate every data row of `raw` and list every error (see ValidationResult).

    Rows above the header, footers and blank rows are not data. In the long layout the
    employee fields come from the first row of each staff number and the other rows only
    add skills. A manager must be in the file or in `existing_staff_numbers`.

    `level_scale` overrides the per-file decision on numeric levels: "0-4" reads them as
    0..scale_max, "1-5" as 1..scale_max+1 (shifted down by one), "auto" decides from the
    file. `date_order` "DMY" or "MDY" forces the order of text dates such as 03/05/2021
    ("auto": decided per column). result.level_scales and result.date_formats say what
    was used. Raises ValueError for another option value, ImportFileError only when a
    required column is missing.
    """
    if level_scale not in LEVEL_SCALES:
        raise ValueError(f"level_scale must be one of {LEVEL_SCALES}, not {level_scale!r}")
    if date_order not in DATE_ORDERS:
        raise ValueError(f"date_order must be one of {DATE_ORDERS}, not {date_order!r}")
    if "staff_number" in header.missing_fields:
        raise ImportFileError(_(
            "Colonne « Matricule » introuvable : ajoutez une colonne Matricule (l'identifiant unique de "
            "chaque salarié) ou indiquez quelle colonne le contient dans la correspondance des colonnes."
        ))
    if "rome_code" in header.columns.values() and "job_title" not in header.columns.values():
        rome_column = next(i for i, f in header.columns.items() if f == "rome_code")
        raise ImportFileError(_(
            "La colonne « %(column)s » (code ROME) ne peut pas être importée : le fichier n'a pas de colonne "
            "d'intitulé de poste, et un code ROME se rattache à un emploi. Ajoutez la colonne « Intitulé du "
            "poste » (ou associez-la dans l'aperçu), ou ignorez la colonne du code ROME, puis relancez l'import."
        ) % {"column": header.headers[rome_column]})
    if "level" in header.missing_fields:
        raise ImportFileError(_(
            "Colonne « Niveau » introuvable : le fichier a une colonne Compétence (une ligne par salarié et "
            "compétence) mais pas de colonne Niveau. Ajoutez-la ou indiquez quelle colonne la contient."
        ))
    header = _drop_foreign_managers(raw, header, existing_staff_numbers)
    # A million SkillCell tuples would trigger hundreds of useless cyclic-GC passes.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _Validation(
            raw,
            header,
            scale_max=scale_max,
            today=today,
            existing=existing_staff_numbers,
            level_scale=level_scale,
            date_order=date_order,
        ).run()
    finally:
        if gc_was_enabled:
            gc.enable()


def _drop_foreign_managers(raw: RawTable, header: HeaderGuess, existing: frozenset) -> HeaderGuess:
    """A manager column recognised by its title ("ManagerID") whose values are neither staff numbers
    (of the file or the organisation) nor names holds another system's identifiers: it is not read,
    and its decision says why. A column the user mapped is always read (its errors then tell)."""
    index = header.column_of("manager_staff_number")
    staff = header.column_of("staff_number")
    if index is None or staff is None:
        return header
    decision = next((d for d in header.decisions if d.column == header.headers[index]), None)
    if decision is None or decision.reason == "mapping":
        return header
    rows = [raw.rows[i] for i in range(header.header_index + 1, len(raw.rows)) if i not in header.footer_indexes]
    managers = {parsing.clean_text(r[index]) for r in rows if index < len(r)} - {None}
    if not managers or any(" " in m or "," in m for m in managers):
        return header
    numbers = {parsing.clean_text(r[staff]) for r in rows if staff < len(r)} | existing
    if managers & numbers:
        return header
    column = header.headers[index]
    columns = {i: f for i, f in header.columns.items() if i != index}
    decisions = tuple(
        d._replace(decision="unknown", target="", reason="unmatched_managers") if d.column == column else d
        for d in header.decisions
    )
    return dataclasses.replace(header, columns=columns, unknown_columns=(*header.unknown_columns, column),
                               decisions=decisions)


class _Validation(SkillChecks):
    def __init__(
        self,
        raw: RawTable,
        header: HeaderGuess,
        *,
        scale_max: int,
        today: date,
        existing: frozenset,
        level_scale: str,
        date_order: str,
    ):
        self.header = header
        self.scale_max = scale_max
        self.level_scale = level_scale
        self.date_order = date_order
        self.today = today
        self.existing = existing
        first = header.header_index + 1
        footers = header.footer_indexes
        indexes = [i for i in range(first, len(raw.rows)) if i not in footers]
        width = len(header.headers)
        rows = []
        for i in indexes:
            row = raw.rows[i]
            rows.append(row if len(row) >= width else row + [None] * (width - len(row)))
        self.row_numbers = [raw.row_numbers[i] for i in indexes]
        self.count = len(rows)
        self.columns = list(zip(*rows, strict=False))[:width] if rows else [()] * width
        self.field_column = {field: index for index, field in header.columns.items()}
        # errors as (row position, column index, RowError); sorted at the end
        self.errors: list[tuple[int, int, RowError]] = []
        self.bad_rows: set[int] = set()
        self.date_formats: dict[str, str] = {}

    # --- helpers -------------------------------------------------------------------

    def error(self, k: int, column: int | None, value, message: str) -> None:
        text = self.header.headers[column] if column is not None else ""
        self.errors.append(
            (k, -1 if column is None else column, RowError(self.row_numbers[k], text, show(value), message))
        )
        self.bad_rows.add(k)

    def parsed(self, field: str, lookup_function) -> list | None:
        """The column of `field` parsed through its lookup; CellErrors become errors."""
        index = self.field_column.get(field)
        if index is None:
            return None
        return self.resolve(index, lookup_function(dict.fromkeys(self.columns[index])))

    def resolve(self, index: int, lookup: dict) -> list:
        """Column `index` mapped through `lookup`; cells mapped to a CellError become errors."""
        column = self.columns[index]
        values = list(map(lookup.__getitem__, column))
        bad = {v for v, parsed in lookup.items() if parsed.__class__ is CellError}
        if bad:
            for k, value in enumerate(column):
                if value in bad:
                    self.error(k, index, value, lookup[value])
        return values

    def dates(self, field: str) -> tuple[list | None, frozenset]:
        """(parsed column or None, cells with a two-digit year)."""
        index = self.field_column.get(field)
        if index is None:
            return None, frozenset()
        lookup, kind, two_digit = parsing.date_lookup(
            dict.fromkeys(self.columns[index]), order=self.date_order
        )
        self.date_formats[self.header.headers[index]] = kind
        return self.resolve(index, lookup), two_digit

    # --- the run -------------------------------------------------------------------

    def run(self) -> ValidationResult:
        header = self.header
        count = self.count
        staff_index = self.field_column["staff_number"]
        staff_column = self.columns[staff_index]
        number_of = parsing.text_lookup(set(staff_column))
        numbers = [number_of[v] for v in staff_column]
        first_row: dict[str, int] = {}
        for k, number in enumerate(numbers):
            if number is None:
                self.error(
                    k,
                    staff_index,
                    None,
                    _("Matricule manquant : chaque ligne doit porter le matricule du salarié. "
                      "Ajoutez-le ou supprimez la ligne."),
                )
            elif len(number) > STAFF_NUMBER_MAX:
                self.error(
                    k,
                    staff_index,
                    number,
                    _("Matricule trop long : %(n)d caractères, %(max)d au plus. Vérifiez que la colonne contient "
                      "bien le matricule.") % {"n": len(number), "max": STAFF_NUMBER_MAX},
                )
            elif number not in first_row:
                first_row[number] = k
            elif not header.long_layout:
                self.duplicate(k, first_row[number], number, staff_index)
        employee_rows = sorted(first_row.values()) if header.long_layout else list(range(count))
        self.check_leading_zeros(first_row, staff_index)

        fields: dict[str, list | None] = {}
        for field in _TEXT_FIELDS:
            fields[field] = self.parsed(field, parsing.text_lookup)
        for field in _CANONICAL_FIELDS:
            fields[field] = self.parsed(field, parsing.canonical_lookup)
        fields["email"] = self.parsed("email", parsing.email_lookup)
        fields["fte"] = self.parsed("fte", parsing.fte_lookup)
        fields["rome_code"] = self.parsed("rome_code", parsing.rome_lookup)
        fields["sex"] = self.parsed("sex", parsing.sex_lookup)
        fields["contract_type"] = self.parsed("contract_type", parsing.contract_lookup)
        managers = self.parsed("manager_staff_number", parsing.text_lookup)
        two_digits = {}
        for field in _DATE_FIELDS:
            fields[field], two_digits[field] = self.dates(field)
        if header.long_layout:
            # employee fields of the repeated rows are not read: keep errors of first rows only
            keep = set(employee_rows)
            kept = [e for e in self.errors if e[0] in keep or e[1] == staff_index]
            self.errors = kept
            self.bad_rows = {e[0] for e in kept}
        self.resolve_years(fields, two_digits)
        self.check_dates(fields, employee_rows)
        self.check_managers(managers, numbers, employee_rows, set(first_row), fields)
        self.check_rome_codes(fields, employee_rows)

        skill_levels, skill_labels, scales = self.skill_levels(numbers)
        self.reject_reports_of_rejected_managers(managers, numbers, employee_rows, first_row)
        employees = self.employees(fields, managers, numbers, employee_rows)
        employee_ok = {e.staff_number for e in employees}
        if header.long_layout:
            self.reject_orphan_rows(numbers, first_row, employee_ok)
        valid_skills = self.skill_cells(skill_levels, numbers, employee_ok)
        self.errors.sort(key=lambda e: (e[0], e[1]))
        present = set(header.columns.values())
        if "full_name" in present:
            present |= {"last_name", "first_name"}
        if present & {"last_name", "first_name"}:
            present.add("full_name")
        return ValidationResult(
            employees=employees,
            fields_present=frozenset(present),
            skills=valid_skills,
            skill_labels=skill_labels,
            errors=[e[2] for e in self.errors],
            invalid_rows=frozenset(self.row_numbers[k] for k in self.bad_rows),
            total_rows=count,
            unknown_columns=header.unknown_columns,
            ignored_columns=header.ignored_columns,
            level_scales=scales,
            date_formats=self.date_formats,
            duplicate_columns=header.duplicate_columns,
            decisions=header.decisions,
        )

    def duplicate(self, k: int, first: int, number: str, index: int) -> None:
        line, other = self.row_numbers[k], self.row_numbers[first]
        self.error(
            k,
            index,
            number,
            _("Matricule en double : la ligne %(row)s porte déjà le matricule %(number)s. "
              "Chaque salarié doit avoir un matricule unique.") % {"row": other, "number": number},
        )
        self.error(
            first,
            index,
            number,
            _("Matricule en double : la ligne %(row)s porte aussi le matricule %(number)s. "
              "Chaque salarié doit avoir un matricule unique.") % {"row": line, "number": number},
        )

    def check_leading_zeros(self, first_row: dict[str, int], index: int) -> None:
        """A staff number unknown to the organisation but equal to a known one once leading
        zeros are stripped from both ("123" and "00123") is an error: Excel strips such
        zeros, and importing it would create a second employee."""
        unknown = first_row.keys() - self.existing
        if not unknown or not self.existing:
            return
        stripped = {}
        for number in self.existing:
            stripped.setdefault(number.lstrip("0"), number)
        for number in unknown:
            known = stripped.get(number.lstrip("0")) if number.lstrip("0") else None
            if known is None:
                continue
            if len(number) < len(known):
                message = _(
                    "Matricule %(number)s inconnu, mais %(existing)s existe déjà : Excel a peut-être supprimé "
                    "les zéros en tête. Formatez la colonne Matricule en texte et rétablissez les zéros, ou "
                    "corrigez le matricule."
                )
            else:
                message = _(
                    "Matricule %(number)s inconnu, mais %(existing)s existe déjà : les zéros en tête ont "
                    "peut-être été supprimés lors d'un import précédent. Corrigez le matricule dans le fichier, "
                    "ou celui du salarié %(existing)s dans l'organisation."
                )
            self.error(first_row[number], index, number, message % {"number": number, "existing": known})

    def resolve_years(self, fields: dict, two_digits: dict) -> None:
        """Two-digit years were read as 20YY; move them to 19YY where 20YY is impossible."""
        today = self.today
        limits = {"hire_date": today + timedelta(days=366), "exit_date": add_years(today, 20)}
        for field, limit in limits.items():
            values, short = fields[field], two_digits[field]
            if short:
                column = self.columns[self.field_column[field]]
                for k, value in enumerate(column):
                    if value in short and values[k] > limit:
                        values[k] = minus_century(values[k])
        births, short = fields["birth_date"], two_digits["birth_date"]
        if short:
            column = self.columns[self.field_column["birth_date"]]
            hires = fields["hire_date"]
            for k, value in enumerate(column):
                if value in short:
                    birth = births[k]
                    hire = hires[k] if hires is not None else None
                    too_young = isinstance(hire, date) and add_years(birth, MIN_HIRING_AGE) > hire
                    if birth > today or too_young:
                        births[k] = minus_century(birth)

    def check_dates(self, fields: dict, employee_rows: list[int]) -> None:
        births, hires, exits = fields["birth_date"], fields["hire_date"], fields["exit_date"]
        column = self.field_column.get
        today = self.today
        for k in employee_rows:
            birth = births[k] if births is not None else None
            hire = hires[k] if hires is not None else None
            exit_ = exits[k] if exits is not None else None
            birth = birth if isinstance(birth, date) else None
            hire = hire if isinstance(hire, date) else None
            exit_ = exit_ if isinstance(exit_, date) else None
            if birth is not None and birth > today:
                self.error(
                    k,
                    column("birth_date"),
                    birth,
                    _("Date de naissance dans le futur : %(birth)s. Vérifiez l'année.")
                    % {"birth": f"{birth:%d/%m/%Y}"},
                )
            elif birth is not None and hire is not None and add_years(birth, MIN_HIRING_AGE) > hire:
                self.error(
                    k,
                    column("hire_date"),
                    hire,
                    _("Embauche avant 15 ans : né(e) le %(birth)s, entré(e) le %(hire)s. "
                      "Vérifiez la date de naissance et la date d'entrée.")
                    % {"birth": f"{birth:%d/%m/%Y}", "hire": f"{hire:%d/%m/%Y}"},
                )
            if exit_ is not None and hire is not None and exit_ < hire:
                self.error(
                    k,
                    column("exit_date"),
                    exit_,
                    _("Date de sortie antérieure à la date d'entrée (%(hire)s) : vérifiez les deux dates.")
                    % {"hire": f"{hire:%d/%m/%Y}"},
                )

    def check_rome_codes(self, fields: dict, employee_rows: list[int]) -> None:
        """A job has one ROME code: rows of one job title (case and spaces aside) giving another code
        than the most frequent one (the first in the file on a tie) are errors."""
        codes, titles = fields["rome_code"], fields["job_title"]
        if codes is None or titles is None:
            return
        counts: dict[str, Counter] = {}
        for k in employee_rows:
            code, title = codes[k], titles[k]
            if code.__class__ is str and title.__class__ is str:  # not None, not a CellError
                counts.setdefault(" ".join(title.split()).casefold(), Counter())[code] += 1
        majority = {key: c.most_common(1)[0][0] for key, c in counts.items() if len(c) > 1}
        if not majority:
            return
        index = self.field_column["rome_code"]
        for k in employee_rows:
            code, title = codes[k], titles[k]
            if code.__class__ is str and title.__class__ is str:
                expected = majority.get(" ".join(title.split()).casefold())
                if expected is not None and code != expected:
                    self.error(
                        k,
                        index,
                        code,
                        _("Code ROME « %(value)s » différent de celui des autres lignes de l'emploi "
                          "« %(job)s » (%(expected)s). Un emploi n'a qu'un code ROME : corrigez la ligne ou "
                          "changez l'intitulé du poste.") % {"value": code, "job": title, "expected": expected},
                    )

    def check_managers(
        self, managers: list | None, numbers: list, employee_rows: list[int], known: set, fields: dict
    ) -> None:
        """A manager is a staff number of the file or of the organisation. Many HR exports
        give the manager's name instead: a name matching exactly one employee of the file
        ("Léa Durand", "DURAND Léa") is replaced by that employee's staff number."""
        if managers is None:
            return
        index = self.field_column["manager_staff_number"]
        existing = self.existing
        names: dict[str, str | None] | None = None
        for k in employee_rows:
            manager = managers[k]
            if manager is None:
                continue
            if manager not in known and manager not in existing:
                if names is None:
                    names = self.staff_by_name(fields, numbers, employee_rows)
                found = names.get(" ".join(manager.replace(",", " ").casefold().split()))
                if found is not None:
                    managers[k] = manager = found
            if manager == numbers[k]:
                self.error(
                    k,
                    index,
                    manager,
                    _("Un salarié ne peut pas être son propre manager : laissez la cellule vide ou indiquez "
                      "le matricule de son responsable."),
                )
            elif manager not in known and manager not in existing:
                name_key = " ".join(manager.replace(",", " ").casefold().split())
                if " " in manager and names.get(name_key, 0) is None:
                    message = _(
                        "Manager ambigu : plusieurs salariés du fichier s'appellent %(name)s. Indiquez le "
                        "matricule du manager plutôt que son nom."
                    ) % {"name": manager}
                elif " " in manager:
                    message = _(
                        "Manager inconnu : %(name)s n'est ni un matricule ni le nom d'un salarié de ce fichier. "
                        "Indiquez le matricule du manager, ou son nom tel qu'il est écrit dans les colonnes de nom."
                    ) % {"name": manager}
                else:
                    message = _(
                        "Manager inconnu : aucun salarié ne porte le matricule %(number)s, ni dans ce fichier ni "
                        "dans l'organisation. Corrigez le matricule du manager ou ajoutez ce salarié au fichier."
                    ) % {"number": manager}
                self.error(k, index, manager, message)

    def reject_reports_of_rejected_managers(
        self, managers: list | None, numbers: list, employee_rows: list[int], first_row: dict[str, int]
    ) -> None:
        """An employee whose manager's own row is rejected would be written without a
        manager: reject them too, then their own reports, and so on down the chain (each
        manager is visited once). A manager of the organisation still counts as known."""
        if managers is None:
            return
        bad, existing = self.bad_rows, self.existing
        reports: dict[str, list[int]] = {}
        for k in employee_rows:
            manager = managers[k]
            if manager is not None and k not in bad and manager not in existing:
                reports.setdefault(manager, []).append(k)
        pending = [manager for manager in reports if first_row.get(manager) in bad]
        index = self.field_column["manager_staff_number"]
        while pending:
            manager = pending.pop()
            line = self.row_numbers[first_row[manager]]
            for k in reports.pop(manager, ()):
                self.error(
                    k,
                    index,
                    manager,
                    _("Manager sur une ligne en erreur : le manager %(number)s n'est pas importé à cause "
                      "de la ligne %(row)s. Corrigez cette ligne, ou videz cette cellule pour importer ce "
                      "salarié sans manager.") % {"number": manager, "row": line},
                )
                if numbers[k] in reports:
                    pending.append(numbers[k])

    def staff_by_name(self, fields: dict, numbers: list, employee_rows: list[int]) -> dict[str, str | None]:
        """Lower-cased "first last", "last first" and full name -> staff number (None when
        two employees share the name)."""
        last, first, full = (fields[f] for f in _TEXT_FIELDS)
        first_name_first = full is not None and normalize_header(
            self.header.headers[self.field_column["full_name"]]
        ).startswith("prenom")
        index: dict[str, str | None] = {}
        for k in employee_rows:
            number = numbers[k]
            if number is None:
                continue
            keys = set()
            if full is not None and full[k]:
                keys.add(full[k].replace(",", " "))
                last_name, first_name = parsing.split_full_name(full[k], first_name_first=first_name_first)
                if last_name and first_name:
                    keys.update((f"{first_name} {last_name}", f"{last_name} {first_name}"))
            if last is not None and first is not None and last[k] and first[k]:
                keys.update((f"{first[k]} {last[k]}", f"{last[k]} {first[k]}"))
            for key in keys:
                key = " ".join(key.casefold().split())
                index[key] = number if index.get(key, number) == number else None
        return index

    def employees(
        self, fields: dict, managers: list | None, numbers: list, employee_rows: list[int]
    ) -> list[StaffRow]:
        """StaffRows of the valid employee rows, built column-wise."""
        bad = self.bad_rows
        good = [k for k in employee_rows if k not in bad and numbers[k] is not None]
        if not good:
            return []
        pick = pick_positions(good)
        nothing = (None,) * len(good)
        last, first, full = (nothing if fields[f] is None else pick(fields[f]) for f in _TEXT_FIELDS)
        if fields["full_name"] is not None and fields["last_name"] is None and fields["first_name"] is None:
            header_key = normalize_header(self.header.headers[self.field_column["full_name"]])
            split = [
                parsing.split_full_name(name, first_name_first=header_key.startswith("prenom"))
                if name
                else (None, None)
                for name in full
            ]
            last = [pair[0] for pair in split]
            first = [pair[1] for pair in split]
            full = [" ".join(p for p in pair[::-1] if p) or None for pair in split]
        elif fields["full_name"] is None and (
            fields["last_name"] is not None or fields["first_name"] is not None
        ):
            full = [" ".join(p for p in (f, la) if p) or None for f, la in zip(first, last, strict=True)]
        rest = [
            nothing if fields[f] is None else pick(fields[f])
            for f in ("email", "birth_date", "hire_date", "exit_date", "org_unit", "job_title")
        ]
        return list(
            map(
                StaffRow,
                pick(self.row_numbers),
                pick(numbers),
                last,
                first,
                full,
                *rest,
                nothing if managers is None else pick(managers),
                nothing if fields["fte"] is None else pick(fields["fte"]),
                nothing if fields["rome_code"] is None else pick(fields["rome_code"]),
                nothing if fields["sex"] is None else pick(fields["sex"]),
                nothing if fields["contract_type"] is None else pick(fields["contract_type"]),
            )
        )
