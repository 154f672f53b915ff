"""``manage.py referential_import rome DIR | rome-tags FILE.xlsx | esco DIR [--json] [--warm-now | --no-warm]``.

Runs on the public schema (the shared referentials live there), in one transaction. When the
referential changed, the rebuild of the suggestion indexes (``referentials.suggest``, about a
minute for ROME) is queued on the worker, so that the import itself stays well under a minute and
the first suggestion asked for afterwards does not wait for them. ``--warm-now`` builds them in the
command instead; without a reachable broker the summary says how to build them.
"""

import json
import logging

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name, schema_context
from kombu.exceptions import OperationalError

from core.errors import ApplicationError
from core.tasks import enqueue
from esipro.celery import app
from referentials.services import (
    referential_import_esco,
    referential_import_rome,
    referential_import_rome_tags,
)
from referentials.suggest import suggestion_indexes_warm
from referentials.tasks import suggestions_warm

logger = logging.getLogger(__name__)

TABLE_LABELS = {
    "occupations": "fiches métier",
    "titles": "appellations",
    "skills": "compétences et savoirs",
    "occupation_skills": "liens métier-compétence",
    "mobility": "mobilités",
    "esco_occupations": "métiers ESCO",
    "esco_skills": "compétences ESCO",
}
IGNORED_LABELS = {
    "liens_hors_competences": "liens vers des contextes de travail ou codes inconnus (non importés)",
    "appellations_sans_fiche": "appellations dont la fiche ROME est absente",
    "mobilites_sans_fiche": "mobilités dont une fiche ROME est absente",
}


class Command(BaseCommand):
    help = (
        "Importe ou met à jour un référentiel partagé : rome DOSSIER (tables unix_*.csv), "
        "rome-tags FICHIER.xlsx (classeur « Fiches ROME - Tag »), esco DOSSIER (CSV ESCO en français)."
    )

    def add_arguments(self, parser):
        parser.add_argument("referential", choices=["rome", "rome-tags", "esco"])
        parser.add_argument("path", help="Dossier (rome, esco) ou classeur .xlsx (rome-tags).")
        parser.add_argument("--json", action="store_true", help="Affiche le résumé au format JSON.")
        warm = parser.add_mutually_exclusive_group()
        warm.add_argument("--warm-now", action="store_true",
                          help="Reconstruit les index de suggestion dans la commande (environ une minute) "
                               "au lieu de confier leur reconstruction au serveur de tâches.")
        warm.add_argument("--no-warm", action="store_true",
                          help="Ne reconstruit pas les index de suggestion (ils le seront au premier usage).")

    def handle(self, *args, **options):
        referential, path = options["referential"], options["path"]
        importer = {
            "rome": lambda: referential_import_rome(directory=path),
            "rome-tags": lambda: referential_import_rome_tags(path=path),
            "esco": lambda: referential_import_esco(directory=path),
        }[referential]
        try:
            with schema_context(get_public_schema_name()):
                summary = importer()
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        if summary["changed"] and not options["no_warm"]:
            if options["warm_now"]:
                with schema_context(get_public_schema_name()):
                    summary["suggestion_indexes_s"] = suggestion_indexes_warm()
            else:
                summary["suggestion_indexes"] = "queued" if _warm_queued() else "broker_unreachable"
        if options["json"]:
            self.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(render_summary(summary))


def _warm_queued() -> bool:
    """Queue the rebuild of the suggestion indexes on the worker; False when the broker does not answer.

    The connection is checked first: ``enqueue`` publishes on commit, which may be after this command.
    """
    try:
        with app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, interval_start=0, timeout=2)
        enqueue(suggestions_warm, schema_name=get_public_schema_name())
        # Then each organisation's skill similarities, whose ROME/ESCO candidates may have changed.
        from skills_matrix.tasks import similarities_build
        from tenants.models import Organization

        for schema in Organization.objects.exclude(schema_name=get_public_schema_name()).values_list(
            "schema_name", flat=True
        ):
            enqueue(similarities_build, schema_name=schema)
    except (OperationalError, OSError):
        logger.info("Suggestion indexes not queued: the broker cannot be reached", exc_info=True)
        return False
    return True


def render_summary(summary: dict) -> str:
    """Human-readable French summary: one line per table, then ignored rows and the verdict."""
    lines = [f"Import {summary['referential']} {summary['version']} ({summary['seconds']} s)"]
    for table, counts in summary["tables"].items():
        line = (
            f"  {TABLE_LABELS.get(table, table)} : {counts['created']} créé(s), "
            f"{counts['updated']} mis à jour, {counts['unchanged']} inchangé(s)"
        )
        if counts.get("deleted"):
            line += f", {counts['deleted']} supprimé(s)"
        if counts.get("kept_absent"):
            line += f", {counts['kept_absent']} absent(s) des fichiers (conservé(s))"
        if counts.get("unknown_codes"):
            line += f", {counts['unknown_codes']} code(s) ROME inconnu(s) ignoré(s)"
        lines.append(line)
    for reason, count in summary.get("ignored", {}).items():
        lines.append(f"  ignorés : {count} {IGNORED_LABELS.get(reason, reason)}")
    if summary["changed"]:
        lines.append("Référentiel mis à jour.")
        if summary.get("suggestion_indexes_s"):
            built = ", ".join(f"{name} {seconds} s" for name, seconds in summary["suggestion_indexes_s"].items()
                              if seconds is not None)
            lines.append(f"Index de suggestion prêts : {built}.")
        elif summary.get("suggestion_indexes") == "queued":
            lines.append(_("Index de suggestions : reconstruction confiée au serveur de tâches."))
        elif summary.get("suggestion_indexes") == "broker_unreachable":
            lines.append(_(
                "Index de suggestions non reconstruits : le serveur de tâches ne répond pas. "
                "Préparez-les avec « manage.py suggestions_warm » (environ une minute), sinon la première "
                "suggestion demandée attendra leur construction."
            ))
    else:
        lines.append("Aucune modification : le référentiel était déjà à jour.")
    return "\n".join(lines)
