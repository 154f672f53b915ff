"""Time of the skills matrix's bulk writer (``employee_skills_bulk_set``): first levels, the same again, a few changes.

Usage (from the repository root, a migrated database as for ``make run``, or ``DATABASE_URL``):

    .venv/bin/python bench/skill_levels_bulk.py [--employees 2000] [--skills 10] [--repeat 3]

In a throw-away organisation ``bench-levels-…`` (dropped afterwards): ``employees × skills`` first levels in one
call (staged through ``core.staging.stage``, then one UPDATE and one INSERT), the same rows again (nothing
changes), then 150 changed levels. Each step is timed alone; median of ``--repeat`` runs, each in a
transaction rolled back. The test suite checks the counts; it asserts no time.
"""

import argparse
import datetime
import statistics
import time
import uuid

import _setup  # noqa: F401
from django.db import connection, transaction
from django_tenants.utils import tenant_context

from skills_matrix import services
from skills_matrix.models import EmployeeSkill
from tenants.models import Organization
from tenants.services import organization_create
from workforce.models import Employee


class _Rollback(Exception):
    pass


def run(employees: int, skills: int) -> dict[str, float]:
    timings = {}
    try:
        with transaction.atomic():
            Employee.objects.bulk_create([Employee(staff_number=f"B{n:05d}", last_name=f"Nom{n}")
                                          for n in range(employees)])
            employee_ids = list(Employee.objects.order_by("pk").values_list("pk", flat=True))
            labels = [f"Compétence {n}" for n in range(skills)]
            skill_ids = [s.pk for s in services.org_skills_get_or_create_many(labels=labels).values()]
            day = datetime.date(2025, 1, 31)
            rows = [(e, s, (e + s) % 5, day) for e in employee_ids for s in skill_ids]
            for step, batch in [("first levels", rows), ("same again", rows),
                                ("150 changed", [(e, s, (level + 1) % 5, day) for e, s, level, day in rows[:150]])]:
                started = time.perf_counter()
                services.employee_skills_bulk_set(rows=batch, source=EmployeeSkill.Source.IMPORT, user=None)
                timings[step] = time.perf_counter() - started
            raise _Rollback
    except _Rollback:
        pass
    return timings


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--employees", type=int, default=2000)
    parser.add_argument("--skills", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    slug = f"bench-levels-{uuid.uuid4().hex[:6]}"
    organization = organization_create(slug=slug, name="Bench levels")
    try:
        with tenant_context(organization):
            runs = [run(args.employees, args.skills) for _ in range(args.repeat)]
    finally:
        connection.set_schema_to_public()
        Organization.objects.get(slug=slug).delete(force_drop=True)
    print(f"{args.employees * args.skills:,} levels ({args.employees:,} employees x {args.skills} skills), "
          f"median of {args.repeat}:")
    for step in runs[0]:
        print(f"  {step:<13} {statistics.median(r[step] for r in runs):.2f} s")


if __name__ == "__main__":
    main()
