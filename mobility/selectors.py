"""Reads of mobility: suggestions per employee, candidates per job, training plans, the catalogue.

Cached suggestions are used only when they were computed from the current version of the inputs
(``MobilityChange`` count); otherwise the answer is computed on the spot, so a result is never stale.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from django.db.models import Prefetch, Q, QuerySet, Value
from django.utils.translation import gettext as _

from referentials.models import MobilityEdge
from skills_matrix.models import OrgSkill
from skills_matrix.selectors import org_unit_with_descendants
from workforce.models import Employee, Job

from . import explain
from .engine import fit as engine
from .engine import nearby as nearby_engine
from .engine.cover import training_cover
from .inputs import FitInputs, cached_inputs_for_employee, fit_inputs, fit_inputs_for_employee
from .models import MobilityCache, MobilityChange, MobilityWish, Training, TrainingSkill
from .nearby import NearbyPath, nearby_paths, referential_state

CACHED_PER_EMPLOYEE = 50
MAX_LIMIT = 100
# A person's suggestions come in one of two orders: "recommended" (their best fits re-ranked with the paths
# people take from occupations close to theirs, ``engine.nearby``: what the pages show first) or "fit" (best
# fit first: the API's default, as its contract says).
ORDER_RECOMMENDED, ORDER_FIT = "recommended", "fit"
ORDERS = (ORDER_RECOMMENDED, ORDER_FIT)


@dataclass(frozen=True)
class Line:
    """One requirement of the target job, for one person (see ``engine.fit.RequirementLine``)."""

    skill_id: int
    skill: str
    required: int
    held: float
    credit: float
    via: str
    weight: float
    critical: bool
    source_id: int | None = None
    source: str = ""
    sigma: float | None = None


@dataclass(frozen=True)
class Suggestion:
    """One (employee, job) pair with its fit and, each on its own, the other signals."""

    employee_id: int
    staff_number: str
    name: str
    job_id: int
    job: str
    rome_code: str
    fit: float
    lines: list[Line]
    rome_edge: tuple[str, str] | None = None
    interested: bool = False
    same_unit: bool = False
    scenario_gap: float | None = None
    explanation: list[str] = field(default_factory=list)
    nearby: NearbyPath | None = None


def inputs_version() -> int:
    return MobilityChange.objects.count()


@dataclass(frozen=True)
class CacheState:
    """``version``: the version of the inputs now; ``cached``: the version the stored suggestions were
    computed from (``None`` before the first computation)."""

    version: int
    cached: int | None

    @property
    def fresh(self) -> bool:
        return self.cached == self.version


def cache_state() -> CacheState:
    """Both versions in one query (a request reads them once, for its answer and for the refresh request)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT (SELECT count(*) FROM {MobilityChange._meta.db_table}), "
                       f"(SELECT version FROM {MobilityCache._meta.db_table} ORDER BY id LIMIT 1)")
        version, cached = cursor.fetchone()
    return CacheState(int(version), None if cached is None else int(cached))


def cache_is_fresh() -> bool:
    return cache_state().fresh


def _skill_labels(ids) -> dict[int, str]:
    return dict(OrgSkill.objects.filter(pk__in=list(ids)).values_list("id", "label"))


def _lines(inputs: FitInputs, effective: engine.Effective, e: int, j: int, labels: dict[int, str],
           critical: dict[tuple[int, int], bool], rows=None) -> list[Line]:
    result = []
    for raw in engine.requirement_lines(effective, inputs.requirements, e, j, rows=rows):
        skill_id = int(inputs.skill_ids[raw.skill])
        source_id = int(inputs.skill_ids[raw.source]) if raw.source >= 0 and raw.via != "same" else None
        sigma = float(inputs.neighbours.credit[raw.source, raw.skill]) if raw.via == "similar" else None
        result.append(Line(skill_id, labels.get(skill_id, ""), raw.required, round(raw.held, 4),
                           round(raw.credit, 4), raw.via, raw.weight,
                           critical.get((int(inputs.job_ids[j]), skill_id), False), source_id,
                           labels.get(source_id, "") if source_id else "", sigma))
    return result


def _criticals(job_ids) -> dict[tuple[int, int], bool]:
    from skills_matrix.models import JobRequirement

    return {(job, skill): True for job, skill in JobRequirement.objects.filter(
        job_id__in=list(job_ids), critical=True).values_list("job_id", "skill_id")}


def _rome_edges(pairs: set[tuple[str, str]]) -> set[tuple[str, str]]:
    sources = {s for s, t in pairs if s and t}
    targets = {t for s, t in pairs if s and t}
    if not sources:
        return set()
    edges = set(MobilityEdge.objects.filter(source__code__in=sources, target__code__in=targets)
                .values_list("source__code", "target__code"))
    return edges & pairs


def _job_units(job_ids) -> dict[int, set[int]]:
    """The org units where each of ``job_ids`` is held today."""
    units: dict[int, set[int]] = {}
    for job, unit in (Employee.objects.filter(is_active=True, job_id__in=list(job_ids), org_unit__isnull=False)
                      .values_list("job_id", "org_unit_id").distinct()):
        units.setdefault(job, set()).add(unit)
    return units


def _scenario_gaps(scenario) -> dict[int, float]:
    if scenario is None:
        return {}
    from foresight.selectors import scenario_job_gaps

    return scenario_job_gaps(scenario=scenario)


def scenario_gap(*, scenario, job: Job) -> float:
    """People missing in ``job`` at the scenario's horizon (negative: a surplus)."""
    return float(_scenario_gaps(scenario).get(job.pk, 0.0))


def _one_person_jobs(employee: Employee, job_ids: list[int]):
    """For one person, in one query: each job's title and ROME code, whether the person said they are
    interested and whether it is held today in their org unit (their own job's row gives its ROME code)."""
    from django.db.models import Exists, OuterRef

    rows = Job.objects.filter(pk__in=set(job_ids) | ({employee.job_id} if employee.job_id else set())).annotate(
        wanted=Exists(MobilityWish.objects.filter(employee_id=employee.pk, job_id=OuterRef("pk"))),
        here=Exists(Employee.objects.filter(job_id=OuterRef("pk"), is_active=True,
                                            org_unit_id=employee.org_unit_id)) if employee.org_unit_id else
        Value(False)).values_list("pk", "title", "rome_code", "wanted", "here")
    jobs, wanted, units = {}, set(), {}
    for pk, title, rome, is_wanted, here in rows:
        jobs[pk] = (title, rome)
        if is_wanted:
            wanted.add((employee.pk, pk))
        if here:
            units[pk] = {employee.org_unit_id}
    return jobs, wanted, units


def _suggestions(inputs: FitInputs, pairs: list[tuple[int, int]], *, scenario=None,
                 employee: Employee | None = None, cached=None, referential: tuple | None = None) -> list[Suggestion]:
    """Build suggestions for (employee index, job index) ``pairs`` of ``inputs``, in the order given.
    ``employee``: the one person of ``inputs``, when the caller has them (fewer queries); ``cached``: the
    ``CachedInputs`` that already hold the jobs, wishes, org units and ROME edges (no query at all);
    ``referential``: the ROME's state when the caller has read it (``nearby.referential_state``)."""
    if not pairs:
        return []
    sub_employees = sorted({e for e, _ in pairs})
    effective = engine.effective_levels(inputs.levels[sub_employees], inputs.neighbours, detail=True)
    row_of = {e: i for i, e in enumerate(sub_employees)}
    employee_ids = [int(inputs.employee_ids[e]) for e in sub_employees]
    job_ids = [int(inputs.job_ids[j]) for _, j in pairs]
    if employee is not None and employee_ids == [employee.pk]:
        people = {employee.pk: (employee.staff_number, f"{employee.first_name} {employee.last_name}".strip(),
                                employee.job_id, employee.org_unit_id)}
        if cached is not None:
            jobs = cached.jobs
            wanted = {(employee.pk, job) for job in cached.wanted}
            units = {job: {employee.org_unit_id} for job in cached.here}
        else:
            jobs, wanted, units = _one_person_jobs(employee, job_ids)
    else:
        people = {pk: (staff, f"{first} {last}".strip(), job, unit) for pk, staff, first, last, job, unit in
                  Employee.objects.filter(pk__in=employee_ids).values_list(
                      "pk", "staff_number", "first_name", "last_name", "job_id", "org_unit_id")}
        jobs = {pk: (title, rome) for pk, title, rome in
                Job.objects.filter(pk__in=set(job_ids) | {p[2] for p in people.values() if p[2]})
                .values_list("pk", "title", "rome_code")}
        wanted = set(MobilityWish.objects.filter(employee_id__in=employee_ids, job_id__in=job_ids)
                     .values_list("employee_id", "job_id"))
        units = _job_units(set(job_ids))
    labels = inputs.labels if inputs.labels is not None else _skill_labels(set(inputs.skill_ids.tolist()))
    critical = {key: True for key in inputs.critical} if inputs.critical is not None else _criticals(job_ids)
    gaps = _scenario_gaps(scenario)
    code_pairs = {}
    for e, j in pairs:
        person = people[int(inputs.employee_ids[e])]
        own = jobs.get(person[2], ("", ""))[1] if person[2] else ""
        code_pairs[(e, j)] = (own, jobs[int(inputs.job_ids[j])][1])
    edges = set(cached.edges) & set(code_pairs.values()) if cached is not None else \
        _rome_edges(set(code_pairs.values()))
    nearby = nearby_paths(code_pairs.values(), state=cached.referential if cached is not None else referential)
    result = []
    dense: dict[int, tuple] = {}
    for e, j in pairs:
        employee_id, job_id = int(inputs.employee_ids[e]), int(inputs.job_ids[j])
        staff, name, _own, unit = people[employee_id]
        if row_of[e] not in dense:
            dense[row_of[e]] = engine.dense_rows(effective, row_of[e])
        lines = _lines(inputs, effective, row_of[e], j, labels, critical, dense[row_of[e]])
        total = sum(line.weight for line in lines)
        fit = sum(line.weight * line.credit for line in lines) / total if total else 0.0
        edge = code_pairs[(e, j)] if code_pairs[(e, j)] in edges else None
        path = nearby.get(code_pairs[(e, j)])
        result.append(Suggestion(
            employee_id, staff, name, job_id, jobs[job_id][0], jobs[job_id][1], round(fit, 4), lines, edge,
            (employee_id, job_id) in wanted, unit in units.get(job_id, set()), gaps.get(job_id) if gaps else None,
            explain.explanation(lines, rome_edge=edge, nearby=path), path))
    return result


def _recommended(own_code: str, items: list[int], fits: list[float], codes: list[str], limit: int,
                 state: tuple | None = None) -> list[int]:
    """The first ``limit`` of ``items`` (jobs, as ids or as positions in increasing id order; with their fits
    and ROME codes) in the recommended order, for a person whose job has the ROME code ``own_code``."""
    paths = nearby_paths(((own_code, code) for code in codes), state=state)
    values = np.array([paths[(own_code, code)].value if (own_code, code) in paths else 0.0 for code in codes])
    order = nearby_engine.recommended_order(np.array(fits, dtype=np.float64), values, np.array(items),
                                            pool=max(limit, nearby_engine.POOL))
    return [items[i] for i in order[:limit]]


def employee_mobility(*, employee: Employee, limit: int = 10, scenario=None,
                      order: str = ORDER_FIT) -> list[Suggestion]:
    """The jobs ``employee`` could move to (their own job and jobs they fit 0 left out), best fit first or
    in the recommended order (``order``)."""
    return employee_mobility_and_freshness(employee=employee, limit=limit, scenario=scenario, order=order)[0]


def employee_mobility_and_freshness(*, employee: Employee, limit: int = 10, scenario=None,
                                    order: str = ORDER_FIT) -> tuple[list[Suggestion], bool]:
    """``employee_mobility`` and whether the cache was fresh (if not, the answer was computed on the spot
    and the caller may ask the worker for a recomputation). The recommended order re-ranks the person's
    ``nearby_engine.POOL`` best fits (or ``limit``, if more)."""
    limit = min(max(1, limit), MAX_LIMIT)
    recommended = order == ORDER_RECOMMENDED
    pool = max(limit, nearby_engine.POOL) if recommended else limit
    fresh = False
    if pool <= CACHED_PER_EMPLOYEE:
        cached = cached_inputs_for_employee(employee_id=employee.pk, employee_job=employee.job_id,
                                            org_unit=employee.org_unit_id, limit=pool)
        fresh = cached.fresh
        if fresh:
            if cached.inputs is None:
                return [], True
            ranked = cached.ranked[:limit]
            if recommended:
                own = cached.jobs.get(employee.job_id, ("", ""))[1] if employee.job_id else ""
                ranked = _recommended(own, cached.ranked, [cached.fits[job] for job in cached.ranked],
                                      [cached.jobs[job][1] for job in cached.ranked], limit, cached.referential)
            position = {job: i for i, job in enumerate(cached.inputs.job_ids.tolist())}
            return _suggestions(cached.inputs, [(0, position[job]) for job in ranked], scenario=scenario,
                                employee=employee, cached=cached), True
    inputs = fit_inputs_for_employee(employee_id=employee.pk)
    if not len(inputs.job_ids):
        return [], fresh
    fit = inputs.fit()[0]
    fit[inputs.job_ids == (employee.job_id or 0)] = 0
    best = [int(j) for j in np.lexsort((inputs.job_ids, -fit)) if fit[j] > 0][:pool]
    state = None
    if recommended and best:
        state = referential_state()
        codes = dict(Job.objects.filter(pk__in=[int(inputs.job_ids[j]) for j in best] + [employee.job_id or 0])
                     .values_list("pk", "rome_code"))
        chosen = _recommended(codes.get(employee.job_id, ""), best, [float(fit[j]) for j in best],
                              [codes[int(inputs.job_ids[j])] for j in best], limit, state)
    else:
        chosen = best[:limit]
    return _suggestions(inputs, [(0, j) for j in chosen], scenario=scenario, employee=employee,
                        referential=state), fresh


def job_candidates(*, user, job: Job, limit: int = 10, org_unit: int | None = None, min_fit: float = 0.0,
                   interested_only: bool = False, scenario=None) -> list[Suggestion]:
    """The people ``user`` may see who could take ``job``, best fit first (its current holders left out)."""
    from workforce.selectors import employee_visible_qs

    limit = min(max(1, limit), MAX_LIMIT)
    qs = employee_visible_qs(user).filter(is_active=True).exclude(job=job)
    if org_unit:
        qs = qs.filter(org_unit_id__in=org_unit_with_descendants(org_unit))
    if interested_only:
        qs = qs.filter(mobility_wishes__job=job)
    employee_ids = list(qs.values_list("pk", flat=True))
    if not employee_ids:
        return []
    inputs = fit_inputs(employee_ids=employee_ids, job_ids=[job.pk])
    if not len(inputs.job_ids) or not inputs.requirements.targets.nnz:
        return []
    fit = inputs.fit()[:, 0]
    order = np.lexsort((inputs.employee_ids, -fit))
    picked = [int(e) for e in order if fit[e] > 0 and fit[e] >= min_fit - 1e-6][:limit]
    return _suggestions(inputs, [(e, 0) for e in picked], scenario=scenario)


# --- Trainings -------------------------------------------------------------------------------------------

def training_list(*, search: str = "") -> QuerySet[Training]:
    qs = Training.objects.prefetch_related(
        Prefetch("skills", queryset=TrainingSkill.objects.select_related("skill").order_by("skill__label")))
    for word in search.split():
        qs = qs.filter(Q(title__icontains=word) | Q(provider__icontains=word))
    return qs.order_by("title", "id")


@dataclass(frozen=True)
class Uncovered:
    skill_id: int
    skill: str
    required: int
    reached: float


@dataclass(frozen=True)
class TrainingPlan:
    """The cheapest trainings closing the gap between a person and a job (``exact``, or greedy within
    ``bound`` × the optimum), and what no training of the catalogue reaches."""

    trainings: list[Training]
    total_cost: float
    total_hours: float
    uncovered: list[Uncovered]
    gap: list[Line]
    exact: bool
    bound: float


def training_plan_for_lines(lines: list[Line]) -> TrainingPlan:
    gap = [line for line in lines if line.credit < 1]
    if not gap:
        return TrainingPlan([], 0.0, 0.0, [], [], True, 1.0)
    skill_ids = sorted({line.skill_id for line in gap})
    rows = list(TrainingSkill.objects.filter(skill_id__in=skill_ids).values_list("training_id", "skill_id", "level"))
    training_ids = sorted({row[0] for row in rows})
    trainings = {t.pk: t for t in Training.objects.filter(pk__in=training_ids)}
    import scipy.sparse as sp

    position = {pk: i for i, pk in enumerate(training_ids)}
    column = {pk: i for i, pk in enumerate(skill_ids)}
    levels = sp.csr_matrix(
        ([float(level) for _t, _s, level in rows], ([position[t] for t, _s, _l in rows], [column[s] for _t, s, _l in rows])),
        shape=(len(training_ids), len(skill_ids)))
    cover = training_cover(
        np.array([column[line.skill_id] for line in gap]), np.array([line.required for line in gap]),
        np.array([line.held for line in gap]), levels,
        np.array([float(trainings[pk].cost) for pk in training_ids]),
        np.array([float(trainings[pk].hours) for pk in training_ids]))
    chosen = [trainings[training_ids[i]] for i in cover.chosen]
    uncovered = [Uncovered(gap[i].skill_id, gap[i].skill, gap[i].required, round(float(cover.reached[i]), 4))
                 for i in cover.uncovered]
    return TrainingPlan(chosen, round(cover.cost, 2), round(cover.hours, 1), uncovered, gap, cover.exact,
                        cover.bound)


def training_plan(*, employee: Employee, job: Job) -> TrainingPlan:
    """The trainings that close ``employee``'s gap for ``job`` at least cost."""
    inputs = fit_inputs(employee_ids=[employee.pk], job_ids=[job.pk])
    if not len(inputs.job_ids) or not len(inputs.employee_ids):
        return TrainingPlan([], 0.0, 0.0, [], [], True, 1.0)
    suggestion = _suggestions(inputs, [(0, 0)])[0]
    return training_plan_for_lines(suggestion.lines)


def wishes_of(*, employee: Employee) -> set[int]:
    return set(MobilityWish.objects.filter(employee=employee).values_list("job_id", flat=True))


# --- Beyond the organisation -----------------------------------------------------------------------------

OCCUPATION_TARGET = 2
_occupation_cache: dict = {}


@dataclass(frozen=True)
class OccupationSuggestion:
    """A ROME occupation outside the organisation, its fit against its core skills (each required at level 2,
    the person's levels counted through accepted mappings), what matches and what is missing, and its
    national shortage level when the foresight data is imported (``None`` otherwise)."""

    code: str
    label: str
    fit: float
    matched: list[str]
    missing: list[str]
    shortage: int | None = None
    shortage_label: str = ""


def _occupation_requirements():
    """(occupation ids, skill ids, requirements) of every ROME occupation's core skills, kept per process
    while the referential does not change."""
    from django.db.models import Count, Max

    from referentials.models import OccupationSkill

    core = OccupationSkill.objects.filter(role=OccupationSkill.Role.CORE)
    key = tuple(core.aggregate(n=Count("id"), last=Max("id")).values())
    if _occupation_cache.get("key") != key:
        rows = np.array(list(core.values_list("occupation_id", "skill_id")), dtype=np.int64).reshape(-1, 2)
        occupations, occupation_index = np.unique(rows[:, 0], return_inverse=True)
        skills, skill_index = np.unique(rows[:, 1], return_inverse=True)
        n = len(rows)
        requirements = engine.requirements_from_rows(len(occupations), len(skills), occupation_index, skill_index,
                                                      np.full(n, OCCUPATION_TARGET), np.ones(n), np.zeros(n, bool))
        _occupation_cache.clear()
        _occupation_cache.update(key=key, value=(occupations, skills, requirements))
    return _occupation_cache["value"]


SHORTAGE_CATEGORY = 4  # DARES tension categories run 1–5; 4 and 5 are occupations in shortage


def _shortages(codes: set[str]) -> dict[str, int]:
    """ROME code → DARES tension category (1–5) through the FAP → ROME bridge, when the national foresight
    data is imported (empty otherwise)."""
    try:
        from foresight.national import jobs_national
    except ImportError:
        return {}
    return {code: n.tension_category for code, n in jobs_national(set(codes)).items()
            if n.tension_category is not None}


def occupation_suggestions(*, employee: Employee, limit: int = 10,
                           shortage_only: bool = False) -> list[OccupationSuggestion]:
    """The ROME occupations ``employee`` is closest to, best fit first (their own job's occupation left out)."""
    from referentials.models import Occupation, Skill
    from skills_matrix.models import EmployeeSkill, SkillMapping

    occupations, skills, requirements = _occupation_requirements()
    if not len(occupations):
        return []
    held = {}
    for rome_skill, level in (EmployeeSkill.objects.filter(
            employee=employee, valid_to__isnull=True, level__gte=1,
            skill__mappings__status=SkillMapping.Status.ACCEPTED, skill__mappings__rome_skill__isnull=False)
            .values_list("skill__mappings__rome_skill_id", "level")):
        held[rome_skill] = max(level, held.get(rome_skill, 0))
    ids = np.array([s for s in held if s in set(skills.tolist())], dtype=np.int64)
    if not len(ids):
        return []
    levels = engine.levels_from_rows(1, len(skills), np.zeros(len(ids), dtype=np.int64),
                                     np.searchsorted(skills, ids), np.array([held[s] for s in ids]))
    fit = engine.fit_matrix(levels, requirements)[0]
    codes = dict(Occupation.objects.filter(pk__in=occupations[fit > 0].tolist()).values_list("pk", "code"))
    shortages = _shortages(set(codes.values()))
    own = employee.job.rome_code if employee.job_id else ""
    order = [i for i in np.lexsort((occupations, -fit)) if fit[i] > 0 and codes.get(int(occupations[i])) != own]
    if shortage_only:
        order = [i for i in order if shortages.get(codes.get(int(occupations[i])), 0) >= SHORTAGE_CATEGORY]
    order = order[:limit]
    picked = [int(occupations[i]) for i in order]
    labels = dict(Occupation.objects.filter(pk__in=picked).values_list("pk", "label"))
    result = []
    for i in order:
        start, end = requirements.targets.indptr[i], requirements.targets.indptr[i + 1]
        needed = skills[requirements.targets.indices[start:end]]
        names = dict(Skill.objects.filter(pk__in=needed.tolist()).values_list("pk", "label"))
        code = codes[int(occupations[i])]
        shortage = shortages.get(code)
        result.append(OccupationSuggestion(
            code, labels.get(int(occupations[i]), ""), round(float(fit[i]), 4),
            sorted(names[s] for s in needed.tolist() if held.get(s, 0) >= OCCUPATION_TARGET),
            sorted(names[s] for s in needed.tolist() if held.get(s, 0) < OCCUPATION_TARGET),
            shortage, _("Tension %(category)s sur 5") % {"category": shortage} if shortage else ""))
    return result


# --- Plans -----------------------------------------------------------------------------------------------

def plan_view(*, plan) -> dict:
    """A plan's result with names, job titles and training titles, for the page and the export."""
    from foresight.models import Scenario

    result = plan.result or {}
    moves = result.get("moves", [])
    people = {staff: f"{first} {last}".strip() for staff, first, last in Employee.objects.filter(
        staff_number__in=[m["staff_number"] for m in moves]).values_list("staff_number", "first_name", "last_name")}
    jobs = dict(Job.objects.values_list("pk", "title"))
    trainings = {pk: (title, float(cost), float(hours)) for pk, title, cost, hours in
                 Training.objects.values_list("pk", "title", "cost", "hours")}
    scenario = Scenario.objects.filter(pk=plan.scenario_id).values_list("name", flat=True).first() or ""
    return {
        "scenario": scenario,
        "moves": [{"staff_number": m["staff_number"], "name": people.get(m["staff_number"], ""),
                   "from_job": jobs.get(m["from_job_id"], ""), "to_job": jobs.get(m["to_job_id"], ""),
                   "fit": m["fit"], "trainings": [trainings[t][0] for t in m["training_ids"] if t in trainings],
                   "cost": sum(trainings[t][1] for t in m["training_ids"] if t in trainings),
                   "hours": sum(trainings[t][2] for t in m["training_ids"] if t in trainings)} for m in moves],
        "external_hires": [{"job": jobs.get(h["job_id"], ""), "job_id": h["job_id"], "count": h["count"]}
                           for h in result.get("external_hires", [])],
        "training_cost": result.get("training_cost", 0.0), "training_hours": result.get("training_hours", 0.0),
    }
