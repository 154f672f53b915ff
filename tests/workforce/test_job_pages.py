"""Job pages (/emplois/): list, creation, requirements, the old /competences/emplois/ addresses, isolation."""

import re

from skills_matrix.models import JobRequirement
from workforce.models import Job


def test_it_lists_jobs_and_manages_requirements(in_alpha, make_user, client_for):
    client = client_for(in_alpha, make_user(in_alpha, "hr"))
    created = client.post("/emplois/nouveau/", {"title": "Magasinier", "code": "MAG"})
    job = Job.objects.get(title="Magasinier")
    assert created["Location"] == f"/emplois/{job.pk}/"
    client.post(f"/emplois/{job.pk}/", {"action": "set", "skill_label": "Conduite de chariot",
                                        "target_level": 3, "weight": "1,5", "critical": "1"})
    requirement = JobRequirement.objects.get(job=job)
    assert (requirement.skill.label, requirement.target_level, requirement.weight, requirement.critical) == (
        "Conduite de chariot", 3, 1.5, True)
    page = client.get(f"/emplois/{job.pk}/").content.decode()
    assert 'id="requirement-count">(1)' in page
    listing = client.get("/emplois/").content.decode()
    assert re.search(r"Magasinier</a></td><td>MAG</td><td>—</td><td>1</td><td>0</td>", listing)
    client.post(f"/emplois/{job.pk}/", {"action": "remove", "requirement": requirement.pk})
    assert not JobRequirement.objects.filter(job=job).exists()
    duplicate = client.post("/emplois/nouveau/", {"title": "magasinier"}, follow=True).content.decode()
    assert "Un emploi s&#x27;intitule déjà « magasinier »" in duplicate


def test_it_redirects_the_old_job_addresses_under_competences(in_alpha, make_user, client_for):
    job = Job.objects.create(title="Cariste")
    client = client_for(in_alpha, make_user(in_alpha, "hr"))
    listing = client.get("/competences/emplois/?q=Car")
    assert (listing.status_code, listing["Location"]) == (301, "/emplois/?q=Car")
    detail = client.get(f"/competences/emplois/{job.pk}/")
    assert (detail.status_code, detail["Location"]) == (301, f"/emplois/{job.pk}/")
    assert "Cariste" in client.get(detail["Location"]).content.decode()


def test_it_links_the_navigation_to_the_job_pages(in_alpha, make_user, client_for):
    page = client_for(in_alpha, make_user(in_alpha, "hr")).get("/emplois/").content.decode()
    assert re.search(r'<a href="/emplois/"[^>]*aria-current="page"[^>]*>Emplois</a>', page)


def test_it_answers_404_for_another_organisations_job(in_alpha, beta, make_user, client_for):
    job = Job.objects.create(id=880_201, title="Emploi alpha")
    client = client_for(beta, make_user(beta, "admin"))
    responses = [client.get(f"/emplois/{job.pk}/"),
                 client.post(f"/emplois/{job.pk}/", {"action": "rome", "rome_code": ""})]
    assert [r.status_code for r in responses] == [404, 404]
    assert "Emploi alpha" not in client.get("/emplois/").content.decode()


def test_it_refuses_job_writes_to_roles_without_the_right(in_alpha, make_user, client_for, employee_factory):
    job = Job.objects.create(title="Cariste")
    supervisor = client_for(in_alpha, make_user(in_alpha, "supervisor"))
    worker = client_for(in_alpha, make_user(in_alpha, "employee", employee=employee_factory()))
    refused = [
        supervisor.post("/emplois/nouveau/", {"title": "Nouveau"}),
        worker.post(f"/emplois/{job.pk}/", {"action": "set", "skill_label": "x", "target_level": 2}),
    ]
    assert [r.status_code for r in refused] == [403, 403]
    assert not Job.objects.filter(title="Nouveau").exists()
    assert worker.get(f"/emplois/{job.pk}/").status_code == 200
