"""The skills matrix as an Excel workbook (xlsxwriter, streamed row by row): levels coloured by
conditional formatting, gap cells outlined in red, and every text written as text (never a formula)."""

import io

import xlsxwriter
from django.utils import timezone
from django.utils.translation import gettext as _

from .selectors import SkillMatrix

# Same scale as the .level-0..4 classes of the page.
LEVEL_FILLS = ["F7F7F7", "DBE7F6", "A9C6EC", "5F93D8", "1D3F72"]
LEVEL_FONTS = ["1B1B1B", "1B1B1B", "1B1B1B", "FFFFFF", "FFFFFF"]
GAP_RED = "#A4161A"
FIXED_COLUMNS = 5
# A text starting with one of these would run in a spreadsheet; it is written as text with a quote prefix.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
WORKBOOK_OPTIONS = {
    "constant_memory": True,  # rows are flushed as they are written: tens of thousands of employees fit
    "in_memory": True,
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
}


def matrix_workbook(matrix: SkillMatrix, scale: list[tuple[int, str]] = (),
                    filters: list[tuple[str, str]] = ()) -> bytes:
    """Sheet "Informations": the date shown and ``filters`` (``[(name, value), ...]`` in words).
    Sheet "Matrice": one row per employee, one column per skill, then the gap count per employee.
    Sheet "Niveaux requis": the same rows and columns, with the required level in each gap cell (rows
    without a gap left empty).
    Sheet "Légende": the level scale ``[(value, label), ...]``. Returns the .xlsx bytes."""
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output, WORKBOOK_OPTIONS)
    quoted = workbook.add_format({"quote_prefix": True})
    bold = workbook.add_format({"bold": True})
    bold_quoted = workbook.add_format({"bold": True, "quote_prefix": True})
    gap = workbook.add_format({"border": 2, "border_color": GAP_RED})

    info = workbook.add_worksheet(_("Informations"))
    info.set_column(0, 0, 22)
    info.set_column(1, 1, 60)
    shown = matrix.at.strftime("%d/%m/%Y") if matrix.at else timezone.localdate().strftime("%d/%m/%Y")
    lines = [(_("Matrice au"), shown), *filters]
    for row, (name, value) in enumerate(lines):
        info.write_string(row, 0, name, bold)
        info.write_string(row, 1, value, quoted if value.startswith(_FORMULA_START) else None)
    if matrix.at:
        info.write_string(len(lines) + 1, 0, _("Salariés présents à cette date ; emplois et niveaux requis "
                                               "d'aujourd'hui (ils n'ont pas d'historique)."))

    sheet = workbook.add_worksheet(_("Matrice"))
    required = workbook.add_worksheet(_("Niveaux requis"))
    sheet.freeze_panes(1, FIXED_COLUMNS)
    n_skills, n_employees = len(matrix.skills), len(matrix.employees)
    if n_skills and n_employees:
        for level, (fill, font) in enumerate(zip(LEVEL_FILLS, LEVEL_FONTS, strict=True)):
            sheet.conditional_format(1, FIXED_COLUMNS, n_employees, FIXED_COLUMNS + n_skills - 1, {
                "type": "cell", "criteria": "==", "value": level,
                "format": workbook.add_format({"bg_color": f"#{fill}", "font_color": f"#{font}"}),
            })
    headers = [_("Matricule"), _("Nom"), _("Prénom"), _("Emploi"), _("Unité")]
    headers += [s.label for s in matrix.skills] + [_("Écarts")]
    for column, header in enumerate(headers):
        sheet.write_string(0, column, header, bold_quoted if header.startswith(_FORMULA_START) else bold)
        if column < len(headers) - 1:
            required.write_string(0, column, header, bold_quoted if header.startswith(_FORMULA_START) else bold)
    required.freeze_panes(1, FIXED_COLUMNS)

    write_string, write_number, write_blank = sheet.write_string, sheet.write_number, sheet.write_blank
    required_string, required_number = required.write_string, required.write_number
    gaps_per_employee = matrix.summary.gaps_per_employee.tolist()
    levels, gaps, targets = matrix.levels.tolist(), matrix.gaps.tolist(), matrix.targets.tolist()
    for index, employee in enumerate(matrix.employees):
        row = index + 1
        in_gap = gaps_per_employee[index] > 0  # rows of "Niveaux requis" stay those of "Matrice", empty without gaps
        for column, text in enumerate((employee.staff_number, employee.last_name, employee.first_name,
                                       employee.job_title, employee.org_unit_name)):
            if text:
                text_format = quoted if text.startswith(_FORMULA_START) else None
                write_string(row, column, text, text_format)
                if in_gap:
                    required_string(row, column, text, text_format)
        column = FIXED_COLUMNS
        for level, missing, target in zip(levels[index], gaps[index], targets[index], strict=True):
            if missing > 0:
                required_number(row, column, target, gap)
                if level >= 0:
                    write_number(row, column, level, gap)
                else:
                    write_blank(row, column, None, gap)
            elif level >= 0:
                write_number(row, column, level)
            column += 1
        write_number(row, column, gaps_per_employee[index])

    legend = workbook.add_worksheet(_("Légende"))
    legend.write_row(0, 0, [_("Niveau"), _("Libellé")], bold)
    entries = list(scale) or [(level, "") for level in range(len(LEVEL_FILLS))]
    for row, (value, label) in enumerate(entries, start=1):
        fill = LEVEL_FILLS[min(max(value, 0), len(LEVEL_FILLS) - 1)]
        legend.write_number(row, 0, value)
        legend.write_string(row, 1, label, workbook.add_format(
            {"bg_color": f"#{fill}", "quote_prefix": label.startswith(_FORMULA_START)}))
    legend.write_string(len(entries) + 2, 0, _("Encadré rouge : niveau inférieur au niveau requis par l'emploi."))
    legend.write_string(len(entries) + 3, 0, _("Feuille « Niveaux requis » : le niveau requis de chaque case en "
                                               "écart."))
    workbook.close()
    return output.getvalue()
