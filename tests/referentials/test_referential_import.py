"""``referential_import``: full counts, idempotence, in-place updates, all-or-nothing, messy files."""

import csv
import json
import os
import shutil
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count
from django_tenants.utils import tenant_context

from core.errors import ApplicationError
from referentials.models import (
    EscoOccupation,
    EscoSkill,
    MobilityEdge,
    Occupation,
    OccupationSkill,
    OccupationTitle,
    ReferentialVersion,
    Skill,
)
from referentials.services import referential_import_rome
from skills_matrix.models import OrgSkill, SkillMapping
from tenants.models import Organization
from tests.conftest import worker_database_url

from .fixtures import ROME_COUNTS, TAGS_SHEET, esco_dir, rome_dir, rome_tags_file, set_tag, tags_copy

pytestmark = pytest.mark.django_db

ROME_FILES = [
    "referentiel_code_rome",
    "referentiel_appellation",
    "referentiel_competence",
    "referentiel_savoir",
    "coherence_item",
    "rubrique_mobilite",
    "texte",
]


def _rome_copy(tmp_path):
    target = tmp_path / "rome"
    target.mkdir()
    for name in ROME_FILES:
        shutil.copy(rome_dir() / f"unix_{name}_v460_utf8.csv", target)
    return target


def _edit(path, old, new, *, count=1):
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= count, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def _drop_line(path, prefix):
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in lines if not line.startswith(prefix)]
    assert len(kept) == len(lines) - 1, prefix
    path.write_text("".join(kept), encoding="utf-8")


ESCO_FILES = [
    "esco_v121api_occupations_fr.csv",
    "esco_v121api_skills_fr.csv",
    "esco_v1_2020_occupations_fr.csv",
    "esco_v1_2020_skills_fr.csv",
]
HOUSEKEEPING = "http://data.europa.eu/esco/skill/00f12ec1-b416-4e3c-8ed7-c4f875c6b681"


def _run(*args) -> str:
    out = StringIO()
    call_command("referential_import", *args, stdout=out)
    return out.getvalue()


def _esco_copy(tmp_path, *, skip=()):
    target = tmp_path / "esco"
    target.mkdir(parents=True)
    for name in ESCO_FILES:
        if name not in skip:
            shutil.copy(esco_dir() / name, target)
    return target


def _edit_csv(path, change):
    """Rewrite ``path`` with ``change(row)`` applied to every row (the header included)."""
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(change(row) or row for row in rows)


def _referential_counts() -> dict:
    return {
        "occupations": Occupation.objects.count(),
        "esco_skills": EscoSkill.objects.count(),
        "esco_occupations": EscoOccupation.objects.count(),
        "green": Occupation.objects.filter(ecological_tag="Emploi Vert").count(),
        "digital": Occupation.objects.filter(digital_tag="Oui").count(),
        "versions": ReferentialVersion.objects.count(),
    }


def test_it_imports_the_full_rome_and_esco_with_the_readme_counts(rome_referential):
    assert Occupation.objects.count() == 1584
    assert OccupationTitle.objects.count() == 13120
    assert OccupationTitle.objects.filter(is_main=True).count() == 1584
    kinds = dict(Skill.objects.values_list("kind").annotate(n=Count("id")))
    assert kinds == {"savoir_faire": 17810, "savoir_etre": 16, "macro": 491, "savoir": 15354}
    roles = dict(OccupationSkill.objects.values_list("role").annotate(n=Count("id")))
    # coherence_item: Principale 18,900 / Émergente 1,731; its 13,663 work-context rows are not skills.
    assert roles == {"core": 18900, "emerging": 1731, "other": 69925}
    assert MobilityEdge.objects.count() == 14912
    assert EscoOccupation.objects.count() == 2740
    assert EscoSkill.objects.count() == 13095
    ecological = dict(Occupation.objects.values_list("ecological_tag").annotate(n=Count("id")))
    assert ecological == {
        "Emploi Blanc": 1194,
        "Emploi stratégique pour la Transition écologique": 261,
        "Emploi Vert": 96,
        "Emploi Brun": 33,
    }
    assert Occupation.objects.filter(digital_tag="Oui").count() == 170
    assert Occupation.objects.filter(executive_tag="Oui").count() == 507


def test_it_stores_an_occupation_with_its_texts_skills_and_mobility(rome_referential):
    occupation = Occupation.objects.get(code="A1102")
    assert occupation.label == "Conducteur / Conductrice d'engins d'exploitation forestière"
    assert occupation.parent_code == "A1101"
    assert occupation.code_ogr == "403950"
    assert occupation.definition.startswith("Réalise des travaux mécanisés de sylviculture")
    assert occupation.ecological_tag == "Emploi stratégique pour la Transition écologique"
    assert "conducteur conductrice d engins d exploitation forestiere" in occupation.search_text
    mobility = list(
        MobilityEdge.objects.filter(source__code="A1101").order_by("order").values_list("target__code", "order")
    )
    assert mobility[0] == ("A1414", 1)
    assert ("A1102", 6) in mobility
    skill = Skill.objects.get(code_ogr="100023")
    assert (skill.label, skill.kind, skill.group_code_ogr, skill.source) == (
        "Abattre un arbre", "savoir_faire", "300230", "rome"
    )
    assert skill.group_label == Skill.objects.get(code_ogr="300230").label
    esco = EscoOccupation.objects.get(uri__endswith="00c8d1cf-24f2-47d1-9f10-765e1c102811")
    assert esco.isco_code == "7233"
    assert "réparateur d'engins agricoles" in esco.alt_labels.split("\n")


def test_it_changes_nothing_on_a_second_import_and_says_so(rome_referential):
    versions = ReferentialVersion.objects.count()
    output = _run("rome", str(rome_dir()))
    assert "Aucune modification : le référentiel était déjà à jour." in output
    assert "fiches métier : 0 créé(s), 0 mis à jour, 1584 inchangé(s)" in output
    assert "appellations : 0 créé(s), 0 mis à jour, 13120 inchangé(s)" in output
    assert "liens métier-compétence : 0 créé(s), 0 mis à jour, 90556 inchangé(s)" in output
    assert "ignorés : 13663 liens vers des contextes de travail" in output

    summary = json.loads(_run("rome-tags", str(rome_tags_file()), "--json"))
    assert summary["changed"] is False
    assert summary["tables"]["occupations"] == {
        "created": 0, "updated": 0, "unchanged": 1584, "deleted": 0, "unknown_codes": 0
    }
    summary = json.loads(_run("esco", str(esco_dir()), "--json"))
    assert summary["version"] == "v1.2.1"
    assert summary["tables"]["esco_skills"]["unchanged"] == 13095
    assert summary["changed"] is False
    assert ReferentialVersion.objects.count() == versions


def test_it_updates_exactly_the_modified_row_in_place(rome_referential, tmp_path):
    directory = _rome_copy(tmp_path)
    title = OccupationTitle.objects.get(code_ogr="10200")
    _edit(
        directory / "unix_referentiel_appellation_v460_utf8.csv",
        '"10200","Abatteur / Abatteuse de carrière"',
        '"10200","Abatteur / Abatteuse de carrières"',
    )
    summary = referential_import_rome(directory=directory)
    assert summary["changed"] is True
    assert summary["tables"]["titles"] == {
        "created": 0, "updated": 1, "unchanged": 13119, "deleted": 0, "kept_absent": 0
    }
    for table in ("occupations", "skills", "occupation_skills", "mobility"):
        counts = summary["tables"][table]
        assert counts["created"] == counts["updated"] == counts["deleted"] == 0, table
    updated = OccupationTitle.objects.get(code_ogr="10200")
    assert updated.pk == title.pk
    assert updated.label == "Abatteur / Abatteuse de carrières"
    assert ReferentialVersion.objects.filter(name="rome").latest().summary["tables"]["titles"]["updated"] == 1


def test_it_updates_links_and_edges_of_a_newer_version(rome_referential, tmp_path):
    directory = _rome_copy(tmp_path)
    occupation_pk = Occupation.objects.get(code="A1101").pk
    _edit(directory / "unix_coherence_item_v460_utf8.csv", '"A1101","100011",""', '"A1101","100011","Principale"')
    _edit(directory / "unix_rubrique_mobilite_v460_utf8.csv", '"A1101","A1102","6"\n', "")
    _edit(
        directory / "unix_referentiel_appellation_v460_utf8.csv",
        '"10200",',
        '"99999","Pilote de drone agricole","Pilote de drone agricole","A1101","Emploi Blanc","","","","",'
        '"SYNONYME","","A1101","N"\n"10200",',
    )
    _drop_line(directory / "unix_referentiel_appellation_v460_utf8.csv", '"10201",')
    summary = referential_import_rome(directory=directory)
    assert summary["tables"]["occupation_skills"]["updated"] == 1
    assert summary["tables"]["mobility"]["deleted"] == 1
    assert summary["tables"]["titles"]["created"] == 1
    assert OccupationSkill.objects.get(occupation__code="A1101", skill__code_ogr="100011").role == "core"
    assert not MobilityEdge.objects.filter(source__code="A1101", target__code="A1102").exists()
    assert OccupationTitle.objects.get(code_ogr="99999").occupation_id == occupation_pk
    # A title gone from the files is kept, since organisations' data may point at it.
    assert summary["tables"]["titles"]["kept_absent"] == 1
    assert OccupationTitle.objects.filter(code_ogr="10201").exists()
    assert Occupation.objects.get(code="A1101").pk == occupation_pk


def test_it_reports_a_missing_column_and_writes_nothing(rome_referential, tmp_path):
    directory = _rome_copy(tmp_path)
    _edit(directory / "unix_referentiel_code_rome_v460_utf8.csv", "Bûcheron / Bûcheronne", "Bûcheron modifié")
    _edit(directory / "unix_rubrique_mobilite_v460_utf8.csv", '"code_rome_cible"', '"cible"')
    versions = ReferentialVersion.objects.count()
    with pytest.raises(CommandError) as error:
        _run("rome", str(directory))
    assert "unix_rubrique_mobilite_v460_utf8.csv" in str(error.value)
    assert "code_rome_cible" in str(error.value)
    assert Occupation.objects.get(code="A1201").label == "Bûcheron / Bûcheronne"
    assert ReferentialVersion.objects.count() == versions


def test_it_reports_a_missing_file(rome_referential, tmp_path):
    directory = _rome_copy(tmp_path)
    (directory / "unix_coherence_item_v460_utf8.csv").unlink()
    with pytest.raises(CommandError, match="liens métier → compétences"):
        _run("rome", str(directory))
    with pytest.raises(CommandError, match="Fichier introuvable"):
        _run("rome-tags", str(tmp_path / "absent.xlsx"))


def test_it_rolls_back_everything_when_the_database_refuses_a_row(rome_referential, tmp_path):
    directory = _rome_copy(tmp_path)
    _edit(directory / "unix_referentiel_code_rome_v460_utf8.csv", "Bûcheron / Bûcheronne", "Bûcheron modifié")
    _edit(
        directory / "unix_referentiel_appellation_v460_utf8.csv",
        '"10200","Abatteur / Abatteuse de carrière"',
        '"10200","' + "Abatteur " * 40 + '"',
    )
    with pytest.raises(ApplicationError, match="Import ROME interrompu, rien n'a été écrit"):
        referential_import_rome(directory=directory)
    assert Occupation.objects.get(code="A1201").label == "Bûcheron / Bûcheronne"
    assert OccupationTitle.objects.get(code_ogr="10200").label == "Abatteur / Abatteuse de carrière"


def test_it_reads_a_cp1252_copy_with_doubled_apostrophes_as_the_same_data(rome_referential, tmp_path):
    directory = _rome_copy(tmp_path)
    path = directory / "unix_referentiel_appellation_v460_utf8.csv"
    text = path.read_text(encoding="utf-8")
    assert "’" in text
    path.write_bytes(text.replace("’", "''").encode("cp1252"))
    summary = referential_import_rome(directory=directory)
    assert summary["changed"] is False
    assert summary["tables"]["titles"]["unchanged"] == 13120


def test_it_imports_the_full_rome_and_leaves_the_indexes_to_the_worker(
    rome_referential, django_capture_on_commit_callbacks
):
    # A first import, as an operator runs it: empty ROME tables (rolled back with the test).
    with connection.cursor() as cursor:
        tables = [m._meta.db_table for m in (MobilityEdge, OccupationSkill, OccupationTitle, Skill, Occupation)]
        cursor.execute(f"TRUNCATE {', '.join(tables)}")
    with django_capture_on_commit_callbacks() as queued:
        summary = json.loads(_run("rome", str(rome_dir()), "--json"))
    assert summary["tables"]["occupations"]["created"] == ROME_COUNTS["occupations"]
    assert summary["tables"]["titles"]["created"] == ROME_COUNTS["titles"]
    assert summary["tables"]["mobility"]["created"] == ROME_COUNTS["mobility"]
    # The rebuild of the suggestion indexes (~50 s) is queued for the worker, not run in the command.
    assert summary["suggestion_indexes"] == "queued"
    assert "suggestion_indexes_s" not in summary
    # The suggestion indexes, then each organisation's skill similarities.
    assert len(queued) == 1 + Organization.objects.exclude(schema_name="public").count()


def test_it_says_the_worker_rebuilds_the_indexes_or_how_to_build_them(
    rome_referential, tmp_path, django_capture_on_commit_callbacks
):
    path = tags_copy(tmp_path, lambda workbook: set_tag(workbook, "A1101", "Transition Ecologique", "Emploi Vert"))
    with django_capture_on_commit_callbacks() as queued:
        output = _run("rome-tags", str(path))
    assert "Index de suggestions : reconstruction confiée au serveur de tâches." in output
    # The suggestion indexes, then each organisation's skill similarities.
    assert len(queued) == 1 + Organization.objects.exclude(schema_name="public").count()

    from esipro.celery import app

    previous = (app.conf.broker_url, app.conf.broker_transport_options)
    app.conf.update(broker_url="redis://127.0.0.1:1/0", broker_transport_options={})  # nothing listens there
    try:
        with django_capture_on_commit_callbacks() as queued:
            output = _run("rome-tags", str(tags_copy(
                tmp_path, lambda workbook: set_tag(workbook, "A1101", "Transition Ecologique", "Emploi Brun")
            )))
    finally:
        app.conf.update(broker_url=previous[0], broker_transport_options=previous[1])
    assert "Référentiel mis à jour." in output
    assert (
        "Index de suggestions non reconstruits : le serveur de tâches ne répond pas. "
        "Préparez-les avec « manage.py suggestions_warm »"
    ) in output
    assert queued == []
    assert Occupation.objects.get(code="A1101").ecological_tag == "Emploi Brun"

    with django_capture_on_commit_callbacks() as queued:
        output = _run("rome-tags", str(rome_tags_file()), "--no-warm")
    assert "Index de suggestions" not in output
    assert queued == []


def test_it_updates_esco_labels_in_place_and_keeps_the_mappings_pointing_at_them(
    rome_referential, alpha, tmp_path
):
    skill = EscoSkill.objects.get(uri=HOUSEKEEPING)
    assert skill.label == "superviser les services ménagers"
    with tenant_context(alpha):
        org_skill = OrgSkill.objects.create(label="Encadrer le ménage", normalized_label="encadrer le menage")
        mapping = SkillMapping.objects.create(org_skill=org_skill, esco_skill=skill, confidence=0.8)
    directory = _esco_copy(tmp_path)

    def change(row):
        if row[0] == HOUSEKEEPING:
            assert row[2] == (
                "superviser les opérations de ménage|superviser les activités de ménage|"
                "superviser des services de ménage"
            )
            return [HOUSEKEEPING, "superviser les services de ménage",
                    "superviser les opérations de ménage|superviser des services de ménage|"
                    "encadrer le personnel de ménage"]

    _edit_csv(directory / "esco_v121api_skills_fr.csv", change)
    summary = json.loads(_run("esco", str(directory), "--json", "--no-warm"))
    assert summary["changed"] is True
    assert summary["tables"]["esco_skills"] == {"created": 0, "updated": 1, "unchanged": 13094, "deleted": 0}
    assert summary["tables"]["esco_occupations"] == {"created": 0, "updated": 0, "unchanged": 2740, "deleted": 0}
    updated = EscoSkill.objects.get(uri=HOUSEKEEPING)
    assert updated.pk == skill.pk
    assert updated.label == "superviser les services de ménage"
    assert updated.alt_labels.split("\n") == [
        "superviser les opérations de ménage", "superviser des services de ménage", "encadrer le personnel de ménage"
    ]
    assert "encadrer le personnel de menage" in updated.search_text
    assert "activites" not in updated.search_text
    with tenant_context(alpha):
        assert SkillMapping.objects.get(pk=mapping.pk).esco_skill.label == "superviser les services de ménage"
    assert ReferentialVersion.objects.filter(name="esco").latest().summary["tables"]["esco_skills"]["updated"] == 1


def test_it_updates_a_transition_tag_in_place(rome_referential, tmp_path):
    occupation = Occupation.objects.get(code="A1201")
    assert occupation.ecological_tag == "Emploi stratégique pour la Transition écologique"
    path = tags_copy(tmp_path, lambda workbook: set_tag(workbook, "A1201", "Transition Ecologique", "Emploi Vert"))
    summary = json.loads(_run("rome-tags", str(path), "--json", "--no-warm"))
    assert summary["changed"] is True
    assert summary["version"] == "ROME 4.0 version 60 - 25M09"
    assert summary["tables"]["occupations"] == {
        "created": 0, "updated": 1, "unchanged": 1583, "deleted": 0, "unknown_codes": 0
    }
    updated = Occupation.objects.get(code="A1201")
    assert updated.pk == occupation.pk
    assert updated.ecological_tag == "Emploi Vert"
    assert updated.label == "Bûcheron / Bûcheronne"
    assert Occupation.objects.filter(ecological_tag="Emploi Vert").count() == 97


def test_it_refuses_an_esco_folder_with_a_missing_file_or_column_and_writes_nothing(rome_referential, tmp_path):
    before = _referential_counts()
    missing_file = _esco_copy(tmp_path / "a", skip=("esco_v121api_skills_fr.csv", "esco_v1_2020_skills_fr.csv"))
    with pytest.raises(CommandError) as error:
        _run("esco", str(missing_file))
    assert str(error.value) == (
        f"Fichier ESCO manquant dans {missing_file} : skills en français "
        "(nom attendu : esco_v121api_skills_fr.csv ou skills_fr.csv)."
    )
    assert error.value.returncode == 1

    missing_column = _esco_copy(tmp_path / "b")
    _edit_csv(
        missing_column / "esco_v121api_occupations_fr.csv",
        lambda row: [row[0], "métier renommé", row[2]] if row[0] != "conceptUri" else None,
    )
    _edit_csv(
        missing_column / "esco_v121api_skills_fr.csv",
        lambda row: [row[0], row[1], row[2]] if row[0] != "conceptUri" else ["conceptUri", "preferredLabel", "autres"],
    )
    with pytest.raises(CommandError) as error:
        _run("esco", str(missing_column))
    assert "esco_v121api_skills_fr.csv" in str(error.value)
    assert "altlabels" in str(error.value).lower()
    assert _referential_counts() == before
    assert not EscoOccupation.objects.filter(label="métier renommé").exists()


def test_it_refuses_a_tags_workbook_without_the_sheet_or_a_column_and_writes_nothing(rome_referential, tmp_path):
    before = _referential_counts()

    def other_sheets_only(workbook):
        del workbook[TAGS_SHEET]
        workbook.create_sheet("Feuil1").append(["Code", "Libellé"])

    with pytest.raises(CommandError) as error:
        _run("rome-tags", str(tags_copy(tmp_path, other_sheets_only)))
    assert str(error.value) == (
        "tags.xlsx : aucune feuille ne contient les colonnes « Code ROME » et « Transition Ecologique ». "
        "Attendu : le classeur « Fiches ROME - Tag » publié par France Travail."
    )

    def without_digital(workbook):
        set_tag(workbook, "A1201", "Transition Ecologique", "Emploi Vert")
        sheet = workbook[TAGS_SHEET]
        sheet.delete_cols([c.value for c in sheet[1]].index("Transition Numérique") + 1)

    with pytest.raises(CommandError) as error:
        _run("rome-tags", str(tags_copy(tmp_path, without_digital)))
    assert str(error.value) == (
        "tags.xlsx, feuille « FCH - Code ROME » : colonne(s) manquante(s) « Transition Numérique ». "
        "Attendu : le classeur « Fiches ROME - Tag » de France Travail, avec ses colonnes d'origine."
    )
    assert error.value.returncode == 1
    assert _referential_counts() == before
    assert Occupation.objects.get(code="A1201").ecological_tag == "Emploi stratégique pour la Transition écologique"


def test_the_command_exits_non_zero_with_the_french_message(rome_referential, tmp_path):
    directory = _esco_copy(tmp_path, skip=("esco_v121api_occupations_fr.csv", "esco_v1_2020_occupations_fr.csv"))
    env = dict(os.environ, DATABASE_URL=worker_database_url())
    result = subprocess.run(
        [sys.executable, "manage.py", "referential_import", "esco", str(directory)],
        cwd=Path(settings.BASE_DIR), env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 1
    assert f"Fichier ESCO manquant dans {directory} : occupations en français" in result.stderr
    assert result.stdout == ""
