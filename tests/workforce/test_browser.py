"""A real Chromium, driven by Playwright, signs in to an organisation and browses its employees."""

import datetime
import re

import pytest

from accounts.services import user_create
from tests.browser import CHROMIUM_ARGS
from workforce.models import Employee, Job, OrgUnit

pytestmark = pytest.mark.browser

PASSWORD = "Clef-de-sol-2026!"


@pytest.fixture
def staff(committed_org):
    """Three units, two jobs, 27 present employees (two pages) and one who left; an HR user."""
    units = [OrgUnit.objects.create(name=name) for name in ("Atelier", "Logistique", "Qualité")]
    jobs = [Job.objects.create(title=title) for title in ("Opérateur de production", "Cariste")]
    Employee.objects.bulk_create([
        Employee(staff_number=f"B{n:03d}", last_name=f"Nom{n:03d}", first_name="Test",
                 job=jobs[n % 2], org_unit=units[n % 3], hire_date=datetime.date(2020, 1, 6))
        for n in range(1, 27)
    ])
    target = Employee.objects.create(
        staff_number="B-777", last_name="Aubert", first_name="Solène", job=jobs[0], org_unit=units[0],
        hire_date=datetime.date(2018, 3, 12), email="solene.aubert@exemple.fr",
    )
    Employee.objects.create(staff_number="B-900", last_name="Parti", is_active=False)
    user = user_create(email="rh@navigateur.test", password=PASSWORD, role="hr", full_name="Rose Hérault")
    return {"user": user, "target": target}


def test_it_signs_in_and_browses_to_an_employee_with_the_keyboard(chromium_path, server, staff):
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(locale="fr-FR")
            page.set_default_timeout(15_000)

            page.goto(f"{server}/")
            expect(page).to_have_url(re.compile(r"/comptes/connexion/\?next=/$"))
            expect(page.get_by_role("heading", level=1)).to_have_text("Connexion")

            # The e-mail field has the focus; everything is typed and submitted from the keyboard.
            expect(page.get_by_label("Adresse e-mail")).to_be_focused()
            page.keyboard.type("rh@navigateur.test")
            page.keyboard.press("Tab")
            expect(page.get_by_label("Mot de passe")).to_be_focused()
            page.keyboard.type(PASSWORD)
            page.keyboard.press("Enter")

            expect(page).to_have_url(f"{server}/")
            expect(page.get_by_role("heading", level=1)).to_have_text("Tableau de bord")
            expect(page.locator('[data-count="employees"] .value')).to_have_text("27")
            expect(page.locator('[data-count="jobs"] .value')).to_have_text("2")
            expect(page.locator('[data-count="org_units"] .value')).to_have_text("3")
            expect(page.locator(".org-kind")).to_have_text("Entreprise")
            # The style sheet comes from the app itself (no CDN) and is applied.
            expect(page.locator("header.topbar")).to_have_css("background-color", "rgb(29, 63, 114)")

            navigation = page.get_by_role("navigation", name="Navigation principale")
            expect(navigation.get_by_role("link", name="Tableau de bord")).to_have_attribute("aria-current", "page")
            navigation.get_by_role("link", name="Salariés").click()

            expect(page.get_by_role("heading", level=1)).to_have_text("Salariés")
            expect(page.locator("#result-count")).to_have_text("27 salariés")
            expect(page.locator("tbody tr")).to_have_count(25)
            expect(navigation.get_by_role("link", name="Salariés")).to_have_attribute("aria-current", "page")

            search = page.get_by_role("searchbox", name="Recherche")
            search.fill("aubert")
            search.press("Enter")
            expect(page.locator("#result-count")).to_have_text("1 salarié")
            page.get_by_role("link", name="Aubert Solène").click()

            expect(page).to_have_url(f"{server}/salaries/B-777/")
            expect(page.get_by_role("heading", level=1)).to_have_text("Solène Aubert")
            expect(page.locator('[data-field="staff_number"]')).to_have_text("B-777")
            expect(page.locator('[data-field="org_unit"]')).to_have_text("Atelier")
        finally:
            browser.close()


def test_it_switches_to_english_and_keeps_the_skip_link_usable(chromium_path, server, staff):
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(locale="fr-FR")
            page.set_default_timeout(15_000)
            page.goto(f"{server}/comptes/connexion/")
            page.get_by_label("Adresse e-mail").fill("rh@navigateur.test")
            page.get_by_label("Mot de passe").fill(PASSWORD)
            page.get_by_role("button", name="Se connecter").click()
            expect(page.get_by_role("heading", level=1)).to_have_text("Tableau de bord")

            # The first Tab reaches the skip link, which moves the focus to the main content.
            page.keyboard.press("Tab")
            skip = page.get_by_role("link", name="Aller au contenu")
            expect(skip).to_be_focused()
            page.keyboard.press("Enter")
            expect(page.locator("main")).to_be_focused()

            page.get_by_label("Langue").select_option("en")
            page.get_by_role("button", name="Changer de langue").click()
            expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
            expect(page.locator("html")).to_have_attribute("lang", "en")
            expect(page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Employees")).to_be_visible()
            expect(page.locator('[data-count="employees"]')).to_contain_text("27 current employees")
        finally:
            browser.close()
