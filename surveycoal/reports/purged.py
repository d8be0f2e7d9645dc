"""Rounds whose raw answers were deleted (``surveycoal round purge``), in reports.

A purged round keeps its published scores (the JSON of ``surveycoal score SLUG/N
--json``, every small group hidden already), and nothing else of its answers. So:

- where a report shows a round's scores (a coalition's history, the programme's
  heat maps), it shows the kept ones;
- a change from or to a purged round cannot be tested, because the test needs the
  answers of both rounds (docs/METHODS.md section 8): it shows as "answers deleted",
  never as a verdict;
- a report built from the answers themselves (the report of that round, the
  programme's side-by-side of it, a comparison) is refused, with a message naming
  the round and what can be done instead.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from surveycoal.errors import RoundStateError
from surveycoal.i18n import _
from surveycoal.reports.gather import CoalitionData
from surveycoal.rounddata import RoundData
from surveycoal.scoring import (
    PooledReliability,
    RoundChange,
    RoundScores,
    compare_rounds,
    score_round,
)


def round_scores(
    data: CoalitionData,
    rd: RoundData,
    *,
    seed: int,
    mid: float,
    pooled: PooledReliability | None,
) -> RoundScores:
    """A round's scores: the kept ones for a purged round."""
    kept = data.kept.get(rd.round) if data.purged_on(rd.round) is not None else None
    if kept is not None:
        return kept
    return score_round(rd, seed=seed, pooled_alpha=pooled, mid=mid)


def round_change(
    data: CoalitionData,
    a: RoundData,
    b: RoundData,
    *,
    mid: float,
    seed: int,
    compare: Callable[..., RoundChange] = compare_rounds,
) -> RoundChange:
    """The change from round ``a`` to ``b``; each dimension untested when either was purged.

    ``compare`` is :func:`~surveycoal.scoring.compare_rounds` as the calling report
    module sees it.
    """
    change = compare(a, b, mid=mid, seed=seed)
    if data.purged_on(a.round) is None and data.purged_on(b.round) is None:
        return change
    return change.untested_after_purge()


def refuse_purged(data: CoalitionData, numbers: Iterable[int], why: str, hint: str = "") -> None:
    """Refuse a report that needs the answers of a purged round, naming the round.

    ``why`` (already in the lead's language) ends the sentence "The answers of SLUG/N
    were deleted on DATE, so ..."; ``hint`` may hold ``{ref}``.
    """
    for number in numbers:
        day = data.purged_on(number)
        if day is not None:
            raise answers_deleted(f"{data.slug}/{number}", day, why, hint)


def answers_deleted(ref: str, day: dt.date, why: str, hint: str = "") -> RoundStateError:
    """The refusal of whatever needs the answers of purged round ``ref``: the one message
    every report and export gives. ``why`` ends its sentence; ``hint`` may hold ``{ref}``."""
    return RoundStateError(
        _("The answers of {ref} were deleted on {day}, so {why}.").format(
            ref=ref, day=day.isoformat(), why=why
        ),
        hint=hint.format(ref=ref)
        or _("Its scores are kept: {command}").format(command=f"surveycoal score {ref}"),
    )


def any_purged(changes: Iterable[RoundChange | None]) -> bool:
    """True when one of ``changes`` could not be tested because a round was purged."""
    return any(c is not None and c.purged for c in changes)
