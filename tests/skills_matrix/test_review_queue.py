"""The review queue (/competences/a-valider/): jobs and skills whose engine suggestion waits for a decision,
the most confident first, accepted or rejected line by line or all at once above 0.9."""

from html import unescape

import pytest

from referentials.models import Skill
from skills_matrix import services
from skills_matrix.models import JobRequirement, SkillMapping
from workforce.models import Job, OccupationSuggestion

PAGE = "/competences/a-valider/"


def _text(response) -> str:
    return unescape(response.content.decode())


@pytest.fixture
def queue(in_alpha, rome_referential):
    """Two jobs and two skills waiting, at confidences 0.95, 0.62 (jobs), 0.93, 0.41 (skills)."""
    baker = Job.objects.create(title="Fournier")
    welder = Job.objects.create(title="Assembleur TIG")
    suggestions = {
        "baker": OccupationSuggestion.objects.create(job=baker, rome_code="D1102", label="Boulanger / Boulangère",
                                                     confidence=0.95),
        "baker_alt": OccupationSuggestion.objects.create(job=baker, rome_code="D1104",
                                                         label="Pâtissier / Pâtissière", confidence=0.03),
        "welder": OccupationSuggestion.objects.create(job=welder, rome_code="H2913", label="Soudeur / Soudeuse",
                                                      confidence=0.62),
    }
    rome = list(Skill.objects.filter(source="rome").order_by("code_ogr")[:3])
    pruning = services.org_skill_get_or_create(label="Taille des haies")
    stock = services.org_skill_get_or_create(label="Suivi des réserves")
    mappings = {
        "pruning": SkillMapping.objects.create(org_skill=pruning, rome_skill=rome[0], confidence=0.93),
        "pruning_alt": SkillMapping.objects.create(org_skill=pruning, rome_skill=rome[1], confidence=0.2),
        "stock": SkillMapping.objects.create(org_skill=stock, rome_skill=rome[2], confidence=0.41),
    }
    return {"org": in_alpha, "jobs": {"baker": baker, "welder": welder}, "suggestions": suggestions, "mappings": mappings,
            "rome": rome}


def test_it_lists_jobs_and_skills_waiting_for_a_decision_most_confident_first(queue, make_user, client_for):
    page = _text(client_for(queue["org"], make_user(queue["org"], "hr")).get(PAGE))
    rome = queue["rome"]
    lines = [
        "Fournier", f"ROME {rome[0].code_ogr} – {rome[0].label}", "Assembleur TIG", f"ROME {rome[2].code_ogr}",
    ]
    positions = [page.index(text) for text in lines]
    assert positions == sorted(positions)
    assert "D1102 – Boulanger / Boulangère" in page and "(+ 1 autre proposition)" in page
    assert "H2913 – Soudeur / Soudeuse" in page
    assert "Taille des haies" in page and "Suivi des réserves" in page
    assert "0,95" in page and "0,41" in page
    assert "4 emplois et compétences attendent une décision" in page
    assert "Tout accepter au-dessus de 0,9" in page
    assert "2 suggestions concernées" in page
    jobs_only = _text(client_for(queue["org"], make_user(queue["org"], "hr")).get(PAGE, {"nature": "job"}))
    assert "Fournier" in jobs_only and "Taille des haies" not in jobs_only


def test_it_accepts_everything_above_0_9_at_once(queue, make_user, client_for):
    hr = make_user(queue["org"], "hr")
    done = _text(client_for(queue["org"], hr).post(PAGE, {"action": "accept_above"}, follow=True))
    assert "Au-dessus de 0,9 : 1 emploi(s) relié(s) à leur fiche ROME, 1 compétence(s) rapprochée(s)." in done
    baker, welder = (Job.objects.get(pk=queue["jobs"][name].pk) for name in ("baker", "welder"))
    assert (baker.rome_code, welder.rome_code) == ("D1102", "")
    statuses = {name: OccupationSuggestion.objects.get(pk=s.pk).status for name, s in queue["suggestions"].items()}
    assert statuses == {"baker": "accepted", "baker_alt": "rejected", "welder": "pending"}
    assert OccupationSuggestion.objects.get(pk=queue["suggestions"]["baker"].pk).reviewed_by == hr
    mappings = {name: SkillMapping.objects.get(pk=m.pk).status for name, m in queue["mappings"].items()}
    assert mappings == {"pruning": "accepted", "pruning_alt": "rejected", "stock": "suggested"}
    assert "1 emploi ou compétence" not in done
    assert "2 emplois et compétences attendent une décision" in done
    assert "Fournier" not in done.split('id="review-queue"')[1]
    assert "Tout accepter au-dessus de 0,9" not in done  # nothing left above it


def test_it_accepts_a_job_line_with_its_core_skills_and_shows_it_on_the_job_page(queue, make_user, client_for):
    client = client_for(queue["org"], make_user(queue["org"], "hr"))
    welder = queue["suggestions"]["welder"]
    done = _text(client.post(PAGE, {"action": "accept_job_core", "suggestion": welder.pk}, follow=True))
    job = Job.objects.get(pk=welder.job_id)
    added = JobRequirement.objects.filter(job=job).count()
    assert job.rome_code == "H2913" and added > 0
    assert (f"« Assembleur TIG » est relié à la fiche H2913 – Soudeur / Soudeuse. {added} compétences clés "
            "requises.") in done
    page = _text(client.get(f"/emplois/{job.pk}/"))
    assert "H2913 – Soudeur / Soudeuse</a>" in page
    assert f"Compétences requises <span class=\"muted\" id=\"requirement-count\">({added})</span>" in page
    again = _text(client.post(PAGE, {"action": "reject_job", "suggestion": welder.pk}, follow=True))
    assert "La fiche H2913 proposée pour « Assembleur TIG » a déjà été acceptée." in again


def test_it_rejects_a_line_and_shows_the_next_proposal_of_the_job_or_skill(queue, make_user, client_for):
    client = client_for(queue["org"], make_user(queue["org"], "hr"))
    baker = queue["suggestions"]["baker"]
    done = _text(client.post(PAGE, {"action": "reject_job", "suggestion": baker.pk}, follow=True))
    assert "Fiche D1102 rejetée pour « Fournier »." in done
    assert "D1104 – Pâtissier / Pâtissière" in done and "D1102 – Boulanger" not in done
    assert Job.objects.get(pk=baker.job_id).rome_code == ""
    stock = queue["mappings"]["stock"]
    done = _text(client.post(PAGE, {"action": "accept_skill", "mapping": stock.pk}, follow=True))
    assert f"« Suivi des réserves » est rapprochée de « {queue['rome'][2].label} »." in done
    assert SkillMapping.objects.get(pk=stock.pk).status == "accepted"
    pruning = queue["mappings"]["pruning"]
    done = _text(client.post(PAGE, {"action": "reject_skill", "mapping": pruning.pk}, follow=True))
    assert f"Suggestion « {queue['rome'][0].label} » rejetée pour « Taille des haies »." in done
    assert f"ROME {queue['rome'][1].code_ogr} – {queue['rome'][1].label}" in done


@pytest.fixture
def alpha_suggestion(in_alpha):
    job = Job.objects.create(id=880_201, title="Secret alpha file")
    mapping = SkillMapping.objects.create(
        id=880_203, org_skill=services.org_skill_get_or_create(label="Secret alpha compétence"),
        rome_skill=Skill.objects.filter(source="rome").order_by("code_ogr").first(), confidence=0.95)
    suggestion = OccupationSuggestion.objects.create(id=880_202, job=job, rome_code="D1102",
                                                     label="Boulanger / Boulangère", confidence=0.97)
    return suggestion, mapping


def test_it_answers_404_for_another_organisations_suggestion(rome_referential, alpha_suggestion, beta, make_user,
                                                             client_for):
    suggestion, mapping = alpha_suggestion
    client = client_for(beta, make_user(beta, "admin"))
    calls = [
        client.post(PAGE, {"action": "accept_job", "suggestion": suggestion.pk}),
        client.post(PAGE, {"action": "reject_job", "suggestion": suggestion.pk}),
        client.post(PAGE, {"action": "accept_skill", "mapping": mapping.pk}),
    ]
    assert [c.status_code for c in calls] == [404] * 3
    assert OccupationSuggestion.objects.get(pk=suggestion.pk).status == "pending"
    assert SkillMapping.objects.get(pk=mapping.pk).status == "suggested"


@pytest.mark.parametrize("role", ["supervisor", "employee"])
def test_it_refuses_the_review_queue_to_roles_without_the_right(rome_referential, alpha_suggestion, in_alpha, role,
                                                                make_user, client_for):
    suggestion, mapping = alpha_suggestion
    client = client_for(in_alpha, make_user(in_alpha, role))
    calls = [
        client.get(PAGE),
        client.post(PAGE, {"action": "accept_job", "suggestion": suggestion.pk}),
        client.post(PAGE, {"action": "accept_above"}),
        client.post(PAGE, {"action": "accept_skill", "mapping": mapping.pk}),
    ]
    assert [c.status_code for c in calls] == [403] * 4
    assert "Action réservée aux rôles : administrateur, RH." in calls[0].content.decode()
    assert OccupationSuggestion.objects.get(pk=suggestion.pk).status == "pending"


def test_the_skill_review_page_lists_the_engines_candidates_with_their_confidence(rome_referential, in_alpha,
                                                                                 make_user, client_for):
    from referentials.suggest import suggest_skills

    skill = services.org_skill_get_or_create(label="Taille de haies")
    best = suggest_skills("Taille de haies", k=1)[0]
    page = _text(client_for(in_alpha, make_user(in_alpha, "hr")).get(
        "/competences/rapprochements/", {"vue": "sans_correspondance", "rapprocher": skill.pk}))
    candidates = page.split('id="standard-results"')[1].split("</table>")[0]
    first = candidates.split("<tr>")[2]
    assert f"<td>{best.label}</td>" in first
    assert f'<progress class="progress" max="1" value="{best.confidence:.3f}"></progress>' in first
    assert 'name="code" value="' + best.code + '"' in first
