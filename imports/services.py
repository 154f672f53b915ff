"""Writes of the imports app: create and launch jobs, save mappings, run an import, fail dead jobs."""

from __future__ import annotations

import gc
import logging
import os
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.errors import ApplicationError
from core.tasks import enqueue
from imports import matching, upsert
from imports.engine import (
    FIELDS,
    IGNORE,
    SKILL_PREFIX,
    HeaderGuess,
    ImportFileError,
    RawTable,
    RowError,
    ValidationResult,
    check_row_limit,
    detect_header,
    read_table,
    validate,
)
from imports.engine.archive import megabytes
from imports.engine.levels import LEVEL_SCALES
from imports.engine.parsing import DATE_ORDERS
from imports.models import (
    INTERRUPTED_MESSAGE,
    NOT_PICKED_UP_MESSAGE,
    NOT_QUEUED_MESSAGE,
    ImportAlias,
    ImportJob,
    ImportMapping,
    ImportRowError,
    pending_seconds,
    stale_seconds,
)
from imports.progress import ProgressReporter
from skills_matrix.models import OrgSkill, SkillLevel
from skills_matrix.tasks import mappings_suggest

logger = logging.getLogger(__name__)

OPTION_KEYS = ("partial", "full_export", "dry_run", "mapping", "sheet", "level_scale", "date_order")


class _Abandoned(Exception):
    """The job was marked failed (worker taken for dead) while it ran: roll everything back."""


@dataclass(frozen=True)
class Analysis:
    raw: RawTable
    header: HeaderGuess
    result: ValidationResult


def clean_options(
    *, partial=False, full_export=False, dry_run=False, mapping=None, sheet="", level_scale="auto",
    date_order="auto",
) -> dict:
    """Options as stored on a job; a mapping value must be a field, "skill:<label>" or "ignore".

    level_scale: how skill levels written as numbers are read ("auto": from the file, "0-4", "1-5");
    date_order: how text dates such as 03/04/2020 are read ("auto": from the file, "DMY", "MDY")."""
    level_scale = (level_scale or "auto").strip()
    if level_scale not in LEVEL_SCALES:
        raise ApplicationError(
            _("Échelle des niveaux « %(value)s » inconnue : choisissez auto, 0-4 ou 1-5.") % {"value": level_scale}
        )
    date_order = (date_order or "auto").strip()
    date_order = "auto" if date_order.lower() == "auto" else date_order.upper()
    if date_order not in DATE_ORDERS:
        raise ApplicationError(
            _("Ordre des dates « %(value)s » inconnu : choisissez auto, DMY (jour/mois/année) ou MDY "
              "(mois/jour/année).") % {"value": date_order}
        )
    mapping = {str(k).strip(): str(v).strip() for k, v in (mapping or {}).items() if str(k).strip()}
    for header, field in mapping.items():
        if field not in FIELDS and field != IGNORE and not (field.startswith(SKILL_PREFIX) and len(field) > 6):
            raise ApplicationError(
                _("La colonne « %(header)s » est associée à « %(field)s », qui n'est pas un champ connu. Champs "
                  "possibles : %(fields)s ; « skill: » suivi du nom d'une compétence (ex. « skill:Soudure ») pour une "
                  "colonne de niveaux de cette compétence ; "
                  "« ignore » pour ne pas lire la colonne.")
                % {"header": header, "field": field, "fields": mapping_field_names()}
            )
    return {"partial": bool(partial), "full_export": bool(full_export), "dry_run": bool(dry_run),
            "mapping": mapping, "sheet": (sheet or "").strip(), "level_scale": level_scale,
            "date_order": date_order}


def mapping_field_names() -> str:
    """The field names a column mapping may use, for messages and --help."""
    return ", ".join(FIELDS)


@transaction.atomic
def import_job_create(
    *, user, file, file_name: str, options: dict, draft: bool = False, background: bool = True,
) -> ImportJob:
    """Store the uploaded file and create its job. A `draft` waits for the user to check the preview;
    otherwise the job is pending and, if `background`, queued for the worker (the command line runs
    it in-process with import_run instead)."""
    file_name = os.path.basename(file_name or getattr(file, "name", "") or "fichier")[:255]
    if not file_name or "." not in file_name:
        raise ApplicationError(_("Le fichier n'a pas d'extension : envoyez un .xlsx, .xls, .ods ou .csv."))
    job = ImportJob(
        created_by=user if user is not None and user.is_authenticated else None,
        file_name=file_name, options=options,
        status=ImportJob.Status.DRAFT if draft else ImportJob.Status.PENDING,
        queued_at=None if draft else timezone.now(),
    )
    try:
        upload_check(file, file_name=file_name, sheet=options.get("sheet") or None)
    except ImportFileError as exc:
        # Refused before it is stored: the job says why, the file is not kept.
        job.status, job.message, job.progress = ImportJob.Status.FAILED, exc.message, 100
        job.phase, job.finished_at, job.queued_at = str(ImportJob.Status.FAILED.label), timezone.now(), None
        job.save()
        return job
    job.file.save(file_name, file if isinstance(file, File) else File(file), save=False)
    job.save()
    if background and not draft:
        _enqueue(job)
    return job


def upload_check(file, *, file_name: str, sheet: str | None = None) -> None:
    """Refuse an upload over the limits before it is stored: its size first (as uploaded, nothing read),
    then its rows (counted without parsing the cells where the format allows: xlsx dimensions, CSV lines).
    Raises ImportFileError with the reader's French message quoting `file_name`."""
    max_bytes = settings.ESIPRO_IMPORT_MAX_MB * 1024 * 1024
    size = getattr(file, "size", None)
    if size is None:
        position = file.tell()
        file.seek(0, os.SEEK_END)
        size, _end = file.tell(), file.seek(position)
    if size > max_bytes:
        raise ImportFileError(
            _("Le fichier « %(name)s » fait %(size)s, au-delà de la limite de %(limit)s. "
              "Supprimez les colonnes et onglets inutiles ou découpez-le en plusieurs fichiers.")
            % {"name": file_name, "size": megabytes(size), "limit": megabytes(max_bytes)}
        )
    with _upload_on_disk(file, file_name) as path:
        check_row_limit(path, max_rows=settings.ESIPRO_IMPORT_MAX_ROWS, max_bytes=max_bytes, sheet=sheet)


@contextmanager
def _upload_on_disk(file, file_name: str):
    """The upload as a file named `file_name` (messages quote it), without copying a large one."""
    with tempfile.TemporaryDirectory(prefix="esipro-upload-") as folder:
        path = os.path.join(folder, os.path.basename(file_name))
        source = file.temporary_file_path() if hasattr(file, "temporary_file_path") else None
        if source is None and isinstance(getattr(file, "name", None), str) and os.path.isfile(file.name):
            source = file.name  # the command line's own file
        if source is not None:
            os.symlink(os.path.abspath(source), path)
        else:
            position = file.tell() if hasattr(file, "tell") else 0
            file.seek(0)
            with open(path, "wb") as handle:
                for chunk in file.chunks() if hasattr(file, "chunks") else iter(lambda: file.read(1 << 20), b""):
                    handle.write(chunk)
            file.seek(position)
        yield path


@transaction.atomic
def import_job_launch(
    *, job: ImportJob, mapping: dict | None = None, dry_run: bool = False, unknown_columns=(),
    partial: bool | None = None,
) -> ImportJob:
    """Queue a checked draft (with the mapping chosen on the preview page), or a new run of a finished
    dry run with the same file and options.

    Idempotent: the job row is locked, so a second click (or two at once) returns the job already
    launched instead of queuing the file twice.
    unknown_columns: the file's columns that matched no field on the preview; the report lists them
    even when the user chose to ignore them."""
    locked = ImportJob.objects.select_for_update().get(pk=job.pk)
    if locked.status == ImportJob.Status.DRAFT:
        options = dict(locked.options, dry_run=dry_run)
        if mapping is not None:
            options["mapping"] = clean_options(mapping=mapping)["mapping"]
        if partial is not None:
            options["partial"] = bool(partial)
        locked.options = options
        locked.unknown_columns = [str(c) for c in unknown_columns]
        locked.status, locked.queued_at = ImportJob.Status.PENDING, timezone.now()
        locked.save(update_fields=["options", "unknown_columns", "status", "queued_at"])
        _enqueue(locked)
        return locked
    if job.status == ImportJob.Status.DRAFT:  # launched meanwhile from the same preview
        return locked
    if locked.dry_run and locked.status in (ImportJob.Status.OK, ImportJob.Status.REJECTED):
        already = locked.launches.order_by("pk").first()
        if already is not None:
            return already
        again = ImportJob.objects.create(
            created_by=locked.created_by, file_name=locked.file_name, file=locked.file.name,
            options=dict(locked.options, dry_run=dry_run), status=ImportJob.Status.PENDING,
            queued_at=timezone.now(), unknown_columns=locked.unknown_columns, launched_from=locked,
        )
        _enqueue(again)
        return again
    raise ApplicationError(_("Cet import a déjà été lancé."))


def _enqueue(job: ImportJob) -> None:
    """Queue the import's task; when the broker cannot be reached, fail the job at once rather than leave
    it waiting forever."""
    from imports.tasks import import_run_task

    def not_queued() -> None:
        logger.exception("Import %s could not be queued", job.pk)
        ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.PENDING).update(
            status=ImportJob.Status.FAILED, message=str(NOT_QUEUED_MESSAGE), progress=100,
            phase=str(ImportJob.Status.FAILED.label), finished_at=timezone.now(),
        )

    enqueue(import_run_task, job.pk, on_error=not_queued)


def _enqueue_mapping_suggestions(job: ImportJob) -> None:
    """Queue mappings_suggest once the import has committed. The rows are written by then: a broker that
    cannot be reached only adds a note to the report (how to get the suggestions), the import stays done."""

    def not_queued() -> None:
        logger.exception("Mapping suggestions of import %s could not be queued", job.pk)
        note = _(
            "Les suggestions de rapprochement des nouvelles compétences avec les référentiels ROME/ESCO "
            "n'ont pas pu être confiées au serveur de tâches (injoignable) : calculez-les depuis la page "
            "« Rapprochements avec le ROME et ESCO » (/competences/rapprochements/), bouton « Calculer "
            "des suggestions »."
        )
        job.message = f"{job.message} {note}"
        ImportJob.objects.filter(pk=job.pk).update(message=job.message)

    enqueue(mappings_suggest, on_error=not_queued)


def _enqueue_occupation_suggestions(job: ImportJob, titles: list[str]) -> None:
    """Queue the ROME occupation suggestions of the jobs the import created without a code, once it has
    committed; a broker that cannot be reached only adds a note to the report."""
    from workforce.models import Job
    from workforce.tasks import occupation_suggestions

    ids = list(Job.objects.filter(title__in=titles, rome_code="").values_list("pk", flat=True))
    if not ids:
        return

    def not_queued() -> None:
        logger.exception("Occupation suggestions of import %s could not be queued", job.pk)
        note = _(
            "Les fiches ROME proposées pour les nouveaux emplois n'ont pas pu être confiées au serveur de "
            "tâches (injoignable) : ouvrez chaque emploi pour voir les fiches proposées."
        )
        job.message = f"{job.message} {note}"
        ImportJob.objects.filter(pk=job.pk).update(message=job.message)

    enqueue(occupation_suggestions, ids, on_error=not_queued)


@transaction.atomic
def import_mapping_save(*, name: str, columns: dict[str, str], user) -> ImportMapping:
    """Create or replace the organisation's mapping called `name`."""
    name = " ".join((name or "").split())[:100]
    if not name:
        raise ApplicationError(_("Donnez un nom à la correspondance de colonnes pour l'enregistrer."))
    columns = clean_options(mapping=columns)["mapping"]
    if not columns:
        raise ApplicationError(_("La correspondance est vide : associez au moins une colonne à un champ."))
    mapping, _created = ImportMapping.objects.update_or_create(
        name=name, defaults={"columns": columns, "created_by": user if user and user.is_authenticated else None}
    )
    return mapping


def import_jobs_fail_stale() -> int:
    """Mark failed every running job whose worker stopped sending heartbeats (killed, server stopped),
    and every job still pending ESIPRO_IMPORT_PENDING_SECONDS after it was queued (task lost).

    A dead worker's transaction died with it, and a lost task never started: nothing was written, and
    the message says so. Returns how many jobs were failed."""
    now = timezone.now()
    limit = now - timedelta(seconds=stale_seconds())
    interrupted = ImportJob.objects.filter(status=ImportJob.Status.RUNNING, heartbeat_at__lt=limit).update(
        status=ImportJob.Status.FAILED, message=str(INTERRUPTED_MESSAGE), finished_at=now,
    )
    waited = now - timedelta(seconds=pending_seconds())
    lost = ImportJob.objects.filter(
        Q(queued_at__lt=waited) | Q(queued_at__isnull=True, created_at__lt=waited), status=ImportJob.Status.PENDING,
    ).update(status=ImportJob.Status.FAILED, message=str(NOT_PICKED_UP_MESSAGE), finished_at=now)
    return interrupted + lost


def import_read(*, path, options: dict) -> RawTable:
    """The sheet to import, read once (raises ImportFileError for an unreadable file)."""
    return read_table(
        path, sheet=options.get("sheet") or None, max_rows=settings.ESIPRO_IMPORT_MAX_ROWS,
        max_bytes=settings.ESIPRO_IMPORT_MAX_MB * 1024 * 1024,
    )


def import_header(*, raw: RawTable, options: dict) -> HeaderGuess:
    """The header of `raw` read with the job's mapping over the organisation's skill aliases, knowing the
    skills of the organisation and of the referentials."""
    mapping = {**matching.alias_column_mapping(), **(options.get("mapping") or {})}
    return detect_header(raw, mapping=mapping or None, known_skills=matching.known_skill_keys(raw))


def import_analyse(*, path=None, options: dict, raw: RawTable | None = None) -> Analysis:
    """Read (unless `raw` was read already), find the header and validate (no write).
    Raises ImportFileError for an unreadable file."""
    raw = raw if raw is not None else import_read(path=path, options=options)
    header = import_header(raw=raw, options=options)
    scale_max = SkillLevel.objects.aggregate(top=Max("value"))["top"] or 4
    result = validate(raw, header, scale_max=scale_max, today=timezone.localdate(),
                      existing_staff_numbers=upsert.existing_staff_numbers(),
                      level_scale=options.get("level_scale") or "auto", date_order=options.get("date_order") or "auto")
    return Analysis(raw=raw, header=header, result=result)


def import_run(*, job: ImportJob) -> ImportJob:
    """Run a pending job: read, validate, then write everything in ONE transaction (or nothing).

    Rejected (errors, not partial): nothing written, every error listed. Dry run: the writes are done
    and rolled back, so the counts are exactly those of a real run. A file that cannot be read, or a
    crash, leaves the job failed with a French message; the organisation's data is as before.
    Progress and heartbeat are written live through a second connection (imports.progress).
    """
    now = timezone.now()
    claimed = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.PENDING).update(
        status=ImportJob.Status.RUNNING, started_at=now, heartbeat_at=now, progress=1,
        phase=_("Lecture du fichier"),
    )
    job.refresh_from_db()
    if not claimed:
        return job
    try:
        with ProgressReporter(job.pk) as progress, _cyclic_gc_paused():
            progress.report(2, _("Lecture du fichier"))
            analysis = import_analyse(path=job.file.path, options=job.options)
            progress.report(35, _("Vérification terminée"))
            _store_report(job, analysis)
            if analysis.result.errors and not job.options.get("partial"):
                return _finish(job, ImportJob.Status.REJECTED, _rejected_message(job), progress)
            if analysis.result.errors and not analysis.result.employees and not analysis.result.skills:
                return _finish(job, ImportJob.Status.REJECTED, _nothing_valid_message(job), progress)
            _write(job, analysis, progress)
    except ImportFileError as exc:
        _finish(job, ImportJob.Status.FAILED, file_error_message(job, exc))
        return import_job_file_delete(job=job)  # a refused file is not kept
    except _Abandoned:
        job.refresh_from_db()
        return job
    except ApplicationError as exc:  # a rule of another domain refused a row: everything was rolled back
        return _finish(job, ImportJob.Status.FAILED, _("%(reason)s Rien n'a été écrit.") % {"reason": exc.message})
    except Exception:
        logger.exception("Import %s failed", job.pk)
        _finish(job, ImportJob.Status.FAILED, _(
            "Une erreur inattendue a interrompu l'import. Rien n'a été écrit : relancez-le, et si "
            "l'erreur se reproduit, transmettez le fichier à l'équipe technique."
        ))
        raise
    return job


@contextmanager
def _cyclic_gc_paused():
    """No cyclic garbage collection while an import runs: its million small tuples (rows, cells, skill
    levels) hold no cycles, and each automatic collection would walk them all again (~0.3 s per pass)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def file_error_message(job: ImportJob, exc: ImportFileError) -> str:
    """The reader's message, quoting the file by the name the user gave it (not the stored one)."""
    stored = os.path.basename(job.file.name)
    return exc.message.replace(stored, job.file_name) if stored else exc.message


def _store_report(job: ImportJob, analysis: Analysis) -> None:
    result = analysis.result
    job.rows = result.total_rows
    job.invalid = len(result.invalid_rows)
    job.invalid_rows = sorted(result.invalid_rows)
    job.error_count = len(result.errors)
    job.header_row = analysis.header.header_row
    job.unknown_columns = list(dict.fromkeys([*job.unknown_columns, *result.unknown_columns]))
    position = {text: index for index, text in reversed(list(enumerate(analysis.header.headers)))}

    def in_file_order(decisions: dict[str, str]) -> list[list[str]]:  # pairs: jsonb does not keep key order
        columns = sorted(decisions, key=lambda c: position.get(c, len(position)))
        return [[c, decisions[c]] for c in columns if decisions[c]]  # a column left empty was read no way

    job.decisions = {"level_scales": in_file_order(result.level_scales),
                     "date_formats": in_file_order(result.date_formats)}
    job.column_decisions = [list(decision) for decision in result.decisions]
    _store_errors(job, result.errors)


def _store_errors(job: ImportJob, errors: list[RowError]) -> None:
    """Every error, streamed with COPY: a 200,000-row file may have a million."""
    ImportRowError.objects.filter(job=job).delete()
    if not errors:
        return
    table = ImportRowError._meta.db_table
    with transaction.get_connection().cursor() as cursor:
        with cursor.cursor.copy(f'COPY {table} (job_id, "row", "column", value, message) FROM STDIN') as copy:
            for error in errors:
                copy.write_row((job.pk, error.row, str(error.column), str(error.value), str(error.message)))


def _write(job: ImportJob, analysis: Analysis, progress: ProgressReporter) -> None:
    result = analysis.result
    today, now = timezone.localdate(), timezone.now()
    # The import's own transaction (not a caller's): committed rows can be read beside it (upsert.current_levels_soon).
    beside = not transaction.get_connection().in_atomic_block
    with transaction.atomic():
        with transaction.get_connection().cursor() as cursor:
            # One import at a time per organisation: the second waits for the first to commit.
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext('esipro-import:' || current_schema()))")
        progress.report(40, _("Création des services et des emplois"))
        employees = result.employees
        aliases = matching.import_aliases()
        created = {"jobs": [], "org_units": [], "skills": []}
        units = upsert.org_unit_ids((e.org_unit for e in employees if e.org_unit), created=created["org_units"])
        jobs, rome_changes = upsert.job_ids(((e.job_title, e.rome_code) for e in employees if e.job_title),
                                            aliases=aliases["job"], created=created["jobs"])
        skill_ids = upsert.skill_ids_for(result.skill_labels, aliases=aliases["skill"],
                                         created=created["skills"]) if result.skills else {}
        job.created_items = created
        current = upsert.current_levels_soon(list(set(skill_ids.values())), beside=beside)
        progress.report(45, _("Préparation des salariés"))
        ids = upsert.employee_ids(employees)
        steps = {"employees": (55, _("Écriture des salariés")),
                 "departures": (62, _("Départs des salariés absents du fichier"))}
        counts = upsert.write_employees(
            employees, fields_present=result.fields_present, units=units, jobs=jobs, rome_changes=rome_changes,
            ids=ids, import_job_id=job.pk, today=today, now=now,
            seen_staff_numbers=(lambda: _file_staff_numbers(analysis)) if job.options.get("full_export") else None,
            on_step=lambda step: progress.report(*steps[step]),
        )
        progress.report(65, _("Écriture des compétences"))
        counts.skills = upsert.write_skills(
            skills=result.skills, skill_ids=skill_ids, current=current, ids=ids, user=job.created_by, now=now,
            progress=lambda fraction: progress.report(65 + int(30 * fraction), _("Écriture des compétences")),
        )
        for name in ("created", "updated", "unchanged", "departed", "skills"):
            setattr(job, name, getattr(counts, name))
        if job.dry_run:
            transaction.set_rollback(True)
        else:
            if _still_running(job) is False:
                raise _Abandoned
            if OrgSkill.objects.filter(needs_mapping=True).exists():
                # New skill labels are queued for mapping onto ROME/ESCO, in the background.
                _enqueue_mapping_suggestions(job)
            if created["jobs"]:
                # New jobs without a ROME code get the engine's occupations, queued for review.
                _enqueue_occupation_suggestions(job, created["jobs"])
            _finish(job, ImportJob.Status.OK, _done_message(job), progress)
    if job.dry_run:
        _finish(job, ImportJob.Status.OK, _done_message(job), progress)


def _still_running(job: ImportJob) -> bool:
    status = ImportJob.objects.select_for_update().filter(pk=job.pk).values_list("status", flat=True).first()
    return status in (None, ImportJob.Status.RUNNING)


def _file_staff_numbers(analysis: Analysis) -> set[str]:
    """Every staff number written in the file, valid row or not: only people missing from it leave."""
    numbers = {e.staff_number for e in analysis.result.employees}
    column = analysis.header.column_of("staff_number")
    if column is None:
        return numbers
    skipped = analysis.header.footer_indexes
    for index in range(analysis.header.header_index + 1, len(analysis.raw.rows)):
        row = analysis.raw.rows[index]
        if index in skipped or column >= len(row) or row[column] in (None, ""):
            continue
        value = row[column]
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        numbers.add(" ".join(str(value).split()))
    return numbers


def _finish(job: ImportJob, status: str, message: str, progress: ProgressReporter | None = None) -> ImportJob:
    phase = ImportJob.Status(status).label
    if progress is not None:
        progress.report(100, phase)
    job.status, job.message, job.progress, job.phase = status, message, 100, phase
    job.finished_at = job.heartbeat_at = timezone.now()
    job.save()
    return job


def _rejected_message(job: ImportJob) -> str:
    errors = ngettext("%(n)d erreur", "%(n)d erreurs", job.error_count) % {"n": job.error_count}
    rows = ngettext("%(n)d ligne", "%(n)d lignes", job.invalid) % {"n": job.invalid}
    return _(
        "Import refusé : %(errors)s sur %(rows)s. Rien n'a été écrit. Corrigez ces lignes (le fichier des "
        "lignes rejetées les liste avec une colonne « Erreur »), ou cochez « import partiel » pour "
        "n'importer que les lignes valides."
    ) % {"errors": errors, "rows": rows}


def _nothing_valid_message(job: ImportJob) -> str:
    errors = ngettext("%(n)d erreur", "%(n)d erreurs", job.error_count) % {"n": job.error_count}
    return _(
        "Import refusé : aucune ligne du fichier n'est valide (%(errors)s), l'import partiel n'a donc rien "
        "à écrire. Rien n'a été écrit. Corrigez les lignes (le fichier des lignes rejetées les liste avec une "
        "colonne « Erreur »), puis importez-le à nouveau."
    ) % {"errors": errors}


def _done_message(job: ImportJob) -> str:
    counts = ", ".join([
        ngettext("%(n)d créé", "%(n)d créés", job.created) % {"n": job.created},
        ngettext("%(n)d modifié", "%(n)d modifiés", job.updated) % {"n": job.updated},
        ngettext("%(n)d inchangé", "%(n)d inchangés", job.unchanged) % {"n": job.unchanged},
        ngettext("%(n)d départ", "%(n)d départs", job.departed) % {"n": job.departed},
    ])
    if job.dry_run:
        text = _("Simulation terminée, rien n'a été écrit. L'import donnerait : %(counts)s.") % {"counts": counts}
    else:
        text = _("Import terminé : %(counts)s.") % {"counts": counts}
    if job.invalid:
        text += " " + ngettext(
            "%(n)d ligne en erreur n'a pas été importée.", "%(n)d lignes en erreur n'ont pas été importées.",
            job.invalid,
        ) % {"n": job.invalid}
    return text


def import_job_refuse(*, job: ImportJob, message: str) -> ImportJob:
    """A draft whose file cannot be read: it ends failed, with the reader's message; the file is not kept."""
    _finish(job, ImportJob.Status.FAILED, message)
    return import_job_file_delete(job=job)


def import_job_file_delete(*, job: ImportJob) -> ImportJob:
    """Delete the job's stored file (jobs launched from the same upload share it: it goes when none keeps
    it); the job records when."""
    name = job.file.name
    if not name:
        return job
    others = ImportJob.objects.filter(file=name).exclude(pk=job.pk)
    if not others.filter(file_deleted_at__isnull=True).exists():
        job.file.storage.delete(name)
    ImportJob.objects.filter(file=name).update(file="", file_deleted_at=timezone.now())
    job.file, job.file_deleted_at = "", timezone.now()
    return job


def import_files_purge(*, now=None) -> int:
    """Delete the files of imports finished (or left as drafts) more than ESIPRO_IMPORT_KEEP_DAYS ago;
    returns how many files were deleted. Run every day by the worker, in each organisation."""
    now = now or timezone.now()
    limit = now - timedelta(days=settings.ESIPRO_IMPORT_KEEP_DAYS)
    active = ImportJob.objects.filter(
        Q(status__in=(ImportJob.Status.PENDING, ImportJob.Status.RUNNING))
        | Q(finished_at__gte=limit) | Q(finished_at__isnull=True, created_at__gte=limit)
    ).exclude(file="").values_list("file", flat=True)
    kept = set(active)
    old = ImportJob.objects.exclude(file="").filter(
        Q(finished_at__lt=limit) | Q(finished_at__isnull=True, created_at__lt=limit)
    ).exclude(status__in=(ImportJob.Status.PENDING, ImportJob.Status.RUNNING))
    deleted = 0
    for name in set(old.values_list("file", flat=True)) - kept:
        ImportJob.objects.filter(file=name).update(file="", file_deleted_at=now)
        storage = ImportJob._meta.get_field("file").storage
        if storage.exists(name):
            storage.delete(name)
        deleted += 1
    return deleted


@transaction.atomic
def import_job_retry_partial(*, job: ImportJob, user) -> ImportJob:
    """A refused import (errors, nothing written) run again as a partial import of the same file: the valid
    rows are written, the others listed. A second click returns the job already launched."""
    locked = ImportJob.objects.select_for_update().get(pk=job.pk)
    if locked.status != ImportJob.Status.REJECTED or locked.options.get("partial"):
        raise ApplicationError(_("Seul un import refusé pour erreurs peut être relancé en import partiel."))
    already = locked.launches.filter(options__partial=True).order_by("pk").first()
    if already is not None:
        return already
    if not locked.file.name:
        raise ApplicationError(_(
            "Le fichier de cet import a été supprimé (conservation de %(days)d jours) : importez-le à nouveau "
            "en cochant « import partiel »."
        ) % {"days": settings.ESIPRO_IMPORT_KEEP_DAYS})
    again = ImportJob.objects.create(
        created_by=user if user is not None and user.is_authenticated else locked.created_by,
        file_name=locked.file_name, file=locked.file.name, options=dict(locked.options, partial=True, dry_run=False),
        status=ImportJob.Status.PENDING, queued_at=timezone.now(), unknown_columns=locked.unknown_columns,
        launched_from=locked,
    )
    _enqueue(again)
    return again


@transaction.atomic
def import_alias_save(*, kind: str, source_label: str, target_label: str, user) -> ImportAlias:
    """Read `source_label` of the organisation's files as the existing skill or job `target_label`, in
    this import and every later one (kind "skill" or "job")."""
    from skills_matrix.engine import normalize_label
    from workforce.models import Job

    source = " ".join((source_label or "").split())[:300]
    target = " ".join((target_label or "").split())[:300]
    if kind == ImportAlias.Kind.SKILL:
        skill = OrgSkill.objects.filter(normalized_label=normalize_label(target)).first()
        if skill is None:
            raise ApplicationError(_("La compétence « %(label)s » n'existe pas : choisissez une compétence de "
                                     "l'organisation.") % {"label": target})
        key, target = normalize_label(source), skill.label
    elif kind == ImportAlias.Kind.JOB:
        existing = Job.objects.filter(title__iexact=target).first()
        if existing is None:
            raise ApplicationError(_("L'emploi « %(title)s » n'existe pas : choisissez un emploi de "
                                     "l'organisation.") % {"title": target})
        key, target = matching.job_key(source), existing.title
    else:
        raise ApplicationError(_("Nature « %(kind)s » inconnue : skill ou job.") % {"kind": kind})
    if not key:
        raise ApplicationError(_("Libellé du fichier vide : rien à rapprocher."))
    alias, _created = ImportAlias.objects.update_or_create(
        kind=kind, source_key=key,
        defaults={"source_label": source, "target_label": target,
                  "created_by": user if user is not None and user.is_authenticated else None},
    )
    return alias


@transaction.atomic
def created_job_link_rome(*, import_job: ImportJob, title: str, rome_code: str, user) -> int:
    """A job created by `import_job` takes the ROME occupation `rome_code` (when it has none) and that
    occupation's core skills as requirements. Returns the number of requirements added."""
    from skills_matrix.services.requirements import job_requirements_from_rome
    from workforce.models import Job
    from workforce.services import job_update

    if title not in ((import_job.created_items or {}).get("jobs") or []):
        raise ApplicationError(_("L'emploi « %(title)s » n'a pas été créé par cet import.") % {"title": title})
    job = Job.objects.filter(title=title).first()
    if job is None:
        raise ApplicationError(_("L'emploi « %(title)s » n'existe plus.") % {"title": title})
    if not job.rome_code:
        job = job_update(job=job, rome_code=rome_code)
    return job_requirements_from_rome(job=job, user=user)
