"""Tests of surveycoal.stats.ttests, .power, .resampling and .multiple: change between rounds (docs/METHODS.md section 4)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats as sps
from stats_data import (
    PO_A_PAIRED,
    PO_A_UNPAIRED,
    PO_B_PAIRED,
    PO_B_UNPAIRED,
    SLEEP_1,
    SLEEP_2,
    beside,
)

import surveycoal.stats as S
from surveycoal.stats.power import _noncentrality_for_power


def test_partially_overlapping_golden() -> None:
    """docs/METHODS.md section 4, golden from R Partiallyoverlapping (Derrick et al. 2017)."""
    res = S.partially_overlapping_test(PO_A_UNPAIRED, PO_B_UNPAIRED, PO_A_PAIRED, PO_B_PAIRED)
    assert res.t == pytest.approx(2.4191, abs=5e-5)
    assert res.df == pytest.approx(18.42, abs=5e-3)
    assert res.p == pytest.approx(0.0261, abs=5e-5)
    eq = S.partially_overlapping_test(
        PO_A_UNPAIRED, PO_B_UNPAIRED, PO_A_PAIRED, PO_B_PAIRED, equal_var=True
    )
    assert eq.t == pytest.approx(2.4207, abs=5e-5)
    assert eq.df == pytest.approx(18.5)
    assert eq.p == pytest.approx(0.0260, abs=5e-5)


def test_partially_overlapping_reduces_to_welch_and_paired() -> None:
    """docs/METHODS.md section 4: Welch at n12 = 0, paired t with nobody unlinked."""
    rng = np.random.default_rng(2)
    x, y = rng.normal(50, 10, 9), rng.normal(55, 12, 11)
    po = S.partially_overlapping_test(x, y, [], [])
    ref = sps.ttest_ind(x, y, equal_var=False)
    assert po.t == pytest.approx(ref.statistic) and po.df == pytest.approx(ref.df)
    xp, yp = rng.normal(50, 10, 12), rng.normal(52, 10, 12)
    po = S.partially_overlapping_test([], [], xp, yp)
    ref = sps.ttest_rel(xp, yp)
    assert po.t == pytest.approx(ref.statistic) and po.df == pytest.approx(ref.df)


def test_sleep_paired_golden() -> None:
    """docs/METHODS.md section 4, golden from Student's sleep data, paired by ID."""
    res = S.paired_test(SLEEP_1, SLEEP_2)
    assert res.t == pytest.approx(-4.0621, abs=5e-5)
    assert res.df == 9
    assert res.p == pytest.approx(0.002833, abs=5e-7)
    assert (res.ci_low, res.ci_high) == pytest.approx((-2.4599, -0.7001), abs=5e-5)
    # the same through change_test: after = drug 1, before = drug 2, linked by ID
    ids = [f"id{i}" for i in range(10)]
    ch = S.change_test(SLEEP_2, SLEEP_1, before_keys=ids, after_keys=ids)
    assert ch.method == "paired" and ch.t == pytest.approx(res.t)


def test_sleep_welch_golden() -> None:
    """docs/METHODS.md section 4, golden from Student's sleep data: Welch t=-1.8608, df 17.776."""
    res = S.welch_test(SLEEP_1, SLEEP_2)
    assert res.t == pytest.approx(-1.8608, abs=5e-5)
    assert res.df == pytest.approx(17.776, abs=5e-4)
    assert res.p == pytest.approx(0.07939, abs=5e-6)
    ref = sps.ttest_ind(SLEEP_1, SLEEP_2, equal_var=False)
    ci = ref.confidence_interval(0.95)
    assert (res.ci_low, res.ci_high) == pytest.approx((ci.low, ci.high))
    ch = S.change_test(SLEEP_2, SLEEP_1)
    assert ch.method == "welch" and ch.t == pytest.approx(res.t)


def test_change_test_chooses_the_design() -> None:
    before = [50, 55, 60, 65, 70, 52, 58]
    after = [60, 62, 61, 70, 80, 66, 59, 71]
    keys_b = ["a", "b", "c", "d", None, "f", "g"]
    keys_a = ["a", "b", "c", "d", "e", "x", "y", "z"]
    assert S.change_test(before, after, before_keys=keys_b, after_keys=keys_a).method == (
        "partially_overlapping"
    )
    # fewer than three linked pairs count as unlinked
    keys_a2 = ["a", "b", "q", "r", "s", "t", "u", "v"]
    assert S.change_test(before, after, before_keys=keys_b, after_keys=keys_a2).method == "welch"


def test_link_by_key_ignores_none_and_duplicates() -> None:
    pa, pb = S.link_by_key(["a", None, "b", "b", "c"], ["c", "b", None, "a"])
    assert sorted(zip(pa.tolist(), pb.tolist(), strict=True)) == [(0, 3), (4, 0)]


def test_holm_golden() -> None:
    """docs/METHODS.md section 4: Holm [.01,.02,.03,.04,.05] -> [.05,.08,.09,.09,.09]."""
    np.testing.assert_allclose(
        S.holm([0.01, 0.02, 0.03, 0.04, 0.05]), [0.05, 0.08, 0.09, 0.09, 0.09]
    )
    out = S.holm([0.04, np.nan, 0.01])
    assert math.isnan(out[1]) and out[0] == pytest.approx(0.04) and out[2] == pytest.approx(0.02)


def test_benjamini_hochberg_matches_scipy() -> None:
    p = [0.001, 0.02, 0.2, 0.04, 0.5]
    np.testing.assert_allclose(S.benjamini_hochberg(p), sps.false_discovery_control(p, method="bh"))


@pytest.mark.parametrize(
    ("n", "independent", "paired"), [(10, 1.32, 1.00), (20, 0.91, 0.66), (40, 0.63, 0.45)]
)
def test_detectable_change_golden(n: int, independent: float, paired: float) -> None:
    """docs/METHODS.md section 4: smallest detectable d (80% power, alpha .05)."""
    assert round(S.detectable_effect(n), 2) == independent
    assert round(S.detectable_effect(n, paired=True), 2) == paired


def test_effect_sizes() -> None:
    x, y = np.array([5.0, 6, 7, 8, 9]), np.array([1.0, 3, 5, 7, 9])
    sp = math.sqrt((x.var(ddof=1) + y.var(ddof=1)) / 2)
    assert S.hedges_g(x, y) == pytest.approx((x.mean() - y.mean()) / sp * (1 - 3 / 31))
    d = x - y
    assert S.cohens_dz(x, y) == pytest.approx(d.mean() / d.std(ddof=1))


def test_permutation_change_is_seeded_and_agrees_with_scipy() -> None:
    rng = np.random.default_rng(5)
    a, b = rng.normal(50, 15, 12), rng.normal(62, 15, 14)
    p1 = S.permutation_change_test(a, b, seed=11)
    p2 = S.permutation_change_test(a, b, seed=11)
    assert p1 == p2
    ref = sps.permutation_test(
        (b, a),
        lambda x, y: abs(np.mean(x) - np.mean(y)),
        permutation_type="independent",
        alternative="greater",
        n_resamples=9999,
        rng=np.random.default_rng(11),
    ).pvalue
    assert p1 == pytest.approx(ref, abs=0.01)
    keys = [f"k{i}" for i in range(12)]
    pp = S.permutation_change_test(a, b[:12] + 3, before_keys=keys, after_keys=keys, seed=3)
    ref = sps.permutation_test(
        (b[:12] + 3, a),
        lambda x, y: abs(np.mean(x - y)),
        permutation_type="samples",
        alternative="greater",
        n_resamples=9999,
        rng=np.random.default_rng(3),
    ).pvalue
    assert pp == pytest.approx(ref, abs=0.01)


@pytest.mark.parametrize("n_linked", [0, 2, 6, 12])
def test_change_tests_match_change_test(n_linked: int) -> None:
    rng = np.random.default_rng(n_linked)
    before = rng.integers(0, 9, size=(12, 4)) * 12.5
    after = rng.integers(0, 9, size=(12 if n_linked == 12 else 14, 4)) * 12.5
    before[rng.random(before.shape) < 0.1] = np.nan
    if n_linked == 12:
        after[:, :2] = np.nan_to_num(before[:, :2], nan=50.0) + rng.normal(5, 5, (12, 2))
    keys_b = [f"k{i}" for i in range(12)]
    keys_a = [f"k{i}" for i in range(n_linked)] + [
        f"new{i}" for i in range(after.shape[0] - n_linked)
    ]
    pos_b, pos_a = S.link_by_key(keys_b, keys_a)
    res = S.change_tests(before, after, pos_b, pos_a)
    for j in range(4):
        ref = S.change_test(before[:, j], after[:, j], before_keys=keys_b, after_keys=keys_a)
        assert res.method[j] == ref.method
        assert (res.diff[j], res.t[j], res.df[j], res.p[j], res.ci_low[j], res.ci_high[j]) == (
            pytest.approx((ref.diff, ref.t, ref.df, ref.p, ref.ci_low, ref.ci_high))
        )


def test_detectable_difference_interpolates_between_whole_df() -> None:
    exact = _noncentrality_for_power(18.42, 0.05, 0.8)
    assert S.noncentrality_for_power(18.42) == pytest.approx(exact, abs=2e-4)


def test_detectable_effect_is_finite_where_scipy_returns_nan() -> None:
    """scipy's nctdtr returns NaN at df=6 far out in the tail; the power solver must not stop.

    The smallest detectable effect falls as the degrees of freedom grow."""
    effects = [S.detectable_effect(n, n) for n in (3, 4, 5)]  # df 4, 6, 8
    assert all(np.isfinite(effects)) and effects == sorted(effects, reverse=True)
    paired = [S.detectable_effect(n, paired=True) for n in (6, 7, 8)]  # df 5, 6, 7
    assert all(np.isfinite(paired)) and paired == sorted(paired, reverse=True)


def test_change_tests_golden_in_a_column() -> None:
    """docs/METHODS.md section 4: sleep data (paired and Welch) and Derrick's partially overlapping."""
    rng = np.random.default_rng(1)
    before, after = beside(SLEEP_2, rng), beside(SLEEP_1, rng)
    pos = np.arange(10)
    paired = S.change_tests(before, after, pos, pos)
    assert paired.method[0] == "paired"
    assert (paired.t[0], paired.df[0], paired.p[0]) == pytest.approx(
        (-4.0621, 9, 0.002833), abs=5e-5
    )
    assert (paired.ci_low[0], paired.ci_high[0]) == pytest.approx((-2.4599, -0.7001), abs=5e-5)
    none = np.array([], dtype=np.int64)
    welch = S.change_tests(before, after, none, none)
    assert welch.method[0] == "welch"
    assert (welch.t[0], welch.df[0], welch.p[0]) == pytest.approx(
        (-1.8608, 17.776, 0.07939), abs=5e-4
    )
    before = beside(PO_B_UNPAIRED + PO_B_PAIRED, rng)
    after = beside(PO_A_UNPAIRED + PO_A_PAIRED, rng)
    pos = np.arange(8, 16)
    for equal_var, golden in ((False, (2.4191, 18.42, 0.0261)), (True, (2.4207, 18.5, 0.0260))):
        res = S.change_tests(before, after, pos, pos, equal_var=equal_var)
        assert res.method[0] == "partially_overlapping"
        assert res.t[0] == pytest.approx(golden[0], abs=5e-5)
        assert res.df[0] == pytest.approx(golden[1], abs=5e-3)
        assert res.p[0] == pytest.approx(golden[2], abs=5e-5)
