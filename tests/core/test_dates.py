"""Dates at the edge of the calendar (?at=9999-12-31) answer a French message, never a server error."""

import datetime

from skills_matrix.selectors import moment_of

OUT_OF_RANGE = "Date « 9999-12-31 » hors limites : choisissez une date entre le 01/01/1900 et le 31/12/2199."


def test_it_computes_the_moment_of_the_last_days_of_the_calendar():
    assert moment_of(datetime.date(9999, 12, 31)).year == 9999
    assert moment_of(datetime.datetime(9999, 12, 31, 23, 59, tzinfo=datetime.UTC)).year == 9999


def test_it_ignores_an_out_of_range_date_on_the_pages_with_a_message(in_alpha, make_user, client_for,
                                                                     employee_factory):
    employee_factory(staff_number="D-1")
    client = client_for(in_alpha, make_user(in_alpha, "admin"))
    for url in ("/competences/?at=9999-12-31", "/competences/salaries/D-1/?at=9999-12-31",
                "/competences/export.xlsx?at=0001-01-01"):
        response = client.get(url)
        assert response.status_code == 200, url
    assert OUT_OF_RANGE in client.get("/competences/?at=9999-12-31").content.decode()


def test_it_refuses_an_out_of_range_date_on_the_api(in_alpha, make_user, client_for, employee_factory):
    employee_factory(staff_number="D-2")
    client = client_for(in_alpha, make_user(in_alpha, "admin"))
    for url in ("/api/v1/skills/matrix?at=9999-12-31", "/api/v1/employees/D-2/skills?at=9999-12-31"):
        response = client.get(url)
        assert response.status_code == 422, url
        assert response.json()["detail"] == ("Saisie invalide. « at » : Date hors limites : choisissez une date "
                                             "entre 1900-01-01 et 2199-12-31.")


def test_it_refuses_an_out_of_range_assessment_date(in_alpha, make_user, client_for, employee_factory):
    employee_factory(staff_number="D-3")
    client = client_for(in_alpha, make_user(in_alpha, "admin"))
    page = client.post("/competences/salaries/D-3/", {"skill_label": "Soudure", "level": 2,
                                                     "assessed_on": "9999-12-31"}, follow=True)
    assert OUT_OF_RANGE in page.content.decode()
    api = client.post("/api/v1/employees/D-3/skills", {"skill_label": "Soudure", "level": 2,
                                                       "assessed_on": "9999-12-31"}, content_type="application/json")
    assert api.status_code == 422
