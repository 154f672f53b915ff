"""Prévisions pages: scenarios (list, create, edit, needs, assumptions, copy, delete) with French per-field
errors; rights by role and 404 across organisations."""

import re

import pytest

from foresight import services
from foresight.models import JobNeed, JobOverride, OrgUnitOverride, Scenario


def text(response, status=200) -> str:
    assert response.status_code == status, response.status_code
    return response.content.decode()


@pytest.fixture
def hr(alpha, make_user, client_for):
    return client_for(alpha, make_user(alpha, "hr"))


def field_errors(page: str, field: str) -> list[str]:
    block = re.search(rf'data-field="{field}">(.*?)</div>', page, re.S)
    assert block, field
    return [re.sub(r"<[^>]+>", "", e).strip() for e in re.findall(r"<li>(.*?)</li>", block.group(1), re.S)]


def test_it_lists_scenarios_with_their_assumptions_and_a_navigation_entry(hr, workshop):
    page = text(hr.get("/previsions/"))
    assert re.search(r'<a href="/previsions/"[^>]*>Prévisions</a>', page)
    row = re.search(rf'<tr data-scenario="{workshop["scenario"].pk}">(.*?)</tr>', page, re.S).group(1)
    assert "Fil de l&#x27;eau" in row and "2030" in row and "30/06/2025" in row and "5,0\u00a0%" in row
    assert "Nouveau scénario" in page


def test_it_creates_a_scenario_from_the_page(hr, in_alpha):
    response = hr.post("/previsions/nouveau/", {
        "name": "Transition écologique", "reference_date": "2025-01-01", "horizon_year": "2031",
        "retirement_age": "63", "attrition_pct": "4,5", "monte_carlo_runs": "100"})
    scenario = Scenario.objects.get(name="Transition écologique")
    assert response.status_code == 302 and response["Location"] == f"/previsions/{scenario.pk}/modifier/"
    assert (scenario.horizon_year, scenario.retirement_age, scenario.attrition_rate, scenario.monte_carlo_runs) == (
        2031, 63, 0.045, 100)


def test_it_explains_each_bad_field_in_french(hr, in_alpha):
    page = text(hr.post("/previsions/nouveau/", {
        "name": "", "reference_date": "2025-01-01", "horizon_year": "deux mille trente", "retirement_age": "64",
        "attrition_pct": "150", "monte_carlo_runs": "0"}), 422)
    assert field_errors(page, "name") == ["Donnez un nom au scénario (par exemple « Fil de l&#x27;eau »)."]
    assert field_errors(page, "horizon_year") == ["Indiquez un nombre (par exemple 2030)."]
    assert field_errors(page, "attrition_pct") == ["Taux de départs annuel entre 0 et 100 % exclu (5 pour 5 % par an)."]
    page = text(hr.post("/previsions/nouveau/", {
        "name": "Trop court", "reference_date": "2025-01-01", "horizon_year": "2024", "retirement_age": "90",
        "attrition_pct": "5", "monte_carlo_runs": "0"}), 422)
    assert field_errors(page, "horizon_year") == [
        "L&#x27;année d&#x27;horizon doit suivre l&#x27;année de la date de référence (2025) : indiquez 2026 ou plus."]
    assert field_errors(page, "retirement_age") == ["Âge de départ en retraite entre 50 et 75 ans (64 par défaut)."]
    assert not Scenario.objects.exists()


def test_it_edits_the_assumptions_and_refuses_a_duplicate_name(hr, workshop):
    scenario = workshop["scenario"]
    services.scenario_create(name="Autre", horizon_year=2030)
    form = {"name": "Autre", "reference_date": "2025-06-30", "horizon_year": "2032", "retirement_age": "64",
            "attrition_pct": "6", "monte_carlo_runs": "0"}
    page = text(hr.post(f"/previsions/{scenario.pk}/modifier/", form), 422)
    assert field_errors(page, "name") == ["Un scénario porte déjà ce nom : choisissez-en un autre."]
    form["name"] = "Fil de l'eau 2032"
    response = hr.post(f"/previsions/{scenario.pk}/modifier/", form, follow=True)
    assert "Hypothèses du scénario « Fil de l&#x27;eau 2032 » enregistrées." in text(response)
    scenario.refresh_from_db()
    assert (scenario.horizon_year, scenario.attrition_rate) == (2032, 0.06)


def test_it_types_needs_with_skill_changes_in_the_page(hr, workshop):
    scenario, welder, welding, excel = (workshop[k] for k in ("scenario", "welder", "welding", "excel"))
    response = hr.post(f"/previsions/{scenario.pk}/besoins/", {
        "job": welder.pk, "kind": "percent", "value": "20", "note": "",
        "skill": [excel.pk, welding.pk, ""], "change": ["required", "declining", "required"], "level": ["3", "2", "2"]},
        follow=True)
    page = text(response)
    assert "Besoin enregistré pour « Soudeur »." in page
    need = JobNeed.objects.get(scenario=scenario, job=welder)
    assert (need.change_pct, need.target_headcount) == (20.0, None)
    assert sorted((s.skill.label, s.change, s.level) for s in need.skills.all()) == [
        ("Soudure TIG", "declining", 2), ("Tableur", "required", 3)]
    row = re.search(rf'<tr data-job="{welder.pk}">(.*?)</tr>', page, re.S).group(1)
    assert "+20,0 %" in row and "Tableur – requise niveau 3" in row and "Soudure TIG – en déclin" in row
    # A bad value is refused with a message on the field; nothing changes.
    page = text(hr.post(f"/previsions/{scenario.pk}/besoins/", {
        "job": welder.pk, "kind": "absolute", "value": "", "skill": [""], "change": ["required"], "level": ["2"]}), 422)
    assert field_errors(page, "value") == ["Indiquez l&#x27;effectif cible ou l&#x27;évolution en %."]
    page = text(hr.post(f"/previsions/{scenario.pk}/besoins/", {
        "job": "999999", "kind": "absolute", "value": "3"}), 422)
    assert field_errors(page, "job") == ["Emploi inconnu : choisissez dans la liste."]
    page = text(hr.post(f"/previsions/{scenario.pk}/besoins/", {
        "job": welder.pk, "kind": "absolute", "value": "3", "skill": [excel.pk, excel.pk],
        "change": ["required", "required"], "level": ["2", "3"]}), 422)
    assert "Une même compétence est citée deux fois : gardez-en une." in page
    assert JobNeed.objects.get(scenario=scenario, job=welder).change_pct == 20.0
    response = hr.post(f"/previsions/{scenario.pk}/besoins/{need.pk}/supprimer/", follow=True)
    assert "Besoin retiré pour « Soudeur »." in text(response)
    assert not JobNeed.objects.exists()


def test_it_sets_per_job_and_per_unit_assumptions(hr, workshop):
    scenario, welder, unit = workshop["scenario"], workshop["welder"], workshop["unit"]
    response = hr.post(f"/previsions/{scenario.pk}/hypotheses/emploi/",
                       {"job": welder.pk, "retirement_age": "62", "attrition_pct": "7,5"}, follow=True)
    assert "Hypothèse enregistrée pour l&#x27;emploi « Soudeur »." in text(response)
    override = JobOverride.objects.get(scenario=scenario, job=welder)
    assert (override.retirement_age, override.attrition_rate) == (62, 0.075)
    page = text(hr.post(f"/previsions/{scenario.pk}/hypotheses/emploi/",
                        {"job": welder.pk, "retirement_age": "45", "attrition_pct": ""}), 422)
    assert "Âge de départ en retraite entre 50 et 75 ans (64 par défaut)." in page
    hr.post(f"/previsions/{scenario.pk}/hypotheses/unite/", {"org_unit": unit.pk, "attrition_pct": "9"})
    assert OrgUnitOverride.objects.get(scenario=scenario, org_unit=unit).attrition_rate == 0.09
    page = text(hr.post(f"/previsions/{scenario.pk}/hypotheses/unite/", {"org_unit": unit.pk, "attrition_pct": "x"}),
                422)
    assert "Indiquez un nombre (par exemple 8 ou 7,5)." in page


def test_it_copies_and_deletes_a_scenario(hr, workshop):
    scenario = workshop["scenario"]
    services.job_need_set(scenario=scenario, job_id=workshop["welder"].pk, target_headcount=12)
    response = hr.post(f"/previsions/{scenario.pk}/copier/", follow=True)
    copy = Scenario.objects.get(name="Fil de l'eau (copie)")
    assert "Scénario copié sous le nom « Fil de l&#x27;eau (copie) »" in text(response)
    assert copy.needs.get().target_headcount == 12
    assert "Supprimer le scénario « Fil de l&#x27;eau (copie) » ?" in text(hr.get(f"/previsions/{copy.pk}/supprimer/"))
    response = hr.post(f"/previsions/{copy.pk}/supprimer/", follow=True)
    assert "Scénario « Fil de l&#x27;eau (copie) » supprimé." in text(response)
    assert list(Scenario.objects.values_list("name", flat=True)) == ["Fil de l'eau"]


def test_it_answers_404_for_another_organisations_scenario(workshop, beta, make_user, client_for):
    other = client_for(beta, make_user(beta, "admin"))
    sid, nid = workshop["scenario"].pk, 1
    for url in (f"/previsions/{sid}/", f"/previsions/{sid}/modifier/", f"/previsions/{sid}/supprimer/",
                f"/previsions/comparer/?a={sid}&b={sid}"):
        assert other.get(url).status_code == 404, url
    for url in (f"/previsions/{sid}/copier/", f"/previsions/{sid}/besoins/", f"/previsions/{sid}/besoins/{nid}/supprimer/",
                f"/previsions/{sid}/hypotheses/emploi/", f"/previsions/{sid}/hypotheses/unite/"):
        assert other.post(url, {}).status_code == 404, url


def test_it_refuses_employees_everything_and_supervisors_the_writes(workshop, alpha, make_user, client_for):
    sid = workshop["scenario"].pk
    employee = client_for(alpha, make_user(alpha, "employee", employee=workshop["people"][3]))
    for url in ("/previsions/", f"/previsions/{sid}/", "/previsions/nouveau/", f"/previsions/{sid}/modifier/",
                "/previsions/comparer/"):
        assert employee.get(url).status_code == 403, url
    assert "Prévisions" not in text(employee.get("/"))
    supervisor = client_for(alpha, make_user(alpha, "supervisor", employee=workshop["boss"]))
    assert supervisor.get("/previsions/").status_code == 200
    for url in ("/previsions/nouveau/", f"/previsions/{sid}/modifier/", f"/previsions/{sid}/supprimer/",
                f"/previsions/comparer/?a={sid}&b={sid}"):
        assert supervisor.get(url).status_code == 403, url
    for url in (f"/previsions/{sid}/copier/", f"/previsions/{sid}/besoins/", f"/previsions/{sid}/hypotheses/unite/"):
        assert supervisor.post(url, {}).status_code == 403, url
    assert Scenario.objects.count() == 1


def test_it_links_the_gepp_pack_and_the_needs_import(hr, workshop):
    sid = workshop["scenario"].pk
    page = text(hr.get(f"/previsions/{sid}/"))
    assert "Télécharger le dossier GEPP :" in page
    for href in (f"/previsions/{sid}/dossier-gepp.xlsx", f"/previsions/{sid}/dossier-gepp/",
                 f"/previsions/{sid}/dossier-gepp.pdf"):
        assert f'href="{href}"' in page
    assert f'href="/previsions/{sid}/besoins/import/" id="needs-import">Importer des besoins</a>' in text(
        hr.get(f"/previsions/{sid}/modifier/"))
