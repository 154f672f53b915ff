"""``manage.py gepp_report``: the pack written to a file; unknown organisation or scenario → one French sentence
and exit code 2."""

import io
import zipfile

import openpyxl
import pytest
from django.core.management import CommandError, call_command


def run(*args) -> str:
    out = io.StringIO()
    call_command("gepp_report", *args, stdout=out)
    return out.getvalue()


def test_it_writes_the_pack_workbook(workshop, tmp_path):
    target = tmp_path / "pack.xlsx"
    message = run("--tenant", "alpha", "--scenario", "fil de l'eau", "-o", str(target))
    assert message.startswith(f"Pack GEPP écrit : {target} (xlsx, ")
    book = openpyxl.load_workbook(target)
    assert book.sheetnames[:2] == ["Hypothèses", "Effectifs"]
    assert book["Effectifs"]["C2"].value == 10
    with zipfile.ZipFile(target) as archive:
        assert any(n.startswith("xl/charts/chart") for n in archive.namelist())


def test_it_writes_the_printable_page_and_the_pdf(workshop, tmp_path):
    run("--tenant", "alpha", "--scenario", "Fil de l'eau", "-o", str(tmp_path / "pack.html"))
    html = (tmp_path / "pack.html").read_text(encoding="utf-8")
    assert "<style>" in html and "Pyramide des âges" in html
    run("--tenant", "alpha", "--scenario", "Fil de l'eau", "--format", "pdf", "-o", str(tmp_path / "pack.bin"))
    assert (tmp_path / "pack.bin").read_bytes().startswith(b"%PDF")


def test_it_stops_with_code_2_on_an_unknown_organisation(db, tmp_path):
    with pytest.raises(CommandError) as error:
        run("--tenant", "inconnue", "--scenario", "X", "-o", str(tmp_path / "p.xlsx"))
    assert error.value.returncode == 2
    assert str(error.value) == "Organisation « inconnue » introuvable : vérifiez l'option --tenant."
    assert not (tmp_path / "p.xlsx").exists()


def test_it_stops_with_code_2_on_an_unknown_scenario_and_lists_the_known_ones(workshop, tmp_path):
    with pytest.raises(CommandError) as error:
        run("--tenant", "alpha", "--scenario", "Transition", "-o", str(tmp_path / "p.xlsx"))
    assert error.value.returncode == 2
    assert str(error.value) == ("Scénario « Transition » introuvable dans « Alpha Industrie » : choisissez parmi "
                                "« Fil de l'eau ».")
    assert not (tmp_path / "p.xlsx").exists()


def test_it_exits_with_code_2_from_the_shell(db, tmp_path):
    import os
    import subprocess
    import sys

    from django.conf import settings

    from tests.conftest import worker_database_url

    env = dict(os.environ, DATABASE_URL=worker_database_url())
    done = subprocess.run([sys.executable, str(settings.BASE_DIR / "manage.py"), "gepp_report", "--tenant", "inconnue",
                           "--scenario", "X", "-o", str(tmp_path / "p.xlsx")], env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 2
    assert done.stderr.strip() == "CommandError: Organisation « inconnue » introuvable : vérifiez l'option --tenant."
