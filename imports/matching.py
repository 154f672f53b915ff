"""Reads that tie a staff file's labels to what the organisation already has.

- known_skill_keys: which header texts name a skill the organisation or a referential knows (such a
  column is a skill column even when its title alone would not say so);
- import_aliases: the file labels the organisation chose once to read as an existing skill or job;
- near_duplicates: for every new skill label and job title of a file, the likely existing skill or
  job (and, for a job, its likely ROME occupation), with a confidence, so that the preview can offer
  to take the existing one instead of creating a near-duplicate.

The scores come from the mapping engine (``referentials.engine`` over the organisation's own labels,
``referentials.suggest`` for ROME and ESCO); this module only feeds it and reads its answer.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from django.db.models.functions import Lower

from imports.engine import RawTable, normalize_header
from imports.engine.headers import HEADER_SEARCH_ROWS
from imports.models import ImportAlias
from skills_matrix.engine import normalize_label
from skills_matrix.models import OrgSkill, SkillMapping
from workforce.models import Job

# Below this confidence a proposal is noise: the preview says nothing.
MATCH_MIN_CONFIDENCE = 0.5


@dataclass(frozen=True)
class NearMatch:
    """A new label of the file and the existing item it probably means.

    kind: "skill" or "job"; label: as in the file; target: the existing skill's label or job's title
    ("" when nothing is close); confidence: 0..1; rome_code / rome_label: the ROME occupation the
    engine suggests for a new job title ("" for a skill or when nothing is suggested)."""

    kind: str
    label: str
    target: str
    confidence: float
    rome_code: str = ""
    rome_label: str = ""
    rome_confidence: float = 0.0


def job_key(title: str) -> str:
    """The key under which the import meets a job title (imports.upsert)."""
    return " ".join(title.split()).casefold()


def import_aliases() -> dict[str, dict[str, str]]:
    """{"skill": {normalize_label(file label): existing label}, "job": {job_key(file title): title}}."""
    aliases: dict[str, dict[str, str]] = {"skill": {}, "job": {}}
    for kind, key, target in ImportAlias.objects.values_list("kind", "source_key", "target_label"):
        aliases.setdefault(kind, {})[key] = target
    return aliases


def alias_column_mapping() -> dict[str, str]:
    """The skill aliases as a column mapping (file header -> "skill:<existing label>"), for the wide layout."""
    return {
        source: f"skill:{target}"
        for source, target in ImportAlias.objects.filter(kind=ImportAlias.Kind.SKILL).values_list(
            "source_label", "target_label")
    }


def known_skill_keys(raw: RawTable) -> frozenset[str]:
    """normalize_header keys of the header texts (first rows of `raw`) naming a skill of the organisation
    or of ROME/ESCO: "Anglais" is a skill column even though a title alone says little."""
    from referentials.models import EscoSkill, Skill

    texts = {" ".join(str(cell).split()) for row in raw.rows[:HEADER_SEARCH_ROWS] for cell in row
             if isinstance(cell, str) and cell.strip()}
    if not texts:
        return frozenset()
    keys = {normalize_header(text): text for text in texts}
    known = {normalize_header(label) for label in OrgSkill.objects.values_list("label", flat=True)}
    lowered = [text.casefold() for text in texts]
    for model in (Skill, EscoSkill):
        labels = model.objects.annotate(lowered=Lower("label")).filter(lowered__in=lowered).values_list(
            "label", flat=True)
        known.update(normalize_header(label) for label in labels)
    return frozenset(key for key in keys if key in known)


def new_labels(*, skill_labels, job_titles) -> tuple[list[str], list[str]]:
    """The skill labels and job titles of a file that are neither existing items nor aliases, in file order."""
    aliases = import_aliases()
    skill_keys = set(OrgSkill.objects.values_list("normalized_label", flat=True)) | set(aliases["skill"])
    job_keys = {job_key(t) for t in Job.objects.values_list("title", flat=True)} | set(aliases["job"])
    skills = [label for label in dict.fromkeys(skill_labels) if normalize_label(label) not in skill_keys]
    jobs = [title for title in dict.fromkeys(job_titles) if job_key(title) not in job_keys]
    return skills, jobs


def near_duplicates(*, skill_labels, job_titles, limit: int = 50) -> list[NearMatch]:
    """A NearMatch for each new skill label and job title of a file (at most `limit` of each), the most
    confident first: its likely existing skill or job, and for a job its likely ROME occupation."""
    skills, jobs = new_labels(skill_labels=skill_labels, job_titles=job_titles)
    skills, jobs = skills[:limit], jobs[:limit]
    matches = [NearMatch("skill", label, target, confidence)
               for label, (target, confidence) in zip(skills, _closest_skills(skills), strict=True)]
    occupations = _rome_occupations(jobs)
    job_of_rome = dict(Job.objects.exclude(rome_code="").values_list("rome_code", "title").order_by("-title"))
    for title, (target, confidence), rome in zip(jobs, _closest_jobs(jobs), occupations, strict=True):
        code, _label, rome_confidence = rome
        if code in job_of_rome and rome_confidence > confidence and rome_confidence >= MATCH_MIN_CONFIDENCE:
            target, confidence = job_of_rome[code], rome_confidence  # an existing job of the same occupation
        matches.append(NearMatch("job", title, target, confidence, *rome))
    return sorted(matches, key=lambda m: (m.kind != "skill", -m.confidence))


def _closest(labels: list[str], candidates: list[str]) -> list[tuple[str, float]]:
    """For each label, the closest candidate label by the mapping engine, and its score."""
    from referentials.engine import SKILL_CONFIG, build_index, query

    if not labels or not candidates:
        return [("", 0.0)] * len(labels)
    keys = np.array([str(i) for i in range(len(candidates))])
    index = build_index(candidates, keys, config=SKILL_CONFIG)
    found, scores = query(index, labels, k=1)
    return [(candidates[int(found[row, 0])], round(float(scores[row, 0]), 2)) if scores.shape[1] else ("", 0.0)
            for row in range(len(labels))]


def _closest_skills(labels: list[str]) -> list[tuple[str, float]]:
    """The organisation's skill each label most likely means: the closer of the engine's direct match
    among the organisation's labels and the organisation skill mapped to the label's best ROME/ESCO
    suggestion."""
    from referentials.suggest import suggest_skills_many

    existing = list(OrgSkill.objects.values_list("label", flat=True))
    direct = _closest(labels, existing)
    by_code: dict[str, str] = {}
    for label, rome, esco in SkillMapping.objects.exclude(status=SkillMapping.Status.REJECTED).values_list(
            "org_skill__label", "rome_skill__code_ogr", "esco_skill__uri"):
        for code in (rome, esco):
            if code:
                by_code.setdefault(code, label)
    result = []
    suggestions = suggest_skills_many(labels, k=3) if labels and by_code else [[] for _ in labels]
    for (target, confidence), proposed in zip(direct, suggestions, strict=True):
        for suggestion in proposed:
            mapped = by_code.get(suggestion.code)
            if mapped and suggestion.confidence > confidence:
                target, confidence = mapped, round(suggestion.confidence, 2)
                break
        result.append((target, confidence) if confidence >= MATCH_MIN_CONFIDENCE else ("", confidence))
    return result


def _closest_jobs(titles: list[str]) -> list[tuple[str, float]]:
    existing = list(Job.objects.values_list("title", flat=True))
    return [(t, c) if c >= MATCH_MIN_CONFIDENCE else ("", c) for t, c in _closest(titles, existing)]


def _rome_occupations(titles: list[str]) -> list[tuple[str, str, float]]:
    """The ROME occupation the engine suggests for each job title: (code, label, confidence)."""
    from referentials.suggest import suggest_occupations

    result = []
    for title in titles:
        best = next(iter(suggest_occupations(title, k=1)), None)
        result.append((best.code, best.label, round(best.confidence, 2)) if best else ("", "", 0.0))
    return result
