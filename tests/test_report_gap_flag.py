"""The programme report's flag "an equality gap grew": residents and professionals answer
clearly differently now, did not in the first round, and the first round's gap lies outside
the present one's interval. Scoring decides it (``RoundScores.gaps_grown_since``, built on
``Gap.grew_since``); the report only names the dimensions."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from report_fixtures import sample_coalition

from surveycoal.reports.programme import programme_context
from surveycoal.scoring import PROFESSIONAL, RESIDENT, Gap, score_round

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
    before, after = (score_round(rd) for rd in grew.rounds)
    for old, new in zip(before.dimensions, after.dimensions, strict=True):
        assert old.gap is not None and new.gap is not None
        assert abs(new.gap.diff) - abs(old.gap.diff) > 10
    # the flag names exactly the dimensions scoring found
    grown = after.gaps_grown_since(before)
    assert grown and before.gaps_grown_since(after) == ()
    instrument = grew.rounds[-1].instrument
    named = gap[0].split(": on ", 1)[1]
    for dim in instrument.dimensions:
        assert (dim.label["en"] in named) == (dim.id in grown), (dim.id, named)


def test_a_gap_that_names_a_side_only_grew_when_the_earlier_one_lies_outside_it() -> None:
    now = Gap(
        RESIDENT, PROFESSIONAL, 12.0, 5.0, 19.0, 0.5, 0.2, 0.7, "large", 0.001, "welch",
        88.0, 81.0, 95.0, verdict="higher", higher=RESIDENT,
    )  # fmt: skip
    assert now.names_side
    assert now.grew_since(replace(now, diff=2.0, verdict="no_detectable_difference", higher=None))
    # the earlier gap inside the present interval: it crossed the edge, it did not grow
    assert not now.grew_since(replace(now, diff=6.0, verdict="possibly_higher", higher=None))
    # already clear before; or nothing to compare with
    assert not now.grew_since(replace(now, diff=2.0))
    assert not now.grew_since(None)
    # a "possibly" side is not clear now
    assert not replace(now, verdict="possibly_higher").grew_since(
        replace(now, diff=-2.0, verdict="no_detectable_difference")
    )


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
