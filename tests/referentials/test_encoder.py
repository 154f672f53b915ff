"""The sentence encoder in the mapping engine, on a small real slice of ROME 4.0 (no database, no mock).

The slice: the occupations of four ROME domains (D11 food trades, J15 care, K22 cleaning, N11 logistics),
their appellations with 20 % held out (seed 7) and their occupation documents. Embedding it with the real
encoder takes a few seconds; the full ROME is never embedded in the test suite.
"""

from pathlib import Path

import numpy as np
import pytest

from referentials.engine import OCCUPATION_CONFIG, build_index, query, score
from referentials.engine.encoder import EmbeddingCache, encode
from referentials.engine.evaluation import holdout_split
from referentials.engine.index import _candidates, _signals, ranking_feature_names, ranking_features
from referentials.engine.rome_files import load_rome_tables
from referentials.engine.similarity import SIGMA_CALIBRATION, composed_similarity, sigma, skill_similarity

ROME_DIR = Path(__file__).resolve().parents[3] / "shared" / "data" / "rome4"
DOMAINS = ("D11", "J15", "K22", "N11")
ENCODER = OCCUPATION_CONFIG.encoder
SIMILARITY_ENCODER = "e5"  # settings.ESIPRO_SIMILARITY_ENCODER: the skill similarity's


@pytest.fixture(scope="module")
def rome_slice(tmp_path_factory):
    tables = load_rome_tables(ROME_DIR)
    rows = np.flatnonzero([str(code).startswith(DOMAINS) for code in tables.title_codes])
    codes = [code for code in tables.occupation_labels if code.startswith(DOMAINS)]
    kept, held = holdout_split(len(rows), 7)
    labels = [tables.title_labels[i] for i in rows[kept]] + [tables.occupation_labels[c] for c in codes]
    keys = np.array(list(tables.title_codes[rows[kept]]) + codes, dtype=str)
    extra = {c: f"{tables.occupation_definitions.get(c, '')} ; {tables.occupation_core_skills.get(c, '')}" for c in codes}
    cache = EmbeddingCache(tmp_path_factory.mktemp("embeddings"), ENCODER)
    queries = [tables.title_labels[i] for i in rows[held]]
    index = build_index(
        labels,
        keys,
        extra_texts=extra,
        config=OCCUPATION_CONFIG,
        embeddings=cache.embed(labels),
        vocabulary_texts={c: tables.occupation_vocabulary.get(c, "") for c in codes},
        key_families={c: tables.occupation_parents[c] for c in codes},
    )
    return {
        "index": index,
        "labels": labels,
        "queries": queries,
        "query_embeddings": cache.embed(queries),
        "truth": tables.title_codes[rows[held]],
        "cache": cache,
        "skills": tables.skill_labels,
    }


def test_it_embeds_real_rome_labels_once_and_reads_them_back_from_disk(rome_slice, tmp_path):
    cache = rome_slice["cache"]
    count = len(cache)
    again = cache.embed(rome_slice["labels"][:5] + ["Préparateur de commandes en chambre froide"])
    assert len(cache) == count + 1  # only the new label was encoded
    assert again.shape == (6, 384 if ENCODER == "e5" else 512)
    assert np.allclose(np.linalg.norm(again, axis=1), 1.0, atol=1e-4)
    reread = EmbeddingCache(cache.folder, ENCODER)
    assert np.array_equal(reread.embed(rome_slice["labels"][:5]), again[:5])
    assert len(reread) == count + 1


def test_it_proposes_held_out_titles_their_occupation(rome_slice):
    keys, scores = query(rome_slice["index"], rome_slice["queries"], k=5, embeddings=rome_slice["query_embeddings"])
    found = keys == rome_slice["truth"][:, None]
    # Measured 0.85 / 0.97 on this slice with USE (66 held-out titles, 51 occupations).
    assert found[:, 0].mean() >= 0.75 and found.any(axis=1).mean() >= 0.9
    assert (np.diff(scores, axis=1) <= 1e-6).all()


def test_it_encodes_the_query_itself_when_no_embedding_is_given(rome_slice):
    labels = rome_slice["queries"][:3]
    given = score(rome_slice["index"], labels, rome_slice["query_embeddings"][:3])
    computed = score(rome_slice["index"], labels)
    assert np.allclose(given, computed, atol=1e-3)


def test_it_brings_the_encoder_s_nearest_occupations_into_the_re_ranked_candidates(rome_slice):
    index = rome_slice["index"]
    embeddings = encode(["Confiturier / Confiturière", "Mitron"], encoder=ENCODER)
    scores, _decisions, signals = _signals(index, ["Confiturier / Confiturière", "Mitron"], with_signals=True,
                                          embeddings=embeddings)
    top = _candidates(index, scores, signals)
    encoder_best = np.argsort(-signals["encoder"], axis=1)[:, : index.config.encoder_candidates]
    for row in range(2):
        assert set(encoder_best[row]) <= set(top[row])
    _top, features = ranking_features(index, ["Mitron"], embeddings[1:])
    assert features.shape[2] == len(ranking_feature_names(index.config)) == len(index.config.rerank[0])


def test_it_keeps_the_re_ranker_calibrated_on_the_slice_validation_titles(rome_slice):
    keys, scores = query(rome_slice["index"], rome_slice["queries"], k=5, embeddings=rome_slice["query_embeddings"])
    right = keys == rome_slice["truth"][:, None]
    confident = scores >= 0.8
    assert confident.sum() >= 20
    assert right[confident].mean() >= 0.9
    assert right[scores < 0.4].mean() < 0.4


def test_it_scores_same_skills_high_and_unrelated_ones_low_with_sparse_top_k(rome_slice):
    labels = ["Souder des pièces métalliques à l'arc", "Réaliser une soudure à l'arc électrique",
              "Accueillir un client", "Recevoir et orienter la clientèle", "Conduire un chariot élévateur"]
    embeddings = encode(labels, encoder=SIMILARITY_ENCODER)
    calibration = SIGMA_CALIBRATION[SIMILARITY_ENCODER]
    similar = skill_similarity(embeddings, None, k=2, threshold=0.0, calibration=calibration)
    assert similar.shape == (5, 5) and similar.diagonal().sum() == 0
    assert (np.diff(similar.indptr) == 2).all()
    dense = similar.toarray()
    assert dense[0, 1] > 0.5 and dense[2, 3] > 0.5
    assert dense[0, 1] > dense[0, 4] and dense[2, 3] > dense[2, 4]
    assert ((dense >= 0) & (dense <= 1)).all()
    assert skill_similarity(embeddings, None, k=2, threshold=0.99, calibration=calibration).nnz < similar.nnz


def test_it_composes_skills_through_a_shared_standard_skill():
    import scipy.sparse as sp

    direct = sp.csr_matrix(np.array([[0, 0.2, 0], [0.2, 0, 0], [0, 0, 0]], dtype=np.float32))
    # Skills 0 and 2 are both close to standard skill 0: 0.9 x 0.8.
    candidates = sp.csr_matrix(np.array([[0.9, 0], [0, 0.7], [0.8, 0]], dtype=np.float32))
    result = composed_similarity(direct, candidates, k=5).toarray()
    assert result[0, 2] == pytest.approx(0.72) and result[2, 0] == pytest.approx(0.72)
    assert result[0, 1] == pytest.approx(0.2)
    assert np.diag(result).sum() == 0
    assert sigma(np.array([0.0, 1.0]), SIGMA_CALIBRATION[SIMILARITY_ENCODER])[1] > 0.9


def test_a_clustered_view_answers_one_query_as_it_answers_the_same_query_in_bulk():
    from referentials.engine.encoder import encoder_view

    rng = np.random.default_rng(3)
    embeddings = rng.normal(size=(400, 16)).astype(np.float32)
    groups = rng.integers(0, 60, size=400)
    clustered = encoder_view(embeddings, groups, 60, ENCODER, clusters=20, probes=5)
    exact = encoder_view(embeddings, groups, 60, ENCODER)
    assert clustered.centroids is not None and exact.centroids is None
    queries = embeddings[:30] / np.linalg.norm(embeddings[:30], axis=1, keepdims=True)
    bulk = clustered.best(queries)
    for i in range(len(queries)):
        assert np.allclose(clustered.best(queries[i : i + 1])[0], bulk[i], atol=1e-5)
    # Each query's own label is in its nearest cluster: its key keeps its exact best cosine (1).
    own = groups[:30]
    assert np.allclose(bulk[np.arange(30), own], 1.0, atol=1e-5)
    assert np.allclose(bulk[np.arange(30), own], exact.best(queries)[np.arange(30), own], atol=1e-5)
    assert (bulk <= exact.best(queries) + 1e-5).all()  # the best of the labels read, never more
    assert (bulk == -1.0).sum() > (exact.best(queries) == -1.0).sum()  # the far clusters were not read


def test_each_encoder_has_a_re_ranker_fitted_with_its_own_features():
    from referentials.engine import occupation_config
    from referentials.engine.config import OCCUPATION_LEXICAL_CONFIG

    for encoder in ("use", "e5", None):
        config = occupation_config(encoder)
        assert config.encoder == encoder
        assert len(config.rerank[0]) == len(ranking_feature_names(config))
    assert occupation_config("") is OCCUPATION_LEXICAL_CONFIG
    with pytest.raises(ValueError, match="no re-ranker was fitted with the 'labse' encoder"):
        occupation_config("labse")
