"""Copying a whole surveycoal database into an empty one, SQLite or PostgreSQL, either way.

Everything is copied as it is stored: programmes, coalitions, members, rounds with
their questionnaire snapshots, notes, codes (their hashes), drafts, responses,
answers, open answers, the record of imported files and the database's hashing key
(without it no code or personal key would work in the copy). Ids are kept, so the
copy scores every round exactly as the original does.

The copy is one transaction on the target: its row counts and the score of every
round are checked inside it, against the source, before it commits. When anything
differs, nothing is kept.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, func, select

from surveycoal.errors import StoreError
from surveycoal.i18n import _
from surveycoal.store import schema
from surveycoal.store.database import (
    Store,
    _sqlite_path,
    create_store,
    database_url,
)
from surveycoal.store.rounds import round_by_id

#: Tables in the order they are filled (every table after the ones it refers to).
DATA_TABLES: tuple[str, ...] = (
    "programmes",
    "coalitions",
    "members",
    "rounds",
    "notes",
    "invitations",
    "drafts",
    "responses",
    "answers",
    "open_answers",
    "imports",
)
#: Tables whose integer ids a PostgreSQL sequence hands out.
_NUMBERED = ("programmes", "coalitions", "members", "rounds", "notes")


@dataclass(frozen=True)
class CopyResult:
    target: str
    counts: dict[str, int]
    rounds_scored: int


def table_counts(conn: Connection) -> dict[str, int]:
    """Rows per data table."""
    return {
        name: int(
            conn.execute(select(func.count()).select_from(schema.metadata.tables[name])).scalar()
            or 0
        )
        for name in DATA_TABLES
    }


def copy_database(source: Store, target_location: str | os.PathLike[str]) -> CopyResult:
    """Copy everything in ``source`` into the empty database at ``target_location``.

    Raises
    ------
    StoreError
        When the target is the source, is not empty, holds another program's
        tables, or the copy does not count or score the same as the source (then
        the target is left as it was).
    """
    url = database_url(target_location)
    if _same_database(source.url, url):
        raise StoreError(_("The target is the database being copied; name another one."))
    path = _sqlite_path(url)
    new_file = path is not None and not path.exists()
    try:
        target = create_store(url)
    except BaseException:
        if new_file and path is not None:
            path.unlink(missing_ok=True)
        raise
    try:
        with source.read() as read, target.write() as write:
            _refuse_filled(target, write)
            expected = table_counts(read)
            for name in DATA_TABLES:
                _copy_table(read, write, name)
            _copy_hash_key(read, write)
            if write.dialect.name == "postgresql":
                _advance_sequences(write)
            found = table_counts(write)
            if found != expected:
                differ = ", ".join(
                    f"{name} {expected[name]} -> {found[name]}"
                    for name in DATA_TABLES
                    if found[name] != expected[name]
                )
                raise StoreError(
                    _("The copy does not hold the same rows ({differ}); nothing was kept.").format(
                        differ=differ
                    )
                )
            scored = _compare_scores(read, write)
    except BaseException:
        target.close()
        if new_file and path is not None:
            for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                leftover.unlink(missing_ok=True)
        raise
    location = target.location
    target.close()
    return CopyResult(target=location, counts=expected, rounds_scored=scored)


def _same_database(a: str, b: str) -> bool:
    from sqlalchemy.engine import make_url

    first, second = make_url(a), make_url(b)
    if first.get_backend_name() == "sqlite" and second.get_backend_name() == "sqlite":
        if not first.database or not second.database:
            return False
        return Path(first.database).resolve() == Path(second.database).resolve()
    return first.render_as_string(hide_password=True) == second.render_as_string(hide_password=True)


def _refuse_filled(target: Store, conn: Connection) -> None:
    filled = {name: n for name, n in table_counts(conn).items() if n}
    if filled:
        shown = ", ".join(f"{n} {name}" for name, n in filled.items())
        raise StoreError(
            _(
                "{location} is not empty (it holds {shown}); a copy goes only into an "
                "empty database, so nothing in it is mixed up or overwritten."
            ).format(location=target.location, shown=shown),
            hint=_(
                "Nothing was copied. Create a new database for the copy (for PostgreSQL: "
                "CREATE DATABASE ...) and name that one."
            ),
        )


def _copy_table(read: Connection, write: Connection, name: str) -> None:
    from surveycoal.store.traces import bulk_insert

    table = schema.metadata.tables[name]
    key = list(table.primary_key.columns)
    rows = read.execute(select(table).order_by(*key)).all()
    if rows:
        bulk_insert(
            write,
            name,
            tuple(c.name for c in table.columns),
            [tuple(r) for r in rows],
            convert=True,
        )


def _copy_hash_key(read: Connection, write: Connection) -> None:
    """The source's settings (its hashing key above all) replace the new database's."""
    settings = schema.settings
    rows = read.execute(select(settings)).all()
    write.execute(settings.delete())
    if rows:
        write.execute(settings.insert(), [dict(r._mapping) for r in rows])


def _advance_sequences(conn: Connection) -> None:
    """Let PostgreSQL hand out ids after the copied ones (explicit ids do not move a sequence)."""
    for name in _NUMBERED:
        conn.exec_driver_sql(
            f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
            f"COALESCE((SELECT max(id) FROM {name}), 0) + 1, false)"
        )


def round_scores(conn: Connection) -> dict[int, str]:
    """Every round's ``score --json`` (without the pooled reliability), by round id."""
    from surveycoal.scoring import score_round
    from surveycoal.store.responses import load_in

    ids = conn.execute(select(schema.rounds.c.id).order_by(schema.rounds.c.id)).scalars().all()
    rounds = [round_by_id(conn, round_id) for round_id in ids]
    return {
        round_.id: json.dumps(score_round(data).to_json(), sort_keys=True, allow_nan=False)
        for round_, data in zip(rounds, load_in(conn, rounds), strict=True)
    }


def _compare_scores(read: Connection, write: Connection) -> int:
    before, after = round_scores(read), round_scores(write)
    differ = sorted(set(before) ^ set(after) | {i for i in before if after.get(i) != before[i]})
    if differ:
        raise StoreError(
            _(
                "{count} round(s) do not score the same in the copy (round ids {ids}); "
                "nothing was kept."
            ).format(count=len(differ), ids=", ".join(map(str, differ[:10])))
        )
    return len(before)
