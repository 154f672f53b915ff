"""Mapping engine: free-text labels -> referential keys (pure numpy/scipy/scikit-learn)."""

from .config import (
    BASELINE,
    OCCUPATION_CONFIG,
    OCCUPATION_LEXICAL_CONFIG,
    SKILL_CONFIG,
    MatchConfig,
    occupation_config,
    skill_config,
)
from .index import Index, build_index, query, score
from .text import fold, gender_forms, words

__all__ = [
    "BASELINE",
    "Index",
    "MatchConfig",
    "OCCUPATION_CONFIG",
    "OCCUPATION_LEXICAL_CONFIG",
    "SKILL_CONFIG",
    "build_index",
    "fold",
    "gender_forms",
    "occupation_config",
    "query",
    "score",
    "skill_config",
    "words",
]
