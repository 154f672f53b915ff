"""The platform operator's pages on the public host: sign-in, organisations, referential uploads."""

import zipfile

import pytest
from django.core import mail
from django.test import Client

from referentials.models import ReferentialUpload
from tenants.models import Operator, Organization
from tenants.operators import COOKIE, operator_create
from tests.conftest import wait_for
from tests.referentials.fixtures import esco_dir, rome_dir

PASSWORD = "Plateforme-2026!"


@pytest.fixture
def operator(db):
    return operator_create(email="ops@esipro.test", password=PASSWORD, full_name="Olga Opératrice")


def public_client() -> Client:
    return Client(HTTP_HOST="localhost")


def signed_in(operator_email="ops@esipro.test") -> Client:
    client = public_client()
    response = client.post("/operateur/connexion/", {"email": operator_email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_it_asks_the_operator_to_sign_in_and_refuses_a_wrong_password(operator):
    client = public_client()
    response = client.get("/operateur/")
    assert response.status_code == 302 and response["Location"] == "/operateur/connexion/?next=%2Foperateur%2F"
    wrong = client.post("/operateur/connexion/", {"email": "ops@esipro.test", "password": "nope"})
    assert wrong.status_code == 400
    assert "Adresse e-mail ou mot de passe incorrect." in wrong.content.decode()
    client.cookies[COOKIE] = "forged:value"
    assert client.get("/operateur/").status_code == 302


def test_it_ends_the_session_when_the_operator_is_deactivated(operator):
    client = signed_in()
    assert client.get("/operateur/").status_code == 200
    Operator.objects.filter(pk=operator.pk).update(is_active=False)
    assert client.get("/operateur/").status_code == 302


def test_it_lists_creates_suspends_and_reopens_organisations(operator, client_for, alpha):
    client = signed_in()
    page = client.get("/operateur/").content.decode()
    assert 'data-slug="alpha"' in page and 'data-slug="beta"' in page and "Alpha Industrie" in page

    response = client.post("/operateur/", {"name": "Mairie de Gamma", "slug": "gamma-ville", "kind": "administration",
                                           "admin_email": "dgs@gamma.test"}, follow=True)
    html = response.content.decode()
    assert "Organisation « Mairie de Gamma » créée. Invitation envoyée à dgs@gamma.test." in html
    gamma = Organization.objects.get(slug="gamma-ville")
    assert gamma.kind == "administration"
    assert mail.outbox[-1].to == ["dgs@gamma.test"]
    assert "http://gamma-ville.localhost/comptes/mot-de-passe/" in mail.outbox[-1].body

    refused = client.post("/operateur/", {"name": "X", "slug": "Pas Bon", "kind": "company"}, follow=True)
    assert "Identifiant « pas bon » invalide" in refused.content.decode()

    client.post("/operateur/organisations/alpha/suspendre/")
    assert client_for(alpha).get("/comptes/connexion/").status_code == 403
    page = client.get("/operateur/").content.decode()
    assert "Suspendue" in page
    client.post("/operateur/organisations/alpha/rouvrir/")
    assert client_for(alpha).get("/comptes/connexion/").status_code == 200
    assert client.post("/operateur/organisations/nobody/suspendre/").status_code == 404


def test_it_keeps_organisation_users_out_of_the_operator_pages(operator, in_alpha, make_user, client_for):
    admin = make_user(in_alpha, "admin")
    # An organisation's administrator has no operator cookie, and the pages do not exist on its host.
    assert client_for(in_alpha, admin).get("/operateur/").status_code == 404
    assert public_client().post("/operateur/organisations/alpha/suspendre/").status_code == 302
    assert Organization.objects.get(slug="alpha").is_active


def test_it_refuses_an_archive_that_is_not_the_chosen_referential(operator, tmp_path):
    archive = tmp_path / "esco.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.write(esco_dir() / "esco_v121api_occupations_fr.csv", "export/esco_v121api_occupations_fr.csv")
    client = signed_in()
    with archive.open("rb") as file:
        response = client.post("/operateur/referentiels/", {"kind": "rome", "file": file}, follow=True)
    assert "L&#x27;archive ne contient pas le fichier unix_referentiel_code_rome_v460_utf8.csv" in \
        response.content.decode()
    not_zip = tmp_path / "notes.zip"
    not_zip.write_text("bonjour")
    with not_zip.open("rb") as file:
        response = client.post("/operateur/referentiels/", {"kind": "esco", "file": file}, follow=True)
    assert "Ce fichier n&#x27;est pas une archive .zip lisible" in response.content.decode()


# The upload goes through the real worker: its rows are committed (a test transaction would hide them).
@pytest.fixture
def committed_operator(django_db_setup, django_db_blocker):
    """An operator whose row is committed (the worker and the pages see the same rows)."""
    with django_db_blocker.unblock():
        operator = operator_create(email="ops-worker@esipro.test", password=PASSWORD)
        yield operator
        ReferentialUpload.objects.filter(uploaded_by=operator.email).delete()
        Operator.objects.filter(pk=operator.pk).delete()


def test_it_imports_an_uploaded_esco_export_in_the_worker_and_shows_progress(
        rome_referential, celery_worker, committed_operator, django_db_blocker, tmp_path):
    archive = tmp_path / "ESCO dataset - v1.2.1 - classification - fr - csv.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        # The same files as the session's referentials, so that the shared rows stay as other tests expect.
        for path in esco_dir().glob("*.csv"):
            zipped.write(path, f"esco-fr/{path.name}")

    with django_db_blocker.unblock():
        client = signed_in("ops-worker@esipro.test")
        with archive.open("rb") as file:
            response = client.post("/operateur/referentiels/", {"kind": "esco", "file": file})
        upload = ReferentialUpload.objects.get(uploaded_by="ops-worker@esipro.test")
        assert response["Location"] == f"/operateur/referentiels/{upload.pk}/"

        finished = wait_for(lambda: client.get(f"/operateur/referentiels/{upload.pk}/etat/").json()["status"]
                            in ("ok", "failed"), timeout=120)
        state = client.get(f"/operateur/referentiels/{upload.pk}/etat/").json()
        assert finished, state
        assert state == {"status": "ok", "status_label": "Terminé", "step": "Terminé", "percent": 100, "error": ""}
        page = client.get(f"/operateur/referentiels/{upload.pk}/").content.decode()
        # The session fixture imported the same export: nothing changes, and the page says so.
        assert "Aucune modification : le référentiel était déjà à jour." in page
        upload.refresh_from_db()
        assert upload.summary["referential"] == "esco"
        assert not (tmp_path / upload.path).exists()
        listing = client.get("/operateur/referentiels/").content.decode()
        assert "13095 compétences" not in listing and "2740 métiers ESCO" in listing.replace("\u202f", "")


def test_it_imports_an_uploaded_rome_zip_in_the_worker_and_shows_progress(
        rome_referential, celery_worker, committed_operator, django_db_blocker, tmp_path):
    archive = tmp_path / "RefRomeCsv.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        # The session's ROME files, so that the shared rows stay as other tests expect.
        for path in rome_dir().iterdir():
            if path.suffix in (".csv", ".xlsx"):
                zipped.write(path, f"RefRomeCsv/{path.name}")

    with django_db_blocker.unblock():
        client = signed_in("ops-worker@esipro.test")
        with archive.open("rb") as file:
            response = client.post("/operateur/referentiels/", {"kind": "rome", "file": file})
        upload = ReferentialUpload.objects.get(uploaded_by="ops-worker@esipro.test", kind="rome")
        assert response["Location"] == f"/operateur/referentiels/{upload.pk}/"
        finished = wait_for(lambda: client.get(f"/operateur/referentiels/{upload.pk}/etat/").json()["status"]
                            in ("ok", "failed"), timeout=300)
        state = client.get(f"/operateur/referentiels/{upload.pk}/etat/").json()
        assert finished, state
        assert state["status"] == "ok" and state["percent"] == 100 and state["error"] == ""
        page = client.get(f"/operateur/referentiels/{upload.pk}/").content.decode()
        assert "Aucune modification : le référentiel était déjà à jour." in page
        upload.refresh_from_db()
        assert upload.summary["referential"] == "rome"
        assert not (tmp_path / upload.path).exists()
