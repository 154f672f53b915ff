"""A real Chromium: a supervisor records an observation with a photo from a phone, the worker finds it
in the easy-read version of their booklet; the worker's pages pass axe-core with nothing serious or
critical and are usable with the keyboard alone."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings

from accounts.services import user_create
from skills_matrix.services import org_skill_get_or_create
from tests.booklet.conftest import image_bytes
from tests.browser import CHROMIUM_ARGS
from tests.workforce.test_browser import PASSWORD
from workforce.models import Employee

pytestmark = pytest.mark.browser

AXE = Path(settings.BASE_DIR) / "static" / "vendor" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def booklet_people(committed_org):
    """A supervisor, the worker assigned to them (with a declared level and an experience), two skills."""
    from booklet.audit import Actor
    from booklet.services import experience_create
    from skills_matrix.services import employee_skill_assess

    boss = Employee.objects.create(staff_number="S-1", first_name="Bruno", last_name="Encadrant",
                                   hire_date=datetime.date(2015, 1, 5))
    worker = Employee.objects.create(staff_number="T-1", first_name="Wassila", last_name="Travailleuse",
                                     manager=boss, hire_date=datetime.date(2021, 9, 1))
    supervisor = user_create(email="encadrant@navigateur.test", password=PASSWORD, role="supervisor",
                             full_name="Bruno Encadrant", employee=boss)
    worker_user = user_create(email="travailleuse@navigateur.test", password=PASSWORD, role="employee",
                              full_name="Wassila Travailleuse", employee=worker)
    hedge = org_skill_get_or_create(label="Tailler une haie")
    lawn = org_skill_get_or_create(label="Tondre une pelouse")
    employee_skill_assess(user=worker_user, employee=worker, skill=lawn, level=2)
    experience_create(actor=Actor(user=worker_user), employee=worker, kind="pmsmp",
                      title="Immersion chez un paysagiste", place="Villefranche", start=datetime.date(2024, 3, 4),
                      description="J'ai tondu des pelouses.", skill_ids=[lawn.pk])
    return {"supervisor": supervisor, "worker": worker_user, "hedge": hedge, "lawn": lawn}


def _sign_in(page, server_url, email):  # noqa: F811
    page.goto(f"{server_url}/comptes/connexion/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(re.compile(r"/$"))


def test_it_records_an_observation_with_a_photo_on_a_phone_that_the_worker_sees_in_easy_read(
        chromium_path, server, booklet_people):  # noqa: F811
    from playwright.sync_api import expect, sync_playwright

    from booklet.models import Evidence

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            phone = browser.new_context(locale="fr-FR", viewport=PHONE, is_mobile=True, has_touch=True)
            page = phone.new_page()
            page.set_default_timeout(20_000)
            _sign_in(page, server, "encadrant@navigateur.test")
            page.goto(f"{server}/carnet/")
            page.get_by_role("link", name=re.compile("Travailleuse")).first.click()
            expect(page.get_by_role("heading", level=1)).to_have_text("Carnet de Wassila Travailleuse")
            page.get_by_role("link", name="Observer avec une photo").click()
            expect(page.get_by_role("heading", level=1)).to_have_text("Observer Wassila Travailleuse")

            page.get_by_label("Compétence observée").select_option(label="Tailler une haie")
            page.get_by_label("3 – Confirmé").check()
            page.get_by_label("Situation de travail").fill("Parc municipal")
            page.get_by_label("Ce que j'ai vu").fill("Haie taillée droite, déchets ramassés.")
            page.get_by_label("Photo").set_input_files(
                {"name": "haie.jpg", "mimeType": "image/jpeg", "buffer": image_bytes(exif=True)})
            page.get_by_role("button", name="Enregistrer l'observation").click()

            expect(page.get_by_role("status")).to_contain_text(
                "Observation enregistrée dans le carnet de Wassila Travailleuse")
            hedge = page.locator('article.skill[data-skill="Tailler une haie"]')
            expect(hedge).to_contain_text("Niveau 3")
            expect(hedge).to_contain_text("Haie taillée droite")
            expect(hedge.get_by_role("img", name="Photo : Tailler une haie")).to_be_visible()
            phone.close()

            worker = browser.new_context(locale="fr-FR")
            page = worker.new_page()
            page.set_default_timeout(20_000)
            _sign_in(page, server, "travailleuse@navigateur.test")
            page.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Mon carnet").click()
            expect(page.get_by_role("heading", level=1)).to_have_text("Mon carnet de parcours et de compétences")
            page.get_by_role("link", name="Version facile à lire").click()
            expect(page.get_by_role("heading", level=1)).to_have_text("Mon carnet")
            card = page.locator('li.card-easy[data-skill="Tailler une haie"]')
            expect(card).to_contain_text("Haie taillée droite, déchets ramassés.")
            expect(card).to_contain_text("Mon encadrant m'a vu le faire.")
            expect(card.get_by_role("img", name="Niveau 3 sur 4")).to_be_visible()
            photo = card.get_by_role("img", name="Photo : Tailler une haie")
            expect(photo).to_be_visible()
            # The photo really loaded (re-encoded JPEG served by the API, with the worker's session).
            assert photo.evaluate("img => img.complete && img.naturalWidth") == 40
            expect(page.get_by_role("button", name="Écouter la page")).to_be_visible()
        finally:
            browser.close()

    # What was stored: a photo observed by the supervisor, re-encoded without the camera's metadata.
    evidence = Evidence.objects.get(skill=booklet_people["hedge"])
    assert evidence.kind == "photo" and evidence.observer_name == "Bruno Encadrant"
    with evidence.file.open("rb") as handle:
        assert b"Photographe Secret" not in handle.read()


WORKER_PAGES = [("/carnet/T-1/", "Mon carnet de parcours et de compétences"), ("/carnet/T-1/facile/", "Mon carnet"),
                ("/carnet/T-1/cv/", None), ("/carnet/T-1/journal/", None)]


def _axe_problems(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("""async () => {
        const result = await axe.run(document, {runOnly: {type: "tag",
            values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}});
        return result.violations.map(v => ({id: v.id, impact: v.impact,
            nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}));
    }""")
    return [f"{v['id']} ({v['impact']}): {v['nodes']}" for v in violations if v["impact"] in ("serious", "critical")]


def test_it_passes_axe_core_on_the_workers_pages(chromium_path, server, booklet_people):  # noqa: F811
    from playwright.sync_api import sync_playwright

    from booklet.audit import Actor
    from booklet.services import evidence_create

    evidence_create(actor=Actor(user=booklet_people["supervisor"]), employee=booklet_people["worker"].employee,
                    skill_id=booklet_people["hedge"].pk, kind="photo", note="Haie taillée.",
                    observed_on=datetime.date(2025, 5, 2), file_name="haie.jpg", file_data=image_bytes())
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            # The CSP forbids inline scripts, axe-core's injection included: only this test context skips it.
            for viewport in ({"width": 1280, "height": 900}, PHONE):
                context = browser.new_context(locale="fr-FR", bypass_csp=True, viewport=viewport)
                page = context.new_page()
                page.set_default_timeout(20_000)
                _sign_in(page, server, "travailleuse@navigateur.test")
                problems = {}
                for path, _title in WORKER_PAGES:
                    response = page.goto(f"{server}{path}")
                    assert response.status == 200, path
                    found = _axe_problems(page)
                    if found:
                        problems[path] = found
                assert problems == {}, problems
                context.close()
        finally:
            browser.close()


def test_it_lets_the_worker_use_their_booklet_with_the_keyboard_alone(chromium_path, server, booklet_people):  # noqa: F811
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(locale="fr-FR")
            page.set_default_timeout(20_000)
            page.goto(f"{server}/comptes/connexion/?next=/carnet/moi/")
            expect(page.get_by_label("Adresse e-mail")).to_be_focused()
            page.keyboard.type("travailleuse@navigateur.test")
            page.keyboard.press("Tab")
            page.keyboard.type(PASSWORD)
            page.keyboard.press("Enter")
            expect(page.get_by_role("heading", level=1)).to_have_text("Mon carnet de parcours et de compétences")

            # Skip link first, then straight to the content.
            page.keyboard.press("Tab")
            expect(page.get_by_role("link", name="Aller au contenu")).to_be_focused()
            page.keyboard.press("Enter")
            expect(page.locator("main")).to_be_focused()

            # Tab through the page until the easy-read switch, open it with Enter.
            easy = page.get_by_role("link", name="Version facile à lire")
            for _ in range(30):
                page.keyboard.press("Tab")
                if easy.evaluate("el => el === document.activeElement"):
                    break
            expect(easy).to_be_focused()
            # The focus is visible (an outline or a box shadow drawn by the style sheet).
            assert easy.evaluate("el => { const s = getComputedStyle(el); "
                                 "return s.outlineStyle !== 'none' || s.boxShadow !== 'none'; }")
            page.keyboard.press("Enter")
            expect(page.get_by_role("heading", level=1)).to_have_text("Mon carnet")

            # The read-aloud button is reached from the keyboard and answers Space.
            listen = page.get_by_role("button", name="Écouter la page")
            for _ in range(30):
                page.keyboard.press("Tab")
                if listen.evaluate("el => el === document.activeElement"):
                    break
            expect(listen).to_be_focused()
            page.evaluate("""() => { window.pressedStates = [];
                const button = document.querySelector("[data-read-aloud]");
                new MutationObserver(() => window.pressedStates.push(button.getAttribute("aria-pressed")))
                    .observe(button, {attributes: true, attributeFilter: ["aria-pressed"]}); }""")
            page.keyboard.press("Space")
            page.wait_for_function("() => window.pressedStates.includes('true')")

            # Back to the full version, then add an experience with the keyboard.
            page.get_by_role("link", name="Version complète").focus()
            page.keyboard.press("Enter")
            expect(page.get_by_role("heading", level=1)).to_have_text("Mon carnet de parcours et de compétences")
            page.get_by_role("link", name="Ajouter une expérience").focus()
            page.keyboard.press("Enter")
            expect(page.get_by_role("heading", level=1)).to_have_text("Ajouter une expérience")
            page.get_by_label("Type").focus()
            page.keyboard.press("ArrowDown")  # Stage
            page.keyboard.press("Tab")
            expect(page.get_by_label("Intitulé")).to_be_focused()
            page.keyboard.type("Stage à la banque alimentaire")
            page.keyboard.press("Tab")
            expect(page.get_by_label("Lieu")).to_be_focused()
            page.keyboard.type("Villefranche")
            page.keyboard.press("Tab")
            expect(page.get_by_label("Début")).to_be_focused()
            page.keyboard.type("06052023")
            page.get_by_role("button", name="Enregistrer").focus()
            page.keyboard.press("Enter")
            expect(page.get_by_role("heading", level=1)).to_have_text("Mon carnet de parcours et de compétences")
            expect(page.locator(".timeline")).to_contain_text("Stage : Stage à la banque alimentaire (Villefranche)")
        finally:
            browser.close()
