"""Numbered schema migrations, recorded in the ``schema_migrations`` table.

Each migration is a function of a connection inside a transaction; running the
list twice changes nothing (tables are created with ``checkfirst``). A database
whose newest recorded migration is beyond this list was made by a newer
surveycoal and is refused.

Migrations create tables from the definitions in :mod:`surveycoal.store.schema`,
so a fresh database gets the newest form of a table from the migration that
first made it. A later migration that changes an existing table must therefore
check before it acts (add a column only when it is missing). The tests keep a
literal copy of every earlier schema and check that upgrading it gives exactly
the tables of a fresh database.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Connection, MetaData, Table, func, insert, inspect, select

from surveycoal.store import schema


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    apply: Callable[[Connection], None]


def _create(conn: Connection, *tables: Table) -> None:
    for table in tables:
        table.create(conn, checkfirst=True)


def _m1_core(conn: Connection) -> None:
    _create(
        conn,
        schema.settings,
        schema.programmes,
        schema.coalitions,
        schema.members,
        schema.rounds,
        schema.notes,
    )


def _m2_answering(conn: Connection) -> None:
    _create(
        conn,
        schema.invitations,
        schema.drafts,
        schema.responses,
        schema.answers,
        schema.open_answers,
    )
    # The key for hashing invitation codes and panel keys lives in the database
    # it protects, so a copy of one database cannot be used to test codes of another.
    exists = conn.execute(
        select(schema.settings.c.key).where(schema.settings.c.key == "hash_key")
    ).first()
    if exists is None:
        conn.execute(insert(schema.settings).values(key="hash_key", value=secrets.token_hex(32)))


def _m3_imports(conn: Connection) -> None:
    _create(conn, schema.imports)


def _m4_retention(conn: Connection) -> None:
    """Add the rounds' retention period and what a purge keeps, where they are missing.

    A fresh database has them already (migration 1 creates today's rounds table).
    Rounds opened before get the default period of 24 months.
    """
    present = {c["name"] for c in inspect(conn).get_columns("rounds")}
    preparer = conn.dialect.identifier_preparer
    for column in ("retention_months", "purged_on", "scores_json"):
        if column in present:
            continue
        definition = schema.rounds.c[column]
        kind = definition.type.compile(dialect=conn.dialect)
        extra = " NOT NULL DEFAULT 24" if column == "retention_months" else ""
        conn.exec_driver_sql(
            f"ALTER TABLE {preparer.quote('rounds')} ADD COLUMN {preparer.quote(column)} {kind}{extra}"
        )


def _m5_answers_without_foreign_key(conn: Connection) -> None:
    """Drop the foreign key from ``answers`` to ``responses``, where there is one.

    Its check cost a look-up into ``responses`` for every answer row written (measured
    on PostgreSQL: 640,000 answer rows in 15.7 s with it, 3.6 s without), and every
    submit writes all of its round's answer rows again. The store keeps the link
    itself (see the comment on ``answers`` in :mod:`surveycoal.store.schema`).

    PostgreSQL drops the constraint. SQLite cannot drop one, so the table is made
    again without it: rows copied in key order into a new table, the old one dropped
    (``secure_delete`` overwrites its pages), the new one renamed. Nothing refers to
    ``answers``, so the rename changes no other table.
    """
    found = inspect(conn).get_foreign_keys("answers")
    if not found:
        return
    preparer = conn.dialect.identifier_preparer
    if conn.dialect.name != "sqlite":
        for key in found:
            conn.exec_driver_sql(
                f"ALTER TABLE answers DROP CONSTRAINT {preparer.quote(str(key['name']))}"
            )
        return
    columns = ", ".join(c.name for c in schema.answers.columns)
    interim = schema.answers.to_metadata(MetaData(), name="answers_new")
    interim.create(conn)
    conn.exec_driver_sql(
        f"INSERT INTO answers_new ({columns}) SELECT {columns} FROM answers "
        "ORDER BY response_id, item_id"
    )
    conn.exec_driver_sql("DROP TABLE answers")
    conn.exec_driver_sql("ALTER TABLE answers_new RENAME TO answers")


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "programmes, coalitions, members, rounds and notes", _m1_core),
    Migration(2, "invitation codes, drafts, responses and answers", _m2_answering),
    Migration(
        3, "a record of imported files, to catch the same answers imported twice", _m3_imports
    ),
    Migration(
        4,
        "a retention period per round, and the scores kept when its answers are purged",
        _m4_retention,
    ),
    Migration(
        5,
        "answers without a foreign key to responses, which the store keeps itself",
        _m5_answers_without_foreign_key,
    ),
)

LATEST_VERSION = MIGRATIONS[-1].version


def current_version(conn: Connection) -> int:
    """The newest migration recorded in the database (0 for an empty database)."""
    if not inspect(conn).has_table("schema_migrations"):
        return 0
    version = conn.execute(select(func.max(schema.schema_migrations.c.version))).scalar()
    return int(version or 0)


def pending(conn: Connection) -> list[Migration]:
    done = current_version(conn)
    return [m for m in MIGRATIONS if m.version > done]


def apply_migrations(conn: Connection, *, up_to: int | None = None) -> list[Migration]:
    """Apply every pending migration (up to ``up_to``) and record each; returns those applied."""
    _create(conn, schema.schema_migrations)
    applied = []
    for migration in pending(conn):
        if up_to is not None and migration.version > up_to:
            break
        migration.apply(conn)
        conn.execute(
            insert(schema.schema_migrations).values(
                version=migration.version, name=migration.name, applied_on=dt.date.today()
            )
        )
        applied.append(migration)
    return applied
