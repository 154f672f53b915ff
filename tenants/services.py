"""Creating, listing and suspending organisations (platform operator's work, public schema)."""

import re

from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context, schema_exists

from core.errors import ApplicationError

from .middleware import domain_cache_clear
from .models import Domain, Organization

SLUG_RE = re.compile(r"^[a-z][a-z0-9-]{1,40}$")
RESERVED_SLUGS = {"public", "www", "api", "admin", "static", "media", "tenant-template"}


def schema_name_for(slug: str) -> str:
    return slug.replace("-", "_")


def template_schema_sync(*, verbosity: int = 0) -> None:
    """Create the template schema new organisations are cloned from, and bring it up to date."""
    base = settings.TENANT_BASE_SCHEMA
    if not base:
        return
    if not schema_exists(base):
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE SCHEMA "{base}"')
    call_command("migrate_schemas", tenant=True, schema_name=base, interactive=False, verbosity=verbosity)
    connection.set_schema_to_public()


def organization_create(
    *,
    slug: str,
    name: str,
    kind: str = Organization.Kind.COMPANY,
    domain: str | None = None,
    admin_email: str | None = None,
    admin_password: str | None = None,
) -> Organization:
    """Create an organisation, its schema (cloned from the template), its domain and first admin."""
    slug = slug.strip().lower()
    if not SLUG_RE.match(slug) or slug in RESERVED_SLUGS:
        raise ApplicationError(
            _("Identifiant « %(slug)s » invalide : 2 à 41 caractères, lettres minuscules, chiffres "
              "et tirets, commençant par une lettre.") % {"slug": slug}
        )
    if kind not in Organization.Kind.values:
        raise ApplicationError(
            _("Type « %(kind)s » inconnu : choisissez parmi %(choices)s.")
            % {"kind": kind, "choices": ", ".join(Organization.Kind.values)}
        )
    if Organization.objects.filter(slug=slug).exists():
        raise ApplicationError(_("L'organisation « %(slug)s » existe déjà.") % {"slug": slug})
    host = (domain or f"{slug}.{settings.ESIPRO_BASE_DOMAIN}").lower()
    if Domain.objects.filter(domain=host).exists():
        raise ApplicationError(_("Le domaine « %(host)s » est déjà utilisé.") % {"host": host})
    if admin_email:
        from accounts.models import User
        from accounts.services import password_check

        password_check(admin_password, user=User(email=admin_email.strip().lower()))
    if settings.TENANT_BASE_SCHEMA and not schema_exists(settings.TENANT_BASE_SCHEMA):
        template_schema_sync()

    with transaction.atomic():
        organization = Organization(schema_name=schema_name_for(slug), slug=slug, name=name, kind=kind)
        organization.save(verbosity=0)
        Domain.objects.create(domain=host, tenant=organization, is_primary=True)
        if admin_email:
            from accounts.services import user_create

            with schema_context(organization.schema_name):
                user_create(email=admin_email, password=admin_password, role="admin")
    return organization


def organization_suspend(*, slug: str, active: bool = False) -> Organization:
    organization = Organization.objects.filter(slug=slug).first()
    if organization is None:
        raise ApplicationError(_("Aucune organisation « %(slug)s ».") % {"slug": slug}, status=404)
    organization.is_active = active
    organization.save(update_fields=["is_active"])
    domain_cache_clear()
    return organization
