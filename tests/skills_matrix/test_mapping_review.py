"""Mapping review both ways: a skill mapped by hand onto a chosen ROME/ESCO skill, accepting one suggestion
rejects the others, accepted mappings can be seen and cancelled, unmapped skills stay findable."""

from html import unescape

import pytest

from referentials.models import EscoSkill, Skill
from referentials.readers import normalize_search
from skills_matrix import services
from skills_matrix.models import OrgSkill, SkillMapping

JSON = {"content_type": "application/json"}
PAGE = "/competences/rapprochements/"


def _rome(code: str, label: str) -> Skill:
    return Skill.objects.create(code_ogr=code, label=label, kind="savoir_faire", search_text=normalize_search(label))


def _text(response) -> str:
    return unescape(response.content.decode())


def test_it_maps_a_skill_onto_a_chosen_rome_or_esco_skill_through_the_api(in_alpha, make_user, api_client):
    skill = services.org_skill_get_or_create(label="Cariste")
    chosen = _rome("T-R2-1", "Conduire un chariot élévateur")
    suggested = SkillMapping.objects.create(org_skill=skill, rome_skill=_rome("T-R2-2", "Conduire un bus"),
                                            confidence=0.7)
    esco = EscoSkill.objects.create(uri="http://data.europa.eu/esco/skill/t-r2", label="conduire un chariot")
    client = api_client(in_alpha, make_user(in_alpha, "hr"))
    created = client.post(f"/api/v1/skills/{skill.pk}/mappings", {"source": "rome", "code": "T-R2-1"}, **JSON)
    assert created.status_code == 201
    body = created.json()
    assert (body["source"], body["code"], body["label"], body["status"], body["confidence"]) == (
        "rome", "T-R2-1", chosen.label, "accepted", 1.0)
    suggested.refresh_from_db()
    skill.refresh_from_db()
    assert suggested.status == "rejected"
    assert skill.needs_mapping is False
    by_esco = client.post(f"/api/v1/skills/{skill.pk}/mappings", {"source": "esco", "code": esco.uri}, **JSON)
    assert (by_esco.status_code, by_esco.json()["source"], by_esco.json()["status"]) == (201, "esco", "accepted")
    unknown = client.post(f"/api/v1/skills/{skill.pk}/mappings", {"source": "rome", "code": "NOPE"}, **JSON)
    assert unknown.status_code == 404
    assert unknown.json()["detail"].startswith("Compétence ROME « NOPE » introuvable dans le référentiel")
    bad_source = client.post(f"/api/v1/skills/{skill.pk}/mappings", {"source": "isco", "code": "x"}, **JSON)
    assert bad_source.status_code == 400
    assert bad_source.json()["detail"] == ("Référentiel « isco » inconnu : indiquez « rome » (code OGR) ou "
                                           "« esco » (URI).")
    accepted = client.get(f"/api/v1/skills/{skill.pk}/mappings?status=accepted").json()
    assert sorted(m["code"] for m in accepted) == sorted(["T-R2-1", esco.uri])


def test_it_rejects_the_other_suggestions_of_a_skill_when_one_is_accepted(in_alpha, make_user, client_for):
    skill = services.org_skill_get_or_create(label="Accueil clientèle")
    mappings = [SkillMapping.objects.create(org_skill=skill, rome_skill=_rome(f"T-R2-A{n}", f"Accueillir {n}"),
                                            confidence=0.5 + n / 10) for n in range(3)]
    client = client_for(in_alpha, make_user(in_alpha, "hr"))
    done = _text(client.post(PAGE, {"action": "accept", "mapping": [mappings[2].pk]}, follow=True))
    assert "1 correspondance(s) acceptée(s) ; les autres suggestions de ces compétences sont rejetées." in done
    assert "<strong>Accueil clientèle</strong>" not in done
    assert "Aucune suggestion en attente de revue." in done
    assert [m.status for m in SkillMapping.objects.order_by("rome_skill__code_ogr")] == [
        "rejected", "rejected", "accepted"]


def test_it_maps_a_skill_by_hand_and_cancels_the_mapping_from_the_page(in_alpha, make_user, client_for):
    skill = services.org_skill_get_or_create(label="Cariste")
    target = _rome("T-R2-M1", "Conduire un chariot élévateur de catégorie 3")
    client = client_for(in_alpha, make_user(in_alpha, "hr"))
    unmapped = _text(client.get(PAGE + "?vue=sans_correspondance"))
    assert "<strong>Cariste</strong>" in unmapped
    assert "Sans correspondance (1)" in unmapped
    search = _text(client.get(PAGE, {"vue": "sans_correspondance", "rapprocher": skill.pk,
                                     "standard": "chariot élévateur catégorie"}))
    assert "Rapprocher « Cariste » d'une compétence du référentiel" in search
    assert f"<td>ROME T-R2-M1</td><td>{target.label}</td>" in search
    mapped = _text(client.post(PAGE, {"action": "map", "vue": "sans_correspondance", "skill": skill.pk,
                                      "source": "rome", "code": "T-R2-M1"}, follow=True))
    assert f"« Cariste » est rapprochée de « {target.label} » (correspondance acceptée)." in mapped
    assert "<strong>Cariste</strong>" not in mapped
    accepted = _text(client.get(PAGE + "?vue=acceptees"))
    assert "<strong>Cariste</strong>" in accepted
    assert f"ROME T-R2-M1 – {target.label}" in accepted
    mapping = SkillMapping.objects.get(org_skill=skill)
    cancelled = _text(client.post(PAGE, {"action": "cancel", "vue": "acceptees", "mapping": mapping.pk},
                                  follow=True))
    assert f"Correspondance « Cariste » → « {target.label} » annulée (rejetée)." in cancelled
    assert "Aucune correspondance acceptée." in cancelled
    mapping.refresh_from_db()
    skill.refresh_from_db()
    assert (mapping.status, skill.needs_mapping) == ("rejected", True)
    again = _text(client.post(PAGE, {"action": "cancel", "mapping": mapping.pk}, follow=True))
    assert "Seule une correspondance acceptée peut être annulée." in again
    unknown = _text(client.post(PAGE, {"action": "map", "skill": skill.pk, "source": "rome", "code": "ZZZ"},
                                follow=True))
    assert "Compétence ROME « ZZZ » introuvable dans le référentiel" in unknown


def test_it_keeps_a_skill_whose_suggestions_were_all_rejected_findable(in_alpha, make_user, client_for):
    skill = services.org_skill_get_or_create(label="Nettoyage des locaux")
    mapping = SkillMapping.objects.create(org_skill=skill, rome_skill=_rome("T-R2-N1", "Nettoyer"), confidence=0.6)
    client = client_for(in_alpha, make_user(in_alpha, "hr"))
    queue = _text(client.post(PAGE, {"action": "reject", "mapping": [mapping.pk]}, follow=True))
    assert "<strong>Nettoyage des locaux</strong>" not in queue
    found = _text(client.get(PAGE, {"vue": "sans_correspondance", "q": "nettoyage"}))
    assert "<strong>Nettoyage des locaux</strong>" in found
    assert f'name="rapprocher" value="{skill.pk}"' in found


@pytest.fixture
def alpha_mapping(in_alpha):
    skill = OrgSkill.objects.create(id=880_101, label="Secret alpha R2", normalized_label="secret alpha r2")
    rome = _rome("T-R2-ISO", "Iso R2")
    return SkillMapping.objects.create(id=880_102, org_skill=skill, rome_skill=rome, confidence=1.0,
                                       status="accepted")


def test_it_answers_404_for_another_organisations_skill_or_mapping(alpha_mapping, beta, make_user, client_for,
                                                                   api_client):
    skill = alpha_mapping.org_skill_id
    page = client_for(beta, make_user(beta, "admin"))
    api = api_client(beta, make_user(beta, "admin"))
    calls = [
        page.get(PAGE, {"rapprocher": skill, "standard": "iso"}),
        page.post(PAGE, {"action": "map", "skill": skill, "source": "rome", "code": "T-R2-ISO"}),
        page.post(PAGE, {"action": "cancel", "mapping": alpha_mapping.pk}),
        api.post(f"/api/v1/skills/{skill}/mappings", {"source": "rome", "code": "T-R2-ISO"}, **JSON),
    ]
    assert [c.status_code for c in calls] == [404] * len(calls)
    alpha_mapping.refresh_from_db()
    assert alpha_mapping.status == "accepted"


def test_it_refuses_the_mapping_routes_to_roles_without_the_right(alpha_mapping, in_alpha, make_user, client_for,
                                                                  api_client):
    skill = alpha_mapping.org_skill_id
    page = client_for(in_alpha, make_user(in_alpha, "supervisor"))
    api = api_client(in_alpha, make_user(in_alpha, "supervisor"))
    calls = [
        page.get(PAGE + "?vue=acceptees"),
        page.get(PAGE, {"rapprocher": skill, "standard": "iso"}),
        page.post(PAGE, {"action": "map", "skill": skill, "source": "rome", "code": "T-R2-ISO"}),
        page.post(PAGE, {"action": "cancel", "mapping": alpha_mapping.pk}),
        api.post(f"/api/v1/skills/{skill}/mappings", {"source": "rome", "code": "T-R2-ISO"}, **JSON),
    ]
    assert [c.status_code for c in calls] == [403] * len(calls)
    alpha_mapping.refresh_from_db()
    assert alpha_mapping.status == "accepted"
