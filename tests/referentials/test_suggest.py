"""Suggestions of standard skills and occupations from the imported referentials, and their API."""

import os
import threading
import time
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django_tenants.utils import get_public_schema_name, schema_context, tenant_context

from accounts.services import token_create
from referentials.models import ReferentialVersion, Skill
from referentials.suggest import (
    STATE_TTL_S,
    suggest_occupations,
    suggest_skills,
    suggest_skills_many,
    suggestion_cache_clear,
    suggestion_index_files,
)
from tests.conftest import wait_for

from .fixtures import set_tag, tags_copy

URL = "/api/v1/referentials/suggest"


@pytest.fixture
def api_client(rome_referential, alpha, make_user, client_for):
    def make(role="employee"):
        user = make_user(alpha, role)
        with tenant_context(alpha):
            _token, key = token_create(user=user)
        return client_for(alpha, HTTP_AUTHORIZATION=f"Bearer {key}")

    return make


def test_it_suggests_the_bakery_occupation_for_a_feminine_plural_title(rome_referential, db):
    for label in ["Boulangère", "boulangers"]:
        suggestions = suggest_occupations(label, k=3)
        assert suggestions[0].code == "D1102"
        assert suggestions[0].label == "Boulanger / Boulangère"
        assert suggestions[0].source == "rome"
        assert len(suggestions) == 3
        confidences = [s.confidence for s in suggestions]
        assert confidences == sorted(confidences, reverse=True)
        assert 0 < confidences[-1] <= confidences[0] <= 1


def test_it_suggests_rome_and_esco_skills_for_a_skill_label(rome_referential, db):
    suggestions = suggest_skills("Tailler les arbres", k=5)
    assert (suggestions[0].source, suggestions[0].label) == ("rome", "Tailler les arbres")
    assert suggestions[0].confidence == pytest.approx(1.0, abs=1e-3)
    assert Skill.objects.get(code_ogr=suggestions[0].code).label == "Tailler les arbres"
    esco = suggest_skills("gérer le personnel musical", k=2, sources=("esco",))
    assert esco[0].source == "esco"
    assert esco[0].label == "gérer le personnel musical"
    assert esco[0].code.startswith("http://data.europa.eu/esco/skill/")


def test_it_suggests_skills_for_many_labels_at_once(rome_referential, db):
    labels = ["Tailler les arbres", "accueillir les clients", "souder à l'arc"]
    many = suggest_skills_many(labels, k=4)
    assert [len(row) for row in many] == [4, 4, 4]
    assert many == [suggest_skills(label, k=4) for label in labels]


def test_it_rebuilds_the_index_when_a_referential_version_is_recorded(rome_referential, db):
    assert all(
        s.label != "Piloter un drone agricole" for s in suggest_skills("drone agricole", sources=("rome",))
    )
    with schema_context(get_public_schema_name()):
        Skill.objects.create(
            code_ogr="999999", label="Piloter un drone agricole", kind=Skill.Kind.SAVOIR_FAIRE
        )
        ReferentialVersion.objects.create(name="rome", version="test")
    time.sleep(STATE_TTL_S)  # a process reads the referential state at most once a second
    suggestions = suggest_skills("drone agricole", k=3, sources=("rome",))
    assert (suggestions[0].code, suggestions[0].label) == ("999999", "Piloter un drone agricole")
    suggestion_cache_clear()  # the version is rolled back with the test: later tests read the state again


def test_it_answers_ranked_suggestions_with_confidences(api_client):
    response = api_client("employee").get(URL, {"label": "aide-soignante", "kind": "occupation", "k": 3})
    assert response.status_code == 200
    body = response.json()
    assert body["kind"] == "occupation" and body["count"] == 3
    assert body["items"][0]["code"] == "J1501"
    assert body["items"][0]["source"] == "rome"
    confidences = [item["confidence"] for item in body["items"]]
    assert confidences == sorted(confidences, reverse=True) and 0 < confidences[-1] <= 1


def test_it_suggests_esco_occupations_on_request(api_client):
    body = (
        api_client("supervisor")
        .get(URL, {"label": "Boulangère", "kind": "occupation", "source": "esco"})
        .json()
    )
    assert body["items"][0]["label"] == "boulanger/boulangère"
    assert body["items"][0]["code"].startswith("http://data.europa.eu/esco/occupation/")
    assert {item["source"] for item in body["items"]} == {"esco"}


def test_it_answers_skill_suggestions_from_both_referentials(api_client):
    body = api_client("hr").get(URL, {"label": "Tailler les arbres", "k": 8}).json()
    assert body["kind"] == "skill" and body["count"] == 8
    assert body["items"][0]["label"] == "Tailler les arbres"
    assert {item["source"] for item in body["items"]} == {"rome", "esco"}
    esco_only = api_client("hr").get(URL, {"label": "Tailler les arbres", "source": "esco"}).json()
    assert {item["source"] for item in esco_only["items"]} == {"esco"}


def test_it_rejects_an_unknown_kind_with_a_clear_message(api_client):
    response = api_client("admin").get(URL, {"label": "soudeur", "kind": "job"})
    assert response.status_code == 422
    assert response.json()["detail"] == (
        "Type inconnu « job » : utilisez « skill » (compétence) ou « occupation » (métier)."
    )


def test_it_rejects_an_empty_label_and_a_bad_k(api_client):
    client = api_client("admin")
    empty = client.get(URL, {"label": "  "})
    assert empty.status_code == 422
    assert empty.json()["detail"] == "Indiquez un libellé à rapprocher (paramètre « label »)."
    too_many = client.get(URL, {"label": "soudeur", "k": 500})
    assert too_many.status_code == 422
    assert "entre 1 et 50" in too_many.json()["detail"]


def test_it_refuses_an_anonymous_call(rome_referential, alpha, client_for):
    assert client_for(alpha).get(URL, {"label": "soudeur"}).status_code == 401


def test_it_refuses_another_organisations_token_and_a_deactivated_user(
    rome_referential, alpha, beta, make_user, client_for
):
    beta_user = make_user(beta, "admin")
    with tenant_context(beta):
        _token, key = token_create(user=beta_user)
    assert (
        client_for(beta, HTTP_AUTHORIZATION=f"Bearer {key}").get(URL, {"label": "soudeur"}).status_code == 200
    )
    assert (
        client_for(alpha, HTTP_AUTHORIZATION=f"Bearer {key}").get(URL, {"label": "soudeur"}).status_code
        == 401
    )

    gone = make_user(alpha, "hr")
    with tenant_context(alpha):
        _token, gone_key = token_create(user=gone)
        gone.is_active = False
        gone.save(update_fields=["is_active"])
    response = client_for(alpha, HTTP_AUTHORIZATION=f"Bearer {gone_key}").get(URL, {"label": "soudeur"})
    assert response.status_code == 401


def test_it_keeps_a_built_index_on_disk_until_the_next_import(rome_referential, db, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    suggestion_cache_clear()
    first = suggest_skills("Tailler les arbres", sources=("esco",))
    stored = list((tmp_path / "cache").glob("suggest-skill-esco-*.pickle"))
    assert len(stored) == 1
    written_at = stored[0].stat().st_mtime_ns

    suggestion_cache_clear()  # as in a new process: the index comes back from the disk, not rebuilt
    assert suggest_skills("Tailler les arbres", sources=("esco",)) == first
    assert stored[0].stat().st_mtime_ns == written_at

    with schema_context(get_public_schema_name()):
        ReferentialVersion.objects.create(name="esco", version="test")
    time.sleep(STATE_TTL_S)
    suggest_skills("Tailler les arbres", sources=("esco",))
    replaced = list((tmp_path / "cache").glob("suggest-skill-esco-*.pickle"))
    assert len(replaced) == 1 and replaced != stored
    suggestion_cache_clear()


def test_it_prepares_every_index_before_any_request_needs_it(rome_referential, db):
    out = StringIO()
    call_command("suggestions_warm", stdout=out)
    lines = out.getvalue().splitlines()
    assert [line.split(" : ")[0] for line in lines] == [
        "occupation/rome", "occupation/esco", "skill/rome", "skill/esco"]
    assert all(" : prêt en " in line for line in lines), lines
    # A new process (empty memory cache) answers from the prepared files instead of building (~25-50 s).
    suggestion_cache_clear()
    assert suggest_occupations("Boulangère", k=1)[0].code == "D1102"
    assert suggest_skills("Tailler les arbres", k=1)[0].label == "Tailler les arbres"


def test_with_the_sentence_encoder_the_occupation_index_builds_in_process_and_reads_meaning(
    rome_referential, db, settings, tmp_path
):
    # The build embeds the labels while it holds the index lock: the embedding cache must not wait for it.
    settings.ESIPRO_ENCODER = "use"
    settings.DATA_DIR = tmp_path
    suggestion_cache_clear()
    answers = {}

    def suggest():
        try:
            answers["bakery"] = suggest_occupations("Boulangère", k=3)
            answers["ocean"] = suggest_occupations("Chercheur en sciences de la mer", k=5)
        finally:
            connection.close()  # this thread's own connection

    builder = threading.Thread(target=suggest, daemon=True)
    builder.start()
    builder.join(timeout=900)
    try:
        assert not builder.is_alive(), "the occupation index build never finished"
        assert answers["bakery"][0].code == "D1102" and answers["bakery"][0].confidence > 0.8
        assert answers["ocean"], answers
        assert list((tmp_path / "cache" / "embeddings" / "referentials").glob("embeddings-use.npy"))
    finally:
        suggestion_cache_clear()


def test_the_import_command_queues_the_index_rebuild_and_the_worker_runs_it(
    rome_referential, celery_worker, db, tmp_path, django_capture_on_commit_callbacks
):
    # After a change, referential_import queues the rebuild (as demo_seed does) instead of running it; the
    # worker builds the indexes into the disk cache that every process (web, worker) reads. The worker sees
    # the committed referentials, not this test's uncommitted change: it writes the files of that state.
    files = suggestion_index_files()
    for path in files.values():
        if os.path.exists(path):
            os.remove(path)
    workbook = tags_copy(tmp_path, lambda book: set_tag(book, "A1101", "Transition Ecologique", "Emploi Vert"))
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("referential_import", "rome-tags", str(workbook), stdout=out)
    assert "Index de suggestions : reconstruction confiée au serveur de tâches." in out.getvalue()
    assert wait_for(lambda: all(os.path.exists(path) for path in files.values()), timeout=300), files
    assert celery_worker.poll() is None
