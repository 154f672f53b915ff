"""The organisation-wide plan: who moves where so that the total fit is highest.

``fit[E, J]``: the fit of each candidate to each job with openings; ``openings[J]``: how many people
each job lacks; ``allowed[E, J]``: the pairs the options permit (interest, origin job, minimum fit, not
the person's own job). Each person moves at most once; each job takes at most its openings. Solved
exactly by ``scipy.optimize.linear_sum_assignment`` on the matrix whose columns repeat each job once per
opening: a pair not allowed costs what staying costs (0) and is dropped afterwards, so the assignment
maximises the total fit of the allowed moves.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import linear_sum_assignment


def plan_assign(fit: np.ndarray, openings: np.ndarray, allowed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(employee_index, job_index)`` arrays of the moves, by employee index."""
    fit = np.asarray(fit, dtype=np.float64)
    allowed = np.asarray(allowed, dtype=bool)
    openings = np.asarray(openings, dtype=np.int64).clip(min=0)
    # A job never needs more columns than it has allowed candidates.
    openings = np.minimum(openings, allowed.sum(axis=0))
    rows = np.flatnonzero(allowed.any(axis=1))
    columns = np.repeat(np.arange(fit.shape[1]), openings)
    if not len(rows) or not len(columns):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    value = np.where(allowed[np.ix_(rows, columns)], fit[np.ix_(rows, columns)], 0.0)
    row_pick, column_pick = linear_sum_assignment(value, maximize=True)
    employees, jobs = rows[row_pick], columns[column_pick]
    keep = allowed[employees, jobs]
    employees, jobs = employees[keep], jobs[keep]
    order = np.argsort(employees)
    return employees[order], jobs[order]
