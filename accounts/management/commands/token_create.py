from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import schema_context

from accounts.models import User
from accounts.services import token_create
from tenants.models import Organization


class Command(BaseCommand):
    help = "Crée un jeton d'API pour un utilisateur d'une organisation et l'affiche une seule fois."

    def add_arguments(self, parser):
        parser.add_argument("--tenant", required=True, help="identifiant de l'organisation")
        parser.add_argument("--email", required=True)
        parser.add_argument("--name", default="")

    def handle(self, *args, **opts):
        organization = Organization.objects.filter(slug=opts["tenant"]).first()
        if organization is None:
            raise CommandError(f"Aucune organisation « {opts['tenant']} » (voir `manage.py tenant_list`).")
        with schema_context(organization.schema_name):
            user = User.objects.filter(email=opts["email"].strip().lower()).first()
            if user is None:
                raise CommandError(f"Aucun utilisateur {opts['email']} dans « {organization.slug} ».")
            _token, key = token_create(user=user, name=opts["name"])
        self.stdout.write(key)
