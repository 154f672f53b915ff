"""Skill mapping quality: ESCO French alternative labels as queries for their own preferred labels.

Protocol: every ESCO skill (``esco/esco_v121api_skills_fr.csv``, 13,095) is indexed by its preferred label
only; the alternative labels (``|``-separated) that differ from it once folded are the queries, a
deterministic sample of ``--queries`` of them (seed ``--seed``), split in two halves: the first fits what
is fitted (the σ calibration of encoder cosines, the blend weight), the second is reported. For each
query, the right key is its own skill. Printed: top-1 / top-5 for the lexical engine (``SKILL_CONFIG``),
the encoder alone (best cosine), and the blend (``SKILL_CONFIG`` with the encoder's σ mixed in, the
engine's own code path); with ``--fit``, the logistic curve σ(cosine) over each query's 10 nearest
preferred labels and how it reads (shown σ band -> share right) on the reported half.

    nice .venv/bin/python bench/skill_mapping.py [--encoder use] [--seed 2026] [--queries 3000] [--fit]
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from referentials.engine import SKILL_CONFIG, build_index, fold, query, skill_config  # noqa: E402
from referentials.engine.encoder import EmbeddingCache  # noqa: E402
from referentials.engine.similarity import SIGMA_CALIBRATION, sigma  # noqa: E402

EMBEDDINGS = ROOT / "bench" / "out"


def esco_skills(path: Path) -> tuple[list[str], list[str], list[tuple[str, int]]]:
    """(uris, preferred labels, [(alternative label, position of its skill)])."""
    uris, preferred, alternatives = [], [], []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            uris.append(row["conceptUri"])
            preferred.append(row["preferredLabel"])
            own = fold(row["preferredLabel"])
            for alt in {a.strip() for a in (row["altLabels"] or "").split("|") if a.strip()}:
                if fold(alt) != own:
                    alternatives.append((alt, len(uris) - 1))
    return uris, preferred, alternatives


def top(found: np.ndarray) -> str:
    return f"top-1 {found[:, 0].mean():.3f}  top-5 {found[:, :5].any(axis=1).mean():.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data" / "esco"))
    parser.add_argument("--encoder", default="use")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--queries", type=int, default=3000)
    parser.add_argument("--fit", action="store_true")
    args = parser.parse_args()
    uris, preferred, alternatives = esco_skills(Path(args.data) / "esco_v121api_skills_fr.csv")
    rng = np.random.default_rng(args.seed)
    sample = [alternatives[i] for i in rng.permutation(len(alternatives))[: args.queries]]
    half = len(sample) // 2
    labels = [label for label, _skill in sample]
    truth = np.array([uris[skill] for _label, skill in sample])
    keys = np.array(uris)
    print(f"{len(uris)} ESCO skills indexed by preferred label; {len(alternatives)} alternative labels, "
          f"{len(sample)} sampled (seed {args.seed}): {half} to fit, {len(sample) - half} reported")

    cache = EmbeddingCache(EMBEDDINGS, args.encoder)
    started = time.perf_counter()
    indexed = cache.embed(preferred)
    queried = cache.embed(labels)
    print(f"embeddings ({args.encoder}) ready in {time.perf_counter() - started:.1f} s")

    lexical = build_index(preferred, keys, config=SKILL_CONFIG)
    found_lexical = query(lexical, labels, k=5)[0] == truth[:, None]

    cosines = queried @ indexed.T
    nearest = np.argsort(-cosines, axis=1)[:, :10]
    found_encoder = keys[nearest] == truth[:, None]

    calibration = SIGMA_CALIBRATION[args.encoder]
    if args.fit:
        from sklearn.linear_model import LogisticRegression

        x = np.take_along_axis(cosines[:half], nearest[:half], axis=1).reshape(-1, 1)
        model = LogisticRegression(C=10.0).fit(x, found_encoder[:half].ravel())
        calibration = (round(float(model.coef_[0, 0]), 2), round(float(model.intercept_[0]), 2))
        print(f"σ calibration fitted on the first half: slope {calibration[0]}, intercept {calibration[1]}")
        shown = sigma(np.take_along_axis(cosines[half:], nearest[half:], axis=1), calibration).ravel()
        right = found_encoder[half:].ravel()
        for low, high in ((0.0, 0.2), (0.2, 0.4), (0.4, 0.6), (0.6, 0.8), (0.8, 1.01)):
            band = (shown >= low) & (shown < high)
            if band.any():
                print(f"  σ {low:.1f}-{min(high, 1):.1f}: {band.sum():5d} pairs, same skill {right[band].mean():.0%}")

    best_weight, best_found = None, None
    for weight in (0.3, 0.5, 0.7):
        config = replace(SKILL_CONFIG, encoder=args.encoder, weight_encoder=weight)
        blended = build_index(preferred, keys, config=config, embeddings=indexed)
        found = query(blended, labels, k=5, embeddings=queried)[0] == truth[:, None]
        score = found[:half, 0].mean() + found[:half, :5].any(axis=1).mean()
        print(f"  blend weight {weight}: fitting half {top(found[:half])}")
        if best_found is None or score > best_weight[1]:
            best_weight, best_found = (weight, score), found
    print(f"reported half ({len(sample) - half} queries):")
    print(f"  lexical engine (SKILL_CONFIG)   {top(found_lexical[half:])}")
    print(f"  encoder alone ({args.encoder:>3s})          {top(found_encoder[half:])}")
    print(f"  blend (weight {best_weight[0]}, chosen on the fitting half) {top(best_found[half:])}")
    shipped = skill_config(args.encoder)
    for name, config in (
        (f"the product's (skill_config: weight {shipped.weight_encoder}, the labels of {shipped.encoder_probes} "
         f"of {shipped.encoder_clusters} clusters)", shipped),
        ("the same, reading every label", replace(shipped, encoder_clusters=0, encoder_probes=0)),
    ):
        started = time.perf_counter()
        index = build_index(preferred, keys, config=config, embeddings=indexed)
        built = time.perf_counter() - started
        found = query(index, labels, k=5, embeddings=queried)[0] == truth[:, None]
        timings = []
        for i in range(300):
            started = time.perf_counter()
            query(index, labels[i : i + 1], k=5, embeddings=queried[i : i + 1])
            timings.append((time.perf_counter() - started) * 1000)
        print(f"  {name}: {top(found[half:])}; built in {built:.1f} s, one query (embedding given) "
              f"p50 {np.percentile(timings, 50):.1f} ms, p95 {np.percentile(timings, 95):.1f} ms")


if __name__ == "__main__":
    main()
