"""The learned re-ranking of the engine's top candidates: their features, the per-key SVM blend and the
calibration of scores into probabilities (pure numpy, over the arrays ``index.py`` computes)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .config import MatchConfig

if TYPE_CHECKING:
    from .index import Index

# What the re-ranker reads of each of the top candidates, in this order: the engine's score, its gap to
# the best, the rank; each signal of ``_score_forms`` (with, for four of them, its gap to the best
# candidate's), the SVM decision (-5 where the key has no SVM) and log(1 + the key's entries). With an
# encoder, also its best cosine, that cosine's gap to the best key's, and its k-NN vote.
RANKING_FEATURES = (
    "score", "score_gap", "rank", "best", "best_gap", "vote", "vote_gap", "document", "document_gap",
    "head", "exact", "soft", "decision", "decision_gap", "log_entries",
)  # fmt: skip
RANKING_FEATURES_ENCODER = RANKING_FEATURES + ("encoder", "encoder_gap", "encoder_vote")
# With ``coverage`` (``coverage.py``): the IDF-weighted share of the query's words in the key's titles and in
# its whole vocabulary, each with its gap to the best candidate's.
RANKING_FEATURES_COVERAGE = ("coverage", "coverage_gap", "vocabulary", "vocabulary_gap")
# With ``family_features``: log(the candidates of its family, itself included), the family's summed score and
# its gap to the best family's, the best score and encoder cosine of a sibling candidate, "same family as
# the first candidate" and "as the encoder's best candidate", log(the family's size) and "is the family's
# own code".
RANKING_FEATURES_FAMILY = (
    "family_count", "family_score", "family_score_gap", "sibling_score", "sibling_encoder", "family_of_first",
    "family_of_encoder_best", "family_size", "family_head",
)  # fmt: skip


def ranking_feature_names(config: MatchConfig) -> tuple[str, ...]:
    """The re-ranker's features for ``config``, in the order ``_ranking_features`` stacks them."""
    names = RANKING_FEATURES_ENCODER if config.encoder else RANKING_FEATURES
    if config.coverage:
        names += RANKING_FEATURES_COVERAGE
    if config.family_features:
        names += RANKING_FEATURES_FAMILY
    return names


def _candidates(index: Index, scores: np.ndarray, signals: dict[str, np.ndarray]) -> np.ndarray:
    """(n, m) key positions to re-rank, by decreasing score: the encoder's best keys, then the engine's."""
    m = min(index.config.rerank_candidates, scores.shape[1])
    priority = scores
    if "encoder" in signals:
        e = min(index.config.encoder_candidates, m, scores.shape[1])
        chosen = np.argpartition(-signals["encoder"], e - 1, axis=1)[:, :e]
        priority = scores.copy()
        np.put_along_axis(priority, chosen, np.take_along_axis(priority, chosen, axis=1) + 2.0, axis=1)
    if m < scores.shape[1]:
        top = np.argpartition(-priority, m - 1, axis=1)[:, :m]
    else:
        top = np.tile(np.arange(scores.shape[1]), (len(scores), 1))
    order = np.argsort(-np.take_along_axis(scores, top, axis=1), axis=1, kind="stable")
    return np.take_along_axis(top, order, axis=1)


def _ranking_features(
    index: Index, scores: np.ndarray, decisions: np.ndarray | None, signals: dict[str, np.ndarray]
) -> tuple[np.ndarray, np.ndarray]:
    top = _candidates(index, scores, signals)
    m = top.shape[1]
    best = np.take_along_axis(scores, top, axis=1)
    zeros = np.zeros_like(scores)
    if decisions is None:
        decisions = np.full_like(scores, -5.0)
    elif index.classifier_trained is not None:
        decisions = np.where(index.classifier_trained[None, :], decisions, -5.0)
    columns = [best, best - best[:, :1], np.broadcast_to(np.arange(m, dtype=np.float32), best.shape)]
    for name in ("best", "vote", "document", "head", "exact", "soft", "decision"):
        value = decisions if name == "decision" else signals.get(name, zeros)
        column = np.take_along_axis(value, top, axis=1)
        columns.append(column)
        if name in ("best", "vote", "document", "decision"):
            columns.append(column - column.max(axis=1, keepdims=True))
    entries = np.diff(np.append(index.group_starts, len(index.entry_groups)))
    columns.append(np.log1p(entries[top]))
    if "encoder" in signals:
        encoder = np.take_along_axis(signals["encoder"], top, axis=1)
        columns += [
            encoder,
            encoder - signals["encoder"].max(axis=1, keepdims=True),
            np.take_along_axis(signals["encoder_vote"], top, axis=1),
        ]
    if index.config.coverage:
        for name in ("coverage", "vocabulary"):
            column = np.take_along_axis(signals.get(name, zeros), top, axis=1)
            columns += [column, column - column.max(axis=1, keepdims=True)]
    if index.config.family_features:
        encoder = np.take_along_axis(signals["encoder"], top, axis=1) if "encoder" in signals else np.zeros_like(best)
        columns += _family_columns(index, top, best, encoder)
    return top, np.stack(columns, axis=2).astype(np.float32)


def _family_columns(index: Index, top: np.ndarray, best: np.ndarray, encoder: np.ndarray) -> list[np.ndarray]:
    """The ``RANKING_FEATURES_FAMILY`` columns of the (n, m) candidates ``top`` (scores ``best``)."""
    families = index.families
    family = families.ids[top]
    same = family[:, :, None] == family[:, None, :]
    siblings = same & ~np.eye(top.shape[1], dtype=bool)[None]
    family_score = (same * best[:, None, :]).sum(axis=2)
    encoder_best = np.take_along_axis(family, np.argmax(encoder, axis=1)[:, None], axis=1)
    return [
        np.log(same.sum(axis=2)),
        family_score,
        family_score - family_score.max(axis=1, keepdims=True),
        np.where(siblings, best[:, None, :], 0.0).max(axis=2),
        np.where(siblings, encoder[:, None, :], 0.0).max(axis=2),
        (family == family[:, :1]).astype(np.float32),
        (family == encoder_best).astype(np.float32),
        np.log(families.sizes[top]),
        families.heads[top],
    ]


def _classify(index: Index, scores: np.ndarray, decisions: np.ndarray | None) -> np.ndarray:
    """Blend the per-key SVM (squashed to 0..1) into the engine's top candidates.

    Only the engine's top ``classifier_candidates`` keys get their SVM's part (an SVM never saw
    far-away keys as negatives, so its value there means little); the others get 0 for it,
    which keeps them below. A key without an SVM uses its own score as the SVM's part.
    """
    if decisions is None:
        return scores
    c = index.config
    probability = 1.0 / (1.0 + np.exp(-c.classifier_slope * decisions))
    probability = np.where(index.classifier_trained[None, :], probability, scores)
    m = min(c.classifier_candidates, scores.shape[1])
    keep = np.zeros(scores.shape, dtype=bool)
    if m < scores.shape[1]:
        top = np.argpartition(-scores, m - 1, axis=1)[:, :m]
        np.put_along_axis(keep, top, True, axis=1)
    else:
        keep[:] = True
    probability = np.where(keep, probability, 0.0)
    w = c.classifier_weight
    return ((1 - w) * scores + w * probability).astype(np.float32)


def _calibrate(config: MatchConfig, scores: np.ndarray) -> np.ndarray:
    if config.calibration is None:
        return scores
    slope, intercept = config.calibration
    return (1.0 / (1.0 + np.exp(-(slope * scores + intercept)))).astype(np.float32)
