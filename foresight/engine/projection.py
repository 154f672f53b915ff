"""Workforce projection to a horizon: retirements, planned departures and attrition, in expectation and
sampled (Monte Carlo). Pure numpy: arrays in, a frozen dataclass out.

Conventions (the page's "comment est-ce calculé ?" says the same):
- Population: employees present at the reference date d0 (``present_mask``).
- Period k (1 … K) runs from d0 + (k−1) years (excluded) to d0 + k years (included), labelled with the
  calendar year of its end.
- Retirement happens in the period holding the day the employee reaches their retirement age (1 March for
  someone born on 29 February, in a common year); already at or past it on d0: period 1. No birth date: no
  retirement within the horizon. A known exit date after d0 is a planned departure in its period; when it
  falls before the retirement day it wins, otherwise the retirement does.
- Attrition with annual rate a: someone present at the start of period k who neither retires nor leaves as
  planned in it leaves by attrition with probability a. With S_e(k) = 1 while e has not retired or left as
  planned by the end of period k:
  headcount(k) = Σ S_e(k)(1−a)^k; retirements(k) = Σ [e retires in k](1−a)^(k−1); planned likewise;
  attrition(k) = a Σ S_e(k)(1−a)^(k−1).
"""

from dataclasses import dataclass

import numpy as np

NAT = np.datetime64("NaT", "D")

RETIREMENT = 1
PLANNED = 2


def add_years(dates: np.ndarray, years) -> np.ndarray:
    """``dates`` (datetime64[D]) plus whole ``years`` (scalar or array); 29 February → 1 March in a common
    year. NaT stays NaT."""
    dates = np.asarray(dates, dtype="datetime64[D]")
    month_start = dates.astype("datetime64[M]")
    day_offset = dates - month_start.astype("datetime64[D]")
    year = dates.astype("datetime64[Y]")
    month_in_year = month_start - year.astype("datetime64[M]")
    shifted = (year + np.asarray(years, dtype="timedelta64[Y]")).astype("datetime64[M]") + month_in_year
    return shifted.astype("datetime64[D]") + day_offset


def period_bounds(d0: np.datetime64, periods: int) -> np.ndarray:
    """d0, d0 + 1 year, …, d0 + K years (K + 1 dates)."""
    return add_years(np.full(periods + 1, d0, dtype="datetime64[D]"), np.arange(periods + 1))


def present_mask(d0, hire: np.ndarray, exit_: np.ndarray) -> np.ndarray:
    """Hired on or before d0 (or hire date unknown) and no exit date on or before d0."""
    d0 = np.datetime64(d0, "D")
    hired = np.isnat(hire) | (hire <= d0)
    not_gone = np.isnat(exit_) | (exit_ > d0)
    return hired & not_gone


def resolve_rates(default: float, job_idx: np.ndarray, job_rate: np.ndarray, unit_idx: np.ndarray,
                  unit_rate: np.ndarray) -> np.ndarray:
    """Per-employee value: the job's override if any, else the unit's, else ``default``.

    ``job_idx``/``unit_idx`` index into ``job_rate``/``unit_rate`` (NaN = no override; −1 = none)."""
    out = np.full(len(job_idx), float(default))
    if len(unit_rate):
        by_unit = np.where(unit_idx >= 0, unit_rate[np.maximum(unit_idx, 0)], np.nan)
        out = np.where(np.isnan(by_unit), out, by_unit)
    if len(job_rate):
        by_job = np.where(job_idx >= 0, job_rate[np.maximum(job_idx, 0)], np.nan)
        out = np.where(np.isnan(by_job), out, by_job)
    return out


@dataclass(frozen=True)
class Departures:
    """Per employee: ``period`` of the retirement or planned departure (K + 1 when none before the horizon),
    ``kind`` (RETIREMENT, PLANNED, 0 = none), ``date`` of it (NaT when none)."""

    period: np.ndarray
    kind: np.ndarray
    date: np.ndarray


def scheduled_departures(d0, periods: int, birth: np.ndarray, retirement_age: np.ndarray,
                         exit_: np.ndarray) -> Departures:
    """When each employee retires or leaves as planned, by the conventions above (arrays of n)."""
    bounds = period_bounds(np.datetime64(d0, "D"), periods)
    retire_on = add_years(birth, np.asarray(retirement_age, dtype=np.int64))
    has_retire = ~np.isnat(retire_on)
    has_exit = ~np.isnat(exit_)
    planned_first = has_exit & (~has_retire | (exit_ < np.where(has_retire, retire_on, exit_)))
    event_date = np.where(planned_first, exit_, retire_on)
    kind = np.where(planned_first, PLANNED, np.where(has_retire, RETIREMENT, 0)).astype(np.int8)
    safe = np.where(np.isnat(event_date), bounds[-1], event_date)
    period = np.searchsorted(bounds, safe, side="left")
    period = np.where(kind == RETIREMENT, np.maximum(period, 1), period)
    none = (kind == 0) | (period > periods)
    period = np.where(none, periods + 1, period).astype(np.int32)
    kind = np.where(none, 0, kind).astype(np.int8)
    return Departures(period=period, kind=kind, date=np.where(none, NAT, event_date))


@dataclass(frozen=True)
class Projection:
    """Expected flows. ``years`` (K,): label of each period. Totals (K,) and per group (G, K): headcount at
    the end of each period, retirements, planned departures, attrition. ``start`` / ``group_start``:
    headcount at d0. ``survival`` (n,): probability each employee is still present at the horizon."""

    years: np.ndarray
    start: float
    headcount: np.ndarray
    retirements: np.ndarray
    planned: np.ndarray
    attrition: np.ndarray
    group_start: np.ndarray
    group_headcount: np.ndarray
    group_retirements: np.ndarray
    group_planned: np.ndarray
    group_attrition: np.ndarray
    survival: np.ndarray


def _grouped(group: np.ndarray, groups: int, matrix: np.ndarray) -> np.ndarray:
    """Sum the rows of ``matrix`` (n, K) by ``group`` (n,) → (groups, K), without a loop over rows."""
    periods = matrix.shape[1]
    flat = (group[:, None] * periods + np.arange(periods)[None, :]).ravel()
    return np.bincount(flat, weights=matrix.ravel(), minlength=groups * periods).reshape(groups, periods)


def project(d0, periods: int, departures: Departures, attrition: np.ndarray, group: np.ndarray,
            groups: int) -> Projection:
    """Expected headcount and departures per period, overall and per group (e.g. job index; ``group`` (n,)
    in 0 … groups−1). All arrays are of present employees only."""
    d0 = np.datetime64(d0, "D")
    k = np.arange(1, periods + 1)
    a = np.asarray(attrition, dtype=np.float64)[:, None]
    still = k[None, :] < departures.period[:, None]
    keep_before = (1 - a) ** (k[None, :] - 1)
    head = still * keep_before * (1 - a)
    retire = (departures.kind == RETIREMENT)[:, None] & (departures.period[:, None] == k[None, :])
    plan = (departures.kind == PLANNED)[:, None] & (departures.period[:, None] == k[None, :])
    retire = retire * keep_before
    plan = plan * keep_before
    attr = still * keep_before * a
    first_year = int(str(period_bounds(d0, periods)[1])[:4]) if periods else int(str(d0)[:4])
    n = len(group)
    return Projection(
        years=np.arange(first_year, first_year + periods),
        start=float(n),
        headcount=head.sum(axis=0), retirements=retire.sum(axis=0), planned=plan.sum(axis=0),
        attrition=attr.sum(axis=0),
        group_start=np.bincount(group, minlength=groups).astype(np.float64),
        group_headcount=_grouped(group, groups, head), group_retirements=_grouped(group, groups, retire),
        group_planned=_grouped(group, groups, plan), group_attrition=_grouped(group, groups, attr),
        survival=head[:, -1] if periods else np.ones(n),
    )


@dataclass(frozen=True)
class Band:
    """Monte Carlo percentiles of the headcount at the end of each period: (K,) overall, (G, K) per group."""

    runs: int
    p10: np.ndarray
    p50: np.ndarray
    p90: np.ndarray
    group_p10: np.ndarray
    group_p50: np.ndarray
    group_p90: np.ndarray


def monte_carlo(periods: int, departures: Departures, attrition: np.ndarray, group: np.ndarray, groups: int,
                runs: int, seed: int, chunk: int = 100) -> Band:
    """Sample the process ``runs`` times (seeded): each employee's attrition period is geometric with
    parameter a (the first period in which the yearly draw says "leaves"), and they leave at the earlier of
    that and their scheduled departure (the scheduled one wins a tie). Vectorised over employees and runs;
    runs are drawn ``chunk`` at a time to bound memory."""
    rng = np.random.default_rng(seed)
    n = len(group)
    width = periods + 2
    scheduled = np.minimum(departures.period, periods + 1).astype(np.int32)
    a = np.asarray(attrition, dtype=np.float64)
    log_keep = np.log1p(-np.minimum(a, 1 - 1e-12))
    totals = np.empty((runs, periods))
    per_group = np.empty((runs, groups, periods))
    for start in range(0, runs, chunk):
        size = min(chunk, runs - start)
        draws = rng.random((size, n))
        with np.errstate(divide="ignore"):
            # Inverse CDF of the geometric law: first period with a "leaves" draw.
            attr_period = np.where(a > 0, np.ceil(np.log1p(-draws) / np.where(a > 0, log_keep, -1.0)), periods + 1)
        attr_period = np.clip(attr_period, 1, periods + 1).astype(np.int32)
        gone = np.where(attr_period < scheduled, attr_period, scheduled)
        run = np.arange(size)[:, None]
        cells = ((run * groups + group[None, :]) * width + gone).ravel()
        hist = np.bincount(cells, minlength=size * groups * width).reshape(size, groups, width)
        # Present at the end of period k = gone in a later period.
        present = hist[:, :, ::-1].cumsum(axis=2)[:, :, ::-1][:, :, 2:]
        per_group[start:start + size] = present
        totals[start:start + size] = present.sum(axis=1)
    p = np.percentile(totals, [10, 50, 90], axis=0) if runs else np.zeros((3, periods))
    gp = np.percentile(per_group, [10, 50, 90], axis=0) if runs else np.zeros((3, groups, periods))
    return Band(runs=runs, p10=p[0], p50=p[1], p90=p[2], group_p10=gp[0], group_p50=gp[1], group_p90=gp[2])
