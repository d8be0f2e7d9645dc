"""Statistics for small coalitions: the method of docs/METHODS.md sections 0 to 6.

Every function here is pure: arrays or DataFrames in, a number, a small frozen
dataclass or a DataFrame out. Nothing here knows about rounds, coalitions or
anonymity; :mod:`surveycoal.scoring` ties the pieces together and
:mod:`surveycoal.privacy` decides what may be shown.

Conventions
-----------
* Scores are on 0-100 (:func:`to_points`) before any statistic runs on them.
* "Don't know" is missing (NaN), never the midpoint.
* Functions that compare two samples report ``diff = mean(x) - mean(y)``, the
  order of :func:`scipy.stats.ttest_ind`; :func:`change_test` is the exception and
  reports ``after - before`` because that is what a change is.
* Every resampling takes a ``seed`` and draws from ``np.random.default_rng``; the
  same seed gives the same answer.
* Distribution functions come from :mod:`scipy.special` (ufuncs, cheap enough to
  call thousands of times a report); the tests hold every formula to the
  corresponding :mod:`scipy.stats` test run with an explicit ``method=``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
from scipy import special, stats
from scipy.optimize import brentq

from surveycoal.errors import InputError

#: Seed used when a caller does not give one (reports must be reproducible).
DEFAULT_SEED = 20_251_123
#: Resamples for permutation tests (docs/METHODS.md section 0).
N_RESAMPLES = 9_999
#: Random data sets simulated for the rwg(j) random-answer cut-off.
N_RWG_SIMULATIONS = 10_000
#: Smallest n for a coalition's own Cronbach's alpha (docs/METHODS.md section 2).
MIN_N_ALPHA = 20
#: Smallest n a round needs before a change is tested (docs/METHODS.md section 4).
MIN_N_TEST = 5
#: Under this many in a group the gap is tested by permutation, not Brunner-Munzel.
MIN_N_BRUNNER_MUNZEL = 10
#: Default smallest change that matters, in points on 0-100 (docs/METHODS.md section 4).
DEFAULT_MID = 5.0

#: Verdict codes of a change between rounds; reports translate them into words.
VERDICTS = (
    "too_few",
    "improved",
    "slightly_improved",
    "declined",
    "slightly_declined",
    "possibly_improved",
    "possibly_declined",
    "no_detectable_change",
    "inconclusive",
)
#: Reliability flag codes (docs/METHODS.md section 2).
RELIABILITY_FLAGS = ("imprecise", "not_a_scale", "questionable", "check_reverse_keying")


# ---------------------------------------------------------------------------
# validation helpers
# ---------------------------------------------------------------------------
def _check_ci(ci: float) -> float:
    if not 0.0 < float(ci) < 1.0:
        raise InputError(f"A confidence level must lie between 0 and 1, not {ci!r}.")
    return float(ci)


def _vector(x: Any, name: str = "data") -> np.ndarray:
    """A 1-D float array with the missing values dropped."""
    try:
        arr = np.asarray(x, dtype=float).ravel()
    except (TypeError, ValueError) as exc:
        raise InputError(f"{name} must hold numbers only.") from exc
    return arr[~np.isnan(arr)]


def _matrix(data: Any, name: str = "data") -> np.ndarray:
    """A 2-D float array (rows = respondents, columns = items), NaN kept."""
    try:
        arr = np.asarray(data, dtype=float)
    except (TypeError, ValueError) as exc:
        raise InputError(f"{name} must hold numbers only.") from exc
    if arr.ndim != 2:
        raise InputError(f"{name} must be a table of respondents x items.")
    return arr


def _two_sided_quantile(ci: float) -> float:
    return 1.0 - (1.0 - ci) / 2.0


def _t_quantile(df: Any, ci: float) -> Any:
    return special.stdtrit(df, _two_sided_quantile(ci))


def _t_pvalue(t: Any, df: Any) -> Any:
    return 2.0 * special.stdtr(df, -np.abs(t))


# ---------------------------------------------------------------------------
# 1. Items
# ---------------------------------------------------------------------------
def reverse_key(x: Any, *, low: float = 1, high: float = 5) -> Any:
    """Reverse-key answers on a ``low..high`` scale: ``x' = (low + high) - x``.

    Works on numbers, arrays, Series and DataFrames; missing stays missing.

    Examples
    --------
    >>> reverse_key(2)
    4
    >>> reverse_key(reverse_key(2.0))
    2.0
    """
    if high <= low:
        raise InputError(f"A scale needs high > low, got {low}..{high}.")
    return (low + high) - x


def min_items_required(n_items: int) -> int:
    """Items a respondent must answer for a dimension score: max(2, ceil(J/2)), all when J <= 2.

    Examples
    --------
    >>> [min_items_required(j) for j in (1, 2, 3, 4, 5, 6)]
    [1, 2, 2, 2, 3, 3]
    """
    if n_items < 1:
        raise InputError("A dimension needs at least one item.")
    if n_items <= 2:
        return int(n_items)
    return max(2, math.ceil(n_items / 2))


def to_points(x: Any, *, low: float = 1, high: float = 5) -> Any:
    """Rescale answers or means on ``low..high`` to 0-100.

    Examples
    --------
    >>> to_points(3.75)
    68.75
    """
    if high <= low:
        raise InputError(f"A scale needs high > low, got {low}..{high}.")
    return 100.0 * (x - low) / (high - low)


@dataclass(frozen=True)
class DimensionScores:
    """Respondent x dimension scores.

    Attributes
    ----------
    scores : pandas.DataFrame
        0-100; NaN where the respondent answered too few of the dimension's items.
    n_items_used : pandas.DataFrame
        Items each score is built on (0 where none were answered).
    n_items : pandas.Series
        Items in each dimension.
    """

    scores: pd.DataFrame
    n_items_used: pd.DataFrame
    n_items: pd.Series

    @property
    def share_incomplete(self) -> pd.Series:
        """Share of the valid scores that rest on fewer than all of the dimension's items."""
        valid = self.scores.notna()
        short = valid & (self.n_items_used < self.n_items)
        with np.errstate(invalid="ignore", divide="ignore"):
            return short.sum() / valid.sum().replace(0, np.nan)


def score_matrix(
    points: np.ndarray, membership: np.ndarray, required: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Dimension scores from an answers matrix already keyed and on 0-100.

    Parameters
    ----------
    points : ndarray, shape (n, items)
        Answers on 0-100, NaN for missing.
    membership : ndarray of bool, shape (items, dimensions)
        True where an item belongs to a dimension.
    required : ndarray of int, shape (dimensions,)
        Items needed for a score (:func:`min_items_required`).

    Returns
    -------
    scores, used : ndarray, shape (n, dimensions)
        The mean of the answered items (NaN below ``required``) and the item count.
    """
    answered = ~np.isnan(points)
    member = membership.astype(float)
    used = answered.astype(float) @ member
    sums = np.where(answered, points, 0.0) @ member
    with np.errstate(invalid="ignore", divide="ignore"):
        scores = sums / used
    scores[used < required] = np.nan
    return scores, used.astype(np.int64)


def dimension_scores(
    values: pd.DataFrame,
    dimensions: Mapping[str, Sequence[str]],
    *,
    low: float | Mapping[str, float] = 1,
    high: float | Mapping[str, float] = 5,
    reverse: Sequence[str] = (),
) -> DimensionScores:
    """Score every respondent on every dimension (docs/METHODS.md section 1).

    Parameters
    ----------
    values : pandas.DataFrame
        Raw answers, one column per item, NaN for "don't know" and unanswered.
    dimensions : mapping
        Dimension id -> its item ids.
    low, high : number or mapping
        The scale's ends, for all items or per item id.
    reverse : sequence of str
        Items to reverse-key before scoring.

    Returns
    -------
    DimensionScores

    Examples
    --------
    >>> df = pd.DataFrame({"a": [4.0, 2.0, np.nan], "b": [5.0, np.nan, np.nan],
    ...                    "c": [3.0, 2.0, 5.0]})
    >>> res = dimension_scores(df, {"trust": ["a", "b", "c"]}, reverse=["c"])
    >>> res.scores["trust"].round(2).tolist()
    [75.0, 50.0, nan]
    >>> res.n_items_used["trust"].tolist()
    [3, 2, 1]
    """
    items = [item for ids in dimensions.values() for item in ids]
    missing = sorted(set(items) - set(values.columns))
    if missing:
        raise InputError(f"Items not in the answers: {', '.join(missing)}.")
    reverse_set = set(reverse)
    columns = list(dict.fromkeys(items))

    def bound(b: float | Mapping[str, float], item: str) -> float:
        return float(b[item]) if isinstance(b, Mapping) else float(b)

    lows = np.array([bound(low, c) for c in columns])
    highs = np.array([bound(high, c) for c in columns])
    if np.any(highs <= lows):
        raise InputError("Every scale needs high > low.")
    raw = values[columns].to_numpy(dtype=float)
    flip = np.array([c in reverse_set for c in columns])
    keyed = np.where(flip, lows + highs - raw, raw)
    points = 100.0 * (keyed - lows) / (highs - lows)
    index = {c: i for i, c in enumerate(columns)}
    membership = np.zeros((len(columns), len(dimensions)), dtype=bool)
    for k, ids in enumerate(dimensions.values()):
        membership[[index[i] for i in ids], k] = True
    n_items = membership.sum(axis=0)
    required = np.array([min_items_required(int(j)) for j in n_items])
    scores, used = score_matrix(points, membership, required)
    names = list(dimensions)
    return DimensionScores(
        scores=pd.DataFrame(scores, index=values.index, columns=names),
        n_items_used=pd.DataFrame(used, index=values.index, columns=names),
        n_items=pd.Series(n_items, index=names),
    )


# ---------------------------------------------------------------------------
# 2. Reliability
# ---------------------------------------------------------------------------
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


def alpha_from_covariance(cov: np.ndarray) -> float:
    """Cronbach's alpha k/(k-1) (1 - trace C / sum C) from an item covariance matrix."""
    k = cov.shape[0]
    total = float(np.sum(cov))
    if k < 2 or not np.isfinite(total) or total <= 0:
        return math.nan
    return k / (k - 1) * (1.0 - float(np.trace(cov)) / total)


def feldt_ci(alpha: float, n: int, k: int, *, ci: float = 0.95) -> tuple[float, float]:
    """Feldt's confidence interval for Cronbach's alpha.

    L = 1 - (1-a) F(q; n-1, (n-1)(k-1)) and U = 1 - (1-a) F(1-q; same df), q = .975 for 95%.

    Examples
    --------
    >>> [round(v, 4) for v in feldt_ci(0.85, 89, 7)]
    [0.7971, 0.8932]
    """
    ci = _check_ci(ci)
    if n < 2 or k < 2 or not math.isfinite(alpha):
        return math.nan, math.nan
    df1 = n - 1
    df2 = df1 * (k - 1)
    q = _two_sided_quantile(ci)
    low = 1.0 - (1.0 - alpha) * special.fdtri(df1, df2, q)
    high = 1.0 - (1.0 - alpha) * special.fdtri(df1, df2, 1.0 - q)
    return float(low), float(high)


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
    alpha = alpha_from_covariance(cov)
    low, high = feldt_ci(alpha, n, k, ci=ci)
    return Reliability(alpha, low, high, n, k, nan_policy, reliability_flags(alpha, n))


def two_item_reliability(data: Any, *, ci: float = 0.95) -> Reliability:
    """Spearman-Brown reliability of a two-item dimension, CI from Fisher's z of r.

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
    n = x.shape[0]
    if n < 3 or np.std(x[:, 0]) == 0 or np.std(x[:, 1]) == 0:
        return Reliability(
            math.nan, math.nan, math.nan, n, 2, "spearman_brown", reliability_flags(math.nan, n)
        )
    r = float(np.corrcoef(x[:, 0], x[:, 1])[0, 1])
    return _spearman_brown_result(r, n, ci)


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
    """:func:`dimension_reliability` from a precomputed pairwise covariance block."""
    k = cov.shape[0]
    if k == 2:
        pairs = int(count[0, 1])
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
    if n < 2:
        return Reliability(math.nan, math.nan, math.nan, n, k, "pairwise", ("imprecise",))
    alpha = alpha_from_covariance(cov)
    low, high = feldt_ci(alpha, n, k, ci=ci)
    return Reliability(alpha, low, high, n, k, "pairwise", reliability_flags(alpha, n))


# ---------------------------------------------------------------------------
# 3. A coalition's score
# ---------------------------------------------------------------------------
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
    n = np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        half = _t_quantile(np.where(n >= 2, n - 1, np.nan), ci) * np.asarray(sd) / np.sqrt(n)
    low = np.asarray(mean) - half
    high = np.asarray(mean) + half
    if clip is not None:
        low = np.clip(low, *clip)
        high = np.clip(high, *clip)
    return low, high


def mean_ci(
    x: Any, *, ci: float = 0.95, clip: tuple[float, float] | None = (0, 100)
) -> MeanEstimate:
    """Mean with the t interval of ``scipy.stats.ttest_1samp``, clipped to 0-100.

    Examples
    --------
    >>> res = mean_ci([2.5, 3, 3.25, 3.5, 3.5, 3.75, 4, 4.25, 4.5], clip=None)
    >>> round(res.ci_low, 2), round(res.ci_high, 2)
    (3.1, 4.06)
    """
    ci = _check_ci(ci)
    v = _vector(x)
    n = v.size
    if n == 0:
        return MeanEstimate(0, math.nan, math.nan, math.nan, math.nan)
    mean = float(v.mean())
    sd = float(v.std(ddof=1)) if n > 1 else math.nan
    low, high = t_interval(n, mean, sd, ci=ci, clip=clip)
    return MeanEstimate(n, mean, sd, float(low), float(high))


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

    Examples
    --------
    >>> res = median_ci([2.5, 3, 3.25, 3.5, 3.5, 3.75, 4, 4.25, 4.5])
    >>> res.median, res.ci_low, res.ci_high
    (3.5, 3.0, 4.25)
    """
    ci = _check_ci(ci)
    v = np.sort(_vector(x))
    n = v.size
    if n == 0:
        return MedianEstimate(0, math.nan, math.nan, math.nan)
    lo, hi = order_statistic_ci(n, round(ci, 10))
    low = float(v[lo]) if lo >= 0 else math.nan
    high = float(v[hi]) if hi < n else math.nan
    return MedianEstimate(n, float(np.median(v)), low, high)


def sorted_median_ci(
    sorted_columns: np.ndarray, n: np.ndarray, *, ci: float = 0.95
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Median and CI per column of a matrix sorted along axis 0 with NaN last."""
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


BANDS = ("disagree", "neutral", "agree")


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


# ---------------------------------------------------------------------------
# 4. Change between rounds
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class TTest:
    """A t test of a difference of means.

    Attributes
    ----------
    method : str
        "welch", "student", "paired" or "partially_overlapping".
    diff : float
        mean(x) - mean(y) (:func:`change_test`: after - before).
    se, t, df, p : float
        Standard error, statistic, degrees of freedom, two-sided p.
    ci_low, ci_high : float
        Confidence interval of ``diff``.
    n_x, n_y, n_linked : int
        Observations in each sample and pairs shared by both.
    """

    method: str
    diff: float
    se: float
    t: float
    df: float
    p: float
    ci_low: float
    ci_high: float
    n_x: int
    n_y: int
    n_linked: int = 0


def _t_result(
    method: str, diff: float, se: float, df: float, ci: float, n_x: int, n_y: int, n_linked: int
) -> TTest:
    if not (math.isfinite(se) and se > 0 and math.isfinite(df) and df > 0):
        return TTest(
            method, diff, se, math.nan, df, math.nan, math.nan, math.nan, n_x, n_y, n_linked
        )
    t = diff / se
    half = float(_t_quantile(df, ci)) * se
    return TTest(
        method,
        diff,
        se,
        t,
        df,
        float(_t_pvalue(t, df)),
        diff - half,
        diff + half,
        n_x,
        n_y,
        n_linked,
    )


def welch_test(x: Any, y: Any, *, ci: float = 0.95) -> TTest:
    """Welch's t test of mean(x) - mean(y), as ``ttest_ind(x, y, equal_var=False)``.

    Examples
    --------
    >>> extra1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
    >>> extra2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]
    >>> res = welch_test(extra1, extra2)
    >>> round(res.t, 4), round(res.df, 3), round(res.p, 5)
    (-1.8608, 17.776, 0.07939)
    """
    ci = _check_ci(ci)
    a = _vector(x, "x")
    b = _vector(y, "y")
    n1, n2 = a.size, b.size
    if n1 < 2 or n2 < 2:
        return TTest(
            "welch", math.nan, math.nan, math.nan, math.nan, math.nan, math.nan, math.nan, n1, n2
        )
    v1 = a.var(ddof=1) / n1
    v2 = b.var(ddof=1) / n2
    se = math.sqrt(v1 + v2)
    with np.errstate(invalid="ignore", divide="ignore"):
        df = (v1 + v2) ** 2 / (v1**2 / (n1 - 1) + v2**2 / (n2 - 1))
    return _t_result("welch", float(a.mean() - b.mean()), se, float(df), ci, n1, n2, 0)


def paired_test(x: Any, y: Any, *, ci: float = 0.95) -> TTest:
    """Paired t test of mean(x - y), as ``ttest_rel(x, y)``; pairs with a missing side are dropped.

    Examples
    --------
    >>> extra1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
    >>> extra2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]
    >>> res = paired_test(extra1, extra2)
    >>> round(res.t, 4), res.df, round(res.p, 6)
    (-4.0621, 9.0, 0.002833)
    """
    ci = _check_ci(ci)
    a = np.asarray(x, dtype=float).ravel()
    b = np.asarray(y, dtype=float).ravel()
    if a.size != b.size:
        raise InputError("A paired test needs two samples of the same length.")
    keep = ~(np.isnan(a) | np.isnan(b))
    d = a[keep] - b[keep]
    n = d.size
    if n < 2:
        return TTest(
            "paired", math.nan, math.nan, math.nan, math.nan, math.nan, math.nan, math.nan, n, n, n
        )
    se = float(d.std(ddof=1) / math.sqrt(n))
    return _t_result("paired", float(d.mean()), se, float(n - 1), ci, n, n, n)


def _overlap_correlation(xp: np.ndarray, yp: np.ndarray) -> float:
    if xp.size < 2 or np.std(xp) == 0 or np.std(yp) == 0:
        return 0.0
    return float(np.corrcoef(xp, yp)[0, 1])


def partially_overlapping_test(
    x_unpaired: Any,
    y_unpaired: Any,
    x_paired: Any,
    y_paired: Any,
    *,
    equal_var: bool = False,
    ci: float = 0.95,
) -> TTest:
    """Partially overlapping samples t test (Derrick et al. 2017; R ``Partiallyoverlapping``).

    ``x_paired[i]`` and ``y_paired[i]`` come from the same person. Means and SDs run
    over all observations of each sample; r over the pairs (0 if an SD is 0).
    ``equal_var=False`` is Derrick's T_new2 (Welch form), ``True`` T_new1.

    Examples
    --------
    >>> res = partially_overlapping_test(
    ...     [20, 21, 16, 18, 14, 12, 14, 17], [10, 16, 18, 16, 15, 14, 13, 10],
    ...     [14, 15, 18, 20, 11, 19, 14, 15], [15, 10, 15, 17, 13, 19, 12, 13])
    >>> round(res.t, 4), round(res.df, 2), round(res.p, 4)
    (2.4191, 18.42, 0.0261)
    """
    ci = _check_ci(ci)
    xu = _vector(x_unpaired, "x_unpaired")
    yu = _vector(y_unpaired, "y_unpaired")
    xp = np.asarray(x_paired, dtype=float).ravel()
    yp = np.asarray(y_paired, dtype=float).ravel()
    if xp.size != yp.size:
        raise InputError("The paired observations must come in pairs.")
    keep = ~(np.isnan(xp) | np.isnan(yp))
    xp, yp = xp[keep], yp[keep]
    return _partially_overlapping(xu, yu, xp, yp, equal_var=equal_var, ci=ci)


def _partially_overlapping(
    xu: np.ndarray, yu: np.ndarray, xp: np.ndarray, yp: np.ndarray, *, equal_var: bool, ci: float
) -> TTest:
    x = np.concatenate([xu, xp])
    y = np.concatenate([yu, yp])
    n1, n2, n12 = x.size, y.size, xp.size
    method = "partially_overlapping"
    if n1 < 2 or n2 < 2:
        return TTest(
            method,
            math.nan,
            math.nan,
            math.nan,
            math.nan,
            math.nan,
            math.nan,
            math.nan,
            n1,
            n2,
            n12,
        )
    s1 = float(x.std(ddof=1))
    s2 = float(y.std(ddof=1))
    r = _overlap_correlation(xp, yp)
    unlinked = xu.size + yu.size
    diff = float(x.mean() - y.mean())
    if equal_var:
        sp = math.sqrt(((n1 - 1) * s1**2 + (n2 - 1) * s2**2) / (n1 + n2 - 2))
        se2 = sp**2 * (1 / n1 + 1 / n2 - 2 * r * n12 / (n1 * n2))
        df = (n12 - 1) + (unlinked + n12 - 1) * unlinked / (unlinked + 2 * n12)
    else:
        v1, v2 = s1**2 / n1, s2**2 / n2
        se2 = v1 + v2 - 2 * r * n12 * s1 * s2 / (n1 * n2)
        with np.errstate(invalid="ignore", divide="ignore"):
            welch_df = (v1 + v2) ** 2 / (v1**2 / (n1 - 1) + v2**2 / (n2 - 1))
        df = (n12 - 1) + (welch_df - n12 + 1) * unlinked / (unlinked + 2 * n12)
    se = math.sqrt(se2) if se2 > 0 else math.nan
    return _t_result(method, diff, se, float(df), ci, n1, n2, n12)


def link_by_key(
    before_keys: Sequence[Any] | np.ndarray, after_keys: Sequence[Any] | np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Positions of the respondents linked across two rounds by their panel key.

    A key that is None, missing, or appears twice in a round links nobody.

    Returns
    -------
    before_pos, after_pos : ndarray of int
        ``before[before_pos[i]]`` and ``after[after_pos[i]]`` are the same person.
    """

    def usable(keys: Sequence[Any] | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Positions and keys that are present, non-empty and unique in the round."""
        arr = np.asarray(keys, dtype=object).ravel()
        pos = np.flatnonzero(~pd.isna(arr))
        values = arr[pos].astype(str)
        keep = values != ""
        pos, values = pos[keep], values[keep]
        _, inverse, counts = np.unique(values, return_inverse=True, return_counts=True)
        single = counts[inverse] == 1
        return pos[single], values[single]

    pos_a, keys_a = usable(before_keys)
    pos_b, keys_b = usable(after_keys)
    _, in_a, in_b = np.intersect1d(keys_a, keys_b, assume_unique=True, return_indices=True)
    return pos_a[in_a].astype(np.int64), pos_b[in_b].astype(np.int64)


#: Fewer linked pairs than this cannot estimate their correlation: test as unlinked.
MIN_LINKED_PAIRS = 3


@dataclass(frozen=True)
class ChangeDesign:
    """How the two rounds' observations of one dimension relate."""

    before_unlinked: np.ndarray
    after_unlinked: np.ndarray
    before_linked: np.ndarray
    after_linked: np.ndarray

    @property
    def n_linked(self) -> int:
        return int(self.before_linked.size)


def change_design(
    before: Any, after: Any, before_keys: Sequence[Any] | None, after_keys: Sequence[Any] | None
) -> ChangeDesign:
    """Split two rounds' scores into linked pairs and unlinked observations (NaN dropped)."""
    a = np.asarray(before, dtype=float).ravel()
    b = np.asarray(after, dtype=float).ravel()
    if before_keys is None or after_keys is None:
        pa = pb = np.array([], dtype=np.int64)
    else:
        if len(before_keys) != a.size or len(after_keys) != b.size:
            raise InputError("There must be one panel key (or None) per score.")
        pa, pb = link_by_key(before_keys, after_keys)
        both = ~(np.isnan(a[pa]) | np.isnan(b[pb]))
        pa, pb = pa[both], pb[both]
    if pa.size < MIN_LINKED_PAIRS:
        pa = pb = np.array([], dtype=np.int64)
    mask_a = np.ones(a.size, dtype=bool)
    mask_a[pa] = False
    mask_b = np.ones(b.size, dtype=bool)
    mask_b[pb] = False
    au, bu = a[mask_a], b[mask_b]
    return ChangeDesign(au[~np.isnan(au)], bu[~np.isnan(bu)], a[pa], b[pb])


def design_test(design: ChangeDesign, *, ci: float = 0.95) -> TTest:
    """The primary test of docs/METHODS.md section 4 for a design: Welch, paired or partially overlapping.

    Reports after - before.
    """
    if design.n_linked == 0:
        res = welch_test(design.after_unlinked, design.before_unlinked, ci=ci)
        return res
    if design.before_unlinked.size == 0 and design.after_unlinked.size == 0:
        return paired_test(design.after_linked, design.before_linked, ci=ci)
    return _partially_overlapping(
        design.after_unlinked,
        design.before_unlinked,
        design.after_linked,
        design.before_linked,
        equal_var=False,
        ci=ci,
    )


def change_test(
    before: Any,
    after: Any,
    *,
    before_keys: Sequence[Any] | None = None,
    after_keys: Sequence[Any] | None = None,
    ci: float = 0.95,
) -> TTest:
    """Test the change after - before, linking respondents by panel key.

    Nobody linked: Welch. Everybody linked: paired. Otherwise the partially
    overlapping samples test. Fewer than three linked pairs count as unlinked.

    Examples
    --------
    >>> res = change_test([50, 60, 70, 55, 65], [60, 70, 75, 70, 80],
    ...                   before_keys=list("abcde"), after_keys=list("abcde"))
    >>> res.method, res.diff
    ('paired', 11.0)
    """
    ci = _check_ci(ci)
    return design_test(change_design(before, after, before_keys, after_keys), ci=ci)


@dataclass(frozen=True)
class ChangeColumns:
    """:func:`change_tests` results, one entry per column (dimension)."""

    method: np.ndarray
    n_before: np.ndarray
    n_after: np.ndarray
    n_linked: np.ndarray
    mean_before: np.ndarray
    mean_after: np.ndarray
    diff: np.ndarray
    se: np.ndarray
    t: np.ndarray
    df: np.ndarray
    p: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    effect_size: np.ndarray
    effect_kind: np.ndarray
    detectable_change: np.ndarray
    detectable_effect: np.ndarray


def _masked_moments(x: np.ndarray, valid: np.ndarray) -> tuple[np.ndarray, ...]:
    n = valid.sum(axis=0).astype(float)
    filled = np.where(valid, x, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = filled.sum(axis=0) / n
        dev = np.where(valid, x - mean, 0.0)
        var = (dev**2).sum(axis=0) / (n - 1)
    return n, mean, var, dev


def change_tests(
    before: np.ndarray,
    after: np.ndarray,
    before_pos: np.ndarray,
    after_pos: np.ndarray,
    *,
    ci: float = 0.95,
    min_pairs: int = MIN_LINKED_PAIRS,
) -> ChangeColumns:
    """:func:`change_test` for every column of two score matrices at once.

    Parameters
    ----------
    before, after : ndarray, shape (n_before, k) and (n_after, k)
        Scores with NaN for missing.
    before_pos, after_pos : ndarray of int
        Rows of the same people in both rounds (:func:`link_by_key`). Per column a
        pair counts only when both scores exist; fewer than ``min_pairs`` pairs (at
        least three) count as none.
    min_pairs : int
        The fewest linked pairs a column is tested as (partially) paired with.

    Notes
    -----
    One formula serves all designs: the partially overlapping test (Welch form)
    is Welch's test with no pairs and the paired t test with nobody unlinked.
    """
    ci = _check_ci(ci)
    a = np.asarray(before, dtype=float)
    b = np.asarray(after, dtype=float)
    va, vb = ~np.isnan(a), ~np.isnan(b)
    n1, m1, var1, _ = _masked_moments(a, va)
    n2, m2, var2, _ = _masked_moments(b, vb)
    k = a.shape[1]
    pa = a[before_pos]
    pb = b[after_pos]
    pair_ok = ~(np.isnan(pa) | np.isnan(pb))
    n12 = pair_ok.sum(axis=0).astype(float)
    n12 = np.where(n12 >= max(min_pairs, MIN_LINKED_PAIRS), n12, 0.0)
    pair_ok &= n12 > 0
    _, _, var_pa, dev_pa = _masked_moments(pa, pair_ok)
    _, _, var_pb, dev_pb = _masked_moments(pb, pair_ok)
    with np.errstate(invalid="ignore", divide="ignore"):
        cov_p = (dev_pa * dev_pb).sum(axis=0) / (n12 - 1)
        r = cov_p / np.sqrt(var_pa * var_pb)
    r = np.where((n12 > 0) & np.isfinite(r), r, 0.0)
    s1, s2 = np.sqrt(var1), np.sqrt(var2)
    unlinked = (n1 - n12) + (n2 - n12)
    with np.errstate(invalid="ignore", divide="ignore"):
        v1, v2 = var1 / n1, var2 / n2
        welch_df = (v1 + v2) ** 2 / (v1**2 / (n1 - 1) + v2**2 / (n2 - 1))
        se2 = v1 + v2 - 2.0 * r * n12 * s1 * s2 / (n1 * n2)
        df = np.where(
            n12 > 0,
            (n12 - 1) + (welch_df - n12 + 1) * unlinked / (unlinked + 2 * n12),
            welch_df,
        )
        se = np.sqrt(np.where(se2 > 0, se2, np.nan))
        diff = m2 - m1
        t = diff / se
        half = _t_quantile(df, ci) * se
        sp = np.sqrt(((n1 - 1) * var1 + (n2 - 1) * var2) / (n1 + n2 - 2))
        g = diff / sp * (1.0 - 3.0 / (4.0 * (n1 + n2) - 9.0))
        diffs = np.where(pair_ok, pb - pa, 0.0)
        d_mean = diffs.sum(axis=0) / n12
        d_sd = np.sqrt((np.where(pair_ok, pb - pa - d_mean, 0.0) ** 2).sum(axis=0) / (n12 - 1))
    ok = (n1 >= 2) & (n2 >= 2) & np.isfinite(se)
    p = np.where(ok, _t_pvalue(t, df), np.nan)
    method = np.where(
        n12 == 0, "welch", np.where(unlinked == 0, "paired", "partially_overlapping")
    ).astype(object)
    paired = (n12 > 0) & (unlinked == 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        effect = np.where(paired, d_mean / d_sd, g)
    detectable = np.full(k, np.nan)
    d_effect = np.full(k, np.nan)
    for j in range(k):
        if not ok[j]:
            continue
        if paired[j]:
            d_effect[j] = detectable_effect(int(n12[j]), paired=True)
            detectable[j] = d_effect[j] * d_sd[j]
        elif n12[j] == 0:
            d_effect[j] = detectable_effect(int(n2[j]), int(n1[j]))
            detectable[j] = d_effect[j] * sp[j]
        else:
            detectable[j] = detectable_difference(float(se[j]), float(df[j]))
            d_effect[j] = detectable[j] / sp[j] if sp[j] > 0 else np.nan
    nan_if = np.where(ok, 1.0, np.nan)
    return ChangeColumns(
        method=method,
        n_before=n1.astype(np.int64),
        n_after=n2.astype(np.int64),
        n_linked=n12.astype(np.int64),
        mean_before=m1,
        mean_after=m2,
        diff=diff,
        se=se * nan_if,
        t=t * nan_if,
        df=df * nan_if,
        p=p,
        ci_low=(diff - half) * nan_if,
        ci_high=(diff + half) * nan_if,
        effect_size=effect * nan_if,
        effect_kind=np.where(paired, "d_z", "hedges_g").astype(object),
        detectable_change=detectable,
        detectable_effect=d_effect,
    )


# -- permutation tests, vectorised over resamples ------------------------------
#: Relabelling matrices for up to this many observations are cached (about 8 MB each at most).
_CACHED_MAX_N = 200


def _label_matrix(n_first: int, n_second: int, n_resamples: int, seed: int) -> np.ndarray:
    """Random relabellings: row r is 1.0 where observation j goes to the second group."""
    if n_first + n_second <= _CACHED_MAX_N:
        return _cached_label_matrix(n_first, n_second, n_resamples, seed)
    return _new_label_matrix(n_first, n_second, n_resamples, seed)


@lru_cache(maxsize=64)
def _cached_label_matrix(n_first: int, n_second: int, n_resamples: int, seed: int) -> np.ndarray:
    return _new_label_matrix(n_first, n_second, n_resamples, seed)


def _new_label_matrix(n_first: int, n_second: int, n_resamples: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng([seed, 1, n_first, n_second])
    base = np.zeros((n_resamples, n_first + n_second), dtype=np.float32)
    base[:, n_first:] = 1.0
    labels = rng.permuted(base, axis=1)
    labels.setflags(write=False)
    return labels


def _swap_matrix(n_pairs: int, n_resamples: int, seed: int) -> np.ndarray:
    """Random within-pair swaps: 1.0 where pair j trades its two observations."""
    if n_pairs <= _CACHED_MAX_N:
        return _cached_swap_matrix(n_pairs, n_resamples, seed)
    return _new_swap_matrix(n_pairs, n_resamples, seed)


@lru_cache(maxsize=64)
def _cached_swap_matrix(n_pairs: int, n_resamples: int, seed: int) -> np.ndarray:
    return _new_swap_matrix(n_pairs, n_resamples, seed)


def _new_swap_matrix(n_pairs: int, n_resamples: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng([seed, 2, n_pairs])
    swaps = rng.integers(0, 2, size=(n_resamples, n_pairs)).astype(np.float32)
    swaps.setflags(write=False)
    return swaps


def permutation_change_p(
    before_linked: np.ndarray,
    after_linked: np.ndarray,
    before_unlinked: np.ndarray,
    after_unlinked: np.ndarray,
    *,
    n_resamples: int = N_RESAMPLES,
    seed: int = DEFAULT_SEED,
) -> np.ndarray:
    """Permutation p of mean(after) - mean(before), for several columns at once.

    Under "no change" a linked pair may trade its two answers and unlinked answers
    may trade rounds. Arrays are 2-D (observations x columns); NaN is left out of the
    means, so one set of relabellings serves every column.

    Returns
    -------
    ndarray
        Two-sided p per column, (1 + #|stat*| >= |stat|) / (n_resamples + 1).
    """
    al = np.atleast_2d(np.asarray(before_linked, dtype=float).T).T
    bl = np.atleast_2d(np.asarray(after_linked, dtype=float).T).T
    au = np.atleast_2d(np.asarray(before_unlinked, dtype=float).T).T
    bu = np.atleast_2d(np.asarray(after_unlinked, dtype=float).T).T
    k = max(al.shape[1], au.shape[1], bl.shape[1], bu.shape[1])

    def parts(v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if v.size == 0:
            return np.zeros((0, k)), np.zeros((0, k))
        ok = ~np.isnan(v)
        return np.where(ok, v, 0.0), ok.astype(float)

    (al0, alm), (bl0, blm), (au0, aum), (bu0, bum) = map(parts, (al, bl, au, bu))
    total_sum = al0.sum(0) + bl0.sum(0) + au0.sum(0) + bu0.sum(0)
    total_n = alm.sum(0) + blm.sum(0) + aum.sum(0) + bum.sum(0)
    observed_sum = bl0.sum(0) + bu0.sum(0)
    observed_n = blm.sum(0) + bum.sum(0)
    base = np.concatenate([observed_sum, observed_n])
    # per resample, the after-round sums (rows :k) and counts (rows k:), resamples along axis 1
    acc = None
    if al0.shape[0]:
        swaps = _swap_matrix(al0.shape[0], n_resamples, seed)
        acc = np.hstack([al0 - bl0, alm - blm]).T.astype(np.float32) @ swaps.T
    if au0.shape[0] and bu0.shape[0]:
        labels = _label_matrix(au0.shape[0], bu0.shape[0], n_resamples, seed)
        pooled = np.hstack([np.vstack([au0, bu0]), np.vstack([aum, bum])])
        relabelled = np.ascontiguousarray(pooled.T, dtype=np.float32) @ labels.T
        acc = relabelled if acc is None else acc + relabelled
        base = base - np.concatenate([bu0.sum(0), bum.sum(0)])
    if acc is None:
        return np.full(k, np.nan)
    acc += base.astype(np.float32)[:, None]
    sum_after, n_after = acc[:k], acc[k:]
    total_sum32 = total_sum.astype(np.float32)[:, None]
    total_n32 = total_n.astype(np.float32)[:, None]
    with np.errstate(invalid="ignore", divide="ignore"):
        observed = observed_sum / observed_n - (total_sum - observed_sum) / (total_n - observed_n)
        resampled = sum_after / n_after - (total_sum32 - sum_after) / (total_n32 - n_after)
    tolerance = 1e-3  # float32 sums of scores on 0-100; real differences are far coarser
    threshold = (np.abs(observed) - tolerance).astype(np.float32)[:, None]
    hits = np.count_nonzero(np.abs(resampled) >= threshold, axis=1)
    p = (hits + 1.0) / (n_resamples + 1.0)
    return np.where(np.isfinite(observed), p, np.nan)


def permutation_change_test(
    before: Any,
    after: Any,
    *,
    before_keys: Sequence[Any] | None = None,
    after_keys: Sequence[Any] | None = None,
    n_resamples: int = N_RESAMPLES,
    seed: int = DEFAULT_SEED,
) -> float:
    """Permutation p of the change after - before (the robustness check of section 4).

    Examples
    --------
    >>> p = permutation_change_test([50, 55, 60, 52, 58], [80, 85, 90, 82, 88], seed=1)
    >>> p < 0.05
    True
    """
    design = change_design(before, after, before_keys, after_keys)
    return float(
        permutation_change_p(
            design.before_linked,
            design.after_linked,
            design.before_unlinked,
            design.after_unlinked,
            n_resamples=n_resamples,
            seed=seed,
        )[0]
    )


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


def holm(pvalues: Any) -> np.ndarray:
    """Holm's step-down adjustment; NaN entries are left out and stay NaN.

    Examples
    --------
    >>> holm([0.01, 0.02, 0.03, 0.04, 0.05]).round(2).tolist()
    [0.05, 0.08, 0.09, 0.09, 0.09]
    """
    p = np.asarray(pvalues, dtype=float).ravel()
    out = np.full(p.shape, np.nan)
    ok = np.flatnonzero(~np.isnan(p))
    m = ok.size
    if m == 0:
        return out
    order = ok[np.argsort(p[ok], kind="stable")]
    stepped = p[order] * (m - np.arange(m))
    out[order] = np.minimum(np.maximum.accumulate(stepped), 1.0)
    return out


def benjamini_hochberg(pvalues: Any) -> np.ndarray:
    """Benjamini-Hochberg adjustment (``scipy.stats.false_discovery_control``); NaN kept.

    Examples
    --------
    >>> benjamini_hochberg([0.01, 0.02, 0.03, 0.04, 0.05]).round(2).tolist()
    [0.05, 0.05, 0.05, 0.05, 0.05]
    """
    p = np.asarray(pvalues, dtype=float).ravel()
    out = np.full(p.shape, np.nan)
    ok = ~np.isnan(p)
    if ok.any():
        out[ok] = stats.false_discovery_control(p[ok], method="bh")
    return out


@lru_cache(maxsize=4096)
def _noncentrality_for_power(df: float, alpha: float, power: float) -> float:
    """Noncentrality at which a two-sided t test on df reaches the power."""
    crit = float(special.stdtrit(df, 1.0 - alpha / 2.0))

    def shortfall(ncp: float) -> float:
        # scipy's nctdtr gives NaN far out in the tails (seen at df=6, ncp near 47):
        # there the upper tail holds all the power and the lower tail none.
        upper = np.nan_to_num(1.0 - special.nctdtr(df, ncp, crit), nan=1.0)
        lower = np.nan_to_num(special.nctdtr(df, ncp, -crit), nan=0.0)
        return float(upper + lower) - power

    return float(brentq(shortfall, 0.0, 60.0, xtol=1e-10))


def detectable_effect(
    n1: int,
    n2: int | None = None,
    *,
    paired: bool = False,
    alpha: float = 0.05,
    power: float = 0.80,
) -> float:
    """Smallest standardised effect a t test finds with the given power (noncentral t).

    Independent: d for groups of n1 and n2 (n2 = n1 if not given). Paired: d_z for n1 pairs.

    Examples
    --------
    >>> [round(detectable_effect(n), 2) for n in (10, 20, 40)]
    [1.32, 0.91, 0.63]
    >>> [round(detectable_effect(n, paired=True), 2) for n in (10, 20, 40)]
    [1.0, 0.66, 0.45]
    """
    if paired:
        if n1 < 2:
            return math.nan
        return _noncentrality_for_power(float(n1 - 1), alpha, power) / math.sqrt(n1)
    n2 = n1 if n2 is None else n2
    if n1 < 1 or n2 < 1 or n1 + n2 < 3:
        return math.nan
    return _noncentrality_for_power(float(n1 + n2 - 2), alpha, power) * math.sqrt(1 / n1 + 1 / n2)


def detectable_difference(
    se: float, df: float, *, alpha: float = 0.05, power: float = 0.80
) -> float:
    """Smallest difference (in the units of ``se``) a t test with this SE and df finds with the power."""
    if not (math.isfinite(se) and math.isfinite(df) and df > 0 and se > 0):
        return math.nan
    return noncentrality_for_power(float(df), alpha=alpha, power=power) * se


def noncentrality_for_power(df: float, *, alpha: float = 0.05, power: float = 0.80) -> float:
    """Noncentrality a two-sided t test on ``df`` needs for the power.

    Solved exactly (and cached) at integer df and interpolated linearly between them,
    which is accurate to about 1e-4 and keeps thousands of calls cheap.
    """
    if df < 1:
        return _noncentrality_for_power(float(df), alpha, power)
    low = math.floor(df)
    frac = df - low
    k_low = _noncentrality_for_power(float(low), alpha, power)
    if frac == 0:
        return k_low
    return k_low + frac * (_noncentrality_for_power(float(low + 1), alpha, power) - k_low)


class Verdict(StrEnum):
    """Every verdict a change or a group difference can get (docs/METHODS.md section 8).

    The members are strings, so a verdict compares equal to its code and is written
    to JSON as the code. Group codes are seen from the first group: "higher" means
    the first group scores higher.
    """

    IMPROVED = "improved"
    SLIGHTLY_IMPROVED = "slightly_improved"
    POSSIBLY_IMPROVED = "possibly_improved"
    DECLINED = "declined"
    SLIGHTLY_DECLINED = "slightly_declined"
    POSSIBLY_DECLINED = "possibly_declined"
    NO_DETECTABLE_CHANGE = "no_detectable_change"
    HIGHER = "higher"
    SLIGHTLY_HIGHER = "slightly_higher"
    POSSIBLY_HIGHER = "possibly_higher"
    LOWER = "lower"
    SLIGHTLY_LOWER = "slightly_lower"
    POSSIBLY_LOWER = "possibly_lower"
    NO_DETECTABLE_DIFFERENCE = "no_detectable_difference"
    INCONCLUSIVE = "inconclusive"
    TOO_FEW = "too_few"


#: A change's verdict -> the same verdict for a difference between two groups.
GROUP_VERDICT: dict[Verdict, Verdict] = {
    Verdict.IMPROVED: Verdict.HIGHER,
    Verdict.SLIGHTLY_IMPROVED: Verdict.SLIGHTLY_HIGHER,
    Verdict.POSSIBLY_IMPROVED: Verdict.POSSIBLY_HIGHER,
    Verdict.DECLINED: Verdict.LOWER,
    Verdict.SLIGHTLY_DECLINED: Verdict.SLIGHTLY_LOWER,
    Verdict.POSSIBLY_DECLINED: Verdict.POSSIBLY_LOWER,
    Verdict.NO_DETECTABLE_CHANGE: Verdict.NO_DETECTABLE_DIFFERENCE,
}

#: Verdicts that hold only before the correction for several dimensions (Holm): the
#: interval leaves out zero, the adjusted test does not. They carry the Holm footnote.
POSSIBLY: frozenset[Verdict] = frozenset(
    {
        Verdict.POSSIBLY_IMPROVED,
        Verdict.POSSIBLY_DECLINED,
        Verdict.POSSIBLY_HIGHER,
        Verdict.POSSIBLY_LOWER,
    }
)

#: Group verdicts in which the first group scores higher, and the second.
FIRST_HIGHER: frozenset[Verdict] = frozenset(
    {Verdict.HIGHER, Verdict.SLIGHTLY_HIGHER, Verdict.POSSIBLY_HIGHER}
)
SECOND_HIGHER: frozenset[Verdict] = frozenset(
    {Verdict.LOWER, Verdict.SLIGHTLY_LOWER, Verdict.POSSIBLY_LOWER}
)

#: Decimals an interval is printed with wherever a verdict stands beside it; the
#: verdict reads the interval rounded this way (docs/METHODS.md section 8).
VERDICT_DIGITS = 0

#: The marker of a verdict that does not survive the Holm correction.
HOLM_NOTE = "holm"


def printed_excludes_zero(low: float, high: float, digits: int = VERDICT_DIGITS) -> bool:
    """True when the interval, rounded as printed, leaves out zero.

    Rounding is Python's number formatting (half to even), the same as every output
    uses, so "0 to +12" is never called a change.

    Examples
    --------
    >>> printed_excludes_zero(0.03, 12.0), printed_excludes_zero(0.6, 12.0)
    (False, True)
    >>> printed_excludes_zero(-5.5, -0.5), printed_excludes_zero(-5.5, -0.51)
    (False, True)
    """
    if not (math.isfinite(low) and math.isfinite(high)):
        return False
    return float(f"{low:.{digits}f}") > 0 or float(f"{high:.{digits}f}") < 0


def change_verdict(
    diff: float,
    p_adjusted: float,
    ci_low: float,
    ci_high: float,
    *,
    n_before: int,
    n_after: int,
    mid: float = DEFAULT_MID,
    robust_p_adjusted: float | None = None,
    alpha: float = 0.05,
    groups: bool = False,
) -> Verdict:
    """The verdict of a change or a group difference (docs/METHODS.md section 8).

    In this order: "too_few" when a side has n < 5; "inconclusive" when a figure is
    undefined or the robustness check disagrees with the adjusted primary test;
    "improved"/"declined" when the adjusted p is below alpha and the interval, as
    printed, leaves out 0 ("slightly_..." when |diff| < mid); "possibly_..." when the
    printed interval leaves out 0 but the adjusted p does not hold; else
    "no_detectable_change". With ``groups`` the codes are those of a difference
    (first - second): "higher", "lower", "no_detectable_difference", ...

    Examples
    --------
    >>> str(change_verdict(8.0, 0.01, 3.0, 13.0, n_before=12, n_after=14))
    'improved'
    >>> str(change_verdict(-3.0, 0.04, -5.5, -0.6, n_before=30, n_after=30))
    'slightly_declined'
    >>> str(change_verdict(-16.0, 0.09, -27.0, -4.0, n_before=12, n_after=14))
    'possibly_declined'
    >>> str(change_verdict(2.0, 0.40, -8.0, 12.0, n_before=12, n_after=14))
    'no_detectable_change'
    >>> str(change_verdict(15.0, 0.12, 2.0, 28.0, n_before=9, n_after=8, groups=True))
    'possibly_higher'
    """
    verdict = _change_verdict(
        diff,
        p_adjusted,
        ci_low,
        ci_high,
        n_before=n_before,
        n_after=n_after,
        mid=mid,
        robust_p_adjusted=robust_p_adjusted,
        alpha=alpha,
    )
    return GROUP_VERDICT.get(verdict, verdict) if groups else verdict


def _change_verdict(
    diff: float,
    p_adjusted: float,
    ci_low: float,
    ci_high: float,
    *,
    n_before: int,
    n_after: int,
    mid: float,
    robust_p_adjusted: float | None,
    alpha: float,
) -> Verdict:
    if n_before < MIN_N_TEST or n_after < MIN_N_TEST:
        return Verdict.TOO_FEW
    if not all(math.isfinite(v) for v in (diff, p_adjusted, ci_low, ci_high)):
        return Verdict.INCONCLUSIVE
    holds = p_adjusted < alpha
    if robust_p_adjusted is not None and math.isfinite(robust_p_adjusted):
        if holds != (robust_p_adjusted < alpha):
            return Verdict.INCONCLUSIVE
    if not printed_excludes_zero(ci_low, ci_high):
        return Verdict.NO_DETECTABLE_CHANGE
    if not holds:
        return Verdict.POSSIBLY_IMPROVED if diff > 0 else Verdict.POSSIBLY_DECLINED
    slight = abs(diff) < mid
    if diff > 0:
        return Verdict.SLIGHTLY_IMPROVED if slight else Verdict.IMPROVED
    return Verdict.SLIGHTLY_DECLINED if slight else Verdict.DECLINED


def verdict_note(verdict: str) -> str | None:
    """The marker a verdict carries: "holm" for a verdict that the correction took away."""
    return HOLM_NOTE if verdict in POSSIBLY else None


def higher_side(verdict: str, first: str, second: str) -> str | None:
    """Which group scores higher according to a group verdict, or None when neither."""
    if verdict in FIRST_HIGHER:
        return first
    if verdict in SECOND_HIGHER:
        return second
    return None


# ---------------------------------------------------------------------------
# 5. Equality between member types
# ---------------------------------------------------------------------------
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
class GroupTest:
    """A two- or k-sample test: which one ran, its statistic and p."""

    method: str
    statistic: float
    p: float
    df: float = math.nan


def brunner_munzel_from_dominance(dom: np.ndarray) -> GroupTest:
    """Brunner-Munzel t test (two-sided, t distribution) from a dominance matrix of x vs y."""
    n1, n2 = dom.shape
    place_x = n2 * (1.0 + dom.mean(axis=1)) / 2.0  # y below x_i, ties half
    place_y = n1 * (1.0 - dom.mean(axis=0)) / 2.0  # x below y_j, ties half
    sx = place_x.var(ddof=1) if n1 > 1 else math.nan
    sy = place_y.var(ddof=1) if n2 > 1 else math.nan
    spread = n1 * sx + n2 * sy
    if not math.isfinite(spread) or spread <= 0:
        return GroupTest("brunner_munzel", math.nan, math.nan)
    mean_rank_diff = (place_y.mean() + (n2 + 1) / 2.0) - (place_x.mean() + (n1 + 1) / 2.0)
    w = n1 * n2 * mean_rank_diff / ((n1 + n2) * math.sqrt(spread))
    df = spread**2 / ((n1 * sx) ** 2 / (n1 - 1) + (n2 * sy) ** 2 / (n2 - 1))
    p = float(min(1.0, 2.0 * special.stdtr(df, -abs(w))))
    return GroupTest("brunner_munzel", float(w), p, float(df))


def brunner_munzel(x: Any, y: Any) -> GroupTest:
    """Brunner-Munzel test, as ``scipy.stats.brunnermunzel(x, y, distribution='t')``.

    Examples
    --------
    >>> res = brunner_munzel([10, 10, 20, 20, 20, 30, 30, 30, 40, 50], [10, 20, 30, 40, 40, 50])
    >>> round(res.p, 3)
    0.453
    """
    a, b = _vector(x, "x"), _vector(y, "y")
    if a.size < 2 or b.size < 2:
        return GroupTest("brunner_munzel", math.nan, math.nan)
    return brunner_munzel_from_dominance(dominance(a, b))


def _midranks(v: np.ndarray) -> np.ndarray:
    return stats.rankdata(v, method="average")


def permutation_delta_p(
    x: np.ndarray, y: np.ndarray, *, n_resamples: int = N_RESAMPLES, seed: int = DEFAULT_SEED
) -> float:
    """Two-sided permutation p of Cliff's delta, relabelling the pooled observations."""
    n1, n2 = x.size, y.size
    if n1 < 1 or n2 < 1:
        return math.nan
    ranks = _midranks(np.concatenate([x, y])).astype(np.float32)
    labels = _label_matrix(n1, n2, n_resamples, seed)  # 1.0 marks the y group
    rank_sum_y = labels @ ranks
    total = float(ranks.sum())
    # delta = (2U - n1 n2) / (n1 n2); midranks make 2U an integer, so compare on that scale
    spread = np.abs(2.0 * ((total - rank_sum_y) - n1 * (n1 + 1) / 2.0) - n1 * n2)
    observed = abs(2.0 * (float(ranks[:n1].sum()) - n1 * (n1 + 1) / 2.0) - n1 * n2)
    hits = int(np.sum(spread >= observed - 0.25))
    return (hits + 1.0) / (n_resamples + 1.0)


def rank_test(
    x: Any,
    y: Any,
    *,
    seed: int = DEFAULT_SEED,
    n_resamples: int = N_RESAMPLES,
    min_n: int = MIN_N_BRUNNER_MUNZEL,
) -> GroupTest:
    """The gap's test: Brunner-Munzel, or a permutation test on delta when a group has < 10.

    A permutation test is used too when Brunner-Munzel is undefined (no spread).

    Examples
    --------
    >>> rank_test([1, 2, 3, 4, 5, 6], [4, 5, 6, 7, 8, 9], seed=3).method
    'permutation'
    """
    a, b = _vector(x, "x"), _vector(y, "y")
    if a.size < 2 or b.size < 2:
        return GroupTest("none", math.nan, math.nan)
    dom = dominance(a, b)
    if a.size >= min_n and b.size >= min_n:
        res = brunner_munzel_from_dominance(dom)
        if math.isfinite(res.p):
            return res
    p = permutation_delta_p(a, b, n_resamples=n_resamples, seed=seed)
    return GroupTest("permutation", float(dom.mean()), p)


@dataclass(frozen=True)
class GapColumns:
    """:func:`gap_columns` results, one entry per column (dimension)."""

    n_x: np.ndarray
    n_y: np.ndarray
    diff: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    welch_p: np.ndarray
    delta: np.ndarray
    delta_ci_low: np.ndarray
    delta_ci_high: np.ndarray
    bm_statistic: np.ndarray
    bm_df: np.ndarray
    bm_p: np.ndarray


def gap_columns(x: np.ndarray, y: np.ndarray, *, ci: float = 0.95) -> GapColumns:
    """Welch difference, Cliff's delta (Feng & Cliff CI) and Brunner-Munzel for every column.

    The vectorised form of :func:`welch_test`, :func:`cliffs_delta` and
    :func:`brunner_munzel`: ``x`` and ``y`` are (n_x, k) and (n_y, k) matrices with NaN
    for missing; each column is compared on its own valid values.
    """
    ci = _check_ci(ci)
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    vx, vy = ~np.isnan(x), ~np.isnan(y)
    n1, m1, var1, _ = _masked_moments(x, vx)
    n2, m2, var2, _ = _masked_moments(y, vy)
    with np.errstate(invalid="ignore", divide="ignore"):
        a, b = var1 / n1, var2 / n2
        se = np.sqrt(a + b)
        df = (a + b) ** 2 / (a**2 / (n1 - 1) + b**2 / (n2 - 1))
        diff = m1 - m2
        half = _t_quantile(df, ci) * se
        welch_p = _t_pvalue(diff / se, df)
        both = vx[:, None, :] & vy[None, :, :]
        dom = np.where(
            both, np.sign(np.nan_to_num(x)[:, None, :] - np.nan_to_num(y)[None, :, :]), 0.0
        )
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
        d_low = np.where(defined, np.maximum((delta - delta**3 - spread) / denom, -1.0), np.nan)
        d_high = np.where(defined, np.minimum((delta - delta**3 + spread) / denom, 1.0), np.nan)
        # Brunner-Munzel from the placements
        place_x = np.where(vx, n2 * (1.0 + rows) / 2.0, 0.0)
        place_y = np.where(vy, n1 * (1.0 - cols) / 2.0, 0.0)
        px_mean = place_x.sum(axis=0) / n1
        py_mean = place_y.sum(axis=0) / n2
        sx = (np.where(vx, place_x - px_mean, 0.0) ** 2).sum(axis=0) / (n1 - 1)
        sy = (np.where(vy, place_y - py_mean, 0.0) ** 2).sum(axis=0) / (n2 - 1)
        bm_spread = n1 * sx + n2 * sy
        w = (
            n1
            * n2
            * ((py_mean + (n2 + 1) / 2.0) - (px_mean + (n1 + 1) / 2.0))
            / ((n1 + n2) * np.sqrt(bm_spread))
        )
        bm_df = bm_spread**2 / ((n1 * sx) ** 2 / (n1 - 1) + (n2 * sy) ** 2 / (n2 - 1))
        bm_ok = (n1 >= 2) & (n2 >= 2) & (bm_spread > 0)
        bm_p = np.where(bm_ok, np.minimum(1.0, 2.0 * special.stdtr(bm_df, -np.abs(w))), np.nan)
    ok = (n1 >= 2) & (n2 >= 2)
    nan_if = np.where(ok, 1.0, np.nan)
    return GapColumns(
        n_x=n1.astype(np.int64),
        n_y=n2.astype(np.int64),
        diff=diff * nan_if,
        ci_low=(diff - half) * nan_if,
        ci_high=(diff + half) * nan_if,
        welch_p=welch_p * nan_if,
        delta=np.where((n1 > 0) & (n2 > 0), delta, np.nan),
        delta_ci_low=d_low,
        delta_ci_high=d_high,
        bm_statistic=np.where(bm_ok, w, np.nan),
        bm_df=np.where(bm_ok, bm_df, np.nan),
        bm_p=bm_p,
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


# ---------------------------------------------------------------------------
# 6. Comparing coalitions
# ---------------------------------------------------------------------------
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


#: Up to this many respondents the Kruskal-Wallis p comes from permutations.
KRUSKAL_PERMUTATION_MAX_N = 300


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


@lru_cache(maxsize=8)
def _permutation_indices(n: int, n_resamples: int, seed: int) -> np.ndarray:
    """Random orderings of n positions, one row per resample (shared by all dimensions)."""
    rng = np.random.default_rng([seed, 3, n])
    order = np.argsort(rng.random((n_resamples, n)), axis=1).astype(np.uint16)
    order.setflags(write=False)
    return order


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
    z95 = float(special.ndtri(0.975))
    z998 = float(special.ndtri(0.999))
    table = pd.DataFrame(
        {
            "mean": m,
            "n": n,
            "se": se,
            "z": (m - centre) / spread,
            "lower95": centre - z95 * spread,
            "upper95": centre + z95 * spread,
            "lower998": centre - z998 * spread,
            "upper998": centre + z998 * spread,
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


__all__ = [
    "FIRST_HIGHER",
    "GROUP_VERDICT",
    "HOLM_NOTE",
    "POSSIBLY",
    "SECOND_HIGHER",
    "VERDICT_DIGITS",
    "Verdict",
    "higher_side",
    "printed_excludes_zero",
    "verdict_note",
    "BANDS",
    "DEFAULT_MID",
    "DEFAULT_SEED",
    "ICC",
    "MIN_N_ALPHA",
    "MIN_N_TEST",
    "N_RESAMPLES",
    "RELIABILITY_FLAGS",
    "VERDICTS",
    "ChangeColumns",
    "ChangeDesign",
    "CliffsDelta",
    "DimensionScores",
    "EqualityIndex",
    "Funnel",
    "GapColumns",
    "GroupTest",
    "MeanEstimate",
    "MedianEstimate",
    "Reliability",
    "TTest",
    "alpha_from_covariance",
    "band_counts",
    "benjamini_hochberg",
    "brunner_munzel",
    "brunner_munzel_from_dominance",
    "change_design",
    "change_test",
    "change_tests",
    "change_verdict",
    "cliffs_delta",
    "cohens_dz",
    "cronbach_alpha",
    "delta_magnitude",
    "design_test",
    "detectable_difference",
    "detectable_effect",
    "dimension_reliability",
    "dimension_scores",
    "dominance",
    "equality_index",
    "feldt_ci",
    "feng_cliff",
    "funnel",
    "gap_columns",
    "hedges_g",
    "holm",
    "icc_from_arrays",
    "icc_oneway",
    "item_bands",
    "kruskal_h",
    "kruskal_wallis",
    "link_by_key",
    "mean_ci",
    "median_ci",
    "min_items_required",
    "noncentrality_for_power",
    "order_statistic_ci",
    "pairwise_covariance",
    "paired_test",
    "partially_overlapping_test",
    "permutation_change_p",
    "permutation_change_test",
    "permutation_delta_p",
    "pooled_sd",
    "rank_groups",
    "rank_test",
    "reliability_flags",
    "reliability_from_covariance",
    "reverse_key",
    "rwg_from_variances",
    "rwg_j",
    "rwg_random_cutoff",
    "score_matrix",
    "shared_view",
    "sorted_median_ci",
    "spearman_brown",
    "t_interval",
    "to_points",
    "two_item_reliability",
    "welch_test",
    "wilson_ci",
]
