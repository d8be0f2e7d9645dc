"""The mean equality index is shown with its own interval when the scores give one (they
do, unless a dimension's interval cannot be computed), and with none (never the span of
the dimensions' intervals) when they do not."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import pytest
from report_fixtures import sample_coalition

from surveycoal.reports import coalition as coalition_module
from surveycoal.reports import programme as programme_module
from surveycoal.reports import words as W
from surveycoal.reports.coalition import coalition_context
from surveycoal.reports.common import Page
from surveycoal.reports.programme import programme_context
from surveycoal.scoring import RoundScores, score_round

TODAY = dt.date(2026, 5, 1)


def _set_interval(
    monkeypatch: pytest.MonkeyPatch, module: Any, around: tuple[float, float] | None
) -> None:
    """Scores whose mean index has the interval mean - around[0] to mean + around[1], or
    none at all (``around`` None: as when a dimension's interval is undefined)."""
    real = module.round_scores

    def scored(*args: Any, **kwargs: Any) -> RoundScores:
        out: RoundScores = real(*args, **kwargs)
        ei = out.equality_index
        if around is None or ei is None:
            return replace(out, equality_index_ci_low=None, equality_index_ci_high=None)
        return replace(
            out, equality_index_ci_low=ei - around[0], equality_index_ci_high=ei + around[1]
        )

    monkeypatch.setattr(module, "round_scores", scored)


def _with_interval(monkeypatch: pytest.MonkeyPatch, module: Any) -> None:
    _set_interval(monkeypatch, module, (3.0, 4.0))


def _without_interval(monkeypatch: pytest.MonkeyPatch, module: Any) -> None:
    _set_interval(monkeypatch, module, None)


def _programme() -> dict[str, Any]:
    coalitions = [
        sample_coalition(),
        sample_coalition(slug="rietveld", name="Rietveld Verbindt", seed=5),
    ]
    return programme_context("Expedities (test)", coalitions, lang="en", today=TODAY)


def _ei_rows(ctx: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        r for r in ctx["equality"]["figure"]["charts"][0]["rows"] if not r["marks"][0]["hidden"]
    ]


def test_without_an_interval_the_mean_is_a_dot_and_a_number_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _without_interval(monkeypatch, programme_module)
    ctx = _programme()
    rows = _ei_rows(ctx)
    assert rows
    for row in rows:
        mark = row["marks"][0]
        assert mark["x_low"] == mark["x_high"] == mark["x"]
        assert "(" not in row["right"] and "\u2013" not in row["right"]
    figure = ctx["equality"]["figure"]
    en = W.words("en")
    assert figure["table"]["head"][-1] == en["ei_mean_head"]
    assert figure["note"] == en["ei_dots_note"]
    for row in figure["table"]["rows"]:
        assert "\u2013" not in row[-1]["text"]
    for page in ctx["pages"]["coalitions"]:
        assert "(" not in page["equality"].split(":", 1)[1].replace("(a descriptive mean)", "")


def test_with_an_interval_the_mean_shows_it_in_chart_table_and_sentences(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _with_interval(monkeypatch, programme_module)
    ctx = _programme()
    rows = _ei_rows(ctx)
    assert rows
    for row in rows:
        mark = row["marks"][0]
        assert mark["x_low"] < mark["x"] < mark["x_high"]
        assert "\u2013" in row["right"]
    en = W.words("en")
    assert ctx["equality"]["figure"]["table"]["head"][-1] == en["ei_mean_ci"]
    assert ctx["equality"]["figure"]["note"] == en["ei_ci_note"]
    for page in ctx["pages"]["coalitions"]:
        assert " to " in page["equality"], page["equality"]


def test_the_coalition_report_gives_the_interval_in_its_sentences(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Scoring gives the interval: the sentence and the summary carry it.
    ctx = coalition_context(sample_coalition(), lang="en", today=TODAY)
    ei = ctx["equality"]["overall"]
    assert ei.startswith("Equality index over all shown dimensions:") and " to " in ei, ei
    assert ei == ctx["summary"]["equality"]
    # Scores without one: a descriptive mean, with no range.
    _without_interval(monkeypatch, coalition_module)
    plain = coalition_context(sample_coalition(), lang="en", today=TODAY)
    assert plain["equality"]["overall"].endswith("(a descriptive mean).")


def test_an_interval_needs_both_ends_and_an_index() -> None:
    page = Page("en")
    scored = score_round(sample_coalition().rounds[-1])
    assert scored.equality_index is not None
    whole = page.equality_overall(scored, {"min": 5})
    assert " to " in whole, whole
    one_end = replace(scored, equality_index_ci_high=None)
    assert page.equality_overall(one_end, {"min": 5}).endswith("(a descriptive mean).")
    hidden = replace(scored, equality_index=None, equality_index_reason="part_below_minimum")
    assert page.equality_overall(hidden, {"min": 5}).startswith("No equality index can be shown")
