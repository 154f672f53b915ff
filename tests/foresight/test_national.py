"""``manage.py foresight_import`` on the real DARES files, and what it tells about a job."""

import shutil
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django_tenants.utils import schema_context

from foresight.national import jobs_national
from referentials.models import FapProjection, FapRome, FapTension, Occupation

DATA = settings.ESIPRO_SHARED_DATA


def run(directory) -> str:
    out = StringIO()
    call_command("foresight_import", str(directory), stdout=out)
    return out.getvalue()


def test_it_imports_the_dares_files_once_whatever_the_number_of_runs(db):
    first = run(DATA)
    assert "263 familles professionnelles" in first
    again = run(DATA)
    assert again == first
    with schema_context("public"):
        assert FapTension.objects.count() == 263
        assert FapProjection.objects.count() == 1049
        welders = FapTension.objects.get(fap_code="D2Z40")
        assert welders.category in {1, 2, 3, 4, 5} and welders.label
        assert FapRome.objects.filter(rome_code="H2913").exists()


def test_it_changes_nothing_when_a_file_is_missing(db, tmp_path):
    run(DATA)
    shutil.copytree(DATA / "dares", tmp_path / "dares")
    (tmp_path / "dares" / "fap225_rome.csv").unlink()
    with pytest.raises(CommandError, match="fap225_rome.csv"):
        run(tmp_path)
    with schema_context("public"):
        assert FapTension.objects.count() == 263


def test_it_tells_the_tension_of_a_job_through_its_rome_code(db):
    run(DATA)
    with schema_context("public"):
        Occupation.objects.update_or_create(code="H2913", defaults={"label": "Soudage manuel", "parent_code": "H2913",
                                                                     "ecological_tag": "Emploi vert"})
        national = jobs_national({"H2913"})["H2913"]
    assert national.fap_code.startswith("D")
    assert national.tension_category in {1, 2, 3, 4, 5}
    assert national.ecological == "Emploi vert"
    assert national.openings_pct is not None and national.openings_pct > 0
