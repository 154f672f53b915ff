"""People and helpers of the booklet tests (call them inside an organisation's schema)."""

import io
from types import SimpleNamespace

import pytest
from django.core.files.storage import storages
from django_tenants.utils import tenant_context
from PIL import Image

from accounts.services import token_create
from skills_matrix.services import org_skill_get_or_create


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Evidence files go to a folder of the test's own (the storage caches its root: reset it)."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    storage = storages["booklet"]
    storage.__dict__.pop("relative_media_root", None)
    yield tmp_path / "media"
    storage.__dict__.pop("relative_media_root", None)


@pytest.fixture
def api_client(client_for):
    def make(organization, user):
        with tenant_context(organization):
            _token, key = token_create(user=user)
        return client_for(organization, HTTP_AUTHORIZATION=f"Bearer {key}")

    return make


@pytest.fixture
def people(in_alpha, make_user, employee_factory):
    """A supervisor (Bruno) with one assigned worker (Wassila), another worker (Odile) in another team, and
    one user per role."""
    boss = employee_factory(staff_number="BOSS", first_name="Bruno", last_name="Encadrant")
    worker = employee_factory(staff_number="W-1", first_name="Wassila", last_name="Travailleuse", manager=boss,
                              email="wassila.travailleuse@exemple.fr")
    other = employee_factory(staff_number="W-2", first_name="Odile", last_name="Ailleurs")
    return SimpleNamespace(
        boss=boss, worker=worker, other=other,
        admin=make_user(in_alpha, "admin"), hr=make_user(in_alpha, "hr"),
        supervisor=make_user(in_alpha, "supervisor", employee=boss),
        worker_user=make_user(in_alpha, "employee", employee=worker),
        other_user=make_user(in_alpha, "employee", employee=other),
        skill=org_skill_get_or_create(label="Conduire un chariot élévateur"),
        skill2=org_skill_get_or_create(label="Accueillir un client"),
    )


def image_bytes(fmt="JPEG", size=(40, 30), exif=False) -> bytes:
    image = Image.new("RGB", size, (200, 80, 40))
    out = io.BytesIO()
    if exif:
        info = Image.Exif()
        info[0x010F] = "CameraMaker"      # Make
        info[0x013B] = "Photographe Secret"  # Artist
        image.save(out, format=fmt, exif=info.tobytes())
    else:
        image.save(out, format=fmt)
    return out.getvalue()


PDF_BYTES = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
