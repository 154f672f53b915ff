from django.core.management import call_command
from django.core.management.base import BaseCommand

from tenants.services import template_schema_sync


class Command(BaseCommand):
    help = "Migre le schéma public, le schéma modèle des nouvelles organisations, puis chaque organisation."

    def handle(self, *args, **opts):
        verbosity = opts["verbosity"]
        call_command("migrate_schemas", shared=True, interactive=False, verbosity=verbosity)
        template_schema_sync(verbosity=verbosity)
        call_command("migrate_schemas", tenant=True, interactive=False, verbosity=verbosity)
