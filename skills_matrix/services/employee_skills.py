"""Employees' levels, append-only: a change closes the current row and opens a new one."""

import datetime
import io
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import has_right
from esipro.errors import ApplicationError
from workforce.models import Employee
from workforce.selectors import employee_visible_qs

from ..models import EmployeeSkill, OrgSkill, SkillLevel

Status = EmployeeSkill.Status
Source = EmployeeSkill.Source


def _check_level(level: int) -> None:
    values = set(SkillLevel.objects.values_list("value", flat=True))
    if level not in values:
        raise ApplicationError(
            _("Niveau %(level)s invalide : l'échelle va de %(min)s à %(max)s.")
            % {"level": level, "min": min(values, default=0), "max": max(values, default=4)}
        )


def _check_choice(value: str, choices, what: str) -> None:
    if value not in choices.values:
        raise ApplicationError(
            _("%(what)s « %(value)s » inconnu : choisissez parmi %(choices)s.")
            % {"what": what, "value": value, "choices": ", ".join(choices.values)}
        )


def _differs(current: EmployeeSkill, level: int, status: str, assessed_on) -> bool:
    # A new assessment date alone is a new fact; a missing date never is (re-imports stay idempotent).
    return (current.level != level or current.status != status
            or (assessed_on is not None and current.assessed_on != assessed_on))


@transaction.atomic
def employee_skill_set(
    *, employee: Employee, skill: OrgSkill, level: int, status: str, source: str,
    assessed_on: datetime.date | None, user, at: datetime.datetime | None = None,
) -> EmployeeSkill:
    """Record ``level`` for ``employee`` in ``skill`` from ``at`` (default now); returns the current row.

    The current row, if any, is closed (``valid_to = at``) and a new one opened, so earlier levels
    stay readable at their dates. Nothing is written when level, status and assessment date are
    unchanged (``assessed_on=None`` keeps the current date).
    """
    _check_level(level)
    _check_choice(status, Status, _("Statut"))
    _check_choice(source, Source, _("Source"))
    at = at or timezone.now()
    current = (EmployeeSkill.objects.select_for_update()
               .filter(employee=employee, skill=skill, valid_to__isnull=True).first())
    if current is not None:
        if not _differs(current, level, status, assessed_on):
            return current
        if at <= current.valid_from:
            raise ApplicationError(
                _("Le niveau actuel date du %(date)s : un changement doit être postérieur.")
                % {"date": timezone.localtime(current.valid_from).strftime("%d/%m/%Y %H:%M")}
            )
        current.valid_to = at
        current.save(update_fields=["valid_to"])
        assessed_on = assessed_on if assessed_on is not None else current.assessed_on
    return EmployeeSkill.objects.create(
        employee=employee, skill=skill, level=level, status=status, source=source,
        assessed_on=assessed_on, valid_from=at, recorded_by=user,
    )


def employee_skill_assess(
    *, user, employee: Employee, skill: OrgSkill, level: int, status: str | None = None,
    source: str | None = None, assessed_on: datetime.date | None = None,
) -> EmployeeSkill:
    """``user`` records a level: on their own profile it is a self-assessment (declared); on someone
    else's it needs ``skills.assess`` and that person in their scope (a supervisor's team);
    only HR and administrators (``skills.edit``) may record a certified level."""
    if user.employee_id and user.employee_id == employee.pk:
        if not has_right(user, "skills.self_assess"):
            raise PermissionDenied
        status, source = Status.DECLARED, Source.SELF
    else:
        if not has_right(user, "skills.assess"):
            raise PermissionDenied
        if not employee_visible_qs(user).filter(pk=employee.pk).exists():
            raise PermissionDenied
        status = status or Status.OBSERVED
        source = source or Source.SUPERVISOR
        if source == Source.SELF:
            raise ApplicationError(_("Seul le salarié peut s'auto-évaluer : choisissez une autre source."))
        if status == Status.CERTIFIED and not has_right(user, "skills.edit"):
            raise ApplicationError(
                _("Seuls les RH et administrateurs enregistrent un niveau certifié : choisissez « validée ».")
            )
    return employee_skill_set(employee=employee, skill=skill, level=level, status=status, source=source,
                              assessed_on=assessed_on, user=user)


@dataclass(frozen=True)
class BulkSetResult:
    created: int
    updated: int
    unchanged: int


def _copy_text(rows: Iterable) -> io.StringIO:
    buffer = io.StringIO()
    write = buffer.write
    for n, (employee_id, skill_id, level, assessed_on) in enumerate(rows):
        write(f"{n}\t{int(employee_id)}\t{int(skill_id)}\t{int(level)}\t"
              f"{assessed_on.isoformat() if assessed_on else chr(92) + 'N'}\n")
    buffer.seek(0)
    return buffer


@transaction.atomic
def employee_skills_bulk_set(
    *, rows: Iterable[tuple[int, int, int, datetime.date | None]], source: str, user,
    status: str = Status.VALIDATED, at: datetime.datetime | None = None,
) -> BulkSetResult:
    """Set many levels at once, append-only, in a handful of set-based statements.

    ``rows``: iterable of ``(employee_id, org_skill_id, level, assessed_on)`` tuples —
    ``employee_id`` a ``workforce.Employee`` pk, ``org_skill_id`` an ``OrgSkill`` pk, ``level`` an int
    of the level scale (0–4 by default), ``assessed_on`` a ``date`` or ``None`` (keeps the current date).
    When a pair appears twice, the last row wins. Every row gets ``status``, ``source``, ``recorded_by=user``
    and ``valid_from=at`` (default now).

    Rows are streamed with COPY into a temporary table; then one UPDATE closes the current rows that
    change (level, status, or a new assessment date) and one INSERT opens the new ones. Unknown
    employees, skills or levels reject the whole batch (``ApplicationError`` with counts).
    Returns counts: ``created`` (no level before), ``updated`` (level replaced), ``unchanged``.
    """
    _check_choice(status, Status, _("Statut"))
    _check_choice(source, Source, _("Source"))
    at = at or timezone.now()
    es = EmployeeSkill._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS esipro_skill_rows_in, esipro_skill_rows")
        cursor.execute(
            "CREATE TEMP TABLE esipro_skill_rows_in (n integer, employee_id bigint, skill_id bigint, "
            "level integer, assessed_on date) ON COMMIT DROP"
        )
        with cursor.cursor.copy("COPY esipro_skill_rows_in FROM STDIN") as copy:
            buffer = _copy_text(rows)
            while chunk := buffer.read(1 << 20):
                copy.write(chunk)
        cursor.execute(
            "CREATE TEMP TABLE esipro_skill_rows ON COMMIT DROP AS "
            "SELECT DISTINCT ON (employee_id, skill_id) employee_id, skill_id, level, assessed_on "
            "FROM esipro_skill_rows_in ORDER BY employee_id, skill_id, n DESC"
        )
        cursor.execute("ANALYZE esipro_skill_rows")
        cursor.execute(
            f"SELECT count(*), count(*) FILTER (WHERE e.id IS NULL), count(*) FILTER (WHERE s.id IS NULL), "
            f"count(*) FILTER (WHERE l.value IS NULL) FROM esipro_skill_rows r "
            f"LEFT JOIN {Employee._meta.db_table} e ON e.id = r.employee_id "
            f"LEFT JOIN {OrgSkill._meta.db_table} s ON s.id = r.skill_id "
            f"LEFT JOIN {SkillLevel._meta.db_table} l ON l.value = r.level"
        )
        total, bad_employees, bad_skills, bad_levels = cursor.fetchone()
        if bad_employees or bad_skills or bad_levels:
            raise ApplicationError(
                _("Niveaux refusés : %(e)s ligne(s) avec un salarié inconnu, %(s)s avec une compétence "
                  "inconnue, %(l)s avec un niveau hors échelle.")
                % {"e": bad_employees, "s": bad_skills, "l": bad_levels},
                extra={"unknown_employees": bad_employees, "unknown_skills": bad_skills,
                       "invalid_levels": bad_levels},
            )
        params = {"at": at, "status": status, "source": source, "user": getattr(user, "pk", None)}
        cursor.execute(
            f"UPDATE {es} c SET valid_to = %(at)s FROM esipro_skill_rows r "
            f"WHERE c.employee_id = r.employee_id AND c.skill_id = r.skill_id AND c.valid_to IS NULL "
            f"AND (c.level <> r.level OR c.status <> %(status)s "
            f"OR (r.assessed_on IS NOT NULL AND c.assessed_on IS DISTINCT FROM r.assessed_on))",
            params,
        )
        updated = cursor.rowcount
        cursor.execute(
            f"INSERT INTO {es} (employee_id, skill_id, level, status, source, assessed_on, valid_from, "
            f"valid_to, recorded_by_id) "
            f"SELECT r.employee_id, r.skill_id, r.level, %(status)s, %(source)s, "
            f"COALESCE(r.assessed_on, (SELECT p.assessed_on FROM {es} p WHERE p.employee_id = r.employee_id "
            f"AND p.skill_id = r.skill_id AND p.valid_to = %(at)s ORDER BY p.valid_from DESC LIMIT 1)), %(at)s, NULL, %(user)s "
            f"FROM esipro_skill_rows r WHERE NOT EXISTS (SELECT 1 FROM {es} c WHERE c.employee_id = r.employee_id "
            f"AND c.skill_id = r.skill_id AND c.valid_to IS NULL)",
            params,
        )
        inserted = cursor.rowcount
        cursor.execute("DROP TABLE esipro_skill_rows_in, esipro_skill_rows")
    return BulkSetResult(created=inserted - updated, updated=updated, unchanged=total - inserted)
