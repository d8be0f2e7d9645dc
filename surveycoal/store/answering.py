"""Invitation codes, drafts and submitting: the database side of answering.

The database keeps a keyed hash of each code, never the code. While someone
answers with a code, their answers so far are a draft found by that hash. On
submit, one write transaction stores the response under a fresh random id (the
single path :func:`~surveycoal.store.responses.insert_response`), marks the code
used and deletes the draft, so afterwards nothing ties the response to the code.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Date, delete, func, insert, literal, select, update
from sqlalchemy.dialects import postgresql, sqlite

from surveycoal import texts
from surveycoal.codes import CodeRejected, hash_code, new_codes
from surveycoal.errors import InputError, RoundStateError
from surveycoal.i18n import _
from surveycoal.store import schema
from surveycoal.store.database import Store, lock_round_of_code
from surveycoal.store.responses import NewResponse, insert_response
from surveycoal.store.rounds import Round, get_round, round_by_id
from surveycoal.store.traces import forget_traces

UNUSED = "unused"
USED = "used"
MAX_CODES = 10_000


@dataclass(frozen=True)
class Invitation:
    """A valid, unused code's round and the hash that stands for the code."""

    round: Round
    code_hash: str
    expires_on: dt.date | None


def _require_open(round_: Round, today: dt.date) -> None:
    """Like require_answerable, in both languages: a participant reads this."""
    if not round_.accepts_answers(today):
        raise RoundStateError(
            texts.both_lines("round_closed"),
            hint=_("Round {ref} takes no more answers.").format(ref=round_.ref),
        )


# -- invitations ------------------------------------------------------------------


def create_invitations(
    store: Store,
    ref: str,
    count: int,
    *,
    expires_on: dt.date | None = None,
    today: dt.date | None = None,
    keep: Callable[[list[str]], None] | None = None,
) -> list[str]:
    """Make ``count`` one-use codes for an open round; returns the codes (formatted).

    Only their keyed hashes are stored: the returned list is the one and only copy
    of the codes themselves. ``keep`` is called with the codes before their hashes
    are committed (to write them to files): when it fails, no code is stored.
    """
    today = today or dt.date.today()
    if not 1 <= count <= MAX_CODES:
        raise InputError(
            _("Make between 1 and {most} codes at a time, not {count}.").format(
                most=MAX_CODES, count=count
            )
        )
    if expires_on is not None and expires_on < today:
        raise InputError(
            _("The expiry date {day} is in the past.").format(day=expires_on.isoformat())
        )
    round_ = get_round(store, ref)
    if not round_.accepts_answers(today):
        raise RoundStateError(
            _("Round {ref} is closed: codes for it could not be used.").format(ref=round_.ref),
            hint=_("Open a new round with `surveycoal round open`."),
        )
    if round_.closes_on is not None and expires_on is not None and expires_on > round_.closes_on:
        raise InputError(
            _("The codes would expire on {day}, after the round closes ({closes}).").format(
                day=expires_on.isoformat(), closes=round_.closes_on.isoformat()
            )
        )
    secret = store.hash_key()
    t = schema.invitations
    with store.write_in_round(round_.id) as conn:
        while True:
            codes = new_codes(count)
            hashes = [hash_code(secret, code) for code in codes]
            taken = conn.execute(select(t.c.code_hash).where(t.c.code_hash.in_(hashes))).first()
            if taken is None:  # a clash with an earlier code is astronomically rare
                break
        conn.execute(
            insert(t),
            [
                {"code_hash": h, "round_id": round_.id, "status": UNUSED, "expires_on": expires_on}
                for h in hashes
            ],
        )
        if keep is not None:
            keep(codes)
    return codes


def invitation_counts(store: Store, ref: str) -> dict[str, int]:
    """How many codes of a round are unused and used."""
    round_ = get_round(store, ref)
    t = schema.invitations
    with store.read() as conn:
        rows = conn.execute(
            select(t.c.status, func.count()).where(t.c.round_id == round_.id).group_by(t.c.status)
        ).all()
    counts = {UNUSED: 0, USED: 0}
    counts.update({row[0]: int(row[1]) for row in rows})
    return counts


def _usable_invitation(conn: Connection, code_hash: str, today: dt.date) -> Invitation:
    t = schema.invitations
    row = conn.execute(select(t).where(t.c.code_hash == code_hash)).first()
    if row is None:
        raise CodeRejected("unknown")
    if row.status != UNUSED:
        raise CodeRejected("used")
    if row.expires_on is not None and row.expires_on < today:
        raise CodeRejected("expired", date=row.expires_on.isoformat())
    round_ = round_by_id(conn, row.round_id)
    _require_open(round_, today)
    return Invitation(round_, code_hash, row.expires_on)


def invitation_by_hash(store: Store, code_hash: str, *, today: dt.date | None = None) -> Invitation:
    """The usable invitation behind a code hash found earlier, or CodeRejected / RoundStateError."""
    with store.read() as conn:
        return _usable_invitation(conn, code_hash, today or dt.date.today())


def find_invitation(store: Store, code: str, *, today: dt.date | None = None) -> Invitation:
    """The round a typed code belongs to, or CodeRejected / RoundStateError saying why not.

    Typing errors are caught by the check symbol before the database is asked.
    """
    code_hash = hash_code(store.hash_key(), code)
    with store.read() as conn:
        return _usable_invitation(conn, code_hash, today or dt.date.today())


# -- drafts -----------------------------------------------------------------------


def load_draft(store: Store, code_hash: str) -> dict[str, Any] | None:
    """The saved answers so far of a code, or None when there are none."""
    d = schema.drafts
    with store.read() as conn:
        text = conn.execute(select(d.c.state_json).where(d.c.code_hash == code_hash)).scalar()
    return None if text is None else json.loads(text)


def save_draft(
    store: Store,
    code_hash: str,
    state: Mapping[str, Any],
    *,
    today: dt.date | None = None,
) -> None:
    """Save the answers so far of a code (one write; called after every answer).

    One statement stores the draft when the code is usable (see :func:`_upsert_draft`);
    only when it stores nothing are the code and its round read, to say why.
    """
    today = today or dt.date.today()
    state_json = json.dumps(state, ensure_ascii=False, sort_keys=True)
    i, r = schema.invitations, schema.rounds
    with store.write_in_round(shared=True, durable=False) as conn:
        lock_round_of_code(conn, code_hash, shared=True)
        usable = (
            select(i.c.round_id)
            .select_from(i.join(r, r.c.id == i.c.round_id))
            .where(
                i.c.code_hash == code_hash,
                i.c.status == UNUSED,
                (i.c.expires_on.is_(None)) | (i.c.expires_on >= literal(today, Date)),
                *_takes_answers(today),
            )
        )
        if not _upsert_draft(conn, usable, code_hash, state_json):
            invitation = _usable_invitation(conn, code_hash, today)  # raises, saying why
            _update_or_insert_draft(conn, invitation.round.id, code_hash, state_json)


def _takes_answers(today: dt.date) -> tuple[Any, ...]:
    """The conditions of Round.accepts_answers, in SQL on the rounds table."""
    r = schema.rounds
    return (
        r.c.status == "open",
        (r.c.closes_on.is_(None)) | (r.c.closes_on >= literal(today, Date)),
    )


def _upsert_draft(conn: Connection, round_ids: Any, key: str, state_json: str) -> bool:
    """Insert or replace the draft found by ``key`` in the round ``round_ids`` selects.

    One statement (``INSERT ... SELECT ... ON CONFLICT DO UPDATE``, which SQLite and
    PostgreSQL both have); False when ``round_ids`` selects nothing (the code or round
    takes no answers) or the key's draft belongs to another round.
    """
    d = schema.drafts
    insert_of = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    source = round_ids.add_columns(
        literal(secrets.token_hex(16)), literal(key), literal(state_json)
    )
    statement = insert_of(d).from_select(["round_id", "id", "code_hash", "state_json"], source)
    upsert = statement.on_conflict_do_update(
        index_elements=[d.c.code_hash],
        set_={"state_json": statement.excluded.state_json},
        where=d.c.round_id == statement.excluded.round_id,
    ).returning(d.c.round_id)
    return conn.execute(upsert).first() is not None


def _update_or_insert_draft(conn: Connection, round_id: int, key: str, state_json: str) -> None:
    d = schema.drafts
    changed = conn.execute(
        update(d)
        .where(d.c.code_hash == key, d.c.round_id == round_id)
        .values(state_json=state_json)
    ).rowcount
    if not changed:
        conn.execute(
            insert(d).values(
                id=secrets.token_hex(16), round_id=round_id, code_hash=key, state_json=state_json
            )
        )


def save_keyed_draft(
    store: Store,
    round_id: int,
    draft_key: str,
    state: Mapping[str, Any],
    *,
    today: dt.date | None = None,
) -> None:
    """Save the answers so far of someone answering without a code, found by ``draft_key``.

    ``draft_key`` is a keyed hash (64 hex digits) of something only that person's
    device holds, such as a web session's random id; it sits where a code's hash
    would, and matches no code. The round must still take answers.
    """
    today = today or dt.date.today()
    state_json = json.dumps(state, ensure_ascii=False, sort_keys=True)
    r = schema.rounds
    with store.write_in_round(round_id, shared=True, durable=False) as conn:
        usable = select(r.c.id).where(r.c.id == round_id, *_takes_answers(today))
        if not _upsert_draft(conn, usable, draft_key, state_json):
            _require_open(round_by_id(conn, round_id), today)  # raises, saying why
            _update_or_insert_draft(conn, round_id, draft_key, state_json)


class RoundFull(RoundStateError):
    """The round has the number of responses its lead allowed for this channel."""


# -- submitting -------------------------------------------------------------------


def submit_with_code(
    store: Store, code_hash: str, response: NewResponse, *, today: dt.date | None = None
) -> None:
    """Store the response of a code, mark the code used and delete its draft, all at once.

    A second submit with the same code finds the code used and changes nothing.
    """
    today = today or dt.date.today()
    with store.write_in_round() as conn:
        lock_round_of_code(conn, code_hash)
        invitation = _usable_invitation(conn, code_hash, today)
        insert_response(conn, invitation.round, response, today=today)
        _mark_used(conn, code_hash)
        conn.execute(delete(schema.drafts).where(schema.drafts.c.code_hash == code_hash))
    forget_traces(store)


def _mark_used(conn: Connection, code_hash: str) -> None:
    """Mark a code used, on PostgreSQL in a subtransaction of the submit.

    PostgreSQL stamps every row with the id of the transaction that wrote it
    (``xmin``). The submit has just written all of the round's rows again, so they
    share one stamp and none of them stands out as the new one; the code, written in
    a subtransaction, gets a stamp of its own, which says only when this code was
    used (as every used code's does), not which of the round's rows came with it.
    """
    t = schema.invitations
    mark = update(t).where(t.c.code_hash == code_hash).values(status=USED)
    if conn.dialect.name == "postgresql":
        with conn.begin_nested():
            conn.execute(mark)
    else:
        conn.execute(mark)


def submit_anonymous(
    store: Store, ref: str, response: NewResponse, *, today: dt.date | None = None
) -> None:
    """Store one response without a code (a kiosk), if the round still takes answers."""
    today = today or dt.date.today()
    round_ = get_round(store, ref)
    with store.write_in_round(round_.id) as conn:
        current = round_by_id(conn, round_.id)
        _require_open(current, today)
        insert_response(conn, current, response, today=today)
    forget_traces(store)


def submit_keyed(
    store: Store,
    round_id: int,
    draft_key: str,
    response: NewResponse,
    *,
    cap: int | None = None,
    today: dt.date | None = None,
) -> None:
    """Store the response of a keyed draft (no code) and delete the draft, all at once.

    With ``cap``, a round that holds ``cap`` responses already takes no more
    (RoundFull), checked inside the same write transaction (under the round's lock)
    so that many phones sending at once cannot pass it.
    """
    today = today or dt.date.today()
    with store.write_in_round(round_id) as conn:
        current = round_by_id(conn, round_id)
        _require_open(current, today)
        if cap is not None:
            held = conn.execute(
                select(func.count())
                .select_from(schema.responses)
                .where(schema.responses.c.round_id == round_id)
            ).scalar()
            if int(held or 0) >= cap:
                raise RoundFull(
                    texts.both_lines("web_full"),
                    hint=_("Round {ref} has {cap} responses.").format(ref=current.ref, cap=cap),
                )
        insert_response(conn, current, response, today=today)
        conn.execute(
            delete(schema.drafts).where(
                schema.drafts.c.code_hash == draft_key, schema.drafts.c.round_id == round_id
            )
        )
    forget_traces(store)
