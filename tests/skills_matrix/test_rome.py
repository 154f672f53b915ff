"""With the real ROME 4.0 loaded: mapping suggestions and the core skills of an occupation added to a job."""

from referentials.models import OccupationSkill
from skills_matrix import services
from skills_matrix.models import JobRequirement, SkillMapping
from workforce import services as job_services
from workforce.models import Job


def _core(code):
    return list(OccupationSkill.objects.filter(occupation__code=code, role=OccupationSkill.Role.CORE)
                .values_list("skill_id", "skill__label"))


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
    job = job_services.job_create(title="Commercial maison")
    services.job_requirement_set(job=job, skill=kept, target_level=4, critical=True)
    services.job_requirement_set(job=job, skill=own, target_level=3)
    client = client_for(in_alpha, make_user(in_alpha, "hr"))
    assert 'id="rome-core"' not in _page(client.get(f"/emplois/{job.pk}/"))
    client.post(f"/emplois/{job.pk}/", {"action": "rome", "rome_code": "D1402"})
    assert JobRequirement.objects.filter(job=job).count() == 2
    assert "Ajouter les compétences clés de la fiche ROME" in _page(client.get(f"/emplois/{job.pk}/"))
    done = _page(client.post(f"/emplois/{job.pk}/", {"action": "rome_core"}, follow=True))
    assert ("10 compétence(s) clé(s) de la fiche ROME D1402 ajoutée(s) ; les exigences déjà présentes sont "
            "inchangées.") in done
    assert 'id="requirement-count">(12)' in done
    requirements = {r.skill.label: r for r in JobRequirement.objects.filter(job=job).select_related("skill")}
    assert set(requirements) == {label[:300] for _id, label in core} | {own.label}
    assert (requirements[kept.label].target_level, requirements[kept.label].critical) == (4, True)
    assert requirements[own.label].target_level == 3
    mapped = SkillMapping.objects.filter(org_skill__requirements__job=job, status="accepted")
    assert sorted(mapped.values_list("rome_skill_id", flat=True)) == sorted(skill_id for skill_id, _ in core)
    again = _page(client.post(f"/emplois/{job.pk}/", {"action": "rome_core"}, follow=True))
    assert ("Aucune compétence ajoutée : l'emploi requiert déjà toutes les compétences clés de la fiche ROME "
            "D1402.") in again


def test_it_adds_the_core_skills_of_d1402_through_the_api(rome_referential, in_alpha, make_user, api_client):
    core = _core("D1402")
    job = job_services.job_create(title="Vendeur importé", rome_code="D1402")
    bare = job_services.job_create(title="Sans fiche")
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


def test_it_guards_the_core_skills_import_by_organisation_and_role(rome_referential, in_alpha, beta, make_user,
                                                                   client_for, api_client):
    job = Job.objects.create(id=870_101, title="Vendeur alpha", rome_code="D1402")
    other_page = client_for(beta, make_user(beta, "admin"))
    other_api = api_client(beta, make_user(beta, "admin"))
    supervisor_page = client_for(in_alpha, make_user(in_alpha, "supervisor"))
    supervisor_api = api_client(in_alpha, make_user(in_alpha, "supervisor"))
    assert other_page.post(f"/emplois/{job.pk}/", {"action": "rome_core"}).status_code == 404
    assert other_api.post(f"/api/v1/jobs/{job.pk}/requirements/from-rome").status_code == 404
    assert supervisor_page.post(f"/emplois/{job.pk}/", {"action": "rome_core"}).status_code == 403
    assert supervisor_api.post(f"/api/v1/jobs/{job.pk}/requirements/from-rome").status_code == 403
    assert 'id="rome-core"' not in _page(supervisor_page.get(f"/emplois/{job.pk}/"))
    assert JobRequirement.objects.filter(job=job).count() == 0
