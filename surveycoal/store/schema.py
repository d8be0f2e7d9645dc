"""The database tables, as SQLAlchemy Core metadata.

Only portable types and constraints: the same schema runs on SQLite and PostgreSQL.
Tables that hold answers are created ``WITHOUT ROWID`` on SQLite (a dialect option,
ignored elsewhere) and keyed by random ids, so neither a row number nor the
physical order of rows tells in which order responses were submitted.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    ForeignKey,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from surveycoal.instruments.checker import MAX_MEMBER_TYPE_ID

metadata = MetaData()

schema_migrations = Table(
    "schema_migrations",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("name", String(200), nullable=False),
    Column("applied_on", Date, nullable=False),
)

settings = Table(
    "settings",
    metadata,
    Column("key", String(80), primary_key=True),
    Column("value", Text, nullable=False),
)

programmes = Table(
    "programmes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("created_on", Date, nullable=False),
)

coalitions = Table(
    "coalitions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("slug", String(80), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("programme_id", Integer, ForeignKey("programmes.id"), nullable=True),
    Column("created_on", Date, nullable=False),
)

members = Table(
    "members",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("coalition_id", Integer, ForeignKey("coalitions.id"), nullable=False),
    Column("name", String(200), nullable=False),
    # any member type of the round's instrument; the checker keeps ids this short
    Column("member_type", String(MAX_MEMBER_TYPE_ID), nullable=False),
    Column("created_on", Date, nullable=False),
    UniqueConstraint("coalition_id", "name", name="uq_member_name"),
)

rounds = Table(
    "rounds",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("coalition_id", Integer, ForeignKey("coalitions.id"), nullable=False),
    Column("number", Integer, nullable=False),
    Column("instrument_id", String(80), nullable=False),
    Column("instrument_version", String(40), nullable=False),
    Column("instrument_hash", String(64), nullable=False),
    Column("instrument_json", Text, nullable=False),
    Column("privacy_json", Text, nullable=False),
    Column("link_rounds", Boolean, nullable=False, default=False),
    Column("incomplete_policy", String(10), nullable=False, default="discard"),
    Column("expected_respondents", Integer, nullable=True),
    Column("status", String(10), nullable=False),
    Column("opened_on", Date, nullable=False),
    Column("closes_on", Date, nullable=True),
    Column("closed_on", Date, nullable=True),
    # -- migration 4: data protection (added at the end, as ALTER TABLE adds them) --
    # How long the raw answers are kept after the round closes (told to participants).
    Column("retention_months", Integer, nullable=False, server_default="24"),
    # When `round purge` deleted the raw answers; the published scores stay in scores_json.
    Column("purged_on", Date, nullable=True),
    Column("scores_json", Text, nullable=True),
    UniqueConstraint("coalition_id", "number", name="uq_round_number"),
)

notes = Table(
    "notes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("coalition_id", Integer, ForeignKey("coalitions.id"), nullable=False),
    Column("round_id", Integer, ForeignKey("rounds.id"), nullable=True),
    Column("kind", String(20), nullable=False),
    Column("note_date", Date, nullable=False),
    Column("text", Text, nullable=False),
)

# -- migration 2: answering ------------------------------------------------------

invitations = Table(
    "invitations",
    metadata,
    # Only a keyed hash of each code is kept; the code itself is never stored.
    Column("code_hash", String(64), primary_key=True),
    Column("round_id", Integer, ForeignKey("rounds.id"), nullable=False, index=True),
    Column("status", String(10), nullable=False),
    Column("expires_on", Date, nullable=True),
)

drafts = Table(
    "drafts",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("round_id", Integer, ForeignKey("rounds.id"), nullable=False, index=True),
    # The draft of a code is found by the code's hash; kiosk drafts have none.
    Column("code_hash", String(64), nullable=True, unique=True),
    Column("state_json", Text, nullable=False),
    sqlite_with_rowid=False,
)

responses = Table(
    "responses",
    metadata,
    # A fresh random id: no link to a code, no order of submission.
    Column("id", String(32), primary_key=True),
    Column("round_id", Integer, ForeignKey("rounds.id"), nullable=False, index=True),
    # any member type of the round's instrument; the checker keeps ids this short
    Column("member_type", String(MAX_MEMBER_TYPE_ID), nullable=False),
    Column("panel_key_hash", String(64), nullable=True),
    Column("complete", Boolean, nullable=False),
    Column("submitted_on", Date, nullable=False),
    sqlite_with_rowid=False,
)

answers = Table(
    "answers",
    metadata,
    # The response an answer belongs to. No foreign key (migration 5 dropped it): its check
    # cost one look-up into responses for every answer row written, and every submit
    # writes all of its round's rows again (see surveycoal.store.traces), an import
    # 3 million of them. The store keeps the link itself, which is enough because
    # answers are only written or deleted together with their responses, in one
    # transaction: traces.write_round (every submit, kiosk and import) reads, deletes
    # and inserts a round's responses and answers together, answers only under the id
    # of a response written beside them; erasure.purge_round and delete_coalition
    # delete the answers of the responses they delete; copying.copy_database copies
    # both tables whole and checks their counts. No ON DELETE CASCADE was ever
    # declared, so nothing relied on one; tests/test_backends.py checks that no answer
    # is left without its response.
    Column("response_id", String(32), primary_key=True),
    Column("item_id", String(64), primary_key=True),
    # NULL means "don't know"; an unanswered item has no row.
    Column("value", SmallInteger, nullable=True),
    sqlite_with_rowid=False,
)

open_answers = Table(
    "open_answers",
    metadata,
    # Free text is kept apart from responses (no response id): it can never be
    # joined to a member type or to the other answers of the same person.
    Column("id", String(32), primary_key=True),
    Column("round_id", Integer, ForeignKey("rounds.id"), nullable=False, index=True),
    Column("question_id", String(64), nullable=False),
    Column("text", Text, nullable=False),
    sqlite_with_rowid=False,
)

imports = Table(
    "imports",
    metadata,
    # One row per imported file: a keyed hash of its answers (in any order or file
    # format), so importing the same answers twice is caught. Nothing in it points
    # to a response.
    Column("round_id", Integer, ForeignKey("rounds.id"), primary_key=True),
    Column("content_hash", String(64), primary_key=True),
    Column("imported_on", Date, nullable=False),
    Column("responses", Integer, nullable=False),
)
