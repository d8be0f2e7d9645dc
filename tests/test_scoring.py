"""Tests of surveycoal.scoring: results over RoundData, anonymity inside every output,
JSON shapes, verdicts and determinism."""

from __future__ import annotations

import dataclasses
import json
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scoring_factories import (
    CHANGE_KEYS,
    GAP_KEYS,
    MEMBER_TYPES,
    ROUND_KEYS,
    demo_results,
    demo_rounds,
    make_instrument,
    make_panel_rounds,
    make_round_data,
)
from scoring_factories import DIMENSION_KEYS as CONTRACT_DIMENSION_KEYS
from scoring_factories import ITEM_KEYS as CONTRACT_ITEM_KEYS
from scoring_factories import TYPE_KEYS as CONTRACT_TYPE_KEYS

import surveycoal.stats as S
from surveycoal import export, scoring
from surveycoal.errors import InputError, PrivacyError
from surveycoal.instruments import PrivacySettings

INSTRUMENT = make_instrument()
# the documented JSON contract, plus the reasons that say why a figure is hidden
DIMENSION_KEYS = CONTRACT_DIMENSION_KEYS | {"suppressed_reason", "gap_reason"}
TYPE_KEYS = CONTRACT_TYPE_KEYS | {"suppressed_reason"}
ITEM_KEYS = CONTRACT_ITEM_KEYS | {"suppressed_reason"}
NUMBERS = (
    "n",
    "mean",
    "sd",
    "ci_low",
    "ci_high",
    "median",
    "median_ci_low",
    "median_ci_high",
    "alpha",
    "alpha_ci_low",
    "alpha_ci_high",
    "rwg",
    "rwg_cutoff",
    "dont_know",
    "share_incomplete",
    "agree",
    "neutral",
    "disagree",
)


def rng(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(seed)


def types(**counts: int) -> list[str]:
    return [name for name, n in counts.items() for _ in range(n)]


def dumps(obj: dict) -> str:
    return json.dumps(obj, allow_nan=False)


# --- score_round --------------------------------------------------------------
def test_round_json_shape() -> None:
    # municipality 3 + other 2 are hidden but together reach the minimum of 5
    data = make_round_data(
        INSTRUMENT,
        26,
        rng(1),
        dont_know_rate=0.0,
        member_types=types(
            resident_initiative=11, welfare_organisation=10, municipality=3, other=2
        ),
    )
    out = scoring.score_round(data).to_json()
    dumps(out)
    assert ROUND_KEYS <= set(out)
    assert set(out["instrument"]) == {"id", "version", "hash"}
    assert out["instrument"]["hash"] == INSTRUMENT.content_hash
    assert out["n_responses"] == 26 and out["min_group"] == 5
    assert [d["id"] for d in out["dimensions"]] == [d.id for d in INSTRUMENT.dimensions]
    for dim in out["dimensions"]:
        assert DIMENSION_KEYS <= set(dim)
        assert set(dim["by_member_type"]) == set(MEMBER_TYPES)
        for cell in dim["by_member_type"].values():
            assert TYPE_KEYS <= set(cell)
        assert dim["gap"] is not None and GAP_KEYS <= set(dim["gap"])
        assert 0 <= dim["ci_low"] <= dim["mean"] <= dim["ci_high"] <= 100
        muni = dim["by_member_type"]["municipality"]
        assert muni["suppressed"] and muni["n"] is None and muni["mean"] is None
        assert muni["suppressed_reason"] == "below_minimum"
    assert len(out["items"]) == 32
    for item in out["items"]:
        assert ITEM_KEYS <= set(item)
        assert item["suppressed"] is False
        assert item["agree"] + item["neutral"] + item["disagree"] == pytest.approx(1)


def test_round_under_minimum_shows_no_numbers() -> None:
    """docs/METHODS.md section 7: a round with fewer than min_group responses shows nothing."""
    data = make_round_data(INSTRUMENT, 4, rng(2))
    res = scoring.score_round(data)
    out = res.to_json()
    dumps(out)
    assert out["suppressed"] and out["suppressed_reason"] == "below_minimum"
    assert out["n_responses"] is None and out["response_rate"] is None  # not even its size
    # decided in the result itself, not only in its JSON: no caller can show the size
    assert res.n_responses is None and res.response_rate is None
    for dim in out["dimensions"]:
        assert dim["suppressed"] and dim["suppressed_reason"] == "below_minimum"
        assert all(dim.get(k) is None for k in NUMBERS)
        assert dim["gap"] is None
        assert all(c["n"] is None and c["mean"] is None for c in dim["by_member_type"].values())
    for item in out["items"]:
        assert item["suppressed"] and item["n"] is None and item["agree"] is None
    assert out["equality_index"] is None


def test_empty_round() -> None:
    data = make_round_data(INSTRUMENT, 0, rng(2))
    out = scoring.score_round(data).to_json()
    dumps(out)
    assert out["suppressed"] and out["suppressed_reason"] == "no_responses"


def test_complementary_suppression_of_member_types() -> None:
    """docs/METHODS.md section 7: 9 = 3 + 6 shows only the total; the gap needs both parts."""
    data = make_round_data(
        INSTRUMENT,
        9,
        rng(3),
        dont_know_rate=0.0,
        member_types=types(resident_initiative=6, welfare_organisation=3),
    )
    out = scoring.score_round(data).to_json()
    for dim in out["dimensions"]:
        assert not dim["suppressed"] and dim["n"] == 9
        cells = dim["by_member_type"]
        assert cells["welfare_organisation"]["suppressed_reason"] == "below_minimum"
        assert cells["resident_initiative"]["suppressed_reason"] == "complementary"
        assert cells["resident_initiative"]["n"] is None
        assert dim["gap"] is None and dim["gap_reason"] == "part_below_minimum"
    assert out["member_types"]["resident_initiative"]["suppressed"]


def test_gap_shown_with_two_groups_of_five() -> None:
    data = make_round_data(
        INSTRUMENT,
        10,
        rng(4),
        dont_know_rate=0.0,
        member_types=types(resident_initiative=5, welfare_organisation=5),
        type_shift={"resident_initiative": -0.8},
    )
    res = scoring.score_round(data)
    scores = scoring.respondent_scores(data)
    for dim in res.dimensions:
        assert dim.gap is not None and dim.gap.test == "permutation"
        r = scores.loc[scores["member_type"] == "resident_initiative", dim.id]
        w = scores.loc[scores["member_type"] == "welfare_organisation", dim.id]
        assert dim.gap.diff == pytest.approx(r.mean() - w.mean())
        ref = S.cliffs_delta(r, w)
        assert dim.gap.cliffs_delta == pytest.approx(ref.delta)
        assert dim.gap.equality_index == pytest.approx(100 * (1 - abs(ref.delta)))
    assert res.equality_index == pytest.approx(
        np.mean([d.gap.equality_index for d in res.dimensions])
    )


def _equality_round(n_each: int, seed: int, shift: float = -0.5):  # type: ignore[no-untyped-def]
    return make_round_data(
        INSTRUMENT,
        2 * n_each,
        rng(seed),
        dont_know_rate=0.0,
        member_types=types(resident_initiative=n_each, welfare_organisation=n_each),
        type_shift={"resident_initiative": shift},
    )


def test_the_overall_equality_index_has_its_own_interval() -> None:
    """docs/METHODS.md section 5: Bonferroni over the K dimensions with a shown gap, each
    dimension's index interval at level 1 - 0.05 / K, and the mean of their bounds."""
    for seed in range(6):
        data = _equality_round(12, seed)
        res = scoring.score_round(data)
        gaps = [d.gap for d in res.dimensions if d.gap is not None]
        assert gaps and res.equality_index is not None
        low, high = res.equality_index_ci_low, res.equality_index_ci_high
        assert low is not None and high is not None
        assert 0 <= low <= res.equality_index <= high <= 100
        out = res.to_json()
        assert (out["equality_index_ci_low"], out["equality_index_ci_high"]) == (low, high)
        # the bound of the mean, from the dimensions' wider intervals, by hand
        level = 1 - 0.05 / len(gaps)
        scores = scoring.respondent_scores(data)
        lows = []
        for d in res.dimensions:
            r = scores.loc[scores["member_type"] == "resident_initiative", d.id].dropna()
            w = scores.loc[scores["member_type"] == "welfare_organisation", d.id].dropna()
            ref = S.cliffs_delta(r, w, ci=level)
            lows.append(S.equality_index(ref.delta, ref.ci_low, ref.ci_high).ci_low)
        assert low == pytest.approx(np.mean(lows))
        # never narrower than a single dimension's 95% interval would make it
        assert low <= np.mean([g.ei_ci_low for g in gaps])


def test_the_overall_equality_interval_narrows_with_more_respondents() -> None:
    def width(n_each: int) -> float:
        widths = []
        for seed in range(4):
            res = scoring.score_round(_equality_round(n_each, 100 + seed))
            assert res.equality_index_ci_low is not None
            assert res.equality_index_ci_high is not None
            widths.append(res.equality_index_ci_high - res.equality_index_ci_low)
        return float(np.mean(widths))

    small, large = width(8), width(60)
    assert large < small * 0.7


def test_the_overall_equality_interval_is_hidden_with_the_index() -> None:
    data = make_round_data(
        INSTRUMENT,
        12,
        rng(9),
        member_types=types(resident_initiative=4, welfare_organisation=8),
    )
    res = scoring.score_round(data)
    assert res.equality_index is None and res.equality_index_reason is not None
    assert res.equality_index_ci_low is None and res.equality_index_ci_high is None
    out = res.to_json()
    assert out["equality_index_ci_low"] is None and out["equality_index_ci_high"] is None
    # a round under its minimum shows neither
    tiny = scoring.score_round(make_round_data(INSTRUMENT, 3, rng(9)))
    assert tiny.equality_index_ci_low is None and tiny.equality_index_ci_high is None


def test_gap_uses_brunner_munzel_from_ten() -> None:
    data = make_round_data(
        INSTRUMENT,
        24,
        rng(5),
        dont_know_rate=0.0,
        member_types=types(resident_initiative=12, welfare_organisation=12),
    )
    res = scoring.score_round(data)
    assert {d.gap.test for d in res.dimensions} == {"brunner_munzel"}


def test_differencing_between_total_and_a_member_type() -> None:
    """With a minimum of 3, 11 residents + 2 others would let total - residents show the 2."""
    privacy = PrivacySettings(min_group=3, min_item_distribution=10, min_free_text=10)
    data = make_round_data(
        INSTRUMENT,
        13,
        rng(6),
        dont_know_rate=0.0,
        privacy=privacy,
        member_types=types(resident_initiative=11, other=2),
    )
    out = scoring.score_round(data).to_json()
    for dim in out["dimensions"]:
        cells = dim["by_member_type"]
        assert cells["other"]["suppressed_reason"] == "below_minimum"
        assert cells["resident_initiative"]["suppressed"]


def test_items_need_ten_answers() -> None:
    """docs/METHODS.md section 7: below n = 10 dimension scores only, no item distributions."""
    data = make_round_data(INSTRUMENT, 8, rng(7))
    out = scoring.score_round(data).to_json()
    assert not out["dimensions"][0]["suppressed"]
    assert out["dimensions"][0]["agree"] is None  # bands are a distribution too
    assert out["dimensions"][0]["bands_reason"] == "too_few_for_items"
    for item in out["items"]:
        assert item["suppressed_reason"] == "too_few_for_items"
        assert item["n"] is None and item["agree"] is None and item["dont_know"] is None


def test_item_with_many_dont_knows_is_suppressed() -> None:
    data = make_round_data(INSTRUMENT, 12, rng(8), dont_know_rate=0.0)
    values = data.values.copy()
    dk = data.dont_know.copy()
    values.iloc[:4, 0] = np.nan
    dk.iloc[:4, 0] = True
    data = type(data)(**{**data.__dict__, "values": values, "dont_know": dk})
    out = scoring.score_round(data).to_json()
    first = out["items"][0]
    assert first["suppressed_reason"] == "too_few_for_items" and first["agree"] is None
    assert first["dont_know"] == pytest.approx(4 / 12)
    assert out["items"][1]["suppressed"] is False


def test_dont_know_rates_per_member_type_follow_complementary_suppression() -> None:
    """docs/METHODS.md section 7 at the item threshold (10): with 14 + 10 shown and 6 + 2 hidden,
    the round's rate minus the two shown rates would give the rate of the other 8, so the
    smaller shown type is hidden too (the round's total n stays shown)."""
    data = make_round_data(
        INSTRUMENT,
        32,
        rng(16),
        dont_know_rate=0.2,
        member_types=types(
            resident_initiative=14, welfare_organisation=10, municipality=6, other=2
        ),
    )
    out = scoring.score_round(data).to_json()
    for item in out["items"]:
        assert item["dont_know"] is not None
        rates = item["dont_know_by_member_type"]
        assert rates["resident_initiative"] is not None
        assert rates["welfare_organisation"] is None
        assert rates["municipality"] is None and rates["other"] is None
    # member-type scores use the minimum group (5): the residents and professionals show
    cells = out["dimensions"][0]["by_member_type"]
    assert not cells["welfare_organisation"]["suppressed"]
    assert cells["municipality"]["n"] is None and cells["other"]["n"] is None


def test_dont_know_rates_and_incomplete_share() -> None:
    data = make_round_data(
        INSTRUMENT,
        30,
        rng(9),
        dont_know_rate=0.2,
        member_types=types(resident_initiative=15, welfare_organisation=15),
    )
    res = scoring.score_round(data)
    dim = res.dimensions[0]
    items = [i.id for i in INSTRUMENT.items_in(dim.id)]
    expected = data.dont_know[items].to_numpy().mean()
    assert dim.dont_know == pytest.approx(expected)
    resid = data.responses["member_type"] == "resident_initiative"
    assert dim.by_member_type["resident_initiative"].dont_know == pytest.approx(
        data.dont_know.loc[resid, items].to_numpy().mean()
    )
    scores = scoring.respondent_scores(data)
    valid = scores[dim.id].notna()
    assert dim.share_incomplete == pytest.approx(
        (scores.loc[valid, f"n_items_{dim.id}"] < 4).mean()
    )
    assert res.items[0].dont_know == pytest.approx(data.dont_know.iloc[:, 0].mean())


def test_round_numbers_match_stats() -> None:
    data = make_round_data(INSTRUMENT, 26, rng(10))
    res = scoring.score_round(data)
    scores = scoring.respondent_scores(data)
    for dim in res.dimensions:
        m = S.mean_ci(scores[dim.id])
        med = S.median_ci(scores[dim.id])
        assert (dim.n, dim.mean, dim.ci_low, dim.ci_high) == pytest.approx(
            (m.n, m.mean, m.ci_low, m.ci_high)
        )
        assert (dim.median, dim.median_ci_low, dim.median_ci_high) == pytest.approx(
            (med.median, med.ci_low, med.ci_high), nan_ok=True
        )
        items = [i.id for i in INSTRUMENT.items_in(dim.id)]
        keyed = data.values[items].copy()
        for item in INSTRUMENT.items_in(dim.id):
            if item.reverse:
                keyed[item.id] = 6 - keyed[item.id]
        rel = S.cronbach_alpha(keyed)
        assert dim.alpha_source == "coalition"
        assert dim.alpha == pytest.approx(rel.alpha)
        assert dim.rwg == pytest.approx(S.rwg_j(data.values[items]))
        assert dim.shared_view == S.shared_view(dim.rwg, dim.n, 4)


def test_alpha_only_from_twenty_or_pooled() -> None:
    """docs/METHODS.md section 2: own alpha when n >= 20, otherwise pooled over the programme."""
    small = make_round_data(INSTRUMENT, 12, rng(11))
    res = scoring.score_round(small)
    assert all(d.alpha is None and "imprecise" in d.alpha_flags for d in res.dimensions)
    others = [make_round_data(INSTRUMENT, 15, rng(20 + i), coalition=f"c{i}") for i in range(4)]
    pooled = scoring.pooled_reliability([small, *others])
    res = scoring.score_round(small, pooled_alpha=pooled)
    for dim in res.dimensions:
        assert dim.alpha_source == "pooled"
        assert dim.alpha == pytest.approx(pooled[dim.id].alpha)
        assert "imprecise" not in dim.alpha_flags
    out = res.to_json()
    assert out["dimensions"][0]["alpha_source"] == "pooled"


def test_two_item_dimension_uses_spearman_brown() -> None:
    inst = make_instrument(n_dimensions=2, items_per_dimension=[2, 4])
    data = make_round_data(inst, 30, rng(12), dont_know_rate=0.0)
    res = scoring.score_round(data)
    first = res.dimensions[0]
    a = data.values.iloc[:, 0]
    b = 6 - data.values.iloc[:, 1]
    r = np.corrcoef(a, b)[0, 1]
    assert first.alpha == pytest.approx(2 * r / (1 + r))


def test_determinism_with_a_seed() -> None:
    data = make_round_data(
        INSTRUMENT,
        14,
        rng(13),
        open_answers=[f"t{i}" for i in range(11)],
        member_types=types(resident_initiative=7, welfare_organisation=7),
    )
    a = dumps(scoring.score_round(data, seed=5).to_json())
    b = dumps(scoring.score_round(data, seed=5).to_json())
    assert a == b
    c = scoring.score_round(data, seed=6).to_json()
    assert c["open_answers"][0]["texts"] != json.loads(a)["open_answers"][0]["texts"]


def test_open_answers_need_ten() -> None:
    few = make_round_data(INSTRUMENT, 20, rng(14), open_answers=["a"] * 9)
    out = scoring.score_round(few).to_json()
    assert out["open_answers"][0]["texts"] is None
    assert out["open_answers"][0]["suppressed_reason"] == "too_few_for_text"
    many = make_round_data(INSTRUMENT, 20, rng(14), open_answers=[f"x{i}" for i in range(10)])
    out = scoring.score_round(many).to_json()
    assert sorted(out["open_answers"][0]["texts"]) == sorted(f"x{i}" for i in range(10))


def test_a_respondent_who_knows_nothing_changes_no_mean() -> None:
    """docs/METHODS.md section 1: don't know is missing, never the midpoint."""
    data = make_round_data(INSTRUMENT, 15, rng(15))
    before = scoring.score_round(data)
    values = pd.concat(
        [data.values, pd.DataFrame(np.nan, index=["extra"], columns=data.values.columns)]
    )
    dk = pd.concat(
        [data.dont_know, pd.DataFrame(True, index=["extra"], columns=data.dont_know.columns)]
    )
    responses = pd.concat(
        [
            data.responses,
            pd.DataFrame({"member_type": ["other"], "panel_key": [None]}, index=["extra"]),
        ]
    )
    more = type(data)(
        **{**data.__dict__, "values": values, "dont_know": dk, "responses": responses}
    )
    after = scoring.score_round(more)
    for d0, d1 in zip(before.dimensions, after.dimensions, strict=True):
        assert d1.mean == pytest.approx(d0.mean) and d1.n == d0.n


def test_bad_input_raises() -> None:
    data = make_round_data(INSTRUMENT, 6, rng(16))
    wrong = data.values.copy()
    wrong.iloc[0, 0] = 9
    with pytest.raises(InputError):
        scoring.score_round(type(data)(**{**data.__dict__, "values": wrong}))
    with pytest.raises(InputError):
        scoring.score_round(type(data)(**{**data.__dict__, "values": data.values.iloc[:, 1:]}))
    with pytest.raises(InputError):
        scoring.score_round(
            type(data)(**{**data.__dict__, "privacy": PrivacySettings(min_group=2)})
        )


# --- the anonymity property ---------------------------------------------------
@st.composite
def rounds(draw: st.DrawFn):
    n = draw(st.integers(0, 30))
    codes = draw(st.lists(st.integers(0, 3), min_size=n, max_size=n))
    min_group = draw(st.integers(3, 7))
    dk_rate = draw(st.sampled_from([0.0, 0.1, 0.4]))
    seed = draw(st.integers(0, 10_000))
    privacy = PrivacySettings(
        min_group=min_group,
        min_item_distribution=max(10, min_group),
        min_free_text=max(10, min_group),
    )
    return make_round_data(
        INSTRUMENT,
        n,
        rng(seed),
        dont_know_rate=dk_rate,
        privacy=privacy,
        member_types=[MEMBER_TYPES[c] for c in codes],
    )


@st.composite
def rounds_by_type_size(draw: st.DrawFn):
    """Rounds drawn by the size of each member type, so that every mix of large, small and
    empty groups (around both thresholds, 5 and 10) comes up."""
    counts = draw(st.lists(st.integers(0, 14), min_size=4, max_size=4))
    seed = draw(st.integers(0, 10_000))
    min_group = draw(st.sampled_from([3, 5, 6]))
    privacy = PrivacySettings(min_group=min_group, min_item_distribution=10, min_free_text=10)
    return make_round_data(
        INSTRUMENT,
        sum(counts),
        rng(seed),
        dont_know_rate=draw(st.sampled_from([0.0, 0.15])),
        privacy=privacy,
        member_types=[t for t, n in zip(MEMBER_TYPES, counts, strict=True) for _ in range(n)],
    )


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rounds())
def test_no_output_reveals_a_group_below_the_minimum(data) -> None:
    """Recompute every cell's size from the data: shown cells reach the minimum, hidden
    member types together are 0 or reach it, nested shown cells differ by 0 or >= minimum,
    and a suppressed cell carries no number at all."""
    check_round_anonymity(data)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rounds_by_type_size())
def test_no_mix_of_member_types_reveals_a_small_group(data) -> None:
    """The same check over every mix of group sizes, including the item threshold."""
    check_round_anonymity(data)


def check_round_anonymity(data) -> None:  # type: ignore[no-untyped-def]
    out = scoring.score_round(data).to_json()
    dumps(out)
    m = data.privacy.min_group
    scores = scoring.respondent_scores(data)
    member = data.responses["member_type"].reindex(scores.index)
    round_hidden = data.n_responses < m
    for dim in out["dimensions"]:
        valid = scores[dim["id"]].notna()
        total = int(valid.sum())
        if dim["suppressed"]:
            assert all(dim.get(k) is None for k in NUMBERS) and dim["gap"] is None
        else:
            assert not round_hidden and dim["n"] == total >= m
        hidden_sum = 0
        for name, cell in dim["by_member_type"].items():
            size = int((valid & (member == name)).sum())
            if cell["suppressed"]:
                assert cell["n"] is None and cell["mean"] is None and cell["ci_low"] is None
                hidden_sum += size
            else:
                assert not dim["suppressed"] and cell["n"] == size >= m
                assert total - size == 0 or total - size >= m  # differencing
        if not dim["suppressed"]:
            assert hidden_sum == 0 or hidden_sum >= m  # complementary
        if dim["gap"] is not None:
            for name in (scoring.RESIDENT, scoring.PROFESSIONAL):
                cell = dim["by_member_type"][name]
                assert not cell["suppressed"] and cell["n"] >= max(m, 5)
        if dim["agree"] is not None:
            assert total >= data.privacy.min_item_distribution
    for item in out["items"]:
        if item["suppressed"]:
            assert item["n"] is None and item["agree"] is None
        else:
            valid_n = int(data.values[item["id"]].notna().sum())
            assert item["n"] == valid_n >= data.privacy.min_item_distribution
        item_min = max(data.privacy.min_item_distribution, m)
        hidden_rates = 0
        for name, rate in item["dont_know_by_member_type"].items():
            size = int((member == name).sum())
            if rate is not None:
                assert size >= item_min
            else:
                hidden_rates += size
        if item["dont_know"] is not None:
            # the round's rate minus the shown types' rates must not isolate a small group
            assert hidden_rates == 0 or hidden_rates >= item_min
    for name, cell in out["member_types"].items():
        if not cell["suppressed"]:
            assert cell["n"] == int((member == name).sum()) >= m


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(rounds(), rounds_by_type_size()))
def test_no_export_reveals_a_group_below_the_minimum(data) -> None:
    """The same property for the exports: the scores table and the answers, row by row."""
    m = data.privacy.min_group
    item_min = max(data.privacy.min_item_distribution, m)
    member = data.responses["member_type"]
    sheets = export.scores_sheets(scoring.score_round(data))
    for row in sheets["scores"].to_dict("records"):
        figures = [row[k] for k in ("n", "score", "ci_low", "ci_high", "dont_know")]
        if row["suppressed"]:
            assert all(pd.isna(v) for v in figures)
            assert row["reason"] and not any(ch.isdigit() for ch in row["reason"])
        else:
            assert row["n"] >= m and pd.isna(row["reason"])
            if row["group"] != "all":
                assert row["n"] <= int((member == row["group"]).sum())
    for row in sheets["items"].to_dict("records"):
        if row["suppressed"]:
            assert pd.isna(row["n"]) and pd.isna(row["agree"])
        else:
            assert row["n"] >= item_min
    if data.n_responses < item_min:
        with pytest.raises(PrivacyError):
            scoring.responses_for_export(data)
        return
    frame = scoring.responses_for_export(data)
    assert len(frame) == data.n_responses
    labelled = frame["member_type"].dropna()
    for name, count in labelled.value_counts().items():
        assert count == int((member == name).sum()) >= item_min
    blank = int(frame["member_type"].isna().sum())
    assert blank == 0 or blank >= item_min


# --- compare_rounds -------------------------------------------------------------
def test_change_json_shape_and_verdicts() -> None:
    before, after = make_panel_rounds(
        INSTRUMENT, 30, 30, 18, rng(20), shift={"trust": 1.2, "equality": -1.2}
    )
    change = scoring.compare_rounds(before, after, seed=3)
    out = change.to_json()
    dumps(out)
    assert {"coalition", "from", "to", "changes"} <= set(out)
    assert (out["from"], out["to"]) == (1, 2)
    by_dim = {c["dimension"]: c for c in out["changes"]}
    for c in out["changes"]:
        assert CHANGE_KEYS <= set(c)
        assert c["verdict"] in S.VERDICTS
        assert 0 < c["n_linked"] <= 18  # a pair needs both rounds' scores
        assert c["p_adjusted"] >= c["p"]
    assert by_dim["trust"]["verdict"] == "improved"
    assert by_dim["equality"]["verdict"] == "declined"
    assert by_dim["trust"]["effect_size"] > 0


def test_change_designs() -> None:
    """docs/METHODS.md section 4: Welch without links, paired when all are linked, else overlap."""
    before, after = make_panel_rounds(INSTRUMENT, 12, 14, 8, rng(21))
    res = scoring.compare_rounds(before, after)
    assert {c.method for c in res.changes} <= {"partially_overlapping", "welch"}
    scores_a = scoring.respondent_scores(before)
    scores_b = scoring.respondent_scores(after)
    first = res.changes[0]
    ref = S.change_test(
        scores_a[first.dimension],
        scores_b[first.dimension],
        before_keys=before.responses["panel_key"].tolist(),
        after_keys=after.responses["panel_key"].tolist(),
    )
    assert (first.diff, first.ci_low, first.ci_high, first.p) == pytest.approx(
        (ref.diff, ref.ci_low, ref.ci_high, ref.p)
    )
    unlinked = type(after)(
        **{**after.__dict__, "responses": after.responses.assign(panel_key=None)}
    )
    assert {c.method for c in scoring.compare_rounds(before, unlinked).changes} == {"welch"}
    b2, a2 = make_panel_rounds(INSTRUMENT, 12, 12, 12, rng(22))
    methods = {c.method for c in scoring.compare_rounds(b2, a2).changes}
    assert "paired" in methods


@pytest.mark.parametrize(("min_before", "min_after"), [(5, 8), (8, 5), (6, 6)])
def test_the_linked_count_is_protected_once_by_the_larger_minimum(
    min_before: int, min_after: int
) -> None:
    """docs/METHODS.md section 7: n_linked is None or at least the larger of the two minimums."""
    from dataclasses import replace

    for n_linked in (4, 6, 7, 8, 10):
        before, after = make_panel_rounds(INSTRUMENT, 16, 16, n_linked, rng(30 + n_linked))
        before = replace(before, privacy=replace(before.privacy, min_group=min_before))
        after = replace(after, privacy=replace(after.privacy, min_group=min_after))
        change = scoring.compare_rounds(before, after)
        safe = max(min_before, min_after)
        for c, shown in zip(change.changes, change.to_json()["changes"], strict=True):
            assert c.n_linked is None or c.n_linked >= safe, (n_linked, c.n_linked)
            assert shown["n_linked"] == c.n_linked
            assert (c.method == "partially_overlapping") == bool(c.n_linked)
        if n_linked >= safe:
            assert any(c.n_linked for c in change.changes)


def test_fewer_linked_people_than_the_minimum_are_tested_as_unlinked() -> None:
    """docs/METHODS.md section 7: a paired correlation over 4 people would rest on a hidden group."""
    before, after = make_panel_rounds(INSTRUMENT, 14, 14, 4, rng(25))
    change = scoring.compare_rounds(before, after)
    assert {c.method for c in change.changes} == {"welch"}
    assert all(not c.n_linked for c in change.changes)
    b2, a2 = make_panel_rounds(INSTRUMENT, 14, 14, 9, rng(25))
    assert "partially_overlapping" in {c.method for c in scoring.compare_rounds(b2, a2).changes}


def test_change_too_few_and_suppressed() -> None:
    privacy = PrivacySettings(min_group=3, min_item_distribution=10, min_free_text=10)
    a = make_round_data(INSTRUMENT, 4, rng(23), privacy=privacy, dont_know_rate=0.0)
    b = make_round_data(INSTRUMENT, 12, rng(24), round_number=2, dont_know_rate=0.0)
    out = scoring.compare_rounds(a, b).to_json()
    for c in out["changes"]:
        assert c["verdict"] == "too_few" and c["p"] is None and c["ci_low"] is None
        assert c["n_from"] == 4  # shown: a minimum of 3 was set when round 1 opened
    tiny = make_round_data(INSTRUMENT, 2, rng(25), privacy=privacy)
    out = scoring.compare_rounds(tiny, b).to_json()
    for c in out["changes"]:
        assert c["suppressed"] and c["n_from"] is None and c["diff"] is None
        assert c["verdict"] == "too_few"


def test_change_detectable_and_holm() -> None:
    before, after = make_panel_rounds(INSTRUMENT, 20, 20, 0, rng(26))
    res = scoring.compare_rounds(before, after)
    ps = [c.p for c in res.changes]
    np.testing.assert_allclose([c.p_adjusted for c in res.changes], S.holm(ps))
    for c in res.changes:
        assert c.method == "welch"
        assert c.detectable_effect == pytest.approx(S.detectable_effect(c.n_to, c.n_from))
        assert c.detectable_change > 0


def test_change_needs_one_coalition() -> None:
    a = make_round_data(INSTRUMENT, 10, rng(27), coalition="noord")
    b = make_round_data(INSTRUMENT, 10, rng(28), coalition="zuid", round_number=2)
    with pytest.raises(InputError):
        scoring.compare_rounds(a, b)


def test_change_is_deterministic() -> None:
    before, after = make_panel_rounds(INSTRUMENT, 15, 16, 9, rng(29), shift=0.3)
    a = dumps(scoring.compare_rounds(before, after, seed=4).to_json())
    b = dumps(scoring.compare_rounds(before, after, seed=4).to_json())
    assert a == b


# --- groups and member types ---------------------------------------------------------
def test_compare_groups() -> None:
    a = make_round_data(INSTRUMENT, 20, rng(30), coalition="noord", shift=0.8)
    b = make_round_data(INSTRUMENT, 18, rng(31), coalition="zuid")
    res = scoring.compare_groups(a, b)
    out = res.to_json()
    dumps(out)
    assert out["kind"] == "coalitions" and (out["first"], out["second"]) == ("noord", "zuid")
    for d in out["differences"]:
        assert d["verdict"] in scoring.GROUP_VERDICTS
    assert any(d["verdict"] == "higher" for d in out["differences"])
    tiny = make_round_data(INSTRUMENT, 4, rng(32), coalition="oost")
    out = scoring.compare_groups(a, tiny).to_json()
    assert all(d["suppressed"] and d["diff"] is None for d in out["differences"])


def test_compare_member_types_follows_privacy() -> None:
    data = make_round_data(
        INSTRUMENT,
        20,
        rng(33),
        dont_know_rate=0.0,
        member_types=types(resident_initiative=10, welfare_organisation=10),
    )
    out = scoring.compare_member_types(data).to_json()
    dumps(out)
    assert all(not d["suppressed"] for d in out["differences"])
    few = make_round_data(
        INSTRUMENT,
        14,
        rng(34),
        dont_know_rate=0.0,
        member_types=types(resident_initiative=10, welfare_organisation=4),
    )
    out = scoring.compare_member_types(few).to_json()
    assert all(d["suppressed"] and d["diff"] is None for d in out["differences"])
    with pytest.raises(InputError):
        scoring.compare_member_types(data, "resident_initiative", "nobody")


# --- programme -----------------------------------------------------------------------
def test_programme_json_shape() -> None:
    rounds = [
        make_round_data(INSTRUMENT, n, rng(40 + i), coalition=f"c{i}", shift=s)
        for i, (n, s) in enumerate([(12, 0.0), (20, 0.5), (8, -0.4), (3, 0.0), (25, 0.1)])
    ]
    res = scoring.score_programme(rounds)
    out = res.to_json()
    dumps(out)
    assert [c["coalition"] for c in out["coalitions"]] == ["c0", "c1", "c2", "c3", "c4"]
    assert out["coalitions"][3]["suppressed"]
    for dim in out["dimensions"]:
        assert {"id", "icc1", "icc2", "can_be_told_apart", "coalitions"} <= set(dim)
        assert dim["n_coalitions"] == 4
        for c in dim["coalitions"]:
            if c["coalition"] == "c3":
                assert c["suppressed"] and c["mean"] is None and c["n"] is None
                continue
            assert c["position95"] in {"within", "above", "below"}
            assert c["group"] in {"top", "middle", "bottom"}
            assert c["lower95"] < c["upper95"]
            assert c["screen_p_adjusted"] >= c["screen_p"]
            assert "rank" not in c


def test_programme_icc_matches_stats() -> None:
    rounds = [
        make_round_data(INSTRUMENT, 10, rng(50 + i), coalition=f"c{i}", shift=i * 0.3)
        for i in range(5)
    ]
    res = scoring.score_programme(rounds)
    frames = []
    for data in rounds:
        s = scoring.respondent_scores(data)
        frames.append(pd.DataFrame({"score": s["trust"], "coalition": data.coalition}))
    long = pd.concat(frames).dropna()
    ref = S.icc_oneway(long, dv="score", group="coalition")
    trust = res.dimensions[0]
    assert trust.icc.icc1 == pytest.approx(ref.icc1) and trust.icc.icc2 == pytest.approx(ref.icc2)
    assert trust.to_json()["can_be_told_apart"] == ref.can_be_told_apart


def test_programme_round_selection() -> None:
    rounds = [
        make_round_data(INSTRUMENT, 10, rng(60 + i), coalition=f"c{i % 3}", round_number=1 + i // 3)
        for i in range(6)
    ]
    assert {c["round"] for c in scoring.score_programme(rounds).to_json()["coalitions"]} == {2}
    assert {
        c["round"] for c in scoring.score_programme(rounds, round_number=1).to_json()["coalitions"]
    } == {1}
    with pytest.raises(InputError):
        scoring.score_programme(rounds, round_number=7)


# --- exports -------------------------------------------------------------------------
def test_responses_for_export() -> None:
    data = make_round_data(
        INSTRUMENT,
        12,
        rng(70),
        dont_know_rate=0.1,
        member_types=types(resident_initiative=8, welfare_organisation=2, other=2),
    )
    frame = scoring.responses_for_export(data, seed=1)
    assert list(frame.columns) == ["member_type", *INSTRUMENT.item_ids]
    assert len(frame) == 12 and list(frame.index) == list(range(12))
    assert not any(str(i).startswith("r") for i in frame.index)
    values = set(frame[list(INSTRUMENT.item_ids)].stack().dropna().tolist())
    assert values <= {1, 2, 3, 4, 5, "dk"} and "dk" in values
    # 8 + 2 + 2: the two small types together reach 4 < 5, so residents are blanked too
    assert frame["member_type"].isna().all()
    # shuffled with the seed, reproducibly
    again = scoring.responses_for_export(data, seed=1)
    pd.testing.assert_frame_equal(frame, again)
    first_answers = data.values.iloc[:, 0].tolist()
    exported = [np.nan if v in (None, "dk") else v for v in frame.iloc[:, 1]]
    assert exported != first_answers or len(set(first_answers)) == 1
    with pytest.raises(PrivacyError):
        scoring.responses_for_export(make_round_data(INSTRUMENT, 4, rng(71)), seed=1)


def test_responses_export_follows_the_item_threshold() -> None:
    """Every exported row shows all answers, so a round of 5-9 responses, or a member type of
    that size, would show answers per statement below 10 (docs/METHODS.md section 7)."""
    eight = make_round_data(INSTRUMENT, 8, rng(72))
    with pytest.raises(PrivacyError, match="at least 10"):
        scoring.responses_for_export(eight)
    data = make_round_data(
        INSTRUMENT,
        30,
        rng(73),
        member_types=types(
            resident_initiative=12, welfare_organisation=11, municipality=4, other=3
        ),
    )
    frame = scoring.responses_for_export(data)
    counts = frame["member_type"].value_counts(dropna=False)
    # 4 + 3 hidden need a complement: the professionals (11) are blanked too
    assert counts["resident_initiative"] == 12
    assert "welfare_organisation" not in counts.index
    assert int(frame["member_type"].isna().sum()) == 18


def test_codebook() -> None:
    book = scoring.codebook(INSTRUMENT)
    assert len(book) == 32
    assert {
        "item",
        "dimension",
        "reverse",
        "scale",
        "points",
        "text_nl",
        "text_en",
        "labels_nl",
        "labels_en",
    } <= set(book.columns)
    assert book["reverse"].sum() == 8
    assert book["labels_en"].iloc[0].startswith("1 = Strongly disagree")
    labels = {d.id: d.label["en"] for d in INSTRUMENT.dimensions}
    assert book["dimension_en"].tolist() == [labels[d] for d in book["dimension"]]
    assert set(book["dont_know_en"]) == {"Don't know"}


def test_json_has_no_nan_anywhere() -> None:
    data = make_round_data(
        INSTRUMENT, 5, rng(80), dont_know_rate=0.5, member_types=types(resident_initiative=5)
    )
    out = scoring.score_round(data).to_json()
    text = dumps(out)
    assert "NaN" not in text
    for dim in out["dimensions"]:
        if not dim["suppressed"]:
            assert isinstance(dim["n"], int)
            assert dim["median_ci_low"] is None or not math.isnan(dim["median_ci_low"])


def test_change_without_any_spread_is_inconclusive() -> None:
    """n >= 5 in both rounds but no spread at all: the t test is undefined, so no verdict
    of change is given either way."""
    a = make_round_data(INSTRUMENT, 8, rng(90), dont_know_rate=0.0)
    b = make_round_data(INSTRUMENT, 8, rng(91), dont_know_rate=0.0, round_number=2)
    flat = a.values.copy()
    flat[:] = 4.0
    flat_a = type(a)(**{**a.__dict__, "values": flat})
    flat_b = type(b)(**{**b.__dict__, "values": flat})
    out = scoring.compare_rounds(flat_a, flat_b).to_json()
    dumps(out)
    for c in out["changes"]:
        assert c["verdict"] == "inconclusive" and c["p"] is None and c["diff"] == 0.0


def test_programme_leaves_suppressed_coalitions_out_of_every_figure() -> None:
    """A coalition under its minimum must not move the centre, the ICC or the limits."""
    shown = [
        make_round_data(INSTRUMENT, 12 + i, rng(100 + i), coalition=f"c{i}", shift=0.2 * i)
        for i in range(4)
    ]
    small = make_round_data(INSTRUMENT, 4, rng(110), coalition="tiny", shift=3.0)
    with_small = scoring.score_programme([*shown, small]).to_json()
    without = scoring.score_programme(shown).to_json()
    for a, b in zip(with_small["dimensions"], without["dimensions"], strict=True):
        assert a["centre"] == pytest.approx(b["centre"])
        assert a["icc1"] == pytest.approx(b["icc1"])
        assert [c["upper95"] for c in a["coalitions"] if c["coalition"] != "tiny"] == (
            pytest.approx([c["upper95"] for c in b["coalitions"]])
        )


def test_no_response_rate_above_one_hundred_percent() -> None:
    """Codes, a kiosk and paper forms can be mixed: more answers than codes is no rate of 467%."""
    data = make_round_data(INSTRUMENT, 14, rng(40))
    over = scoring.score_round(type(data)(**{**data.__dict__, "invited": 3}))
    assert over.response_rate is None and over.to_json()["response_rate"] is None
    under = scoring.score_round(type(data)(**{**data.__dict__, "invited": 20}))
    assert under.response_rate == pytest.approx(0.7)


# ---------------------------------------------------------------------------
# the JSON of every result over the demo programme
# ---------------------------------------------------------------------------
DEMO_ROUND_KEYS = {
    "equality_index_ci_low",
    "equality_index_ci_high",
    "coalition",
    "coalition_name",
    "programme",
    "round",
    "instrument",
    "n_responses",
    "invited",
    "response_rate",
    "min_group",
    "min_item_distribution",
    "min_free_text",
    "suppressed",
    "suppressed_reason",
    "member_types",
    "equality_index",
    "equality_index_reason",
    "dimensions",
    "items",
    "open_answers",
    "seed",
}
DEMO_DIMENSION_KEYS = {
    "id",
    "n",
    "mean",
    "sd",
    "ci_low",
    "ci_high",
    "median",
    "median_ci_low",
    "median_ci_high",
    "alpha",
    "alpha_ci_low",
    "alpha_ci_high",
    "alpha_source",
    "alpha_flags",
    "rwg",
    "rwg_cutoff",
    "shared_view",
    "dont_know",
    "share_incomplete",
    "suppressed",
    "suppressed_reason",
    "by_member_type",
    "gap",
    "gap_reason",
    "bands_reason",
} | {f"{band}{end}" for band in S.BANDS for end in ("", "_ci_low", "_ci_high")}
DEMO_TYPE_KEYS = {"n", "mean", "ci_low", "ci_high", "dont_know", "suppressed", "suppressed_reason"}
DEMO_GAP_KEYS = {
    "first",
    "second",
    "diff",
    "ci_low",
    "ci_high",
    "cliffs_delta",
    "delta_ci_low",
    "delta_ci_high",
    "magnitude",
    "p",
    "test",
    "equality_index",
    "ei_ci_low",
    "ei_ci_high",
    "welch_p",
    "p_adjusted",
    "verdict",
    "verdict_note",
    "higher",
}
DEMO_ITEM_KEYS = {
    "id",
    "dimension",
    "reverse",
    "n",
    "dont_know",
    "dont_know_by_member_type",
    "suppressed",
    "suppressed_reason",
} | {f"{band}{end}" for band in S.BANDS for end in ("", "_ci_low", "_ci_high")}
DEMO_CHANGE_KEYS = {
    "dimension",
    "n_from",
    "n_to",
    "n_linked",
    "mean_from",
    "mean_to",
    "diff",
    "ci_low",
    "ci_high",
    "t",
    "df",
    "p",
    "p_adjusted",
    "method",
    "permutation_p",
    "permutation_p_adjusted",
    "effect_size",
    "effect_size_kind",
    "cliffs_delta",
    "detectable_change",
    "detectable_effect",
    "verdict",
    "verdict_note",
    "suppressed",
    "suppressed_reason",
}
DEMO_DIFFERENCE_KEYS = {
    "dimension",
    "n_first",
    "n_second",
    "mean_first",
    "mean_second",
    "diff",
    "ci_low",
    "ci_high",
    "p",
    "p_adjusted",
    "effect_size",
    "cliffs_delta",
    "delta_ci_low",
    "delta_ci_high",
    "rank_p",
    "rank_test",
    "detectable_change",
    "verdict",
    "verdict_note",
    "higher",
    "suppressed",
    "suppressed_reason",
}
DEMO_PROGRAMME_DIMENSION_KEYS = {
    "id",
    "n_coalitions",
    "mean",
    "ci_low",
    "ci_high",
    "icc1",
    "icc2",
    "icc_f",
    "icc_df",
    "icc_p",
    "can_be_told_apart",
    "kruskal_h",
    "kruskal_p",
    "kruskal_method",
    "kruskal_p_adjusted",
    "centre",
    "sigma",
    "phi",
    "tau2",
    "coalitions",
}
DEMO_POSITION_KEYS = {
    "coalition",
    "round",
    "n",
    "mean",
    "ci_low",
    "ci_high",
    "lower95",
    "upper95",
    "lower998",
    "upper998",
    "position95",
    "position998",
    "screen_p",
    "screen_p_adjusted",
    "group",
    "suppressed",
    "suppressed_reason",
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    rounds = demo_rounds(tmp_path_factory.mktemp("demo"))
    return rounds, demo_results(rounds)


def _check_round_json(out: dict, data) -> None:  # type: ignore[no-untyped-def]
    assert set(out) == DEMO_ROUND_KEYS
    assert set(out["instrument"]) == {"id", "version", "hash"}
    assert out["instrument"]["hash"] == data.instrument.content_hash
    assert out["min_group"] == data.privacy.min_group
    shown = not out["suppressed"]
    assert out["n_responses"] == (data.n_responses if shown else None)
    scores = scoring.respondent_scores(data)
    for dim in out["dimensions"]:
        assert set(dim) == DEMO_DIMENSION_KEYS
        assert isinstance(dim["alpha_flags"], list)
        for cell in dim["by_member_type"].values():
            assert set(cell) == DEMO_TYPE_KEYS
        if dim["gap"] is not None:
            assert set(dim["gap"]) == DEMO_GAP_KEYS
        if not dim["suppressed"]:
            assert dim["mean"] == pytest.approx(scores[dim["id"]].mean())
            assert dim["n"] == scores[dim["id"]].notna().sum()
    for item in out["items"]:
        assert set(item) == DEMO_ITEM_KEYS
    for cell in out["member_types"].values():
        assert set(cell) == {"n", "suppressed", "suppressed_reason"}
    if out["equality_index"] is None:
        assert out["equality_index_ci_low"] is None and out["equality_index_ci_high"] is None
    elif out["equality_index_ci_low"] is not None:
        low, high = out["equality_index_ci_low"], out["equality_index_ci_high"]
        assert low <= out["equality_index"] <= high
    for text in out["open_answers"]:
        assert set(text) == {"question", "texts", "suppressed", "suppressed_reason"}
        assert (text["texts"] is None) == text["suppressed"]


def test_demo_json_of_every_result_keeps_its_keys_and_figures(demo) -> None:  # type: ignore[no-untyped-def]
    """The JSON contract over a realistic programme: every object's keys, and figures that
    follow from the answers or from another result."""
    rounds, out = demo
    by_ref = {f"{d.coalition}/{d.round}": d for d in rounds}
    for key, value in out.items():
        json.dumps(value, allow_nan=False)
        kind, _, rest = key.partition(" ")
        if kind == "round":
            _check_round_json(value, by_ref[rest])
        elif kind == "change":
            assert set(value) == {
                "coalition",
                "from",
                "to",
                "mid",
                "instrument_changed",
                "skipped_dimensions",
                "seed",
                "changes",
                "n_responses_from",
                "n_responses_to",
                "min_group_from",
                "min_group_to",
            }
            slug, _, span = rest.partition(" ")
            first, _, last = span.partition("-")
            assert (value["from"], value["to"]) == (int(first), int(last))
            # Each round's count as that round's own scores show it (None when hidden).
            assert value["n_responses_from"] == out[f"round {slug}/{first}"]["n_responses"]
            assert value["n_responses_to"] == out[f"round {slug}/{last}"]["n_responses"]
            assert value["min_group_from"] == out[f"round {slug}/{first}"]["min_group"]
            before = out[f"round {slug}/{first}"]["dimensions"]
            after = out[f"round {slug}/{last}"]["dimensions"]
            for c, a, b in zip(value["changes"], before, after, strict=True):
                assert set(c) == DEMO_CHANGE_KEYS
                if c["diff"] is not None and c["mean_to"] is not None:
                    assert c["mean_from"] == pytest.approx(a["mean"])
                    assert c["diff"] == pytest.approx(b["mean"] - a["mean"])
        elif kind in ("types", "groups"):
            assert set(value) == {
                "kind",
                "first",
                "second",
                "round",
                "coalition",
                "mid",
                "seed",
                "differences",
            }
            for d in value["differences"]:
                assert set(d) == DEMO_DIFFERENCE_KEYS
                if d["diff"] is not None:
                    assert d["diff"] == pytest.approx(d["mean_first"] - d["mean_second"])
        else:
            assert kind == "programme"
            assert set(value) == {"programme", "round", "coalitions", "dimensions", "seed"}
            for dim in value["dimensions"]:
                assert set(dim) == DEMO_PROGRAMME_DIMENSION_KEYS
                for row in dim["coalitions"]:
                    assert set(row) == DEMO_POSITION_KEYS
                    scored = out[f"round {row['coalition']}/{row['round']}"]
                    mine = next(d for d in scored["dimensions"] if d["id"] == dim["id"])
                    assert row["mean"] == (
                        None if row["suppressed"] else pytest.approx(mine["mean"])
                    )
    # the demo holds what the contract needs to be exercised: hidden and shown cells
    rounds_json = [v for k, v in out.items() if k.startswith("round ")]
    assert any(r["suppressed"] for r in rounds_json) or any(
        d["suppressed"] for r in rounds_json for d in r["dimensions"]
    )
    assert any(d["gap"] for r in rounds_json for d in r["dimensions"])


def test_json_is_written_from_the_fields_by_one_function() -> None:
    """to_json is to_plain: numpy scalars converted, NaN hidden, the declared renamings."""
    from surveycoal.scoring.json import to_plain

    data = make_round_data(INSTRUMENT, 24, rng(5))
    scored = scoring.score_round(data)
    assert scored.to_json() == to_plain(scored)
    before, after = make_panel_rounds(INSTRUMENT, 16, 16, 8, rng(6))
    change = scoring.compare_rounds(before, after)
    out = to_plain(change)
    assert (out["from"], out["to"]) == (before.round, after.round)
    assert "from_round" not in out
    assert out["changes"][0]["verdict"] == str(change.changes[0].verdict)
    assert type(out["changes"][0]["verdict"]) is str
    assert to_plain((np.float64("inf"), np.int32(2), {"a": np.bool_(False)})) == [
        None,
        2,
        {"a": False},
    ]
    with pytest.raises(TypeError, match="no JSON form"):
        to_plain(object())


def test_a_round_is_read_into_arrays_once_and_forgotten_with_it() -> None:
    """Scores, changes and the programme view share one reading of a round; a changed
    round is a new RoundData and is read again; the reading goes when the round does."""
    import gc

    from surveycoal.scoring import prepared

    data = make_round_data(INSTRUMENT, 14, rng(31))
    first = prepared._prepare(data)
    again = prepared._prepare(data)
    assert again.scores is first.scores and again.data is data
    assert not first.scores.flags.writeable and not first.raw.flags.writeable
    values = data.values.copy()
    values.iloc[:, 0] = 1.0
    changed = dataclasses.replace(data, values=values)
    assert not np.array_equal(prepared._prepare(changed).raw, first.raw)
    # an instrument equal in content, another object, shares the layout
    twin = dataclasses.replace(data, instrument=dataclasses.replace(INSTRUMENT))
    assert prepared._prepare(twin).layout is first.layout
    key = id(changed)
    assert key in prepared._PREPARED
    del changed
    gc.collect()
    assert key not in prepared._PREPARED


def test_a_gap_between_groups_without_spread_has_no_interval_and_is_inconclusive(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """docs/METHODS.md sections 5 and 8: Welch's test of the gap is the change test's with
    nobody linked; with no spread in either group it is undefined, so the gap shows its
    difference without an interval (not "diff to diff", which would claim certainty) and
    the verdict is "inconclusive", as in the member-type comparison; nothing breaks."""
    from surveycoal import terminal

    mix = ["resident_initiative"] * 7 + ["welfare_organisation"] * 6 + ["municipality"] * 6
    data = make_round_data(INSTRUMENT, len(mix), rng(41), member_types=mix, dont_know_rate=0.0)
    values, dont_know = data.values.copy(), data.dont_know.copy()
    residents = data.responses["member_type"].to_numpy() == "resident_initiative"
    values.loc[residents, :] = 4.0
    # a third of a point: a score of 58.33 that sums with a rounding error
    first_items = [item.id for item in INSTRUMENT.items if item.id.endswith("_1")]
    values.loc[residents, first_items] = np.nan
    dont_know.loc[residents, first_items] = True
    values.loc[data.responses["member_type"].to_numpy() == "welfare_organisation", :] = 3.0
    data = dataclasses.replace(data, values=values, dont_know=dont_know)
    scores = scoring.score_round(data, seed=2)
    compared = scoring.compare_member_types(data, seed=2)
    out = scores.to_json()
    json.dumps(out, allow_nan=False)
    for dim, diff in zip(out["dimensions"], compared.differences, strict=True):
        gap = dim["gap"]
        assert gap is not None and gap["diff"] == pytest.approx(25 / 3)
        assert gap["ci_low"] is None and gap["ci_high"] is None and gap["welch_p"] is None
        assert gap["verdict"] == S.Verdict.INCONCLUSIVE == diff.verdict
    # the typed result says the same as its JSON: undefined is None, never NaN
    for dim in scores.dimensions:
        assert dim.gap is not None and dim.gap.ci_low is None and dim.gap.welch_p is None
    terminal.print_round(scores, INSTRUMENT, items=False)
    assert "inconclusive" in capsys.readouterr().out.lower()
    # and a report shows it without a broken chart
    from report_fixtures import sample_coalition

    from surveycoal.reports.coalition import coalition_context
    from surveycoal.reports.render import render

    coalition = sample_coalition()
    last = coalition.rounds[-1]
    data = dataclasses.replace(data, coalition=last.coalition, round=last.round)
    coalition = dataclasses.replace(coalition, rounds=(*coalition.rounds[:-1], data))
    html = render("coalition", coalition_context(coalition, lang="en"))
    assert "nan" not in html.lower().replace("nancy", "")
