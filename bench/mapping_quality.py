"""Quality and speed of the mapping engine on ROME 4.0 appellations.

Hold out 20 % of the appellations (deterministic seed), index the rest, predict the ROME code
of each held-out appellation, and report top-1 / top-5 accuracy for the baseline and for each
idea added cumulatively; then index build time and single-label query latency.

    .venv/bin/python bench/mapping_quality.py [--data ../shared/data/rome4] [--seed 2026] [--validation]
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from referentials.engine import (  # noqa: E402
    BASELINE,
    OCCUPATION_CONFIG,
    OCCUPATION_LEXICAL_CONFIG,
    SKILL_CONFIG,
    MatchConfig,
    build_index,
    occupation_config,
    query,
)
from referentials.engine.encoder import EmbeddingCache  # noqa: E402
from referentials.engine.evaluation import hits, holdout_split  # noqa: E402
from referentials.engine.index import (  # noqa: E402
    RANKING_FEATURES_COVERAGE,
    RANKING_FEATURES_FAMILY,
    ranking_feature_names,
    ranking_features,
)
from referentials.engine.rome_files import RomeTables, load_rome_tables  # noqa: E402

# Label embeddings, computed once per machine (bench/encoder_quality.py fills the same cache).
EMBEDDINGS = ROOT / "bench" / "out"



# The engine of the fourth round (sentence encoder, 2026-12-05), before the coverage and family features: its
# re-ranker's weights, fitted then the same way on the validation split.
ENCODER_ROUND = replace(
    OCCUPATION_CONFIG,
    encoder="e5",
    coverage=False,
    family_features=False,
    rerank=(
        (-0.2819, 2.4778, -0.0470, -2.0324, -0.9843, -0.2362, -1.8786, 4.6239, 5.0462, -0.0693, 6.5085,
         1.4279, 2.6182, 1.5326, 0.0135, 5.5920, 45.5004, 5.1352),
        -5.4715,
    ),
)  # fmt: skip


# The engine measured: the shipped one (USE), or the one ``--encoder`` names.
FINAL = {"config": OCCUPATION_CONFIG}


def embeddings_for(config: MatchConfig, labels: list[str]) -> np.ndarray | None:
    if not config.encoder:
        return None
    return EmbeddingCache(EMBEDDINGS, config.encoder).embed(labels)


@dataclass(frozen=True)
class Step:
    name: str
    config: MatchConfig
    occupation_labels: bool = False
    definitions: bool = False
    core_skills: bool = False


def _steps() -> tuple[list[Step], list[Step]]:
    """(cumulative steps ending with the shipped engine, variants tried on top and rejected)."""
    final = FINAL["config"]
    third_round = OCCUPATION_LEXICAL_CONFIG
    calibrated = replace(third_round, rerank=None)
    # The engine as shipped before word vectors, with its calibration (which also sets how the
    # SVMs' part mixes in); the steps after it each add one idea, the calibration refit, then the
    # learned re-ranker last.
    previous = replace(calibrated, calibration=(17.0, -6.4))
    svms = replace(previous, semantic_share=0.0, weight_soft=0.0, classifier_vectors=0.0, weight_exact=0.0)
    lexical = replace(svms, classifier_weight=0.0)
    plain = BASELINE
    gender = replace(plain, split_gender=True)
    french = replace(gender, stem=True, stop_words=True, word_ngrams=final.word_ngrams)
    voting = replace(
        french,
        char_weight=final.char_weight,
        neighbours=final.neighbours,
        vote_power=final.vote_power,
        weight_max=0.6,
        weight_vote=0.4,
    )
    blended = replace(
        voting,
        weight_max=final.weight_max,
        weight_vote=final.weight_vote,
        weight_extra=final.weight_extra,
        extra_chars=False,
    )
    cumulative = [
        Step("baseline: TF-IDF words + char_wb 3-5, 1-NN, appellations only", plain),
        Step("+ occupation labels as entries (the issue's baseline)", plain, True),
        Step("+ both gender forms, indexed and queried separately", gender, True),
        Step("+ French words: stop words, plural folding, Snowball stems, bigrams", french, True),
        Step("+ k-NN voting (30 neighbours, similarity^3 share per code)", voting, True),
        Step("+ occupation document (its appellations + definition), blended", blended, True, True),
        Step("+ core skills in the occupation document", blended, True, True, True),
        Step(
            "+ character n-grams in the occupation document",
            replace(lexical, weight_head=0.0),
            True,
            True,
            True,
        ),
        Step("+ head-word agreement (ingenieur / technicien / agent...)", lexical, True, True, True),
        Step("+ per-code linear SVMs vs 150 nearest codes, blended", svms, True, True, True),
        Step(
            "+ word vectors: 30 % of the entry similarity (max, vote)",
            replace(svms, semantic_share=final.semantic_share),
            True,
            True,
            True,
        ),
        Step(
            "+ soft word matching with the top-50 codes' title words",
            replace(previous, classifier_vectors=0.0, weight_exact=0.0),
            True,
            True,
            True,
        ),
        Step(
            "+ mean word vectors as SVM features (beta 1)",
            replace(previous, weight_exact=0.0),
            True,
            True,
            True,
        ),
        Step("+ exact-title bonus (an entry with exactly the query's words)", previous, True, True, True),
        Step("+ calibration refitted on the validation split", calibrated, True, True, True),
        Step("+ learned re-ranker of the top 30 (logistic, validation split)", third_round, True, True, True),
        Step(
            "+ sentence encoder (e5): candidates + cosine features, re-ranker refitted",
            ENCODER_ROUND,
            True,
            True,
            True,
        ),
        Step(
            f"+ word coverage and family features, {final.encoder} encoder, re-ranker refitted = final",
            final,
            True,
            True,
            True,
        ),
    ]
    rejected = [
        Step(
            "before SVMs, but char n-grams over stems too",
            replace(lexical, stem_chars=True),
            True,
            True,
            True,
        ),
        Step(
            "before SVMs, but feminine endings folded to masculine",
            replace(lexical, fold_gender=True),
            True,
            True,
            True,
        ),
        Step(
            "before SVMs, but no stemming (folded words only)", replace(lexical, stem=False), True, True, True
        ),
    ]
    return cumulative, rejected


def build_for(tables: RomeTables, train: np.ndarray, step: Step):
    labels = [tables.title_labels[i] for i in train]
    keys = list(tables.title_codes[train])
    if step.occupation_labels:
        labels += list(tables.occupation_labels.values())
        keys += list(tables.occupation_labels)
    extra = None
    if step.definitions or step.core_skills:
        extra = {}
        for code in tables.occupation_labels:
            parts = []
            if step.definitions:
                parts.append(tables.occupation_definitions.get(code, ""))
            if step.core_skills:
                parts.append(tables.occupation_core_skills.get(code, ""))
            extra[code] = " ; ".join(parts)
    return build_index(
        labels,
        np.array(keys, dtype=str),
        extra_texts=extra,
        config=step.config,
        embeddings=embeddings_for(step.config, labels),
        vocabulary_texts=tables.occupation_vocabulary,
        key_families=tables.occupation_parents,
    )


def accuracy(index, tables: RomeTables, test: np.ndarray) -> tuple[float, float, np.ndarray]:
    labels = [tables.title_labels[i] for i in test]
    keys, scores = query(index, labels, k=5, embeddings=embeddings_for(index.config, labels))
    found = hits(keys, tables.title_codes[test])
    accuracy.last = (keys == tables.title_codes[test][:, None], scores)
    return float(found[:, 0].mean()), float(found[:, 1].mean()), found


def calibration_table(right: np.ndarray, shown: np.ndarray) -> str:
    """How the shown confidence of the top-5 suggestions reads: share right per band."""
    parts = []
    for low, high in ((0.2, 0.4), (0.4, 0.6), (0.6, 0.8), (0.8, 1.01)):
        band = (shown >= low) & (shown < high)
        if band.any():
            parts.append(f"{low:.1f}-{min(high, 1):.1f} -> {right[band].mean():.0%} ({band.sum()})")
    return "; ".join(parts)


def latency(index, labels: list[str], runs: int = 300) -> tuple[float, float]:
    for label in labels[:20]:
        query(index, [label], k=5)
    timings = []
    for i in range(runs):
        started = time.perf_counter()
        query(index, [labels[i % len(labels)]], k=5)
        timings.append((time.perf_counter() - started) * 1000)
    return float(np.percentile(timings, 50)), float(np.percentile(timings, 95))


def reranker_candidates(tables: RomeTables, config: MatchConfig, indexed: np.ndarray, queried: np.ndarray):
    """The re-ranker's (queries, candidates, features) array for the ``queried`` titles against an index of the
    ``indexed`` ones built with ``config`` (re-ranking off), and which candidates are the right code."""
    index = build_for(tables, indexed, Step("engine before re-ranking", config, True, True, True))
    labels = [tables.title_labels[i] for i in queried]
    top, features = ranking_features(index, labels, embeddings_for(config, labels))
    return features, index.keys[top] == tables.title_codes[queried][:, None]


def fit_reranker(tables: RomeTables, train: np.ndarray) -> None:
    """Fit the re-ranker's logistic regression on the validation split (10 % of the indexed titles,
    seed 2027, the held-out titles left out) and print its weights on the raw features."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    kept, validation = holdout_split(len(train), 2027, fraction=0.1)
    config = replace(FINAL["config"], rerank=None)
    features, right = reranker_candidates(tables, config, train[kept], train[validation])
    x = features.reshape(-1, features.shape[2])
    scaler = StandardScaler().fit(x)
    model = LogisticRegression(C=1.0, max_iter=2000).fit(scaler.transform(x), right.ravel())
    weights = model.coef_[0] / scaler.scale_
    intercept = model.intercept_[0] - float(np.sum(model.coef_[0] * scaler.mean_ / scaler.scale_))
    names = ranking_feature_names(config)
    for name, weight in zip(names, weights, strict=True):
        print(f"{name:>14s} {weight: .4f}")
    print(f"rerank=(({', '.join(f'{w:.4f}' for w in weights)}), {intercept:.4f})")
    probability = model.predict_proba(scaler.transform(x))[:, 1].reshape(right.shape)
    order = np.argsort(-probability, axis=1)
    first = np.take_along_axis(right, order, axis=1)
    print(f"on the validation split itself: top-1 {first[:, 0].mean():.3f}, top-5 {first[:, :5].any(1).mean():.3f}")


def boosting_study(tables: RomeTables, train: np.ndarray, test: np.ndarray, encoder_candidates: int,
                   rerank_candidates: int) -> None:
    """Is the linear re-ranker the limit? Fit it and gradient boosting on the same candidates and features of
    the validation split (as ``fit_reranker``), and report both on the held-out titles."""
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    kept, validation = holdout_split(len(train), 2027, fraction=0.1)
    config = replace(FINAL["config"], rerank=None, encoder_candidates=encoder_candidates,
                     rerank_candidates=rerank_candidates)
    x_fit, y_fit = reranker_candidates(tables, config, train[kept], train[validation])
    x_test, y_test = reranker_candidates(tables, config, train, test)
    width = x_fit.shape[2]
    scaler = StandardScaler().fit(x_fit.reshape(-1, width))
    models = {
        "logistic (the shipped re-ranker's model)": LogisticRegression(C=1.0, max_iter=2000),
        "gradient boosting": HistGradientBoostingClassifier(
            max_iter=300, learning_rate=0.05, max_leaf_nodes=15, l2_regularization=1.0, random_state=0
        ),
    }
    print(f"{len(validation)} validation titles to fit, {len(test)} held out; {y_test.shape[1]} candidates each; "
          f"right code among them: {y_test.any(axis=1).mean():.3f}")
    for name, model in models.items():
        model.fit(scaler.transform(x_fit.reshape(-1, width)), y_fit.ravel())
        value = model.decision_function(scaler.transform(x_test.reshape(-1, width))).reshape(y_test.shape)
        found = np.take_along_axis(y_test, np.argsort(-value, axis=1, kind="stable"), axis=1)
        print(f"{name:45s} top-1 {found[:, 0].mean():.3f}  top-5 {found[:, :5].any(axis=1).mean():.3f}", flush=True)
    # The ceiling of any linear re-ranker over these candidates and features: fitted on the held-out titles
    # themselves, answers included (gradient boosting fitted so only memorises them, which bounds nothing).
    x = scaler.transform(x_test.reshape(-1, width))
    value = LogisticRegression(C=100.0, max_iter=5000).fit(x, y_test.ravel()).decision_function(x)
    found = np.take_along_axis(y_test, np.argsort(-value.reshape(y_test.shape), axis=1, kind="stable"), axis=1)
    print(f"{'logistic fitted on the held-out titles (ceiling)':45s} top-1 {found[:, 0].mean():.3f}  "
          f"top-5 {found[:, :5].any(axis=1).mean():.3f}", flush=True)


def feature_study(tables: RomeTables, train: np.ndarray, folds: int = 5) -> None:
    """Which re-ranker features to ship, decided on the indexed titles only: each of ``folds`` folds of them is
    queried against an index of the others (the shipped engine, re-ranking off), and the logistic re-ranker,
    fitted on the other folds' queries, re-ranks it; top-1 / top-5 averaged over the folds, per feature set."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    fold = np.empty(len(train), dtype=np.int64)
    fold[np.random.default_rng(7).permutation(len(train))] = np.arange(len(train)) % folds
    config = replace(FINAL["config"], rerank=None)
    parts = [reranker_candidates(tables, config, train[fold != f], train[fold == f]) for f in range(folds)]
    features = np.concatenate([x for x, _right in parts])
    right = np.concatenate([r for _x, r in parts])
    query_fold = np.concatenate([np.full(len(r), f) for f, (_x, r) in enumerate(parts)])
    names = ranking_feature_names(config)
    fourth = ranking_feature_names(replace(config, coverage=False, family_features=False))
    subsets = {
        f"fourth round's (lexical + {config.encoder})": fourth,
        "+ family": fourth + RANKING_FEATURES_FAMILY,
        "+ coverage": fourth + RANKING_FEATURES_COVERAGE,
        "+ coverage and family = shipped": names,
    }
    print(f"{len(train)} indexed titles in {folds} folds; right code among the candidates: {right.any(axis=1).mean():.3f}")
    for label, subset in subsets.items():
        x = features[:, :, [names.index(name) for name in subset]]
        found = []
        for f in range(folds):
            fit, held = query_fold != f, query_fold == f
            scaler = StandardScaler().fit(x[fit].reshape(-1, x.shape[2]))
            model = LogisticRegression(C=1.0, max_iter=3000)
            model.fit(scaler.transform(x[fit].reshape(-1, x.shape[2])), right[fit].ravel())
            value = model.decision_function(scaler.transform(x[held].reshape(-1, x.shape[2]))).reshape(right[held].shape)
            found.append(np.take_along_axis(right[held], np.argsort(-value, axis=1, kind="stable"), axis=1))
        found = np.concatenate(found)
        print(f"{label:40s} ({len(subset)} features) top-1 {found[:, 0].mean():.3f}  "
              f"top-5 {found[:, :5].any(axis=1).mean():.3f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data" / "rome4"))
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--validation",
        action="store_true",
        help="evaluate on 10 %% of the indexed titles (seed 2027) instead, the split the settings "
        "were tuned on; the held-out titles stay out of the index",
    )
    parser.add_argument(
        "--fit-reranker",
        action="store_true",
        help="fit the re-ranker on the validation split (seed 2026) and print the weights for OCCUPATION_CONFIG",
    )
    parser.add_argument(
        "--final-only",
        action="store_true",
        help="only the last three steps (third round, encoder round, final engine), their calibration and the speed "
        "figures",
    )
    parser.add_argument(
        "--quality-only",
        action="store_true",
        help="only the final engine's top-1 / top-5 and calibration (no earlier step, no speed figures): "
        "for a busy machine",
    )
    parser.add_argument(
        "--boosting-study",
        action="store_true",
        help="fit the re-ranker's logistic regression and gradient boosting on the validation split, "
        "report both on the held-out titles",
    )
    parser.add_argument(
        "--encoder",
        default=OCCUPATION_CONFIG.encoder,
        help="the sentence encoder of the engine measured (use, shipped; e5, OCCUPATION_E5_CONFIG)",
    )
    parser.add_argument(
        "--feature-study",
        action="store_true",
        help="choose the re-ranker's features by cross-validation over the indexed titles (5 folds)",
    )
    parser.add_argument(
        "--encoder-candidates", type=int, default=OCCUPATION_CONFIG.encoder_candidates,
        help="with --boosting-study: how many of the encoder's best keys join the candidates",
    )
    parser.add_argument(
        "--rerank-candidates", type=int, default=OCCUPATION_CONFIG.rerank_candidates,
        help="with --boosting-study: how many candidates are re-ranked",
    )
    args = parser.parse_args()
    FINAL["config"] = occupation_config(args.encoder)

    tables = load_rome_tables(args.data)
    train, test = holdout_split(len(tables.title_labels), args.seed)
    if args.fit_reranker:
        fit_reranker(tables, train)
        return
    if args.feature_study:
        feature_study(tables, train)
        return
    if args.boosting_study:
        boosting_study(tables, train, test, args.encoder_candidates, args.rerank_candidates)
        return
    if args.validation:
        kept, validation = holdout_split(len(train), 2027, fraction=0.1)
        train, test = train[kept], train[validation]
    print(f"{len(train)} appellations indexed, {len(test)} held out (seed {args.seed})")
    print(f"{'step':76s} {'top-1':>6s} {'top-5':>6s} {'build s':>8s}")
    cumulative, rejected = _steps()
    if args.final_only:
        cumulative, rejected = cumulative[-3:], []
    if args.quality_only:
        cumulative, rejected = cumulative[-1:], []
    for step in cumulative + rejected:
        if rejected and step is rejected[0]:
            print("variants tried on the engine before the SVMs and not kept:")
        started = time.perf_counter()
        index = build_for(tables, train, step)
        built = time.perf_counter() - started
        top1, top5, step_found = accuracy(index, tables, test)
        if step is cumulative[-1]:
            found = step_found
            print(f"  shown confidence of the top-5 -> right: {calibration_table(*accuracy.last)}")
        print(f"{step.name:76s} {top1:6.3f} {top5:6.3f} {built:8.1f}", flush=True)

    principal = np.isin(
        np.array(tables.title_labels, dtype=object)[test],
        np.array(list(tables.occupation_labels.values()), dtype=object),
    )
    print(
        f"final engine on synonym appellations only ({(~principal).sum()} held out, occupation label "
        f"not equal to the query): top-1 {found[~principal, 0].mean():.3f}, top-5 {found[~principal, 1].mean():.3f}"
    )

    if args.quality_only:
        return
    started = time.perf_counter()
    full = build_for(tables, np.arange(len(tables.title_labels)), cumulative[-1])
    print(
        f"full index (13,120 appellations + 1,584 occupations) build: {time.perf_counter() - started:.1f} s"
    )
    p50, p95 = latency(full, [tables.title_labels[i] for i in test])
    print(f"single-label query latency after warm-up: p50 {p50:.1f} ms, p95 {p95:.1f} ms")
    started = time.perf_counter()
    query(full, [tables.title_labels[i] for i in test], k=5)
    print(f"bulk query of {len(test)} labels: {time.perf_counter() - started:.2f} s")

    started = time.perf_counter()
    skills = build_index(tables.skill_labels, tables.skill_codes, config=SKILL_CONFIG)
    print(
        f"ROME skill index ({len(tables.skill_labels):,} competences and savoirs) build: "
        f"{time.perf_counter() - started:.1f} s"
    )
    rng = np.random.default_rng(args.seed)
    sample = [tables.skill_labels[i] for i in rng.choice(len(tables.skill_labels), 300, replace=False)]
    p50, p95 = latency(skills, sample)
    print(f"single skill label query latency after warm-up: p50 {p50:.1f} ms, p95 {p95:.1f} ms")


if __name__ == "__main__":
    main()
