"""One verdict rule everywhere (docs/METHODS.md section 8).

A programme is built to hold each of the three honest states (a change that holds after
Holm, one that holds only before it, and one whose interval holds zero), for changes
between rounds and for the gap between member types. The terminal tables, the JSON and
every report must then give the same verdict for the same change: the words, the symbol
and the Holm marker all come from the result scoring returned.
"""

from __future__ import annotations

import dataclasses
import io
import json
from collections.abc import Callable, Iterator, Sequence

import numpy as np
import pytest
from report_fixtures import ROUND_DATES, Node, parse_html
from rich.console import Console
from scoring_factories import make_instrument, make_round_data

from surveycoal import stats
from surveycoal import terminal as presenter
from surveycoal.reports import words as W
from surveycoal.reports.coalition import coalition_context
from surveycoal.reports.common import VERDICT_STYLE, dimension_label, member_type_label
from surveycoal.reports.compare import (
    groups_compare_context,
    member_types_compare_context,
    rounds_compare_context,
)
from surveycoal.reports.gather import CoalitionData, RoundInfo
from surveycoal.reports.programme import programme_context
from surveycoal.reports.render import render
from surveycoal.rounddata import RoundData
from surveycoal.scoring import (
    PROFESSIONAL,
    RESIDENT,
    compare_groups,
    compare_member_types,
    compare_rounds,
    score_round,
)

LANG = "en"
MARK = "\u2020"
INSTRUMENT = make_instrument()
#: Round 2 moves some dimensions, and residents a little on every dimension.
SHIFT = {"trust": 1.2, "equality": -0.55, "shared_goal": 0.5, "ownership": -0.4}
STATES = (
    {"improved", "slightly_improved", "declined", "slightly_declined"},
    {"possibly_improved", "possibly_declined"},
    {"no_detectable_change"},
)
GAP_STATES = (
    {"higher", "slightly_higher", "lower", "slightly_lower"},
    {"possibly_higher", "possibly_lower"},
    {"no_detectable_difference"},
)


def _coalition(slug: str, seed: int) -> CoalitionData:
    rng = np.random.default_rng(seed)
    rounds = []
    for k in (1, 2):
        data = make_round_data(
            INSTRUMENT,
            16,
            rng,
            member_types={RESIDENT: 0.5, PROFESSIONAL: 0.5},
            shift=SHIFT if k == 2 else 0.0,
            type_shift={RESIDENT: 0.35} if k == 2 else None,
            coalition=slug,
            round_number=k,
        )
        rounds.append(
            dataclasses.replace(data, coalition_name=slug.title(), programme="Drie toestanden")
        )
    infos = tuple(RoundInfo(k, "closed", ROUND_DATES[k - 1], ROUND_DATES[k]) for k in (1, 2))
    return CoalitionData(slug, slug.title(), "Drie toestanden", tuple(rounds), infos, (), ())


@pytest.fixture(scope="module")
def noord() -> CoalitionData:
    return _coalition("noord", 108)


@pytest.fixture(scope="module")
def zuid() -> CoalitionData:
    return _coalition("zuid", 93)


# -- reading the outputs ------------------------------------------------------------------
def _label(dim_id: str) -> str:
    return dimension_label(INSTRUMENT, dim_id, LANG)


def _cells(row: Node) -> list[str]:
    return [" ".join(c.text().split()) for c in row.iter() if c.tag in ("td", "th")]


def _tables(html: str) -> Iterator[tuple[str, list[list[str]]]]:
    """(caption and header, rows) of every table in a report."""
    for table in parse_html(html).find_all("table"):
        rows = [_cells(tr) for tr in table.find_all("tr")]
        caption = " ".join(c.text() for c in table.find_all("caption"))
        yield caption + " | " + " | ".join(rows[0] if rows else []), rows[1:]


def _rows_of(html: str, header: Callable[[str], bool]) -> dict[str, list[str]]:
    """The rows, by their first cell, of the one table whose caption/header matches."""
    found = [rows for head, rows in _tables(html) if header(head)]
    assert len(found) == 1, [head for head, _ in _tables(html)]
    return {row[0]: row[1:] for row in found[0]}


def _terminal(print_it: Callable[[], None], monkeypatch: pytest.MonkeyPatch) -> str:
    buffer = io.StringIO()
    monkeypatch.setattr(presenter, "console", Console(file=buffer, width=400, markup=False))
    print_it()
    return buffer.getvalue()


def _terminal_table(output: str, title: str) -> dict[str, list[str]]:
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip().startswith(title))
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("\u2514"))
    rows = [
        [cell.strip() for cell in line.split("\u2502")[1:-1]]
        for line in lines[start:end]
        if line.startswith("\u2502")
    ]
    return {row[0]: row[1:] for row in rows}


# -- what one verdict looks like wherever it is shown ----------------------------------------
def _words(result: dict, sides: dict[str, str] | None = None) -> str:
    if sides is not None and result.get("higher"):
        return W.difference_text(result["verdict"], sides[result["higher"]], LANG)
    return W.verdict_text(result["verdict"], LANG)


def _says(cell: str, result: dict, sides: dict[str, str] | None = None, *, glyph: bool) -> None:
    """``cell`` shows the result's verdict: its symbol, its words, its marker and nothing else."""
    words = _words(result, sides)
    symbol = VERDICT_STYLE[result["verdict"]][1]
    expected = f"{symbol} {words}" if glyph else words
    assert cell.startswith(expected), (cell, expected)
    rest = cell[len(expected) :]
    assert not rest or rest[0] in " :", (cell, expected)  # "improved" is not "possibly improved"
    assert (MARK in cell) == (result["verdict_note"] == "holm"), cell
    assert (result["verdict_note"] == "holm") == (result["verdict"] in stats.POSSIBLY)


def _holds_each_state(verdicts: Sequence[str], states: Sequence[set[str]]) -> None:
    for state in states:
        assert state & set(verdicts), (state, verdicts)


# -- the tests -------------------------------------------------------------------------------
def test_programme_holds_each_of_the_three_states(noord: CoalitionData) -> None:
    a, b = noord.rounds
    _holds_each_state([c.verdict for c in compare_rounds(a, b).changes], STATES)
    gaps = [d.gap.verdict for d in score_round(b).dimensions if d.gap is not None]
    _holds_each_state(gaps, GAP_STATES)


def test_a_change_has_one_verdict_in_the_terminal_the_json_and_every_report(
    noord: CoalitionData, zuid: CoalitionData, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = noord.rounds
    changes = json.loads(json.dumps(compare_rounds(a, b).to_json()))["changes"]
    out = _terminal(
        lambda: presenter.print_change(compare_rounds(a, b), b.coalition_name, b.instrument),
        monkeypatch,
    )
    terminal = _terminal_table(out, "Change per dimension")
    coalition = _rows_of(
        render("coalition", coalition_context(noord, lang=LANG)),
        lambda head: head.startswith(W.words(LANG)["trend_verdicts"]),
    )
    rounds = _rows_of(
        render("compare", rounds_compare_context(noord, 1, 2, lang=LANG)),
        lambda head: W.words(LANG)["verdict"] in head.split(" | "),
    )
    html = render("programme", programme_context("Drie toestanden", [noord, zuid], lang=LANG))
    # the programme's change table: one row per coalition, "Noord (R1\u2192R2)"
    programme = {
        row[0]: row[1:]
        for _, rows in _tables(html)
        for row in rows
        if row and row[0].startswith("Noord (")
    }
    pages = [
        rows for head, rows in _tables(html) if head.endswith(W.say(LANG, "page_changes", n=1))
    ]
    page = {row[0]: row[1:] for row in pages[0]}  # noord is the first coalition's page
    assert any(MARK in cell for cells in terminal.values() for cell in cells)
    for k, change in enumerate(changes):
        label = _label(change["dimension"])
        _says(terminal[label][2], change, glyph=False)
        _says(coalition[label][0], change, glyph=True)
        _says(rounds[label][1], change, glyph=True)
        _says(page[label][1], change, glyph=True)
        # the programme's change table shows the symbol, the change and the marker
        (cells,) = programme.values()
        cell = cells[k]
        assert cell.startswith(VERDICT_STYLE[change["verdict"]][1] + " ")
        assert (MARK in cell) == (change["verdict_note"] == "holm")
    # the footnote appears where a marker does
    assert (W.words(LANG)["holm_footnote"] in out) == any(c["verdict_note"] for c in changes)


def test_a_gap_has_one_verdict_in_the_round_the_member_type_comparison_and_their_outputs(
    noord: CoalitionData, monkeypatch: pytest.MonkeyPatch
) -> None:
    b = noord.rounds[1]
    gaps = {d["id"]: d["gap"] for d in score_round(b).to_json()["dimensions"]}
    differences = compare_member_types(b).to_json()["differences"]
    for diff in differences:
        gap = gaps[diff["dimension"]]
        assert gap is not None
        for key in ("verdict", "verdict_note", "higher", "diff", "ci_low", "ci_high"):
            assert gap[key] == pytest.approx(diff[key]), (diff["dimension"], key)
    sides = {t: member_type_label(INSTRUMENT, t, LANG) for t in (RESIDENT, PROFESSIONAL)}
    out = _terminal(
        lambda: presenter.print_round(score_round(b), b.instrument, False),
        monkeypatch,
    )
    terminal = _terminal_table(out, "Equality:")
    coalition = _rows_of(
        render("coalition", coalition_context(noord, lang=LANG)),
        lambda head: f"{W.words(LANG)['gap']} ({W.words(LANG)['ci_short']})" in head,
    )
    types = _rows_of(
        render("compare", member_types_compare_context(noord, 2, lang=LANG)),
        lambda head: W.words(LANG)["verdict"] in head.split(" | "),
    )
    for diff in differences:
        label = _label(diff["dimension"])
        _says(terminal[label][1], diff, sides, glyph=False)
        _says(coalition[label][0].split(": ", 1)[1], diff, sides, glyph=False)
        _says(types[label][1], diff, sides, glyph=True)
        if diff["higher"]:
            assert sides[diff["higher"]] in types[label][1]


def test_coalitions_side_by_side_name_the_higher_coalition(
    noord: CoalitionData, zuid: CoalitionData
) -> None:
    differences = compare_groups(noord.rounds[1], zuid.rounds[1]).to_json()["differences"]
    rows = _rows_of(
        render("compare", groups_compare_context(noord, zuid, 2, lang=LANG)),
        lambda head: W.words(LANG)["verdict"] in head.split(" | "),
    )
    sides = {"noord": "Noord", "zuid": "Zuid"}
    for diff in differences:
        _says(rows[_label(diff["dimension"])][1], diff, sides, glyph=True)


def test_a_round_with_data_other_than_the_fixture_still_agrees() -> None:
    """The gap's verdict and the member-type comparison share one decision, any data."""
    rng = np.random.default_rng(4)
    for n in (10, 14, 24):
        data: RoundData = make_round_data(
            INSTRUMENT, n, rng, member_types={RESIDENT: 0.5, PROFESSIONAL: 0.5}
        )
        gaps = {d.id: d.gap for d in score_round(data).dimensions}
        for diff in compare_member_types(data).differences:
            gap = gaps[diff.dimension]
            if gap is None:
                assert diff.suppressed or diff.verdict == "too_few"
                continue
            assert (gap.verdict, gap.verdict_note, gap.higher) == (
                diff.verdict,
                diff.verdict_note,
                diff.higher,
            )
