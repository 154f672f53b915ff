"""Speed of the mobility engine (pure numpy/scipy, no database).

Usage (from the repository root):

    .venv/bin/python bench/mobility_speed.py [--employees 10000] [--jobs 1500] [--skills 18000]

Synthetic ROME-sized data drawn with a fixed seed: ~25 skills per person (levels 1–4), ~15 requirements per
job (targets 1–4, one in five critical), ~10 similar skills per skill (σ uniform in [0.3, 1], kept ≥ 0.5),
a third of the skills mapped to shared standard skills. Times, each the best of 3 runs:

1. all-pairs fit with similar-skill credit on + top-10 per employee and per job (the engine's full
   computation: effective levels, Σ over level thresholds of sparse products, two top-k), and the peak
   resident memory of the process;
2. a naive per-pair Python implementation (dicts, loop over pairs and requirements) on a 500 × 100 subset,
   against the engine on the same subset and per pair at full scale;
3. the organisation-wide plan for 2,000 candidates × 300 open positions (1–4 openings each);
4. the exact training set cover of a 30-skill gap over a 500-training catalogue (median of 20 gaps).
"""

import argparse
import resource
import sys
import time
from pathlib import Path

import numpy as np
import scipy.sparse as sp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mobility.engine.cover import training_cover  # noqa: E402
from mobility.engine.fit import (  # noqa: E402
    effective_levels,
    fit_matrix,
    levels_from_rows,
    requirements_from_rows,
    skill_neighbours,
    top_k,
)
from mobility.engine.plan import plan_assign  # noqa: E402


def synthetic(n_e, n_j, n_s, rng):
    per_person, per_job, per_skill = 25, 15, 10
    e = np.repeat(np.arange(n_e), per_person)
    s = rng.integers(0, n_s, n_e * per_person)
    levels = levels_from_rows(n_e, n_s, e, s, rng.integers(1, 5, len(e)))
    levels.data = np.minimum(levels.data, 4)
    j = np.repeat(np.arange(n_j), per_job)
    js = rng.integers(0, n_s, n_j * per_job)
    keys = np.unique(j * n_s + js)
    j, js = keys // n_s, keys % n_s
    requirements = requirements_from_rows(n_j, n_s, j, js, rng.integers(1, 5, len(j)), np.ones(len(j)),
                                          rng.random(len(j)) < 0.2)
    a = np.repeat(np.arange(n_s), per_skill)
    b = rng.integers(0, n_s, len(a))
    sigma = rng.uniform(0.3, 1.0, len(a))
    mapped = rng.choice(n_s, n_s // 3, replace=False)
    neighbours = skill_neighbours(n_s, mapped_skill=mapped, mapped_target=rng.integers(0, n_s // 6, len(mapped)),
                                  similar_from=np.concatenate([a, b]), similar_to=np.concatenate([b, a]),
                                  sigma=np.concatenate([sigma, sigma]), threshold=0.5)
    return levels, requirements, neighbours


def engine_all(levels, requirements, neighbours, k=10):
    columns = np.zeros(levels.shape[1], dtype=bool)
    columns[requirements.targets.indices] = True
    fit = fit_matrix(effective_levels(levels, neighbours, columns=columns).level, requirements)
    return top_k(fit, k), top_k(fit, k, axis=0), fit


def naive(levels, requirements, neighbours):
    """Per pair, per requirement, in plain Python: what one writes without the decomposition."""
    held = [dict(zip(row.indices.tolist(), row.data.tolist(), strict=True)) for row in levels]
    credit_t = neighbours.credit.T.tocsr()
    incoming = [dict(zip(credit_t[s].indices.tolist(), credit_t[s].data.tolist(), strict=True))
                for s in range(levels.shape[1])]
    jobs = [list(zip(requirements.targets[j].indices.tolist(), requirements.targets[j].data.tolist(),
                     requirements.weights[j].data.tolist(), strict=True)) for j in range(requirements.targets.shape[0])]
    result = np.zeros((len(held), len(jobs)))
    for e, mine in enumerate(held):
        for j, lines in enumerate(jobs):
            num = den = 0.0
            for s, t, w in lines:
                best = mine.get(s, 0.0)
                for source, c in incoming[s].items():
                    if source in mine:
                        best = max(best, c * mine[source])
                num += w * min(best, t) / t
                den += w
            result[e, j] = num / den if den else 0.0
    return result


def best_of(fn, repeat=3):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - start)
    return min(times), value


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--employees", type=int, default=10_000)
    parser.add_argument("--jobs", type=int, default=1_500)
    parser.add_argument("--skills", type=int, default=18_000)
    args = parser.parse_args()
    rng = np.random.default_rng(2030)
    levels, requirements, neighbours = synthetic(args.employees, args.jobs, args.skills, rng)
    base_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    seconds, (_by_employee, _by_job, fit) = best_of(lambda: engine_all(levels, requirements, neighbours))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"all-pairs fit + top-10 both ways, {args.employees} x {args.jobs} x {args.skills}, similar on: "
          f"{seconds:.2f} s; peak RSS {peak:.0f} MiB (inputs built: {base_rss:.0f} MiB)")

    sub_levels, sub_req = levels[:500], requirements.__class__(requirements.targets[:100], requirements.weights[:100])
    naive_seconds, expected = best_of(lambda: naive(sub_levels, sub_req, neighbours), repeat=1)
    sub_seconds, (_a, _b, sub_fit) = best_of(lambda: engine_all(sub_levels, sub_req, neighbours))
    assert np.allclose(sub_fit, expected, atol=1e-5), "engine and naive implementation disagree"
    per_pair_naive = naive_seconds / (500 * 100)
    per_pair_engine = seconds / (args.employees * args.jobs)
    print(f"naive per-pair Python, 500 x 100: {naive_seconds:.2f} s; engine on the same subset {sub_seconds * 1000:.1f} ms "
          f"(x{naive_seconds / sub_seconds:.0f}); per pair at full scale x{per_pair_naive / per_pair_engine:.0f}")

    n_c, n_p = 2_000, 300
    plan_fit = rng.random((n_c, n_p))
    openings = rng.integers(1, 5, n_p)
    allowed = rng.random((n_c, n_p)) < 0.6
    plan_seconds, (moved, _jobs) = best_of(lambda: plan_assign(plan_fit, openings, allowed))
    print(f"plan {n_c} candidates x {n_p} positions ({openings.sum()} openings): {plan_seconds:.2f} s, "
          f"{len(moved)} moves")

    n_t, gap = 500, 30
    cover_times, exact = [], 0
    for _ in range(20):
        skills_t = rng.integers(0, 120, (n_t, 4))
        rows = np.repeat(np.arange(n_t), 4)
        training_levels = sp.csr_matrix((rng.integers(2, 5, n_t * 4).astype(float), (rows, skills_t.ravel())),
                                        shape=(n_t, 120))
        training_levels.sum_duplicates()
        training_levels.data = np.minimum(training_levels.data, 4)
        gap_skills = rng.choice(120, gap, replace=False)
        start = time.perf_counter()
        cover = training_cover(gap_skills, rng.integers(2, 4, gap), np.zeros(gap), training_levels,
                               rng.integers(200, 3000, n_t).astype(float), rng.integers(7, 70, n_t).astype(float))
        cover_times.append(time.perf_counter() - start)
        exact += cover.exact
    print(f"set cover, {gap}-skill gap over {n_t} trainings: median {np.median(cover_times) * 1000:.0f} ms, "
          f"max {max(cover_times) * 1000:.0f} ms, exact {exact}/20")


if __name__ == "__main__":
    main()
