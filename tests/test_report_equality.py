"""The equality section: both groups, the gap with the equality index, the gap in every
round, and don't-know answers per member type."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from report_fixtures import parse_html, sample_coalition

from surveycoal import stats
from surveycoal.reports import words as W
from surveycoal.reports.coalition import coalition_context
from surveycoal.reports.common import VERDICT_STYLE
from surveycoal.reports.render import render
from surveycoal.scoring import RESIDENT, score_round

TODAY = dt.date(2026, 5, 1)


def test_the_gap_is_drawn_around_zero_next_to_the_equality_index() -> None:
    data = sample_coalition()
    ctx = coalition_context(data, lang="en", today=TODAY)
    figure = next(f for f in ctx["equality"]["figures"] if f["id"] == "fig-equality-index")
    gap_chart, ei_chart = figure["charts"]
    scored = score_round(data.rounds[-1]).to_json()
    table_names = [r[0]["text"] for r in figure["table"]["rows"]]
    assert [r["full"] for r in gap_chart["rows"]] == table_names
    for row, dim in zip(gap_chart["rows"], scored["dimensions"], strict=True):
        gap = dim["gap"]
        (mark,) = row["marks"]
        if gap is None:
            assert mark["hidden"]
            continue
        # the symbol is the verdict's (docs/METHODS.md section 8), and it never
        # contradicts the interval as printed: below zero, above zero, or neither
        symbol = row["right"].split()[0]
        assert symbol == VERDICT_STYLE[gap["verdict"]][1]
        if gap["verdict"] == "inconclusive":
            assert symbol == "?"
        elif stats.printed_excludes_zero(gap["ci_low"], gap["ci_high"]):
            assert symbol in ("\u25b2", "\u25b3", "\u25b5", "\u25bc", "\u25bd", "\u25bf")
            assert (symbol in "\u25b2\u25b3\u25b5") == (gap["ci_low"] > 0)
        else:
            assert symbol == "\u25cb"
        assert mark["x_low"] <= mark["x"] <= mark["x_high"]
    zero = next(t for t in gap_chart["ticks"] if t["label"] == "0")
    assert gap_chart["ref"]["x"] == zero["x"]
    assert len(ei_chart["rows"]) == len(gap_chart["rows"])
    assert [r["label_y"] for r in ei_chart["rows"]] == [r["label_y"] for r in gap_chart["rows"]]


def test_the_gap_in_every_round_comes_from_each_rounds_scores() -> None:
    data = sample_coalition()
    ctx = coalition_context(data, lang="en", today=TODAY)
    table = ctx["equality"]["gap_rounds"]
    assert table["head"][1:] == [W.say("en", "round_n", n=k) for k in (1, 2, 3)]
    for k, rd in enumerate(data.rounds, start=1):
        dims = score_round(rd).to_json()["dimensions"]
        for row, dim in zip(table["rows"], dims, strict=True):
            cell = row[k]
            if dim["gap"] is None:
                assert cell["hidden"]
            else:
                assert cell["text"].startswith(W.signed(dim["gap"]["diff"], "en") + " (")


def test_no_gap_table_when_every_round_hides_it() -> None:
    data = sample_coalition(
        sizes=(9, 9), mix={"resident_initiative": 0.55, "welfare_organisation": 0.45}
    )
    ctx = coalition_context(data, lang="en", today=TODAY)
    assert ctx["equality"]["gap_rounds"] is None
    (block,) = ctx["equality"]["hidden"]
    assert block["reason"] == "below_minimum"
    html = render("coalition", ctx)
    section = next(s for s in parse_html(html).find_all("section") if s.attrs["id"] == "equality")
    assert not section.find_all("svg") and not section.find_all("table")


def _residents_say_dont_know(data, item_ids):  # type: ignore[no-untyped-def]
    """Every resident answers "don't know" to the given items in the last round."""
    rd = data.rounds[-1]
    residents = rd.responses.index[rd.responses["member_type"] == RESIDENT]
    values, dont_know = rd.values.copy(), rd.dont_know.copy()
    values.loc[residents, item_ids] = float("nan")
    dont_know.loc[residents, item_ids] = True
    last = replace(rd, values=values, dont_know=dont_know)
    return replace(data, rounds=(*data.rounds[:-1], last))


def test_dont_know_per_member_type_is_shown_and_named_when_high() -> None:
    data = _residents_say_dont_know(sample_coalition(), ["trust_1"])
    ctx = coalition_context(data, lang="en", today=TODAY)
    table = ctx["methods"]["dk_types"]
    assert table["head"][-1] == W.words("en")["all_members"]
    scored = score_round(data.rounds[-1]).to_json()
    trust = next(d for d in scored["dimensions"] if d["id"] == "trust")
    shares = {t: c["dont_know"] for t, c in trust["by_member_type"].items()}
    assert shares[RESIDENT] >= 0.25  # one item of four, for every resident
    row = table["rows"][0]
    label = data.rounds[-1].instrument.member_type_label(RESIDENT, "en")
    resident_column = table["head"].index(label)
    assert row[resident_column]["text"] == W.percent(shares[RESIDENT], "en")
    attention = " ".join(ctx["strengths"]["attention"])
    assert (
        f"{W.percent(shares[RESIDENT], 'en')} of the answers of {label.lower()} were" in attention
    )
    # the other dimensions, answered as usual, are not named for it
    assert attention.count("of the answers of") == 1


def test_dont_know_per_member_type_hides_small_groups() -> None:
    data = sample_coalition(
        sizes=(9,), mix={"resident_initiative": 0.55, "welfare_organisation": 0.45}
    )
    ctx = coalition_context(data, lang="en", today=TODAY)
    # every member type is hidden: no table of hatching, the whole is in the quality table
    assert ctx["methods"]["dk_types"] is None
    # 2 municipal members hidden, the 6 of the welfare organisations with them; residents shown
    base = sample_coalition(sizes=(20,))
    rd = base.rounds[0]
    types = ["resident_initiative"] * 12 + ["welfare_organisation"] * 6 + ["municipality"] * 2
    rd = replace(rd, responses=rd.responses.assign(member_type=types))
    mixed = replace(base, rounds=(rd,))
    ctx = coalition_context(mixed, lang="en", today=TODAY)
    scored = score_round(mixed.rounds[-1]).to_json()
    table = ctx["methods"]["dk_types"]
    present = [
        t for t, c in scored["member_types"].items() if c["suppressed_reason"] != "no_responses"
    ]
    for row, dim in zip(table["rows"], scored["dimensions"], strict=True):
        for cell, type_id in zip(row[1:-1], present, strict=True):
            assert cell["hidden"] == dim["by_member_type"][type_id]["suppressed"]
        assert not row[-1]["hidden"]
    cells = [cell for row in table["rows"] for cell in row[1:-1]]
    assert any(c["hidden"] for c in cells) and not all(c["hidden"] for c in cells)
