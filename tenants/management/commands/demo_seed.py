import os
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import get_public_schema_name, schema_context, tenant_context

from accounts.models import Role
from demo.data import DEMO_PASSWORD, demo_build
from demo.seed import demo_counts, demo_populate, demo_users_ensure
from esipro.errors import ApplicationError
from tenants.models import Organization
from tenants.services import organization_create


class Command(BaseCommand):
    help = (
        "Crée l'organisation de démonstration (« Démo Industrie », 150 salariés, emplois, compétences et "
        "quatre comptes) si elle n'existe pas ; sans effet sur une organisation déjà remplie."
    )

    def add_arguments(self, parser):
        parser.add_argument("--slug", default="demo", help="identifiant de l'organisation (défaut : demo)")
        parser.add_argument("--name", default="Démo Industrie")
        parser.add_argument("--password", default=os.environ.get("ESIPRO_DEMO_PASSWORD", DEMO_PASSWORD),
                            help="mot de passe des quatre comptes de démonstration")
        parser.add_argument("--seed", type=int, default=2030, help="graine du générateur (données identiques)")
        parser.add_argument("--rome-dir", default=str(settings.ESIPRO_SHARED_DATA / "rome4"),
                            help="dossier ROME 4.0 importé s'il existe et si le référentiel est vide")
        parser.add_argument("--skip-referentials", action="store_true", help="ne pas importer le référentiel ROME")

    def handle(self, *args, **opts):
        started = time.perf_counter()
        slug = opts["slug"]
        if len(opts["password"]) < 8:
            raise CommandError("Le mot de passe doit compter au moins 8 caractères.")
        organization = Organization.objects.filter(slug=slug).first()
        if organization is None:
            try:
                organization = organization_create(slug=slug, name=opts["name"], kind=Organization.Kind.COMPANY)
            except ApplicationError as exc:
                raise CommandError(exc.message) from exc
            self.stdout.write(f"Organisation « {organization.name} » créée ({slug}).")
        else:
            self.stdout.write(f"Organisation « {organization.name} » déjà présente ({slug}) : réutilisée.")

        demo = demo_build(seed=opts["seed"], slug=slug)
        with tenant_context(organization):
            filled = demo_populate(demo=demo)
            users = demo_users_ensure(demo=demo, password=opts["password"])
            counts = demo_counts()
        state = "créées" if filled else "déjà en place, inchangées"
        self.stdout.write(
            f"Données de démonstration {state} : {counts['employees']} salariés ({counts['active_employees']} "
            f"présents), {counts['units']} unités, {counts['jobs']} emplois, {counts['skills']} compétences, "
            f"{counts['requirements']} exigences d'emploi, {counts['employee_skills']} niveaux évalués."
        )
        self.stdout.write(f"Comptes (mot de passe « {opts['password']} ») :")
        for user in users:
            self.stdout.write(f"  {Role(user.role).label:<16} {user.email}")
        if not opts["skip_referentials"]:
            self.referential_load(Path(opts["rome_dir"]))
        self.stdout.write(self.style.SUCCESS(f"Démo prête en {time.perf_counter() - started:.1f} s."))

    def referential_load(self, directory: Path) -> None:
        """Import ROME 4.0 when its files are at hand and the shared referential is still empty (optional)."""
        try:
            from referentials.models import Occupation

            with schema_context(get_public_schema_name()):
                loaded = Occupation.objects.count()
        except Exception as exc:  # the referentials app is optional for the demo
            self.stdout.write(f"Référentiel ROME non vérifié ({exc.__class__.__name__}) : ignoré.")
            return
        if loaded:
            self.stdout.write(f"Référentiel ROME déjà chargé ({loaded} fiches métier).")
            return
        if not directory.is_dir():
            self.stdout.write(f"Référentiel ROME non chargé : dossier {directory} absent (facultatif).")
            return
        self.stdout.write(f"Import du référentiel ROME depuis {directory}…")
        try:
            call_command("referential_import", "rome", str(directory), stdout=self.stdout)
        except Exception as exc:  # never required for the demo: report and go on
            self.stdout.write(f"Import du référentiel ROME impossible : {exc}. La démo fonctionne sans.")
