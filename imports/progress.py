"""Live progress of a running import, written through a connection of its own.

The upsert runs in one long transaction; whatever it writes stays invisible until it commits. To let
the job page see the progress bar move (and to prove the worker is alive), a thread writes the job's
progress, phase and heartbeat through a second PostgreSQL connection in autocommit mode, on the same
search_path as the main connection. It never waits for a lock: a row locked by the main transaction
(the final status update) is simply skipped.
"""

from __future__ import annotations

import logging
import threading

import psycopg

from core.sideconnection import side_connection

HEARTBEAT_SECONDS = 1.0
logger = logging.getLogger(__name__)

_UPDATE = """
UPDATE imports_importjob SET progress = %s, phase = %s, heartbeat_at = now()
WHERE id = (SELECT id FROM imports_importjob WHERE id = %s FOR UPDATE SKIP LOCKED)
"""


class ProgressReporter:
    """`with ProgressReporter(job_id) as progress: progress.report(40, "…")`.

    A daemon thread writes the latest progress at once and a heartbeat every HEARTBEAT_SECONDS,
    until the block exits. Writing progress is best effort: a failure never stops the import.
    """

    def __init__(self, job_id: int, *, interval: float = HEARTBEAT_SECONDS):
        self.job_id = job_id
        self.interval = interval
        self.progress = 0
        self.phase = ""
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._side: psycopg.Connection | None = None

    def __enter__(self) -> ProgressReporter:
        self._side = side_connection()
        if self._side is not None:
            self._side.execute("SET lock_timeout = '2s'")
            self._thread = threading.Thread(target=self._run, name=f"import-{self.job_id}-progress", daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(10)
        if self._side is not None:
            self._side.close()

    def report(self, progress: int, phase: str) -> None:
        self.progress = max(0, min(100, int(progress)))
        self.phase = str(phase)
        logger.debug("import %s: %s %% %s", self.job_id, self.progress, self.phase)
        self._wake.set()

    def _run(self) -> None:
        while not self._stop.is_set():
            self._write()
            self._wake.wait(self.interval)
            self._wake.clear()

    def _write(self) -> None:
        try:
            self._side.execute(_UPDATE, (self.progress, self.phase[:200], self.job_id))
        except psycopg.Error:
            pass
