"""t tests of a change between rounds (docs/METHODS.md section 4).

Welch, paired and partially overlapping samples t tests, linking respondents by panel key,
and :func:`change_tests`, which runs the test of every dimension at once. There is one
implementation: the one-sample-pair functions (:func:`welch_test`, :func:`paired_test`,
:func:`partially_overlapping_test`, :func:`change_test`) are :func:`change_tests` on one column.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from surveycoal.errors import InputError
from surveycoal.stats._core import _check_ci, _masked_moments, _t_pvalue, _t_quantile, _vector
from surveycoal.stats.constants import MIN_LINKED_PAIRS
from surveycoal.stats.power import detectable_difference, detectable_effect


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


def _column(x: Any, name: str) -> np.ndarray:
    """One sample as a one-column matrix with its missing values dropped."""
    return _vector(x, name)[:, None]


def _complete_pairs(x: Any, y: Any, message: str) -> tuple[np.ndarray, np.ndarray]:
    """Two samples of the same length, with every pair that misses a side dropped."""
    a = np.asarray(x, dtype=float).ravel()
    b = np.asarray(y, dtype=float).ravel()
    if a.size != b.size:
        raise InputError(message)
    keep = ~(np.isnan(a) | np.isnan(b))
    return a[keep], b[keep]


def _linked(
    x_unpaired: np.ndarray, y_unpaired: np.ndarray, x_paired: np.ndarray, y_paired: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Stack each sample's unpaired then paired observations; the rows of the pairs."""
    before = np.concatenate([y_unpaired, y_paired])[:, None]
    after = np.concatenate([x_unpaired, x_paired])[:, None]
    pairs = np.arange(x_paired.size)
    return before, after, y_unpaired.size + pairs, x_unpaired.size + pairs


def _t_result(res: ChangeColumns, method: str | None = None) -> TTest:
    """Column 0 of :func:`change_tests` as a :class:`TTest` of after - before."""
    return TTest(
        str(res.method[0]) if method is None else method,
        float(res.diff[0]),
        float(res.se[0]),
        float(res.t[0]),
        float(res.df[0]),
        float(res.p[0]),
        float(res.ci_low[0]),
        float(res.ci_high[0]),
        int(res.n_after[0]),
        int(res.n_before[0]),
        int(res.n_linked[0]),
    )


_NO_PAIRS = np.array([], dtype=np.int64)


def welch_test(x: Any, y: Any, *, ci: float = 0.95) -> TTest:
    """Welch's t test of mean(x) - mean(y), as ``ttest_ind(x, y, equal_var=False)``.

    :func:`change_tests` on one column with nobody linked.

    Examples
    --------
    >>> extra1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
    >>> extra2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]
    >>> res = welch_test(extra1, extra2)
    >>> round(res.t, 4), round(res.df, 3), round(res.p, 5)
    (-1.8608, 17.776, 0.07939)
    """
    before, after = _column(y, "y"), _column(x, "x")
    return _t_result(change_tests(before, after, _NO_PAIRS, _NO_PAIRS, ci=ci))


def paired_test(x: Any, y: Any, *, ci: float = 0.95) -> TTest:
    """Paired t test of mean(x - y), as ``ttest_rel(x, y)``; pairs with a missing side are dropped.

    :func:`change_tests` on one column with everybody linked.

    Examples
    --------
    >>> extra1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
    >>> extra2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]
    >>> res = paired_test(extra1, extra2)
    >>> round(res.t, 4), res.df, round(res.p, 6)
    (-4.0621, 9.0, 0.002833)
    """
    a, b = _complete_pairs(x, y, "A paired test needs two samples of the same length.")
    pairs = np.arange(a.size)
    res = change_tests(b[:, None], a[:, None], pairs, pairs, ci=ci, min_pairs=1)
    return _t_result(res, "paired")


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
    ``equal_var=False`` is Derrick's T_new2 (Welch form), ``True`` T_new1. This is
    :func:`change_tests` on one column, with every complete pair linked.

    Examples
    --------
    >>> res = partially_overlapping_test(
    ...     [20, 21, 16, 18, 14, 12, 14, 17], [10, 16, 18, 16, 15, 14, 13, 10],
    ...     [14, 15, 18, 20, 11, 19, 14, 15], [15, 10, 15, 17, 13, 19, 12, 13])
    >>> round(res.t, 4), round(res.df, 2), round(res.p, 4)
    (2.4191, 18.42, 0.0261)
    """
    xu = _vector(x_unpaired, "x_unpaired")
    yu = _vector(y_unpaired, "y_unpaired")
    xp, yp = _complete_pairs(x_paired, y_paired, "The paired observations must come in pairs.")
    before, after, pos_before, pos_after = _linked(xu, yu, xp, yp)
    res = change_tests(
        before, after, pos_before, pos_after, ci=ci, min_pairs=1, equal_var=equal_var
    )
    return _t_result(res, "partially_overlapping")


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

    Reports after - before; :func:`change_tests` on one column.
    """
    before, after, pos_before, pos_after = _linked(
        design.after_unlinked, design.before_unlinked, design.after_linked, design.before_linked
    )
    return _t_result(change_tests(before, after, pos_before, pos_after, ci=ci, min_pairs=1))


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
    This is :func:`change_tests` on one column, as scoring runs it.

    Examples
    --------
    >>> res = change_test([50, 60, 70, 55, 65], [60, 70, 75, 70, 80],
    ...                   before_keys=list("abcde"), after_keys=list("abcde"))
    >>> res.method, res.diff
    ('paired', 11.0)
    """
    a = np.asarray(before, dtype=float).ravel()
    b = np.asarray(after, dtype=float).ravel()
    if before_keys is None or after_keys is None:
        pos_before = pos_after = _NO_PAIRS
    else:
        if len(before_keys) != a.size or len(after_keys) != b.size:
            raise InputError("There must be one panel key (or None) per score.")
        pos_before, pos_after = link_by_key(before_keys, after_keys)
    return _t_result(change_tests(a[:, None], b[:, None], pos_before, pos_after, ci=ci))


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


def change_tests(
    before: np.ndarray,
    after: np.ndarray,
    before_pos: np.ndarray,
    after_pos: np.ndarray,
    *,
    ci: float = 0.95,
    min_pairs: int = MIN_LINKED_PAIRS,
    equal_var: bool = False,
    with_detectable: bool = True,
) -> ChangeColumns:
    """:func:`change_test` for every column of two score matrices at once.

    Parameters
    ----------
    before, after : ndarray, shape (n_before, k) and (n_after, k)
        Scores with NaN for missing.
    before_pos, after_pos : ndarray of int
        Rows of the same people in both rounds (:func:`link_by_key`). Per column a
        pair counts only when both scores exist; fewer than ``min_pairs`` pairs count
        as none.
    min_pairs : int
        The fewest linked pairs a column is tested as (partially) paired with; by
        default three, the fewest a correlation can be estimated from. The
        one-sample-pair tests pass 1: the caller has said which observations pair.
    equal_var : bool
        Derrick's T_new1 (pooled variance; Student's test with nobody linked) instead
        of T_new2 (Welch form).
    with_detectable : bool
        Compute the smallest detectable change (a power calculation per column); with
        False, ``detectable_change`` and ``detectable_effect`` are NaN.

    Notes
    -----
    One formula serves all designs: the partially overlapping test (Welch form)
    is Welch's test with no pairs and the paired t test with nobody unlinked, and
    the same holds for the pooled form and Student's test. This is the only
    implementation of these tests: :func:`welch_test`, :func:`paired_test`,
    :func:`partially_overlapping_test`, :func:`design_test` and :func:`change_test`
    run it on one column.
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
    n12 = np.where(n12 >= max(min_pairs, 1), n12, 0.0)
    pair_ok &= n12 > 0
    r = np.zeros(k)  # nobody linked (Welch's test, a gap between member types): r is 0
    if pa.size:
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
        sp = np.sqrt(((n1 - 1) * var1 + (n2 - 1) * var2) / (n1 + n2 - 2))
        if equal_var:
            se2 = sp**2 * (1.0 / n1 + 1.0 / n2 - 2.0 * r * n12 / (n1 * n2))
            df = (n12 - 1) + (unlinked + n12 - 1) * unlinked / (unlinked + 2 * n12)
        else:
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
        g = diff / sp * (1.0 - 3.0 / (4.0 * (n1 + n2) - 9.0))
        diffs = np.where(pair_ok, pb - pa, 0.0)
        d_mean = diffs.sum(axis=0) / n12
        d_sd = np.sqrt((np.where(pair_ok, pb - pa - d_mean, 0.0) ** 2).sum(axis=0) / (n12 - 1))
    ok = (n1 >= 2) & (n2 >= 2) & np.isfinite(se)
    p = np.where(ok, _t_pvalue(t, df), np.nan)
    unpaired = "student" if equal_var else "welch"
    method = np.where(
        n12 == 0, unpaired, np.where(unlinked == 0, "paired", "partially_overlapping")
    ).astype(object)
    paired = (n12 > 0) & (unlinked == 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        effect = np.where(paired, d_mean / d_sd, g)
    effect = np.where(np.isfinite(effect), effect, np.nan)  # no spread: no effect size
    detectable = np.full(k, np.nan)
    d_effect = np.full(k, np.nan)
    for j in range(k):
        if not (with_detectable and ok[j]):
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
