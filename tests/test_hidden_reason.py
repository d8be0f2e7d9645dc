"""A hidden cell tells readers one thing, whatever lies behind it (issue: one mark for all).

One municipal respondent who answered "don't know" to every trust statement has
no trust score at all, and a score too small to show elsewhere. If the first said
"no responses" and the others "too small", a reader would learn how that one
person answered. Every hidden cell must read the same.
"""

from __future__ import annotations

import re

import pytest

from surveycoal import store as st
from surveycoal.privacy import REASONS
from surveycoal.reports import words as W
from surveycoal.reports.coalition import coalition_context
from surveycoal.reports.gather import gather_coalition
from surveycoal.reports.render import render

HIDDEN = "hidden to protect anonymity"


@pytest.fixture
def one_municipal(store, coalition):  # type: ignore[no-untyped-def]
    from surveycoal.instruments import load_instrument

    opened = st.open_round(store, coalition, load_instrument("coalition-health"))
    items = opened.instrument.items
    answers = [
        st.NewResponse("resident_initiative", {i.id: 1 + (n + k) % 5 for k, i in enumerate(items)})
        for n in range(6)
    ] + [
        st.NewResponse("welfare_organisation", {i.id: 1 + (n * k) % 5 for k, i in enumerate(items)})
        for n in range(6)
    ]
    municipal = {i.id: (None if i.dimension == "trust" else 4) for i in items}
    answers.append(st.NewResponse("municipality", municipal))
    st.submit_responses(store, opened.ref, answers)
    st.close_round(store, opened.ref)
    return opened.ref


def test_every_privacy_reason_reads_the_same_in_every_language() -> None:
    assert set(REASONS) == W.PRIVACY_REASONS
    for lang in W.LANGUAGES:
        texts = {
            W.reason_text(code, lang, {"min": 5, "min_items": 10, "min_text": 10})
            for code in REASONS
        }
        assert texts == {W.hidden_words(None, lang)}
        assert not re.search(r"\d", texts.pop())
    # an empty cell for a reason that is not about privacy still says what it is
    assert W.reason_text("one_round", "en", {}) == "only one round so far"


def test_one_municipal_respondent_is_hidden_with_one_reason_in_the_terminal(
    cli, one_municipal: str
) -> None:  # type: ignore[no-untyped-def]
    result = cli("score", one_municipal)
    assert result.exit_code == 0, result.output
    types = result.output.split("Scores per member type")[1].split("Equality:")[0]
    header = next(
        [c.strip() for c in line.split("┃")[1:-1]] for line in types.splitlines() if "┃" in line
    )
    body = [
        [c.strip() for c in line.split("│")[1:-1]] for line in types.splitlines() if "│" in line
    ]
    municipal = header.index("Municipality")
    # trust (no answer but "don't know") and every other dimension (one person) read the same
    assert len(body) == 8 and {row[municipal] for row in body} == {HIDDEN}
    assert "no responses" not in result.output.lower()


def test_one_municipal_respondent_is_hidden_with_one_reason_in_the_report(
    store, one_municipal: str
) -> None:  # type: ignore[no-untyped-def]
    data = gather_coalition(store, one_municipal.split("/")[0])
    for lang, phrase, other in (
        ("en", HIDDEN, "no responses"),
        ("nl", W.hidden_words(None, "nl"), "geen antwoorden"),
    ):
        html = render("coalition", coalition_context(data, lang=lang))
        assert phrase in html
        assert other not in html.lower()
        for reason in ("hidden: ", "verborgen: ", "smaller hidden group", "kleinere verborgen"):
            assert reason not in html


def test_one_municipal_respondent_hides_the_same_cells_in_every_dimension(
    store, one_municipal: str
) -> None:  # type: ignore[no-untyped-def]
    """The pattern of hidden cells must not tell either (docs/METHODS.md section 7).

    The municipal person has no trust score: if the residents were shown in trust
    but hidden as a complement everywhere else, the table would still say that this
    one person answered "don't know" to all of trust.
    """
    from surveycoal.scoring import score_round
    from surveycoal.store.responses import load_round_data

    scores = score_round(load_round_data(store, one_municipal))
    patterns = {
        dim.id: tuple(
            (name, cell.suppressed, cell.suppressed_reason)
            for name, cell in sorted(dim.by_member_type.items())
            if name != "other"
        )
        for dim in scores.dimensions
    }
    assert len(set(patterns.values())) == 1, patterns
    municipal = {name: reason for name, _, reason in patterns["trust"]}["municipality"]
    assert municipal == "below_minimum"


def test_published_json_gives_one_reason_for_every_hidden_cell(cli, one_municipal: str) -> None:  # type: ignore[no-untyped-def]
    """Which cell was too small and which was hidden beside it must not be readable."""
    import json

    result = cli("score", one_municipal, "--json")
    assert result.exit_code == 0, result.output
    reasons: set[str | None] = set()

    def collect(value: object) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if key == "suppressed_reason":
                    reasons.add(item)
                collect(item)
        elif isinstance(value, list):
            for item in value:
                collect(item)

    collect(json.loads(result.stdout))
    assert "anonymity" in reasons
    assert reasons <= {None, "anonymity"}
