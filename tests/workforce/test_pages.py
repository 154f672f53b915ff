"""The workforce pages as a user sees them: dashboard, navigation, employee list and employee card, per role."""

import datetime
import re

import pytest
from django.urls import NoReverseMatch, reverse


def text_of(response) -> str:
    return response.content.decode()


def main_navigation(response) -> str:
    match = re.search(r'<nav aria-label="Navigation principale">(.*?)</nav>', text_of(response), re.S)
    assert match, "la navigation principale est absente"
    return match.group(1)


def count_card(response, name: str) -> int:
    match = re.search(rf'data-count="{name}"><span class="value">(\d+)</span>', text_of(response))
    assert match, f"la carte « {name} » est absente"
    return int(match.group(1))


def table_rows(response) -> list[str]:
    body = re.search(r"<tbody>(.*?)</tbody>", text_of(response), re.S).group(1)
    return re.findall(r"<tr>(.*?)</tr>", body, re.S)


def url_exists(name: str) -> bool:
    try:
        reverse(name)
    except NoReverseMatch:
        return False
    return True


def test_it_counts_employees_jobs_and_units_on_the_admin_dashboard(in_alpha, client_for, make_user,
                                                                  employee_factory, job_factory,
                                                                  org_unit_factory):
    jobs = job_factory.create_batch(2)
    units = org_unit_factory.create_batch(3)
    for i in range(4):
        employee_factory(job=jobs[i % 2], org_unit=units[i % 3])
    employee_factory(job=jobs[0], org_unit=units[0], is_active=False, exit_date=datetime.date(2024, 1, 31))

    response = client_for(in_alpha, make_user(in_alpha, "admin")).get("/")
    assert response.status_code == 200
    assert count_card(response, "employees") == 4
    assert count_card(response, "jobs") == 2
    assert count_card(response, "org_units") == 3


@pytest.mark.parametrize("org_name, kind", [("alpha", "Entreprise"), ("beta", "ESAT")])
def test_it_shows_the_organisation_and_its_kind_in_the_header(request, client_for, make_user, org_name, kind):
    organization = request.getfixturevalue(org_name)
    html = text_of(client_for(organization, make_user(organization, "admin")).get("/"))
    assert f'<span class="org">{organization.name}</span>' in html
    assert f'data-org-kind="{organization.kind}">{kind}</span>' in html


@pytest.mark.parametrize("role", ["admin", "hr", "supervisor"])
def test_it_shows_the_employee_list_in_the_navigation_of_managers(in_alpha, client_for, make_user,
                                                                  employee_factory, role):
    employee = employee_factory() if role == "supervisor" else None
    response = client_for(in_alpha, make_user(in_alpha, role, employee=employee)).get("/")
    nav = main_navigation(response)
    assert '<a href="/salaries/">Salariés</a>' in nav
    assert 'href="/" aria-current="page">Tableau de bord</a>' in nav
    assert "Ma fiche" not in nav
    assert "Jetons d&#x27;API" in nav


def test_it_shows_imports_only_to_roles_that_may_import(in_alpha, client_for, make_user, employee_factory):
    admin_nav = main_navigation(client_for(in_alpha, make_user(in_alpha, "admin")).get("/"))
    me = employee_factory()
    employee_nav = main_navigation(client_for(in_alpha, make_user(in_alpha, "employee", employee=me)).get("/"))
    assert ("Imports" in admin_nav) == url_exists("imports:job_list")
    assert "Imports" not in employee_nav


def test_it_gives_an_employee_their_own_card_and_no_employee_list(in_alpha, client_for, make_user,
                                                                  employee_factory):
    me = employee_factory(staff_number="M-001", first_name="Inès", last_name="Moreau")
    response = client_for(in_alpha, make_user(in_alpha, "employee", employee=me)).get("/")
    nav = main_navigation(response)
    html = text_of(response)
    assert '<a href="/salaries/moi/">Ma fiche</a>' in nav
    assert "Salariés" not in nav
    assert ("Mes compétences" in nav) == url_exists("skills_matrix:my_skills")
    assert '<h2 id="me-title">Ma fiche</h2>' in html
    assert "<dd>M-001</dd>" in html and "<dd>Inès Moreau</dd>" in html
    assert 'data-count="employees"' not in html


def test_it_shows_a_supervisor_their_team(in_alpha, client_for, make_user, employee_factory):
    boss = employee_factory(first_name="Paul", last_name="Chef")
    employee_factory(first_name="Léa", last_name="Dupont", manager=boss)
    employee_factory(first_name="Marc", last_name="Durand", manager=boss)
    employee_factory(first_name="Zoé", last_name="Ailleurs")
    html = text_of(client_for(in_alpha, make_user(in_alpha, "supervisor", employee=boss)).get("/"))
    team = re.search(r'<ul class="team">(.*?)</ul>', html, re.S).group(1)
    assert team.count("<li>") == 2
    assert "Léa Dupont" in team and "Marc Durand" in team and "Zoé" not in team
    assert 'data-count="employees"' not in html


def test_it_redirects_ma_fiche_to_the_employees_own_page(in_alpha, client_for, make_user, employee_factory):
    me = employee_factory(staff_number="M-002")
    response = client_for(in_alpha, make_user(in_alpha, "employee", employee=me)).get("/salaries/moi/")
    assert response.status_code == 302 and response["Location"] == "/salaries/M-002/"


def test_it_paginates_the_employee_list(in_alpha, client_for, make_user, employee_factory):
    employee_factory.create_batch(30)
    client = client_for(in_alpha, make_user(in_alpha, "hr"))
    first = client.get("/salaries/")
    html = text_of(first)
    assert "30 salariés" in html
    assert len(table_rows(first)) == 25
    assert "Page 1 sur 2" in html
    assert 'href="?page=2" rel="next">Page suivante</a>' in html
    second = client.get("/salaries/?page=2")
    assert len(table_rows(second)) == 5
    assert "Page 2 sur 2" in text_of(second)
    assert 'rel="prev">Page précédente</a>' in text_of(second)


def test_it_searches_the_employee_list_by_name(in_alpha, client_for, make_user, employee_factory):
    employee_factory.create_batch(5, last_name="Martin")
    employee_factory(staff_number="S-042", last_name="Quintal", first_name="Aurore")
    client = client_for(in_alpha, make_user(in_alpha, "admin"))
    response = client.get("/salaries/?q=quintal")
    rows = table_rows(response)
    assert 'role="status">1 salarié</p>' in text_of(response)
    assert len(rows) == 1 and "S-042" in rows[0] and "Quintal Aurore" in rows[0]
    assert 'value="quintal"' in text_of(response)
    nobody = text_of(client.get("/salaries/?q=personne"))
    assert 'role="status">0 salarié</p>' in nobody
    assert "Aucun salarié ne correspond." in nobody


def test_it_filters_the_employee_list_by_unit_job_and_presence(in_alpha, client_for, make_user,
                                                               employee_factory, job_factory,
                                                               org_unit_factory):
    welder, driver = job_factory(title="Soudeur"), job_factory(title="Cariste")
    workshop, depot = org_unit_factory(name="Atelier"), org_unit_factory(name="Dépôt")
    employee_factory(staff_number="F-1", job=welder, org_unit=workshop)
    employee_factory(staff_number="F-2", job=welder, org_unit=depot)
    employee_factory(staff_number="F-3", job=driver, org_unit=depot)
    employee_factory(staff_number="F-4", job=driver, org_unit=depot, is_active=False)
    client = client_for(in_alpha, make_user(in_alpha, "admin"))

    def numbers(query):
        return [re.search(r"<td>(F-\d)</td>", row).group(1) for row in table_rows(client.get(f"/salaries/?{query}"))]

    assert set(numbers(f"org_unit={depot.pk}")) == {"F-2", "F-3"}
    assert set(numbers(f"job={welder.pk}")) == {"F-1", "F-2"}
    assert set(numbers(f"job={driver.pk}&org_unit={depot.pk}")) == {"F-3"}
    assert set(numbers("active=0")) == {"F-4"}
    assert set(numbers(f"active=all&job={driver.pk}")) == {"F-3", "F-4"}
    filtered = text_of(client.get(f"/salaries/?job={welder.pk}"))
    assert f'<option value="{welder.pk}" selected>Soudeur</option>' in filtered


def test_it_keeps_the_filters_in_the_pagination_links(in_alpha, client_for, make_user, employee_factory,
                                                      job_factory):
    job = job_factory(title="Agent")
    employee_factory.create_batch(27, job=job)
    html = text_of(client_for(in_alpha, make_user(in_alpha, "admin")).get(f"/salaries/?job={job.pk}"))
    assert f'href="?job={job.pk}&amp;page=2" rel="next"' in html


def test_it_limits_a_supervisors_list_to_their_team(in_alpha, client_for, make_user, employee_factory):
    boss = employee_factory(staff_number="B-1")
    employee_factory(staff_number="B-2", manager=boss)
    employee_factory(staff_number="B-3")
    response = client_for(in_alpha, make_user(in_alpha, "supervisor", employee=boss)).get("/salaries/")
    staff = {re.search(r"<td>(B-\d)</td>", row).group(1) for row in table_rows(response)}
    assert staff == {"B-1", "B-2"}


@pytest.fixture
def worker(in_alpha, employee_factory, job_factory, org_unit_factory):
    boss = employee_factory(staff_number="D-100", first_name="Hélène", last_name="Garnier")
    return employee_factory(
        staff_number="D-101", first_name="Karim", last_name="Benali", email="karim.benali@exemple.fr",
        birth_date=datetime.date(1979, 3, 14), hire_date=datetime.date(2012, 6, 4),
        job=job_factory(title="Conducteur de ligne", rome_code="H2102"),
        org_unit=org_unit_factory(name="Conditionnement"), manager=boss, fte="0.8",
    )


@pytest.mark.parametrize("role", ["admin", "hr"])
def test_it_shows_an_employees_fields_with_the_birth_date_to_admin_and_hr(in_alpha, client_for, make_user,
                                                                          worker, role):
    response = client_for(in_alpha, make_user(in_alpha, role)).get("/salaries/D-101/")
    html = text_of(response)
    assert response.status_code == 200
    assert "<h1>Karim Benali</h1>" in html
    assert '<dd data-field="staff_number">D-101</dd>' in html
    assert "Conducteur de ligne (code ROME H2102)" in html
    assert '<dd data-field="org_unit">Conditionnement</dd>' in html
    assert '<dd data-field="manager">Hélène Garnier</dd>' in html
    assert '<dd data-field="hire_date">04/06/2012</dd>' in html
    assert '<dd data-field="fte">80 %</dd>' in html
    assert '<dd data-field="birth_date">14/03/1979</dd>' in html


def test_it_hides_the_birth_date_from_a_supervisor(in_alpha, client_for, make_user, worker):
    response = client_for(in_alpha, make_user(in_alpha, "supervisor", employee=worker.manager)).get(
        "/salaries/D-101/")
    html = text_of(response)
    assert response.status_code == 200
    assert '<dd data-field="staff_number">D-101</dd>' in html
    assert "Date de naissance" not in html and "14/03/1979" not in html


def test_it_lets_an_employee_see_only_their_own_page(in_alpha, client_for, make_user, worker):
    client = client_for(in_alpha, make_user(in_alpha, "employee", employee=worker))
    own = client.get("/salaries/D-101/")
    assert own.status_code == 200
    assert '<dd data-field="staff_number">D-101</dd>' in text_of(own)
    assert "14/03/1979" not in text_of(own)

    other = client.get("/salaries/D-100/")
    assert other.status_code == 404
    assert "Page introuvable" in text_of(other)
    assert "Garnier" not in text_of(other)

    listing = client.get("/salaries/")
    assert listing.status_code == 403
    assert "Vous n'avez pas les droits nécessaires pour afficher cette page." in text_of(listing)


def test_it_answers_404_for_another_organisations_employee(in_alpha, beta, client_for, make_user, worker):
    response = client_for(beta, make_user(beta, "admin")).get("/salaries/D-101/")
    assert response.status_code == 404
    assert "Page introuvable" in text_of(response)
    assert "Benali" not in text_of(response)


def test_it_links_the_skills_profile_when_the_skills_matrix_provides_it(in_alpha, client_for, make_user, worker):
    from workforce.views.employees import _skills_profile_url

    expected = _skills_profile_url(worker)
    html = text_of(client_for(in_alpha, make_user(in_alpha, "hr")).get("/salaries/D-101/"))
    if expected is None:
        assert "Profil de compétences" not in html
    else:
        assert f'href="{expected}">Profil de compétences</a>' in html


def test_it_answers_404_for_an_unknown_employee(in_alpha, client_for, make_user):
    response = client_for(in_alpha, make_user(in_alpha, "admin")).get("/salaries/NOPE-1/")
    assert response.status_code == 404
    assert "<h1 id=\"error-title\">Page introuvable</h1>" in text_of(response)


def test_it_marks_ma_fiche_as_current_on_the_employees_own_page(in_alpha, client_for, make_user,
                                                                employee_factory):
    me = employee_factory(staff_number="M-003")
    nav = main_navigation(client_for(in_alpha, make_user(in_alpha, "employee", employee=me)).get("/salaries/M-003/"))
    assert '<a href="/salaries/moi/" aria-current="page">Ma fiche</a>' in nav


def test_it_answers_404_on_ma_fiche_for_a_user_without_an_employee_record(in_alpha, client_for, make_user):
    client = client_for(in_alpha, make_user(in_alpha, "employee"))
    assert client.get("/").status_code == 200
    assert client.get("/salaries/moi/").status_code == 404


def test_it_serves_every_asset_itself(in_alpha, client_for, make_user):
    html = text_of(client_for(in_alpha, make_user(in_alpha, "admin")).get("/"))
    links = re.findall(r'(?:src|href|action)="([^"]*)"', html)
    assert '/static/css/esipro.css' in links
    external = [link for link in links if not link.startswith(("/", "#", "?", "data:"))]
    assert external == []
