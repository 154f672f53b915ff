"""Cloning the template schema into a new organisation's schema, in one round trip.

django-tenants ships a general-purpose ``clone_schema`` PL/pgSQL function (views, functions,
triggers, ownership…) that it re-creates before every call. A Django schema only holds tables with
identity columns, indexes and constraints, so four catalog reads and one batch of statements
are enough (five with the triggers): ``CREATE TABLE … (LIKE …)`` copies columns, defaults and identities (with fresh
sequences); rows are copied (migrations, content types, default levels); identity sequences are
moved past the copied ids; then constraints and indexes are re-created under their original names
(later migrations drop them by name), foreign keys last, pointing at the new schema's tables (or at
public tables, which stay shared); triggers last (they call functions of ``public``).
"""

from django.db import connection


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def schema_clone(source: str, target: str) -> None:
    """Create schema ``target`` as a copy (structure and rows) of ``source``."""
    with connection.cursor() as cursor:
        scope = "LOCAL" if connection.in_atomic_block else "SESSION"
        cursor.execute(f"SET {scope} search_path TO public")
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s AND c.relkind IN ('r', 'p') ORDER BY c.relname",
            [source],
        )
        tables = [row[0] for row in cursor.fetchall()]
        cursor.execute(
            "SELECT c.relname, a.attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s AND a.attidentity <> '' AND NOT a.attisdropped",
            [source],
        )
        identities = cursor.fetchall()
        cursor.execute(
            "SELECT cl.relname, co.conname, pg_get_constraintdef(co.oid), co.contype = 'f' "
            "FROM pg_constraint co "
            "JOIN pg_class cl ON cl.oid = co.conrelid JOIN pg_namespace n ON n.oid = cl.relnamespace "
            "WHERE n.nspname = %s AND co.contype IN ('p', 'u', 'c', 'x', 'f') "
            "ORDER BY co.contype = 'f', co.contype <> 'p', cl.relname, co.conname",
            [source],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            "SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "JOIN pg_class cl ON cl.oid = i.indrelid JOIN pg_namespace n ON n.oid = cl.relnamespace "
            "WHERE n.nspname = %s AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint co WHERE co.conindid = i.indexrelid AND co.conrelid = i.indrelid)",
            [source],
        )
        indexes = [row[0] for row in cursor.fetchall()]
        cursor.execute(
            "SELECT pg_get_triggerdef(t.oid) FROM pg_trigger t JOIN pg_class cl ON cl.oid = t.tgrelid "
            "JOIN pg_namespace n ON n.oid = cl.relnamespace WHERE n.nspname = %s AND NOT t.tgisinternal "
            "ORDER BY cl.relname, t.tgname",
            [source],
        )
        triggers = [row[0] for row in cursor.fetchall()]

        src, dst = _quote(source), _quote(target)
        statements = [f"CREATE SCHEMA {dst}"]
        for table in tables:
            t = _quote(table)
            statements.append(
                f"CREATE TABLE {dst}.{t} (LIKE {src}.{t} INCLUDING DEFAULTS INCLUDING IDENTITY "
                f"INCLUDING GENERATED)"
            )
            statements.append(f"INSERT INTO {dst}.{t} OVERRIDING SYSTEM VALUE SELECT * FROM {src}.{t}")
        for table, column in identities:
            qualified = f"{dst}.{_quote(table)}"
            statements.append(
                f"SELECT setval(pg_get_serial_sequence('{qualified.replace(chr(39), chr(39) * 2)}', "
                f"'{column}'), COALESCE((SELECT MAX({_quote(column)}) FROM {qualified}), 0) + 1, false)"
            )

        # With public alone on the search path, names in the source schema come back qualified.
        def retarget(sql: str, keyword: str) -> str:
            return sql.replace(f"{keyword} {source}.", f"{keyword} {dst}.").replace(
                f"{keyword} {src}.", f"{keyword} {dst}.")

        foreign_keys = []
        for table, name, definition, is_fk in constraints:
            statement = (f"ALTER TABLE {dst}.{_quote(table)} ADD CONSTRAINT {_quote(name)} "
                         f"{retarget(definition, 'REFERENCES')}")
            (foreign_keys if is_fk else statements).append(statement)
        statements += [retarget(definition, "ON") for definition in indexes]
        statements += foreign_keys
        statements += [retarget(definition, "ON") for definition in triggers]
        cursor.execute(";\n".join(statements))
