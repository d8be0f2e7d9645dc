"""Reports say what the numbers allow, in words a funder reads correctly.

A verdict follows the Holm-adjusted test while the interval beside it is not
adjusted; when the interval leaves out zero but the adjusted test does not hold,
scoring calls it "possibly ..." and marks it, and the report says why
(docs/METHODS.md section 8). The summary says what changed since the last round,
dimension by dimension.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import fields, replace
from typing import Any

import pytest
from report_fixtures import parse_html, sample_coalition

from surveycoal.reports import coalition as coalition_module
from surveycoal.reports import compare as compare_module
from surveycoal.reports import words as W
from surveycoal.reports.coalition import coalition_context
from surveycoal.reports.common import VERDICT_ORDER, Page
from surveycoal.reports.compare import rounds_compare_context
from surveycoal.reports.render import render
from surveycoal.scoring import DimensionChange, RoundChange

TODAY = dt.date(2026, 5, 1)


def _first_change_clear_but_not_after_holm(original):  # type: ignore[no-untyped-def]
    """compare_rounds, with the first dimension's change made to look like the case at hand:
    an interval that leaves out zero, a change that does not hold after Holm: scoring calls
    it "possibly improved" and gives it the Holm marker."""

    def compare(*args: Any, **kwargs: Any) -> RoundChange:
        result = original(*args, **kwargs)
        first = replace(
            result.changes[0],
            diff=11.0,
            ci_low=1.0,
            ci_high=21.0,
            verdict="possibly_improved",
            verdict_note="holm",
            suppressed=False,
            suppressed_reason=None,
        )
        return replace(result, changes=(first, *result.changes[1:]))

    return compare


def _change(**known: Any) -> DimensionChange:
    values = dict.fromkeys(f.name for f in fields(DimensionChange))
    values.update({"dimension": "trust", "suppressed": False, "ci_low": 1.0, "ci_high": 9.0})
    values.update(known)
    return DimensionChange(**values)  # type: ignore[arg-type]


def test_the_holm_mark_is_the_results_own_marker_not_decided_again() -> None:
    page = Page("en")
    possibly = _change(verdict="possibly_improved", verdict_note="holm")
    assert possibly.marked
    # the presenter does not look at the interval: without scoring's marker, no mark
    assert not _change(verdict="no_detectable_change").marked
    assert not _change(verdict="improved").marked
    assert not _change(suppressed=True, verdict="too_few", verdict_note="holm").marked
    assert page.holm_footnote([possibly, None]) == W.words("en")["holm_footnote"]
    assert page.holm_footnote([_change(verdict="improved")]) == ""
    # asking twice gives the same answer: no counter behind it
    assert page.holm_footnote([possibly]) == page.holm_footnote([possibly])
    assert not hasattr(page, "holm_hint")
    assert not hasattr(page, "marked")


def test_coalition_report_explains_an_interval_that_seems_to_say_more(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(
        coalition_module,
        "compare_rounds",
        _first_change_clear_but_not_after_holm(coalition_module.compare_rounds),
    )
    ctx = coalition_context(sample_coalition(), lang="en", today=TODAY)
    mark = W.words("en")["holm_mark"]
    card = ctx["summary"]["cards"][0]
    assert card["change"]["sentence"].endswith(mark)
    assert ctx["summary"]["holm_note"] == W.words("en")["holm_footnote"]
    row = ctx["trends"]["verdicts"]["rows"][0]
    assert all(cell["text"].endswith(mark) for cell in row[1:])
    assert ctx["trends"]["holm_note"]
    html = render("coalition", ctx)
    text = " ".join(parse_html(html).text().split())
    assert W.words("en")["holm_footnote"] in text


def test_comparison_sentence_names_the_correction(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        compare_module,
        "compare_rounds",
        _first_change_clear_but_not_after_holm(compare_module.compare_rounds),
    )
    ctx = rounds_compare_context(sample_coalition(), 1, 3, lang="nl", today=TODAY)
    first = ctx["diff"]["sentences"][0]
    tested = sum(1 for s in ctx["diff"]["sentences"] if not s["hidden"])
    assert W.say("nl", "holm_sentence", count=tested) in first["text"]
    row = ctx["diff"]["figure"]["table"]["rows"][0]
    assert row[2]["text"].endswith(W.words("nl")["holm_mark"])
    assert W.words("nl")["holm_footnote"] in ctx["diff"]["figure"]["note"]
    chart_row = ctx["diff"]["figure"]["charts"][0]["rows"][0]
    assert chart_row["right"].endswith(W.words("nl")["holm_mark"])


def test_without_such_a_case_there_is_no_footnote() -> None:
    ctx = rounds_compare_context(sample_coalition(shift_per_round=0.0), 1, 2, lang="en")
    notes = ctx["diff"]["figure"]["note"]
    rows = ctx["diff"]["figure"]["table"]["rows"]
    marked = [r for r in rows if not r[2]["hidden"] and r[2]["text"].endswith("\u2020")]
    assert (W.words("en")["holm_footnote"] in notes) == bool(marked)


def test_summary_says_what_changed_dimension_by_dimension() -> None:
    data = sample_coalition(shift_per_round=0.8)
    ctx = coalition_context(data, lang="en", today=TODAY)
    summary = ctx["summary"]
    assert summary["since"] == W.say("en", "since_glance", n=2)
    glance = summary["glance"]
    named = [name for g in glance for name in g["dims"].split(", ")]
    assert sorted(named) == sorted(card["label"] for card in summary["cards"])
    # every group's badge is the verdict of each of its cards
    by_label = {card["label"]: card["change"]["text"] for card in summary["cards"]}
    for group in glance:
        for name in group["dims"].split(", "):
            assert by_label[name] == group["badge"]["text"]
    # groups in the order of the verdicts, improvements first
    codes = {W.verdict_text(code, "en"): code for code in VERDICT_ORDER}
    positions = [VERDICT_ORDER.index(codes[g["badge"]["text"]]) for g in glance]
    assert positions == sorted(positions)
    tree = parse_html(render("coalition", ctx))
    items = [n for n in tree.find_all("ul") if "glance" in n.classes()]
    assert items and len(items[0].find_all("li")) == len(glance)


def test_a_first_round_has_no_glance() -> None:
    ctx = coalition_context(sample_coalition(sizes=(18,)), lang="en", today=TODAY)
    assert ctx["summary"]["glance"] == []
    assert ctx["summary"]["since"] == W.words("en")["first_round"]


def test_item_shares_come_with_their_wilson_interval() -> None:
    from surveycoal.scoring import score_round

    data = sample_coalition()
    ctx = coalition_context(data, lang="en", today=TODAY)
    items = {i["id"]: i for i in score_round(data.rounds[-1]).to_json()["items"]}
    figure = ctx["items"]["figures"][0]
    instrument = data.rounds[-1].instrument
    shown = [i for i in items.values() if not i["suppressed"] and i["dimension"] == "trust"]
    assert shown
    for row, item in zip(figure["table"]["rows"], shown, strict=True):
        assert row[0]["text"].startswith(instrument.item(item["id"]).text["en"])
        for cell, band in zip(row[2:5], ("disagree", "neutral", "agree"), strict=True):
            low = W.percent(item[f"{band}_ci_low"], "en").rstrip("%")
            high = W.percent(item[f"{band}_ci_high"], "en")
            assert cell["text"] == f"{W.percent(item[band], 'en')} ({low}\u2013{high})"
