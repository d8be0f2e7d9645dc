"""Reliability of a dimension (docs/METHODS.md section 2).

Cronbach's alpha from pairwise covariances with Feldt's interval, Spearman-Brown with a
Fisher-z interval for two items, and the reliability flags. The intraclass correlations of
coalitions are in :mod:`surveycoal.stats.coalitions` (docs/METHODS.md section 6).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import special

from surveycoal.errors import InputError
from surveycoal.stats._core import _check_ci, _matrix, _two_sided_quantile
from surveycoal.stats.constants import MIN_N_ALPHA


@dataclass(frozen=True)
class Reliability:
    """Internal consistency of a dimension.

    Attributes
    ----------
    alpha : float
        Cronbach's alpha (or Spearman-Brown for two items).
    ci_low, ci_high : float
        Feldt interval (Fisher-z interval of r for two items).
    n : int
        Respondents the coefficient rests on.
    k : int
        Items.
    method : str
        "pairwise", "listwise" or "spearman_brown".
    flags : tuple of str
        Codes from :data:`RELIABILITY_FLAGS`.
    """

    alpha: float
    ci_low: float
    ci_high: float
    n: int
    k: int
    method: str
    flags: tuple[str, ...] = ()


def pairwise_covariance(data: Any) -> tuple[np.ndarray, np.ndarray]:
    """Covariances over the respondents who answered both items (ddof=1), and their counts.

    The same as ``pandas.DataFrame.cov()``, computed with three matrix products.
    """
    x = _matrix(data)
    answered = ~np.isnan(x)
    filled = np.where(answered, x, 0.0)
    weight = answered.astype(float)
    count = weight.T @ weight
    cross = filled.T @ filled
    sums = filled.T @ weight  # sums[i, j]: sum of item i over rows where j is answered too
    with np.errstate(invalid="ignore", divide="ignore"):
        cov = (cross - sums * sums.T / count) / (count - 1)
    cov[count < 2] = np.nan
    diag = np.diag_indices_from(cov)
    cov[diag] = np.maximum(cov[diag], 0.0)
    return cov, count


def alpha_columns(
    cov: np.ndarray, membership: np.ndarray, n: Any, *, ci: float = 0.95
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cronbach's alpha and Feldt's interval of every dimension from one covariance matrix.

    Parameters
    ----------
    cov : ndarray, shape (items, items)
        Pairwise item covariances (:func:`pairwise_covariance`), NaN where undefined.
    membership : ndarray of bool, shape (items, dimensions)
        True where an item belongs to a dimension.
    n : array-like, shape (dimensions,)
        Respondents each dimension's coefficient rests on (Feldt's n).

    Returns
    -------
    alpha, low, high : ndarray, shape (dimensions,)
        alpha = J/(J-1) (1 - trace C / sum C) over the dimension's block of C; NaN when
        the block has an undefined covariance, sums to 0 or less, or J < 2. The interval
        as :func:`feldt_ci`.
    """
    member = np.asarray(membership).astype(float)
    finite = np.isfinite(cov)
    filled = np.where(finite, cov, 0.0)
    block_sum = np.einsum("ik,ij,jk->k", member, filled, member)
    block_gaps = np.einsum("ik,ij,jk->k", member, (~finite).astype(float), member)
    trace = member.T @ np.diag(filled)
    j = member.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        alpha = j / (j - 1) * (1.0 - trace / block_sum)
    alpha = np.where((block_sum > 0) & (block_gaps == 0) & (j >= 2), alpha, np.nan)
    low, high = _feldt(alpha, np.asarray(n, dtype=float), j, _check_ci(ci))
    return alpha, low, high


def _feldt(
    alpha: np.ndarray, n: np.ndarray, k: np.ndarray, ci: float
) -> tuple[np.ndarray, np.ndarray]:
    """Feldt's interval, vectorised; NaN where n < 2, k < 2 or alpha is undefined."""
    df1 = np.maximum(n - 1, 1)
    df2 = df1 * np.maximum(k - 1, 1)
    q = _two_sided_quantile(ci)
    defined = (n >= 2) & (k >= 2) & np.isfinite(alpha)
    low = np.where(defined, 1.0 - (1.0 - alpha) * special.fdtri(df1, df2, q), np.nan)
    high = np.where(defined, 1.0 - (1.0 - alpha) * special.fdtri(df1, df2, 1.0 - q), np.nan)
    return low, high


def alpha_from_covariance(cov: np.ndarray) -> float:
    """Cronbach's alpha k/(k-1) (1 - trace C / sum C) from an item covariance matrix.

    :func:`alpha_columns` for one dimension holding every item.
    """
    k = cov.shape[0]
    alpha, _, _ = alpha_columns(cov, np.ones((k, 1), dtype=bool), [2])
    return float(alpha[0])


def feldt_ci(alpha: float, n: int, k: int, *, ci: float = 0.95) -> tuple[float, float]:
    """Feldt's confidence interval for Cronbach's alpha.

    L = 1 - (1-a) F(q; n-1, (n-1)(k-1)) and U = 1 - (1-a) F(1-q; same df), q = .975 for 95%.
    The interval :func:`alpha_columns` gives, for one dimension.

    Examples
    --------
    >>> [round(v, 4) for v in feldt_ci(0.85, 89, 7)]
    [0.7971, 0.8932]
    """
    low, high = _feldt(
        np.array([alpha], dtype=float), np.array([n], float), np.array([k], float), _check_ci(ci)
    )
    return float(low[0]), float(high[0])


def spearman_brown(r: float) -> float:
    """Reliability of a two-item scale from the items' correlation: 2r / (1 + r).

    Examples
    --------
    >>> spearman_brown(0.5)
    0.6666666666666666
    """
    if not math.isfinite(r) or r <= -1.0:
        return math.nan
    return 2.0 * r / (1.0 + r)


def reliability_flags(alpha: float, n: int) -> tuple[str, ...]:
    """Flag codes for a reliability coefficient (docs/METHODS.md section 2).

    "imprecise" (n < 20), "not_a_scale" (alpha < .60: read the items one by one),
    "questionable" (.60 to .70), "check_reverse_keying" (alpha < 0).

    Examples
    --------
    >>> reliability_flags(-0.2, 12)
    ('imprecise', 'not_a_scale', 'check_reverse_keying')
    >>> reliability_flags(0.65, 40)
    ('questionable',)
    """
    flags: list[str] = []
    if n < MIN_N_ALPHA:
        flags.append("imprecise")
    if not math.isfinite(alpha):
        return tuple(flags)
    if alpha < 0.60:
        flags.append("not_a_scale")
    elif alpha < 0.70:
        flags.append("questionable")
    if alpha < 0:
        flags.append("check_reverse_keying")
    return tuple(flags)


def cronbach_alpha(data: Any, *, nan_policy: str = "pairwise", ci: float = 0.95) -> Reliability:
    """Cronbach's alpha with a Feldt interval, as ``pingouin.cronbach_alpha``.

    Parameters
    ----------
    data : DataFrame or 2-D array
        Respondents x items, NaN for missing.
    nan_policy : {"pairwise", "listwise"}
        Pairwise covariances (R ``psych::alpha(use="pairwise")``) or complete rows only.
    ci : float
        Confidence level of the Feldt interval.

    Notes
    -----
    Rows with no answer at all are dropped. With ``listwise`` the interval uses
    the complete rows as n (pingouin uses the rows before deletion).

    Examples
    --------
    >>> data = [[1, 2, 2], [2, 3, 3], [3, 3, 4], [4, 5, 4], [5, 4, 5]]
    >>> round(cronbach_alpha(data).alpha, 4)
    0.9333
    """
    ci = _check_ci(ci)
    if nan_policy not in ("pairwise", "listwise"):
        raise InputError(f"nan_policy must be 'pairwise' or 'listwise', not {nan_policy!r}.")
    x = _matrix(data)
    x = x[~np.all(np.isnan(x), axis=1)]
    if nan_policy == "listwise":
        x = x[~np.any(np.isnan(x), axis=1)]
    n, k = x.shape
    if k < 2:
        raise InputError("Cronbach's alpha needs at least two items.")
    if n < 2:
        return Reliability(math.nan, math.nan, math.nan, n, k, nan_policy, ("imprecise",))
    cov, _ = pairwise_covariance(x)
    alpha, low, high = (float(v[0]) for v in alpha_columns(cov, np.ones((k, 1), bool), [n], ci=ci))
    return Reliability(alpha, low, high, n, k, nan_policy, reliability_flags(alpha, n))


def two_item_reliability(data: Any, *, ci: float = 0.95) -> Reliability:
    """Spearman-Brown reliability of a two-item dimension, CI from Fisher's z of r.

    r is Pearson's correlation over the respondents who answered both items (for two
    items the pairwise-complete correlation), n the number of those respondents. The one
    rule for two items (docs/METHODS.md section 2): a coalition's own coefficient and the
    pooled one are both this function.

    Examples
    --------
    >>> res = two_item_reliability([[1, 2], [2, 2], [3, 4], [4, 3], [5, 5]])
    >>> round(res.alpha, 3)
    0.918
    """
    ci = _check_ci(ci)
    x = _matrix(data)
    if x.shape[1] != 2:
        raise InputError("Spearman-Brown here is for exactly two items.")
    x = x[~np.any(np.isnan(x), axis=1)]
    pairs = x.shape[0]
    cov, _ = pairwise_covariance(x) if pairs else (np.full((2, 2), np.nan), None)
    denom = math.sqrt(cov[0, 0] * cov[1, 1]) if cov[0, 0] > 0 and cov[1, 1] > 0 else 0.0
    if pairs < 3 or denom == 0 or not math.isfinite(cov[0, 1]):
        return Reliability(
            math.nan,
            math.nan,
            math.nan,
            pairs,
            2,
            "spearman_brown",
            reliability_flags(math.nan, pairs),
        )
    return _spearman_brown_result(float(np.clip(cov[0, 1] / denom, -1, 1)), pairs, ci)


def _spearman_brown_result(r: float, n: int, ci: float) -> Reliability:
    alpha = spearman_brown(r)
    low = high = math.nan
    if n > 3 and abs(r) < 1:
        z = math.atanh(r)
        half = special.ndtri(_two_sided_quantile(ci)) / math.sqrt(n - 3)
        low = spearman_brown(math.tanh(z - half))
        high = spearman_brown(math.tanh(z + half))
    return Reliability(alpha, low, high, n, 2, "spearman_brown", reliability_flags(alpha, n))


def dimension_reliability(data: Any, *, ci: float = 0.95) -> Reliability:
    """Reliability the way a dimension is reported: Spearman-Brown for two items, else alpha.

    Examples
    --------
    >>> dimension_reliability([[1, 2, 2], [2, 3, 3], [3, 3, 4], [4, 5, 4], [5, 4, 5]]).method
    'pairwise'
    """
    x = _matrix(data)
    if x.shape[1] == 2:
        return two_item_reliability(x, ci=ci)
    return cronbach_alpha(x, nan_policy="pairwise", ci=ci)


def reliability_from_covariance(
    cov: np.ndarray, count: np.ndarray, n: int, *, ci: float = 0.95
) -> Reliability:
    """Cronbach's alpha of three or more items from a precomputed pairwise covariance block.

    :func:`alpha_columns` for the one dimension. Two items need the answers themselves
    (:func:`two_item_reliability`): their r is taken over the respondents who answered
    both, which a pairwise covariance block does not hold.
    """
    k = cov.shape[0]
    if k < 3:
        raise InputError("Two items: use two_item_reliability on the answers.")
    if n < 2:
        return Reliability(math.nan, math.nan, math.nan, n, k, "pairwise", ("imprecise",))
    alpha, low, high = (float(v[0]) for v in alpha_columns(cov, np.ones((k, 1), bool), [n], ci=ci))
    return Reliability(alpha, low, high, n, k, "pairwise", reliability_flags(alpha, n))
