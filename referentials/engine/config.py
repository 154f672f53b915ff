"""The engine's settings: ``MatchConfig`` and the configurations the product ships (pure data)."""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class MatchConfig:
    """Tuning of the engine; the defaults are the ones measured in ``bench/mapping_quality.py``."""

    stem: bool = True
    fold_gender: bool = False
    split_gender: bool = True
    stop_words: bool = True
    stem_chars: bool = False
    word_ngrams: tuple[int, int] = (1, 2)
    char_ngrams: tuple[int, int] = (3, 5)
    char_weight: float = 0.6
    neighbours: int = 30
    vote_power: float = 3.0
    weight_max: float = 0.15
    weight_vote: float = 0.15
    weight_extra: float = 0.70
    weight_head: float = 0.05
    extra_includes_entries: bool = True
    extra_chars: bool = True
    # Supervised re-scoring: one linear SVM per key, trained on the indexed entries of the key
    # (positives) against those of its ``classifier_neighbours`` nearest keys (by occupation
    # document), blended with weight ``classifier_weight`` into the engine's top
    # ``classifier_candidates`` keys; 0 disables it.
    classifier_weight: float = 0.0
    classifier_neighbours: int = 150
    classifier_c: float = 0.5
    classifier_slope: float = 3.0
    classifier_candidates: int = 30
    # Word vectors (``semantic.py``, French vectors of fr_core_news_md), all 0 = not used:
    # - ``semantic_share``: share of the word-vector cosine in the entry similarity the ``max``
    #   and ``vote`` signals use (the rest is the TF-IDF cosine);
    # - ``weight_soft``: weight, in the blended mean, of the soft word match of the query with the
    #   words of each of its top ``soft_candidates`` keys (the other keys get 0 for it);
    # - ``classifier_vectors``: weight of the entries' mean word vectors appended to the
    #   TF-IDF features of the per-key SVMs.
    semantic_share: float = 0.0
    weight_soft: float = 0.0
    soft_candidates: int = 50
    classifier_vectors: float = 0.0
    # Weight of ``exact``: 1 when one of the key's entries has exactly the query's words and
    # character n-grams (TF-IDF cosine >= 0.999), so that a known title wins over look-alikes.
    weight_exact: float = 0.0
    # Logistic (slope, intercept) turning the blended score into the estimated probability
    # that a suggestion is right; None keeps the blended score (a cosine for skill labels).
    calibration: tuple[float, float] | None = None
    # Learned re-ranking of the top ``rerank_candidates`` keys: (weights, intercept) of a logistic
    # regression over ``RANKING_FEATURES`` (see ``ranking_features``), fitted by
    # ``bench/mapping_quality.py --fit-reranker`` on the validation split; its output, the
    # estimated probability that a key is right, replaces their scores. None: no re-ranking.
    rerank: tuple[tuple[float, ...], float] | None = None
    rerank_candidates: int = 30
    # Sentence encoder (``encoder.py``: "use" or "e5"; None = not used): the labels' embeddings are
    # indexed per key; a query's best cosine per key and its k-NN vote become re-ranker features
    # (``RANKING_FEATURES_ENCODER``), and the encoder's ``encoder_candidates`` best keys always join
    # the re-ranked candidates (the lexical engine's best fill the rest).
    encoder: str | None = None
    encoder_candidates: int = 10
    encoder_neighbours: int = 10
    # Without a re-ranker (skill labels): weight of the encoder's σ (``similarity.sigma`` of its best
    # cosine per key) in the score, the rest being the lexical score.
    weight_encoder: float = 0.0
    # Large indexes (tens of thousands of skills): the encoder compares a query with the labels of its
    # ``encoder_probes`` nearest of ``encoder_clusters`` clusters only (``encoder.EncoderView``); 0 = all.
    encoder_clusters: int = 0
    encoder_probes: int = 0
    # Re-ranker features of ``coverage.py``: the share of the query's words the key's titles and whole
    # vocabulary (``build_index``'s ``vocabulary_texts``) account for; and the key's family (``key_families``,
    # ROME v3 parent codes) among the candidates.
    coverage: bool = False
    family_features: bool = False


# The engine with every default: what ``build_index`` uses when given no configuration.
DEFAULT_CONFIG = MatchConfig()

BASELINE = MatchConfig(
    stem=False,
    fold_gender=False,
    split_gender=False,
    stop_words=False,
    word_ngrams=(1, 1),
    char_weight=0.5,
    neighbours=1,
    weight_max=1.0,
    weight_vote=0.0,
    weight_extra=0.0,
    weight_head=0.0,
)


# Job titles -> ROME occupations (appellations + occupation documents); see BENCHMARKS.md.
# The per-key SVMs (weight 0.3, 150 neighbouring keys, C 0.5), the word-vector settings
# (semantic share 0.3, soft match 0.2 on the top 50, SVM vector features x1), the exact-title
# bonus (0.1) and the calibration were chosen on a validation split carved out of the
# benchmark's indexed titles (10 %), never on its held-out ones. The calibration is a logistic
# fit of "right" on the blended score of that split's top-5 candidates: a blended score of 0.35
# is right about one time in five, 0.45 six times in ten, 0.55 nine times in ten. The re-ranker's
# weights (one per RANKING_FEATURES, on the raw features) were fitted on the same split by
# ``bench/mapping_quality.py --fit-reranker``; its output is the estimated probability that the
# key is right, so it also serves as the confidence shown to users. The sentence encoder is USE-multilingual:
# e5 ranks slightly better (0.704 / 0.904 against 0.697 / 0.899 held out) but encoding one query with it
# takes 27-28 ms p50 / 42-43 ms p95 on two cores (``bench/encoder_floor.py``), over the suggestion's whole
# 20 ms budget (``OCCUPATION_E5_CONFIG`` for a deployment that prefers it, ``ESIPRO_ENCODER=e5``).
OCCUPATION_CONFIG = MatchConfig(
    calibration=(17.2, -7.4),
    classifier_weight=0.3,
    semantic_share=0.3,
    weight_soft=0.2,
    classifier_vectors=1.0,
    weight_exact=0.1,
    encoder="use",
    coverage=True,
    family_features=True,
    rerank=(
        (1.1669, 1.0113, -0.0550, -0.8525, -0.5874, -1.6450, -2.0250, 3.0233, 3.1601, -0.1572, 6.0873, 0.8028,
         2.8473, 1.3455, -0.0514, -0.3971, 3.5716, 2.2693, -1.5486, 0.1050, 2.3566, 0.8880, 0.7500, -1.2042,
         2.5048, -0.9916, 0.2119, 0.5229, 0.0360, -0.3463, 0.4414),
        -0.2293,
    ),
)  # fmt: skip

# The same engine with multilingual-e5-small, its re-ranker fitted the same way with e5's cosines.
OCCUPATION_E5_CONFIG = replace(
    OCCUPATION_CONFIG,
    encoder="e5",
    rerank=(
        (2.1498, 0.3139, -0.0370, -1.2843, -1.5076, -1.3046, -1.8005, 2.3741, 3.0596, -0.2519, 6.6275, 0.8682,
         2.6114, 1.5446, -0.0863, 2.8392, 42.9028, 3.6541, -1.6489, 0.2732, 2.3540, 0.7158, 0.8622, -1.5771,
         2.4554, -0.4320, 0.1329, 0.4913, 0.1579, -0.3880, 0.4817),
        -2.9870,
    ),
)  # fmt: skip

# The same engine without the sentence encoder, with the third round's re-ranker (fitted without the
# encoder's features): what suggestions use while the encoder is off (``ESIPRO_ENCODER=""``) or unavailable.
OCCUPATION_LEXICAL_CONFIG = replace(
    OCCUPATION_CONFIG,
    encoder=None,
    coverage=False,
    family_features=False,
    rerank=(
        (-0.4456, 3.8355, -0.0980, -1.3938, 0.6561, 0.5306, -2.3972, 5.5900, 4.9759, 0.5643, 6.9858,
         1.3584, 2.5070, 1.3492, 0.1104),
        -1.4225,
    ),
)  # fmt: skip

# Skill labels -> skills: one or a few labels per key, so the best match alone decides.
SKILL_CONFIG = MatchConfig(
    neighbours=1, weight_max=1.0, weight_vote=0.0, weight_extra=0.0, weight_head=0.0, extra_chars=False
)

# Skill labels with the sentence encoder: its σ (``similarity.sigma``) blended with the lexical score,
# weight chosen in ``bench/skill_mapping.py``.
SKILL_ENCODER_WEIGHT = 0.5
# ... and the encoder reading the labels of the query's 24 nearest of 256 clusters only (see
# ``encoder.EncoderView``; the recall this keeps is measured in ``bench/skill_mapping.py``).
SKILL_ENCODER_CLUSTERS = (256, 24)


def skill_config(encoder: str | None) -> MatchConfig:
    """``SKILL_CONFIG``, with ``encoder``'s σ blended in when one is given."""
    if not encoder:
        return SKILL_CONFIG
    return replace(
        SKILL_CONFIG, encoder=encoder, weight_encoder=SKILL_ENCODER_WEIGHT, encoder_clusters=SKILL_ENCODER_CLUSTERS[0],
        encoder_probes=SKILL_ENCODER_CLUSTERS[1],
    )  # fmt: skip


def occupation_config(encoder: str | None) -> MatchConfig:
    """The job-title engine with ``encoder`` (whose re-ranker was fitted with it), or the lexical engine
    when None."""
    if not encoder:
        return OCCUPATION_LEXICAL_CONFIG
    for config in (OCCUPATION_CONFIG, OCCUPATION_E5_CONFIG):
        if config.encoder == encoder:
            return config
    raise ValueError(f"no re-ranker was fitted with the {encoder!r} encoder")
