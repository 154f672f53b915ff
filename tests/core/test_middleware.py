"""A NUL byte anywhere in a request (path, query string, form, JSON body) is refused with 400 and a French
message, on pages and on the API, instead of a server error."""

import html

import pytest

from workforce.models import Job

REFUSED = "Requête refusée : l'adresse ou le formulaire contient un caractère nul (%00)."


@pytest.mark.parametrize("url", [
    "/salaries/?q=%00", "/emplois/?q=%00", "/competences/catalogue/?q=%00", "/competences/rapprochements/?q=%00",
    "/referentiels/metiers/?q=%00", "/imports/?search=%00", "/salaries/E%001/", "/competences/?kind=%00",
])
def test_it_refuses_a_nul_byte_on_pages(in_alpha, make_user, client_for, url):
    response = client_for(in_alpha, make_user(in_alpha, "admin")).get(url)
    assert response.status_code == 400
    assert REFUSED in html.unescape(response.content.decode())


@pytest.mark.parametrize("url", ["/api/v1/employees?search=%00", "/api/v1/jobs?search=%00", "/api/v1/skills?search=%00",
                                 "/api/v1/employees/%00"])
def test_it_refuses_a_nul_byte_on_the_api(in_alpha, make_user, client_for, url):
    response = client_for(in_alpha, make_user(in_alpha, "admin")).get(url)
    assert response.status_code == 400
    assert response.json()["detail"].startswith(REFUSED)


def test_it_refuses_a_nul_byte_in_a_json_body_or_a_form(in_alpha, make_user, client_for):
    client = client_for(in_alpha, make_user(in_alpha, "admin"))
    json_body = client.post("/api/v1/jobs", '{"title": "Soudeur\\u0000"}', content_type="application/json")
    form = client.post("/emplois/nouveau/", {"title": "Soudeur\x00"})
    assert (json_body.status_code, form.status_code) == (400, 400)
    assert REFUSED in html.unescape(form.content.decode())
    assert not Job.objects.exists()


def test_it_lets_ordinary_requests_through(in_alpha, make_user, client_for):
    client = client_for(in_alpha, make_user(in_alpha, "admin"))
    assert client.get("/salaries/?q=50%25").status_code == 200
    assert client.post("/api/v1/jobs", {"title": "Soudeur"}, content_type="application/json").status_code == 201
