"""Within-group agreement rwg(j) (docs/METHODS.md section 3).

rwg(j) over a dimension's items, the value random answers reach, and the rule for when a
coalition mean stands for a view its members hold in common.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

import numpy as np

from surveycoal.stats._core import _matrix
from surveycoal.stats.constants import DEFAULT_SEED, N_RWG_SIMULATIONS


def rwg_from_variances(mean_variance: Any, n_items: Any, points: Any) -> Any:
    """rwg(j) from the mean item variance: J(1 - s2/null) / (J(1 - s2/null) + s2/null)."""
    null = (np.asarray(points, dtype=float) ** 2 - 1.0) / 12.0
    ratio = np.minimum(np.asarray(mean_variance, dtype=float), null) / null
    j = np.asarray(n_items, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return j * (1.0 - ratio) / (j * (1.0 - ratio) + ratio)


def rwg_j(data: Any, *, points: int = 5) -> float:
    """Within-group agreement rwg(j) (James, Demaree & Wolf; R ``multilevel::rwg.j``).

    The item variances (ddof=1) are averaged, capped at the uniform null variance
    (A^2 - 1)/12, and stepped up for J items.

    Examples
    --------
    >>> rows = [[4, 4, 5, 4], [4, 5, 4, 4], [5, 4, 4, 5], [4, 4, 4, 4], [3, 4, 4, 4]]
    >>> round(rwg_j(rows), 4)
    0.9617
    """
    x = _matrix(data)
    counts = np.sum(~np.isnan(x), axis=0)
    usable = counts >= 2
    if not np.any(usable):
        return math.nan
    variances = np.nanvar(x[:, usable], axis=0, ddof=1)
    return float(rwg_from_variances(variances.mean(), int(usable.sum()), points))


@lru_cache(maxsize=2048)
def rwg_random_cutoff(n: int, n_items: int, points: int = 5, seed: int = DEFAULT_SEED) -> float:
    """The rwg(j) that random answers exceed in 5% of groups of n (seeded simulation).

    Cached on (n, J, points, seed): a report asks for few distinct combinations.

    Examples
    --------
    >>> round(rwg_random_cutoff(10, 4, 5), 2)
    0.57
    """
    if n < 2 or n_items < 1:
        return math.nan
    rng = np.random.default_rng([seed, n, n_items, points])
    total = np.zeros(N_RWG_SIMULATIONS)
    for _ in range(n_items):  # one item at a time keeps memory at n_sim x n
        draws = rng.integers(1, points + 1, size=(N_RWG_SIMULATIONS, n))
        total += draws.var(axis=1, ddof=1)
    rwg = rwg_from_variances(total / n_items, n_items, points)
    return float(np.quantile(rwg, 0.95))


def shared_view(
    rwg: float,
    n: int,
    n_items: int,
    points: int = 5,
    *,
    seed: int = DEFAULT_SEED,
    threshold: float = 0.70,
) -> bool:
    """A coalition mean is a shared view only when rwg(j) >= .70 and above the random cut-off.

    Examples
    --------
    >>> shared_view(0.9617, 5, 4)
    True
    >>> shared_view(0.71, 5, 4)
    False
    """
    if not math.isfinite(rwg) or n < 2:
        return False
    return bool(
        rwg >= threshold and rwg > rwg_random_cutoff(int(n), int(n_items), int(points), seed)
    )
