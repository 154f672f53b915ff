"""Where people go from occupations close to one's own: the "nearby paths" signal and the recommended order.

France Travail's ROME lists, for each occupation, the occupations people move to. For a person whose job is
occupation A, the signal reads those lists for the ``k`` occupations whose skills are closest to A (IDF-weighted
cosine of their ROME skill sets), **never A's own list** (that one is the separate "ROME edge" signal): the
nearby-paths value of a target occupation B is the closeness-weighted share of those neighbours that list B.
It is a collaborative signal: "people in occupations like yours often go there".

The recommended order of a person's suggestions re-ranks their ``POOL`` best fits by
``fit + WEIGHT × nearby``; the weight and ``k`` were chosen on one half of the ROME occupations and measured on
the other (``bench/mobility_quality.py``). Pure numpy/scipy over arrays, no Django.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

NEIGHBOURS = 20
WEIGHT = 1.0
POOL = 50


def occupation_vectors(n_occupations: int, n_skills: int, occupation: np.ndarray, skill: np.ndarray) -> sp.csr_matrix:
    """(n_occupations, n_skills) rows of norm 1: each occupation's skills, weighted by their IDF (a skill
    shared by few occupations says more about closeness than one most occupations list)."""
    held = sp.csr_matrix((np.ones(len(skill), dtype=np.float64), (occupation, skill)),
                         shape=(n_occupations, n_skills))
    held.sum_duplicates()
    held.data[:] = 1.0
    counts = np.asarray(held.sum(axis=0)).ravel()
    idf = np.log(max(n_occupations, 1) / np.maximum(counts, 1))
    weighted = held.multiply(idf[None, :]).tocsr()
    norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
    return (sp.diags(1.0 / np.where(norms > 0, norms, 1.0)) @ weighted).tocsr()


def edge_matrix(n_occupations: int, source: np.ndarray, target: np.ndarray) -> sp.csr_matrix:
    """(n, n) binary matrix of the ROME mobility lists: row A, column B when A lists B."""
    edges = sp.csr_matrix((np.ones(len(source), dtype=np.float64), (source, target)),
                          shape=(n_occupations, n_occupations))
    edges.sum_duplicates()
    edges.data[:] = 1.0
    return edges


@dataclass(frozen=True)
class Nearby:
    """For each source occupation (row): the nearby-paths value of every target occupation (``value``, dense
    (n_sources, n_occupations) in [0, 1]), its ``k`` closest occupations (``neighbours``, -1 where fewer
    share a skill) and their closeness (``closeness``)."""

    value: np.ndarray
    neighbours: np.ndarray
    closeness: np.ndarray


def nearby_paths(vectors: sp.csr_matrix, edges: sp.csr_matrix, sources: np.ndarray, *, k: int = NEIGHBOURS,
                 allowed: np.ndarray | None = None) -> Nearby:
    """The nearby-paths signal from each of ``sources`` (occupation rows). A source is never its own neighbour;
    ``allowed`` (boolean per occupation) limits who may be a neighbour (the benchmark keeps the held-out half
    out). Occupations sharing no skill with the source are never neighbours."""
    sources = np.asarray(sources, dtype=np.int64)
    n = vectors.shape[0]
    if not len(sources) or not n:
        return Nearby(np.zeros((len(sources), n)), np.full((len(sources), k), -1), np.zeros((len(sources), k)))
    closeness = (vectors[sources] @ vectors.T).toarray()
    closeness[np.arange(len(sources)), sources] = 0.0
    if allowed is not None:
        closeness[:, ~np.asarray(allowed, dtype=bool)] = 0.0
    k = max(1, min(k, n))
    neighbours = np.argpartition(-closeness, k - 1, axis=1)[:, :k]
    weights = np.take_along_axis(closeness, neighbours, axis=1)
    order = np.argsort(-weights, axis=1, kind="stable")
    neighbours, weights = np.take_along_axis(neighbours, order, axis=1), np.take_along_axis(weights, order, axis=1)
    neighbours = np.where(weights > 0, neighbours, -1)
    weights = np.maximum(weights, 0.0)
    rows = np.repeat(np.arange(len(sources)), k)
    keep = neighbours.ravel() >= 0
    chosen = sp.csr_matrix((weights.ravel()[keep], (rows[keep], neighbours.ravel()[keep])), shape=(len(sources), n))
    totals = weights.sum(axis=1, keepdims=True)
    value = (chosen @ edges).toarray() / np.where(totals > 0, totals, 1.0)
    return Nearby(value, neighbours, weights)


def recommended_order(fit: np.ndarray, nearby: np.ndarray, ids: np.ndarray, *, pool: int = POOL,
                      weight: float = WEIGHT) -> np.ndarray:
    """Positions of one person's jobs in the recommended order: their ``pool`` best fits (fit > 0), re-ranked
    by ``fit + weight × nearby``; ties by fit, then by id (stable across runs)."""
    fit = np.asarray(fit, dtype=np.float64)
    ids = np.asarray(ids)
    by_fit = np.lexsort((ids, -fit))
    by_fit = by_fit[fit[by_fit] > 0][:pool]
    score = fit[by_fit] + weight * np.asarray(nearby, dtype=np.float64)[by_fit]
    return by_fit[np.lexsort((ids[by_fit], -fit[by_fit], -score))]
