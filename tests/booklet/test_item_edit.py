"""Booklet pages: "Modifier" on experiences, evidence, interviews and pathway steps — the form pre-filled
with the item, saved through the same services (rights and audit) as the API's PATCH."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import tenant_context

from booklet.audit import Actor
from booklet.models import AuditEntry, Evidence, Experience
from booklet.services import evidence_create, experience_create, interview_create, pathway_step_create

from .conftest import image_bytes

DAY = datetime.date(2024, 4, 2)


def _experience(people, author):
    return experience_create(actor=Actor(author), employee=people.worker, kind="work", title="Mise en rayon",
                             start=datetime.date(2023, 5, 2), skill_ids=[people.skill.pk])


def _evidence(people, author):
    return evidence_create(actor=Actor(author), employee=people.worker, skill_id=people.skill.pk, kind="note",
                           note="Gestes sûrs", situation="Quai de chargement", observed_on=DAY)


def _interview(people, author):
    return interview_create(actor=Actor(author), employee=people.worker, kind="annual", held_on=DAY,
                            wishes="Conduire le chariot")


def _pathway(people, author):
    return pathway_step_create(actor=Actor(author), employee=people.worker, kind="reinforced",
                               start=datetime.date(2023, 1, 1), employer="Boulangerie Martin", outcome="ongoing")


# kind, segment of the URL, maker, the value shown before, the form posted, the value shown after, the message
CASES = {
    "experience": ("experiences", _experience, "Mise en rayon", lambda p: {
        "kind": "work", "title": "Caisse et accueil", "place": "Magasin", "start": "2023-05-02", "end": "",
        "description": "", "skills": [p.skill2.pk]}, "Caisse et accueil", "Expérience modifiée."),
    "evidence": ("preuves", _evidence, "Gestes sûrs", lambda p: {
        "rae_step": "show", "note": "Gestes sûrs et rapides", "situation": "Quai de chargement",
        "observed_on": "2024-04-01", "valid_until": ""}, "Gestes sûrs et rapides", "Preuve modifiée."),
    "interview": ("entretiens", _interview, "Conduire le chariot", lambda p: {
        "kind": "annual", "held_on": "2024-04-02", "participants": "Bruno", "wishes": "Passer en milieu ordinaire",
        "goals": "", "trainings": "", "next_due": ""}, "Passer en milieu ordinaire", "Entretien modifié."),
    "pathway": ("parcours", _pathway, "Boulangerie Martin", lambda p: {
        "kind": "reinforced", "start": "2023-01-01", "end": "", "employer": "Fromagerie Dupuis", "convention": "",
        "outcome": "ongoing", "notes": ""}, "Fromagerie Dupuis", "Étape du parcours modifiée."),
}
# A form the service refuses, and the French error shown: the item stays as it was.
BAD = {
    "experience": ({"end": "2022-01-01"}, "la fin (01/01/2022) est avant le début (02/05/2023)"),
    "evidence": ({"observed_on": "pas une date"}, "Saisissez une date valide."),
    "interview": ({"held_on": (datetime.date.today() + datetime.timedelta(days=30)).isoformat()},
                  "est dans le futur"),
    "pathway": ({"start": "", "employer": "Ailleurs"}, "Ce champ est obligatoire."),
}
def _unchanged(item) -> bool:
    fresh = type(item).objects.get(pk=item.pk)
    return all(getattr(fresh, f.attname) == getattr(item, f.attname) for f in item._meta.concrete_fields)


@pytest.mark.parametrize("kind", CASES)
def test_staff_edit_an_item_and_the_booklet_shows_the_change(kind, people, client_for, in_alpha):
    segment, make, before, form, after, message = CASES[kind]
    item = make(people, people.supervisor)
    url = f"/carnet/W-1/{segment}/{item.pk}/modifier/"
    client = client_for(in_alpha, people.supervisor)
    assert url in client.get("/carnet/W-1/").content.decode()
    page = client.get(url)
    assert page.status_code == 200 and before in page.content.decode()   # pre-filled with the item
    answer = client.post(url, form(people))
    assert answer.status_code == 302 and answer["Location"] == "/carnet/W-1/"
    html = client.get("/carnet/W-1/").content.decode()
    assert message in html and after in html and before not in html.replace(after, "")
    assert AuditEntry.objects.filter(employee=people.worker, action="update", item=f"{kind} {item.pk}").count() == 1


@pytest.mark.parametrize("kind", CASES)
def test_bad_input_shows_a_french_error_and_changes_nothing(kind, people, client_for, in_alpha):
    segment, make, before, form, _after, _message = CASES[kind]
    item = make(people, people.supervisor)
    changes, error = BAD[kind]
    answer = client_for(in_alpha, people.hr).post(f"/carnet/W-1/{segment}/{item.pk}/modifier/",
                                                  {**form(people), **changes})
    assert answer.status_code == 200 and error in answer.content.decode()
    assert _unchanged(item)
    assert not AuditEntry.objects.filter(employee=people.worker, action="update").exists()


def test_experience_edit_changes_its_skills(people, client_for, in_alpha):
    item = _experience(people, people.supervisor)
    client_for(in_alpha, people.supervisor).post(f"/carnet/W-1/experiences/{item.pk}/modifier/",
                                                 CASES["experience"][3](people))
    assert list(Experience.objects.get(pk=item.pk).skills.all()) == [people.skill2]


def test_evidence_edit_keeps_its_file_and_says_so(people, client_for, in_alpha):
    item = evidence_create(actor=Actor(people.supervisor), employee=people.worker, skill_id=people.skill.pk,
                           kind="photo", note="Photo du geste", observed_on=DAY, file_name="geste.jpg",
                           file_data=image_bytes())
    name = item.file.name
    client = client_for(in_alpha, people.supervisor)
    page = client.get(f"/carnet/W-1/preuves/{item.pk}/modifier/").content.decode()
    assert "le fichier joint ne changent pas ici" in page and 'type="file"' not in page
    answer = client.post(f"/carnet/W-1/preuves/{item.pk}/modifier/", {
        "note": "Photo du geste, de face", "situation": "", "observed_on": "2024-04-02", "rae_step": "",
        "valid_until": "", "file": SimpleUploadedFile("autre.jpg", image_bytes(), "image/jpeg")})
    assert answer.status_code == 302
    fresh = Evidence.objects.get(pk=item.pk)
    assert fresh.note == "Photo du geste, de face" and fresh.file.name == name and fresh.kind == "photo"


def test_the_worker_edits_what_they_wrote_and_nothing_else(people, client_for, in_alpha):
    own = experience_create(actor=Actor(people.worker_user), employee=people.worker, kind="sport",
                            title="Football en club", start=datetime.date(2022, 9, 1))
    theirs = {kind: CASES[kind][1](people, people.supervisor) for kind in CASES}
    worker = client_for(in_alpha, people.worker_user)
    page = worker.get("/carnet/W-1/").content.decode()
    assert f"/carnet/W-1/experiences/{own.pk}/modifier/" in page
    for kind, item in theirs.items():
        url = f"/carnet/W-1/{CASES[kind][0]}/{item.pk}/modifier/"
        assert url not in page, kind
        assert worker.get(url).status_code == 403, kind
        assert worker.post(url, CASES[kind][3](people)).status_code == 403, kind
    answer = worker.post(f"/carnet/W-1/experiences/{own.pk}/modifier/", {
        "kind": "sport", "title": "Football et arbitrage", "start": "2022-09-01", "place": "", "end": "",
        "description": "J'arbitre les plus jeunes."}, follow=True)
    html = answer.content.decode()
    assert "Expérience modifiée." in html and "Football et arbitrage" in html
    assert all(_unchanged(item) for item in theirs.values())
    assert AuditEntry.objects.filter(action="update").count() == 1


@pytest.mark.parametrize("kind", CASES)
def test_it_answers_404_outside_the_booklet(kind, people, client_for, in_alpha, beta, make_user, employee_factory):
    segment, make, _before, form, *_rest = CASES[kind]
    item = make(people, people.supervisor)
    url = f"/carnet/W-1/{segment}/{item.pk}/modifier/"
    # Another worker: not their booklet; HR through another worker's booklet; an unknown id.
    other = client_for(in_alpha, people.other_user)
    assert other.get(url).status_code == 404 and other.post(url, form(people)).status_code == 404
    hr = client_for(in_alpha, people.hr)
    assert hr.get(f"/carnet/W-2/{segment}/{item.pk}/modifier/").status_code == 404
    assert hr.get(f"/carnet/W-1/{segment}/987654/modifier/").status_code == 404
    # Another organisation, even with a worker of the same staff number there.
    with tenant_context(beta):
        employee_factory(staff_number="W-1", first_name="Homonyme", last_name="Beta")
        stranger = make_user(beta, "admin")
    outsider = client_for(beta, stranger)
    assert outsider.get(url).status_code == 404 and outsider.post(url, form(people)).status_code == 404
    assert _unchanged(item) and not AuditEntry.objects.filter(action="update").exists()
