"""French by default, English after the language selector: pages, navigation, choices and messages."""

import re

import pytest
from django.utils import translation

PASSWORD = "motdepasse-test"


@pytest.fixture(autouse=True)
def _no_language_left_active():
    """A request leaves its language active in the thread: later code outside a request (an import
    run in-process, the engine) must start from the default language again."""
    translation.deactivate()
    yield
    translation.deactivate()


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
    # Messages with a context (msgctxt) are looked up with pgettext: test_catalogue checks those.
    with_context = set(re.findall(r'^msgctxt "[^"]*"\nmsgid "([^"]*)"', (folder / "django.po").read_text(), re.M))
    stale = [msgid for msgid, msgstr in entries.items()
             if msgid not in with_context and catalog.gettext(msgid) != msgstr]
    assert stale == [], "lancer « manage.py compilemessages » : le .mo ne correspond plus au .po"


def test_it_stays_french_for_an_english_browser_until_english_is_chosen(in_alpha, client_for, make_user):
    client = client_for(in_alpha, make_user(in_alpha, "admin"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "Tableau de bord" in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Dashboard" in client.get("/").content.decode()


def english_client(client_for, organization, user):
    client = client_for(organization, user)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    return client


def test_it_translates_the_skills_matrix_page(in_alpha, client_for, make_user, employee_factory, job_factory):
    from skills_matrix import services

    job = job_factory(title="Soudeur")
    skill = services.org_skill_get_or_create(label="Soudure TIG")
    services.job_requirement_set(job=job, skill=skill, target_level=3)
    employee_factory(staff_number="EN-1", job=job)
    html = english_client(client_for, in_alpha, make_user(in_alpha, "hr")).get("/competences/").content.decode()
    assert "<h1>Skills matrix</h1>" in html
    assert "Matrice des compétences" not in html
    assert ">Export (Excel)</a>" in html
    assert "employees with at least one gap" in html
    assert "Legend:" in html and "= level below the level required by the job" in html
    assert '<th scope="col" class="sticky-col" rowspan="2">Employee</th><th scope="col" class="job-col" rowspan="2">Job</th>' \
        in html
    assert 'title="required: 3"' in html and "gap of 3" in html
    assert "Jobs and required skills" in html


def test_it_translates_a_job_page(in_alpha, client_for, make_user, job_factory):
    from skills_matrix import services

    job = job_factory(title="Magasinier")
    services.job_requirement_set(job=job, skill=services.org_skill_get_or_create(label="Cariste"), target_level=2)
    client = english_client(client_for, in_alpha, make_user(in_alpha, "hr"))
    html = client.get(f"/emplois/{job.pk}/").content.decode()
    assert "← Jobs</a>" in html
    assert "Internal code" in html and "Required skills" in html
    assert '<th scope="col">Skill</th><th scope="col">Required level</th><th scope="col">Weight</th>' in html
    assert ">Remove</button>" in html
    assert "<h2>Require a skill</h2>" in html and "or new skill" in html
    refused = client.post(f"/emplois/{job.pk}/", {"action": "set", "skill_label": "Cariste",
                                                               "target_level": 2, "weight": "lourd"}, follow=True)
    assert "Unreadable weight “lourd”: enter a number (e.g. 1)." in refused.content.decode()


def test_it_translates_the_mapping_review_page(in_alpha, client_for, make_user):
    from referentials.models import Skill
    from skills_matrix import services
    from skills_matrix.models import SkillMapping

    skill = services.org_skill_get_or_create(label="Cariste")
    rome = Skill.objects.create(code_ogr="T-EN-1", label="Conduire un chariot", kind="savoir_faire")
    SkillMapping.objects.create(org_skill=skill, rome_skill=rome, confidence=0.7)
    client = english_client(client_for, in_alpha, make_user(in_alpha, "hr"))
    html = client.get("/competences/rapprochements/").content.decode()
    assert "<h1>Mappings to the ROME and ESCO</h1>" in html
    assert '<th scope="col">Referential</th><th scope="col">Suggested skill</th><th scope="col">Confidence</th>' in html
    assert ">Accept the selection</button>" in html and ">Reject the selection</button>" in html
    empty = client.post("/competences/rapprochements/", {"action": "accept"}, follow=True).content.decode()
    assert "Tick at least one mapping before confirming." in empty


def test_it_translates_the_level_scale_page(in_alpha, client_for, make_user):
    from skills_matrix.models import SkillLevel

    client = english_client(client_for, in_alpha, make_user(in_alpha, "admin"))
    html = client.get("/competences/niveaux/").content.decode()
    assert "<h1>Level scale</h1>" in html
    assert '<th scope="col">Level</th><th scope="col">Label</th><th scope="col">Description</th>' in html
    assert ">Save the scale</button>" in html
    data = {f"label-{level.value}": level.label for level in SkillLevel.objects.all()}
    saved = client.post("/competences/niveaux/", data, follow=True).content.decode()
    assert "Level scale saved." in saved
    data["label-2"] = " "
    refused = client.post("/competences/niveaux/", data, follow=True).content.decode()
    assert "The label of level 2 is empty." in refused


def test_it_translates_the_occupation_search_of_the_referential(in_alpha, client_for, make_user):
    from referentials.models import Occupation

    Occupation.objects.create(code="Z9901", label="Boulanger d'essai", search_text="z9901 boulanger d essai",
                              ecological_tag="Emploi Vert")
    client = english_client(client_for, in_alpha, make_user(in_alpha, "employee"))
    html = client.get("/referentiels/metiers/", {"q": "boulanger d essai"}).content.decode()
    assert "<h1>ROME occupations</h1>" in html
    assert 'placeholder="ROME code, title or job title"' in html and ">Search</button>" in html
    assert "1 occupation</p>" in html
    assert '<th scope="col">Code</th><th scope="col">Title</th><th scope="col">Green transition</th>' in html
    none = client.get("/referentiels/metiers/", {"q": "zzz introuvable"}).content.decode()
    assert "0 occupations</p>" in none and "No occupation matches." in none
    detail = client.get("/referentiels/metiers/Z9901/").content.decode()
    assert "← All occupations" in detail and "Core skills (0)" in detail and "Possible career moves" in detail


def test_it_translates_the_import_upload_page_and_history(in_alpha, client_for, make_user):
    client = english_client(client_for, in_alpha, make_user(in_alpha, "admin"))
    html = client.get("/imports/nouveau/").content.decode()
    assert "<h1>Import a staff file</h1>" in html
    assert "Step 1 of 3: choose the file." in html
    assert ">Staff file</label>" in html and ">Partial import</label>" in html
    assert "Recognise the columns automatically" in html
    assert ">See the preview</button>" in html
    history = client.get("/imports/").content.decode()
    assert "<h1>Staff imports</h1>" in history and "No imports yet." in history and "0 imports" in history


def test_it_translates_the_import_preview_with_the_field_names(in_alpha, client_for, make_user, tmp_path,
                                                               settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from imports.models import ImportJob
    from tests.imports.filegen import write_xlsx

    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.MULTITENANT_RELATIVE_MEDIA_ROOT = "%s"
    client = english_client(client_for, in_alpha, make_user(in_alpha, "admin"))
    path = write_xlsx(tmp_path / "custom.xlsx", [["Nom", "Prénom", "Service"], ["Durand", "Léa", "Blanchisserie"]])
    client.post("/imports/nouveau/", {"file": SimpleUploadedFile(path.name, path.read_bytes())})
    job = ImportJob.objects.get()
    html = client.get(f"/imports/{job.pk}/apercu/").content.decode()
    assert "<h1>Import preview: custom.xlsx</h1>" in html
    assert "Required column not found: Staff number." in html
    assert '<option value="first_name" selected>First name</option>' in html
    assert '<option value="org_unit" selected>Department</option>' in html
    assert '<option value="staff_number">Staff number</option>' in html
    assert ">Dry run (nothing is written)</button>" in html


def test_it_translates_an_import_report_and_the_validation_messages(in_alpha, client_for, make_user, tmp_path,
                                                                   settings):
    """The engine's messages follow the language active where the import runs (here in-process, as
    English), and the report page is in the reader's language."""
    from django.core.files import File
    from django.utils import translation

    from imports.services import clean_options, import_job_create, import_run
    from tests.imports.filegen import write_xlsx

    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.MULTITENANT_RELATIVE_MEDIA_ROOT = "%s"
    rows = [["Matricule", "Nom", "Date d'entrée", "Email"], ["E1", "Martin", "31/02/2020", "martin@example.com"],
            ["E2", "Durand", "01/02/2020", "pas-un-email"]]
    path = write_xlsx(tmp_path / "export.xlsx", rows)
    with translation.override("en"), path.open("rb") as handle:
        job = import_run(job=import_job_create(user=None, file=File(handle), file_name=path.name,
                                               options=clean_options(), background=False))
    assert job.status == "rejected"

    html = english_client(client_for, in_alpha, make_user(in_alpha, "admin")).get(f"/imports/{job.pk}/")
    html = html.content.decode()
    assert "<h1>Import: export.xlsx</h1>" in html
    assert "Import rejected: 2 errors in 2 rows. Nothing was written." in html
    assert ("Impossible date: “31/02/2020” does not exist (day or month out of range). "
            "Enter the date as DD/MM/YYYY (for example 05/03/2021).") in html
    assert ("Invalid email: “pas-un-email”. Enter an address such as firstname.lastname@example.com "
            "or leave the cell empty.") in html
    assert "<h2>2 errors</h2>" in html
    assert '<th scope="col">Row</th><th scope="col">Column</th><th scope="col">Value</th>' in html
    assert "Correction needed" in html and "Download the rejected rows (.xlsx)" in html
    assert "Refusé" not in html and "Rien n" not in html


def test_it_keeps_the_validation_messages_of_the_engine_in_french_by_default():
    from imports.engine.parsing import email_lookup

    assert email_lookup(["pas-un-email"])["pas-un-email"].startswith("Email non valide : « pas-un-email ».")
