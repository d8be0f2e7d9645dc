"""Pooled reliability lives in scoring, keyed by round, questionnaire and dimension.

A programme can mix the full questionnaire (coalition-health, 4 or 5 statements a dimension)
with the short one (coalition-pulse, 2 statements, same dimension ids). A small coalition
gets the pooled alpha of its own questionnaire, whatever the order of the coalitions
(docs/METHODS.md section 2).
"""

from __future__ import annotations

import dataclasses
import itertools

import numpy as np
import pytest
from scoring_factories import make_round_data

from surveycoal import scoring
from surveycoal.instruments import load_instrument
from surveycoal.reports.coalition import coalition_context
from surveycoal.reports.gather import CoalitionData, RoundInfo
from surveycoal.scoring import PROFESSIONAL, RESIDENT

FULL = load_instrument("coalition-health")
PULSE = load_instrument("coalition-pulse")
MIX = {RESIDENT: 0.5, PROFESSIONAL: 0.5}


def _round(instrument, n: int, seed: int, slug: str):  # type: ignore[no-untyped-def]
    return make_round_data(
        instrument, n, np.random.default_rng(seed), member_types=MIX, coalition=slug
    )


@pytest.fixture(scope="module")
def programme():  # type: ignore[no-untyped-def]
    full = [_round(FULL, 15, 10 + i, f"full-{i}") for i in range(3)]
    pulse = [_round(PULSE, 15, 20 + i, f"pulse-{i}") for i in range(3)]
    small = _round(PULSE, 8, 30, "klein")
    return full, pulse, small


def test_the_two_questionnaires_share_dimension_ids_but_not_their_items() -> None:
    assert [d.id for d in FULL.dimensions] == [d.id for d in PULSE.dimensions]
    assert FULL.content_hash != PULSE.content_hash
    full_items = {len(FULL.items_in(d.id)) for d in FULL.dimensions}
    pulse_items = {len(PULSE.items_in(d.id)) for d in PULSE.dimensions}
    assert min(full_items) >= 4 and pulse_items == {2}


def test_a_small_coalition_gets_its_own_questionnaires_alpha_in_any_order(programme) -> None:  # type: ignore[no-untyped-def]
    full, pulse, small = programme
    own = scoring.pooled_reliability([*pulse, small])
    other = scoring.pooled_reliability(full)
    rounds = [*full, *pulse, small]
    orders = [rounds, rounds[::-1], [small, *full, *pulse], [full[0], small, *pulse, *full[1:]]]
    orders += [list(p) for p in itertools.islice(itertools.permutations(rounds), 0, 5000, 997)]
    for order in orders:
        pooled = scoring.pool_reliability(order)
        scored = scoring.score_round(small, pooled_alpha=pooled)
        shown = [dim for dim in scored.dimensions if not dim.suppressed]
        assert len(shown) >= 6
        for dim in shown:
            assert dim.alpha_source == "pooled", [d.coalition for d in order]
            assert dim.alpha == pytest.approx(own[dim.id].alpha)
            assert dim.alpha != pytest.approx(other[dim.id].alpha)
    # the full questionnaire's small coalitions get the full pool, from the same object
    small_full = _round(FULL, 9, 40, "klein-vol")
    pooled = scoring.pool_reliability([*rounds, small_full])
    for dim in scoring.score_round(small_full, pooled_alpha=pooled).dimensions:
        if dim.suppressed:
            continue
        assert dim.alpha == pytest.approx(
            scoring.pooled_reliability([*full, small_full])[dim.id].alpha
        )


def test_pools_are_per_round_number_and_need_two_coalitions(programme) -> None:  # type: ignore[no-untyped-def]
    full, pulse, small = programme
    later = [dataclasses.replace(r, round=2) for r in pulse[:1]]
    pooled = scoring.pool_reliability([*full, small, *later])
    keys = {(number, content) for number, content, _ in pooled.by_key}
    # round 1: the full questionnaire pools three coalitions; the pulse only has "klein"
    # (one coalition is not a pool); round 2 has one pulse coalition, so no pool either
    assert keys == {(1, FULL.content_hash)}
    assert scoring.score_round(small, pooled_alpha=pooled).dimensions[0].alpha_source is None


def test_the_report_uses_the_pool_scoring_built(programme) -> None:  # type: ignore[no-untyped-def]
    full, pulse, small = programme
    info = (RoundInfo(1, "closed", None, None),)
    data = CoalitionData("klein", "Klein", "Expedities", (small,), info, (), ())
    own = scoring.pooled_reliability([*pulse, small])
    for order in ([*full, *pulse, small], [small, *pulse, *full]):
        ctx = coalition_context(data, lang="en", pooled=scoring.pool_reliability(order))
        assert ctx["methods"]["pooled_note"]
        rows = {row[0]["text"]: row for row in ctx["methods"]["quality"]["rows"]}
        for dim in PULSE.dimensions:
            row = rows[dim.label["en"]]
            if row[2]["hidden"]:
                continue
            assert row[2]["text"].startswith(f"{own[dim.id].alpha:.2f} ("), row[2]["text"]


def test_pooled_and_own_reliability_follow_one_rule_on_the_same_data() -> None:
    """docs/METHODS.md section 2: a round pooled on its own gives its own coefficient. Two
    items: Spearman-Brown of r over the respondents who answered both, with Fisher's z
    interval over them, whether the coalition's own or pooled; some people answer one item."""
    from scoring_factories import make_instrument

    inst = make_instrument(n_dimensions=2, items_per_dimension=[2, 4])
    data = make_round_data(inst, 36, np.random.default_rng(44), dont_know_rate=0.15)
    first = data.values.iloc[:, :2]
    assert (first.notna().sum(axis=1) == 1).sum() >= 3  # answered one of the two items
    own = scoring.score_round(data)
    pooled = scoring.pooled_reliability([data])
    two = own.dimensions[0]
    assert two.alpha_source == "coalition"
    rel = pooled[two.id]
    assert rel.method == "spearman_brown"
    assert (two.alpha, two.alpha_ci_low, two.alpha_ci_high) == pytest.approx(
        (rel.alpha, rel.ci_low, rel.ci_high), rel=1e-12
    )
    both = first.dropna()
    a, b = both.iloc[:, 0], 6 - both.iloc[:, 1]  # the second item is reverse-keyed
    r = np.corrcoef(a, b)[0, 1]
    assert rel.n == len(both) and rel.alpha == pytest.approx(2 * r / (1 + r), rel=1e-12)
    four = own.dimensions[1]
    assert four.alpha_source == "coalition"
    assert four.alpha == pytest.approx(pooled[four.id].alpha, rel=1e-12)
