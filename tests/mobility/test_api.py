"""The mobility API contract: suggestions, candidates, wishes, trainings, training plans; scopes and 404s."""

import pytest

from mobility.models import MobilityWish, Training


def results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_it_ranks_an_employees_jobs_with_exact_fit_and_lines(world, alpha, make_user, api_client):
    hr = make_user(alpha, "hr")
    data = results(api_client(alpha, hr).get("/api/v1/employees/E-A/mobility?limit=10"))
    assert [r["job"] for r in data] == ["Contrôleur qualité"]
    first = data[0]
    assert first["fit"] == pytest.approx(0.7)
    assert first["job_id"] == world.jobs["controleur"].pk
    assert first["interested"] is False and first["rome_edge"] is False
    lines = {line["skill"]: line for line in first["requirements"]}
    assert lines["Soudure TIG"] | {} == lines["Soudure TIG"]
    assert (lines["Soudure TIG"]["required"], lines["Soudure TIG"]["held"], lines["Soudure TIG"]["credit"],
            lines["Soudure TIG"]["via"], lines["Soudure TIG"]["critical"]) == (4, 2, 0.5, "same", True)
    assert (lines["Lecture de plans"]["via"], lines["Lecture de plans"]["source_skill"],
            lines["Lecture de plans"]["credit"]) == ("mapping", "Dessin industriel", 1.0)
    assert (lines["Contrôle qualité"]["via"], lines["Contrôle qualité"]["held"],
            lines["Contrôle qualité"]["credit"]) == ("similar", pytest.approx(2.4), pytest.approx(0.8))
    weighted = sum(x["weight"] * x["credit"] for x in first["requirements"]) / sum(
        x["weight"] for x in first["requirements"])
    assert first["fit"] == pytest.approx(weighted)
    text = " ".join(first["explanation"])
    assert "il manque 2 niveaux" in text
    assert "« Lecture de plans » compte grâce à « Dessin industriel »" in text
    assert "compétence proche « Métrologie » (similarité 0,80)" in text


def test_it_lists_candidates_for_a_job_with_filters(world, alpha, make_user, api_client):
    client = api_client(alpha, make_user(alpha, "hr"))
    url = f"/api/v1/jobs/{world.jobs['controleur'].pk}/candidates"
    data = results(client.get(url))
    assert [(r["staff_number"], r["name"], r["fit"]) for r in data] == [("E-A", "Alice Martin", pytest.approx(0.7))]
    assert results(client.get(url + "?min_fit=0.8")) == []
    assert results(client.get(url + "?interested=true")) == []
    assert results(client.get(url + f"?org_unit={world.units['vienne'].pk}")) == []
    MobilityWish.objects.create(employee=world.alice, job=world.jobs["controleur"])
    interested = results(client.get(url + "?interested=true"))
    assert [r["staff_number"] for r in interested] == ["E-A"] and interested[0]["interested"] is True
    assert client.get(url + "?min_fit=2").status_code == 422


def test_it_shows_the_rome_edge_as_its_own_signal(world, alpha, make_user, api_client):
    from referentials.models import MobilityEdge, Occupation

    # get_or_create: the session may have imported the real ROME, which holds both occupations.
    source, _ = Occupation.objects.get_or_create(code="H2913", defaults={"label": "Soudage manuel"})
    target, _ = Occupation.objects.get_or_create(
        code="H1502", defaults={"label": "Management et ingénierie qualité industrielle"})
    MobilityEdge.objects.get_or_create(source=source, target=target, defaults={"order": 1})
    data = results(api_client(alpha, make_user(alpha, "hr")).get("/api/v1/employees/E-A/mobility"))
    assert data[0]["rome_edge"] is True
    assert data[0]["fit"] == pytest.approx(0.7)
    assert "(H2913 → H1502)" in data[0]["explanation"][-1]


def test_it_lets_an_employee_read_only_their_own_paths(world, alpha, make_user, api_client):
    client = api_client(alpha, make_user(alpha, "employee", employee=world.alice))
    assert client.get("/api/v1/employees/E-A/mobility").status_code == 200
    assert client.get("/api/v1/employees/E-B/mobility").status_code == 404
    assert client.get(f"/api/v1/jobs/{world.jobs['controleur'].pk}/candidates").status_code == 403


def test_it_limits_a_supervisor_to_their_team(world, alpha, make_user, api_client):
    from workforce.models import Employee

    boss = Employee.objects.create(staff_number="E-C", first_name="Chloé", last_name="Durand")
    world.alice.manager = boss
    world.alice.save()
    client = api_client(alpha, make_user(alpha, "supervisor", employee=boss))
    assert client.get("/api/v1/employees/E-A/mobility").status_code == 200
    assert client.get("/api/v1/employees/E-B/mobility").status_code == 404
    assert [r["staff_number"] for r in results(client.get(
        f"/api/v1/jobs/{world.jobs['controleur'].pk}/candidates"))] == ["E-A"]
    assert [r["staff_number"] for r in results(client.get(
        f"/api/v1/jobs/{world.jobs['soudeur'].pk}/candidates"))] == []
    assert client.post("/api/v1/employees/E-A/wishes", {"job_id": world.jobs["controleur"].pk},
                       content_type="application/json").status_code == 403


def test_it_records_a_wish_from_the_employee_themself(world, alpha, make_user, api_client):
    client = api_client(alpha, make_user(alpha, "employee", employee=world.alice))
    job = world.jobs["controleur"]
    response = client.post("/api/v1/employees/E-A/wishes", {"job_id": job.pk}, content_type="application/json")
    assert response.status_code == 201 and response.json() == {"job_id": job.pk, "interested": True}
    assert results(client.get("/api/v1/employees/E-A/mobility"))[0]["interested"] is True
    own = client.post("/api/v1/employees/E-A/wishes", {"job_id": world.jobs["soudeur"].pk},
                      content_type="application/json")
    assert own.status_code == 400 and "déjà l'emploi" in own.json()["detail"]
    assert client.delete(f"/api/v1/employees/E-A/wishes/{job.pk}").status_code == 204
    assert not MobilityWish.objects.exists()


def test_it_manages_the_catalogue_and_plans_the_cheapest_trainings(world, alpha, make_user, api_client):
    client = api_client(alpha, make_user(alpha, "hr"))
    skills = world.skills

    def create(title, cost, hours, levels, cpf=False):
        response = client.post("/api/v1/trainings", {
            "title": title, "provider": "AFPA", "cost": cost, "hours": hours, "cpf": cpf, "modality": "presentiel",
            "skills": [{"skill_id": skills[k].pk, "level": v} for k, v in levels.items()]},
            content_type="application/json")
        assert response.status_code == 201, response.content
        return response.json()

    big = create("Soudage et qualité", 3000, 70, {"tig": 4, "qualite": 3})
    tig = create("Soudure TIG perfectionnement", 1200, 35, {"tig": 4}, cpf=True)
    quality = create("Contrôle qualité en atelier", 900, 21, {"qualite": 3})
    assert big["skills"][0]["skill"] in {"Soudure TIG", "Contrôle qualité"}
    plan = client.get(f"/api/v1/employees/E-A/training-plan?job={world.jobs['controleur'].pk}").json()
    assert [t["id"] for t in plan["trainings"]] == [tig["id"], quality["id"]]
    assert plan["total_cost"] == 2100 and plan["uncovered"] == [] and plan["exact"] is True
    assert plan["trainings"][0] == {"id": tig["id"], "title": "Soudure TIG perfectionnement", "cost": 1200,
                                    "hours": 35, "cpf": True}
    client.delete(f"/api/v1/trainings/{quality['id']}")
    client.put(f"/api/v1/trainings/{big['id']}", {
        "title": "Soudage et qualité", "provider": "AFPA", "cost": 3000, "hours": 70, "cpf": False,
        "skills": [{"skill_id": skills["tig"].pk, "level": 4}, {"skill_id": skills["qualite"].pk, "level": 2}]},
        content_type="application/json")
    plan = client.get(f"/api/v1/employees/E-A/training-plan?job={world.jobs['controleur'].pk}").json()
    assert [t["id"] for t in plan["trainings"]] == [tig["id"]]
    assert plan["uncovered"] == [{"skill_id": skills["qualite"].pk, "skill": "Contrôle qualité", "required": 3,
                                  "reached": pytest.approx(2.4)}]
    assert client.get("/api/v1/trainings").json()["count"] == 2


def test_it_refuses_bad_trainings_with_clear_messages(world, alpha, make_user, api_client):
    client = api_client(alpha, make_user(alpha, "hr"))
    body = {"title": "Cariste", "provider": "AFPA", "cost": -5, "hours": 7, "cpf": False,
            "skills": [{"skill_id": world.skills["chariot"].pk, "level": 3}]}
    response = client.post("/api/v1/trainings", body, content_type="application/json")
    assert response.status_code == 400 and "positif" in response.json()["detail"]
    body["cost"] = 10**12
    response = client.post("/api/v1/trainings", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"] == ("« Coût » dépasse le maximum accepté (99\u202f999\u202f999,99) : vérifiez "
                                         "l'unité (euros pour le coût, heures pour la durée).")
    body["cost"] = 100
    body["skills"][0]["level"] = 9
    assert "de 1 à 4" in client.post("/api/v1/trainings", body, content_type="application/json").json()["detail"]
    body["skills"][0]["level"] = 3
    assert client.post("/api/v1/trainings", body, content_type="application/json").status_code == 201
    duplicate = client.post("/api/v1/trainings", body, content_type="application/json")
    assert duplicate.status_code == 409
    assert Training.objects.count() == 1


def test_it_refuses_catalogue_writes_to_employees(world, alpha, make_user, api_client):
    client = api_client(alpha, make_user(alpha, "employee", employee=world.alice))
    assert client.get("/api/v1/trainings").status_code == 200
    response = client.post("/api/v1/trainings", {"title": "X", "provider": "", "cost": 1, "hours": 1, "cpf": False,
                                                 "skills": []}, content_type="application/json")
    assert response.status_code == 403


def test_it_answers_404_for_another_organisations_objects(world, alpha, beta, make_user, api_client):
    training = Training.objects.create(title="Soudure", cost=10, hours=1)
    client = api_client(beta, make_user(beta, "hr"))
    job = world.jobs["controleur"].pk
    for url in ["/api/v1/employees/E-A/mobility", f"/api/v1/jobs/{job}/candidates",
                f"/api/v1/employees/E-A/training-plan?job={job}", f"/api/v1/trainings/{training.pk}"]:
        assert client.get(url).status_code == 404, url
    assert client.post("/api/v1/employees/E-A/wishes", {"job_id": job},
                       content_type="application/json").status_code == 404
    assert client.delete(f"/api/v1/trainings/{training.pk}").status_code == 404
