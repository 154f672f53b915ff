"""French by default, English after the language selector: pages, navigation, choices and messages."""

import re

PASSWORD = "motdepasse-test"


def csrf_token_of(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def test_it_speaks_french_by_default(in_alpha, client_for, make_user):
    html = client_for(in_alpha, make_user(in_alpha, "admin")).get("/").content.decode()
    assert '<html lang="fr">' in html
    assert "<h1>Tableau de bord</h1>" in html
    assert "salariés présents" in html
    assert '<a href="/salaries/">Salariés</a>' in html
    assert "(Administrateur)" in html
    assert ">Entreprise</span>" in html
    assert '<option value="fr" lang="fr" selected>Français</option>' in html


def test_it_switches_the_dashboard_to_english(in_alpha, client_for, make_user, employee_factory):
    employee_factory.create_batch(2)
    client = client_for(in_alpha, make_user(in_alpha, "admin"), enforce_csrf_checks=True)
    token = csrf_token_of(client.get("/").content.decode())

    response = client.post("/i18n/setlang/", {"language": "en", "next": "/", "csrfmiddlewaretoken": token})
    assert response.status_code == 302 and response["Location"] == "/"

    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "<h1>Dashboard</h1>" in html
    assert "Tableau de bord" not in html
    assert '<span class="value">2</span> current employees' in html
    assert '<a href="/salaries/">Employees</a>' in html
    assert "(Administrator)" in html
    assert ">Company</span>" in html
    assert ">Sign out</button>" in html
    assert "Skip to content" in html
    assert '<option value="en" lang="en" selected>English</option>' in html


def test_it_keeps_english_on_the_employee_list_and_error_pages(in_alpha, client_for, make_user,
                                                                employee_factory):
    me = employee_factory(staff_number="I-001")
    employee_factory.create_batch(2)
    client = client_for(in_alpha, make_user(in_alpha, "admin"))
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    listing = client.get("/salaries/?active=all").content.decode()
    assert "3 employees" in listing and "Staff number" in listing and "Clear filters" in listing

    employee_client = client_for(in_alpha, make_user(in_alpha, "employee", employee=me))
    employee_client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    denied = employee_client.get("/salaries/")
    assert denied.status_code == 403
    assert "You do not have the rights needed to view this page." in denied.content.decode()
    missing = employee_client.get("/salaries/NOPE/")
    assert missing.status_code == 404 and "Page not found" in missing.content.decode()
    assert "My profile" in employee_client.get("/").content.decode()


def test_it_translates_the_login_page_and_its_error(in_alpha, client_for, make_user):
    user = make_user(in_alpha, "hr")
    client = client_for(in_alpha)
    client.post("/i18n/setlang/", {"language": "en", "next": "/comptes/connexion/"})
    page = client.get("/comptes/connexion/").content.decode()
    assert '<label for="id_username">Email address</label>' in page
    assert '<label for="id_password">Password</label>' in page
    failed = client.post("/comptes/connexion/", {"username": user.email, "password": "wrong"}).content.decode()
    assert "Incorrect email address or password." in failed


def test_it_refuses_a_language_switch_without_csrf_token(in_alpha, client_for, make_user):
    client = client_for(in_alpha, make_user(in_alpha, "admin"), enforce_csrf_checks=True)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 403
    assert "<h1>Tableau de bord</h1>" in client.get("/").content.decode()


def po_entries(path) -> dict[str, str]:
    """msgid → msgstr (or msgstr[0]) of a .po file, header and fuzzy flags included as "#, fuzzy" keys."""
    import ast

    entries = {}
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        fields, current = {}, None
        for line in block.splitlines():
            if line.startswith("#, ") and "fuzzy" in line:
                fields["fuzzy"] = "yes"
            elif line.startswith("#") or not line.strip():
                continue
            elif line.startswith('"'):
                fields[current] += ast.literal_eval(line)
            else:
                current, _, value = line.partition(" ")
                fields[current] = ast.literal_eval(value)
        if fields.get("msgid"):
            entries[fields["msgid"]] = "fuzzy" if "fuzzy" in fields else fields.get("msgstr", fields.get("msgstr[0]"))
    return entries


def test_it_translates_every_string_of_the_english_catalog_and_compiles_it():
    import gettext
    from pathlib import Path

    from django.conf import settings

    folder = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"
    entries = po_entries(folder / "django.po")
    assert len(entries) > 100
    untranslated = [msgid for msgid, msgstr in entries.items() if not msgstr or msgstr == "fuzzy"]
    assert untranslated == [], "traduire ces chaînes dans locale/en/LC_MESSAGES/django.po"
    with open(folder / "django.mo", "rb") as compiled:
        catalog = gettext.GNUTranslations(compiled)
    stale = [msgid for msgid, msgstr in entries.items() if catalog.gettext(msgid) != msgstr]
    assert stale == [], "lancer « manage.py compilemessages » : le .mo ne correspond plus au .po"


def test_it_stays_french_for_an_english_browser_until_english_is_chosen(in_alpha, client_for, make_user):
    client = client_for(in_alpha, make_user(in_alpha, "admin"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "Tableau de bord" in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Dashboard" in client.get("/").content.decode()
