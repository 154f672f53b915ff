"""Speed of the pure import engine against a raw python-calamine read of the same file.

    .venv/bin/python bench/import_engine.py [path.xlsx]

Generates the 50,000 x 20-skill export (tests/imports/filegen.py) when no path is given.
Prints wall time and CPU time (the machine is shared: CPU time is the stable figure).
"""

import resource
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from python_calamine import CalamineWorkbook  # noqa: E402

from imports.engine import detect_header, read_table, validate  # noqa: E402
from tests.imports.filegen import generate_large_export  # noqa: E402


class Clock:
    def __init__(self):
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def lap(self) -> tuple[float, float]:
        wall, cpu = time.perf_counter(), time.process_time()
        lap = (wall - self.wall, cpu - self.cpu)
        self.wall, self.cpu = wall, cpu
        return lap


def main() -> None:
    if len(sys.argv) > 1:
        path = Path(sys.argv[1])
    else:
        path = Path("/tmp/esipro_bench_50k.xlsx")
        if not path.exists():
            clock = Clock()
            generate_large_export(path)
            print("generated {} in {:.1f} s (cpu {:.1f} s)".format(path, *clock.lap()))
    clock = Clock()
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    raw_time = clock.lap()
    cells = sum(len(r) for r in rows)
    del rows
    clock = Clock()
    raw = read_table(path)
    read_time = clock.lap()
    header = detect_header(raw)
    header_time = clock.lap()
    result = validate(raw, header, today=date(2026, 1, 5))
    validate_time = clock.lap()
    total = tuple(a + b + c for a, b, c in zip(read_time, header_time, validate_time, strict=True))
    count = result.total_rows
    print(f"file: {path.stat().st_size / 1e6:.1f} MB, {count} rows, {cells} cells")
    for name, (wall, cpu) in (
        ("raw calamine read", raw_time),
        ("read_table", read_time),
        ("detect_header", header_time),
        ("validate", validate_time),
        ("engine total", total),
    ):
        print(f"{name:18} wall {wall:6.2f} s  cpu {cpu:6.2f} s  ({count / cpu:,.0f} rows/s cpu)")
    print(f"engine / raw read: {total[1] / raw_time[1]:.1f}x (cpu), {total[0] / raw_time[0]:.1f}x (wall)")
    print(f"employees {len(result.employees)}, skills {len(result.skills)}, errors {len(result.errors)}")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
