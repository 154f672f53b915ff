"""Safety check on legacy .xls workbooks, before python-calamine opens them.

calamine builds a dense range from the first to the last cell holding a value of every
sheet: one value typed at IV65536 costs 16.7 million cells (over 1 GB). The sheet's
DIMENSIONS record cannot be trusted (a crafted file leaves it out or says A1:B2), so the
cell records themselves are scanned for the extent of the values (formatted blank cells
cost nothing). The file is an OLE2 compound file whose "Workbook" stream holds BIFF8 records.
"""

from __future__ import annotations

import struct
from pathlib import Path

from imports.engine.archive import far_value, range_too_large

_END_OF_CHAIN = 0xFFFFFFFE
_BOF, _EOF, _BOUNDSHEET = 0x0809, 0x000A, 0x0085
# Records holding a cell value (row at offset 0, column at offset 2); MULRK ends with its last column.
_VALUE_RECORDS = frozenset({0x0006, 0x00BD, 0x00D6, 0x00FD, 0x0203, 0x0204, 0x0205, 0x027E})
_MULRK = 0x00BD


def check_xls(path: Path) -> None:
    """Raise ImportFileError when a sheet of the .xls at `path` has a value so far from its
    table that calamine would allocate a huge dense range. A file whose structure cannot
    be followed is left to calamine, which reports it as damaged."""
    data = path.read_bytes()
    try:
        stream = _workbook_stream(data)
        if stream is None:
            return
        del data
        starts = _sheet_offsets(stream)
        ends = sorted(starts)[1:] + [len(stream)]
        for start, end in zip(sorted(starts), ends, strict=True):
            last_row = _far_row(stream, start, end)
            if last_row:
                raise far_value(path.name, last_row)
    except (struct.error, IndexError, ValueError):
        return


def _far_row(stream: bytes, start: int, end: int) -> int:
    """The last row (1-based) holding a value in the sheet at stream[start:end] when its
    dense range is too large for the data, else 0. The cell records themselves are
    scanned: a crafted DIMENSIONS record (absent, or a false A1:B2) cannot hide a value."""
    low_row = low_column = 1 << 32
    high_row = high_column = -1
    for kind, at, length in _records(stream, start, end):
        if kind in _VALUE_RECORDS and length >= 4:
            row, column = struct.unpack_from("<HH", stream, at)
            last_column = struct.unpack_from("<H", stream, at + length - 2)[0] if kind == _MULRK else column
            low_row, high_row = min(low_row, row), max(high_row, row)
            low_column, high_column = min(low_column, column), max(high_column, last_column)
    if high_row < 0:
        return 0
    cells = (high_row - low_row + 1) * (high_column - low_column + 1)
    return high_row + 1 if range_too_large(cells, end - start) else 0


def _records(stream: bytes, start: int, end: int):
    """(type, data offset, data length) of the BIFF records of one substream, up to EOF."""
    offset = start
    while offset + 4 <= end:
        kind, length = struct.unpack_from("<HH", stream, offset)
        yield kind, offset + 4, length
        if kind == _EOF:
            return
        offset += 4 + length


def _sheet_offsets(stream: bytes) -> list[int]:
    """Stream offsets of the worksheets' BOF records, from the globals' BOUNDSHEET records."""
    offsets = []
    for kind, at, length in _records(stream, 0, len(stream)):
        if kind == _BOUNDSHEET and length >= 6 and stream[at + 5] == 0:  # 0: worksheet
            offset = struct.unpack_from("<I", stream, at)[0]
            if offset + 4 <= len(stream) and struct.unpack_from("<H", stream, offset)[0] == _BOF:
                offsets.append(offset)
    return offsets


def _workbook_stream(data: bytes) -> bytes | None:
    """The "Workbook" (or BIFF5 "Book") stream of an OLE2 compound file, or None."""
    sector_size = 1 << struct.unpack_from("<H", data, 0x1E)[0]
    mini_size = 1 << struct.unpack_from("<H", data, 0x20)[0]
    fat_count, first_directory = struct.unpack_from("<II", data, 0x2C)
    cutoff, first_mini_fat, _mini_fat_count, first_difat, _difat_count = struct.unpack_from("<IIIII", data, 0x38)

    def sector(number: int) -> bytes:
        offset = (number + 1) * sector_size
        return data[offset : offset + sector_size]

    fat_sectors = list(struct.unpack_from("<109I", data, 0x4C))
    per_sector = sector_size // 4
    difat, seen = first_difat, 0
    while difat < _END_OF_CHAIN and seen < len(data) // sector_size:
        entries = struct.unpack(f"<{per_sector}I", sector(difat))
        fat_sectors += entries[:-1]
        difat, seen = entries[-1], seen + 1
    fat_bytes = b"".join(sector(n) for n in fat_sectors[:fat_count])
    fat = struct.unpack(f"<{len(fat_bytes) // 4}I", fat_bytes)

    def chain(first: int, table, read) -> bytes:
        parts, number = [], first
        while number < len(table) and len(parts) <= len(table):
            parts.append(read(number))
            number = table[number]
        return b"".join(parts)

    directory = chain(first_directory, fat, sector)
    for offset in range(0, len(directory) - 127, 128):
        name_length = struct.unpack_from("<H", directory, offset + 64)[0]
        name = directory[offset : offset + max(name_length - 2, 0)].decode("utf-16-le", "replace")
        if directory[offset + 66] == 2 and name.casefold() in ("workbook", "book"):
            start, size = struct.unpack_from("<II", directory, offset + 116)
            break
    else:
        return None
    if size >= cutoff:
        return chain(start, fat, sector)[:size]
    # a small stream lives in the mini stream, itself the root entry's stream
    mini_stream = chain(struct.unpack_from("<I", directory, 116)[0], fat, sector)
    mini_fat_bytes = chain(first_mini_fat, fat, sector)
    mini_fat = struct.unpack(f"<{len(mini_fat_bytes) // 4}I", mini_fat_bytes)
    return chain(start, mini_fat, lambda n: mini_stream[n * mini_size : (n + 1) * mini_size])[:size]
