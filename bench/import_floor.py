"""The floor under the staff import's "within 3x of the raw read" goal, measured piece by piece.

Usage (from the repository root, PostgreSQL on 127.0.0.1:5432, dev database migrated):

    .venv/bin/python bench/import_floor.py [--employees 50000] [--skills 20] [--repeat 3]

A first import of the benchmark file must at least (1) read the file and (2) store its 899,770
skill levels as rows of ``skills_matrix_employeeskill`` (the append-only history of the referentials
issue). This script times both with nothing else around them:

1. the raw python-calamine read of the file ``bench/staff_import.py`` imports (``to_python``);
2. one binary ``COPY`` of the same number of rows, built with numpy in one piece (no Python loop, no
   staging table, no check, no change history), into a scratch copy of the table, with the indexes
   the table has added one at a time: the heap alone, + primary key, + the "one current level per
   employee and skill" unique index, + the history index (employee, skill, valid_from) = the real table.

The sum of 1 and the last line of 2 is what a first import costs before any validation, employee row,
org unit, job or progress report; the goal allows 3x line 1. The scratch schema is dropped at the end.
"""

import argparse
import datetime
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import psycopg
from _scratch import ROOT, size_arguments

from core import pgcopy
from esipro.dbconfig import resolve_database_url
from tests.imports.filegen import generate_large_export

TABLE = "skills_matrix_employeeskill"
SCRATCH = "esipro_bench_floor"


def copy_payload(employee_ids: np.ndarray, skill_ids: np.ndarray, levels: np.ndarray) -> bytes:
    """Binary COPY data for (employee_id, skill_id, level, status, source, assessed_on, valid_from) rows,
    built by numpy in one piece (``core.pgcopy``, as the import does)."""
    return pgcopy.payload([
        pgcopy.Column("int8", employee_ids.astype(np.int64)),
        pgcopy.Column("int8", skill_ids.astype(np.int64)),
        pgcopy.Column("int2", levels.astype(np.int16)),
        pgcopy.Column("text", "validated"),
        pgcopy.Column("text", "import"),
        pgcopy.Column("date", 0, null=True),
        pgcopy.Column("timestamptz", datetime.datetime.now(datetime.UTC)),
    ], len(employee_ids))


def time_copy(conn: psycopg.Connection, payload: bytes, indexes: list[str]) -> float:
    """Seconds for one COPY of ``payload`` into a fresh scratch table with ``indexes``, committed."""
    with conn.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA IF EXISTS {SCRATCH} CASCADE")
        cursor.execute(f"CREATE SCHEMA {SCRATCH}")
        cursor.execute(f"CREATE TABLE {SCRATCH}.{TABLE} (LIKE tenant_template.{TABLE} INCLUDING DEFAULTS "
                       f"INCLUDING IDENTITY INCLUDING CONSTRAINTS)")
        for definition in indexes:
            cursor.execute(definition)
        conn.commit()
        started = time.perf_counter()
        with cursor.copy(f"COPY {SCRATCH}.{TABLE} (employee_id, skill_id, level, status, source, assessed_on, "
                         f"valid_from) FROM STDIN (FORMAT BINARY)") as copy:
            view = memoryview(payload)
            for offset in range(0, len(payload), 1 << 20):
                copy.write(view[offset:offset + (1 << 20)])
        conn.commit()
        seconds = time.perf_counter() - started
        cursor.execute(f"DROP SCHEMA {SCRATCH} CASCADE")
        conn.commit()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    size_arguments(parser)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from python_calamine import CalamineWorkbook

    with tempfile.TemporaryDirectory(prefix="esipro-floor-") as tmp:
        path = Path(tmp) / "export_personnel.xlsx"
        generate_large_export(path, args.employees, args.skills)
        reads = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            workbook = CalamineWorkbook.from_path(str(path))
            rows = workbook.get_sheet_by_name(workbook.sheet_names[0]).to_python(skip_empty_area=False)
            reads.append(time.perf_counter() - started)
            header = next(i for i, row in enumerate(rows) if row and row[0] == "Matricule")
            body = rows[header + 1: header + 1 + args.employees]
            levels = np.array([row[-args.skills:] for row in body], dtype=object)
            del rows, workbook
    filled = levels != ""
    employee_ids, skill_ids = np.nonzero(filled)
    values = levels[filled].astype(np.int16)
    payload = copy_payload(employee_ids + 1, skill_ids + 1, values)
    read = statistics.median(reads)
    print(f"raw calamine read: {read:.2f} s (median of {args.repeat}); skill levels in the file: {len(values):,}")

    conn = psycopg.connect(resolve_database_url(ROOT), autocommit=False)
    with conn.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'tenant_template' "
                       "AND tablename = %s", [TABLE])
        definitions = {name: sql.replace("tenant_template.", f"{SCRATCH}.") for name, sql in cursor.fetchall()}
    conn.commit()
    primary = [sql for name, sql in definitions.items() if name.endswith("_pkey")]
    current = [sql for sql in definitions.values() if "WHERE (valid_to IS NULL)" in sql]
    history = [sql for sql in definitions.values() if sql not in primary + current]
    steps = [("heap only", []), ("+ primary key", primary), ("+ one current level per pair (unique)", primary + current),
             ("+ history (employee, skill, valid_from) = the real table", primary + current + history)]
    copy_seconds = 0.0
    for name, indexes in steps:
        copy_seconds = statistics.median(time_copy(conn, payload, indexes) for _ in range(args.repeat))
        print(f"COPY {len(values):,} rows, {name:58} {copy_seconds:5.2f} s")
    conn.close()
    floor = read + copy_seconds
    print(f"floor of a first import (read + COPY into the real table): {floor:.2f} s = {floor / read:.1f}x the raw "
          f"read; the goal allows {3 * read:.2f} s (3x)")
    print(f"a re-import must then take < {floor / 2:.2f} s (half the first) = {floor / 2 / read:.1f}x the raw read")


if __name__ == "__main__":
    main()
