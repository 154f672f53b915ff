"""French error pages for everyone, the debug page only for a developer who asks for it."""

import subprocess
import sys

import pytest
from django.test import Client


def test_it_turns_a_missing_object_into_a_french_sentence(in_alpha, make_user, client_for):
    response = client_for(in_alpha, make_user(in_alpha, "admin")).get("/salaries/NOBODY/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Introuvable : aucun élément « salarié » ne correspond à cette adresse" in html
    assert "No Employee matches" not in html


def test_it_answers_a_french_404_for_an_unknown_address(in_alpha, make_user, client_for):
    response = client_for(in_alpha, make_user(in_alpha, "admin")).get("/cette/page/nexiste/pas/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()
    public = Client(HTTP_HOST="localhost").get("/nulle-part/")
    assert public.status_code == 404 and "Page introuvable" in public.content.decode()


def test_it_answers_a_french_404_in_the_api(in_alpha, make_user, client_for):
    client = client_for(in_alpha, make_user(in_alpha, "admin"))
    response = client.get("/api/v1/employees/NOBODY")
    assert response.status_code == 404
    assert response.json()["detail"].startswith("Introuvable : aucun élément « salarié »")


@pytest.mark.parametrize("environment, debug", [
    ({"DJANGO_DEBUG": "1"}, "False"),
    ({"DJANGO_DEBUG": "1", "ESIPRO_DEBUG_PAGES": "1"}, "True"),
    ({"DJANGO_DEBUG": "0", "ESIPRO_DEBUG_PAGES": "1", "DJANGO_SECRET_KEY": "x" * 50}, "False"),
])
def test_it_shows_the_debug_page_only_when_a_developer_asks(environment, debug):
    """``make run`` (DJANGO_DEBUG=1) keeps Django's debug pages off unless ESIPRO_DEBUG_PAGES=1."""
    import os

    env = {key: value for key, value in os.environ.items() if key not in ("DJANGO_DEBUG", "ESIPRO_DEBUG_PAGES")}
    result = subprocess.run(
        [sys.executable, "-c", "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', "
         "'esipro.settings'); from django.conf import settings; print(settings.DEBUG, settings.DEVELOPMENT)"],
        env={**env, **environment}, capture_output=True, text=True, check=True,
    )
    assert result.stdout.split()[0] == debug


def test_it_shows_the_french_500_page(in_alpha, make_user, client_for, settings):
    from django.urls import path

    from esipro import urls_tenant

    def broken(request):
        raise RuntimeError("boom")

    settings.ROOT_URLCONF = type("Urls", (), {
        "urlpatterns": [path("casse/", broken), *urls_tenant.urlpatterns],
        "handler500": urls_tenant.handler500, "handler404": urls_tenant.handler404,
    })
    client = client_for(in_alpha, make_user(in_alpha, "admin"), raise_request_exception=False)
    response = client.get("/casse/")
    assert response.status_code == 500
    assert "Erreur du serveur" in response.content.decode()


def text_of(response) -> str:
    return response.content.decode()


def test_it_has_a_french_500_page(in_alpha, rf):
    from django.views.defaults import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Erreur du serveur" in text_of(response)
    assert "Une erreur inattendue nous empêche d'afficher cette page." in text_of(response)
