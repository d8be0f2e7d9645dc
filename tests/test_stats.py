"""Tests of surveycoal.stats: every golden number of docs/METHODS.md sections 1 to 6, named by its source,
agreement with scipy's own tests, and properties of the scoring rules."""

from __future__ import annotations

import doctest
import importlib
import math
import pkgutil

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as sps

import surveycoal.stats as S
from surveycoal.errors import InputError
from surveycoal.stats.power import _noncentrality_for_power

FAST = settings(max_examples=40, deadline=None)

# Student's sleep data (R datasets::sleep), extra hours of sleep under two drugs, paired by ID.
SLEEP_1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
SLEEP_2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]

# pingouin's `cronbach_wide_missing` data set (12 respondents x 11 binary items, from
# real-statistics.com), reconstructed exactly: it reproduces both pingouin goldens.
CRONBACH_WIDE_MISSING = np.array(
    [
        [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
        [1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 0],
        [np.nan, 0, 1, 1, np.nan, 1, 1, 1, 1, 0, 0],
        [1, 1, 1, 0, 1, 1, 0, 1, 1, 0, 0],
        [1, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0],
        [0, 1, np.nan, 0, 1, 1, 1, 1, 0, 0, 0],
        [1, 1, 1, 1, 0, 0, 1, 0, 0, 0, 0],
        [1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0],
        [0, 1, 0, 1, 1, 0, 0, 0, 0, 1, 0],
        [1, 0, 0, 1, 0, 1, 0, 0, np.nan, 0, 0],
        [1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0],
        [1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0],
    ]
)

# pingouin's `icc` data set: 8 wines rated by 4 judges (columns A-D).
ICC_WINES = {
    "A": [1, 1, 3, 6, 6, 7, 8, 9],
    "B": [2, 3, 8, 4, 5, 5, 7, 9],
    "C": [0, 3, 1, 3, 5, 6, 7, 9],
    "D": [1, 2, 4, 3, 6, 2, 9, 8],
}

CLIFF_X = [10, 10, 20, 20, 20, 30, 30, 30, 40, 50]
CLIFF_Y = [10, 20, 30, 40, 40, 50]


def test_doctests_in_stats_run() -> None:
    attempted = 0
    for info in pkgutil.iter_modules(S.__path__, prefix="surveycoal.stats."):
        result = doctest.testmod(importlib.import_module(info.name), optionflags=doctest.ELLIPSIS)
        assert result.failed == 0, info.name
        attempted += result.attempted
    assert attempted > 40


# --- section 1 ---------------------------------------------------------------
def test_points_golden() -> None:
    """docs/METHODS.md section 1: 3.75 on 1-5 is 68.75."""
    assert S.to_points(3.75, low=1, high=5) == 68.75


def test_min_items_rule() -> None:
    """docs/METHODS.md section 1: max(2, ceil(J/2)), all items when J <= 2."""
    assert [S.min_items_required(j) for j in range(1, 9)] == [1, 2, 2, 2, 3, 3, 4, 4]
    with pytest.raises(InputError):
        S.min_items_required(0)


@FAST
@given(st.lists(st.one_of(st.integers(1, 5), st.none()), min_size=1, max_size=30))
def test_reverse_keying_twice_is_identity(answers: list[int | None]) -> None:
    x = np.array([np.nan if a is None else a for a in answers], dtype=float)
    back = S.reverse_key(S.reverse_key(x, low=1, high=5), low=1, high=5)
    np.testing.assert_array_equal(back, x)


answers_matrix = st.integers(1, 30).flatmap(
    lambda n: st.lists(
        st.lists(st.one_of(st.integers(1, 5), st.none()), min_size=4, max_size=4),
        min_size=n,
        max_size=n,
    )
)


@FAST
@given(answers_matrix)
def test_scores_stay_on_0_100(rows: list[list[int | None]]) -> None:
    df = pd.DataFrame(
        [[np.nan if a is None else a for a in r] for r in rows],
        columns=["a", "b", "c", "d"],
        dtype=float,
    )
    res = S.dimension_scores(
        df, {"d1": ["a", "b"], "d2": ["c", "d"], "all": list("abcd")}, reverse=["b"]
    )
    values = res.scores.to_numpy()
    finite = values[~np.isnan(values)]
    assert np.all((finite >= 0) & (finite <= 100))
    # a score exists exactly when enough items were answered
    used = res.n_items_used.to_numpy()
    required = np.array([2, 2, 2])
    np.testing.assert_array_equal(~np.isnan(values), used >= required)


@FAST
@given(answers_matrix, st.integers(0, 3), st.integers(0, 29))
def test_adding_a_dont_know_never_changes_a_mean(rows, column, row) -> None:
    """docs/METHODS.md section 1: don't know is missing, never the midpoint."""
    df = pd.DataFrame(
        [[np.nan if a is None else a for a in r] for r in rows], columns=list("abcd"), dtype=float
    )
    dims = {"all": list("abcd")}
    before = S.dimension_scores(df, dims).scores["all"]
    extra = df.copy()
    extra.loc[len(extra)] = np.nan  # a respondent who said "don't know" to everything
    after = S.dimension_scores(extra, dims).scores["all"]
    assert math.isnan(after.iloc[-1])
    m_before = S.mean_ci(before, clip=None).mean
    m_after = S.mean_ci(after, clip=None).mean
    assert (math.isnan(m_before) and math.isnan(m_after)) or m_before == pytest.approx(m_after)


def test_share_incomplete() -> None:
    df = pd.DataFrame({"a": [1, 2, np.nan, 4.0], "b": [1, np.nan, 3, 4.0], "c": [1, 2, 3, 4.0]})
    res = S.dimension_scores(df, {"d": ["a", "b", "c"]})
    assert res.share_incomplete["d"] == pytest.approx(0.5)


# --- section 2 ---------------------------------------------------------------
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


# --- section 3 ---------------------------------------------------------------
MEDIAN_DATA = [2.5, 3, 3.25, 3.5, 3.5, 3.75, 4, 4.25, 4.5]


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


# --- section 4 ---------------------------------------------------------------
PO_A_UNPAIRED = [20, 21, 16, 18, 14, 12, 14, 17]
PO_A_PAIRED = [14, 15, 18, 20, 11, 19, 14, 15]
PO_B_UNPAIRED = [10, 16, 18, 16, 15, 14, 13, 10]
PO_B_PAIRED = [15, 10, 15, 17, 13, 19, 12, 13]


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


@pytest.mark.parametrize(
    ("args", "kwargs", "verdict"),
    [
        ((8.0, 0.01, 2.0, 14.0), {"n_before": 4, "n_after": 20}, "too_few"),
        ((8.0, 0.01, 2.0, 14.0), {"n_before": 12, "n_after": 12}, "improved"),
        ((3.0, 0.01, 1.0, 5.0), {"n_before": 40, "n_after": 40}, "slightly_improved"),
        ((-9.0, 0.001, -14.0, -4.0), {"n_before": 12, "n_after": 12}, "declined"),
        ((-2.0, 0.03, -3.9, -0.6), {"n_before": 40, "n_after": 40}, "slightly_declined"),
        # printed "-4 to 0": the interval as shown holds zero, whatever the p-value says
        ((-2.0, 0.03, -3.9, -0.1), {"n_before": 40, "n_after": 40}, "no_detectable_change"),
        ((6.0, 0.03, 0.03, 12.0), {"n_before": 12, "n_after": 12}, "no_detectable_change"),
        # the interval leaves out zero, the Holm-adjusted p does not hold
        ((-16.0, 0.09, -27.0, -4.0), {"n_before": 12, "n_after": 12}, "possibly_declined"),
        ((15.0, 0.12, 2.0, 28.0), {"n_before": 12, "n_after": 12}, "possibly_improved"),
        ((2.0, 0.40, -8.0, 12.0), {"n_before": 12, "n_after": 12}, "no_detectable_change"),
        ((8.0, 0.20, -1.0, 17.0), {"n_before": 12, "n_after": 12}, "no_detectable_change"),
        (
            (8.0, 0.01, 2.0, 14.0),
            {"n_before": 12, "n_after": 12, "robust_p_adjusted": 0.2},
            "inconclusive",
        ),
        (
            (8.0, 0.20, -1.0, 17.0),
            {"n_before": 12, "n_after": 12, "robust_p_adjusted": 0.01},
            "inconclusive",
        ),
        ((6.0, 0.01, 2.0, 10.0), {"n_before": 12, "n_after": 12, "mid": 10.0}, "slightly_improved"),
    ],
)
def test_change_verdicts(args, kwargs, verdict) -> None:
    """docs/METHODS.md section 8: verdict words (never "unchanged")."""
    assert S.change_verdict(*args, **kwargs) == verdict
    assert verdict in S.VERDICTS
    group = S.change_verdict(*args, **kwargs, groups=True)
    assert group == S.GROUP_VERDICT.get(S.Verdict(verdict), verdict)
    assert (S.verdict_note(verdict) == "holm") == verdict.startswith("possibly")


def test_verdict_reads_the_interval_as_printed() -> None:
    """docs/METHODS.md section 8: rounded as Python formats it, half to even."""
    assert not S.printed_excludes_zero(0.03, 12.0)  # "0 to +12"
    assert not S.printed_excludes_zero(0.5, 12.0)  # "0 to +12" (half to even)
    assert S.printed_excludes_zero(0.51, 12.0)  # "+1 to +12"
    assert not S.printed_excludes_zero(-8.0, -0.5)
    assert S.printed_excludes_zero(-8.0, -1.49)
    assert not S.printed_excludes_zero(float("nan"), 3.0)


def test_group_verdicts_name_the_higher_side() -> None:
    assert S.higher_side("possibly_higher", "a", "b") == "a"
    assert S.higher_side("slightly_lower", "a", "b") == "b"
    assert S.higher_side("no_detectable_difference", "a", "b") is None
    assert S.higher_side("inconclusive", "a", "b") is None


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


# --- section 5 ---------------------------------------------------------------
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


# --- section 6 ---------------------------------------------------------------
def _wines() -> pd.DataFrame:
    rows = [(w + 1, judge, s) for judge, scores in ICC_WINES.items() for w, s in enumerate(scores)]
    return pd.DataFrame(rows, columns=["wine", "judge", "score"])


def test_icc_golden() -> None:
    """docs/METHODS.md section 6, golden from pingouin's icc data grouped by Wine."""
    res = S.icc_oneway(_wines(), dv="score", group="wine")
    assert res.f == pytest.approx(11.68, abs=5e-3)
    assert (res.df_between, res.df_within) == (7, 24)
    assert res.icc1 == pytest.approx(0.7275, abs=5e-5)
    assert res.icc2 == pytest.approx(0.9144, abs=5e-5)
    assert res.can_be_told_apart


def test_kruskal_matches_scipy() -> None:
    wines = _wines()
    groups = [g["score"].to_numpy() for _, g in wines.groupby("wine")]
    ref = sps.kruskal(*groups)
    res = S.kruskal_wallis(wines, dv="score", group="wine", seed=2)
    assert res.statistic == pytest.approx(ref.statistic)
    assert res.method == "permutation"
    assert res.p == pytest.approx(ref.pvalue, abs=0.01)


def test_funnel_golden() -> None:
    """docs/METHODS.md section 6, golden (Spiegelhalter 2005, no winsorising)."""
    res = S.funnel([70, 62, 75, 58, 66, 80], [8, 25, 12, 30, 6, 15], sigma=18, winsorise=False)
    assert round(res.centre, 2) == 66.10
    assert round(res.phi, 2) == 3.27
    assert round(res.tau2, 1) == 63.0
    first = res.table.iloc[0]
    assert (round(first["lower95"], 1), round(first["upper95"], 1)) == (46.2, 86.0)
    assert set(res.table["position95"]) <= {"within", "above", "below"}


def test_funnel_winsorising_and_positions() -> None:
    means = [50, 52, 48, 51, 49, 50, 53, 47, 50, 90]
    ns = [20] * 10
    plain = S.funnel(means, ns, sigma=10, winsorise=False)
    wins = S.funnel(means, ns, sigma=10, winsorise=True)
    assert wins.phi < plain.phi
    assert wins.table["position998"].iloc[-1] == "above"
    assert (wins.table["position95"].iloc[:-1] == "within").all()


def test_rank_groups_never_rank() -> None:
    res = S.rank_groups([70, 69, 71, 40], [10, 10, 10, 10], [30, 30, 30, 30])
    assert set(res["group"]) <= {"top", "middle", "bottom"}
    assert res["group"].iloc[3] == "bottom"
    assert (res["rank_low"] <= res["rank_high"]).all()


def test_bad_input_raises_input_error() -> None:
    with pytest.raises(InputError):
        S.cronbach_alpha([[1, 2, 3]], nan_policy="everything")
    with pytest.raises(InputError):
        S.mean_ci([1, 2, 3], ci=1.5)
    with pytest.raises(InputError):
        S.funnel([1, 2], [3], sigma=1)
    with pytest.raises(InputError):
        S.paired_test([1, 2, 3], [1, 2])


# --- several columns at once give each column's one-column answer (missing values, keys) ---
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


# --- the golden numbers through the vectorised functions that score a round ---------
# Every one-sample function above is one of these on one column; here the golden data sit
# in one column of several, so a column never borrows from its neighbours.
def _beside(values, rng: np.random.Generator, n: int | None = None) -> np.ndarray:
    """The values as column 0 of a three-column matrix; the other columns are noise with gaps."""
    col = np.asarray(values, dtype=float)
    noise = rng.integers(0, 9, size=(col.size if n is None else n, 2)) * 12.5
    noise[rng.random(noise.shape) < 0.2] = np.nan
    if n is not None and n != col.size:
        col = np.concatenate([col, np.full(n - col.size, np.nan)])
    return np.column_stack([col, noise])


def test_change_tests_golden_in_a_column() -> None:
    """docs/METHODS.md section 4: sleep data (paired and Welch) and Derrick's partially overlapping."""
    rng = np.random.default_rng(1)
    before, after = _beside(SLEEP_2, rng), _beside(SLEEP_1, rng)
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
    before = _beside(PO_B_UNPAIRED + PO_B_PAIRED, rng)
    after = _beside(PO_A_UNPAIRED + PO_A_PAIRED, rng)
    pos = np.arange(8, 16)
    for equal_var, golden in ((False, (2.4191, 18.42, 0.0261)), (True, (2.4207, 18.5, 0.0260))):
        res = S.change_tests(before, after, pos, pos, equal_var=equal_var)
        assert res.method[0] == "partially_overlapping"
        assert res.t[0] == pytest.approx(golden[0], abs=5e-5)
        assert res.df[0] == pytest.approx(golden[1], abs=5e-3)
        assert res.p[0] == pytest.approx(golden[2], abs=5e-5)


def test_gap_columns_golden_in_a_column() -> None:
    """docs/METHODS.md section 5: Cliff's delta -0.25 [-0.7266, 0.3890], Brunner-Munzel p = .453."""
    rng = np.random.default_rng(2)
    res = S.gap_columns(_beside(CLIFF_X, rng), _beside(CLIFF_Y, rng, n=9))
    assert res.delta[0] == -0.25
    assert (res.delta_ci_low[0], res.delta_ci_high[0]) == pytest.approx((-0.7266, 0.3890), abs=5e-5)
    assert round(res.bm_p[0], 3) == 0.453
    ref = sps.ttest_ind(CLIFF_X, CLIFF_Y, equal_var=False)
    assert res.welch_p[0] == pytest.approx(ref.pvalue)


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


def test_interval_columns_golden_in_a_column() -> None:
    """docs/METHODS.md section 3: median CI [3.0, 4.25], mean CI [3.10, 4.06], Wilson [0.354, 0.879]."""
    rng = np.random.default_rng(4)
    x = _beside(MEDIAN_DATA, rng)
    n, mean, sd = S.column_moments(x)
    low, high = S.t_interval(n, mean, sd, clip=None)
    assert (round(low[0], 2), round(high[0], 2)) == (3.10, 4.06)
    median, m_low, m_high = S.sorted_median_ci(np.sort(x, axis=0), n)
    assert (median[0], m_low[0], m_high[0]) == (3.5, 3.0, 4.25)
    w_low, w_high = S.wilson_ci(np.array([6, 3]), np.array([9, 40]))
    assert (round(w_low[0], 3), round(w_high[0], 3)) == (0.354, 0.879)
