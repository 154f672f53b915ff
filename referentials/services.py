"""Imports of the shared referentials (ROME 4.0, ROME transition tags, ESCO).

Each import reads the files first (pure readers: a bad file fails before any
write), then writes everything in one transaction through staging tables, and
records a ``ReferentialVersion`` only when something changed.
"""

import time
from contextlib import contextmanager
from pathlib import Path

from django.db import DatabaseError, connection, transaction
from django.utils.translation import gettext as _

from core.errors import ApplicationError
from core.staging import TableCounts, stage, upsert

from .models import (
    EscoOccupation,
    EscoSkill,
    MobilityEdge,
    Occupation,
    OccupationSkill,
    OccupationTitle,
    ReferentialVersion,
    Skill,
)
from .readers import ReferentialFileError, read_esco, read_rome, read_rome_tags

OCC = Occupation._meta.db_table
TITLE = OccupationTitle._meta.db_table
SKILL = Skill._meta.db_table
LINK = OccupationSkill._meta.db_table
EDGE = MobilityEdge._meta.db_table
# Same order as the tuples of ``RomeData.occupations``.
OCC_COLUMNS = [
    "code", "label", "parent_code", "definition", "access", "ecological_tag", "digital_tag",
    "demographic_tag", "regulated_tag", "executive_tag", "code_ogr", "domain_code", "search_text",
]


def _summary(name: str, version: str, tables: dict[str, TableCounts], started: float, read: float, **extra) -> dict:
    """``seconds`` is the whole import; ``read_seconds`` its file reading and parsing part."""
    changed = any(t.changed for t in tables.values())
    return {
        "referential": name,
        "version": version,
        "changed": changed,
        "tables": {k: v.as_dict() for k, v in tables.items()},
        "seconds": round(time.perf_counter() - started, 2),
        "read_seconds": round(read - started, 2),
        **extra,
    }


def _record(summary: dict) -> None:
    if summary["changed"]:
        ReferentialVersion.objects.create(
            name=summary["referential"], version=summary["version"], summary=summary
        )


@contextmanager
def _all_or_nothing(referential: str):
    """One transaction and a cursor; a database error becomes a clear ``ApplicationError``."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            # Two imports at once would race on the same rows: the second waits for the first.
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext('esipro.referential_import'))")
            yield cursor
    except DatabaseError as exc:
        raise ApplicationError(
            _("Import %(name)s interrompu, rien n'a été écrit. Détail : %(error)s")
            % {"name": referential, "error": str(exc).strip()}
        ) from exc


def _read(reader, path):
    try:
        return reader(path)
    except ReferentialFileError as exc:
        raise ApplicationError(str(exc)) from exc


def referential_import_rome(*, directory: str | Path) -> dict:
    """Import or update ROME 4.0 from a folder of ``unix_*.csv`` tables; return the summary.

    Occupations, titles and skills are upserted on their natural keys and never
    deleted (tenant data may point at them); occupation–skill links and mobility
    edges absent from the new files are deleted.
    """
    started = time.perf_counter()
    data = _read(read_rome, directory)
    read = time.perf_counter()
    tables: dict[str, TableCounts] = {}
    with _all_or_nothing("ROME") as cursor:
        stage(cursor, "stg_occupation", [(c, "text") for c in OCC_COLUMNS], data.occupations)
        tables["occupations"] = upsert(
            cursor,
            table=OCC,
            insert_columns=OCC_COLUMNS,
            select_sql=f"SELECT {', '.join(OCC_COLUMNS)} FROM stg_occupation",
            key=["code"],
            total=len(data.occupations),
        )

        stage(
            cursor,
            "stg_title",
            [("code_ogr", "text"), ("label", "text"), ("label_short", "text"), ("occupation_code", "text"),
             ("is_main", "boolean"), ("search_text", "text")],
            data.titles,
        )
        tables["titles"] = upsert(
            cursor,
            table=TITLE,
            insert_columns=["code_ogr", "label", "label_short", "occupation_id", "is_main", "search_text"],
            select_sql=(
                f"SELECT s.code_ogr, s.label, s.label_short, o.id, s.is_main, s.search_text "
                f"FROM stg_title s JOIN {OCC} o ON o.code = s.occupation_code"
            ),
            key=["code_ogr"],
            total=len(data.titles),
        )

        skill_columns = [
            "code_ogr", "label", "kind", "group_code_ogr", "group_label", "category", "subcategory", "search_text",
        ]
        stage(cursor, "stg_skill", [(c, "text") for c in skill_columns], data.skills)
        tables["skills"] = upsert(
            cursor,
            table=SKILL,
            insert_columns=[*skill_columns, "source"],
            select_sql=f"SELECT {', '.join(skill_columns)}, 'rome' FROM stg_skill",
            key=["code_ogr"],
            total=len(data.skills),
        )

        stage(
            cursor,
            "stg_link",
            [("occupation_code", "text"), ("skill_code", "text"), ("role", "text")],
            data.occupation_skills,
        )
        link_join = (
            f"FROM stg_link s JOIN {OCC} o ON o.code = s.occupation_code "
            f"JOIN {SKILL} k ON k.code_ogr = s.skill_code"
        )
        tables["occupation_skills"] = upsert(
            cursor,
            table=LINK,
            insert_columns=["occupation_id", "skill_id", "role"],
            select_sql=f"SELECT o.id, k.id, s.role {link_join}",
            key=["occupation_id", "skill_id"],
            total=len(data.occupation_skills),
        )
        cursor.execute(
            f"DELETE FROM {LINK} t WHERE NOT EXISTS "
            f"(SELECT 1 {link_join} WHERE o.id = t.occupation_id AND k.id = t.skill_id)"
        )
        tables["occupation_skills"].deleted = cursor.rowcount

        stage(
            cursor,
            "stg_edge",
            [("source_code", "text"), ("target_code", "text"), ("ord", "integer")],
            data.mobility,
        )
        edge_join = (
            f"FROM stg_edge s JOIN {OCC} a ON a.code = s.source_code JOIN {OCC} b ON b.code = s.target_code"
        )
        tables["mobility"] = upsert(
            cursor,
            table=EDGE,
            insert_columns=["source_id", "target_id", '"order"'],
            select_sql=f"SELECT a.id, b.id, s.ord {edge_join}",
            key=["source_id", "target_id"],
            total=len(data.mobility),
        )
        cursor.execute(
            f"DELETE FROM {EDGE} t WHERE NOT EXISTS "
            f"(SELECT 1 {edge_join} WHERE a.id = t.source_id AND b.id = t.target_id)"
        )
        tables["mobility"].deleted = cursor.rowcount
        # Rows gone from the new files are kept (tenant data may point at them), and counted.
        for table, target, stg, key in (
            ("occupations", OCC, "stg_occupation", "code"),
            ("titles", TITLE, "stg_title", "code_ogr"),
            ("skills", SKILL, "stg_skill", "code_ogr"),
        ):
            cursor.execute(
                f"SELECT count(*) FROM {target} t WHERE NOT EXISTS (SELECT 1 FROM {stg} s WHERE s.{key} = t.{key})"
            )
            tables[table].extra["kept_absent"] = cursor.fetchone()[0]
        for name in ("stg_occupation", "stg_title", "stg_skill", "stg_link", "stg_edge"):
            cursor.execute(f"DROP TABLE {name}")

        summary = _summary("rome", data.version, tables, started, read, ignored=data.ignored)
        _record(summary)
    return summary


def referential_import_rome_tags(*, path: str | Path) -> dict:
    """Update the occupations' transition tags from the « Fiches ROME - Tag » workbook."""
    started = time.perf_counter()
    data = _read(read_rome_tags, path)
    read = time.perf_counter()
    if not Occupation.objects.exists():
        raise ApplicationError(
            _("Aucune fiche métier ROME en base : importez d'abord le ROME (referential_import rome DOSSIER).")
        )
    columns = ["code", "ecological_tag", "digital_tag", "demographic_tag", "executive_tag", "regulated_tag"]
    with _all_or_nothing("ROME (tags)") as cursor:
        stage(cursor, "stg_tag", [(c, "text") for c in columns], data.rows)
        cursor.execute(f"SELECT count(*) FROM stg_tag s JOIN {OCC} o ON o.code = s.code")
        matched = cursor.fetchone()[0]
        tags = columns[1:]
        cursor.execute(
            f"UPDATE {OCC} t SET {', '.join(f'{c} = s.{c}' for c in tags)} FROM stg_tag s "
            f"WHERE t.code = s.code AND ROW({', '.join(f't.{c}' for c in tags)}) "
            f"IS DISTINCT FROM ROW({', '.join(f's.{c}' for c in tags)})"
        )
        updated = cursor.rowcount
        cursor.execute("DROP TABLE stg_tag")
        counts = TableCounts(updated=updated, unchanged=matched - updated)
        counts.extra["unknown_codes"] = len(data.rows) - matched
        summary = _summary("rome-tags", data.version, {"occupations": counts}, started, read)
        _record(summary)
    return summary


def referential_import_esco(*, directory: str | Path) -> dict:
    """Import or update ESCO occupations and skills (French labels) from a folder of CSV files."""
    started = time.perf_counter()
    data = _read(read_esco, directory)
    read = time.perf_counter()
    tables: dict[str, TableCounts] = {}
    with _all_or_nothing("ESCO") as cursor:
        occ_columns = ["uri", "label", "alt_labels", "isco_code", "description", "search_text"]
        stage(cursor, "stg_esco_occ", [(c, "text") for c in occ_columns], data.occupations)
        tables["esco_occupations"] = upsert(
            cursor,
            table=EscoOccupation._meta.db_table,
            insert_columns=occ_columns,
            select_sql=f"SELECT {', '.join(occ_columns)} FROM stg_esco_occ",
            key=["uri"],
            total=len(data.occupations),
        )
        skill_columns = ["uri", "label", "alt_labels", "skill_type", "reuse_level", "description", "search_text"]
        stage(cursor, "stg_esco_skill", [(c, "text") for c in skill_columns], data.skills)
        tables["esco_skills"] = upsert(
            cursor,
            table=EscoSkill._meta.db_table,
            insert_columns=skill_columns,
            select_sql=f"SELECT {', '.join(skill_columns)} FROM stg_esco_skill",
            key=["uri"],
            total=len(data.skills),
        )
        cursor.execute("DROP TABLE stg_esco_occ")
        cursor.execute("DROP TABLE stg_esco_skill")
        summary = _summary("esco", data.version, tables, started, read)
        _record(summary)
    return summary
