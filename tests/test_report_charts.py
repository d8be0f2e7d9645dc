"""Chart geometry: labels that stay whole, ticks on round numbers, one scale for small multiples."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import fields
from typing import Any

import pytest
from report_fixtures import sample_coalition

from surveycoal.reports import words as W
from surveycoal.reports.charts import (
    Mark,
    Row,
    diff_ticks,
    interval_chart,
    letter_key,
    nice_extent,
    wrap,
)
from surveycoal.reports.common import Page, difference_chart
from surveycoal.reports.programme import programme_context
from surveycoal.scoring import DimensionChange

TODAY = dt.date(2026, 5, 1)
LIMITS = {"min": 5, "min_items": 10, "min_text": 10}


@pytest.mark.parametrize(
    ("text", "width"),
    [
        ("Gelijkwaardigheid", 120.0),
        ("Bewoners aan het roer", 100.0),
        ("Kanaaleiland Verbindt met een heel lange naam", 90.0),
    ],
)
def test_wrapping_never_cuts_a_word_in_two(text: str, width: float) -> None:
    lines = wrap(text, width, 20, max_lines=10)
    words = text.split()
    assert [w for line in lines for w in line.split()] == words


@pytest.mark.parametrize("value", [3.0, 9.0, 12.0, 17.0, 24.0, 33.0, 47.0, 58.0, 71.0, 95.0])
def test_difference_ticks_fall_on_round_numbers(value: float) -> None:
    extent = nice_extent([value, -value / 2])
    ticks = diff_ticks(extent)
    assert 0.0 in ticks
    assert all(t == int(t) and abs(t) <= extent for t in ticks)
    assert len(ticks) >= 3 and ticks == sorted(ticks)
    assert ticks == [-t for t in reversed(ticks)]


def test_a_forest_plot_keeps_dimension_names_whole() -> None:
    page = Page("nl")
    values: dict[str, Any] = dict.fromkeys(f.name for f in fields(DimensionChange))
    values.update(
        dimension="equality",
        diff=5.2,
        ci_low=-4.8,
        ci_high=15.1,
        verdict="no_detectable_change",
        suppressed=False,
    )
    rows = [("Gelijkwaardigheid", DimensionChange(**values))]
    chart = difference_chart(page, "t", "d", rows, LIMITS)
    (row,) = chart["rows"]
    assert row["lines"] == ["Gelijkwaardigheid"]
    # the symbol and the number beside the bar; the words of the verdict are in the note
    assert row["right"] == "\u25cb +5"
    labels = [t["label"] for t in chart["ticks"]]
    assert all(re.fullmatch(r"[+\u2212]?\d+", label) for label in labels), labels


def test_compact_rows_wrap_a_long_name_instead_of_cutting_it() -> None:
    rows = [
        Row("Molenweide Doet Mee", [Mark("s-score", 60, 50, 70)], right="60"),
        Row("Brugwijk", [Mark("s-score", 70, 64, 76)], right="70"),
    ]
    chart = interval_chart("c1", "t", "d", rows, compact=True)
    first, second = chart["rows"]
    assert " ".join(first["lines"]) == "Molenweide Doet Mee"
    assert not any(line.endswith("...") for line in first["lines"])
    assert len(first["lines"]) == 2 and second["lines"] == ["Brugwijk"]
    # the second row starts below both lines of the first
    first_bottom = first["label_y"] + first["line_height"]
    assert second["label_y"] - 12 > first_bottom - 12


def test_programme_change_panels_share_one_scale() -> None:
    coalitions = [
        sample_coalition(slug="noord", name="Noord", seed=1, shift_per_round=0.9),
        sample_coalition(slug="zuid", name="Zuid", seed=2, shift_per_round=0.0),
    ]
    ctx = programme_context("Expedities (test)", coalitions, lang="en", today=TODAY)
    charts = ctx["change"]["figure"]["charts"]
    assert len(charts) > 1
    scales = {tuple((t["x"], t["label"]) for t in chart["ticks"]) for chart in charts}
    assert len(scales) == 1


def test_letter_keys_run_through_the_alphabet_and_beyond() -> None:
    keys = [letter_key(k) for k in range(60)]
    assert keys[:3] == ["A", "B", "C"] and keys[25:28] == ["Z", "AA", "AB"]
    assert len(set(keys)) == 60


def test_funnel_points_carry_names_and_nothing_reads_as_a_rank() -> None:
    coalitions = [
        sample_coalition(slug="zuid", name="Zuid Doet", seed=2, sizes=(15, 18, 17)),
        sample_coalition(slug="noord", name="Noord Verbindt", seed=1),
        sample_coalition(slug="midden", name="Midden Samen", seed=4, sizes=(14, 15, 16)),
    ]
    ctx = programme_context("Expedities (test)", coalitions, lang="en", today=TODAY)
    figure = ctx["funnels"]["figure"]
    # one figure: a panel per dimension, all on one scale, with labelled axes
    assert len(figure["charts"]) == 8 and figure["grid"] == "funnel"
    assert (
        len({(c["y_ticks"][0]["label"], c["x_ticks"][-1]["label"]) for c in figure["charts"]}) == 1
    )
    for chart in figure["charts"]:
        assert chart["heading"] and chart["x_title"] == "respondents" and chart["y_title"]
        # ticks on round numbers
        assert all(int(t["label"]) % 10 == 0 for t in chart["y_ticks"] + chart["x_ticks"])
        assert {m["key"] for m in chart["marks"]} <= {"Zuid", "Noord", "Midden"}
    # one table, alphabetical, in words that place a coalition against the limits only
    labels = [row[0]["text"] for row in figure["table"]["rows"]]
    assert labels == ["Midden Samen", "Noord Verbindt", "Zuid Doet"]
    cells = " ".join(c["text"] for row in figure["table"]["rows"] for c in row[1:])
    assert re.search(r"\b(within|above|below)\b", cells)
    assert not re.search(r"\b(top|bottom|middle group|rank)", cells)


def test_heat_map_cells_show_their_margin_next_to_the_colour() -> None:
    from surveycoal.scoring import score_round

    coalitions = [
        sample_coalition(slug="noord", name="Noord", seed=1),
        sample_coalition(slug="klein", name="Klein", seed=3, sizes=(7, 9, 8), reading=None),
    ]
    ctx = programme_context("Expedities (test)", coalitions, lang="en", today=TODAY)
    figure = next(f for f in ctx["heatmaps"]["figures"] if f["id"] == "fig-heatmap-3")
    (chart,) = figure["charts"]
    ordered = sorted(coalitions, key=lambda c: c.name)  # the heat map is alphabetical
    for row, coalition in zip(chart["rows"], ordered, strict=True):
        assert row["full"] == coalition.name
        dims = score_round(coalition.rounds[-1]).to_json()["dimensions"]
        for cell, dim in zip(row["cells"], dims, strict=True):
            margin = max(dim["ci_high"] - dim["mean"], dim["mean"] - dim["ci_low"])
            assert cell["sub"] == f"\u00b1{W.number(margin, 'en')}"
    margins = {row["full"]: sum(int(c["sub"][1:]) for c in row["cells"]) for row in chart["rows"]}
    assert margins["Klein"] > margins["Noord"]  # 8 people leave wider margins than 24
    assert "\u00b1" in figure["note"]


def test_a_crowded_funnel_names_only_who_stands_out_and_no_letter_covers_another() -> None:
    from surveycoal.reports.charts import FunnelPoint, funnel_chart

    points = [FunnelPoint(letter_key(k), 20, 60 + (k % 7), "within", "within") for k in range(30)]
    points[3] = FunnelPoint("D", 20, 95.0, "above", "above")
    points[9] = FunnelPoint("J", 20, 30.0, "within", "below")
    chart = funnel_chart("f1", "t", "d", points, centre=63, sigma=15, tau2=0, centre_label="c")
    labelled = {m["label"] for m in chart["marks"] if m["label"]}
    assert labelled == {"D", "J"}
    assert chart["unlabelled"] == 28
    few = [FunnelPoint(letter_key(k), 8 + 4 * k, 50 + 5 * k, "within") for k in range(6)]
    chart = funnel_chart("f2", "t", "d", few, centre=60, sigma=15, tau2=0, centre_label="c")
    assert [m["label"] for m in chart["marks"]] == [p.key for p in few]
    assert chart["unlabelled"] == 0
    crowded = [FunnelPoint(letter_key(k), 20, 60.0 + k * 0.2, "within") for k in range(5)]
    chart = funnel_chart("f3", "t", "d", crowded, centre=60, sigma=15, tau2=0, centre_label="c")
    named = [m for m in chart["marks"] if m["label"]]
    assert chart["unlabelled"] == 5 - len(named) > 0
    # no two names share a line within a name's height, where they would overlap
    spots = sorted((m["label_y"], m["label_x"], m["anchor"]) for m in named)
    assert len(set(spots)) == len(spots)
    for a, b in zip(spots, spots[1:], strict=False):
        assert b[0] - a[0] >= 12 or a[2] != b[2] or abs(b[1] - a[1]) > 30
