"""Import of a scenario's needs per job from a workbook or CSV: the staff import's reader (``read_table``), its
header detection (``normalize_header`` over the first rows) and its row errors (``RowError``: row, column, value,
message). All or nothing: one bad row and nothing is written; every bad row is listed with what to fix.

One row per job (« Emploi ; Effectif cible ; Nouvelles compétences » with « Soudure TIG : 3 ; Tableur : 2 »), or
one row per job and skill (« Emploi ; Effectif cible ; Compétence ; Niveau »): rows of the same job are merged.
The headcount is absolute (« 12 ») or a change of today's (« +10 % » or a column « Évolution (%) »)."""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import ApplicationError
from imports.engine.headers import normalize_header
from imports.engine.parsing import SKILL_WITH_LEVEL, clean_text, show
from imports.engine.reader import read_table
from imports.engine.types import ImportFileError, RowError
from skills_matrix.engine import normalize_label
from skills_matrix.models import OrgSkill
from workforce.models import Job

from .models import JobNeed, JobNeedSkill, Scenario
from .services import job_need_set

HEADER_SEARCH_ROWS = 20
MAX_LEVEL = 5
_ALIASES = {
    "job": ("emploi", "poste", "metier", "intitule", "intitule de l emploi", "intitule du poste", "emploi type",
            "code emploi", "job"),
    "target": ("effectif cible", "effectif a l horizon", "effectif horizon", "effectif cible a l horizon", "cible",
               "besoin", "effectif", "target headcount", "headcount"),
    "change_pct": ("evolution", "evolution %", "evolution en %", "evolution de l effectif", "variation",
                   "variation %", "evolution (%)", "change pct", "change"),
    "skills": ("nouvelles competences", "competences nouvelles", "competences requises", "competences",
               "competences emergentes", "competences et niveaux", "skills"),
    "skill": ("competence", "competence requise", "nouvelle competence", "skill"),
    "level": ("niveau", "niveau cible", "niveau requis", "level"),
    "declining": ("competences en declin", "declin", "competences qui declinent", "declining"),
    "note": ("commentaire", "commentaires", "remarque", "note"),
}
FIELD_BY_HEADER = {normalize_header(alias): name for name, aliases in _ALIASES.items() for alias in aliases}
_NUMBER = re.compile(r"^(?P<sign>[+\-−]?)\s*(?P<value>\d+(?:[.,]\d+)?)\s*(?P<pct>%?)$")


@dataclass
class NeedsImportResult:
    written: int = 0
    skills: int = 0
    errors: list[RowError] = field(default_factory=list)
    rejected_rows: set[int] = field(default_factory=set)
    file_error: str = ""

    @property
    def ok(self) -> bool:
        return not self.file_error and not self.errors


@dataclass
class _Need:
    row: int
    target: float | None = None
    change_pct: float | None = None
    skills: dict[int, tuple[int, str]] = field(default_factory=dict)  # skill id → (level, change)
    note: str = ""


def _header(rows) -> tuple[int, dict[int, str]]:
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        columns = {}
        for i, cell in enumerate(row):
            name = FIELD_BY_HEADER.get(normalize_header(cell))
            if name and name not in columns.values():
                columns[i] = name
        if "job" in columns.values() and {"target", "change_pct", "skills", "skill", "declining"} & set(
                columns.values()):
            return index, columns
    raise ImportFileError(_("Aucune ligne d'en-tête avec les colonnes « Emploi » et « Effectif cible » (ou "
                            "« Évolution (%%) », « Nouvelles compétences ») n'a été trouvée dans les %(n)s premières "
                            "lignes : ajoutez ces en-têtes.") % {"n": HEADER_SEARCH_ROWS})


def _number(value, *, allow_pct: bool) -> tuple[float | None, bool]:
    """(value, is_percent); (None, False) when empty."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, False
    if isinstance(value, bool):
        raise ApplicationError(_("Écrivez un nombre (par exemple 12, ou +10 % pour une évolution)."))
    if isinstance(value, int | float):
        return float(value), False
    text = str(value).strip().replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    match = _NUMBER.match(text)
    if match is None or (match["pct"] and not allow_pct):
        raise ApplicationError(_("Écrivez un nombre (par exemple 12, ou +10 % pour une évolution)."))
    number = float(match["value"].replace(",", "."))
    if match["sign"] in ("-", "−"):
        number = -number
    return number, bool(match["pct"])


def _level(value) -> int:
    number, _pct = _number(value, allow_pct=False)
    if number is None or not number.is_integer() or not 1 <= number <= MAX_LEVEL:
        raise ApplicationError(_("Niveau entre 1 et %(max)s.") % {"max": MAX_LEVEL})
    return int(number)


def _skill_list(text: str, skills_by_key: dict[str, int], *, with_level: bool) -> list[tuple[int, int]]:
    result = []
    for part in re.split(r"[;\n|]", text or ""):
        part = part.strip()
        if not part:
            continue
        label, level = part, 0
        if with_level:
            match = SKILL_WITH_LEVEL.match(part)
            if match is None:
                raise ApplicationError(_("« %(part)s » : écrivez chaque compétence suivie de son niveau cible, ex. "
                                         "« Soudure TIG : 3 ; Lecture de plans : 2 ».") % {"part": part})
            label, level = match["label"], int(match["level"])
            if not 1 <= level <= MAX_LEVEL:
                raise ApplicationError(_("« %(part)s » : niveau entre 1 et %(max)s.") % {"part": part,
                                                                                          "max": MAX_LEVEL})
        skill_id = skills_by_key.get(normalize_label(label))
        if skill_id is None:
            raise ApplicationError(_("Compétence « %(label)s » inconnue : corrigez son nom ou ajoutez-la au "
                                     "référentiel des compétences.") % {"label": label.strip()})
        result.append((skill_id, level))
    return result


def _jobs_by_key() -> dict[str, int]:
    keys: dict[str, int] = {}
    for pk, title, code in Job.objects.values_list("pk", "title", "code"):
        if code:
            keys.setdefault(normalize_label(code), pk)
        keys[normalize_label(title)] = pk
    return keys


def needs_import_path(*, scenario: Scenario, path: str, display_name: str | None = None) -> NeedsImportResult:
    """Read the file at ``path`` and set the scenario's need for every job it lists, or nothing at all when a
    row is wrong."""
    result = NeedsImportResult()
    try:
        table = read_table(path)
        header_index, columns = _header(table.rows)
    except ImportFileError as exc:
        message = exc.message
        if display_name:
            message = message.replace(os.path.basename(path), display_name)
        result.file_error = message
        return result
    headers = {name: show(table.rows[header_index][i]) for i, name in columns.items()}
    skills_by_key = dict(OrgSkill.objects.values_list("normalized_label", "id"))
    jobs_by_key = _jobs_by_key()
    needs: dict[int, _Need] = {}
    for row, number in zip(table.rows[header_index + 1:], table.row_numbers[header_index + 1:], strict=True):
        values = {name: (row[i] if i < len(row) else None) for i, name in columns.items()}
        if all(clean_text(v) is None for v in values.values()):
            continue
        errors: list[RowError] = []

        def check(name, parse, values=values, errors=errors, number=number):
            try:
                return parse(values.get(name))
            except ApplicationError as exc:
                errors.append(RowError(number, headers.get(name, ""), show(values.get(name)), exc.message))
                return None

        job_text = clean_text(values.get("job"))
        job_id = jobs_by_key.get(normalize_label(job_text)) if job_text else None
        if not job_text:
            errors.append(RowError(number, headers["job"], "", _("Emploi manquant : indiquez l'intitulé d'un emploi "
                                                                 "de l'organisation.")))
        elif job_id is None:
            errors.append(RowError(number, headers["job"], job_text, _(
                "Emploi « %(job)s » inconnu : écrivez l'intitulé (ou le code interne) d'un emploi de "
                "l'organisation.") % {"job": job_text}))
        target = check("target", lambda v: _number(v, allow_pct=True))
        change = check("change_pct", lambda v: _number(v, allow_pct=True))
        target_value, change_value = None, None
        if target is not None and target[0] is not None:
            if target[1]:
                change_value = target[0]
            else:
                target_value = target[0]
        if change is not None and change[0] is not None:
            if change_value is not None or target_value is not None:
                errors.append(RowError(number, headers["change_pct"], show(values.get("change_pct")), _(
                    "Indiquez soit un effectif cible, soit une évolution en %, pas les deux.")))
            else:
                change_value = change[0]
        if target_value is not None and target_value < 0:
            errors.append(RowError(number, headers["target"], show(values.get("target")),
                                   _("L'effectif cible ne peut pas être négatif.")))
        if change_value is not None and change_value < -100:
            column = "change_pct" if change is not None and change[0] is not None else "target"
            errors.append(RowError(number, headers[column], show(values.get(column)),
                                   _("Une évolution ne peut pas descendre sous −100 %.")))
        listed = check("skills", lambda v: _skill_list(show(v), skills_by_key, with_level=True)) or []
        declining = check("declining", lambda v: _skill_list(show(v), skills_by_key, with_level=False)) or []
        single = []
        skill_text = clean_text(values.get("skill"))
        if skill_text:
            skill_id = skills_by_key.get(normalize_label(skill_text))
            level = check("level", _level) if "level" in columns.values() else 2
            if skill_id is None:
                errors.append(RowError(number, headers["skill"], skill_text, _(
                    "Compétence « %(label)s » inconnue : corrigez son nom ou ajoutez-la au référentiel des "
                    "compétences.") % {"label": skill_text}))
            elif level is not None:
                single.append((skill_id, level))
        elif clean_text(values.get("level")):
            errors.append(RowError(number, headers.get("skill", headers["level"]), "", _(
                "Niveau sans compétence : indiquez la compétence dans la colonne « Compétence ».")))
        note = clean_text(values.get("note")) or ""
        need = needs.get(job_id) if job_id is not None else None
        if need is not None and not errors:
            if (target_value is not None and need.target is not None and target_value != need.target) or (
                    change_value is not None and need.change_pct is not None and change_value != need.change_pct) or (
                    target_value is not None and need.change_pct is not None) or (
                    change_value is not None and need.target is not None):
                errors.append(RowError(number, headers.get("target", headers.get("change_pct", "")),
                                       show(values.get("target", values.get("change_pct"))), _(
                    "Cet emploi figure déjà ligne %(row)s avec un autre effectif : gardez une seule valeur "
                    "par emploi.") % {"row": need.row}))
        if errors:
            result.errors.extend(errors)
            result.rejected_rows.add(number)
            continue
        if need is None:
            need = needs[job_id] = _Need(row=number)
        need.target = target_value if target_value is not None else need.target
        need.change_pct = change_value if change_value is not None else need.change_pct
        for skill_id, level in listed + single:
            need.skills[skill_id] = (level, JobNeedSkill.Change.REQUIRED)
        for skill_id, _level_unused in declining:
            need.skills[skill_id] = (0, JobNeedSkill.Change.DECLINING)
        if note:
            need.note = f"{need.note}\n{note}".strip()
    if result.errors:
        return result
    if not needs:
        result.file_error = _("Le fichier ne contient aucune ligne de besoin sous ses en-têtes.")
        return result
    with transaction.atomic():
        for job_id, need in needs.items():
            job_need_set(scenario=scenario, job_id=job_id, target_headcount=need.target, change_pct=need.change_pct,
                         skills=[{"skill_id": s, "level": level, "change": change}
                                 for s, (level, change) in need.skills.items()],
                         note=need.note, source=JobNeed.Source.IMPORT)
            result.written += 1
            result.skills += len(need.skills)
    return result


def needs_import(*, scenario: Scenario, upload) -> NeedsImportResult:
    """``upload``: a Django uploaded file (.xlsx, .xls, .ods or .csv)."""
    suffix = os.path.splitext(upload.name)[1].lower()
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, f"besoins{suffix}")
        with open(path, "wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        return needs_import_path(scenario=scenario, path=path, display_name=upload.name)
