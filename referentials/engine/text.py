"""French text normalisation for the mapping engine (pure, no Django).

Everything here maps a raw label to plain ASCII lowercase words so that accents, case,
punctuation, plurals and (optionally) gender do not change what a label matches.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import Stemmer

_WORD_RE = re.compile(r"[a-z0-9]+")
_SPACES_RE = re.compile(r"\s+")
# "Vendeur(se)", "Technicien(ne)": a word immediately followed by a feminine ending.
_PAREN_SUFFIX_RE = re.compile(r"([a-z]+)\(([a-z]{1,6})\)")

# Feminine ending written in brackets -> masculine ending it replaces ("" = appended).
_FEMININE_ENDINGS = {
    "trice": "teur",
    "teuse": "teur",
    "euse": "eur",
    "bleuse": "bleur",
    "rice": "eur",
    "se": "r",
    "ere": "er",
    "iere": "ier",
    "tive": "tif",
    "ive": "if",
    "ve": "f",
    "re": "r",
}

# Function words carry no meaning for matching; elided forms ("d'", "l'") split to one letter.
STOP_WORDS = frozenset(
    "a au aux avec ce ces d dans de des du en et l la le les leur leurs ou par pour sur "
    "un une s sa son ses".split()
)

# Feminine word endings folded onto the masculine one (after accent folding), longest first.
_GENDER_FOLD = (
    ("trice", "teur"),
    ("euse", "eur"),
    ("ienne", "ien"),
    ("iere", "ier"),
    ("ere", "er"),
    ("elle", "el"),
    ("ive", "if"),
)

_stemmer = Stemmer.Stemmer("french")


def fold(text: str) -> str:
    """Lowercase, strip accents and typographic quirks; keep punctuation."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.lower().replace("’", "'").replace("''", "'").replace("œ", "oe").replace("æ", "ae")
    return _SPACES_RE.sub(" ", text).strip()


def _feminine(word: str, ending: str) -> str:
    masculine = _FEMININE_ENDINGS.get(ending)
    if masculine and word.endswith(masculine):
        return word[: len(word) - len(masculine)] + ending
    return word + ending


def gender_forms(text: str) -> list[str]:
    """Both gender forms of a folded label, masculine first.

    "boulanger / boulangere" -> ["boulanger", "boulangere"];
    "technicien coupeur / technicienne coupeuse en coiffure" ->
    ["technicien coupeur en coiffure", "technicienne coupeuse en coiffure"];
    "vendeur(se) en boulangerie" -> ["vendeur en boulangerie", "vendeuse en boulangerie"].
    A label with no gender marks comes back alone.
    """
    text = fold(text)
    if " / " in text:
        left, right = text.split(" / ", 1)
        head = left.split()
        tail = right.split()
        if head and len(tail) >= len(head):
            masculine = " ".join(head + tail[len(head) :])
            return [masculine, right] if masculine != right else [right]
    if "(" in text and _PAREN_SUFFIX_RE.search(text):
        masculine = _PAREN_SUFFIX_RE.sub(r"\1", text)
        feminine = _PAREN_SUFFIX_RE.sub(lambda m: _feminine(m.group(1), m.group(2)), text)
        return [masculine, feminine]
    return [text]


@lru_cache(maxsize=200_000)
def _stem(word: str, fold_gender: bool) -> str:
    # Snowball leaves some plurals apart ("boulanger" -> "boulang", "boulangers" -> "boulanger"),
    # so drop the plural mark first.
    if len(word) > 3:
        if word.endswith("eaux"):
            word = word[:-1]
        elif word.endswith("aux"):
            word = word[:-3] + "al"
        elif word[-1] in "sx" and word[-2] not in "sua":
            word = word[:-1]
    if fold_gender:
        for feminine, masculine in _GENDER_FOLD:
            if word.endswith(feminine) and len(word) > len(feminine) + 2:
                word = word[: len(word) - len(feminine)] + masculine
                break
    return _stemmer.stemWord(word)


def words(text: str, *, stem: bool = True, fold_gender: bool = True, stop_words: bool = True) -> list[str]:
    """Folded words of a label, stop words removed, optionally stemmed."""
    tokens = _WORD_RE.findall(fold(text))
    if stop_words:
        tokens = [t for t in tokens if t not in STOP_WORDS]
    if stem:
        tokens = [_stem(t, fold_gender) for t in tokens]
    return tokens
