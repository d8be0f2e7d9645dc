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
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from surveycoal import texts
from surveycoal.codes import CodeRejected, hash_code, new_codes
from surveycoal.errors import InputError, RoundStateError
from surveycoal.store import schema
from surveycoal.store.database import Store
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
            texts.both_lines("round_closed"), hint=f"Round {round_.ref} takes no more answers."
        )


# -- invitations ------------------------------------------------------------------


def create_invitations(
    store: Store,
    ref: str,
    count: int,
    *,
    expires_on: dt.date | None = None,
    today: dt.date | None = None,
) -> list[str]:
    """Make ``count`` one-use codes for an open round; returns the codes (formatted).

    Only their keyed hashes are stored: the returned list is the one and only copy
    of the codes themselves.
    """
    today = today or dt.date.today()
    if not 1 <= count <= MAX_CODES:
        raise InputError(f"Make between 1 and {MAX_CODES} codes at a time, not {count}.")
    if expires_on is not None and expires_on < today:
        raise InputError(f"The expiry date {expires_on.isoformat()} is in the past.")
    round_ = get_round(store, ref)
    if not round_.accepts_answers(today):
        raise RoundStateError(
            f"Round {round_.ref} is closed: codes for it could not be used.",
            hint="Open a new round with `surveycoal round open`.",
        )
    if round_.closes_on is not None and expires_on is not None and expires_on > round_.closes_on:
        raise InputError(
            f"The codes would expire on {expires_on.isoformat()}, after the round closes "
            f"({round_.closes_on.isoformat()})."
        )
    secret = store.hash_key()
    t = schema.invitations
    with store.write() as conn:
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
    """Save the answers so far of a code (one write; called after every answer)."""
    today = today or dt.date.today()
    state_json = json.dumps(state, ensure_ascii=False, sort_keys=True)
    d = schema.drafts
    with store.write() as conn:
        invitation = _usable_invitation(conn, code_hash, today)
        changed = conn.execute(
            update(d).where(d.c.code_hash == code_hash).values(state_json=state_json)
        ).rowcount
        if not changed:
            conn.execute(
                insert(d).values(
                    id=secrets.token_hex(16),
                    round_id=invitation.round.id,
                    code_hash=code_hash,
                    state_json=state_json,
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
    d = schema.drafts
    with store.write() as conn:
        _require_open(round_by_id(conn, round_id), today)
        changed = conn.execute(
            update(d)
            .where(d.c.code_hash == draft_key, d.c.round_id == round_id)
            .values(state_json=state_json)
        ).rowcount
        if not changed:
            conn.execute(
                insert(d).values(
                    id=secrets.token_hex(16),
                    round_id=round_id,
                    code_hash=draft_key,
                    state_json=state_json,
                )
            )


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
    with store.write() as conn:
        invitation = _usable_invitation(conn, code_hash, today)
        insert_response(conn, invitation.round, response, today=today, code_used=True)
        t = schema.invitations
        conn.execute(update(t).where(t.c.code_hash == code_hash).values(status=USED))
        conn.execute(delete(schema.drafts).where(schema.drafts.c.code_hash == code_hash))
    forget_traces(store, invitation.round.id, code_used=True)


def submit_anonymous(
    store: Store, ref: str, response: NewResponse, *, today: dt.date | None = None
) -> None:
    """Store one response without a code (a kiosk), if the round still takes answers."""
    today = today or dt.date.today()
    round_ = get_round(store, ref)
    with store.write() as conn:
        current = round_by_id(conn, round_.id)
        _require_open(current, today)
        insert_response(conn, current, response, today=today)
    forget_traces(store, current.id)


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
    (RoundFull), checked inside the same write transaction so that many phones
    sending at once cannot pass it.
    """
    today = today or dt.date.today()
    with store.write() as conn:
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
                    texts.both_lines("web_full"), hint=f"Round {current.ref} has {cap} responses."
                )
        insert_response(conn, current, response, today=today)
        conn.execute(
            delete(schema.drafts).where(
                schema.drafts.c.code_hash == draft_key, schema.drafts.c.round_id == round_id
            )
        )
    forget_traces(store, current.id)
