"""Comparing coalitions in a programme (docs/METHODS.md section 6).

Intraclass correlations ICC(1) and ICC(2), Kruskal-Wallis, the funnel plot with
overdispersion, and top / middle / bottom groups from rank intervals (never a rank).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import special

from surveycoal.errors import InputError
from surveycoal.stats._core import _t_pvalue
from surveycoal.stats.constants import DEFAULT_SEED, KRUSKAL_PERMUTATION_MAX_N, N_RESAMPLES
from surveycoal.stats.groups import GroupTest
from surveycoal.stats.multiple import holm
from surveycoal.stats.resampling import _midranks, _permutation_indices


@dataclass(frozen=True)
class ICC:
    """One-way ANOVA intraclass correlations of respondents within coalitions.

    ``icc1`` is the reliability of one respondent, ``icc2`` of a coalition's mean;
    ``can_be_told_apart`` is False when ICC(2) < .70.
    """

    f: float
    df_between: int
    df_within: int
    p: float
    ms_between: float
    ms_within: float
    k: float
    icc1: float
    icc2: float
    n_groups: int
    n: int

    @property
    def can_be_told_apart(self) -> bool:
        return bool(math.isfinite(self.icc2) and self.icc2 >= 0.70)


def _group_codes(groups: Any) -> tuple[np.ndarray, np.ndarray]:
    labels, codes = np.unique(np.asarray(groups, dtype=object).astype(str), return_inverse=True)
    return labels, codes


def icc_from_arrays(values: np.ndarray, codes: np.ndarray, n_groups: int) -> ICC:
    """ICC(1)/ICC(2) from scores and integer group codes (NaN scores already removed)."""
    n = values.size
    counts = np.bincount(codes, minlength=n_groups).astype(float)
    present = counts > 0
    g = int(present.sum())
    if g < 2 or n - g < 1:
        return ICC(
            math.nan, g - 1, n - g, math.nan, math.nan, math.nan, math.nan, math.nan, math.nan, g, n
        )
    sums = np.bincount(codes, weights=values, minlength=n_groups)
    means = np.divide(sums, counts, out=np.zeros_like(sums), where=present)
    grand = values.mean()
    ssb = float(np.sum(counts * (means - grand) ** 2))
    ssw = float(np.sum((values - means[codes]) ** 2))
    msb = ssb / (g - 1)
    msw = ssw / (n - g)
    k = n / g
    f = msb / msw if msw > 0 else math.inf
    p = float(special.fdtrc(g - 1, n - g, f)) if math.isfinite(f) else 0.0
    icc1 = (msb - msw) / (msb + (k - 1) * msw) if msb + (k - 1) * msw > 0 else math.nan
    icc2 = (msb - msw) / msb if msb > 0 else math.nan
    return ICC(float(f), g - 1, n - g, p, msb, msw, k, float(icc1), float(icc2), g, n)


def icc_oneway(data: pd.DataFrame, *, dv: str, group: str) -> ICC:
    """ICC(1) = (MSB - MSW)/(MSB + (k-1) MSW) and ICC(2) = (MSB - MSW)/MSB, k = N/G.

    Parameters
    ----------
    data : DataFrame
        One row per respondent (long format).
    dv, group : str
        Columns of the score and of the group (coalition).

    Examples
    --------
    >>> df = pd.DataFrame({"g": list("aaabbbccc"), "score": [1, 2, 3, 4, 5, 6, 7, 8, 9]})
    >>> res = icc_oneway(df, dv="score", group="g")
    >>> round(res.f, 1), round(res.icc2, 4)
    (27.0, 0.963)
    """
    sub = data[[dv, group]].dropna()
    labels, codes = _group_codes(sub[group].to_numpy())
    return icc_from_arrays(sub[dv].to_numpy(dtype=float), codes, labels.size)


def kruskal_h(values: np.ndarray, codes: np.ndarray, n_groups: int) -> float:
    """Kruskal-Wallis H with the tie correction (as ``scipy.stats.kruskal``)."""
    n = values.size
    ranks = _midranks(values)
    counts = np.bincount(codes, minlength=n_groups).astype(float)
    sums = np.bincount(codes, weights=ranks, minlength=n_groups)
    present = counts > 0
    h = 12.0 / (n * (n + 1)) * np.sum(sums[present] ** 2 / counts[present]) - 3.0 * (n + 1)
    _, ties = np.unique(values, return_counts=True)
    correction = 1.0 - np.sum(ties**3 - ties) / (n**3 - n)
    return float(h / correction) if correction > 0 else math.nan


def kruskal_wallis(
    data: pd.DataFrame,
    *,
    dv: str,
    group: str,
    seed: int = DEFAULT_SEED,
    n_resamples: int = N_RESAMPLES,
) -> GroupTest:
    """Kruskal-Wallis test: "the coalitions differ somewhere", nothing more.

    Up to 300 respondents the p comes from a seeded permutation of the group
    labels (Likert data are full of ties); above that from the chi-square
    approximation (``method`` says which).

    Examples
    --------
    >>> df = pd.DataFrame({"g": list("aaaaabbbbbccccc"),
    ...                    "score": [1, 2, 2, 3, 3, 4, 4, 5, 5, 5, 2, 3, 3, 4, 4]})
    >>> res = kruskal_wallis(df, dv="score", group="g", seed=1)
    >>> res.method, round(res.statistic, 3)
    ('permutation', 9.874)
    """
    sub = data[[dv, group]].dropna()
    labels, codes = _group_codes(sub[group].to_numpy())
    values = sub[dv].to_numpy(dtype=float)
    g = int(np.sum(np.bincount(codes, minlength=labels.size) > 0))
    if g < 2 or values.size <= g:
        return GroupTest("none", math.nan, math.nan)
    h = kruskal_h(values, codes, labels.size)
    if not math.isfinite(h):
        return GroupTest("none", math.nan, math.nan)
    if values.size > KRUSKAL_PERMUTATION_MAX_N:
        return GroupTest("chi2", h, float(special.chdtrc(g - 1, h)), float(g - 1))
    # permute ranks over positions; groups occupy contiguous blocks after sorting
    order = np.argsort(codes, kind="stable")
    ranks = _midranks(values)[order]
    counts = np.bincount(codes, minlength=labels.size)
    counts = counts[counts > 0]
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    n = values.size
    perms = ranks[_permutation_indices(n, n_resamples, seed)]
    sums = np.add.reduceat(perms, starts, axis=1)
    _, ties = np.unique(values, return_counts=True)
    correction = 1.0 - np.sum(ties**3 - ties) / (n**3 - n)
    resampled = 12.0 / (n * (n + 1)) * np.sum(sums**2 / counts, axis=1) - 3.0 * (n + 1)
    resampled /= correction
    p = (np.sum(resampled >= h - 1e-9) + 1.0) / (n_resamples + 1.0)
    return GroupTest("permutation", h, float(p), float(g - 1))


@dataclass(frozen=True)
class Funnel:
    """A funnel plot (Spiegelhalter 2005) of coalition means.

    Attributes
    ----------
    centre : float
        Precision-weighted mean.
    sigma : float
        Respondent-level SD (sqrt of MSW).
    phi : float
        Overdispersion mean(z^2) (z winsorised when asked).
    tau2 : float
        Between-coalition variance added to the limits (0 when phi <= 1).
    table : DataFrame
        Per coalition: mean, n, se, z, lower95, upper95, lower998, upper998,
        position95, position998 ("within", "above", "below"), p (of the
        overdispersed z).
    """

    centre: float
    sigma: float
    phi: float
    tau2: float
    table: pd.DataFrame


def _winsorised(z: np.ndarray, share: float) -> np.ndarray:
    cut = int(math.floor(share * z.size))
    if cut == 0:
        return z
    ordered = np.sort(z)
    return np.clip(z, ordered[cut], ordered[z.size - 1 - cut])


#: The two-sided coverages of the funnel's inner and outer limits (docs/METHODS.md section 6).
FUNNEL_COVERAGES = {"95": 0.95, "998": 0.998}


def funnel_limits(
    centre: float, sigma: float, tau2: float, n: Any, coverage: float
) -> tuple[Any, Any]:
    """The funnel's lower and upper limit at ``n`` respondents.

    ``centre -/+ z * sqrt(sigma^2 / n + tau2)`` with ``z`` the normal quantile of the
    two-sided ``coverage``; the one formula behind the funnel table and its chart
    (docs/METHODS.md section 6).

    >>> [round(float(x), 1) for x in funnel_limits(66.1, 18.0, 63.0, 8, 0.95)]
    [46.2, 86.0]
    """
    z = float(special.ndtri(0.5 + coverage / 2.0))
    spread = z * np.sqrt(sigma**2 / np.asarray(n, dtype=float) + tau2)
    return centre - spread, centre + spread


def _position(value: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    return np.where(value > high, "above", np.where(value < low, "below", "within"))


def funnel(
    means: Any,
    ns: Any,
    *,
    sigma: float,
    labels: Sequence[Any] | None = None,
    winsorise: bool = True,
) -> Funnel:
    """Funnel limits around the precision-weighted centre, widened for overdispersion.

    Parameters
    ----------
    means, ns : array-like
        Coalition means (0-100) and their numbers of respondents.
    sigma : float
        Respondent-level SD, sqrt(MSW) of the one-way ANOVA.
    winsorise : bool
        Winsorise z 10% at each end before phi (docs/METHODS.md section 6); False reproduces the golden.

    Examples
    --------
    >>> res = funnel([70, 62, 75, 58, 66, 80], [8, 25, 12, 30, 6, 15], sigma=18, winsorise=False)
    >>> round(res.centre, 2), round(res.phi, 2), round(res.tau2, 1)
    (66.1, 3.27, 63.0)
    >>> round(float(res.table["lower95"].iloc[0]), 1), round(float(res.table["upper95"].iloc[0]), 1)
    (46.2, 86.0)
    """
    m = np.asarray(means, dtype=float)
    n = np.asarray(ns, dtype=float)
    if m.shape != n.shape or m.ndim != 1:
        raise InputError("means and ns must be two lists of the same length.")
    if not (math.isfinite(sigma) and sigma > 0) or np.any(n <= 0):
        raise InputError("A funnel needs sigma > 0 and every n > 0.")
    se = sigma / np.sqrt(n)
    w = 1.0 / se**2
    centre = float(np.sum(w * m) / np.sum(w))
    z = (m - centre) / se
    i = m.size
    phi = float(np.mean(_winsorised(z, 0.10) ** 2 if winsorise else z**2))
    tau2 = 0.0
    if phi > 1 and i > 1:
        tau2 = max(0.0, (i * phi - (i - 1)) / (np.sum(w) - np.sum(w**2) / np.sum(w)))
    spread = np.sqrt(se**2 + tau2)
    limits = {k: funnel_limits(centre, sigma, tau2, n, c) for k, c in FUNNEL_COVERAGES.items()}
    table = pd.DataFrame(
        {
            "mean": m,
            "n": n,
            "se": se,
            "z": (m - centre) / spread,
            "lower95": limits["95"][0],
            "upper95": limits["95"][1],
            "lower998": limits["998"][0],
            "upper998": limits["998"][1],
        },
        index=list(labels) if labels is not None else None,
    )
    table["position95"] = _position(m, table["lower95"].to_numpy(), table["upper95"].to_numpy())
    table["position998"] = _position(m, table["lower998"].to_numpy(), table["upper998"].to_numpy())
    table["p"] = 2.0 * special.ndtr(-np.abs(table["z"].to_numpy()))
    return Funnel(centre, float(sigma), phi, float(tau2), table)


def rank_groups(
    means: Any, sds: Any, ns: Any, *, labels: Sequence[Any] | None = None, alpha: float = 0.05
) -> pd.DataFrame:
    """Top / middle / bottom group from rank intervals (Holm over all pairwise Welch tests).

    A coalition's rank interval runs from 1 + (coalitions surely above it) to
    G - (coalitions surely below it). "top" when the whole interval lies above the
    middle rank (G + 1)/2, "bottom" when it lies below it, "middle" otherwise. There
    is deliberately no single rank.

    Examples
    --------
    >>> res = rank_groups([80, 50, 49, 20], [5, 5, 5, 5], [30, 30, 30, 30], labels=list("abcd"))
    >>> res["group"].tolist()
    ['top', 'middle', 'middle', 'bottom']
    """
    m = np.asarray(means, dtype=float)
    s = np.asarray(sds, dtype=float)
    n = np.asarray(ns, dtype=float)
    g = m.size
    v = s**2 / n
    with np.errstate(invalid="ignore", divide="ignore"):
        se = np.sqrt(v[:, None] + v[None, :])
        t = (m[:, None] - m[None, :]) / se
        df = (v[:, None] + v[None, :]) ** 2 / (
            (v**2 / (n - 1))[:, None] + (v**2 / (n - 1))[None, :]
        )
    upper = np.triu_indices(g, k=1)
    p = np.full((g, g), np.nan)
    if upper[0].size:
        adjusted = holm(_t_pvalue(t[upper], df[upper]))
        p[upper] = adjusted
        p[(upper[1], upper[0])] = adjusted
    with np.errstate(invalid="ignore"):
        surely = (p < alpha) & (t > 0)  # surely[i, j]: i is above j
    above_me = surely.sum(axis=0)
    below_me = surely.sum(axis=1)
    low = 1 + above_me
    high = g - below_me
    middle = (g + 1) / 2.0
    group = np.where(high < middle, "top", np.where(low > middle, "bottom", "middle"))
    return pd.DataFrame(
        {"rank_low": low, "rank_high": high, "group": group},
        index=list(labels) if labels is not None else None,
    )
