"""Where the database is: ``DATABASE_URL``, else a local PostgreSQL, else the embedded one.

The embedded server comes from the ``pgserver`` wheel (PostgreSQL binaries, Unix socket only).
``pgserver.get_server`` reuses a server left running in the same data directory, which covers a
previous run killed with SIGKILL: its ``postmaster.pid`` still names a live process.
"""

import os
import socket
from pathlib import Path
from urllib.parse import parse_qs, quote, urlparse

LOCAL_HOST, LOCAL_PORT = "127.0.0.1", 5432


def local_postgres_answers(host: str = LOCAL_HOST, port: int = LOCAL_PORT) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def data_dir(base_dir: Path) -> Path:
    """Where Esi Pro keeps its local state (embedded database, broker folders, static, media)."""
    return Path(os.environ.get("ESIPRO_DATA_DIR", base_dir / ".data"))


def embedded_server(data_dir: Path):
    """Start the embedded PostgreSQL in ``data_dir``, or attach to the one already running there."""
    import pgserver

    data_dir.mkdir(parents=True, exist_ok=True)
    return pgserver.get_server(str(data_dir.resolve()), cleanup_mode=None)


def embedded_url(data_dir: Path, dbname: str = "esipro") -> str:
    server = embedded_server(data_dir)
    if "(1 row)" not in server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{dbname}';"):
        server.psql(f'CREATE DATABASE "{dbname}";')
    socket_dir = parse_qs(urlparse(server.get_uri()).query)["host"][0]
    return f"postgresql://postgres@{quote(socket_dir, safe='')}/{dbname}"


def resolve_database_url(base_dir: Path) -> str:
    """``DATABASE_URL``; else PostgreSQL on 127.0.0.1:5432 if it answers; else the embedded server.

    ``ESIPRO_EMBEDDED_DB=1`` skips the local server (``make run`` sets it).
    """
    if url := os.environ.get("DATABASE_URL"):
        return url
    if os.environ.get("ESIPRO_EMBEDDED_DB") != "1" and local_postgres_answers():
        return f"postgresql://postgres@{LOCAL_HOST}:{LOCAL_PORT}/esipro"
    return embedded_url(data_dir(base_dir) / "pg")
