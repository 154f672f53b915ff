"""``manage.py suggestions_warm``: build the suggestion indexes now (at deployment), not in a request."""

from django.core.management.base import BaseCommand
from django_tenants.utils import get_public_schema_name, schema_context

from referentials.suggest import suggestion_indexes_warm


class Command(BaseCommand):
    help = ("Prépare les index de suggestion (ROME, ESCO) pour que la première suggestion demandée n'attende "
            "pas leur construction ; à lancer après un déploiement.")

    def handle(self, *args, **options):
        with schema_context(get_public_schema_name()):
            took = suggestion_indexes_warm()
        for name, seconds in took.items():
            state = f"prêt en {seconds} s" if seconds is not None else "référentiel non importé"
            self.stdout.write(f"{name} : {state}")
