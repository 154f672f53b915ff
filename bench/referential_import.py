"""Benchmark of the ROME import: staging COPY + upsert vs a ``bulk_create`` baseline.

Usage (from the repository root, PostgreSQL on 127.0.0.1:5432):

    .venv/bin/python bench/referential_import.py [--data ../shared/data/rome4] [--repeat 1]

It works in a database of its own (``esipro_bench_referentials``, created and migrated
if needed), empties the referential tables, then times:
1. the first full import (``referential_import_rome``, empty tables; the summary's
   ``read_seconds`` splits file reading from database work);
2. the second import of the same files (must change nothing);
3. the baseline: the same rows written with Django's ``bulk_create`` (batches of 1,000,
   ``update_conflicts=True``), into empty tables, then a second time over the same rows.
Reading and parsing the CSV files is timed separately (it is shared by both).
ESCO (first and second import) is timed last.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB_NAME = "esipro_bench_referentials"


def _prepare_database() -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DB_NAME}"')
    os.environ["DATABASE_URL"] = f"postgresql://postgres@127.0.0.1:5432/{DB_NAME}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "esipro.settings")

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate_schemas", "--shared", verbosity=0)


def _empty_tables() -> None:
    from django.db import connection

    from referentials import models

    tables = [
        m._meta.db_table
        for m in (
            models.MobilityEdge, models.OccupationSkill, models.OccupationTitle, models.Skill, models.Occupation,
            models.EscoOccupation, models.EscoSkill,
        )
    ]
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")


def _bulk_create_baseline(data) -> None:
    """What one would write first with the ORM: bulk upserts, table by table, FK ids from dicts."""
    from django.db import transaction

    from referentials.models import MobilityEdge, Occupation, OccupationSkill, OccupationTitle, Skill
    from referentials.services import OCC_COLUMNS

    batch = 1000
    with transaction.atomic():
        Occupation.objects.bulk_create(
            [Occupation(**dict(zip(OCC_COLUMNS, row, strict=True))) for row in data.occupations],
            batch_size=batch, update_conflicts=True, unique_fields=["code"], update_fields=OCC_COLUMNS[1:],
        )
        occ = dict(Occupation.objects.values_list("code", "id"))
        OccupationTitle.objects.bulk_create(
            [
                OccupationTitle(code_ogr=c, label=label, label_short=s, occupation_id=occ[o], is_main=m, search_text=t)
                for c, label, s, o, m, t in data.titles
            ],
            batch_size=batch, update_conflicts=True, unique_fields=["code_ogr"],
            update_fields=["label", "label_short", "occupation", "is_main", "search_text"],
        )
        skill_fields = ["code_ogr", "label", "kind", "group_code_ogr", "group_label", "category", "subcategory", "search_text"]
        Skill.objects.bulk_create(
            [Skill(**dict(zip(skill_fields, row, strict=True))) for row in data.skills],
            batch_size=batch, update_conflicts=True, unique_fields=["code_ogr"], update_fields=skill_fields[1:],
        )
        skill = dict(Skill.objects.values_list("code_ogr", "id"))
        OccupationSkill.objects.bulk_create(
            [OccupationSkill(occupation_id=occ[o], skill_id=skill[k], role=r) for o, k, r in data.occupation_skills],
            batch_size=batch, update_conflicts=True, unique_fields=["occupation", "skill"], update_fields=["role"],
        )
        MobilityEdge.objects.bulk_create(
            [MobilityEdge(source_id=occ[a], target_id=occ[b], order=n) for a, b, n in data.mobility],
            batch_size=batch, update_conflicts=True, unique_fields=["source", "target"], update_fields=["order"],
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data" / "rome4"))
    parser.add_argument("--esco", default=str(ROOT.parent / "shared" / "data" / "esco"))
    parser.add_argument("--repeat", type=int, default=1, help="Runs of each measure (the best is kept).")
    args = parser.parse_args()
    _prepare_database()

    from referentials.readers import read_rome
    from referentials.services import referential_import_esco, referential_import_rome

    def best(fn, before=None):
        times, result = [], None
        for _ in range(args.repeat):
            if before:
                before()
            started = time.perf_counter()
            result = fn()
            times.append(time.perf_counter() - started)
        return min(times), result

    read_s, data = best(lambda: read_rome(args.data))
    first_s, first = best(lambda: referential_import_rome(directory=args.data), before=_empty_tables)
    second_s, second = best(lambda: referential_import_rome(directory=args.data))
    baseline_s, _ = best(lambda: _bulk_create_baseline(data), before=_empty_tables)
    baseline_again_s, _ = best(lambda: _bulk_create_baseline(data))
    esco_first_s, esco = best(lambda: referential_import_esco(directory=args.esco), before=_empty_tables)
    esco_second_s, esco_again = best(lambda: referential_import_esco(directory=args.esco))
    _empty_tables()

    rows = sum(len(x) for x in (data.occupations, data.titles, data.skills, data.occupation_skills, data.mobility))
    write_first = first["seconds"] - first["read_seconds"]
    write_second = second["seconds"] - second["read_seconds"]
    print(f"ROME {data.version}: {rows:,} rows ({len(data.occupations)} occupations, {len(data.titles)} titles, "
          f"{len(data.skills)} skills, {len(data.occupation_skills)} links, {len(data.mobility)} mobility edges)")
    print(f"read + parse CSV files            : {read_s:6.2f} s")
    print(f"first import (empty tables)       : {first_s:6.2f} s  (database part {write_first:5.2f} s)")
    print(f"second import (no change)         : {second_s:6.2f} s  (database part {write_second:5.2f} s)"
          f"  changed={second['changed']}")
    print(f"baseline bulk_create, 1st (DB)    : {baseline_s:6.2f} s")
    print(f"baseline bulk_create, 2nd (DB)    : {baseline_again_s:6.2f} s  (rewrites every row)")
    print(f"speed-up on the database part     : {baseline_s / max(write_first, 1e-9):5.1f}x first run, "
          f"{baseline_again_s / max(write_second, 1e-9):5.1f}x second run")
    print(f"ESCO {esco['version']} first / second import : {esco_first_s:5.2f} s / {esco_second_s:5.2f} s"
          f"  (second changed={esco_again['changed']})")
    assert first["tables"]["occupations"]["created"] == len(data.occupations)
    assert not second["changed"]


if __name__ == "__main__":
    main()
