from django.core.management.base import BaseCommand, CommandError

from core.errors import ApplicationError
from tenants.services import organization_suspend


class Command(BaseCommand):
    help = "Suspend une organisation (ses pages et son API répondent 403) ; --reactivate la rouvre."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--reactivate", action="store_true")

    def handle(self, *args, **opts):
        try:
            organization = organization_suspend(slug=opts["slug"], active=opts["reactivate"])
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        state = "réactivée" if organization.is_active else "suspendue"
        self.stdout.write(self.style.SUCCESS(f"Organisation « {organization.slug} » {state}."))
