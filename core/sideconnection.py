"""A second PostgreSQL connection beside Django's, in the same organisation's schema.

A staff import runs in one long transaction. Some of its work is better done beside it: writing the
progress bar where the job page can see it before the commit (imports.progress), or reading committed
rows on the other core while the transaction goes on (imports.upsert). The side connection is opened
on the current connection's database and search_path, so it sees the same organisation's tables.
"""

from __future__ import annotations

import psycopg
from django.db import connection


def side_connection(*, autocommit: bool = True) -> psycopg.Connection | None:
    """A new connection on the current database and search_path, or None if it cannot be opened."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('search_path')")
        search_path = cursor.fetchone()[0]
    settings = connection.settings_dict
    params = {
        "dbname": settings["NAME"], "user": settings.get("USER") or None,
        "password": settings.get("PASSWORD") or None, "host": settings.get("HOST") or None,
        "port": settings.get("PORT") or None,
    }
    try:
        side = psycopg.connect(**{k: v for k, v in params.items() if v is not None}, autocommit=autocommit,
                               connect_timeout=5)
    except psycopg.Error:
        return None
    side.execute("SELECT set_config('search_path', %s, false)", (search_path,))
    return side
