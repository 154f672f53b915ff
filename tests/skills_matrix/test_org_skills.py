"""The page of the organisation's own skills: search, kind filter, edit (label, kind, description), delete
refused with what still holds the skill."""

from html import unescape

import pytest

from skills_matrix import services
from skills_matrix.models import EmployeeSkill, OrgSkill

from .conftest import moment

LIST = "/competences/catalogue/"


def _text(response) -> str:
    return unescape(response.content.decode())


def test_it_lists_searches_and_filters_the_organisations_skills(in_alpha, make_user, client_for, job_factory,
                                                                 employee_factory):
    weld = services.org_skill_get_or_create(label="Soudure TIG")
    services.org_skill_create(label="Travail en équipe", kind="savoir_etre")
    services.org_skill_create(label="Normes de soudage", kind="savoir")
    services.job_requirement_set(job=job_factory(), skill=weld)
    EmployeeSkill.objects.create(employee=employee_factory(), skill=weld, level=2, valid_from=moment("2024-01-01"))
    client = client_for(in_alpha, make_user(in_alpha, "hr"))
    page = _text(client.get(LIST))
    assert "3 compétences." in page
    assert (f'<a href="/competences/catalogue/{weld.pk}/">Soudure TIG</a></td><td>Savoir-faire</td>'
            "<td>1</td><td>1</td>") in page
    found = _text(client.get(LIST, {"q": "soud"}))
    assert "2 compétences." in found and "Travail en équipe" not in found
    soft = _text(client.get(LIST, {"kind": "savoir_etre"}))
    assert "1 compétence." in soft and "Travail en équipe</a></td><td>Savoir-être professionnel</td>" in soft
    bad = _text(client.get(LIST, {"kind": "savoir_vivre"}))
    assert "Nature « savoir_vivre » inconnue" in bad and "3 compétences." in bad


def test_it_creates_and_edits_a_skill_with_its_kind_and_description(in_alpha, make_user, client_for):
    client = client_for(in_alpha, make_user(in_alpha, "admin"))
    created = _text(client.post(LIST, {"label": "Écoute active", "kind": "savoir_etre", "description": ""},
                                follow=True))
    assert "Compétence « Écoute active » créée." in created
    skill = OrgSkill.objects.get(label="Écoute active")
    assert skill.kind == "savoir_etre"
    url = f"{LIST}{skill.pk}/"
    saved = _text(client.post(url, {"action": "save", "label": "Écoute active du client", "kind": "savoir",
                                    "description": "Reformuler la demande."}, follow=True))
    assert "Compétence « Écoute active du client » enregistrée." in saved
    skill.refresh_from_db()
    assert (skill.label, skill.kind, skill.description) == ("Écoute active du client", "savoir",
                                                            "Reformuler la demande.")
    services.org_skill_get_or_create(label="Soudure")
    clash = _text(client.post(url, {"action": "save", "label": "SOUDURE", "kind": "savoir"}))
    assert "Une autre compétence s'écrit déjà « SOUDURE » : fusionnez-les plutôt que de renommer." in clash
    empty = _text(client.post(url, {"action": "save", "label": "  ", "kind": "savoir"}))
    assert "L'intitulé de la compétence est vide : saisissez au moins un mot." in empty
    skill.refresh_from_db()
    assert skill.label == "Écoute active du client"


def test_it_deletes_an_unused_skill_and_explains_why_a_used_one_stays(in_alpha, make_user, client_for, job_factory,
                                                                      employee_factory):
    client = client_for(in_alpha, make_user(in_alpha, "hr"))
    unused = services.org_skill_get_or_create(label="Sténographie")
    gone = _text(client.post(f"{LIST}{unused.pk}/", {"action": "delete"}, follow=True))
    assert "Compétence « Sténographie » supprimée." in gone
    assert not OrgSkill.objects.filter(pk=unused.pk).exists()

    used = services.org_skill_get_or_create(label="Cariste")
    services.job_requirement_set(job=job_factory(title="Magasinier"), skill=used)
    EmployeeSkill.objects.create(employee=employee_factory(), skill=used, level=2, valid_from=moment("2024-01-01"))
    refused = _text(client.post(f"{LIST}{used.pk}/", {"action": "delete"}))
    assert ("La compétence « Cariste » est encore utilisée : 1 niveau(x) actuel(s) de salariés et 1 exigence(s) "
            "d'emploi (Magasinier). Retirez-la d'abord de chaque emploi") in refused
    assert OrgSkill.objects.filter(pk=used.pk).exists()

    old = services.org_skill_get_or_create(label="Télex")
    EmployeeSkill.objects.create(employee=employee_factory(), skill=old, level=1, valid_from=moment("2020-01-01"),
                                 valid_to=moment("2021-01-01"))
    history = _text(client.post(f"{LIST}{old.pk}/", {"action": "delete"}))
    assert ("La compétence « Télex » n'est plus utilisée aujourd'hui, mais l'historique des niveaux en garde "
            "1 version(s) close(s)") in history
    assert "Renommez-la plutôt (par exemple en ajoutant « (obsolète) »)" in history
    assert OrgSkill.objects.filter(pk=old.pk).exists()


def test_it_explains_a_refused_delete_through_the_api(in_alpha, make_user, api_client, job_factory):
    skill = services.org_skill_get_or_create(label="Cariste")
    services.job_requirement_set(job=job_factory(title="Magasinier"), skill=skill)
    response = api_client(in_alpha, make_user(in_alpha, "hr")).delete(f"/api/v1/skills/{skill.pk}")
    assert response.status_code == 400
    assert "0 niveau(x) actuel(s) de salariés et 1 exigence(s) d'emploi (Magasinier)" in response.json()["detail"]


def test_it_links_the_page_from_the_navigation_of_roles_with_the_right(in_alpha, make_user, client_for):
    hr = _text(client_for(in_alpha, make_user(in_alpha, "hr")).get("/emplois/"))
    assert f'href="{LIST}"' in hr and "Catalogue des compétences" in hr
    supervisor = _text(client_for(in_alpha, make_user(in_alpha, "supervisor")).get("/emplois/"))
    assert f'href="{LIST}"' not in supervisor


@pytest.fixture
def alpha_skill(in_alpha):
    return OrgSkill.objects.create(id=880_201, label="Secret catalogue", normalized_label="secret catalogue")


def test_it_answers_404_for_another_organisations_skill(alpha_skill, beta, make_user, client_for):
    client = client_for(beta, make_user(beta, "admin"))
    url = f"{LIST}{alpha_skill.pk}/"
    calls = [client.get(url), client.post(url, {"action": "save", "label": "x", "kind": "savoir"}),
             client.post(url, {"action": "delete"})]
    assert [c.status_code for c in calls] == [404] * len(calls)
    assert "Secret catalogue" not in _text(client.get(LIST))
    alpha_skill.refresh_from_db()
    assert alpha_skill.label == "Secret catalogue"


def test_it_refuses_the_page_to_roles_without_the_right(alpha_skill, in_alpha, make_user, client_for,
                                                       employee_factory):
    url = f"{LIST}{alpha_skill.pk}/"
    worker = client_for(in_alpha, make_user(in_alpha, "employee", employee=employee_factory()))
    for client in (client_for(in_alpha, make_user(in_alpha, "supervisor")), worker):
        calls = [client.get(LIST), client.post(LIST, {"label": "Nouvelle", "kind": "savoir"}), client.get(url),
                 client.post(url, {"action": "save", "label": "x", "kind": "savoir"}),
                 client.post(url, {"action": "delete"})]
        assert [c.status_code for c in calls] == [403] * len(calls)
    assert OrgSkill.objects.filter(pk=alpha_skill.pk, label="Secret catalogue").exists()
    assert not OrgSkill.objects.filter(label="Nouvelle").exists()
