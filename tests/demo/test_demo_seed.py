"""``manage.py demo_seed``: the demo organisation a new user lands in, created once."""

import io
import uuid

from django.core.management import call_command
from django.db import connection
from django_tenants.utils import tenant_context

from demo.data import DEMO_PASSWORD, demo_build


def seed(slug: str, kind: str = "company") -> str:
    out = io.StringIO()
    call_command("demo_seed", slug=slug, kind=kind, skip_referentials=True, stdout=out)
    return out.getvalue()


def test_it_builds_the_same_demo_from_the_same_seed():
    first, second = demo_build(seed=7, year=2026), demo_build(seed=7, year=2026)
    assert first == second
    assert len(first.employees) == 150
    assert len({e.staff_number for e in first.employees}) == 150
    assert len({e.email for e in first.employees}) == 150


def test_it_creates_the_demo_organisation_once(django_db_setup, django_db_blocker, client):
    from accounts.models import User
    from skills_matrix.models import EmployeeSkill, JobRequirement, OrgSkill
    from tenants.models import Organization
    from workforce.models import Employee, Job, OrgUnit

    slug = f"demo-{uuid.uuid4().hex[:6]}"
    with django_db_blocker.unblock():
        try:
            output = seed(slug)
            organization = Organization.objects.get(slug=slug)
            assert organization.name == "Démo Industrie"
            assert organization.kind == "company"
            assert f"Organisation « Démo Industrie » créée ({slug})" in output
            assert "150 salariés" in output
            assert f"admin@{slug}.esipro.fr" in output

            with tenant_context(organization):
                counts = {
                    "employees": Employee.objects.count(),
                    "departed": Employee.objects.filter(is_active=False, exit_date__isnull=False).count(),
                    "jobs": Job.objects.count(),
                    "rome": Job.objects.exclude(rome_code="").count(),
                    "sites": OrgUnit.objects.filter(kind="site", parent=None).count(),
                    "directions": OrgUnit.objects.filter(kind="direction", parent__kind="site").count(),
                    "services": OrgUnit.objects.filter(kind="service", parent__kind="direction").count(),
                    "skills": OrgSkill.objects.count(),
                    "requirements": JobRequirement.objects.count(),
                    "levels": EmployeeSkill.objects.filter(valid_to__isnull=True).count(),
                    "users": User.objects.count(),
                }
                assert counts["employees"] == 150
                assert 5 <= counts["departed"] <= 20
                assert counts["jobs"] == counts["rome"] >= 15
                assert set(Job.objects.values_list("rome_code", flat=True)) >= {"H2913", "M1805", "N1103", "D1402"}
                assert (counts["sites"], counts["directions"]) == (1, 4)
                assert counts["services"] >= 10
                assert 25 <= counts["skills"] <= 32  # the matrix catalogue, plus foresight's and the booklet's
                assert counts["requirements"] >= 3 * counts["jobs"]
                assert counts["levels"] > 600
                assert counts["users"] == 4

                roles = {u.role: u for u in User.objects.select_related("employee")}
                assert set(roles) == {"admin", "hr", "supervisor", "employee"}
                assert roles["employee"].employee is not None
                supervisor = roles["supervisor"].employee
                assert supervisor.reports.filter(is_active=True).count() >= 10
                assert roles["employee"].employee.manager == supervisor
                assert roles["admin"].check_password(DEMO_PASSWORD)

            again = seed(slug)
            assert "déjà présente" in again
            assert "déjà en place, inchangées" in again
            assert Organization.objects.filter(slug__startswith=slug).count() == 1
            with tenant_context(organization):
                assert Employee.objects.count() == counts["employees"]
                assert EmployeeSkill.objects.count() == counts["levels"]
                assert OrgSkill.objects.count() == counts["skills"]
                assert User.objects.count() == 4

            response = client.post(
                "/comptes/connexion/", {"username": f"rh@{slug}.esipro.fr", "password": DEMO_PASSWORD},
                HTTP_HOST=f"{slug}.localhost",
            )
            assert response.status_code == 302
            page = client.get("/api/v1/employees?limit=1", HTTP_HOST=f"{slug}.localhost")
            assert page.status_code == 200
            assert page.json()["count"] == 150
        finally:
            connection.set_schema_to_public()
            for organization in Organization.objects.filter(slug=slug):
                organization.delete(force_drop=True)


def test_it_creates_an_esat_demo_with_supervised_workers(django_db_setup, django_db_blocker):
    from accounts.models import User
    from tenants.models import Organization
    from workforce.models import Employee, Job

    slug = f"esat-{uuid.uuid4().hex[:6]}"
    with django_db_blocker.unblock():
        try:
            output = seed(slug, kind="esat")
            assert f"Organisation « ESAT Démo » créée ({slug})" in output
            organization = Organization.objects.get(slug=slug)
            assert organization.kind == "esat"
            with tenant_context(organization):
                assert Employee.objects.count() == 55
                assert set(Job.objects.values_list("rome_code", flat=True)) >= {"K1215", "A1203", "H3302"}
                supervisor = User.objects.get(role="supervisor").employee
                assert supervisor.job.title == "Moniteur / Monitrice d'atelier"
                assert User.objects.get(role="employee").employee.manager == supervisor
        finally:
            connection.set_schema_to_public()
            for organization in Organization.objects.filter(slug=slug):
                organization.delete(force_drop=True)
