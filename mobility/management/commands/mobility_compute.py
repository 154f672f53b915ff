"""Recompute an organisation's mobility suggestions (every employee × every job) in-process."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django_tenants.utils import get_tenant_model, tenant_context


class Command(BaseCommand):
    help = "Recalcule les pistes de mobilité (salariés × emplois) d'une organisation."

    def add_arguments(self, parser):
        parser.add_argument("--tenant", required=True, help="identifiant (slug) de l'organisation")

    def handle(self, *args, tenant, **options):
        from mobility.services import mobility_compute

        organization = get_tenant_model().objects.filter(slug=tenant).first()
        if organization is None or organization.schema_name == "public":
            raise CommandError(_("Organisation « %(slug)s » inconnue : vérifiez l'identifiant (slug).")
                               % {"slug": tenant})
        with tenant_context(organization):
            summary = mobility_compute()
        self.stdout.write(_("%(employees)s salariés × %(jobs)s emplois : %(suggestions)s pistes enregistrées en "
                            "%(seconds)s s.") % summary)
