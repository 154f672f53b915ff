"""How far the mapping engine can still go on the quality benchmark's split, and an idea that does not get there.

Same protocol as ``bench/mapping_quality.py`` (20 % of the ROME appellations held out, the final
engine indexing the rest). It prints:

- recall at k: how often the right code is among the engine's first 1, 5, 10, 30 candidates
  (a re-ranker of the top k can reach at most the recall at k);
- ESCO as a source of synonyms: each French ESCO occupation (preferred and alternative labels,
  ``../shared/data/esco``) attached to the ROME code the engine gives its preferred label, when
  the confidence reaches a threshold, as extra titles of that code or in its document.

    .venv/bin/python bench/mapping_headroom.py [--seed 2026]      # ~4 min here
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from mapping_quality import _steps, build_for  # noqa: E402

from referentials.engine import build_index, query  # noqa: E402
from referentials.engine.evaluation import holdout_split  # noqa: E402
from referentials.engine.rome_files import RomeTables, load_rome_tables  # noqa: E402

CANDIDATES = 30


def esco_occupations(directory: Path) -> dict[str, list[str]]:
    """URI -> [preferred label, alternative labels...] from both French ESCO occupation files."""
    labels: dict[str, set[str]] = {}
    preferred: dict[str, str] = {}
    with (directory / "esco_v1_2020_occupations_fr.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            preferred[row["conceptUri"]] = row["preferredLabel"]
            labels[row["conceptUri"]] = {a.strip() for a in row["altLabels"].split("\n") if a.strip()}
    with (directory / "esco_v121api_occupations_fr.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            preferred[row["conceptUri"]] = row["preferredLabel"]
            alternatives = {a.strip() for a in row["altLabels"].split("|") if a.strip()}
            labels[row["conceptUri"]] = labels.get(row["conceptUri"], set()) | alternatives
    return {uri: [preferred[uri], *sorted(labels[uri] - {preferred[uri]})] for uri in preferred}


def top1_top5(found: np.ndarray) -> str:
    return f"{found[:, 0].mean():.3f} / {found[:, :5].any(axis=1).mean():.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    data = Path(args.data)
    tables: RomeTables = load_rome_tables(data / "rome4")
    train, test = holdout_split(len(tables.title_labels), args.seed)
    final = _steps()[0][-1]
    test_labels = [tables.title_labels[i] for i in test]
    truth = tables.title_codes[test]

    started = time.perf_counter()
    index = build_for(tables, train, final)
    print(
        f"final engine built in {time.perf_counter() - started:.1f} s on {len(train)} titles; {len(test)} held out"
    )
    keys, _scores = query(index, test_labels, k=CANDIDATES)
    found = keys == truth[:, None]
    recall = ", ".join(f"@{k} {found[:, :k].any(axis=1).mean():.3f}" for k in (1, 5, 10, 30))
    print(f"recall of the right code among the first k candidates: {recall}")

    esco = esco_occupations(data / "esco")
    uris = list(esco)
    esco_keys, esco_scores = query(index, [esco[uri][0] for uri in uris], k=1)
    base_labels = [tables.title_labels[i] for i in train] + list(tables.occupation_labels.values())
    base_codes = list(tables.title_codes[train]) + list(tables.occupation_labels)
    documents = {
        code: f"{tables.occupation_definitions.get(code, '')} ; {tables.occupation_core_skills.get(code, '')}"
        for code in tables.occupation_labels
    }
    print(f"ESCO: {len(esco)} French occupations, {sum(len(v) for v in esco.values())} labels")
    for threshold in (0.3, 0.5, 0.7):
        chosen = np.flatnonzero(esco_scores[:, 0] >= threshold)
        labels, codes, extra = list(base_labels), list(base_codes), dict(documents)
        for j in chosen:
            labels += esco[uris[j]]
            codes += [esco_keys[j, 0]] * len(esco[uris[j]])
        context = {"vocabulary_texts": tables.occupation_vocabulary, "key_families": tables.occupation_parents}
        with_titles = build_index(
            labels, np.array(codes, dtype=str), extra_texts=extra, config=final.config, **context
        )
        for j in chosen:
            extra[esco_keys[j, 0]] = " ; ".join(esco[uris[j]]) + " ; " + extra[esco_keys[j, 0]]
        in_documents = build_index(
            base_labels, np.array(base_codes, dtype=str), extra_texts=extra, config=final.config, **context
        )
        results = []
        for variant in (with_titles, in_documents):
            variant_keys, _ = query(variant, test_labels, k=5)
            results.append(top1_top5(variant_keys == truth[:, None]))
        print(
            f"  confidence >= {threshold}: {len(chosen)} ESCO occupations attached; top-1 / top-5 "
            f"as titles {results[0]}, in the documents {results[1]} (engine: {top1_top5(found)})"
        )


if __name__ == "__main__":
    main()
