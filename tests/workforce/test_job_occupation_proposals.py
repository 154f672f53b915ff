"""The job page proposes ROME occupations from the mapping engine (not a text search), with their confidence
and one click to link; an unknown ROME code is refused with the engine's proposals."""

from html import unescape

import pytest

from referentials.engine import words
from referentials.models import Occupation, OccupationTitle
from skills_matrix.models import JobRequirement
from workforce.models import Job, OccupationSuggestion

JSON = {"content_type": "application/json"}
# Not a ROME appellation, and no word in common with any label of its occupation (K1303, child care): only
# the engine's sense of words (here its word vectors) can bring it there.
HELD_OUT = "Nounou"
CODE, LABEL = "K1303", "Garde d'enfant"


@pytest.fixture
def engine(rome_referential, db):
    """The occupation index built (or loaded from disk), as the worker leaves it after a referential import:
    pages propose occupations only from a ready index."""
    from referentials.suggest import suggest_occupations

    suggest_occupations(HELD_OUT, k=1)


def _text(response) -> str:
    return unescape(response.content.decode())


def test_the_held_out_title_shares_no_word_with_its_occupations_labels(rome_referential, db):
    labels = [*OccupationTitle.objects.filter(occupation__code=CODE).values_list("label", flat=True),
              Occupation.objects.get(code=CODE).label]
    assert not OccupationTitle.objects.filter(label__icontains=HELD_OUT).exists()
    assert not set(words(HELD_OUT)) & {w for label in labels for w in words(label)}


def test_the_job_page_proposes_the_engines_occupations_and_links_one_in_one_click(engine, in_alpha, make_user,
                                                                                 client_for):
    job = Job.objects.create(title=HELD_OUT)
    client = client_for(in_alpha, make_user(in_alpha, "hr"))
    page = _text(client.get(f"/emplois/{job.pk}/"))
    proposals = page.split('id="rome-results"')[1].split("</table>")[0]
    assert f"Fiches proposées pour « {HELD_OUT} »" in page
    rows = proposals.split("<tr>")[2:]
    assert len(rows) == 5
    assert f"<strong>{CODE}</strong> – {LABEL}" in rows[0]  # the engine's first proposal
    assert 'name="action" value="rome_with_core"' in proposals
    done = _text(client.post(f"/emplois/{job.pk}/", {"action": "rome_with_core", "rome_code": CODE}, follow=True))
    job.refresh_from_db()
    added = JobRequirement.objects.filter(job=job).count()
    assert job.rome_code == CODE and added > 0
    assert f"Emploi relié à la fiche ROME {CODE} ; {added} compétence(s) clé(s) de la fiche ajoutée(s)." in done
    assert f"{CODE} – {LABEL}</a>" in done
    # other words typed: the engine again; a ROME code typed: that occupation
    other = _text(client.get(f"/emplois/{job.pk}/", {"rome": "soudure à l'arc"}))
    assert "Fiches proposées pour « soudure à l'arc »" in other and "<strong>H2913</strong>" in other
    code = _text(client.get(f"/emplois/{job.pk}/", {"rome": "h2913"}))
    assert "<strong>H2913</strong> – Soudeur / Soudeuse" in code


def test_the_job_list_proposes_occupations_from_the_engine_to_create_a_job(engine, in_alpha, make_user,
                                                                           client_for):
    page = _text(client_for(in_alpha, make_user(in_alpha, "hr")).get("/emplois/", {"rome": HELD_OUT.lower()}))
    found = page.split('id="from-rome"')[1]
    assert f'value="{CODE}" checked' in found  # the engine's first proposal, chosen by default
    assert f"{CODE} – {LABEL} <span class=\"muted\">(confiance 0," in found


def test_linking_a_job_by_hand_settles_its_pending_suggestions(rome_referential, in_alpha, make_user, client_for):
    job = Job.objects.create(title="Fournier")
    right = OccupationSuggestion.objects.create(job=job, rome_code="D1102", label="Boulanger / Boulangère",
                                                confidence=0.8)
    wrong = OccupationSuggestion.objects.create(job=job, rome_code="D1104", label="Pâtissier / Pâtissière",
                                                confidence=0.1)
    client_for(in_alpha, make_user(in_alpha, "hr")).post(f"/emplois/{job.pk}/", {"action": "rome",
                                                                                "rome_code": "D1102"})
    assert [OccupationSuggestion.objects.get(pk=s.pk).status for s in (right, wrong)] == ["accepted", "rejected"]


def test_an_unknown_rome_code_is_refused_with_the_engines_proposals(rome_referential, in_alpha, make_user,
                                                                    client_for, api_client):
    client = api_client(in_alpha, make_user(in_alpha, "hr"))
    refused = client.post("/api/v1/jobs", {"title": HELD_OUT, "rome_code": "D9999"}, **JSON)
    assert refused.status_code == 400
    body = refused.json()
    assert body["detail"].startswith(f"Code ROME « D9999 » inconnu. Fiches proposées pour « {HELD_OUT} » : "
                                     f"{CODE} – {LABEL} (0,")
    assert body["detail"].endswith("Reprenez l'un de ces codes, ou saisissez le code d'une fiche métier (une lettre "
                                   "et quatre chiffres, ex. D1402).")
    assert body["suggestions"][0]["code"] == CODE and len(body["suggestions"]) == 3
    assert not Job.objects.filter(title=HELD_OUT).exists()
    job = Job.objects.create(title="Soudeur TIG")
    changed = client.put(f"/api/v1/jobs/{job.pk}", {"rome_code": "H9999"}, **JSON)
    assert changed.status_code == 400
    assert "Fiches proposées pour « Soudeur TIG » : H2913 – Soudeur / Soudeuse (" in changed.json()["detail"]
    page = _text(client_for(in_alpha, make_user(in_alpha, "admin")).post(
        f"/emplois/{job.pk}/", {"action": "rome", "rome_code": "h9999"}))
    assert "Code ROME « H9999 » inconnu. Fiches proposées pour « Soudeur TIG » : H2913 – Soudeur / Soudeuse (" in page


@pytest.fixture
def alpha_job(in_alpha):
    return Job.objects.create(id=880_301, title="Secret alpha soudeur")


def test_the_proposals_are_guarded_by_organisation_and_role(rome_referential, alpha_job, in_alpha, beta, make_user,
                                                            client_for):
    other = client_for(beta, make_user(beta, "admin"))
    assert other.get(f"/emplois/{alpha_job.pk}/").status_code == 404
    assert other.post(f"/emplois/{alpha_job.pk}/", {"action": "rome_with_core", "rome_code": "H2913"}).status_code == 404
    employee = client_for(in_alpha, make_user(in_alpha, "employee"))
    assert 'id="rome-proposals"' not in employee.get(f"/emplois/{alpha_job.pk}/").content.decode()
    assert employee.post(f"/emplois/{alpha_job.pk}/",
                         {"action": "rome_with_core", "rome_code": "H2913"}).status_code == 403
    alpha_job.refresh_from_db()
    assert (alpha_job.rome_code, JobRequirement.objects.filter(job=alpha_job).count()) == ("", 0)
