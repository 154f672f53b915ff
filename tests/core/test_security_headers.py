"""Content-Security-Policy on every response (no inline script or style anywhere in the templates), HSTS
outside debug, and the API docs served from the app's own static files under that policy."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import override_settings

from accounts.services import user_create
from tests.browser import CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parents[2]


def test_it_sends_a_strict_content_security_policy_on_pages_and_the_api(in_alpha, make_user, client_for):
    client = client_for(in_alpha, make_user(in_alpha, "admin"))
    for url in ("/comptes/connexion/", "/", "/api/v1/docs", "/api/v1/jobs"):
        policy = client.get(url)["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "script-src 'self'" in policy, url
        assert "style-src 'self'" in policy and "frame-ancestors 'none'" in policy, url
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, url


def test_it_keeps_every_template_free_of_inline_script_and_style():
    offending = []
    for template in ROOT.glob("**/templates/**/*.html"):
        if ".venv" in template.parts:
            continue
        text = template.read_text()
        for pattern in (r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", r"\sstyle=\"", r"\son[a-z]+=\"",
                        r"javascript:"):
            offending += [f"{template.relative_to(ROOT)}: {match}" for match in re.findall(pattern, text)]
    assert offending == []


def test_it_serves_the_api_docs_from_its_own_static_files(in_alpha, make_user, client_for):
    page = client_for(in_alpha, make_user(in_alpha, "admin")).get("/api/v1/docs").content.decode()
    assert not re.search(r"(?:src|href)=\"(?:https?:)?//", page)
    assert "cdn" not in page.lower()
    assets = re.findall(r"(?:src|href)=\"/static/([^\"]+)\"", page)
    assert sorted(assets) == ["js/api-docs.js", "vendor/swagger-ui/swagger-ui-bundle.js",
                              "vendor/swagger-ui/swagger-ui.css"]
    assert all(finders.find(asset) for asset in assets)


def test_it_sends_hsts_outside_debug():
    env = dict(os.environ, DJANGO_DEBUG="0", DJANGO_SECRET_KEY="test-secret-key-for-hsts-" + "x" * 40)
    shown = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from django.conf import settings as s; "
                               "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS)"],
        cwd=ROOT, env={**env, "DJANGO_SETTINGS_MODULE": "esipro.settings"}, capture_output=True, text=True,
        timeout=60,
    ).stdout.split()
    assert shown == ["31536000", "True"]
    assert getattr(settings, "SECURE_HSTS_SECONDS", 0) == 0  # debug (the tests' settings): no HSTS


def test_it_answers_https_requests_with_hsts_when_configured_so(in_alpha, make_user, client_for):
    with override_settings(SECURE_HSTS_SECONDS=31536000, SECURE_HSTS_INCLUDE_SUBDOMAINS=True):
        response = client_for(in_alpha).get("/comptes/connexion/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


@pytest.mark.browser
def test_it_shows_the_api_docs_in_a_browser_without_any_policy_violation(chromium_path, server,
                                                                         committed_org):
    from playwright.sync_api import expect, sync_playwright

    user_create(email="docs@navigateur.test", password="Clef-de-sol-2026!", role="admin")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(locale="fr-FR")
            page.set_default_timeout(15_000)
            console = []
            page.on("console", lambda message: console.append(message.text))
            external = []
            page.on("request", lambda request: external.append(request.url)
                    if not request.url.startswith((server, "data:")) else None)
            page.goto(f"{server}/comptes/connexion/")
            page.get_by_label("Adresse e-mail").fill("docs@navigateur.test")
            page.get_by_label("Mot de passe").fill("Clef-de-sol-2026!")
            page.get_by_role("button", name="Se connecter").click()
            page.goto(f"{server}/api/v1/docs")
            expect(page.locator(".opblock-summary-path").first).to_be_visible()
            expect(page.locator(".info .title")).to_contain_text("Esi Pro API")
            assert external == []
            assert [text for text in console if "Content Security Policy" in text] == []
        finally:
            browser.close()
