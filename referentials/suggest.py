"""Suggest standard skills and occupations (ROME, ESCO) for a free-text label.

The engine (``referentials.engine``) is pure; this module feeds it from the referential
tables (one ``values_list`` query per table), keeps the built indexes per process and
rebuilds them when a new ``ReferentialVersion`` is recorded. A built index is also written to
``DATA_DIR/cache`` (keyed by database, referential import and engine code), so that it is built
once per import rather than once per process: the occupation index takes ~25 s to build and
about a second to load.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import inspect
import logging
import os
import pickle
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.db import connection

from . import engine
from .engine import SKILL_CONFIG, Index, build_index, occupation_config, query, skill_config
from .engine.encoder import EmbeddingCache, encode
from .engine.text import fold, gender_forms
from .models import (
    EscoOccupation,
    EscoSkill,
    Occupation,
    OccupationSkill,
    OccupationTitle,
    ReferentialVersion,
    Skill,
)

SOURCES = ("rome", "esco")
MAX_K = 50


@dataclass(frozen=True)
class Suggestion:
    """One proposed standard item: ``code`` is a ROME code, a code OGR or an ESCO URI."""

    code: str
    label: str
    source: str
    confidence: float


@dataclass(frozen=True)
class _SourceIndex:
    index: Index
    labels: dict[str, str]
    source: str


def encoder_name() -> str | None:
    """The sentence encoder suggestions use (``settings.ESIPRO_ENCODER``), None when it is off."""
    return getattr(settings, "ESIPRO_ENCODER", "") or None


_embedding_caches: dict[tuple[str, str], EmbeddingCache] = {}
# Its own lock: label_embeddings runs inside index builds, which hold ``_lock``.
_embedding_lock = threading.Lock()


def similarity_encoder_name() -> str | None:
    """The encoder of the skill similarity (``settings.ESIPRO_SIMILARITY_ENCODER``), None while the encoder is
    off (``ESIPRO_ENCODER`` empty)."""
    if encoder_name() is None:
        return None
    return getattr(settings, "ESIPRO_SIMILARITY_ENCODER", "") or encoder_name()


def label_embeddings(labels: Sequence[str], *, store: str = "referentials", encoder: str | None = None) -> np.ndarray:
    """(n, dim) L2-normalised embeddings of ``labels`` by the configured encoder, cached on disk
    (``DATA_DIR/cache/embeddings/<store>``): a label is encoded once per machine, so a referential import
    re-encodes only its new labels and a few new organisation skills cost a few encodings.
    ``store`` keeps the large referential cache apart from the small, often-updated ones."""
    encoder = encoder or encoder_name()
    if encoder is None:
        raise ValueError("no sentence encoder configured (ESIPRO_ENCODER is empty)")
    with _embedding_lock:
        cache = _embedding_caches.get((encoder, store))
        if cache is None:
            folder = os.path.join(settings.DATA_DIR, "cache", "embeddings", store)
            cache = _embedding_caches[(encoder, store)] = EmbeddingCache(folder, encoder)
    return cache.embed(list(labels))


def _embeddings_if_encoder(labels: Sequence[str]) -> np.ndarray | None:
    return label_embeddings(labels) if encoder_name() else None


@functools.lru_cache(maxsize=4096)
def _query_embedding(encoder: str, label: str) -> np.ndarray:
    return encode([label], encoder=encoder)[0]


def _alt_labels(value: str) -> list[str]:
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


def _rome_occupations() -> _SourceIndex | None:
    occupations = list(Occupation.objects.values_list("code", "label", "definition", "access", "parent_code"))
    if not occupations:
        return None
    titles = list(OccupationTitle.objects.values_list("label", "occupation__code"))
    core = defaultdict(list)
    linked = defaultdict(list)
    for code, skill_label, role in OccupationSkill.objects.values_list("occupation__code", "skill__label", "role"):
        linked[code].append(skill_label)
        if role == OccupationSkill.Role.CORE:
            core[code].append(skill_label)
    labels = [label for label, _code in titles] + [row[1] for row in occupations]
    keys = np.array([code for _label, code in titles] + [row[0] for row in occupations], dtype=str)
    extra = {code: f"{definition} ; {' ; '.join(core[code])}" for code, _label, definition, _a, _p in occupations}
    # Everything ROME says of the occupation, for the re-ranker's word coverage (``engine/coverage.py``).
    vocabulary = {
        code: " ; ".join([definition, access, *linked[code]]) for code, _label, definition, access, _p in occupations
    }
    index = build_index(
        labels,
        keys,
        extra_texts=extra,
        config=occupation_config(encoder_name()),
        embeddings=_embeddings_if_encoder(labels),
        vocabulary_texts=vocabulary,
        key_families={code: parent for code, _l, _d, _a, parent in occupations if parent},
    )
    return _SourceIndex(index, {code: label for code, label, *_rest in occupations}, "rome")


def _esco(model, *, with_encoder: bool = False) -> _SourceIndex | None:
    rows = list(model.objects.values_list("uri", "label", "alt_labels"))
    if not rows:
        return None
    labels: list[str] = []
    keys: list[str] = []
    for uri, label, alt_labels in rows:
        for text in [label, *_alt_labels(alt_labels)]:
            labels.append(text)
            keys.append(uri)
    if with_encoder and encoder_name():
        index = build_index(
            labels, np.array(keys, dtype=str), config=skill_config(encoder_name()), embeddings=label_embeddings(labels)
        )
    else:
        index = build_index(labels, np.array(keys, dtype=str), config=SKILL_CONFIG)
    return _SourceIndex(index, {uri: label for uri, label, _a in rows}, "esco")


def _rome_skills() -> _SourceIndex | None:
    rows = list(Skill.objects.filter(source="rome").values_list("code_ogr", "label"))
    if not rows:
        return None
    labels = [label for _code, label in rows]
    index = build_index(
        labels,
        np.array([code for code, _l in rows], dtype=str),
        config=skill_config(encoder_name()),
        embeddings=_embeddings_if_encoder(labels),
    )
    return _SourceIndex(index, dict(rows), "rome")


# Each builder returns None while its table is empty (referential not imported yet).
_BUILDERS: dict[tuple[str, str], Callable[[], _SourceIndex | None]] = {
    ("occupation", "rome"): _rome_occupations,
    ("occupation", "esco"): lambda: _esco(EscoOccupation),
    ("skill", "rome"): _rome_skills,
    ("skill", "esco"): lambda: _esco(EscoSkill, with_encoder=True),
}

_cache: dict[tuple[str, str], tuple[tuple, _SourceIndex | None]] = {}
_lock = threading.Lock()


logger = logging.getLogger(__name__)


@functools.lru_cache(maxsize=4)
def _fingerprint(encoder: str | None) -> str:
    """The engine's source and this module's builders (which choose what is indexed, and how).

    Only the builders: a change to how suggestions are queried or merged keeps the stored indexes.
    """
    digest = hashlib.sha256()
    folder = os.path.dirname(engine.__file__)
    paths = [os.path.join(folder, name) for name in sorted(os.listdir(folder)) if name.endswith(".py")]
    for path in paths:
        with open(path, "rb") as handle:
            digest.update(handle.read())
    for builder in (_SourceIndex, _alt_labels, _rome_occupations, _esco, _rome_skills):
        digest.update(inspect.getsource(builder).encode())
    digest.update(repr(encoder).encode())
    return digest.hexdigest()[:16]


def _engine_fingerprint() -> str:
    """What the stored indexes depend on besides the referential: the engine's code and the encoder."""
    return _fingerprint(encoder_name())


def _referential_state() -> tuple:
    """Which referential imports the indexes must reflect: one plain query (the ORM's aggregate costs
    several times more)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT max(id), count(id), max(imported_at) FROM {ReferentialVersion._meta.db_table}")
        last, count, at = cursor.fetchone()
    return (last, count, at.isoformat() if at else None)


# A suggestion call reads the referential state at most this often (per process): one query per call was
# a third of a skill suggestion's time on a loaded server, and a new import is seen a second later.
STATE_TTL_S = 1.0
_state: tuple[float, tuple] | None = None


def _recent_state() -> tuple:
    """``_referential_state()``, read again only when the last read is older than ``STATE_TTL_S``."""
    global _state
    now = time.monotonic()
    current = _state
    if current is None or now - current[0] >= STATE_TTL_S:
        current = _state = (now, _referential_state())
    return current[1]


def _disk_path(kind: str, source: str, state: tuple) -> str:
    key = hashlib.sha256(repr((connection.settings_dict["NAME"], state, _engine_fingerprint())).encode())
    return os.path.join(settings.DATA_DIR, "cache", f"suggest-{kind}-{source}-{key.hexdigest()[:20]}.pickle")


def _build(kind: str, source: str, state: tuple) -> _SourceIndex | None:
    """Load the index from the disk cache, or build it and store it there."""
    path = _disk_path(kind, source, state)
    try:
        with open(path, "rb") as handle:
            return pickle.load(handle)
    except FileNotFoundError:
        pass
    except Exception:  # a truncated or outdated file: rebuild it
        logger.warning("Index de suggestion illisible, reconstruit : %s", path)
    built = _BUILDERS[(kind, source)]()
    if built is not None:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=os.path.dirname(path), delete=False) as handle:
            pickle.dump(built, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(handle.name, path)
        # Older indexes of this kind (previous imports, other databases) are rebuilt if ever needed.
        folder, prefix = os.path.dirname(path), f"suggest-{kind}-{source}-"
        for name in os.listdir(folder):
            if name.startswith(prefix) and os.path.join(folder, name) != path:
                with contextlib.suppress(OSError):
                    os.remove(os.path.join(folder, name))
    return built


def _source_index(kind: str, source: str, state: tuple | None = None) -> _SourceIndex | None:
    """The index of one kind and source, built on first use and after each referential import
    (``state``: ``_referential_state()``, read here unless the caller already has it)."""
    state = state or _referential_state()
    cached = _cache.get((kind, source))
    if cached is not None and cached[0] == state:
        return cached[1]
    with _lock:
        cached = _cache.get((kind, source))
        if cached is None or cached[0] != state:
            cached = (state, _build(kind, source, state))
            _cache[(kind, source)] = cached
    return cached[1]


def suggestion_index_ready(kind: str, source: str) -> bool:
    """True when the index of ``kind``/``source`` for the current referentials answers at once: built in this
    process, or kept on disk (about a second to load). A page may skip what is not ready rather than make a
    person wait for a build (tens of seconds, done by the worker after each referential import)."""
    state = _recent_state()
    cached = _cache.get((kind, source))
    return (cached is not None and cached[0] == state) or os.path.exists(_disk_path(kind, source, state))


def suggestion_indexes_warm() -> dict[str, float | None]:
    """Build (or load from the disk cache) every suggestion index now, so that no request has to.

    Run after a referential import and at deployment (``manage.py suggestions_warm``): a build takes
    tens of seconds, longer than a web request may last. Returns the seconds each index took, by
    "kind/source", None for a referential not imported yet."""
    took: dict[str, float | None] = {}
    for kind, source in _BUILDERS:
        started = time.perf_counter()
        built = _source_index(kind, source)
        took[f"{kind}/{source}"] = round(time.perf_counter() - started, 1) if built is not None else None
    return took


def suggestion_index_files() -> dict[str, str]:
    """Where each index of the current referentials is (or would be) kept on disk, by "kind/source"."""
    state = _referential_state()
    return {f"{kind}/{source}": _disk_path(kind, source, state) for kind, source in _BUILDERS}


def suggestion_cache_clear() -> None:
    """Forget the built indexes and the referential state (both are read again on the next call)."""
    global _state
    with _lock:
        _cache.clear()
        _state = None


def _suggest_many(kind: str, labels: Sequence[str], k: int, sources: Sequence[str]) -> list[list[Suggestion]]:
    k = max(1, min(int(k), MAX_K))
    state = _recent_state()
    parts = []
    embedded: dict[str, np.ndarray] = {}
    for source in sources:
        if source not in SOURCES:
            raise ValueError(f"unknown source {source!r}")
        entry = _source_index(kind, source, state)
        if entry is None:
            continue
        embeddings = None
        encoded = entry.index.encoded
        if encoded is not None:
            # One encoding per label, shared by the sources (ROME and ESCO skills).
            if encoded.encoder not in embedded and len(labels) == 1:
                embedded[encoded.encoder] = _query_embedding(encoded.encoder, labels[0])[None, :]
            elif encoded.encoder not in embedded:
                embedded[encoded.encoder] = encode(labels, encoder=encoded.encoder)
            embeddings = embedded[encoded.encoder]
        keys, scores = query(entry.index, labels, k, embeddings)
        parts.append((entry, keys, scores))
    if not parts:
        return [[] for _ in labels]
    scores = np.hstack([p[2] for p in parts])
    origin = np.concatenate([np.full(p[1].shape[1], i) for i, p in enumerate(parts)])
    position = np.concatenate([np.arange(p[1].shape[1]) for p in parts])
    best = np.argsort(-scores, axis=1, kind="stable")[:, :k]
    result = []
    for row, columns in enumerate(best):
        suggestions = []
        for column in columns:
            entry, keys, _scores = parts[origin[column]]
            code = str(keys[row, position[column]])
            confidence = round(float(scores[row, column]), 4)
            if confidence <= 0:
                continue
            suggestions.append(Suggestion(code, entry.labels.get(code, code), entry.source, confidence))
        # Equal confidence (an alternative label shared by several ESCO occupations, e.g. "boulangère"):
        # the item whose own name is the label asked for comes first.
        asked = _names(labels[row])
        suggestions.sort(key=lambda s: (-s.confidence, not (_names(s.label) & asked)))
        result.append(suggestions)
    return result


def _names(text: str) -> set[str]:
    """A label's folded forms: "Boulanger / Boulangère" (ROME) and "boulanger/boulangère" (ESCO) both
    give {"boulanger", "boulangere"}."""
    return {part.strip() for form in gender_forms(text) for part in fold(form).split("/")} - {""}


def suggest_skills_many(
    labels: Sequence[str], k: int = 5, *, sources: Sequence[str] = SOURCES
) -> list[list[Suggestion]]:
    """For each label, the ``k`` closest ROME and ESCO skills, most confident first."""
    return _suggest_many("skill", list(labels), k, sources)


def suggest_skills(label: str, k: int = 5, *, sources: Sequence[str] = SOURCES) -> list[Suggestion]:
    """The ``k`` closest ROME and ESCO skills for a free-text skill label."""
    return suggest_skills_many([label], k, sources=sources)[0]


def suggest_occupations(label: str, k: int = 5, *, sources: Sequence[str] = ("rome",)) -> list[Suggestion]:
    """The ``k`` closest occupations (ROME by default, through its appellations) for a job title."""
    return _suggest_many("occupation", [label], k, sources)[0]
