"""Mobility pages: an employee's paths and "ça m'intéresse", a job's candidates, the training catalogue and
its import; scopes, rights and other organisations."""

import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

from mobility.models import MobilityWish, Training


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_it_shows_an_employee_their_paths_explained(world, alpha, make_user, client_for):
    client = client_for(alpha, make_user(alpha, "employee", employee=world.alice))
    Training.objects.create(title="Soudure TIG perfectionnement", cost=1200, hours=35, cpf=True).skills.create(
        skill=world.skills["tig"], level=4)
    page = text(client.get("/mobilite/"))
    assert "Mes pistes de mobilité" in page
    assert "Contrôleur qualité" in page and "70 %" in page
    assert "compétence proche « Métrologie » (similarité 0,80)" in page
    assert "Soudure TIG perfectionnement" in page and "éligible CPF" in page
    assert "Sans formation au catalogue" in page  # contrôle qualité has none
    assert "Ça m&#x27;intéresse" in page or "Ça m'intéresse" in page


def test_it_records_ca_minteresse_and_shows_it_to_hr(world, alpha, make_user, client_for):
    client = client_for(alpha, make_user(alpha, "employee", employee=world.alice))
    job = world.jobs["controleur"]
    response = client.post("/mobilite/salaries/E-A/souhaits/", {"job": job.pk, "interested": "1"}, follow=True)
    assert "Intérêt noté pour « Contrôleur qualité »" in text(response)
    assert MobilityWish.objects.filter(employee=world.alice, job=job).exists()
    hr = client_for(alpha, make_user(alpha, "hr"))
    page = text(hr.get(f"/mobilite/emplois/{job.pk}/candidats/?interested=1"))
    assert "Alice Martin" in page and "Intéressé·e" in page
    assert "1 candidat" in page


def test_it_keeps_employees_and_supervisors_in_their_scope(world, alpha, make_user, client_for):
    employee = client_for(alpha, make_user(alpha, "employee", employee=world.alice))
    assert employee.get("/mobilite/salaries/E-B/").status_code == 404
    assert employee.post("/mobilite/salaries/E-B/souhaits/", {"job": world.jobs["controleur"].pk}).status_code == 404
    assert employee.get(f"/mobilite/emplois/{world.jobs['controleur'].pk}/candidats/").status_code == 403
    assert employee.get("/mobilite/formations/1/").status_code == 403
    from workforce.models import Employee

    boss = Employee.objects.create(staff_number="E-C", first_name="Chloé", last_name="Durand")
    world.alice.manager = boss
    world.alice.save()
    supervisor = client_for(alpha, make_user(alpha, "supervisor", employee=boss))
    assert "Contrôleur qualité" in text(supervisor.get("/mobilite/salaries/E-A/"))
    assert supervisor.get("/mobilite/salaries/E-B/").status_code == 404
    assert supervisor.post("/mobilite/salaries/E-A/souhaits/", {"job": world.jobs["controleur"].pk}).status_code == 403


def test_it_filters_candidates_and_explains_bad_filters(world, alpha, make_user, client_for):
    hr = client_for(alpha, make_user(alpha, "hr"))
    url = f"/mobilite/emplois/{world.jobs['controleur'].pk}/candidats/"
    assert "Alice Martin" in text(hr.get(url))
    assert "0 candidat" in text(hr.get(url + "?min_fit=80"))
    assert "Alice Martin" in text(hr.get(url + "?min_fit=70"))
    page = text(hr.get(url + "?min_fit=abc"))
    assert "n&#x27;est pas un pourcentage" in page or "n'est pas un pourcentage" in page
    assert "0 candidat" in text(hr.get(url + f"?org_unit={world.units['vienne'].pk}"))


def test_it_edits_the_catalogue_from_the_page(world, alpha, make_user, client_for):
    hr = client_for(alpha, make_user(alpha, "hr"))
    response = hr.post("/mobilite/formations/", {
        "title": "Cariste R489", "provider": "AFPA", "cost": "450,50", "hours": "21", "cpf": "1",
        "modality": "presentiel", "skill": [world.skills["chariot"].pk, ""], "level": ["3", "3"]}, follow=True)
    page = text(response)
    assert "Formation « Cariste R489 » ajoutée au catalogue." in page
    assert "Conduite de chariot (niveau 3)" in page and "450,50 €" in page
    training = Training.objects.get()
    bad = text(hr.post(f"/mobilite/formations/{training.pk}/", {"title": "Cariste R489", "cost": "beaucoup",
                                                                 "hours": "21"}))
    assert "n&#x27;est pas un nombre" in bad or "n'est pas un nombre" in bad
    hr.post(f"/mobilite/formations/{training.pk}/", {"action": "delete"})
    assert not Training.objects.exists()


def workbook(rows) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_it_imports_a_catalogue_with_row_errors(world, alpha, make_user, client_for):
    hr = client_for(alpha, make_user(alpha, "hr"))
    Training.objects.create(title="Cariste R489", provider="AFPA", cost=100, hours=7)
    content = workbook([
        ["Catalogue 2026"],
        ["Intitulé", "Organisme", "Coût", "Durée (heures)", "CPF", "Modalité", "Compétences"],
        ["Cariste R489", "AFPA", 450, 21, "oui", "Présentiel", "Conduite de chariot : 3"],
        ["Soudure TIG", "GRETA", "1 200,00", 35, "non", "mixte", "Soudure TIG : 4 ; Lecture de plans : 2"],
        ["Métrologie", "CETIM", "cher", 14, "peut-être", "", "Métrologie : 3"],
        ["Plomberie", "GRETA", 800, 35, "oui", "", "Plomberie : 2"],
    ])
    upload = SimpleUploadedFile("catalogue.xlsx", content)
    page = text(hr.post("/mobilite/formations/import/", {"file": upload}))
    assert "1 formation(s) ajoutée(s), 1 mise(s) à jour, 2 ligne(s) refusée(s)." in page
    assert "Écrivez « oui » ou « non »." in page
    assert "Compétence « Plomberie » inconnue" in page
    assert Training.objects.get(title="Cariste R489").cost == 450
    tig = Training.objects.get(title="Soudure TIG")
    assert tig.cost == 1200 and sorted(tig.skills.values_list("level", flat=True)) == [2, 4]
    assert tig.modality == "mixte"


def test_it_refuses_an_unreadable_catalogue_file_with_a_message(world, alpha, make_user, client_for):
    hr = client_for(alpha, make_user(alpha, "hr"))
    page = text(hr.post("/mobilite/formations/import/",
                        {"file": SimpleUploadedFile("catalogue.pdf", b"%PDF-1.4")}))
    assert "catalogue.pdf" in page and "n&#x27;est pas d&#x27;un type accepté" in page


def test_it_answers_404_for_another_organisations_pages(world, alpha, beta, make_user, client_for):
    training = Training.objects.create(title="Soudure", cost=10, hours=1)
    client = client_for(beta, make_user(beta, "hr"))
    for url in ["/mobilite/salaries/E-A/", f"/mobilite/emplois/{world.jobs['controleur'].pk}/candidats/",
                f"/mobilite/formations/{training.pk}/"]:
        assert client.get(url).status_code == 404, url
    assert client.post("/mobilite/salaries/E-A/souhaits/", {"job": 1}).status_code == 404


def test_it_shows_occupations_beyond_the_organisation(world, alpha, make_user, client_for):
    from mobility import selectors
    from referentials.models import Occupation, OccupationSkill, Skill

    plans = Skill.objects.get(code_ogr="T-PLANS")
    cad = Skill.objects.create(code_ogr="T-CAO", label="Utiliser un logiciel de CAO", kind=Skill.Kind.SAVOIR_FAIRE)
    design = Occupation.objects.create(code="Z9203", label="Conception et dessin produits mécaniques")
    OccupationSkill.objects.create(occupation=design, skill=plans, role=OccupationSkill.Role.CORE)
    OccupationSkill.objects.create(occupation=design, skill=cad, role=OccupationSkill.Role.CORE)
    selectors._occupation_cache.clear()
    found = selectors.occupation_suggestions(employee=world.alice)
    assert [(o.code, o.fit, o.matched, o.missing) for o in found] == [
        ("Z9203", 0.5, ["Lire et interpréter un plan"], ["Utiliser un logiciel de CAO"])]
    client = client_for(alpha, make_user(alpha, "employee", employee=world.alice))
    page = text(client.get("/mobilite/"))
    assert "Z9203 – Conception et dessin produits mécaniques" in page and "Utiliser un logiciel de CAO" in page
    assert "Z9203" not in text(client.get("/mobilite/?tension=1"))
