from django.core.management.base import CommandError

from booklet.audit import Actor
from booklet.services import person_erase

from ._booklet_command import BookletCommand


class Command(BookletCommand):
    help = ("RGPD : efface les données personnelles d'une personne partout dans l'organisation ; les comptages et "
            "statistiques restent justes. Définitif.")

    def add_arguments(self, parser):
        self.add_person_arguments(parser)
        parser.add_argument("--yes", action="store_true", help="confirmer l'effacement (définitif)")

    def handle(self, *args, **options):
        if not options["yes"]:
            raise CommandError("L'effacement est définitif : relancez avec --yes pour confirmer.")
        with self.in_organisation(options["tenant"]):
            employee = self.employee(options["staff_number"])
            done = person_erase(actor=Actor.system(), employee=employee)
        self.stdout.write(f"Données effacées : {done['experiences']} expérience(s), {done['evidence']} preuve(s), "
                          f"{done['files']} fichier(s), {done['endorsements']} confirmation(s).")
