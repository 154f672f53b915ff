"""Header row detection and column -> field mapping.

Column names: HeaderGuess.headers holds one distinct name per column, the header text
as typed, except that a text repeated in the header row (case, accents and punctuation
aside) is numbered from its second occurrence: "Code | Libellé | Code | Libellé" gives
"Code", "Libellé", "Code (2)", "Libellé (2)". These are the names the preview shows and
the names a mapping uses, so two columns with the same title are never mixed up.
"""

from __future__ import annotations

import unicodedata
from collections import Counter

from imports.engine.columns import ColumnDecision, header_words, non_skill_reason, sensitive_category
from imports.engine.i18n import _
from imports.engine.levels import looks_like_level
from imports.engine.types import (
    FIELD_LABELS,
    FIELDS,
    IGNORE,
    SKILL_PREFIX,
    DuplicateColumn,
    HeaderGuess,
    ImportFileError,
    RawTable,
)
from skills_matrix.engine import is_sensitive_label

# How many rows may sit above the header (titles, company name, export date...).
HEADER_SEARCH_ROWS = 40
# Share of an unrecognised column's filled cells that must read as levels to be a skill.
SKILL_VALUE_SHARE = 0.6
LEVEL_SAMPLE_ROWS = 5000

# fmt: off
_ALIASES: dict[str, tuple[str, ...]] = {
    "staff_number": (
        "matricule", "n matricule", "no matricule", "numero matricule", "numero de matricule",
        "matricule salarie", "matricule agent", "matricule du salarie", "id salarie", "identifiant salarie",
        "id", "numero salarie", "numero de salarie", "numero agent", "code salarie", "code agent",
        "empid", "emp id", "employee id", "employee number", "employee no", "staff number", "staff id",
        "personnel number", "matr", "mat",
    ),
    "last_name": ("nom", "nom de famille", "nom usuel", "nom d usage", "last name", "lastname", "surname", "family name"),
    "first_name": ("prenom", "first name", "firstname", "given name", "prenom usuel"),
    "full_name": (
        "nom prenom", "nom et prenom", "prenom nom", "nom complet", "salarie", "agent", "collaborateur",
        "employee name", "employee", "full name", "name", "employe", "identite",
    ),
    "email": ("email", "e mail", "mail", "courriel", "adresse email", "adresse mail", "adresse e mail",
              "email professionnel", "work email", "email address"),
    "birth_date": ("date de naissance", "date naissance", "ne le", "ne e le", "naissance", "dob",
                   "date of birth", "birth date", "birthdate"),
    "hire_date": (
        "date d entree", "date entree", "date d embauche", "date embauche", "entree", "embauche",
        "date d arrivee", "date arrivee", "anciennete depuis", "date anciennete", "dateofhire", "date of hire",
        "hire date", "hiring date", "start date", "entry date",
    ),
    "exit_date": ("date de sortie", "date sortie", "sortie", "date de depart", "date depart", "depart",
                  "date of termination", "dateoftermination", "termination date", "exit date", "end date",
                  "leaving date"),
    "org_unit": ("service", "direction", "departement", "department", "dept", "unite", "unite organisationnelle",
                 "etablissement", "site", "atelier", "equipe", "team", "division", "business unit", "pole"),
    "job_title": ("poste", "intitule du poste", "intitule poste", "libelle poste", "libelle du poste",
                  "emploi", "fonction", "metier", "position", "job role", "job title", "jobtitle", "job",
                  "title", "role", "emploi occupe", "poste occupe"),
    "manager_staff_number": ("manager", "matricule du manager", "matricule manager", "matricule responsable",
                             "responsable", "n 1", "manager id", "managerid", "manager number",
                             "supervisor", "reports to", "matricule n 1", "responsable hierarchique"),
    "fte": ("temps de travail", "quotite", "quotite de travail", "taux d activite", "temps partiel",
            "etp", "fte", "taux", "pourcentage temps de travail", "work time", "working time"),
    "rome_code": ("code rome", "rome", "code metier rome", "rome code"),
    "sex": ("sexe", "sex", "genre", "gender", "civilite", "civ", "titre de civilite", "h f", "f h", "m f",
            "f m", "m mme", "mme m", "sexe h f", "sexe f h", "sexe m f",
            "sexe f m", "civilite m mme", "male female", "gender m f"),
    "contract_type": ("type de contrat", "contrat", "nature du contrat", "type contrat", "contract type",
                      "contract", "type of contract"),
    "skill": ("competence", "competences", "skill", "skills", "savoir faire", "libelle competence",
              "intitule competence", "skill name"),
    "level": ("niveau", "niveau de maitrise", "niveau maitrise", "niveau atteint", "maitrise", "level",
              "skill level", "proficiency", "proficiency level"),
    "assessed_on": ("date d evaluation", "date evaluation", "date de l evaluation", "evalue le",
                    "date entretien", "date de l entretien", "assessment date", "assessed on", "evaluation date"),
}
# Columns that are never imported: sensitive data (never an input to anything) and
# HR-system columns that merely look like levels (categories, coefficients, seniority).
_IGNORED = (
    "handicap", "rqth", "travailleur handicape", "oeth",
    "situation de handicap", "disability", "sante", "health", "age", "nationalite", "nationality",
    "situation familiale", "nombre d enfants", "categorie", "categorie socioprofessionnelle", "csp",
    "statut", "coefficient", "echelon", "indice", "anciennete", "seniority", "salaire", "salary",
    "pcs", "classification",
)
# fmt: on


def normalize_header(text) -> str:
    """Lower case, accents, spaces and punctuation removed: "N° Matricule" -> "nmatricule"."""
    if text is None:
        return ""
    decomposed = unicodedata.normalize("NFKD", str(text).casefold())
    return "".join(ch for ch in decomposed if ch.isalnum() and not unicodedata.combining(ch))


FIELD_BY_HEADER: dict[str, str] = {
    normalize_header(alias): field for field, aliases in _ALIASES.items() for alias in aliases
}
IGNORED_HEADERS: frozenset[str] = frozenset(normalize_header(h) for h in _IGNORED)
_TEXT_FIELDS = frozenset({"last_name", "first_name", "full_name", "org_unit", "job_title"})
_FOOTER_WORDS = ("salaries", "employes", "collaborateurs")
_FOOTER_STARTS = ("total", "soustotal", "nombredesalaries", "nombredagents", "nombre", "effectif", "count")


def detect_header(
    raw: RawTable, *, mapping: dict[str, str] | None = None, known_skills: frozenset[str] = frozenset()
) -> HeaderGuess:
    """Find the header row among the first rows and map each column to a field.

    The header is the row (among the first HEADER_SEARCH_ROWS) with the most recognised
    header texts; rows above it (titles, company name) are not data. mapping: header
    text -> field name, "skill:<label>" or "ignore"; it overrides recognition and is
    matched with normalize_header. In the wide layout, an unrecognised column whose
    values read as levels is a skill column (label = header text) when its header is in
    `known_skills` (normalize_header keys of the organisation's and the referentials'
    skills) or reads like a skill (columns.non_skill_reason); an identifier, count, date,
    score or flag column is not. Special-category personal data is never read (the
    restricted "sex" field excepted, when the engine has it). HeaderGuess.decisions says
    how each column is read and why.
    Raises ImportFileError when no row looks like a header.
    """
    explicit = {normalize_header(k): v for k, v in (mapping or {}).items()}
    for target in explicit.values():
        if target != IGNORE and not target.startswith(SKILL_PREFIX) and target not in FIELDS:
            raise ValueError(f"Unknown mapping target: {target!r}")
    header_index = _find_header_row(raw, explicit)
    header_cells = raw.rows[header_index]
    texts = tuple(_header_text(cell) for cell in header_cells)
    headers = _distinct_names(texts)

    columns: dict[int, str] = {}
    skill_columns: dict[int, str] = {}
    ignored: list[str] = []
    duplicates: list[DuplicateColumn] = []
    candidates: list[int] = []
    kept: dict[str, int] = {}
    reasons: dict[int, tuple[str, str]] = {}  # column index -> (decision, reason)
    for index, text in enumerate(headers):
        key = normalize_header(text)
        if not key:
            continue
        # a numbered repeat ("Service (2)") is recognised by its text ("Service")
        given = explicit.get(key)
        target = given or FIELD_BY_HEADER.get(normalize_header(texts[index]))
        reasons[index] = ("field", "mapping" if given else "header")
        sensitive = sensitive_category(texts[index]) or (is_sensitive_label(texts[index]) and "sensitive")
        if target is None and sensitive:
            target, reasons[index] = _sensitive_target(texts[index], sensitive)
        elif target is None and normalize_header(texts[index]) in IGNORED_HEADERS:
            target, reasons[index] = IGNORE, ("ignored", "ignored_header")
        elif target is not None and target.startswith(SKILL_PREFIX):
            label = target[len(SKILL_PREFIX) :].strip() or texts[index]
            if is_sensitive_label(label) or sensitive or sensitive_category(label):
                # sensitive data is never a skill, even when a mapping says so
                target, reasons[index] = IGNORE, ("sensitive", "sensitive")
        elif target == IGNORE and given:
            reasons[index] = ("ignored", "mapping")
        if target is None:
            candidates.append(index)
        elif target == IGNORE:
            ignored.append(text)
        elif target.startswith(SKILL_PREFIX):
            skill_columns[index] = target[len(SKILL_PREFIX) :].strip() or texts[index]
            reasons[index] = ("skill", "mapping")
        elif target in kept:
            duplicates.append(_duplicate(text, headers[kept[target]], target))
            reasons[index] = ("duplicate", "duplicate")
        else:
            columns[index] = target
            kept[target] = index
    taken = set(kept)

    long_layout = "skill" in taken
    if not long_layout and "level" in taken:
        # A "Niveau" column without a skill column is not a skill level (a skill, maybe).
        level_index = next(i for i, f in columns.items() if f == "level")
        del columns[level_index]
        taken.discard("level")
        candidates.append(level_index)
    data_indexes = range(header_index + 1, len(raw.rows))
    text_columns = {i for i, f in columns.items() if f in _TEXT_FIELDS}
    footers = frozenset(i for i in data_indexes if _is_footer(raw.rows[i], header_cells, text_columns))
    unknown: list[str] = []
    for index in sorted(candidates):
        reason = _candidate_reason(raw, index, texts[index], data_indexes, footers, long_layout, known_skills)
        if reason in ("known_skill", "skill_header"):
            skill_columns[index] = texts[index]
            reasons[index] = ("skill", reason)
        else:
            unknown.append(headers[index])
            reasons[index] = ("unknown", reason)
    labels_seen: dict[str, int] = {}
    for index, label in sorted(skill_columns.items()):
        first = labels_seen.setdefault(label.casefold(), index)
        if first != index:
            del skill_columns[index]  # the same skill twice: the first column wins
            duplicates.append(_duplicate(headers[index], headers[first], SKILL_PREFIX + skill_columns[first]))
            reasons[index] = ("duplicate", "duplicate")
    decisions = []
    for index, (decision, reason) in sorted(reasons.items()):
        target = columns.get(index, "")
        if index in skill_columns:
            target = SKILL_PREFIX + skill_columns[index]
        decisions.append(ColumnDecision(headers[index], decision, target, reason))
    missing = []
    if "staff_number" not in taken:
        missing.append("staff_number")
    if long_layout and "level" not in taken:
        missing.append("level")
    return HeaderGuess(
        header_index=header_index,
        header_row=raw.row_numbers[header_index],
        headers=headers,
        columns=dict(sorted(columns.items())),
        skill_columns=dict(sorted(skill_columns.items())),
        long_layout=long_layout,
        unknown_columns=tuple(unknown),
        ignored_columns=tuple(ignored),
        footer_indexes=footers,
        missing_fields=tuple(missing),
        duplicate_columns=tuple(sorted(duplicates, key=lambda d: headers.index(d.column))),
        decisions=tuple(decisions),
    )


def _sensitive_target(text: str, category: str) -> tuple[str, tuple[str, str]]:
    """Special-category data is never read; a sex or civility column (not a coded one such as
    "GenderID") goes to the restricted "sex" field when the engine has one."""
    coded = bool({"id", "code", "cd", "desc"} & set(header_words(text)))
    if category == "gender" and "sex" in FIELDS and not coded:
        return "sex", ("sensitive", "sensitive_field")
    return IGNORE, ("sensitive", "sensitive")


def _candidate_reason(
    raw: RawTable, index: int, text: str, data_indexes: range, footers: frozenset[int], long_layout: bool,
    known_skills: frozenset[str],
) -> str:
    """Why an unrecognised column is a skill ("known_skill", "skill_header") or not (another REASONS key)."""
    if long_layout:
        return "long_layout"
    if not _holds_levels(raw, index, data_indexes, footers):
        return "not_levels"
    if normalize_header(text) in known_skills:
        return "known_skill"
    return non_skill_reason(text) or "skill_header"


def _distinct_names(texts: tuple[str, ...]) -> tuple[str, ...]:
    """The header texts, a repeated one numbered from its second occurrence ("Libellé (2)")."""
    used = {normalize_header(text) for text in texts}
    seen: set[str] = set()
    names = []
    for text in texts:
        key = normalize_header(text)
        if key and key in seen:
            number = 2
            while normalize_header(f"{text} ({number})") in used:
                number += 1
            text = f"{text} ({number})"
            used.add(normalize_header(text))
        seen.add(key)
        names.append(text)
    return tuple(names)


def _duplicate(column: str, kept: str, target: str) -> DuplicateColumn:
    if target.startswith(SKILL_PREFIX):
        what = _("la compétence « %(skill)s »") % {"skill": target[len(SKILL_PREFIX) :]}
    else:
        what = _("le champ « %(field)s »") % {"field": _(FIELD_LABELS[target])}
    message = _(
        "Colonne « %(column)s » non importée : la colonne « %(kept)s » fournit déjà %(what)s. "
        "Supprimez la colonne en trop, ou choisissez dans la correspondance des colonnes laquelle importer."
    ) % {"column": column, "what": what, "kept": kept}
    return DuplicateColumn(column=column, kept=kept, field=target, message=message)


def _header_text(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return " ".join(str(cell).split())


def _find_header_row(raw: RawTable, explicit: dict[str, str]) -> int:
    best_index, best_score = -1, 0
    for index, row in enumerate(raw.rows[:HEADER_SEARCH_ROWS]):
        keys = {normalize_header(cell) for cell in row if isinstance(cell, str)}
        keys.discard("")
        score = sum(1 for key in keys if key in explicit or key in FIELD_BY_HEADER)
        if "staff_number" in {explicit.get(k) or FIELD_BY_HEADER.get(k) for k in keys}:
            score += 1
        if score > best_score:
            best_index, best_score = index, score
    if best_score < 2:
        raise ImportFileError(_(
            "Ligne d'en-tête introuvable : aucune des premières lignes ne contient de titres de colonnes "
            "reconnus (par exemple « Matricule », « Nom », « Prénom », « Service », « Poste »). "
            "Ajoutez une ligne de titres au-dessus des données ou indiquez la correspondance des colonnes."
        ))
    return best_index


def _is_footer(row: list, header_cells: list, text_columns: set[int]) -> bool:
    """Not data: a total line ("Total : 1 470 salariés", "Effectif total", "Nombre de
    salariés"), a lone sentence outside the name columns ("Édité le 05/01/2026 par le
    SIRH"), or the header repeated (paginated exports)."""
    if len(row) - row.count(None) <= 3:
        filled = [cell for cell in row if cell is not None]
        if not filled:
            return True
        first = filled[0]
        if not isinstance(first, str):
            return False
        key = normalize_header(first)
        if key.startswith(_FOOTER_STARTS) or any(word in key for word in _FOOTER_WORDS):
            return True
        return len(filled) == 1 and len(first.split()) >= 3 and row.index(first) not in text_columns
    return row[0] == header_cells[0] and row == header_cells


def _holds_levels(raw: RawTable, index: int, data_indexes: range, footers: frozenset[int]) -> bool:
    """Most filled cells of the column (over a sample of rows) read as levels; a few typos
    ("super fort", 9) do not hide a skill column, they become level errors."""
    rows = raw.rows
    sample = [i for i in data_indexes[:LEVEL_SAMPLE_ROWS] if i not in footers]
    counts = Counter(rows[i][index] for i in sample if index < len(rows[i]))
    counts.pop(None, None)
    filled = sum(counts.values())
    if not filled:
        return False
    recognised = sum(n for value, n in counts.items() if looks_like_level(value))
    return recognised >= SKILL_VALUE_SHARE * filled
