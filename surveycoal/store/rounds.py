"""Rounds: one wave of the questionnaire in one coalition, referred to as SLUG/N.

A round stores a snapshot of its instrument (content and hash) and its privacy
settings when it opens, so editing the YAML file later changes nothing for it.
States: ``open`` -> ``closed`` (and back with :func:`reopen_round`).
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

from sqlalchemy import Connection, Row, Select, delete, func, insert, select, update

from surveycoal.errors import InputError, NotFoundError, RoundStateError
from surveycoal.i18n import _
from surveycoal.instruments import Instrument, PrivacySettings
from surveycoal.store import schema
from surveycoal.store.coalitions import get_coalition
from surveycoal.store.database import Store

INCOMPLETE_POLICIES = ("discard", "keep")
DEFAULT_RETENTION_MONTHS = 24
#: The largest round number (a database integer holds it everywhere).
MAX_ROUND_NUMBER = 2**31 - 1
#: Ten years: longer than any research archive a lead would keep raw answers for.
MAX_RETENTION_MONTHS = 120


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (the month's last day when it is shorter).

    >>> add_months(dt.date(2026, 8, 31), 6)
    datetime.date(2027, 2, 28)
    """
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Round:
    id: int
    coalition: str
    coalition_name: str
    programme: str | None
    number: int
    instrument_id: str
    instrument_version: str
    instrument_hash: str
    instrument_json: str
    privacy: PrivacySettings
    link_rounds: bool
    incomplete_policy: str
    expected_respondents: int | None
    status: str
    opened_on: dt.date
    closes_on: dt.date | None
    closed_on: dt.date | None
    #: How many months after the round closes its raw answers are kept (told to
    #: participants in the welcome); after that ``round purge`` may delete them.
    retention_months: int = DEFAULT_RETENTION_MONTHS
    #: When ``round purge`` deleted the raw answers (its scores are kept).
    purged_on: dt.date | None = None
    #: Set by :func:`close_round` only: how many unsent drafts closing deleted.
    discarded_drafts: int = 0

    @property
    def ref(self) -> str:
        return f"{self.coalition}/{self.number}"

    @property
    def is_open(self) -> bool:
        return self.status == "open"

    @cached_property
    def instrument(self) -> Instrument:
        """The instrument as it was when the round opened."""
        return Instrument.from_dict(json.loads(self.instrument_json))

    @property
    def keep_until(self) -> dt.date | None:
        """The last day the raw answers are kept: ``retention_months`` after closing.

        While the round is open it counts from the closing date, when there is one;
        None for an open round without one (the period has not started).
        """
        start = self.closed_on or self.closes_on
        return None if start is None else add_months(start, self.retention_months)

    def past_retention(self, today: dt.date | None = None) -> bool:
        """Closed, and the retention period is over."""
        until = self.keep_until
        return not self.is_open and until is not None and (today or dt.date.today()) > until

    def accepts_answers(self, today: dt.date | None = None) -> bool:
        """Open, and its closing date (if any) has not passed."""
        today = today or dt.date.today()
        return self.is_open and (self.closes_on is None or today <= self.closes_on)


def round_by_id(conn: Connection, round_id: int) -> Round:
    """A round as it is now, read inside the caller's transaction."""
    row = conn.execute(_round_query().where(schema.rounds.c.id == round_id)).first()
    if row is None:  # the foreign keys make this impossible in a sound database
        raise RoundStateError("The round no longer exists.")
    return _to_round(row)


def parse_round_ref(ref: str) -> tuple[str, int]:
    """Split ``SLUG/N`` into its parts.

    >>> parse_round_ref("zuid-doet-samen/2")
    ('zuid-doet-samen', 2)
    """
    slug, sep, number = ref.strip().rpartition("/")
    if not sep or not slug or not (number.isascii() and number.isdigit()) or int(number) < 1:
        raise InputError(
            _(
                "{ref!r} is not a round: write it as COALITION/NUMBER, "
                "for example zuid-doet-samen/1."
            ).format(ref=ref)
        )
    if len(number) > 10 or int(number) > MAX_ROUND_NUMBER:
        raise InputError(
            _("{ref!r} is not a round: round numbers go up to {max}.").format(
                ref=ref, max=MAX_ROUND_NUMBER
            ),
        )
    return slug, int(number)


def _round_query() -> Select[Any]:
    r, c, p = schema.rounds, schema.coalitions, schema.programmes
    return select(
        r,
        c.c.slug.label("coalition_slug"),
        c.c.name.label("coalition_name"),
        p.c.name.label("programme_name"),
    ).select_from(r.join(c, r.c.coalition_id == c.c.id).outerjoin(p, c.c.programme_id == p.c.id))


def _to_round(row: Row[Any]) -> Round:
    return Round(
        id=row.id,
        coalition=row.coalition_slug,
        coalition_name=row.coalition_name,
        programme=row.programme_name,
        number=row.number,
        instrument_id=row.instrument_id,
        instrument_version=row.instrument_version,
        instrument_hash=row.instrument_hash,
        instrument_json=row.instrument_json,
        privacy=PrivacySettings.from_dict(json.loads(row.privacy_json)),
        link_rounds=bool(row.link_rounds),
        incomplete_policy=row.incomplete_policy,
        expected_respondents=row.expected_respondents,
        status=row.status,
        opened_on=row.opened_on,
        closes_on=row.closes_on,
        closed_on=row.closed_on,
        retention_months=int(row.retention_months),
        purged_on=row.purged_on,
    )


def open_round(
    store: Store,
    coalition: str,
    instrument: Instrument,
    *,
    closes_on: dt.date | None = None,
    link_rounds: bool = False,
    min_group: int | None = None,
    incomplete_policy: str = "discard",
    expected_respondents: int | None = None,
    retention_months: int = DEFAULT_RETENTION_MONTHS,
    today: dt.date | None = None,
) -> Round:
    """Open the next round of a coalition with a snapshot of ``instrument``.

    Only one round of a coalition can be open at a time. ``retention_months`` is how
    long after closing its raw answers are kept.
    """
    today = today or dt.date.today()
    found = get_coalition(store, coalition)
    privacy = instrument.privacy
    if min_group is not None:
        if min_group < privacy.min_group:
            raise InputError(
                _(
                    "The minimum group size can be raised, not lowered: the instrument asks "
                    "for at least {min}."
                ).format(min=privacy.min_group)
            )
        privacy = PrivacySettings(
            min_group=min_group,
            min_free_text=max(privacy.min_free_text, min_group),
            min_item_distribution=max(privacy.min_item_distribution, min_group),
        )
    if closes_on is not None and closes_on < today:
        raise InputError(
            _("The closing date {date} is in the past.").format(date=closes_on.isoformat())
        )
    if incomplete_policy not in INCOMPLETE_POLICIES:
        raise InputError(
            _("Use one of {choices} for incomplete answers.").format(
                choices=", ".join(INCOMPLETE_POLICIES)
            )
        )
    if expected_respondents is not None and expected_respondents < 1:
        raise InputError(_("The expected number of respondents must be at least 1."))
    if not 1 <= retention_months <= MAX_RETENTION_MONTHS:
        raise InputError(
            _(
                "Keep answers between 1 and {max} months after the round closes, not {value}."
            ).format(max=MAX_RETENTION_MONTHS, value=retention_months)
        )
    r = schema.rounds
    with store.write() as conn:
        still_open = conn.execute(
            select(r.c.number).where(r.c.coalition_id == found.id, r.c.status == "open")
        ).scalar()
        if still_open is not None:
            raise RoundStateError(
                _("Round {ref} is still open.").format(ref=f"{found.slug}/{still_open}"),
                hint=_("Close it first: surveycoal round close {ref}").format(
                    ref=f"{found.slug}/{still_open}"
                ),
            )
        last = conn.execute(
            select(func.max(r.c.number)).where(r.c.coalition_id == found.id)
        ).scalar()
        number = int(last or 0) + 1
        conn.execute(
            insert(r).values(
                coalition_id=found.id,
                number=number,
                instrument_id=instrument.id,
                instrument_version=instrument.version,
                instrument_hash=instrument.content_hash,
                instrument_json=json.dumps(instrument.to_dict(), ensure_ascii=False),
                privacy_json=json.dumps(privacy.to_dict()),
                link_rounds=link_rounds,
                incomplete_policy=incomplete_policy,
                expected_respondents=expected_respondents,
                status="open",
                opened_on=today,
                closes_on=closes_on,
                retention_months=retention_months,
            )
        )
        return _get_round(conn, found.slug, number)


def _get_round(conn: Connection, slug: str, number: int) -> Round:
    row = conn.execute(
        _round_query().where(schema.coalitions.c.slug == slug, schema.rounds.c.number == number)
    ).first()
    if row is None:
        known = conn.execute(
            select(schema.coalitions.c.slug, schema.rounds.c.number).select_from(
                schema.rounds.join(
                    schema.coalitions, schema.rounds.c.coalition_id == schema.coalitions.c.id
                )
            )
        ).all()
        mine = [f"{s}/{n}" for s, n in known if s == slug]
        if not mine:
            exists = conn.execute(
                select(schema.coalitions.c.id).where(schema.coalitions.c.slug == slug)
            ).first()
            if exists is None:
                slugs = conn.execute(select(schema.coalitions.c.slug)).scalars().all()
                raise NotFoundError("coalition", slug, slugs)
        raise NotFoundError("round", f"{slug}/{number}", mine)
    return _to_round(row)


#: Coalitions per query when finding many rounds (well under any database's limit on parameters).
_SLUGS_PER_QUERY = 200


def rounds_by_name(conn: Connection, names: list[tuple[str, int]]) -> list[Round]:
    """The rounds ``(slug, number)``, in the order given, read with a query per 200 coalitions.

    An unknown one raises NotFoundError as :func:`get_round` does (the first, in order).
    """
    slugs = sorted({slug for slug, _number in names})
    found: dict[tuple[str, int], Round] = {}
    for start in range(0, len(slugs), _SLUGS_PER_QUERY):
        chunk = slugs[start : start + _SLUGS_PER_QUERY]
        for row in conn.execute(_round_query().where(schema.coalitions.c.slug.in_(chunk))):
            found[(row.coalition_slug, row.number)] = _to_round(row)
    for slug, number in names:
        if (slug, number) not in found:
            _get_round(conn, slug, number)  # raises, naming what exists
    return [found[name] for name in names]


def get_round(store: Store, ref: str) -> Round:
    """The round ``SLUG/N``; an unknown one raises NotFoundError listing what exists."""
    slug, number = parse_round_ref(ref)
    with store.read() as conn:
        return _get_round(conn, slug, number)


def list_rounds(
    store: Store,
    *,
    coalition: str | None = None,
    programme: str | None = None,
    status: str | None = None,
) -> list[Round]:
    query = _round_query().order_by(schema.coalitions.c.slug, schema.rounds.c.number)
    if coalition is not None:
        query = query.where(schema.coalitions.c.slug == get_coalition(store, coalition).slug)
    if programme is not None:
        query = query.where(schema.programmes.c.name == programme)
    if status is not None:
        query = query.where(schema.rounds.c.status == status)
    with store.read() as conn:
        return [_to_round(row) for row in conn.execute(query).all()]


def close_round(store: Store, ref: str, *, today: dt.date | None = None) -> Round:
    """Close a round and delete its unsent drafts.

    A draft holds the answers of someone who never sent them, tied to the hash of
    their code; once nobody can send any more it has no use, and keeping it would
    keep that tie. ``Round.discarded_drafts`` says how many went.
    """
    slug, number = parse_round_ref(ref)
    with store.write() as conn:
        found = _get_round(conn, slug, number)
        if not found.is_open:
            raise RoundStateError(_("Round {ref} is closed already.").format(ref=found.ref))
        conn.execute(
            update(schema.rounds)
            .where(schema.rounds.c.id == found.id)
            .values(status="closed", closed_on=today or dt.date.today())
        )
        discarded = conn.execute(
            delete(schema.drafts).where(schema.drafts.c.round_id == found.id)
        ).rowcount
        closed = _get_round(conn, slug, number)
    # The round's rows no longer change: the moment to erase the last trace of
    # when they came (see surveycoal.store.traces.rebuild).
    from surveycoal.store.traces import rebuild

    rebuild(store)
    return replace(closed, discarded_drafts=max(int(discarded or 0), 0))


def reopen_round(
    store: Store, ref: str, *, closes_on: dt.date | None = None, today: dt.date | None = None
) -> Round:
    """Open a closed round again (the CLI asks for confirmation first)."""
    slug, number = parse_round_ref(ref)
    today = today or dt.date.today()
    if closes_on is not None and closes_on < today:
        raise InputError(
            _("The closing date {date} is in the past.").format(date=closes_on.isoformat())
        )
    r = schema.rounds
    with store.write() as conn:
        found = _get_round(conn, slug, number)
        if found.is_open:
            raise RoundStateError(_("Round {ref} is open already.").format(ref=found.ref))
        other = conn.execute(
            select(r.c.number).where(
                r.c.coalition_id
                == select(r.c.coalition_id).where(r.c.id == found.id).scalar_subquery(),
                r.c.status == "open",
            )
        ).scalar()
        if other is not None:
            raise RoundStateError(
                _("Round {ref} is open; a coalition has one open round at a time.").format(
                    ref=f"{slug}/{other}"
                ),
                hint=_("Close it first: surveycoal round close {ref}").format(
                    ref=f"{slug}/{other}"
                ),
            )
        if found.closes_on is not None and found.closes_on < today and closes_on is None:
            raise InputError(
                _("Round {ref} closed on {date}; give a new closing date with --closes.").format(
                    ref=found.ref, date=found.closes_on.isoformat()
                )
            )
        values: dict[str, object] = {"status": "open", "closed_on": None}
        if closes_on is not None:
            values["closes_on"] = closes_on
        conn.execute(update(r).where(r.c.id == found.id).values(**values))
        return _get_round(conn, slug, number)


def replace_instrument(store: Store, ref: str, instrument: Instrument) -> Round:
    """Give an open round that has no answers yet another instrument."""
    slug, number = parse_round_ref(ref)
    with store.write() as conn:
        found = _get_round(conn, slug, number)
        if not found.is_open:
            raise RoundStateError(
                _("Round {ref} is closed: its instrument cannot change.").format(ref=found.ref)
            )
        answered = conn.execute(
            select(func.count())
            .select_from(schema.responses)
            .where(schema.responses.c.round_id == found.id)
        ).scalar()
        drafting = conn.execute(
            select(func.count())
            .select_from(schema.drafts)
            .where(schema.drafts.c.round_id == found.id)
        ).scalar()
        if answered or drafting:
            raise RoundStateError(
                _("Round {ref} has answers already: its instrument cannot change.").format(
                    ref=found.ref
                ),
                hint=_("Open a new round with the other instrument instead."),
            )
        conn.execute(
            update(schema.rounds)
            .where(schema.rounds.c.id == found.id)
            .values(
                instrument_id=instrument.id,
                instrument_version=instrument.version,
                instrument_hash=instrument.content_hash,
                instrument_json=json.dumps(instrument.to_dict(), ensure_ascii=False),
            )
        )
        return _get_round(conn, slug, number)
