"""Leave no trace of the order in which responses arrived, on SQLite and PostgreSQL."""

from __future__ import annotations

import sqlite3

from sqlalchemy import delete, insert, select

from surveycoal.store import schema
from surveycoal.store.database import BUSY_TIMEOUT_SECONDS, Store


def forget_traces(store: Store, round_id: int | None = None) -> None:
    """Leave nothing in the database that shows in which order responses arrived.

    SQLite: rebuild the file in key order and empty its write-ahead log. The
    answer tables have no row numbers, but a B-tree still grows by splitting
    pages as rows arrive, so which rows share a page, and which pages were added
    last, carries a trace of the order of arrival (measured: a rank correlation of
    about 0.1 between arrival and file position). ``VACUUM`` rewrites every table
    in the order of its random keys, so afterwards the file is the same whatever
    order the responses came in. The write-ahead log holds recent pages in the
    order written and, for a moment, a used code next to the new response; a
    truncating checkpoint empties it. Best effort, and quick for a database of
    this size (about 10 ms a megabyte): when another process is writing, a later
    submit does it.

    PostgreSQL stamps every row with the transaction that wrote it (``xmin``) and
    stores new rows where there is room, so a response would share its
    transaction with the code it used, and rows would lie in order of arrival.
    The round's responses, answers and open answers are therefore written again,
    in key order, in one transaction of their own (see :func:`_rewrite_round`).
    """
    if not store.is_sqlite:
        if round_id is not None and store.engine.dialect.name == "postgresql":
            _rewrite_round(store, round_id)
        return
    raw = store.engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("PRAGMA busy_timeout=250")
        try:
            for statement in ("VACUUM", "PRAGMA wal_checkpoint(TRUNCATE)"):
                try:
                    cursor.execute(statement)
                    cursor.fetchall()
                except sqlite3.OperationalError:
                    pass  # busy: the next submit tries again
        finally:
            cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_SECONDS * 1000}")
            cursor.close()
    finally:
        raw.close()


def _rewrite_round(store: Store, round_id: int) -> None:
    """Write a round's answer rows again in key order, then vacuum away the old ones.

    Afterwards every row of the round carries the same transaction id, newer than
    any code's, and lies where key order put it.
    """
    resp, ans, opn = schema.responses, schema.answers, schema.open_answers
    ids = select(resp.c.id).where(resp.c.round_id == round_id).scalar_subquery()
    with store.write() as conn:
        responses = (
            conn.execute(select(resp).where(resp.c.round_id == round_id).order_by(resp.c.id))
            .mappings()
            .all()
        )
        answers = (
            conn.execute(
                select(ans)
                .where(ans.c.response_id.in_(ids))
                .order_by(ans.c.response_id, ans.c.item_id)
            )
            .mappings()
            .all()
        )
        open_answers = (
            conn.execute(select(opn).where(opn.c.round_id == round_id).order_by(opn.c.id))
            .mappings()
            .all()
        )
        conn.execute(delete(ans).where(ans.c.response_id.in_(ids)))
        conn.execute(delete(resp).where(resp.c.round_id == round_id))
        conn.execute(delete(opn).where(opn.c.round_id == round_id))
        for table, rows in ((resp, responses), (ans, answers), (opn, open_answers)):
            if rows:
                conn.execute(insert(table), [dict(row) for row in rows])
    with store.engine.connect() as conn:
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        conn.exec_driver_sql("VACUUM responses, answers, open_answers")
