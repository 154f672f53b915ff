"""Reader for the ROME 4.0 ``unix_*_v<NNN>_utf8.csv`` tables published by France Travail.

Joins (checked on v460): ``referentiel_code_rome`` lists the occupations,
``referentiel_appellation`` their titles, ``referentiel_competence`` (compétences
and macro-compétences) and ``referentiel_savoir`` the skills, ``coherence_item``
links occupations to skills (``coeur_metier`` Principale / Émergente / empty) and
also to work contexts, which are not skills and are left out, ``rubrique_mobilite``
gives the mobility edges and ``texte`` the definition and access sentences.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

from .common import ReferentialFileError, find_file, normalize_search, read_csv

CORE, EMERGING, OTHER = "core", "emerging", "other"
_ROLES = {"principale": CORE, "emergente": EMERGING, "": OTHER}
_ROLES_AS_PUBLISHED = {"Principale": CORE, "Émergente": EMERGING, "": OTHER}
_YES_NO = {"o": "Oui", "oui": "Oui", "n": "Non", "non": "Non", "": ""}
_ROME_CODE = re.compile(r"^[A-Z]\d{4}$")


@dataclass(frozen=True)
class RomeData:
    """Rows ready for staging, one tuple per row, deduplicated on natural keys.

    - ``occupations``: (code, label, parent_code, definition, access, ecological_tag,
      digital_tag, demographic_tag, regulated_tag, executive_tag, code_ogr,
      domain_code, search_text)
    - ``titles``: (code_ogr, label, label_short, occupation_code, is_main, search_text)
    - ``skills``: (code_ogr, label, kind, group_code_ogr, group_label, category,
      subcategory, search_text)
    - ``occupation_skills``: (occupation_code, skill_code_ogr, role)
    - ``mobility``: (source_code, target_code, order)
    - ``ignored``: counts of source rows deliberately not imported, by reason.
    """

    version: str
    occupations: list[tuple]
    titles: list[tuple]
    skills: list[tuple]
    occupation_skills: list[tuple]
    mobility: list[tuple]
    ignored: dict[str, int] = field(default_factory=dict)


def _table(directory: Path, name: str, required: tuple[str, ...], description: str, optional=()):
    path = find_file(
        directory,
        (f"unix_{name}_v*_utf8.csv", f"unix_{name}_v*.csv", f"unix_{name}.csv"),
        description=description,
    )
    return path, read_csv(path, required, description=description, optional=optional)


def yes_no(value: str) -> str:
    """``O``/``Oui``/``N``/``Non`` → ``Oui``/``Non`` (empty stays empty)."""
    return _YES_NO.get(value.strip().lower(), value)


def read_rome(directory: str | Path) -> RomeData:
    """Read a ROME 4.0 export folder. Raises ``ReferentialFileError`` on a missing file/column."""
    directory = Path(directory)
    path, rome_rows = _table(
        directory,
        "referentiel_code_rome",
        ("code_rome", "libelle_rome", "code_rome_parent", "code_ogr"),
        "fiches métier ROME",
        optional=("transition_eco", "transition_num", "transition_demo", "emploi_reglemente", "emploi_cadre"),
    )
    match = re.search(r"_v(\d+)", path.name)
    version = f"v{match.group(1)}" if match else ""
    _, title_rows = _table(
        directory,
        "referentiel_appellation",
        ("code_ogr", "libelle_appellation_long", "libelle_appellation_court", "code_rome"),
        "appellations",
        optional=("classification",),
    )
    _, competence_rows = _table(
        directory,
        "referentiel_competence",
        ("code_ogr", "nature", "libelle_competence", "code_ogr_macro_comp", "cat_comp"),
        "compétences et macro-compétences",
        optional=("sous_cat_comp",),
    )
    _, savoir_rows = _table(
        directory,
        "referentiel_savoir",
        ("code_ogr_savoir", "libelle_savoir", "categorie_savoir"),
        "savoirs",
        optional=("sous_categorie_savoir",),
    )
    _, link_rows = _table(
        directory, "coherence_item", ("code_rome", "code_ogr", "coeur_metier"), "liens métier → compétences"
    )
    _, mobility_rows = _table(
        directory, "rubrique_mobilite", ("code_rome", "code_rome_cible", "numero_ordre"), "mobilités"
    )
    _, text_rows = _table(
        directory,
        "texte",
        ("code_rome", "libelle_type_texte", "position_phrase", "libelle_texte"),
        "textes (définition, accès au métier)",
    )

    bad_codes = [r["code_rome"] for r in rome_rows if not _ROME_CODE.match(r["code_rome"])]
    if bad_codes:
        raise ReferentialFileError(
            f"{path.name} : code ROME invalide {bad_codes[0]!r} "
            f"({len(bad_codes)} ligne(s)) ; attendu une lettre suivie de 4 chiffres, par exemple M1805."
        )
    codes = {r["code_rome"] for r in rome_rows}

    texts: dict[tuple[str, str], list[tuple[int, str]]] = {}
    for r in text_rows:
        position = int(r["position_phrase"]) if r["position_phrase"].isdigit() else 0
        texts.setdefault((r["code_rome"], r["libelle_type_texte"]), []).append((position, r["libelle_texte"]))

    def text_of(code: str, kind: str) -> str:
        return "\n".join(t for _, t in sorted(texts.get((code, kind), [])) if t)

    titles: dict[str, tuple] = {}
    orphan_titles = 0
    for r in title_rows:
        if r["code_rome"] not in codes:
            orphan_titles += 1
            continue
        label = r["libelle_appellation_long"]
        short = r["libelle_appellation_court"]
        is_main = r["classification"].upper() == "PRINCIPALE"
        titles[r["code_ogr"]] = (
            r["code_ogr"], label, short, r["code_rome"], is_main, normalize_search(f"{label} {short}")
        )

    occupations: dict[str, tuple] = {}
    for r in rome_rows:
        code, label = r["code_rome"], r["libelle_rome"]
        search = normalize_search(f"{code} {label}")
        occupations[code] = (
            code,
            label,
            r["code_rome_parent"],
            text_of(code, "definition"),
            text_of(code, "acces_metier"),
            r["transition_eco"],
            yes_no(r["transition_num"]),
            yes_no(r["transition_demo"]),
            yes_no(r["emploi_reglemente"]),
            yes_no(r["emploi_cadre"]),
            r["code_ogr"],
            code[:3],
            search,
        )

    macro_labels = {r["code_ogr"]: r["libelle_competence"] for r in competence_rows if r["nature"].lower().startswith("macro")}
    skills: dict[str, tuple] = {}
    for r in competence_rows:
        is_macro = r["nature"].lower().startswith("macro")
        soft = normalize_search(r["cat_comp"]).startswith("savoir etre")
        kind = "savoir_etre" if soft else ("macro" if is_macro else "savoir_faire")
        group = "" if is_macro else r["code_ogr_macro_comp"]
        skills[r["code_ogr"]] = (
            r["code_ogr"],
            r["libelle_competence"],
            kind,
            group,
            macro_labels.get(group, ""),
            r["cat_comp"],
            r["sous_cat_comp"],
            normalize_search(r["libelle_competence"]),
        )
    for r in savoir_rows:
        skills[r["code_ogr_savoir"]] = (
            r["code_ogr_savoir"],
            r["libelle_savoir"],
            "savoir",
            "",
            "",
            r["categorie_savoir"],
            r["sous_categorie_savoir"],
            normalize_search(r["libelle_savoir"]),
        )

    links: dict[tuple[str, str], tuple] = {}
    not_skill = 0
    for r in link_rows:
        if r["code_rome"] not in codes or r["code_ogr"] not in skills:
            not_skill += 1
            continue
        role = _ROLES_AS_PUBLISHED.get(r["coeur_metier"]) or _ROLES.get(normalize_search(r["coeur_metier"]), OTHER)
        links[(r["code_rome"], r["code_ogr"])] = (r["code_rome"], r["code_ogr"], role)

    edges: dict[tuple[str, str], tuple] = {}
    orphan_edges = 0
    for r in mobility_rows:
        source, target = r["code_rome"], r["code_rome_cible"]
        if source not in codes or target not in codes:
            orphan_edges += 1
            continue
        order = int(r["numero_ordre"]) if r["numero_ordre"].isdigit() else 0
        edges[(source, target)] = (source, target, order)

    ignored = {
        "liens_hors_competences": not_skill,
        "appellations_sans_fiche": orphan_titles,
        "mobilites_sans_fiche": orphan_edges,
    }
    return RomeData(
        version=version,
        occupations=list(occupations.values()),
        titles=list(titles.values()),
        skills=list(skills.values()),
        occupation_skills=list(links.values()),
        mobility=list(edges.values()),
        ignored={k: v for k, v in ignored.items() if v},
    )
