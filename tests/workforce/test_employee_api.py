"""The workforce API: employees, jobs and units, their filters, pagination and roles."""

import pytest
from django_tenants.utils import tenant_context

from accounts.services import token_create


@pytest.fixture
def api_for(client_for):
    def make(organization, user):
        with tenant_context(organization):
            _token, key = token_create(user=user)
        return client_for(organization, HTTP_AUTHORIZATION=f"Bearer {key}")

    return make


def test_it_lists_employees_with_filters_and_a_count(in_alpha, make_user, api_for, employee_factory,
                                                     org_unit_factory, job_factory):
    workshop = org_unit_factory(name="Atelier")
    welder = job_factory(title="Soudeur")
    # First names given: a random one (« Martine ») would also match the search below.
    employee_factory(staff_number="S1", first_name="Paul", last_name="Martin", org_unit=workshop, job=welder)
    employee_factory(staff_number="S2", first_name="Léa", last_name="Bernard", org_unit=workshop)
    employee_factory(staff_number="S3", first_name="Jean", last_name="Petit", is_active=False)
    api = api_for(in_alpha, make_user(in_alpha, "hr"))

    everyone = api.get("/api/v1/employees").json()
    assert everyone["count"] == 3
    assert {e["staff_number"] for e in everyone["items"]} == {"S1", "S2", "S3"}
    assert api.get(f"/api/v1/employees?org_unit={workshop.pk}").json()["count"] == 2
    assert api.get(f"/api/v1/employees?job={welder.pk}").json()["items"][0]["staff_number"] == "S1"
    assert api.get("/api/v1/employees?active=false").json()["items"][0]["staff_number"] == "S3"
    assert api.get("/api/v1/employees?search=mart").json()["count"] == 1
    page = api.get("/api/v1/employees?limit=2&offset=2").json()
    assert page["count"] == 3 and len(page["items"]) == 1


def test_it_shows_one_employee_with_job_unit_and_manager(in_alpha, make_user, api_for, employee_factory):
    boss = employee_factory(staff_number="B1")
    employee_factory(staff_number="S9", first_name="Léa", manager=boss)
    body = api_for(in_alpha, make_user(in_alpha, "admin")).get("/api/v1/employees/S9").json()
    assert body["first_name"] == "Léa"
    assert body["manager_staff_number"] == "B1"
    assert body["birth_date"] == "1980-05-17"


def test_it_hides_birth_dates_from_supervisors(in_alpha, make_user, api_for, employee_factory):
    boss = employee_factory(staff_number="B2")
    employee_factory(staff_number="T1", manager=boss)
    body = api_for(in_alpha, make_user(in_alpha, "supervisor", employee=boss)).get("/api/v1/employees/T1").json()
    assert body["staff_number"] == "T1"
    assert "birth_date" not in body


def test_it_refuses_the_employee_list_to_an_employee(in_alpha, make_user, api_for, employee_factory):
    me = employee_factory(staff_number="M1")
    employee_factory(staff_number="M2")
    api = api_for(in_alpha, make_user(in_alpha, "employee", employee=me))
    assert api.get("/api/v1/employees").status_code == 403
    assert api.get("/api/v1/employees/M2").status_code == 404
    assert api.get("/api/v1/employees/M1").json()["staff_number"] == "M1"


def test_it_limits_a_supervisor_to_their_team(in_alpha, make_user, api_for, employee_factory):
    boss = employee_factory(staff_number="C1")
    employee_factory(staff_number="C2", manager=boss)
    employee_factory(staff_number="C3")
    listing = api_for(in_alpha, make_user(in_alpha, "supervisor", employee=boss)).get("/api/v1/employees").json()
    assert {e["staff_number"] for e in listing["items"]} == {"C1", "C2"}


def test_it_lists_jobs_and_org_units(in_alpha, make_user, api_for, job_factory, org_unit_factory):
    job_factory(title="Cariste", rome_code="N1101")
    site = org_unit_factory(name="Site de Lyon", kind="site")
    org_unit_factory(name="Logistique", parent=site)
    api = api_for(in_alpha, make_user(in_alpha, "employee"))
    jobs = api.get("/api/v1/jobs?search=cariste").json()
    assert jobs["count"] == 1 and jobs["items"][0]["rome_code"] == "N1101"
    units = api.get("/api/v1/org-units").json()
    assert {u["name"] for u in units["items"]} == {"Site de Lyon", "Logistique"}
