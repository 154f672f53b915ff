"""How well the mobility ranking agrees with France Travail's experts (ROME 4.0 ``unix_rubrique_mobilite``).

Usage (from the repository root):

    .venv/bin/python bench/mobility_quality.py [--data ../shared/data] [--seed 0] [--encoder]

For each ROME occupation A, a person holds all of A's skills (every item of ``unix_coherence_item``:
savoir-faire, savoir-être and savoirs) at level 3; the jobs are every other occupation, all its skills
required at level 2. The engine (``mobility.engine.fit``) ranks the jobs; we report recall@10 of A's ROME
targets (|top 10 ∩ targets| / |targets|, averaged over A) and the share of A whose first suggestion is a
target. The ROME edge of A itself is never an input. The occupations are split in two halves (``--seed``);
anything fitted (the similarity threshold, the learned ranking) is fitted on one half and reported on the
other.

Rankings:
- ``fit``: the issue's fit (exact overlap: coverage capped at the target);
- ``fit + similar``: with similar-skill credit, σ = cosine of TF-IDF vectors over the stemmed words of the
  skill labels (``referentials.engine.text.words``; the sentence encoder of the mapping engine is not
  available to this benchmark), 10 neighbours per skill, threshold chosen on the fitted half;
- ``skills only``: fit + similar × √(share of the person's IDF-weighted skills the job uses);
- ``recommended`` — **the product's default order** (``mobility.engine.nearby``): the 50 best fits (fit +
  similar) re-ranked by fit + 1 × nearby paths, the nearby-paths value of a job being the closeness-weighted
  share of the 20 occupations whose skills are closest to A that list it in their own mobility lists. Those
  neighbours come from the fitted half only, and A's own list is never read; the weight and the number of
  neighbours are checked on the fitted half (``--grid``);
- ``learned``: a logistic regression fitted on the other half over the skill features above, same
  professional domain / grand domain / ROME v3 parent, and the nearby-paths value (benchmark only).
"""

import argparse
import csv
import sys
import time
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import NearestNeighbors

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mobility.engine.fit import (  # noqa: E402
    effective_levels,
    fit_matrix,
    levels_from_rows,
    requirements_from_rows,
    skill_neighbours,
)
from mobility.engine.nearby import (  # noqa: E402
    NEIGHBOURS as NEARBY_NEIGHBOURS,
)
from mobility.engine.nearby import (  # noqa: E402
    POOL,
    WEIGHT,
    edge_matrix,
    nearby_paths,
    occupation_vectors,
    recommended_order,
)
from referentials.engine.text import words  # noqa: E402

NEIGHBOURS = 10
THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.9)


def rows(folder: Path, table: str) -> list[dict]:
    with (folder / f"unix_{table}_v460_utf8.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load(folder: Path):
    items = {r["code_ogr"]: r["libelle"] for r in rows(folder, "item")}
    reference = rows(folder, "referentiel_code_rome")
    codes = sorted(r["code_rome"] for r in reference)
    index = {c: i for i, c in enumerate(codes)}
    links = [(index[r["code_rome"]], r["code_ogr"]) for r in rows(folder, "coherence_item")
             if r["code_ogr"] in items and r["code_rome"] in index]
    skills = sorted({s for _, s in links})
    skill_index = {s: i for i, s in enumerate(skills)}
    occupation = np.array([a for a, _ in links])
    skill = np.array([skill_index[b] for _, b in links])
    targets = np.zeros((len(codes), len(codes)), dtype=bool)
    for r in rows(folder, "rubrique_mobilite"):
        if r["code_rome"] in index and r["code_rome_cible"] in index:
            targets[index[r["code_rome"]], index[r["code_rome_cible"]]] = True
    parent = {r["code_rome"]: r["code_rome_parent"] for r in reference}
    return codes, occupation, skill, [items[s] for s in skills], targets, parent


def product_skills(folder: Path) -> np.ndarray:
    """Which of ``load``'s skills the product imports as an occupation's skills (``referentiel_competence`` and
    ``referentiel_savoir``; ``coherence_item`` also links work contexts, which the product leaves out): the
    nearby-paths signal reads those, as ``mobility.nearby`` does from the imported referential."""
    items = {r["code_ogr"] for r in rows(folder, "item")}
    codes = {r["code_rome"] for r in rows(folder, "referentiel_code_rome")}
    skills = sorted({r["code_ogr"] for r in rows(folder, "coherence_item")
                     if r["code_ogr"] in items and r["code_rome"] in codes})
    imported = {r["code_ogr"] for r in rows(folder, "referentiel_competence")} | {
        r["code_ogr_savoir"] for r in rows(folder, "referentiel_savoir")}
    return np.array([code in imported for code in skills])


def evaluate(score: np.ndarray, targets: np.ndarray, subset: np.ndarray) -> tuple[float, float]:
    score = score[subset].astype(np.float64).copy()
    score[np.arange(len(subset)), subset] = -np.inf
    top = np.argsort(-score, axis=1, kind="stable")[:, :10]
    hit = np.take_along_axis(targets[subset], top, axis=1)
    recall = hit.sum(axis=1) / np.maximum(targets[subset].sum(axis=1), 1)
    return float(recall.mean()), float(hit[:, 0].mean())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--encoder", nargs="?", const="e5", default=None, choices=("use", "e5"),
                        help="also the fit with the product's similar-skill σ of this encoder (e5, the product's, "
                             "or use; embeddings kept in bench/out)")
    parser.add_argument("--grid", action="store_true",
                        help="also the recommended order's weight and neighbours on the fitted half")
    args = parser.parse_args()
    started = time.perf_counter()
    codes, occupation, skill, labels, targets, parent = load(Path(args.data) / "rome4")
    n, n_skills = len(codes), len(labels)
    rng = np.random.default_rng(args.seed)
    order = rng.permutation(n)
    fitted, held_out = np.sort(order[: n // 2]), np.sort(order[n // 2:])

    levels = levels_from_rows(n, n_skills, occupation, skill, np.full(len(skill), 3))
    requirements = requirements_from_rows(n, n_skills, occupation, skill, np.full(len(skill), 2),
                                          np.ones(len(skill)), np.zeros(len(skill), dtype=bool))
    plain = fit_matrix(effective_levels(levels, skill_neighbours(n_skills)).level, requirements)

    vectors = TfidfVectorizer(analyzer=words, sublinear_tf=True).fit_transform(labels)
    distance, neighbour = NearestNeighbors(n_neighbors=NEIGHBOURS + 1, metric="cosine").fit(vectors).kneighbors(vectors)
    source = np.repeat(np.arange(n_skills), NEIGHBOURS + 1)

    def with_similar(threshold):
        neighbours = skill_neighbours(n_skills, similar_from=source, similar_to=neighbour.ravel(),
                                      sigma=1 - distance.ravel(), threshold=threshold)
        return fit_matrix(effective_levels(levels, neighbours).level, requirements)

    by_threshold = {t: with_similar(t) for t in THRESHOLDS}
    threshold = max(THRESHOLDS, key=lambda t: evaluate(by_threshold[t], targets, fitted))
    similar = by_threshold[threshold]
    encoder_rows = []
    if args.encoder:  # the product's σ: the encoder's embeddings, calibrated (referentials.engine.similarity)
        from referentials.engine.encoder import EmbeddingCache
        from referentials.engine.similarity import SIGMA_CALIBRATION, skill_similarity

        embedded = EmbeddingCache(ROOT / "bench" / "out", args.encoder).embed(labels)
        sigmas = skill_similarity(embedded, None, k=NEIGHBOURS, threshold=0.0,
                                  calibration=SIGMA_CALIBRATION[args.encoder]).tocoo()

        def with_encoder(t):
            neighbours = skill_neighbours(n_skills, similar_from=sigmas.row, similar_to=sigmas.col,
                                          sigma=sigmas.data, threshold=t)
            return fit_matrix(effective_levels(levels, neighbours).level, requirements)

        by_sigma = {t: with_encoder(t) for t in THRESHOLDS}
        best = max(THRESHOLDS, key=lambda t: evaluate(by_sigma[t], targets, fitted))
        encoder_rows.append((f"fit + similar, the product's {args.encoder} σ (σ ≥ {best})", by_sigma[best]))

    held = sp.csr_matrix((np.ones(len(skill)), (occupation, skill)), shape=(n, n_skills))
    held.data[:] = 1
    idf = np.log(n / np.asarray(held.sum(axis=0)).ravel())
    weighted = held.multiply(idf[None, :]).tocsr()
    used = (weighted @ held.T).toarray() / np.asarray(weighted.sum(axis=1))  # share of A's skills B uses
    skills_only = similar * np.sqrt(used)

    kept = product_skills(Path(args.data) / "rome4")[skill]
    vectors = occupation_vectors(n, n_skills, occupation[kept], skill[kept])
    edges = edge_matrix(n, *np.nonzero(targets))
    allowed = np.zeros(n, dtype=bool)
    allowed[fitted] = True  # neighbours come from the fitted half only; A's own list is never read

    def recommended(k=NEARBY_NEIGHBOURS, weight=WEIGHT, fit=None):
        """The product's default order as a score matrix (position-decreasing scores, -inf outside it), over
        ``fit`` (by default fit + similar with the TF-IDF σ)."""
        nearby = nearby_paths(vectors, edges, np.arange(n), k=k, allowed=allowed).value
        base = (similar if fit is None else fit).astype(np.float64).copy()
        np.fill_diagonal(base, 0)
        result = np.full((n, n), -np.inf)
        for a in range(n):  # one person at a time, as the product answers
            order = recommended_order(base[a], nearby[a], np.arange(n), pool=POOL, weight=weight)
            result[a, order] = np.arange(len(order), 0, -1)
        return result, nearby

    default, prior = recommended()
    grid_rows = []
    if args.grid:
        for k in (10, 20, 40):
            for weight in (0.5, 1.0, 2.0):
                a, b = evaluate(recommended(k, weight)[0], targets, fitted)
                grid_rows.append(f"fitted half: {k} neighbours, weight {weight}: {a:.3f} / {b:.3f}")
    domain = np.array([c[:3] for c in codes])
    parents = np.array([parent[c] for c in codes])
    features = [plain, similar, used, skills_only, domain[:, None] == domain[None, :],
                domain.astype("<U1")[:, None] == domain.astype("<U1")[None, :],
                parents[:, None] == parents[None, :], prior]

    def design(subset):
        return np.stack([np.asarray(f, dtype=np.float64)[subset].ravel() for f in features], axis=1)

    keep = np.repeat(fitted, n) != np.tile(np.arange(n), len(fitted))
    model = LogisticRegression(max_iter=2000).fit(design(fitted)[keep], targets[fitted].ravel()[keep])
    learned = np.zeros((n, n))
    learned[held_out] = model.decision_function(design(held_out)).reshape(len(held_out), n)

    everyone = np.arange(n)
    print(f"ROME 4.0: {n} occupations, {n_skills} skills, {int(targets.sum())} mobility edges; "
          f"held-out half: {len(held_out)} occupations (seed {args.seed}); similarity threshold {threshold}")
    print("| ranking | recall@10 (held-out) | first is a target (held-out) | recall@10 (all) | first (all) |")
    print("|---|---|---|---|---|")
    for name, score in [("fit (exact overlap, capped)", plain), (f"fit + similar (σ ≥ {threshold})", similar),
                        ("skills only: fit + similar × √(skills used)", skills_only), *encoder_rows]:
        a, b = evaluate(score, targets, held_out)
        c, d = evaluate(score, targets, everyone)
        print(f"| {name} | {a:.3f} | {b:.3f} | {c:.3f} | {d:.3f} |")
    a, b = evaluate(default, targets, held_out)
    print(f"| **recommended — the product's default order**: {POOL} best fits + similar re-ranked by fit + {WEIGHT:g} × "
          f"nearby paths ({NEARBY_NEIGHBOURS} fitted-half neighbours) | **{a:.3f}** | **{b:.3f}** | — | — |")
    for name, score in encoder_rows:
        a, b = evaluate(recommended(fit=score)[0], targets, held_out)
        print(f"| recommended over {name} | {a:.3f} | {b:.3f} | — | — |")
    a, b = evaluate(prior, targets, held_out)
    print(f"| nearby paths alone | {a:.3f} | {b:.3f} | — | — |")
    a, b = evaluate(learned, targets, held_out)
    print(f"| learned (skills, domain, nearby paths; fitted on the other half; benchmark only) | {a:.3f} | {b:.3f} "
          "| — | — |")
    for row in grid_rows:
        print(row)
    print(f"({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
