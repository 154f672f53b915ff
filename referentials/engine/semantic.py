"""Word-vector signals of the mapping engine (pure numpy/scipy, no Django).

Built from the French word vectors of ``fr_core_news_md`` (see ``vectors.py``); the words are
the folded, unstemmed words of a label without its stop words, weighted by their IDF over the
indexed entries (a word never seen in an entry gets the highest IDF). Three uses:

- ``entry_similarity``: cosine of the IDF-weighted mean word vector of a query and of every
  indexed entry, blended into the TF-IDF cosine the nearest-neighbour signals use;
- ``soft_match``: for each query word its best cosine to the words of a key's entries,
  IDF-weighted mean over the query words (a cheap "word mover" score), on a few candidate keys;
- ``entry_embeddings`` / ``QueryWords.embedded``: the dense vectors the per-key SVMs take as
  extra features.

``analyse`` computes, once per query, the one dense product all three need: the cosines of
the query's words with the index's words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from .text import words
from .vectors import load_word_vectors

_FEW_ROWS = 64  # up to this many query words, ``_product`` avoids multithreaded BLAS
# Query words whose cosines with the vocabulary an index keeps (per process; 27 kB each for ROME's 6,655
# title words): the same few thousand words ("technicien", "agent", "maintenance"...) make most queries.
_CACHED_WORDS = 1024


def _product(rows: np.ndarray, columns: np.ndarray) -> np.ndarray:
    """``rows @ columns.T`` for dense float32 arrays.

    For a single query's few rows, a plain einsum loop: multithreaded BLAS takes 3-8 ms
    instead of ~1 ms on this small product when the machine's cores are busy.
    """
    if len(rows) <= _FEW_ROWS:
        return np.einsum("ij,kj->ik", rows, columns)
    return rows @ columns.T


def _tokens(text: str) -> list[str]:
    return [w for w in words(text, stem=False, fold_gender=False, stop_words=True) if len(w) > 1]


@dataclass(frozen=True)
class Semantic:
    """Word vectors and the indexed entries' words.

    ``table`` maps a folded word to its row of ``vectors`` (L2-normalised, float32), for every
    French word the model knows, so that query words unseen in the index still get a vector;
    ``vocabulary`` numbers the entries' words, ``vocabulary_rows`` gives each one's row (-1:
    no vector), ``vocabulary_vectors`` its vector (zeros if none) and ``idf`` its IDF.
    ``entry_weights_t`` (n_vocab x n_entries) holds each entry's sublinear TF-IDF word weights
    divided by the norm of its weighted mean vector, so that ``(q . v_word) @ entry_weights_t``
    is the cosine of a query embedding ``q`` with every entry's; ``key_words`` (n_keys x
    n_vocab, 0/1) tells which words each key's entries use.
    """

    table: dict[str, int] = field(repr=False)
    vectors: np.ndarray = field(repr=False)
    vocabulary: dict[str, int] = field(repr=False)
    vocabulary_rows: np.ndarray = field(repr=False)
    vocabulary_vectors: np.ndarray = field(repr=False)
    idf: np.ndarray = field(repr=False)
    unknown_idf: float
    entry_weights_t: sp.csr_matrix = field(repr=False)
    key_words: sp.csr_matrix = field(repr=False)
    _cosines: dict[int, np.ndarray] = field(default_factory=dict, repr=False, compare=False)

    def _word_cosines(self, rows: np.ndarray) -> np.ndarray:
        """(w, n_vocab) raw cosines of the words whose vector rows are ``rows`` (-1: no vector, all 0) with
        every vocabulary word: computed once per word and process (up to ``_CACHED_WORDS`` at a time), then read
        back."""
        result = np.zeros((len(rows), len(self.vocabulary_vectors)), dtype=np.float32)
        cache = self._cosines
        known = [row for row in rows.tolist() if row >= 0]
        if len(cache) + len(known) > _CACHED_WORDS:
            cache.clear()
        missing = sorted({row for row in known if row not in cache})
        if missing:
            cache.update(zip(missing, _product(self.vectors[missing], self.vocabulary_vectors), strict=True))
        for i, row in enumerate(rows.tolist()):
            if row >= 0:
                values = cache.get(row)  # another thread may have cleared the cache meanwhile
                result[i] = values if values is not None else self.vocabulary_vectors @ self.vectors[row]
        return result

    def analyse(self, texts: Sequence[str]) -> QueryWords:
        """The texts' words, weights, embeddings and word cosines, shared by the signals below."""
        tokens = [_tokens(text) for text in texts]
        owner = np.repeat(np.arange(len(texts)), [len(ws) for ws in tokens])
        flat = [w for ws in tokens for w in ws]
        columns = np.array([self.vocabulary.get(w, -1) for w in flat], dtype=np.int64)
        rows = np.array([self.table.get(w, -1) for w in flat], dtype=np.int64)
        idf = np.where(columns >= 0, self.idf[np.maximum(columns, 0)], self.unknown_idf).astype(np.float32)
        # Embedding weights: IDF x (1 + log(count)) / count for a vector used `count` times by
        # the text (sublinear TF, as the TF-IDF features); 0 for a word without a vector.
        known = rows >= 0
        repeats = np.zeros(len(flat), dtype=np.float32)
        if len(flat):
            _unique, inverse, counts = np.unique(
                owner * (len(self.vectors) + 1) + rows + 1, return_inverse=True, return_counts=True
            )
            repeats = counts[inverse].astype(np.float32)
        weights = np.where(known, idf * (1.0 + np.log(np.maximum(repeats, 1))) / np.maximum(repeats, 1), 0.0)
        word_vectors = np.where(known[:, None], self.vectors[np.maximum(rows, 0)], 0.0).astype(np.float32)
        text_words = sp.csr_matrix(
            (weights.astype(np.float32), (owner, np.arange(len(flat)))), shape=(len(texts), len(flat))
        )
        embedded = np.asarray(text_words @ word_vectors, dtype=np.float32)
        norms = np.linalg.norm(embedded, axis=1)
        norms = np.where(norms > 0, norms, 1).astype(np.float32)
        # Raw cosines of every query word with every vocabulary word: the one dense product (cached per word).
        cosines = self._word_cosines(rows)
        return QueryWords(
            owner=owner,
            columns=columns,
            idf=idf,
            text_words=sp.diags(1 / norms) @ text_words,
            embedded=embedded / norms[:, None],
            cosines=cosines,
        )

    def entry_similarity(self, query: QueryWords) -> np.ndarray:
        """(n, n_entries) cosines of the texts' mean word vectors with every indexed entry's.

        ``e . v_word`` is the weighted mean of the query words' cosines with ``v_word``, so
        this reuses ``query.cosines`` instead of a second dense product.
        """
        vocabulary_cosines = np.asarray(query.text_words @ query.cosines, dtype=np.float32)
        return np.asarray(vocabulary_cosines @ self.entry_weights_t, dtype=np.float32)

    def entry_embeddings(self) -> np.ndarray:
        """(n_entries, dim) L2-normalised embeddings of the indexed entries (build time only)."""
        return np.asarray(self.entry_weights_t.T @ self.vocabulary_vectors, dtype=np.float32)

    def soft_match(self, query: QueryWords, candidates: np.ndarray) -> np.ndarray:
        """(n, m) soft word overlap of each text with each of its ``candidates`` (n, m) keys.

        For every query word, its best cosine (negative ones count 0; the same word counts 1,
        with or without a vector) with the words of the candidate key's entries; then the mean
        over the query words weighted by their IDF. A text without words gets 0.
        """
        n, m = candidates.shape
        n_words = len(query.owner)
        if not n_words:
            return np.zeros((n, m), dtype=np.float32)
        cosines = np.maximum(query.cosines, 0.0)
        exact = query.columns >= 0
        cosines[np.flatnonzero(exact), query.columns[exact]] = 1.0
        # Pairs (query word, candidate key), each with the span of the key's words.
        pair_word = np.repeat(np.arange(n_words), m)
        pair_key = candidates[query.owner].ravel()
        starts = self.key_words.indptr[pair_key]
        spans = self.key_words.indptr[pair_key + 1] - starts
        best = np.zeros(len(pair_word), dtype=np.float32)
        filled = spans > 0
        if filled.any():
            segment_starts = np.concatenate([[0], np.cumsum(spans)[:-1]])
            positions = np.arange(spans.sum()) + np.repeat(starts - segment_starts, spans)
            values = cosines[np.repeat(pair_word, spans), self.key_words.indices[positions]]
            best[filled] = np.maximum.reduceat(values, segment_starts[filled])
        weighted = best.reshape(n_words, m) * query.idf[:, None]
        sums = np.zeros((n, m), dtype=np.float64)
        np.add.at(sums, query.owner, weighted)
        totals = np.bincount(query.owner, weights=query.idf, minlength=n)
        return (sums / np.where(totals > 0, totals, 1)[:, None]).astype(np.float32)


@dataclass(frozen=True)
class QueryWords:
    """What ``Semantic.analyse`` finds in n query texts with w words in all.

    ``owner`` (w,) is each word's text, ``columns`` its vocabulary column (-1: unseen in the
    index), ``idf`` its IDF; ``text_words`` (n x w) the embedding weights divided by the
    norm of the text's embedding, ``embedded`` (n x dim) those L2-normalised embeddings and
    ``cosines`` (w x n_vocab) the raw cosines of each word's vector with the vocabulary's.
    """

    owner: np.ndarray
    columns: np.ndarray
    idf: np.ndarray
    text_words: sp.csr_matrix
    embedded: np.ndarray
    cosines: np.ndarray


def build_semantic(texts: Sequence[str], entry_groups: np.ndarray, n_keys: int) -> Semantic:
    """Word-vector view of the indexed entries ``texts`` (folded, sorted by group)."""
    table, vectors = load_word_vectors()
    tokens = [_tokens(text) for text in texts]
    vocabulary: dict[str, int] = {}
    columns = np.array(
        [vocabulary.setdefault(w, len(vocabulary)) for ws in tokens for w in ws], dtype=np.int64
    )
    owners = np.repeat(np.arange(len(texts)), [len(ws) for ws in tokens])
    counts = sp.csr_matrix(
        (np.ones(len(columns), dtype=np.float32), (owners, columns)), shape=(len(texts), len(vocabulary))
    )
    counts.sum_duplicates()
    document_frequency = np.bincount(counts.indices, minlength=len(vocabulary))
    idf = (np.log((1 + len(texts)) / (1 + document_frequency)) + 1).astype(np.float32)
    unknown_idf = float(np.log(1 + len(texts)) + 1)
    vocabulary_rows = np.array([table.get(w, -1) for w in vocabulary], dtype=np.int64)

    weights = counts.copy()
    weights.data = ((1.0 + np.log(counts.data)) * idf[counts.indices]).astype(np.float32)
    weights.data *= (vocabulary_rows[counts.indices] >= 0).astype(np.float32)  # no vector, no weight
    known = vocabulary_rows >= 0
    vocabulary_vectors = np.where(known[:, None], vectors[np.maximum(vocabulary_rows, 0)], 0.0).astype(
        np.float32
    )
    norms = np.linalg.norm(np.asarray(weights @ vocabulary_vectors), axis=1)
    weights = sp.diags(1 / np.where(norms > 0, norms, 1)).astype(np.float32) @ weights

    key_words = sp.csr_matrix(
        (np.ones(len(columns), dtype=np.float32), (entry_groups[owners], columns)),
        shape=(n_keys, len(vocabulary)),
    )
    key_words.sum_duplicates()
    key_words.data[:] = 1.0
    return Semantic(
        table=table,
        vectors=vectors,
        vocabulary=vocabulary,
        vocabulary_rows=vocabulary_rows,
        vocabulary_vectors=vocabulary_vectors,
        idf=idf,
        unknown_idf=unknown_idf,
        entry_weights_t=weights.T.tocsr().astype(np.float32),
        key_words=key_words,
    )
