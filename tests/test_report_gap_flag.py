"""The programme report's flag "an equality gap grew": residents and professionals answer
clearly differently now, did not in the first round, and the first round's gap lies outside
the present one's interval (``reports.common.gap_grew``)."""

from __future__ import annotations

import datetime as dt

from report_fixtures import sample_coalition

from surveycoal.reports.programme import programme_context
from surveycoal.scoring import PROFESSIONAL, RESIDENT, score_round

TODAY = dt.date(2026, 5, 1)
APART = {RESIDENT: 1.4, PROFESSIONAL: -1.4}


def _flags(*coalitions):  # type: ignore[no-untyped-def]
    ctx = programme_context("Expedities (test)", list(coalitions), lang="en", today=TODAY)
    return ctx["summary"]["flags"], ctx


def _gap_flags(flags: list[str]) -> list[str]:
    return [f for f in flags if "residents and professionals now answer clearly differently" in f]


def test_a_gap_that_grew_between_rounds_is_flagged_and_one_that_did_not_is_not() -> None:
    grew = sample_coalition(
        slug="zonnehoek", name="Zonnehoek Samen", sizes=(24, 24), type_shift=(None, APART)
    )
    same = sample_coalition(slug="rietveld", name="Rietveld Verbindt", sizes=(24, 24), seed=11)
    flags, _ = _flags(grew, same)
    gap = _gap_flags(flags)
    assert len(gap) == 1, flags
    assert gap[0].startswith("Zonnehoek Samen: on ") and gap[0].endswith("in round 1 they did not.")
    assert not any("Rietveld" in f for f in gap)
    # a real amount: every dimension's gap moved by more than ten points
    before, after = (score_round(rd).to_json() for rd in grew.rounds)
    for old, new in zip(before["dimensions"], after["dimensions"], strict=True):
        assert abs(new["gap"]["diff"]) - abs(old["gap"]["diff"]) > 10


def test_no_gap_flag_when_the_gap_was_there_from_the_first_round() -> None:
    always = sample_coalition(
        slug="zonnehoek", name="Zonnehoek Samen", sizes=(24, 24), type_shift=(APART, APART)
    )
    flags, _ = _flags(always)
    assert _gap_flags(flags) == [], flags


def test_no_gap_flag_when_no_gap_appears() -> None:
    flags, _ = _flags(
        sample_coalition(sizes=(24, 24)), sample_coalition(slug="b", name="B", seed=3)
    )
    assert _gap_flags(flags) == [], flags
