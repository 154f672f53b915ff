"""Signing in and out of an organisation: the login page, its French errors, CSRF on every form."""

import re

PASSWORD = "motdepasse-test"


def text_of(response) -> str:
    return response.content.decode()


def test_it_renders_the_login_page_with_labelled_fields(in_alpha, client_for):
    response = client_for(in_alpha).get("/comptes/connexion/")
    html = text_of(response)
    assert response.status_code == 200
    assert '<label for="id_username">Adresse e-mail</label>' in html
    assert '<label for="id_password">Mot de passe</label>' in html
    assert 'id="id_username"' in html and 'id="id_password"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert '<a class="skip-link" href="#main">Aller au contenu</a>' in html
    assert '<html lang="fr">' in html


def test_it_shows_a_french_error_for_a_wrong_password(in_alpha, client_for, make_user):
    user = make_user(in_alpha, "admin")
    response = client_for(in_alpha).post("/comptes/connexion/", {"username": user.email, "password": "faux"})
    assert response.status_code == 200
    html = text_of(response)
    assert "Adresse e-mail ou mot de passe incorrect." in html
    assert 'role="alert"' in html
    assert f'value="{user.email}"' in html


def test_it_logs_in_with_the_right_password_and_lands_on_the_dashboard(in_alpha, client_for, make_user):
    user = make_user(in_alpha, "hr")
    client = client_for(in_alpha)
    response = client.post("/comptes/connexion/", {"username": user.email, "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert "<h1>Tableau de bord</h1>" in text_of(response)


def test_it_redirects_a_logged_out_visitor_to_the_login_page(in_alpha, client_for):
    client = client_for(in_alpha)
    for path in ["/", "/salaries/", "/salaries/E1/", "/comptes/jetons/"]:
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/comptes/connexion/?next=")


def test_it_logs_out_with_a_post(in_alpha, client_for, make_user):
    client = client_for(in_alpha, make_user(in_alpha, "admin"))
    assert client.get("/").status_code == 200
    assert client.get("/comptes/deconnexion/").status_code == 405
    response = client.post("/comptes/deconnexion/")
    assert response.status_code == 302 and response["Location"] == "/comptes/connexion/"
    assert client.get("/").status_code == 302


def test_it_puts_a_csrf_token_in_every_form(in_alpha, client_for, make_user):
    client = client_for(in_alpha, make_user(in_alpha, "admin"))
    html = text_of(client.get("/comptes/jetons/"))
    forms = [form for form in re.findall(r"<form.*?</form>", html, re.S) if 'method="post"' in form]
    assert len(forms) == 3  # logout, language, new token
    for form in forms:
        assert 'name="csrfmiddlewaretoken"' in form


def test_it_refuses_a_post_without_csrf_token(in_alpha, client_for, make_user):
    user = make_user(in_alpha, "admin")
    client = client_for(in_alpha, user, enforce_csrf_checks=True)
    response = client.post("/comptes/jetons/", {"name": "sans jeton CSRF"})
    assert response.status_code == 403
    assert "Formulaire expiré" in text_of(response)
