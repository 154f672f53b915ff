"""Nearest-neighbour matching of free-text labels onto a referential (pure, no Django).

An index holds *entries* (labels, e.g. ROME appellations or skill labels), each attached
to a *key* (a ROME code, a code OGR, an ESCO URI); several entries may share a key. A query
scores every key from three signals, all cosine similarities of TF-IDF vectors (stemmed
words + character n-grams), each within 0..1:

- ``max``: the best similarity among the key's entries (plain nearest neighbour);
- ``vote``: the share of the ``neighbours`` nearest entries' similarity that falls on the key
  (k-NN voting, so a key backed by several close titles wins over a lone look-alike);
- ``extra``: similarity to one document per key made of the key's entries and its
  ``extra_texts`` (definition, core skills...), matched the same way;
- ``head``: 1 when the label's first word (the role: "ingenieur", "technicien", "agent"...)
  is the first word of one of the key's entries, else 0.

The score is their weighted mean, within 0..1; with a ``calibration`` it is then mapped by a
fitted logistic curve onto the estimated probability that the key is the right one.

Optional signals, each off at 0 in ``MatchConfig``:

- word vectors (``semantic.py``): a share of the word-vector cosine in the entry similarity
  behind ``max`` and ``vote``, and a ``soft`` word match (each query word's best cosine to the
  key's title words) on the top candidates;
- ``exact``: 1 when one of the key's entries has exactly the query's words.

With a ``classifier_weight``, the index also trains one linear SVM per key (its entries against
those of the keys nearest to it, optionally with their mean word vectors as extra features) and
blends each SVM's squashed decision value into the scores of the engine's top candidates (see
``_train_classifier`` and ``_classify``).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

from .config import (  # noqa: F401 (the engine's settings, re-exported)
    BASELINE,
    DEFAULT_CONFIG,
    OCCUPATION_CONFIG,
    OCCUPATION_LEXICAL_CONFIG,
    SKILL_CONFIG,
    SKILL_ENCODER_WEIGHT,
    MatchConfig,
    occupation_config,
    skill_config,
)
from .coverage import Coverage, Families, build_coverage, build_families, query_word_sets
from .encoder import EncoderView, encode, encoder_view
from .ranking import (  # noqa: F401 (RANKING_FEATURES* re-exported for the benchmarks)
    RANKING_FEATURES,
    RANKING_FEATURES_COVERAGE,
    RANKING_FEATURES_ENCODER,
    RANKING_FEATURES_FAMILY,
    _calibrate,
    _candidates,
    _classify,
    _ranking_features,
    ranking_feature_names,
)
from .semantic import Semantic, build_semantic
from .text import fold, gender_forms, words

_QUERY_CHUNK = 256
_EXACT = 0.999  # a cosine this close to 1: the same words and n-grams (float32 rounding aside)


class _Featurizer:
    """Fitted word + character TF-IDF; ``transform`` gives L2-normalised rows."""

    def __init__(self, config: MatchConfig, *, with_chars: bool = True):
        self.config = config
        self.with_chars = with_chars and config.char_weight > 0
        self.word = TfidfVectorizer(analyzer=self._word_features, sublinear_tf=True, dtype=np.float32)
        self.char = TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=config.char_ngrams,
            preprocessor=self._char_text,
            sublinear_tf=True,
            dtype=np.float32,
        )

    def _word_features(self, text: str) -> list[str]:
        c = self.config
        tokens = words(text, stem=c.stem, fold_gender=c.fold_gender, stop_words=c.stop_words)
        features = list(tokens)
        if c.word_ngrams[1] >= 2:
            features += [f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False)]
        return features

    def _char_text(self, text: str) -> str:
        c = self.config
        if c.stem and c.stem_chars:
            return " ".join(words(text, stem=True, fold_gender=c.fold_gender, stop_words=c.stop_words))
        return fold(text)

    def _set_blocks(self) -> None:
        """Blocks used by ``transform``: (analyzer, vocabulary, idf, column offset, weight)."""
        w = self.config.char_weight if self.with_chars else 0.0
        self.blocks = [(self.word.build_analyzer(), self.word.vocabulary_, self.word.idf_, 0, np.sqrt(1 - w))]
        if self.with_chars:
            offset = len(self.word.vocabulary_)
            self.blocks.append(
                (self.char.build_analyzer(), self.char.vocabulary_, self.char.idf_, offset, np.sqrt(w))
            )
        self.n_features = sum(len(block[1]) for block in self.blocks)

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        """Sublinear TF-IDF per block, each block L2-normalised and weighted, rows L2-normalised.

        Written out instead of calling scikit-learn's ``transform`` twice, whose input checks
        cost several milliseconds per call: this is the hot path of a single-label query.
        """
        indptr = [0]
        indices: list[np.ndarray] = []
        values: list[np.ndarray] = []
        for text in texts:
            row_indices = []
            row_values = []
            for analyzer, vocabulary, idf, offset, weight in self.blocks:
                ids = [vocabulary[f] for f in analyzer(text) if f in vocabulary]
                if not ids:
                    continue
                unique, counts = np.unique(np.asarray(ids, dtype=np.int64), return_counts=True)
                tfidf = (1.0 + np.log(counts)) * idf[unique]
                row_indices.append(unique + offset)
                row_values.append(tfidf * (weight / np.linalg.norm(tfidf)))
            if row_indices:
                row = np.concatenate(row_values)
                indices.append(np.concatenate(row_indices))
                values.append(row / np.linalg.norm(row))
            indptr.append(indptr[-1] + sum(len(r) for r in row_indices))
        return sp.csr_matrix(
            (
                np.concatenate(values).astype(np.float32) if values else np.empty(0, np.float32),
                np.concatenate(indices) if indices else np.empty(0, np.int64),
                np.asarray(indptr, dtype=np.int64),
            ),
            shape=(len(texts), self.n_features),
        )

    def fit_transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        """Fit, and return the same rows as ``transform(texts)``, computed in bulk by scikit-learn."""
        parts = [self.word.fit_transform(texts)]
        if self.with_chars:
            parts.append(self.char.fit_transform(texts))
        self._set_blocks()
        parts = [part * block[4] for part, block in zip(parts, self.blocks, strict=True)]
        matrix = sp.hstack(parts, format="csr") if len(parts) > 1 else parts[0].tocsr()
        norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
        return (sp.diags(1 / np.where(norms > 0, norms, 1)) @ matrix).astype(np.float32).tocsr()


@dataclass(frozen=True)
class Index:
    """A built index. ``keys[g]`` is the key of group ``g``; entries are sorted by group.

    ``entry_matrix_t`` (n_features x n_entries) and ``group_matrix_t`` (n_extra_features x n_keys,
    or None) hold L2-normalised TF-IDF vectors as columns, stored CSR so that a query only
    touches the rows of its own features; ``group_starts`` are the first entry of each group.
    ``head_matrix`` (n_head_words x n_keys, 0/1) tells which keys have an entry starting with
    each first word of ``head_vocabulary``. ``semantic`` holds the word vectors (or None) and
    ``classifier_vectors`` (dim x n_keys, or None) the SVMs' weights of the mean word vector.
    """

    keys: np.ndarray
    entry_groups: np.ndarray
    group_starts: np.ndarray
    entry_matrix_t: sp.csr_matrix
    group_matrix_t: sp.csr_matrix | None
    head_vocabulary: dict[str, int]
    head_matrix: sp.csr_matrix | None
    config: MatchConfig
    featurizer: _Featurizer = field(repr=False)
    group_featurizer: _Featurizer | None = field(repr=False)
    classifier_t: sp.csr_matrix | None = field(default=None, repr=False)
    classifier_bias: np.ndarray | None = field(default=None, repr=False)
    classifier_trained: np.ndarray | None = field(default=None, repr=False)
    classifier_vectors: np.ndarray | None = field(default=None, repr=False)
    semantic: Semantic | None = field(default=None, repr=False)
    encoded: EncoderView | None = field(default=None, repr=False)
    coverage: Coverage | None = field(default=None, repr=False)
    families: Families | None = field(default=None, repr=False)

    def __len__(self) -> int:
        return len(self.keys)


def _expand(labels: Sequence[str], keys: np.ndarray, split_gender: bool) -> tuple[list[str], np.ndarray]:
    if not split_gender:
        return [fold(label) for label in labels], np.asarray(keys)
    texts: list[str] = []
    owners: list[int] = []
    for i, label in enumerate(labels):
        forms = gender_forms(label)
        texts.extend(forms)
        owners.extend([i] * len(forms))
    return texts, np.asarray(keys)[np.asarray(owners, dtype=np.int64)]


def build_index(
    labels: Sequence[str],
    keys: np.ndarray,
    *,
    extra_texts: Mapping[str, str] | None = None,
    config: MatchConfig = DEFAULT_CONFIG,
    embeddings: np.ndarray | None = None,
    vocabulary_texts: Mapping[str, str] | None = None,
    key_families: Mapping[str, str] | None = None,
) -> Index:
    """Index ``labels`` (n,) under ``keys`` (n,); ``extra_texts`` maps a key to a longer text.

    Keys with only extra texts (no label) are still found through the ``extra`` signal. With a
    ``config.encoder``, ``embeddings`` (n, dim) are the labels' (``encoder.EmbeddingCache.embed``),
    computed here when not given. With ``config.coverage``, ``vocabulary_texts`` maps a key to
    everything the referential says of it (see ``coverage.py``); with ``config.family_features``,
    ``key_families`` maps a key to its family (a key missing is alone in its own).
    """
    if len(labels) != len(keys):
        raise ValueError("labels and keys must have the same length")
    texts, entry_keys = _expand(labels, keys, config.split_gender)
    entry_keys = entry_keys.astype(str)
    extra_texts = dict(extra_texts or {})
    use_extra = config.weight_extra > 0
    all_keys = np.unique(
        np.concatenate([entry_keys, np.array(list(extra_texts) if use_extra else [], dtype=str)])
    )

    entry_groups = np.searchsorted(all_keys, entry_keys)
    order = np.argsort(entry_groups, kind="stable")
    entry_groups = entry_groups[order]
    texts = [texts[i] for i in order]

    featurizer = _Featurizer(config)
    entry_matrix = featurizer.fit_transform(texts)
    group_starts = np.searchsorted(entry_groups, np.arange(len(all_keys)))

    group_matrix = None
    group_featurizer = None
    if use_extra:
        documents = [extra_texts.get(key, "") for key in all_keys.tolist()]
        if config.extra_includes_entries:
            bounds = np.append(group_starts, len(texts))
            documents = [
                " ; ".join(texts[bounds[g] : bounds[g + 1]]) + " ; " + documents[g]
                for g in range(len(all_keys))
            ]
        group_featurizer = _Featurizer(config, with_chars=config.extra_chars)
        group_matrix = group_featurizer.fit_transform(documents)

    head_vocabulary: dict[str, int] = {}
    head_matrix = None
    if config.weight_head:
        heads = [_head(text, config) for text in texts]
        columns = np.array(
            [head_vocabulary.setdefault(h, len(head_vocabulary)) for h in heads], dtype=np.int64
        )
        head_matrix = sp.csr_matrix(
            (np.ones(len(columns), dtype=np.float32), (columns, entry_groups)),
            shape=(len(head_vocabulary), len(all_keys)),
        )
        head_matrix.data[:] = 1.0  # duplicates were summed

    semantic = None
    if config.semantic_share > 0 or config.weight_soft > 0 or config.classifier_vectors > 0:
        semantic = build_semantic(texts, entry_groups, len(all_keys))

    classifier = None
    classifier_vectors = None
    if config.classifier_weight > 0:
        if semantic is None or config.classifier_vectors <= 0:
            classifier = _train_classifier(entry_matrix, entry_groups, group_starts, group_matrix, config)
        else:
            # SVM input: [TF-IDF features, beta x mean word vector] / sqrt(1 + beta^2), rows of
            # norm 1 again; the weights are split back into the sparse TF-IDF rows and a dense
            # (dim x n_keys) block, each pre-multiplied by its input scale.
            beta = config.classifier_vectors
            scale = np.float32(1.0 / np.sqrt(1.0 + beta**2))
            dense = sp.csr_matrix(semantic.entry_embeddings() * (beta * scale))
            samples = sp.hstack([entry_matrix * scale, dense], format="csr")
            weights, bias, trained = _train_classifier(
                samples, entry_groups, group_starts, group_matrix, config
            )
            n_lexical = entry_matrix.shape[1]
            classifier_vectors = (weights[n_lexical:].toarray() * (beta * scale)).astype(np.float32)
            classifier = ((weights[:n_lexical] * scale).tocsr(), bias, trained)

    encoded = None
    if config.encoder:
        if embeddings is None:
            embeddings = encode(labels, encoder=config.encoder)
        label_groups = np.searchsorted(all_keys, np.asarray(keys).astype(str))
        encoded = encoder_view(
            np.asarray(embeddings), label_groups, len(all_keys), config.encoder,
            clusters=config.encoder_clusters, probes=config.encoder_probes,
        )  # fmt: skip

    coverage = None
    if config.coverage:
        analyse = _word_analyser(config)
        vocabulary = {key: set(analyse(text)) for key, text in (vocabulary_texts or {}).items()}
        coverage = build_coverage([set(analyse(text)) for text in texts], entry_groups, all_keys.tolist(), vocabulary)
    families = build_families(all_keys.tolist(), key_families or {}) if config.family_features else None

    return Index(
        keys=all_keys,
        entry_groups=entry_groups,
        group_starts=group_starts,
        entry_matrix_t=entry_matrix.T.tocsr(),
        group_matrix_t=None if group_matrix is None else group_matrix.T.tocsr(),
        head_vocabulary=head_vocabulary,
        head_matrix=head_matrix,
        config=config,
        featurizer=featurizer,
        group_featurizer=group_featurizer,
        classifier_t=None if classifier is None else classifier[0],
        classifier_bias=None if classifier is None else classifier[1],
        classifier_trained=None if classifier is None else classifier[2],
        classifier_vectors=classifier_vectors,
        semantic=semantic,
        encoded=encoded,
        coverage=coverage,
        families=families,
    )


def _word_analyser(config: MatchConfig):
    def analyse(text: str) -> list[str]:
        return words(text, stem=config.stem, fold_gender=config.fold_gender, stop_words=config.stop_words)

    return analyse


def _train_classifier(
    entry_matrix: sp.csr_matrix,
    entry_groups: np.ndarray,
    group_starts: np.ndarray,
    group_matrix: sp.csr_matrix | None,
    config: MatchConfig,
) -> tuple[sp.csr_matrix, np.ndarray, np.ndarray]:
    """One linear SVM per key against its nearest keys' entries (local one-vs-rest).

    A global one-vs-rest SVM over all 1,584 ROME codes is as accurate but takes minutes to
    train; a key's SVM only has to tell it from the keys it can be confused with, i.e. the
    ones whose document (or centroid of entries) is closest. Returns the weights as a
    (n_features x n_keys) CSR matrix, the intercepts and which keys have a trained SVM.
    """
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.svm import LinearSVC

    n_groups = len(group_starts)
    bounds = np.append(group_starts, len(entry_groups))
    if group_matrix is None:
        membership = sp.csr_matrix(
            (np.ones(len(entry_groups), dtype=np.float32), (entry_groups, np.arange(len(entry_groups)))),
            shape=(n_groups, len(entry_groups)),
        )
        group_matrix = membership @ entry_matrix
        norms = np.sqrt(np.asarray(group_matrix.multiply(group_matrix).sum(axis=1)).ravel())
        group_matrix = sp.diags(1 / np.where(norms > 0, norms, 1)) @ group_matrix
    similarity = (group_matrix @ group_matrix.T).toarray()
    m = min(config.classifier_neighbours, n_groups - 1)
    neighbours = np.argpartition(-similarity, m, axis=1)[:, : m + 1]
    # Built column by column (CSC, one column per key), without COO's int64 triplets.
    features: list[np.ndarray] = []
    values: list[np.ndarray] = []
    counts = np.zeros(n_groups, dtype=np.int64)
    bias = np.zeros(n_groups, dtype=np.float32)
    trained = np.zeros(n_groups, dtype=bool)
    seen = np.zeros(entry_matrix.shape[1], dtype=bool)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        for g in range(n_groups):
            groups = np.union1d(neighbours[g], [g])
            rows = np.concatenate([np.arange(bounds[h], bounds[h + 1]) for h in groups])
            target = entry_groups[rows] == g
            if target.all() or not target.any():
                continue
            samples = entry_matrix[rows]
            svm = LinearSVC(C=config.classifier_c, max_iter=1000, random_state=0).fit(samples, target)
            seen[:] = False
            seen[samples.indices] = True
            used = np.flatnonzero(seen).astype(np.int32)  # np.unique: 4x slower here
            features.append(used)
            values.append(svm.coef_[0, used].astype(np.float32))
            counts[g] = len(used)
            bias[g] = svm.intercept_[0]
            trained[g] = True
    weights = sp.csc_matrix(
        (
            np.concatenate(values) if values else np.empty(0, np.float32),
            np.concatenate(features) if features else np.empty(0, np.int32),
            np.concatenate([[0], np.cumsum(counts)]),
        ),
        shape=(entry_matrix.shape[1], n_groups),
    )
    del features, values
    return weights.tocsr(), bias, trained


def _head(text: str, config: MatchConfig) -> str:
    tokens = words(text, stem=config.stem, fold_gender=config.fold_gender, stop_words=config.stop_words)
    return tokens[0] if tokens else ""


def _head_agreement(index: Index, folded: list[str]) -> np.ndarray:
    """(n, n_keys) 0/1: the key has an entry starting with the query's first word."""
    result = np.zeros((len(folded), len(index.keys)), dtype=np.float32)
    rows = np.array([index.head_vocabulary.get(_head(t, index.config), -1) for t in folded], dtype=np.int64)
    known = rows >= 0
    if known.any():
        result[known] = index.head_matrix[rows[known]].toarray()
    return result


def _cosine(queries: sp.csr_matrix, columns_t: sp.csr_matrix) -> np.ndarray:
    """(n, n_columns) cosine similarities of L2-normalised query rows and indexed columns."""
    return (queries @ columns_t).toarray()


def _group_max(similarity: np.ndarray, index: Index) -> np.ndarray:
    """Per-group maximum of (n, n_entries) similarities -> (n, n_keys); empty groups get 0."""
    n_groups = len(index.keys)
    starts = index.group_starts
    has_entries = np.append(starts[1:], len(index.entry_groups)) > starts
    result = np.zeros((similarity.shape[0], n_groups), dtype=np.float32)
    if has_entries.any() and similarity.shape[1]:
        result[:, has_entries] = np.maximum.reduceat(similarity, starts[has_entries], axis=1)
    return result


def _votes(similarity: np.ndarray, index: Index) -> np.ndarray:
    """Share of the ``neighbours`` nearest entries' (powered) similarity per group."""
    n, n_entries = similarity.shape
    n_groups = len(index.keys)
    m = min(index.config.neighbours, n_entries)
    if m == 0:
        return np.zeros((n, n_groups), dtype=np.float32)
    nearest = np.argpartition(-similarity, m - 1, axis=1)[:, :m]
    weights = np.take_along_axis(similarity, nearest, axis=1) ** index.config.vote_power
    flat = (np.arange(n)[:, None] * n_groups + index.entry_groups[nearest]).ravel()
    votes = np.bincount(flat, weights=weights.ravel(), minlength=n * n_groups).reshape(n, n_groups)
    totals = votes.sum(axis=1, keepdims=True)
    return (votes / np.where(totals > 0, totals, 1)).astype(np.float32)


def _score_forms(
    index: Index, folded: list[str], *, with_signals: bool = False
) -> tuple[np.ndarray, np.ndarray | None, dict[str, np.ndarray]]:
    """(blended scores, SVM decision values or None, the separate signals if ``with_signals``),
    all (n_forms, n_keys); the signals are those ``ranking_features`` reads."""
    c = index.config
    signals: dict[str, np.ndarray] = {}
    queries = index.featurizer.transform(folded)
    similarity = _cosine(queries, index.entry_matrix_t)
    exact = None
    if c.weight_exact:
        exact = (_group_max(similarity, index) >= _EXACT).astype(np.float32)
    semantic = index.semantic
    words_found = semantic.analyse(folded) if semantic is not None else None
    if semantic is not None and c.semantic_share > 0:
        similarity = (1 - c.semantic_share) * similarity + c.semantic_share * semantic.entry_similarity(
            words_found
        )
    use_soft = semantic is not None and c.weight_soft > 0
    total = (
        c.weight_max
        + c.weight_vote
        + (c.weight_extra if index.group_matrix_t is not None else 0)
        + (c.weight_head if index.head_matrix is not None else 0)
        + (c.weight_soft if use_soft else 0)
        + c.weight_exact
    )
    result = np.zeros((len(folded), len(index.keys)), dtype=np.float32)
    parts = []
    if c.weight_max:
        parts.append(("best", c.weight_max, _group_max(similarity, index)))
    if c.weight_vote:
        parts.append(("vote", c.weight_vote, _votes(similarity, index)))
    if index.group_matrix_t is not None and c.weight_extra:
        group_queries = index.group_featurizer.transform(folded)
        parts.append(("document", c.weight_extra, _cosine(group_queries, index.group_matrix_t)))
    if index.head_matrix is not None and c.weight_head:
        parts.append(("head", c.weight_head, _head_agreement(index, folded)))
    if exact is not None:
        parts.append(("exact", c.weight_exact, exact))
    for name, weight, value in parts:
        result += weight * value
        if with_signals:
            signals[name] = value
    if use_soft:
        m = min(c.soft_candidates, len(index.keys))
        candidates = np.argpartition(-result, m - 1, axis=1)[:, :m]
        soft = semantic.soft_match(words_found, candidates)
        np.put_along_axis(
            result, candidates, np.take_along_axis(result, candidates, axis=1) + c.weight_soft * soft, axis=1
        )
        if with_signals:
            signals["soft"] = np.zeros_like(result)
            np.put_along_axis(signals["soft"], candidates, soft, axis=1)
    decisions = None
    if index.classifier_t is not None:
        decisions = (queries @ index.classifier_t).toarray() + index.classifier_bias
        if index.classifier_vectors is not None:
            decisions += words_found.embedded @ index.classifier_vectors
    return np.clip(result / total, 0.0, 1.0), decisions, signals


def score(index: Index, texts: Sequence[str], embeddings: np.ndarray | None = None) -> np.ndarray:
    """Confidence (n, n_keys) of every key for every query text, within 0..1.

    With ``split_gender``, a text written with both gender forms ("Vendeur / Vendeuse") is
    scored as the mean of its two forms, like the entries it is compared with. With a
    ``rerank`` model, the top candidates get its estimated probability instead. With an encoder,
    ``embeddings`` (n, dim) are the texts' (encoded here when not given).
    """
    rerank = index.config.rerank is not None
    scores, decisions, signals = _signals(index, texts, with_signals=rerank, embeddings=embeddings)
    if not rerank:
        return scores
    weights, intercept = index.config.rerank
    top, features = _ranking_features(index, scores, decisions, signals)
    probability = 1.0 / (1.0 + np.exp(-(features @ np.asarray(weights, dtype=np.float32) + intercept)))
    # The other keys keep their order, below the re-ranked ones (scaled under the lowest of them).
    floor = np.take_along_axis(scores, top[:, -1:], axis=1)
    scaled = scores * (probability.min(axis=1, keepdims=True) / np.where(floor > 0, floor, 1)) * 0.999
    np.put_along_axis(scaled, top, probability, axis=1)
    return np.clip(scaled, 0.0, 1.0).astype(np.float32)


def _signals(
    index: Index, texts: Sequence[str], *, with_signals: bool = False, embeddings: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray | None, dict[str, np.ndarray]]:
    """(scores before re-ranking, SVM decisions or None, separate signals), per text."""
    scores, decisions, signals = _lexical_signals(index, texts, with_signals=with_signals)
    if with_signals and index.coverage is not None:
        forms = gender_forms if index.config.split_gender else (lambda text: [fold(text)])
        signals.update(index.coverage.signals(query_word_sets(texts, _word_analyser(index.config), forms)))
    blend = index.config.weight_encoder
    if index.encoded is not None and (with_signals or blend):
        if embeddings is None:
            embeddings = encode(list(texts), encoder=index.encoded.encoder)
        encoded = _encoder_signals(index, np.asarray(embeddings, dtype=np.float32))
        if with_signals:
            signals.update(encoded)
        if blend:
            from .similarity import SIGMA_CALIBRATION, sigma

            confidence = sigma(encoded["encoder"], SIGMA_CALIBRATION[index.encoded.encoder])
            scores = ((1 - blend) * scores + blend * confidence).astype(np.float32)
    return scores, decisions, signals


def _encoder_signals(index: Index, embeddings: np.ndarray) -> dict[str, np.ndarray]:
    """The encoder's best cosine per key and its share of the ``encoder_neighbours`` nearest keys'
    (cosine^8, so that close neighbours dominate), both (n, n_keys)."""
    best = index.encoded.best(embeddings)
    m = min(index.config.encoder_neighbours, best.shape[1])
    nearest = np.argpartition(-best, m - 1, axis=1)[:, :m]
    weights = np.maximum(np.take_along_axis(best, nearest, axis=1), 0.0) ** 8
    vote = np.zeros_like(best)
    np.put_along_axis(vote, nearest, weights / np.maximum(weights.sum(axis=1, keepdims=True), 1e-9), axis=1)
    return {"encoder": best, "encoder_vote": vote}


def _lexical_signals(
    index: Index, texts: Sequence[str], *, with_signals: bool = False
) -> tuple[np.ndarray, np.ndarray | None, dict[str, np.ndarray]]:
    if not index.config.split_gender:
        scores, decisions, signals = _score_forms(index, [fold(t) for t in texts], with_signals=with_signals)
        return _classify(index, _calibrate(index.config, scores), decisions), decisions, signals
    forms: list[str] = []
    counts = np.empty(len(texts), dtype=np.int64)
    for i, text in enumerate(texts):
        expanded = gender_forms(text)
        forms.extend(expanded)
        counts[i] = len(expanded)
    scores, decisions, signals = _score_forms(index, forms, with_signals=with_signals)
    if len(forms) != len(texts):
        starts = np.concatenate([[0], np.cumsum(counts)[:-1]])

        def mean(values: np.ndarray) -> np.ndarray:
            return np.add.reduceat(values, starts, axis=0) / counts[:, None]

        scores = mean(scores)
        decisions = None if decisions is None else mean(decisions)
        signals = {name: mean(value) for name, value in signals.items()}
    return _classify(index, _calibrate(index.config, scores), decisions), decisions, signals


def ranking_features(
    index: Index, texts: Sequence[str], embeddings: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(top candidates (n, m) as key positions, best first; their features (n, m, n_features)),
    computed without any re-ranking of the index: what ``--fit-reranker`` fits on."""
    scores, decisions, signals = _signals(index, texts, with_signals=True, embeddings=embeddings)
    return _ranking_features(index, scores, decisions, signals)


def query(
    index: Index, texts: Sequence[str], k: int = 5, embeddings: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Top-``k`` keys for each text: ``(keys[n, k], scores[n, k])``, best first.

    Rows are ordered by decreasing confidence; ``k`` is capped at the number of keys.
    Texts are processed in chunks so memory stays bounded for bulk calls. With an encoder,
    ``embeddings`` (n, dim) are the texts' when already known (else they are encoded).
    """
    k = max(0, min(k, len(index.keys)))
    all_keys = np.empty((len(texts), k), dtype=index.keys.dtype)
    all_scores = np.empty((len(texts), k), dtype=np.float32)
    if k == 0:
        return all_keys, all_scores
    for start in range(0, len(texts), _QUERY_CHUNK):
        chunk = list(texts[start : start + _QUERY_CHUNK])
        chunk_embeddings = None if embeddings is None else embeddings[start : start + len(chunk)]
        scores = score(index, chunk, chunk_embeddings)
        if k < scores.shape[1]:
            best = np.argpartition(-scores, k - 1, axis=1)[:, :k]
        else:
            best = np.tile(np.arange(scores.shape[1]), (len(chunk), 1))
        best_scores = np.take_along_axis(scores, best, axis=1)
        order = np.argsort(-best_scores, axis=1, kind="stable")
        best = np.take_along_axis(best, order, axis=1)
        all_keys[start : start + len(chunk)] = index.keys[best]
        all_scores[start : start + len(chunk)] = np.take_along_axis(best_scores, order, axis=1)
    return all_keys, all_scores
