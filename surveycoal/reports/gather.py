"""Reading what a report needs from the database, in one place.

The context builders take these plain objects, so they can also be fed rounds
built in a test without a database.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from surveycoal.errors import InputError, NotFoundError
from surveycoal.i18n import _
from surveycoal.rounddata import RoundData
from surveycoal.scoring import RoundScores, kept_round_scores
from surveycoal.store import (
    Note,
    Store,
    get_coalition,
    get_programme,
    get_setting,
    list_coalitions,
    list_notes,
    list_rounds,
    load_many,
    set_setting,
)
from surveycoal.store.erasure import kept_scores

#: The settings row that marks a database as made by ``surveycoal demo``.
DEMO_SETTING = "demo_data"


@dataclass(frozen=True)
class RoundInfo:
    """When a round ran and whether it is still open."""

    number: int
    status: str
    opened_on: dt.date
    closed_on: dt.date | None
    #: the day the round's raw answers were deleted (``round purge``), or None
    purged_on: dt.date | None = None

    @property
    def is_open(self) -> bool:
        return self.status == "open"


@dataclass(frozen=True)
class CoalitionData:
    """One coalition's rounds (oldest first), their dates, and its notes."""

    slug: str
    name: str
    programme: str | None
    rounds: tuple[RoundData, ...]
    infos: tuple[RoundInfo, ...]
    notes: tuple[Note, ...] = ()
    readings: tuple[Note, ...] = ()
    #: the scores kept of each purged round, by round number
    kept: Mapping[int, RoundScores] = field(default_factory=dict)

    def round(self, number: int) -> RoundData:
        for data in self.rounds:
            if data.round == number:
                return data
        raise NotFoundError(
            "round", f"{self.slug}/{number}", [f"{self.slug}/{r.round}" for r in self.rounds]
        )

    def info(self, number: int) -> RoundInfo | None:
        for info in self.infos:
            if info.number == number:
                return info
        return None

    def purged_on(self, number: int) -> dt.date | None:
        """The day round ``number``'s raw answers were deleted, or None."""
        info = self.info(number)
        return None if info is None else info.purged_on


def is_demo(store: Store) -> bool:
    """True when the database was made by ``surveycoal demo`` (its reports carry a banner)."""
    return get_setting(store, DEMO_SETTING) == "yes"


def mark_demo(store: Store) -> None:
    """Record in the database that everything in it is demo data."""
    set_setting(store, DEMO_SETTING, "yes")


def gather_coalition(store: Store, slug: str, *, up_to: int | None = None) -> CoalitionData:
    """A coalition with its rounds 1..``up_to`` (all when None) and its notes."""
    coalition = get_coalition(store, slug)
    rounds = list_rounds(store, coalition=coalition.slug)
    if not rounds:
        raise InputError(
            _("{slug} has no rounds yet, so there is nothing to report.").format(
                slug=coalition.slug
            ),
            hint=_("Open one with: {command}").format(
                command=f"surveycoal round open {coalition.slug}"
            ),
        )
    if up_to is not None:
        if up_to not in {r.number for r in rounds}:
            raise NotFoundError("round", f"{coalition.slug}/{up_to}", [r.ref for r in rounds])
        rounds = [r for r in rounds if r.number <= up_to]
    data = load_many(store, [r.ref for r in rounds])
    notes = list_notes(store, coalition.slug)
    kept = {}
    for r in rounds:
        if r.purged_on is not None:
            text = kept_scores(store, r.ref)
            if text:
                kept[r.number] = kept_round_scores(json.loads(text))
    return CoalitionData(
        slug=coalition.slug,
        name=coalition.name,
        programme=coalition.programme,
        rounds=tuple(data),
        infos=tuple(
            RoundInfo(r.number, r.status, r.opened_on, r.closed_on, r.purged_on) for r in rounds
        ),
        notes=tuple(n for n in notes if n.kind == "timeline"),
        readings=tuple(n for n in notes if n.kind == "reading"),
        kept=kept,
    )


def gather_programme(
    store: Store, name: str, *, up_to: int | None = None
) -> tuple[str, list[CoalitionData]]:
    """A programme's exact name and its coalitions that have rounds (up to round ``up_to``)."""
    programme = get_programme(store, name)
    found = []
    for coalition in list_coalitions(store, programme=programme.name):
        numbers = [r.number for r in list_rounds(store, coalition=coalition.slug)]
        if not numbers:
            continue
        limit = None if up_to is None else min(up_to, max(numbers))
        found.append(gather_coalition(store, coalition.slug, up_to=limit))
    if not found:
        raise InputError(
            _("No coalition of {name!r} has a round yet, so there is nothing to report.").format(
                name=programme.name
            )
        )
    if up_to is not None and not any(c.rounds[-1].round == up_to for c in found):
        raise NotFoundError(
            "round", f"{up_to} in {programme.name}", [str(n) for n in _round_numbers(found)]
        )
    return programme.name, found


def _round_numbers(coalitions: Iterable[CoalitionData]) -> list[int]:
    return sorted({r.round for c in coalitions for r in c.rounds})


def programme_rounds(store: Store, programme: str | None) -> list[RoundData]:
    """Every round of every coalition of a programme (for pooled reliability)."""
    if programme is None:
        return []
    refs = [r.ref for r in list_rounds(store, programme=programme)]
    return load_many(store, refs) if refs else []
