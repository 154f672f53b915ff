"""Import a staff file into one organisation, in-process, through the same code as the page.

Exit codes: 0 written (or dry run done), 1 rejected (errors, nothing written), 2 the file cannot be read
or the command cannot run (unknown organisation, missing file, bad option, unexpected crash). With
--json, stdout always holds exactly one JSON object, failures included.
"""

import json
import logging
import sys
from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django_tenants.utils import get_tenant_model, tenant_context

from core.errors import ApplicationError
from imports.models import ImportJob
from imports.selectors import created_items, import_job_decisions, import_job_errors
from imports.services import (
    DATE_ORDERS,
    LEVEL_SCALES,
    clean_options,
    import_job_create,
    import_run,
    mapping_field_names,
)

logger = logging.getLogger(__name__)

EXIT_CODES = {ImportJob.Status.OK: 0, ImportJob.Status.REJECTED: 1, ImportJob.Status.FAILED: 2}
ERRORS_PRINTED = 200  # in the plain-text report; --json lists them all


class _CannotRun(Exception):
    """The command cannot run: nothing was imported (exit 2)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class Command(BaseCommand):
    help = "Importe un fichier du personnel (.xlsx, .xls, .ods, .csv) dans une organisation."
    # No system checks: they load every URL and API module (the suggestion engine and scikit-learn among
    # them), ~2.5 s of CPU and 100 MB for an import that needs none of them (bench/bounded_read.py).
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--tenant", required=True, help="identifiant (slug) de l'organisation")
        parser.add_argument("file", help="chemin du fichier")
        parser.add_argument("--sheet", default="", help="nom de l'onglet (par défaut le premier)")
        parser.add_argument("--map", action="append", default=[], metavar="EN-TÊTE=CHAMP",
                            help='correspondance de colonne, ex. --map "Code agent=staff_number" (répétable) ; '
                                 f"champs possibles : {mapping_field_names()}, skill:<compétence> (colonne de "
                                 "niveaux d'une compétence) ou ignore (colonne non lue)")
        parser.add_argument("--dry-run", action="store_true", help="vérifier sans rien écrire")
        parser.add_argument("--partial", action="store_true", help="importer les lignes valides, lister les autres")
        parser.add_argument("--full-export", action="store_true",
                            help="le fichier contient tout le personnel : les absents sont sortis des effectifs")
        parser.add_argument("--level-scale", choices=LEVEL_SCALES, default="auto",
                            help="échelle des niveaux écrits en chiffres (par défaut : reconnue d'après le fichier)")
        parser.add_argument("--date-order", choices=DATE_ORDERS, default="auto",
                            help="ordre des dates écrites en texte : DMY jour/mois/année, MDY mois/jour/année")
        parser.add_argument("--json", action="store_true", help="afficher un seul objet JSON")

    def handle(self, *args, **options):
        try:
            code = self._import(options)
        except _CannotRun as exc:
            code = self._fail(options, exc.message)
        except Exception as exc:
            logger.exception("staff_import crashed")  # the traceback goes to the log (stderr), not to stdout
            code = self._fail(options, _(
                "Erreur inattendue (%(error)s) : l'import n'a pas abouti et rien n'a été écrit. Relancez la "
                "commande ; si l'erreur se reproduit, transmettez le fichier et ce message à l'équipe technique."
            ) % {"error": exc.__class__.__name__})
        if code:
            sys.exit(code)

    def _import(self, options) -> int:
        """Run the import and print its report; returns the exit code."""
        organization = get_tenant_model().objects.filter(slug=options["tenant"]).first()
        if organization is None:
            raise _CannotRun(_("Organisation « %(slug)s » introuvable : vérifiez l'option --tenant.")
                             % {"slug": options["tenant"]})
        path = Path(options["file"])
        if not path.is_file():
            raise _CannotRun(_("Fichier « %(path)s » introuvable : vérifiez le chemin.") % {"path": path})
        mapping = {}
        for item in options["map"]:
            header, sep, field = item.rpartition("=")
            if not sep or not header.strip():
                raise _CannotRun(_("--map « %(item)s » : écrivez « En-tête=champ », par exemple "
                                   "--map \"Code agent=staff_number\".") % {"item": item})
            mapping[header.strip()] = field.strip()
        with tenant_context(organization):
            try:
                job_options = clean_options(
                    partial=options["partial"], full_export=options["full_export"], dry_run=options["dry_run"],
                    mapping=mapping, sheet=options["sheet"], level_scale=options["level_scale"],
                    date_order=options["date_order"],
                )
                with path.open("rb") as handle:
                    job = import_job_create(user=None, file=File(handle), file_name=path.name, options=job_options,
                                            background=False)
            except ApplicationError as exc:
                raise _CannotRun(exc.message) from exc
            except OSError as exc:
                raise _CannotRun(_("Le fichier « %(path)s » ne peut pas être ouvert (%(reason)s).")
                                 % {"path": path, "reason": exc.strerror}) from exc
            job = import_run(job=job)
            if options["json"]:
                self.stdout.write(json.dumps(_summary(job), ensure_ascii=False))
            else:
                self._print_report(job)
        return EXIT_CODES.get(job.status, 2)

    def _fail(self, options, message: str) -> int:
        if options["json"]:
            self.stdout.write(json.dumps({
                "status": ImportJob.Status.FAILED.value, "message": message, "job_id": None, "rows": 0,
                "created": 0, "updated": 0, "unchanged": 0, "invalid": 0, "departed": 0, "skills": 0,
                "dry_run": bool(options["dry_run"]), "decisions": {"level_scales": {}, "date_formats": {}},
                "unknown_columns": [], "error_count": 0,
                "errors": [], "created_items": {"jobs": [], "org_units": [], "skills": []}, "columns": [],
            }, ensure_ascii=False))
        else:
            self.stderr.write(message)
        return 2

    def _print_report(self, job: ImportJob) -> None:
        self.stdout.write(job.message)
        self.stdout.write(
            f"Lignes : {job.rows} · créés : {job.created} · modifiés : {job.updated} · inchangés : {job.unchanged}"
            f" · en erreur : {job.invalid} · départs : {job.departed} · compétences : {job.skills}"
        )
        for line in import_job_decisions(job):
            self.stdout.write(f"Lecture : {line}")
        if job.unknown_columns:
            self.stdout.write(f"Colonnes non reconnues : {', '.join(job.unknown_columns)}")
        for key, label in (("jobs", "Emplois créés"), ("org_units", "Services créés"), ("skills", "Compétences créées")):
            if created_items(job)[key]:
                self.stdout.write(f"{label} : {', '.join(created_items(job)[key])}")
        for error in import_job_errors(job, limit=ERRORS_PRINTED):
            self.stdout.write(f"  ligne {error['row']} · {error['column']} · « {error['value']} » : {error['message']}")
        if job.error_count > ERRORS_PRINTED:
            self.stdout.write(f"  … et {job.error_count - ERRORS_PRINTED} autres erreurs (--json les liste toutes).")


def _summary(job: ImportJob) -> dict:
    return {
        "status": job.status, "rows": job.rows, "created": job.created, "updated": job.updated,
        "unchanged": job.unchanged, "invalid": job.invalid, "departed": job.departed, "skills": job.skills,
        "dry_run": job.dry_run, "message": job.message, "job_id": job.pk, "decisions": job.decision_maps,
        "unknown_columns": job.unknown_columns, "error_count": job.error_count, "errors": import_job_errors(job),
        "created_items": created_items(job),
        "columns": [dict(zip(("column", "decision", "target", "reason"), d, strict=True))
                    for d in job.column_decisions or []],
    }
