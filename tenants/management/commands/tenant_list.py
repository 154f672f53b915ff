from django.core.management.base import BaseCommand

from tenants.models import Organization


class Command(BaseCommand):
    help = "Liste les organisations, leur type, leur état et leurs domaines."

    def handle(self, *args, **opts):
        organizations = Organization.objects.exclude(schema_name="public").prefetch_related("domains")
        for org in organizations:
            domains = ", ".join(d.domain for d in org.domains.all())
            state = "active" if org.is_active else "suspendue"
            self.stdout.write(f"{org.slug}\t{org.kind}\t{state}\t{org.name}\t{domains}")
        if not organizations:
            self.stdout.write("Aucune organisation. Créez-en une avec `manage.py tenant_create`.")
