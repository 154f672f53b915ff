"""Fit of employees to jobs.

Shapes: ``E`` employees, ``J`` jobs, ``S`` skills (indexes into one skill list chosen by the caller).

- ``levels``: ``csr[E, S]`` float, the level held (only levels ≥ 1 stored).
- ``neighbours``: ``Neighbours`` (see ``skill_neighbours``): for a skill held (row), the skills it earns
  credit in (column), with the multiplier (1 for an accepted mapping to the same ROME/ESCO skill, σ for a
  similar skill) and how (``VIA_MAPPING`` / ``VIA_SIMILAR``).
- ``requirements``: ``Requirements``: ``targets`` ``csr[J, S]`` (target level ≥ 1) and ``weights``
  ``csr[J, S]`` (the weight, already × 2 for a critical requirement), same sparsity.

The level counted for a required skill ``s`` is the best of the employee's own level in ``s``, their level
in a skill mapped to the same standard skill, and σ × their level in a similar skill (σ ≥ threshold). The
credit is ``min(level, t) / t`` and the fit ``Σ w·credit / Σ w``. As ``min(x, t) = Σ_{k=1..t} clip(x−k+1,
0, 1)`` for an integer ``t``, the numerator is ``Σ_k X_k · R_kᵀ`` with ``X_k = clip(level − k + 1, 0, 1)``
and ``R_k = w/t · [t ≥ k]``: a few sparse products give every pair at once.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

VIA_NONE, VIA_SAME, VIA_MAPPING, VIA_SIMILAR = 0, 1, 2, 3
VIA_NAMES = {VIA_NONE: "none", VIA_SAME: "same", VIA_MAPPING: "mapping", VIA_SIMILAR: "similar"}
DEFAULT_SIMILARITY_THRESHOLD = 0.5
CRITICAL_FACTOR = 2.0


@dataclass(frozen=True)
class Neighbours:
    """``credit[S, S]`` (multiplier) and ``via[S, S]`` (``VIA_MAPPING`` or ``VIA_SIMILAR``), same sparsity,
    rows = the skill held, columns = the skill credited; the diagonal is not stored."""

    credit: sp.csr_matrix
    via: sp.csr_matrix


@dataclass(frozen=True)
class Requirements:
    targets: sp.csr_matrix
    weights: sp.csr_matrix

    @property
    def total_weight(self) -> np.ndarray:
        return np.asarray(self.weights.sum(axis=1)).ravel()


def requirements_from_rows(n_jobs: int, n_skills: int, job: np.ndarray, skill: np.ndarray, target: np.ndarray,
                           weight: np.ndarray, critical: np.ndarray) -> Requirements:
    """Requirements from parallel arrays (one entry per job × skill; ``target`` ≥ 1)."""
    job, skill = np.asarray(job, dtype=np.int64), np.asarray(skill, dtype=np.int64)
    target = np.asarray(target, dtype=np.float64)
    keep = target >= 1
    w = np.asarray(weight, dtype=np.float64) * np.where(np.asarray(critical, dtype=bool), CRITICAL_FACTOR, 1.0)
    targets = sp.csr_matrix((target[keep], (job[keep], skill[keep])), shape=(n_jobs, n_skills))
    weights = sp.csr_matrix((w[keep], (job[keep], skill[keep])), shape=(n_jobs, n_skills))
    return Requirements(targets, weights)


def levels_from_rows(n_employees: int, n_skills: int, employee: np.ndarray, skill: np.ndarray,
                     level: np.ndarray) -> sp.csr_matrix:
    employee, skill = np.asarray(employee, dtype=np.int64), np.asarray(skill, dtype=np.int64)
    level = np.asarray(level, dtype=np.float64)
    keep = level > 0
    matrix = sp.csr_matrix((level[keep], (employee[keep], skill[keep])), shape=(n_employees, n_skills))
    matrix.sum_duplicates()
    return matrix


def skill_neighbours(n_skills: int, *, mapped_skill: np.ndarray = (), mapped_target: np.ndarray = (),
                     similar_from: np.ndarray = (), similar_to: np.ndarray = (), sigma: np.ndarray = (),
                     threshold: float = DEFAULT_SIMILARITY_THRESHOLD, similar: bool = True) -> Neighbours:
    """Credit between skills. ``mapped_skill[i]`` is mapped (accepted) to the standard skill
    ``mapped_target[i]`` (any integer key, ROME and ESCO keys kept apart by the caller): two skills sharing a
    key credit each other fully. ``similar_from/to/sigma``: σ of each pair (read as given, both ways stored
    by the caller); kept where σ ≥ ``threshold`` (all dropped when ``similar`` is False). Where a pair is both
    mapped and similar, the mapping wins."""
    mapped_skill = np.asarray(mapped_skill, dtype=np.int64)
    mapped_target = np.asarray(mapped_target, dtype=np.int64)
    if len(mapped_skill):
        _keys, key_index = np.unique(mapped_target, return_inverse=True)
        incidence = sp.csr_matrix((np.ones(len(mapped_skill)), (mapped_skill, key_index)),
                                  shape=(n_skills, len(_keys)))
        incidence.data[:] = 1
        together = (incidence @ incidence.T).tocsr()
        together.setdiag(0)
        together.eliminate_zeros()
        together.data[:] = 1.0
    else:
        together = sp.csr_matrix((n_skills, n_skills))
    sigma = np.asarray(sigma, dtype=np.float64)
    similar_from = np.asarray(similar_from, dtype=np.int64)
    similar_to = np.asarray(similar_to, dtype=np.int64)
    keep = (sigma >= threshold) & (similar_from != similar_to) & bool(similar)
    similar_matrix = sp.csr_matrix((np.minimum(sigma[keep], 1.0), (similar_from[keep], similar_to[keep])),
                                   shape=(n_skills, n_skills))
    similar_matrix.sum_duplicates()
    # Remove similar entries where a mapping exists, then add both with their kind.
    mapped_mask = together.copy()
    mapped_mask.data[:] = 1
    similar_only = similar_matrix - similar_matrix.multiply(mapped_mask)
    similar_only.eliminate_zeros()
    credit = (together + similar_only).tocsr()
    via_similar = similar_only.copy()
    via_similar.data[:] = VIA_SIMILAR
    via = (together * VIA_MAPPING + via_similar).tocsr()
    credit.sort_indices()
    via.sort_indices()
    return Neighbours(credit, via)


@dataclass(frozen=True)
class Effective:
    """Best level counted per (employee, skill): ``level`` ``csr[E, S]``; with ``detail``, ``via`` and
    ``source`` ``csr[E, S]`` (same sparsity) say how it was earned and from which skill (source + 1)."""

    level: sp.csr_matrix
    via: sp.csr_matrix | None = None
    source: sp.csr_matrix | None = None


def effective_levels(levels: sp.csr_matrix, neighbours: Neighbours, *, columns: np.ndarray | None = None,
                     detail: bool = False) -> Effective:
    """The level counted in each skill (see the module docstring). ``columns``: boolean mask ``[S]`` of the
    skills worth computing (those some job requires); others are left out. No loop over employees: every
    (held skill → credited skill) entry is expanded with ``np.repeat`` and reduced by a sort."""
    n_employees, n_skills = levels.shape
    coo = levels.tocoo()
    rows, held, values = coo.row.astype(np.int64), coo.col.astype(np.int64), coo.data.astype(np.float64)
    credit, via = neighbours.credit, neighbours.via
    if columns is not None:
        mask = sp.diags(np.asarray(columns, dtype=np.float64))
        credit = (credit @ mask).tocsr()
        credit.eliminate_zeros()
        via = via.multiply(credit > 0).tocsr()
        credit.sort_indices()
        via.sort_indices()
    counts = np.diff(credit.indptr)[held]
    entry = np.repeat(np.arange(len(held)), counts)
    starts = np.repeat(credit.indptr[held] - np.cumsum(counts) + counts, counts)
    position = starts + np.arange(len(entry)) if len(entry) else np.zeros(0, dtype=np.int64)
    all_rows = np.concatenate([rows, rows[entry]])
    all_cols = np.concatenate([held, credit.indices[position].astype(np.int64)])
    all_values = np.concatenate([values, values[entry] * credit.data[position]])
    all_via = np.concatenate([np.full(len(held), VIA_SAME), via.data[position].astype(np.int64)])
    all_source = np.concatenate([held, held[entry]])
    if columns is not None:
        keep = np.asarray(columns, dtype=bool)[all_cols]
        all_rows, all_cols, all_values = all_rows[keep], all_cols[keep], all_values[keep]
        all_via, all_source = all_via[keep], all_source[keep]
    key = all_rows * n_skills + all_cols
    # Best value first within a key; on a tie, own skill before mapping before similar.
    order = np.lexsort((all_via, -all_values, key))
    key = key[order]
    first = np.ones(len(key), dtype=bool)
    first[1:] = key[1:] != key[:-1]
    pick = order[first]
    shape = (n_employees, n_skills)
    pairs = (all_rows[pick], all_cols[pick])
    level = sp.csr_matrix((all_values[pick], pairs), shape=shape)
    if not detail:
        return Effective(level)
    return Effective(level, sp.csr_matrix((all_via[pick], pairs), shape=shape),
                     sp.csr_matrix((all_source[pick] + 1, pairs), shape=shape))


def fit_matrix(effective: sp.csr_matrix, requirements: Requirements, *, chunk: int = 4096) -> np.ndarray:
    """``float32[E, J]``: the fit of every employee to every job (0 for a job without requirements)."""
    targets, weights = requirements.targets, requirements.weights
    n_employees, n_jobs = effective.shape[0], targets.shape[0]
    total = requirements.total_weight
    max_target = int(targets.data.max()) if targets.nnz else 0
    per_level = []
    for k in range(1, max_target + 1):
        reach = targets.copy()
        reach.data = np.where(targets.data >= k, weights.data / targets.data, 0.0)
        reach.eliminate_zeros()
        per_level.append(reach.T.tocsr())
    scale = np.where(total > 0, 1.0 / np.where(total > 0, total, 1.0), 0.0).astype(np.float32)
    result = np.zeros((n_employees, n_jobs), dtype=np.float32)
    effective = effective.tocsr()
    for start in range(0, n_employees, chunk):
        block = effective[start:start + chunk]
        numerator = None
        for k, reach_t in enumerate(per_level, start=1):
            sliced = block.copy()
            sliced.data = np.clip(sliced.data - (k - 1), 0.0, 1.0)
            sliced.eliminate_zeros()
            product = sliced @ reach_t
            numerator = product if numerator is None else numerator + product
        if numerator is not None:
            result[start:start + chunk] = numerator.toarray() * scale
    return np.clip(result, 0.0, 1.0)


def top_k(scores: np.ndarray, k: int, *, axis: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Indices and values of the ``k`` best along ``axis`` (rows: axis 1), best first; ties by index."""
    matrix = scores if axis == 1 else scores.T
    k = min(k, matrix.shape[1])
    if k == 0:
        return np.zeros((matrix.shape[0], 0), dtype=np.int64), np.zeros((matrix.shape[0], 0), dtype=matrix.dtype)
    part = np.argpartition(-matrix, k - 1, axis=1)[:, :k] if k < matrix.shape[1] else \
        np.tile(np.arange(matrix.shape[1]), (matrix.shape[0], 1))
    values = np.take_along_axis(matrix, part, axis=1)
    order = np.lexsort((part, -values), axis=1)
    index = np.take_along_axis(part, order, axis=1)
    return index, np.take_along_axis(matrix, index, axis=1)


@dataclass(frozen=True)
class RequirementLine:
    """One requirement of a job for one employee: ``held`` is the level counted (σ × level for a similar
    skill), ``credit`` = min(held, required) / required, ``via`` one of "same", "mapping", "similar",
    "none", ``source`` the skill index that earned it (``-1`` when none)."""

    skill: int
    required: int
    weight: float
    held: float
    credit: float
    via: str
    source: int


def dense_rows(effective: Effective, employee: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(level, via, source + 1) of one employee over every skill: read once, shared by their lines."""
    return (effective.level[employee].toarray().ravel(), effective.via[employee].toarray().ravel(),
            effective.source[employee].toarray().ravel())


def requirement_lines(effective: Effective, requirements: Requirements, employee: int,
                      job: int, *, rows: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
                      ) -> list[RequirementLine]:
    """The lines that explain ``fit[employee, job]`` (``effective`` computed with ``detail=True``); the
    fit equals ``Σ weight·credit / Σ weight`` of these lines. In skill-index order. ``rows``: the
    employee's ``dense_rows`` when the caller explains several jobs for them."""
    start, end = requirements.targets.indptr[job], requirements.targets.indptr[job + 1]
    skills = requirements.targets.indices[start:end]
    order = np.argsort(skills)
    skills = skills[order]
    targets = requirements.targets.data[start:end][order]
    weights = requirements.weights.data[start:end][order]
    level_row, via_row, source_row = rows if rows is not None else dense_rows(effective, employee)
    held_values = level_row[skills]
    via_values = via_row[skills]
    sources = source_row[skills] - 1
    lines = []
    for skill, target, weight, held, via, source in zip(skills, targets, weights, held_values, via_values,
                                                          sources, strict=True):
        lines.append(RequirementLine(int(skill), int(target), float(weight), float(held),
                                     float(min(held, target) / target), VIA_NAMES[int(via) if held > 0 else 0],
                                     int(source) if held > 0 else -1))
    return lines
