"""The cheapest set of trainings that closes a gap: weighted set cover.

A gap is a list of (skill, required level, level held) with held < required. A training covers a gap
line when it brings that skill to at least the required level. Lines no training reaches stay uncovered
(with the best level reachable). Among the trainings, the set of least total cost (hours break ties)
covering every coverable line is found exactly by integer programming (``scipy.optimize.milp``); past
``EXACT_LIMIT`` lines, or if the solver does not prove optimality in time, the greedy cost-per-line
choice is returned with its guarantee: at most ``H(d)`` times the optimum, d the largest number of lines
one training covers (``bound``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, milp

EXACT_LIMIT = 200
TIME_LIMIT = 5.0
# Hours only break ties between sets of equal cost.
HOURS_TIE_BREAK = 1e-6


@dataclass(frozen=True)
class Cover:
    """``chosen``: training indexes, in index order. ``uncovered``: indexes of the gap lines no training
    reaches, with ``reached`` = best level reachable for each gap line. ``exact``: proven optimal;
    otherwise greedy, within ``bound`` × the optimum."""

    chosen: np.ndarray
    cost: float
    hours: float
    uncovered: np.ndarray
    reached: np.ndarray
    exact: bool
    bound: float = 1.0


def training_cover(gap_skill: np.ndarray, gap_required: np.ndarray, gap_held: np.ndarray,
                   training_levels: sp.csr_matrix, cost: np.ndarray, hours: np.ndarray) -> Cover:
    """``training_levels``: ``csr[T, S]``, the level each training brings each skill to. ``cost``,
    ``hours``: ``[T]``. Gap arrays: one entry per missing (skill, level)."""
    gap_skill = np.asarray(gap_skill, dtype=np.int64)
    gap_required = np.asarray(gap_required, dtype=np.float64)
    gap_held = np.asarray(gap_held, dtype=np.float64)
    cost = np.asarray(cost, dtype=np.float64)
    hours = np.asarray(hours, dtype=np.float64)
    levels_at_gap = training_levels.tocsc()[:, gap_skill].T.toarray() if len(gap_skill) else \
        np.zeros((0, training_levels.shape[0]))  # [lines, T]
    covers = levels_at_gap >= gap_required[:, None]
    best = levels_at_gap.max(axis=1) if levels_at_gap.shape[1] else np.zeros(len(gap_skill))
    coverable = covers.any(axis=1)
    reached = np.maximum(gap_held, best)
    uncovered = np.flatnonzero(~coverable)
    lines = covers[coverable]
    useful = np.flatnonzero(lines.any(axis=0))
    if not len(lines):
        return Cover(np.zeros(0, dtype=np.int64), 0.0, 0.0, uncovered, reached, True)
    matrix = lines[:, useful].astype(np.float64)
    weights = cost[useful] + HOURS_TIE_BREAK * hours[useful]
    if len(lines) <= EXACT_LIMIT:
        result = milp(weights, constraints=LinearConstraint(sp.csr_matrix(matrix), lb=1, ub=np.inf),
                      integrality=np.ones(len(useful)), bounds=Bounds(0, 1),
                      options={"time_limit": TIME_LIMIT})
        if result.status == 0:
            chosen = np.sort(useful[np.flatnonzero(result.x > 0.5)])
            return Cover(chosen, float(cost[chosen].sum()), float(hours[chosen].sum()), uncovered, reached, True)
    chosen = useful[_greedy(matrix, weights)]
    largest = int(matrix.sum(axis=0).max())
    bound = float(np.sum(1.0 / np.arange(1, largest + 1)))
    chosen = np.sort(chosen)
    return Cover(chosen, float(cost[chosen].sum()), float(hours[chosen].sum()), uncovered, reached, False, bound)


def _greedy(matrix: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Repeatedly take the training of least cost per newly covered line (one step per training taken)."""
    open_lines = np.ones(matrix.shape[0], dtype=bool)
    taken: list[int] = []
    while open_lines.any():
        gains = matrix[open_lines].sum(axis=0)
        ratio = np.where(gains > 0, weights / np.maximum(gains, 1), np.inf)
        pick = int(np.argmin(ratio))
        taken.append(pick)
        open_lines &= matrix[:, pick] == 0
    return np.array(taken, dtype=np.int64)
