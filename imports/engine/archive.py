"""Safety checks on workbook archives, before python-calamine opens them.

xlsx and ods files are zip archives: their central directory is checked for zip bombs,
and their sheets for a value typed far from the table (below or to the right), which
would make calamine allocate a dense range of every cell up to it (styled empty cells
cost nothing). The cell references are streamed: <dimension> and repeat counts are
never trusted. The same check on .xls workbooks is in xls.py. The xlsx sheet to be
read is also refused when it holds more rows than allowed, counted by streaming its XML
(calamine would load the whole sheet before the reader could count).
"""

from __future__ import annotations

import html
import math
import re
import zipfile
from pathlib import Path

from imports.engine.i18n import _, gettext_noop
from imports.engine.types import ImportFileError

# A zip member this large and this compressed is a bomb, whatever the total limit says.
BOMB_RATIO = 200
BOMB_MIN_MEMBER_BYTES = 20 * 1024 * 1024
# Dense cells calamine may allocate for one sheet (about 32 bytes each).
MAX_SHEET_CELLS = 12_000_000
# Below this the dense range is cheap (about 30 MB) whatever the sheet holds; above it, a
# range needing more than SPARSE_CELLS_PER_BYTE cells per byte of sheet data is mostly
# blank rows down to a stray value (a real table stores several bytes per filled cell).
SPARSE_MIN_CELLS = 1_000_000
SPARSE_CELLS_PER_BYTE = 4
# Up to this column (IV, the last of a legacy .xls), a far value is reported by its row.
MAX_PLAIN_COLUMNS = 256
FIX_SAVE_AS = gettext_noop("Ouvrez-le dans Excel (ou LibreOffice) et enregistrez-le au format .xlsx ou .csv.")


def megabytes(size: int) -> str:
    """A size in whole Ko or Mo, rounded up: a file just over a 1 Mo limit reads "2 Mo", not "1 Mo"."""
    if size < 1024 * 1024:
        return _("%(size).0f Ko") % {"size": math.ceil(size / 1024)}
    return _("%(size).0f Mo") % {"size": math.ceil(size / (1024 * 1024))}


def range_too_large(cells: int, data_bytes: int) -> bool:
    """Whether calamine's dense range of `cells` cells is out of proportion with the
    `data_bytes` bytes of sheet data it comes from (or too large in any case)."""
    return cells > MAX_SHEET_CELLS or (cells > SPARSE_MIN_CELLS and cells > SPARSE_CELLS_PER_BYTE * data_bytes)


def check_zip(
    path: Path, kind: str, *, max_uncompressed_bytes: int,
    max_rows: int | None = None, sheet: str | None = None
) -> str:
    """Refuse zip bombs and archives that are not workbooks; return "xlsx" or "ods".

    With `max_rows`, an xlsx whose sheet to be read (`sheet`, or the first visible one)
    holds more than max_rows rows with a value is refused too (too_many_rows)."""
    name = path.name
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise ImportFileError(
            _("Le fichier « %(name)s » est endommagé (archive illisible). "
              "Réexportez-le depuis votre logiciel RH ou enregistrez-le à nouveau depuis Excel.") % {"name": name}
        ) from exc
    total = sum(member.file_size for member in members)
    if total > max_uncompressed_bytes:
        raise ImportFileError(
            _("Le fichier « %(name)s » se décompresse en %(size)s, au-delà de la limite de "
              "%(limit)s. Supprimez les onglets et colonnes inutiles ou découpez-le "
              "en plusieurs fichiers.")
            % {"name": name, "size": megabytes(total), "limit": megabytes(max_uncompressed_bytes)}
        )
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > BOMB_MIN_MEMBER_BYTES and ratio > BOMB_RATIO:
            raise ImportFileError(
                _("Le fichier « %(name)s » est anormalement compressé (%(size)s tiennent dans "
                  "%(compressed)s) : il a été refusé par sécurité. "
                  "Réexportez le fichier depuis votre logiciel RH, sans contenu ajouté.")
                % {"name": name, "size": megabytes(member.file_size), "compressed": megabytes(member.compress_size)}
            )
    names = {member.filename for member in members}
    if "xl/workbook.xml" in names:
        row_tags = _check_sheet_extent(path, members)
        if max_rows is not None:
            _check_row_count(path, members, sheet, max_rows, row_tags)
        return "xlsx"
    if "content.xml" in names and "mimetype" in names:
        _check_ods_extent(path)
        return "ods"
    raise ImportFileError(
        _("Le fichier « %(name)s » n'est pas un classeur %(kind)s (c'est une archive d'un autre type, "
          "par exemple un document Word). %(fix)s") % {"name": name, "kind": kind.upper(), "fix": _(FIX_SAVE_AS)}
    )


_ROW = re.compile(rb'<(?:\w+:)?row\b[^>]*?\sr="(\d+)"')
_VALUE_MARKERS = (b"<v>", b"<is>", b":v>", b":is>")
# A cell holding a value, by its reference: <c r="XFD1048576" t="s"><v>0</v></c>, with an
# optional formula before the value. Attributes may come in any order.
_VALUED_CELL = re.compile(
    rb'<(?:\w+:)?c\s[^>]*?\br="([A-Z]{1,4})(\d{1,9})"[^>]*(?<!/)>\s*'
    rb"(?:<(?:\w+:)?f\b[^>]*?(?:/>|>[^<]*</(?:\w+:)?f>)\s*)?<(?:\w+:)?(?:v|is)\b"
)
_CHUNK = 4 * 1024 * 1024
_OVERLAP = 65536


def _check_sheet_extent(path: Path, members: list[zipfile.ZipInfo]) -> dict[str, int]:
    """Refuse a sheet whose far-away cells carry values (a space typed at row 1,048,576, or
    at column XFD): calamine would build a dense range of every cell up to there. Neither
    <dimension> (absent, or a false A1:B2) nor the row numbers can be trusted, so every
    worksheet's XML is streamed and the references of the cells holding a value are read.
    Styled cells without value are harmless and skipped, as calamine skips them. Returns
    the <row tags counted by that scan, by member name (the row count check need not
    stream those again)."""
    row_tags: dict[str, int] = {}
    with zipfile.ZipFile(path) as archive:
        for member in members:
            if not (member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml")):
                continue
            last_row, last_column, row_tags[member.filename] = _value_extent(archive, member)
            if range_too_large(last_row * last_column, member.file_size):
                raise far_cell(path.name, last_row, last_column)
    return row_tags


def _value_extent(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> tuple[int, int, int]:
    """(last row holding a value, last column holding a value (1 = A), count of <row tags),
    streaming the member chunk by chunk. A value in a cell without reference counts at
    its row's number and column A (calamine places it after the previous cell)."""
    last_row = tags = 0
    last_column = 1
    tail = b""
    with archive.open(member) as stream:
        while chunk := stream.read(_CHUNK):
            tags += _row_tags(tail[-3:], chunk)
            data = tail + chunk
            references = _VALUED_CELL.findall(data)
            if references:
                columns, rows = zip(*references, strict=True)
                last_row = max(last_row, max(map(int, rows)))
                last_column = max(last_column, max(_column_number(letters) for letters in set(columns)))
            value_at = max(data.rfind(marker) for marker in _VALUE_MARKERS)
            if value_at >= 0:
                row_at = max(data.rfind(b"<row ", 0, value_at), data.rfind(b":row ", 0, value_at) - 1)
                match = _ROW.match(data, row_at) if row_at >= 0 else None
                if match:
                    last_row = max(last_row, int(match.group(1)))
            tail = data[-_OVERLAP:]
    return last_row, last_column, tags


_ODS_SPLIT = re.compile(rb"(<table:table-row\b|<table:table[\s>])")
_ODS_ROWS_REPEAT = re.compile(rb'table:number-rows-repeated="(\d+)"')
_ODS_COLUMNS_REPEAT = re.compile(rb'table:number-columns-repeated="(\d+)"')
_ODS_CELL = re.compile(
    rb"<table:(?:covered-)?table-cell\b([^>]*?)(?:/>|>(.*?)</table:(?:covered-)?table-cell>)", re.DOTALL
)
MAX_BLANK_GAP = 100_000


def _check_ods_extent(path: Path) -> None:
    """LibreOffice stores blank rows as one <table:table-row number-rows-repeated="1048000">,
    which costs nothing; but calamine expands every repeated row and cell up to the last
    value. content.xml is streamed and, table by table, the extent of the values is
    computed with the repeats (number-rows-repeated, number-columns-repeated): refused
    when that dense range is out of proportion with the data, or when a value sits more
    than MAX_BLANK_GAP blank rows below the table."""
    with zipfile.ZipFile(path) as archive:
        size = archive.getinfo("content.xml").file_size
        extent = _OdsExtent()
        rest, pieces = b"", [b""]
        with archive.open("content.xml") as stream:
            while chunk := stream.read(_CHUNK):
                pieces = _ODS_SPLIT.split(rest + chunk)
                rest = b"".join(pieces[-2:]) if len(pieces) > 1 else pieces[0]
                for at in range(1, len(pieces) - 2, 2):
                    extent.add(pieces[at], pieces[at + 1], path.name, size)
        if len(pieces) > 1:
            extent.add(pieces[-2], pieces[-1], path.name, size)
        extent.close(path.name, size)


class _OdsExtent:
    """Running extent of the values of the current table of an ods content.xml."""

    def __init__(self):
        self.row = self.filled = self.last_row = self.width = 0

    def add(self, tag: bytes, piece: bytes, name: str, size: int) -> None:
        if not tag.startswith(b"<table:table-row"):
            self.close(name, size)
            self.__init__()
            return
        attributes = piece[: piece.find(b">") + 1]
        repeat = _ODS_ROWS_REPEAT.search(attributes)
        count = int(repeat.group(1)) if repeat else 1
        self.row += count
        column = last_column = 0
        for cell in _ODS_CELL.finditer(piece):
            columns = _ODS_COLUMNS_REPEAT.search(cell.group(1))
            column += int(columns.group(1)) if columns else 1
            if b"office:value-type" in cell.group(1) or b"<text:" in (cell.group(2) or b""):
                last_column = column
        if last_column:
            self.filled += count
            self.last_row = self.row
            self.width = max(self.width, last_column)

    def close(self, name: str, size: int) -> None:
        if range_too_large(self.last_row * self.width, size) or self.last_row - self.filled > MAX_BLANK_GAP:
            raise far_cell(name, self.last_row, self.width)


# A row with a value takes at least this many bytes of XML: <row><c><v>1</v></c></row>.
MIN_ROW_BYTES = 25
# Rows allowed beyond max_rows before refusing: titles above the header, footers.
ROW_COUNT_MARGIN = 40
_ROW_START = re.compile(rb"<(?:\w+:)?row\b")
_SHEET = re.compile(rb"<(?:\w+:)?sheet\b[^>]*>")
_RELATIONSHIP = re.compile(rb"<(?:\w+:)?Relationship\b[^>]*>")


def _check_row_count(
    path: Path, members: list[zipfile.ZipInfo], sheet: str | None, max_rows: int, row_tags: dict[str, int]
) -> None:
    """Refuse the sheet to be read when it has more than max_rows (+ margin) rows holding a
    value. Neither <dimension> nor r= attributes can be trusted, so the rows are counted in
    the sheet's XML, streamed: a fast count of <row tags first, then, only when that count
    is over the limit, a count of the rows holding a value (styled blank rows cost nothing
    to the reader and must not be counted)."""
    limit = max_rows + ROW_COUNT_MARGIN
    with zipfile.ZipFile(path) as archive:
        member = _sheet_member(archive, members, sheet)
        if member is None or member.file_size <= limit * MIN_ROW_BYTES:
            return
        tags = row_tags.get(member.filename)
        if tags is None:
            tags = _count_row_tags(archive, member, limit)
        if tags > limit and _count_rows_with_values(archive, member, limit) > limit:
            raise too_many_rows(path.name, max_rows)


def _sheet_member(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], sheet: str | None):
    """The worksheet member of `sheet` (by name), or of the first visible sheet as the
    reader picks it; None when the workbook does not name it."""
    try:
        workbook = archive.read("xl/workbook.xml")
        rels = archive.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return None
    targets = {}
    for tag in _RELATIONSHIP.findall(rels):
        attributes = _attributes(tag)
        target = attributes.get("Target", "")
        targets[attributes.get("Id")] = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    chosen = None
    for tag in _SHEET.findall(workbook):
        attributes = _attributes(tag)
        visible = attributes.get("state", "visible") == "visible"
        if (sheet is None and visible) or attributes.get("name") == sheet:
            chosen = attributes
            break
    if chosen is None and sheet is None:
        first = _SHEET.search(workbook)
        chosen = _attributes(first.group(0)) if first else None
    if chosen is None:
        return None
    target = targets.get(chosen.get("id"))
    return next((m for m in members if m.filename == target), None)


def _attributes(tag: bytes) -> dict[str, str]:
    """Attributes of one XML tag, namespace prefixes dropped (r:id -> id), values unescaped."""
    pairs = re.findall(rb'(?:\w+:)?(\w+)="([^"]*)"', tag)
    return {k.decode(): html.unescape(v.decode("utf-8", "replace")) for k, v in pairs}


def _count_row_tags(archive: zipfile.ZipFile, member: zipfile.ZipInfo, limit: int) -> int:
    """<row tags in the member (a few other tags may count too), stopping past `limit`."""
    count = 0
    tail = b""
    with archive.open(member) as stream:
        while chunk := stream.read(4 * 1024 * 1024):
            count += _row_tags(tail, chunk)
            if count > limit:
                break
            tail = chunk[-3:]
    return count


def _row_tags(tail: bytes, chunk: bytes) -> int:
    """<row (or prefixed :row) tags in `chunk`, plus one split between the previous
    chunk's last 3 bytes `tail` and this one (3 bytes cannot hold a whole tag)."""
    around = tail + chunk[:3]
    return chunk.count(b"<row") + chunk.count(b":row") + around.count(b"<row") + around.count(b":row")


def _count_rows_with_values(archive: zipfile.ZipFile, member: zipfile.ZipInfo, limit: int) -> int:
    """Rows holding at least one value, stopping past `limit`."""
    count = 0
    rest = b""
    with archive.open(member) as stream:
        while chunk := stream.read(4 * 1024 * 1024):
            pieces = _ROW_START.split(rest + chunk)
            rest = pieces.pop()  # the last row may go on in the next chunk
            count += sum(1 for piece in pieces if any(marker in piece for marker in _VALUE_MARKERS))
            if count > limit:
                return count
    return count + any(marker in rest for marker in _VALUE_MARKERS)


def too_many_rows(name: str, max_rows: int) -> ImportFileError:
    limit = f"{max_rows:,}".replace(",", "\u202f")
    return ImportFileError(
        _("Le fichier « %(name)s » contient plus de %(limit)s lignes, la limite autorisée. "
          "Découpez-le en plusieurs fichiers (par établissement ou par service).") % {"name": name, "limit": limit}
    )


def far_value(name: str, row: int) -> ImportFileError:
    where = f"{row:,}".replace(",", "\u202f")
    return ImportFileError(
        _("Le fichier « %(name)s » contient une valeur isolée très loin sous le tableau (ligne %(row)s) : "
          "elle obligerait à lire toutes les lignes vides jusque-là. Supprimez les lignes sous le tableau "
          "(sélectionnez-les puis Supprimer) et enregistrez.") % {"name": name, "row": where}
    )


def far_cell(name: str, row: int, column: int) -> ImportFileError:
    """far_value for a far row; for a value far to the right, the message names the cell."""
    if column <= MAX_PLAIN_COLUMNS:
        return far_value(name, row)
    cell = f"{_column_letters(column)}{row}"
    return ImportFileError(
        _("Le fichier « %(name)s » contient une valeur isolée très loin du tableau (cellule %(cell)s) : "
          "elle obligerait à lire toutes les cellules vides jusque-là. Supprimez les lignes et colonnes "
          "autour du tableau (sélectionnez-les puis Supprimer) et enregistrez.") % {"name": name, "cell": cell}
    )


def _column_letters(number: int) -> str:
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number
