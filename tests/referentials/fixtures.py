"""Session fixture: the real ROME 4.0 (+ transition tags) and ESCO, imported once into the public schema.

Loaded for the whole suite through ``tests/plugins.py``; request ``rome_referential`` from any test
(it returns the three import summaries). The rows are committed in the test database, so they stay
for every later test of the session (tests roll back only their own changes). With ``--reuse-db`` a
database that already holds the full referentials is not re-imported; pass ``--create-db`` after
changing the referential models or readers.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django_tenants.utils import get_public_schema_name, schema_context

TAGS_SHEET = "FCH - Code ROME"
ROME_COUNTS = {"occupations": 1584, "titles": 13120, "mobility": 14912}
ESCO_SKILLS = 13095


def shared_data() -> Path:
    return Path(settings.ESIPRO_SHARED_DATA)


def rome_dir() -> Path:
    return shared_data() / "rome4"


def rome_tags_file() -> Path:
    return rome_dir() / "Fiches ROME -Tag - sept 2025.xlsx"


def esco_dir() -> Path:
    return shared_data() / "esco"


def tags_copy(tmp_path: Path, change) -> Path:
    """A copy of the tags workbook, saved by openpyxl after ``change(workbook)``."""
    import openpyxl

    workbook = openpyxl.load_workbook(rome_tags_file())
    change(workbook)
    path = tmp_path / "tags.xlsx"
    workbook.save(path)
    return path


def set_tag(workbook, code: str, column: str, value: str) -> None:
    """In a workbook opened by ``tags_copy``, set ``column`` (a header) of occupation ``code``."""
    sheet = workbook[TAGS_SHEET]
    header = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[header.index("Code ROME")].value == code:
            row[header.index(column)].value = value
            return
    raise AssertionError(f"{code} absent du classeur")


def _already_imported() -> bool:
    """True when a reused test database (``--reuse-db``) already holds the full referentials."""
    from referentials.models import EscoSkill, MobilityEdge, Occupation, OccupationTitle

    return (
        Occupation.objects.count() == ROME_COUNTS["occupations"]
        and OccupationTitle.objects.count() == ROME_COUNTS["titles"]
        and MobilityEdge.objects.count() == ROME_COUNTS["mobility"]
        and EscoSkill.objects.count() == ESCO_SKILLS
    )


@pytest.fixture(scope="session")
def rome_referential(django_db_setup, django_db_blocker):
    """Summaries of the three imports, or ``{}`` when a reused database already had them all."""
    from referentials.services import (
        referential_import_esco,
        referential_import_rome,
        referential_import_rome_tags,
    )

    with django_db_blocker.unblock(), schema_context(get_public_schema_name()):
        if _already_imported():
            return {}
        return {
            "rome": referential_import_rome(directory=rome_dir()),
            "rome-tags": referential_import_rome_tags(path=rome_tags_file()),
            "esco": referential_import_esco(directory=esco_dir()),
        }
