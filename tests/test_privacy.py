"""Tests of surveycoal.privacy: the anonymity rules of docs/METHODS.md section 7."""

from __future__ import annotations

import doctest

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import surveycoal.privacy as P
from surveycoal.errors import InputError
from surveycoal.instruments import PrivacySettings


def test_doctests_in_privacy_run() -> None:
    result = doctest.testmod(P)
    assert result.failed == 0 and result.attempted >= 8


def test_minimum_never_below_three() -> None:
    """docs/METHODS.md section 7: configurable upwards; never below 3."""
    with pytest.raises(InputError):
        P.validate_settings(PrivacySettings(min_group=2))
    assert P.validate_settings(PrivacySettings(min_group=3)).min_group == 3
    assert (
        P.validate_settings(
            PrivacySettings(min_group=8, min_item_distribution=10, min_free_text=10)
        ).min_group
        == 8
    )
    with pytest.raises(InputError):
        P.validate_settings(PrivacySettings(min_group=8, min_item_distribution=6))
    with pytest.raises(InputError):
        P.validate_settings(PrivacySettings(min_group=5, min_free_text=4))


def test_cell_minimum() -> None:
    assert P.cell_decision(5, 5).shown
    assert P.cell_decision(4, 5) == P.CellDecision(False, "below_minimum")
    assert P.cell_decision(0, 5).reason == "no_responses"


def test_complementary_golden() -> None:
    """docs/METHODS.md section 7: a total of 9 = 3 + 6 shows only the total."""
    d = P.suppress_parts({"resident_initiative": 3, "welfare_organisation": 6}, min_group=5)
    assert d["resident_initiative"].reason == "below_minimum"
    assert d["welfare_organisation"].reason == "complementary"


def test_complementary_stops_when_hidden_parts_reach_the_minimum() -> None:
    d = P.suppress_parts({"a": 20, "b": 15, "c": 4, "d": 1}, min_group=5)
    assert {k: v.shown for k, v in d.items()} == {"a": True, "b": True, "c": False, "d": False}
    d = P.suppress_parts({"a": 20, "b": 7, "c": 2, "e": 0}, min_group=5)
    assert d["b"].reason == "complementary" and d["a"].shown
    assert d["e"].reason == "no_responses"


def test_hidden_total_hides_every_part() -> None:
    d = P.suppress_parts({"a": 6, "b": 7}, min_group=5, total_shown=False)
    assert all(not v.shown for v in d.values())


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 25), min_size=1, max_size=6), st.integers(3, 8))
def test_suppressed_parts_can_never_be_recomputed(sizes: list[int], min_group: int) -> None:
    """Shown parts reach the minimum; hidden parts together are 0 or reach it."""
    parts = {f"t{i}": n for i, n in enumerate(sizes)}
    total_shown = sum(sizes) >= min_group
    d = P.suppress_parts(parts, min_group=min_group, total_shown=total_shown)
    shown = [n for k, n in parts.items() if d[k].shown]
    hidden = [n for k, n in parts.items() if not d[k].shown]
    assert all(n >= min_group for n in shown)
    if total_shown:
        assert sum(hidden) == 0 or sum(hidden) >= min_group
    else:
        assert not shown
    assert all(dec.shown or dec.reason in P.REASONS for dec in d.values())


def test_differencing() -> None:
    """docs/METHODS.md section 7: two shown groups differing by fewer than the minimum: hide one."""
    cells = {"all": set(range(14)), "without_kiosk": set(range(11)), "kiosk": set(range(11, 14))}
    decisions = {"kiosk": P.hidden("below_minimum")}
    out = P.protect_differencing(cells, decisions, min_group=5)
    assert out["all"].shown
    assert out["without_kiosk"].reason == "differencing"
    assert out["kiosk"].reason == "below_minimum"
    # masks work as well as sets; disjoint groups of similar size are fine
    mask_a = np.array([True] * 6 + [False] * 6)
    out = P.protect_differencing({"a": mask_a, "b": ~mask_a}, {}, min_group=5)
    assert out["a"].shown and out["b"].shown


def test_derived_figures_need_every_part() -> None:
    """docs/METHODS.md section 7: gap and EI need every part at the minimum and shown."""
    sizes = {"r": 6, "w": 6}
    assert P.derived_decision(["r", "w"], sizes, {}, min_group=5).shown
    assert P.derived_decision(["r", "w"], {"r": 6, "w": 4}, {}, min_group=5).reason == (
        "part_below_minimum"
    )
    dec = {"w": P.hidden("complementary")}
    assert P.derived_decision(["r", "w"], sizes, dec, min_group=5).reason == "complementary"


def test_item_distributions_need_ten() -> None:
    """docs/METHODS.md section 7: below n = 10 no item distributions."""
    s = PrivacySettings()
    assert P.item_distribution_decision(9, s).reason == "too_few_for_items"
    assert P.item_distribution_decision(10, s).shown


def test_free_text_rules() -> None:
    """docs/METHODS.md section 7: at least 10 answers, shuffled, seeded, no dates."""
    s = PrivacySettings()
    texts = [f"antwoord {i}" for i in range(12)]
    a = P.free_text("q", texts, s, seed=3)
    b = P.free_text("q", texts, s, seed=3)
    assert a.decision.shown and a.texts == b.texts
    assert sorted(a.texts) == sorted(texts) and list(a.texts) != texts
    few = P.free_text("q", texts[:9] + ["", "  "], s, seed=3)
    assert few.decision.reason == "too_few_for_text" and few.texts == ()
    assert P.free_text("q", [], s, seed=1).decision.reason == "no_responses"
