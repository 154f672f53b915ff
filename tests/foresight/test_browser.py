"""A real Chromium: the demo HR manager opens « Prévisions », the « Transition écologique » dashboard, and sees
the charts drawn (server-side SVG, no script), with their numbers and how they are computed."""

import re

import pytest

from demo.data import DEMO_PASSWORD
from tests.browser import CHROMIUM_ARGS

pytestmark = pytest.mark.browser


def test_it_draws_the_dashboard_charts_of_the_demo(chromium_path, demo_org, demo_server):
    from playwright.sync_api import expect, sync_playwright

    from workforce.models import Employee

    present = Employee.objects.filter(is_active=True).count()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(locale="fr-FR")
            page.set_default_timeout(20_000)
            problems = []
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.goto(f"{demo_server}/")
            page.get_by_label("Adresse e-mail").fill(f"rh@{demo_org.slug}.esipro.fr")
            page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
            page.get_by_label("Mot de passe").press("Enter")

            navigation = page.get_by_role("navigation", name="Navigation principale")
            navigation.get_by_role("link", name="Prévisions").click()
            expect(page.get_by_role("heading", level=1)).to_have_text("Prévisions")
            page.get_by_role("link", name="Transition écologique", exact=True).click()
            expect(page.get_by_role("heading", level=1)).to_contain_text("Transition écologique")

            charts = page.locator("svg.chart")
            expect(charts).to_have_count(7)
            for index in range(7):
                box = charts.nth(index).bounding_box()
                assert box and box["width"] > 200 and box["height"] > 50, index
            # Bars are drawn with a size, and their labels read the figures of the table.
            departures = page.locator("#departures-chart svg")
            assert departures.locator("rect").count() > 10
            expect(departures.locator("text", has_text="Retraites")).to_have_count(1)
            expect(page.locator('[data-figure="start"] .value')).to_have_text(str(present))
            pyramid = page.locator("#pyramid svg")
            expect(pyramid.locator("title")).to_have_text("Pyramide des âges par sexe")
            expect(pyramid.locator("text", has_text="Femmes")).to_have_count(1)
            first_year = page.locator("#departures-table tbody tr").first
            headcount = first_year.locator('[data-col="headcount"]').inner_text()
            expect(page.locator("#headcount-chart svg text", has_text=headcount).first).to_be_visible()
            gap_bars = page.locator("#gap-chart svg rect")
            widths = [float(gap_bars.nth(i).get_attribute("width")) for i in range(gap_bars.count())]
            assert max(widths) > 50
            # "Comment est-ce calculé ?" opens on a click.
            how = page.locator("#departures details.how")
            how.locator("summary").click()
            expect(how.locator("p")).to_contain_text("Retraite : dans l'année où la personne atteint l'âge de départ")
            # The style sheet of the module is served by the app and applied (no inline style, no CDN).
            expect(page.locator("#departures details.how summary")).to_have_css("cursor", "pointer")
            # Filter by contract type: the page reloads with fewer people.
            page.get_by_label("Type de contrat").select_option("cdi")
            page.get_by_role("button", name="Filtrer").click()
            expect(page).to_have_url(re.compile(r"contract_type=cdi"))
            filtered = int(page.locator('[data-figure="start"] .value').inner_text().replace("\u202f", ""))
            assert 0 < filtered < present
        finally:
            browser.close()
    assert not [p for p in problems if "Content Security Policy" in p], problems


def test_it_serves_pages_that_the_strict_csp_lets_draw(workshop, alpha, make_user, client_for):
    """What the browser receives: no inline style or script anywhere on the foresight pages (the charts are
    plain SVG attributes and patterns), so the CSP never blocks a chart."""
    client = client_for(alpha, make_user(alpha, "hr"))
    sid = workshop["scenario"].pk
    for url in ("/previsions/", f"/previsions/{sid}/", f"/previsions/{sid}/modifier/", "/previsions/nouveau/",
                f"/previsions/comparer/?a={sid}&b={sid}"):
        page = client.get(url).content.decode()
        assert not re.search(r"\sstyle=|<style|<script(?![^>]*\ssrc=)", page), url
