"""Time to create organisations: cloning the template schema vs replaying every migration.

    .venv/bin/python bench/tenant_creation.py [--count 50]

Creates throw-away organisations ``bench-…`` in the development database and drops them afterwards.
"""

import argparse
import statistics
import time
import uuid

import _setup  # noqa: F401
from django.db import connection
from django.test import override_settings

from tenants.models import Organization
from tenants.services import organization_create, template_schema_sync


def create_many(count: int, prefix: str) -> list[float]:
    timings = []
    for i in range(count):
        started = time.perf_counter()
        organization_create(slug=f"{prefix}-{i}", name=f"Bench {i}")
        timings.append(time.perf_counter() - started)
    return timings


def drop(prefix: str) -> None:
    connection.set_schema_to_public()
    for organization in Organization.objects.filter(slug__startswith=prefix):
        organization.delete(force_drop=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=50)
    args = parser.parse_args()
    template_schema_sync()
    run = uuid.uuid4().hex[:4]

    prefix = f"bench-clone-{run}"
    try:
        cloned = create_many(args.count, prefix)
    finally:
        drop(prefix)

    prefix = f"bench-migrate-{run}"
    try:
        with override_settings(TENANT_CREATION_FAKES_MIGRATIONS=False, TENANT_BASE_SCHEMA=None):
            migrated = create_many(3, prefix)
    finally:
        drop(prefix)

    print(f"cloned template : 1st {cloned[0]:.2f} s, median {statistics.median(cloned):.2f} s, "
          f"p95 {sorted(cloned)[int(len(cloned) * 0.95) - 1]:.2f} s, {len(cloned)} organisations in {sum(cloned):.1f} s")
    print(f"full migrations : median {statistics.median(migrated):.2f} s per organisation (3 created)")


if __name__ == "__main__":
    main()
