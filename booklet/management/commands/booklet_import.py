from pathlib import Path

from django.core.management.base import CommandError

from booklet.audit import Actor
from booklet.services import booklet_import
from core.errors import ApplicationError

from ._booklet_command import BookletCommand


class Command(BookletCommand):
    help = "Importe un carnet exporté par une autre organisation dans le carnet de la même personne."

    def add_arguments(self, parser):
        self.add_person_arguments(parser)
        parser.add_argument("file", help="le zip exporté (booklet_export --format json)")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Fichier « {path} » introuvable : vérifiez le chemin.")
        with self.in_organisation(options["tenant"]):
            employee = self.employee(options["staff_number"])
            try:
                counts = booklet_import(actor=Actor.system(), employee=employee, data=path.read_bytes())
            except ApplicationError as exc:
                raise CommandError(exc.message) from exc
        self.stdout.write(
            f"Carnet importé : {counts.experiences} expérience(s), {counts.skills} compétence(s), {counts.evidence} "
            f"preuve(s), {counts.endorsements} confirmation(s), {counts.interviews} entretien(s), "
            f"{counts.pathway} étape(s) de parcours.")
