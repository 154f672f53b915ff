from django.db import connection, models
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin
from django_tenants.utils import schema_exists

from .cloning import schema_clone


class Organization(TenantMixin):
    class Kind(models.TextChoices):
        COMPANY = "company", _("Entreprise")
        ADMINISTRATION = "administration", _("Administration")
        ESAT = "esat", _("ESAT")

    name = models.CharField(_("nom"), max_length=200)
    slug = models.SlugField(_("identifiant"), max_length=63, unique=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.COMPANY)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    auto_create_schema = True
    auto_drop_schema = True

    class Meta:
        verbose_name = _("organisation")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def create_schema(self, check_if_exists=False, sync_schema=True, verbosity=1):
        """Clone the template schema, rows included (its django_migrations rows say what is applied).

        django-tenants would then replay every migration as --fake, which only re-writes those
        rows: skipped. The template is kept migrated by ``esipro_migrate``.
        """
        base = self.get_base_schema()
        if not (sync_schema and base and schema_exists(base)) or schema_exists(self.schema_name):
            return super().create_schema(check_if_exists, sync_schema, verbosity)
        connection.set_schema_to_public()
        schema_clone(base, self.schema_name)
        connection.set_schema_to_public()
        return True


class Domain(DomainMixin):
    class Meta:
        verbose_name = _("domaine")


class Operator(models.Model):
    """A platform operator: signs in on the public host (not in any organisation) to run the platform.

    Users and sessions live in each organisation's schema, so the operator has an account of its own
    here, in the public schema, and a signed cookie for a session (``tenants.operators``).
    """

    email = models.EmailField(_("adresse e-mail"), unique=True)
    full_name = models.CharField(_("nom complet"), max_length=200, blank=True)
    password = models.CharField(max_length=128)
    is_active = models.BooleanField(_("actif"), default=True)
    last_login = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("opérateur de la plateforme")

    def __str__(self):
        return self.full_name or self.email
