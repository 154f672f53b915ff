"""What of a query's words a key explains, and which keys are siblings (pure numpy/scipy, no Django).

Two re-ranker signals that the cosine-based ones miss (see ``ranking.py``):

- **coverage**: the share of the query's words, weighted by their rarity across keys (IDF), that appear in
  the key's titles; and the same share over the key's whole *vocabulary* (its titles plus everything the
  referential says of it: definition, access, all its linked skills and knowledge). A cosine rewards what
  two texts share and penalises what either has in excess; coverage asks only whether the key accounts
  for each word of the query ("soudeur TIG": does the occupation know "TIG" at all?).
- **family**: which keys are siblings (ROME 4.0 codes sharing a ROME v3 parent, ``code_rome_parent``):
  a candidate whose siblings also score well sits in the right region of the referential even when the
  query's words point to a sibling.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp


@dataclass(frozen=True)
class Coverage:
    """``matrix_t`` (n_words x 2 n_keys, 0/1): columns ``0..n_keys`` tell that the word is in one of the key's
    titles, the next ``n_keys`` that it is in its titles or vocabulary text (side by side: one sparse product
    a query); ``idf`` (n_words,) over the keys' titles; ``unknown_idf`` the weight of a word no key has."""

    words: dict[str, int]
    idf: np.ndarray
    unknown_idf: float
    matrix_t: sp.csr_matrix
    n_keys: int

    def signals(self, query_words: Sequence[set[str]]) -> dict[str, np.ndarray]:
        """(n, n_keys) ``coverage`` (titles) and ``vocabulary`` (titles + vocabulary texts), within 0..1."""
        rows: list[int] = []
        columns: list[int] = []
        totals = np.zeros(len(query_words), dtype=np.float64)
        for i, found in enumerate(query_words):
            for word in found:
                column = self.words.get(word)
                if column is None:
                    totals[i] += self.unknown_idf
                else:
                    rows.append(i)
                    columns.append(column)
        columns_array = np.asarray(columns, dtype=np.int64)
        weights = self.idf[columns_array] if len(columns_array) else np.empty(0)
        totals += np.bincount(np.asarray(rows, dtype=np.int64), weights=weights, minlength=len(query_words))
        queries = sp.csr_matrix(
            (weights, (np.asarray(rows, dtype=np.int64), columns_array)), shape=(len(query_words), len(self.words))
        )
        scale = 1.0 / np.where(totals > 0, totals, 1.0)[:, None]
        both = ((queries @ self.matrix_t).toarray() * scale).astype(np.float32)
        return {"coverage": both[:, : self.n_keys], "vocabulary": both[:, self.n_keys :]}


def _membership(word_sets: Sequence[set[str]], owners: np.ndarray, words: dict[str, int], n_keys: int) -> sp.csr_matrix:
    """(n_words x n_keys) 0/1: some text of the key has the word (adding the words to ``words``)."""
    rows: list[int] = []
    columns: list[int] = []
    for owner, found in zip(owners.tolist(), word_sets, strict=True):
        for word in found:
            rows.append(words.setdefault(word, len(words)))
            columns.append(owner)
    matrix = sp.csr_matrix(
        (np.ones(len(rows), dtype=np.float32), (np.asarray(rows, dtype=np.int64), np.asarray(columns, dtype=np.int64))),
        shape=(max(len(words), 1), n_keys),
    )
    matrix.data[:] = 1.0  # duplicates were summed
    return matrix


def build_coverage(
    entry_words: Sequence[set[str]],
    entry_groups: np.ndarray,
    keys: Sequence[str],
    vocabulary_words: Mapping[str, set[str]],
) -> Coverage:
    """From the words of each indexed entry (``entry_groups[i]`` its key position) and of each key's
    vocabulary text (by key)."""
    n_keys = len(keys)
    words: dict[str, int] = {}
    titles = _membership(entry_words, np.asarray(entry_groups), words, n_keys)
    owners = np.array([g for g, key in enumerate(keys) if key in vocabulary_words], dtype=np.int64)
    extra = _membership([vocabulary_words[keys[g]] for g in owners.tolist()], owners, words, n_keys)
    shape = (max(len(words), 1), n_keys)
    titles.resize(shape)
    vocabulary = titles + extra
    vocabulary.data[:] = 1.0
    document_frequency = np.asarray(titles.sum(axis=1)).ravel()
    return Coverage(
        words=words,
        idf=(np.log((n_keys + 1) / (document_frequency + 1)) + 1).astype(np.float64),
        unknown_idf=float(np.log(n_keys + 1) + 1),
        matrix_t=sp.hstack([titles, vocabulary], format="csr"),
        n_keys=n_keys,
    )


@dataclass(frozen=True)
class Families:
    """``ids`` (n_keys,): the family of each key (a key without one is alone in its own); ``sizes``
    (n_keys,) how many keys its family has; ``heads`` (n_keys,) 0/1: the key is its family's own code."""

    ids: np.ndarray
    sizes: np.ndarray
    heads: np.ndarray


def build_families(keys: Sequence[str], key_families: Mapping[str, str]) -> Families:
    families = [key_families.get(key) or key for key in keys]
    _unique, ids, counts = np.unique(np.array(families, dtype=str), return_inverse=True, return_counts=True)
    return Families(
        ids=ids.astype(np.int64),
        sizes=counts[ids].astype(np.float32),
        heads=np.array([family == key for family, key in zip(families, keys, strict=True)], dtype=np.float32),
    )


def query_word_sets(texts: Sequence[str], analyse: Callable[[str], list[str]], forms: Callable[[str], list[str]]):
    """The set of words of each text, over its gender forms."""
    result = []
    for text in texts:
        found: set[str] = set()
        for form in forms(text):
            found.update(analyse(form))
        result.append(found)
    return result
