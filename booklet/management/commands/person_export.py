from pathlib import Path

from django.core.management.base import CommandError

from booklet.audit import Actor
from booklet.services import person_export

from ._booklet_command import BookletCommand


class Command(BookletCommand):
    help = "RGPD : exporte tout ce que l'organisation détient sur une personne (JSON + fichiers, en zip)."

    def add_arguments(self, parser):
        self.add_person_arguments(parser)
        parser.add_argument("-o", "--output", required=True, help="fichier zip à écrire")

    def handle(self, *args, **options):
        organization = self.organisation(options["tenant"])
        with self.in_organisation(options["tenant"]):
            employee = self.employee(options["staff_number"])
            data = person_export(actor=Actor.system(), employee=employee,
                                 organisation={"name": organization.name, "kind": organization.kind})
        try:
            Path(options["output"]).write_bytes(data)
        except OSError as exc:
            raise CommandError(f"Impossible d'écrire « {options['output']} » ({exc.strerror}).") from exc
        self.stdout.write(f"Données exportées : {options['output']}.")
