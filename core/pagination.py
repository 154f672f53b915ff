"""The API's one page shape: ``{"items": [...], "count": N}`` from ``limit`` / ``offset``."""

from collections.abc import Callable

MAX_LIMIT = 500


def page(qs, *, limit: int, offset: int, serialize: Callable | None = None, max_limit: int = MAX_LIMIT) -> dict:
    """Items ``offset`` to ``offset + limit`` of ``qs`` (limit clamped to 1..max_limit) and the total."""
    offset, limit = max(0, offset), min(max(1, limit), max_limit)
    items = list(qs[offset:offset + limit])
    if serialize is not None:
        items = [serialize(item) for item in items]
    return {"items": items, "count": qs.count()}
