"""booklet_export and booklet_import: the portable zip, the printable page and the PDF from the shell."""

import datetime
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django_tenants.utils import tenant_context

from booklet.audit import Actor
from booklet.models import Experience
from booklet.services import experience_create
from tests.factories import EmployeeFactory


def test_it_exports_a_booklet_as_zip_html_and_pdf_and_imports_it_elsewhere(people, tmp_path, alpha, beta):
    experience_create(actor=Actor(people.supervisor), employee=people.worker, kind="pmsmp", title="Immersion en EHPAD",
                      start=datetime.date(2023, 10, 2))
    for fmt, check in [("json", lambda p: "booklet.json" in zipfile.ZipFile(p).namelist()),
                       ("html", lambda p: "Immersion en EHPAD" in p.read_text()),
                       ("pdf", lambda p: p.read_bytes().startswith(b"%PDF"))]:
        target = tmp_path / f"carnet.{fmt}"
        call_command("booklet_export", "--tenant", "alpha", "--staff-number", "W-1", "--format", fmt, "-o", str(target))
        assert check(target), fmt
    with tenant_context(beta):
        EmployeeFactory(staff_number="B-1", first_name="Wassila", last_name="Travailleuse")
    call_command("booklet_import", "--tenant", "beta", "--staff-number", "B-1", str(tmp_path / "carnet.json"))
    with tenant_context(beta):
        assert list(Experience.objects.values_list("title", "origin")) == [("Immersion en EHPAD", "Alpha Industrie")]


def test_it_says_what_is_wrong_in_plain_french(people, tmp_path, alpha):
    with pytest.raises(CommandError, match="Organisation « nulle » introuvable"):
        call_command("booklet_export", "--tenant", "nulle", "--staff-number", "W-1", "-o", str(tmp_path / "x"))
    with pytest.raises(CommandError, match="Matricule « Z-9 » introuvable"):
        call_command("booklet_export", "--tenant", "alpha", "--staff-number", "Z-9", "-o", str(tmp_path / "x"))
    bad = tmp_path / "faux.zip"
    bad.write_bytes(b"rien")
    with pytest.raises(CommandError, match="rien n'a été importé"):
        call_command("booklet_import", "--tenant", "alpha", "--staff-number", "W-1", str(bad))
    with pytest.raises(CommandError, match="--yes"):
        call_command("person_erase", "--tenant", "alpha", "--staff-number", "W-1")
