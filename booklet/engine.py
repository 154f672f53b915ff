"""The interview tracker's arithmetic, pure numpy: who is due, overdue, and who reaches six years of
service without the interviews and the non-mandatory training the Code du travail asks for (L6315-1).

No Django here: the selector feeds arrays read in one query each and keeps what comes back.
"""

from dataclasses import dataclass

import numpy as np

OK, DUE_SOON, OVERDUE = 0, 1, 2
SIX_YEARS_MONTHS = 72
REQUIRED_IN_SIX_YEARS = 3  # one entretien professionnel every two years


def add_months(days: np.ndarray, months: np.ndarray | int) -> np.ndarray:
    """``days`` (datetime64[D]) plus ``months``, the day clipped to the month's end (31 Jan + 1 = 28/29 Feb)."""
    month = days.astype("datetime64[M]")
    offset = days - month.astype("datetime64[D]")
    target = month + np.asarray(months).astype("timedelta64[M]")
    last_day = (target + np.timedelta64(1, "M")).astype("datetime64[D]") - np.timedelta64(1, "D")
    return np.minimum(target.astype("datetime64[D]") + offset, last_day)


@dataclass(frozen=True)
class Tracker:
    """One row per employee, in the order given: the last interview (NaT if none), when the next one is
    due, its state (OK, DUE_SOON, OVERDUE), and the six-year risk with the milestone it refers to."""

    last: np.ndarray
    due_on: np.ndarray
    state: np.ndarray
    milestone: np.ndarray
    six_year_risk: np.ndarray


def interview_tracker(
    *, employee_ids: np.ndarray, hire: np.ndarray, interview_employee: np.ndarray, interview_on: np.ndarray,
    interview_counts: np.ndarray, interview_training: np.ndarray, period_months: int, today: np.datetime64,
    check_six_years: bool, soon_days: int = 60, horizon_days: int = 365,
) -> Tracker:
    """Compute the tracker.

    Employees: ``employee_ids`` (int64, sorted ascending), ``hire`` (datetime64[D], NaT when unknown).
    Interviews, one row each: ``interview_employee`` (int64 ids, any order), ``interview_on``
    (datetime64[D]), ``interview_counts`` (bool: counts as an entretien professionnel or 6-year review),
    ``interview_training`` (bool: a non-mandatory training was recorded). ``period_months``: 12 for an
    ESAT's annual interview, 24 for the entretien professionnel. The next interview is due
    ``period_months`` after the last one, or after hiring when there is none (today when the hire date
    is unknown). ``check_six_years`` (organisations of 50+ employees): an employee is at risk when their
    next six-year anniversary falls within ``horizon_days`` (or passed less than a year ago) and, in the six
    years before it, fewer than three interviews were held *and* no non-mandatory training was recorded.
    """
    n = len(employee_ids)
    index = np.searchsorted(employee_ids, interview_employee)
    known = (index < n) & (employee_ids[np.minimum(index, max(n - 1, 0))] == interview_employee) if n else \
        np.zeros(len(interview_employee), bool)
    index, on = index[known], interview_on[known].astype("datetime64[D]")
    counts, training = interview_counts[known], interview_training[known]

    last_int = np.full(n, np.iinfo(np.int64).min, dtype=np.int64)
    np.maximum.at(last_int, index, on.astype(np.int64))
    has_last = last_int != np.iinfo(np.int64).min
    last = np.where(has_last, last_int, np.datetime64("NaT", "D").astype(np.int64)).astype("datetime64[D]")

    hire = hire.astype("datetime64[D]")
    base = np.where(has_last, last, hire)
    due_on = np.where(np.isnat(base), today, add_months(np.where(np.isnat(base), today, base), period_months))
    state = np.where(due_on < today, OVERDUE, np.where(due_on <= today + np.timedelta64(soon_days, "D"),
                                                       DUE_SOON, OK)).astype(np.int8)

    milestone = np.full(n, np.datetime64("NaT", "D"))
    risk = np.zeros(n, dtype=bool)
    if check_six_years and n:
        known_hire = ~np.isnat(hire)
        safe_hire = np.where(known_hire, hire, today)
        months_served = ((today.astype("datetime64[M]") - safe_hire.astype("datetime64[M]")).astype(np.int64))
        cycles = np.maximum(1, np.ceil(months_served / SIX_YEARS_MONTHS)).astype(np.int64)
        upcoming = add_months(safe_hire, cycles * SIX_YEARS_MONTHS)
        # An anniversary reached less than a year ago is still the one to answer for.
        previous = add_months(safe_hire, (cycles - 1) * SIX_YEARS_MONTHS)
        recent = (cycles > 1) & (previous > today - np.timedelta64(365, "D")) & (previous <= today)
        milestone = np.where(recent, previous, upcoming)
        in_scope = known_hire & (milestone <= today + np.timedelta64(horizon_days, "D")) & (
            add_months(milestone, -SIX_YEARS_MONTHS) >= safe_hire)
        window_start = add_months(milestone, -SIX_YEARS_MONTHS)
        row_milestone, row_start = milestone[index], window_start[index]
        inside = (on > row_start) & (on <= row_milestone)
        held = np.bincount(index[inside & counts], minlength=n)
        trained = np.bincount(index[inside & training], minlength=n) > 0
        risk = in_scope & (held < REQUIRED_IN_SIX_YEARS) & ~trained
        milestone = np.where(in_scope, milestone, np.datetime64("NaT", "D"))
    return Tracker(last=last, due_on=due_on, state=state, milestone=milestone, six_year_risk=risk)
