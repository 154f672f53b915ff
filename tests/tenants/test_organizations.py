"""Organisations: creation by cloning the template schema, commands, routing."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django_tenants.utils import schema_exists, tenant_context

from accounts.models import User
from core.errors import ApplicationError
from tenants.models import Organization
from tenants.services import organization_create


def test_it_creates_an_organisation_with_its_schema_domain_and_admin(db):
    organization = organization_create(slug="gamma", name="Gamma", kind="administration",
                                       admin_email="Chef@Gamma.fr", admin_password="motdepasse1")
    assert schema_exists("gamma")
    assert organization.get_primary_domain().domain == "gamma.localhost"
    with tenant_context(organization):
        admin = User.objects.get()
        assert (admin.email, admin.role) == ("chef@gamma.fr", "admin")
        assert admin.check_password("motdepasse1")
        from skills_matrix.models import SkillLevel
        assert list(SkillLevel.objects.values_list("label", flat=True)) == [
            "Aucun", "Débutant", "Intermédiaire", "Confirmé", "Expert"]


@pytest.mark.parametrize("slug", ["A", "x", "public", "1abc", "with space"])
def test_it_rejects_a_bad_slug(db, slug):
    with pytest.raises(ApplicationError, match="invalide"):
        organization_create(slug=slug, name="X")


def test_it_rejects_a_duplicate_slug(db, alpha):
    with pytest.raises(ApplicationError, match="existe déjà"):
        organization_create(slug="alpha", name="Encore")


def test_the_commands_create_list_and_suspend(db):
    out = io.StringIO()
    call_command("tenant_create", "delta", "--name", "Delta", "--kind", "esat", "--domain", "delta.example.org",
                 "--admin-email", "a@delta.fr", "--admin-password", "motdepasse1", stdout=out)
    assert "Organisation « Delta » créée" in out.getvalue()
    out = io.StringIO()
    call_command("tenant_list", stdout=out)
    assert "delta\tesat\tactive\tDelta\tdelta.example.org" in out.getvalue()
    call_command("tenant_suspend", "delta", stdout=io.StringIO())
    assert Organization.objects.get(slug="delta").is_active is False
    out = io.StringIO()
    call_command("token_create", "--tenant", "delta", "--email", "a@delta.fr", stdout=out)
    key = out.getvalue().strip()
    assert key.startswith("esi_") and len(key) > 40
    connection.set_schema_to_public()


def test_the_commands_explain_what_is_wrong(db):
    with pytest.raises(CommandError, match="Aucune organisation « nope »"):
        call_command("tenant_suspend", "nope")
    with pytest.raises(CommandError, match="Aucune organisation « nope »"):
        call_command("token_create", "--tenant", "nope", "--email", "x@y.fr")


def test_it_serves_the_public_home_on_the_base_domain(db, client):
    response = client.get("/", HTTP_HOST="localhost")
    assert response.status_code == 200
    assert "Esi Pro" in response.content.decode()


def test_a_cloned_schema_has_the_templates_tables_constraints_and_indexes(db):
    organization = organization_create(slug="zeta", name="Zeta")

    def structure(schema):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT cl.relname, co.conname, co.contype, "
                "replace(pg_get_constraintdef(co.oid), %s || '.', '') FROM pg_constraint co "
                "JOIN pg_class cl ON cl.oid = co.conrelid JOIN pg_namespace n ON n.oid = cl.relnamespace "
                "WHERE n.nspname = %s ORDER BY 1, 2", [schema, schema])
            constraints = cursor.fetchall()
            cursor.execute("SELECT tablename, indexname FROM pg_indexes WHERE schemaname = %s ORDER BY 1, 2",
                           [schema])
            return constraints, cursor.fetchall()

    template, clone = structure("tenant_template"), structure("zeta")
    assert len(clone[0]) > 50 and len(clone[1]) > 50
    assert clone == template
    with tenant_context(organization):
        from skills_matrix.models import SkillLevel
        created = SkillLevel.objects.create(value=5, label="Référent")
        assert created.pk == SkillLevel.objects.filter(value=4).get().pk + 1
