"""Export → import into a second organisation, lossless; a malformed or tampered export is refused whole."""

import datetime
import hashlib
import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import tenant_context

from booklet.audit import Actor
from booklet.models import Evidence, Experience, Interview
from booklet.services import (
    booklet_export,
    booklet_import,
    booklet_skill_set,
    endorsement_request,
    evidence_create,
    experience_create,
    interview_create,
    pathway_step_create,
)
from booklet.services.portability import digest_of
from core.errors import ApplicationError
from tests.factories import EmployeeFactory

from .conftest import PDF_BYTES, image_bytes

URL = "/api/v1/employees/{sn}/booklet"
ALPHA = {"name": "Alpha Industrie", "kind": "company"}


@pytest.fixture
def full_booklet(people):
    """Wassila's booklet in alpha: two experiences, a photo, a PDF, a note, levels, an endorsement, an
    interview, a pathway step."""
    boss, hr = Actor(people.supervisor, "10.0.0.1"), Actor(people.hr, "10.0.0.2")
    worker = people.worker
    first = experience_create(actor=boss, employee=worker, kind="pmsmp", title="Immersion en boulangerie",
                              place="Boulangerie du Port", start=datetime.date(2022, 4, 4),
                              end=datetime.date(2022, 4, 15), description="J'ai façonné des baguettes.",
                              skill_ids=[people.skill.pk, people.skill2.pk])
    experience_create(actor=Actor(people.worker_user), employee=worker, kind="sport", title="Club de handball",
                      start=datetime.date(2019, 9, 1), description="Capitaine de l'équipe.")
    evidence_create(actor=boss, employee=worker, skill_id=people.skill.pk, kind="photo", note="Geste sûr",
                    observed_on=datetime.date(2024, 3, 5), situation="Quai", file_name="quai.jpg",
                    file_data=image_bytes())
    evidence_create(actor=hr, employee=worker, skill_id=people.skill.pk, kind="certification",
                    note="CACES R489", observed_on=datetime.date(2024, 6, 1), valid_until=datetime.date(2029, 6, 1),
                    file_name="caces.pdf", file_data=PDF_BYTES)
    evidence_create(actor=boss, employee=worker, skill_id=people.skill2.pk, kind="rae", rae_step="explain",
                    note="Explique l'accueil", observed_on=datetime.date(2024, 2, 1))
    booklet_skill_set(actor=hr, employee=worker, skill_id=people.skill.pk, level=3, status="certified")
    booklet_skill_set(actor=boss, employee=worker, skill_id=people.skill2.pk, level=2, status="observed")
    endorsement_request(actor=boss, employee=worker, email="tutrice@boulangerie.fr", name="Tina Tutrice",
                        link_base="http://alpha.localhost", experience_id=first.pk)
    interview_create(actor=boss, employee=worker, kind="professional", held_on=datetime.date(2024, 1, 15),
                     participants="Bruno Encadrant", skill_ids=[people.skill.pk], wishes="Aller vers la vente.",
                     goals="Stage en magasin", trainings="SST", non_mandatory_training=True)
    pathway_step_create(actor=boss, employee=worker, kind="reinforced", start=datetime.date(2023, 1, 2),
                        employer="Boulangerie du Port", convention="Convention 2023-14", outcome="ongoing")
    return worker


def _comparable(document: dict) -> dict:
    """The document without what legitimately differs after an import: when and where from."""
    document = json.loads(json.dumps(document))
    body = {k: v for k, v in document.items() if k not in ("format", "version", "exported_at", "digest", "organisation", "person")}
    for items in body.values():
        for item in items:
            item.pop("origin", None)
    return {k: sorted(v, key=lambda item: json.dumps(item, sort_keys=True)) for k, v in body.items()}


def _twin_in_beta(beta):
    with tenant_context(beta):
        return EmployeeFactory(staff_number="ARR-9", first_name="Wassila", last_name="Travailleuse")


def test_it_round_trips_a_booklet_into_another_organisation_without_loss(full_booklet, people, beta):
    data = booklet_export(actor=Actor(people.hr), employee=full_booklet, organisation=ALPHA)
    original = json.loads(zipfile.ZipFile(io.BytesIO(data)).read("booklet.json"))
    twin = _twin_in_beta(beta)
    with tenant_context(beta):
        counts = booklet_import(actor=Actor.system(), employee=twin, data=data)
        again = booklet_export(actor=Actor.system(), employee=twin, organisation={"name": "ESAT Beta", "kind": "esat"})
        stored_hashes = sorted(hashlib.sha256(ev.file.read()).hexdigest() for ev in Evidence.objects.exclude(file=""))
        origins = set(Experience.objects.values_list("origin", flat=True))
        assert Interview.objects.get().author_name == "Supervisor alpha"
    assert (counts.experiences, counts.skills, counts.evidence, counts.endorsements, counts.interviews,
            counts.pathway) == (2, 2, 3, 1, 1, 1)
    copy = json.loads(zipfile.ZipFile(io.BytesIO(again)).read("booklet.json"))
    assert _comparable(copy) == _comparable(original)
    assert origins == {"Alpha Industrie"}
    assert {i["origin"] for k in ("skills", "experiences", "evidence", "interviews", "pathway", "endorsements")
            for i in copy[k]} == {"Alpha Industrie"}
    original_hashes = sorted(ev["file"]["sha256"] for ev in original["evidence"] if ev["file"])
    assert stored_hashes == original_hashes and len(original_hashes) == 2
    certified = next(s for s in copy["skills"] if s["skill"] == "Conduire un chariot élévateur")
    assert (certified["level"], certified["status"]) == (3, "certified")


def _rezip(data: bytes, change) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    contents = {name: source.read(name) for name in source.namelist()}
    change(contents)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in contents.items():
            archive.writestr(name, content)
    return out.getvalue()


def _tamper_file(contents):
    name = next(n for n in contents if n.endswith(".pdf"))
    contents[name] = contents[name].replace(b"Catalog", b"Katalog")


def _tamper_json(contents):
    document = json.loads(contents["booklet.json"])
    document["skills"][0]["status"] = "certified"
    document["skills"][0]["level"] = 4
    contents["booklet.json"] = json.dumps(document).encode()


def _break_schema(contents):
    document = json.loads(contents["booklet.json"])
    document["experiences"][0]["start"] = "le 4 avril"
    document["digest"] = digest_of(document)
    contents["booklet.json"] = json.dumps(document).encode()


def _add_script(contents):
    contents["files/evil.html"] = b"<script>alert(1)</script>"


@pytest.mark.parametrize("change, message", [
    (_tamper_file, "a été modifié depuis l'export"),
    (_tamper_json, "booklet.json a été modifié"),
    (_break_schema, "ne suit pas le format"),
    (_add_script, "fichiers inattendus"),
])
def test_it_refuses_a_tampered_export_and_writes_nothing(full_booklet, people, beta, change, message):
    data = _rezip(booklet_export(actor=Actor(people.hr), employee=full_booklet, organisation=ALPHA), change)
    twin = _twin_in_beta(beta)
    with tenant_context(beta):
        with pytest.raises(ApplicationError) as refused:
            booklet_import(actor=Actor.system(), employee=twin, data=data)
        assert (Experience.objects.count(), Evidence.objects.count()) == (0, 0)
    assert message in refused.value.message and "rien n'a été importé" in refused.value.message


def test_it_exports_and_imports_through_the_api(full_booklet, people, api_client, in_alpha, beta, make_user):
    exported = api_client(in_alpha, people.hr).get(URL.format(sn="W-1") + "/export")
    assert exported.status_code == 200 and exported["Content-Type"] == "application/zip"
    twin = _twin_in_beta(beta)
    with tenant_context(beta):
        hr_beta = make_user(beta, "hr")
    client = api_client(beta, hr_beta)
    answer = client.post(URL.format(sn=twin.staff_number) + "/import",
                         {"file": SimpleUploadedFile("carnet.zip", exported.content, "application/zip")})
    assert answer.status_code == 201, answer.json()
    assert answer.json() == {"experiences": 2, "skills": 2, "evidence": 3, "endorsements": 1, "interviews": 1,
                             "pathway": 1}
    junk = client.post(URL.format(sn=twin.staff_number) + "/import",
                       {"file": SimpleUploadedFile("carnet.zip", b"pas un zip", "application/zip")})
    assert junk.status_code == 422 and "n'est pas un zip" in junk.json()["detail"]
    stranger = api_client(beta, hr_beta).post(URL.format(sn="W-1") + "/import",
                                              {"file": SimpleUploadedFile("c.zip", exported.content)})
    assert stranger.status_code == 404


def test_it_refuses_a_booklet_of_someone_else(full_booklet, people, beta):
    data = booklet_export(actor=Actor(people.hr), employee=full_booklet, organisation=ALPHA)
    with tenant_context(beta):
        other = EmployeeFactory(staff_number="ARR-10", first_name="Paul", last_name="Autre")
        with pytest.raises(ApplicationError) as refused:
            booklet_import(actor=Actor.system(), employee=other, data=data)
    assert "pas de Paul Autre" in refused.value.message
