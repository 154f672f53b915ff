"""The skills-matrix pages and export at the staff-import benchmark's size (50,000 employees × 20 skills).

Usage (from the repository root, PostgreSQL on 127.0.0.1:5432, dev database migrated):

    .venv/bin/python bench/matrix_pages.py [--employees 50000] [--skills 20] [--repeat 3]

It imports the benchmark file (tests/imports/filegen.generate_large_export) into a fresh organisation of
the dev database with the import's own code, signs an HR user in, and times each page through Django's
test client (the whole stack: tenant middleware, session, rights, selectors, templates): the median of
``--repeat`` requests after one warm-up request. The organisation is dropped at the end.
"""

import argparse
import statistics
import time
import uuid
from pathlib import Path

from _scratch import django_in_scratch_dir, size_arguments


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    size_arguments(parser)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-export", action="store_true", help="skip the (long) xlsx export")
    args = parser.parse_args()

    tmp_holder = django_in_scratch_dir()
    tmp = tmp_holder.name
    from django.conf import settings
    from django.core.files import File
    from django.db import connection
    from django.test import Client
    from django_tenants.utils import tenant_context

    from accounts.models import User
    from imports.services import clean_options, import_job_create, import_run
    from skills_matrix.models import OrgSkill
    from skills_matrix.services import job_requirement_set
    from tenants.services import organization_create
    from tests.imports.filegen import generate_large_export
    from workforce.models import Employee, Job

    settings.ALLOWED_HOSTS = ["*"]
    with tmp_holder:
        path = Path(tmp) / "export_personnel.xlsx"
        generate_large_export(path, args.employees, args.skills)
        slug = f"bench-matrix-{uuid.uuid4().hex[:6]}"
        organization = organization_create(slug=slug, name=f"Banc d'essai matrice {slug}")
        try:
            with tenant_context(organization):
                with path.open("rb") as handle:
                    job = import_job_create(user=None, file=File(handle), file_name=path.name,
                                            options=clean_options(), background=False)
                job = import_run(job=job)
                assert job.status == "ok", job.message
                # Every job requires 8 of the skills at level 2 to 4 (the file carries no requirements), so that
                # the gaps and their whole-filter totals are computed on a realistic share of the cells.
                skills = list(OrgSkill.objects.order_by("id"))
                for job_row in Job.objects.order_by("id"):
                    for n in range(8):
                        skill = skills[(job_row.id * 3 + n * 7) % len(skills)]
                        job_requirement_set(job=job_row, skill=skill, target_level=2 + (job_row.id + n) % 3)
                with connection.cursor() as cursor:  # what autovacuum does within a minute of the bulk load
                    cursor.execute("ANALYZE")
                user = User.objects.create_user(email="rh@bench.example", password="bench-password", role="hr")
                client = Client(HTTP_HOST=organization.domains.first().domain)
                client.force_login(user)
                employee = Employee.objects.order_by("staff_number").first()
                job_id = Job.objects.order_by("id").values_list("id", flat=True).first()
                unit_id = employee.org_unit_id
            print(f"{args.employees:,} employees × {args.skills} skills "
                  f"({job.skills:,} levels) imported; median of {args.repeat} requests after a warm-up:")
            pages = [
                ("matrix, first page (50 employees, whole-population summary)", "/competences/"),
                ("matrix, page 100", "/competences/?page=100"),
                ("matrix, compact, grouped by ROME family, page 2", "/competences/?compact=1&group=family&page=2"),
                ("matrix, not grouped", "/competences/?group=none"),
                ("matrix filtered by org unit", f"/competences/?org_unit={unit_id}"),
                ("matrix filtered by job", f"/competences/?job={job_id}"),
                ("matrix at a past date", "/competences/?at=2020-01-01"),
                ("employee skill profile with history", f"/competences/salaries/{employee.staff_number}/"),
                ("job page with requirements", f"/emplois/{job_id}/"),
                ("employee list", "/salaries/"),
                ("API: employees, 100 per page", "/api/v1/employees?limit=100"),
                ("API: one employee's skills", f"/api/v1/employees/{employee.staff_number}/skills"),
                ("xlsx export of the whole matrix", "/competences/export.xlsx"),
            ][:-1 if args.no_export else None]
            for name, url in pages:
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)
                timings = []
                for _ in range(args.repeat):
                    started = time.perf_counter()
                    response = client.get(url)
                    timings.append(time.perf_counter() - started)
                print(f"  {statistics.median(timings) * 1000:8.0f} ms  {len(response.content) / 1e3:8.0f} kB  "
                      f"{name} ({url})")
        finally:
            connection.set_schema_to_public()
            organization.delete(force_drop=True)


if __name__ == "__main__":
    main()
