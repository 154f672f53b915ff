"""The mobility engine without a database: hand-checked fits, explanation lines, set cover, plan."""

import itertools

import numpy as np
import pytest
import scipy.sparse as sp

from mobility.engine.cover import training_cover
from mobility.engine.fit import (
    effective_levels,
    fit_matrix,
    levels_from_rows,
    requirement_lines,
    requirements_from_rows,
    skill_neighbours,
    top_k,
)
from mobility.engine.plan import plan_assign

# Skills: 0 soudure TIG, 1 lecture de plans, 2 dessin industriel (mapped like 1), 3 contrôle qualité,
# 4 métrologie (σ 0.8 with 3), 5 cariste.
N_SKILLS = 5 + 1


def hand_case(threshold=0.5):
    levels = levels_from_rows(2, N_SKILLS, [0, 0, 0, 1], [0, 2, 4, 5], [2, 3, 3, 4])
    neighbours = skill_neighbours(N_SKILLS, mapped_skill=[1, 2], mapped_target=[77, 77],
                                  similar_from=[3, 4], similar_to=[4, 3], sigma=[0.8, 0.8], threshold=threshold)
    # Job 0: soudure TIG 4 critical, lecture de plans 2, contrôle qualité 3. Job 1: cariste 2.
    requirements = requirements_from_rows(2, N_SKILLS, [0, 0, 0, 1], [0, 1, 3, 5], [4, 2, 3, 2], [1, 1, 1, 1],
                                          [True, False, False, False])
    return levels, neighbours, requirements


def test_it_computes_a_hand_checked_fit_with_critical_mapping_and_similar_credit():
    levels, neighbours, requirements = hand_case()
    fit = fit_matrix(effective_levels(levels, neighbours).level, requirements)
    # (2 × 2/4 + 1 × 1 + 1 × 0.8·3/3) / (2 + 1 + 1) = 2.8 / 4
    assert fit[0, 0] == pytest.approx(0.7)
    assert fit[0, 1] == 0
    assert fit[1, 1] == pytest.approx(1.0)  # level 4 above target 2 earns nothing extra
    assert fit[1, 0] == 0


def test_it_gives_no_similar_credit_below_the_threshold():
    levels, neighbours, requirements = hand_case(threshold=0.9)
    fit = fit_matrix(effective_levels(levels, neighbours).level, requirements)
    assert fit[0, 0] == pytest.approx(2.0 / 4)


def test_it_explains_each_requirement_with_how_the_credit_was_earned():
    levels, neighbours, requirements = hand_case()
    effective = effective_levels(levels, neighbours, detail=True)
    lines = requirement_lines(effective, requirements, 0, 0)
    assert [(ln.skill, ln.required, ln.weight, ln.via, ln.source) for ln in lines] == [
        (0, 4, 2.0, "same", 0), (1, 2, 1.0, "mapping", 2), (3, 3, 1.0, "similar", 4)]
    assert [round(ln.held, 6) for ln in lines] == [2, 3, 2.4]
    assert [round(ln.credit, 6) for ln in lines] == [0.5, 1.0, 0.8]
    weighted = sum(ln.weight * ln.credit for ln in lines) / sum(ln.weight for ln in lines)
    assert weighted == pytest.approx(0.7)
    missing = requirement_lines(effective, requirements, 1, 0)
    assert [ln.via for ln in missing] == ["none", "none", "none"]


def test_it_prefers_the_own_level_over_an_equal_mapped_one():
    levels = levels_from_rows(1, 2, [0, 0], [0, 1], [3, 3])
    neighbours = skill_neighbours(2, mapped_skill=[0, 1], mapped_target=[5, 5])
    effective = effective_levels(levels, neighbours, detail=True)
    requirements = requirements_from_rows(1, 2, [0], [1], [3], [1], [False])
    assert requirement_lines(effective, requirements, 0, 0)[0].via == "same"


def naive_fit(levels, credit, targets, weights):
    """Per-pair Python reference: the issue's formula read literally."""
    n_employees, n_jobs = levels.shape[0], targets.shape[0]
    result = np.zeros((n_employees, n_jobs))
    for e in range(n_employees):
        for j in range(n_jobs):
            num = den = 0.0
            for s in np.flatnonzero(targets[j]):
                best = max([levels[e, s]] + [levels[e, o] * credit[o, s] for o in np.flatnonzero(credit[:, s])])
                num += weights[j, s] * min(best, targets[j, s]) / targets[j, s]
                den += weights[j, s]
            result[e, j] = num / den if den else 0
    return result


@pytest.mark.parametrize("seed", range(5))
def test_it_matches_the_per_pair_formula_on_random_cases(seed):
    rng = np.random.default_rng(seed)
    n_e, n_j, n_s = 30, 12, 25
    levels = np.where(rng.random((n_e, n_s)) < 0.3, rng.integers(1, 5, (n_e, n_s)), 0)
    targets = np.where(rng.random((n_j, n_s)) < 0.25, rng.integers(1, 5, (n_j, n_s)), 0)
    weights = np.where(targets > 0, rng.integers(1, 3, (n_j, n_s)), 0).astype(float)
    critical = rng.random((n_j, n_s)) < 0.2
    weights_used = weights * np.where(critical, 2, 1)
    sim_pairs = rng.integers(0, n_s, (40, 2))
    sigma = rng.random(40)
    mapped = rng.integers(0, n_s, 10)
    keys = rng.integers(0, 4, 10)
    neighbours = skill_neighbours(n_s, mapped_skill=mapped, mapped_target=keys, similar_from=sim_pairs[:, 0],
                                  similar_to=sim_pairs[:, 1], sigma=sigma, threshold=0.5)
    e, s = np.nonzero(levels)
    level_matrix = levels_from_rows(n_e, n_s, e, s, levels[e, s])
    j, s2 = np.nonzero(targets)
    requirements = requirements_from_rows(n_j, n_s, j, s2, targets[j, s2], weights[j, s2], critical[j, s2])
    fast = fit_matrix(effective_levels(level_matrix, neighbours).level, requirements, chunk=7)
    expected = naive_fit(levels, neighbours.credit.toarray(), targets, weights_used)
    np.testing.assert_allclose(fast, expected, atol=1e-5)
    columns = targets.any(axis=0)
    restricted = fit_matrix(effective_levels(level_matrix, neighbours, columns=columns).level, requirements)
    np.testing.assert_allclose(restricted, expected, atol=1e-5)


def test_it_ranks_the_best_first_with_ties_by_index():
    scores = np.array([[0.2, 0.9, 0.9, 0.1]], dtype=np.float32)
    index, values = top_k(scores, 3)
    assert index.tolist() == [[1, 2, 0]]
    assert values[0].tolist() == pytest.approx([0.9, 0.9, 0.2])
    index, _values = top_k(scores, 1, axis=0)
    assert index.tolist() == [[0], [0], [0], [0]]


def test_it_finds_the_cheapest_cover_where_greedy_is_wrong():
    # Lines: skills 0..5 at level 2. Big covers 0-3 for 3 €; A covers 0,1,4 and B 2,3,5 for 2.4 € each.
    levels = sp.csr_matrix(np.array([[2, 2, 2, 2, 0, 0], [2, 2, 0, 0, 2, 0], [0, 0, 2, 2, 0, 2]], dtype=float))
    cover = training_cover(np.arange(6), np.full(6, 2), np.zeros(6), levels, np.array([3, 2.4, 2.4]),
                           np.array([7, 14, 14]))
    assert cover.exact
    assert cover.chosen.tolist() == [1, 2]
    assert cover.cost == pytest.approx(4.8)
    assert cover.hours == 28
    assert len(cover.uncovered) == 0


def test_it_reports_what_no_training_reaches():
    levels = sp.csr_matrix(np.array([[3, 1]], dtype=float))
    cover = training_cover(np.array([0, 1]), np.array([2, 3]), np.array([0, 2]), levels, np.array([100.0]),
                           np.array([10.0]))
    assert cover.chosen.tolist() == [0]
    assert cover.uncovered.tolist() == [1]
    assert cover.reached.tolist() == [3, 2]


def test_it_breaks_cost_ties_by_hours():
    levels = sp.csr_matrix(np.array([[2], [2]], dtype=float))
    cover = training_cover(np.array([0]), np.array([2]), np.array([0]), levels, np.array([50.0, 50.0]),
                           np.array([30.0, 7.0]))
    assert cover.chosen.tolist() == [1]


def brute_force_plan(fit, openings, allowed):
    n_e, n_j = fit.shape
    best = 0.0
    for choice in itertools.product(range(-1, n_j), repeat=n_e):
        counts = np.bincount([c for c in choice if c >= 0], minlength=n_j)
        if (counts > openings).any() or any(c >= 0 and not allowed[e, c] for e, c in enumerate(choice)):
            continue
        best = max(best, sum(fit[e, c] for e, c in enumerate(choice) if c >= 0))
    return best


@pytest.mark.parametrize("seed", range(12))
def test_it_finds_the_plan_of_highest_total_fit_like_brute_force(seed):
    rng = np.random.default_rng(seed)
    n_e, n_j = rng.integers(1, 6), rng.integers(1, 4)
    fit = rng.random((n_e, n_j)).round(2)
    openings = rng.integers(0, 3, n_j)
    allowed = rng.random((n_e, n_j)) < 0.7
    employees, jobs = plan_assign(fit, openings, allowed)
    assert len(set(employees.tolist())) == len(employees)
    assert (np.bincount(jobs, minlength=n_j) <= openings).all()
    assert allowed[employees, jobs].all()
    assert fit[employees, jobs].sum() == pytest.approx(brute_force_plan(fit, openings, allowed))


def test_it_leaves_out_pairs_the_options_forbid():
    fit = np.array([[0.9, 0.8], [0.7, 0.1]])
    allowed = np.array([[False, True], [True, True]])
    employees, jobs = plan_assign(fit, np.array([1, 1]), allowed)
    assert list(zip(employees.tolist(), jobs.tolist(), strict=True)) == [(0, 1), (1, 0)]
