"""Comparison reports: the reader's table gives the difference, its range and the verdict in
words; the test's figures (p, effect size, smallest findable difference) are in the methods."""

from __future__ import annotations

import datetime as dt
import re

from report_fixtures import parse_html, sample_coalition

from surveycoal.reports import words as W
from surveycoal.reports.compare import groups_compare_context, rounds_compare_context
from surveycoal.reports.render import render

TODAY = dt.date(2026, 5, 1)
TEST_FIGURES = ("p (Holm)", "Effectgrootte", "Kleinste vindbare verschil", "Cliff", "ICC")


def _sections(html: str) -> tuple[str, str]:
    """The text of the differences section and of the methods section."""
    tree = parse_html(html)
    by_id = {s.attrs.get("id"): " ".join(s.text().split()) for s in tree.find_all("section")}
    return by_id["differences"], by_id["methods"]


def test_round_comparison_keeps_test_figures_out_of_the_readers_table() -> None:
    ctx = rounds_compare_context(sample_coalition(), 1, 3, lang="nl", today=TODAY)
    head = ctx["diff"]["figure"]["table"]["head"]
    assert head == ["Dimensie", "Verschil (95%-BI)", "Oordeel", "Gekoppeld"]
    differences, methods = _sections(render("compare", ctx))
    for word in TEST_FIGURES:
        assert word not in differences, word
    # the methods give every tested dimension's p the Dutch way, and its effect size
    details = ctx["methods"]["details"]["table"]
    assert details["head"][1:] == ["p (Holm)", "Effectgrootte (g)", "Kleinste vindbare verschil"]
    assert "p (Holm)" in methods and "Effectgrootte (g)" in methods
    ps = [row[1]["text"] for row in details["rows"] if not row[1]["hidden"]]
    assert ps
    for p in ps:
        assert p in (W.words("nl")["p_small"], W.words("nl")["p_smaller"]) or re.fullmatch(
            r"[01],\d\d", p
        ), p


def test_group_comparison_verdicts_name_the_higher_coalition_in_the_table() -> None:
    a = sample_coalition(slug="zonnehoek", name="Zonnehoek Samen", shift_per_round=0.0, seed=3)
    b = sample_coalition(slug="rietveld", name="Rietveld Verbindt", shift_per_round=1.2, seed=4)
    ctx = groups_compare_context(a, b, 3, lang="nl", today=TODAY)
    assert ctx["diff"]["figure"]["table"]["head"] == ["Dimensie", "Verschil (95%-BI)", "Oordeel"]
    verdicts = [row[2]["text"] for row in ctx["diff"]["figure"]["table"]["rows"] if len(row) > 2]
    higher = [v for v in verdicts if "hoger" in v]
    assert higher, verdicts
    assert all("Rietveld Verbindt" in v or "Zonnehoek Samen" in v for v in higher), higher
    differences, _ = _sections(render("compare", ctx))
    for word in TEST_FIGURES:
        assert word not in differences, word
