"""Row validation: RawTable + HeaderGuess -> ValidationResult."""

from __future__ import annotations

from datetime import date

from imports.engine.types import HeaderGuess, RawTable, ValidationResult


def validate(
    raw: RawTable,
    header: HeaderGuess,
    *,
    scale_max: int = 4,
    today: date,
    existing_staff_numbers: frozenset[str] = frozenset(),
) -> ValidationResult:
    """Validate every data row and list every error (see ValidationResult)."""
    raise NotImplementedError
