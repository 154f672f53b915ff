"""Mapping engine: free-text labels -> referential keys (pure numpy/scipy/scikit-learn)."""

from .index import (
    BASELINE,
    OCCUPATION_CONFIG,
    OCCUPATION_LEXICAL_CONFIG,
    SKILL_CONFIG,
    Index,
    MatchConfig,
    build_index,
    occupation_config,
    query,
    score,
    skill_config,
)
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
