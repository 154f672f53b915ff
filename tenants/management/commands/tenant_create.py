import time

from django.core.management.base import BaseCommand, CommandError

from core.errors import ApplicationError
from tenants.models import Organization
from tenants.services import organization_create


class Command(BaseCommand):
    help = "Crée une organisation (schéma cloné du modèle), son domaine et, si demandé, son administrateur."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--name", required=True)
        parser.add_argument("--kind", default=Organization.Kind.COMPANY, choices=Organization.Kind.values)
        parser.add_argument("--domain", help="hôte, par défaut <slug>.<ESIPRO_BASE_DOMAIN>")
        parser.add_argument("--admin-email")
        parser.add_argument("--admin-password")

    def handle(self, *args, **opts):
        if opts["admin_email"] and not opts["admin_password"]:
            raise CommandError("--admin-password est requis avec --admin-email.")
        started = time.perf_counter()
        try:
            organization = organization_create(
                slug=opts["slug"], name=opts["name"], kind=opts["kind"], domain=opts["domain"],
                admin_email=opts["admin_email"], admin_password=opts["admin_password"],
            )
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        host = organization.get_primary_domain().domain
        self.stdout.write(self.style.SUCCESS(
            f"Organisation « {organization.name} » créée ({organization.slug}, {host}) "
            f"en {time.perf_counter() - started:.2f} s."
        ))
