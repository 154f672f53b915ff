"""The organisation-wide plan: moves of highest total fit under the options, trainings, costs, external
hires; the API through a real worker; the plan page and its formula-safe export."""

import io

import openpyxl
import pytest
from django_tenants.utils import tenant_context

from mobility.models import MobilityPlan, MobilityWish, Training
from mobility.planning import plan_compute
from tests.conftest import committed_organization, wait_for

from .conftest import build_world


def gaps(world, **values):
    return {world.jobs[name].pk: gap for name, gap in values.items()}


def test_it_moves_the_best_fit_and_leaves_the_rest_to_hiring(world):
    training = Training.objects.create(title="Soudure TIG perfectionnement", cost=1200, hours=35)
    training.skills.create(skill=world.skills["tig"], level=4)
    plan = plan_compute(gaps=gaps(world, controleur=2.4, cariste=1, soudeur=-1))
    assert plan["moves"] == [{"staff_number": "E-A", "from_job_id": world.jobs["soudeur"].pk,
                              "to_job_id": world.jobs["controleur"].pk, "fit": 0.7, "training_ids": [training.pk]}]
    assert plan["training_cost"] == 1200 and plan["training_hours"] == 35
    assert sorted((h["job_id"], h["count"]) for h in plan["external_hires"]) == sorted(
        [(world.jobs["controleur"].pk, 1), (world.jobs["cariste"].pk, 1)])


def test_it_respects_interested_only_shrinking_jobs_only_and_minimum_fit(world):
    needs = gaps(world, controleur=1, soudeur=0)
    assert plan_compute(gaps=needs, interested_only=True)["moves"] == []
    MobilityWish.objects.create(employee=world.alice, job=world.jobs["controleur"])
    assert [m["staff_number"] for m in plan_compute(gaps=needs, interested_only=True)["moves"]] == ["E-A"]
    assert plan_compute(gaps=needs, shrinking_jobs_only=True)["moves"] == []
    shrinking = gaps(world, controleur=1, soudeur=-2)
    assert [m["staff_number"] for m in plan_compute(gaps=shrinking, shrinking_jobs_only=True)["moves"]] == ["E-A"]
    assert plan_compute(gaps=needs, min_fit=0.71)["moves"] == []
    assert plan_compute(gaps=needs, min_fit=0.7)["moves"] != []


def test_it_refuses_plans_to_people_without_the_right_and_other_organisations(world, alpha, beta, make_user,
                                                                            api_client):
    from foresight.models import Scenario

    scenario = Scenario.objects.create(name="Cap 2030", horizon_year=2030)
    plan = MobilityPlan.objects.create(scenario_id=scenario.pk)
    employee = api_client(alpha, make_user(alpha, "employee", employee=world.alice))
    assert employee.post(f"/api/v1/scenarios/{scenario.pk}/mobility-plan", {},
                         content_type="application/json").status_code == 403
    assert employee.get(f"/api/v1/mobility-plans/{plan.pk}").status_code == 403
    other = api_client(beta, make_user(beta, "hr"))
    assert other.post(f"/api/v1/scenarios/{scenario.pk}/mobility-plan", {},
                      content_type="application/json").status_code == 404
    assert other.get(f"/api/v1/mobility-plans/{plan.pk}").status_code == 404
    hr = api_client(alpha, make_user(alpha, "hr"))
    bad = hr.post(f"/api/v1/scenarios/{scenario.pk}/mobility-plan", {"min_fit": 2}, content_type="application/json")
    assert bad.status_code == 422


def test_it_ties_a_plan_to_its_scenario_and_answers_404_for_unknown_or_foreign_scenarios(world, alpha, beta,
                                                                                         make_user, api_client):
    from foresight.models import Scenario

    scenario = Scenario.objects.create(name="Cap 2030", horizon_year=2030)
    plan = MobilityPlan.objects.create(scenario=scenario)
    hr = api_client(alpha, make_user(alpha, "hr"))
    assert hr.post("/api/v1/scenarios/999999/mobility-plan", {}, content_type="application/json").status_code == 404
    other = api_client(beta, make_user(beta, "hr"))
    assert other.post(f"/api/v1/scenarios/{scenario.pk}/mobility-plan", {},
                      content_type="application/json").status_code == 404
    with tenant_context(beta):
        assert not MobilityPlan.objects.exists()
    assert hr.get(f"/api/v1/mobility-plans/{plan.pk}").json()["scenario_id"] == scenario.pk
    # A plan answers its scenario's gaps: deleting the scenario deletes the plan.
    scenario.delete()
    assert not MobilityPlan.objects.filter(pk=plan.pk).exists()
    assert hr.get(f"/api/v1/mobility-plans/{plan.pk}").status_code == 404


def test_it_runs_a_plan_in_the_worker_with_progress(celery_worker, django_db_blocker):
    from accounts.services import token_create, user_create
    from foresight.models import JobNeed, Scenario
    from tests.conftest import OrganizationClient

    with committed_organization(django_db_blocker, "plan") as org:
        with tenant_context(org):
            world = build_world()
            scenario = Scenario.objects.create(name="Cap 2030", horizon_year=2030, attrition_rate=0)
            JobNeed.objects.create(scenario=scenario, job=world.jobs["controleur"], target_headcount=2)
            hr = user_create(email="rh@plan.test", password="motdepasse-test", role="hr")
            _token, key = token_create(user=hr)
        client = OrganizationClient(org, HTTP_AUTHORIZATION=f"Bearer {key}")
        response = client.post(f"/api/v1/scenarios/{scenario.pk}/mobility-plan",
                               {"interested_only": False, "min_fit": 0.5}, content_type="application/json")
        assert response.status_code == 202
        plan_id = response.json()["id"]

        def finished():
            body = client.get(f"/api/v1/mobility-plans/{plan_id}").json()
            return body if body["status"] in ("done", "failed") else None

        body = wait_for(finished, timeout=60)
        assert body["status"] == "done", body
        assert body["progress"] == 100
        assert body["moves"] == [{"staff_number": "E-A", "from_job_id": world.jobs["soudeur"].pk,
                                  "to_job_id": world.jobs["controleur"].pk, "fit": 0.7, "training_ids": []}]
        assert body["external_hires"] == [{"job_id": world.jobs["controleur"].pk, "count": 1}]
        assert body["training_cost"] == 0
        assert celery_worker.poll() is None


def test_it_shows_and_exports_a_plan_without_formulas(world, alpha, make_user, client_for):
    from foresight.models import Scenario

    scenario = Scenario.objects.create(name="=HYPERLINK(\"http://x\")", horizon_year=2030)
    world.alice.first_name = "=1+1"
    world.alice.save()
    result = plan_compute(gaps=gaps(world, controleur=2))
    plan = MobilityPlan.objects.create(scenario_id=scenario.pk, status=MobilityPlan.Status.DONE, progress=100,
                                       result=result)
    hr = client_for(alpha, make_user(alpha, "hr"))
    page = hr.get(f"/mobilite/plans/{plan.pk}/").content.decode()
    assert "1 mouvement ; formations : 0 €, 0 h." in page and "Contrôleur qualité" in page
    response = hr.get(f"/mobilite/plans/{plan.pk}/export.xlsx")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    moves = book["Mouvements"]
    assert moves["B2"].value == "=1+1 Martin" and moves["B2"].data_type == "s"
    assert moves["D2"].value == "Contrôleur qualité" and moves["E2"].value == pytest.approx(0.7)
    assert book["Recrutements externes"]["B2"].value == 1
    assert book["Synthèse"]["B1"].data_type == "s"
    employee = client_for(alpha, make_user(alpha, "employee", employee=world.alice))
    assert employee.get(f"/mobilite/plans/{plan.pk}/").status_code == 403
    assert employee.get("/mobilite/plans/").status_code == 403


def test_it_launches_a_plan_from_the_page(world, alpha, make_user, client_for):
    from foresight.models import Scenario

    scenario = Scenario.objects.create(name="Cap 2030", horizon_year=2030)
    hr = client_for(alpha, make_user(alpha, "hr"))
    assert "Cap 2030 (2030)" in hr.get("/mobilite/plans/").content.decode()
    response = hr.post("/mobilite/plans/", {"scenario": scenario.pk, "min_fit": "60", "interested_only": "1"})
    plan = MobilityPlan.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/mobilite/plans/{plan.pk}/"
    assert plan.options == {"interested_only": True, "shrinking_jobs_only": False, "min_fit": 0.6}
    page = hr.post("/mobilite/plans/", {"scenario": scenario.pk, "min_fit": "beaucoup"}).content.decode()
    assert "indiquez un pourcentage entre 0 et 100" in page
    assert hr.post("/mobilite/plans/", {"scenario": 999999}).status_code == 404


def test_it_shows_the_scenario_gap_as_its_own_signal(world, alpha, make_user, client_for, api_client):
    from foresight.models import JobNeed, Scenario

    scenario = Scenario.objects.create(name="Cap 2030", horizon_year=2030, attrition_rate=0)
    JobNeed.objects.create(scenario=scenario, job=world.jobs["controleur"], target_headcount=3)
    hr = client_for(alpha, make_user(alpha, "hr"))
    page = hr.get(f"/mobilite/emplois/{world.jobs['controleur'].pk}/candidats/?scenario={scenario.pk}").content.decode()
    assert "Scénario « Cap 2030 » : il manquera 3 personne(s) dans cet emploi en 2030." in page
    paths = hr.get(f"/mobilite/salaries/E-A/?scenario={scenario.pk}").content.decode()
    assert "Scénario : 3 personne(s) manqueront" in paths
    data = api_client(alpha, make_user(alpha, "hr")).get(
        f"/api/v1/employees/E-A/mobility?scenario={scenario.pk}").json()["results"]
    assert data[0]["scenario_gap"] == pytest.approx(3) and data[0]["fit"] == pytest.approx(0.7)
    assert hr.get("/mobilite/salaries/E-A/?scenario=999999").status_code == 404
