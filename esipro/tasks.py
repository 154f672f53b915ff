"""Sending tenant tasks.

A task must run in the schema of the organisation that asked for it. The schema is read when the
task is *enqueued* (inside the request or command that already selected the organisation) and
sent explicitly as the ``_schema_name`` header, and publishing waits for the transaction to
commit so that the worker sees the rows the task is about.
"""

from django.db import connection, transaction


def enqueue(task, *args, schema_name: str | None = None, **kwargs) -> None:
    """Publish ``task`` with ``args`` once the current transaction commits, in the current schema."""
    schema = schema_name or connection.schema_name
    transaction.on_commit(
        lambda: task.apply_async(args=args, kwargs=kwargs, headers={"_schema_name": schema})
    )
