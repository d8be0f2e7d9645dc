"""Storing an imported file's responses, and the record that keeps a file from counting twice.

The importer (:mod:`surveycoal.importer`) reads and checks a file; everything it
stores goes through :func:`store_import`, in one transaction under the round's
lock: the round is checked again, the record of the import is written, and the
round's rows are written again in key order (:mod:`surveycoal.store.traces`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Connection, insert, select

from surveycoal.errors import InputError
from surveycoal.i18n import _
from surveycoal.store import schema
from surveycoal.store.database import Store
from surveycoal.store.responses import (
    NewResponse,
    checked_response_rows,
    require_answerable,
    require_same_instrument,
)
from surveycoal.store.rounds import Round, round_by_id
from surveycoal.store.traces import forget_traces, store_rows

#: Called as ``progress(stage, done, total)``; stage is "check" or "store".
Progress = Callable[[str, int, int], None]


def _earlier_import(conn: Connection, round_: Round, content: str) -> Any:
    """The record of an earlier import of the same answers into the round, or None."""
    t = schema.imports
    return conn.execute(
        select(t.c.imported_on, t.c.responses).where(
            (t.c.round_id == round_.id) & (t.c.content_hash == content)
        )
    ).first()


def _refuse_a_second_import(conn: Connection, round_: Round, content: str) -> None:
    earlier = _earlier_import(conn, round_, content)
    if earlier is not None:
        raise InputError(
            _(
                "These answers were imported into {ref} already, on {day} ({count} responses); "
                "importing them again would count every response twice. Nothing was imported."
            ).format(ref=round_.ref, day=earlier.imported_on.isoformat(), count=earlier.responses),
            hint=_("If these really are other people's answers, add --again."),
        )


def refuse_a_second_import(store: Store, round_: Round, content: str) -> None:
    """InputError when answers with the keyed hash ``content`` were imported into the round."""
    with store.read() as conn:
        _refuse_a_second_import(conn, round_, content)


def _record_import(
    conn: Connection, round_: Round, content: str, count: int, today: dt.date | None
) -> None:
    if _earlier_import(conn, round_, content) is None:  # with --again it is there already
        conn.execute(
            insert(schema.imports).values(
                round_id=round_.id,
                content_hash=content,
                imported_on=today or dt.date.today(),
                responses=count,
            )
        )


def store_import(
    store: Store,
    round_: Round,
    responses: Sequence[NewResponse],
    content: str,
    *,
    again: bool = False,
    today: dt.date | None = None,
    progress: Progress | None = None,
) -> None:
    """Store a checked file's responses in ``round_``, with the record of the import.

    ``responses`` were checked against ``round_``'s questionnaire, every rule of
    :func:`~surveycoal.store.responses.check_response` included (the importer's
    row checks): they are turned into rows without being checked a second time.
    All or nothing: the round must still take answers with the same questionnaire,
    and unless ``again``, the same answers must not have been imported before.
    """
    with store.write_in_round(round_.id) as conn:
        current = round_by_id(conn, round_.id)  # closed or changed during the checks?
        require_answerable(current, today)
        require_same_instrument(round_, current)
        if not again:
            _refuse_a_second_import(conn, round_, content)
        _record_import(conn, round_, content, len(responses), today)
        rows = checked_response_rows(current, responses, today=today, progress=progress)
        # One write of the whole round, in key order, for every row of the file.
        store_rows(conn, current.id, rows)
    forget_traces(store)
