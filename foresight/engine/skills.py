"""Job targets, skill supply and demand at the horizon, knowledge-loss risks, age pyramid. Pure numpy."""

from dataclasses import dataclass

import numpy as np

RISK_FEW_HOLDERS = "few_holders"
RISK_ALL_LEAVING = "all_leaving"
FEW_HOLDERS = 2


def job_targets(current: np.ndarray, target_headcount: np.ndarray, change_pct: np.ndarray) -> np.ndarray:
    """Target headcount per job (J,): the absolute target if given (not NaN), else today's × (1 + pct/100),
    else today's."""
    by_pct = np.where(np.isnan(change_pct), current, current * (1 + np.nan_to_num(change_pct) / 100))
    return np.where(np.isnan(target_headcount), by_pct, target_headcount)


def merge_requirements(req_job: np.ndarray, req_skill: np.ndarray, req_level: np.ndarray,
                       chg_job: np.ndarray, chg_skill: np.ndarray, chg_level: np.ndarray,
                       chg_declining: np.ndarray, skills: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Today's requirements (job, skill, level) with the scenario's changes applied: a required skill sets
    the level, a declining one removes the requirement. Returns (job, skill, level) arrays."""
    key = req_job.astype(np.int64) * skills + req_skill
    chg_key = chg_job.astype(np.int64) * skills + chg_skill
    kept = ~np.isin(key, chg_key)
    add = ~chg_declining
    return (np.concatenate([req_job[kept], chg_job[add]]).astype(np.int64),
            np.concatenate([req_skill[kept], chg_skill[add]]).astype(np.int64),
            np.concatenate([req_level[kept], chg_level[add]]).astype(np.int64))


def _at_least(skill: np.ndarray, level: np.ndarray, weights: np.ndarray, skills: int, levels: int) -> np.ndarray:
    """(skills, levels + 1) matrix: Σ weights of rows with that skill and a level ≥ l."""
    level = np.clip(level, 0, levels)
    cells = np.bincount(skill * (levels + 1) + level, weights=weights, minlength=skills * (levels + 1))
    return cells.reshape(skills, levels + 1)[:, ::-1].cumsum(axis=1)[:, ::-1]


@dataclass(frozen=True)
class SkillBalance:
    """Per skill (S,): the level where demand − supply is largest, and demand, supply, gap at that level.
    ``required`` marks skills some job requires (after the scenario's changes)."""

    level: np.ndarray
    demand: np.ndarray
    supply: np.ndarray
    gap: np.ndarray
    required: np.ndarray


def skill_balance(targets: np.ndarray, req_job: np.ndarray, req_skill: np.ndarray, req_level: np.ndarray,
                  emp_skill_emp: np.ndarray, emp_skill_skill: np.ndarray, emp_skill_level: np.ndarray,
                  survival: np.ndarray, skills: int, levels: int) -> SkillBalance:
    """demand(s, l) = Σ_jobs target × [job requires s at ≥ l]; supply(s, l) = Σ_employees P(still present at
    the horizon) × [level in s ≥ l]; reported at the level l ≥ 1 where demand − supply is largest."""
    demand = _at_least(req_skill, req_level, targets[req_job], skills, levels)[:, 1:]
    supply = _at_least(emp_skill_skill, emp_skill_level, survival[emp_skill_emp], skills, levels)[:, 1:]
    gap = demand - supply
    best = gap.argmax(axis=1)
    rows = np.arange(skills)
    required = np.bincount(req_skill, minlength=skills) > 0
    return SkillBalance(level=best + 1, demand=demand[rows, best], supply=supply[rows, best], gap=gap[rows, best],
                        required=required)


@dataclass(frozen=True)
class Risks:
    """Skills at risk of being lost (R,): ``skill``, required ``level``, ``reason``; their holders as pairs
    (``holder_risk`` index into the R risks, ``holder_emp``) sorted by risk."""

    skill: np.ndarray
    level: np.ndarray
    reason: np.ndarray
    holders: np.ndarray
    leaving: np.ndarray
    holder_risk: np.ndarray
    holder_emp: np.ndarray


def knowledge_risks(req_skill: np.ndarray, req_level: np.ndarray, emp_skill_emp: np.ndarray,
                    emp_skill_skill: np.ndarray, emp_skill_level: np.ndarray, leaves_before_horizon: np.ndarray,
                    skills: int, levels: int) -> Risks:
    """A required skill (at its highest required level) is at risk when 2 or fewer present employees hold it
    at that level, or when all its holders retire or leave as planned before the horizon."""
    req_level = np.clip(req_level, 1, levels)
    level = np.zeros(skills, dtype=np.int64)
    np.maximum.at(level, req_skill, req_level)
    required = level > 0
    ones = np.ones(len(emp_skill_emp))
    holders_at = _at_least(emp_skill_skill, emp_skill_level, ones, skills, levels)
    leaving_at = _at_least(emp_skill_skill, emp_skill_level, leaves_before_horizon[emp_skill_emp].astype(float),
                           skills, levels)
    rows = np.arange(skills)
    holders = holders_at[rows, level]
    leaving = leaving_at[rows, level]
    few = required & (holders <= FEW_HOLDERS)
    all_leave = required & (holders > 0) & (leaving == holders)
    at_risk = few | all_leave
    risk_skill = np.flatnonzero(at_risk)
    position = np.full(skills, -1)
    position[risk_skill] = np.arange(len(risk_skill))
    hold = (position[emp_skill_skill] >= 0) & (emp_skill_level >= level[emp_skill_skill]) & required[emp_skill_skill]
    holder_risk = position[emp_skill_skill[hold]]
    holder_emp = emp_skill_emp[hold]
    order = np.lexsort((holder_emp, holder_risk))
    return Risks(
        skill=risk_skill, level=level[risk_skill],
        reason=np.where(all_leave[risk_skill], RISK_ALL_LEAVING, RISK_FEW_HOLDERS),
        holders=holders[risk_skill].astype(np.int64), leaving=leaving[risk_skill].astype(np.int64),
        holder_risk=holder_risk[order], holder_emp=holder_emp[order],
    )


AGE_BANDS = [(0, 24), (25, 29), (30, 34), (35, 39), (40, 44), (45, 49), (50, 54), (55, 59), (60, 64), (65, 200)]


def ages_at(d0, birth: np.ndarray) -> np.ndarray:
    """Age in whole years at d0 (−1 where the birth date is unknown)."""
    d0 = np.datetime64(d0, "D")
    known = ~np.isnat(birth)
    safe = np.where(known, birth, d0)
    years = d0.astype("datetime64[Y]").astype(int) - safe.astype("datetime64[Y]").astype(int)
    # Compare month/day, not day-of-year (leap years shift it).
    month_b = safe.astype("datetime64[M]").astype(int) % 12
    month_0 = d0.astype("datetime64[M]").astype(int) % 12
    day_b = (safe - safe.astype("datetime64[M]").astype("datetime64[D]")).astype(int)
    day_0 = int((d0 - d0.astype("datetime64[M]").astype("datetime64[D]")).astype(int))
    before_birthday = (month_0 < month_b) | ((month_0 == month_b) & (day_0 < day_b))
    return np.where(known, years - before_birthday, -1)


def age_pyramid(ages: np.ndarray, sex_code: np.ndarray) -> np.ndarray:
    """Counts (bands + 1, 3): rows = AGE_BANDS then "unknown age"; columns = women, men, not stated
    (``sex_code`` 0, 1, 2)."""
    bands = len(AGE_BANDS)
    upper = np.array([hi for _, hi in AGE_BANDS])
    band = np.where(ages < 0, bands, np.searchsorted(upper, ages, side="left"))
    band = np.minimum(band, bands)
    return np.bincount(band * 3 + sex_code, minlength=(bands + 1) * 3).reshape(bands + 1, 3)
