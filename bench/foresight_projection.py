"""Speed of the foresight engine (pure numpy, no database), against a plain per-employee Python loop.

Usage (from the repository root):

    .venv/bin/python bench/foresight_projection.py [--employees 50000] [--jobs 1500] [--skills 5000]
                                                   [--per-employee 20] [--years 8] [--runs 1000]

Synthetic data drawn with a fixed seed: birth dates 1960–2004, hire dates 1990–2025 (2 % hired after the
reference date), 4 % with a known exit date within the horizon, one job each (1,500 jobs, per-job
attrition rate for one job in ten, per-job retirement age 62 for one in twenty), 20 skills each (levels 1–4; skill popularity ∝ 1/(rank+20)^1.5, so rare skills exist),
~15 requirements per job (levels 1–4), a need for one job in five (absolute target or % change, two new
skills and one declining). Times, each the best of 3 runs:

1. the engine: projection (expected flows, overall and per job), job targets, skill supply and demand at every
   level, knowledge-loss risks (the work behind the page and the API, once the rows are read);
2. the same expected values by a plain Python loop over employees (dates with ``datetime``, dicts), checked
   equal to the engine's (max absolute difference), and the ratio;
3. the Monte Carlo band (P10 / P50 / P90 per period, overall and per job) with ``--runs`` draws.
"""

import argparse
import bisect
import datetime
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from foresight.engine import projection as proj  # noqa: E402
from foresight.engine import skills as sk  # noqa: E402

D0 = datetime.date(2025, 6, 30)
LEVELS = 4


def synthetic(n_e, n_j, n_s, per_employee, years, rng):
    d0 = np.datetime64(D0, "D")
    birth = np.datetime64("1960-01-01") + rng.integers(0, 45 * 365, n_e).astype("timedelta64[D]")
    hire = np.datetime64("1990-01-01") + rng.integers(0, 35 * 365, n_e).astype("timedelta64[D]")
    late = rng.random(n_e) < 0.02
    hire[late] = d0 + rng.integers(1, 200, late.sum()).astype("timedelta64[D]")
    exit_ = np.full(n_e, np.datetime64("NaT"), dtype="datetime64[D]")
    leaving = rng.random(n_e) < 0.04
    exit_[leaving] = d0 + rng.integers(-100, years * 365, leaving.sum()).astype("timedelta64[D]")
    job = rng.integers(0, n_j, n_e)
    job_rate = np.where(rng.random(n_j) < 0.1, rng.uniform(0.02, 0.15, n_j), np.nan)
    job_age = np.where(rng.random(n_j) < 0.05, 62.0, np.nan)
    es_emp = np.repeat(np.arange(n_e), per_employee)
    weight = 1 / (np.arange(n_s) + 20.0) ** 1.5  # a few common skills, a long tail of rare ones
    es_skill = rng.choice(n_s, n_e * per_employee, p=weight / weight.sum())
    es_level = rng.integers(1, LEVELS + 1, n_e * per_employee)
    # One level per (employee, skill): keep the first of duplicates.
    _, first = np.unique(es_emp * n_s + es_skill, return_index=True)
    es_emp, es_skill, es_level = es_emp[first], es_skill[first], es_level[first]
    per_job = 15
    r_job = np.repeat(np.arange(n_j), per_job)
    r_skill = rng.integers(0, n_s, n_j * per_job)
    _, first = np.unique(r_job * n_s + r_skill, return_index=True)
    r_job, r_skill = r_job[first], r_skill[first]
    r_level = rng.integers(1, LEVELS + 1, len(r_job))
    need_jobs = np.flatnonzero(rng.random(n_j) < 0.2)
    target_abs = np.full(n_j, np.nan)
    change_pct = np.full(n_j, np.nan)
    absolute = rng.random(len(need_jobs)) < 0.5
    target_abs[need_jobs[absolute]] = rng.integers(0, 80, absolute.sum())
    change_pct[need_jobs[~absolute]] = rng.uniform(-30, 40, (~absolute).sum())
    c_job = np.repeat(need_jobs, 3)
    c_skill = rng.integers(0, n_s, len(c_job))
    _, first = np.unique(c_job * n_s + c_skill, return_index=True)
    c_job, c_skill = c_job[first], c_skill[first]
    c_level = rng.integers(1, LEVELS + 1, len(c_job))
    c_declining = rng.random(len(c_job)) < 1 / 3
    return dict(birth=birth, hire=hire, exit_=exit_, job=job, job_rate=job_rate, job_age=job_age, es_emp=es_emp,
                es_skill=es_skill, es_level=es_level, r_job=r_job, r_skill=r_skill, r_level=r_level,
                target_abs=target_abs, change_pct=change_pct, c_job=c_job, c_skill=c_skill, c_level=c_level,
                c_declining=c_declining)


def engine(data, n_j, n_s, years, default_rate=0.05, default_age=64):
    d0 = np.datetime64(D0, "D")
    present = proj.present_mask(d0, data["hire"], data["exit_"])
    idx = np.flatnonzero(present)
    birth, exit_, job = data["birth"][idx], data["exit_"][idx], data["job"][idx]
    none = np.full(len(idx), -1)
    rate = proj.resolve_rates(default_rate, job, data["job_rate"], none, np.array([]))
    age = proj.resolve_rates(default_age, job, data["job_age"], none, np.array([]))
    departures = proj.scheduled_departures(d0, years, birth, age.astype(np.int64), exit_)
    projection = proj.project(d0, years, departures, rate, job, n_j)
    targets = sk.job_targets(projection.group_start, data["target_abs"], data["change_pct"])
    r_job, r_skill, r_level = sk.merge_requirements(data["r_job"], data["r_skill"], data["r_level"], data["c_job"],
                                                    data["c_skill"], data["c_level"], data["c_declining"], n_s)
    position = np.full(len(present), -1)
    position[idx] = np.arange(len(idx))
    keep = position[data["es_emp"]] >= 0
    es_emp, es_skill, es_level = position[data["es_emp"][keep]], data["es_skill"][keep], data["es_level"][keep]
    balance = sk.skill_balance(targets, r_job, r_skill, r_level, es_emp, es_skill, es_level, projection.survival,
                               n_s, LEVELS)
    risks = sk.knowledge_risks(r_skill, r_level, es_emp, es_skill, es_level, departures.period <= years, n_s, LEVELS)
    return {"projection": projection, "targets": targets, "balance": balance, "risks": risks,
            "departures": departures, "rate": rate, "job": job}


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a common year → 1 March
        return datetime.date(day.year + years, 3, 1)


def _date(value) -> datetime.date | None:
    return None if np.isnat(value) else value.astype(datetime.date)


def plain_loop(data, n_j, n_s, years, default_rate=0.05, default_age=64):
    """The same expected values, one employee at a time, with Python dates, lists and dicts."""
    bounds = [_add_years(D0, k) for k in range(years + 1)]
    births = [_date(v) for v in data["birth"]]
    hires = [_date(v) for v in data["hire"]]
    exits = [_date(v) for v in data["exit_"]]
    jobs = data["job"].tolist()
    job_rate = data["job_rate"].tolist()
    job_age = data["job_age"].tolist()
    headcount = [0.0] * years
    retirements = [0.0] * years
    planned = [0.0] * years
    attrition = [0.0] * years
    job_head = {}
    job_start = [0] * n_j
    survival = {}
    leaves = {}
    for e in range(len(jobs)):
        hire, exit_ = hires[e], exits[e]
        if (hire is not None and hire > D0) or (exit_ is not None and exit_ <= D0):
            continue
        j = jobs[e]
        a = default_rate if job_rate[j] != job_rate[j] else job_rate[j]
        age = default_age if job_age[j] != job_age[j] else int(job_age[j])
        retire_on = _add_years(births[e], age) if births[e] is not None else None
        kind, when = 0, None
        if exit_ is not None and (retire_on is None or exit_ < retire_on):
            kind, when = 2, exit_
        elif retire_on is not None:
            kind, when = 1, retire_on
        period = years + 1
        if kind:
            period = bisect.bisect_left(bounds, when)
            if kind == 1:
                period = max(period, 1)
            if period > years:
                kind, period = 0, years + 1
        leaves[e] = period <= years
        job_start[j] += 1
        row = job_head.setdefault(j, [0.0] * years)
        keep = 1.0
        for k in range(1, years + 1):
            if k < period:
                attrition[k - 1] += a * keep
                keep *= 1 - a
                headcount[k - 1] += keep
                row[k - 1] += keep
            else:
                if k == period and kind == 1:
                    retirements[k - 1] += keep
                elif k == period and kind == 2:
                    planned[k - 1] += keep
                keep_end = 0.0
                keep = keep_end
        survival[e] = keep if period > years else 0.0
    targets = []
    for j in range(n_j):
        ta, pct = data["target_abs"][j], data["change_pct"][j]
        if ta == ta:
            targets.append(float(ta))
        elif pct == pct:
            targets.append(job_start[j] * (1 + pct / 100))
        else:
            targets.append(float(job_start[j]))
    requirements = {}
    for j, s, level in zip(data["r_job"].tolist(), data["r_skill"].tolist(), data["r_level"].tolist(), strict=True):
        requirements[(j, s)] = level
    for j, s, level, declining in zip(data["c_job"].tolist(), data["c_skill"].tolist(), data["c_level"].tolist(),
                                      data["c_declining"].tolist(), strict=True):
        if declining:
            requirements.pop((j, s), None)
        else:
            requirements[(j, s)] = level
    demand, supply, holders, leaving, required = {}, {}, {}, {}, {}
    for (j, s), level in requirements.items():
        required[s] = max(required.get(s, 0), level)
        for lv in range(1, level + 1):
            demand[(s, lv)] = demand.get((s, lv), 0.0) + targets[j]
    for e, s, level in zip(data["es_emp"].tolist(), data["es_skill"].tolist(), data["es_level"].tolist(),
                           strict=True):
        if e not in survival:
            continue
        for lv in range(1, level + 1):
            supply[(s, lv)] = supply.get((s, lv), 0.0) + survival[e]
        if s in required and level >= required[s]:
            holders[s] = holders.get(s, 0) + 1
            leaving[s] = leaving.get(s, 0) + (1 if leaves[e] else 0)
    gaps = {}
    for s in required:
        best = None
        for lv in range(1, LEVELS + 1):
            gap = demand.get((s, lv), 0.0) - supply.get((s, lv), 0.0)
            if best is None or gap > best[0]:
                best = (gap, lv)
        gaps[s] = best
    risks = sorted(s for s in required if holders.get(s, 0) <= 2 or (holders.get(s, 0) > 0
                                                                     and leaving.get(s, 0) == holders[s]))
    return {"headcount": headcount, "retirements": retirements, "planned": planned, "attrition": attrition,
            "job_head": job_head, "targets": targets, "gaps": gaps, "risks": risks}


def best_of(fn, repeat=3):
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--employees", type=int, default=50000)
    parser.add_argument("--jobs", type=int, default=1500)
    parser.add_argument("--skills", type=int, default=5000)
    parser.add_argument("--per-employee", type=int, default=20)
    parser.add_argument("--years", type=int, default=8)
    parser.add_argument("--runs", type=int, default=1000)
    args = parser.parse_args()
    rng = np.random.default_rng(12)
    data = synthetic(args.employees, args.jobs, args.skills, args.per_employee, args.years, rng)
    print(f"{args.employees:,} employees, {args.jobs:,} jobs, {args.skills:,} skills, "
          f"{len(data['es_emp']):,} skill levels, {len(data['r_job']):,} requirements, horizon {args.years} years")

    fast, out = best_of(lambda: engine(data, args.jobs, args.skills, args.years))
    print(f"engine: projection + targets + skill balance + risks: {fast:.3f} s (goal < 2 s)")
    slow, ref = best_of(lambda: plain_loop(data, args.jobs, args.skills, args.years), repeat=1)
    p = out["projection"]
    diff = max(
        np.abs(p.headcount - ref["headcount"]).max(), np.abs(p.retirements - ref["retirements"]).max(),
        np.abs(p.planned - ref["planned"]).max(), np.abs(p.attrition - ref["attrition"]).max(),
        max(np.abs(p.group_headcount[j] - np.array(v)).max() for j, v in ref["job_head"].items()),
        np.abs(out["targets"] - np.array(ref["targets"])).max(),
    )
    b = out["balance"]
    required = np.flatnonzero(b.required)
    gap_diff = max(abs(b.gap[s] - ref["gaps"][int(s)][0]) for s in required)
    same_risks = sorted(out["risks"].skill.tolist()) == ref["risks"]
    print(f"plain Python loop: {slow:.3f} s; engine is {slow / fast:.0f}x faster; max |difference| "
          f"{max(diff, gap_diff):.2e} (flows, per-job headcount, targets, skill gaps); same risks: {same_risks}; "
          f"{len(ref['risks'])} risks, {len(required)} required skills")

    departures, rate, job = out["departures"], out["rate"], out["job"]
    mc, band = best_of(lambda: proj.monte_carlo(args.years, departures, rate, job, args.jobs, args.runs, seed=1))
    print(f"Monte Carlo {args.runs} runs (P10/P50/P90 overall and per job): {mc:.3f} s (goal < 10 s); "
          f"P50 at the horizon {band.p50[-1]:,.0f} vs expected {p.headcount[-1]:,.1f}")


if __name__ == "__main__":
    main()
