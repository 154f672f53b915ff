"""Start-up shared by the benchmarks that import a generated staff file."""

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def size_arguments(parser: argparse.ArgumentParser) -> None:
    """--employees and --skills: the size of the generated file (tests/imports/filegen.generate_large_export)."""
    parser.add_argument("--employees", type=int, default=50_000)
    parser.add_argument("--skills", type=int, default=20)


def django_in_scratch_dir() -> tempfile.TemporaryDirectory:
    """Set Django up with its data folder (uploaded copies, the filesystem broker's folders, caches) in a
    new temporary directory, which is returned: nothing lands in .data. Call before importing models."""
    holder = tempfile.TemporaryDirectory(prefix="esipro-bench-")
    os.environ["ESIPRO_DATA_DIR"] = holder.name
    for folder in ["queue", "processed", "control"]:  # the filesystem broker (see esipro.launcher)
        Path(holder.name, "broker", folder).mkdir(parents=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "esipro.settings")
    import django

    django.setup()
    return holder
