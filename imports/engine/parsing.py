"""Cell value parsing, decided per column (dates, FTE, levels, text)."""

from __future__ import annotations

FORMULA_PREFIXES = ("=", "+", "-", "@")


def safe_cell_text(value) -> str:
    """Text safe to write in a spreadsheet cell: "=SUM(A1)" -> "'=SUM(A1)"."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text
