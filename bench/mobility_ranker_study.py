"""Can a learned ranking over signals the product can compute reach the issue's quality goal (held-out half
recall@10 ≥ 0.32 and first suggestion a ROME target ≥ 0.55)? A study, same protocol as
``bench/mobility_quality.py`` (each ROME occupation A holds all its skills at level 3, every other
occupation requires all of its skills at level 2; ROME 4.0 ``unix_rubrique_mobilite`` as the experts;
occupations split in two halves with the same seed; anything fitted is fitted on one half and reported on
the other; A's own mobility edges are never an input).

Usage (from the repository root):

    .venv/bin/python bench/mobility_ranker_study.py [--data ../shared/data] [--seed 0] [--no-boosting] [--referential] [--encoder]

Signals, all computable in the product from the organisation's own data and the ROME referential (no
mobility edge): the fit (exact overlap, capped), the fit with similar-skill credit (TF-IDF σ ≥ 0.5, as
the quality benchmark), the IDF-weighted share of A's skills the job uses and of the job's skills A holds,
their cosine, the same overlaps per kind of skill (savoir-faire, savoirs) and per ROME skill group, the
TF-IDF cosine of the words of both skill lists, of both titles and of both titles with their ROME
appellations, same grand domain / domain / 4-character prefix / ROME v3 parent, the distance of the codes
inside a grand domain, executive status, the sizes of both skill lists; each skill signal also
standardised within A's row, within the job's column and as a log-rank both ways. ``--referential`` adds
what the ROME says of both occupations besides skills (RIASEC, sectors of activity, centres of interest,
themes, NAF sectors, work contexts); ``--encoder`` the e5 cosine of both titles. Rankers: a logistic
re-ranker of the 60 best jobs by the skill-word cosine, fitted on the other half (plain and listwise
soft-max objective); gradient boosting on the same candidates (the ceiling of these signals with a
flexible model). For reference, the neighbourhood prior (mobility edges of the 20 fitted-half occupations
whose skills are closest to A), which is derived from the experts' edges themselves.
"""

import argparse
import csv
import io
import sys
import time
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from scipy.optimize import minimize
from scipy.special import logsumexp, softmax
from scipy.stats import rankdata
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import NearestNeighbors
from sklearn.preprocessing import StandardScaler, normalize

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from mobility_quality import evaluate, load, rows  # noqa: E402

from mobility.engine.fit import (  # noqa: E402
    effective_levels,
    fit_matrix,
    levels_from_rows,
    requirements_from_rows,
    skill_neighbours,
)
from referentials.engine.text import words  # noqa: E402
from referentials.readers.common import decode_bytes  # noqa: E402

CANDIDATES = 60


def text_cosine(texts: list[str]) -> np.ndarray:
    vectors = normalize(TfidfVectorizer(analyzer=words, sublinear_tf=True).fit_transform(texts))
    return (vectors @ vectors.T).toarray().astype(np.float32)


def overlaps(held: sp.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
    """(share of the job's items A holds, share of A's items the job has) over a binary matrix."""
    inter = (held @ held.T).toarray()
    count = np.asarray(held.sum(axis=1)).ravel()
    return (inter / np.maximum(count[None, :], 1)).astype(np.float32), \
        (inter / np.maximum(count[:, None], 1)).astype(np.float32)


def encoder_cosine(texts: list[str]) -> np.ndarray:
    """Cosine of the product's sentence encoder (e5) between texts, embeddings kept on disk (bench/out)."""
    from referentials.engine.encoder import EmbeddingCache

    vectors = EmbeddingCache(ROOT / "bench" / "out", "e5").embed(texts)
    return (vectors @ vectors.T).astype(np.float32)


def memberships(codes, pairs) -> sp.csr_matrix:
    """Binary occupation × group matrix from (code_rome, group) pairs."""
    position = {c: i for i, c in enumerate(codes)}
    pairs = sorted({(position[c], g) for c, g in pairs if c in position and g})
    groups = sorted({g for _, g in pairs})
    column = {g: i for i, g in enumerate(groups)}
    return sp.csr_matrix((np.ones(len(pairs)), ([a for a, _ in pairs], [column[g] for _, g in pairs])),
                         shape=(len(codes), len(groups)))


def rows_any(folder: Path, table: str) -> list[dict]:
    """``rows`` for the tables published in Windows-1252 despite their ``_utf8`` name (NAF sectors), decoded
    as the product's readers do."""
    text = decode_bytes((folder / f"unix_{table}_v460_utf8.csv").read_bytes())
    return list(csv.DictReader(io.StringIO(text)))


def referential_signals(folder: Path, codes) -> dict[str, np.ndarray]:
    """What the ROME says of both occupations besides skills: RIASEC profile, sectors of activity, centres of
    interest, themes, NAF sectors, work contexts (no mobility edge)."""
    out = {}
    riasec = {r["code_rome"]: (r["riasec_majeur"], r["riasec_mineur"])
              for r in rows(folder, "referentiel_code_rome_riasec")}
    major = np.array([riasec.get(c, ("", ""))[0] for c in codes])
    same = (major[:, None] == major[None, :]) & (major[:, None] != "")
    out["same_riasec_major"] = same.astype(np.float32)
    profile = memberships(codes, [(c, letter) for c, (a, b) in riasec.items() for letter in (a + b)])
    out["riasec_overlap"] = (normalize(profile) @ normalize(profile).T).toarray().astype(np.float32)
    sectors = rows(folder, "arborescence_secteur_activite")
    tables = {
        "sector": [(r["code_rome"], r["code_sect_activite"]) for r in sectors],
        "sub_sector": [(r["code_rome"], r["code_ss_sect_activite"]) for r in sectors],
        "main_sector": [(r["code_rome"], r["code_sect_activite"]) for r in sectors
                        if r["principal"] == "oui"],
        "interest": [(r["code_rome"], r["code_centre_interet"])
                     for r in rows(folder, "arborescence_centre_interet")],
        "theme": [(r["code_rome"], r["code_theme"]) for r in rows(folder, "arborescence_thematique")],
        "naf": [(r["code_rome"], r["code_secteur_naf"]) for r in rows_any(folder, "arborescence_secteur_naf")],
        "context": [(r["code_rome"], r["code_ogr"]) for r in rows(folder, "liens_rome_referentiels")
                    if r["code_compo_bloc"] == "6"],
    }
    for name, pairs in tables.items():
        held = memberships(codes, pairs)
        unit = normalize(held)
        out[f"{name}_cosine"] = (unit @ unit.T).toarray().astype(np.float32)
        out[f"{name}_shared"] = np.minimum((held @ held.T).toarray(), 3).astype(np.float32)
    return out


def signals(folder: Path, codes, occupation, skill, labels, parent, encoder=False,
            referential=False) -> dict[str, np.ndarray]:
    n, n_skills = len(codes), len(labels)
    levels = levels_from_rows(n, n_skills, occupation, skill, np.full(len(skill), 3))
    requirements = requirements_from_rows(n, n_skills, occupation, skill, np.full(len(skill), 2),
                                          np.ones(len(skill)), np.zeros(len(skill), dtype=bool))
    out = {"fit": fit_matrix(effective_levels(levels, skill_neighbours(n_skills)).level, requirements)}
    vectors = TfidfVectorizer(analyzer=words, sublinear_tf=True).fit_transform(labels)
    distance, neighbour = NearestNeighbors(n_neighbors=11, metric="cosine").fit(vectors).kneighbors(vectors)
    similar = skill_neighbours(n_skills, similar_from=np.repeat(np.arange(n_skills), 11),
                               similar_to=neighbour.ravel(), sigma=1 - distance.ravel(), threshold=0.5)
    out["fit_similar"] = fit_matrix(effective_levels(levels, similar).level, requirements)
    held = sp.csr_matrix((np.ones(len(skill)), (occupation, skill)), shape=(n, n_skills))
    held.data[:] = 1
    idf = np.log(n / np.asarray(held.sum(axis=0)).ravel())
    weighted = held.multiply(idf[None, :]).tocsr()
    inter = (weighted @ held.T).toarray()
    mass = np.asarray(weighted.sum(axis=1)).ravel()
    out["used"] = (inter / mass[:, None]).astype(np.float32)
    out["idf_fit"] = (inter / mass[None, :]).astype(np.float32)
    unit = normalize(weighted)
    out["cosine"] = (unit @ unit.T).toarray().astype(np.float32)

    items = {r["code_ogr"]: r for r in rows(folder, "item")}
    ogr = sorted({r["code_ogr"] for r in rows(folder, "coherence_item") if r["code_ogr"] in items
                  and r["code_rome"] in set(codes)})
    kind = np.array([items[s]["code_rubrique"] or "0" for s in ogr])
    for name, code in (("know_how", "1"), ("knowledge", "3")):
        out[f"fit_{name}"], out[f"used_{name}"] = overlaps(held[:, np.flatnonzero(kind == code)])
    groups = {r["code_ogr"]: r["code_ogr_macro_comp"] for r in rows(folder, "referentiel_competence")}
    group = np.array([groups.get(s, "") for s in ogr])
    keys, key_index = np.unique(group, return_inverse=True)
    by_group = (held @ sp.csr_matrix((np.ones(n_skills), (np.arange(n_skills), key_index)),
                                     shape=(n_skills, len(keys)))).tocsr()[:, np.flatnonzero(keys != "")]
    by_group.data[:] = 1
    out["fit_group"], out["used_group"] = overlaps(by_group)

    reference = {r["code_rome"]: r for r in rows(folder, "referentiel_code_rome")}
    titles = [reference[c]["libelle_rome"] for c in codes]
    position = {c: i for i, c in enumerate(codes)}
    appellations = [[] for _ in codes]
    for r in rows(folder, "referentiel_appellation"):
        if r["code_rome"] in position:
            appellations[position[r["code_rome"]]].append(r["libelle_appellation_long"])
    documents = [[] for _ in codes]
    for a, s in zip(occupation, skill, strict=True):
        documents[a].append(labels[s])
    out["skill_words"] = text_cosine([" ".join(d) for d in documents])
    out["title"] = text_cosine(titles)
    if encoder:
        out["title_e5"] = encoder_cosine(titles)
    out["appellations"] = text_cosine([t + " " + " ".join(a) for t, a in zip(titles, appellations, strict=True)])

    code = np.array(codes)
    for width in (1, 3, 4):
        prefix = code.astype(f"<U{width}")
        out[f"same_{width}"] = (prefix[:, None] == prefix[None, :]).astype(np.float32)
    parents = np.array([parent[c] for c in codes])
    out["same_parent"] = (parents[:, None] == parents[None, :]).astype(np.float32)
    number = np.array([int(c[1:]) for c in codes])
    out["code_distance"] = np.where(out["same_1"] > 0, np.exp(-np.abs(number[:, None] - number[None, :]) / 10),
                                    0).astype(np.float32)
    executive = np.array([reference[c]["emploi_cadre"] for c in codes])
    out["same_executive"] = (executive[:, None] == executive[None, :]).astype(np.float32)
    size = np.log(np.asarray(held.sum(axis=1)).ravel())
    out["size_job"] = np.broadcast_to(size[None, :], (n, n)).astype(np.float32)
    out["size_person"] = np.broadcast_to(size[:, None], (n, n)).astype(np.float32)

    if referential:
        out.update(referential_signals(folder, codes))
    eye = np.eye(n, dtype=bool)

    def standardised(x):
        x = np.where(eye, np.nan, x.astype(np.float64))
        mean, spread = np.nanmean(x, axis=1, keepdims=True), np.nanstd(x, axis=1, keepdims=True)
        return np.nan_to_num((x - mean) / np.where(spread > 0, spread, 1)).astype(np.float32)

    def log_rank(x):
        x = x.astype(np.float64).copy()
        np.fill_diagonal(x, -np.inf)
        return np.log(rankdata(-x, axis=1, method="min")).astype(np.float32)

    for name in ("fit", "fit_similar", "used", "idf_fit", "cosine", "skill_words", "title", "appellations") + (
            ("title_e5",) if encoder else ()):
        out[f"{name}_row_z"] = standardised(out[name])
        out[f"{name}_column_z"] = standardised(out[name].T).T
        out[f"{name}_rank"] = log_rank(out[name])
        out[f"{name}_rank_back"] = log_rank(out[name].T).T
    return out


def candidates(base: np.ndarray) -> np.ndarray:
    base = base.astype(np.float64).copy()
    np.fill_diagonal(base, -np.inf)
    return np.argsort(-base, axis=1)[:, :CANDIDATES]


def design(features, top, subset):
    return np.stack([f[subset[:, None], top[subset]] for f in features], axis=2).astype(np.float64)


def scores(n, top, subset, values):
    result = np.full((n, n), -1e9)
    result[subset[:, None], top[subset]] = values.reshape(len(subset), -1)
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-boosting", action="store_true")
    parser.add_argument("--encoder", action="store_true", help="add the e5 sentence encoder's title cosine")
    parser.add_argument("--referential", action="store_true",
                        help="add the ROME's RIASEC, sectors, centres of interest, themes and work contexts")
    args = parser.parse_args()
    started = time.perf_counter()
    folder = Path(args.data) / "rome4"
    codes, occupation, skill, labels, targets, parent = load(folder)
    n = len(codes)
    order = np.random.default_rng(args.seed).permutation(n)
    fitted, held_out = np.sort(order[: n // 2]), np.sort(order[n // 2:])
    features = signals(folder, codes, occupation, skill, labels, parent, encoder=args.encoder,
                       referential=args.referential)
    names = sorted(features)
    print(f"ROME 4.0: {n} occupations, {int(targets.sum())} mobility edges; held-out half {len(held_out)} "
          f"(seed {args.seed}); {len(names)} signals; re-ranking the {CANDIDATES} best by skill-word cosine")
    print("| ranking (held-out half) | recall@10 | first is a target |")
    print("|---|---|---|")
    for name in ("fit", "fit_similar", "used", "cosine", "skill_words") + (("title_e5",) if args.encoder else ()):
        a, b = evaluate(features[name], targets, held_out)
        print(f"| {name} alone | {a:.3f} | {b:.3f} |")

    top = candidates(features["skill_words"])
    columns = [features[k] for k in names]
    train, test = design(columns, top, fitted), design(columns, top, held_out)
    label = targets[fitted[:, None], top[fitted]].astype(np.float64)
    scaler = StandardScaler().fit(train.reshape(-1, train.shape[2]))
    train_s = scaler.transform(train.reshape(-1, train.shape[2])).reshape(train.shape)
    test_s = scaler.transform(test.reshape(-1, test.shape[2])).reshape(test.shape)

    model = LogisticRegression(max_iter=3000).fit(train_s.reshape(-1, train.shape[2]), label.ravel())
    a, b = evaluate(scores(n, top, held_out, model.decision_function(test_s.reshape(-1, test.shape[2]))),
                    targets, held_out)
    print(f"| logistic re-ranker, {len(names)} signals | {a:.3f} | {b:.3f} |")

    keep = label.sum(axis=1) > 0
    x, share = train_s[keep], label[keep] / label[keep].sum(axis=1, keepdims=True)

    def loss(w):
        s = x @ w
        value = -(share * (s - logsumexp(s, axis=1, keepdims=True))).sum() / len(x) + 1e-3 * w @ w
        return value, -np.einsum("qk,qkf->f", share - softmax(s, axis=1), x) / len(x) + 2e-3 * w

    w = minimize(loss, np.zeros(x.shape[2]), jac=True, method="L-BFGS-B").x
    a, b = evaluate(scores(n, top, held_out, test_s @ w), targets, held_out)
    print(f"| listwise (soft-max) re-ranker, {len(names)} signals | {a:.3f} | {b:.3f} |")

    if not args.no_boosting:
        booster = HistGradientBoostingClassifier(max_iter=300, learning_rate=0.05, max_leaf_nodes=15,
                                                 l2_regularization=1.0, random_state=0)
        booster.fit(train.reshape(-1, train.shape[2]), label.ravel())
        a, b = evaluate(scores(n, top, held_out, booster.decision_function(test.reshape(-1, test.shape[2]))),
                        targets, held_out)
        print(f"| gradient boosting re-ranker, {len(names)} signals (ceiling) | {a:.3f} | {b:.3f} |")

    closeness = features["cosine"].astype(np.float64).copy()
    np.fill_diagonal(closeness, 0)
    closeness[:, held_out] = 0
    kth = -np.sort(-closeness, axis=1)[:, 19:20]
    closeness = np.where(closeness >= kth, closeness, 0)
    prior = closeness @ targets.astype(np.float64) / np.maximum(closeness.sum(axis=1, keepdims=True), 1e-9)
    a, b = evaluate(prior, targets, held_out)
    print(f"| reference, derived from the experts' edges: neighbourhood prior alone | {a:.3f} | {b:.3f} |")
    print(f"({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
