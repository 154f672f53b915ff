"""The projection engine, checked by hand on small populations (no database)."""

import numpy as np

from foresight.engine import projection as proj
from foresight.engine import skills as sk

D0 = np.datetime64("2025-06-30")


def dates(*values):
    return np.array(values, dtype="datetime64[D]")


def departures_of(birth, exit_=None, periods=5, age=64):
    birth = dates(*birth)
    exit_ = dates(*(exit_ or [None] * len(birth)))
    return proj.scheduled_departures(D0, periods, birth, np.full(len(birth), age), exit_)


def test_it_retires_a_63_year_old_in_period_1_or_2_depending_on_their_birthday():
    # Born 1961-12-01: 63 on d0, 64 on 2025-12-01 → period 1 (ends 2026-06-30).
    # Born 1961-06-30: 64 on 2025-06-30 = d0 → already there → period 1. Born 1962-07-01: 63 on d0 → 64 on
    # 2026-07-01, one day after period 1 ends → period 2. Born 1962-06-30: 64 on 2026-06-30 → period 1.
    got = departures_of(["1961-12-01", "1961-06-30", "1962-07-01", "1962-06-30"])
    assert got.period.tolist() == [1, 1, 2, 1]
    assert (got.kind == proj.RETIREMENT).all()


def test_it_retires_someone_already_past_the_age_in_period_1():
    got = departures_of(["1950-01-01"])
    assert got.period.tolist() == [1]


def test_it_counts_a_known_exit_date_as_a_planned_departure_in_its_period():
    got = departures_of(["1990-01-01", "1990-01-01"], ["2027-01-15", "2035-01-01"])
    assert got.period.tolist() == [2, 6]  # 6 = K + 1: beyond the horizon
    assert got.kind.tolist() == [proj.PLANNED, 0]


def test_it_keeps_10_percent_attrition_on_100_people_at_90_then_81():
    n = 100
    none = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    dep = proj.scheduled_departures(D0, 2, none, np.full(n, 64), none)
    result = proj.project(D0, 2, dep, np.full(n, 0.1), np.zeros(n, dtype=np.int64), 1)
    assert np.allclose(result.headcount, [90, 81])
    assert np.allclose(result.attrition, [10, 9])
    assert result.years.tolist() == [2026, 2027]
    assert np.allclose(result.group_headcount[0], [90, 81])


def test_it_discounts_retirements_by_the_attrition_of_earlier_periods():
    dep = departures_of(["1962-07-01", "1990-01-01"], periods=2)  # retires in period 2; stays
    result = proj.project(D0, 2, dep, np.array([0.1, 0.1]), np.array([0, 1]), 2)
    assert np.allclose(result.retirements, [0, 0.9])
    assert np.allclose(result.attrition, [0.2, 0.09])
    assert np.allclose(result.headcount, [1.8, 0.81])
    assert np.allclose(result.group_headcount[:, -1], [0, 0.81])


def test_it_takes_the_job_override_over_the_unit_override_over_the_default():
    rates = proj.resolve_rates(0.05, np.array([0, 1, -1]), np.array([0.2, np.nan]), np.array([0, 0, 0]),
                               np.array([0.1]))
    assert rates.tolist() == [0.2, 0.1, 0.1]


def test_it_converges_the_monte_carlo_median_to_the_expected_value():
    n = 2000
    rng = np.random.default_rng(1)
    birth = dates(*[f"{y}-03-15" for y in rng.integers(1960, 2000, n)])
    none = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    dep = proj.scheduled_departures(D0, 6, birth, np.full(n, 64), none)
    group = np.zeros(n, dtype=np.int64)
    expected = proj.project(D0, 6, dep, np.full(n, 0.08), group, 1)
    band = proj.monte_carlo(6, dep, np.full(n, 0.08), group, 1, runs=400, seed=7)
    assert np.allclose(band.p50, expected.headcount, rtol=0.02)
    assert (band.p10 <= band.p50).all() and (band.p50 <= band.p90).all()
    again = proj.monte_carlo(6, dep, np.full(n, 0.08), group, 1, runs=400, seed=7)
    assert np.array_equal(again.p10, band.p10)


def test_it_flags_a_skill_held_only_by_leavers_as_a_risk():
    # Skill 0: three holders, all retiring before the horizon; skill 1: five holders staying.
    req_skill, req_level = np.array([0, 1]), np.array([2, 2])
    emp = np.array([0, 1, 2, 3, 4, 5, 6, 7])
    skill = np.array([0, 0, 0, 1, 1, 1, 1, 1])
    level = np.array([3, 2, 2, 2, 2, 2, 3, 4])
    leaves = np.array([True, True, True, False, False, False, False, False])
    risks = sk.knowledge_risks(req_skill, req_level, emp, skill, level, leaves, 2, 4)
    assert risks.skill.tolist() == [0]
    assert risks.reason.tolist() == [sk.RISK_ALL_LEAVING]
    assert risks.holders.tolist() == [3] and risks.leaving.tolist() == [3]
    assert risks.holder_emp.tolist() == [0, 1, 2]


def test_it_flags_a_skill_with_two_holders_or_fewer():
    risks = sk.knowledge_risks(np.array([0]), np.array([3]), np.array([0, 1, 2]), np.array([0, 0, 0]),
                               np.array([3, 4, 2]), np.zeros(3, dtype=bool), 1, 4)
    assert risks.reason.tolist() == [sk.RISK_FEW_HOLDERS]
    assert risks.holder_emp.tolist() == [0, 1]


def test_it_balances_skill_demand_and_supply_at_the_level_of_the_largest_gap():
    targets = np.array([10.0, 4.0])
    balance = sk.skill_balance(targets, np.array([0, 1]), np.array([0, 0]), np.array([2, 4]),
                               np.array([0, 1, 2]), np.array([0, 0, 0]), np.array([4, 2, 1]),
                               np.array([0.5, 1.0, 1.0]), 1, 4)
    # demand at ≥1: 14, ≥2: 14, ≥3: 4, ≥4: 4; supply ≥1: 2.5, ≥2: 1.5, ≥3: 0.5, ≥4: 0.5 → largest at 2.
    assert balance.level.tolist() == [2]
    assert balance.demand.tolist() == [14.0] and balance.supply.tolist() == [1.5]
    assert balance.gap.tolist() == [12.5]


def test_it_applies_the_scenario_skill_changes_to_the_requirements():
    job, skill, level = sk.merge_requirements(
        np.array([0, 0]), np.array([0, 1]), np.array([2, 2]),
        np.array([0, 0]), np.array([1, 2]), np.array([0, 3]), np.array([True, False]), 3)
    assert sorted(zip(job.tolist(), skill.tolist(), level.tolist(), strict=False)) == [(0, 0, 2), (0, 2, 3)]


def test_it_computes_targets_from_absolute_or_percent_needs():
    got = sk.job_targets(np.array([10.0, 10.0, 10.0]), np.array([12.0, np.nan, np.nan]),
                         np.array([np.nan, -20.0, np.nan]))
    assert got.tolist() == [12.0, 8.0, 10.0]


def test_it_builds_the_age_pyramid_by_sex():
    ages = sk.ages_at(D0, dates("2000-07-01", "2000-06-30", "1961-01-01", None))
    assert ages.tolist() == [24, 25, 64, -1]
    pyramid = sk.age_pyramid(ages, np.array([0, 1, 2, 0]))
    assert pyramid[0].tolist() == [1, 0, 0] and pyramid[1].tolist() == [0, 1, 0]
    assert pyramid[8].tolist() == [0, 0, 1] and pyramid[-1].tolist() == [1, 0, 0]
