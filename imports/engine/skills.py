"""Skill levels of the staff file, in either layout (used by validation._Validation).

Wide layout: one column per skill, the cell is the level; long layout: one row per
employee and skill. Levels are read through one lookup per file (levels.py), and the
SkillCells of valid rows are built column-wise with C-level map/zip.
"""

from __future__ import annotations

from datetime import date
from itertools import compress, repeat
from operator import and_, itemgetter

from imports.engine import parsing
from imports.engine.i18n import _
from imports.engine.levels import detect_scale, level_lookup
from imports.engine.parsing import minus_century
from imports.engine.types import CellError, SkillCell
from skills_matrix.engine import is_sensitive_label

_new_tuple = tuple.__new__
_is_int = int.__instancecheck__  # levels are int, None (not assessed) or CellError (str)


class SkillChecks:
    """Mixin of _Validation: expects header, columns, field_column, row_numbers, count,
    bad_rows, today, scale_max, level_scale and the error/resolve/dates helpers."""

    def scale_of(self, values) -> str:
        """The level scale of the file: the one asked for, else detected over `values`
        (the distinct cells of every level column)."""
        if self.level_scale != "auto":
            return self.level_scale
        return detect_scale(values, scale_max=self.scale_max)

    def skill_levels(self, numbers: list) -> tuple[list, tuple[str, ...], dict[str, str]]:
        """Skill levels per column, before row validity is known.

        Returns ([(labels, levels, dates)], labels in file order, scale per level column):
        labels, levels and dates are per-row lists (a label list is None in the wide
        layout, where the column header is the label)."""
        header = self.header
        if header.long_layout:
            return self.long_skills(numbers)
        if not header.skill_columns:
            return [], (), {}
        distinct: set = set()
        for index in header.skill_columns:
            distinct.update(self.columns[index])
        scale = self.scale_of(distinct)
        lookup = level_lookup(distinct, scale=scale, scale_max=self.scale_max)
        assessed = self.assessed_dates()
        labels: dict[str, str] = {}
        columns = []
        for index, label in header.skill_columns.items():
            label = labels.setdefault(label.casefold(), label)
            columns.append((label, self.resolve(index, lookup), assessed))
        scales = {header.headers[i]: scale for i in header.skill_columns}
        return columns, tuple(labels.values()), scales

    def skill_cells(self, columns: list, numbers: list, employee_ok: set) -> list[SkillCell]:
        """SkillCells of the valid rows of valid employees, column after column (built with
        C-level map/zip: a million cells must not cost a million Python calls)."""
        bad = self.bad_rows
        valid = [k not in bad and numbers[k] in employee_ok for k in range(self.count)]
        everyone = all(valid)
        row_numbers = self.row_numbers
        cells: list[SkillCell] = []
        for label, levels, dates in columns:
            is_level = map(_is_int, levels)
            positions = list(
                compress(range(self.count), is_level if everyone else map(and_, valid, is_level))
            )
            if not positions:
                continue
            pick = pick_positions(positions)
            labels = repeat(label) if isinstance(label, str) else pick(label)
            cells += map(
                _new_tuple,
                repeat(SkillCell),
                zip(
                    pick(row_numbers),
                    pick(numbers),
                    labels,
                    pick(levels),
                    repeat(None) if dates is None else pick(dates),
                    strict=False,
                ),
            )
        return cells

    def long_skills(self, numbers: list) -> tuple[list, tuple[str, ...], dict[str, str]]:
        """Long layout: one (labels, levels, dates) triple; checks missing and repeated skills."""
        field_column = self.field_column
        skill_index, level_index = field_column.get("skill"), field_column["level"]
        lookup = parsing.canonical_lookup(dict.fromkeys(self.columns[skill_index]))
        for value, label in lookup.items():
            if label.__class__ is str and is_sensitive_label(label):
                lookup[value] = CellError(
                    _("« %(skill)s » désigne une donnée personnelle sensible (handicap, santé, sexe, âge…), pas une "
                      "compétence : elle n'est jamais importée. Supprimez ces lignes du fichier.") % {"skill": label}
                )
        labels = self.resolve(skill_index, lookup)
        level_values = dict.fromkeys(self.columns[level_index])
        scale = self.scale_of(level_values)
        levels = self.resolve(level_index, level_lookup(level_values, scale=scale, scale_max=self.scale_max))
        assessed = self.assessed_dates() or [None] * self.count
        row_numbers = self.row_numbers
        seen: dict[tuple[str, str], int] = {}
        for k in range(self.count):
            label, level, number = labels[k], levels[k], numbers[k]
            if label is None and level is None:
                continue
            if label is None:
                self.error(
                    k,
                    skill_index,
                    None,
                    _("Compétence manquante : indiquez la compétence évaluée sur cette "
                      "ligne ou effacez le niveau."),
                )
                continue
            if level is None:
                self.error(
                    k,
                    level_index,
                    None,
                    _("Niveau manquant pour la compétence « %(skill)s » : indiquez un "
                      "niveau ou supprimez la ligne.") % {"skill": label},
                )
                continue
            if level.__class__ is not int or number is None:
                continue
            key = (number, label)
            if key in seen:
                self.error(
                    k,
                    skill_index,
                    label,
                    _("Compétence en double : la ligne %(row)s donne déjà un niveau pour "
                      "« %(skill)s » au matricule %(number)s. Gardez une seule ligne.")
                    % {"row": row_numbers[seen[key]], "skill": label, "number": number},
                )
                continue
            seen[key] = k
        ordered = tuple(dict.fromkeys(label for label in labels if label is not None))
        return [(labels, levels, assessed)], ordered, {self.header.headers[level_index]: scale}

    def reject_orphan_rows(self, numbers: list, first_row: dict[str, int], employee_ok: set) -> None:
        """Long layout: the other rows of a rejected employee are rejected too, and say why."""
        staff_index = self.field_column["staff_number"]
        for k, number in enumerate(numbers):
            if number is None or number in employee_ok or k in self.bad_rows or first_row[number] == k:
                continue
            self.error(
                k,
                staff_index,
                number,
                _("Ligne non importée : le salarié %(number)s est rejeté à cause de la ligne "
                  "%(row)s. Corrigez cette ligne pour importer ses compétences.")
                % {"number": number, "row": self.row_numbers[first_row[number]]},
            )

    def assessed_dates(self) -> list | None:
        """Assessment dates per row (None where empty or wrong; wrong ones are errors);
        a two-digit year in the future goes back a century."""
        assessed, short = self.dates("assessed_on")
        if assessed is None:
            return None
        if short:
            column = self.columns[self.field_column["assessed_on"]]
            for k, value in enumerate(column):
                if value in short and assessed[k] > self.today:
                    assessed[k] = minus_century(assessed[k])
        return [d if isinstance(d, date) else None for d in assessed]


def pick_positions(positions: list[int]):
    """A function returning the items of a list at `positions`, as a tuple (C speed)."""
    if len(positions) == 1:
        only = positions[0]
        return lambda values: (values[only],)
    return itemgetter(*positions)
