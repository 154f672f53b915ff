"""The GEPP negotiation pack: the workbook (sheets, numbers, native charts, formula-like texts kept as text), the
printable page and its PDF, and who may download them."""

import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest

from foresight import pack as packs
from foresight.models import PackExport
from mobility.models import MobilityPlan, Training
from tests.factories import EmployeeFactory, JobFactory

SHEETS = ["Hypothèses", "Effectifs", "Pyramide des âges", "Départs par année", "Écarts par emploi",
          "Écarts de compétences", "Risques"]


def download(client, name, scenario_id, **params):
    from django.urls import reverse

    return client.get(reverse(f"foresight:{name}", args=[scenario_id]), params)


@pytest.fixture
def hr_client(in_alpha, make_user, client_for):
    return client_for(in_alpha, make_user(in_alpha, "hr"))


def rows_of(sheet):
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def test_it_exports_one_sheet_per_topic_with_the_expected_numbers_and_native_charts(hr_client, workshop):
    response = download(hr_client, "pack_xlsx", workshop["scenario"].pk)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="pack-gepp-fil-de-leau.xlsx"'
    content = response.content
    book = openpyxl.load_workbook(io.BytesIO(content))
    assert book.sheetnames == SHEETS

    assumptions = dict((r[0], r[1]) for r in rows_of(book["Hypothèses"])[1:] if r[0])
    assert assumptions["Scénario"] == "Fil de l'eau"
    assert assumptions["Année d'horizon"] == 2030
    assert assumptions["Taux de départs annuel"] == 0.05
    assert book["Hypothèses"]["B4"].number_format == "dd/mm/yyyy"
    assert book["Hypothèses"]["B7"].number_format == "0.0 %"

    staff = rows_of(book["Effectifs"])
    assert staff[0][:4] == ["Emploi", "Code ROME", "Effectif à la date de référence", "Effectif attendu à l'horizon"]
    assert [(r[0], r[2]) for r in staff[1:3]] == [("Soudeur", 10), ("Comptable", 2)]

    departures = rows_of(book["Départs par année"])
    assert [r[0] for r in departures[1:]] == [2026, 2027, 2028, 2029, 2030]
    year, headcount, retirements, planned, attrition, total = departures[1][:6]
    # The two welders born in 1961 are 64 on the reference date: they retire in period 1; 5 % of the others leave.
    assert (retirements, planned) == (2, 0)
    assert attrition == pytest.approx(0.5)
    assert headcount == pytest.approx(9.5)
    assert departures[2][1] == pytest.approx(10 * 0.95 ** 2)
    assert book["Départs par année"]["B2"].number_format == "#,##0.0"

    pyramid = rows_of(book["Pyramide des âges"])
    assert pyramid[0][:5] == ["Tranche d'âge", "Femmes", "Hommes", "Non renseigné", "Total"]
    assert sum(r[4] for r in pyramid[1:]) == 12
    assert sum(r[1] for r in pyramid[1:]) == 6  # four welders and the two clerks

    risks = rows_of(book["Risques"])
    assert risks[1][:5] == ["Soudure TIG", 3, 2, 2, "tous les détenteurs partent avant l'horizon"]
    assert len(risks[0]) == 5  # no names unless asked

    for name in SHEETS:
        assert book[name].freeze_panes == "A2"
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        charts = [n for n in archive.namelist() if n.startswith("xl/charts/chart") and n.endswith(".xml")]
    assert len(charts) >= 6


def test_it_writes_formula_like_texts_as_text(hr_client, workshop):
    job = JobFactory(title="=HYPERLINK(\"http://x\")")
    EmployeeFactory(staff_number="F1", job=job, org_unit=workshop["unit"])
    EmployeeFactory(staff_number="F2", job=JobFactory(title="@SUM(1+1)"), org_unit=workshop["unit"])
    content = download(hr_client, "pack_xlsx", workshop["scenario"].pk).content
    book = openpyxl.load_workbook(io.BytesIO(content))
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    texts = {c.value: c for c in cells if isinstance(c.value, str)}
    assert texts["=HYPERLINK(\"http://x\")"].data_type == "s"
    assert texts["=HYPERLINK(\"http://x\")"].quotePrefix
    assert texts["@SUM(1+1)"].quotePrefix


def test_it_adds_mobility_and_training_sheets_once_a_plan_exists(hr_client, workshop):
    training = Training.objects.create(title="Soudure TIG avancée", provider="-AFPA", cost=Decimal("1200"),
                                       hours=Decimal("35"))
    MobilityPlan.objects.create(
        scenario_id=workshop["scenario"].pk, status=MobilityPlan.Status.DONE,
        result={"moves": [{"staff_number": "C0", "from_job_id": workshop["clerk"].pk,
                           "to_job_id": workshop["welder"].pk, "fit": 0.75, "training_ids": [training.pk]}],
                "external_hires": [{"job_id": workshop["welder"].pk, "count": 1}],
                "training_cost": 1200.0, "training_hours": 35.0})
    book = openpyxl.load_workbook(io.BytesIO(download(hr_client, "pack_xlsx", workshop["scenario"].pk).content))
    assert book.sheetnames == SHEETS + ["Mobilités", "Formations"]
    moves = rows_of(book["Mobilités"])
    assert moves[1][:4] == ["C0", "Comptable", "Soudeur", 0.75]
    assert moves[1][6:8] == ["Soudeur", 1]
    trainings = rows_of(book["Formations"])
    assert trainings[1] == ["Soudure TIG avancée", "-AFPA", 1, 1200, 35]
    assert book["Formations"]["B2"].quotePrefix
    assert trainings[2] == ["Total", None, 1, 1200, 35]


def test_it_names_the_holders_at_risk_only_when_asked(hr_client, workshop):
    book = openpyxl.load_workbook(io.BytesIO(download(hr_client, "pack_xlsx", workshop["scenario"].pk,
                                                      noms="1").content))
    risks = rows_of(book["Risques"])
    assert risks[0][5] == "Détenteurs (départ)"
    assert risks[1][5].count("(") == 2


def test_it_shows_the_printable_page_and_its_pdf(hr_client, workshop):
    page = download(hr_client, "pack_html", workshop["scenario"].pk)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Pack GEPP · Fil de l&#x27;eau" in html
    for title in ("Hypothèses", "Pyramide des âges", "Départs par année", "Écarts par emploi",
                  "Écarts de compétences", "Risques de perte de savoir-faire"):
        assert title in html
    assert html.count("<svg") == 5
    assert "style=" not in html.replace("stylesheet", "")
    assert "Soudure TIG" in html and "tous les détenteurs partent avant l&#x27;horizon" in html
    pdf = download(hr_client, "pack_pdf", workshop["scenario"].pk)
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


@pytest.mark.parametrize("name", ["pack_xlsx", "pack_html", "pack_pdf"])
def test_it_answers_404_for_another_organisations_scenario(name, workshop, beta, make_user, client_for):
    client = client_for(beta, make_user(beta, "hr"))
    assert download(client, name, workshop["scenario"].pk).status_code == 404


@pytest.mark.parametrize("role", ["employee", "supervisor"])
@pytest.mark.parametrize("name", ["pack_xlsx", "pack_html", "pack_pdf"])
def test_it_refuses_the_pack_to_employees_and_supervisors(name, role, workshop, in_alpha, make_user, client_for):
    client = client_for(in_alpha, make_user(in_alpha, role, employee=workshop["boss"]))
    assert download(client, name, workshop["scenario"].pk).status_code == 403


def test_it_builds_a_large_pack_in_the_worker_with_progress(celery_worker, django_db_blocker, monkeypatch):
    from django_tenants.utils import tenant_context

    from accounts.services import user_create
    from foresight.models import Scenario
    from tests.conftest import OrganizationClient, committed_organization, wait_for
    from tests.foresight.conftest import D0

    monkeypatch.setattr(packs, "LARGE_PACK_EMPLOYEES", 0)
    with committed_organization(django_db_blocker, "pack") as org:
        with tenant_context(org):
            EmployeeFactory(staff_number="L1", job=JobFactory(title="Tourneur"))
            scenario = Scenario.objects.create(name="Grand groupe", horizon_year=2028, reference_date=D0)
            hr = user_create(email="rh@pack.test", password="motdepasse-test", role="hr")
        client = OrganizationClient(org)
        client.force_login(hr)
        first = download(client, "pack_xlsx", scenario.pk)
        assert first.status_code == 302
        url = first["Location"]
        assert "?export=" in url

        def ready():
            response = client.get(url)
            return response if response.get("Content-Type", "").startswith("application/vnd") else None

        done = wait_for(ready, timeout=60)
        assert done is not None, client.get(url).content.decode()
        book = openpyxl.load_workbook(io.BytesIO(done.content))
        assert rows_of(book["Effectifs"])[1][:3] == ["Tourneur", None, 1]
        with tenant_context(org):
            export = PackExport.objects.get()
            assert (export.status, export.progress) == ("done", 100)
        assert celery_worker.poll() is None


def test_it_shows_the_progress_of_a_pack_being_built_and_its_failure(hr_client, workshop):
    export = PackExport.objects.create(scenario=workshop["scenario"], format="xlsx", progress=40,
                                       status=PackExport.Status.RUNNING)
    page = download(hr_client, "pack_xlsx", workshop["scenario"].pk, export=export.pk).content.decode()
    assert "Préparation par le serveur : En cours (40 %)." in page
    assert '<meta http-equiv="refresh" content="3">' in page
    PackExport.objects.filter(pk=export.pk).update(status=PackExport.Status.FAILED, error="Échec du calcul.")
    page = download(hr_client, "pack_xlsx", workshop["scenario"].pk, export=export.pk).content.decode()
    assert "Échec du calcul." in page and "http-equiv" not in page
    # Another scenario's export, or another format, is not found.
    assert download(hr_client, "pack_pdf", workshop["scenario"].pk, export=export.pk).status_code == 404
