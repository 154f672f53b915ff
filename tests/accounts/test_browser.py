"""Real Chromium: an administrator invites an HR manager who sets a password and imports a file; a
supervisor's team is changed on the teams page and their skills matrix follows."""

import re

import pytest
from django.core import mail

from accounts.services import user_create
from tests.foundation.test_browser import CHROMIUM_ARGS, chromium_path, server  # noqa: F401 (fixtures)
from tests.imports.filegen import generate_hr_export
from workforce.models import Employee, OrgUnit

from .conftest import link_token

pytestmark = pytest.mark.browser
PASSWORD = "Quartz-Velo-2026!"  # unlike the e-mails (@navigateur.test): the validators refuse a close one
NEW_PASSWORD = "Rh-Premiere-Connexion-26"


def sign_in(page, server, email, password=PASSWORD):  # noqa: F811
    page.goto(f"{server}/comptes/connexion/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()


def test_it_invites_an_hr_manager_who_sets_a_password_and_imports_a_file(
        chromium_path, server, committed_org, celery_worker, tmp_path):  # noqa: F811
    from playwright.sync_api import expect, sync_playwright

    user_create(email="admin@navigateur.test", password=PASSWORD, role="admin", full_name="Ada Admin")
    export = generate_hr_export(tmp_path / "export_personnel.xlsx", 5)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            admin = browser.new_context(locale="fr-FR").new_page()
            admin.set_default_timeout(15_000)
            sign_in(admin, server, "admin@navigateur.test")
            admin.get_by_role("navigation", name="Navigation principale").get_by_role(
                "link", name="Utilisateurs").click()
            expect(admin.get_by_role("heading", level=1)).to_have_text("Utilisateurs")
            admin.get_by_label("Adresse e-mail").fill("rose.herault@navigateur.test")
            admin.get_by_label("Nom complet").fill("Rose Hérault")
            admin.get_by_label("Rôle").first.select_option(label="Responsable RH")
            admin.get_by_role("button", name="Envoyer l'invitation").click()
            expect(admin.locator(".message.success")).to_have_text(
                "Invitation envoyée à rose.herault@navigateur.test : le lien reste valable 7 jours.")
            row = admin.locator('tr[data-email="rose.herault@navigateur.test"]')
            expect(row.locator('[data-field="status"]')).to_have_text("Invitation en attente")
            expect(row.locator('[data-field="role"]')).to_have_text("Responsable RH")

            # The e-mail (console backend under `make run`, the test outbox here) holds the one-time link.
            assert [message.to for message in mail.outbox] == [["rose.herault@navigateur.test"]]
            token = link_token(mail.outbox[0])
            assert f"{server}/comptes/mot-de-passe/{token}/" in mail.outbox[0].body

            hr = browser.new_context(locale="fr-FR").new_page()
            hr.set_default_timeout(15_000)
            hr.goto(f"{server}/comptes/mot-de-passe/{token}/")
            expect(hr.get_by_role("heading", level=1)).to_have_text("Choisir votre mot de passe")
            hr.get_by_label("Nouveau mot de passe").fill(NEW_PASSWORD)
            hr.get_by_label("Confirmation du mot de passe").fill(NEW_PASSWORD)
            hr.get_by_role("button", name="Enregistrer mon mot de passe").click()
            expect(hr.get_by_role("heading", level=1)).to_have_text("Tableau de bord")
            expect(hr.locator(".message.success")).to_have_text("Mot de passe enregistré : bienvenue dans Esi Pro.")
            expect(hr.locator(".who")).to_contain_text("Rose Hérault")

            # HR runs the import: upload → preview → launch → report.
            hr.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Imports").click()
            hr.goto(f"{server}/imports/nouveau/")
            expect(hr.get_by_role("heading", level=1)).to_have_text("Importer un fichier du personnel")
            hr.get_by_label("Fichier du personnel").set_input_files(str(export))
            hr.get_by_role("button", name="Voir l'aperçu").click()
            expect(hr.get_by_role("heading", level=1)).to_have_text("Aperçu de l'import : export_personnel.xlsx")
            hr.get_by_role("button", name="Lancer l'import").click()
            expect(hr).to_have_url(re.compile(r"/imports/\d+/$"))
            expect(hr.locator("#job-message")).to_contain_text("Import terminé : 5 créés", timeout=120_000)

            # The link served once; the administrator sees the account active and the history.
            hr.goto(f"{server}/comptes/mot-de-passe/{token}/")
            expect(hr.locator("#link-error")).to_contain_text("Ce lien n'est plus valable")
            admin.reload()
            expect(row.locator('[data-field="status"]')).to_have_text("Actif")
        finally:
            browser.close()
    assert Employee.objects.count() == 5


@pytest.fixture
def workshop(committed_org):
    """A supervisor (Sam, employee S-1) with two reports in the org chart; a workshop of three others."""
    workshop = OrgUnit.objects.create(name="Atelier bois")
    office = OrgUnit.objects.create(name="Bureau")
    boss = Employee.objects.create(staff_number="S-1", first_name="Sam", last_name="Chef", org_unit=office)
    for n, name in ((1, "Rapport"), (2, "Rapportbis")):
        Employee.objects.create(staff_number=f"R-{n}", first_name="Rita", last_name=name, manager=boss, org_unit=office)
    for n, name in ((1, "Menuisier"), (2, "Ébéniste"), (3, "Tourneur")):
        Employee.objects.create(staff_number=f"W-{n}", first_name="Wil", last_name=name, org_unit=workshop)
    user_create(email="sam@navigateur.test", password=PASSWORD, role="supervisor", full_name="Sam Chef",
                employee=boss)
    user_create(email="rh@navigateur.test", password=PASSWORD, role="hr", full_name="Rose Hérault")


def test_it_changes_a_supervisors_team_and_their_matrix_follows(chromium_path, server, workshop):  # noqa: F811
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            supervisor = browser.new_context(locale="fr-FR").new_page()
            supervisor.set_default_timeout(15_000)
            sign_in(supervisor, server, "sam@navigateur.test")
            supervisor.goto(f"{server}/competences/")
            main = supervisor.locator("main")
            expect(main).to_contain_text("Rapport")
            expect(main).not_to_contain_text("Menuisier")

            hr = browser.new_context(locale="fr-FR").new_page()
            hr.set_default_timeout(15_000)
            sign_in(hr, server, "rh@navigateur.test")
            hr.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Équipes").click()
            expect(hr.get_by_role("heading", level=1)).to_have_text("Équipes des encadrants")
            expect(hr.locator('tr[data-email="sam@navigateur.test"] [data-field="size"]')).to_have_text("2")
            hr.get_by_role("link", name="Sam Chef").click()
            hr.get_by_label("Par unité (avec leurs sous-unités)").check()
            hr.get_by_label("Atelier bois").check()
            hr.get_by_role("button", name="Enregistrer l'équipe").click()
            expect(hr.locator(".message.success")).to_have_text("Équipe de Sam Chef enregistrée.")
            expect(hr.locator("#team-members li")).to_have_count(3)

            supervisor.reload()
            expect(main).to_contain_text("Menuisier")
            expect(main).to_contain_text("Tourneur")
            expect(main).not_to_contain_text("Rapport")
        finally:
            browser.close()
