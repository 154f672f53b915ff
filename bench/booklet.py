"""The skills booklet at the issue's size: a booklet of 200 experiences, 100 skills and 300 evidence files
(page < 300 ms, export < 5 s, import < 10 s), the interview tracker over 50,000 employees (< 1 s), and what
an audit entry adds to a booklet read (< 5 ms).

Usage (from the repository root, PostgreSQL on 127.0.0.1:5432, dev database migrated):

    .venv/bin/python bench/booklet.py [--experiences 200] [--skills 100] [--evidence 300]
                                       [--employees 50000] [--repeat 5]

It fills throw-away organisations of the dev database through the booklet's own services (every evidence
file checked by content and re-encoded, as an upload is), signs an administrator in, and times each page
through Django's test client (the whole stack: tenant middleware, session, rights, audit, templates): the
median of ``--repeat`` requests after one warm-up request. Evidence files go to a temporary folder. The
organisations are dropped at the end.
"""

import argparse
import datetime
import io
import os
import random
import statistics
import time
import uuid

from _scratch import django_in_scratch_dir


def _photo(n: int) -> bytes:
    """A 640 × 480 phone-like JPEG (about 20 kB), different for each ``n``."""
    from PIL import Image, ImageDraw

    rng = random.Random(n)
    image = Image.new("RGB", (640, 480), (rng.randint(0, 255), rng.randint(0, 255), rng.randint(0, 255)))
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x, y = rng.randint(0, 600), rng.randint(0, 440)
        draw.ellipse([x, y, x + rng.randint(20, 120), y + rng.randint(20, 120)],
                     fill=(rng.randint(0, 255), rng.randint(0, 255), rng.randint(0, 255)))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return out.getvalue()


CPU: list[float] = []  # the CPU time of this process (Django, the test client) for the last _median


def _median(function, repeat: int) -> tuple[float, object]:
    """The median wall time of ``repeat`` calls after a warm-up; the median CPU time of this process
    goes to ``CPU`` (on a machine shared with other work, wall time also counts the waits for a core)."""
    result = function()  # warm-up
    timings, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = function()
        timings.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    CPU[:] = [statistics.median(cpu)]
    return statistics.median(timings), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--experiences", type=int, default=200)
    parser.add_argument("--skills", type=int, default=100)
    parser.add_argument("--evidence", type=int, default=300)
    parser.add_argument("--employees", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    holder = django_in_scratch_dir()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django_tenants.utils import tenant_context

    from accounts.models import User
    from booklet import selectors, services
    from booklet.audit import Actor, audit_write
    from booklet.models import Interview
    from skills_matrix.services import employee_skills_bulk_set, org_skill_create
    from tenants.services import organization_create
    from workforce.models import Employee

    settings.ALLOWED_HOSTS = ["*"]
    rows = []
    organizations = []

    def organization(name):
        slug = f"bench-booklet-{name}-{uuid.uuid4().hex[:6]}"
        org = organization_create(slug=slug, name=f"Banc d'essai carnet {slug}", kind="esat")
        organizations.append(org)
        return org

    def report(what, seconds, goal, cpu=None):
        cpu = CPU[0] if cpu is None and CPU else cpu
        CPU.clear()
        rows.append((what, seconds, cpu, goal))
        spent = f", CPU of the Django process {cpu * 1000:,.1f} ms" if cpu is not None else ""
        print(f"  {what}: {seconds * 1000:,.1f} ms{spent} (goal < {goal * 1000:,.0f} ms)", flush=True)

    try:
        with holder:
            # --- One large booklet -------------------------------------------------------------------
            source = organization("source")
            with tenant_context(source):
                started = time.perf_counter()
                admin = User.objects.create_user(email="admin@bench.example", password="bench-password",
                                                 role="admin")
                worker = Employee.objects.create(staff_number="T-00001", first_name="Wassila",
                                                 last_name="Travailleuse", hire_date=datetime.date(2015, 9, 1))
                skills = [org_skill_create(label=f"Compétence de banc d'essai n° {n:03d}", kind="savoir_faire")
                          for n in range(args.skills)]
                employee_skills_bulk_set(
                    rows=[(worker.pk, s.pk, 1 + n % 4, datetime.date(2024, 1, 1) + datetime.timedelta(days=n))
                          for n, s in enumerate(skills)],
                    source="supervisor", user=None, status="observed")
                actor = Actor(user=admin, ip="127.0.0.1")
                for n in range(args.experiences):
                    start = datetime.date(2000, 1, 1) + datetime.timedelta(days=40 * n)
                    services.experience_create(
                        actor=actor, employee=worker, kind=["work", "internship", "pmsmp", "volunteering"][n % 4],
                        title=f"Expérience n° {n}", place="Villefranche-sur-Saône", start=start,
                        end=start + datetime.timedelta(days=30), description="Ce que j'ai fait, avec mes mots. " * 4,
                        skill_ids=[skills[n % args.skills].pk, skills[(n * 7) % args.skills].pk])
                for n in range(args.evidence):
                    services.evidence_create(
                        actor=actor, employee=worker, skill_id=skills[n % args.skills].pk, kind="photo",
                        note=f"Observation n° {n} en atelier.", situation="Atelier espaces verts",
                        observed_on=datetime.date(2024, 1, 1) + datetime.timedelta(days=n % 600),
                        file_name=f"photo-{n}.jpg", file_data=_photo(n))
                for n in range(20):
                    services.interview_create(actor=actor, employee=worker, kind="annual",
                                              held_on=datetime.date(2005 + n, 6, 1), wishes="Travailler dehors.",
                                              skill_ids=[skills[n].pk])
                print(f"Booklet of {args.experiences} experiences, {args.skills} skills, {args.evidence} evidence "
                      f"files (photos of ~20 kB) filled in {time.perf_counter() - started:.1f} s; median of "
                      f"{args.repeat} after a warm-up:", flush=True)

                client = Client(HTTP_HOST=source.domains.first().domain)
                client.force_login(admin)

                def get(url):
                    def call():
                        response = client.get(url)
                        assert response.status_code == 200, (url, response.status_code)
                        return response
                    return call

                base = f"/carnet/{worker.staff_number}/"
                report("booklet page (full version)", _median(get(base), args.repeat)[0], 0.3)
                report("booklet page (easy-read version)", _median(get(base + "facile/"), args.repeat)[0], 0.3)
                report("API: GET …/booklet", _median(get(f"/api/v1/employees/{worker.staff_number}/booklet"),
                                                      args.repeat)[0], 0.3)
                seconds, response = _median(get(f"/api/v1/employees/{worker.staff_number}/booklet/export"),
                                            args.repeat)
                export = response.content
                report(f"export (API, zip of {len(export) / 1024 / 1024:.1f} MB)", seconds, 5)

                # What an audit entry costs: the write alone, repeated.
                timings, cpu = [], []
                for _ in range(200):
                    started, started_cpu = time.perf_counter(), time.process_time()
                    audit_write(actor=actor, employee=worker, action="read", item="booklet")
                    timings.append(time.perf_counter() - started)
                    cpu.append(time.process_time() - started_cpu)
                report("audit write added to a read (median of 200)", statistics.median(timings), 0.005,
                       statistics.median(cpu))
                report("audit write added to a read (95th percentile)", sorted(timings)[189], 0.005)

            # --- Import into another organisation -------------------------------------------------------
            target = organization("target")
            with tenant_context(target):
                other_admin = User.objects.create_user(email="admin@bench.example", password="bench-password",
                                                       role="admin")
                timings, cpu = [], []
                for n in range(max(1, args.repeat // 2)):
                    employee = Employee.objects.create(staff_number=f"T-{n + 1:05d}", first_name="Wassila",
                                                       last_name="Travailleuse")
                    started, started_cpu = time.perf_counter(), time.process_time()
                    counts = services.booklet_import(actor=Actor(user=other_admin), employee=employee, data=export)
                    timings.append(time.perf_counter() - started)
                    cpu.append(time.process_time() - started_cpu)
                report(f"import ({counts.experiences} experiences, {counts.evidence} evidence, "
                       f"{counts.interviews} interviews)", statistics.median(timings), 10, statistics.median(cpu))

            # --- The tracker over many employees --------------------------------------------------------
            large = organization("tracker")
            with tenant_context(large):
                started = time.perf_counter()
                rng = random.Random(7)
                today = datetime.date.today()
                Employee.objects.bulk_create([
                    Employee(staff_number=f"E{n:06d}", first_name="Prénom", last_name=f"Nom{n:06d}",
                             hire_date=today - datetime.timedelta(days=rng.randint(30, 365 * 20)))
                    for n in range(args.employees)], batch_size=5000)
                ids = list(Employee.objects.values_list("id", "hire_date"))
                interviews = []
                for pk, hire in ids:
                    held = today - datetime.timedelta(days=rng.randint(10, 900))
                    while held > hire and len(interviews) < args.employees * 3:
                        interviews.append(Interview(employee_id=pk, kind="professional", held_on=held,
                                                    non_mandatory_training=rng.random() < 0.3))
                        held -= datetime.timedelta(days=730)
                        if rng.random() < 0.3:
                            break
                Interview.objects.bulk_create(interviews, batch_size=5000)
                hr = User.objects.create_user(email="rh@bench.example", password="bench-password", role="hr")
                print(f"{args.employees:,} employees and {len(interviews):,} interviews filled in "
                      f"{time.perf_counter() - started:.1f} s:", flush=True)
                seconds, tracker = _median(lambda: selectors.interview_tracker(user=hr, is_esat=False), args.repeat)
                report(f"tracker computed ({tracker.overdue:,} overdue, {tracker.due_soon:,} due soon, "
                       f"{tracker.at_risk:,} at 6-year risk)", seconds, 1)
                client = Client(HTTP_HOST=large.domains.first().domain)
                client.force_login(hr)

                def page(url):
                    def call():
                        response = client.get(url)
                        assert response.status_code == 200, (url, response.status_code)
                    return call

                report("tracker page (HR)", _median(page("/carnet/entretiens/"), args.repeat)[0], 1)
                report("API: GET /interviews/due", _median(page("/api/v1/interviews/due"), args.repeat)[0], 1)
                report("tracker xlsx export (every row due)",
                       _median(page("/carnet/entretiens.xlsx"), max(1, args.repeat // 2))[0], 10)
    finally:
        connection.set_schema_to_public()
        for org in organizations:
            org.delete(force_drop=True)
    print()
    print(f"Load average at the end: {' / '.join(f'{x:.1f}' for x in os.getloadavg())} (1, 5, 15 min).")
    print("| what | median (wall) | CPU of the Django process | goal |")
    print("|---|---|---|---|")
    for what, seconds, cpu, goal in rows:
        spent = f"{cpu * 1000:,.1f} ms" if cpu is not None else "—"
        print(f"| {what} | {seconds * 1000:,.1f} ms | {spent} | < {goal * 1000:,.0f} ms |")


if __name__ == "__main__":
    main()
