"""The anonymity rules of docs/METHODS.md section 7, checked in what the reports show.

Scoring hides the figures of small groups; these tests check that the reports do
not give them back another way: a hidden round's number of responses, its response
rate, a programme total minus the shown counts, or a small number of linked people.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

from report_fixtures import answer_a_round, parse_html, sample_coalition

from surveycoal.reports import words as W
from surveycoal.reports.coalition import coalition_context
from surveycoal.reports.compare import rounds_compare_context
from surveycoal.reports.programme import programme_context
from surveycoal.reports.render import render
from surveycoal.scoring import compare_rounds

TODAY = dt.date(2026, 5, 1)


def _unlinked(data):  # type: ignore[no-untyped-def]
    """The same coalition with nobody linked across rounds."""
    rounds = tuple(replace(rd, responses=rd.responses.assign(panel_key=None)) for rd in data.rounds)
    return replace(data, rounds=rounds)


def _words(html: str) -> str:
    return " ".join(parse_html(html).text().split())


def test_a_hidden_round_does_not_say_how_many_answered() -> None:
    data = sample_coalition(sizes=(12, 4))
    ctx = coalition_context(data, lang="en", today=TODAY)
    assert ctx["round"]["suppressed"]
    hidden = W.say("en", "responses_hidden_invited", min=5, invited=10)
    assert ctx["round"]["response"] == hidden
    text = _words(render("coalition", ctx))
    assert "4 of 10" not in text and "(40%)" not in text
    rows = {row[0]["text"]: row for row in ctx["methods"]["responses"]["rows"]}
    round2 = rows[W.say("en", "round_n", n=2)]
    assert round2[1]["hidden"] and round2[3]["hidden"]  # count and rate
    assert round2[2]["text"] == "10"  # how many were invited is no secret
    round1 = rows[W.say("en", "round_n", n=1)]
    assert round1[1]["text"] == "12" and not round1[1]["hidden"]


def test_an_earlier_hidden_round_is_hidden_in_the_response_table() -> None:
    data = _unlinked(sample_coalition(sizes=(12, 4, 14)))
    ctx = coalition_context(data, lang="nl", today=TODAY)
    rows = {row[0]["text"]: row for row in ctx["methods"]["responses"]["rows"]}
    assert rows["Ronde 2"][1]["hidden"] and rows["Ronde 2"][3]["hidden"]
    assert not rows["Ronde 3"][1]["hidden"]


def _programme(round_number: int | None) -> dict:  # type: ignore[type-arg]
    coalitions = [
        sample_coalition(slug="noord", name="Noord", seed=1, sizes=(16, 20, 24)),
        sample_coalition(slug="klein", name="Klein", seed=3, sizes=(7, 4, 8), reading=None),
    ]
    return programme_context(
        "Expedities (test)", coalitions, round_number=round_number, lang="en", today=TODAY
    )


def test_programme_totals_leave_out_a_hidden_round() -> None:
    ctx = _programme(2)
    facts = ctx["summary"]["facts"]
    # Noord answered 20 times in round 2, Klein 4 times: a total of 24 minus Noord's
    # shown 20 would give Klein's hidden count back
    assert "20 responses" in facts and "24" not in facts
    assert W.say("en", "programme_not_counted", min=5) in facts
    # 20 of 26 invited in Noord; Klein's invitations are not counted either
    assert "77%" in facts


def test_programme_participation_and_pages_hide_a_hidden_round_count() -> None:
    ctx = _programme(None)
    rows = {row[0]["text"]: row for row in ctx["participation"]["table"]["rows"]}
    klein = rows["Klein"]
    assert klein[2]["hidden"]  # round 2: 4 responses
    assert klein[1]["text"].startswith("7") and klein[3]["text"].startswith("8")
    ctx2 = _programme(2)
    page = next(p for p in ctx2["pages"]["coalitions"] if p["name"] == "Klein")
    assert page["response"] == W.say("en", "responses_hidden_invited", min=5, invited=10)
    text = _words(render("programme", ctx2))
    assert not re.search(r"\b4 of 10\b", text)


def test_few_linked_people_are_not_counted_out_loud() -> None:
    # half of each round comes back: 4 people are linked between rounds of 9
    data = sample_coalition(sizes=(9, 9))
    ctx = rounds_compare_context(data, 1, 2, lang="en", today=TODAY)
    assert not re.search(r"linked: [1-4]\.$", ctx["intro"])
    linked_column = [row[-1]["text"] for row in ctx["diff"]["figure"]["table"]["rows"]]
    assert linked_column and not any(re.fullmatch(r"[1-4]", cell) for cell in linked_column)
    # scoring tested the 4 as unlinked and withholds their count; the report shows a dash
    change = compare_rounds(*data.rounds).to_json()["changes"]
    assert {c["n_linked"] for c in change} == {None}
    assert ctx["intro"].endswith("linked: -.")
    ctx = rounds_compare_context(sample_coalition(sizes=(16, 20)), 1, 2, lang="en", today=TODAY)
    # with 20 in round 2, the fixture brings back 20 // 2 = 10 people of round 1
    assert ctx["intro"].endswith("linked: 10.")


def test_an_open_round_is_reported_only_when_asked(coalition, store, cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Two reports of an open round, before and after a few more answers, would show
    those few answers by subtraction: an open round needs --open."""
    answer_a_round(store, coalition)
    target = tmp_path / "open.html"
    for args in (
        ("report", "coalition", coalition),
        ("report", "compare", coalition, "--round", "1", "--member-types"),
    ):
        result = cli(*args, "-o", str(target))
        assert result.exit_code == 1, result.output
        assert "still open" in result.output and "--open" in result.output
        assert "Traceback" not in result.output
        assert not target.exists()
    result = cli("report", "coalition", coalition, "--open", "--lang", "en", "-o", str(target))
    assert result.exit_code == 0, result.output
    text = _words(target.read_text(encoding="utf-8"))
    assert W.say("en", "open_round_warning", n=1) in text
