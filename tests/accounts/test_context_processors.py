"""Navigation and page titles speak the organisation's language: salariés, agents, travailleurs."""

from django_tenants.utils import tenant_context

from tenants.services import organization_create


def test_it_says_salaries_in_a_company_and_travailleurs_in_an_esat(alpha, beta, make_user, client_for):
    company = client_for(alpha, make_user(alpha, "hr")).get("/salaries/").content.decode()
    assert "<h1>Salariés</h1>" in company and ">Salariés</a>" in company
    esat = client_for(beta, make_user(beta, "hr")).get("/salaries/").content.decode()
    assert "<h1>Travailleurs</h1>" in esat and ">Travailleurs</a>" in esat and "<h1>Salariés</h1>" not in esat
    dashboard = client_for(beta, make_user(beta, "admin")).get("/").content.decode()
    assert "travailleurs présents" in dashboard


def test_it_says_agents_in_an_administration(db, make_user, client_for):
    town = organization_create(slug="mairie-test", name="Mairie", kind="administration")
    with tenant_context(town):
        page = client_for(town, make_user(town, "admin")).get("/salaries/").content.decode()
    assert "<h1>Agents</h1>" in page and ">Agents</a>" in page


def test_it_shows_the_users_and_teams_entries_to_whom_they_concern(in_alpha, make_user, client_for):
    admin = client_for(in_alpha, make_user(in_alpha, "admin")).get("/").content.decode()
    assert ">Utilisateurs</a>" in admin and ">Équipes</a>" in admin
    hr = client_for(in_alpha, make_user(in_alpha, "hr")).get("/").content.decode()
    assert ">Utilisateurs</a>" not in hr and ">Équipes</a>" in hr and ">Imports</a>" in hr
    supervisor = client_for(in_alpha, make_user(in_alpha, "supervisor")).get("/").content.decode()
    assert ">Équipes</a>" not in supervisor
