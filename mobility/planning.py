"""The organisation-wide plan for a foresight scenario: who moves where (highest total fit, each person at
most once), the trainings each move needs, their cost and hours, and the hiring left to do outside."""

from __future__ import annotations

import logging

import numpy as np
import scipy.sparse as sp
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ApplicationError
from core.tasks import enqueue
from workforce.models import Employee

from .engine import fit as engine
from .engine.cover import training_cover
from .engine.plan import plan_assign
from .inputs import fit_inputs
from .models import MobilityPlan, MobilityWish, Training, TrainingSkill

logger = logging.getLogger(__name__)


def mobility_plan_create(*, scenario, user, interested_only: bool = False, shrinking_jobs_only: bool = False,
                         min_fit: float = 0.0) -> MobilityPlan:
    """Record a plan request for ``scenario`` and queue its computation."""
    if not 0 <= min_fit <= 1:
        raise ApplicationError(_("L'adéquation minimale doit être comprise entre 0 et 1 (ex. 0.6)."), status=422)
    plan = MobilityPlan.objects.create(
        scenario_id=scenario.pk, created_by=user if getattr(user, "pk", None) else None,
        options={"interested_only": bool(interested_only), "shrinking_jobs_only": bool(shrinking_jobs_only),
                 "min_fit": float(min_fit)})
    from .tasks import mobility_plan_task

    enqueue(mobility_plan_task, plan.pk, on_error=lambda: _fail(plan, _("Le calcul n'a pas pu être lancé : "
                                                                        "réessayez dans un instant.")))
    return plan


def _fail(plan: MobilityPlan, message: str) -> None:
    MobilityPlan.objects.filter(pk=plan.pk).update(status=MobilityPlan.Status.FAILED, error=message,
                                                   finished_at=timezone.now())


def _progress(plan: MobilityPlan, value: int) -> None:
    plan.progress = value
    MobilityPlan.objects.filter(pk=plan.pk).update(progress=value, status=MobilityPlan.Status.RUNNING)


def mobility_plan_run(*, plan: MobilityPlan) -> MobilityPlan:
    """Compute ``plan`` (in the worker): see ``mobility.engine.plan``. Stores the moves, trainings, costs and
    external hires in ``plan.result``."""
    from foresight.models import Scenario
    from foresight.selectors import scenario_job_gaps

    scenario = Scenario.objects.filter(pk=plan.scenario_id).first()
    if scenario is None:
        _fail(plan, _("Le scénario de ce plan n'existe plus."))
        plan.refresh_from_db()
        return plan
    try:
        _progress(plan, 5)
        gaps = scenario_job_gaps(scenario=scenario)
        _progress(plan, 30)
        result = plan_compute(gaps=gaps, **plan.options, on_progress=lambda v: _progress(plan, v))
    except Exception:
        logger.exception("Mobility plan %s failed", plan.pk)
        _fail(plan, _("Le calcul du plan a échoué ; réessayez, et signalez-le si cela se reproduit."))
        plan.refresh_from_db()
        return plan
    MobilityPlan.objects.filter(pk=plan.pk).update(status=MobilityPlan.Status.DONE, progress=100, result=result,
                                                   finished_at=timezone.now())
    plan.refresh_from_db()
    return plan


def _openings(gaps: dict[int, float]) -> dict[int, int]:
    """Whole people missing per job (an expected 1.5 missing counts as 2; 0.4 as 0)."""
    return {job: int(np.floor(gap + 0.5)) for job, gap in gaps.items() if gap >= 0.5}


def plan_compute(*, gaps: dict[int, float], interested_only: bool = False, shrinking_jobs_only: bool = False,
                 min_fit: float = 0.0, on_progress=None) -> dict:
    """The plan for the scenario's job ``gaps`` (job id → people missing, negative for a surplus)."""
    openings = _openings(gaps)
    shrinking = {job for job, gap in gaps.items() if gap < 0}
    open_jobs = sorted(openings)
    empty = {"moves": [], "training_cost": 0.0, "training_hours": 0.0,
             "external_hires": [{"job_id": j, "count": openings[j]} for j in open_jobs]}
    if not open_jobs:
        return empty
    candidates = Employee.objects.filter(is_active=True)
    if shrinking_jobs_only:
        candidates = candidates.filter(job_id__in=shrinking)
    if interested_only:
        candidates = candidates.filter(mobility_wishes__job_id__in=open_jobs).distinct()
    inputs = fit_inputs(employee_ids=list(candidates.values_list("pk", flat=True)), job_ids=open_jobs)
    if not len(inputs.employee_ids):
        return empty
    effective = inputs.effective()
    fit = engine.fit_matrix(effective.level, inputs.requirements).astype(np.float64)
    allowed = (fit > 0) & (fit >= min_fit - 1e-6) & (inputs.employee_job[:, None] != inputs.job_ids[None, :])
    if interested_only:
        row = {pk: i for i, pk in enumerate(inputs.employee_ids.tolist())}
        column = {pk: j for j, pk in enumerate(inputs.job_ids.tolist())}
        wished = np.zeros_like(allowed)
        for employee, job in MobilityWish.objects.filter(employee_id__in=row, job_id__in=column).values_list(
                "employee_id", "job_id"):
            wished[row[employee], column[job]] = True
        allowed &= wished
    if on_progress:
        on_progress(60)
    employees, jobs = plan_assign(fit, np.array([openings[j] for j in inputs.job_ids.tolist()]), allowed)
    trainings = _catalogue(inputs.skill_ids)
    staff = dict(Employee.objects.filter(pk__in=inputs.employee_ids[employees].tolist())
                 .values_list("pk", "staff_number"))
    moves, total_cost, total_hours = [], 0.0, 0.0
    for e, j in zip(employees.tolist(), jobs.tolist(), strict=True):
        chosen, cost, hours = _move_trainings(effective.level, inputs.requirements, e, j, trainings)
        total_cost += cost
        total_hours += hours
        employee_id = int(inputs.employee_ids[e])
        moves.append({"staff_number": staff[employee_id], "from_job_id": int(inputs.employee_job[e]) or None,
                      "to_job_id": int(inputs.job_ids[j]), "fit": round(float(fit[e, j]), 4),
                      "training_ids": chosen})
    filled = np.bincount(jobs, minlength=len(inputs.job_ids))
    hires = [{"job_id": int(job), "count": int(openings[int(job)] - filled[j])}
             for j, job in enumerate(inputs.job_ids.tolist()) if openings[int(job)] - filled[j] > 0]
    return {"moves": moves, "training_cost": round(total_cost, 2), "training_hours": round(total_hours, 1),
            "external_hires": hires}


def _catalogue(skill_ids: np.ndarray):
    """(training ids, levels csr[T, S] over ``skill_ids``, cost, hours) of the whole catalogue."""
    trainings = list(Training.objects.order_by("pk").values_list("pk", "cost", "hours"))
    ids = np.array([t[0] for t in trainings], dtype=np.int64)
    rows = np.array(list(TrainingSkill.objects.filter(skill_id__in=skill_ids.tolist())
                         .values_list("training_id", "skill_id", "level")), dtype=np.int64).reshape(-1, 3)
    levels = sp.csr_matrix((rows[:, 2].astype(np.float64), (np.searchsorted(ids, rows[:, 0]),
                                                             np.searchsorted(skill_ids, rows[:, 1]))),
                           shape=(len(ids), len(skill_ids)))
    return ids, levels, np.array([float(t[1]) for t in trainings]), np.array([float(t[2]) for t in trainings])


def _move_trainings(effective, requirements, e: int, j: int, trainings) -> tuple[list[int], float, float]:
    ids, levels, cost, hours = trainings
    start, end = requirements.targets.indptr[j], requirements.targets.indptr[j + 1]
    skills = requirements.targets.indices[start:end]
    targets = requirements.targets.data[start:end]
    held = effective[e].toarray().ravel()[skills]
    short = held < targets
    if not short.any() or not len(ids):
        return [], 0.0, 0.0
    cover = training_cover(skills[short], targets[short], held[short], levels, cost, hours)
    return ids[cover.chosen].tolist(), cover.cost, cover.hours
