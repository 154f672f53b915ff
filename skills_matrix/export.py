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
SKILL_COLUMN_WIDTH = 14  # characters; longer skill labels wrap in their header cell
_MAX_TEXT_WIDTH = 40
_MEASURED_ROWS = 2000  # fixed columns are sized on the headers and the first rows
# A text starting with one of these would run in a spreadsheet; it is written as text with a quote prefix.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
WORKBOOK_OPTIONS = {
    "constant_memory": True,  # rows are flushed as they are written: tens of thousands of employees fit
    "in_memory": False,  # constant_memory needs temporary files: with in_memory it is silently off
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
}


def _fixed_column_widths(matrix: SkillMatrix) -> list[int]:
    """Widths (characters) of the staff number, name, first name, job and unit columns: their longest
    text among the header and the first rows, between 8 and 40."""
    headers = [_("Matricule"), _("Nom"), _("Prénom"), _("Emploi"), _("Unité")]
    widths = [len(h) for h in headers]
    for employee in matrix.employees[:_MEASURED_ROWS]:
        texts = (employee.staff_number, employee.last_name, employee.first_name, employee.job_title,
                 employee.org_unit_name)
        widths = [max(width, len(text or "")) for width, text in zip(widths, texts, strict=True)]
    return [min(max(width + 2, 8), _MAX_TEXT_WIDTH) for width in widths]


def _wrapped_lines(label: str, width: int) -> int:
    """Lines a label takes when wrapped at ``width`` characters (word by word)."""
    lines, used = 1, 0
    for word in label.split():
        if used and used + 1 + len(word) > width:
            lines, used = lines + 1, len(word)
        else:
            used += len(word) + (1 if used else 0)
    return lines + (used > width)


def matrix_workbook(matrix: SkillMatrix, scale: list[tuple[int, str]] = (),
                    filters: list[tuple[str, str]] = ()) -> bytes:
    """Sheet "Informations": the date shown and ``filters`` (``[(name, value), ...]`` in words).
    Sheet "Matrice": one row per employee, one column per skill, then the gap count per employee.
    Sheet "Niveaux requis": the same rows and columns, every row naming its employee, with the required
    level in each gap cell. Both sheets: columns sized to their texts, the skill headers wrapped, the skills in
    the matrix's order (grouped by nature or family when it is).
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
    n_skills, n_employees = len(matrix.skills), len(matrix.employees)
    top = 0  # one header row: the sheet stays a flat table, ready for filters and pivot tables
    wrapped = workbook.add_format({"bold": True, "text_wrap": True, "valign": "bottom"})
    wrapped_quoted = workbook.add_format({"bold": True, "text_wrap": True, "valign": "bottom", "quote_prefix": True})
    widths = _fixed_column_widths(matrix)
    skill_width = SKILL_COLUMN_WIDTH
    header_lines = max([_wrapped_lines(s.label, skill_width) for s in matrix.skills] or [1])
    for target in (sheet, required):
        for column, width in enumerate(widths):
            target.set_column(column, column, width)
        if n_skills:
            target.set_column(FIXED_COLUMNS, FIXED_COLUMNS + n_skills - 1, skill_width)
        target.set_column(FIXED_COLUMNS + n_skills, FIXED_COLUMNS + n_skills, 9)
        target.set_row(top, min(15 * header_lines, 120))
        target.freeze_panes(top + 1, FIXED_COLUMNS)
        if n_employees:
            target.autofilter(top, 0, top + n_employees, FIXED_COLUMNS + n_skills - (target is required))
    if n_skills and n_employees:
        for level, (fill, font) in enumerate(zip(LEVEL_FILLS, LEVEL_FONTS, strict=True)):
            sheet.conditional_format(top + 1, FIXED_COLUMNS, top + n_employees, FIXED_COLUMNS + n_skills - 1, {
                "type": "cell", "criteria": "==", "value": level,
                "format": workbook.add_format({"bg_color": f"#{fill}", "font_color": f"#{font}"}),
            })
    headers = [_("Matricule"), _("Nom"), _("Prénom"), _("Emploi"), _("Unité")]
    headers += [s.label for s in matrix.skills] + [_("Écarts")]
    for column, header in enumerate(headers):
        is_skill = FIXED_COLUMNS <= column < FIXED_COLUMNS + n_skills
        quote = header.startswith(_FORMULA_START)
        header_format = (wrapped_quoted if quote else wrapped) if is_skill else (bold_quoted if quote else bold)
        sheet.write_string(top, column, header, header_format)
        if column < len(headers) - 1:
            required.write_string(top, column, header, header_format)

    write_string, write_number, write_blank = sheet.write_string, sheet.write_number, sheet.write_blank
    required_string, required_number = required.write_string, required.write_number
    gaps_per_employee = matrix.summary.gaps_per_employee.tolist()
    levels, gaps, targets = matrix.levels.tolist(), matrix.gaps.tolist(), matrix.targets.tolist()
    for index, employee in enumerate(matrix.employees):
        row = top + 1 + index  # rows of "Niveaux requis" stay those of "Matrice", each naming its employee
        for column, text in enumerate((employee.staff_number, employee.last_name, employee.first_name,
                                       employee.job_title, employee.org_unit_name)):
            if text:
                text_format = quoted if text.startswith(_FORMULA_START) else None
                write_string(row, column, text, text_format)
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
