"""The skills matrix as an Excel workbook (openpyxl): levels coloured by conditional formatting,
gap cells outlined in red, and every text written as text (never a formula)."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
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


def _is_runnable(value) -> bool:
    return isinstance(value, str) and value.startswith(_FORMULA_START)


def styled_cell(sheet, value, **styles) -> WriteOnlyCell:
    """A cell for ``value`` with ``styles``; a text a spreadsheet would run (``=…``, ``+…``, ``-…``,
    ``@…``) is stored as text, never as a formula."""
    cell = WriteOnlyCell(sheet, value=value)
    if _is_runnable(value):
        cell.data_type, cell.quotePrefix = "s", True
    for name, style in styles.items():
        setattr(cell, name, style)
    return cell


def text_cell(sheet, value):
    """``value`` as is, unless it must be neutralised (then a text cell)."""
    return styled_cell(sheet, value) if _is_runnable(value) else value


def matrix_workbook(matrix: SkillMatrix, scale: list[tuple[int, str]] = ()) -> bytes:
    """Sheet "Matrice": one row per employee, one column per skill, then the gap count per employee.
    Sheet "Légende": the level scale ``[(value, label), ...]``. Returns the .xlsx bytes.

    Written in openpyxl's streaming mode, so that a matrix of tens of thousands of employees fits in memory.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Matrice"))
    sheet.freeze_panes = f"{get_column_letter(FIXED_COLUMNS + 1)}2"
    n_skills = len(matrix.skills)
    if matrix.skills and matrix.employees:
        area = (f"{get_column_letter(FIXED_COLUMNS + 1)}2:"
                f"{get_column_letter(FIXED_COLUMNS + n_skills)}{len(matrix.employees) + 1}")
        for level, (fill, font) in enumerate(zip(LEVEL_FILLS, LEVEL_FONTS, strict=True)):
            sheet.conditional_formatting.add(area, CellIsRule(
                operator="equal", formula=[str(level)],
                fill=PatternFill(start_color=fill, end_color=fill, fill_type="solid"), font=Font(color=font),
            ))
    headers = [_("Matricule"), _("Nom"), _("Prénom"), _("Emploi"), _("Unité")]
    headers += [s.label for s in matrix.skills] + [_("Écarts")]
    sheet.append([styled_cell(sheet, header, font=Font(bold=True)) for header in headers])
    gaps_per_employee = matrix.summary.gaps_per_employee.tolist()
    levels, gaps = matrix.levels.tolist(), matrix.gaps.tolist()
    for index, employee in enumerate(matrix.employees):
        row = [text_cell(sheet, value) for value in (
            employee.staff_number, employee.last_name, employee.first_name, employee.job_title,
            employee.org_unit_name)]
        for level, gap in zip(levels[index], gaps[index], strict=True):
            value = level if level >= 0 else None
            row.append(styled_cell(sheet, value, border=GAP_BORDER) if gap > 0 else value)
        row.append(gaps_per_employee[index])
        sheet.append(row)
    legend = workbook.create_sheet(_("Légende"))
    legend.append([_("Niveau"), _("Libellé")])
    for value, label in list(scale) or [(level, "") for level in range(len(LEVEL_FILLS))]:
        fill = LEVEL_FILLS[min(max(value, 0), len(LEVEL_FILLS) - 1)]
        legend.append([value, styled_cell(legend, label, fill=PatternFill(start_color=fill, end_color=fill,
                                                                        fill_type="solid"))])
    legend.append([])
    legend.append([_("Encadré rouge : niveau inférieur au niveau requis par l'emploi.")])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
