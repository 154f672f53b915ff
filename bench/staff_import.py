"""Benchmark of the staff import: 50,000 employees × 20 skill columns (1M skill cells).

Usage (from the repository root, PostgreSQL on 127.0.0.1:5432, dev database migrated):

    .venv/bin/python bench/staff_import.py [--employees 50000] [--skills 20] [--keep]

It generates the SIRH-style file (tests/imports/filegen.generate_large_export) into a temporary
directory (never committed), then times:
1. the raw python-calamine read of the sheet (the floor any import pays);
2. the first import, end to end (read, header, validation, one transaction: staging COPY,
   INSERT … ON CONFLICT, managers, skills), into a fresh organisation of the dev database;
3. the re-import of the same file (must create and update nothing).
It prints rows/s and the peak memory of the process (ru_maxrss), then drops the organisation
(unless --keep). Goals: import < 60 s, peak < 1 GB, within 3x of the raw read, re-import < half.
"""

import argparse
import resource
import time
import uuid
from pathlib import Path

from _scratch import django_in_scratch_dir, size_arguments


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class PhaseTimer:
    """Prints how long each phase of the import took, from the progress reports (imports.progress)."""

    def __init__(self):
        self.last = None

    def handle(self, record) -> None:
        now = time.perf_counter()
        if self.last is not None:
            print(f"    {now - self.last[0]:6.2f} s  {self.last[1]}")
        message = record.getMessage().split(": ", 1)[1]
        self.last = (now, message) if not message.startswith("100 %") else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    size_arguments(parser)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark organisation")
    args = parser.parse_args()

    tmp_holder = django_in_scratch_dir()  # the uploaded copy goes there too, not to .data/media
    tmp = tmp_holder.name
    import logging

    from django.core.files import File
    from django.db import connection
    from django_tenants.utils import tenant_context
    from python_calamine import CalamineWorkbook

    from imports.services import clean_options, import_job_create, import_run

    timer = PhaseTimer()
    handler = logging.Handler()
    handler.emit = timer.handle
    progress_logger = logging.getLogger("imports.progress")
    progress_logger.setLevel(logging.DEBUG)
    progress_logger.addHandler(handler)
    progress_logger.propagate = False
    from tenants.services import organization_create
    from tests.imports.filegen import generate_large_export
    from workforce.models import Employee

    with tmp_holder:
        path = Path(tmp) / "export_personnel.xlsx"
        started = time.perf_counter()
        generate_large_export(path, args.employees, args.skills)
        print(f"file: {args.employees:,} employees × {args.skills} skill columns, "
              f"{path.stat().st_size / 1e6:.1f} MB, generated in {time.perf_counter() - started:.1f} s")

        started = time.perf_counter()
        workbook = CalamineWorkbook.from_path(str(path))
        rows = workbook.get_sheet_by_name(workbook.sheet_names[0]).to_python(skip_empty_area=False)
        raw_seconds = time.perf_counter() - started
        del rows, workbook
        print(f"raw calamine read:  {raw_seconds:6.2f} s  ({args.employees / raw_seconds:,.0f} rows/s)")

        slug = f"bench-import-{uuid.uuid4().hex[:6]}"
        organization = organization_create(slug=slug, name=f"Banc d'essai import {slug}")
        try:
            with tenant_context(organization):
                timings = []
                for label in ("first import", "re-import"):
                    with path.open("rb") as handle:
                        job = import_job_create(user=None, file=File(handle), file_name=path.name,
                                                options=clean_options(), background=False)
                    started = time.perf_counter()
                    job = import_run(job=job)
                    seconds = time.perf_counter() - started
                    timings.append(seconds)
                    print(f"{label + ':':19} {seconds:6.2f} s  ({job.rows / seconds:,.0f} rows/s, "
                          f"{seconds / raw_seconds:.1f}x the raw read)  status={job.status} "
                          f"created={job.created} updated={job.updated} unchanged={job.unchanged} "
                          f"skills={job.skills}")
                    assert job.status == "ok", job.message
                assert Employee.objects.count() == args.employees
        finally:
            if not args.keep:
                connection.set_schema_to_public()
                organization.delete(force_drop=True)
        first, second = timings
        print(f"re-import / first import: {second / first:.2f}")
        print(f"peak memory (ru_maxrss): {_peak_mb():,.0f} MB")
        goals = {
            "import < 60 s": first < 60,
            "peak < 1 GB": _peak_mb() < 1024,
            "within 3x of the raw read": first <= 3 * raw_seconds,
            "re-import < half the first": second < first / 2,
        }
        print("goals: " + ", ".join(f"{name}: {'yes' if ok else 'NO'}" for name, ok in goals.items()))


if __name__ == "__main__":
    main()
