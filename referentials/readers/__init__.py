"""Pure readers for the official referential files (no Django inside).

Each reader takes a path and returns plain dataclasses of tuples, ready to be
staged into the database by ``referentials.services``.
"""

from .common import ReferentialFileError, normalize_search, normalize_text
from .esco import EscoData, read_esco
from .rome import RomeData, read_rome
from .rome_tags import RomeTags, read_rome_tags

__all__ = [
    "EscoData",
    "ReferentialFileError",
    "RomeData",
    "RomeTags",
    "normalize_search",
    "normalize_text",
    "read_esco",
    "read_rome",
    "read_rome_tags",
]
