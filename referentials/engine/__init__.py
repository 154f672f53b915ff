"""Mapping engine: free-text labels -> referential keys (pure numpy/scipy/scikit-learn)."""

from .index import BASELINE, OCCUPATION_CONFIG, SKILL_CONFIG, Index, MatchConfig, build_index, query, score
from .text import fold, gender_forms, words

__all__ = [
    "BASELINE",
    "Index",
    "MatchConfig",
    "OCCUPATION_CONFIG",
    "SKILL_CONFIG",
    "build_index",
    "fold",
    "gender_forms",
    "query",
    "score",
    "words",
]
