"""A real Chromium: the demo employee opens "Mes pistes de mobilité" and says "ça m'intéresse"."""

import re

import pytest

from demo.data import DEMO_PASSWORD
from tests.browser import CHROMIUM_ARGS

pytestmark = pytest.mark.browser


def test_it_lets_the_demo_employee_say_ca_minteresse(chromium_path, demo_org, demo_server):
    from playwright.sync_api import expect, sync_playwright

    from mobility.models import MobilityWish

    email = f"salarie@{demo_org.slug}.esipro.fr"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(locale="fr-FR")
            page.set_default_timeout(20_000)
            page.goto(f"{demo_server}/mobilite/")
            page.get_by_label("Adresse e-mail").fill(email)
            page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
            page.get_by_label("Mot de passe").press("Enter")

            expect(page.get_by_role("heading", level=1)).to_have_text("Mes pistes de mobilité")
            navigation = page.get_by_role("navigation", name="Navigation principale")
            expect(navigation.get_by_role("link", name="Mes pistes de mobilité")).to_have_attribute(
                "aria-current", "page")
            first = page.locator("#paths > li").first
            expect(first.locator(".fit")).to_have_text(re.compile(r"^\d{1,3} %$"))
            expect(first.locator(".explanation li").first).to_be_visible()
            heading = first.get_by_role("heading", level=2).inner_text().strip()
            job_title = heading.removesuffix(first.locator(".fit").inner_text().strip()).strip()

            first.get_by_role("button", name="Ça m'intéresse").click()
            expect(page.locator(".message.success")).to_contain_text(f"Intérêt noté pour « {job_title} »")
            expect(page.locator("#paths > li").first.locator(".signal.interested")).to_have_text("Intéressé·e")
            expect(page.locator("#paths > li").first.get_by_role("button", name="Je ne suis plus intéressé·e")
                   ).to_be_visible()
        finally:
            browser.close()
    assert MobilityWish.objects.filter(employee__user__email=email, job__title=job_title).count() == 1
