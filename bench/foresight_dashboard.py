"""The foresight dashboard page at the issue's size: 50,000 employees, 1,500 jobs, 5,000 skills (20 per
employee), horizon 8 years, a 1,000-run Monte Carlo band.

Usage (from the repository root, PostgreSQL on 127.0.0.1:5432):

    .venv/bin/python bench/foresight_dashboard.py [--employees 50000] [--jobs 1500] [--skills 5000]
        [--per-employee 20] [--runs 1000] [--repeat 5] [--database esipro_bench_foresight]

It creates (once) its own database, migrates it, creates a throw-away organisation, writes the staff with
``bulk_create`` and the 1,000,000 skill levels with one binary ``COPY``, a scenario with needs for 200 jobs,
signs an HR user in and times ``GET /previsions/<id>/`` through Django's test client (the whole stack:
tenant middleware, session, rights, cache lookup, charts, templates): the first request (computes and stores
the diagnostic), then the median of ``--repeat`` requests once computed, whole organisation and filtered by
org unit. The organisation is dropped at the end.
"""

import argparse
import datetime
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ROME = ["H2913", "H2903", "H2909", "I1304", "H1404", "H1502", "N1103", "N1303", "K2204", "M1203", "M1607",
        "M1501", "M1805", "D1402", "A1203", "G1602", "F1603", "J1501", "K1302", "N4101"]


def database_ready(name: str) -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def timed(function):
    start = time.perf_counter()
    value = function()
    return time.perf_counter() - start, value


def populate(args, rng) -> None:
    from django.db import connection
    from django.utils import timezone

    from skills_matrix.models import DEFAULT_LEVELS, JobRequirement, OrgSkill, SkillLevel
    from workforce.models import Employee, Job, OrgUnit

    for value, label, description in DEFAULT_LEVELS:
        SkillLevel.objects.get_or_create(value=value, defaults={"label": label, "description": description})
    site = OrgUnit.objects.create(name="Siège", kind="site")
    units = [site] + OrgUnit.objects.bulk_create(OrgUnit(name=f"Service {i:03d}", parent=site) for i in range(99))
    jobs = Job.objects.bulk_create(Job(title=f"Emploi {i:04d}", code=f"J{i:04d}", rome_code=ROME[i % len(ROME)])
                                   for i in range(args.jobs))
    skills = OrgSkill.objects.bulk_create(OrgSkill(label=f"Compétence {i:04d}", normalized_label=f"competence {i:04d}")
                                          for i in range(args.skills))
    job_ids = np.array([j.pk for j in jobs])
    skill_ids = np.array([s.pk for s in skills])
    JobRequirement.objects.bulk_create(
        JobRequirement(job_id=int(job_ids[j]), skill_id=int(skill_ids[(j * 8 + k * 37) % len(skill_ids)]),
                       target_level=int(1 + (j + k) % 4))
        for j in range(len(jobs)) for k in range(8))
    n = args.employees
    birth = np.datetime64("1960-01-01") + rng.integers(0, 365 * 42, n).astype("timedelta64[D]")
    hire = np.datetime64("1985-01-01") + rng.integers(0, 365 * 38, n).astype("timedelta64[D]")
    exit_ = rng.random(n) < 0.03
    job_of = job_ids[np.minimum((rng.pareto(1.2, n) * 40).astype(int), len(job_ids) - 1)]
    unit_of = rng.integers(0, len(units), n)
    contracts = np.array(["cdi"] * 17 + ["cdd", "interim", "apprentissage"])[rng.integers(0, 20, n)]
    Employee.objects.bulk_create((
        Employee(staff_number=f"B{i:06d}", first_name="Prénom", last_name=f"Nom{i:06d}",
                 birth_date=birth[i].astype(datetime.date), hire_date=min(hire[i].astype(datetime.date),
                                                                          datetime.date(2025, 12, 31)),
                 exit_date=datetime.date(2027 + i % 4, 6, 30) if exit_[i] else None, sex="F" if i % 5 < 2 else "M",
                 contract_type=str(contracts[i]), job_id=int(job_of[i]), org_unit_id=units[unit_of[i]].pk)
        for i in range(n)), batch_size=5000)
    emp_ids = np.array(Employee.objects.order_by("id").values_list("id", flat=True))
    per = args.per_employee
    # 20 distinct skills per employee: a random start and a stride, modulo the catalogue.
    start = rng.integers(0, len(skill_ids), n)[:, None]
    stride = 1 + rng.integers(0, max(len(skill_ids) // per - 1, 1), n)[:, None]  # stride × 19 < catalogue
    cols = (start + stride * np.arange(per)[None, :]) % len(skill_ids)
    rows_emp = np.repeat(emp_ids, per)
    rows_skill = skill_ids[cols.ravel()]
    rows_level = rng.integers(1, 5, n * per)
    now = timezone.now()
    table = "skills_matrix_employeeskill"
    with connection.cursor() as cursor:
        with cursor.copy(f"COPY {table} (employee_id, skill_id, level, status, source, valid_from) FROM STDIN") as copy:
            for e, s, lv in zip(rows_emp.tolist(), rows_skill.tolist(), rows_level.tolist(), strict=True):
                copy.write_row((e, s, lv, "declared", "self", now))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=50_000)
    parser.add_argument("--jobs", type=int, default=1_500)
    parser.add_argument("--skills", type=int, default=5_000)
    parser.add_argument("--per-employee", type=int, default=20)
    parser.add_argument("--runs", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--database", default="esipro_bench_foresight")
    parser.add_argument("--profile", action="store_true", help="profil d'une requête une fois calculé")
    args = parser.parse_args()

    database_ready(args.database)
    os.environ["DATABASE_URL"] = f"postgresql://postgres@127.0.0.1:5432/{args.database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "esipro.settings")
    import tempfile

    holder = tempfile.TemporaryDirectory(prefix="esipro-bench-")
    os.environ["ESIPRO_DATA_DIR"] = holder.name
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django_tenants.utils import tenant_context

    from accounts.models import User
    from foresight import services
    from foresight.models import Scenario
    from tenants.services import organization_create
    from workforce.models import Job, OrgUnit

    settings.ALLOWED_HOSTS = ["*"]
    call_command("esipro_migrate", verbosity=0)
    slug = f"bench-fs-{uuid.uuid4().hex[:6]}"
    organization = organization_create(slug=slug, name=f"Banc d'essai prévisions {slug}")
    rng = np.random.default_rng(2030)
    try:
        with tenant_context(organization):
            seconds, _ = timed(lambda: populate(args, rng))
            print(f"données écrites en {seconds:.1f} s")
            scenario = services.scenario_create(name="Banc", horizon_year=2033, reference_date=datetime.date(2025, 1, 1),
                                                monte_carlo_runs=args.runs)
            skill_ids = list(Job.objects.values_list("requirements__skill_id", flat=True)[:50])
            for k, job_id in enumerate(Job.objects.order_by("id").values_list("id", flat=True)[:200]):
                services.job_need_set(scenario=scenario, job_id=job_id, change_pct=float(k % 30 - 10),
                                      skills=[{"skill_id": skill_ids[k % len(skill_ids)], "level": 3}])
            scenario = Scenario.objects.get(pk=scenario.pk)
            user = User.objects.create_user(email="rh@bench.example", password="bench-password", role="hr")
            client = Client(HTTP_HOST=organization.domains.first().domain)
            client.force_login(user)
            unit = OrgUnit.objects.exclude(parent=None).order_by("id").first().pk
            for label, url in (("organisation entière", f"/previsions/{scenario.pk}/"),
                               ("filtrée sur une unité", f"/previsions/{scenario.pk}/?org_unit={unit}")):
                first, response = timed(lambda url=url: client.get(url))
                assert response.status_code == 200, response.status_code
                times = []
                for _ in range(args.repeat):
                    seconds, response = timed(lambda url=url: client.get(url))
                    assert response.status_code == 200
                    times.append(seconds)
                if args.profile:
                    import cProfile
                    import pstats

                    profiler = cProfile.Profile()
                    profiler.runcall(client.get, url)
                    pstats.Stats(profiler).sort_stats("cumulative").print_stats("foresight|template/base|psycopg/cursor", 25)
                print(f"tableau de bord, {label} : 1re requête (calcul) {first:.2f} s ; une fois calculé, médiane "
                      f"de {args.repeat} : {statistics.median(times):.3f} s (min {min(times):.3f}, max "
                      f"{max(times):.3f}) ; page {len(response.content) // 1024} Ko")
    finally:
        connection.set_schema_to_public()
        organization.delete(force_drop=True)
        holder.cleanup()


if __name__ == "__main__":
    main()
