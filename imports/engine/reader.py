"""File -> RawTable (xlsx, xls, ods via python-calamine; csv via the csv module).

Everything that can make a file unreadable is checked before the content is parsed:
size, magic bytes against the extension, password (OLE2 encryption streams), zip bombs
(declared sizes in the central directory), and cells far below the table that would
make calamine allocate a dense 1,048,576-row range.
"""

from __future__ import annotations

import csv
import gc
import io
import os
import re
import zipfile
from pathlib import Path

from python_calamine import CalamineWorkbook

from imports.engine.types import ImportFileError, RawTable

DEFAULT_MAX_ROWS = 200_000
DEFAULT_MAX_BYTES = 50 * 1024 * 1024
DEFAULT_MAX_UNCOMPRESSED_BYTES = 600 * 1024 * 1024
# A zip member this large and this compressed is a bomb, whatever the total limit says.
BOMB_RATIO = 200
BOMB_MIN_MEMBER_BYTES = 20 * 1024 * 1024
# Dense cells calamine may allocate for one sheet (about 32 bytes each).
MAX_SHEET_CELLS = 12_000_000

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
OLE2_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
ENCRYPTION_MARKERS = ("EncryptionInfo".encode("utf-16-le"), "EncryptedPackage".encode("utf-16-le"))

EXTENSIONS = {
    ".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xls", ".ods": "ods",
    ".csv": "csv", ".txt": "csv", ".tsv": "csv",
}
FIX_SAVE_AS = "Ouvrez-le dans Excel (ou LibreOffice) et enregistrez-le au format .xlsx ou .csv."


def read_table(
    path,
    *,
    sheet: str | None = None,
    max_rows: int = DEFAULT_MAX_ROWS,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_uncompressed_bytes: int = DEFAULT_MAX_UNCOMPRESSED_BYTES,
) -> RawTable:
    """Read one sheet (the first, or `sheet` by name) of the file at `path`.

    The kind is taken from the extension (.xlsx/.xlsm, .xls, .ods, .csv/.txt/.tsv) and
    checked against the content's magic bytes. Blank rows are dropped (trailing ones and
    ghost formatted rows cost nothing); more than `max_rows` non-blank rows, more than
    `max_bytes` on disk or more than `max_uncompressed_bytes` once unzipped is refused.
    Raises ImportFileError with a French message saying what to do.
    """
    path = Path(path)
    name = path.name
    kind = EXTENSIONS.get(path.suffix.lower())
    if kind is None:
        raise ImportFileError(
            f"Le fichier « {name} » n'est pas d'un type accepté. "
            "Envoyez un classeur .xlsx, .xls, .ods ou un fichier .csv."
        )
    try:
        size = os.path.getsize(path)
        with open(path, "rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise ImportFileError(f"Le fichier « {name} » ne peut pas être ouvert ({exc.strerror}).") from exc
    if size == 0:
        raise ImportFileError(f"Le fichier « {name} » est vide. Vérifiez que l'export s'est bien terminé.")
    if size > max_bytes:
        raise ImportFileError(
            f"Le fichier « {name} » fait {_megabytes(size)}, au-delà de la limite de {_megabytes(max_bytes)}. "
            "Supprimez les colonnes et onglets inutiles ou découpez-le en plusieurs fichiers."
        )
    if kind == "csv":
        return _read_csv(path, head, max_rows=max_rows)
    actual = _sniff(path, head)
    if actual == "ole2" and _is_encrypted(path):
        raise ImportFileError(
            f"Le fichier « {name} » est un classeur protégé par mot de passe : "
            "enregistrez-le sans mot de passe (Fichier > Informations > Protéger le classeur) puis réessayez."
        )
    if kind in ("xlsx", "ods") and actual != "zip" or kind == "xls" and actual != "ole2":
        if kind == "xlsx" and actual == "ole2":
            kind = "xls"  # an old .xls renamed .xlsx: readable as it is
        else:
            raise ImportFileError(_mismatch_message(name, kind, actual))
    if actual == "zip":
        _check_zip(path, kind, max_uncompressed_bytes=max_uncompressed_bytes)
    # Tens of thousands of row lists would trigger useless cyclic-GC passes.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _read_workbook(path, kind, sheet=sheet, max_rows=max_rows)
    finally:
        if gc_was_enabled:
            gc.enable()


def _megabytes(size: int) -> str:
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} Ko"
    return f"{size / (1024 * 1024):.0f} Mo"


def _sniff(path: Path, head: bytes) -> str:
    if head.startswith(ZIP_MAGIC):
        return "zip"
    if head.startswith(OLE2_MAGIC):
        return "ole2"
    with open(path, "rb") as handle:
        sample = handle.read(4096)
    if b"\0" in sample and not sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "binary"
    if sample.lstrip()[:15].lower().startswith((b"<!doctype html", b"<html", b"<table")):
        return "html"
    if sample.lstrip().startswith(b"<?xml"):
        return "xml"
    return "text"


def _mismatch_message(name: str, kind: str, actual: str) -> str:
    what = {
        "zip": "une archive (peut-être un autre type de document Office)",
        "ole2": "un ancien classeur Excel 97-2003 (.xls) ou un document Office",
        "html": "une page web (HTML) renommée",
        "xml": "un fichier XML (peut-être un classeur « XML 2003 »)",
        "text": "du texte (peut-être un CSV renommé)",
        "binary": "un fichier binaire d'un autre type",
    }[actual]
    hint = " Si c'est un CSV, renommez-le en .csv." if actual == "text" else ""
    return (
        f"Le fichier « {name} » ne correspond pas à son extension .{kind} : son contenu est {what}. "
        f"{FIX_SAVE_AS}{hint}"
    )


def _is_encrypted(path: Path) -> bool:
    """An encrypted OOXML workbook is an OLE2 file with EncryptionInfo/EncryptedPackage
    streams; their names sit in the directory sectors, near the start of small files."""
    with open(path, "rb") as handle:
        data = handle.read(4 * 1024 * 1024)
    return any(marker in data for marker in ENCRYPTION_MARKERS)


def _check_zip(path: Path, kind: str, *, max_uncompressed_bytes: int) -> None:
    name = path.name
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise ImportFileError(
            f"Le fichier « {name} » est endommagé (archive illisible). "
            "Réexportez-le depuis votre logiciel RH ou enregistrez-le à nouveau depuis Excel."
        ) from exc
    total = sum(member.file_size for member in members)
    if total > max_uncompressed_bytes:
        raise ImportFileError(
            f"Le fichier « {name} » se décompresse en {_megabytes(total)}, au-delà de la limite de "
            f"{_megabytes(max_uncompressed_bytes)}. Supprimez les onglets et colonnes inutiles ou découpez-le "
            "en plusieurs fichiers."
        )
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > BOMB_MIN_MEMBER_BYTES and ratio > BOMB_RATIO:
            raise ImportFileError(
                f"Le fichier « {name} » est anormalement compressé ({_megabytes(member.file_size)} tiennent dans "
                f"{_megabytes(member.compress_size)}) : il a été refusé par sécurité. "
                "Réexportez le fichier depuis votre logiciel RH, sans contenu ajouté."
            )
    names = {member.filename for member in members}
    expected = "xl/workbook.xml" if kind == "xlsx" else "content.xml"
    if expected not in names and not (kind == "xlsx" and "xl/workbook.bin" in names):
        raise ImportFileError(
            f"Le fichier « {name} » n'est pas un classeur {kind.upper()} (c'est une archive d'un autre type, "
            f"par exemple un document Word). {FIX_SAVE_AS}"
        )
    if kind == "xlsx":
        _check_sheet_extent(path, members)


_DIMENSION = re.compile(rb'<(?:\w+:)?dimension ref="[A-Z]+\d+:([A-Z]+)(\d+)"')
_ROW = re.compile(rb'<(?:\w+:)?row r="(\d+)"')
_VALUE_MARKERS = (b"<v>", b"<is>", b":v>", b":is>")


def _check_sheet_extent(path: Path, members: list[zipfile.ZipInfo]) -> None:
    """Refuse a sheet whose far-away cells carry values (a space typed at row 1,048,576):
    calamine would build a dense range of every cell up to there. Styled cells without
    value are harmless and skipped by calamine; only a suspicious <dimension> triggers the
    streaming scan for the last row holding a value."""
    with zipfile.ZipFile(path) as archive:
        for member in members:
            if not (member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml")):
                continue
            with archive.open(member) as stream:
                head = stream.read(4096)
            match = _DIMENSION.search(head)
            if not match:
                continue
            width = _column_number(match.group(1))
            if width * int(match.group(2)) <= MAX_SHEET_CELLS:
                continue
            last_row = _last_row_with_value(archive, member)
            if width * last_row > MAX_SHEET_CELLS:
                where = f"{last_row:,}".replace(",", "\u202f")
                raise ImportFileError(
                    f"Le fichier « {path.name} » contient une valeur isolée très loin sous le tableau "
                    f"(ligne {where}) : elle obligerait à lire plus d'un million de lignes vides. "
                    "Supprimez les lignes sous le tableau (sélectionnez-les puis Supprimer) et enregistrez."
                )


def _last_row_with_value(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> int:
    """Row number of the last <row> holding a value, scanning chunk by chunk (rows are
    stored in increasing order, so the last value seen wins)."""
    last = 0
    tail = b""
    with archive.open(member) as stream:
        while chunk := stream.read(4 * 1024 * 1024):
            data = tail + chunk
            value_at = max(data.rfind(marker) for marker in _VALUE_MARKERS)
            if value_at >= 0:
                row_at = max(data.rfind(b"<row ", 0, value_at), data.rfind(b":row ", 0, value_at) - 1)
                match = _ROW.match(data, row_at) if row_at >= 0 else None
                if match:
                    last = int(match.group(1))
            tail = data[-65536:]
    return last


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


EMPTY_RUN_LIMIT = 5000


def _read_workbook(path: Path, kind: str, *, sheet: str | None, max_rows: int) -> RawTable:
    name = path.name
    try:
        if kind == "xls" and path.suffix.lower() != ".xls":
            with open(path, "rb") as handle:
                workbook = CalamineWorkbook.from_filelike(io.BytesIO(handle.read()))
        else:
            workbook = CalamineWorkbook.from_path(str(path))
        names = tuple(workbook.sheet_names)
        if not names:
            raise ImportFileError(f"Le classeur « {name} » ne contient aucune feuille.")
        if sheet is None:
            visible = [m.name for m in workbook.sheets_metadata if str(m.visible).endswith("Visible")]
            sheet_name = visible[0] if visible else names[0]
        elif sheet in names:
            sheet_name = sheet
        else:
            listed = ", ".join(f"« {n} »" for n in names)
            raise ImportFileError(
                f"La feuille « {sheet} » n'existe pas dans « {name} ». Feuilles disponibles : {listed}."
            )
        data = workbook.get_sheet_by_name(sheet_name)
        # Rows are numbered from row 1; columns start at the used area's first column.
        all_rows = data.to_python(skip_empty_area=False)
        if data.start is not None and data.start[1]:
            first_column = data.start[1]
            all_rows = [values[first_column:] for values in all_rows]
        rows: list[list] = []
        row_numbers: list[int] = []
        empty_run = 0
        for number, values in enumerate(all_rows, start=1):
            if values.count("") != len(values):
                row = [None if v == "" else v for v in values]
                if all(v is None or v.__class__ is str and v.isspace() for v in row):
                    empty_run += 1
                    continue
                empty_run = 0
                rows.append(row)
                row_numbers.append(number)
                if len(rows) > max_rows:
                    raise _too_many_rows(name, max_rows)
            else:
                empty_run += 1
                if empty_run > EMPTY_RUN_LIMIT and rows:
                    break
        del all_rows
    except ImportFileError:
        raise
    except Exception as exc:  # calamine raises its own errors (password, corrupt XML, ...)
        text = f"{type(exc).__name__}: {exc}"
        if "assword" in text or "ncrypt" in text:
            raise ImportFileError(
                f"Le fichier « {name} » est un classeur protégé par mot de passe : "
                "enregistrez-le sans mot de passe puis réessayez."
            ) from exc
        raise ImportFileError(
            f"Le fichier « {name} » est illisible ou endommagé ({type(exc).__name__}). "
            f"Réexportez-le depuis votre logiciel RH. {FIX_SAVE_AS}"
        ) from exc
    return RawTable(
        sheet_name=sheet_name, sheet_names=names, rows=rows, row_numbers=row_numbers, file_kind=kind
    )


def _too_many_rows(name: str, max_rows: int) -> ImportFileError:
    limit = f"{max_rows:,}".replace(",", "\u202f")
    return ImportFileError(
        f"Le fichier « {name} » contient plus de {limit} lignes, la limite autorisée. "
        "Découpez-le en plusieurs fichiers (par établissement ou par service)."
    )


CSV_ENCODINGS = ("utf-8", "cp1252")
DELIMITERS = (";", ",", "\t", "|")


def _read_csv(path: Path, head: bytes, *, max_rows: int) -> RawTable:
    name = path.name
    if head.startswith(ZIP_MAGIC) or head.startswith(OLE2_MAGIC):
        raise ImportFileError(
            f"Le fichier « {name} » porte l'extension .csv mais c'est un classeur Excel. "
            "Renommez-le en .xlsx (ou .xls) ou enregistrez-le au format CSV depuis Excel."
        )
    data = path.read_bytes()
    text, encoding = _decode(data, name)
    delimiter = _sniff_delimiter(text)
    rows: list[list] = []
    row_numbers: list[int] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for number, values in enumerate(reader, start=1):
            if any(v.strip() for v in values):
                rows.append([v if v.strip() else None for v in values])
                row_numbers.append(number)
                if len(rows) > max_rows:
                    raise _too_many_rows(name, max_rows)
    except csv.Error as exc:
        raise ImportFileError(
            f"Le fichier « {name} » n'est pas un CSV lisible ({exc}). "
            "Enregistrez-le à nouveau depuis Excel au format « CSV (séparateur : point-virgule) »."
        ) from exc
    return RawTable(
        sheet_name="", sheet_names=("",), rows=rows, row_numbers=row_numbers, file_kind="csv",
        encoding=encoding, delimiter=delimiter,
    )


def _decode(data: bytes, name: str) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        encodings: tuple[str, ...] = ("utf-8-sig",)
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ("utf-16",)
    else:
        if b"\0" in data[:4096]:
            raise _unreadable(name)
        encodings = CSV_ENCODINGS
    for encoding in encodings:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise _unreadable(name)


def _unreadable(name: str) -> ImportFileError:
    return ImportFileError(
        f"L'encodage du fichier « {name} » n'est pas reconnu (ni UTF-8, ni Windows-1252). "
        "Depuis Excel, choisissez Enregistrer sous > « CSV UTF-8 (délimité par des virgules) »."
    )


def _sniff_delimiter(text: str) -> str:
    """The delimiter that splits the most sample lines into the same number (>0) of parts;
    title lines above the header usually have none, so they do not vote."""
    lines = [line for line in text[:65536].splitlines() if line.strip()][:50]
    best, best_score = ";", (0, 0)
    for delimiter in DELIMITERS:
        counts: dict[int, int] = {}
        for line in lines:
            count = line.count(delimiter)
            if count:
                counts[count] = counts.get(count, 0) + 1
        if not counts:
            continue
        count, lines_with_it = max(counts.items(), key=lambda item: (item[1], item[0]))
        score = (lines_with_it, count)
        if score > best_score:
            best, best_score = delimiter, score
    return best
