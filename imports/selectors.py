"""Reads of the imports app, scoped to what the acting user may see."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.permissions import has_any_right
from imports.engine import IGNORE, SKILL_PREFIX, ImportFileError, detect_header

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


def created_items(job: ImportJob) -> dict[str, list[str]]:
    """The labels of the jobs, org units and skills the job created (would create, for a dry run)."""
    stored = job.created_items or {}
    return {key: list(stored.get(key) or []) for key in ("jobs", "org_units", "skills")}


DECISION_LABELS = {
    "field": gettext_lazy("lue comme champ"),
    "skill": gettext_lazy("compétence"),
    "ignored": gettext_lazy("ignorée"),
    "sensitive": gettext_lazy("donnée sensible"),
    "unknown": gettext_lazy("non lue"),
    "duplicate": gettext_lazy("en double"),
}


def import_job_column_decisions(job: ImportJob) -> list[dict]:
    """How each column of the job's file was read, in file order: {"column", "decision", "label" (French),
    "target", "reason" (French)}."""
    from imports.engine import FIELD_LABELS, REASONS

    rows = []
    for column, decision, target, reason in job.column_decisions or []:
        shown = target[len(SKILL_PREFIX):] if target.startswith(SKILL_PREFIX) else (
            _(FIELD_LABELS[target]) if target in FIELD_LABELS else target)
        rows.append({"column": column, "decision": decision, "label": str(DECISION_LABELS.get(decision, decision)),
                     "target": shown, "reason": _(REASONS[reason]) if reason in REASONS else reason})
    return rows


def import_job_created_jobs(job: ImportJob) -> list[dict]:
    """The jobs the import created that still exist, each with the ROME occupation the engine suggests when
    the job has none yet: {"title", "rome_code" (the job's), "suggestion" (referentials Suggestion or None)}."""
    from referentials.suggest import suggest_occupations
    from workforce.models import Job

    titles = (job.created_items or {}).get("jobs") or []
    found = {j.title: j for j in Job.objects.filter(title__in=titles)}
    rows = []
    for title in titles:
        existing = found.get(title)
        if existing is None:
            continue
        suggestion = None if existing.rome_code else next(iter(suggest_occupations(title, k=1)), None)
        rows.append({"title": title, "rome_code": existing.rome_code, "suggestion": suggestion})
    return rows


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
    decision: str = "unknown"  # imports.engine.ColumnDecision.decision
    reason: str = ""  # French: why the column is read this way

    @property
    def skill_choice(self) -> str:
        """The value meaning "this column holds levels of one skill" (wide layout)."""
        return self.choice if self.choice.startswith(SKILL_PREFIX) else SKILL_PREFIX + self.header


@dataclass(frozen=True)
class PreviewRow:
    number: int  # Excel row number
    cells: list[str]
    errors: list[str]  # "Colonne : message", the report's messages for this row


@dataclass(frozen=True)
class Preview:
    sheet_name: str
    sheet_names: tuple[str, ...]
    header_row: int
    columns: list[PreviewColumn]
    rows: list[PreviewRow]  # the first data rows, then the first rows in error
    unknown_columns: tuple[str, ...]
    ignored_columns: tuple[str, ...]
    missing_fields: tuple[str, ...]
    recognised: bool = True  # False: no header was recognised, every column awaits a choice
    checked: bool = False  # the rows were validated (a staff-number column is known)
    total_rows: int = 0
    error_count: int = 0
    invalid_rows: int = 0
    errors: tuple = ()  # the first RowErrors, as the report lists them
    near_matches: tuple = ()  # imports.matching.NearMatch of the file's new skills and jobs
    check_message: str = ""  # why the rows could not be checked


PREVIEW_ROWS = 20
PREVIEW_ERROR_ROWS = 30
PREVIEW_ERRORS = 100


def import_preview(*, job: ImportJob) -> Preview:
    """What the file looks like to the importer, read once: header row, each column's decision and why,
    the first rows with the errors the import would report (and the first rows in error), and the likely
    existing skills and jobs behind the file's new labels. No write.

    Raises ImportFileError when the file cannot be read."""
    from imports.engine import REASONS
    from imports.matching import near_duplicates
    from imports.services import import_analyse, import_header, import_read

    raw = import_read(path=job.file.path, options=job.options)
    recognised = True
    try:
        header = import_header(raw=raw, options=job.options)
    except ImportFileError:
        # No row looks like a header: offer the first rows' texts as columns to map by hand.
        texts = {str(v).strip() for row in raw.rows[:10] for v in row if isinstance(v, str) and v.strip()}
        if not texts:
            raise
        header = detect_header(raw, mapping={**{t: IGNORE for t in texts}, **(job.options.get("mapping") or {})})
        recognised = False
    analysis, check_message = None, ""
    if recognised and not header.missing_fields:
        try:
            analysis = import_analyse(options=job.options, raw=raw)
        except ImportFileError as exc:
            check_message = exc.message
    if analysis is not None:
        header = analysis.header  # validation may drop a column (another system's manager identifiers)
    decisions = {d.column: d for d in header.decisions}
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
        decision = decisions.get(text)
        columns.append(PreviewColumn(
            index=index, header=str(text), choice=choice, decision=decision.decision if decision else "unknown",
            reason=_(REASONS[decision.reason]) if decision and decision.reason in REASONS else "",
        ))
    result = analysis.result if analysis is not None else None
    messages: dict[int, list[str]] = {}
    for error in (result.errors if result is not None else ()):
        messages.setdefault(error.row, []).append(f"{error.column} : {error.message}" if error.column
                                                  else error.message)
    rows = _preview_rows(raw, header, columns, messages)
    matches = ()
    if result is not None:
        matches = tuple(near_duplicates(
            skill_labels=result.skill_labels,
            job_titles=[e.job_title for e in result.employees if e.job_title],
        ))
    return Preview(
        sheet_name=raw.sheet_name, sheet_names=raw.sheet_names, header_row=header.header_row, columns=columns,
        rows=rows, unknown_columns=header.unknown_columns, ignored_columns=header.ignored_columns,
        missing_fields=header.missing_fields, recognised=recognised, checked=result is not None,
        total_rows=result.total_rows if result is not None else 0,
        error_count=len(result.errors) if result is not None else 0,
        invalid_rows=len(result.invalid_rows) if result is not None else 0,
        errors=tuple(result.errors[:PREVIEW_ERRORS]) if result is not None else (),
        near_matches=matches, check_message=check_message,
    )


def _preview_rows(raw, header, columns: list[PreviewColumn], messages: dict[int, list[str]]) -> list[PreviewRow]:
    """The first PREVIEW_ROWS data rows, then up to PREVIEW_ERROR_ROWS more rows in error, in file order."""
    rows = []
    in_error = 0
    for index in range(header.header_index + 1, len(raw.rows)):
        if index in header.footer_indexes:
            continue
        number = raw.row_numbers[index]
        first = len(rows) < PREVIEW_ROWS
        if not first and number not in messages:
            continue
        if not first:
            in_error += 1
            if in_error > PREVIEW_ERROR_ROWS:
                break
        cells = raw.rows[index]
        rows.append(PreviewRow(number, [_as_text(cells[c.index]) if c.index < len(cells) else "" for c in columns],
                               messages.get(number, [])))
    return rows


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
