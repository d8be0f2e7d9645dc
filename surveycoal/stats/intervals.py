"""Intervals of a coalition's score (docs/METHODS.md section 3).

The mean's t interval, the median's distribution-free interval, the Wilson interval of a
share, and the disagree / neutral / agree bands of the answers. Each works on every column
of a matrix at once; the one-sample functions are that computation on one column.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
from scipy import special, stats

from surveycoal.stats._core import (
    _check_ci,
    _masked_moments,
    _t_quantile,
    _two_sided_quantile,
    _vector,
)
from surveycoal.stats.constants import BANDS


@dataclass(frozen=True)
class MeanEstimate:
    """A mean with its t interval (clipped to the scale)."""

    n: int
    mean: float
    sd: float
    ci_low: float
    ci_high: float


@dataclass(frozen=True)
class MedianEstimate:
    """A median with its distribution-free (binomial order statistic) interval."""

    n: int
    median: float
    ci_low: float
    ci_high: float


def t_interval(
    n: Any, mean: Any, sd: Any, *, ci: float = 0.95, clip: tuple[float, float] | None = (0, 100)
) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised t interval mean -/+ t(n-1) sd/sqrt(n); NaN where n < 2."""
    ci = _check_ci(ci)
    n = np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        half = _t_quantile(np.where(n >= 2, n - 1, np.nan), ci) * np.asarray(sd) / np.sqrt(n)
    low = np.asarray(mean) - half
    high = np.asarray(mean) + half
    if clip is not None:
        low = np.clip(low, *clip)
        high = np.clip(high, *clip)
    return low, high


def column_moments(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """n, mean and SD (ddof=1) per column of a matrix with NaN; NaN mean under 1, SD under 2."""
    n, mean, var, _ = _masked_moments(x, ~np.isnan(x))
    mean = np.where(n > 0, mean, np.nan)
    sd = np.where(n > 1, np.sqrt(var), np.nan)
    return n.astype(np.int64), mean, sd


def mean_ci(
    x: Any, *, ci: float = 0.95, clip: tuple[float, float] | None = (0, 100)
) -> MeanEstimate:
    """Mean with the t interval of ``scipy.stats.ttest_1samp``, clipped to 0-100.

    :func:`column_moments` and :func:`t_interval`, which score every dimension, on one column.

    Examples
    --------
    >>> res = mean_ci([2.5, 3, 3.25, 3.5, 3.5, 3.75, 4, 4.25, 4.5], clip=None)
    >>> round(res.ci_low, 2), round(res.ci_high, 2)
    (3.1, 4.06)
    """
    n, mean, sd = column_moments(_vector(x)[:, None])
    low, high = t_interval(n, mean, sd, ci=ci, clip=clip)
    return MeanEstimate(int(n[0]), float(mean[0]), float(sd[0]), float(low[0]), float(high[0]))


@lru_cache(maxsize=512)
def order_statistic_ci(n: int, ci: float = 0.95) -> tuple[int, int]:
    """Positions (0-based, in the sorted sample) of the median's distribution-free CI.

    Identical to ``scipy.stats.quantile_test(x, q=median, p=.5).confidence_interval``:
    a position below 0 or at n and above means that end cannot be given.
    """
    bd = stats.binom(n, 0.5)
    p = (1.0 - ci) / 2.0
    return int(bd.ppf(p)) - 1, int(bd.isf(p))


def median_ci(x: Any, *, ci: float = 0.95) -> MedianEstimate:
    """Median with a distribution-free interval (binomial order statistics).

    :func:`sorted_median_ci`, which scoring runs on every dimension, on one column.

    Examples
    --------
    >>> res = median_ci([2.5, 3, 3.25, 3.5, 3.5, 3.75, 4, 4.25, 4.5])
    >>> res.median, res.ci_low, res.ci_high
    (3.5, 3.0, 4.25)
    """
    v = np.sort(_vector(x))
    median, low, high = sorted_median_ci(v[:, None], np.array([v.size]), ci=ci)
    return MedianEstimate(v.size, float(median[0]), float(low[0]), float(high[0]))


def sorted_median_ci(
    sorted_columns: np.ndarray, n: np.ndarray, *, ci: float = 0.95
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Median and CI per column of a matrix sorted along axis 0 with NaN last.

    ``n`` holds the valid values per column. The interval's ends are the order
    statistics of :func:`order_statistic_ci`; an end that cannot be given is NaN.
    """
    ci = _check_ci(ci)
    k = sorted_columns.shape[1]
    median = np.full(k, np.nan)
    low = np.full(k, np.nan)
    high = np.full(k, np.nan)
    for j in range(k):
        m = int(n[j])
        if m == 0:
            continue
        col = sorted_columns[:m, j]
        median[j] = 0.5 * (col[(m - 1) // 2] + col[m // 2])
        lo, hi = order_statistic_ci(m, round(ci, 10))
        if lo >= 0:
            low[j] = col[lo]
        if hi < m:
            high[j] = col[hi]
    return median, low, high


def wilson_ci(k: Any, n: Any, *, ci: float = 0.95) -> tuple[Any, Any]:
    """Wilson score interval for k of n, as ``binomtest(k, n).proportion_ci('wilson')``.

    Vectorised over ``k`` and ``n``; NaN where n is 0.

    Examples
    --------
    >>> [round(float(v), 3) for v in wilson_ci(6, 9)]
    [0.354, 0.879]
    """
    ci = _check_ci(ci)
    k = np.asarray(k, dtype=float)
    n = np.asarray(n, dtype=float)
    z = special.ndtri(_two_sided_quantile(ci))
    with np.errstate(invalid="ignore", divide="ignore"):
        p = k / n
        denom = 2.0 * (n + z * z)
        centre = (2.0 * n * p + z * z) / denom
        delta = z * np.sqrt(z * z + 4.0 * n * p * (1.0 - p)) / denom
    low = np.where(n > 0, np.maximum(centre - delta, 0.0), np.nan)
    high = np.where(n > 0, np.minimum(centre + delta, 1.0), np.nan)
    if low.ndim == 0:
        return float(low), float(high)
    return low, high


def band_counts(raw: np.ndarray, points: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Counts of disagree (below the midpoint), neutral (at it) and agree (above it) per column.

    ``raw`` holds answers on 1..points (NaN missing); ``points`` is a number or one per column.
    """
    mid = (1.0 + np.asarray(points, dtype=float)) / 2.0
    with np.errstate(invalid="ignore"):
        disagree = np.sum(raw < mid, axis=0)
        neutral = np.sum(raw == mid, axis=0)
        agree = np.sum(raw > mid, axis=0)
    return disagree, neutral, agree


def item_bands(
    values: pd.DataFrame,
    *,
    points: int = 5,
    dont_know: pd.DataFrame | None = None,
    ci: float = 0.95,
) -> pd.DataFrame:
    """Share disagree / neutral / agree of the valid answers per item, with Wilson CIs.

    Parameters
    ----------
    values : DataFrame
        Raw answers 1..points per item (as written, not reverse-keyed), NaN missing.
    points : int
        Scale points; on 5 points the bands are 1-2, 3 and 4-5.
    dont_know : DataFrame of bool, optional
        Where the answer was "don't know"; adds the column ``dont_know`` (share of
        valid plus don't-know answers).

    Examples
    --------
    >>> df = pd.DataFrame({"q1": [1, 2, 3, 4, 4, 5, 5, 5, 4]})
    >>> bands = item_bands(df)
    >>> round(float(bands.loc["q1", "agree"]), 3), round(float(bands.loc["q1", "agree_ci_low"]), 3)
    (0.667, 0.354)
    """
    raw = values.to_numpy(dtype=float)
    n = np.sum(~np.isnan(raw), axis=0)
    table = {"n": n}
    if dont_know is not None:
        dk = dont_know[values.columns].to_numpy(dtype=bool).sum(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            table["dont_know"] = np.where(n + dk > 0, dk / (n + dk), np.nan)
    for band, count in zip(BANDS, band_counts(raw, points), strict=True):
        with np.errstate(invalid="ignore", divide="ignore"):
            table[band] = np.where(n > 0, count / n, np.nan)
        low, high = wilson_ci(count, n, ci=ci)
        table[f"{band}_ci_low"] = low
        table[f"{band}_ci_high"] = high
    return pd.DataFrame(table, index=values.columns)
