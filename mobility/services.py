"""Writes of mobility: the cached suggestions, wishes, the training catalogue, organisation-wide plans."""

from __future__ import annotations

import logging
import time
from decimal import Decimal, InvalidOperation

import numpy as np
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import pgcopy
from core.errors import ApplicationError
from core.tasks import enqueue
from skills_matrix.models import OrgSkill, SkillLevel
from workforce.models import Employee, Job

from .engine import fit as engine
from .inputs import fit_inputs
from .models import MobilityCache, MobilityChange, MobilitySuggestion, MobilityWish, Training, TrainingSkill
from .selectors import CACHED_PER_EMPLOYEE

logger = logging.getLogger(__name__)
CACHED_PER_JOB = 50
DEFAULT_TOP_LEVEL = 4


# --- Cached suggestions ----------------------------------------------------------------------------------

def mobility_compute() -> dict:
    """Recompute every employee's best jobs and every job's best employees and store them with the version of
    the inputs they were read at (one repeatable-read snapshot, so the version matches the rows read)."""
    started = time.perf_counter()
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        version = MobilityChange.objects.count()
        inputs = fit_inputs()
        fit = inputs.fit() if len(inputs.employee_ids) and len(inputs.job_ids) else \
            np.zeros((len(inputs.employee_ids), len(inputs.job_ids)), dtype=np.float32)
        own = inputs.employee_job[:, None] == inputs.job_ids[None, :]
        fit[own] = 0
        rows = _ranked_rows(fit)
        _suggestions_replace(inputs, fit, rows)
        seconds = time.perf_counter() - started
        MobilityCache.objects.update_or_create(pk=MobilityCache.objects.values_list("pk", flat=True).first(),
                                               defaults={"version": version, "computed_at": timezone.now(),
                                                         "seconds": seconds})
    return {"employees": len(inputs.employee_ids), "jobs": len(inputs.job_ids), "suggestions": len(rows),
            "seconds": round(seconds, 2)}


def _suggestions_replace(inputs, fit: np.ndarray, rows: np.ndarray) -> None:
    """Replace the stored suggestions with ``rows`` in one binary COPY (hundreds of thousands of rows)."""
    table = MobilitySuggestion._meta.db_table
    e, j = rows[:, 0], rows[:, 1]
    data = pgcopy.payload([
        pgcopy.Column("int8", inputs.employee_ids[e]), pgcopy.Column("int8", inputs.job_ids[j]),
        pgcopy.Column("float8", fit[e, j].astype(np.float64)), pgcopy.Column("int2", rows[:, 2]),
        pgcopy.Column("int2", rows[:, 3]),
    ], len(rows))
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")
        with cursor.cursor.copy(f"COPY {table} (employee_id, job_id, fit, employee_rank, job_rank) "
                                "FROM STDIN (FORMAT BINARY)") as copy:
            copy.write(data)


def _ranked_rows(fit: np.ndarray) -> np.ndarray:
    """``[n, 4]`` (employee index, job index, rank among the employee's jobs, rank among the job's employees)
    of the pairs in either top list; pairs that fit 0 are never suggested."""
    n_employees, n_jobs = fit.shape
    if not n_employees or not n_jobs:
        return np.zeros((0, 4), dtype=np.int64)
    by_employee, values = engine.top_k(fit, CACHED_PER_EMPLOYEE)
    employee_rank = np.zeros(fit.shape, dtype=np.int32)
    rows = np.repeat(np.arange(n_employees), by_employee.shape[1])
    ranks = np.tile(np.arange(1, by_employee.shape[1] + 1), n_employees)
    keep = values.ravel() > 0
    employee_rank[rows[keep], by_employee.ravel()[keep]] = ranks[keep]
    by_job, job_values = engine.top_k(fit, CACHED_PER_JOB, axis=0)
    job_rank = np.zeros(fit.shape, dtype=np.int32)
    columns = np.repeat(np.arange(n_jobs), by_job.shape[1])
    ranks = np.tile(np.arange(1, by_job.shape[1] + 1), n_jobs)
    keep = job_values.ravel() > 0
    job_rank[by_job.ravel()[keep], columns[keep]] = ranks[keep]
    e, j = np.nonzero((employee_rank > 0) | (job_rank > 0))
    return np.column_stack([e, j, employee_rank[e, j], job_rank[e, j]])


def mobility_refresh_request(*, schema_name: str | None = None) -> bool:
    """Ask the worker to recompute the cache if it is behind the inputs (once per version)."""
    from .selectors import inputs_version

    version = inputs_version()
    state = MobilityCache.objects.first()
    if state is not None and state.version == version:
        return False
    if not cache.add(f"mobility-refresh-{version}", 1, timeout=300):
        return False
    from .tasks import mobility_compute_task

    enqueue(mobility_compute_task, schema_name=schema_name,
            on_error=lambda: logger.exception("Could not queue the mobility computation"))
    return True


# --- Wishes ----------------------------------------------------------------------------------------------

def mobility_wish_set(*, employee: Employee, job: Job, user, interested: bool = True) -> bool:
    """Record (or withdraw) that ``employee`` is interested in ``job``; returns the flag now held."""
    if interested and employee.job_id == job.pk:
        raise ApplicationError(_("« %(job)s » est déjà l'emploi de cette personne : choisissez un autre emploi.")
                               % {"job": job.title})
    if interested:
        MobilityWish.objects.get_or_create(employee=employee, job=job, defaults={"created_by": user})
    else:
        MobilityWish.objects.filter(employee=employee, job=job).delete()
    return interested


# --- Training catalogue ----------------------------------------------------------------------------------

def _money(value, name: str, maximum: Decimal = Decimal("99999999.99")) -> Decimal:
    try:
        amount = Decimal(str(value).replace(",", ".").replace("€", "").replace(" ", "").replace("\u202f", ""))
    except (InvalidOperation, ValueError) as exc:
        raise ApplicationError(_("« %(name)s » : « %(value)s » n'est pas un nombre (ex. 1200 ou 1200,50).")
                               % {"name": name, "value": value}) from exc
    if not amount.is_finite() or amount < 0:
        raise ApplicationError(_("« %(name)s » doit être un nombre positif ou nul (ex. 1200).") % {"name": name})
    if amount > maximum:
        raise ApplicationError(_("« %(name)s » dépasse le maximum accepté (%(maximum)s) : vérifiez l'unité "
                                 "(euros pour le coût, heures pour la durée).")
                               % {"name": name, "maximum": f"{maximum:,}".replace(",", "\u202f").replace(".", ",")})
    return amount


def _check_skills(skills: list[tuple[int, int]]) -> list[tuple[OrgSkill, int]]:
    ids = [skill_id for skill_id, _level in skills]
    found = OrgSkill.objects.in_bulk(ids)
    top = SkillLevel.objects.order_by("-value").values_list("value", flat=True).first() or DEFAULT_TOP_LEVEL
    result, seen = [], set()
    for skill_id, level in skills:
        if skill_id not in found:
            raise ApplicationError(_("Compétence n° %(id)s inconnue : choisissez une compétence du catalogue de "
                                     "l'organisation.") % {"id": skill_id}, status=404)
        if not 1 <= int(level) <= top:
            raise ApplicationError(_("Niveau %(level)s invalide pour « %(skill)s » : indiquez le niveau atteint "
                                     "à l'issue de la formation, de 1 à %(top)s.")
                                   % {"level": level, "skill": found[skill_id].label, "top": top})
        if skill_id in seen:
            raise ApplicationError(_("« %(skill)s » figure deux fois : indiquez chaque compétence une seule fois.")
                                   % {"skill": found[skill_id].label})
        seen.add(skill_id)
        result.append((found[skill_id], int(level)))
    return result


@transaction.atomic
def training_save(*, training: Training | None = None, title: str, provider: str = "", cost, hours,
                  cpf: bool = False, modality: str = "", sessions: str = "",
                  skills: list[tuple[int, int]]) -> Training:
    """Create (``training`` None) or replace a training of the catalogue with its skills and levels."""
    title = " ".join((title or "").split())
    if not title:
        raise ApplicationError(_("L'intitulé de la formation est obligatoire."))
    if modality and modality not in Training.Modality.values:
        raise ApplicationError(_("Modalité « %(value)s » inconnue : choisissez parmi %(choices)s.")
                               % {"value": modality, "choices": ", ".join(Training.Modality.values)})
    checked = _check_skills(skills)
    clash = Training.objects.filter(title__iexact=title, provider__iexact=(provider or "").strip())
    if training is not None:
        clash = clash.exclude(pk=training.pk)
    if clash.exists():
        raise ApplicationError(_("Une formation « %(title)s » de cet organisme existe déjà : modifiez-la plutôt "
                                 "que d'en créer une seconde.") % {"title": title}, status=409)
    training = training or Training()
    training.title, training.provider = title, (provider or "").strip()
    training.cost = _money(cost, _("Coût")).quantize(Decimal("0.01"))
    training.hours = _money(hours, _("Durée"), maximum=Decimal("999999.9")).quantize(Decimal("0.1"))
    training.cpf, training.modality, training.sessions = bool(cpf), modality or "", sessions or ""
    try:
        training.full_clean()
    except ValidationError as exc:
        raise ApplicationError(_("Formation invalide : %(errors)s") % {"errors": " ".join(exc.messages)}) from exc
    training.save()
    TrainingSkill.objects.filter(training=training).delete()
    TrainingSkill.objects.bulk_create(TrainingSkill(training=training, skill=skill, level=level)
                                      for skill, level in checked)
    return training


def training_delete(*, training: Training) -> None:
    training.delete()
