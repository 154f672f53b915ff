"""Held-out evaluation helpers shared by the quality benchmark and the tests (pure)."""

from __future__ import annotations

import numpy as np


def holdout_split(n: int, seed: int, fraction: float = 0.2) -> tuple[np.ndarray, np.ndarray]:
    """Deterministic ``(kept, held_out)`` sorted index arrays over ``n`` items."""
    permutation = np.random.default_rng(seed).permutation(n)
    cut = int(round(n * fraction))
    return np.sort(permutation[cut:]), np.sort(permutation[:cut])


def hits(predicted: np.ndarray, truth: np.ndarray) -> np.ndarray:
    """(n, 2) booleans: the true key is first / among the ``k`` predicted keys (n, k)."""
    return np.stack([predicted[:, 0] == truth, (predicted == truth[:, None]).any(axis=1)], axis=1)
