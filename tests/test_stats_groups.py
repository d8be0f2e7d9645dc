"""Tests of surveycoal.stats.groups and .effects: equality between member types (docs/METHODS.md section 5)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats as sps
from stats_data import (
    CLIFF_X,
    CLIFF_Y,
    beside,
)

import surveycoal.stats as S


def test_cliffs_delta_golden() -> None:
    """docs/METHODS.md section 5, golden from R effsize::cliff.delta: d = -0.25 [-0.7266, 0.3890]."""
    res = S.cliffs_delta(CLIFF_X, CLIFF_Y)
    assert res.delta == -0.25
    assert res.ci_low == pytest.approx(-0.7266, abs=5e-5)
    assert res.ci_high == pytest.approx(0.3890, abs=5e-5)
    assert res.magnitude == "small"
    u = sps.mannwhitneyu(CLIFF_X, CLIFF_Y, method="asymptotic").statistic
    assert res.delta == pytest.approx(2 * u / (10 * 6) - 1)


def test_brunner_munzel_golden() -> None:
    """docs/METHODS.md section 5: scipy.stats.brunnermunzel p = .453 on the Cliff data."""
    res = S.brunner_munzel(CLIFF_X, CLIFF_Y)
    assert round(res.p, 3) == 0.453
    ref = sps.brunnermunzel(CLIFF_X, CLIFF_Y, distribution="t")
    assert res.statistic == pytest.approx(ref.statistic) and res.p == pytest.approx(ref.pvalue)


@pytest.mark.parametrize("seed", range(5))
def test_brunner_munzel_matches_scipy_on_likert(seed: int) -> None:
    rng = np.random.default_rng(seed)
    x, y = rng.integers(1, 6, 15) * 25.0, rng.integers(1, 6, 11) * 25.0
    ref = sps.brunnermunzel(x, y, distribution="t")
    assert S.brunner_munzel(x, y).p == pytest.approx(ref.pvalue, rel=1e-9)


def test_rank_test_uses_permutation_under_ten() -> None:
    """docs/METHODS.md section 5: under 10 a group, a permutation test on delta instead."""
    small = S.rank_test(CLIFF_X, CLIFF_Y, seed=1)
    assert small.method == "permutation"
    # two-sided as P(|delta*| >= |delta|); scipy's exact enumeration (8008 splits) of |delta|
    ref = sps.permutation_test(
        (np.array(CLIFF_X, float), np.array(CLIFF_Y, float)),
        lambda a, b: abs(S.dominance(a, b).mean()),
        permutation_type="independent",
        alternative="greater",
        n_resamples=9999,
        rng=np.random.default_rng(1),
    ).pvalue
    assert small.p == pytest.approx(ref, abs=0.015)
    big = S.rank_test(CLIFF_X + CLIFF_X, CLIFF_Y + CLIFF_Y, seed=1)
    assert big.method == "brunner_munzel"


def test_equality_index_golden() -> None:
    """docs/METHODS.md section 5: EI = 75, CI [27, 100] from the Cliff golden."""
    d = S.cliffs_delta(CLIFF_X, CLIFF_Y)
    ei = S.equality_index(d.delta, d.ci_low, d.ci_high)
    assert ei.value == 75.0
    assert round(ei.ci_low) == 27 and ei.ci_high == 100.0
    assert S.equality_index(0.5, 0.2, 0.7).ci_high == pytest.approx(80.0)


def test_delta_magnitudes() -> None:
    assert [S.delta_magnitude(d) for d in (0.146, 0.147, 0.329, 0.33, 0.473, 0.474)] == [
        "negligible",
        "small",
        "small",
        "medium",
        "medium",
        "large",
    ]


def test_gap_columns_match_the_scalar_functions() -> None:
    rng = np.random.default_rng(9)
    x = rng.integers(0, 5, size=(14, 3)) * 25.0
    y = rng.integers(0, 5, size=(11, 3)) * 25.0
    x[rng.random(x.shape) < 0.15] = np.nan
    res = S.gap_columns(x, y)
    for j in range(3):
        a, b = x[:, j][~np.isnan(x[:, j])], y[:, j][~np.isnan(y[:, j])]
        w, c, bm = S.welch_test(a, b), S.cliffs_delta(a, b), S.brunner_munzel(a, b)
        assert (res.diff[j], res.ci_low[j], res.ci_high[j], res.welch_p[j]) == pytest.approx(
            (w.diff, w.ci_low, w.ci_high, w.p)
        )
        assert (res.delta[j], res.delta_ci_low[j], res.delta_ci_high[j]) == pytest.approx(
            (c.delta, c.ci_low, c.ci_high)
        )
        assert res.bm_p[j] == pytest.approx(bm.p)


def test_gap_columns_golden_in_a_column() -> None:
    """docs/METHODS.md section 5: Cliff's delta -0.25 [-0.7266, 0.3890], Brunner-Munzel p = .453."""
    rng = np.random.default_rng(2)
    res = S.gap_columns(beside(CLIFF_X, rng), beside(CLIFF_Y, rng, n=9))
    assert res.delta[0] == -0.25
    assert (res.delta_ci_low[0], res.delta_ci_high[0]) == pytest.approx((-0.7266, 0.3890), abs=5e-5)
    assert round(res.bm_p[0], 3) == 0.453
    ref = sps.ttest_ind(CLIFF_X, CLIFF_Y, equal_var=False)
    assert res.welch_p[0] == pytest.approx(ref.pvalue)


def _one_by_one_delta_p(x: np.ndarray, y: np.ndarray, seed: int) -> float:
    """The permutation p of delta as it was computed one pair at a time, with scipy's ranks."""
    from surveycoal.stats.resampling import _label_matrix

    n1, n2 = x.size, y.size
    ranks = sps.rankdata(np.concatenate([x, y]), method="average").astype(np.float32)
    rank_sum_y = _label_matrix(n1, n2, S.N_RESAMPLES, seed) @ ranks
    total = float(ranks.sum())
    spread = np.abs(2.0 * ((total - rank_sum_y) - n1 * (n1 + 1) / 2.0) - n1 * n2)
    observed = abs(2.0 * (float(ranks[:n1].sum()) - n1 * (n1 + 1) / 2.0) - n1 * n2)
    return (int(np.sum(spread >= observed - 0.25)) + 1.0) / (S.N_RESAMPLES + 1.0)


def test_permutation_delta_columns_equal_one_pair_at_a_time() -> None:
    """Pairs resampled together (grouped by size, float32 sums of midranks) give exactly the
    p-values of one pair at a time, whatever the ties and the grouping."""
    rng = np.random.default_rng(11)
    xs, ys = [], []
    for _ in range(60):
        n1, n2 = rng.integers(1, 16, 2)
        step = rng.choice([25.0, 100 / 12, 100 / 15])
        xs.append(rng.integers(0, 13, n1) * step)
        ys.append(rng.integers(0, 13, n2) * step)
    xs += xs[:5]  # repeated sizes share a relabelling matrix
    ys += ys[:5]
    together = S.permutation_delta_columns(xs, ys, seed=4)
    alone = [_one_by_one_delta_p(x, y, 4) for x, y in zip(xs, ys, strict=True)]
    assert together.tolist() == alone
    assert [S.permutation_delta_p(x, y, seed=4) for x, y in zip(xs, ys, strict=True)] == alone
    assert np.isnan(S.permutation_delta_columns([np.array([])], [np.array([1.0])])[0])


def test_rank_tests_choose_as_rank_test() -> None:
    """docs/METHODS.md section 5: one choice of test, for one pair or for many."""
    rng = np.random.default_rng(5)
    pairs = [
        (rng.integers(0, 5, n1) * 25.0, rng.integers(0, 5, n2) * 25.0)
        for n1, n2 in [(12, 14), (9, 15), (10, 10), (1, 8), (6, 6)]
    ]
    pairs.append((np.full(12, 50.0), np.full(11, 50.0)))  # Brunner-Munzel undefined
    many = S.rank_tests([x for x, _ in pairs], [y for _, y in pairs], seed=2)
    assert [t.method for t in many] == [
        "brunner_munzel",
        "permutation",
        "brunner_munzel",
        "none",
        "permutation",
        "permutation",
    ]
    for (x, y), test in zip(pairs, many, strict=True):
        one = S.rank_test(x, y, seed=2)
        assert (one.method, one.statistic, one.df) == (test.method, test.statistic, test.df)
        assert one.p == test.p or (np.isnan(one.p) and np.isnan(test.p))


def test_delta_columns_are_the_delta_of_gap_columns() -> None:
    rng = np.random.default_rng(13)
    x = rng.integers(0, 5, size=(12, 4)) * 25.0
    y = rng.integers(0, 5, size=(9, 4)) * 25.0
    x[rng.random(x.shape) < 0.2] = np.nan
    gap = S.gap_columns(x, y, ci=0.99)
    delta, low, high = S.delta_columns(x, y, ci=0.99)
    np.testing.assert_array_equal(delta, gap.delta)
    np.testing.assert_array_equal(low, gap.delta_ci_low)
    np.testing.assert_array_equal(high, gap.delta_ci_high)
