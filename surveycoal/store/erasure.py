"""Erasing data: a participant's draft, a round's raw answers, a whole coalition.

Each function deletes in one write transaction (all of it or nothing), returns
what it deleted so the command line can say so, and then has the database
rewritten so that nothing deleted stays readable in free pages
(:func:`surveycoal.store.traces.rebuild`).

What a purge keeps: the round itself (its number, dates, questionnaire snapshot
and privacy settings), the coalition's notes and readings, and a copy of the
round's published scores (the JSON of ``surveycoal score SLUG/N --json``, in which
every group below the minimum is hidden already) without the open answers' texts
(:func:`kept_copy`). What it deletes: every
response with its answers and panel-key hash (the links between rounds), the
open answers, unsent drafts, the hashes of its invitation codes and the record
of imported files.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Connection, Table, delete, func, select, update

from surveycoal.codes import hash_code
from surveycoal.errors import CodeError, RoundStateError
from surveycoal.i18n import _, ngettext
from surveycoal.store import schema
from surveycoal.store.coalitions import get_coalition
from surveycoal.store.database import Store
from surveycoal.store.rounds import Round, get_round, round_by_id
from surveycoal.store.traces import rebuild


def _counted(what: str, n: int) -> str:
    """``n`` rows of the kind ``what``, in the lead's language: "1 response", "3 notes"."""
    forms = {
        "responses": ngettext("{count} response", "{count} responses", n),
        "panel links": ngettext("{count} panel link", "{count} panel links", n),
        "answers": ngettext("{count} answer", "{count} answers", n),
        "open answers": ngettext("{count} open answer", "{count} open answers", n),
        "unsent drafts": ngettext("{count} unsent draft", "{count} unsent drafts", n),
        "invitation codes": ngettext("{count} invitation code", "{count} invitation codes", n),
        "import records": ngettext("{count} import record", "{count} import records", n),
        "rounds": ngettext("{count} round", "{count} rounds", n),
        "members": ngettext("{count} member", "{count} members", n),
        "notes": ngettext("{count} note", "{count} notes", n),
    }
    return forms.get(what, f"{{count}} {what}").format(count=n)


@dataclass(frozen=True)
class Erased:
    """How many rows of each kind were deleted, in words a lead understands."""

    counts: Mapping[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def describe(self) -> str:
        parts = [_counted(what, n) for what, n in self.counts.items() if n]
        return ", ".join(parts) if parts else _("nothing")


def _count(conn: Connection, table: Table, *where: ColumnElement[bool]) -> int:
    return int(conn.execute(select(func.count()).select_from(table).where(*where)).scalar() or 0)


def erase_draft(store: Store, code: str) -> Round:
    """Delete the unsent answers saved under an invitation code; returns its round.

    Sent answers cannot be found by their code (nothing links them), so they
    cannot be erased one by one: :class:`CodeError` says so.
    """
    code_hash = hash_code(store.hash_key(), code)
    d, t = schema.drafts, schema.invitations
    with store.write() as conn:
        invitation = conn.execute(select(t).where(t.c.code_hash == code_hash)).first()
        if invitation is None:
            raise CodeError(
                _("This code is not known in this database: there is nothing to erase.")
            )
        deleted = conn.execute(delete(d).where(d.c.code_hash == code_hash)).rowcount
        round_id = invitation.round_id
        if not deleted:
            if invitation.status == "used":
                raise CodeError(
                    _(
                        "The answers given with this code were sent: they are stored without any "
                        "link to the code, so they cannot be found or erased one by one."
                    ),
                    hint=_("They are deleted with the whole round by `surveycoal round purge`."),
                )
            raise CodeError(
                _("No unsent answers are saved under this code: there is nothing to erase.")
            )
    rebuild(store)
    with store.read() as conn:
        return round_by_id(conn, round_id)


def kept_copy(scores: Mapping[str, Any]) -> str:
    """What a purge keeps of a round's ``score --json``: everything but the open answers' texts.

    The figures are aggregates in which every small group is hidden already; the
    open answers are people's own words, so they go with the raw answers.
    """
    kept = dict(scores)
    kept["open_answers"] = [
        {**entry, "texts": None, "deleted": True} for entry in kept.get("open_answers", [])
    ]
    return json.dumps(kept, ensure_ascii=False, allow_nan=False)


def purge_round(
    store: Store,
    ref: str,
    *,
    scores_json: str,
    before_retention: bool = False,
    today: dt.date | None = None,
) -> Erased:
    """Delete a closed round's raw answers, keeping ``scores_json`` (its published scores).

    Refused while the round is open, once it was purged, and before its retention
    period is over unless ``before_retention`` (for a request to erase, or a
    coalition that stops).
    """
    today = today or dt.date.today()
    found = get_round(store, ref)
    _check_purgeable(found, before_retention, today)
    r, resp, a = schema.rounds, schema.responses, schema.answers
    mine = select(resp.c.id).where(resp.c.round_id == found.id)
    with store.write() as conn:
        found = round_by_id(conn, found.id)
        _check_purgeable(found, before_retention, today)
        counts = {
            "responses": _count(conn, resp, resp.c.round_id == found.id),
            "panel links": _count(
                conn, resp, resp.c.round_id == found.id, resp.c.panel_key_hash.is_not(None)
            ),
            "answers": _count(conn, a, a.c.response_id.in_(mine)),
            "open answers": _count(
                conn, schema.open_answers, schema.open_answers.c.round_id == found.id
            ),
            "unsent drafts": _count(conn, schema.drafts, schema.drafts.c.round_id == found.id),
            "invitation codes": _count(
                conn, schema.invitations, schema.invitations.c.round_id == found.id
            ),
            "import records": _count(conn, schema.imports, schema.imports.c.round_id == found.id),
        }
        # Answers go with their responses, in this transaction: no foreign key ties them
        # (see schema.answers), so nothing else would delete them.
        conn.execute(delete(a).where(a.c.response_id.in_(mine)))
        for table in (resp, schema.open_answers, schema.drafts, schema.invitations, schema.imports):
            conn.execute(delete(table).where(table.c.round_id == found.id))
        conn.execute(
            update(r).where(r.c.id == found.id).values(purged_on=today, scores_json=scores_json)
        )
    rebuild(store)
    return Erased(counts)


def _check_purgeable(found: Round, before_retention: bool, today: dt.date) -> None:
    if found.purged_on is not None:
        raise RoundStateError(
            _("The answers of round {ref} were deleted on {date} already.").format(
                ref=found.ref, date=found.purged_on.isoformat()
            )
        )
    if found.is_open:
        raise RoundStateError(
            _("Round {ref} is open: close it before deleting its answers.").format(ref=found.ref),
            hint=f"surveycoal round close {found.ref}",
        )
    until = found.keep_until
    if not before_retention and until is not None and today <= until:
        raise RoundStateError(
            _(
                "Round {ref} keeps its answers until {date} ({months} after closing), "
                "as participants were told."
            ).format(ref=found.ref, date=until.isoformat(), months=_months(found.retention_months)),
            hint=_(
                "To delete them earlier (someone asked to be erased, the coalition stops), "
                "add --force-before-retention."
            ),
        )


def kept_scores(store: Store, ref: str) -> str | None:
    """The scores kept when a round's answers were purged (JSON), or None."""
    found = get_round(store, ref)
    with store.read() as conn:
        return conn.execute(
            select(schema.rounds.c.scores_json).where(schema.rounds.c.id == found.id)
        ).scalar()


def delete_coalition(store: Store, slug: str) -> Erased:
    """Delete a coalition with its members, notes, rounds and every answer in them."""
    found = get_coalition(store, slug)
    r, resp, a = schema.rounds, schema.responses, schema.answers
    rounds_of = select(r.c.id).where(r.c.coalition_id == found.id)
    responses_of = select(resp.c.id).where(resp.c.round_id.in_(rounds_of))
    with store.write() as conn:
        counts = {
            "rounds": _count(conn, r, r.c.coalition_id == found.id),
            "responses": _count(conn, resp, resp.c.round_id.in_(rounds_of)),
            "answers": _count(conn, a, a.c.response_id.in_(responses_of)),
            "open answers": _count(
                conn, schema.open_answers, schema.open_answers.c.round_id.in_(rounds_of)
            ),
            "unsent drafts": _count(conn, schema.drafts, schema.drafts.c.round_id.in_(rounds_of)),
            "invitation codes": _count(
                conn, schema.invitations, schema.invitations.c.round_id.in_(rounds_of)
            ),
            "import records": _count(
                conn, schema.imports, schema.imports.c.round_id.in_(rounds_of)
            ),
            "members": _count(conn, schema.members, schema.members.c.coalition_id == found.id),
            "notes": _count(conn, schema.notes, schema.notes.c.coalition_id == found.id),
        }
        # with their responses, as in purge_round: no foreign key would keep them apart
        conn.execute(delete(a).where(a.c.response_id.in_(responses_of)))
        for table in (
            resp,
            schema.open_answers,
            schema.drafts,
            schema.invitations,
            schema.imports,
        ):
            conn.execute(delete(table).where(table.c.round_id.in_(rounds_of)))
        conn.execute(delete(schema.notes).where(schema.notes.c.coalition_id == found.id))
        conn.execute(delete(r).where(r.c.coalition_id == found.id))
        conn.execute(delete(schema.members).where(schema.members.c.coalition_id == found.id))
        conn.execute(delete(schema.coalitions).where(schema.coalitions.c.id == found.id))
    rebuild(store)
    return Erased(counts)


__all__ = [
    "Erased",
    "delete_coalition",
    "erase_draft",
    "kept_copy",
    "kept_scores",
    "purge_round",
]


def _months(n: int) -> str:
    return ngettext("{count} month", "{count} months", n).format(count=n)
