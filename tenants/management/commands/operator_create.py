"""``manage.py operator_create EMAIL [--password P] [--name NAME]``: a platform operator (public host)."""

import getpass
import os

from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import get_public_schema_name, schema_context

from core.errors import ApplicationError
from tenants.operators import operator_create


class Command(BaseCommand):
    help = ("Crée (ou remet à jour) un opérateur de la plateforme, qui se connecte sur l'adresse publique "
            "/operateur/ pour gérer les organisations et les référentiels. Sans --password, le mot de passe est "
            "lu dans ESIPRO_OPERATOR_PASSWORD ou demandé.")

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--password")
        parser.add_argument("--name", default="")

    def handle(self, *args, **options):
        password = options["password"] or os.environ.get("ESIPRO_OPERATOR_PASSWORD") or getpass.getpass(
            "Mot de passe : ")
        try:
            with schema_context(get_public_schema_name()):
                operator = operator_create(email=options["email"], password=password, full_name=options["name"])
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"Opérateur {operator.email} prêt : connexion sur /operateur/connexion/ de l'adresse "
                          "publique.")
