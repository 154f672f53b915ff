"""Import a staff file into one organisation, in-process, through the same code as the page."""

import json
import sys
from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import get_tenant_model, tenant_context

from esipro.errors import ApplicationError
from imports.models import ImportJob
from imports.services import clean_options, import_job_create, import_run

EXIT_CODES = {ImportJob.Status.OK: 0, ImportJob.Status.REJECTED: 1, ImportJob.Status.FAILED: 2}


class Command(BaseCommand):
    help = "Importe un fichier du personnel (.xlsx, .xls, .ods, .csv) dans une organisation."

    def add_arguments(self, parser):
        parser.add_argument("--tenant", required=True, help="identifiant (slug) de l'organisation")
        parser.add_argument("file", help="chemin du fichier")
        parser.add_argument("--sheet", default="", help="nom de l'onglet (par défaut le premier)")
        parser.add_argument("--map", action="append", default=[], metavar="EN-TÊTE=CHAMP",
                            help='correspondance de colonne, ex. --map "Code agent=staff_number" (répétable)')
        parser.add_argument("--dry-run", action="store_true", help="vérifier sans rien écrire")
        parser.add_argument("--partial", action="store_true", help="importer les lignes valides, lister les autres")
        parser.add_argument("--full-export", action="store_true",
                            help="le fichier contient tout le personnel : les absents sont sortis des effectifs")
        parser.add_argument("--json", action="store_true", help="afficher un seul objet JSON")

    def handle(self, *args, **options):
        organization = get_tenant_model().objects.filter(slug=options["tenant"]).first()
        if organization is None:
            raise CommandError(f"Organisation « {options['tenant']} » introuvable.")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Fichier « {path} » introuvable.")
        mapping = {}
        for item in options["map"]:
            header, sep, field = item.rpartition("=")
            if not sep or not header.strip():
                raise CommandError(f"--map « {item} » : écrivez « En-tête=champ ».")
            mapping[header.strip()] = field.strip()
        with tenant_context(organization):
            try:
                job_options = clean_options(
                    partial=options["partial"], full_export=options["full_export"], dry_run=options["dry_run"],
                    mapping=mapping, sheet=options["sheet"],
                )
                with path.open("rb") as handle:
                    job = import_job_create(user=None, file=File(handle), file_name=path.name, options=job_options,
                                            background=False)
            except ApplicationError as exc:
                raise CommandError(exc.message) from exc
            job = import_run(job=job)
        if options["json"]:
            self.stdout.write(json.dumps(_summary(job), ensure_ascii=False))
        else:
            self._print_report(job)
        if job.status != ImportJob.Status.OK:
            sys.exit(EXIT_CODES.get(job.status, 2))

    def _print_report(self, job: ImportJob) -> None:
        self.stdout.write(job.message)
        self.stdout.write(
            f"Lignes : {job.rows} · créés : {job.created} · modifiés : {job.updated} · inchangés : {job.unchanged}"
            f" · en erreur : {job.invalid} · départs : {job.departed} · compétences : {job.skills}"
        )
        for error in job.errors[:200]:
            self.stdout.write(f"  ligne {error['row']} · {error['column']} · « {error['value']} » : {error['message']}")
        if job.error_count > 200:
            self.stdout.write(f"  … et {job.error_count - 200} autres erreurs.")


def _summary(job: ImportJob) -> dict:
    return {
        "status": job.status, "rows": job.rows, "created": job.created, "updated": job.updated,
        "unchanged": job.unchanged, "invalid": job.invalid, "departed": job.departed, "skills": job.skills,
        "dry_run": job.dry_run, "message": job.message, "job_id": job.pk,
        "errors": [{k: e[k] for k in ("row", "column", "value", "message")} for e in job.errors],
    }
