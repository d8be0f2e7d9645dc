"""The first page of a programme report: findings a funder can read in half a minute.

The programme's score per dimension with its range, per dimension how many
coalitions changed in which way since the first and since the previous round,
and a few plain points worth a conversation. Counted from the verdicts scoring
gave, never decided again.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

import pytest
from markupsafe import escape
from report_fixtures import parse_html, sample_coalition

from surveycoal.reports.common import CHANGE_GROUPS
from surveycoal.reports.programme import programme_context
from surveycoal.reports.render import render
from surveycoal.scoring import compare_rounds

TODAY = dt.date(2026, 10, 1)


@pytest.fixture(scope="module")
def programme() -> tuple[list, dict]:  # type: ignore[type-arg]
    coalitions = [
        sample_coalition(slug="zonnehoek", name="Zonnehoek Samen", seed=7, shift_per_round=0.5),
        sample_coalition(slug="noord", name="Noord Verbindt", seed=1, shift_per_round=-0.8),
        # the middle round too small to show
        sample_coalition(
            slug="klein", name="Klein Rietveld", seed=3, sizes=(9, 3, 8), reading=None
        ),
    ]
    # few of those invited answered the last round of Noord
    noord = coalitions[1]
    last = replace(noord.rounds[-1], invited=60)
    coalitions[1] = replace(noord, rounds=(*noord.rounds[:-1], last))
    ctx = programme_context("Expedities (test)", coalitions, lang="en", today=TODAY)
    return coalitions, ctx


def test_the_programme_score_per_dimension_has_its_range(programme) -> None:  # type: ignore[no-untyped-def]
    _, ctx = programme
    findings = ctx["summary"]["findings"]
    assert len(findings["rows"]) == 8
    for row in findings["rows"]:
        match = re.fullmatch(r"(\d+) \((\d+)\u2013(\d+)\)", row["score"])
        assert match, row["score"]
        mean, low, high = map(int, match.groups())
        assert low <= mean <= high and high - low > 0
        assert row["bar"]["low"] <= row["bar"]["mean"] <= row["bar"]["low"] + row["bar"]["width"]


def test_counts_of_change_follow_the_verdicts_since_each_baseline(programme) -> None:  # type: ignore[no-untyped-def]
    coalitions, ctx = programme
    findings = ctx["summary"]["findings"]
    assert findings["head"][2:] == ["Since the first round", "Since the previous round"]
    baselines = [
        {c.slug: compare_rounds(c.rounds[0], c.rounds[-1]) for c in coalitions},
        {c.slug: compare_rounds(c.rounds[-2], c.rounds[-1]) for c in coalitions},
    ]
    for row, dim_id in zip(
        findings["rows"], [d.id for d in coalitions[0].rounds[0].instrument.dimensions], strict=True
    ):
        for tally, changes in zip(row["tallies"], baselines, strict=True):
            expected = {}
            for change in changes.values():
                found = change.find(dim_id)
                assert found is not None
                group = found.group
                expected[group] = expected.get(group, 0) + 1
            assert {t["group"]: t["count"] for t in tally} == expected, (dim_id, tally)
            assert sum(t["count"] for t in tally) == len(coalitions)
            assert all(t["glyph"] == CHANGE_GROUPS[t["group"]][0] for t in tally)
    # Klein Rietveld's middle round is hidden: its change since the previous round is untested
    untested = [
        t for row in findings["rows"] for t in row["tallies"][1] if t["group"] == "untested"
    ]
    assert untested and all(t["count"] >= 1 for t in untested)


def test_flags_name_a_decline_a_low_response_rate_and_a_hidden_round(programme) -> None:  # type: ignore[no-untyped-def]
    _, ctx = programme
    summary = ctx["summary"]
    flags = summary["flags"]
    assert 1 <= len(flags) <= 5
    text = " ".join(flags)
    assert "Klein Rietveld: round 2 is hidden, because fewer than 5 people answered." in flags
    assert re.search(
        r"Noord Verbindt: fewer than half of those invited answered in round 3 \(\d+%\)", text
    )
    assert re.search(r"Noord Verbindt: lower since round \d on [A-Z]", text)
    assert not summary["flags_none"]
    # nothing technical on the first page
    assert not re.search(r"ICC|Holm|p-value|alpha", text + summary["intro"])


def test_the_first_page_holds_findings_and_the_measurement_moves_to_the_methods(programme) -> None:  # type: ignore[no-untyped-def]
    _, ctx = programme
    html = render("programme", ctx)
    tree = parse_html(html)
    sections = [n for n in tree.iter() if "report-section" in n.classes()]
    first = sections[0]
    assert first.attrs["id"] == "summary"
    assert "Worth a conversation" in first.text()
    tables = [t for t in first.find_all("table") if "findings-table" in t.classes()]
    assert len(tables) == 1
    # every cell of the findings table says what it is on a phone (stacked rows)
    assert all(td.attrs.get("data-label") for td in tables[0].find_all("td"))
    assert "ICC" not in first.text()
    # the summary line is said once, on the cover
    assert html.count(str(escape(ctx["summary"]["facts"]))) == 1
    methods = next(s for s in sections if s.attrs["id"] == "participation")
    assert "Can the coalitions be told apart?" in methods.text()
    assert "ICC(2)" in methods.text()
    glossary = [n for n in methods.iter() if n.tag == "dl"]
    assert glossary and len(glossary[0].find_all("dt")) >= 5
    # the contents follow the findings
    nav = next(n for n in tree.iter() if n.tag == "nav")
    assert html.index("Worth a conversation") < html.index(nav.attrs["aria-label"])


def test_a_programme_where_nothing_stands_out_says_so() -> None:
    # one member type only: no gap to grow; no change; everyone answered
    one_type = {"resident_initiative": 1.0}
    coalitions = [
        sample_coalition(
            slug="a", name="Alfa Samen", seed=11, shift_per_round=0.0, sizes=(20, 22), mix=one_type
        ),
        sample_coalition(
            slug="b", name="Beta Samen", seed=12, shift_per_round=0.0, sizes=(21, 20), mix=one_type
        ),
    ]
    ctx = programme_context("Expedities (test)", coalitions, lang="nl", today=TODAY)
    summary = ctx["summary"]
    assert summary["flags"] == []
    assert summary["flags_none"].startswith("Er springt niets uit")
    # two rounds: the first round is also the previous one, shown once
    assert summary["findings"]["head"][2:] == ["Sinds de eerste ronde (ook de vorige)"]


def test_each_coalition_page_shows_both_baselines(programme) -> None:  # type: ignore[no-untyped-def]
    _, ctx = programme
    for page in ctx["pages"]["coalitions"]:
        head = page["figure"]["table"]["head"]
        assert head[2:] == ["Since the previous round (R2)", "Change since round 1"], head
        assert all(len(row) == len(head) for row in page["figure"]["table"]["rows"])
    # Klein Rietveld's round 2 is hidden: since the previous round is hidden, since round 1 is not
    klein = next(p for p in ctx["pages"]["coalitions"] if p["name"] == "Klein Rietveld")
    rows = klein["figure"]["table"]["rows"]
    assert all(row[2]["hidden"] for row in rows)
    assert not any(row[3]["hidden"] for row in rows)
