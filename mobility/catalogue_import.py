"""Import of the training catalogue from a workbook or CSV: the staff import's reader (``read_table``) and
its row errors (``RowError``: row, column, value, message). Valid rows are written in one transaction;
each bad row is listed with what to fix."""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import ApplicationError
from imports.engine.headers import normalize_header
from imports.engine.parsing import SKILL_WITH_LEVEL, clean_text, show
from imports.engine.reader import read_table
from imports.engine.types import ImportFileError, RowError
from skills_matrix.engine import normalize_label
from skills_matrix.models import OrgSkill

from .models import Training
from .services import HOURS_MAXIMUM, _money, training_save

HEADER_SEARCH_ROWS = 20
_ALIASES = {
    "title": ("intitule", "formation", "titre", "libelle", "intitule de la formation", "title"),
    "provider": ("organisme", "prestataire", "organisme de formation", "provider"),
    "cost": ("cout", "cout eur", "cout euros", "prix", "tarif", "cout ht", "cost"),
    "hours": ("duree", "duree heures", "duree h", "heures", "nombre d heures", "hours"),
    "cpf": ("cpf", "eligible cpf", "eligibilite cpf"),
    "modality": ("modalite", "modalites", "format", "modality"),
    "skills": ("competences", "competences visees", "competences et niveaux", "skills"),
    "sessions": ("sessions", "dates", "calendrier"),
}
FIELD_BY_HEADER = {normalize_header(alias): name for name, aliases in _ALIASES.items() for alias in aliases}
YES = {"oui", "o", "yes", "y", "vrai", "true", "1", "x"}
NO = {"non", "n", "no", "faux", "false", "0", ""}


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)
    rejected_rows: set[int] = field(default_factory=set)
    file_error: str = ""


def _header(rows) -> tuple[int, dict[int, str]]:
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        columns = {i: FIELD_BY_HEADER[normalize_header(cell)] for i, cell in enumerate(row)
                   if normalize_header(cell) in FIELD_BY_HEADER}
        if "title" in columns.values():
            return index, columns
    raise ImportFileError(_("Aucune ligne d'en-tête avec une colonne « Intitulé » n'a été trouvée dans les %(n)s "
                            "premières lignes : ajoutez les en-têtes Intitulé, Organisme, Coût, Durée, CPF, "
                            "Compétences.") % {"n": HEADER_SEARCH_ROWS})


def _modality(text: str) -> str:
    key = normalize_label(text).replace(" ", "_")
    for value, label in Training.Modality.choices:
        if key in {value, normalize_label(str(label)).replace(" ", "_")}:
            return value
    raise ApplicationError(_("Modalité inconnue : écrivez %(choices)s.")
                           % {"choices": ", ".join(str(label) for _v, label in Training.Modality.choices)})


def _skills(text: str, skills_by_key: dict[str, int]) -> list[tuple[int, int]]:
    result = []
    for part in re.split(r"[;\n|]", text or ""):
        part = part.strip()
        if not part:
            continue
        match = SKILL_WITH_LEVEL.match(part)
        if match is None:
            raise ApplicationError(_("« %(part)s » : écrivez chaque compétence suivie de son niveau atteint, ex. "
                                     "« Soudure TIG : 3 ; Lecture de plans : 2 ».") % {"part": part})
        skill_id = skills_by_key.get(normalize_label(match["label"]))
        if skill_id is None:
            raise ApplicationError(_("Compétence « %(label)s » inconnue : corrigez son nom ou ajoutez-la au catalogue "
                                     "des compétences.") % {"label": match["label"].strip()})
        result.append((skill_id, int(match["level"])))
    return result


def training_import(*, upload) -> ImportResult:
    """Read ``upload`` (a Django uploaded file) and create or update one training per valid row (matched on
    title and provider); return the counts and every row error."""
    result = ImportResult()
    suffix = os.path.splitext(upload.name)[1].lower()
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, f"catalogue{suffix}")
        with open(path, "wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        try:
            table = read_table(path)
            header_index, columns = _header(table.rows)
        except ImportFileError as exc:
            result.file_error = exc.message.replace("catalogue" + suffix, upload.name)
            return result
    headers = {i: show(table.rows[header_index][i]) for i in columns}
    skills_by_key = dict(OrgSkill.objects.values_list("normalized_label", "id"))
    existing = {(normalize_label(t), normalize_label(p)): pk
                for pk, t, p in Training.objects.values_list("pk", "title", "provider")}
    with transaction.atomic():
        for row, number in zip(table.rows[header_index + 1:], table.row_numbers[header_index + 1:], strict=True):
            values = {name: (row[i] if i < len(row) else None) for i, name in columns.items()}
            column_of = {name: headers[i] for i, name in columns.items()}
            errors = []

            def check(name, parse, values=values, column_of=column_of, errors=errors, number=number):
                try:
                    return parse(values.get(name))
                except ApplicationError as exc:
                    errors.append(RowError(number, column_of.get(name, ""), show(values.get(name)), exc.message))
                    return None

            title = clean_text(values.get("title"))
            if not title:
                errors.append(RowError(number, column_of["title"], "", _("Intitulé manquant : indiquez le nom de la "
                                                                         "formation.")))
            provider = clean_text(values.get("provider")) or ""
            cost = check("cost", lambda v: _money(v if v not in (None, "") else 0, _("Coût")))
            hours = check("hours", lambda v: _money(v if v not in (None, "") else 0, _("Durée"),
                                                                     HOURS_MAXIMUM, "0.1"))
            cpf = check("cpf", _cpf)
            modality = check("modality", lambda v: _modality(clean_text(v)) if clean_text(v) else "")
            skills = check("skills", lambda v: _skills(str(v) if v is not None else "", skills_by_key))
            if errors:
                result.errors.extend(errors)
                result.rejected_rows.add(number)
                continue
            key = (normalize_label(title), normalize_label(provider))
            current = Training.objects.filter(pk=existing[key]).first() if key in existing else None
            try:
                with transaction.atomic():
                    saved = training_save(training=current, title=title, provider=provider, cost=cost or Decimal(0),
                                          hours=hours or Decimal(0), cpf=bool(cpf), modality=modality or "",
                                          sessions=clean_text(values.get("sessions")) or "", skills=skills or [])
            except ApplicationError as exc:
                result.errors.append(RowError(number, "", title, exc.message))
                result.rejected_rows.add(number)
                continue
            existing[key] = saved.pk
            if current is None:
                result.created += 1
            else:
                result.updated += 1
    return result


def _cpf(value) -> bool:
    text = normalize_label(show(value))
    if text in YES:
        return True
    if text in NO:
        return False
    raise ApplicationError(_("Écrivez « oui » ou « non »."))
