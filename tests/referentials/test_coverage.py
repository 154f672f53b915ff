"""Word coverage and families, the re-ranker's signals of ``referentials/engine/coverage.py`` (no database)."""

from dataclasses import replace

import numpy as np
import pytest

from referentials.engine import OCCUPATION_LEXICAL_CONFIG, build_index
from referentials.engine.coverage import build_families
from referentials.engine.index import _signals, ranking_feature_names, ranking_features

CONFIG = replace(
    OCCUPATION_LEXICAL_CONFIG, rerank=None, classifier_weight=0.0, coverage=True, family_features=True,
    rerank_candidates=3,
)  # fmt: skip


@pytest.fixture(scope="module")
def index():
    return build_index(
        ["Soudeur / Soudeuse TIG", "Soudeur / Soudeuse", "Chaudronnier / Chaudronnière", "Boulanger / Boulangère"],
        np.array(["H2913", "H2914", "H2902", "D1102"]),
        extra_texts={"H2913": "soudure", "H2914": "soudure", "H2902": "tôles", "D1102": "pain"},
        config=CONFIG,
        vocabulary_texts={"H2902": "Souder des pièces en TIG ; Réaliser des tracés", "D1102": "Pétrir la pâte"},
        key_families={"H2913": "H2913", "H2914": "H2913", "H2902": "H2902"},
    )


def _signal(index, text, name):
    _scores, _decisions, signals = _signals(index, [text], with_signals=True)
    return dict(zip(index.keys.tolist(), signals[name][0].round(3).tolist(), strict=True))


def test_a_key_whose_titles_hold_every_word_of_the_query_covers_it_whole(index):
    coverage = _signal(index, "Soudeuse TIG", "coverage")
    assert coverage["H2913"] == 1.0
    # "Soudeur" alone leaves the rarer "TIG" unexplained: less than half of the weight.
    assert 0 < coverage["H2914"] < 0.5
    assert coverage["D1102"] == 0.0


def test_the_vocabulary_counts_what_the_referential_says_of_the_key_beyond_its_titles(index):
    coverage = _signal(index, "Chaudronnier TIG", "coverage")
    vocabulary = _signal(index, "Chaudronnier TIG", "vocabulary")
    assert coverage["H2902"] < 1.0  # its titles do not say TIG
    assert vocabulary["H2902"] == 1.0  # its skills do
    assert vocabulary["D1102"] == 0.0


def test_a_word_no_key_knows_still_weighs_in_the_query(index):
    coverage = _signal(index, "Soudeur TIG zorglub", "coverage")
    assert 0.3 < coverage["H2913"] < 1.0
    assert max(_signal(index, "zorglub", "coverage").values()) == 0.0


def test_keys_without_a_family_are_alone_in_their_own():
    families = build_families(["A1101", "A1102", "B1101", "C1101"], {"A1101": "A1101", "A1102": "A1101", "C1101": ""})
    assert families.ids[0] == families.ids[1] and len(set(families.ids.tolist())) == 3
    assert families.sizes.tolist() == [2, 2, 1, 1]
    assert families.heads.tolist() == [1, 0, 1, 1]  # B1101 and C1101 are their own family


def test_the_re_ranker_reads_the_candidates_family_and_coverage(index):
    names = ranking_feature_names(index.config)
    top, features = ranking_features(index, ["Soudeuse TIG"])
    assert features.shape == (1, 3, len(names))
    column = {name: features[0, :, names.index(name)] for name in names}
    candidates = index.keys[top[0]].tolist()
    assert candidates[0] == "H2913"
    sibling = candidates.index("H2914")  # the two welders share a family among the candidates
    assert column["family_count"][0] == pytest.approx(np.log(2))
    assert column["family_of_first"][sibling] == 1.0
    assert column["family_size"][0] == pytest.approx(np.log(2))
    assert column["family_head"][0] == 1.0 and column["family_head"][sibling] == 0.0
    assert column["coverage"][0] == pytest.approx(1.0) and column["coverage_gap"][0] == 0.0
    assert (column["coverage_gap"] <= 0).all()
