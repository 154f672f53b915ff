"""``manage.py foresight_import DIR``: DARES tensions (FAP), the FAP ↔ ROME bridge and « Les métiers en 2030 » into
the public schema, in one transaction (all or nothing); running it again gives the same tables."""

from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import get_public_schema_name, schema_context

from core.errors import ApplicationError
from foresight.national import national_foresight_import


class Command(BaseCommand):
    help = ("Importe la prospective nationale (DARES : tensions par FAP, passerelle FAP-ROME, « Les métiers en "
            "2030 ») depuis un dossier contenant tensions.csv, fap225_rome.csv, fap2009_libelles.csv et "
            "dares_metiers_2030_fap87_region.csv (éventuellement dans ses sous-dossiers dares/ et foresight/).")

    def add_arguments(self, parser):
        parser.add_argument("directory")

    def handle(self, *args, directory, **options):
        try:
            with schema_context(get_public_schema_name()):
                summary = national_foresight_import(directory=directory)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            f"Prospective nationale importée : {summary.tensions} familles professionnelles (tensions), "
            f"{summary.bridges} correspondances FAP-ROME, {summary.projections} projections métiers 2030 "
            "(FAP 87 × région)."
        )
