"""Employees' levels, append-only: a change closes the current row and opens a new one."""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import psycopg
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import has_right, refusal_message
from core import pgcopy
from core.errors import ApplicationError
from core.staging import stage
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


# The status ladder, lowest first: declared < observed < validated < certified.
STATUS_LADDER = list(Status.values)


def _kept_status(current: EmployeeSkill | None, level: int, status: str) -> str:
    """Re-recording the current level with a lower status confirms the level without lowering its
    status (a supervisor's observation does not undo HR's certification); a different level is a new
    assessment and takes ``status``."""
    if current is not None and current.level == level and (
            STATUS_LADDER.index(current.status) > STATUS_LADDER.index(status)):
        return current.status
    return status


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
    unchanged (``assessed_on=None`` keeps the current date). The same level never goes down the
    status ladder: a lower ``status`` keeps the current one (see ``_kept_status``).
    """
    _check_level(level)
    _check_choice(status, Status, _("Statut"))
    _check_choice(source, Source, _("Source"))
    at = at or timezone.now()
    current = (EmployeeSkill.objects.select_for_update()
               .filter(employee=employee, skill=skill, valid_to__isnull=True).first())
    status = _kept_status(current, level, status)
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
    try:
        with transaction.atomic():
            return EmployeeSkill.objects.create(
                employee=employee, skill=skill, level=level, status=status, source=source,
                assessed_on=assessed_on, valid_from=at, recorded_by=user,
            )
    except IntegrityError as exc:  # someone recorded a first level for this pair at the same moment
        raise ApplicationError(
            _("Ce niveau vient d'être modifié par quelqu'un d'autre : rechargez la page et recommencez.")
        ) from exc


@transaction.atomic
def employee_skill_assess(
    *, user, employee: Employee, skill: OrgSkill, level: int, status: str | None = None,
    source: str | None = None, assessed_on: datetime.date | None = None,
) -> EmployeeSkill:
    """``user`` records a level: on their own profile it is a self-assessment (declared, and a no-op
    when it repeats the current level); on someone else's it needs ``skills.assess`` and that person in
    their scope (a supervisor's team); only HR and administrators (``skills.edit``) may record a certified
    level. Repeating the current level with a lower status keeps the current status. A current level
    above what ``user`` may set (see ``status_ceiling``) is never replaced; ``assessed_on`` is never in
    the future, and a level recorded with no date is dated today (not the previous assessment's date)."""
    own = _check_assess_rights(user=user, employee=employee)
    _check_level(level)
    if assessed_on is not None and assessed_on > timezone.localdate():
        raise ApplicationError(
            _("Date d'évaluation %(date)s dans le futur : indiquez la date où le niveau a été évalué "
              "(aujourd'hui au plus tard).") % {"date": assessed_on.strftime("%d/%m/%Y")}
        )
    current = (EmployeeSkill.objects.select_for_update()
               .filter(employee=employee, skill=skill, valid_to__isnull=True).first())
    if status:
        _check_choice(status, Status, _("Statut"))
    if own:
        if status and status != Status.DECLARED:
            raise ApplicationError(
                _("Sur votre propre fiche, un niveau est « déclaré » : le statut « %(status)s » est réservé "
                  "à votre encadrant ou aux RH. Retirez le statut ou demandez-leur une évaluation.")
                % {"status": Status(status).label}
            )
        if current is not None and current.level == level:
            return current  # confirming one's level never downgrades an observed or validated status
        status, source = Status.DECLARED, Source.SELF
    else:
        status = status or Status.OBSERVED
        source = source or Source.SUPERVISOR
        if source == Source.SELF:
            raise ApplicationError(_("Seul le salarié peut s'auto-évaluer : choisissez une autre source."))
        if status == Status.CERTIFIED and not has_right(user, "skills.edit"):
            raise ApplicationError(
                _("Seuls les RH et administrateurs enregistrent un niveau certifié : choisissez « validée ».")
            )
    if assessed_on is None and (current is None or _differs(current, level, _kept_status(current, level, status),
                                                             None)):
        assessed_on = timezone.localdate()  # a new level recorded today without a date was assessed today
    if current is not None and _differs(current, level, _kept_status(current, level, status), assessed_on):
        _check_may_replace(current=current, ceiling=status_ceiling(user=user, own=own), own=own)
    return employee_skill_set(employee=employee, skill=skill, level=level, status=status, source=source,
                              assessed_on=assessed_on, user=user)


@transaction.atomic
def employee_skill_validate(*, user, employee: Employee, skill: OrgSkill) -> EmployeeSkill:
    """A supervisor (or HR) confirms the employee's self-assessed level as it is: same level, status
    validated, source supervisor, dated today."""
    current = EmployeeSkill.objects.filter(employee=employee, skill=skill, valid_to__isnull=True).first()
    if current is None or current.status != Status.DECLARED:
        raise ApplicationError(
            _("Il n'y a pas d'auto-évaluation à valider pour « %(skill)s » : le niveau actuel est déjà évalué "
              "par un encadrant ou les RH.") % {"skill": skill.label}
        )
    if user.employee_id == employee.pk:
        raise ApplicationError(_("Vous ne pouvez pas valider votre propre auto-évaluation : demandez-le à votre "
                                 "encadrant."))
    return employee_skill_assess(user=user, employee=employee, skill=skill, level=current.level,
                                 status=Status.VALIDATED, source=Source.SUPERVISOR)


def status_ceiling(*, user, own: bool) -> str:
    """The highest status ``user`` may set, hence the highest current status they may replace or
    withdraw: declared on one's own profile, certified with ``skills.edit`` (HR, administrators),
    validated otherwise (supervisors)."""
    if own:
        return Status.DECLARED
    return Status.CERTIFIED if has_right(user, "skills.edit") else Status.VALIDATED


def _check_may_replace(*, current: EmployeeSkill, ceiling: str, own: bool) -> None:
    if STATUS_LADDER.index(current.status) <= STATUS_LADDER.index(ceiling):
        return
    if current.status == Status.CERTIFIED and own:
        message = _("Ce niveau est certifié : seuls les RH peuvent le modifier. Proposez une nouvelle évaluation "
                    "à votre encadrant.")
    elif current.status == Status.CERTIFIED:
        message = _("Ce niveau est certifié : seuls les RH et administrateurs peuvent le modifier.")
    else:
        message = _("Ce niveau est « %(status)s » : seuls votre encadrant ou les RH peuvent le modifier. "
                    "Proposez une nouvelle évaluation à votre encadrant.") % {"status": current.get_status_display()}
    raise ApplicationError(message)


def _check_assess_rights(*, user, employee: Employee) -> bool:
    """Whether ``user`` records on their own profile (``skills.self_assess``); on someone else's they
    need ``skills.assess`` and that person in their scope. Raises ``PermissionDenied`` otherwise."""
    if user.employee_id and user.employee_id == employee.pk:
        if not has_right(user, "skills.self_assess"):
            raise PermissionDenied(refusal_message("skills.self_assess"))
        return True
    if not has_right(user, "skills.assess"):
        raise PermissionDenied(refusal_message("skills.assess"))
    if not employee_visible_qs(user).filter(pk=employee.pk).exists():
        raise PermissionDenied(_("Cette personne n'est pas dans votre équipe : seuls ses encadrants et les RH "
                                 "peuvent évaluer ses compétences."))
    return False


@transaction.atomic
def employee_skill_withdraw(*, user, employee: Employee, skill: OrgSkill,
                            at: datetime.datetime | None = None) -> EmployeeSkill:
    """``user`` withdraws ``employee``'s current level in ``skill`` (recorded by mistake); returns the
    closed row.

    The current row is closed at ``at`` (default now) and no new one opened: the history keeps it and
    the levels at earlier dates still read it. Same rights as recording a level; in addition an employee
    withdraws only their own declared level, and only HR and administrators a certified one (the
    ``status_ceiling`` of ``user``).
    """
    own = _check_assess_rights(user=user, employee=employee)
    current = (EmployeeSkill.objects.select_for_update()
               .filter(employee=employee, skill=skill, valid_to__isnull=True).first())
    if current is None:
        raise ApplicationError(
            _("« %(skill)s » n'a aucun niveau en cours pour ce salarié : il n'y a rien à retirer.")
            % {"skill": skill.label},
            status=404,
        )
    if STATUS_LADDER.index(current.status) > STATUS_LADDER.index(status_ceiling(user=user, own=own)):
        if current.status != Status.CERTIFIED:
            raise ApplicationError(
                _("Ce niveau a été observé ou validé : seuls votre encadrant ou les RH peuvent le retirer.")
            )
        if own:
            raise ApplicationError(_("Ce niveau est certifié : seuls les RH peuvent le retirer. Proposez une "
                                     "nouvelle évaluation à votre encadrant."))
        raise ApplicationError(_("Seuls les RH et administrateurs retirent un niveau certifié."))
    at = at or timezone.now()
    if at <= current.valid_from:
        raise ApplicationError(
            _("Le niveau actuel date du %(date)s : un changement doit être postérieur.")
            % {"date": timezone.localtime(current.valid_from).strftime("%d/%m/%Y %H:%M")}
        )
    current.valid_to = at
    current.save(update_fields=["valid_to"])
    return current


@dataclass(frozen=True)
class BulkSetResult:
    created: int
    updated: int
    unchanged: int


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
    and ``valid_from=at`` (default now), except that the current level repeated keeps a higher current
    status (certified stays certified), like ``employee_skill_set``.

    Rows are streamed with COPY into a temporary table and classified against the current rows in
    one join; then one UPDATE closes the current rows that change (level, status, or a new assessment
    date) and one INSERT opens the new ones. Unknown employees, skills or levels reject the whole
    batch (``ApplicationError`` with counts). Returns counts: ``created`` (no level before),
    ``updated`` (level replaced), ``unchanged``.
    """
    _check_choice(status, Status, _("Statut"))
    _check_choice(source, Source, _("Source"))
    at = at or timezone.now()
    es, employees = EmployeeSkill._meta.db_table, Employee._meta.db_table
    skills, levels = OrgSkill._meta.db_table, SkillLevel._meta.db_table
    params = {"at": at, "status": status, "source": source, "user": getattr(user, "pk", None),
              "ladder": STATUS_LADDER}
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS esipro_skill_plan")
        stage(cursor, "esipro_skill_rows_in",
              [("n", "integer"), ("employee_id", "bigint"), ("skill_id", "bigint"), ("level", "integer"),
               ("assessed_on", "date")],
              ((n, *row) for n, row in enumerate(rows)), binary_types=["int4", "int8", "int8", "int4", "date"],
              drop_at_commit=True, analyze=False)
        # The same level keeps a higher current status (the ladder of ``_kept_status``).
        kept = ("CASE WHEN c.level = r.level AND array_position(%(ladder)s::text[], c.status::text) "
                "> array_position(%(ladder)s::text[], %(status)s::text) THEN c.status ELSE %(status)s END")
        cursor.execute(
            f"CREATE TEMP TABLE esipro_skill_plan ON COMMIT DROP AS "
            f"SELECT r.employee_id, r.skill_id, r.level, COALESCE(r.assessed_on, c.assessed_on) AS assessed_on, "
            f"{kept} AS status, "
            f"c.id AS current_id, (c.id IS NOT NULL AND (c.level <> r.level OR c.status <> {kept} "
            f"OR (r.assessed_on IS NOT NULL AND c.assessed_on IS DISTINCT FROM r.assessed_on))) AS changed, "
            f"e.id IS NULL AS bad_employee, s.id IS NULL AS bad_skill, l.value IS NULL AS bad_level "
            f"FROM (SELECT DISTINCT ON (employee_id, skill_id) * FROM esipro_skill_rows_in "
            f"ORDER BY employee_id, skill_id, n DESC) r "
            f"LEFT JOIN {es} c ON c.employee_id = r.employee_id AND c.skill_id = r.skill_id AND c.valid_to IS NULL "
            f"LEFT JOIN {employees} e ON e.id = r.employee_id LEFT JOIN {skills} s ON s.id = r.skill_id "
            f"LEFT JOIN {levels} l ON l.value = r.level",
            params,
        )
        cursor.execute("ANALYZE esipro_skill_plan")
        cursor.execute(
            "SELECT count(*), count(*) FILTER (WHERE bad_employee), count(*) FILTER (WHERE bad_skill), "
            "count(*) FILTER (WHERE bad_level), count(*) FILTER (WHERE current_id IS NULL), "
            "count(*) FILTER (WHERE changed) FROM esipro_skill_plan"
        )
        total, bad_employees, bad_skills, bad_levels, created, updated = cursor.fetchone()
        _refuse_unknown(bad_employees, bad_skills, bad_levels)
        # The keys have no database constraint (see EmployeeSkill): hold the referenced rows until commit.
        for table, column in [(employees, "employee_id"), (skills, "skill_id")]:
            cursor.execute(
                f"SELECT count(*) FROM (SELECT t.id FROM {table} t "
                f"WHERE t.id IN (SELECT DISTINCT {column} FROM esipro_skill_plan) FOR KEY SHARE) locked"
            )
        if updated:
            cursor.execute(
                f"UPDATE {es} SET valid_to = %(at)s WHERE id IN "
                f"(SELECT current_id FROM esipro_skill_plan WHERE changed)",
                params,
            )
        if created or updated:
            cursor.execute(
                f"INSERT INTO {es} (employee_id, skill_id, level, status, source, assessed_on, valid_from, "
                f"valid_to, recorded_by_id) "
                f"SELECT employee_id, skill_id, level, status, %(source)s, assessed_on, %(at)s, NULL, %(user)s "
                f"FROM esipro_skill_plan WHERE current_id IS NULL OR changed ORDER BY employee_id, skill_id",
                params,
            )
        cursor.execute("DROP TABLE esipro_skill_rows_in, esipro_skill_plan")
    return BulkSetResult(created=created, updated=updated, unchanged=total - created - updated)


FIRST_LEVELS_SLICE = 100_000


def employee_skills_first_levels(
    *, employee_ids: np.ndarray, skill_ids: np.ndarray, levels: np.ndarray, assessed_on: np.ndarray,
    source: str, user, status: str = Status.VALIDATED, at: datetime.datetime | None = None,
    progress: Callable[[float], None] = lambda fraction: None,
) -> int:
    """Record the first level of pairs that have none yet, in one binary COPY (no staging table).

    Arrays of one row per pair, no pair twice: ``employee_ids`` and ``skill_ids`` (int64 pks),
    ``levels`` (ints of the level scale), ``assessed_on`` (``datetime64[D]``, NaT when unknown). Every
    row gets ``status``, ``source``, ``recorded_by=user`` and ``valid_from=at`` (default now).
    ``progress(fraction)`` is called as the rows are sent. Unknown employees, skills or levels reject
    the whole batch, like ``employee_skills_bulk_set``; so does a pair that already has a current level
    (the database's "one current level" index), which callers read beforehand (the staff import does).
    Returns the number of rows written. For pairs that may have a level, use ``employee_skills_bulk_set``.
    """
    _check_choice(status, Status, _("Statut"))
    _check_choice(source, Source, _("Source"))
    count = len(employee_ids)
    if not count:
        return 0
    # Sorted by pair, like the history index: its pages fill in order (and the checks below are linear).
    order = np.argsort(employee_ids.astype(np.int64) << 32 | skill_ids.astype(np.int64), kind="stable")
    employee_ids, skill_ids, levels, assessed_on = (a[order] for a in (employee_ids, skill_ids, levels, assessed_on))
    new_pair = np.r_[True, (employee_ids[1:] != employee_ids[:-1]) | (skill_ids[1:] != skill_ids[:-1])]
    if not new_pair.all():
        raise ValueError("a pair appears twice")
    scale = np.fromiter(SkillLevel.objects.values_list("value", flat=True), dtype=np.int64)
    bad_levels = int(np.count_nonzero(~np.isin(levels, scale)))
    employees = employee_ids[np.r_[True, employee_ids[1:] != employee_ids[:-1]]]
    bad_employees = _missing_and_locked(Employee._meta.db_table, employees)
    bad_skills = _missing_and_locked(OrgSkill._meta.db_table, np.unique(skill_ids))
    _refuse_unknown(bad_employees, bad_skills, bad_levels)
    missing_dates = np.isnat(assessed_on)
    data = pgcopy.payload([
        pgcopy.Column("int8", employee_ids.astype(np.int64)),
        pgcopy.Column("int8", skill_ids.astype(np.int64)),
        pgcopy.Column("int2", levels.astype(np.int16)),
        pgcopy.Column("text", status),
        pgcopy.Column("text", source),
        pgcopy.Column("date", np.where(missing_dates, 0, assessed_on.astype(np.int64)), null=missing_dates),
        pgcopy.Column("timestamptz", at or timezone.now()),
        pgcopy.Column("int8", getattr(user, "pk", 0) or 0, null=getattr(user, "pk", None) is None),
    ], count)
    table = EmployeeSkill._meta.db_table
    step = max(1, len(data) * FIRST_LEVELS_SLICE // count)
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            with cursor.cursor.copy(
                f"COPY {table} (employee_id, skill_id, level, status, source, assessed_on, valid_from, "
                f"recorded_by_id) FROM STDIN (FORMAT BINARY)"
            ) as copy:
                view = memoryview(data)
                for offset in range(0, len(data), step):
                    copy.write(view[offset:offset + step])
                    progress(min(1.0, (offset + step) / len(data)))
    except (IntegrityError, psycopg.errors.UniqueViolation) as exc:  # psycopg's own: the COPY uses its cursor
        raise ApplicationError(
            _("Des niveaux ont été enregistrés pendant l'import pour certains de ces salariés : relancez-le.")
        ) from exc
    return count


def _refuse_unknown(bad_employees: int, bad_skills: int, bad_levels: int) -> None:
    """The whole batch is refused when one row names an unknown employee or skill, or a level off the scale."""
    if bad_employees or bad_skills or bad_levels:
        raise ApplicationError(
            _("Niveaux refusés : %(e)s ligne(s) avec un salarié inconnu, %(s)s avec une compétence "
              "inconnue, %(l)s avec un niveau hors échelle.")
            % {"e": bad_employees, "s": bad_skills, "l": bad_levels},
            extra={"unknown_employees": bad_employees, "unknown_skills": bad_skills, "invalid_levels": bad_levels},
        )


def _missing_and_locked(table: str, ids: np.ndarray) -> int:
    """How many of ``ids`` have no row in ``table``; the others are held (FOR KEY SHARE) until commit,
    since EmployeeSkill's keys have no database constraint."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM (SELECT id FROM {table} WHERE id = ANY(%s) FOR KEY SHARE) found",
            [ids.tolist()],
        )
        return len(ids) - cursor.fetchone()[0]
