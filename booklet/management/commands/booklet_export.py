from pathlib import Path

from django.core.management.base import CommandError

from booklet.audit import Actor
from booklet.printing import pdf_from_html, printable_html
from booklet.selectors import booklet_items
from booklet.services import booklet_export
from booklet.services._common import SYSTEM_ACCESS

from ._booklet_command import BookletCommand


class Command(BookletCommand):
    help = ("Exporte le carnet d'une personne : zip portable (booklet.json + fichiers, --format json), "
            "page imprimable (html) ou PDF.")

    def add_arguments(self, parser):
        self.add_person_arguments(parser)
        parser.add_argument("--format", choices=["json", "pdf", "html"], default="json")
        parser.add_argument("-o", "--output", required=True, help="fichier à écrire")

    def handle(self, *args, **options):
        organization = self.organisation(options["tenant"])
        with self.in_organisation(options["tenant"]):
            employee = self.employee(options["staff_number"])
            organisation = {"name": organization.name, "kind": organization.kind}
            if options["format"] == "json":
                data = booklet_export(actor=Actor.system(), employee=employee, organisation=organisation)
            else:
                html = printable_html(employee=employee, items=booklet_items(employee=employee, access=SYSTEM_ACCESS),
                                      organisation=organisation, title="Carnet de parcours et de compétences",
                                      standalone=True)
                data = pdf_from_html(html) if options["format"] == "pdf" else html.encode()
        try:
            Path(options["output"]).write_bytes(data)
        except OSError as exc:
            raise CommandError(f"Impossible d'écrire « {options['output']} » ({exc.strerror}).") from exc
        self.stdout.write(f"Carnet exporté : {options['output']} ({len(data)} octets).")
