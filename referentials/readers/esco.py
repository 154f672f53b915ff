"""Reader for ESCO CSV exports with French labels.

The v1.2.1 files (``esco_v121api_occupations_fr.csv`` / ``esco_v121api_skills_fr.csv``)
are preferred; when the v1 (2020) official layout (``occupations_fr.csv`` with
``iscoGroup``, ``skills_fr.csv`` with ``skillType``/``reuseLevel``) sits beside
them, it fills those columns for the URIs both share. Alternative labels are
separated by ``|`` or by new lines.
"""

import re
from dataclasses import dataclass
from pathlib import Path

from .common import ReferentialFileError, normalize_search, normalize_text, read_csv

_ALT_SPLIT = re.compile(r"[|\n]")
_V121 = ("esco_v121api_{}_fr.csv",)
_V1 = ("esco_v1_2020_{}_fr.csv", "{}_fr.csv")


@dataclass(frozen=True)
class EscoData:
    """``occupations``: (uri, label, alt_labels, isco_code, description, search_text);
    ``skills``: (uri, label, alt_labels, skill_type, reuse_level, description, search_text)."""

    version: str
    occupations: list[tuple]
    skills: list[tuple]


def split_alt_labels(value: str) -> list[str]:
    """``"a|b"`` or ``"a\\nb"`` → ``["a", "b"]`` (stripped, deduplicated, order kept)."""
    seen = []
    for part in _ALT_SPLIT.split(value or ""):
        part = normalize_text(part)
        if part and part not in seen:
            seen.append(part)
    return seen


def _first(directory: Path, patterns: tuple[str, ...], kind: str) -> Path | None:
    for pattern in patterns:
        path = directory / pattern.format(kind)
        if path.is_file():
            return path
    return None


def read_esco(directory: str | Path) -> EscoData:
    """Read an ESCO folder. Raises ``ReferentialFileError`` if no occupations/skills file is found."""
    directory = Path(directory)
    if not directory.is_dir():
        raise ReferentialFileError(f"Dossier introuvable : {directory}.")
    sources = {}
    for kind in ("occupations", "skills"):
        recent, legacy = _first(directory, _V121, kind), _first(directory, _V1, kind)
        if not recent and not legacy:
            raise ReferentialFileError(
                f"Fichier ESCO manquant dans {directory} : {kind} en français "
                f"(nom attendu : esco_v121api_{kind}_fr.csv ou {kind}_fr.csv)."
            )
        sources[kind] = (recent, legacy)
    version = "v1.2.1" if sources["occupations"][0] else "v1.0 (2020)"

    def rows(path: Path | None, extra: tuple[str, ...], description: str) -> list[dict]:
        if path is None:
            return []
        return read_csv(
            path,
            ("concepturi", "preferredlabel", "altlabels", *extra),
            description=description,
            optional=("description",),
        )

    occupation_recent, occupation_legacy = sources["occupations"]
    legacy_occ = {
        r["concepturi"]: r
        for r in rows(occupation_legacy, ("iscogroup",), "métiers ESCO (format v1)")
    }
    occupations = {}
    for r in rows(occupation_recent, (), "métiers ESCO v1.2.1") if occupation_recent else legacy_occ.values():
        old = legacy_occ.get(r["concepturi"], {})
        label, alts = r["preferredlabel"], split_alt_labels(r["altlabels"])
        occupations[r["concepturi"]] = (
            r["concepturi"],
            label,
            "\n".join(alts),
            r.get("iscogroup") or old.get("iscogroup", ""),
            r.get("description") or old.get("description", ""),
            normalize_search(" ".join([label, *alts])),
        )

    skill_recent, skill_legacy = sources["skills"]
    legacy_skill = {
        r["concepturi"]: r
        for r in rows(skill_legacy, ("skilltype", "reuselevel"), "compétences ESCO (format v1)")
    }
    skills = {}
    for r in rows(skill_recent, (), "compétences ESCO v1.2.1") if skill_recent else legacy_skill.values():
        old = legacy_skill.get(r["concepturi"], {})
        label, alts = r["preferredlabel"], split_alt_labels(r["altlabels"])
        skills[r["concepturi"]] = (
            r["concepturi"],
            label,
            "\n".join(alts),
            r.get("skilltype") or old.get("skilltype", ""),
            r.get("reuselevel") or old.get("reuselevel", ""),
            r.get("description") or old.get("description", ""),
            normalize_search(" ".join([label, *alts])),
        )
    if not occupations or not skills:
        raise ReferentialFileError(f"Les fichiers ESCO de {directory} ne contiennent aucune ligne.")
    return EscoData(version=version, occupations=list(occupations.values()), skills=list(skills.values()))


__all__ = ["EscoData", "ReferentialFileError", "read_esco", "split_alt_labels"]
