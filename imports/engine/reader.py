"""File -> RawTable (xlsx, xls, ods via python-calamine; csv via the csv module).

Everything that can make a file unreadable is checked before the content is parsed:
size, magic bytes against the extension, password (OLE2 encryption streams), for
zip-based workbooks the checks of archive.py (zip bombs, values far from the table)
and for .xls workbooks the same far-value check (xls.py). The read itself runs in a
forked child bounded in memory and time (core.bounded).
"""

from __future__ import annotations

import csv
import gc
import io
import os
from pathlib import Path

from python_calamine import CalamineWorkbook

from core.bounded import BoundExceeded, run_bounded
from imports.engine.archive import FIX_SAVE_AS, ROW_COUNT_MARGIN, check_zip, megabytes, too_many_rows
from imports.engine.i18n import _, gettext_noop
from imports.engine.types import ImportFileError, RawTable
from imports.engine.xls import check_xls

DEFAULT_MAX_ROWS = 200_000
DEFAULT_MAX_BYTES = 50 * 1024 * 1024
DEFAULT_MAX_UNCOMPRESSED_BYTES = 600 * 1024 * 1024
# Address space the reading child may add (a 200,000-row workbook needs well under 1 GB) and its time.
DEFAULT_MEMORY_BYTES = 2 * 1024 * 1024 * 1024
DEFAULT_TIMEOUT_SECONDS = 300
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
OLE2_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
ENCRYPTION_MARKERS = ("EncryptionInfo".encode("utf-16-le"), "EncryptedPackage".encode("utf-16-le"))

EXTENSIONS = {
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".xls": "xls",
    ".ods": "ods",
    ".csv": "csv",
    ".txt": "csv",
    ".tsv": "csv",
}


def read_table(
    path,
    *,
    sheet: str | None = None,
    max_rows: int = DEFAULT_MAX_ROWS,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_uncompressed_bytes: int = DEFAULT_MAX_UNCOMPRESSED_BYTES,
    memory_bytes: int = DEFAULT_MEMORY_BYTES,
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS,
) -> RawTable:
    """Read one sheet (the first, or `sheet` by name) of the file at `path`.

    The kind is taken from the extension (.xlsx/.xlsm, .xls, .ods, .csv/.txt/.tsv) and
    checked against the content's magic bytes. Blank rows are dropped (trailing ones and
    ghost formatted rows cost nothing); more than `max_rows` non-blank rows, more than
    `max_bytes` on disk or more than `max_uncompressed_bytes` once unzipped is refused.
    The whole read runs in a forked child allowed `memory_bytes` and `timeout_seconds`
    (core.bounded): whatever the file, the calling process (a web page, the worker) stays up.
    Raises ImportFileError with a French message saying what to do.
    """
    try:
        return run_bounded(
            _read_table, Path(path), sheet=sheet, max_rows=max_rows, max_bytes=max_bytes,
            max_uncompressed_bytes=max_uncompressed_bytes, memory_bytes=memory_bytes,
            timeout_seconds=timeout_seconds,
        )
    except BoundExceeded as exc:
        raise _bound_exceeded(Path(path).name, exc.reason, memory_bytes, timeout_seconds) from None


def _bound_exceeded(name: str, reason: str, memory_bytes: int, timeout_seconds: float) -> ImportFileError:
    if reason == "time":
        return ImportFileError(
            _("La lecture du fichier « %(name)s » a été arrêtée au bout de %(seconds)s secondes. Enregistrez-le "
              "à nouveau au format .xlsx ou .csv sans mise en forme, ou découpez-le en plusieurs fichiers.")
            % {"name": name, "seconds": round(timeout_seconds)}
        )
    return ImportFileError(
        _("Le fichier « %(name)s » demande plus de %(limit)s de mémoire pour être lu : il a été refusé. "
          "Supprimez les lignes et colonnes vides autour du tableau, ou enregistrez-le au format .csv.")
        % {"name": name, "limit": megabytes(memory_bytes)}
    )


def _read_table(path: Path, *, sheet: str | None, max_rows: int, max_bytes: int, max_uncompressed_bytes: int
                ) -> RawTable:
    name = path.name
    kind = EXTENSIONS.get(path.suffix.lower())
    if kind is None:
        raise ImportFileError(
            _("Le fichier « %(name)s » n'est pas d'un type accepté. "
              "Envoyez un classeur .xlsx, .xls, .ods ou un fichier .csv.") % {"name": name}
        )
    try:
        size = os.path.getsize(path)
        with open(path, "rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise ImportFileError(
            _("Le fichier « %(name)s » ne peut pas être ouvert (%(reason)s).") % {"name": name, "reason": exc.strerror}
        ) from exc
    if size == 0:
        raise ImportFileError(
            _("Le fichier « %(name)s » est vide. Vérifiez que l'export s'est bien terminé.") % {"name": name}
        )
    if size > max_bytes:
        raise ImportFileError(
            _("Le fichier « %(name)s » fait %(size)s, au-delà de la limite de %(limit)s. "
              "Supprimez les colonnes et onglets inutiles ou découpez-le en plusieurs fichiers.")
            % {"name": name, "size": megabytes(size), "limit": megabytes(max_bytes)}
        )
    if kind == "csv":
        return _read_csv(path, head, max_rows=max_rows)
    actual = _sniff(path, head)
    if actual == "ole2" and _is_encrypted(path):
        raise ImportFileError(
            _("Le fichier « %(name)s » est un classeur protégé par mot de passe : "
              "enregistrez-le sans mot de passe (Fichier > Informations > Protéger le classeur) puis réessayez.")
            % {"name": name}
        )
    if actual == "zip":
        # the archive's members say whether it is an xlsx or an ods, whatever its extension
        kind = check_zip(
            path, kind, max_uncompressed_bytes=max_uncompressed_bytes, max_rows=max_rows, sheet=sheet
        )
    elif actual == "ole2":
        kind = "xls"  # an old .xls, possibly renamed .xlsx: readable as it is
        check_xls(path)
    else:
        raise ImportFileError(_mismatch_message(name, kind, actual))
    # Tens of thousands of row lists would trigger useless cyclic-GC passes.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _read_workbook(path, kind, sheet=sheet, max_rows=max_rows)
    finally:
        if gc_was_enabled:
            gc.enable()


def check_row_limit(
    path,
    *,
    max_rows: int = DEFAULT_MAX_ROWS,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_uncompressed_bytes: int = DEFAULT_MAX_UNCOMPRESSED_BYTES,
    sheet: str | None = None,
) -> None:
    """Refuse a file over the limits, reading as little as its format allows: an xlsx is judged by
    its archive (sizes, sheet dimensions and row tags, nothing inflated into cells), a CSV by its
    lines; other files are read. Raises ImportFileError (read_table's messages) when the file is over
    a limit or cannot be read at all by these checks."""
    path = Path(path)
    kind = EXTENSIONS.get(path.suffix.lower())
    if kind == "csv" and 0 < os.path.getsize(path) <= max_bytes:
        with open(path, "rb") as handle:
            lines = sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))
        if lines <= max_rows:  # at most lines + 1 records: only a file near the limit is read
            return
    elif kind in ("xlsx", "ods") and 0 < os.path.getsize(path) <= max_bytes:
        with open(path, "rb") as handle:
            head = handle.read(8)
        if head.startswith(ZIP_MAGIC) and max_rows > ROW_COUNT_MARGIN:
            # check_zip allows ROW_COUNT_MARGIN rows more than asked (titles, footers): passing it with the
            # margin taken off proves the limit; a file near the limit is read to count exactly.
            try:
                check_zip(path, kind, max_uncompressed_bytes=max_uncompressed_bytes,
                          max_rows=max_rows - ROW_COUNT_MARGIN, sheet=sheet)
                return
            except ImportFileError:
                pass
    read_table(path, sheet=sheet, max_rows=max_rows, max_bytes=max_bytes,
               max_uncompressed_bytes=max_uncompressed_bytes)


# How web pages saved as ".xls" by HR software begin (after a BOM and whitespace).
_HTML_STARTS = (b"<!doctype html", b"<html", b"<table", b"<meta", b"<head", b"<body", b"<style")


def _sniff(path: Path, head: bytes) -> str:
    if head.startswith(ZIP_MAGIC):
        return "zip"
    if head.startswith(OLE2_MAGIC):
        return "ole2"
    with open(path, "rb") as handle:
        sample = handle.read(4096)
    if b"\0" in sample and not sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "binary"
    start = sample.removeprefix(b"\xef\xbb\xbf").lstrip()[:15].lower()
    if start.startswith(_HTML_STARTS):
        return "html"
    if sample.lstrip().startswith(b"<?xml"):
        return "xml"
    return "text"


def _mismatch_message(name: str, kind: str, actual: str) -> str:
    if actual == "html":
        return _(
            "Le fichier « %(name)s » n'est pas un vrai classeur : c'est une page web (HTML) enregistrée avec "
            "l'extension .%(kind)s, comme en produisent certains logiciels RH. Ouvrez-le dans Excel, puis "
            "Fichier > Enregistrer sous > « Classeur Excel (.xlsx) », et importez ce nouveau fichier."
        ) % {"name": name, "kind": kind}
    what = {
        "zip": gettext_noop("une archive (peut-être un autre type de document Office)"),
        "ole2": gettext_noop("un ancien classeur Excel 97-2003 (.xls) ou un document Office"),
        "xml": gettext_noop("un fichier XML (peut-être un classeur « XML 2003 »)"),
        "text": gettext_noop("du texte (peut-être un CSV renommé)"),
        "binary": gettext_noop("un fichier binaire d'un autre type"),
    }[actual]
    hint = " " + _("Si c'est un CSV, renommez-le en .csv.") if actual == "text" else ""
    return _(
        "Le fichier « %(name)s » ne correspond pas à son extension .%(kind)s : son contenu est %(content)s. "
        "%(fix)s"
    ) % {"name": name, "kind": kind, "content": _(what), "fix": _(FIX_SAVE_AS)} + hint


def _is_encrypted(path: Path) -> bool:
    """An encrypted OOXML workbook is an OLE2 file with EncryptionInfo/EncryptedPackage
    streams; their names sit in the directory sectors, near the start of small files."""
    with open(path, "rb") as handle:
        data = handle.read(4 * 1024 * 1024)
    return any(marker in data for marker in ENCRYPTION_MARKERS)


EMPTY_RUN_LIMIT = 5000
# calamine gives "" for an empty cell; dict.get(v, v) maps it to None at C speed.
_EMPTY_AS_NONE = {"": None}


def _read_workbook(path: Path, kind: str, *, sheet: str | None, max_rows: int) -> RawTable:
    name = path.name
    try:
        if EXTENSIONS[path.suffix.lower()] != kind:  # content and extension differ: let calamine sniff
            with open(path, "rb") as handle:
                workbook = CalamineWorkbook.from_filelike(io.BytesIO(handle.read()))
        else:
            workbook = CalamineWorkbook.from_path(str(path))
        names = tuple(workbook.sheet_names)
        if not names:
            raise ImportFileError(_("Le classeur « %(name)s » ne contient aucune feuille.") % {"name": name})
        if sheet is None:
            visible = [m.name for m in workbook.sheets_metadata if str(m.visible).endswith("Visible")]
            sheet_name = visible[0] if visible else names[0]
        elif sheet in names:
            sheet_name = sheet
        else:
            listed = ", ".join(f"« {n} »" for n in names)
            raise ImportFileError(
                _("La feuille « %(sheet)s » n'existe pas dans « %(name)s ». Feuilles disponibles : %(sheets)s.")
                % {"sheet": sheet, "name": name, "sheets": listed}
            )
        data = workbook.get_sheet_by_name(sheet_name)
        # Rows are numbered from row 1; columns start at the used area's first column.
        # The whole range is converted at once: iterating rows would keep fewer blank rows
        # alive, but leaves the cells scattered in memory and validation 12 % slower; the
        # blank rows are bounded by the far-value checks run before calamine.
        all_rows = data.to_python(skip_empty_area=False)
        if data.start is not None and data.start[1]:
            first_column = data.start[1]
            all_rows = [values[first_column:] for values in all_rows]
        rows: list[list] = []
        row_numbers: list[int] = []
        empty_run = 0
        for number, values in enumerate(all_rows, start=1):
            if values.count("") != len(values):
                row = list(map(_EMPTY_AS_NONE.get, values, values))
                if all(v is None or v.__class__ is str and v.isspace() for v in row):
                    empty_run += 1
                    continue
                empty_run = 0
                rows.append(row)
                row_numbers.append(number)
                if len(rows) > max_rows:
                    raise too_many_rows(name, max_rows)
            else:
                empty_run += 1
                if empty_run > EMPTY_RUN_LIMIT and rows:
                    break
        del all_rows
        if not rows:
            raise ImportFileError(
                _("La feuille « %(sheet)s » du fichier « %(name)s » est vide : elle ne contient aucune cellule "
                  "remplie. Vérifiez que vous envoyez le bon fichier, ou enregistrez le tableau dans la première "
                  "feuille du classeur.") % {"sheet": sheet_name, "name": name}
            )
    except ImportFileError:
        raise
    except Exception as exc:  # calamine raises its own errors (password, corrupt XML, ...)
        text = f"{type(exc).__name__}: {exc}"
        if "assword" in text or "ncrypt" in text:
            raise ImportFileError(
                _("Le fichier « %(name)s » est un classeur protégé par mot de passe : "
                  "enregistrez-le sans mot de passe puis réessayez.") % {"name": name}
            ) from exc
        raise ImportFileError(
            _("Le fichier « %(name)s » est illisible ou endommagé (%(error)s). "
              "Réexportez-le depuis votre logiciel RH. %(fix)s")
            % {"name": name, "error": type(exc).__name__, "fix": _(FIX_SAVE_AS)}
        ) from exc
    return RawTable(
        sheet_name=sheet_name, sheet_names=names, rows=rows, row_numbers=row_numbers, file_kind=kind
    )


CSV_ENCODINGS = ("utf-8", "cp1252")
DELIMITERS = (";", ",", "\t", "|")


def _read_csv(path: Path, head: bytes, *, max_rows: int) -> RawTable:
    name = path.name
    if head.startswith(ZIP_MAGIC) or head.startswith(OLE2_MAGIC):
        raise ImportFileError(
            _("Le fichier « %(name)s » porte l'extension .csv mais c'est un classeur Excel. "
              "Renommez-le en .xlsx (ou .xls) ou enregistrez-le au format CSV depuis Excel.") % {"name": name}
        )
    data = path.read_bytes()
    text, encoding = _decode(data, name)
    if text[:4].lower() == "sep=" and text[5:6] in ("\r", "\n", ""):
        # Excel's "sep=;" hint line names the delimiter; Excel hides it and numbers the
        # next line 1, so row numbers start there.
        delimiter = text[4]
        newline = text.find("\n")
        text = "" if newline < 0 else text[newline + 1 :]
    else:
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
                    raise too_many_rows(name, max_rows)
    except csv.Error as exc:
        raise ImportFileError(
            _("Le fichier « %(name)s » n'est pas un CSV lisible (%(error)s). "
              "Enregistrez-le à nouveau depuis Excel au format « CSV (séparateur : point-virgule) ».")
            % {"name": name, "error": exc}
        ) from exc
    return RawTable(
        sheet_name="",
        sheet_names=("",),
        rows=rows,
        row_numbers=row_numbers,
        file_kind="csv",
        encoding=encoding,
        delimiter=delimiter,
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
        _("L'encodage du fichier « %(name)s » n'est pas reconnu (ni UTF-8, ni Windows-1252). "
          "Depuis Excel, choisissez Enregistrer sous > « CSV UTF-8 (délimité par des virgules) ».") % {"name": name}
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
