"""GDPR: a person's data export, and an erasure that leaves no personal data anywhere in the
organisation's schema or media folder while counts and statistics stay right."""

import datetime
import io
import json
import zipfile

from django.core.management import call_command
from django.db import connection
from django_tenants.utils import tenant_context

from accounts.models import User
from booklet.audit import Actor
from booklet.models import AuditEntry, Evidence, Experience, Interview
from booklet.selectors import esat_indicators
from booklet.services import (
    booklet_skill_set,
    endorsement_request,
    evidence_create,
    experience_create,
    interview_create,
    orientation_set,
    person_erase,
    person_export,
)
from skills_matrix.models import EmployeeSkill
from workforce.models import Employee

from .conftest import image_bytes


def _schema_hits(needles: list[str]) -> list[tuple[str, str, str]]:
    """Every (table, column, needle) of the current schema whose text holds one of ``needles``."""
    hits = []
    with connection.cursor() as cursor:
        cursor.execute("SELECT table_name, column_name FROM information_schema.columns c JOIN information_schema.tables "
                       "t USING (table_schema, table_name) WHERE table_schema = current_schema() AND "
                       "t.table_type = 'BASE TABLE' AND data_type IN ('text', 'character varying', 'jsonb', 'json')")
        for table, column in cursor.fetchall():
            for needle in needles:
                cursor.execute(f'SELECT count(*) FROM "{table}" WHERE "{column}"::text ILIKE %s', [f"%{needle}%"])
                if cursor.fetchone()[0]:
                    hits.append((table, column, needle))
    return hits


def _media_hits(root, needles: list[bytes]) -> list[str]:
    return [str(path) for path in root.rglob("*") if path.is_file()
            and any(needle.lower() in path.read_bytes().lower() for needle in needles)]


def _fill(people, captured):
    people.worker_user.full_name = "Wassila Travailleuse"
    people.worker_user.email = "wassila.travailleuse@exemple.fr"
    people.worker_user.save()
    me, boss = Actor(people.worker_user, "192.0.2.7"), Actor(people.supervisor, "192.0.2.8")
    experience_create(actor=me, employee=people.worker, kind="daily_life", title="Cuisine chez Wassila",
                      start=datetime.date(2020, 1, 1), description="Moi, Wassila Travailleuse, je cuisine.")
    evidence_create(actor=boss, employee=people.worker, skill_id=people.skill.pk, kind="photo",
                    note="Wassila charge le camion", observed_on=datetime.date(2024, 1, 5), file_name="wassila.jpg",
                    file_data=image_bytes(exif=True))
    booklet_skill_set(actor=boss, employee=people.worker, skill_id=people.skill.pk, level=2, status="observed")
    with captured(execute=True):
        endorsement_request(actor=me, employee=people.worker, email="tuteur@garage.fr", name="Thomas Tuteur",
                            link_base="http://x", skill_id=people.skill.pk)
    interview_create(actor=boss, employee=people.worker, kind="annual", held_on=datetime.date.today(),
                     wishes="Wassila veut devenir cariste.")
    orientation_set(actor=boss, employee=people.worker, decision="Orientation ESAT", decided_on=datetime.date(2021, 1, 1),
                    rqth=True)
    # A colleague's booklet names her too.
    interview_create(actor=Actor(people.hr), employee=people.other, kind="annual", held_on=datetime.date.today(),
                     participants="Bruno Encadrant, Wassila Travailleuse (binôme)")


def test_it_exports_everything_held_about_a_person(people, django_capture_on_commit_callbacks):
    _fill(people, django_capture_on_commit_callbacks)
    data = person_export(actor=Actor(people.admin), employee=people.worker, organisation={"name": "Alpha", "kind": "company"})
    archive = zipfile.ZipFile(io.BytesIO(data))
    person = json.loads(archive.read("person.json"))
    assert person["employee"]["email"] == "wassila.travailleuse@exemple.fr"
    assert person["account"]["full_name"] == "Wassila Travailleuse"
    assert person["orientations"][0]["rqth"] is True
    assert person["skill_levels"][0]["status"] == "observed"
    assert len([n for n in archive.namelist() if n.startswith("files/")]) == 1
    assert AuditEntry.objects.filter(employee=people.worker, action="export", item="person data").exists()


def test_it_erases_personal_data_everywhere_and_keeps_the_counts(people, media_root, in_alpha,
                                                                 django_capture_on_commit_callbacks):
    _fill(people, django_capture_on_commit_callbacks)
    needles = ["Wassila", "Travailleuse", "wassila.travailleuse@exemple.fr", "Thomas Tuteur", "tuteur@garage.fr"]
    assert _schema_hits(needles) and _media_hits(media_root, [b"Wassila"]) == []
    assert list(media_root.rglob("*.jpg"))
    before = {"employees": Employee.objects.count(), "interviews": Interview.objects.count(),
              "levels": EmployeeSkill.objects.count(), "experiences": Experience.objects.count(),
              "evidence": Evidence.objects.count(), "users": User.objects.count()}
    indicators = esat_indicators()
    with django_capture_on_commit_callbacks(execute=True):
        person_erase(actor=Actor(people.admin, "192.0.2.1"), employee=people.worker)
    assert _schema_hits(needles) == []
    assert list(media_root.rglob("*.jpg")) == []
    assert _media_hits(media_root, [n.encode() for n in needles]) == []
    assert {"employees": Employee.objects.count(), "interviews": Interview.objects.count(),
            "levels": EmployeeSkill.objects.count(), "experiences": Experience.objects.count(),
            "evidence": Evidence.objects.count(), "users": User.objects.count()} == before
    assert esat_indicators() == indicators
    assert not AuditEntry.objects.filter(ip="192.0.2.7").exists()
    assert AuditEntry.objects.filter(action="erase", user=people.admin).count() == 1
    assert Interview.objects.get(employee=people.other).participants.startswith("Bruno Encadrant, [effacé]")


def test_it_erases_and_exports_from_the_commands(people, tmp_path, alpha, django_capture_on_commit_callbacks):
    _fill(people, django_capture_on_commit_callbacks)
    target = tmp_path / "wassila.zip"
    call_command("person_export", "--tenant", "alpha", "--staff-number", "W-1", "-o", str(target))
    assert "person.json" in zipfile.ZipFile(target).namelist()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("person_erase", "--tenant", "alpha", "--staff-number", "W-1", "--yes")
    with tenant_context(alpha):
        assert Employee.objects.filter(first_name="Wassila").count() == 0
        assert AuditEntry.objects.filter(action="erase").count() == 1


def test_it_erases_from_the_admin_page_after_confirmation(people, client_for, in_alpha,
                                                          django_capture_on_commit_callbacks):
    _fill(people, django_capture_on_commit_callbacks)
    client = client_for(in_alpha, people.admin)
    page = client.get("/carnet/rgpd/?staff_number=W-1").content.decode()
    assert "Wassila Travailleuse" in page
    refused = client.post("/carnet/rgpd/", {"staff_number": "W-1", "action": "erase", "confirm": "W-2"}, follow=True)
    assert "recopiez exactement le matricule" in refused.content.decode()
    assert Employee.objects.filter(first_name="Wassila").exists()
    exported = client.post("/carnet/rgpd/", {"staff_number": "W-1", "action": "export"})
    assert exported["Content-Type"] == "application/zip"
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post("/carnet/rgpd/", {"staff_number": "W-1", "action": "erase", "confirm": "W-1"}, follow=True)
    assert "ont été effacées" in done.content.decode()
    assert not Employee.objects.filter(first_name="Wassila").exists()
