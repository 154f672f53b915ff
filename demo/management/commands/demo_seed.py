import os
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import get_public_schema_name, schema_context, tenant_context

from accounts.models import Role
from accounts.services import password_check
from core.errors import ApplicationError
from demo.data import DEMO_PASSWORD, PROFILES, demo_build
from demo.seed import demo_counts, demo_extend, demo_populate, demo_users_ensure
from tenants.models import Organization
from tenants.services import organization_create

# What `demo_seed` without --slug creates: the company `make run` prints, and an ESAT.
DEFAULT_DEMOS = [("demo", "company"), ("esat-demo", "esat")]


class Command(BaseCommand):
    help = (
        "Crée les organisations de démonstration si elles n'existent pas : « Démo Industrie » (demo, 150 "
        "salariés) et « ESAT Démo » (esat-demo), avec emplois, compétences, niveaux et quatre comptes "
        "chacune ; une organisation déjà remplie n'est pas modifiée. --slug n'en crée qu'une."
    )

    def add_arguments(self, parser):
        parser.add_argument("--slug", help="identifiant d'une seule organisation à créer (défaut : demo et esat-demo)")
        parser.add_argument("--kind", choices=sorted(PROFILES), default="company",
                            help="avec --slug : entreprise (company, défaut) ou ESAT (esat)")
        parser.add_argument("--name", help="avec --slug : nom de l'organisation")
        parser.add_argument("--password", default=os.environ.get("ESIPRO_DEMO_PASSWORD", DEMO_PASSWORD),
                            help="mot de passe des comptes de démonstration")
        parser.add_argument("--seed", type=int, default=2030, help="graine du générateur (données identiques)")
        parser.add_argument("--rome-dir", default=str(settings.ESIPRO_SHARED_DATA / "rome4"),
                            help="dossier ROME 4.0 importé s'il existe et si le référentiel est vide")
        parser.add_argument("--skip-referentials", action="store_true", help="ne pas importer le référentiel ROME")

    def handle(self, *args, **opts):
        started = time.perf_counter()
        try:
            password_check(opts["password"])
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        demos = [(opts["slug"], opts["kind"])] if opts["slug"] else DEFAULT_DEMOS
        for slug, kind in demos:
            self.seed(slug=slug, kind=kind, name=opts["name"] if opts["slug"] else None,
                      password=opts["password"], seed=opts["seed"])
        if not opts["skip_referentials"]:
            self.referential_load(Path(opts["rome_dir"]))
        self.stdout.write(self.style.SUCCESS(f"Démo prête en {time.perf_counter() - started:.1f} s."))

    def seed(self, *, slug: str, kind: str, name: str | None, password: str, seed: int) -> None:
        profile = PROFILES[kind]
        organization = Organization.objects.filter(slug=slug).first()
        if organization is None:
            try:
                organization = organization_create(slug=slug, name=name or profile.name, kind=profile.kind)
            except ApplicationError as exc:
                raise CommandError(exc.message) from exc
            self.stdout.write(f"Organisation « {organization.name} » créée ({slug}).")
        else:
            self.stdout.write(f"Organisation « {organization.name} » déjà présente ({slug}) : réutilisée.")

        demo = demo_build(profile, seed=seed, slug=slug)
        with tenant_context(organization):
            filled = demo_populate(demo=demo)
            users = demo_users_ensure(demo=demo, password=password)
            if filled:
                demo_extend(demo=demo)
            counts = demo_counts()
        state = "créées" if filled else "déjà en place, inchangées"
        self.stdout.write(
            f"  Données {state} : {counts['employees']} salariés ({counts['active_employees']} présents), "
            f"{counts['units']} unités, {counts['jobs']} emplois, {counts['skills']} compétences, "
            f"{counts['requirements']} exigences d'emploi, {counts['employee_skills']} niveaux évalués."
        )
        self.stdout.write(f"  Comptes (mot de passe « {password} ») : " + ", ".join(
            f"{user.email} ({Role(user.role).label})" for user in users
        ))

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
            call_command("referential_import", "rome", str(directory), "--no-warm", stdout=self.stdout)
        except Exception as exc:  # never required for the demo: report and go on
            self.stdout.write(f"Import du référentiel ROME impossible : {exc}. La démo fonctionne sans.")
            return
        # The suggestion indexes (about a minute) are built by the worker, not before the demo starts.
        from core.tasks import enqueue
        from referentials.tasks import suggestions_warm

        queued = []
        enqueue(suggestions_warm, schema_name=get_public_schema_name(), on_error=lambda: queued.append(False))
        if queued:
            self.stdout.write("Index de suggestion non préparés : le serveur de tâches ne répond pas ; la première "
                              "suggestion les construira (environ une minute).")
        else:
            self.stdout.write("Index de suggestion en préparation par le worker (environ une minute).")
