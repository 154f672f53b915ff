"""Skill levels: numbers (0-4, or 1-5 shifted), words and letters, decided per file."""

from __future__ import annotations

import unicodedata

from imports.engine.i18n import _
from imports.engine.types import CellError

# Levels are expressed on a 0..4 reference scale, then rescaled to scale_max.
# fmt: off
_WORDS_0_TO_4: dict[str, int] = {
    "aucun": 0, "aucune": 0, "non acquis": 0, "non acquise": 0, "nul": 0, "none": 0,
    "debutant": 1, "debutante": 1, "notions": 1, "notion": 1, "initie": 1, "initiation": 1,
    "en cours d acquisition": 1, "en cours": 1, "en acquisition": 1, "elementaire": 1,
    "beginner": 1, "novice": 1, "basic": 1, "faible": 1,
    "intermediaire": 2, "moyen": 2, "pratique": 2, "en progression": 2, "intermediate": 2,
    "acquis": 3, "acquise": 3, "confirme": 3, "confirmee": 3, "avance": 3, "maitrise": 3, "autonome": 3,
    "bon": 3, "advanced": 3, "proficient": 3, "good": 3,
    "expert": 4, "experte": 4, "expertise": 4, "excellent": 4, "tres bon": 4, "referent": 4, "referente": 4,
    # Letters, A being the best (French convention for assessment grids).
    "a": 4, "b": 3, "c": 2, "d": 1, "e": 0,
}
# Cells that mean "not assessed": no skill level, no error.
_BLANKS = frozenset({"", "-", "/", "na", "n a", "nc", "n c", "non evalue", "non evaluee", "sans objet", "so"})
# fmt: on


def _key(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept = "".join(ch if ch.isalnum() else " " for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(kept.split())


def _number(value) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        text = value.strip().replace(",", ".")
        try:
            return float(text)
        except ValueError:
            return None
    return None


def looks_like_level(value) -> bool:
    """True for a cell that reads as a level (used to spot wide-layout skill columns)."""
    number = _number(value)
    if number is not None:
        return number.is_integer() and 0 <= number <= 5
    if isinstance(value, str):
        key = _key(value)
        return key in _WORDS_0_TO_4 or key in _BLANKS
    return False


LEVEL_SCALES = ("auto", "0-4", "1-5")


def detect_scale(values, *, scale_max: int = 4) -> str:
    """ "1-5" when some number equals scale_max + 1 and none is 0, else "0-4" (the names
    are for the default scale_max=4). `values` are the distinct cells of every level column
    of the file, so that all skills of one file share one scale."""
    numbers = {_number(v) for v in values}
    numbers.discard(None)
    if float(scale_max + 1) in numbers and 0.0 not in numbers:
        return "1-5"
    return "0-4"


def level_lookup(values, *, scale: str, scale_max: int = 4) -> dict:
    """Distinct cell -> level (int), None (not assessed) or CellError (message)."""
    shift = 1 if scale == "1-5" else 0
    lookup: dict = {}
    for value in values:
        lookup[value] = _level(value, shift, scale_max)
    return lookup


def _level(value, shift: int, scale_max: int):
    if value is None:
        return None
    number = _number(value)
    if number is not None:
        if not number.is_integer():
            return CellError(
                _("Niveau non reconnu : « %(value)s » n'est pas un nombre entier. "
                  "Indiquez un niveau entier de %(low)s à %(high)s.")
                % {"value": _show(value), "low": shift, "high": scale_max + shift}
            )
        level = int(number) - shift
        if 0 <= level <= scale_max:
            return level
        return CellError(
            _("Niveau hors échelle : « %(value)s ». L'échelle va de %(low)s à %(high)s ; "
              "corrigez la valeur ou laissez la cellule vide si la compétence n'est pas évaluée.")
            % {"value": _show(value), "low": shift, "high": scale_max + shift}
        )
    if isinstance(value, str):
        key = _key(value)
        if key in _BLANKS:
            return None
        if key in _WORDS_0_TO_4:
            return round(_WORDS_0_TO_4[key] * scale_max / 4)
    return CellError(
        _("Niveau non reconnu : « %(value)s ». Utilisez un nombre de %(low)s à %(high)s, "
          "une lettre de A à E ou un mot : non acquis, débutant, intermédiaire, confirmé, expert.")
        % {"value": _show(value), "low": shift, "high": scale_max + shift}
    )


def _show(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
