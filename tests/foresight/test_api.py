"""``/api/v1/scenarios…``: the contract, the French 422s, 404 across organisations, 403 by role."""

import pytest

from foresight.models import Scenario

BASE = "/api/v1/scenarios"


@pytest.fixture
def hr_api(in_alpha, make_user, api_for):
    return api_for(in_alpha, make_user(in_alpha, "hr"))


def post(api, path, body):
    return api.post(path, body, content_type="application/json")


def test_it_creates_reads_updates_lists_and_deletes_a_scenario(hr_api):
    created = post(hr_api, BASE, {"name": "Transition écologique", "horizon_year": 2030,
                                  "reference_date": "2025-01-01", "retirement_age": 64, "attrition_rate": 0.07})
    assert created.status_code == 201
    sid = created.json()["id"]
    assert hr_api.get(f"{BASE}/{sid}").json()["attrition_rate"] == 0.07
    patched = hr_api.patch(f"{BASE}/{sid}", {"monte_carlo_runs": 200}, content_type="application/json")
    assert patched.status_code == 200 and patched.json()["monte_carlo_runs"] == 200
    assert [s["name"] for s in hr_api.get(BASE).json()] == ["Transition écologique"]
    assert hr_api.delete(f"{BASE}/{sid}").status_code == 204
    assert not Scenario.objects.exists()


def test_it_refuses_a_horizon_before_the_reference_date_and_a_rate_outside_0_1(hr_api):
    response = post(hr_api, BASE, {"name": "X", "horizon_year": 2020, "reference_date": "2025-01-01",
                                   "retirement_age": 64, "attrition_rate": 1.2})
    assert response.status_code == 422
    errors = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert errors == {
        "horizon_year": "L'année d'horizon doit suivre l'année de la date de référence (2025) : indiquez 2026 ou plus.",
        "attrition_rate": "Taux de départs annuel entre 0 et 1 exclu (0,05 pour 5 % par an).",
    }


def test_it_refuses_unknown_job_and_skill_ids_in_a_need(hr_api, workshop):
    sid = workshop["scenario"].pk
    response = post(hr_api, f"{BASE}/{sid}/needs", {"job_id": 999999, "target_headcount": 3,
                                                    "skills": [{"skill_id": 888888, "level": 3}]})
    assert response.status_code == 422
    errors = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert errors["job_id"].startswith("Emploi 999999 inconnu")
    assert errors["skills"].startswith("Compétence(s) inconnue(s) : 888888")


def test_it_sets_reads_and_deletes_a_need(hr_api, workshop):
    sid, welder, excel = workshop["scenario"].pk, workshop["welder"], workshop["excel"]
    created = post(hr_api, f"{BASE}/{sid}/needs", {"job_id": welder.pk, "target_headcount": 12,
                                                   "skills": [{"skill_id": excel.pk, "level": 2}]})
    assert created.status_code == 201
    need = created.json()
    assert (need["job"], need["target_headcount"], need["skills"][0]["skill"]) == ("Soudeur", 12.0, "Tableur")
    assert hr_api.get(f"{BASE}/{sid}/needs/{need['id']}").json()["id"] == need["id"]
    assert hr_api.delete(f"{BASE}/{sid}/needs/{need['id']}").status_code == 204
    assert hr_api.get(f"{BASE}/{sid}/needs/{need['id']}").status_code == 404


def test_it_answers_the_projection_gaps_and_risks_with_every_field(hr_api, workshop):
    sid = workshop["scenario"].pk
    post(hr_api, f"{BASE}/{sid}/needs", {"job_id": workshop["welder"].pk, "change_pct": 20})
    projection = hr_api.get(f"{BASE}/{sid}/projection").json()
    assert projection["reference_date"] == "2025-06-30" and projection["horizon_year"] == 2030
    assert [p["year"] for p in projection["periods"]] == [2026, 2027, 2028, 2029, 2030]
    first = projection["periods"][0]
    # 12 present; the two born 1961-03-01 reach 64 on 2025-03-01 < d0 → retire in period 1.
    assert first["retirements"] == 2.0
    assert first["attrition"] == pytest.approx(10 * 0.05)
    assert first["headcount"] == pytest.approx(10 * 0.95)
    assert {"job_id", "job", "periods"} <= set(projection["jobs"][0])

    gaps = hr_api.get(f"{BASE}/{sid}/gaps").json()
    welder = next(j for j in gaps["jobs"] if j["job"] == "Soudeur")
    assert welder["current"] == 10 and welder["target"] == 12
    assert welder["projected"] == pytest.approx(8 * 0.95 ** 5)
    assert welder["gap"] == pytest.approx(12 - 8 * 0.95 ** 5)
    skill = next(s for s in gaps["skills"] if s["skill"] == "Soudure TIG")
    assert (skill["level"], skill["demand"], skill["supply"]) == (1, 12.0, 0.0)

    risks = hr_api.get(f"{BASE}/{sid}/risks").json()["risks"]
    welding = next(r for r in risks if r["skill"] == "Soudure TIG")
    assert (welding["holders"], welding["leaving_before_horizon"], welding["reason"]) == (2, 2, "all_leaving")
    assert len(welding["people"]) == 2 and welding["people"][0]["leaves_on"] == "2025-03-01"


def test_it_answers_404_for_another_organisations_scenario(in_beta, make_user, api_for, alpha):
    from django_tenants.utils import tenant_context

    with tenant_context(alpha):
        scenario = Scenario.objects.create(name="Alpha", horizon_year=2030)
    beta_api = api_for(in_beta, make_user(in_beta, "admin"))
    for path in ("", "/needs", "/needs/1", "/projection", "/gaps", "/risks"):
        assert beta_api.get(f"{BASE}/{scenario.pk}{path}").status_code == 404, path
    assert beta_api.patch(f"{BASE}/{scenario.pk}", {"name": "x"}, content_type="application/json").status_code == 404
    assert beta_api.delete(f"{BASE}/{scenario.pk}").status_code == 404
    assert post(beta_api, f"{BASE}/{scenario.pk}/needs", {"job_id": 1, "target_headcount": 1}).status_code == 404
    assert post(beta_api, f"{BASE}/{scenario.pk}/copy", {}).status_code == 404
    assert beta_api.delete(f"{BASE}/{scenario.pk}/needs/1").status_code == 404


def test_it_refuses_everything_to_an_employee(in_alpha, make_user, api_for, workshop):
    sid = workshop["scenario"].pk
    api = api_for(in_alpha, make_user(in_alpha, "employee", employee=workshop["people"][3]))
    for path in ("", f"/{sid}", f"/{sid}/needs", f"/{sid}/projection", f"/{sid}/gaps", f"/{sid}/risks"):
        assert api.get(f"{BASE}{path}").status_code == 403, path
    assert post(api, BASE, {"name": "x", "horizon_year": 2030}).status_code == 403
    assert api.delete(f"{BASE}/{sid}").status_code == 403


def test_it_gives_a_supervisor_the_projection_of_their_team_only(in_alpha, make_user, api_for, workshop):
    sid = workshop["scenario"].pk
    api = api_for(in_alpha, make_user(in_alpha, "supervisor", employee=workshop["boss"]))
    projection = api.get(f"{BASE}/{sid}/projection").json()
    assert projection["periods"][0]["retirements"] == 2.0
    assert projection["periods"][0]["headcount"] == pytest.approx(8 * 0.95)  # 10 welders, not the clerks
    assert api.get(f"{BASE}/{sid}/gaps").status_code == 403
    assert api.get(f"{BASE}/{sid}/risks").status_code == 403
    assert post(api, f"{BASE}/{sid}/needs", {"job_id": workshop["clerk"].pk}).status_code == 403
