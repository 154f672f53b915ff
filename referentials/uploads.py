"""The platform operator's upload of an official ROME 4.0 or ESCO archive, imported by the worker.

The archive is checked before it is stored (a zip, not too large, holding the expected tables), then
the worker unpacks its CSV files and runs the same import as ``manage.py referential_import`` (one
transaction). Each step is written on the ``ReferentialUpload`` row as it starts, for the progress page.
"""

import logging
import shutil
import tempfile
import uuid
import zipfile
from fnmatch import fnmatch
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ApplicationError
from core.tasks import enqueue

from .models import ReferentialUpload

logger = logging.getLogger(__name__)

# A table that tells the archive is the expected one, by the base name of one of its members.
EXPECTED = {
    ReferentialUpload.Kind.ROME: ("unix_referentiel_code_rome_v*.csv", "unix_referentiel_code_rome.csv"),
    ReferentialUpload.Kind.ESCO: ("occupations_fr.csv", "*_occupations_fr.csv"),
}
EXPECTED_LABEL = {
    ReferentialUpload.Kind.ROME: "unix_referentiel_code_rome_v460_utf8.csv",
    ReferentialUpload.Kind.ESCO: "occupations_fr.csv",
}
# The official archives unpack to a few hundred MB at most; more is a mistake (or a zip bomb).
MAX_UNPACKED_BYTES = 2 * 1024 ** 3


def upload_dir() -> Path:
    path = Path(settings.DATA_DIR) / "referential_uploads"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _tables(archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    """The archive's CSV files by base name (their folders inside the zip do not matter)."""
    tables = {}
    for info in archive.infolist():
        name = PurePosixPath(info.filename.replace("\\", "/")).name
        if not info.is_dir() and name.lower().endswith(".csv") and not name.startswith("."):
            tables[name] = info
    return tables


def _archive_check(file, kind: str) -> None:
    try:
        with zipfile.ZipFile(file) as archive:
            tables = _tables(archive)
            unpacked = sum(info.file_size for info in tables.values())
    except zipfile.BadZipFile:
        raise ApplicationError(_("Ce fichier n'est pas une archive .zip lisible : téléversez l'archive telle que "
                                 "publiée (ROME : RefRomeCsv.zip de France Travail ; ESCO : export CSV).")) from None
    if not any(fnmatch(name.lower(), pattern) for name in tables for pattern in EXPECTED[kind]):
        raise ApplicationError(
            _("L'archive ne contient pas le fichier %(expected)s : est-ce bien l'archive %(kind)s ? Vérifiez le "
              "type choisi.") % {"expected": EXPECTED_LABEL[kind], "kind": ReferentialUpload.Kind(kind).label})
    if unpacked > MAX_UNPACKED_BYTES:
        raise ApplicationError(_("L'archive décompressée dépasserait %(gb)s Go : ce n'est pas un export officiel.")
                               % {"gb": MAX_UNPACKED_BYTES // 1024 ** 3})


def referential_upload_create(*, kind: str, file, file_name: str, uploaded_by: str) -> ReferentialUpload:
    """Check ``file`` (a ROME or ESCO zip), store it and queue its import on the worker."""
    if kind not in ReferentialUpload.Kind.values:
        raise ApplicationError(_("Référentiel « %(kind)s » inconnu : choisissez ROME ou ESCO.") % {"kind": kind})
    limit = settings.ESIPRO_REFERENTIAL_MAX_MB
    if file.size > limit * 1024 * 1024:
        raise ApplicationError(_("Archive trop volumineuse : %(size)s Mo pour %(limit)s Mo au plus.")
                               % {"size": round(file.size / 1024 / 1024), "limit": limit})
    _archive_check(file, kind)
    path = upload_dir() / f"{uuid.uuid4().hex}.zip"
    file.seek(0)
    with path.open("wb") as out:
        for chunk in file.chunks() if hasattr(file, "chunks") else iter(lambda: file.read(1 << 20), b""):
            out.write(chunk)
    upload = ReferentialUpload.objects.create(kind=kind, file_name=file_name[:255], path=str(path),
                                              uploaded_by=uploaded_by)
    from .tasks import referential_upload_task

    enqueue(referential_upload_task, upload.pk, schema_name="public",
            on_error=lambda: _failed(upload.pk, _("Le serveur de tâches ne répond pas : relancez l'envoi quand "
                                                  "il sera démarré.")))
    return upload


def _step(upload_id: int, step: str, percent: int, **fields) -> None:
    ReferentialUpload.objects.filter(pk=upload_id).update(step=step, percent=percent, **fields)


def _failed(upload_id: int, message: str) -> None:
    _step(upload_id, _("Échec"), 100, status=ReferentialUpload.Status.FAILED, error=message,
          finished_at=timezone.now())


def referential_upload_run(*, upload: ReferentialUpload) -> ReferentialUpload:
    """Unpack and import ``upload`` (in the public schema); the archive is deleted afterwards."""
    from . import services
    from .tasks import suggestions_warm

    importer = {ReferentialUpload.Kind.ROME: services.referential_import_rome,
                ReferentialUpload.Kind.ESCO: services.referential_import_esco}[upload.kind]
    workdir = Path(tempfile.mkdtemp(prefix="esipro-referential-"))
    try:
        _step(upload.pk, _("Décompression de l'archive"), 10, status=ReferentialUpload.Status.RUNNING)
        with zipfile.ZipFile(upload.path) as archive:
            for name, info in _tables(archive).items():
                with archive.open(info) as source, (workdir / name).open("wb") as target:
                    shutil.copyfileobj(source, target)
        _step(upload.pk, _("Lecture des tables et écriture du référentiel (une transaction)"), 30)
        summary = importer(directory=workdir)
        if summary["changed"]:
            enqueue(suggestions_warm, schema_name="public")
        _step(upload.pk, _("Terminé"), 100, status=ReferentialUpload.Status.OK, summary=summary,
              finished_at=timezone.now())
    except ApplicationError as exc:
        _failed(upload.pk, exc.message)
    except Exception as exc:
        logger.exception("Referential upload %s failed", upload.pk)
        _failed(upload.pk, _("Import interrompu par une erreur inattendue (%(error)s) ; rien n'a été écrit.")
                % {"error": exc.__class__.__name__})
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        Path(upload.path).unlink(missing_ok=True)
    upload.refresh_from_db()
    return upload


def referential_status() -> dict:
    """What the referential pages need to explain an empty state: counts and the last version of each."""
    from .models import EscoOccupation, Occupation, ReferentialVersion

    return {
        "rome_occupations": Occupation.objects.count(),
        "esco_occupations": EscoOccupation.objects.count(),
        "rome_version": ReferentialVersion.objects.filter(name="rome").first(),
        "esco_version": ReferentialVersion.objects.filter(name="esco").first(),
    }
