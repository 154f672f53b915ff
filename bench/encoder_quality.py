"""Sentence encoders alone on the mapping benchmark's split, and the embedding cache the other benchmarks reuse.

Embeds every ROME appellation and occupation label once per encoder (cached in ``bench/out``, see
``referentials.engine.encoder.EmbeddingCache``), then, as in ``bench/mapping_quality.py`` (20 % of the
appellations held out), indexes the occupation labels and the other appellations and ranks the codes of each
held-out appellation by their best cosine: top-1 / top-5 of the encoder alone, and its recall at 10 / 30.

    nice .venv/bin/python bench/encoder_quality.py [--encoders use,e5] [--seed 2026]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from referentials.engine.encoder import EmbeddingCache  # noqa: E402
from referentials.engine.evaluation import holdout_split  # noqa: E402
from referentials.engine.rome_files import load_rome_tables  # noqa: E402

CACHE = ROOT / "bench" / "out"


def best_per_code(similarity: np.ndarray, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(unique codes, (n, n_codes) best similarity per code) for (n, n_entries) similarities."""
    order = np.argsort(codes, kind="stable")
    unique, starts = np.unique(codes[order], return_index=True)
    return unique, np.maximum.reduceat(similarity[:, order], starts, axis=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data" / "rome4"))
    parser.add_argument("--encoders", default="use,e5")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    tables = load_rome_tables(args.data)
    train, test = holdout_split(len(tables.title_labels), args.seed)
    occupation_codes = list(tables.occupation_labels)
    for name in args.encoders.split(","):
        cache = EmbeddingCache(CACHE, name)
        started = time.perf_counter()
        before = len(cache)
        titles = cache.embed(tables.title_labels)
        occupations = cache.embed([tables.occupation_labels[c] for c in occupation_codes])
        print(f"{name}: {len(cache) - before} labels embedded in {time.perf_counter() - started:.1f} s "
              f"({len(cache)} cached)", flush=True)
        entries = np.vstack([titles[train], occupations])
        codes = np.concatenate([tables.title_codes[train], np.array(occupation_codes)])
        unique, best = best_per_code(titles[test] @ entries.T, codes)
        ranked = unique[np.argsort(-best, axis=1)[:, :30]]
        found = ranked == tables.title_codes[test][:, None]
        print(f"{name} alone (seed {args.seed}): top-1 {found[:, 0].mean():.3f}  top-5 {found[:, :5].any(1).mean():.3f}"
              f"  @10 {found[:, :10].any(1).mean():.3f}  @30 {found.any(1).mean():.3f}", flush=True)


if __name__ == "__main__":
    main()
