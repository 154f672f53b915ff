"""A supervisor's team: from the org chart by default, by org unit (with sub-units) or by hand."""

import pytest

from accounts.models import AuditEntry
from accounts.services import team_set
from core.errors import ApplicationError
from workforce.models import Employee
from workforce.selectors import employee_visible_qs

from .test_users import pk_unknown_in


@pytest.fixture
def workshop(in_alpha, make_user, employee_factory, org_unit_factory):
    """A supervisor (employee S-1) managing two people; a workshop with a sub-unit of three others."""
    workshop = org_unit_factory(name="Atelier bois")
    bench = org_unit_factory(name="Établi 2", parent=workshop)
    boss = employee_factory(staff_number="S-1")
    reports = [employee_factory(staff_number=f"R-{n}", manager=boss) for n in (1, 2)]
    crew = [employee_factory(staff_number="W-1", org_unit=workshop),
            employee_factory(staff_number="W-2", org_unit=bench),
            employee_factory(staff_number="W-3", org_unit=bench)]
    supervisor = make_user(in_alpha, "supervisor", employee=boss)
    admin = make_user(in_alpha, "admin")
    return {"supervisor": supervisor, "admin": admin, "units": (workshop, bench), "reports": reports, "crew": crew}


def visible(user) -> set[str]:
    return set(employee_visible_qs(user).values_list("staff_number", flat=True))


def test_it_follows_the_org_chart_by_default(workshop):
    assert visible(workshop["supervisor"]) == {"S-1", "R-1", "R-2"}


def test_it_gives_a_supervisor_whole_units_with_their_sub_units(workshop):
    team_set(actor=workshop["admin"], supervisor=workshop["supervisor"], mode="org_units",
             org_unit_ids=[workshop["units"][0].pk])
    assert visible(workshop["supervisor"]) == {"S-1", "W-1", "W-2", "W-3"}
    entry = AuditEntry.objects.get(action="team_changed")
    assert entry.after == "Par unité (avec leurs sous-unités) : Atelier bois"


def test_it_gives_a_supervisor_a_hand_picked_team(workshop):
    team_set(actor=workshop["admin"], supervisor=workshop["supervisor"], mode="manual",
             staff_numbers=["W-2", "R-1", ""])
    assert visible(workshop["supervisor"]) == {"S-1", "W-2", "R-1"}
    with pytest.raises(ApplicationError, match="Matricule\\(s\\) inconnu\\(s\\) : NOPE"):
        team_set(actor=workshop["admin"], supervisor=workshop["supervisor"], mode="manual",
                 staff_numbers=["W-2", "NOPE"])


def test_it_refuses_a_team_for_someone_who_is_not_a_supervisor(workshop):
    with pytest.raises(ApplicationError, match="Seul un compte « Encadrant » a une équipe"):
        team_set(actor=workshop["admin"], supervisor=workshop["admin"], mode="manager")


def test_it_sets_a_team_from_the_page_and_the_matrix_follows(workshop, in_alpha, make_user, client_for):
    hr = make_user(in_alpha, "hr")
    supervisor = workshop["supervisor"]
    matrix = client_for(in_alpha, supervisor).get("/competences/").content.decode()
    assert "R-1" in matrix and "W-1" not in matrix

    response = client_for(in_alpha, hr).post(f"/comptes/utilisateurs/{supervisor.pk}/equipe/", {
        "mode": "org_units", "org_units": [str(workshop["units"][1].pk)], "staff_numbers": ""}, follow=True)
    html = response.content.decode()
    assert "Équipe de Supervisor alpha enregistrée." in html
    assert 'data-staff-number="W-2"' in html and 'data-staff-number="R-1"' not in html

    matrix = client_for(in_alpha, supervisor).get("/competences/").content.decode()
    assert "W-2" in matrix and "W-3" in matrix and "R-1" not in matrix and "W-1" not in matrix
    assert client_for(in_alpha, supervisor).get("/salaries/R-1/").status_code == 404
    teams = client_for(in_alpha, hr).get("/comptes/equipes/").content.decode()
    assert "Par unité (avec leurs sous-unités)" in teams


def test_it_refuses_team_pages_to_supervisors_and_employees(workshop, in_alpha, make_user, client_for):
    supervisor = workshop["supervisor"]
    for user in (supervisor, make_user(in_alpha, "employee")):
        client = client_for(in_alpha, user)
        response = client.get(f"/comptes/utilisateurs/{supervisor.pk}/equipe/")
        assert response.status_code == 403
        assert "Action réservée aux rôles : administrateur, RH." in response.content.decode()
        assert client.get("/comptes/equipes/").status_code == 403


def test_it_answers_404_for_another_organisations_supervisor(workshop, beta, make_user, client_for):
    beta_hr = make_user(beta, "hr")
    supervisor = pk_unknown_in(beta, workshop["supervisor"])
    assert client_for(beta, beta_hr).get(f"/comptes/utilisateurs/{supervisor.pk}/equipe/").status_code == 404
    assert Employee.objects.filter(staff_number="W-1").exists()
