"""Latency of one person's mobility suggestions from the API once computed (``GET
/api/v1/employees/{staff_number}/mobility?limit=10``), through the whole stack.

Usage (from the repository root, PostgreSQL on 127.0.0.1:5432):

    .venv/bin/python bench/mobility_api.py [--employees 10000] [--jobs 1500] [--skills 18000] [--requests 300]
        [--order fit|recommended] [--rome ../shared/data/rome4] [--slug NAME [--drop]]

It works in a database of its own (``esipro_bench_mobility``, created and migrated if needed) and a fresh
organisation (dropped at the end), filled with the speed benchmark's synthetic shape (~25 skills per person,
~15 requirements per job, one in five critical, 5 random similar skills per skill kept at σ ≥ 0.5 (both ways), a third of
the skills mapped to shared ROME skills), then computes the cached suggestions (``mobility_compute``, as
the worker does). Each request goes through Django's test client with an HR bearer token (tenant
middleware, token check, rights, selectors, serialisation): ``--requests`` different people drawn with a
fixed seed, after 20 warm-up requests; p50 / p95 / max in ms and the SQL queries of one request.
The same client then times a near-empty route, the floor of the stack (token check with its write,
sign-in lockout check, organisation check). With ``--profile``, the costliest functions over the timed
requests and the SQL of one request. With ``--slug``, the organisation is kept and reused by the next run
with the same slug (to compare two versions of the code on the same data); drop it with ``--drop``.
"""

import argparse
import cProfile
import os
import pstats
import sys
import time
import uuid
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB_NAME = "esipro_bench_mobility"
GOAL_P95_MS = 50.0


def _prepare_database() -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone():
            conn.execute(f'CREATE DATABASE "{DB_NAME}"')
    os.environ["DATABASE_URL"] = f"postgresql://postgres@127.0.0.1:5432/{DB_NAME}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "esipro.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate_schemas", "--shared", verbosity=0)


def _fill(n_employees: int, n_jobs: int, n_skills: int, rng: np.random.Generator) -> None:
    """Synthetic organisation written with bulk inserts (the shape of ``bench/mobility_speed.py``)."""
    from django.utils import timezone

    from skills_matrix.models import EmployeeSkill, JobRequirement, OrgSkill, SkillMapping, SkillSimilarity
    from workforce.models import Employee, Job, OrgUnit

    skills = OrgSkill.objects.bulk_create(
        [OrgSkill(label=f"Compétence {i}", normalized_label=f"competence {i}") for i in range(n_skills)],
        batch_size=5000)
    skill_ids = np.array([s.pk for s in skills])
    codes = [f"{chr(65 + i % 14)}{1101 + i % 800:04d}" for i in range(n_jobs)]
    jobs = Job.objects.bulk_create([Job(title=f"Emploi {i}", rome_code=codes[i]) for i in range(n_jobs)])
    job_ids = np.array([j.pk for j in jobs])
    units = OrgUnit.objects.bulk_create([OrgUnit(name=f"Site {i}", kind=OrgUnit.Kind.SITE) for i in range(20)])
    people = Employee.objects.bulk_create(
        [Employee(staff_number=f"B{i:06d}", first_name="Prénom", last_name=f"Nom {i}",
                  job_id=int(job_ids[rng.integers(n_jobs)]), org_unit=units[i % len(units)])
         for i in range(n_employees)], batch_size=5000)
    now = timezone.now()
    rows = []
    for person in people:
        for skill in np.unique(rng.integers(0, n_skills, 25)):
            rows.append(EmployeeSkill(employee_id=person.pk, skill_id=int(skill_ids[skill]),
                                      level=int(rng.integers(1, 5)), valid_from=now))
    EmployeeSkill.objects.bulk_create(rows, batch_size=10000)
    requirements = []
    for job in job_ids:
        for skill in np.unique(rng.integers(0, n_skills, 15)):
            requirements.append(JobRequirement(job_id=int(job), skill_id=int(skill_ids[skill]),
                                               target_level=int(rng.integers(1, 5)), critical=rng.random() < 0.2))
    JobRequirement.objects.bulk_create(requirements, batch_size=10000)
    a = np.repeat(np.arange(n_skills), 5)
    b = rng.integers(0, n_skills, len(a))
    sigma = rng.uniform(0.3, 1.0, len(a))
    keep = (a != b) & (sigma >= 0.5)
    pairs = {}
    for x, y, s in zip(a[keep], b[keep], sigma[keep], strict=True):
        pairs[(x, y)] = pairs[(y, x)] = float(s)
    SkillSimilarity.objects.bulk_create(
        [SkillSimilarity(skill_id=int(skill_ids[x]), similar_id=int(skill_ids[y]), sigma=s)
         for (x, y), s in pairs.items()], batch_size=10000)
    mapped = rng.choice(n_skills, n_skills // 3, replace=False)
    SkillMapping.objects.bulk_create(
        [SkillMapping(org_skill_id=int(skill_ids[s]), rome_skill_id=int(k) + 1, confidence=0.9,
                      status=SkillMapping.Status.ACCEPTED)
         for s, k in zip(mapped, rng.integers(0, n_skills // 6, len(mapped)), strict=True)], batch_size=10000)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--employees", type=int, default=10_000)
    parser.add_argument("--jobs", type=int, default=1_500)
    parser.add_argument("--skills", type=int, default=18_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--slug", default="")
    parser.add_argument("--drop", action="store_true")
    parser.add_argument("--order", choices=["fit", "recommended"], default="fit",
                        help="the order asked for: fit (the API's default) or recommended (the pages' default)")
    parser.add_argument("--rome", default="",
                        help="a ROME 4.0 folder to import into the benchmark's database first, when it holds no "
                             "occupation yet (the recommended order reads its skills and mobility lists)")
    args = parser.parse_args()
    _prepare_database()
    if args.rome:
        from django.core.management import call_command

        from referentials.models import Occupation

        if not Occupation.objects.exists():
            began = time.perf_counter()
            call_command("referential_import", "rome", args.rome, "--no-warm", verbosity=0)
            print(f"ROME imported in {time.perf_counter() - began:.0f} s")
        print(f"ROME in the benchmark's database: {Occupation.objects.count():,} occupations")
    url = f"/api/v1/employees/{{}}/mobility?limit=10{'&order=recommended' if args.order == 'recommended' else ''}"

    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django_tenants.utils import tenant_context

    from accounts.models import User
    from accounts.services import token_create
    from mobility.services import mobility_compute
    from tenants.services import organization_create
    from workforce.models import Employee

    settings.ALLOWED_HOSTS = ["*"]
    rng = np.random.default_rng(args.seed)
    from tenants.models import Organization

    slug = args.slug or f"bench-mobility-{uuid.uuid4().hex[:6]}"
    started = time.perf_counter()
    organization = Organization.objects.filter(slug=slug).first() if args.slug else None
    reused = organization is not None
    if not reused:
        organization = organization_create(slug=slug, name=f"Banc d'essai mobilité {slug}")
    try:
        with tenant_context(organization):
            if not reused:
                _fill(args.employees, args.jobs, args.skills, rng)
                filled = time.perf_counter() - started
                computed = mobility_compute()
                with connection.cursor() as cursor:  # what autovacuum does after a bulk load
                    cursor.execute("ANALYZE")
                print(f"{args.employees:,} employees × {args.jobs:,} jobs × {args.skills:,} skills: filled in "
                      f"{filled:.0f} s, suggestions computed in {computed['seconds']:.1f} s "
                      f"({computed['suggestions']:,} rows)")
            else:
                print(f"organisation {slug} reused: {Employee.objects.count():,} employees")
            user = User.objects.filter(email="rh@bench.example").first() or User.objects.create_user(
                email="rh@bench.example", password="bench-password", role="hr")
            _token, key = token_create(user=user)
            staff = list(Employee.objects.order_by("pk").values_list("staff_number", flat=True))
        client = Client(HTTP_HOST=organization.domains.first().domain, HTTP_AUTHORIZATION=f"Bearer {key}")
        picked = [staff[i] for i in rng.choice(len(staff), args.requests + 20, replace=False)]
        for number in picked[:20]:
            assert client.get(url.format(number)).status_code == 200
        queries = []

        def count(execute, sql, params, many, context):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):  # (the request's start empties connection.queries)
            response = client.get(url.format(picked[0]))
        timings = []
        profiler = cProfile.Profile() if args.profile else None
        for number in picked[20:]:
            if profiler:
                profiler.enable()
            began = time.perf_counter()
            response = client.get(url.format(number))
            timings.append(time.perf_counter() - began)
            if profiler:
                profiler.disable()
            assert response.status_code == 200, response.content[:300]
        ms = np.array(timings) * 1000
        p95 = np.percentile(ms, 95)
        print(f"GET {url.format('{staff_number}')}, {args.requests} people: "
              f"p50 {np.percentile(ms, 50):.1f} ms, p95 {p95:.1f} ms, max {ms.max():.1f} ms "
              f"(goal p95 < {GOAL_P95_MS:.0f} ms: {'met' if p95 < GOAL_P95_MS else 'NOT met'}); "
              f"{len(queries)} SQL queries, {len(response.content) / 1e3:.1f} kB per answer")
        floor = []
        for _ in range(100):
            began = time.perf_counter()
            assert client.get("/api/v1/trainings?limit=1").status_code == 200
            floor.append(time.perf_counter() - began)
        floor_ms = np.array(floor) * 1000
        print(f"same stack, a near-empty route (GET /api/v1/trainings?limit=1, empty catalogue): "
              f"p50 {np.percentile(floor_ms, 50):.1f} ms, p95 {np.percentile(floor_ms, 95):.1f} ms")
        if profiler:
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(str(ROOT) + r"/(?!\.venv)", 25)
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
            for query in queries:
                print(f"  {query[:160]}")
    finally:
        connection.set_schema_to_public()
        if not args.slug or args.drop:
            organization.delete(force_drop=True)


if __name__ == "__main__":
    main()
