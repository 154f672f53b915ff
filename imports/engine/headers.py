"""Header row detection and column -> field mapping."""

from __future__ import annotations

from imports.engine.types import HeaderGuess, RawTable


def normalize_header(text) -> str:
    """Lower case, accents, spaces and punctuation removed: "N° Matricule" -> "nmatricule"."""
    raise NotImplementedError


def detect_header(raw: RawTable, *, mapping: dict[str, str] | None = None) -> HeaderGuess:
    """Find the header row among the first rows and map each column to a field.

    mapping: header text -> field name, "skill:<label>" or "ignore"; it overrides
    recognition and is matched with normalize_header (case/accent/space-insensitive).
    """
    raise NotImplementedError
