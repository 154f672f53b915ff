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
