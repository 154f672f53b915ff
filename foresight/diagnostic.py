"""The diagnostic of a scenario: database rows → arrays (a handful of queries), the engine, and a plain result
(dicts, lists, numpy arrays) kept in ``ScenarioResult`` until staff, skills or the scenario change."""

from __future__ import annotations

import hashlib
import pickle
from dataclasses import dataclass

import numpy as np
from django.db import connection
from django.db.models import Count, F, Max, Sum

from skills_matrix.models import EmployeeSkill, JobRequirement, OrgSkill, SkillLevel
from workforce.models import Employee, Job, OrgUnit

from .engine import projection as proj
from .engine import skills as sk
from .models import JobNeed, JobNeedSkill, Scenario, ScenarioResult

SEX_CODES = {"F": 0, "M": 1}
NO_JOB = -1


@dataclass(frozen=True)
class Scope:
    """Which employees the diagnostic covers: an org unit (and its sub-units), a contract type, a team (the
    ids a supervisor may see, from ``employee_visible_qs``; None: everyone)."""

    org_unit: int | None = None
    contract_type: str = ""
    team: tuple[int, ...] | None = None

    @property
    def key(self) -> str:
        team = "" if self.team is None else hashlib.sha256(repr(self.team).encode()).hexdigest()[:16]
        return f"u{self.org_unit or ''}|c{self.contract_type}|t{team}"


def _unit_and_below(unit_id: int) -> list[int]:
    children: dict[int | None, list[int]] = {}
    for pk, parent in OrgUnit.objects.values_list("id", "parent_id"):
        children.setdefault(parent, []).append(pk)
    found, todo = [], [unit_id]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def _employees(scope: Scope):
    qs = Employee.objects.all()
    if scope.org_unit:
        qs = qs.filter(org_unit_id__in=_unit_and_below(scope.org_unit))
    if scope.contract_type:
        qs = qs.filter(contract_type=scope.contract_type)
    if scope.team is not None:
        qs = qs.filter(pk__in=scope.team)
    return qs


def fingerprint(scenario: Scenario) -> str:
    """Changes whenever staff, skills, requirements or the scenario (with its needs) change."""
    parts = [
        scenario.updated_at.isoformat(),
        Employee.objects.aggregate(n=Count("id"), m=Max("updated_at")),
        # A withdrawn level closes its row without adding one: the latest closing date tells it.
        EmployeeSkill.objects.aggregate(n=Count("id"), m=Max("id"), closed=Max("valid_to")),
        # Σ id × level changes when any one requirement's level changes (Max would miss a lowered level).
        JobRequirement.objects.aggregate(n=Count("id"), m=Max("id"), s=Sum(F("id") * F("target_level"))),
        _names_digest(),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:40]


def _names_digest() -> tuple:
    """Jobs (title, ROME code), skills (label) and units (name, parent) as digests, in one query: a renamed
    job or a job linked to another ROME code changes what the dashboard shows."""
    tables = {t: m._meta.db_table for t, m in (("job", Job), ("skill", OrgSkill), ("unit", OrgUnit))}
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT md5(coalesce(string_agg(id || ':' || title || ':' || rome_code, '|' ORDER BY id), '')) "
            f"FROM {tables['job']}), "
            f"(SELECT md5(coalesce(string_agg(id || ':' || label, '|' ORDER BY id), '')) FROM {tables['skill']}), "
            f"(SELECT md5(coalesce(string_agg(id || ':' || name || ':' || coalesce(parent_id::text, ''), '|' "
            f"ORDER BY id), '')) FROM {tables['unit']})"
        )
        return cursor.fetchone()


def diagnostic_get(*, scenario: Scenario, scope: Scope | None = None) -> dict:
    """The scenario's diagnostic for ``scope``, from the cache when nothing changed since it was computed."""
    scope = scope or Scope()
    stamp = fingerprint(scenario)
    cached = ScenarioResult.objects.filter(scenario=scenario, scope=scope.key, fingerprint=stamp).first()
    if cached is not None:
        return pickle.loads(bytes(cached.payload))  # noqa: S301 - our own payload, written below
    result = diagnostic_compute(scenario=scenario, scope=scope)
    ScenarioResult.objects.update_or_create(
        scenario=scenario, scope=scope.key,
        defaults={"fingerprint": stamp, "payload": pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)},
    )
    return result


_SKILL_ROW = np.dtype([("emp", ">i4"), ("skill", ">i4"), ("level", ">i2")])


def _current_skill_rows(employee_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Current (employee id, skill id, level) rows as arrays, in one bytea value (no row-by-row transfer)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT string_agg(int4send(employee_id::int4) || int4send(skill_id::int4) || int2send(level::int2), "
            f"''::bytea) FROM {EmployeeSkill._meta.db_table} WHERE valid_to IS NULL AND level > 0 "
            "AND employee_id = ANY(%s)",
            [employee_ids.tolist()],
        )
        (data,) = cursor.fetchone()
    rows = np.frombuffer(bytes(data or b""), dtype=_SKILL_ROW)
    return rows["emp"].astype(np.int64), rows["skill"].astype(np.int64), rows["level"].astype(np.int64)


def _index(ids: np.ndarray, values: np.ndarray, missing: int = -1) -> np.ndarray:
    """Position of each of ``values`` in the sorted ``ids`` (``missing`` where absent or null)."""
    if not len(ids):
        return np.full(len(values), missing, dtype=np.int64)
    pos = np.clip(np.searchsorted(ids, values), 0, len(ids) - 1)
    return np.where(ids[pos] == values, pos, missing)


def _dates(values) -> np.ndarray:
    return np.array(values, dtype="datetime64[D]") if len(values) else np.array([], dtype="datetime64[D]")


def diagnostic_compute(*, scenario: Scenario, scope: Scope) -> dict:
    """Run the engine on the scope's employees; see ``foresight.engine`` for every convention."""
    d0 = np.datetime64(scenario.reference_date, "D")
    periods = scenario.period_count
    rows = list(_employees(scope).order_by("id").values_list(
        "id", "birth_date", "hire_date", "exit_date", "job_id", "org_unit_id", "sex", "contract_type",
        "first_name", "last_name",
    ))
    emp_id = np.array([r[0] for r in rows], dtype=np.int64)
    birth, hire, exit_ = (_dates([r[i] for r in rows]) for i in (1, 2, 3))
    job_of = np.array([r[4] if r[4] is not None else NO_JOB for r in rows], dtype=np.int64)
    unit_of = np.array([r[5] if r[5] is not None else -1 for r in rows], dtype=np.int64)
    sex = np.array([SEX_CODES.get(r[6], 2) for r in rows], dtype=np.int64)
    contract = [r[7] for r in rows]
    names = {r[0]: f"{r[8]} {r[9]}".strip() for r in rows}

    present = proj.present_mask(d0, hire, exit_) if rows else np.zeros(0, dtype=bool)
    emp_id, birth, exit_, job_of, unit_of, sex = (a[present] for a in (emp_id, birth, exit_, job_of, unit_of, sex))
    contract = [c for c, p in zip(contract, present, strict=True) if p]

    jobs = list(Job.objects.order_by("id").values_list("id", "title", "rome_code"))
    job_ids = np.array([j[0] for j in jobs], dtype=np.int64)
    J = len(jobs)
    job_pos = _index(job_ids, job_of)
    group = np.where(job_pos >= 0, job_pos, J)  # bucket J: no job
    units = list(OrgUnit.objects.order_by("id").values_list("id", "name"))
    unit_ids = np.array([u[0] for u in units], dtype=np.int64)
    U = len(units)
    unit_pos = _index(unit_ids, unit_of)

    job_rate = np.full(J, np.nan)
    job_age = np.full(J, np.nan)
    for job_id, age, rate in scenario.job_overrides.values_list("job_id", "retirement_age", "attrition_rate"):
        p = _index(job_ids, np.array([job_id]))[0]
        if p >= 0:
            job_age[p] = np.nan if age is None else age
            job_rate[p] = np.nan if rate is None else rate
    unit_rate = np.full(U, np.nan)
    for unit_id, rate in scenario.unit_overrides.values_list("org_unit_id", "attrition_rate"):
        p = _index(unit_ids, np.array([unit_id]))[0]
        if p >= 0:
            unit_rate[p] = rate
    attrition = proj.resolve_rates(scenario.attrition_rate, job_pos, job_rate, unit_pos, unit_rate)
    retirement_age = proj.resolve_rates(scenario.retirement_age, job_pos, job_age, unit_pos, np.array([]))
    departures = proj.scheduled_departures(d0, periods, birth, retirement_age.astype(np.int64), exit_)
    projection = proj.project(d0, periods, departures, attrition, group, J + 1)
    band = None
    if scenario.monte_carlo_runs:
        band = proj.monte_carlo(periods, departures, attrition, group, J + 1, scenario.monte_carlo_runs,
                                seed=scenario.pk or 0)

    # Needs → targets per job. Without a need a job keeps today's headcount (replacing who leaves).
    target_abs = np.full(J, np.nan)
    change_pct = np.full(J, np.nan)
    needs = list(JobNeed.objects.filter(scenario=scenario).values_list("id", "job_id", "target_headcount",
                                                                       "change_pct"))
    has_need = np.zeros(J, dtype=bool)
    for _, job_id, target, pct in needs:
        p = _index(job_ids, np.array([job_id]))[0]
        if p >= 0:
            has_need[p] = True
            target_abs[p] = np.nan if target is None else target
            change_pct[p] = np.nan if pct is None else pct
    current = projection.group_start[:J]
    expected = projection.group_headcount[:J, -1] if periods else current
    targets = sk.job_targets(current, target_abs, change_pct)

    # Skills: requirements with the scenario's changes, supply from current levels.
    skills = list(OrgSkill.objects.order_by("id").values_list("id", "label"))
    skill_ids = np.array([s[0] for s in skills], dtype=np.int64)
    S = len(skills)
    levels = max(list(SkillLevel.objects.values_list("value", flat=True)) + [4])
    req = np.array(list(JobRequirement.objects.values_list("job_id", "skill_id", "target_level")),
                   dtype=np.int64).reshape(-1, 3)
    chg = np.array(list(JobNeedSkill.objects.filter(need__scenario=scenario).values_list(
        "need__job_id", "skill_id", "level", "change")), dtype=object).reshape(-1, 4)
    r_job, r_skill, r_level = sk.merge_requirements(
        _index(job_ids, req[:, 0]), _index(skill_ids, req[:, 1]), req[:, 2],
        _index(job_ids, chg[:, 0].astype(np.int64)), _index(skill_ids, chg[:, 1].astype(np.int64)),
        chg[:, 2].astype(np.int64), chg[:, 3] == JobNeedSkill.Change.DECLINING, max(S, 1),
    )
    ok = (r_job >= 0) & (r_skill >= 0)
    r_job, r_skill, r_level = r_job[ok], r_skill[ok], r_level[ok]
    es_emp_id, es_skill_id, es_level = _current_skill_rows(emp_id)
    es_emp = _index(emp_id, es_emp_id)
    es_skill = _index(skill_ids, es_skill_id)
    ok = (es_emp >= 0) & (es_skill >= 0)
    es_emp, es_skill, es_level = es_emp[ok], es_skill[ok], es_level[ok]
    balance = sk.skill_balance(targets, r_job, r_skill, r_level, es_emp, es_skill, es_level,
                               projection.survival, S, levels)
    leaves = departures.period <= periods
    risks = sk.knowledge_risks(r_skill, r_level, es_emp, es_skill, es_level, leaves, S, levels)

    ages = sk.ages_at(d0, birth)
    return {
        "scenario": {"id": scenario.pk, "name": scenario.name, "horizon_year": scenario.horizon_year,
                     "reference_date": scenario.reference_date, "retirement_age": scenario.retirement_age,
                     "attrition_rate": scenario.attrition_rate, "monte_carlo_runs": scenario.monte_carlo_runs},
        "scope": scope.key,
        "periods": _periods(projection.years, projection.headcount, projection.retirements, projection.planned,
                            projection.attrition, band and (band.p10, band.p50, band.p90)),
        "start": projection.start,
        "jobs": [
            {
                "job_id": jobs[j][0], "job": jobs[j][1], "rome_code": jobs[j][2],
                "current": float(current[j]), "projected": float(expected[j]), "target": float(targets[j]),
                "gap": float(targets[j] - expected[j]), "has_need": bool(has_need[j]),
                "periods": _periods(projection.years, projection.group_headcount[j], projection.group_retirements[j],
                                    projection.group_planned[j], projection.group_attrition[j],
                                    band and (band.group_p10[j], band.group_p50[j], band.group_p90[j])),
            }
            for j in range(J) if current[j] > 0 or has_need[j]
        ],
        "units": _unit_gaps(units, unit_pos, group, J, projection, targets),
        "skills": [
            {"skill_id": skills[s][0], "skill": skills[s][1], "level": int(balance.level[s]),
             "demand": float(balance.demand[s]), "supply": float(balance.supply[s]), "gap": float(balance.gap[s])}
            for s in np.flatnonzero(balance.required)
        ],
        "risks": _risks(risks, skills, emp_id, names, departures, d0),
        "pyramid": sk.age_pyramid(ages, sex).tolist(),
        "age_known": int((ages >= 0).sum()),
        "contracts": _count(contract),
        "departures_people": _departing_people(emp_id, names, departures, job_of, jobs, job_ids),
    }


def _periods(years, headcount, retirements, planned, attrition, band) -> list[dict]:
    out = []
    for k, year in enumerate(years):
        row = {"year": int(year), "headcount": float(headcount[k]), "retirements": float(retirements[k]),
               "planned": float(planned[k]), "attrition": float(attrition[k])}
        if band is not None:
            row.update(p10=float(band[0][k]), p50=float(band[1][k]), p90=float(band[2][k]))
        out.append(row)
    return out


def _unit_gaps(units, unit_pos, group, J, projection, targets) -> list[dict]:
    """Per org unit: a job's target is shared among units in proportion to today's headcount of the job in
    each unit; gap = Σ shared target − Σ expected headcount of the unit's employees."""
    U = len(units)
    bucket = np.where(unit_pos >= 0, unit_pos, U)
    cells = np.bincount(bucket * (J + 1) + group, minlength=(U + 1) * (J + 1)).reshape(U + 1, J + 1)[:, :J]
    per_job = cells.sum(axis=0)
    share = np.divide(cells, per_job, out=np.zeros(cells.shape), where=per_job > 0)
    unit_target = share @ targets
    unit_target[U] += targets[per_job == 0].sum()
    expected = np.bincount(bucket, weights=projection.survival, minlength=U + 1)
    current = np.bincount(bucket, minlength=U + 1)
    labels = [u[1] for u in units] + [None]
    ids = [u[0] for u in units] + [None]
    return [
        {"org_unit_id": ids[u], "org_unit": labels[u], "current": float(current[u]), "projected": float(expected[u]),
         "target": float(unit_target[u]), "gap": float(unit_target[u] - expected[u])}
        for u in range(U + 1) if current[u] > 0 or unit_target[u] > 0
    ]


def _iso(value) -> str | None:
    return None if np.isnat(value) else str(value)


def _risks(risks, skills, emp_id, names, departures, d0) -> list[dict]:
    out = []
    splits = np.searchsorted(risks.holder_risk, np.arange(len(risks.skill) + 1))
    for r, s in enumerate(risks.skill):
        holder_rows = risks.holder_emp[splits[r]:splits[r + 1]]
        out.append({
            "skill_id": skills[s][0], "skill": skills[s][1], "level": int(risks.level[r]),
            "holders": int(risks.holders[r]), "leaving_before_horizon": int(risks.leaving[r]),
            "reason": str(risks.reason[r]),
            "people": [
                {"employee_id": int(emp_id[e]), "name": names.get(int(emp_id[e]), ""),
                 "leaves_on": _iso(departures.date[e]), "departure": int(departures.kind[e])}
                for e in holder_rows
            ],
        })
    return out


def _count(values) -> dict:
    out: dict = {}
    for v in values:
        out[v] = out.get(v, 0) + 1
    return out


def _departing_people(emp_id, names, departures, job_of, jobs, job_ids) -> list[dict]:
    """Retirements and planned departures before the horizon, by date (for the team view)."""
    leaving = np.flatnonzero(departures.kind > 0)
    leaving = leaving[np.argsort(departures.date[leaving], kind="stable")]
    titles = {j[0]: j[1] for j in jobs}
    return [
        {"employee_id": int(emp_id[e]), "name": names.get(int(emp_id[e]), ""), "job": titles.get(int(job_of[e]), ""),
         "leaves_on": _iso(departures.date[e]),
         "kind": "retirement" if departures.kind[e] == proj.RETIREMENT else "planned"}
        for e in leaving
    ]
