"""Effect sizes (docs/METHODS.md sections 4 and 5).

Hedges' g and d_z of a change, Cliff's delta with the Feng & Cliff interval and its
magnitude labels, and the equality index built on delta.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from surveycoal.stats._core import _check_ci, _t_quantile, _vector
from surveycoal.stats.ttests import _complete_pairs, change_tests


def hedges_g(x: Any, y: Any) -> float:
    """Hedges' g of mean(x) - mean(y): Cohen's d with the pooled SD, small-sample corrected.

    The effect size :func:`~surveycoal.stats.ttests.change_tests` reports, on one column.

    Examples
    --------
    >>> round(hedges_g([2, 4, 6, 8], [1, 3, 5, 7]), 4)
    0.3368
    """
    before, after = _vector(y)[:, None], _vector(x)[:, None]
    none = np.array([], dtype=np.int64)
    return float(change_tests(before, after, none, none).effect_size[0])


def cohens_dz(x: Any, y: Any) -> float:
    """Paired effect size d_z = mean(x - y) / sd(x - y); pairs with a missing side are dropped.

    The effect size :func:`~surveycoal.stats.ttests.change_tests` reports with everybody
    linked, on one column.

    Examples
    --------
    >>> round(cohens_dz([3, 5, 6, 8], [2, 3, 5, 6]), 3)
    2.598
    """
    a, b = _complete_pairs(x, y, "d_z needs two samples of the same length.")
    pairs = np.arange(a.size)
    return float(change_tests(b[:, None], a[:, None], pairs, pairs, min_pairs=1).effect_size[0])


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


def _dominance_columns(
    x: np.ndarray, y: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per column of (n_x, k) and (n_y, k) matrices with NaN: the valid masks and sign(x_i - y_j).

    Returns vx, vy, both (n_x, n_y, k: both valid) and the dominance array (0 where not both).
    """
    vx, vy = ~np.isnan(x), ~np.isnan(y)
    both = vx[:, None, :] & vy[None, :, :]
    dom = np.where(both, np.sign(np.nan_to_num(x)[:, None, :] - np.nan_to_num(y)[None, :, :]), 0.0)
    return vx, vy, both, dom


def _feng_cliff_columns(
    dom: np.ndarray,
    vx: np.ndarray,
    vy: np.ndarray,
    both: np.ndarray,
    n1: np.ndarray,
    n2: np.ndarray,
    ci: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Cliff's delta and its Feng & Cliff interval for every column of a dominance array.

    Returns delta, the row and column means of the dominance (d_i. and d_.j, which
    Brunner-Munzel reuses), and the interval (NaN where it is undefined).
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        delta = dom.sum(axis=(0, 1)) / (n1 * n2)
        rows = dom.sum(axis=1) / n2  # d_i. for valid i
        cols = dom.sum(axis=0) / n1  # d_.j for valid j
        row_dev = np.where(vx, rows - delta, 0.0)
        col_dev = np.where(vy, cols - delta, 0.0)
        cell_dev = np.where(both, dom - delta, 0.0)
        sd = (
            n2**2 * (row_dev**2).sum(axis=0)
            + n1**2 * (col_dev**2).sum(axis=0)
            - (cell_dev**2).sum(axis=(0, 1))
        ) / (n1 * n2 * (n1 - 1) * (n2 - 1))
        sd = np.maximum(sd, 0.0)
        z = _t_quantile(n1 + n2 - 2, ci)
        denom = 1.0 - delta**2 + z**2 * sd
        spread = z * np.sqrt(sd) * np.sqrt((1 - delta**2) ** 2 + z**2 * sd)
        defined = (denom > 0) & (sd > 0) & (n1 >= 2) & (n2 >= 2)
        low = np.where(defined, np.maximum((delta - delta**3 - spread) / denom, -1.0), np.nan)
        high = np.where(defined, np.minimum((delta - delta**3 + spread) / denom, 1.0), np.nan)
    return delta, rows, cols, low, high


def delta_columns(
    x: np.ndarray, y: np.ndarray, *, ci: float = 0.95
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cliff's delta and its Feng & Cliff interval for every column of two matrices with NaN.

    The delta part of :func:`~surveycoal.stats.groups.gap_columns`, the same numbers, for
    when only the interval is wanted (the overall equality index, docs/METHODS.md section 5).
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    vx, vy, both, dom = _dominance_columns(x, y)
    n1, n2 = vx.sum(axis=0).astype(float), vy.sum(axis=0).astype(float)
    delta, _, _, low, high = _feng_cliff_columns(dom, vx, vy, both, n1, n2, _check_ci(ci))
    return np.where((n1 > 0) & (n2 > 0), delta, np.nan), low, high


def _as_columns(
    dom: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """A complete (n_x, n_y) dominance matrix as one column of :func:`_dominance_columns`."""
    n1, n2 = dom.shape
    return (
        dom[:, :, None],
        np.ones((n1, 1), dtype=bool),
        np.ones((n2, 1), dtype=bool),
        np.ones((n1, n2, 1), dtype=bool),
        np.array([float(n1)]),
        np.array([float(n2)]),
    )


def feng_cliff(dom: np.ndarray, *, ci: float = 0.95) -> tuple[float, float, float]:
    """Cliff's delta and the Feng & Cliff CI (R ``effsize::cliff.delta``) from a dominance matrix.

    The interval is undefined (NaN) when the groups do not overlap at all. This is the
    computation of :func:`~surveycoal.stats.groups.gap_columns` on one column.
    """
    dom3, vx, vy, both, n1, n2 = _as_columns(np.asarray(dom, dtype=float))
    delta, _, _, low, high = _feng_cliff_columns(dom3, vx, vy, both, n1, n2, _check_ci(ci))
    return float(delta[0]), float(low[0]), float(high[0])


def cliffs_delta(x: Any, y: Any, *, ci: float = 0.95) -> CliffsDelta:
    """Cliff's delta = 2U/(n1 n2) - 1 with the Feng & Cliff interval.

    :func:`~surveycoal.stats.groups.gap_columns` on one column.

    Examples
    --------
    >>> res = cliffs_delta([10, 10, 20, 20, 20, 30, 30, 30, 40, 50], [10, 20, 30, 40, 40, 50])
    >>> res.delta, round(res.ci_low, 4), round(res.ci_high, 4), res.magnitude
    (-0.25, -0.7266, 0.389, 'small')
    """
    from surveycoal.stats.groups import gap_columns

    a, b = _vector(x, "x"), _vector(y, "y")
    gap = gap_columns(a[:, None], b[:, None], ci=ci)
    d = float(gap.delta[0])
    return CliffsDelta(
        d,
        float(gap.delta_ci_low[0]),
        float(gap.delta_ci_high[0]),
        delta_magnitude(d),
        a.size,
        b.size,
    )


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
