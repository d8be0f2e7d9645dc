"""Tests of surveycoal.stats.coalitions: comparing coalitions (docs/METHODS.md section 6)."""

from __future__ import annotations

import pandas as pd
import pytest
from scipy import stats as sps
from stats_data import (
    ICC_WINES,
)

import surveycoal.stats as S


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
