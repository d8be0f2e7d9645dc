"""Tests of surveycoal.stats.reliability: alpha, Feldt and Spearman-Brown (docs/METHODS.md section 2)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from stats_data import (
    CRONBACH_WIDE_MISSING,
)

import surveycoal.stats as S


def test_feldt_golden() -> None:
    """docs/METHODS.md section 2: a=.85, k=7, n=89 gives [0.7971, 0.8932]."""
    low, high = S.feldt_ci(0.85, 89, 7)
    assert low == pytest.approx(0.7971, abs=5e-5)
    assert high == pytest.approx(0.8932, abs=5e-5)


def test_cronbach_pairwise_golden() -> None:
    """docs/METHODS.md section 2, golden from pingouin cronbach_wide_missing: 0.732661 [0.435, 0.909]."""
    res = S.cronbach_alpha(CRONBACH_WIDE_MISSING)
    assert res.alpha == pytest.approx(0.732661, abs=1e-6)
    assert round(res.ci_low, 3) == 0.435
    assert round(res.ci_high, 3) == 0.909
    assert res.n == 12 and res.k == 11
    assert res.flags == ("imprecise",)


def test_cronbach_listwise_golden() -> None:
    """docs/METHODS.md section 2, golden from pingouin cronbach_wide_missing: listwise 0.801695.

    pingouin computes the listwise Feldt interval with n before deletion (12: [0.581, 0.933]);
    we use the 9 complete rows the alpha rests on, so our interval is wider.
    """
    res = S.cronbach_alpha(CRONBACH_WIDE_MISSING, nan_policy="listwise")
    assert res.alpha == pytest.approx(0.801695, abs=1e-6)
    assert res.n == 9
    assert (round(res.ci_low, 3), round(res.ci_high, 3)) == (0.533, 0.947)
    low12, high12 = S.feldt_ci(res.alpha, 12, 11)
    assert (round(low12, 3), round(high12, 3)) == (0.581, 0.933)


def test_pairwise_covariance_matches_pandas() -> None:
    rng = np.random.default_rng(4)
    x = rng.integers(1, 6, size=(30, 5)).astype(float)
    x[rng.random(x.shape) < 0.2] = np.nan
    cov, _ = S.pairwise_covariance(x)
    np.testing.assert_allclose(cov, pd.DataFrame(x).cov().to_numpy(), atol=1e-12)


def test_spearman_brown_and_flags() -> None:
    """docs/METHODS.md section 2: two-item dimensions use 2r/(1+r); flag thresholds."""
    assert S.spearman_brown(0.6) == pytest.approx(0.75)
    assert S.reliability_flags(0.55, 25) == ("not_a_scale",)
    assert S.reliability_flags(0.65, 25) == ("questionable",)
    assert S.reliability_flags(0.80, 25) == ()
    assert S.reliability_flags(0.80, 19) == ("imprecise",)
    assert "check_reverse_keying" in S.reliability_flags(-0.1, 30)
    rel = S.dimension_reliability([[1, 2], [2, 2], [3, 4], [4, 3], [5, 5], [2, 1]])
    r = np.corrcoef([1, 2, 3, 4, 5, 2], [2, 2, 4, 3, 5, 1])[0, 1]
    assert rel.method == "spearman_brown"
    assert rel.alpha == pytest.approx(2 * r / (1 + r))
    assert rel.ci_low < rel.alpha < rel.ci_high


def test_alpha_columns_golden_in_a_dimension() -> None:
    """docs/METHODS.md section 2: pingouin's pairwise alpha 0.732661 [0.435, 0.909], Feldt golden."""
    rng = np.random.default_rng(3)
    extra = rng.integers(1, 6, size=(12, 3)).astype(float)
    cov, _ = S.pairwise_covariance(np.column_stack([CRONBACH_WIDE_MISSING, extra]))
    membership = np.zeros((14, 2), dtype=bool)
    membership[:11, 0] = True
    membership[11:, 1] = True
    alpha, low, high = S.alpha_columns(cov, membership, [12, 12])
    assert alpha[0] == pytest.approx(0.732661, abs=1e-6)
    assert (round(low[0], 3), round(high[0], 3)) == (0.435, 0.909)
    # the interval alpha_columns gives, for a given alpha
    assert S.feldt_ci(0.85, 89, 7) == pytest.approx((0.7971, 0.8932), abs=5e-5)
