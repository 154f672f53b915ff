"""Readers of the official ROME / ESCO files, without a database."""

import shutil
from pathlib import Path

import pytest

from referentials.readers import (
    ReferentialFileError,
    normalize_search,
    normalize_text,
    read_esco,
    read_rome,
    read_rome_tags,
)
from referentials.readers.common import read_csv
from referentials.readers.esco import split_alt_labels

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
ROME_DIR = DATA / "rome4"
ESCO_DIR = DATA / "esco"
TAGS = ROME_DIR / "Fiches ROME -Tag - sept 2025.xlsx"
ROME_TABLES = [
    "referentiel_code_rome",
    "referentiel_appellation",
    "referentiel_competence",
    "referentiel_savoir",
    "coherence_item",
    "rubrique_mobilite",
    "texte",
]


@pytest.fixture(scope="module")
def rome():
    return read_rome(ROME_DIR)


def _tiny_rome(directory: Path) -> Path:
    """A two-occupation ROME export written in ``directory``, with the messy details of real files."""
    directory.mkdir(parents=True, exist_ok=True)
    files = {
        "referentiel_code_rome": (
            '"code_rome","code_fiche_metier","code_ogr","libelle_rome","transition_eco","transition_num",'
            '"transition_demo","emploi_reglemente","emploi_cadre","code_rome_parent"\n'
            '"A1101","11","6","Conducteur / Conductrice d’engins agricoles","Emploi Blanc","O","","N","","A1101"\n'
            '"D1402","1","42","Relation commerciale grands comptes","Emploi Blanc","","","","O","D1402"\n'
        ),
        "referentiel_appellation": (
            "code_ogr,libelle_appellation_long,libelle_appellation_court,code_rome,classification\n"
            "10,Chauffeur / Chauffeuse de machines agricoles,Chauffeur de machines agricoles,A1101,SYNONYME\n"
            "11,Conducteur / Conductrice d''engins agricoles,Conducteur d'engins,A1101,PRINCIPALE\n"
            "12,Attaché commercial grands comptes,Attaché commercial,D1402,PRINCIPALE\n"
            "13,Appellation orpheline,Orpheline,Z9999,SYNONYME\n"
        ),
        "referentiel_competence": (
            "code_ogr,nature,libelle_competence,definition,code_ogr_macro_comp,code_macro_comp,cat_comp,sous_cat_comp\n"
            "300,Macro-compétence,Conduire un engin,,,4A1,Savoir-faire,Technique\n"
            "301,Compétence,Conduire un tracteur,,300,,Savoir-faire,Technique\n"
            "302,Macro-compétence,Faire preuve d’autonomie,,,4B1,Savoir-être professionnel,\n"
        ),
        "referentiel_savoir": (
            "code_ogr_savoir,libelle_savoir,categorie_savoir,sous_categorie_savoir\n"
            "400,Mécanique agricole,Domaines d'expertise,Agriculture\n"
        ),
        "coherence_item": (
            "code_rome,code_ogr,coeur_metier\n"
            "A1101,301,Principale\nA1101,400,Émergente\nA1101,302,\nA1101,999,\nD1402,302,\n"
        ),
        # An extra empty column, a blank line and a short row, as spreadsheet exports leave them.
        "rubrique_mobilite": "code_rome,code_rome_cible,numero_ordre,\nA1101,D1402,1,\n,,,\nD1402,Z9999\n",
        "texte": (
            "code_rome,code_compo_bloc,libelle_type_texte,position_phrase,libelle_texte\n"
            "A1101,3,definition,2,Entretient les engins.\n"
            "A1101,3,definition,1,Réalise des travaux d''agriculture.\n"
            "A1101,4,acces_metier,1,Sans diplôme.\n"
        ),
    }
    for name, text in files.items():
        (directory / f"unix_{name}_v470_utf8.csv").write_text(text, encoding="utf-8")
    return directory


def test_it_reads_the_full_rome_with_the_readme_counts(rome):
    assert rome.version == "v460"
    assert len(rome.occupations) == 1584
    assert len(rome.titles) == 13120
    kinds = {}
    for skill in rome.skills:
        kinds[skill[2]] = kinds.get(skill[2], 0) + 1
    assert kinds == {"savoir_faire": 17810, "savoir_etre": 16, "macro": 491, "savoir": 15354}
    roles = {}
    for link in rome.occupation_skills:
        roles[link[2]] = roles.get(link[2], 0) + 1
    assert roles == {"core": 18900, "emerging": 1731, "other": 69925}
    # The 13,663 coherence rows that point at work contexts are not skills.
    assert rome.ignored == {"liens_hors_competences": 13663}
    assert len(rome.mobility) == 14912


def test_it_assembles_texts_and_tags_of_an_occupation(rome):
    occupation = next(o for o in rome.occupations if o[0] == "A1102")
    assert occupation[1] == "Conducteur / Conductrice d'engins d'exploitation forestière"
    assert occupation[2] == "A1101"
    assert occupation[3].startswith("Réalise des travaux mécanisés de sylviculture et d'exploitation forestière.\n")
    assert "''" not in occupation[3]
    assert occupation[5] == "Emploi stratégique pour la Transition écologique"
    assert occupation[11] == "A11"


def test_it_canonicalises_apostrophes_and_spaces():
    assert normalize_text("  d’engins  ") == "d'engins"
    assert normalize_text("d''engins") == "d'engins"
    assert normalize_text("a\u00a0 b") == "a b"
    assert normalize_search("Conducteur / Conductrice d’ENGINS Œuvre") == "conducteur conductrice d engins oeuvre"


def test_it_reads_a_small_export_with_typographic_and_doubled_apostrophes(tmp_path):
    data = read_rome(_tiny_rome(tmp_path / "rome"))
    assert data.version == "v470"
    occupations = {o[0]: o for o in data.occupations}
    assert occupations["A1101"][1] == "Conducteur / Conductrice d'engins agricoles"
    assert occupations["A1101"][3] == "Réalise des travaux d'agriculture.\nEntretient les engins."
    assert occupations["A1101"][4] == "Sans diplôme."
    assert occupations["A1101"][6] == "Oui"  # transition numérique "O"
    assert occupations["D1402"][9] == "Oui"  # emploi cadre
    titles = {t[0]: t for t in data.titles}
    assert titles["11"][1] == "Conducteur / Conductrice d'engins agricoles"
    assert titles["11"][4] is True
    assert "13" not in titles
    skills = {s[0]: s for s in data.skills}
    assert skills["301"][2:5] == ("savoir_faire", "300", "Conduire un engin")
    assert skills["300"][2] == "macro"
    assert skills["302"][2] == "savoir_etre"
    assert skills["400"][2] == "savoir"
    assert sorted(data.occupation_skills) == [
        ("A1101", "301", "core"),
        ("A1101", "302", "other"),
        ("A1101", "400", "emerging"),
        ("D1402", "302", "other"),
    ]
    assert data.mobility == [("A1101", "D1402", 1)]
    assert data.ignored == {"liens_hors_competences": 1, "appellations_sans_fiche": 1, "mobilites_sans_fiche": 1}


def test_it_reads_a_cp1252_file_named_utf8_with_a_bom_or_semicolons(tmp_path):
    path = tmp_path / "unix_referentiel_savoir_v460_utf8.csv"
    path.write_bytes("code_ogr_savoir;libelle_savoir\n1;Sécurité d’un chantier\n".encode("cp1252"))
    assert read_csv(path, ("code_ogr_savoir", "libelle_savoir"), description="savoirs") == [
        {"code_ogr_savoir": "1", "libelle_savoir": "Sécurité d'un chantier"}
    ]
    path.write_bytes(b"\xef\xbb\xbf" + '"code_ogr_savoir","libelle_savoir"\n"2","Hygiène"\n'.encode())
    rows = read_csv(path, ("code_ogr_savoir",), description="savoirs", optional=("libelle_savoir", "absente"))
    assert rows == [{"code_ogr_savoir": "2", "libelle_savoir": "Hygiène", "absente": ""}]


def test_it_gives_identical_rows_for_copies_that_differ_only_in_apostrophes(tmp_path):
    typographic = _tiny_rome(tmp_path / "a")
    straight = tmp_path / "b"
    shutil.copytree(typographic, straight)
    for path in straight.iterdir():
        path.write_text(path.read_text(encoding="utf-8").replace("’", "''"), encoding="utf-8")
    assert read_rome(typographic) == read_rome(straight)


def test_it_names_the_missing_file(tmp_path):
    directory = _tiny_rome(tmp_path / "rome")
    (directory / "unix_referentiel_appellation_v470_utf8.csv").unlink()
    with pytest.raises(ReferentialFileError, match="unix_referentiel_appellation_v"):
        read_rome(directory)


def test_it_names_the_missing_column(tmp_path):
    directory = _tiny_rome(tmp_path / "rome")
    path = directory / "unix_rubrique_mobilite_v470_utf8.csv"
    path.write_text("code_rome,cible,numero_ordre\nA1101,D1402,1\n", encoding="utf-8")
    with pytest.raises(ReferentialFileError) as error:
        read_rome(directory)
    assert "unix_rubrique_mobilite_v470_utf8.csv" in str(error.value)
    assert "code_rome_cible" in str(error.value)


def test_it_refuses_an_invalid_rome_code(tmp_path):
    directory = _tiny_rome(tmp_path / "rome")
    path = directory / "unix_referentiel_code_rome_v470_utf8.csv"
    path.write_text(path.read_text(encoding="utf-8").replace('"D1402","1"', '"D14","1"'), encoding="utf-8")
    with pytest.raises(ReferentialFileError, match="code ROME invalide 'D14'"):
        read_rome(directory)


def test_it_reads_the_transition_tags_workbook():
    tags = read_rome_tags(TAGS)
    assert tags.version == "ROME 4.0 version 60 - 25M09"
    assert len(tags.rows) == 1584
    by_code = {row[0]: row for row in tags.rows}
    assert by_code["A1201"] == ("A1201", "Emploi stratégique pour la Transition écologique", "Non", "Non", "Non", "Non")
    ecological = {}
    for row in tags.rows:
        ecological[row[1]] = ecological.get(row[1], 0) + 1
    assert ecological == {
        "Emploi Blanc": 1194,
        "Emploi stratégique pour la Transition écologique": 261,
        "Emploi Vert": 96,
        "Emploi Brun": 33,
    }


def test_it_refuses_a_workbook_that_is_not_one(tmp_path):
    path = tmp_path / "tags.xlsx"
    path.write_text("pas un classeur", encoding="utf-8")
    with pytest.raises(ReferentialFileError, match="tags.xlsx n'est pas un classeur Excel lisible"):
        read_rome_tags(path)
    with pytest.raises(ReferentialFileError, match="Fichier introuvable"):
        read_rome_tags(tmp_path / "absent.xlsx")


def test_it_reads_esco_v121_enriched_by_the_v1_columns():
    esco = read_esco(ESCO_DIR)
    assert esco.version == "v1.2.1"
    assert len(esco.occupations) == 2740
    assert len(esco.skills) == 13095
    occupation = next(o for o in esco.occupations if o[0].endswith("00c8d1cf-24f2-47d1-9f10-765e1c102811"))
    assert occupation[1] == "technicien d'engins agricoles/technicienne d'engins agricoles"
    assert occupation[2].split("\n")[:2] == ["technicien d'engins agricoles", "réparateur d'engins agricoles"]
    assert occupation[3] == "7233"
    assert sum(1 for s in esco.skills if s[3]) > 13000


def test_it_falls_back_to_the_esco_v1_files(tmp_path):
    for name in ("occupations", "skills"):
        shutil.copy(ESCO_DIR / f"esco_v1_2020_{name}_fr.csv", tmp_path / f"{name}_fr.csv")
    esco = read_esco(tmp_path)
    assert esco.version == "v1.0 (2020)"
    assert len(esco.occupations) == 2942
    assert len(esco.skills) == 13485
    occupation = next(o for o in esco.occupations if o[0].endswith("00030d09-2b3a-4efd-87cc-c4ea39d27c34"))
    assert occupation[1] == "directeur technique/directrice technique"
    assert "régisseuse" in occupation[2].split("\n")


def test_it_splits_esco_alt_labels_on_pipes_and_new_lines():
    assert split_alt_labels("a|b\nc| a |") == ["a", "b", "c"]
    assert split_alt_labels("") == []


def test_it_says_which_esco_file_is_missing(tmp_path):
    shutil.copy(ESCO_DIR / "esco_v121api_occupations_fr.csv", tmp_path)
    with pytest.raises(ReferentialFileError, match="skills en français"):
        read_esco(tmp_path)
