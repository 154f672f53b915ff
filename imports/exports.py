"""The rejected rows of an import as an .xlsx the user can fix and upload again."""

from __future__ import annotations

import io
from collections import defaultdict
from datetime import date, datetime

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from imports.engine import read_table
from imports.engine.parsing import FORMULA_PREFIXES

from .models import ImportJob
from .selectors import import_job_errors


def rejected_rows_workbook(job: ImportJob) -> bytes:
    """Header row and every rejected row of the job's file, as read, plus an "Erreur" column.

    Text is written as typed, in text cells; one starting with = + - @ gets Excel's quote prefix style
    (not a literal apostrophe), so that Excel shows and keeps it as text and the fixed file imports the
    very text the user typed.
    """
    raw = read_table(job.file.path, sheet=job.options.get("sheet") or None,
                     max_rows=settings.ESIPRO_IMPORT_MAX_ROWS,
                     max_bytes=settings.ESIPRO_IMPORT_MAX_MB * 1024 * 1024)
    messages = defaultdict(list)
    for error in import_job_errors(job):
        messages[error["row"]].append(f"{error['column']} : {error['message']}" if error["column"]
                                      else error["message"])
    invalid = set(job.invalid_rows)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Lignes rejetées"))
    width = 0
    for cells, number in zip(raw.rows, raw.row_numbers, strict=True):
        if number == job.header_row:
            width = len(cells)
            header = [_cell(sheet, value, bold=True) for value in cells]
            sheet.append(header + [_cell(sheet, _("Erreur"), bold=True)])
        elif number in invalid:
            padded = list(cells) + [None] * max(0, width - len(cells))
            sheet.append([_cell(sheet, value) for value in padded] + [_cell(sheet, " ; ".join(messages[number]))])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell(sheet, value, *, bold: bool = False) -> WriteOnlyCell:
    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"  # openpyxl takes "=…" for a formula
        if value.startswith(FORMULA_PREFIXES):
            cell.quotePrefix = True
    else:
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, datetime):
            cell.number_format = "dd/mm/yyyy hh:mm"
        elif isinstance(value, date):
            cell.number_format = "dd/mm/yyyy"
    if bold:
        cell.font = Font(bold=True)
    return cell
