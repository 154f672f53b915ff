"""The "nearby paths" signal read from the shared ROME referential (see ``engine.nearby``): for a person whose
job is occupation A, how often the occupations closest to A in skills list a target occupation among their
mobilities (A's own list is the separate "ROME edge" signal).

The referential's arrays (occupations, their skills, the mobility lists) are read once per process and kept
while the referential does not change (one query checks it); each source occupation's row is computed on
first use.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from .engine import nearby as engine

_lock = threading.Lock()
_cache: dict = {}
_MAX_ROWS = 2048
SHOWN_VIA = 3


@dataclass(frozen=True)
class NearbyPath:
    """The signal for one (source occupation, target occupation): its value in [0, 1], how many of the
    source's closest occupations list the target (``count`` of ``total``), and the first of them by closeness
    (``via``, their ROME labels)."""

    value: float
    count: int
    total: int
    via: tuple[str, ...]


@dataclass(frozen=True)
class _Referential:
    labels: list[str]
    vectors: object
    edges: object
    position: dict[str, int]  # ROME code → row
    sources_of: object  # the edges transposed: row B lists the occupations that list B


def state_sql() -> str:
    """A SELECT list of the referential's state: the last import, occupation, skill link and mobility edge
    (index lookups; an import that removes rows records a new version)."""
    from referentials.models import MobilityEdge, Occupation, OccupationSkill, ReferentialVersion

    return ", ".join(f"(SELECT max(id) FROM {model._meta.db_table})"
                     for model in (ReferentialVersion, Occupation, OccupationSkill, MobilityEdge))


def state_of(values) -> tuple:
    return tuple(None if value is None else int(value) for value in values)


def referential_state() -> tuple:
    """The referential's state now (one query): what ``nearby_paths`` is keyed on."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {state_sql()}")
        return state_of(cursor.fetchone())


def _load() -> _Referential:
    from referentials.models import MobilityEdge, Occupation, OccupationSkill

    occupations = list(Occupation.objects.order_by("id").values_list("id", "code", "label"))
    ids = np.array([row[0] for row in occupations], dtype=np.int64)
    links = np.array(list(OccupationSkill.objects.values_list("occupation_id", "skill_id")),
                     dtype=np.int64).reshape(-1, 2)
    skills, skill_index = np.unique(links[:, 1], return_inverse=True)
    vectors = engine.occupation_vectors(len(ids), len(skills), np.searchsorted(ids, links[:, 0]), skill_index)
    pairs = np.array(list(MobilityEdge.objects.values_list("source_id", "target_id")), dtype=np.int64).reshape(-1, 2)
    edges = engine.edge_matrix(len(ids), np.searchsorted(ids, pairs[:, 0]), np.searchsorted(ids, pairs[:, 1]))
    return _Referential([row[2] for row in occupations], vectors, edges,
                        {row[1]: i for i, row in enumerate(occupations)}, edges.T.tocsr())


def _row(referential: _Referential, rows: dict, position: int) -> engine.Nearby:
    if position not in rows:
        if len(rows) >= _MAX_ROWS:
            rows.clear()
        rows[position] = engine.nearby_paths(referential.vectors, referential.edges, np.array([position]))
    return rows[position]


def nearby_paths(pairs: Iterable[tuple[str, str]], *, state: tuple | None = None) -> dict[tuple[str, str], NearbyPath]:
    """(source ROME code, target ROME code) → the signal, for the pairs whose codes are both in the
    referential and whose target at least one close occupation lists (others are left out: no signal).
    ``state``: the referential's state when the caller has read it (``state_sql``), else it is read here."""
    pairs = {(s, t) for s, t in pairs if s and t and s != t}
    if not pairs:
        return {}
    state = referential_state() if state is None else state
    with _lock:
        if _cache.get("state") != state:
            _cache.clear()
            _cache.update(state=state, referential=_load(), rows={})
        referential, rows = _cache["referential"], _cache["rows"]
        result = {}
        for source, target in pairs:
            a, b = referential.position.get(source), referential.position.get(target)
            if a is None or b is None:
                continue
            nearby = _row(referential, rows, a)
            value = float(nearby.value[0, b])
            if value <= 0:
                continue
            neighbours = nearby.neighbours[0][nearby.neighbours[0] >= 0]
            starts = referential.sources_of.indptr
            listing = neighbours[np.isin(neighbours, referential.sources_of.indices[starts[b]:starts[b + 1]])].tolist()
            result[(source, target)] = NearbyPath(round(value, 4), len(listing), len(neighbours),
                                                  tuple(referential.labels[n] for n in listing[:SHOWN_VIA]))
    return result

