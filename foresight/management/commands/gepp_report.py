"""``manage.py gepp_report --tenant SLUG --scenario NAME -o FILE.xlsx [--format xlsx|html|pdf]``: the GEPP
negotiation pack of one scenario, written to a file. Unknown organisation or scenario: one French sentence and
exit code 2."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import get_tenant_model, tenant_context

FORMATS = ("xlsx", "html", "pdf")


class Command(BaseCommand):
    help = ("Produit le pack de négociation GEPP d'un scénario : classeur Excel (graphiques natifs, une feuille "
            "par thème, hypothèses), page imprimable (html) ou PDF.")

    def add_arguments(self, parser):
        parser.add_argument("--tenant", required=True, help="identifiant (slug) de l'organisation")
        parser.add_argument("--scenario", required=True, help="nom du scénario (ou son numéro)")
        parser.add_argument("-o", "--output", required=True, help="fichier à écrire")
        parser.add_argument("--format", choices=FORMATS, default=None,
                            help="xlsx, html ou pdf (par défaut : d'après l'extension du fichier, sinon xlsx)")
        parser.add_argument("--avec-noms", action="store_true", dest="with_names",
                            help="nommer les détenteurs des compétences à risque (diffusion RH seulement)")

    def handle(self, *args, tenant, scenario, output, format=None, with_names=False, **options):
        from foresight.models import Scenario
        from foresight.pack import pack_bytes, pack_data

        fmt = format or (Path(output).suffix.lower().lstrip(".") if Path(output).suffix.lower().lstrip(".") in FORMATS
                         else "xlsx")
        organization = get_tenant_model().objects.filter(slug=tenant).first()
        if organization is None:
            raise CommandError(f"Organisation « {tenant} » introuvable : vérifiez l'option --tenant.", returncode=2)
        with tenant_context(organization):
            found = Scenario.objects.filter(name__iexact=scenario.strip()).first()
            if found is None and scenario.strip().isdigit():
                found = Scenario.objects.filter(pk=int(scenario)).first()
            if found is None:
                names = ", ".join(f"« {n} »" for n in Scenario.objects.values_list("name", flat=True)[:10])
                raise CommandError(
                    f"Scénario « {scenario} » introuvable dans « {organization.name} » : "
                    + (f"choisissez parmi {names}." if names else "créez d'abord un scénario."), returncode=2)
            data = pack_data(scenario=found, organisation=organization.name, with_names=with_names)
            content = pack_bytes(data, fmt)
        try:
            Path(output).write_bytes(content)
        except OSError as exc:
            raise CommandError(f"Impossible d'écrire « {output} » ({exc.strerror}).", returncode=2) from exc
        self.stdout.write(f"Pack GEPP écrit : {output} ({fmt}, {len(content)} octets).")
