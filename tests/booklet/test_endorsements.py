"""Endorsements: a single-use, expiring secret link (frozen clock), stored hashed, answered without an
account; a used or expired link says so in plain French."""

import datetime
import hashlib
import re
import zoneinfo

import time_machine
from django.core import mail

from booklet.audit import Actor
from booklet.models import Endorsement
from booklet.services import endorsement_request

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def _request(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        endorsement_request(actor=Actor(people.worker_user), employee=people.worker, email="tuteur@garage.fr",
                            name="Thomas Tuteur", link_base="http://alpha.localhost", skill_id=people.skill.pk)
    link = re.search(r"http://alpha\.localhost(/endorse/\S+)", mail.outbox[-1].body).group(1)
    return link, Endorsement.objects.get()


def test_it_stores_only_the_hash_of_the_link(people, django_capture_on_commit_callbacks):
    link, endorsement = _request(people, django_capture_on_commit_callbacks)
    token = link.rsplit("/", 1)[1]
    assert endorsement.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(Endorsement.objects.values().get())


def test_it_accepts_once_and_then_says_the_link_was_used(people, client_for, in_alpha,
                                                         django_capture_on_commit_callbacks):
    with time_machine.travel(datetime.datetime(2025, 3, 10, 9, 0, tzinfo=PARIS), tick=False):
        link, _endorsement = _request(people, django_capture_on_commit_callbacks)
    anonymous = client_for(in_alpha)
    with time_machine.travel(datetime.datetime(2025, 3, 12, 14, 0, tzinfo=PARIS), tick=False):
        page = anonymous.get(link)
        assert page.status_code == 200
        html = page.content.decode()
        assert "Thomas Tuteur" in html and "Conduire un chariot élévateur" in html and "Je confirme" in html
        answer = anonymous.post(link, {"decision": "accepted", "comment": "Très fiable au quai."})
        assert answer.status_code == 200 and "Merci : vous avez confirmé" in answer.content.decode()
    endorsement = Endorsement.objects.get()
    assert (endorsement.status, endorsement.comment) == ("accepted", "Très fiable au quai.")
    with time_machine.travel(datetime.datetime(2025, 3, 13, 8, 0, tzinfo=PARIS), tick=False):
        again = anonymous.get(link)
        assert again.status_code == 410
        assert "Ce lien a déjà été utilisé le 12/03/2025" in again.content.decode()
        second = anonymous.post(link, {"decision": "refused"})
        assert second.status_code == 410
    assert Endorsement.objects.get().status == "accepted"


def test_it_says_an_expired_link_has_expired(people, client_for, in_alpha, django_capture_on_commit_callbacks):
    with time_machine.travel(datetime.datetime(2025, 3, 10, 9, 0, tzinfo=PARIS), tick=False):
        link, _endorsement = _request(people, django_capture_on_commit_callbacks)
    anonymous = client_for(in_alpha)
    with time_machine.travel(datetime.datetime(2025, 3, 24, 8, 59, tzinfo=PARIS), tick=False):
        assert anonymous.get(link).status_code == 200  # 14 days minus a minute: still valid
    with time_machine.travel(datetime.datetime(2025, 3, 24, 9, 1, tzinfo=PARIS), tick=False):
        page = anonymous.get(link)
        assert page.status_code == 410
        assert "Ce lien a expiré le 24/03/2025" in page.content.decode()
        assert anonymous.post(link, {"decision": "accepted"}).status_code == 410
    assert Endorsement.objects.get().status == "pending"


def test_it_says_an_unknown_link_is_not_valid_even_on_another_organisations_site(
        people, client_for, in_alpha, beta, django_capture_on_commit_callbacks):
    page = client_for(in_alpha).get("/endorse/inventé")
    assert page.status_code == 404 and "Ce lien n&#x27;est pas valable" in page.content.decode()
    link, _endorsement = _request(people, django_capture_on_commit_callbacks)
    elsewhere = client_for(beta).get(link)
    assert elsewhere.status_code == 404 and "Ce lien n&#x27;est pas valable" in elsewhere.content.decode()


def test_it_refuses_an_answer_without_a_choice(people, client_for, in_alpha, django_capture_on_commit_callbacks):
    link, _endorsement = _request(people, django_capture_on_commit_callbacks)
    page = client_for(in_alpha).post(link, {"comment": "?"})
    assert page.status_code == 200 and "Ce champ est obligatoire" in page.content.decode()
    assert Endorsement.objects.get().used_at is None
