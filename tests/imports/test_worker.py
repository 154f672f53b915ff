"""The import in a real Celery worker: live progress through the API, and a worker killed mid-write."""

import time
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from imports.models import ImportJob
from imports.services import import_jobs_fail_stale
from tests.conftest import OrganizationClient, wait_for
from tests.imports.filegen import generate_large_export
from workforce.models import Employee

EMPLOYEES = 15_000


@pytest.fixture(scope="module")
def large_file(tmp_path_factory):
    return generate_large_export(tmp_path_factory.mktemp("large") / "export_personnel.xlsx", EMPLOYEES, 20)


def admin_client(org):
    from accounts.services import token_create, user_create

    user = user_create(email=f"admin-{uuid.uuid4().hex[:6]}@{org.slug}.test", password="motdepasse-test",
                       role="admin", full_name="Admin")
    _token, key = token_create(user=user)
    client = OrganizationClient(org, HTTP_AUTHORIZATION=f"Bearer {key}")
    client.force_login(user)
    return client


def post_file(client, path):
    response = client.post("/api/v1/imports", {"file": SimpleUploadedFile(path.name, path.read_bytes())})
    assert response.status_code == 202
    return response.json()["id"]


def watch(client, job_id, until, timeout=240):
    """Poll the API every 0.1 s; returns every distinct (status, progress, phase) seen."""
    seen = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body = client.get(f"/api/v1/imports/{job_id}").json()
        state = (body["status"], body["progress"], body["phase"])
        if not seen or seen[-1] != state:
            seen.append(state)
        if until(body):
            return seen, body
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} never reached the expected state; seen: {seen}")


def test_it_shows_live_progress_while_the_worker_imports(committed_org, import_worker, large_file):
    client = admin_client(committed_org)
    job_id = post_file(client, large_file)
    seen, body = watch(client, job_id, lambda b: b["status"] not in ("pending", "running"))
    assert (body["status"], body["counts"]["created"], body["progress"]) == ("ok", EMPLOYEES, 100)
    running = [progress for status, progress, _phase in seen if status == "running"]
    assert len({p for p in running if 0 < p < 100}) >= 3, seen
    assert running == sorted(running)
    phases = {phase for status, _p, phase in seen if status == "running"}
    assert "Écriture des compétences" in phases or "Écriture des salariés" in phases, seen
    assert Employee.objects.count() == EMPLOYEES


def test_it_writes_nothing_and_fails_the_job_when_the_worker_is_killed(committed_org, import_worker, large_file,
                                                                       settings):
    settings.ESIPRO_IMPORT_STALE_SECONDS = 3
    client = admin_client(committed_org)
    job_id = post_file(client, large_file)
    # Employees are already written (uncommitted) once the skills phase starts at 65 %.
    watch(client, job_id, lambda b: b["status"] == "running" and b["progress"] >= 65)
    import_worker.kill()
    assert Employee.objects.count() == 0
    # The periodic housekeeping (Celery beat) fails the job once its heartbeat is stale.
    assert wait_for(lambda: import_jobs_fail_stale() == 1, timeout=30)
    _seen, body = watch(client, job_id, lambda b: b["status"] != "running", timeout=30)
    assert body["status"] == "failed"
    assert body["message"] == ("Le traitement a été interrompu (arrêt du serveur de tâches). "
                               "Rien n'a été écrit : relancez l'import.")
    assert wait_for(lambda: Employee.objects.count() == 0 and ImportJob.objects.get(pk=job_id).status == "failed")
    page = client.get(f"/imports/{job_id}/")
    assert page.status_code == 200
    assert "relancez l&#x27;import" in page.content.decode()


def test_it_fails_interrupted_jobs_from_the_periodic_housekeeping(committed_org, import_broker, django_db_blocker,
                                                                  import_data_dir):
    from django.utils import timezone

    from tests.imports.conftest import Worker

    long_ago = timezone.now() - timezone.timedelta(minutes=10)
    job = ImportJob.objects.create(file_name="export.xlsx", file="x/export.xlsx", status="running",
                                   progress=70, heartbeat_at=long_ago)
    worker = Worker(django_db_blocker, import_data_dir, beat_seconds=1).start()
    try:
        assert wait_for(lambda: ImportJob.objects.get(pk=job.pk).status == "failed", timeout=60)
    finally:
        worker.stop()
    job.refresh_from_db()
    assert job.message.startswith("Le traitement a été interrompu (arrêt du serveur de tâches).")


def test_it_writes_the_report_in_the_language_of_the_person_who_launched_it(committed_org, import_worker, tmp_path,
                                                                            settings):
    path = tmp_path / "export.csv"
    path.write_text("Matricule;Nom\nE1;Durand\nE1;Martin\n", encoding="utf-8")
    reports = {}
    for language in ("en", "fr"):
        client = admin_client(committed_org)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        job_id = post_file(client, path)
        _seen, reports[language] = watch(client, job_id, lambda b: b["status"] not in ("pending", "running"))
    english, french = reports["en"], reports["fr"]
    assert (english["status"], french["status"]) == ("rejected", "rejected")
    assert english["message"].startswith("Import rejected: 2 errors in 2 rows. Nothing was written.")
    assert french["message"].startswith("Import refusé : 2 erreurs sur 2 lignes. Rien n'a été écrit.")
    assert [(e["row"], e["column"], e["value"], e["message"]) for e in english["errors"]] == [
        (2, "Matricule", "E1", "Duplicate staff number: row 3 also has staff number E1. Each employee must have a "
                               "unique staff number."),
        (3, "Matricule", "E1", "Duplicate staff number: row 2 already has staff number E1. Each employee must have "
                               "a unique staff number."),
    ]
    assert [e["message"] for e in french["errors"]] == [
        "Matricule en double : la ligne 3 porte aussi le matricule E1. Chaque salarié doit avoir un matricule unique.",
        "Matricule en double : la ligne 2 porte déjà le matricule E1. Chaque salarié doit avoir un matricule unique.",
    ]
    assert Employee.objects.count() == 0


@pytest.fixture
def unreachable_broker():
    """The task server is down: the broker URL points to a port where nothing listens (a real refusal)."""
    import socket

    from esipro.celery import app

    def reset_connections():
        # kombu keeps producer pools in a process-wide registry too: a pool closed here must not be
        # handed back to the next test that publishes a task.
        from kombu import pools

        if app._pool is not None:
            app._pool.force_close_all()
            app._pool = None
        app.amqp._producer_pool = None
        pools.reset()

    with socket.socket() as probe:  # a port that was free a moment ago, now closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    previous = (app.conf.broker_url, app.conf.broker_transport_options)
    reset_connections()
    app.conf.update(broker_url=f"redis://127.0.0.1:{port}/0", broker_transport_options={})
    yield
    reset_connections()
    app.conf.update(broker_url=previous[0], broker_transport_options=previous[1])


def test_it_fails_the_job_at_once_when_the_task_server_cannot_be_reached(committed_org, unreachable_broker,
                                                                          tmp_path):
    from tests.imports.filegen import generate_hr_export

    client = admin_client(committed_org)
    job_id = post_file(client, generate_hr_export(tmp_path / "export.xlsx", 3))
    body = client.get(f"/api/v1/imports/{job_id}").json()
    assert (body["status"], body["status_label"]) == ("failed", "Échec")
    assert body["message"] == (
        "L'import n'a pas pu être confié au serveur de tâches (injoignable). Rien n'a été écrit : relancez "
        "l'import dans quelques minutes, et si cela se reproduit, prévenez l'équipe technique.")
    page = client.get(f"/imports/{job_id}/")
    assert page.status_code == 200
    assert "L&#x27;import n&#x27;a pas pu être confié au serveur de tâches" in page.content.decode()
    assert Employee.objects.count() == 0


def test_it_fails_the_launch_from_the_preview_page_when_the_task_server_is_down(committed_org, unreachable_broker,
                                                                                  tmp_path):
    from tests.imports.filegen import generate_hr_export

    client = admin_client(committed_org)
    path = generate_hr_export(tmp_path / "export.xlsx", 3)
    client.post("/imports/nouveau/", {"file": SimpleUploadedFile(path.name, path.read_bytes())})
    job = ImportJob.objects.get()
    response = client.post(f"/imports/{job.pk}/apercu/", {"action": "run"}, follow=True)
    assert response.status_code == 200
    assert "pas pu être confié au serveur de tâches" in response.content.decode()
    job.refresh_from_db()
    assert job.status == "failed"


def test_it_fails_a_pending_job_the_task_server_never_picked_up(in_alpha, settings, make_user, client_for):
    from django.utils import timezone

    settings.ESIPRO_IMPORT_PENDING_SECONDS = 600
    now = timezone.now()
    lost = ImportJob.objects.create(file_name="perdu.xlsx", file="x/perdu.xlsx", status="pending",
                                    queued_at=now - timezone.timedelta(seconds=601))
    # A draft checked for 20 minutes, then launched: it waits from its launch, not from its upload.
    waiting = ImportJob.objects.create(file_name="attente.xlsx", file="x/attente.xlsx", status="pending",
                                       queued_at=now - timezone.timedelta(seconds=30))
    ImportJob.objects.filter(pk=waiting.pk).update(created_at=now - timezone.timedelta(minutes=20))
    # The periodic task fails the stale job (pages only read).
    assert import_jobs_fail_stale() == 1
    page = client_for(in_alpha, make_user(in_alpha, "hr")).get(f"/imports/{lost.pk}/").content.decode()
    assert "Le serveur de tâches n&#x27;a pas pris en charge cet import à temps. Rien n&#x27;a été écrit" in page
    assert '<dd id="job-status">Échec</dd>' in page
    lost.refresh_from_db()
    waiting.refresh_from_db()
    assert (lost.status, waiting.status) == ("failed", "pending")
