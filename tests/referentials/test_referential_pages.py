"""Referential browser pages: occupation list with search, occupation page."""

from referentials.models import OccupationSkill


def test_it_lists_occupations_matching_a_search(rome_referential, alpha, make_user, client_for):
    response = client_for(alpha, make_user(alpha, "employee")).get("/referentiels/metiers/", {"q": "boulangère"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "3 fiches métier" in html
    assert "Boulanger / Boulangère" in html
    assert "/referentiels/metiers/D1108/" in html


def test_it_shows_an_occupation_with_skills_titles_tags_and_mobility(rome_referential, alpha, make_user, client_for):
    response = client_for(alpha, make_user(alpha, "hr")).get("/referentiels/metiers/A1202/")
    assert response.status_code == 200
    html = response.content.decode()
    core = OccupationSkill.objects.filter(occupation__code="A1202", role="core").count()
    emerging = OccupationSkill.objects.filter(occupation__code="A1202", role="emerging").count()
    assert f"Compétences principales ({core})" in html
    assert f"Compétences émergentes ({emerging})" in html
    assert "Agent / Agente d&#x27;entretien des espaces naturels" in html
    assert "Emploi Vert" in html
    assert "Mobilités possibles" in html
    assert 'href="/referentiels/metiers/' in html


def test_it_opens_the_browser_to_every_role(rome_referential, alpha, make_user, client_for):
    for role in ("admin", "hr", "supervisor", "employee"):
        response = client_for(alpha, make_user(alpha, role)).get("/referentiels/metiers/M1805/")
        assert response.status_code == 200, role
        assert "Développeur / Développeuse informatique" in response.content.decode()


def test_it_answers_404_for_an_unknown_occupation_page(rome_referential, alpha, make_user, client_for):
    response = client_for(alpha, make_user(alpha, "employee")).get("/referentiels/metiers/Z9999/")
    assert response.status_code == 404


def test_it_sends_anonymous_visitors_to_the_login_page(rome_referential, alpha, client_for):
    response = client_for(alpha).get("/referentiels/metiers/")
    assert response.status_code == 302
    assert "/comptes/" in response["Location"]


def test_it_searches_esco_occupations_too(rome_referential, alpha, make_user, client_for):
    client = client_for(alpha, make_user(alpha, "employee"))
    html = client.get("/referentiels/metiers/", {"q": "boulangère", "source": "esco"}).content.decode()
    assert "3 métiers" in html
    assert "boulanger/boulangère" in html
    assert 'href="http://data.europa.eu/esco/occupation/1aadb308-432a-4d01-b54b-b4f7f76dd419"' in html
    assert "/referentiels/metiers/D1102/" not in html
    both = client.get("/referentiels/metiers/", {"q": "boulangère", "source": "all"}).content.decode()
    assert "6 métiers" in both
    assert "/referentiels/metiers/D1102/" in both and "boulanger/boulangère" in both
    assert '<option value="all" selected>' in both
