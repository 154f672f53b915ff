"""Booklet pages: who sees what, the phone observation page, forms, the CV and its PDF, the tracker and
indicators with their workbooks, and 404/403 on every route."""

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import tenant_context

from booklet.audit import Actor
from booklet.models import AuditEntry, Evidence
from booklet.services import (
    booklet_skill_set,
    evidence_create,
    experience_create,
    interview_create,
    pathway_step_create,
)
from skills_matrix.models import EmployeeSkill

from .conftest import image_bytes

PAGES = ["", "facile/", "cv/", "cv/imprimer/", "cv.pdf", "journal/", "observation/", "experiences/ajouter/",
         "preuves/ajouter/", "entretiens/ajouter/", "parcours/ajouter/", "orientation/ajouter/",
         "confirmations/demander/"]
STAFF_ONLY = ["observation/", "entretiens/ajouter/", "parcours/ajouter/", "orientation/ajouter/"]
HR_PAGES = ["/carnet/entretiens/", "/carnet/entretiens.xlsx", "/carnet/indicateurs/", "/carnet/indicateurs.xlsx"]


def test_it_lists_a_supervisors_assigned_workers_with_what_is_due(people, client_for, in_alpha):
    page = client_for(in_alpha, people.supervisor).get("/carnet/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-staff-number="W-1"' in html and 'data-staff-number="W-2"' not in html
    assert "Wassila Travailleuse" in html
    everyone = client_for(in_alpha, people.hr).get("/carnet/").content.decode()
    assert 'data-staff-number="W-1"' in everyone and 'data-staff-number="W-2"' in everyone
    assert client_for(in_alpha, people.worker_user).get("/carnet/").status_code == 403


def test_it_shows_the_worker_their_own_booklet_and_nobody_elses(people, client_for, in_alpha):
    experience_create(actor=Actor(people.supervisor), employee=people.worker, kind="work", title="Mise en rayon",
                      start=datetime.date(2023, 5, 2), description="Je range les produits.")
    client = client_for(in_alpha, people.worker_user)
    assert client.get("/carnet/moi/")["Location"] == "/carnet/W-1/"
    html = client.get("/carnet/W-1/").content.decode()
    assert "Mon carnet de parcours et de compétences" in html and "Mise en rayon" in html
    assert "Version facile à lire" in html and "Journal" in html
    for path in PAGES:
        assert client.get(f"/carnet/W-2/{path}").status_code == 404, path
    assert AuditEntry.objects.filter(employee=people.worker, action="read", item="booklet").count() == 1


@pytest.mark.parametrize("path", PAGES)
def test_it_answers_404_for_another_organisations_worker(people, client_for, beta, make_user, path):
    with tenant_context(beta):
        stranger = make_user(beta, "admin")
    assert client_for(beta, stranger).get(f"/carnet/W-1/{path}").status_code == 404


def test_it_refuses_staff_pages_to_workers_and_hr_pages_to_supervisors(people, client_for, in_alpha):
    worker = client_for(in_alpha, people.worker_user)
    for path in STAFF_ONLY:
        assert worker.get(f"/carnet/W-1/{path}").status_code == 403, path
    for user in (people.worker_user, people.supervisor):
        for path in HR_PAGES + ["/carnet/rgpd/"]:
            assert client_for(in_alpha, user).get(path).status_code == 403, path
    assert client_for(in_alpha, people.hr).get("/carnet/rgpd/").status_code == 403
    assert client_for(in_alpha, people.supervisor).get("/carnet/W-1/journal/").status_code == 403


def test_it_records_an_observation_with_a_photo_from_the_phone_page(people, client_for, in_alpha):
    from skills_matrix.services import employee_skill_assess

    # The worker's own skills come first in the list (here "Conduire…" after "Accueillir…" alphabetically).
    employee_skill_assess(user=people.supervisor, employee=people.worker, skill=people.skill, level=1)
    client = client_for(in_alpha, people.supervisor)
    form = client.get("/carnet/W-1/observation/").content.decode()
    assert 'capture="environment"' in form and 'accept="image/*"' in form
    assert form.index("Conduire un chariot élévateur") < form.index("Accueillir un client")
    answer = client.post("/carnet/W-1/observation/", {
        "skill": people.skill.pk, "level": "2", "situation": "Chargement du camion", "note": "Gestes sûrs",
        "observed_on": datetime.date.today().isoformat(),
        "photo": SimpleUploadedFile("geste.jpg", image_bytes(), "image/jpeg")})
    assert answer.status_code == 302, answer.content.decode()[:2000]
    evidence = Evidence.objects.get()
    assert (evidence.kind, evidence.situation, evidence.content_type) == ("photo", "Chargement du camion", "image/jpeg")
    level = EmployeeSkill.objects.get(employee=people.worker, valid_to__isnull=True)
    assert (level.level, level.status) == (2, "observed")
    page = client.get("/carnet/W-1/").content.decode()
    assert "Observation enregistrée" in page and "Gestes sûrs" in page
    bad = client.post("/carnet/W-1/observation/", {
        "skill": people.skill.pk, "observed_on": datetime.date.today().isoformat(),
        "photo": SimpleUploadedFile("x.png", b"<svg onload='x()'></svg>", "image/png")})
    assert bad.status_code == 200 and "SVG ou du HTML" in bad.content.decode()
    assert Evidence.objects.count() == 1


def test_it_shows_levels_as_pictures_and_reads_aloud_in_the_easy_read_version(people, client_for, in_alpha):
    evidence_create(actor=Actor(people.supervisor), employee=people.worker, skill_id=people.skill.pk, kind="note",
                    note="Il range bien.", observed_on=datetime.date(2024, 5, 2))
    client_for(in_alpha, people.supervisor).post("/api/v1/employees/W-1/booklet/skills", {
        "skill_id": people.skill.pk, "level": 3, "status": "validated"}, content_type="application/json")
    html = client_for(in_alpha, people.worker_user).get("/carnet/W-1/facile/").content.decode()
    assert 'aria-label="Niveau 3 sur 4"' in html, html[html.find("Ce que je sais"):][:1500]
    assert "C'est validé." in html
    assert "booklet/icons/savoir_faire.svg" in html and "booklet/read_aloud.js" in html
    assert "data-read-aloud" in html and "<script>" not in html and " style=" not in html


def test_it_makes_a_skills_cv_page_and_pdf_with_the_chosen_items(people, client_for, in_alpha):
    kept = experience_create(actor=Actor(people.worker_user), employee=people.worker, kind="work",
                             title="Vente au marché", start=datetime.date(2021, 6, 1))
    experience_create(actor=Actor(people.worker_user), employee=people.worker, kind="sport", title="Course à pied",
                      start=datetime.date(2020, 1, 1))
    client = client_for(in_alpha, people.worker_user)
    assert "Vente au marché" in client.get("/carnet/W-1/cv/").content.decode()
    page = client.get(f"/carnet/W-1/cv/imprimer/?chosen=1&experience={kept.pk}").content.decode()
    assert "Vente au marché" in page and "Course à pied" not in page
    pdf = client.get(f"/carnet/W-1/cv.pdf?chosen=1&experience={kept.pk}")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_it_makes_an_easy_read_skills_cv_with_level_pictures_and_pictograms(people, client_for, in_alpha):
    kept = experience_create(actor=Actor(people.worker_user), employee=people.worker, kind="work",
                             title="Vente au marché", place="Montreuil", start=datetime.date(2021, 6, 1))
    experience_create(actor=Actor(people.worker_user), employee=people.worker, kind="sport", title="Course à pied",
                      start=datetime.date(2020, 1, 1))
    booklet_skill_set(actor=Actor(people.supervisor), employee=people.worker, skill_id=people.skill.pk, level=3,
                      status="validated")
    client = client_for(in_alpha, people.worker_user)
    assert 'name="facile"' in client.get("/carnet/W-1/cv/").content.decode()
    page = client.get(f"/carnet/W-1/cv/imprimer/?chosen=1&facile=1&experience={kept.pk}"
                      f"&skill={people.skill.pk}").content.decode()
    assert "<h1>Mon CV facile à lire</h1>" in page and 'class="printable easy-print"' in page
    assert 'aria-label="Niveau 3 sur 4"' in page and page.count('class="dot full"') == 3
    assert "C'est validé." in page and "À Montreuil." in page
    assert "Vente au marché" in page and "Course à pied" not in page
    assert page.count('src="data:image/svg+xml;base64,') == 2  # the skill's pictogram and the experience's
    plain = client.get(f"/carnet/W-1/cv/imprimer/?chosen=1&experience={kept.pk}").content.decode()
    assert "easy-print" not in plain and "<h1>CV compétences</h1>" in plain
    pdf = client.get(f"/carnet/W-1/cv.pdf?chosen=1&facile=1&experience={kept.pk}")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_it_tracks_interviews_due_with_an_export(people, client_for, api_client, in_alpha):
    today = datetime.date.today()
    people.worker.hire_date = today - datetime.timedelta(days=3 * 365)
    people.worker.save()
    interview_create(actor=Actor(people.supervisor), employee=people.worker,
                     kind="professional", held_on=today - datetime.timedelta(days=800))
    page = client_for(in_alpha, people.hr).get("/carnet/entretiens/").content.decode()
    assert 'data-staff-number="W-1"' in page and "En retard" in page
    workbook = openpyxl.load_workbook(io.BytesIO(client_for(in_alpha, people.hr).get("/carnet/entretiens.xlsx").content))
    sheet = workbook.active
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["W-1"][4] == "En retard"
    due = api_client(in_alpha, people.hr).get("/api/v1/interviews/due?state=overdue").json()
    assert "W-1" in [item["staff_number"] for item in due["items"]] and due["overdue"] >= 1
    assert api_client(in_alpha, people.hr).get("/api/v1/interviews/due?state=nimporte").status_code == 422
    assert api_client(in_alpha, people.worker_user).get("/api/v1/interviews/due").status_code == 403


def test_it_shows_esat_indicators_with_charts_and_an_export(people, client_for, in_alpha):
    year = datetime.date.today().year
    boss = Actor(people.supervisor)
    interview_create(actor=boss, employee=people.worker, kind="annual", held_on=datetime.date(year, 1, 2))
    pathway_step_create(actor=boss, employee=people.worker, kind="reinforced", start=datetime.date(year, 1, 3),
                        employer="Jardins du Sud")
    pathway_step_create(actor=boss, employee=people.worker, kind="adapted", start=datetime.date(year - 1, 3, 1),
                        end=datetime.date(year, 1, 1), outcome="returned")
    page = client_for(in_alpha, people.hr).get("/carnet/indicateurs/").content.decode()
    assert "<svg" in page and 'data-indicator="reinforced_started"' in page
    sheet = openpyxl.load_workbook(io.BytesIO(client_for(in_alpha, people.hr).get("/carnet/indicateurs.xlsx").content)).active
    table = {row[0]: row[1:] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert table["Entretiens tenus"][-1] == 1 and table["Carnets revus dans l'année"][-1] == 1
    assert table["Parcours renforcés commencés"][-1] == 1
    assert table["Sorties vers une entreprise adaptée"][-2] == 1 and table["Retours à l'ESAT"][-1] == 1
    assert table["Travailleurs accompagnés"][-1] == 3


def test_it_records_the_cdaph_orientation_for_admins_and_the_supervisor_only(people, client_for, in_alpha):
    from booklet.models import Orientation

    assert client_for(in_alpha, people.hr).get("/carnet/W-1/orientation/ajouter/").status_code == 403
    hr_page = client_for(in_alpha, people.hr).get("/carnet/W-1/").content.decode()
    assert "Orientation CDAPH" not in hr_page
    client = client_for(in_alpha, people.supervisor)
    assert "Enregistrer une décision d'orientation" in client.get("/carnet/W-1/").content.decode()
    response = client.post("/carnet/W-1/orientation/ajouter/", {
        "decision": "Orientation ESAT", "decided_on": "2023-03-01", "ends_on": "2028-02-28", "rqth": "on"})
    assert response.status_code == 302
    orientation = Orientation.objects.get(employee=people.worker)
    assert orientation.rqth and orientation.ends_on == datetime.date(2028, 2, 28)
    html = client.get("/carnet/W-1/").content.decode()
    assert "Orientation ESAT" in html and "RQTH" in html
    bad = client.post("/carnet/W-1/orientation/ajouter/", {"decision": "Orientation ESAT", "decided_on": "2023-03-01",
                                                           "ends_on": "2022-01-01"})
    assert bad.status_code == 200
    assert "la fin (01/01/2022) est avant le début (01/03/2023)" in bad.content.decode()
    assert AuditEntry.objects.filter(employee=people.worker, action="create", item__startswith="orientation").count() == 1


def test_it_lets_the_worker_remove_what_they_wrote_and_staff_anything(people, client_for, in_alpha, beta, make_user):
    from booklet.models import Experience, Interview

    own = experience_create(actor=Actor(people.worker_user), employee=people.worker, kind="sport",
                            title="Football en club", start=datetime.date(2022, 9, 1))
    theirs = evidence_create(actor=Actor(people.supervisor), employee=people.worker, skill_id=people.skill.pk,
                             kind="note", note="Gestes sûrs", observed_on=datetime.date(2024, 4, 2))
    interview = interview_create(actor=Actor(people.supervisor), employee=people.worker, kind="annual",
                                 held_on=datetime.date(2024, 4, 3))
    worker = client_for(in_alpha, people.worker_user)
    page = worker.get("/carnet/W-1/").content.decode()
    assert f"/carnet/W-1/retirer/experience/{own.pk}/" in page
    assert f"/carnet/W-1/retirer/evidence/{theirs.pk}/" not in page
    confirm = worker.get(f"/carnet/W-1/retirer/experience/{own.pk}/")
    assert confirm.status_code == 200 and "Retirer « Football en club » du carnet ?" in confirm.content.decode()
    assert worker.get(f"/carnet/W-1/retirer/evidence/{theirs.pk}/").status_code == 403
    assert worker.post(f"/carnet/W-1/retirer/interview/{interview.pk}/").status_code == 403
    assert worker.get(f"/carnet/W-1/retirer/nimporte/{own.pk}/").status_code == 404
    done = worker.post(f"/carnet/W-1/retirer/experience/{own.pk}/", follow=True)
    assert "« Football en club » a été retiré du carnet." in done.content.decode()
    assert not Experience.objects.filter(pk=own.pk).exists()
    assert AuditEntry.objects.filter(employee=people.worker, action="delete", item=f"experience {own.pk}").exists()

    supervisor = client_for(in_alpha, people.supervisor)
    assert f"/carnet/W-1/retirer/interview/{interview.pk}/" in supervisor.get("/carnet/W-1/").content.decode()
    assert supervisor.post(f"/carnet/W-1/retirer/interview/{interview.pk}/").status_code == 302
    assert not Interview.objects.filter(pk=interview.pk).exists()
    # Another worker's item, or another organisation: not found.
    assert client_for(in_alpha, people.other_user).get(f"/carnet/W-1/retirer/evidence/{theirs.pk}/").status_code == 404
    with tenant_context(beta):
        stranger = make_user(beta, "admin")
    assert client_for(beta, stranger).get(f"/carnet/W-1/retirer/evidence/{theirs.pk}/").status_code == 404
