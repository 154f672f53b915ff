"""Real Chromium: the matrix stays readable at 30+ skills — it scrolls inside its box, the header row and
the first column stay in view, the totals cover every page, and the compact mode narrows the table."""

import pytest

from accounts.services import user_create
from skills_matrix import services
from tests.browser import CHROMIUM_ARGS
from workforce.models import Employee, Job

from .conftest import moment

pytestmark = pytest.mark.browser
PASSWORD = "Navigateur-2026!"


@pytest.fixture
def wide_matrix(committed_org):
    """60 welders (two pages) and 32 skills, 6 of them required at level 3."""
    welder = Job.objects.create(title="Soudeur")
    skills = [services.org_skill_get_or_create(label=f"Compétence numéro {n:02d} de l'atelier",
                                               kind="savoir_etre" if n % 4 == 0 else "savoir_faire")
              for n in range(32)]
    for skill in skills[:6]:
        services.job_requirement_set(job=welder, skill=skill, target_level=3)
    for n in range(60):
        employee = Employee.objects.create(staff_number=f"L-{n:02d}", first_name="Léo", last_name=f"Large{n:02d}",
                                           job=welder)
        for skill in skills[n % 3::3]:
            services.employee_skill_set(employee=employee, skill=skill, level=n % 5, status="observed",
                                        source="supervisor", assessed_on=None, user=None, at=moment("2024-01-01"))
    user_create(email="rh@matrice.test", password=PASSWORD, role="hr", full_name="Rose Hérault")


def test_it_keeps_the_header_and_the_first_column_in_view_and_switches_to_compact(chromium_path, server,  # noqa: F811
                                                                                   wide_matrix):
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(locale="fr-FR", viewport={"width": 1024, "height": 768})
            page.set_default_timeout(15_000)
            page.goto(f"{server}/comptes/connexion/?next=/competences/")
            page.get_by_label("Adresse e-mail").fill("rh@matrice.test")
            page.get_by_label("Mot de passe").fill(PASSWORD)
            page.get_by_role("button", name="Se connecter").click()
            expect(page.get_by_role("heading", level=1)).to_have_text("Matrice des compétences")
            # totals of both pages on the first one
            expect(page.locator("#employee-count")).to_have_text("60")
            expect(page.locator("#totals-scope")).to_contain_text("60 salariés")
            expect(page.locator('th[scope="colgroup"]')).to_have_count(2)  # savoir-faire, savoir-être

            box = page.locator(".matrix-scroll")
            assert page.evaluate("document.documentElement.scrollWidth") <= 1024  # the page itself does not scroll
            assert box.evaluate("el => el.scrollWidth > el.clientWidth && el.scrollHeight > el.clientHeight")
            box.evaluate("el => { el.scrollLeft = el.scrollWidth; el.scrollTop = el.scrollHeight; }")
            first = page.locator('tr[data-staff-number="L-30"] th.sticky-col')
            first.scroll_into_view_if_needed()
            box.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
            assert abs(first.bounding_box()["x"] - box.bounding_box()["x"]) < 3
            header = page.locator("thead th.skill").last
            assert abs(page.locator("thead tr").first.bounding_box()["y"] - box.bounding_box()["y"]) < 3
            assert header.is_visible()

            wide = box.evaluate("el => el.scrollWidth")
            page.get_by_role("link", name="Affichage compact").click()
            expect(page.locator("table.heat.compact")).to_have_count(1)
            narrow = page.locator(".matrix-scroll").evaluate("el => el.scrollWidth")
            assert narrow < wide * 0.7
            page.get_by_role("link", name="Affichage normal").click()
            expect(page.locator("table.heat.compact")).to_have_count(0)
        finally:
            browser.close()
