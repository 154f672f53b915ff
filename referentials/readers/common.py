"""Tolerant CSV reading shared by the ROME and ESCO readers.

Real files carry a BOM or not, are sometimes cp1252 while named ``utf8``, use
``,`` or ``;``, and spell apostrophes as ``’``, ``'`` or a doubled ``''``.
Everything is decoded, then text is canonicalised so that two copies of the same
table that differ only in these details produce identical rows.
"""

import csv
import io
import re
import unicodedata
from pathlib import Path

# "\x92"/"\x91" are cp1252 apostrophes left undecoded in some UTF-8 exports.
_APOSTROPHES = re.compile("''|[’‘ʼ`´\x91\x92]")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\ufeff]")
_SPACES = re.compile(r"[^\S\n]+")
_ODD_SPACES = re.compile(r"[^\S ]|  ")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_COMBINING = re.compile("[\u0300-\u036f]+")
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})


class ReferentialFileError(Exception):
    """A referential file is missing, unreadable or lacks expected columns.

    The message names the file and says what was expected; it is shown as is to
    the operator running the import.
    """


def normalize_text(value: str | None) -> str:
    """Canonical form of a cell: straight apostrophes, single spaces, stripped lines."""
    if not value or value.isalnum():
        return value or ""
    value = _INVISIBLE.sub("", _APOSTROPHES.sub("'", value)).replace("\r", "")
    if "\n" in value:
        lines = (_SPACES.sub(" ", line).strip() for line in value.split("\n"))
        return "\n".join(line for line in lines if line)
    return _SPACES.sub(" ", value).strip()


def normalize_search(value: str | None) -> str:
    """Lower-case, accent-free, punctuation-free form used for searching.

    ``"Conducteur / Conductrice d’engins"`` → ``"conducteur conductrice d engins"``.
    Queries go through the same function, so a ``contains`` on the stored form is
    accent-, case- and apostrophe-insensitive.
    """
    if not value:
        return ""
    value = _COMBINING.sub("", unicodedata.normalize("NFKD", value.translate(_LIGATURES)))
    return _NON_ALNUM.sub(" ", value.lower()).strip()


def _clean_cell(value: str) -> str:
    if not value or value.isalnum():
        return value
    if _ODD_SPACES.search(value) is None:
        return value.strip()
    return normalize_text(value)


def decode_bytes(raw: bytes) -> str:
    """Decode UTF-8 (with or without BOM), falling back to cp1252."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    return max(counts, key=counts.get)


def read_csv(
    path: Path, required: tuple[str, ...], *, description: str, optional: tuple[str, ...] = ()
) -> list[dict[str, str]]:
    """Read a CSV file into dicts holding the ``required`` and ``optional`` columns.

    Column names are matched stripped and lower-cased. Raises ``ReferentialFileError``
    when the file is missing, empty or lacks one of the ``required`` columns. Values
    are canonicalised like ``normalize_text``; absent optional columns and missing
    trailing cells become ``""``; rows whose selected cells are all empty are skipped.
    """
    path = Path(path)
    if not path.is_file():
        raise ReferentialFileError(
            f"Fichier introuvable : {path} ({description}). "
            "Vérifiez le dossier indiqué ou téléchargez de nouveau l'export officiel."
        )
    try:
        text = decode_bytes(path.read_bytes())
    except OSError as exc:
        raise ReferentialFileError(f"Lecture impossible de {path} : {exc}.") from exc
    # Apostrophes and invisible characters are fixed once for the whole file (fast);
    # cells then only need their spaces tidied.
    text = _INVISIBLE.sub("", _APOSTROPHES.sub("'", text))
    first_line = text.split("\n", 1)[0]
    if not first_line.strip():
        raise ReferentialFileError(
            f"Le fichier {path.name} est vide : un en-tête avec les colonnes "
            f"{', '.join(required)} est attendu ({description})."
        )
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line))
    header = [h.strip().strip('"').lower() for h in next(reader)]
    missing = [c for c in required if c not in header]
    if missing:
        raise ReferentialFileError(
            f"Le fichier {path.name} ne contient pas la ou les colonnes attendues "
            f"{', '.join(missing)} ({description}). Colonnes trouvées : {', '.join(header)}."
        )
    present = [(name, header.index(name)) for name in (*required, *optional) if name in header]
    absent = {name: "" for name in optional if name not in header}
    rows = []
    for cells in reader:
        width = len(cells)
        row = {name: _clean_cell(cells[i]) if i < width else "" for name, i in present}
        if any(row.values()):
            row.update(absent)
            rows.append(row)
    return rows


def find_file(directory: Path, patterns: tuple[str, ...], *, description: str) -> Path:
    """First file of ``directory`` matching one of the glob ``patterns`` (in order)."""
    directory = Path(directory)
    if not directory.is_dir():
        raise ReferentialFileError(f"Dossier introuvable : {directory}.")
    for pattern in patterns:
        matches = sorted(directory.glob(pattern))
        if matches:
            return matches[-1]
    raise ReferentialFileError(
        f"Fichier manquant dans {directory} : {description} "
        f"(nom attendu : {' ou '.join(patterns)})."
    )
