"""An organisation's data is invisible from another: ORM, pages and API."""

from django_tenants.utils import tenant_context

from accounts.services import token_create
from workforce.models import Employee


def test_it_keeps_an_employee_of_alpha_out_of_betas_schema(in_alpha, beta, employee_factory):
    employee_factory(staff_number="A-001")
    assert Employee.objects.filter(staff_number="A-001").count() == 1
    with tenant_context(beta):
        assert Employee.objects.filter(staff_number="A-001").count() == 0


def test_it_answers_404_on_betas_pages_for_an_alpha_employee(in_alpha, beta, make_user, client_for,
                                                             employee_factory):
    employee_factory(staff_number="A-002")
    beta_admin = make_user(beta, "admin")
    response = client_for(beta, beta_admin).get("/salaries/A-002/")
    assert response.status_code == 404
    listing = client_for(beta, beta_admin).get("/salaries/?q=A-002&active=all")
    assert listing.status_code == 200
    assert "0 salarié" in listing.content.decode()
    assert "/salaries/A-002/" not in listing.content.decode()


def test_it_answers_404_on_betas_api_for_an_alpha_employee(in_alpha, beta, make_user, client_for,
                                                           employee_factory):
    employee = employee_factory(staff_number="A-003")
    beta_admin = make_user(beta, "admin")
    with tenant_context(beta):
        _token, key = token_create(user=beta_admin)
    client = client_for(beta, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert client.get("/api/v1/employees/A-003").status_code == 404
    assert client.get(f"/api/v1/jobs/{employee.job_id}").status_code == 404
    assert client.get(f"/api/v1/org-units/{employee.org_unit_id}").status_code == 404
    listing = client.get("/api/v1/employees?staff_number=A-003").json()
    assert listing == {"items": [], "count": 0}


def test_it_refuses_betas_token_on_alphas_host(in_alpha, beta, make_user, client_for, employee_factory):
    employee_factory(staff_number="A-004")
    beta_admin = make_user(beta, "admin")
    with tenant_context(beta):
        _token, key = token_create(user=beta_admin)
    response = client_for(in_alpha, HTTP_AUTHORIZATION=f"Bearer {key}").get("/api/v1/employees/A-004")
    assert response.status_code == 401


def test_it_answers_404_with_a_page_for_an_unknown_host(db, client):
    response = client.get("/", HTTP_HOST="nobody.localhost")
    assert response.status_code == 404
    assert "Organisation introuvable" in response.content.decode()
