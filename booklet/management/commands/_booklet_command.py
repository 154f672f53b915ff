"""What the booklet's commands share: pick the organisation and the person, errors in plain French."""

from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import get_tenant_model, tenant_context


class BookletCommand(BaseCommand):
    def add_person_arguments(self, parser):
        parser.add_argument("--tenant", required=True, help="identifiant (slug) de l'organisation")
        parser.add_argument("--staff-number", required=True, help="matricule de la personne")

    def organisation(self, slug: str):
        organization = get_tenant_model().objects.filter(slug=slug).first()
        if organization is None:
            raise CommandError(f"Organisation « {slug} » introuvable : vérifiez l'option --tenant.")
        return organization

    def in_organisation(self, slug: str):
        return tenant_context(self.organisation(slug))

    def employee(self, staff_number: str):
        from workforce.models import Employee

        employee = Employee.objects.filter(staff_number=staff_number).first()
        if employee is None:
            raise CommandError(f"Matricule « {staff_number} » introuvable dans cette organisation : vérifiez "
                               "l'option --staff-number.")
        return employee
