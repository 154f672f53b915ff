"""The skills matrix as an Excel workbook (openpyxl): levels coloured by conditional formatting,
gap cells outlined in red, and every text written as text (never a formula)."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from .selectors import SkillMatrix

# Same scale as the .level-0..4 classes of the page.
LEVEL_FILLS = ["F7F7F7", "DBE7F6", "A9C6EC", "5F93D8", "1D3F72"]
LEVEL_FONTS = ["1B1B1B", "1B1B1B", "1B1B1B", "FFFFFF", "FFFFFF"]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_RED = Side(style="medium", color="A4161A")
GAP_BORDER = Border(left=_RED, right=_RED, top=_RED, bottom=_RED)
FIXED_COLUMNS = 5


def set_text(cell, value) -> None:
    """Write ``value``; a text that a spreadsheet would run (``=…``, ``+…``, ``-…``, ``@…``) stays text."""
    cell.value = value
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        cell.data_type = "s"
        cell.quotePrefix = True


def matrix_workbook(matrix: SkillMatrix, scale: list[tuple[int, str]] = ()) -> bytes:
    """Sheet "Matrice": one row per employee, one column per skill, then the gap count per employee.
    Sheet "Légende": the level scale ``[(value, label), ...]``. Returns the .xlsx bytes."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Matrice")
    headers = [_("Matricule"), _("Nom"), _("Prénom"), _("Emploi"), _("Unité")]
    headers += [s.label for s in matrix.skills] + [_("Écarts")]
    for column, header in enumerate(headers, start=1):
        cell = sheet.cell(row=1, column=column)
        set_text(cell, header)
        cell.font = Font(bold=True)
    gap_column = FIXED_COLUMNS + len(matrix.skills) + 1
    for row, employee in enumerate(matrix.employees, start=2):
        values = [employee.staff_number, employee.last_name, employee.first_name, employee.job_title,
                  employee.org_unit_name]
        for column, value in enumerate(values, start=1):
            set_text(sheet.cell(row=row, column=column), value)
        levels = matrix.levels[row - 2]
        gaps = matrix.gaps[row - 2]
        for index in range(len(matrix.skills)):
            cell = sheet.cell(row=row, column=FIXED_COLUMNS + 1 + index)
            if levels[index] >= 0:
                cell.value = int(levels[index])
            if gaps[index] > 0:
                cell.border = GAP_BORDER
        sheet.cell(row=row, column=gap_column, value=int(matrix.summary.gaps_per_employee[row - 2]))
    if matrix.skills and matrix.employees:
        first = get_column_letter(FIXED_COLUMNS + 1)
        last = get_column_letter(FIXED_COLUMNS + len(matrix.skills))
        area = f"{first}2:{last}{len(matrix.employees) + 1}"
        for level, (fill, font) in enumerate(zip(LEVEL_FILLS, LEVEL_FONTS, strict=True)):
            sheet.conditional_formatting.add(area, CellIsRule(
                operator="equal", formula=[str(level)],
                fill=PatternFill(start_color=fill, end_color=fill, fill_type="solid"), font=Font(color=font),
            ))
    sheet.freeze_panes = sheet.cell(row=2, column=FIXED_COLUMNS + 1)
    legend = workbook.create_sheet(_("Légende"))
    set_text(legend.cell(row=1, column=1), _("Niveau"))
    set_text(legend.cell(row=1, column=2), _("Libellé"))
    scale = list(scale) or [(level, "") for level in range(len(LEVEL_FILLS))]
    for row, (value, label) in enumerate(scale, start=2):
        legend.cell(row=row, column=1, value=value)
        cell = legend.cell(row=row, column=2)
        set_text(cell, label)
        fill = LEVEL_FILLS[min(max(value, 0), len(LEVEL_FILLS) - 1)]
        cell.fill = PatternFill(start_color=fill, end_color=fill, fill_type="solid")
    set_text(legend.cell(row=len(scale) + 3, column=1),
             _("Encadré rouge : niveau inférieur au niveau requis par l'emploi."))
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
