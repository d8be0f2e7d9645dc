"""Tests of surveycoal.stats.intervals and .agreement: a coalition's score (docs/METHODS.md section 3)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps
from stats_data import (
    MEDIAN_DATA,
    beside,
)

import surveycoal.stats as S


def test_median_ci_golden() -> None:
    """docs/METHODS.md section 3: quantile_test CI [3.0, 4.25] on the golden data."""
    res = S.median_ci(MEDIAN_DATA)
    assert (res.ci_low, res.ci_high) == (3.0, 4.25)


def test_mean_ci_golden() -> None:
    """docs/METHODS.md section 3: the mean's t CI on the same data is [3.10, 4.06]."""
    res = S.mean_ci(MEDIAN_DATA, clip=None)
    assert (round(res.ci_low, 2), round(res.ci_high, 2)) == (3.10, 4.06)
    ref = sps.ttest_1samp(MEDIAN_DATA, 0).confidence_interval(0.95)
    assert res.ci_low == pytest.approx(ref.low) and res.ci_high == pytest.approx(ref.high)


def test_mean_ci_is_clipped() -> None:
    res = S.mean_ci([95, 100, 100, 100, 60])
    assert res.ci_high == 100.0 and res.ci_low >= 0


@pytest.mark.parametrize("seed", range(6))
def test_median_ci_matches_scipy_quantile_test(seed: int) -> None:
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 9, size=int(rng.integers(5, 41))) * 12.5
    res = S.median_ci(x)
    ref = sps.quantile_test(x, q=np.median(x), p=0.5).confidence_interval(0.95)
    np.testing.assert_equal([res.ci_low, res.ci_high], [ref.low, ref.high])


def test_wilson_golden() -> None:
    """docs/METHODS.md section 3: 6 of 9 gives [0.354, 0.879] (binomtest wilson)."""
    low, high = S.wilson_ci(6, 9)
    assert (round(low, 3), round(high, 3)) == (0.354, 0.879)
    for k, n in [(0, 7), (7, 7), (3, 40), (13, 21)]:
        ref = sps.binomtest(k, n).proportion_ci(method="wilson")
        assert S.wilson_ci(k, n) == pytest.approx((ref.low, ref.high), abs=1e-12)


def test_item_bands() -> None:
    df = pd.DataFrame({"q": [1, 2, 3, 3, 4, 5, np.nan]})
    dk = pd.DataFrame({"q": [False] * 6 + [True]})
    bands = S.item_bands(df, dont_know=dk)
    row = bands.loc["q"]
    assert row["n"] == 6 and row["dont_know"] == pytest.approx(1 / 7)
    assert (row["disagree"], row["neutral"], row["agree"]) == pytest.approx((1 / 3, 1 / 3, 1 / 3))


def test_rwg_golden() -> None:
    """docs/METHODS.md section 3, golden from James, Demaree & Wolf (R multilevel::rwg.j): 0.9617."""
    rows = [[4, 4, 5, 4], [4, 5, 4, 4], [5, 4, 4, 5], [4, 4, 4, 4], [3, 4, 4, 4]]
    assert S.rwg_j(rows, points=5) == pytest.approx(0.9617, abs=5e-5)


@pytest.mark.parametrize(("n", "golden"), [(5, 0.727), (10, 0.573), (20, 0.442), (40, 0.338)])
def test_rwg_random_cutoff_golden(n: int, golden: float) -> None:
    """docs/METHODS.md section 3: random answers (J=4, 5 points) exceed these in 5% of cases.

    A simulation: our seeded 10,000 draws give 0.727 / 0.566 / 0.439 / 0.335; 200,000
    draws give 0.717-0.727 / 0.568 / 0.440 / 0.336, so the golden values sit at the top of
    the simulation noise. Held to 0.01.
    """
    assert S.rwg_random_cutoff(n, 4, 5) == pytest.approx(golden, abs=0.01)


def test_rwg_cutoff_is_cached_and_seeded() -> None:
    S.rwg_random_cutoff.cache_clear()
    a = S.rwg_random_cutoff(12, 4, 5, 7)
    b = S.rwg_random_cutoff(12, 4, 5, 7)
    assert a == b and S.rwg_random_cutoff.cache_info().hits >= 1


def test_shared_view_rule() -> None:
    """docs/METHODS.md section 3: rwg >= .70 and above the random cut-off for n and J."""
    assert S.shared_view(0.9617, 5, 4)
    assert not S.shared_view(0.71, 5, 4)  # above .70 but below 0.727 at n = 5
    assert S.shared_view(0.71, 40, 4)
    assert not S.shared_view(0.65, 40, 4)  # above the cut-off, below .70


def test_interval_columns_golden_in_a_column() -> None:
    """docs/METHODS.md section 3: median CI [3.0, 4.25], mean CI [3.10, 4.06], Wilson [0.354, 0.879]."""
    rng = np.random.default_rng(4)
    x = beside(MEDIAN_DATA, rng)
    n, mean, sd = S.column_moments(x)
    low, high = S.t_interval(n, mean, sd, clip=None)
    assert (round(low[0], 2), round(high[0], 2)) == (3.10, 4.06)
    median, m_low, m_high = S.sorted_median_ci(np.sort(x, axis=0), n)
    assert (median[0], m_low[0], m_high[0]) == (3.5, 3.0, 4.25)
    w_low, w_high = S.wilson_ci(np.array([6, 3]), np.array([9, 40]))
    assert (round(w_low[0], 3), round(w_high[0], 3)) == (0.354, 0.879)
