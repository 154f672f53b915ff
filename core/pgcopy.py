"""PostgreSQL binary COPY data built from numpy columns, with no Python loop over rows.

A binary COPY row is a field count, then for each field its byte length (-1 for NULL) and its
big-endian value. With fixed-width types every row of the same NULL pattern has the same layout,
so each pattern is one numpy record array; rows are grouped by pattern (COPY does not care about
order). Used to write hundreds of thousands of rows in one statement (see the staff import).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

HEADER = b"PGCOPY\n\xff\r\n\x00" + bytes(8)
TRAILER = b"\xff\xff"
_EPOCH_DAYS = (datetime.date(2000, 1, 1) - datetime.date(1970, 1, 1)).days
_EPOCH = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
_WIDTH = {"int2": ">i2", "int4": ">i4", "int8": ">i8", "float8": ">f8", "date": ">i4", "timestamptz": ">i8"}


@dataclass(frozen=True)
class Column:
    """One COPY column: ``values`` (an array, or one value for every row) of a fixed-width ``kind``
    (int2, int4, int8, float8, date as days since 1970, timestamptz as a datetime) or ``text`` (one value
    for every row); ``null`` marks the NULL rows (an array), or True for a column of NULLs."""

    kind: str
    values: object
    null: np.ndarray | bool = False


def payload(columns: Sequence[Column], rows: int) -> bytes:
    """The complete binary COPY data (header, rows, trailer) for ``rows`` rows of ``columns``."""
    patterns = np.zeros(rows, dtype=np.int64)
    for position, column in enumerate(columns):
        if isinstance(column.null, np.ndarray):
            patterns |= column.null.astype(np.int64) << position
    found = np.flatnonzero(np.bincount(patterns)).tolist() if rows else []
    parts = [HEADER]
    for pattern in found:
        selected = None if len(found) == 1 else np.flatnonzero(patterns == pattern)
        count = rows if selected is None else len(selected)
        parts.append(_records(columns, pattern, selected, count).tobytes())
    parts.append(TRAILER)
    return b"".join(parts)


def _records(columns: Sequence[Column], pattern: int, selected: np.ndarray | None, count: int) -> np.ndarray:
    """``count`` rows of one NULL pattern: a template row holding every constant (field count, lengths,
    values shared by all rows) repeated in one copy, then the varying columns written over it."""
    fields: list[tuple[str, str]] = [("count", ">i2")]
    constants: dict[str, object] = {"count": len(columns)}
    varying: dict[str, np.ndarray] = {}
    for position, column in enumerate(columns):
        length = f"length{position}"
        fields.append((length, ">i4"))
        if column.null is True or pattern >> position & 1:
            constants[length] = -1
            continue
        data = f"value{position}"
        if column.kind == "text":
            encoded = str(column.values).encode()
            fields.append((data, f"S{len(encoded)}"))
            constants[length], constants[data] = len(encoded), encoded
            continue
        fields.append((data, _WIDTH[column.kind]))
        constants[length] = np.dtype(_WIDTH[column.kind]).itemsize
        value = _encode(column, selected)
        if isinstance(value, np.ndarray):
            varying[data] = value
        else:
            constants[data] = value
    layout = np.dtype(fields)
    template = np.zeros(1, dtype=layout)
    for name, value in constants.items():
        template[name] = value
    records = np.repeat(template, count)
    for name, value in varying.items():
        records[name] = value
    return records


def _encode(column: Column, selected: np.ndarray | None):
    value = column.values
    if column.kind == "timestamptz":  # one moment for every row
        return (value - _EPOCH) // datetime.timedelta(microseconds=1)
    if isinstance(value, np.ndarray) and selected is not None:
        value = value[selected]
    return value - _EPOCH_DAYS if column.kind == "date" else value
