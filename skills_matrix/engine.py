"""Pure computations of the skills matrix (no Django): label normalisation, gaps and summaries.

Shapes used throughout: ``E`` employees (rows) × ``S`` skills (columns).

- ``levels``: ``int8[E, S]``, the level held at the date looked at, ``-1`` where none is recorded.
- ``targets``: ``int8[E, S]``, the level the employee's job requires, ``0`` where it requires nothing.
- ``gaps``: ``int8[E, S]``, ``target - level`` where positive (a missing level counts as 0), else 0.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import numpy as np

NO_LEVEL = -1

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})


def normalize_label(label: str | None) -> str:
    """Key under which two spellings of one skill meet: accents, case, spaces and punctuation ignored.

    ``"Soudure  TIG"`` and ``"soudure-tig"`` → ``"soudure tig"``; ``"Sécurité"`` → ``"securite"``.
    """
    if not label:
        return ""
    ascii_form = unicodedata.normalize("NFKD", label.translate(_LIGATURES)).encode("ascii", "ignore")
    return _NON_ALNUM.sub(" ", ascii_form.decode("ascii").lower()).strip()


# Sensitive personal data (disability, health, sex and gender, age, origin, beliefs...): never a skill,
# never an input to a score. A header or label names such data when it starts with one of
# _SENSITIVE_FIRST_WORDS ("Sexe (H/F)", "Handicap reconnu", "Âge"), or holds one of _SENSITIVE_ANYWHERE
# (status acronyms and phrases: "Date RQTH", "Taux d'incapacité", "Restrictions médicales"). Skills
# about serving or supporting people ("Accompagner une personne en situation de handicap", "Accueil
# du public handicapé") and occupational health and safety ("Santé et sécurité au travail") are not.
_SENSITIVE_FIRST_WORDS = frozenset({
    "sex", "sexe", "gender", "genre", "civilite", "age", "sante", "health", "medical", "medicale",
    "handicap", "handicape", "handicapee", "disability", "disabled", "invalidite", "incapacite",
    "inaptitude", "inapte", "grossesse", "enceinte", "pregnancy", "religion", "confession", "ethnie",
    "ethnicity", "nationalite", "nationality", "syndicat", "syndical", "syndicale", "maladie",
    "pathologie", "rqth", "oeth",
})  # fmt: skip
_SENSITIVE_ANYWHERE = (
    "rqth", "oeth", "travailleur handicape", "qualite de travailleur handicape", "handicap reconnu",
    "taux d incapacite", "taux d invalidite", "etat de sante", "donnees de sante", "suivi medical",
    "visite medicale", "dossier medical", "aptitude medicale", "restriction medicale",
    "restrictions medicales", "avis medical", "medecine du travail", "date de naissance", "tranche d age",
    "situation familiale", "orientation sexuelle",
)  # fmt: skip
_SENSITIVE_STARTS = ("situation de handicap", "en situation de handicap", "statut handicap")
_SAFETY_WORDS = ("securite", "safety", "hygiene", "prevention")


def is_sensitive_label(label: str | None) -> bool:
    """Whether a column header or skill label names sensitive personal data (see the lists above).

    ``"RQTH (oui/non)"``, ``"Taux d'incapacité"``, ``"Sexe (H/F)"``, ``"Restrictions médicales"`` → True;
    ``"Santé et sécurité au travail"``, ``"Accompagner une personne en situation de handicap"`` → False.
    """
    key = normalize_label(label)
    if not key:
        return False
    first = key.split()[0]
    if first in _SENSITIVE_FIRST_WORDS and not any(word in key for word in _SAFETY_WORDS):
        return True
    if key.startswith(_SENSITIVE_STARTS):
        return True
    padded = f" {key} "
    return any(f" {phrase} " in padded for phrase in _SENSITIVE_ANYWHERE)


def targets_for_employees(job_targets: np.ndarray, employee_job_index: np.ndarray) -> np.ndarray:
    """Spread ``job_targets[J, S]`` onto employees.

    ``employee_job_index[E]`` gives each employee's row in ``job_targets``; ``-1`` means no job
    (or a job without requirements), which requires nothing.
    """
    padded = np.vstack([job_targets, np.zeros((1, job_targets.shape[1]), dtype=job_targets.dtype)])
    index = np.where(employee_job_index < 0, padded.shape[0] - 1, employee_job_index)
    return padded[index].astype(np.int8)


def compute_gaps(levels: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """``target - level`` where the job requires more than is held (a missing level counts as 0)."""
    held = np.maximum(levels, 0)
    return np.where(targets > 0, np.maximum(targets - held, 0), 0).astype(np.int8)


@dataclass(frozen=True)
class MatrixSummary:
    """Counts shown beside the heat map.

    ``gaps_per_employee[E]`` and ``gaps_per_skill[S]`` count cells in gap; ``mean_level_per_skill[S]``
    averages recorded levels only (NaN where nobody has one); ``holders_per_skill[S]`` counts levels ≥ 1.
    """

    gaps_per_employee: np.ndarray
    gaps_per_skill: np.ndarray
    mean_level_per_skill: np.ndarray
    holders_per_skill: np.ndarray
    total_gaps: int
    employees_in_gap: int


def summarize(levels: np.ndarray, gaps: np.ndarray) -> MatrixSummary:
    in_gap = gaps > 0
    recorded = levels >= 0
    counts = recorded.sum(axis=0)
    sums = np.where(recorded, levels, 0).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)
    per_employee = in_gap.sum(axis=1)
    return MatrixSummary(
        gaps_per_employee=per_employee,
        gaps_per_skill=in_gap.sum(axis=0),
        mean_level_per_skill=means,
        holders_per_skill=(levels >= 1).sum(axis=0),
        total_gaps=int(in_gap.sum()),
        employees_in_gap=int((per_employee > 0).sum()),
    )
