"""Effect sizes (docs/METHODS.md sections 4 and 5).

Hedges' g and d_z of a change, Cliff's delta with the Feng & Cliff interval and its
magnitude labels, and the equality index built on delta.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from surveycoal.errors import InputError
from surveycoal.stats._core import _check_ci, _t_quantile, _vector


def hedges_g(x: Any, y: Any) -> float:
    """Hedges' g of mean(x) - mean(y): Cohen's d with the pooled SD, small-sample corrected.

    Examples
    --------
    >>> round(hedges_g([2, 4, 6, 8], [1, 3, 5, 7]), 4)
    0.3368
    """
    a, b = _vector(x), _vector(y)
    n1, n2 = a.size, b.size
    if n1 < 2 or n2 < 2:
        return math.nan
    sp = math.sqrt(((n1 - 1) * a.var(ddof=1) + (n2 - 1) * b.var(ddof=1)) / (n1 + n2 - 2))
    if sp == 0:
        return math.nan
    correction = 1.0 - 3.0 / (4.0 * (n1 + n2) - 9.0)
    return float((a.mean() - b.mean()) / sp * correction)


def cohens_dz(x: Any, y: Any) -> float:
    """Paired effect size d_z = mean(x - y) / sd(x - y).

    Examples
    --------
    >>> round(cohens_dz([3, 5, 6, 8], [2, 3, 5, 6]), 3)
    2.598
    """
    a = np.asarray(x, dtype=float).ravel()
    b = np.asarray(y, dtype=float).ravel()
    if a.size != b.size:
        raise InputError("d_z needs two samples of the same length.")
    d = a - b
    d = d[~np.isnan(d)]
    if d.size < 2 or d.std(ddof=1) == 0:
        return math.nan
    return float(d.mean() / d.std(ddof=1))


def pooled_sd(x: Any, y: Any) -> float:
    """The pooled standard deviation of two samples."""
    a, b = _vector(x), _vector(y)
    n1, n2 = a.size, b.size
    if n1 + n2 < 3 or n1 < 1 or n2 < 1:
        return math.nan
    ss = (n1 - 1) * (a.var(ddof=1) if n1 > 1 else 0.0) + (n2 - 1) * (
        b.var(ddof=1) if n2 > 1 else 0.0
    )
    return math.sqrt(ss / (n1 + n2 - 2))


@dataclass(frozen=True)
class CliffsDelta:
    """Cliff's delta P(x > y) - P(x < y) with the Feng & Cliff interval."""

    delta: float
    ci_low: float
    ci_high: float
    magnitude: str
    n_x: int
    n_y: int


def delta_magnitude(delta: float) -> str:
    """Label |delta|: < .147 negligible, < .33 small, < .474 medium, else large.

    Examples
    --------
    >>> [delta_magnitude(d) for d in (0.1, -0.25, 0.4, -0.9)]
    ['negligible', 'small', 'medium', 'large']
    """
    if not math.isfinite(delta):
        return ""
    size = abs(delta)
    if size < 0.147:
        return "negligible"
    if size < 0.33:
        return "small"
    if size < 0.474:
        return "medium"
    return "large"


def dominance(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The dominance matrix sign(x_i - y_j)."""
    return np.sign(x[:, None] - y[None, :])


def feng_cliff(dom: np.ndarray, *, ci: float = 0.95) -> tuple[float, float, float]:
    """Cliff's delta and the Feng & Cliff CI (R ``effsize::cliff.delta``) from a dominance matrix.

    The interval is undefined (NaN) when the groups do not overlap at all.
    """
    n1, n2 = dom.shape
    d = float(dom.mean())
    if n1 < 2 or n2 < 2:
        return d, math.nan, math.nan
    rows = dom.mean(axis=1)
    cols = dom.mean(axis=0)
    sd = (
        n2**2 * np.sum((rows - d) ** 2) + n1**2 * np.sum((cols - d) ** 2) - np.sum((dom - d) ** 2)
    ) / (n1 * n2 * (n1 - 1) * (n2 - 1))
    sd = max(float(sd), 0.0)
    z = float(_t_quantile(n1 + n2 - 2, ci))
    denom = 1.0 - d * d + z * z * sd
    if denom <= 0 or sd == 0:
        return d, math.nan, math.nan
    spread = z * math.sqrt(sd) * math.sqrt((1 - d * d) ** 2 + z * z * sd)
    low = (d - d**3 - spread) / denom
    high = (d - d**3 + spread) / denom
    return d, max(low, -1.0), min(high, 1.0)


def cliffs_delta(x: Any, y: Any, *, ci: float = 0.95) -> CliffsDelta:
    """Cliff's delta = 2U/(n1 n2) - 1 with the Feng & Cliff interval.

    Examples
    --------
    >>> res = cliffs_delta([10, 10, 20, 20, 20, 30, 30, 30, 40, 50], [10, 20, 30, 40, 40, 50])
    >>> res.delta, round(res.ci_low, 4), round(res.ci_high, 4), res.magnitude
    (-0.25, -0.7266, 0.389, 'small')
    """
    ci = _check_ci(ci)
    a, b = _vector(x, "x"), _vector(y, "y")
    if a.size == 0 or b.size == 0:
        return CliffsDelta(math.nan, math.nan, math.nan, "", a.size, b.size)
    d, low, high = feng_cliff(dominance(a, b), ci=ci)
    return CliffsDelta(d, low, high, delta_magnitude(d), a.size, b.size)


@dataclass(frozen=True)
class EqualityIndex:
    """EI = 100 (1 - |delta|): 100 means the two member types cannot be told apart."""

    value: float
    ci_low: float
    ci_high: float


def equality_index(delta: float, ci_low: float, ci_high: float) -> EqualityIndex:
    """Equality index and its interval from Cliff's delta and its CI.

    lower = 100 (1 - max(|lo|, |hi|)); upper = 100 if the CI holds 0, else 100 (1 - min(|lo|, |hi|)).

    Examples
    --------
    >>> ei = equality_index(-0.25, -0.7266, 0.3890)
    >>> ei.value, round(ei.ci_low), ei.ci_high
    (75.0, 27, 100.0)
    """
    value = 100.0 * (1.0 - abs(delta)) if math.isfinite(delta) else math.nan
    if not (math.isfinite(ci_low) and math.isfinite(ci_high)):
        return EqualityIndex(value, math.nan, math.nan)
    low = 100.0 * (1.0 - max(abs(ci_low), abs(ci_high)))
    high = 100.0 if ci_low <= 0 <= ci_high else 100.0 * (1.0 - min(abs(ci_low), abs(ci_high)))
    return EqualityIndex(value, low, high)
