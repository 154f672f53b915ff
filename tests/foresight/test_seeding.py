"""Needs seeded from national foresight, end to end on the real DARES files: ``foresight_import`` then the seeding
of the jobs linked to a ROME occupation (net creations prorated to the horizon, emerging skills, tension)."""

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django_tenants.utils import schema_context

from foresight.models import JobNeed
from foresight.national import jobs_national
from foresight.seeding import needs_seed_national
from referentials.models import Occupation, OccupationSkill, Skill
from skills_matrix.models import OrgSkill
from tests.factories import JobFactory

DATA = settings.ESIPRO_SHARED_DATA


@pytest.fixture
def national(workshop):
    """The real DARES files, and a welding occupation with one emerging skill (the ROME's *Émergente* link)."""
    call_command("foresight_import", str(DATA), stdout=None)
    with schema_context("public"):
        occupation, _ = Occupation.objects.update_or_create(code="H2913", defaults={
            "label": "Soudage manuel", "parent_code": "H2913", "ecological_tag": "Emploi verdissant"})
        skill, _ = Skill.objects.update_or_create(code_ogr="999001", defaults={
            "label": "Souder avec un robot collaboratif", "kind": Skill.Kind.SAVOIR_FAIRE})
        OccupationSkill.objects.update_or_create(occupation=occupation, skill=skill,
                                                 defaults={"role": OccupationSkill.Role.EMERGING})
    workshop["welder"].rome_code = "H2913"
    workshop["welder"].save()
    return workshop


def test_it_seeds_the_needs_of_rome_jobs_from_the_real_dares_files(national):
    scenario = national["scenario"]
    info = jobs_national({"H2913"})["H2913"]
    assert info.fap_code and info.net_creations_pct is not None and info.tension_category in {1, 2, 3, 4, 5}
    JobFactory(title="Agent sans fiche")  # no ROME code: ignored
    result = needs_seed_national(scenario=scenario)
    assert (result.seeded, result.kept, result.skills_created) == (1, 0, 1)
    need = JobNeed.objects.get(job=national["welder"])
    assert need.source == "national"
    # « Les métiers en 2030 » covers 11 years; the scenario runs 5 (2025 → 2030).
    assert need.change_pct == pytest.approx(round(info.net_creations_pct * 100 * 5 / 11, 2))
    [required] = need.skills.all()
    assert (required.skill.label, required.level, required.change) == ("Souder avec un robot collaboratif", 2,
                                                                        "required")
    assert need.note.startswith("Prospective nationale (code ROME H2913). Famille professionnelle " + info.fap_code)
    assert "Tension DARES : " in need.note and "Transitions : Emploi verdissant." in need.note
    # Seeding again replaces its own needs and creates no second skill.
    again = needs_seed_national(scenario=scenario)
    assert (again.seeded, again.skills_created) == (1, 0)
    assert JobNeed.objects.count() == 1 and OrgSkill.objects.filter(label__startswith="Souder avec").count() == 1


def test_it_keeps_needs_typed_by_hand_unless_asked(national):
    scenario = national["scenario"]
    JobNeed.objects.create(scenario=scenario, job=national["welder"], target_headcount=15)
    result = needs_seed_national(scenario=scenario)
    assert (result.seeded, result.kept) == (0, 1)
    assert JobNeed.objects.get().target_headcount == 15
    needs_seed_national(scenario=scenario, overwrite=True)
    need = JobNeed.objects.get()
    assert (need.target_headcount, need.source) == (None, "national")


def test_it_seeds_from_the_page_and_shows_the_counts(national, in_alpha, make_user, client_for):
    hr = client_for(in_alpha, make_user(in_alpha, "hr"))
    scenario = national["scenario"]
    response = hr.post(reverse("foresight:needs_seed", args=[scenario.pk]), follow=True)
    assert response.status_code == 200
    assert ("Prospective nationale : 1 emploi(s) renseigné(s), 0 besoin(s) saisi(s) conservé(s), 0 emploi(s) sans "
            "donnée nationale, 1 compétence(s) émergente(s) ajoutée(s) au référentiel.") in response.content.decode()
    assert JobNeed.objects.get().source == "national"


def test_it_says_when_no_job_has_a_rome_code(workshop, in_alpha, make_user, client_for):
    hr = client_for(in_alpha, make_user(in_alpha, "hr"))
    response = hr.post(reverse("foresight:needs_seed", args=[workshop["scenario"].pk]), follow=True)
    assert "Aucun emploi n&#x27;est relié à une fiche ROME" in response.content.decode()
    assert not JobNeed.objects.exists()


def test_it_answers_404_and_403_on_the_seeding_route(workshop, in_alpha, beta, make_user, client_for):
    path = reverse("foresight:needs_seed", args=[workshop["scenario"].pk])
    assert client_for(beta, make_user(beta, "hr")).post(path).status_code == 404
    for role, person in (("employee", workshop["people"][5]), ("supervisor", workshop["boss"])):
        assert client_for(in_alpha, make_user(in_alpha, role, employee=person)).post(path).status_code == 403
    assert not JobNeed.objects.exists()


def test_it_seeds_through_the_api(national, in_alpha, beta, make_user, api_for):
    path = f"/api/v1/scenarios/{national['scenario'].pk}/needs/seed"
    api = api_for(in_alpha, make_user(in_alpha, "hr"))
    response = api.post(path, {}, content_type="application/json")
    assert (response.status_code, response.json()) == (200, {"seeded": 1, "kept": 0, "without_data": 0,
                                                             "skills_created": 1})
    assert api_for(beta, make_user(beta, "hr")).post(path, {}, content_type="application/json").status_code == 404
    supervisor = api_for(in_alpha, make_user(in_alpha, "supervisor", employee=national["boss"]))
    assert supervisor.post(path, {}, content_type="application/json").status_code == 403
