"""The mobility engine: pure numpy/scipy over arrays, no Django.

- ``fit``: effective levels (own, mapped, similar skills) and the fit of every employee to every job,
  as a sum over level thresholds of sparse matrix products; the requirement lines that explain one pair.
- ``cover``: the cheapest set of trainings that closes a gap (weighted set cover, exact by integer
  programming, greedy with its bound when too large).
- ``plan``: the organisation-wide assignment of people to openings (``linear_sum_assignment``).
- ``nearby``: where people go from the occupations closest to one's own in the ROME (the "nearby paths"
  signal) and the recommended order of a person's suggestions (best fits re-ranked with it).
"""
