"""The booklet API: the contract, who may read and write what, and the audit trail of every call."""

import datetime

from django.core import mail
from django_tenants.utils import tenant_context

from booklet.models import AuditEntry, Evidence, Experience
from skills_matrix.models import EmployeeSkill

from .conftest import PDF_BYTES, image_bytes

URL = "/api/v1/employees/{sn}/booklet"


def _experience(client, sn="W-1", **extra):
    body = {"kind": "internship", "title": "Stage en logistique", "place": "Entrepôt Nord", "start": "2023-03-01",
            "end": "2023-03-31", "description": "J'ai rangé les colis.", **extra}
    return client.post(URL.format(sn=sn) + "/experiences", body, content_type="application/json")


def test_it_answers_the_booklet_in_the_contract_shape(people, api_client, in_alpha):
    client = api_client(in_alpha, people.supervisor)
    created = _experience(client, skill_ids=[people.skill.pk])
    assert created.status_code == 201, created.json()
    evidence = client.post(URL.format(sn="W-1") + "/evidence", {
        "skill_id": people.skill.pk, "kind": "photo", "note": "Palette bien filmée", "observed_on": "2024-05-02",
        "situation": "Quai de chargement", "file": _upload("palette.jpg", image_bytes())})
    assert evidence.status_code == 201, evidence.json()
    level = client.post(URL.format(sn="W-1") + "/skills", {"skill_id": people.skill.pk, "level": 2,
                                                           "status": "observed"}, content_type="application/json")
    assert level.status_code == 201, level.json()

    body = client.get(URL.format(sn="W-1")).json()
    assert set(body) >= {"experiences", "skills", "endorsements", "interviews", "pathway"}
    experience = body["experiences"][0]
    assert {k: experience[k] for k in ("kind", "title", "place", "start", "end", "description", "skill_ids")} == {
        "kind": "internship", "title": "Stage en logistique", "place": "Entrepôt Nord", "start": "2023-03-01",
        "end": "2023-03-31", "description": "J'ai rangé les colis.", "skill_ids": [people.skill.pk]}
    skill = body["skills"][0]
    assert (skill["skill_id"], skill["skill"], skill["level"], skill["status"]) == (
        people.skill.pk, "Conduire un chariot élévateur", 2, "observed")
    proof = skill["evidence"][0]
    assert (proof["kind"], proof["note"], proof["observed_on"], proof["situation"], proof["file_name"]) == (
        "photo", "Palette bien filmée", "2024-05-02", "Quai de chargement", "palette.jpg")
    assert len(proof["sha256"]) == 64 and proof["url"].endswith(f"/evidence/{proof['id']}/file")
    photo = client.get(proof["url"])
    assert photo.status_code == 200
    assert photo["Content-Type"] == "image/jpeg"
    assert body["orientations"] == []  # the assigned supervisor may see the CDAPH orientation


def _upload(name, data, content_type="image/jpeg"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type=content_type)


def test_it_lets_the_worker_read_and_add_to_their_own_booklet_only(people, api_client, in_alpha):
    client = api_client(in_alpha, people.worker_user)
    assert _experience(client).status_code == 201
    assert client.get(URL.format(sn="W-1")).status_code == 200
    assert client.get(URL.format(sn="W-2")).status_code == 404
    assert _experience(client, sn="W-2").status_code == 404
    # Staff-only items: interviews, pathway, RAE attestations.
    interview = client.post(URL.format(sn="W-1") + "/interviews", {"kind": "annual", "held_on": "2024-01-10"},
                            content_type="application/json")
    assert interview.status_code == 403
    assert interview.json()["detail"] == "Action réservée aux rôles : administrateur, RH, encadrant."
    rae = client.post(URL.format(sn="W-1") + "/evidence", {"skill_id": people.skill.pk, "kind": "rae",
                                                           "rae_step": "show", "observed_on": "2024-01-10"})
    assert rae.status_code == 403


def test_it_hides_workers_not_assigned_to_a_supervisor(people, api_client, in_alpha):
    client = api_client(in_alpha, people.supervisor)
    assert client.get(URL.format(sn="W-1")).status_code == 200
    assert client.get(URL.format(sn="W-2")).status_code == 404
    assert _experience(client, sn="W-2").status_code == 404


def test_it_refuses_the_worker_changing_an_item_written_by_their_supervisor(people, api_client, in_alpha):
    supervisor = api_client(in_alpha, people.supervisor)
    item = _experience(supervisor).json()
    worker = api_client(in_alpha, people.worker_user)
    answer = worker.patch(URL.format(sn="W-1") + f"/experiences/{item['id']}", {"title": "Autre"},
                          content_type="application/json")
    assert answer.status_code == 403
    own = _experience(worker, title="Bénévolat au club").json()
    changed = worker.patch(URL.format(sn="W-1") + f"/experiences/{own['id']}", {"title": "Bénévolat au club de foot"},
                           content_type="application/json")
    assert changed.status_code == 200 and changed.json()["title"] == "Bénévolat au club de foot"
    assert worker.delete(URL.format(sn="W-1") + f"/experiences/{own['id']}").status_code == 204
    assert supervisor.delete(URL.format(sn="W-1") + f"/experiences/{item['id']}").status_code == 204
    assert Experience.objects.count() == 0


def test_it_writes_an_audit_entry_for_every_read_and_change(people, api_client, in_alpha):
    client = api_client(in_alpha, people.supervisor)
    item = _experience(client).json()
    client.get(URL.format(sn="W-1"))
    client.patch(URL.format(sn="W-1") + f"/experiences/{item['id']}", {"place": "Quai 2"},
                 content_type="application/json")
    client.delete(URL.format(sn="W-1") + f"/experiences/{item['id']}")
    entries = list(AuditEntry.objects.filter(employee=people.worker).order_by("at", "id")
                   .values_list("action", "item", "user_name", "ip"))
    assert entries == [
        ("create", f"experience {item['id']}", "Supervisor alpha", "127.0.0.1"),
        ("read", "booklet", "Supervisor alpha", "127.0.0.1"),
        ("update", f"experience {item['id']}", "Supervisor alpha", "127.0.0.1"),
        ("delete", f"experience {item['id']}", "Supervisor alpha", "127.0.0.1"),
    ]
    # The worker sees the trail of their own booklet; the supervisor and HR do not, an administrator does.
    worker = api_client(in_alpha, people.worker_user)
    trail = worker.get(URL.format(sn="W-1") + "/audit").json()["entries"]
    assert [e["action"] for e in trail][:2] == ["read", "delete"]
    assert {"at", "user", "action", "item"} <= set(trail[0])
    assert client.get(URL.format(sn="W-1") + "/audit").status_code == 403
    assert api_client(in_alpha, people.hr).get(URL.format(sn="W-1") + "/audit").status_code == 403
    assert api_client(in_alpha, people.admin).get(URL.format(sn="W-1") + "/audit").status_code == 200


def test_it_applies_the_status_rules_through_the_booklet(people, api_client, in_alpha):
    skills = URL.format(sn="W-1") + "/skills"
    worker = api_client(in_alpha, people.worker_user)
    declared = worker.post(skills, {"skill_id": people.skill.pk, "level": 2}, content_type="application/json")
    assert declared.json()["status"] == "declared"
    observed = worker.post(skills, {"skill_id": people.skill.pk, "level": 3, "status": "observed"},
                           content_type="application/json")
    assert observed.status_code == 400 and "encadrant" in observed.json()["detail"]
    supervisor = api_client(in_alpha, people.supervisor)
    validated = supervisor.post(skills, {"skill_id": people.skill.pk, "level": 3, "status": "validated"},
                                content_type="application/json")
    assert validated.json()["status"] == "validated"
    hr = api_client(in_alpha, people.hr)
    refused = hr.post(skills, {"skill_id": people.skill.pk, "level": 3, "status": "certified"},
                      content_type="application/json")
    assert refused.status_code == 422 and "sans preuve" in refused.json()["detail"]
    proof = hr.post(URL.format(sn="W-1") + "/evidence", {
        "skill_id": people.skill.pk, "kind": "certification", "note": "CACES R489 catégorie 3",
        "observed_on": "2024-06-01", "valid_until": "2029-06-01", "file": _upload("caces.pdf", PDF_BYTES, "application/pdf")})
    assert proof.status_code == 201, proof.json()
    certified = hr.post(skills, {"skill_id": people.skill.pk, "level": 3, "status": "certified"},
                        content_type="application/json")
    assert certified.json()["status"] == "certified"
    assert supervisor.post(skills, {"skill_id": people.skill.pk, "level": 3, "status": "certified"},
                           content_type="application/json").status_code in (400, 422)
    assert EmployeeSkill.objects.get(employee=people.worker, valid_to__isnull=True).status == "certified"


def test_it_refuses_markup_renamed_as_a_photo_and_oversized_files(people, api_client, in_alpha, settings):
    client = api_client(in_alpha, people.supervisor)
    evidence = URL.format(sn="W-1") + "/evidence"
    base = {"skill_id": people.skill.pk, "kind": "photo", "observed_on": "2024-05-02"}
    svg = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    for name, data in [("photo.png", svg), ("photo.png", b"<html><body><script>x()</script></body></html>")]:
        answer = client.post(evidence, {**base, "file": _upload(name, data, "image/png")})
        assert answer.status_code == 400
        assert "SVG ou du HTML" in answer.json()["detail"]
    text = client.post(evidence, {**base, "file": _upload("photo.png", b"juste du texte", "image/png")})
    assert "ni une photo" in text.json()["detail"]
    settings.ESIPRO_BOOKLET_MAX_FILE_MB = 1
    big = client.post(evidence, {**base, "file": _upload("grande.jpg", b"\xff\xd8" + b"0" * (1024 * 1024 + 10))})
    assert big.status_code == 400 and "trop volumineux" in big.json()["detail"] and "1 Mo" in big.json()["detail"]
    assert Evidence.objects.count() == 0


def test_it_reencodes_photos_without_their_metadata(people, api_client, in_alpha):
    client = api_client(in_alpha, people.supervisor)
    answer = client.post(URL.format(sn="W-1") + "/evidence", {
        "skill_id": people.skill.pk, "kind": "photo", "observed_on": "2024-05-02",
        "file": _upload("geste.jpg", image_bytes(exif=True) + b"<script>alert(1)</script>")})
    assert answer.status_code == 201, answer.json()
    stored = Evidence.objects.get().file.read()
    assert b"Photographe Secret" not in stored and b"CameraMaker" not in stored and b"<script>" not in stored
    assert stored[:2] == b"\xff\xd8"


def test_it_answers_404_for_another_organisations_booklet_on_every_route(people, api_client, beta, make_user):
    """W-1 and its items exist in alpha only: beta's administrator gets 404 everywhere, body valid or not."""
    with tenant_context(beta):
        stranger = make_user(beta, "admin")
    client = api_client(beta, stranger)
    base, n = URL.format(sn="W-1"), 1
    bodies = {
        "/experiences": {"title": "X", "start": "2020-01-01"}, "/skills": {"skill_id": 1, "level": 1},
        "/endorsements": {"skill_id": 1, "email": "a@b.fr", "name": "A"},
        "/interviews": {"kind": "annual", "held_on": "2020-01-01"}, "/pathway": {"kind": "esat", "start": "2020-01-01"},
        "/orientation": {"decision": "ESAT", "decided_on": "2020-01-01"},
    }
    for suffix, body in bodies.items():
        assert client.post(base + suffix, body, content_type="application/json").status_code == 404, suffix
    assert client.post(base + "/evidence", {"skill_id": 1, "kind": "note", "note": "x",
                                            "observed_on": "2020-01-01"}).status_code == 404
    assert client.post(base + "/import", {"file": _upload("b.zip", b"PK")}).status_code == 404
    for suffix in ("", "/audit", "/export", f"/evidence/{n}/file"):
        assert client.get(base + suffix).status_code == 404, suffix
    for kind in ("experiences", "evidence", "endorsements", "interviews", "pathway"):
        assert client.patch(f"{base}/{kind}/{n}", {}, content_type="application/json").status_code == 404, kind
        assert client.delete(f"{base}/{kind}/{n}").status_code == 404, kind


def test_it_requests_an_endorsement_by_email_without_returning_the_link(people, api_client, in_alpha,
                                                                        django_capture_on_commit_callbacks):
    client = api_client(in_alpha, people.worker_user)
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(URL.format(sn="W-1") + "/endorsements", {
            "skill_id": people.skill.pk, "email": "tuteur@entreprise.fr", "name": "Thomas Tuteur"},
            content_type="application/json")
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert body["status"] == "pending" and "token" not in body and "/endorse/" not in str(body)
    assert len(mail.outbox) == 1 and "/endorse/" in mail.outbox[0].body
    assert mail.outbox[0].to == ["tuteur@entreprise.fr"]
    bad = client.post(URL.format(sn="W-1") + "/endorsements", {"skill_id": people.skill.pk, "email": "pas-un-mail",
                                                               "name": "X"}, content_type="application/json")
    assert bad.status_code == 422 and "invalide" in bad.json()["detail"]


def test_it_restricts_the_orientation_to_administrators_and_the_supervisor(people, api_client, in_alpha):
    body = {"decision": "Orientation ESAT", "decided_on": "2022-01-15", "ends_on": "2027-01-14", "rqth": True}
    path = URL.format(sn="W-1") + "/orientation"
    assert api_client(in_alpha, people.hr).post(path, body, content_type="application/json").status_code == 403
    assert api_client(in_alpha, people.supervisor).post(path, body, content_type="application/json").status_code == 201
    assert api_client(in_alpha, people.admin).get(URL.format(sn="W-1")).json()["orientations"][0]["rqth"] is True
    for user in (people.hr, people.worker_user):
        assert api_client(in_alpha, user).get(URL.format(sn="W-1")).json().get("orientations") is None


def test_it_records_interviews_with_the_next_due_date(people, api_client, in_alpha):
    client = api_client(in_alpha, people.supervisor)
    answer = client.post(URL.format(sn="W-1") + "/interviews", {
        "kind": "annual", "held_on": "2024-01-31", "participants": "Bruno Encadrant", "skill_ids": [people.skill.pk],
        "wishes": "Je voudrais travailler en espace vert.", "goals": "Stage en espace vert", "trainings": "SST"},
        content_type="application/json")
    assert answer.status_code == 201, answer.json()
    assert answer.json()["next_due"] == "2025-01-31"
    future = client.post(URL.format(sn="W-1") + "/interviews", {
        "kind": "annual", "held_on": (datetime.date.today() + datetime.timedelta(days=3)).isoformat()},
        content_type="application/json")
    assert future.status_code == 422 and "futur" in future.json()["detail"]
