"""The interview tracker's arithmetic, without a database."""

import numpy as np

from booklet.engine import DUE_SOON, OK, OVERDUE, add_months, interview_tracker


def d(text):
    return np.datetime64(text, "D")


def test_it_adds_months_clipping_to_the_month_end():
    days = np.array(["2024-01-31", "2023-02-28", "2024-08-15"], dtype="datetime64[D]")
    assert add_months(days, 1).astype(str).tolist() == ["2024-02-29", "2023-03-28", "2024-09-15"]
    assert add_months(days, -12).astype(str).tolist() == ["2023-01-31", "2022-02-28", "2023-08-15"]


def test_it_finds_who_is_due_overdue_or_up_to_date():
    ids = np.array([1, 2, 3, 4], dtype=np.int64)
    hire = np.array(["2015-01-01", "2015-01-01", "2025-05-01", "NaT"], dtype="datetime64[D]")
    result = interview_tracker(
        employee_ids=ids, hire=hire, interview_employee=np.array([1, 1, 2], dtype=np.int64),
        interview_on=np.array(["2022-01-10", "2024-03-01", "2025-01-20"], dtype="datetime64[D]"),
        interview_counts=np.array([True, True, True]), interview_training=np.array([False, False, False]),
        period_months=24, today=d("2026-02-01"), check_six_years=False)
    assert result.last.astype(str).tolist() == ["2024-03-01", "2025-01-20", "NaT", "NaT"]
    assert result.due_on.astype(str).tolist() == ["2026-03-01", "2027-01-20", "2027-05-01", "2026-02-01"]
    assert result.state.tolist() == [DUE_SOON, OK, OK, DUE_SOON]
    late = interview_tracker(
        employee_ids=ids[:1], hire=hire[:1], interview_employee=np.array([1], dtype=np.int64),
        interview_on=np.array(["2023-01-10"], dtype="datetime64[D]"), interview_counts=np.array([True]),
        interview_training=np.array([False]), period_months=24, today=d("2026-02-01"), check_six_years=False)
    assert late.state.tolist() == [OVERDUE]


def test_it_flags_the_six_year_risk_only_without_interviews_and_without_training():
    # All hired on 2020-03-01: the six-year milestone is 2026-03-01, within the year ahead.
    ids = np.array([1, 2, 3, 4], dtype=np.int64)
    hire = np.full(4, d("2020-03-01"))
    on = np.array(["2022-03-01", "2024-03-01", "2026-01-10",   # employee 1: three interviews
                   "2023-05-01",                              # employee 2: one, no training
                   "2023-05-01"],                             # employee 3: one, with a training
                  dtype="datetime64[D]")
    who = np.array([1, 1, 1, 2, 3], dtype=np.int64)
    training = np.array([False, False, False, False, True])
    result = interview_tracker(
        employee_ids=ids, hire=hire, interview_employee=who, interview_on=on,
        interview_counts=np.ones(5, bool), interview_training=training, period_months=24,
        today=d("2026-02-01"), check_six_years=True)
    assert result.six_year_risk.tolist() == [False, True, False, True]
    assert result.milestone.astype(str).tolist() == ["2026-03-01"] * 4
    small = interview_tracker(
        employee_ids=ids, hire=hire, interview_employee=who, interview_on=on, interview_counts=np.ones(5, bool),
        interview_training=training, period_months=24, today=d("2026-02-01"), check_six_years=False)
    assert not small.six_year_risk.any()
