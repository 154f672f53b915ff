"""Reads of the imports app, scoped to what the acting user may see."""

from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.permissions import has_any_right
from imports.engine import IGNORE, SKILL_PREFIX, ImportFileError, detect_header, read_table

from .models import EmployeeChange, ImportJob, ImportMapping, ImportRowError


def import_job_visible_qs(user) -> QuerySet[ImportJob]:
    """Jobs of the organisation for admins (run) and HR (view); nothing for other roles. (Jobs whose worker
    died are failed by the periodic task ``imports.fail_stale``, never by a read.)"""
    if not has_any_right(user, "imports.view", "imports.run"):
        return ImportJob.objects.none()
    return ImportJob.objects.select_related("created_by")


def import_job_errors(job: ImportJob, *, offset: int = 0, limit: int | None = None) -> list[dict]:
    """Every error of `job` (or `limit` of them from `offset`), in file order, as dicts with the keys
    row, column, value and message."""
    qs = ImportRowError.objects.filter(job=job).order_by("id").values("row", "column", "value", "message")
    return list(qs[offset:] if limit is None else qs[offset:offset + limit])


def import_job_error_qs(job: ImportJob) -> QuerySet[ImportRowError]:
    """The job's errors, in file order, for a paginated list."""
    return ImportRowError.objects.filter(job=job).order_by("id")


DECISION_TEXTS = {
    "0-4": gettext_lazy("Niveaux lus sur une échelle de 0 à 4"),
    "1-5": gettext_lazy("Niveaux lus sur une échelle de 1 à 5, ramenés à 0–4"),
    "DMY": gettext_lazy("Dates lues jour/mois/année"),
    "MDY": gettext_lazy("Dates lues mois/jour/année"),
    "YMD": gettext_lazy("Dates lues année-mois-jour"),
    "excel": gettext_lazy("Dates lues comme des numéros de série Excel"),
    "cells": gettext_lazy("Dates lues dans des cellules au format date"),
}


def import_job_decisions(job: ImportJob) -> list[str]:
    """How the file was read, in French: one sentence per decision, naming its columns
    ("Dates lues jour/mois/année : Date de naissance, Date d'entrée")."""
    columns_by_decision: dict[str, list[str]] = {}
    for kind in ("level_scales", "date_formats"):
        for column, decision in job.decision_maps[kind].items():
            if decision in DECISION_TEXTS:
                columns_by_decision.setdefault(decision, []).append(str(column))
    return [
        _("%(decision)s : %(columns)s") % {"decision": DECISION_TEXTS[decision], "columns": ", ".join(columns)}
        for decision, columns in columns_by_decision.items()
    ]


def import_mapping_list() -> QuerySet[ImportMapping]:
    return ImportMapping.objects.all()


def employee_change_list(*, job: ImportJob) -> QuerySet[EmployeeChange]:
    """The fields the job changed, by staff number, for a paginated list."""
    return EmployeeChange.objects.filter(job=job).select_related("employee").order_by("employee__staff_number", "id")


def import_job_changes(job: ImportJob, *, offset: int = 0, limit: int) -> list[dict]:
    """`limit` changes of `job` from `offset`, as dicts: staff_number, field, field_label, old_value and
    new_value (as stored), old_display and new_display (as a French reader expects them)."""
    return [
        {"staff_number": c.employee.staff_number, "field": c.field, "field_label": c.field_label,
         "old_value": c.old_value, "new_value": c.new_value, "old_display": c.old_display,
         "new_display": c.new_display}
        for c in employee_change_list(job=job)[offset:offset + limit]
    ]


@dataclass(frozen=True)
class PreviewColumn:
    index: int
    header: str
    choice: str  # field name, "skill:<label>" or "ignore"

    @property
    def skill_choice(self) -> str:
        """The value meaning "this column holds levels of one skill" (wide layout)."""
        return self.choice if self.choice.startswith(SKILL_PREFIX) else SKILL_PREFIX + self.header


@dataclass(frozen=True)
class Preview:
    sheet_name: str
    sheet_names: tuple[str, ...]
    header_row: int
    columns: list[PreviewColumn]
    rows: list[tuple[int, list[str]]]  # (Excel row number, cells as text) of the first data rows
    unknown_columns: tuple[str, ...]
    ignored_columns: tuple[str, ...]
    missing_fields: tuple[str, ...]
    recognised: bool = True  # False: no header was recognised, every column awaits a choice


PREVIEW_ROWS = 20


def import_preview(*, job: ImportJob) -> Preview:
    """What the file looks like to the importer: header row, column -> field, first rows (no write).

    Raises ImportFileError when the file cannot be read."""
    raw = read_table(job.file.path, sheet=job.options.get("sheet") or None,
                     max_rows=settings.ESIPRO_IMPORT_MAX_ROWS,
                     max_bytes=settings.ESIPRO_IMPORT_MAX_MB * 1024 * 1024)
    mapping = job.options.get("mapping") or {}
    recognised = True
    try:
        header = detect_header(raw, mapping=mapping or None)
    except ImportFileError:
        # No row looks like a header: offer the first rows' texts as columns to map by hand.
        texts = {str(v).strip() for row in raw.rows[:10] for v in row if isinstance(v, str) and v.strip()}
        if not texts:
            raise
        header = detect_header(raw, mapping={**{t: IGNORE for t in texts}, **mapping})
        recognised = False
    columns = []
    for index, text in enumerate(header.headers):
        if not str(text).strip():
            continue
        if index in header.columns:
            choice = header.columns[index]
        elif index in header.skill_columns:
            choice = SKILL_PREFIX + header.skill_columns[index]
        else:
            choice = IGNORE
        columns.append(PreviewColumn(index=index, header=str(text), choice=choice))
    rows = []
    for index in range(header.header_index + 1, len(raw.rows)):
        if index in header.footer_indexes:
            continue
        cells = raw.rows[index]
        rows.append((raw.row_numbers[index], [_as_text(cells[c.index]) if c.index < len(cells) else ""
                                              for c in columns]))
        if len(rows) == PREVIEW_ROWS:
            break
    return Preview(
        sheet_name=raw.sheet_name, sheet_names=raw.sheet_names, header_row=header.header_row, columns=columns,
        rows=rows, unknown_columns=header.unknown_columns, ignored_columns=header.ignored_columns,
        missing_fields=header.missing_fields, recognised=recognised,
    )


def _as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M") if (value.hour or value.minute) else value.strftime("%d/%m/%Y")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
