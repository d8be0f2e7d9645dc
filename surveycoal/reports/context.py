"""Report contexts from the database: read, score, and turn into plain dicts for the templates.

Each ``build_*_context`` reads what it needs through :mod:`surveycoal.reports.gather`,
scores it with :mod:`surveycoal.scoring` (anonymity applied there) and returns a
plain dict. Whether the demo banner shows is read from the database itself
(:func:`surveycoal.reports.gather.is_demo`), never from an option.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from surveycoal import stats
from surveycoal.errors import InputError
from surveycoal.i18n import _
from surveycoal.reports.coalition import coalition_context
from surveycoal.reports.compare import (
    groups_compare_context,
    member_types_compare_context,
    rounds_compare_context,
)
from surveycoal.reports.gather import (
    CoalitionData,
    gather_coalition,
    gather_programme,
    is_demo,
    programme_rounds,
)
from surveycoal.reports.programme import programme_context
from surveycoal.reports.purged import refuse_purged
from surveycoal.reports.words import LANGUAGES
from surveycoal.scoring import pool_reliability
from surveycoal.store import Store


def _cannot_compare() -> str:
    """Why a purged round cannot be compared: the end of :func:`refuse_purged`'s sentence."""
    return _(
        "it cannot be compared: a comparison tests the answers themselves, and only the "
        "scores were kept"
    )


def _check_lang(lang: str) -> None:
    if lang not in LANGUAGES:
        raise InputError(
            _("Reports are written in {languages}, not {lang!r}.").format(
                languages=_("{first} or {last}").format(
                    first=", ".join(LANGUAGES[:-1]), last=LANGUAGES[-1]
                ),
                lang=lang,
            )
        )


def _check_closed(data: CoalitionData, numbers: Iterable[int], allow_open: bool) -> None:
    """Refuse a round that is still open, unless asked for.

    Two reports of one open round, made before and after a few more people
    answered, can be subtracted from each other: the difference shows the answers
    of those few (docs/METHODS.md section 7, differencing). A closed round no longer
    changes, so its reports cannot be played off against each other.
    """
    if allow_open:
        return
    for number in numbers:
        info = data.info(number)
        if info is not None and info.is_open:
            raise InputError(
                _(
                    "Round {number} of {slug} is still open. Two reports of an open round, "
                    "made before and after a few more answers, show those few answers by "
                    "subtraction."
                ).format(number=number, slug=data.slug),
                hint=_(
                    "Close it first (surveycoal round close {ref}), or add --open to report "
                    "it anyway, for the coalition's own eyes."
                ).format(ref=f"{data.slug}/{number}"),
            )


def build_coalition_context(
    store: Store,
    slug: str,
    *,
    round_number: int | None = None,
    lang: str = "nl",
    seed: int = stats.DEFAULT_SEED,
    mid: float = stats.DEFAULT_MID,
    today: dt.date | None = None,
    allow_open: bool = False,
) -> dict[str, Any]:
    """The coalition report of round ``round_number`` (default: the coalition's latest).

    An open round is refused unless ``allow_open`` (see :func:`_check_closed`).
    """
    _check_lang(lang)
    data = gather_coalition(store, slug, up_to=round_number)
    _check_closed(data, [data.rounds[-1].round], allow_open)
    pooled = pool_reliability(programme_rounds(store, data.programme))
    return coalition_context(
        data, lang=lang, seed=seed, mid=mid, pooled=pooled, demo=is_demo(store), today=today
    )


def build_programme_context(
    store: Store,
    programme: str,
    *,
    round_number: int | None = None,
    lang: str = "nl",
    seed: int = stats.DEFAULT_SEED,
    mid: float = stats.DEFAULT_MID,
    today: dt.date | None = None,
    allow_open: bool = False,
) -> dict[str, Any]:
    """The programme report: every coalition's rounds up to ``round_number`` (default: all)."""
    _check_lang(lang)
    name, coalitions = gather_programme(store, programme, up_to=round_number)
    for coalition in coalitions:
        _check_closed(coalition, [r.round for r in coalition.rounds], allow_open)
    return programme_context(
        name,
        coalitions,
        round_number=round_number,
        lang=lang,
        seed=seed,
        mid=mid,
        demo=is_demo(store),
        today=today,
    )


def build_rounds_compare_context(
    store: Store,
    slug: str,
    first: int,
    second: int,
    *,
    lang: str = "nl",
    seed: int = stats.DEFAULT_SEED,
    mid: float = stats.DEFAULT_MID,
    today: dt.date | None = None,
    allow_open: bool = False,
) -> dict[str, Any]:
    """Two rounds of one coalition."""
    _check_lang(lang)
    if first == second:
        raise InputError(_("Compare two different rounds: --from and --to are the same."))
    data = gather_coalition(store, slug)
    data.round(first)
    data.round(second)
    _check_closed(data, [first, second], allow_open)
    refuse_purged(
        data,
        [first, second],
        _cannot_compare(),
    )
    pooled = pool_reliability(programme_rounds(store, data.programme))
    return rounds_compare_context(
        data,
        first,
        second,
        lang=lang,
        seed=seed,
        mid=mid,
        pooled=pooled,
        demo=is_demo(store),
        today=today,
    )


def build_groups_compare_context(
    store: Store,
    first: str,
    second: str,
    round_number: int,
    *,
    lang: str = "nl",
    seed: int = stats.DEFAULT_SEED,
    mid: float = stats.DEFAULT_MID,
    today: dt.date | None = None,
    allow_open: bool = False,
) -> dict[str, Any]:
    """Two coalitions in the same round."""
    _check_lang(lang)
    a = gather_coalition(store, first, up_to=round_number)
    b = gather_coalition(store, second, up_to=round_number)
    _check_closed(a, [round_number], allow_open)
    _check_closed(b, [round_number], allow_open)
    refuse_purged(
        a,
        [round_number],
        _cannot_compare(),
    )
    refuse_purged(
        b,
        [round_number],
        _cannot_compare(),
    )
    if a.slug == b.slug:
        raise InputError(_("Compare two different coalitions."))
    rounds = programme_rounds(store, a.programme) if a.programme == b.programme else []
    return groups_compare_context(
        a,
        b,
        round_number,
        lang=lang,
        seed=seed,
        mid=mid,
        pooled=pool_reliability(rounds),
        demo=is_demo(store),
        today=today,
    )


def build_member_types_compare_context(
    store: Store,
    slug: str,
    round_number: int,
    *,
    first_type: str | None = None,
    second_type: str | None = None,
    lang: str = "nl",
    seed: int = stats.DEFAULT_SEED,
    mid: float = stats.DEFAULT_MID,
    today: dt.date | None = None,
    allow_open: bool = False,
) -> dict[str, Any]:
    """Two member types within one round (residents and professionals by default)."""
    _check_lang(lang)
    data = gather_coalition(store, slug, up_to=round_number)
    _check_closed(data, [round_number], allow_open)
    refuse_purged(
        data,
        [round_number],
        _cannot_compare(),
    )
    pooled = pool_reliability(programme_rounds(store, data.programme))
    return member_types_compare_context(
        data,
        round_number,
        first_type=first_type,
        second_type=second_type,
        lang=lang,
        seed=seed,
        mid=mid,
        pooled=pooled,
        demo=is_demo(store),
        today=today,
    )
