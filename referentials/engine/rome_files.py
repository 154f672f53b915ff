"""Minimal reader of the ROME 4.0 ``unix_*_v460_utf8.csv`` exports, for tests and benchmarks.

The application reads the referential from the database (``referentials.suggest``); this
reader exists so the engine can be exercised and measured without one. Pure, no Django.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np


def _rows(folder: Path, table: str) -> list[dict[str, str]]:
    path = Path(folder) / f"unix_{table}_v460_utf8.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@dataclass(frozen=True)
class RomeTables:
    """What the mapping engine needs from ROME 4.0.

    ``title_labels[i]`` is an appellation (long label) of occupation ``title_codes[i]``;
    ``occupation_labels``, ``occupation_definitions`` and ``occupation_core_skills`` are keyed
    by ROME code; ``skill_labels[j]`` names skill ``skill_codes[j]`` (code OGR).
    ``occupation_parents`` maps a ROME code to its ROME v3 parent (``code_rome_parent``), and
    ``occupation_vocabulary`` to everything ROME says of it: definition, access, and the labels of
    all its linked skills and knowledge (as the application stores them).
    """

    title_labels: list[str]
    title_codes: np.ndarray
    occupation_labels: dict[str, str]
    occupation_definitions: dict[str, str]
    occupation_core_skills: dict[str, str]
    skill_labels: list[str]
    skill_codes: np.ndarray
    occupation_parents: dict[str, str]
    occupation_vocabulary: dict[str, str]


def load_rome_tables(folder: Path | str) -> RomeTables:
    """Read appellations, occupations, definitions and skills from a ROME CSV folder."""
    folder = Path(folder)
    titles = _rows(folder, "referentiel_appellation")
    occupations = _rows(folder, "referentiel_code_rome")

    definitions: dict[str, list[str]] = defaultdict(list)
    vocabulary: dict[str, list[str]] = defaultdict(list)
    for row in sorted(_rows(folder, "texte"), key=lambda r: (r["code_rome"], int(r["position_phrase"] or 0))):
        if row["libelle_type_texte"] == "definition":
            definitions[row["code_rome"]].append(row["libelle_texte"])
        vocabulary[row["code_rome"]].append(row["libelle_texte"])

    item_labels = {row["code_ogr"]: row["libelle"] for row in _rows(folder, "item")}
    all_skills = _rows(folder, "referentiel_competence")
    savoirs = _rows(folder, "referentiel_savoir")
    skill_labels = {row["code_ogr"]: row["libelle_competence"] for row in all_skills}
    skill_labels.update({row["code_ogr_savoir"]: row["libelle_savoir"] for row in savoirs})
    core: dict[str, list[str]] = defaultdict(list)
    for row in _rows(folder, "coherence_item"):
        if row["coeur_metier"] == "Principale" and row["code_ogr"] in item_labels:
            core[row["code_rome"]].append(item_labels[row["code_ogr"]])
        if row["code_ogr"] in skill_labels:
            vocabulary[row["code_rome"]].append(skill_labels[row["code_ogr"]])

    skills = [row for row in all_skills if row["nature"] == "Compétence"]
    return RomeTables(
        title_labels=[row["libelle_appellation_long"] for row in titles],
        title_codes=np.array([row["code_rome"] for row in titles]),
        occupation_labels={row["code_rome"]: row["libelle_rome"] for row in occupations},
        occupation_definitions={code: " ".join(parts) for code, parts in definitions.items()},
        occupation_core_skills={code: " ; ".join(parts) for code, parts in core.items()},
        skill_labels=[row["libelle_competence"] for row in skills]
        + [row["libelle_savoir"] for row in savoirs],
        skill_codes=np.array(
            [row["code_ogr"] for row in skills] + [row["code_ogr_savoir"] for row in savoirs]
        ),
        occupation_parents={row["code_rome"]: row["code_rome_parent"] for row in occupations},
        occupation_vocabulary={code: " ; ".join(parts) for code, parts in vocabulary.items()},
    )
