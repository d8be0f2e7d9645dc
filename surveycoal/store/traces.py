"""Leave no trace of the order in which responses arrived, at a cost set by the round alone.

Someone with a copy of the database must not be able to tell in which order a
round's responses arrived (the order of arrival is the order codes were handed
out, or the order people sat down at the kiosk). This module decides how rows of
answers are written so that it cannot be told, on SQLite and on PostgreSQL.

What a copy shows, and why each is covered:

Row numbers
    The answer tables have none (``WITHOUT ROWID`` on SQLite) and are keyed by
    random ids, so no number counts up with each submit.

Where rows lie (SQLite pages, PostgreSQL ``ctid``)
    A B-tree grows by splitting pages where new rows land, so which rows share a
    page, where a row sits inside its page and which pages were added last all
    depend on the order rows came in. Every id of a round's responses and open
    answers therefore starts with the round's number (:func:`new_row_id`), which
    makes a round's rows one unbroken range of keys in each table, and every
    write to a round writes *all* of its rows again, in key order
    (:func:`write_round`): the old rows are deleted and the old ones together
    with the new ones are inserted sorted by key. Inside the range, SQLite's
    B-tree code then sees the same sequence of operations whichever response came
    when: it deletes the range front to back and appends sorted rows, and every
    comparison between keys comes out the same (a row of this round is always
    after the rows before it and before the next round's rows). So the pages and
    offsets the round ends up in are a function of the set of rows and of how
    many bytes the round held before, never of which response arrived when. Rows
    outside the round are not read or written, so the cost is that of the round
    (40 responses of 32 answers: about 1,300 rows) however large the database.
    The measured protection is in tests/test_anonymity_store.py: two databases
    that got the same responses in different orders lie byte for byte the same.

What deleted rows leave behind
    SQLite runs with ``secure_delete``: a freed cell or page is overwritten with
    zeros, so the old copy of a rewritten round (or a deleted draft) is not left
    in free space.

The write-ahead log (SQLite ``-wal`` file)
    The log keeps every page version written since the last checkpoint, in the
    order written: two versions of a round's pages side by side would show which
    response was added by which submit, next to the page with the code it used.
    After every submit, :func:`forget_traces` copies the log into the database
    and truncates it to nothing (``wal_checkpoint(TRUNCATE)``). The submit itself
    is one transaction (response, used code, deleted draft and the round's
    rewrite), so the log never holds a state in which the new response lies
    where it arrived. The checkpoint waits a short while for readers; when one
    holds an old snapshot for longer, the next submit's checkpoint empties the
    log instead.

PostgreSQL's transaction stamps (``xmin``)
    Every row carries the id of the transaction that wrote it, so a response
    inserted by itself would carry a stamp no other row of its round has, next
    to the stamp of the code it used. A submit therefore writes *all* of the
    round's rows again in its own transaction (with the new response among them,
    in key order), and marks the code used in a subtransaction, which has an id
    of its own: afterwards every row of the round carries the one stamp of the
    last submit, and no code carries it. Old row versions stay in the table's
    pages until autovacuum reuses the space; they, and the server's own
    write-ahead log, are only readable by someone with access to the server's
    files, who can read the log of every change anyway. The database users
    surveycoal connects as see only live rows.

Why this still holds with writers side by side
    On PostgreSQL, writes to different rounds run at the same time (each takes
    its round's lock, see :mod:`surveycoal.store.database`). The rewrite only
    reads and writes the rows of its own round, and every write that changes a
    round's answer rows (a submit, an import, a kiosk) or deletes them (closing
    and purging, which take the database-wide lock) holds that round's lock
    exclusively for its whole transaction. So no two rewrites of one round
    overlap, each one starts from every row committed before it, and the
    statements of other rounds' writers touch none of its rows. A rewrite and
    its response commit together, or neither does: a client killed in between
    leaves no response that lies, or is stamped, by itself.

Why not ``VACUUM``: it rebuilds the whole SQLite file (0.8 s on a new database,
2 s at 50,000 responses, during which every writer waits), and on PostgreSQL
vacuuming the answer tables costs time in proportion to the whole programme.
"""

from __future__ import annotations

import datetime as dt
import secrets
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection

from surveycoal.store.database import BUSY_TIMEOUT_SECONDS, Store

#: How long a checkpoint waits for readers before leaving it to the next submit.
CHECKPOINT_WAIT_MS = 250


def new_row_id(round_id: int) -> str:
    """A fresh random id for a response or an open answer of a round.

    Eight hex digits of the round's number, then 96 random bits: the rows of one
    round form one range of keys, so rewriting the round touches no other round's
    pages.

    >>> len(new_row_id(7)), new_row_id(7)[:8]
    (32, '00000007')
    """
    return f"{round_id:08x}{secrets.token_hex(12)}"


#: The columns of the three answer tables, in the order rows are kept as tuples.
RESPONSE_COLUMNS = ("id", "round_id", "member_type", "panel_key_hash", "complete", "submitted_on")
ANSWER_COLUMNS = ("response_id", "item_id", "value")
OPEN_ANSWER_COLUMNS = ("id", "round_id", "question_id", "text")


@dataclass
class RoundRows:
    """Rows for the three answer tables, as tuples in the order of the ``*_COLUMNS`` above.

    Dates and booleans are kept as Python values; :func:`write_round` stores them
    as SQLAlchemy would (on SQLite: ISO text and 0/1).
    """

    responses: list[tuple[Any, ...]] = field(default_factory=list)
    answers: list[tuple[Any, ...]] = field(default_factory=list)
    open_answers: list[tuple[Any, ...]] = field(default_factory=list)

    def extend(self, other: RoundRows) -> None:
        self.responses.extend(other.responses)
        self.answers.extend(other.answers)
        self.open_answers.extend(other.open_answers)


def store_rows(conn: Connection, round_id: int, rows: RoundRows) -> None:
    """Store new rows of a round inside the caller's transaction.

    The whole round is written again in key order at once (:func:`write_round`), so
    the new rows never lie where they arrived, nor, on PostgreSQL, carry a stamp of
    their own. The caller holds the round's lock (``Store.write_in_round``).
    """
    write_round(conn, round_id, rows)


def forget_traces(store: Store) -> None:
    """After a write to a round has committed: leave nothing that shows the order of arrival.

    SQLite: empty the write-ahead log. PostgreSQL: nothing is left to do, the
    write itself rewrote the round.
    """
    if store.is_sqlite:
        checkpoint(store)


def write_round(conn: Connection, round_id: int, added: RoundRows) -> None:
    """Delete a round's answer rows and insert them, with ``added``, in key order.

    Rows stored before ids started with the round's number get new ids of the
    new kind on the way (nothing outside the database refers to them), so after
    one rewrite the round is one range of keys in every table. The rows are moved
    as the database holds them (no conversion), in plain SQL: this is the one
    write every submit makes, and its cost is the round's. On PostgreSQL each
    table's rows are read and deleted by one statement (``DELETE ... RETURNING``).
    """
    sql = _Sql(conn)
    if conn.dialect.name == "sqlite":
        rows = _read_rows(
            responses=conn.exec_driver_sql(
                f"SELECT {', '.join(RESPONSE_COLUMNS)} FROM responses WHERE round_id = ?",
                (round_id,),
            ).all(),
            answers=conn.exec_driver_sql(
                f"SELECT {', '.join('a.' + c for c in ANSWER_COLUMNS)} FROM answers a "
                "JOIN responses r ON r.id = a.response_id WHERE r.round_id = ?",
                (round_id,),
            ).all(),
            open_answers=conn.exec_driver_sql(
                f"SELECT {', '.join(OPEN_ANSWER_COLUMNS)} FROM open_answers WHERE round_id = ?",
                (round_id,),
            ).all(),
        )
        _delete_backwards(conn, rows)
    else:
        rows = _read_rows(
            answers=conn.exec_driver_sql(
                "DELETE FROM answers WHERE response_id IN "
                f"(SELECT id FROM responses WHERE round_id = {sql.mark}) "
                f"RETURNING {', '.join(ANSWER_COLUMNS)}",
                (round_id,),
            ).all(),
            responses=conn.exec_driver_sql(
                f"DELETE FROM responses WHERE round_id = {sql.mark} "
                f"RETURNING {', '.join(RESPONSE_COLUMNS)}",
                (round_id,),
            ).all(),
            open_answers=conn.exec_driver_sql(
                f"DELETE FROM open_answers WHERE round_id = {sql.mark} "
                f"RETURNING {', '.join(OPEN_ANSWER_COLUMNS)}",
                (round_id,),
            ).all(),
        )
    rows = _rekey_older_rows(round_id, rows)
    rows.extend(_stored(conn, added))
    _insert_sorted(conn, rows)


class _Sql:
    """The driver's placeholder (``?`` for sqlite3, ``%s`` for psycopg)."""

    def __init__(self, conn: Connection) -> None:
        self.mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"

    def marks(self, count: int) -> str:
        return ", ".join([self.mark] * count)


def _stored(conn: Connection, rows: RoundRows) -> RoundRows:
    """New rows as the database keeps them: on SQLite, dates as ISO text, booleans as 0/1."""
    if conn.dialect.name != "sqlite":
        return rows
    return RoundRows(
        responses=[
            (
                *row[:4],
                int(bool(row[4])),
                row[5].isoformat() if hasattr(row[5], "isoformat") else row[5],
            )
            for row in rows.responses
        ],
        answers=rows.answers,
        open_answers=rows.open_answers,
    )


def _delete_backwards(conn: Connection, rows: RoundRows) -> None:
    """Delete rows one by one from the last key to the first.

    The page freed first is then always the round's last page, so the free pages
    are handed out again the same way whichever response arrived when (measured:
    deleting front to back, two of the round's pages could swap places).
    """
    for table, table_rows, columns in (
        ("answers", rows.answers, ANSWER_COLUMNS[:2]),
        ("responses", rows.responses, RESPONSE_COLUMNS[:1]),
        ("open_answers", rows.open_answers, OPEN_ANSWER_COLUMNS[:1]),
    ):
        if table_rows:
            where = " AND ".join(f"{c} = ?" for c in columns)
            keys = sorted((tuple(row[: len(columns)]) for row in table_rows), reverse=True)
            conn.exec_driver_sql(f"DELETE FROM {table} WHERE {where}", keys)


def _read_rows(**tables: Any) -> RoundRows:
    """Rows read back (SQLAlchemy rows behave as tuples)."""
    return RoundRows(**{name: list(rows) for name, rows in tables.items()})


def _rekey_older_rows(round_id: int, rows: RoundRows) -> RoundRows:
    """Give rows whose ids do not start with the round's number new ids that do."""
    prefix = f"{round_id:08x}"
    renamed: dict[str, str] = {}
    responses = []
    for row in rows.responses:
        if not row[0].startswith(prefix):
            renamed[row[0]] = new_row_id(round_id)
        responses.append((renamed.get(row[0], row[0]), *row[1:]))
    answers = (
        [(renamed.get(row[0], row[0]), *row[1:]) for row in rows.answers]
        if renamed
        else [tuple(row) for row in rows.answers]
    )
    open_answers = [
        (row[0] if row[0].startswith(prefix) else new_row_id(round_id), *row[1:])
        for row in rows.open_answers
    ]
    return RoundRows(responses, answers, open_answers)


def _insert_sorted(conn: Connection, rows: RoundRows) -> None:
    """Insert rows in the order of their keys.

    Python compares text by code point, which is the order of UTF-8 bytes, the
    order SQLite keeps keys in. Each table's key is unique and comes first in its
    rows, so sorting whole rows orders them by key (and never compares the
    columns after it): faster than a key function over an import's 3 million rows.
    """
    for table, table_rows, columns in (
        ("responses", rows.responses, RESPONSE_COLUMNS),
        ("answers", rows.answers, ANSWER_COLUMNS),
        ("open_answers", rows.open_answers, OPEN_ANSWER_COLUMNS),
    ):
        if table_rows:
            bulk_insert(conn, table, columns, sorted(table_rows))


def bulk_insert(
    conn: Connection,
    table: str,
    columns: tuple[str, ...],
    rows: list[tuple[Any, ...]],
    *,
    convert: bool = False,
) -> None:
    """Insert many rows in the caller's transaction, in the order given.

    With ``convert``, dates and booleans are first turned into what SQLite keeps
    (ISO text, 0/1), as SQLAlchemy would store them.
    """
    if conn.dialect.driver == "psycopg":
        _copy(conn, table, columns, rows)
        return
    if convert and conn.dialect.name == "sqlite":
        rows = [tuple(_sqlite_value(v) for v in row) for row in rows]
    marks = _Sql(conn).marks(len(columns))
    conn.exec_driver_sql(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _copy(conn: Connection, table: str, columns: tuple[str, ...], rows: list[Any]) -> None:
    """PostgreSQL's COPY, in the caller's transaction: an import's million rows in seconds."""
    raw: Any = conn.connection.driver_connection
    with (
        raw.cursor() as cursor,
        cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


def rebuild(store: Store) -> None:
    """Rebuild the whole database, best effort: when a round closes, not with every submit.

    Per-submit rewriting leaves one faint trace: the page numbers a round's rows
    end up on depend on how many bytes the round held at each earlier submit
    (never on which response lies where), so a response of unusual size could
    leave a hint of roughly when it came. Once a round is closed its rows no
    longer change, and one rebuild erases even that. SQLite: ``VACUUM`` writes
    every table again in key order (about 10 ms a megabyte; writers wait) and the
    log is emptied. PostgreSQL: ``VACUUM`` of the answer tables removes the old
    row versions from their pages; writers do not wait for it.
    """
    if not store.is_sqlite:
        with store.engine.connect() as conn:
            conn = conn.execution_options(isolation_level="AUTOCOMMIT")
            conn.exec_driver_sql("VACUUM responses, answers, open_answers")
        return
    raw = store.engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute(f"PRAGMA busy_timeout={CHECKPOINT_WAIT_MS}")
        try:
            cursor.execute("VACUUM")
        except sqlite3.OperationalError:
            pass  # busy: the file keeps its per-submit layout, which is safe
        finally:
            cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_SECONDS * 1000}")
            cursor.close()
    finally:
        raw.close()
    checkpoint(store)


def checkpoint(store: Store) -> None:
    """Copy SQLite's write-ahead log into the database file and truncate the log to nothing.

    Best effort: while another connection holds an old snapshot for longer than
    :data:`CHECKPOINT_WAIT_MS`, the log stays until the next submit empties it.
    """
    raw = store.engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute(f"PRAGMA busy_timeout={CHECKPOINT_WAIT_MS}")
        try:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        except sqlite3.OperationalError:
            pass  # busy: the next submit tries again
        finally:
            cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_SECONDS * 1000}")
            cursor.close()
    finally:
        raw.close()
