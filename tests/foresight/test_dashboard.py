"""The dashboard of a scenario: the figures a person reads (checked by hand against the projection conventions),
the SVG charts with their tables, filters, the cache, the supervisor's team view and two scenarios side by side.

The ``workshop``: reference date 30/06/2025, horizon 2030, 5 % attrition, retirement at 64; 10 welders of whom
2 are 64 already (they retire in 2026 and hold the only TIG welding), 2 clerks on CDD in another unit."""

import re
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django_tenants.utils import schema_context

from foresight import services
from foresight.models import ScenarioResult
from tests.factories import EmployeeFactory


def text(response, status=200) -> str:
    assert response.status_code == status, response.status_code
    return response.content.decode()


def cell(page: str, row: str, col: str) -> str:
    found = re.search(rf'<tr {row}>.*?<td data-col="{col}">([^<]*)</td>', page, re.S)
    assert found, (row, col)
    return found.group(1)


def figure(page: str, name: str) -> str:
    return re.search(rf'data-figure="{name}"><span class="value">([^<]*)</span>', page).group(1)


@pytest.fixture
def hr(alpha, make_user, client_for):
    return client_for(alpha, make_user(alpha, "hr"))


def test_it_shows_the_figures_of_the_projection_as_charts_and_tables(hr, workshop):
    sid, welder = workshop["scenario"].pk, workshop["welder"]
    page = text(hr.get(f"/previsions/{sid}/"))
    assert figure(page, "start") == "12"
    assert figure(page, "horizon") == "7,7"  # 10 × 0,95⁵ (the 2 retirees leave in 2026)
    row = re.search(r'<tr data-year="2026">(.*?)</tr>', page, re.S).group(1)
    assert re.findall(r"<td[^>]*>([^<]*)</td>", row) == ["2,0", "0,0", "0,5", "2,5", "9,5"]
    assert cell(page, 'data-year="2027"', "headcount") == "9,0"  # 9,5 × 0,95 = 9,025
    # Welders: 10 today, 8 × 0,95⁵ = 6,19 expected, target = today's 10 → 3,8 missing.
    assert cell(page, f'data-job="{welder.pk}"', "target") == "10,0"
    assert cell(page, f'data-job="{welder.pk}"', "gap") == "3,8"
    assert page.count("<svg") >= 7 and page.count("Comment est-ce calculé ?") >= 6
    assert "Pyramide des âges par sexe" in page and "Femmes" in page and "Hommes" in page
    assert "Effectif par famille de métiers" in page and "Effectif par unité" in page
    # Knowledge loss: TIG welding is held only by the two retirees; HR sees who and when.
    risk = re.search(rf'<tr data-risk="{workshop["welding"].pk}">(.*?)</tr>', page, re.S).group(1)
    assert "tous les titulaires partent avant l&#x27;horizon" in risk
    assert workshop["people"][1].last_name in risk and "retraite le 01/03/2025" in risk
    # Skills: TIG welding is needed by the 10 welders of the target, and nobody holding it stays.
    tig = f'data-skill="{workshop["welding"].pk}"'
    assert (cell(page, tig, "demand"), cell(page, tig, "supply"), cell(page, tig, "gap")) == ("10,0", "0,0", "10,0")
    # No national data imported here: the empty state says how to import it.
    assert "python manage.py foresight_import DOSSIER" in page
    assert "Aucun emploi n'a de code ROME connu du référentiel" in page and 'data-figure="ecological"' not in page
    # The negotiation pack is one click away.
    assert "Télécharger le dossier GEPP" in page


def test_it_recomputes_when_a_need_or_the_staff_changes_and_serves_the_cache_otherwise(hr, workshop):
    scenario, welder = workshop["scenario"], workshop["welder"]
    url = f"/previsions/{scenario.pk}/"
    assert cell(text(hr.get(url)), f'data-job="{welder.pk}"', "gap") == "3,8"
    stamp = ScenarioResult.objects.get(scenario=scenario).computed_at
    text(hr.get(url))
    assert ScenarioResult.objects.get(scenario=scenario).computed_at == stamp  # served from the cache
    services.job_need_set(scenario=scenario, job_id=welder.pk, target_headcount=15)
    page = text(hr.get(url))
    assert cell(page, f'data-job="{welder.pk}"', "target") == "15,0"
    assert cell(page, f'data-job="{welder.pk}"', "gap") == "8,8"
    EmployeeFactory(staff_number="N1", job=welder, org_unit=workshop["unit"])
    page = text(hr.get(url))
    assert figure(page, "start") == "13"


def test_it_filters_by_org_unit_and_contract_type(hr, workshop):
    sid = workshop["scenario"].pk
    assert figure(text(hr.get(f"/previsions/{sid}/?org_unit={workshop['office'].pk}")), "start") == "2"
    assert figure(text(hr.get(f"/previsions/{sid}/?contract_type=cdi")), "start") == "10"
    page = text(hr.get(f"/previsions/{sid}/?contract_type=cdz"))
    assert "Filtre « Type de contrat » : « cdz » inconnu ; choisissez dans la liste. Le filtre est ignoré." in page
    assert figure(page, "start") == "12"
    assert hr.get(f"/previsions/{sid}/?org_unit=999999").status_code == 404


def test_it_shows_a_supervisor_the_pyramid_and_departures_of_their_team_only(workshop, alpha, make_user, client_for):
    supervisor = client_for(alpha, make_user(alpha, "supervisor", employee=workshop["boss"]))
    assert re.search(r'<a href="/previsions/"[^>]*>Prévisions</a>', text(supervisor.get("/")))
    page = text(supervisor.get(f"/previsions/{workshop['scenario'].pk}/"))
    assert "Votre équipe seulement." in page
    assert figure(page, "start") == "10"  # the boss and the 9 welders, not the clerks
    assert "Pyramide des âges" in page and "Départs par année jusqu'à l'horizon" in page
    assert "2,0" in re.search(r'<tr data-year="2026">(.*?)</tr>', page, re.S).group(1)
    # No sex split, no gaps, no skills, no names.
    for hidden in ("Femmes", "Écart d'effectif par emploi", "Risques de perte de savoir-faire",
                   workshop["people"][1].last_name, "Modifier les hypothèses"):
        assert hidden not in page


def test_it_draws_the_monte_carlo_band_when_runs_are_asked(hr, workshop):
    scenario = workshop["scenario"]
    services.scenario_update(scenario=scenario, monte_carlo_runs=200)
    page = text(hr.get(f"/previsions/{scenario.pk}/"))
    assert "Bande Monte-Carlo P10 – P90" in page and '<th scope="col">P90</th>' in page
    row = re.search(r'<tr data-year="2030">(.*?)</tr>', page, re.S).group(1)
    p10, p50, p90 = (float(v.replace(",", ".")) for v in re.findall(r"<td>([^<]*)</td>", row)[-3:])
    assert p10 <= p50 <= p90 and 5 <= p50 <= 10


def test_it_shows_national_shortage_and_the_ecological_share_once_imported(hr, workshop):
    from referentials.models import Occupation

    call_command("foresight_import", str(settings.ESIPRO_SHARED_DATA), stdout=StringIO())
    with schema_context("public"):
        Occupation.objects.update_or_create(code="H2913", defaults={
            "label": "Soudage manuel", "parent_code": "H2913", "ecological_tag": "Emploi verdissant"})
    welder = workshop["welder"]
    welder.rome_code = "H2913"
    welder.save()
    page = text(hr.get(f"/previsions/{workshop['scenario'].pk}/"))
    assert "foresight_import DOSSIER" not in page
    assert "1 emplois sur 2 (50\u00a0%) sont repérés par le ROME pour la transition écologique" in page
    assert "Emploi verdissant : 1" in page
    tension = re.search(r"<th scope=\"row\">Soudeur</th>.*?<td data-col=\"tension\">([^<]*)</td>", page, re.S).group(1)
    assert re.fullmatch(r"[1-5] – (très faible|faible|moyenne|forte|très forte)", tension)
    assert "Tension nationale du métier" in page


def test_it_compares_two_scenarios_side_by_side(hr, workshop):
    baseline, welder = workshop["scenario"], workshop["welder"]
    transition = services.scenario_copy(scenario=baseline, name="Transition écologique")
    services.job_need_set(scenario=transition, job_id=welder.pk, change_pct=50)
    page = text(hr.get(f"/previsions/comparer/?a={baseline.pk}&b={transition.pk}"))
    row = re.search(r"<tr><th scope=\"row\">Soudeur</th>(.*?)</tr>", page, re.S).group(1)
    assert re.search(r'data-col="gap-a">([^<]*)<', row).group(1) == "3,8"
    assert re.search(r'data-col="gap-b">([^<]*)<', row).group(1) == "8,8"  # 15 − 6,19
    assert page.count("<svg") >= 6
    assert 'id="a-departures-table"' in page and 'id="b-departures-table"' in page


def test_it_shows_an_empty_organisation_an_empty_but_working_dashboard(in_beta, beta, make_user, client_for):
    scenario = services.scenario_create(name="Vide", horizon_year=2030)
    page = text(client_for(beta, make_user(beta, "admin")).get(f"/previsions/{scenario.pk}/"))
    assert figure(page, "start") == "0"
    assert "Aucune compétence requise" in page and "Aucun risque détecté" in page
    assert page.count("<svg") >= 6


def test_it_recomputes_when_a_skill_level_is_withdrawn(hr, workshop, alpha, make_user):
    from skills_matrix.services import employee_skill_withdraw

    url = f"/previsions/{workshop['scenario'].pk}/"
    risk = re.compile(rf'<tr data-risk="{workshop["welding"].pk}"><th scope="row">[^<]*</th><td>3</td><td>(\d+)</td>')
    assert risk.search(text(hr.get(url))).group(1) == "2"
    employee_skill_withdraw(user=make_user(alpha, "hr"), employee=workshop["people"][1], skill=workshop["welding"])
    assert risk.search(text(hr.get(url))).group(1) == "1"


def test_it_recomputes_when_a_job_requirement_is_lowered(hr, workshop):
    from skills_matrix.services import job_requirement_set

    job_requirement_set(job=workshop["clerk"], skill=workshop["excel"], target_level=4)  # the highest level stays 4
    url = f"/previsions/{workshop['scenario'].pk}/"
    level = re.compile(rf'<tr data-risk="{workshop["welding"].pk}"><th scope="row">[^<]*</th><td>(\d)</td>')
    assert level.search(text(hr.get(url))).group(1) == "3"
    job_requirement_set(job=workshop["welder"], skill=workshop["welding"], target_level=2)
    assert level.search(text(hr.get(url))).group(1) == "2"


def test_it_shows_a_renamed_job_at_once(hr, workshop):
    url = f"/previsions/{workshop['scenario'].pk}/"
    assert "Soudeur</th>" in text(hr.get(url))
    welder = workshop["welder"]
    welder.title = "Soudeur TIG"
    welder.save()
    assert "Soudeur TIG" in text(hr.get(url))
