"""The pure part of the matrix: label keys, gaps and summaries (no database)."""

import numpy as np

from skills_matrix.engine import compute_gaps, normalize_label, summarize, targets_for_employees


def test_it_gives_one_key_to_spellings_of_a_skill():
    assert normalize_label("Soudure TIG") == normalize_label("soudure  tig") == normalize_label(" Soudure-TIG. ")
    assert normalize_label("Sécurité au travail") == "securite au travail"
    assert normalize_label("Cœur de métier") == "coeur de metier"
    assert normalize_label("  ") == ""


def test_it_computes_gaps_where_the_job_requires_more_than_held():
    levels = np.array([[2, -1, 4], [0, 3, 1]], dtype=np.int8)
    targets = np.array([[3, 2, 0], [1, 3, 2]], dtype=np.int8)
    assert compute_gaps(levels, targets).tolist() == [[1, 2, 0], [1, 0, 1]]


def test_it_spreads_job_targets_and_requires_nothing_without_a_job():
    job_targets = np.array([[2, 0], [1, 3]], dtype=np.int8)
    assert targets_for_employees(job_targets, np.array([1, -1, 0])).tolist() == [[1, 3], [0, 0], [2, 0]]
    assert targets_for_employees(np.zeros((0, 2), dtype=np.int8), np.array([-1])).tolist() == [[0, 0]]
    assert targets_for_employees(np.zeros((0, 0), dtype=np.int8), np.array([-1, -1])).shape == (2, 0)


def test_it_summarizes_gaps_and_levels():
    levels = np.array([[2, -1, 4], [0, 3, 1]], dtype=np.int8)
    gaps = np.array([[1, 2, 0], [1, 0, 0]], dtype=np.int8)
    summary = summarize(levels, gaps)
    assert summary.gaps_per_employee.tolist() == [2, 1]
    assert summary.gaps_per_skill.tolist() == [2, 1, 0]
    assert summary.holders_per_skill.tolist() == [1, 1, 2]
    assert summary.mean_level_per_skill.tolist() == [1.0, 3.0, 2.5]
    assert (summary.total_gaps, summary.employees_in_gap) == (3, 2)
