"""Skill similarity from sentence-encoder embeddings (pure numpy/scipy, no Django).

Raw encoder cosines crowd together (most skill labels sit within a narrow band of each other), so
they are turned into σ, the estimated probability that two labels name the same skill, by a
logistic curve fitted in ``bench/skill_mapping.py`` on ESCO's French alternative labels: each
alternative label against its nearest preferred labels, "same skill" when it is its own.

- ``sigma(cosines)``: that curve;
- ``skill_similarity(emb_a, emb_b, k, threshold)``: sparse top-``k`` σ of every row of ``emb_a``
  against ``emb_b`` (itself excluded when ``emb_b`` is ``None``, i.e. ``emb_a`` against itself);
- ``composed_similarity(direct, candidates)``: organisation skills compared directly and through
  the standard (ROME/ESCO) skills they are each close to: σ(i, j) = max(direct σ, max over shared
  candidates c of σ(i, c) · σ(j, c)), top-``k`` per skill, symmetric.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

# Logistic (slope, intercept) on the cosine, per encoder: see bench/skill_mapping.py (--fit).
SIGMA_CALIBRATION = {"use": (14.05, -10.6), "e5": (40.0, -36.0)}
_CHUNK = 1024


def sigma(cosines: np.ndarray, calibration: tuple[float, float]) -> np.ndarray:
    """σ in [0, 1] for raw cosines (any shape)."""
    slope, intercept = calibration
    return (1.0 / (1.0 + np.exp(-(slope * np.asarray(cosines, dtype=np.float32) + intercept)))).astype(np.float32)


def skill_similarity(
    emb_a: np.ndarray,
    emb_b: np.ndarray | None = None,
    k: int = 10,
    threshold: float = 0.5,
    *,
    calibration: tuple[float, float] = SIGMA_CALIBRATION["use"],
) -> sp.csr_matrix:
    """(n_a, n_b) CSR of σ: for each row of ``emb_a`` (L2-normalised), its ``k`` most similar rows of
    ``emb_b`` with σ >= ``threshold``. ``emb_b=None`` compares ``emb_a`` with itself, the diagonal left out.
    Computed in chunks of rows, so memory stays at a chunk's dense similarities."""
    itself = emb_b is None
    emb_b = emb_a if itself else emb_b
    n_a, n_b = len(emb_a), len(emb_b)
    k = max(0, min(k, n_b - (1 if itself else 0)))
    if n_a == 0 or n_b == 0 or k == 0:
        return sp.csr_matrix((n_a, n_b), dtype=np.float32)
    rows, columns, values = [], [], []
    for start in range(0, n_a, _CHUNK):
        block = np.asarray(emb_a[start : start + _CHUNK] @ emb_b.T, dtype=np.float32)
        if itself:
            block[np.arange(len(block)), np.arange(start, start + len(block))] = -np.inf
        top = np.argpartition(-block, k - 1, axis=1)[:, :k]
        s = sigma(np.take_along_axis(block, top, axis=1), calibration)
        keep = s >= threshold
        rows.append(np.nonzero(keep)[0] + start)
        columns.append(top[keep])
        values.append(s[keep])
    return sp.csr_matrix(
        (np.concatenate(values), (np.concatenate(rows), np.concatenate(columns))), shape=(n_a, n_b)
    )


def composed_similarity(direct: sp.csr_matrix, candidates: sp.csr_matrix, k: int = 10) -> sp.csr_matrix:
    """(n, n) symmetric CSR of σ between n skills, top-``k`` per skill, no diagonal.

    ``direct`` (n, n): σ of the skills' own labels (``skill_similarity(emb)``); ``candidates`` (n, m):
    σ of each skill with its standard candidates. Two skills close to the same standard skill c are
    similar by σ(i, c) · σ(j, c); the larger of that and the direct σ is kept.
    """
    n = direct.shape[0]
    by_candidate = candidates.tocsc()
    by_candidate.eliminate_zeros()
    counts = np.diff(by_candidate.indptr)
    # Every pair of entries sharing a column (candidate), built without a loop over columns.
    owner_counts = np.repeat(counts, counts)  # per entry: how many entries share its column
    first = np.repeat(by_candidate.indptr[:-1], counts)
    left = np.repeat(np.arange(by_candidate.nnz), owner_counts)
    offsets = np.arange(len(left)) - np.repeat(np.cumsum(owner_counts) - owner_counts, owner_counts)
    right = np.repeat(first, owner_counts) + offsets
    pair_rows = by_candidate.indices[left]
    pair_columns = by_candidate.indices[right]
    pair_values = by_candidate.data[left] * by_candidate.data[right]
    direct = direct.tocoo()
    rows = np.concatenate([pair_rows, direct.row, direct.col])
    columns = np.concatenate([pair_columns, direct.col, direct.row])
    values = np.concatenate([pair_values, direct.data, direct.data]).astype(np.float32)
    off_diagonal = rows != columns
    rows, columns, values = rows[off_diagonal], columns[off_diagonal], values[off_diagonal]
    # Max per (row, column): sort by pair then by decreasing value, keep each pair's first.
    order = np.lexsort((-values, columns, rows))
    rows, columns, values = rows[order], columns[order], values[order]
    first_of_pair = np.ones(len(rows), dtype=bool)
    first_of_pair[1:] = (rows[1:] != rows[:-1]) | (columns[1:] != columns[:-1])
    rows, columns, values = rows[first_of_pair], columns[first_of_pair], values[first_of_pair]
    # Top-k per row (already sorted by row; rank the values within each row).
    order = np.lexsort((-values, rows))
    rows, columns, values = rows[order], columns[order], values[order]
    starts = np.searchsorted(rows, np.arange(n))
    rank = np.arange(len(rows)) - starts[rows]
    keep = rank < k
    result = sp.csr_matrix((values[keep], (rows[keep], columns[keep])), shape=(n, n))
    return result.maximum(result.T).tocsr()
