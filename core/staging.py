"""Bulk upsert through a temporary staging table (COPY, then one INSERT … ON CONFLICT).

About 15 times faster than ``bulk_create`` + per-row comparisons on the full ROME,
and it keeps primary keys stable: existing rows are updated in place, only when
one of their columns really changed (``IS DISTINCT FROM``), so a re-import is a
no-op and foreign keys from tenant tables keep pointing at the same rows.
"""

from dataclasses import dataclass, field


@dataclass
class TableCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    extra: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "deleted": self.deleted,
            **self.extra,
        }

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted)


def stage(cursor, name: str, columns: list[tuple[str, str]], rows: list[tuple]) -> None:
    """(Re)create the temporary table ``name`` with ``columns`` [(name, sql type)] and COPY ``rows`` in."""
    cursor.execute(f"DROP TABLE IF EXISTS {name}")
    cols_sql = ", ".join(f"{col} {sql_type}" for col, sql_type in columns)
    cursor.execute(f"CREATE TEMPORARY TABLE {name} ({cols_sql})")
    col_names = ", ".join(col for col, _ in columns)
    with cursor.cursor.copy(f"COPY {name} ({col_names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
    cursor.execute(f"ANALYZE {name}")


def upsert(
    cursor,
    *,
    table: str,
    insert_columns: list[str],
    select_sql: str,
    key: list[str],
    total: int,
) -> TableCounts:
    """Insert ``select_sql`` rows into ``table``; on a ``key`` conflict update the other columns if they differ.

    ``select_sql`` must yield the ``insert_columns`` in order, once per key.
    ``total`` is the number of source rows, so that unchanged = total - created - updated.
    """
    updates = [c for c in insert_columns if c not in key]
    set_sql = ", ".join(f"{c} = EXCLUDED.{c}" for c in updates)
    current = ", ".join(f"t.{c}" for c in updates)
    incoming = ", ".join(f"EXCLUDED.{c}" for c in updates)
    cursor.execute(
        f"""
        WITH written AS (
            INSERT INTO {table} AS t ({", ".join(insert_columns)})
            {select_sql}
            ON CONFLICT ({", ".join(key)}) DO UPDATE SET {set_sql}
            WHERE ROW({current}) IS DISTINCT FROM ROW({incoming})
            RETURNING (t.xmax = 0) AS created
        )
        SELECT count(*) FILTER (WHERE created), count(*) FILTER (WHERE NOT created) FROM written
        """
    )
    created, updated = cursor.fetchone()
    return TableCounts(created=created, updated=updated, unchanged=max(total - created - updated, 0))
