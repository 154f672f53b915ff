"""With the real ROME 4.0 loaded: jobs created from an occupation, mapping suggestions."""

from referentials.models import OccupationSkill
from skills_matrix import services
from skills_matrix.engine import normalize_label
from skills_matrix.models import JobRequirement, OrgSkill, SkillMapping
from workforce.models import Job


def _core(code):
    return list(OccupationSkill.objects.filter(occupation__code=code, role=OccupationSkill.Role.CORE)
                .values_list("skill_id", "skill__label"))


def test_it_creates_a_job_with_exactly_the_core_skills_of_d1402(rome_referential, in_alpha, make_user):
    core = _core("D1402")
    assert len(core) > 0
    assert len({normalize_label(label) for _id, label in core}) == len(core)
    job = services.job_create_from_rome(occupation_code="d1402", user=make_user(in_alpha, "hr"))
    assert job.rome_code == "D1402"
    requirements = JobRequirement.objects.filter(job=job).select_related("skill")
    assert requirements.count() == len(core)
    assert {(r.target_level, r.weight) for r in requirements} == {(2, 1.0)}
    assert sorted(r.skill.label for r in requirements) == sorted(label[:300] for _id, label in core)
    mappings = SkillMapping.objects.filter(org_skill__requirements__job=job)
    assert sorted(m.rome_skill_id for m in mappings) == sorted(skill_id for skill_id, _label in core)
    assert {(m.status, m.confidence) for m in mappings} == {("accepted", 1.0)}


def test_it_reuses_existing_skills_when_creating_a_second_job(rome_referential, in_alpha, make_user):
    user = make_user(in_alpha, "hr")
    first_label = _core("D1402")[0][1]
    existing = services.org_skill_get_or_create(label=first_label.upper())
    services.job_create_from_rome(occupation_code="D1402", user=user)
    services.job_create_from_rome(occupation_code="D1402", title="Commercial terrain", user=user)
    assert OrgSkill.objects.count() == len(_core("D1402"))
    assert JobRequirement.objects.filter(skill=existing).count() == 2


def test_it_creates_a_job_from_rome_through_the_api_and_shows_its_occupation(rome_referential, in_alpha, make_user,
                                                                             api_client, client_for):
    hr = make_user(in_alpha, "hr")
    response = api_client(in_alpha, hr).post("/api/v1/jobs/from-rome",
                                             {"occupation_code": "D1402", "title": "Attaché commercial"},
                                             content_type="application/json")
    assert response.status_code == 201
    assert response.json()["rome_code"] == "D1402"
    job_id = response.json()["id"]
    requirements = api_client(in_alpha, hr).get(f"/api/v1/jobs/{job_id}/requirements").json()
    assert requirements["count"] == len(_core("D1402"))
    page = client_for(in_alpha, hr).get(f"/competences/emplois/{job_id}/").content.decode()
    assert "D1402 – " in page
    assert "Transition écologique" in page
    assert f'id="requirement-count">({len(_core("D1402"))})' in page


def test_it_searches_occupations_and_creates_a_job_from_the_page(rome_referential, in_alpha, make_user,
                                                                 client_for):
    client = client_for(in_alpha, make_user(in_alpha, "admin"))
    listing = client.get("/competences/emplois/?rome=D1402").content.decode()
    assert 'value="D1402"' in listing
    response = client.post("/competences/emplois/nouveau/", {"occupation_code": "D1402", "title": ""})
    assert response.status_code == 302
    assert JobRequirement.objects.filter(job__rome_code="D1402").count() == len(_core("D1402"))


def test_it_suggests_mappings_and_keeps_reviewed_pairs(rome_referential, in_alpha, make_user):
    weld = services.org_skill_get_or_create(label="Souder des pièces métalliques")
    drive = services.org_skill_get_or_create(label="Conduire un chariot élévateur")
    created = services.org_skill_mappings_suggest(skills=[weld, drive], k=3)
    assert created > 0
    suggestions = list(SkillMapping.objects.filter(org_skill=weld).order_by("-confidence"))
    assert 0 < len(suggestions) <= 3
    assert all(0 < m.confidence <= 1 and m.status == "suggested" for m in suggestions)
    best = suggestions[0]
    services.mapping_review(mappings=[best], status="rejected", user=make_user(in_alpha, "hr"))
    services.org_skill_mappings_suggest(skills=[weld, drive], k=3)
    best.refresh_from_db()
    assert best.status == "rejected"
    assert SkillMapping.objects.filter(org_skill=weld).count() == len(suggestions)


def test_it_suggests_from_the_review_page(rome_referential, in_alpha, make_user, client_for):
    services.org_skill_get_or_create(label="Accueillir la clientèle")
    client = client_for(in_alpha, make_user(in_alpha, "hr"))
    page = client.post("/competences/rapprochements/", {"action": "suggest"}, follow=True).content.decode()
    assert "suggestion(s) calculée(s) pour 1 compétence(s)" in page
    assert page.count('name="mapping"') == SkillMapping.objects.count() > 0


def test_it_suggests_for_every_skill_still_to_map_in_the_task(rome_referential, in_alpha):
    from skills_matrix.tasks import mappings_suggest

    done = services.org_skill_get_or_create(label="Souder à l'arc")
    done.needs_mapping = False
    done.save()
    pending = services.org_skill_get_or_create(label="Préparer des commandes")
    assert mappings_suggest() > 0
    assert SkillMapping.objects.filter(org_skill=pending).exists()
    assert not SkillMapping.objects.filter(org_skill=done).exists()
    assert mappings_suggest([done.pk], k=2) > 0
    assert SkillMapping.objects.filter(org_skill=done).count() <= 2


def _page(response) -> str:
    from html import unescape

    return unescape(response.content.decode())


def test_it_adds_the_core_skills_of_d1402_to_an_existing_job_from_its_page(rome_referential, in_alpha, make_user,
                                                                           client_for):
    core = _core("D1402")
    assert len(core) == 11
    kept = services.org_skill_get_or_create(label=core[0][1])
    own = services.org_skill_get_or_create(label="Connaître la gamme maison")
    job = services.job_create(title="Commercial maison")
    services.job_requirement_set(job=job, skill=kept, target_level=4, critical=True)
    services.job_requirement_set(job=job, skill=own, target_level=3)
    client = client_for(in_alpha, make_user(in_alpha, "hr"))
    assert 'id="rome-core"' not in _page(client.get(f"/competences/emplois/{job.pk}/"))
    client.post(f"/competences/emplois/{job.pk}/", {"action": "rome", "rome_code": "D1402"})
    assert JobRequirement.objects.filter(job=job).count() == 2
    assert "Ajouter les compétences clés de la fiche ROME" in _page(client.get(f"/competences/emplois/{job.pk}/"))
    done = _page(client.post(f"/competences/emplois/{job.pk}/", {"action": "rome_core"}, follow=True))
    assert ("10 compétence(s) clé(s) de la fiche ROME D1402 ajoutée(s) ; les exigences déjà présentes sont "
            "inchangées.") in done
    assert 'id="requirement-count">(12)' in done
    requirements = {r.skill.label: r for r in JobRequirement.objects.filter(job=job).select_related("skill")}
    assert set(requirements) == {label[:300] for _id, label in core} | {own.label}
    assert (requirements[kept.label].target_level, requirements[kept.label].critical) == (4, True)
    assert requirements[own.label].target_level == 3
    mapped = SkillMapping.objects.filter(org_skill__requirements__job=job, status="accepted")
    assert sorted(mapped.values_list("rome_skill_id", flat=True)) == sorted(skill_id for skill_id, _ in core)
    again = _page(client.post(f"/competences/emplois/{job.pk}/", {"action": "rome_core"}, follow=True))
    assert ("Aucune compétence ajoutée : l'emploi requiert déjà toutes les compétences clés de la fiche ROME "
            "D1402.") in again


def test_it_adds_the_core_skills_of_d1402_through_the_api(rome_referential, in_alpha, make_user, api_client):
    core = _core("D1402")
    job = services.job_create(title="Vendeur importé", rome_code="D1402")
    bare = services.job_create(title="Sans fiche")
    client = api_client(in_alpha, make_user(in_alpha, "hr"))
    response = client.post(f"/api/v1/jobs/{job.pk}/requirements/from-rome")
    assert response.status_code == 200
    body = response.json()
    assert (body["added"], body["count"]) == (11, 11)
    assert sorted(item["skill_label"] for item in body["items"]) == sorted(label[:300] for _id, label in core)
    assert client.post(f"/api/v1/jobs/{job.pk}/requirements/from-rome").json()["added"] == 0
    refused = client.post(f"/api/v1/jobs/{bare.pk}/requirements/from-rome")
    assert refused.status_code == 400
    assert refused.json()["detail"].startswith("L'emploi « Sans fiche » n'est relié à aucune fiche ROME")


def test_it_points_to_the_job_page_when_creating_from_rome_an_existing_title(rome_referential, in_alpha,
                                                                              make_user, client_for):
    services.job_create(title="Attaché commercial")
    client = client_for(in_alpha, make_user(in_alpha, "hr"))
    page = _page(client.post("/competences/emplois/nouveau/",
                             {"occupation_code": "D1402", "title": "attaché commercial"}, follow=True))
    assert ("Un emploi s'intitule déjà « attaché commercial » : choisissez un autre intitulé, ou ouvrez cet "
            "emploi, reliez-le à la fiche D1402 et cliquez « Ajouter les compétences clés de la fiche ROME ».") in page


def test_it_guards_the_core_skills_import_by_organisation_and_role(rome_referential, in_alpha, beta, make_user,
                                                                   client_for, api_client):
    job = Job.objects.create(id=870_101, title="Vendeur alpha", rome_code="D1402")
    other_page = client_for(beta, make_user(beta, "admin"))
    other_api = api_client(beta, make_user(beta, "admin"))
    supervisor_page = client_for(in_alpha, make_user(in_alpha, "supervisor"))
    supervisor_api = api_client(in_alpha, make_user(in_alpha, "supervisor"))
    assert other_page.post(f"/competences/emplois/{job.pk}/", {"action": "rome_core"}).status_code == 404
    assert other_api.post(f"/api/v1/jobs/{job.pk}/requirements/from-rome").status_code == 404
    assert supervisor_page.post(f"/competences/emplois/{job.pk}/", {"action": "rome_core"}).status_code == 403
    assert supervisor_api.post(f"/api/v1/jobs/{job.pk}/requirements/from-rome").status_code == 403
    assert 'id="rome-core"' not in _page(supervisor_page.get(f"/competences/emplois/{job.pk}/"))
    assert JobRequirement.objects.filter(job=job).count() == 0
