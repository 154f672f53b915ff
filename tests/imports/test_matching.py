"""Near-duplicates at import: a file's new skill labels and job titles against what the organisation has."""

import pytest

from imports.matching import near_duplicates, new_labels
from imports.services import import_alias_save
from skills_matrix.engine import normalize_label
from skills_matrix.models import JobRequirement, OrgSkill
from tests.imports.filegen import write_xlsx
from tests.imports.test_pages import upload
from workforce.models import Job


@pytest.fixture
def welding_shop(in_alpha):
    for label in ("Lire un plan technique", "Souder à l'arc (MIG/MAG, TIG)", "Travail en équipe"):
        OrgSkill.objects.create(label=label, normalized_label=normalize_label(label))
    Job.objects.create(title="Soudeur / Soudeuse", rome_code="H2913")
    return in_alpha


def test_it_proposes_the_existing_skill_or_job_a_new_label_probably_means(welding_shop):
    matches = {m.label: m for m in near_duplicates(
        skill_labels=["Lecture de plans", "Travail en équipe", "Cuisine collective"],
        job_titles=["Soudeur", "Soudeur / Soudeuse"],
    )}
    assert set(matches) == {"Lecture de plans", "Cuisine collective", "Soudeur"}  # existing ones are not new
    assert (matches["Lecture de plans"].kind, matches["Lecture de plans"].target) == ("skill", "Lire un plan technique")
    assert 0.3 <= matches["Lecture de plans"].confidence < 1
    assert matches["Cuisine collective"].target == ""
    assert (matches["Soudeur"].kind, matches["Soudeur"].target, matches["Soudeur"].confidence) == (
        "job", "Soudeur / Soudeuse", 1.0)


def test_it_no_longer_proposes_a_label_already_taken_as_an_existing_one(welding_shop):
    import_alias_save(kind="skill", source_label="Lecture de plans", target_label="Lire un plan technique", user=None)
    assert new_labels(skill_labels=["Lecture de plans"], job_titles=[]) == ([], [])


def test_it_takes_the_existing_skill_in_one_click_on_the_preview_and_remembers_it(welding_shop, tmp_path,
                                                                                 make_user, client_for):
    client = client_for(welding_shop, make_user(welding_shop, "admin"))
    rows = [["Matricule", "Nom", "Poste", "Lecture de plans"], ["E1", "Durand", "Soudeur", 3]]
    upload(client, write_xlsx(tmp_path / "mars.xlsx", rows))
    job_id = client.get("/imports/").context["page"][0].pk
    page = client.get(f"/imports/{job_id}/apercu/").content.decode()
    assert "Lecture de plans → Lire un plan technique, 0," in page
    assert "Soudeur → Soudeur / Soudeuse, 1,00" in page
    position = [m.label for m in client.get(f"/imports/{job_id}/apercu/").context["preview"].near_matches].index(
        "Lecture de plans")
    response = client.post(f"/imports/{job_id}/apercu/", {"take": str(position)}, follow=True)
    page = response.content.decode()
    assert "« Lecture de plans » sera lu comme « Lire un plan technique », dans cet import et les suivants." in page
    assert "Lecture de plans → Lire un plan technique" not in page
    assert 'value="skill:Lire un plan technique" selected' in page  # the column now reads the existing skill
    # next month's file needs nothing
    upload(client, write_xlsx(tmp_path / "avril.xlsx", rows))
    job_id = client.get("/imports/").context["page"][0].pk
    preview = client.get(f"/imports/{job_id}/apercu/").context["preview"]
    assert [m.label for m in preview.near_matches] == ["Soudeur"]


def test_it_links_a_job_the_import_created_to_its_suggested_rome_occupation_in_one_click(
        in_alpha, rome_referential, tmp_path, make_user, client_for, run_import):
    admin = make_user(in_alpha, "admin")
    job = run_import(write_xlsx(tmp_path / "export.xlsx", [["Matricule", "Nom", "Poste"], ["E1", "Durand", "Soudeur"]]),
                     user=admin)
    assert job.created_items["jobs"] == ["Soudeur"]
    client = client_for(in_alpha, admin)
    page = client.get(f"/imports/{job.pk}/").content.decode()
    assert "H2913 – Soudeur / Soudeuse" in page
    response = client.post(f"/imports/{job.pk}/emplois-crees/", {"title": "Soudeur", "rome_code": "H2913"},
                           follow=True)
    created = Job.objects.get(title="Soudeur")
    added = JobRequirement.objects.filter(job=created).count()
    assert created.rome_code == "H2913" and added > 0
    assert f"« Soudeur » est relié à la fiche H2913 : {added} compétences clés requises." in response.content.decode()
