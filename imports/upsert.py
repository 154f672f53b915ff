"""The write phase of a staff import: validated rows -> the organisation's tables, set-based.

Called inside the import's one transaction (see services.import_run). Employees that are new or
differ from the stored ones go through a temporary staging table filled with COPY, then one
``INSERT … ON CONFLICT (staff_number) DO UPDATE … WHERE (columns) IS DISTINCT FROM (excluded
columns)`` limited to the fields the file provides, so that an unchanged row costs no write and a
column absent from the file never blanks stored data. Skill levels are compared with the current
ones as numpy arrays; first levels go in one binary COPY, changed ones through the skills matrix.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime
from operator import itemgetter

import numpy as np
from django.db import connection

from core.sideconnection import side_connection
from core.staging import stage, upsert
from imports.engine import SkillCell, StaffRow
from imports.models import EmployeeChange
from skills_matrix.engine import normalize_label
from skills_matrix.models import EmployeeSkill, OrgSkill
from skills_matrix.services import (
    employee_skills_bulk_set,
    employee_skills_first_levels,
    org_skills_get_or_create_many,
)
from workforce.models import Employee, Job, OrgUnit

EMPLOYEES, CHANGES = Employee._meta.db_table, EmployeeChange._meta.db_table
JOBS, UNITS, LEVELS = Job._meta.db_table, OrgUnit._meta.db_table, EmployeeSkill._meta.db_table
STAGE, SEEN = "import_staff_stage", "import_seen"  # temporary tables, dropped at commit
# import field -> Employee column, for the plain columns of the staging table
TEXT_FIELDS = {"last_name": 150, "first_name": 150, "email": 254}
DATE_FIELDS = ("birth_date", "hire_date", "exit_date")
STAGE_TYPES = {
    "id": "bigint", "staff_number": "text", "last_name": "text", "first_name": "text", "email": "text",
    "birth_date": "date", "hire_date": "date", "exit_date": "date", "job_id": "bigint", "org_unit_id": "bigint",
    "fte": "numeric(4, 3)", "is_active": "boolean", "manager_id": "bigint", "manager_staff_number": "text",
    "sex": "text", "contract_type": "text",
}
STAGE_COLUMNS = tuple(STAGE_TYPES)
# Employee column -> what to insert for a new employee when the file lacks the field
DEFAULTS = {
    "last_name": "''", "first_name": "''", "email": "''", "birth_date": "NULL", "hire_date": "NULL",
    "exit_date": "NULL", "job_id": "NULL", "org_unit_id": "NULL", "fte": "1", "is_active": "true",
    "manager_id": "NULL", "sex": "''", "contract_type": "''",
}
# Employee column -> (history field name, SQL of the old value, SQL of the new value)
HISTORY = {
    "last_name": ("last_name", "e.last_name", "s.last_name"),
    "first_name": ("first_name", "e.first_name", "s.first_name"),
    "email": ("email", "e.email", "s.email"),
    "birth_date": ("birth_date", "e.birth_date::text", "s.birth_date::text"),
    "hire_date": ("hire_date", "e.hire_date::text", "s.hire_date::text"),
    "exit_date": ("exit_date", "e.exit_date::text", "s.exit_date::text"),
    "is_active": ("is_active", "e.is_active::text", "s.is_active::text"),
    "job_id": ("job", "oj.title", "nj.title"),
    "org_unit_id": ("org_unit", "ou.name", "nu.name"),
    "fte": ("fte", "e.fte::text", "s.fte::text"),
    "manager_id": ("manager", "om.staff_number", "CASE WHEN s.manager_id IS NULL THEN NULL ELSE s.manager_staff_number END"),
    "contract_type": ("contract_type", "e.contract_type", "s.contract_type"),
}
# "sex" has no history entry on purpose: it is restricted, and the change history is read by more roles.


@dataclass
class WriteCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    departed: int = 0
    skills: int = 0


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _columns_for(fields_present: Iterable[str]) -> list[str]:
    """Employee columns the file provides (an exit date also decides whether the person is present)."""
    fields = set(fields_present)
    columns = [f for f in (*TEXT_FIELDS, *DATE_FIELDS) if f in fields]
    if "exit_date" in fields:
        columns.append("is_active")
    if "job_title" in fields:
        columns.append("job_id")
    if "org_unit" in fields:
        columns.append("org_unit_id")
    if "fte" in fields:
        columns.append("fte")
    if "manager_staff_number" in fields:
        columns.append("manager_id")
    columns.extend(f for f in ("sex", "contract_type") if f in fields)
    return columns


def org_unit_ids(names: Iterable[str], *, created: list[str] | None = None) -> dict[str, int]:
    """Key of each unit name -> id; units not found (ignoring case and spaces) are created at the top
    (their names appended to `created`)."""
    wanted = {}
    for name in names:
        wanted.setdefault(_key(name), " ".join(name.split())[:200])
    wanted.pop("", None)
    ids: dict[str, int] = {}
    for pk, name, parent in OrgUnit.objects.values_list("id", "name", "parent_id").order_by("parent_id", "id"):
        if parent is None or _key(name) not in ids:
            ids.setdefault(_key(name), pk)
    missing = [OrgUnit(name=name) for key, name in wanted.items() if key not in ids]
    for unit in OrgUnit.objects.bulk_create(missing):
        ids[_key(unit.name)] = unit.pk
        if created is not None:
            created.append(unit.name)
    return ids


RomeChanges = dict[int, tuple[str, str]]  # job id -> (stored ROME code, the file's)


def job_ids(
    titles_with_rome: Iterable[tuple[str, str | None]], *, aliases: dict[str, str] | None = None,
    created: list[str] | None = None,
) -> tuple[dict[str, int], RomeChanges]:
    """Key of each job title -> id, and job id -> (stored, new) ROME code of each known job whose code the
    file changes; from one (title, ROME code or None) pair per row.

    Missing jobs are created with the file's ROME code (their titles appended to `created`); a row without
    a code changes nothing. Rows of one job that disagree on the code are refused by validation; in a
    partial import the remaining rows agree, and in any case the most frequent code wins (the first in the
    file on a tie). `aliases`: key of a file title -> title of the job it stands for (chosen on a preview)."""
    aliases = aliases or {}
    wanted: dict[str, tuple[str, Counter]] = {}
    aliased: dict[str, str] = {}
    for (title, rome), rows in Counter(titles_with_rome).items():
        if _key(title) in aliases:
            aliased[_key(title)] = _key(aliases[_key(title)])
            title = aliases[_key(title)]
        key = _key(title)
        if key:
            codes = wanted.setdefault(key, (" ".join(title.split())[:200], Counter()))[1]
            if rome:
                codes[rome[:5]] += rows
    rome_of = {key: codes.most_common(1)[0][0] for key, (_title, codes) in wanted.items() if codes}
    ids: dict[str, int] = {}
    changes: RomeChanges = {}
    for pk, title, rome in Job.objects.values_list("id", "title", "rome_code"):
        key = _key(title)
        if key not in ids:
            ids[key] = pk
            if rome_of.get(key, rome) != rome:
                changes[pk] = (rome, rome_of[key])
    missing = [Job(title=title, rome_code=rome_of.get(key, "")) for key, (title, _codes) in wanted.items()
               if key not in ids]
    for job in Job.objects.bulk_create(missing):
        ids[_key(job.title)] = job.pk
        if created is not None:
            created.append(job.title)
    for source, target in aliased.items():
        ids[source] = ids[target]
    if changes:
        Job.objects.bulk_update([Job(pk=pk, rome_code=new) for pk, (_old, new) in changes.items()],
                                ["rome_code"])
    return ids, changes


def record_rome_changes(*, changes: RomeChanges, employees: list[StaffRow], import_job_id: int,
                        now: datetime) -> int:
    """One EmployeeChange "rome_code" per employee who stays in a job whose ROME code the file changed
    (``job_ids``) and whose row gives that new code; call after ``upsert_employees``. Returns how many of
    these employees it had not already counted as updated: for the user, the code of that row changed."""
    if not changes:
        return 0
    jobs, old, new = zip(*((pk, *codes) for pk, codes in changes.items()), strict=True)
    coded = [e for e in employees if e.rome_code]
    with connection.cursor() as cursor:
        cursor.execute(
            "WITH rome AS (SELECT * FROM unnest(%(jobs)s::bigint[], %(old)s::text[], %(new)s::text[])"
            " AS r(job_id, old, new)),"
            f" touched AS (SELECT e.id, e.updated_at, r.old, r.new FROM {EMPLOYEES} e"
            " JOIN rome r ON r.job_id = e.job_id"
            " JOIN unnest(%(numbers)s::text[], %(codes)s::text[]) AS f(staff_number, rome)"
            " ON f.staff_number = e.staff_number AND f.rome = r.new WHERE e.created_at <> %(now)s"
            f" AND NOT EXISTS (SELECT 1 FROM {CHANGES} c WHERE c.employee_id = e.id"
            " AND c.job_id = %(import)s AND c.field = 'job')),"
            f" history AS (INSERT INTO {CHANGES}"
            " (employee_id, job_id, field, old_value, new_value, changed_at)"
            " SELECT id, %(import)s, 'rome_code', old, new, %(now)s FROM touched)"
            " SELECT count(*) FROM touched WHERE updated_at <> %(now)s",
            {"jobs": list(jobs), "old": list(old), "new": list(new), "now": now, "import": import_job_id,
             "numbers": [e.staff_number for e in coded], "codes": [e.rome_code for e in coded]},
        )
        return cursor.fetchone()[0]


def _text(value: str | None, limit: int) -> str:
    return (value or "")[:limit]


def employee_ids(employees: list[StaffRow]) -> dict[str, int]:
    """Staff number -> id of every employee of the organisation and of every new one in `employees`.

    New employees get their id from the table's sequence now, so that managers (often new in the
    same file) are resolved before the one INSERT instead of by a second pass over every row."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT staff_number, id FROM {EMPLOYEES}")
        ids = dict(cursor.fetchall())
    new = [e.staff_number for e in employees if e.staff_number not in ids]
    if new:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT nextval(pg_get_serial_sequence('{EMPLOYEES}', 'id')) FROM generate_series(1, %s)",
                [len(new)],
            )
            ids.update(zip(new, (pk for (pk,) in cursor.fetchall()), strict=True))
    return ids


def stage_employees(employees: list[StaffRow], *, fields_present: frozenset[str], today: date,
                    units: dict[str, int], jobs: dict[str, int], ids: dict[str, int]) -> int:
    """COPY into the temporary table import_staff_stage (dropped at commit) the employees that are new
    or whose stored columns (those the file provides) differ from the file's; returns how many.

    The comparison is made here on the very values the COPY would send, against one read of the stored
    rows, so that a re-import stages (and the upsert joins) nothing; ``upsert_employees`` still writes
    only rows that differ, so a row staged for nothing changes nothing."""
    columns = _columns_for(fields_present)
    positions = [STAGE_COLUMNS.index(c) for c in columns]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT staff_number{''.join(f', {c}' for c in columns)} FROM {EMPLOYEES}")
        fte = columns.index("fte") + 1 if "fte" in columns else None
        stored = {row[0]: tuple(float(v) if i == fte else v for i, v in enumerate(row) if i)
                  for row in cursor.fetchall()}
        job_of = {title: jobs.get(_key(title)) for title in {e.job_title for e in employees if e.job_title}}
        unit_of = {name: units.get(_key(name)) for name in {e.org_unit for e in employees if e.org_unit}}

        def differing():
            for e in employees:
                manager = e.manager_staff_number
                row = (
                    ids[e.staff_number], e.staff_number, _text(e.last_name, 150), _text(e.first_name, 150),
                    _text(e.email, 254), e.birth_date, e.hire_date, e.exit_date,
                    job_of[e.job_title] if e.job_title else None,
                    unit_of[e.org_unit] if e.org_unit else None,
                    round(e.fte, 3) if e.fte is not None else 1,
                    e.exit_date is None or e.exit_date > today,
                    ids.get(manager) if manager else None, manager, e.sex or "", e.contract_type or "",
                )
                before = stored.get(e.staff_number)
                if before is None or before != tuple(row[i] for i in positions):
                    yield row

        return stage(cursor, STAGE, list(STAGE_TYPES.items()), differing(), primary_key=["staff_number"],
                     drop_at_commit=True)


def record_changes(*, fields_present: frozenset[str], import_job_id: int, now: datetime) -> int:
    """Write one EmployeeChange per field that the staged file changes on an existing employee."""
    columns = _columns_for(fields_present)
    values = [HISTORY[c] for c in columns if c in HISTORY]
    joins = []
    if "job_id" in columns:
        joins.append(f"LEFT JOIN {JOBS} oj ON oj.id = e.job_id LEFT JOIN {JOBS} nj ON nj.id = s.job_id")
    if "org_unit_id" in columns:
        joins.append(f"LEFT JOIN {UNITS} ou ON ou.id = e.org_unit_id "
                     f"LEFT JOIN {UNITS} nu ON nu.id = s.org_unit_id")
    if "manager_id" in columns:
        joins.append(f"LEFT JOIN {EMPLOYEES} om ON om.id = e.manager_id")
    if not values:
        return 0
    rows = ", ".join(f"('{name}', {old}, {new})" for name, old, new in values)
    sql = (
        f"INSERT INTO {CHANGES} (employee_id, job_id, field, old_value, new_value, changed_at) "
        "SELECT e.id, %s, f.field, COALESCE(f.old, ''), COALESCE(f.new, ''), %s "
        f"FROM {STAGE} s JOIN {EMPLOYEES} e ON e.staff_number = s.staff_number "
        f"{' '.join(joins)} CROSS JOIN LATERAL (VALUES {rows}) AS f(field, old, new) "
        # The first test keeps the employees the file changes (none on a re-import) before the field by field one.
        f"WHERE ROW({', '.join(f'e.{c}' for c in columns)}) IS DISTINCT FROM ROW({', '.join(f's.{c}' for c in columns)}) "
        "AND f.old IS DISTINCT FROM f.new"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [import_job_id, now])
        return cursor.rowcount


def upsert_employees(*, fields_present: frozenset[str], now: datetime, total: int) -> WriteCounts:
    """One INSERT … ON CONFLICT from the staging table (``core.staging.upsert``), limited to the columns the
    file provides; counts created/updated/unchanged."""
    columns = _columns_for(fields_present)
    insert_columns = ["id", "staff_number", *DEFAULTS, "created_at", "updated_at"]
    selected = [f"s.{c}" if c in columns else DEFAULTS[c] for c in DEFAULTS]
    select_sql = f"SELECT s.id, s.staff_number, {', '.join(selected)}, %s, %s FROM {STAGE} s "
    if columns:
        # Rows equal to the stored ones are left out before the INSERT: they cost no row lock.
        select_sql += (f"WHERE NOT EXISTS (SELECT 1 FROM {EMPLOYEES} e WHERE e.staff_number = s.staff_number "
                       f"AND ROW({', '.join(f'e.{c}' for c in columns)}) "
                       f"IS NOT DISTINCT FROM ROW({', '.join(f's.{c}' for c in columns)})) ")
    with connection.cursor() as cursor:
        counts = upsert(
            cursor, table=Employee, insert_columns=insert_columns, select_sql=select_sql, key=["staff_number"],
            total=total, update_columns=[*columns, "updated_at"] if columns else [], compare_columns=columns,
            params=[now, now],
        )
    return WriteCounts(created=counts.created, updated=counts.updated, unchanged=counts.unchanged)


def write_employees(
    employees: list[StaffRow], *, fields_present: frozenset[str], units: dict[str, int], jobs: dict[str, int],
    rome_changes: RomeChanges, ids: dict[str, int], import_job_id: int, today: date, now: datetime,
    seen_staff_numbers: Callable[[], Iterable[str]] | None = None,
    on_step: Callable[[str], None] = lambda step: None,
) -> WriteCounts:
    """The employees' part of an import's write phase, in its order, and its counts, computed once.

    Stage the rows that differ, record their changes, upsert them; then the employees the file changes
    beyond their row (back after a full export missed them, a new ROME code of their job) count as
    updated, and departures are those of the file's exit dates plus, for a full export
    (``seen_staff_numbers`` given: every staff number of the file), the present employees it misses.
    ``on_step`` is told "employees" before the upsert and "departures" before a full export's departures."""
    stage_employees(employees, fields_present=fields_present, today=today, units=units, jobs=jobs, ids=ids)
    record_changes(fields_present=fields_present, import_job_id=import_job_id, now=now)
    on_step("employees")
    written = upsert_employees(fields_present=fields_present, now=now, total=len(employees))
    also_updated = bring_back_departed(
        employees=employees, fields_present=fields_present, import_job_id=import_job_id, today=today, now=now,
    ) + record_rome_changes(changes=rome_changes, employees=employees, import_job_id=import_job_id, now=now)
    departed = count_departures_by_exit_date(import_job_id=import_job_id)
    if seen_staff_numbers is not None:
        on_step("departures")
        departed += depart_absent(seen_staff_numbers=seen_staff_numbers(), import_job_id=import_job_id,
                                  today=today, now=now)
    return WriteCounts(created=written.created, updated=written.updated + also_updated,
                       unchanged=written.unchanged - also_updated, departed=departed)


def count_departures_by_exit_date(*, import_job_id: int) -> int:
    """Existing employees this import turned absent because the file gives them an exit date."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM {CHANGES} WHERE job_id = %s AND field = 'is_active' "
            "AND new_value = 'false'", [import_job_id],
        )
        return cursor.fetchone()[0]


def depart_absent(*, seen_staff_numbers: Iterable[str], import_job_id: int, today: date, now: datetime) -> int:
    """Full export: every present employee missing from the file leaves today (never deleted).

    The history rows of such a departure are marked ``absent_from_file`` (with the exit date it filled,
    if any), so that a later file listing the employee again can undo it (``bring_back_departed``)."""
    with connection.cursor() as cursor:
        stage(cursor, SEEN, [("staff_number", "text")], ((number,) for number in set(seen_staff_numbers)),
              primary_key=["staff_number"], drop_at_commit=True, analyze=False)
        cursor.execute(
            "WITH gone AS ("
            f" UPDATE {EMPLOYEES} e SET is_active = false,"
            " exit_date = COALESCE(e.exit_date, %(today)s), updated_at = %(now)s"
            f" FROM {EMPLOYEES} was WHERE was.id = e.id AND e.is_active"
            f" AND NOT EXISTS (SELECT 1 FROM {SEEN} s WHERE s.staff_number = e.staff_number)"
            " RETURNING e.id, was.exit_date IS NULL AS dated),"
            f" history AS (INSERT INTO {CHANGES}"
            " (employee_id, job_id, field, old_value, new_value, changed_at, absent_from_file)"
            " SELECT id, %(job)s, 'is_active', 'true', 'false', %(now)s, true FROM gone"
            " UNION ALL"
            " SELECT id, %(job)s, 'exit_date', '', %(today)s::date::text, %(now)s, true FROM gone WHERE dated)"
            " SELECT count(*) FROM gone",
            {"today": today, "now": now, "job": import_job_id},
        )
        return cursor.fetchone()[0]


def bring_back_departed(*, employees: list[StaffRow], fields_present: frozenset[str], import_job_id: int,
                        today: date, now: datetime) -> int:
    """Employees listed in the file whose last departure a full export recorded because its file missed
    them come back: present again, with the exit date they had before it (none, usually), and history
    rows. Call after ``upsert_employees``; returns how many of them it had not already counted as updated.

    Only a file without an exit-date column needs this (one with it decides presence in the upsert).
    A departure from a file's exit date, or one whose exit date someone changed since, stays."""
    if "exit_date" in fields_present:
        return 0
    with connection.cursor() as cursor:
        # Usually no row: the file's staff numbers are only looked at when someone left this way.
        cursor.execute(
            f"SELECT e.staff_number, e.id FROM {EMPLOYEES} e CROSS JOIN LATERAL ("
            f" SELECT c.absent_from_file FROM {CHANGES} c WHERE c.employee_id = e.id"
            " AND c.field = 'is_active' ORDER BY c.changed_at DESC, c.id DESC LIMIT 1) last"
            " WHERE NOT e.is_active AND last.absent_from_file"
        )
        departed = dict(cursor.fetchall())
        if not departed:
            return 0
        ids = [departed[number] for number in departed.keys() & {e.staff_number for e in employees}]
        if not ids:
            return 0
        cursor.execute(
            "WITH departure AS ("
            f" SELECT DISTINCT ON (c.employee_id) c.employee_id, c.job_id FROM {CHANGES} c"
            " WHERE c.employee_id = ANY(%(ids)s) AND c.field = 'is_active'"
            " ORDER BY c.employee_id, c.changed_at DESC, c.id DESC),"
            " back AS ("
            " SELECT e.id, e.updated_at AS was_updated_at, e.exit_date AS old_exit,"
            " CASE WHEN x.id IS NULL THEN e.exit_date ELSE NULLIF(x.old_value, '')::date END AS new_exit"
            f" FROM departure d JOIN {EMPLOYEES} e ON e.id = d.employee_id"
            f" LEFT JOIN {CHANGES} x ON x.employee_id = d.employee_id AND x.job_id = d.job_id"
            " AND x.field = 'exit_date' AND x.absent_from_file"
            " WHERE x.id IS NULL OR x.new_value = e.exit_date::text),"
            " returned AS ("
            f" UPDATE {EMPLOYEES} e SET is_active = true, exit_date = b.new_exit, updated_at = %(now)s"
            " FROM back b WHERE e.id = b.id AND (b.new_exit IS NULL OR b.new_exit > %(today)s)"
            " RETURNING e.id, b.was_updated_at, b.old_exit, b.new_exit),"
            f" history AS (INSERT INTO {CHANGES}"
            " (employee_id, job_id, field, old_value, new_value, changed_at)"
            " SELECT r.id, %(job)s, f.field, f.old, f.new, %(now)s FROM returned r CROSS JOIN LATERAL (VALUES"
            " ('exit_date', COALESCE(r.old_exit::text, ''), COALESCE(r.new_exit::text, '')),"
            " ('is_active', 'false', 'true')) AS f(field, old, new) WHERE f.old <> f.new)"
            " SELECT count(*) FROM returned WHERE was_updated_at <> %(now)s",
            {"ids": ids, "now": now, "today": today, "job": import_job_id},
        )
        return cursor.fetchone()[0]


def skill_ids_for(
    labels: Iterable[str], *, aliases: dict[str, str] | None = None, created: list[str] | None = None
) -> dict[str, int]:
    """Organisation skill id of each label; unknown labels become skills queued for mapping (needs_mapping),
    their labels appended to `created`. `aliases`: normalized label -> label of the skill it stands for."""
    aliases = aliases or {}
    labels = list(dict.fromkeys(labels))
    targets = {label: aliases.get(normalize_label(label), label) for label in labels}
    before = set(OrgSkill.objects.filter(
        normalized_label__in={normalize_label(t) for t in targets.values()}).values_list("normalized_label", flat=True))
    by_label = org_skills_get_or_create_many(labels=list(dict.fromkeys(targets.values())))
    if created is not None:
        created += list(dict.fromkeys(s.label for s in by_label.values() if s.normalized_label not in before))
    return {label: by_label[target].pk for label, target in targets.items()}


Levels = tuple[np.ndarray, np.ndarray, np.ndarray]


def current_levels_soon(skill_ids: list[int], *, beside: bool) -> Callable[[], Levels]:
    """Start reading the current levels of these skills; returns a function that waits for them.

    With ``beside``, they are read through a side connection in a thread, on the other core, while the
    import writes its employees: only for a transaction that has written nothing these skills' levels
    depend on before (the import's own, started by ``import_run``; not a caller's enclosing transaction,
    whose uncommitted rows the side connection would not see). Otherwise, and when no side connection
    can be opened, they are read in the transaction when asked for."""
    if not skill_ids:
        return lambda: _current_levels(None, [])
    side = side_connection() if beside else None
    if side is None:
        return lambda: _current_levels(None, skill_ids)

    def read() -> Levels:
        with side:
            return _current_levels(side.cursor(), skill_ids)

    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-current-levels")
    future = executor.submit(read)
    executor.shutdown(wait=False)
    return future.result


def write_skills(
    *, skills: list[SkillCell], skill_ids: dict[str, int], current: Callable[[], Levels], ids: dict[str, int],
    user, now: datetime, progress: Callable[[float], None] = lambda fraction: None,
) -> int:
    """Store the file's skill levels through the skills matrix (append-only); ``skill_ids`` from
    ``skill_ids_for`` and ``current`` from ``current_levels_soon``. Returns the number of levels written.

    The file's levels are compared with the current ones as numpy arrays: pairs without a level get
    their first one in one binary COPY (``employee_skills_first_levels``); changed levels and new
    assessment dates go through ``employee_skills_bulk_set``, which closes the current row and opens a
    new one. A re-import that changes nothing writes nothing and costs little."""
    if not skills:
        return 0
    count = len(skills)
    # Columns streamed out of the cells (a transposing zip would build tuples the GC then walks).
    cell_employees = np.fromiter(map(ids.__getitem__, map(_STAFF_NUMBER, skills)), dtype=np.int64, count=count)
    cell_skills = np.fromiter(map(skill_ids.__getitem__, map(_SKILL_LABEL, skills)), dtype=np.int64, count=count)
    keys, first = np.unique(cell_employees << 32 | cell_skills, return_index=True)  # the first cell of a pair wins
    levels = np.fromiter(map(_LEVEL, skills), dtype=np.int64, count=count)[first]
    if any(map(_ASSESSED_ON, skills)):
        dates = np.array(list(map(_ASSESSED_ON, skills)), dtype="datetime64[D]")[first]  # None -> NaT
    else:
        dates = np.full(len(first), np.datetime64("NaT"), dtype="datetime64[D]")
    days = np.where(np.isnat(dates), NO_DATE, dates.astype(np.int64))
    current_keys, current_levels, current_days = current()
    progress(0.2)
    new = np.ones(len(keys), dtype=bool)
    changed = np.zeros(len(keys), dtype=bool)
    if len(current_keys):
        position = np.minimum(np.searchsorted(current_keys, keys), len(current_keys) - 1)
        found = current_keys[position] == keys
        same = (current_levels[position] == levels) & ((days == NO_DATE) | (current_days[position] == days))
        new, changed = ~found, found & ~same
    written = employee_skills_first_levels(
        employee_ids=keys[new] >> 32, skill_ids=keys[new] & 0xFFFFFFFF, levels=levels[new], assessed_on=dates[new],
        source=EmployeeSkill.Source.IMPORT, user=user, at=now,
        progress=lambda fraction: progress(0.2 + 0.6 * fraction),
    )
    if changed.any():
        rows = zip((keys[changed] >> 32).tolist(), (keys[changed] & 0xFFFFFFFF).tolist(), levels[changed].tolist(),
                   [None if np.isnat(d) else d.item() for d in dates[changed]], strict=True)
        result = employee_skills_bulk_set(rows=rows, source=EmployeeSkill.Source.IMPORT, user=user, at=now)
        written += result.created + result.updated
    progress(1.0)
    return written


_STAFF_NUMBER, _SKILL_LABEL, _LEVEL, _ASSESSED_ON = (itemgetter(SkillCell._fields.index(name)) for name in (
    "staff_number", "skill_label", "level", "assessed_on"))
NO_DATE = -(2**31)
# One bytea value of fixed-width records, sorted in numpy: reading 900,000 levels row by row through
# COPY TO would hand them over one message at a time.
_CURRENT = np.dtype([("key", ">i8"), ("level", ">i2"), ("days", ">i4")])


def _current_levels(cursor, skill_ids: list[int]) -> Levels:
    """Current rows of these skills as arrays sorted by key (employee << 32 | skill): keys, levels and
    assessment dates (days since 1970, NO_DATE when none). ``cursor``: a side connection's, or None for
    the transaction's own."""
    data = b""
    if skill_ids:
        query = (
            "SELECT string_agg(int8send((employee_id << 32) | skill_id) || int2send(level::int2) "
            f"|| int4send(COALESCE(assessed_on - DATE '1970-01-01', {NO_DATE})), ''::bytea) "
            f"FROM {LEVELS} WHERE valid_to IS NULL AND skill_id = ANY(%s)"
        )
        if cursor is None:
            with connection.cursor() as own:
                own.execute(query, [skill_ids])
                (data,) = own.fetchone()
        else:
            cursor.execute(query, [skill_ids])
            (data,) = cursor.fetchone()
    rows = np.frombuffer(bytes(data or b""), dtype=_CURRENT)
    # Native, contiguous copies first: sorting big-endian strided fields is slow and holds the GIL.
    keys, levels, days = (rows[name].astype(np.int64) for name in ("key", "level", "days"))
    order = np.argsort(keys, kind="stable")
    return keys[order], levels[order], days[order]


def existing_staff_numbers() -> frozenset[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT staff_number FROM {EMPLOYEES}")
        return frozenset(number for (number,) in cursor.fetchall())
