"""Programmes, coalitions, their members and their timeline notes."""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Row, Select, delete, func, insert, select

from surveycoal.errors import AlreadyExistsError, InputError, NotFoundError
from surveycoal.i18n import _
from surveycoal.store import schema
from surveycoal.store.database import Store

if TYPE_CHECKING:
    from surveycoal.instruments import Instrument

NOTE_KINDS = ("timeline", "reading")

#: The longest slug (the column holds 80 characters; a database server enforces that).
MAX_SLUG = 80
#: The longest timeline note or reading (a page of text).
MAX_NOTE = 5_000

_SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Programme:
    id: int
    name: str
    created_on: dt.date


@dataclass(frozen=True)
class Coalition:
    id: int
    slug: str
    name: str
    programme: str | None
    created_on: dt.date


@dataclass(frozen=True)
class Member:
    id: int
    coalition: str
    name: str
    member_type: str


@dataclass(frozen=True)
class Note:
    id: int
    coalition: str
    round: int | None
    kind: str
    date: dt.date
    text: str


def slugify(name: str) -> str:
    """A URL- and file-safe id from a display name.

    >>> slugify("Zuid Doet Samen")
    'zuid-doet-samen'
    >>> slugify("Buurtcoöperatie 't Zand!")
    'buurtcooperatie-t-zand'
    """
    ascii_text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > MAX_SLUG:
        cut = slug[: MAX_SLUG + 1]
        slug = cut.rsplit("-", 1)[0] if "-" in cut[1:] else slug[:MAX_SLUG]
    return slug.strip("-")


def _refuse_nul(text: str, what: str) -> None:
    # PostgreSQL cannot store it, and no one types it: a pasted binary, or an attack.
    if "\x00" in text:
        raise InputError(
            _("The {what} holds a NUL character (at position {position}).").format(
                what=_("note") if what == "note" else what, position=text.index(chr(0)) + 1
            )
        )


def _clean_name(name: str, what: str) -> str:
    words = {"programme": _("programme"), "coalition": _("coalition"), "member": _("member")}
    kind = words.get(what, what)
    _refuse_nul(name, _("{kind} name").format(kind=kind))
    cleaned = " ".join(name.split())
    if not cleaned:
        raise InputError(_("The {kind} name is empty.").format(kind=kind))
    if len(cleaned) > 200:
        raise InputError(_("The {kind} name is longer than 200 characters.").format(kind=kind))
    return cleaned


# -- programmes -------------------------------------------------------------------


def add_programme(store: Store, name: str) -> Programme:
    name = _clean_name(name, "programme")
    with store.write() as conn:
        names = conn.execute(select(schema.programmes.c.name)).scalars().all()
        same = [known for known in names if known.casefold() == name.casefold()]
        if same:
            raise AlreadyExistsError(
                _("A programme called {name!r} exists already.").format(name=same[0])
            )
        today = dt.date.today()
        new_id = conn.execute(
            insert(schema.programmes).values(name=name, created_on=today)
        ).inserted_primary_key[0]  # type: ignore[index]
    return Programme(new_id, name, today)


def list_programmes(store: Store) -> list[Programme]:
    t = schema.programmes
    with store.read() as conn:
        rows = conn.execute(select(t).order_by(t.c.name)).all()
    return [Programme(r.id, r.name, r.created_on) for r in rows]


def get_programme(store: Store, name: str) -> Programme:
    for programme in list_programmes(store):
        if programme.name == name or programme.name.casefold() == name.casefold():
            return programme
    raise NotFoundError("programme", name, [p.name for p in list_programmes(store)])


def _programme_id(conn: Connection, name: str) -> int | None:
    t = schema.programmes
    return conn.execute(select(t.c.id).where(t.c.name == name)).scalar()


# -- coalitions -------------------------------------------------------------------


def add_coalition(
    store: Store, name: str, *, programme: str | None = None, slug: str | None = None
) -> Coalition:
    name = _clean_name(name, "coalition")
    if slug is None:
        slug = slugify(name)
        if not slug:
            raise InputError(
                _(
                    "No slug can be made from {name!r}: it has no letters or digits a-z, 0-9."
                ).format(name=name),
                hint=_("Choose one with --slug, for example --slug zuid-doet-samen."),
            )
    if not _SLUG_RE.match(slug) or len(slug) > MAX_SLUG:
        raise InputError(
            _(
                "{slug!r} cannot be a coalition slug: use lower-case letters, digits and "
                "hyphens, at most {max} characters, like zuid-doet-samen."
            ).format(slug=slug, max=MAX_SLUG)
        )
    programme_name = get_programme(store, programme).name if programme else None
    with store.write() as conn:
        if _coalition_row(conn, slug) is not None:
            raise AlreadyExistsError(
                _("A coalition with the slug {slug!r} exists already.").format(slug=slug),
                hint=_("Choose another with --slug."),
            )
        programme_id = _programme_id(conn, programme_name) if programme_name else None
        today = dt.date.today()
        new_id = conn.execute(
            insert(schema.coalitions).values(
                slug=slug, name=name, programme_id=programme_id, created_on=today
            )
        ).inserted_primary_key[0]  # type: ignore[index]
    return Coalition(new_id, slug, name, programme_name, today)


def _coalition_query() -> Select[Any]:
    c, p = schema.coalitions, schema.programmes
    return select(
        c.c.id, c.c.slug, c.c.name, c.c.created_on, p.c.name.label("programme")
    ).select_from(c.outerjoin(p, c.c.programme_id == p.c.id))


def _coalition_row(conn: Connection, slug: str) -> Row[Any] | None:
    return conn.execute(_coalition_query().where(schema.coalitions.c.slug == slug)).first()


def list_coalitions(store: Store, *, programme: str | None = None) -> list[Coalition]:
    query = _coalition_query().order_by(schema.coalitions.c.slug)
    if programme is not None:
        query = query.where(schema.programmes.c.name == get_programme(store, programme).name)
    with store.read() as conn:
        rows = conn.execute(query).all()
    return [Coalition(r.id, r.slug, r.name, r.programme, r.created_on) for r in rows]


def get_coalition(store: Store, slug: str) -> Coalition:
    with store.read() as conn:
        row = _coalition_row(conn, slug)
        if row is None:
            known = conn.execute(select(schema.coalitions.c.slug)).scalars().all()
            raise NotFoundError("coalition", slug, known)
    return Coalition(row.id, row.slug, row.name, row.programme, row.created_on)


# -- members ----------------------------------------------------------------------


def member_type_instrument(
    store: Store, coalition: str, instrument: Instrument | None = None
) -> tuple[Instrument, str]:
    """The questionnaire whose member types a new member of ``coalition`` may have.

    Member types come from the instrument, not from a fixed list: the one given
    (the questionnaire the member is added for), else the snapshot of the coalition's
    latest round, else the default instrument a first round opens with. Returns the
    instrument and where it came from, in words for a message.
    """
    if instrument is not None:
        return instrument, _("the instrument {id}").format(id=instrument.id)
    from surveycoal.instruments import DEFAULT_INSTRUMENT, Instrument, load_instrument

    found = get_coalition(store, coalition)
    r = schema.rounds
    with store.read() as conn:
        latest = conn.execute(
            select(r.c.number, r.c.instrument_json)
            .where(r.c.coalition_id == found.id)
            .order_by(r.c.number.desc())
            .limit(1)
        ).first()
    if latest is not None:
        snapshot = Instrument.from_dict(json.loads(latest.instrument_json))
        return snapshot, _("round {ref} ({id})").format(
            ref=f"{found.slug}/{latest.number}", id=snapshot.id
        )
    default = load_instrument(DEFAULT_INSTRUMENT)
    return default, _("the instrument {id} (the coalition has no round yet)").format(id=default.id)


def add_member(
    store: Store,
    coalition: str,
    name: str,
    member_type: str,
    *,
    instrument: Instrument | None = None,
) -> Member:
    """Add a member whose type is one of :func:`member_type_instrument`'s member types."""
    name = _clean_name(name, "member")
    checked_by, source = member_type_instrument(store, coalition, instrument)
    if not checked_by.has_member_type(member_type):
        raise InputError(
            _("{value!r} is not a member type of {source}.").format(
                value=member_type, source=source
            ),
            hint=_("Use one of: {choices}.").format(choices=", ".join(checked_by.member_type_ids)),
        )
    found = get_coalition(store, coalition)
    t = schema.members
    with store.write() as conn:
        exists = conn.execute(
            select(t.c.id).where(t.c.coalition_id == found.id, t.c.name == name)
        ).first()
        if exists is not None:
            raise AlreadyExistsError(
                _("{slug} has a member called {name!r} already.").format(slug=found.slug, name=name)
            )
        new_id = conn.execute(
            insert(t).values(
                coalition_id=found.id,
                name=name,
                member_type=member_type,
                created_on=dt.date.today(),
            )
        ).inserted_primary_key[0]  # type: ignore[index]
    return Member(new_id, found.slug, name, member_type)


def list_members(store: Store, coalition: str) -> list[Member]:
    found = get_coalition(store, coalition)
    t = schema.members
    with store.read() as conn:
        rows = conn.execute(
            select(t).where(t.c.coalition_id == found.id).order_by(t.c.member_type, t.c.name)
        ).all()
    return [Member(r.id, found.slug, r.name, r.member_type) for r in rows]


def remove_member(store: Store, coalition: str, name: str) -> None:
    found = get_coalition(store, coalition)
    t = schema.members
    with store.write() as conn:
        deleted = conn.execute(
            delete(t).where(t.c.coalition_id == found.id, t.c.name == name)
        ).rowcount
        if not deleted:
            known = conn.execute(select(t.c.name).where(t.c.coalition_id == found.id))
            raise NotFoundError("member", name, known.scalars().all(), where=found.slug)


def member_counts(store: Store, coalition: str) -> dict[str, int]:
    """How many members of each type a coalition has."""
    found = get_coalition(store, coalition)
    t = schema.members
    with store.read() as conn:
        rows = conn.execute(
            select(t.c.member_type, func.count())
            .where(t.c.coalition_id == found.id)
            .group_by(t.c.member_type)
        ).all()
    return {row[0]: int(row[1]) for row in rows}


# -- notes ------------------------------------------------------------------------


def add_note(
    store: Store,
    coalition: str,
    text: str,
    *,
    date: dt.date | None = None,
    kind: str = "timeline",
    round_number: int | None = None,
) -> Note:
    """Add a timeline note (an event) or the coalition's own reading of a round."""
    if kind not in NOTE_KINDS:
        raise InputError(
            _("{value!r} is not a kind of note; use one of {choices}.").format(
                value=kind, choices=", ".join(NOTE_KINDS)
            )
        )
    text = text.strip()
    if not text:
        raise InputError(_("The note is empty."))
    _refuse_nul(text, "note")
    if len(text) > MAX_NOTE:
        raise InputError(
            _("The note has {count} characters; at most {max}.").format(
                count=len(text), max=MAX_NOTE
            )
        )
    if kind == "reading" and round_number is None:
        raise InputError(_("A coalition's reading belongs to a round: give --round."))
    found = get_coalition(store, coalition)
    with store.write() as conn:
        round_id = None
        if round_number is not None:
            r = schema.rounds
            round_id = conn.execute(
                select(r.c.id).where(r.c.coalition_id == found.id, r.c.number == round_number)
            ).scalar()
            if round_id is None:
                known = conn.execute(select(r.c.number).where(r.c.coalition_id == found.id))
                raise NotFoundError(
                    "round",
                    f"{found.slug}/{round_number}",
                    [f"{found.slug}/{n}" for n in known.scalars()],
                )
        note_date = date or dt.date.today()
        new_id = conn.execute(
            insert(schema.notes).values(
                coalition_id=found.id,
                round_id=round_id,
                kind=kind,
                note_date=note_date,
                text=text,
            )
        ).inserted_primary_key[0]  # type: ignore[index]
    return Note(new_id, found.slug, round_number, kind, note_date, text)


def list_notes(store: Store, coalition: str, *, kind: str | None = None) -> list[Note]:
    found = get_coalition(store, coalition)
    n, r = schema.notes, schema.rounds
    query = (
        select(n.c.id, n.c.kind, n.c.note_date, n.c.text, r.c.number)
        .select_from(n.outerjoin(r, n.c.round_id == r.c.id))
        .where(n.c.coalition_id == found.id)
        .order_by(n.c.note_date, n.c.id)
    )
    if kind is not None:
        query = query.where(n.c.kind == kind)
    with store.read() as conn:
        rows = conn.execute(query).all()
    return [Note(row.id, found.slug, row.number, row.kind, row.note_date, row.text) for row in rows]
