"""A real Chromium: the demo employee opens "Mes pistes de mobilité" and says "ça m'intéresse"."""

import io
import re
import uuid

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.management import call_command
from django.db import connection
from django.test.testcases import LiveServerThread
from django_tenants.utils import tenant_context

from demo.data import DEMO_PASSWORD
from tests.foundation.test_browser import CHROMIUM_ARGS, chromium_path  # noqa: F401

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_org(django_db_setup, django_db_blocker):
    from tenants.models import Organization

    slug = f"demo-{uuid.uuid4().hex[:6]}"
    with django_db_blocker.unblock():
        call_command("demo_seed", slug=slug, kind="company", skip_referentials=True, stdout=io.StringIO())
        organization = Organization.objects.get(slug=slug)
        try:
            with tenant_context(organization):
                yield organization
        finally:
            connection.set_schema_to_public()
            organization.delete(force_drop=True)


@pytest.fixture
def demo_server(demo_org):
    thread = LiveServerThread("localhost", static_handler=StaticFilesHandler, port=0)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    yield f"http://{demo_org.get_primary_domain().domain}:{thread.port}"
    thread.terminate()


def test_it_lets_the_demo_employee_say_ca_minteresse(chromium_path, demo_org, demo_server):  # noqa: F811
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
            job_title = re.sub(r"\s*\d{1,3} %$", "", first.get_by_role("heading", level=2).inner_text()).strip()

            first.get_by_role("button", name="Ça m'intéresse").click()
            expect(page.locator(".message.success")).to_contain_text(f"Intérêt noté pour « {job_title} »")
            expect(page.locator("#paths > li").first.locator(".signal.interested")).to_have_text("Intéressé·e")
            expect(page.locator("#paths > li").first.get_by_role("button", name="Je ne suis plus intéressé·e")
                   ).to_be_visible()
        finally:
            browser.close()
    assert MobilityWish.objects.filter(employee__user__email=email, job__title=job_title).count() == 1
