"""The demo organisations come with booklets: a new user opens a full one at once."""

import hashlib
import io
import uuid

import pytest
from django.core.management import call_command
from django.db import connection
from django_tenants.utils import tenant_context


@pytest.fixture
def seeded(django_db_setup, django_db_blocker, settings, tmp_path):
    """``seeded(kind)`` fills a throw-away demo organisation and yields it (dropped afterwards)."""
    from django.core.files.storage import storages

    from tenants.models import Organization

    settings.MEDIA_ROOT = str(tmp_path / "media")
    storages["booklet"].__dict__.pop("relative_media_root", None)
    made = []

    def seed(kind):
        slug = f"{kind[:4]}-{uuid.uuid4().hex[:6]}"
        with django_db_blocker.unblock():
            call_command("demo_seed", slug=slug, kind=kind, skip_referentials=True, stdout=io.StringIO())
        organization = Organization.objects.get(slug=slug)
        made.append(organization)
        return organization

    with django_db_blocker.unblock():
        yield seed
        for organization in made:
            connection.set_schema_to_public()
            organization.delete(force_drop=True)
    storages["booklet"].__dict__.pop("relative_media_root", None)


def test_it_gives_the_esat_demo_worker_a_full_booklet(seeded, django_db_blocker):
    from booklet import selectors
    from booklet.models import AuditEntry, Endorsement, Evidence, Interview, Orientation, PathwayStep
    from workforce.models import Employee

    organization = seeded("esat")
    slug = organization.slug
    with tenant_context(organization):
        worker = Employee.objects.get(user__email=f"salarie@{slug}.esipro.fr")
        assert worker.experiences.count() == 5
        assert set(worker.experiences.values_list("kind", flat=True)) == {
            "pmsmp", "internship", "volunteering", "sport", "daily_life"}
        photos = Evidence.objects.filter(employee=worker, kind="photo")
        assert photos.count() == 2
        for photo in photos:
            with photo.file.open("rb") as handle:
                assert hashlib.sha256(handle.read()).hexdigest() == photo.sha256
        assert Evidence.objects.filter(employee=worker, kind="rae", rae_step="show").count() == 1
        assert Evidence.objects.filter(employee=worker, kind="certification", valid_until__isnull=False).count() == 1
        from skills_matrix.models import EmployeeSkill
        assert EmployeeSkill.objects.filter(employee=worker, valid_to__isnull=True, status="certified",
                                            skill__label="Respecter les consignes de sécurité").exists()
        assert Endorsement.objects.filter(employee=worker, status="accepted").count() == 2
        assert Endorsement.objects.filter(employee=worker, status="pending").count() == 1
        assert Interview.objects.filter(employee=worker, kind="annual").exclude(wishes="").count() >= 1
        assert PathwayStep.objects.filter(employee=worker).count() == 2
        assert Orientation.objects.filter(employee=worker).count() == 1
        # The audit trail says who wrote what: the worker their experiences, the supervisor the rest.
        assert AuditEntry.objects.filter(employee=worker, action="create").count() >= 12

        # The tracker, the ESAT indicators and the supervisor's list have something to show.
        from accounts.models import User
        hr = User.objects.get(email=f"rh@{slug}.esipro.fr")
        tracker = selectors.interview_tracker(user=hr, is_esat=True)
        assert tracker.overdue > 0 and tracker.due_soon > 0
        table = selectors.esat_indicators()
        assert sum(table["rows"]["interviews_held"]) > 40
        assert sum(table["rows"]["reinforced_started"]) >= 2
        assert sum(table["rows"]["exits_adapted"]) >= 1
        assert sum(table["rows"]["returns"]) >= 1

    from accounts.models import User as Account
    from tests.conftest import OrganizationClient

    with django_db_blocker.unblock():
        with tenant_context(organization):
            worker_user = Account.objects.get(email=f"salarie@{slug}.esipro.fr")
            supervisor = Account.objects.get(email=f"encadrant@{slug}.esipro.fr")
        client = OrganizationClient(organization)
        client.force_login(worker_user)
        page = client.get("/carnet/moi/", follow=True)
        assert page.status_code == 200
        html = page.content.decode()
        assert "Immersion chez un paysagiste" in html
        assert "Martine Lefèvre" in html
        easy = client.get(f"/carnet/{worker.staff_number}/facile/")
        assert "Je veux travailler dans un vrai jardin" in easy.content.decode()
        client = OrganizationClient(organization)
        client.force_login(supervisor)
        listing = client.get("/carnet/").content.decode()
        assert worker.staff_number in listing


def test_it_gives_the_company_demo_interviews_and_the_six_year_risk(seeded):
    from accounts.models import User
    from booklet import selectors
    from booklet.models import Interview, PathwayStep
    from workforce.models import Employee

    organization = seeded("company")
    slug = organization.slug
    with tenant_context(organization):
        worker = Employee.objects.get(user__email=f"salarie@{slug}.esipro.fr")
        assert worker.experiences.count() == 4
        assert worker.evidence.filter(kind="photo").count() == 1
        assert worker.endorsements.count() == 3
        assert Interview.objects.filter(employee=worker, kind="professional").count() >= 1
        assert PathwayStep.objects.count() == 0  # the pathway belongs to ESATs
        hr = User.objects.get(email=f"rh@{slug}.esipro.fr")
        tracker = selectors.interview_tracker(user=hr, is_esat=False)
        assert tracker.six_years_checked
        assert tracker.at_risk > 0
        assert tracker.overdue > 0
