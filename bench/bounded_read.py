"""Refusing the crafted workbooks of issue 9: time and peak memory, per format and per path.

Usage (from the repository root, a migrated database as for ``make run``, or ``DATABASE_URL``):

    .venv/bin/python bench/bounded_read.py [--repeat 3]

A 2 KB workbook whose one far cell (``XFD1048576``, or ``Z600000``) is not announced by its dimension
once made the spreadsheet library allocate the whole grid (549,755,813,888 bytes) and killed the
process. Each crafted file (xlsx without dimension, xlsx with a false ``A1:B2`` dimension, xlsx at
Z600000, xls whose DIMENSIONS record lies, ods repeating one cell over the whole grid) is refused:

1. by ``manage.py staff_import --tenant … FILE --json``, run as a real process: wall time (start-up
   included) and exit code; peak resident memory of the command and of its bounded reading child
   (``getrusage(RUSAGE_CHILDREN)`` of a wrapper whose only child is the command);
2. by the upload check of the import page (``imports.services.upload_check``, what the web process
   runs before storing an upload), in a process forked for each run: time, the growth of that process's
   peak resident memory, and the peak of the bounded reading child it forks (for the .xls).

The command's wall and CPU times include Python's and Django's start-up (``manage.py staff_import --help``,
measured the same way, is the baseline); "refusal in-process" is the command's own work, ``call_command``
in this process (after start-up). The 5 s goal applies to the refusal; the peak memory includes start-up.

The goal: under 5 s and under 300 MB for every file. A throw-away organisation ``bench-crafted-…`` is
created and dropped afterwards.
"""

import argparse
import io
import json
import multiprocessing
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import _setup  # noqa: F401
from django.core.files import File
from django.core.management import call_command
from django.db import connection, connections

from imports.engine import ImportFileError
from imports.services import upload_check
from tenants.models import Organization
from tenants.services import organization_create
from tests.imports.filegen import (
    generate_crafted_ods,
    generate_crafted_xls,
    generate_crafted_xlsx,
    generate_hr_export,
    generate_zip_bomb,
)

ROOT = Path(__file__).resolve().parent.parent
CASES = [
    ("xlsx, no dimension, XFD1048576", lambda folder: generate_crafted_xlsx(folder / "crafted.xlsx")),
    ("xlsx, dimension A1:B2, XFD1048576",
     lambda folder: generate_crafted_xlsx(folder / "crafted.xlsx", dimension="A1:B2")),
    ("xlsx, no dimension, Z600000", lambda folder: generate_crafted_xlsx(folder / "crafted.xlsx", cell="Z600000")),
    ("xls, DIMENSIONS A1:B2, IV65536", lambda folder: generate_crafted_xls(folder / "crafted.xls")),
    ("ods, one cell repeated over the grid", lambda folder: generate_crafted_ods(folder / "crafted.ods")),
    # Two files once timed by the test suite: a zip bomb (refused unread) and a real export whose formatted
    # empty rows go down to row 1,048,576 (accepted: 20 employees imported into the throw-away organisation).
    ("xlsx zip bomb, 30 MB of spaces", lambda folder: generate_zip_bomb(folder / "bombe.xlsx")),
    ("xlsx export, ghost rows to 1048576 (accepted)",
     lambda folder: generate_hr_export(folder / "export.xlsx", n_employees=20, ghost_rows=True)),
]
# The wrapper's only child is the command: its peak and its reading child's are RUSAGE_CHILDREN's.
MEASURE = ("import resource, subprocess, sys; done = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
           "print(done.stdout); usage = resource.getrusage(resource.RUSAGE_CHILDREN); "
           "print(usage.ru_maxrss, usage.ru_utime + usage.ru_stime, file=sys.stderr); "
           "sys.exit(done.returncode)")


def command_run(*arguments: str) -> tuple[float, int, float, str, float]:
    """(seconds, exit code, peak MB, message, CPU seconds) of ``manage.py *arguments`` as a real process."""
    environment = dict(os.environ, DATABASE_URL=_database_url())
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, sys.executable, "manage.py", *arguments],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=300,
    )
    seconds = time.perf_counter() - started
    peak_kb, cpu = done.stderr.strip().splitlines()[-1].split()
    message = json.loads(done.stdout)["message"] if "--json" in arguments else ""
    return seconds, done.returncode, int(peak_kb) / 1024, message, float(cpu)


def in_process(slug: str, path: Path) -> tuple[float, int]:
    """(seconds, exit code) of the command's own work: ``call_command("staff_import")`` in this process."""
    out = io.StringIO()
    started = time.perf_counter()
    try:
        call_command("staff_import", "--tenant", slug, str(path), "--json", stdout=out, stderr=io.StringIO())
        code = 0
    except SystemExit as exc:
        code = exc.code
    seconds = time.perf_counter() - started
    connection.set_schema_to_public()
    return seconds, code


def page_check(path: Path) -> tuple[float, float, float, str]:
    """The upload check of ``path`` in a process forked for it (fresh peak-memory counters)."""
    connections.close_all()  # the forked process must not share the database connection
    with multiprocessing.get_context("fork").Pool(1) as pool:
        return pool.apply(_page_check, (path,))


def _page_check(path: Path) -> tuple[float, float, float, str]:
    """(seconds, growth of this process's peak MB, reading child's peak MB, message) of the upload check."""
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    with path.open("rb") as handle:
        try:
            upload_check(File(handle), file_name=path.name)
            message = "accepté"
        except ImportFileError as exc:
            message = exc.message
    seconds = time.perf_counter() - started
    growth = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return seconds, growth, child, message


def _database_url() -> str:
    settings = connection.settings_dict
    from urllib.parse import quote

    host = settings["HOST"] or "127.0.0.1"
    host = quote(host, safe="") if host.startswith("/") else host
    port = f":{settings['PORT']}" if settings.get("PORT") else ""
    password = f":{quote(settings['PASSWORD'], safe='')}" if settings.get("PASSWORD") else ""
    return f"postgresql://{settings['USER']}{password}@{host}{port}/{settings['NAME']}"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    slug = f"bench-crafted-{uuid.uuid4().hex[:6]}"
    organization_create(slug=slug, name="Bench crafted")
    print(f"load average {os.getloadavg()[0]:.1f}; median of {args.repeat} runs; peak = worst run\n")
    baseline = [command_run("staff_import", "--help") for _ in range(args.repeat)]
    start_seconds, start_mb = statistics.median(b[0] for b in baseline), max(b[2] for b in baseline)
    start_cpu = statistics.median(b[4] for b in baseline)
    print(f"start-up alone (manage.py staff_import --help): {start_seconds:.2f} s wall, {start_cpu:.2f} s CPU, "
          f"{start_mb:.0f} MB\n")
    print("| file | size | exit | command s (wall) | command s (CPU) | command peak MB | refusal in-process s "
          "| page check s | page peak growth MB | page reading child MB |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    worst_seconds = worst_mb = 0.0
    try:
        with tempfile.TemporaryDirectory(prefix="esipro-crafted-") as folder:
            for number, (name, make) in enumerate(CASES):
                case = Path(folder) / str(number)
                case.mkdir()
                path = make(case)
                commands = [command_run("staff_import", "--tenant", slug, str(path), "--json")
                            for _ in range(args.repeat)]
                pages = [page_check(path) for _ in range(args.repeat)]
                own = [in_process(slug, path) for _ in range(args.repeat)]
                codes = {c[1] for c in commands} | {o[1] for o in own}
                cpu = statistics.median(c[4] for c in commands)
                own_seconds = statistics.median(o[0] for o in own)
                seconds = statistics.median(c[0] for c in commands)
                peak = max(c[2] for c in commands)
                page_seconds = statistics.median(p[0] for p in pages)
                growth, child = max(p[1] for p in pages), max(p[2] for p in pages)
                worst_seconds = max(worst_seconds, own_seconds, page_seconds)
                worst_mb = max(worst_mb, peak, growth, child)
                print(f"| {name} | {path.stat().st_size:,} B | {'/'.join(map(str, sorted(codes)))} | {seconds:.2f} "
                      f"| {cpu:.2f} | {peak:.0f} | {own_seconds:.3f} | {page_seconds:.3f} | {growth:.0f} | {child:.0f} |")
                print(f"|   ↳ message | | {commands[0][3][:150]} |", file=sys.stderr)
    finally:
        connection.set_schema_to_public()
        Organization.objects.get(slug=slug).delete(force_drop=True)
    verdict = "met" if worst_seconds < 5 and worst_mb < 300 else "NOT met"
    print(f"\nworst refusal (in-process command or page check): {worst_seconds:.2f} s; worst peak: {worst_mb:.0f} MB"
          f" — goal (< 5 s, < 300 MB) {verdict}")


if __name__ == "__main__":
    main()
