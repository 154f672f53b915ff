"""The command line on a fresh checkout: no ``.data`` folder (``make run`` never ran), no broker configured.

Every command runs as a real process, as an operator types it; the one that queues work (the referential
import) queues it on the file transport, whose folders it creates, instead of dying after its import."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

from django.db import connection

from tests import conftest
from tests.imports.filegen import STAFF_HEADER, make_employees, write_xlsx
from tests.referentials.fixtures import rome_tags_file, set_tag, tags_copy

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "Lilas-en-avril-2026"


def manage(*args, data_dir: Path) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "CELERY_BROKER_URL"}
    environment.update(DATABASE_URL=conftest.worker_database_url(), ESIPRO_DATA_DIR=str(data_dir))
    return subprocess.run([sys.executable, "manage.py", *map(str, args)], cwd=ROOT, env=environment,
                          capture_output=True, text=True, timeout=300)


def test_the_commands_work_on_a_fresh_checkout_without_a_data_folder(rome_referential, django_db_blocker,
                                                                      tmp_path):
    from referentials.models import Occupation
    from tenants.models import Organization

    data_dir = tmp_path / "checkout" / ".data"
    slug = f"frais-{uuid.uuid4().hex[:6]}"
    changed_tags = tags_copy(tmp_path, lambda workbook: set_tag(workbook, "A1101", "Transition Ecologique",
                                                               "Emploi Vert"))
    try:
        created = manage("tenant_create", slug, "--name", "Fraîche", "--admin-email", f"rh@{slug}.test",
                         "--admin-password", PASSWORD, data_dir=data_dir)
        assert created.returncode == 0, created.stderr
        assert slug in manage("tenant_list", data_dir=data_dir).stdout

        export = write_xlsx(tmp_path / "export.xlsx", [STAFF_HEADER, *make_employees(5)])
        imported = manage("staff_import", "--tenant", slug, export, "--json", data_dir=data_dir)
        assert imported.returncode == 0, imported.stderr
        assert (json.loads(imported.stdout)["status"], json.loads(imported.stdout)["created"]) == ("ok", 5)

        token = manage("token_create", "--tenant", slug, "--email", f"rh@{slug}.test", data_dir=data_dir)
        assert token.returncode == 0, token.stderr
        assert "esi_" in token.stdout

        referential = manage("referential_import", "rome-tags", changed_tags, data_dir=data_dir)
        assert referential.returncode == 0, referential.stderr
        assert "Traceback" not in referential.stderr
        assert "Référentiel mis à jour." in referential.stdout
        assert "Index de suggestions : reconstruction confiée au serveur de tâches." in referential.stdout
        assert len(list((data_dir / "broker" / "queue").iterdir())) >= 1  # queued for the worker
        with django_db_blocker.unblock():
            assert Occupation.objects.get(code="A1101").ecological_tag == "Emploi Vert"

        suspended = manage("tenant_suspend", slug, data_dir=data_dir)
        assert suspended.returncode == 0, suspended.stderr
        with django_db_blocker.unblock():
            assert Organization.objects.get(slug=slug).is_active is False
    finally:
        restored = manage("referential_import", "rome-tags", rome_tags_file(), "--no-warm", data_dir=data_dir)
        assert restored.returncode == 0, restored.stderr
        with django_db_blocker.unblock():
            connection.set_schema_to_public()
            for organization in Organization.objects.filter(slug=slug):
                organization.delete(force_drop=True)
