"""Sending tenant tasks.

A task must run in the schema of the organisation that asked for it. The schema is read when the
task is *enqueued* (inside the request or command that already selected the organisation) and
sent explicitly as the ``_schema_name`` header, and publishing waits for the transaction to
commit so that the worker sees the rows the task is about. The language of the request goes along
as the ``_language`` header, so that what the task writes for people (an import's messages and error
list) is in the language of the person who launched it (see ``esipro.celery``).
"""

from django.db import connection, transaction
from django.utils import translation


def enqueue(task, *args, schema_name: str | None = None, on_error=None, **kwargs) -> None:
    """Publish ``task`` with ``args`` once the current transaction commits, in the current schema and language.

    ``on_error``: called (inside the ``except`` block, so ``logger.exception`` works) when the broker
    cannot take the message; without it the error propagates to whoever committed.
    """
    headers = {"_schema_name": schema_name or connection.schema_name, "_language": translation.get_language()}

    def publish() -> None:
        try:
            task.apply_async(args=args, kwargs=kwargs, headers=headers)
        except Exception:
            if on_error is None:
                raise
            on_error()

    transaction.on_commit(publish)


def header_of(task, name: str):
    """A header sent with ``task``'s message (some brokers merge headers into the request itself)."""
    headers = task.request.headers or {}
    return headers[name] if name in headers else task.request.get(name)
