"""With the real ROME 4.0 loaded: jobs created from an occupation require its core skills."""

from referentials.models import OccupationSkill
from skills_matrix import services
from skills_matrix.engine import normalize_label
from skills_matrix.models import JobRequirement, OrgSkill, SkillMapping
from workforce import services as job_services


def _core(code):
    return list(OccupationSkill.objects.filter(occupation__code=code, role=OccupationSkill.Role.CORE)
                .values_list("skill_id", "skill__label"))


def _page(response) -> str:
    from html import unescape

    return unescape(response.content.decode())


def test_it_creates_a_job_with_exactly_the_core_skills_of_d1402(rome_referential, in_alpha, make_user):
    core = _core("D1402")
    assert len(core) > 0
    assert len({normalize_label(label) for _id, label in core}) == len(core)
    job = job_services.job_create_from_rome(occupation_code="d1402", user=make_user(in_alpha, "hr"))
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
    job_services.job_create_from_rome(occupation_code="D1402", user=user)
    job_services.job_create_from_rome(occupation_code="D1402", title="Commercial terrain", user=user)
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
    page = client_for(in_alpha, hr).get(f"/emplois/{job_id}/").content.decode()
    assert "D1402 – " in page
    assert "Transition écologique" in page
    assert f'id="requirement-count">({len(_core("D1402"))})' in page


def test_it_searches_occupations_and_creates_a_job_from_the_page(rome_referential, in_alpha, make_user,
                                                                 client_for):
    client = client_for(in_alpha, make_user(in_alpha, "admin"))
    listing = client.get("/emplois/?rome=D1402").content.decode()
    assert 'value="D1402"' in listing
    response = client.post("/emplois/nouveau/", {"occupation_code": "D1402", "title": ""})
    assert response.status_code == 302
    assert JobRequirement.objects.filter(job__rome_code="D1402").count() == len(_core("D1402"))


def test_it_points_to_the_job_page_when_creating_from_rome_an_existing_title(rome_referential, in_alpha,
                                                                              make_user, client_for):
    job_services.job_create(title="Attaché commercial")
    client = client_for(in_alpha, make_user(in_alpha, "hr"))
    page = _page(client.post("/emplois/nouveau/",
                             {"occupation_code": "D1402", "title": "attaché commercial"}, follow=True))
    assert ("Un emploi s'intitule déjà « attaché commercial » : choisissez un autre intitulé, ou ouvrez cet "
            "emploi, reliez-le à la fiche D1402 et cliquez « Ajouter les compétences clés de la fiche ROME ».") in page
