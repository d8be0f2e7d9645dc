"""Tests of surveycoal.stats.items: a respondent's dimension score (docs/METHODS.md section 1)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import surveycoal.stats as S
from surveycoal.errors import InputError

FAST = settings(max_examples=40, deadline=None)


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
