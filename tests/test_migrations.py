"""Opening databases of every kind: older, newer, foreign, empty, damaged, a folder.

The older databases here are written with literal SQL, as earlier versions of
surveycoal created them, not with today's migration code: an upgrade must keep
their data and end with exactly the tables of a fresh database.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from answering_fixtures import sqlite_dump
from conftest import answers_kept_and_round_answers_on, schema_shape
from conftest import fails as _fails
from typer.testing import CliRunner

from surveycoal import store as st
from surveycoal.cli import app
from surveycoal.errors import StoreError
from surveycoal.instruments import load_instrument
from surveycoal.store import migrations
from surveycoal.store.database import (
    BUSY_TIMEOUT_SECONDS,
    Store,
    _backup_sqlite,
    _engine_for,
    database_url,
)

#: Schema version 1 (programmes, coalitions, members, rounds and notes), as created on SQLite.
SCHEMA_V1 = """
CREATE TABLE schema_migrations (
    version INTEGER NOT NULL, name VARCHAR(200) NOT NULL, applied_on DATE NOT NULL,
    PRIMARY KEY (version)
);
CREATE TABLE settings (
    "key" VARCHAR(80) NOT NULL, value TEXT NOT NULL, PRIMARY KEY ("key")
);
CREATE TABLE programmes (
    id INTEGER NOT NULL, name VARCHAR(200) NOT NULL, created_on DATE NOT NULL,
    PRIMARY KEY (id), UNIQUE (name)
);
CREATE TABLE coalitions (
    id INTEGER NOT NULL, slug VARCHAR(80) NOT NULL, name VARCHAR(200) NOT NULL,
    programme_id INTEGER, created_on DATE NOT NULL,
    PRIMARY KEY (id), UNIQUE (slug), FOREIGN KEY(programme_id) REFERENCES programmes (id)
);
CREATE TABLE members (
    id INTEGER NOT NULL, coalition_id INTEGER NOT NULL, name VARCHAR(200) NOT NULL,
    member_type VARCHAR(40) NOT NULL, created_on DATE NOT NULL,
    PRIMARY KEY (id), CONSTRAINT uq_member_name UNIQUE (coalition_id, name),
    FOREIGN KEY(coalition_id) REFERENCES coalitions (id)
);
CREATE TABLE rounds (
    id INTEGER NOT NULL, coalition_id INTEGER NOT NULL, number INTEGER NOT NULL,
    instrument_id VARCHAR(80) NOT NULL, instrument_version VARCHAR(40) NOT NULL,
    instrument_hash VARCHAR(64) NOT NULL, instrument_json TEXT NOT NULL,
    privacy_json TEXT NOT NULL, link_rounds BOOLEAN NOT NULL,
    incomplete_policy VARCHAR(10) NOT NULL, expected_respondents INTEGER,
    status VARCHAR(10) NOT NULL, opened_on DATE NOT NULL, closes_on DATE, closed_on DATE,
    PRIMARY KEY (id), CONSTRAINT uq_round_number UNIQUE (coalition_id, number),
    FOREIGN KEY(coalition_id) REFERENCES coalitions (id)
);
CREATE TABLE notes (
    id INTEGER NOT NULL, coalition_id INTEGER NOT NULL, round_id INTEGER,
    kind VARCHAR(20) NOT NULL, note_date DATE NOT NULL, text TEXT NOT NULL,
    PRIMARY KEY (id), FOREIGN KEY(coalition_id) REFERENCES coalitions (id),
    FOREIGN KEY(round_id) REFERENCES rounds (id)
);
INSERT INTO schema_migrations VALUES
    (1, 'programmes, coalitions, members, rounds and notes', '2026-09-01');
"""

#: What schema version 2 added: invitation codes, drafts, responses and answers.
SCHEMA_V2_ADDS = """
CREATE TABLE invitations (
    code_hash VARCHAR(64) NOT NULL, round_id INTEGER NOT NULL, status VARCHAR(10) NOT NULL,
    expires_on DATE, PRIMARY KEY (code_hash), FOREIGN KEY(round_id) REFERENCES rounds (id)
);
CREATE INDEX ix_invitations_round_id ON invitations (round_id);
CREATE TABLE drafts (
    id VARCHAR(32) NOT NULL, round_id INTEGER NOT NULL, code_hash VARCHAR(64),
    state_json TEXT NOT NULL, PRIMARY KEY (id),
    FOREIGN KEY(round_id) REFERENCES rounds (id), UNIQUE (code_hash)
) WITHOUT ROWID;
CREATE INDEX ix_drafts_round_id ON drafts (round_id);
CREATE TABLE responses (
    id VARCHAR(32) NOT NULL, round_id INTEGER NOT NULL, member_type VARCHAR(40) NOT NULL,
    panel_key_hash VARCHAR(64), complete BOOLEAN NOT NULL, submitted_on DATE NOT NULL,
    PRIMARY KEY (id), FOREIGN KEY(round_id) REFERENCES rounds (id)
) WITHOUT ROWID;
CREATE INDEX ix_responses_round_id ON responses (round_id);
CREATE TABLE answers (
    response_id VARCHAR(32) NOT NULL, item_id VARCHAR(64) NOT NULL, value SMALLINT,
    PRIMARY KEY (response_id, item_id), FOREIGN KEY(response_id) REFERENCES responses (id)
) WITHOUT ROWID;
CREATE TABLE open_answers (
    id VARCHAR(32) NOT NULL, round_id INTEGER NOT NULL, question_id VARCHAR(64) NOT NULL,
    text TEXT NOT NULL, PRIMARY KEY (id), FOREIGN KEY(round_id) REFERENCES rounds (id)
) WITHOUT ROWID;
CREATE INDEX ix_open_answers_round_id ON open_answers (round_id);
INSERT INTO settings VALUES ('hash_key', '{key}');
INSERT INTO schema_migrations VALUES
    (2, 'invitation codes, drafts, responses and answers', '2026-10-01');
"""

#: What schema version 3 added: a record of imported files.
SCHEMA_V3_ADDS = """
CREATE TABLE imports (
    round_id INTEGER NOT NULL, content_hash VARCHAR(64) NOT NULL, imported_on DATE NOT NULL,
    responses INTEGER NOT NULL, PRIMARY KEY (round_id, content_hash),
    FOREIGN KEY(round_id) REFERENCES rounds (id)
);
INSERT INTO schema_migrations VALUES
    (3, 'a record of imported files, to catch the same answers imported twice', '2026-11-30');
"""

#: What schema version 4 added: a retention period per round, and what a purge keeps.
SCHEMA_V4_ADDS = """
ALTER TABLE rounds ADD COLUMN retention_months INTEGER NOT NULL DEFAULT 24;
ALTER TABLE rounds ADD COLUMN purged_on DATE;
ALTER TABLE rounds ADD COLUMN scores_json TEXT;
INSERT INTO schema_migrations VALUES
    (4, 'a retention period per round, and the scores kept when its answers are purged',
     '2026-12-01');
"""


#: What schema version 5 changed: answers without a foreign key to responses (SQLite cannot
#: drop a key, so the table was made again).
SCHEMA_V5_ADDS = """
CREATE TABLE answers_new (
    response_id VARCHAR(32) NOT NULL, item_id VARCHAR(64) NOT NULL, value SMALLINT,
    PRIMARY KEY (response_id, item_id)
) WITHOUT ROWID;
INSERT INTO answers_new SELECT response_id, item_id, value FROM answers;
DROP TABLE answers;
ALTER TABLE answers_new RENAME TO answers;
INSERT INTO schema_migrations VALUES
    (5, 'answers without a foreign key to responses, which the store keeps itself',
     '2026-12-02');
"""


def _old_snapshot() -> dict[str, Any]:
    """The questionnaire as an earlier round stored it: version 0.9, one text since changed."""
    snapshot = load_instrument("coalition-health").to_dict()
    snapshot["version"] = "0.9"
    snapshot["items"][0]["text"]["nl"] = "Afspraken worden nagekomen."
    return snapshot


def _write_v1(path: Path) -> None:
    snapshot = json.dumps(_old_snapshot(), ensure_ascii=False)
    with sqlite3.connect(path) as raw:
        raw.executescript(SCHEMA_V1)
        raw.execute("INSERT INTO programmes VALUES (1, 'Expedities 2026', '2026-09-01')")
        raw.execute(
            "INSERT INTO coalitions VALUES (1, 'zuid-doet-samen', 'Zuid Doet Samen', 1, '2026-09-01')"
        )
        raw.executemany(
            "INSERT INTO members VALUES (?, 1, ?, ?, '2026-09-01')",
            [(1, "Buurtcoöperatie Zuid", "resident_initiative"), (2, "Welzijn Stimenz", "welfare_organisation")],
        )  # fmt: skip
        raw.execute(
            "INSERT INTO rounds VALUES (1, 1, 1, 'coalition-health', '0.9', ?, ?, ?, 0, 'discard', "
            "NULL, 'open', '2026-09-02', '2099-12-20', NULL)",
            ("f" * 64, snapshot, json.dumps({"min_group": 6, "min_free_text": 10, "min_item_distribution": 10})),
        )  # fmt: skip
        raw.execute(
            "INSERT INTO notes VALUES (1, 1, NULL, 'timeline', '2026-09-01', 'Nieuwe opbouwwerker gestart')"
        )
    raw.close()


def _write_v2(path: Path) -> None:
    _write_v1(path)
    with sqlite3.connect(path) as raw:
        raw.executescript(SCHEMA_V2_ADDS.replace("{key}", "ab" * 32))
    raw.close()


def _write_v3(path: Path) -> None:
    _write_v2(path)
    with sqlite3.connect(path) as raw:
        raw.executescript(SCHEMA_V3_ADDS)
    raw.close()


def _write_v4(path: Path) -> None:
    _write_v3(path)
    with sqlite3.connect(path) as raw:
        raw.executescript(SCHEMA_V4_ADDS)
    raw.close()


def _write_v5(path: Path) -> None:
    _write_v4(path)
    with sqlite3.connect(path) as raw:
        raw.executescript(SCHEMA_V5_ADDS)
    raw.close()


#: Responses and answers an older database holds (round 1 of zuid-doet-samen), with the
#: ids of before ids began with the round's number.
OLD_RESPONSES = """
INSERT INTO responses VALUES
    ('a1', 1, 'resident_initiative', NULL, 1, '2026-09-03'),
    ('f2', 1, 'welfare_organisation', NULL, 0, '2026-09-04');
INSERT INTO answers VALUES ('a1', '{first}', 4), ('a1', '{second}', NULL), ('f2', '{first}', 2);
INSERT INTO open_answers VALUES ('o1', 1, 'what_goes_well', 'Koffie');
"""


def _with_responses(path: Path) -> tuple[str, str]:
    first, second = (item["id"] for item in _old_snapshot()["items"][:2])
    with sqlite3.connect(path) as raw:
        raw.executescript(OLD_RESPONSES.format(first=first, second=second))
    raw.close()
    return first, second


_dump = sqlite_dump


def _rows(path: Path) -> list[str]:
    """Every row of the data tables, as the INSERT statements of a dump."""
    return sorted(
        s for s in _dump(path) if s.startswith("INSERT") and '"schema_migrations"' not in s
    )


def _shape(path: Path) -> dict[str, Any]:
    """Every table with its columns, keys, indexes and rowid setting, comparable between files."""
    shape = schema_shape(f"sqlite:///{path}")
    with sqlite3.connect(path) as raw:
        for name, sql in raw.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'"):
            shape[name]["without_rowid"] = "WITHOUT ROWID" in sql.upper()
    raw.close()
    return shape


@pytest.fixture
def run() -> Callable[..., Any]:
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None) -> Any:
        return runner.invoke(app, list(args), input=input, env={"COLUMNS": "200"})

    return invoke


# -- older databases ----------------------------------------------------------------------


def test_every_command_on_a_version_1_database_names_the_upgrade_and_changes_nothing(
    tmp_path: Path, run: Callable[..., Any]
) -> None:
    path = tmp_path / "old.db"
    _write_v1(path)
    before = path.read_bytes()
    for command in (
        ["init"],
        ["coalition", "list"],
        ["round", "show", "zuid-doet-samen/1"],
        ["programme", "add", "Nieuw"],
        ["db", "info"],
    ):
        _fails(
            run(*command, "--db", str(path)),
            "schema version 1",
            f"surveycoal db upgrade --db {path}",
        )
    assert path.read_bytes() == before
    assert not list(tmp_path.glob("*.bak*"))


def test_upgrading_a_version_1_database_keeps_its_data_and_a_backup(
    tmp_path: Path, run: Callable[..., Any]
) -> None:
    path = tmp_path / "old.db"
    _write_v1(path)
    before = _dump(path)

    result = run("db", "upgrade", "--db", str(path))

    assert result.exit_code == 0, result.output
    backup = tmp_path / "old.db.bak-v1"
    assert f"Backup copy: {backup}" in result.output
    assert f"upgraded to schema version {migrations.LATEST_VERSION}" in result.output
    assert _dump(backup) == before

    store = st.open_store(path)
    assert store.schema_version() == migrations.LATEST_VERSION
    assert [p.name for p in st.list_programmes(store)] == ["Expedities 2026"]
    assert [(m.name, m.member_type) for m in st.list_members(store, "zuid-doet-samen")] == [
        ("Buurtcoöperatie Zuid", "resident_initiative"),
        ("Welzijn Stimenz", "welfare_organisation"),
    ]
    assert [n.text for n in st.list_notes(store, "zuid-doet-samen")] == [
        "Nieuwe opbouwwerker gestart"
    ]
    old_round = st.get_round(store, "zuid-doet-samen/1")
    assert old_round.instrument.version == "0.9"
    assert old_round.instrument.items[0].text["nl"] == "Afspraken worden nagekomen."
    assert old_round.privacy.min_group == 6
    assert len(store.hash_key()) == 32
    # the upgraded round takes answers, checked against its own snapshot
    first = old_round.instrument.items[0].id
    answer = st.NewResponse("resident_initiative", {first: 4})
    assert st.submit_responses(store, "zuid-doet-samen/1", [answer]) == 1
    store.close()

    shown = run("round", "show", "zuid-doet-samen/1", "--db", str(path))
    assert shown.exit_code == 0 and "coalition-health 0.9" in shown.output


def test_an_upgraded_database_has_exactly_the_tables_of_a_fresh_one(tmp_path: Path) -> None:
    """Fails when schema.py changes a table without a migration that brings old files along."""
    fresh = tmp_path / "fresh.db"
    st.create_store(fresh).close()
    writers = ((1, _write_v1), (2, _write_v2), (3, _write_v3), (4, _write_v4), (5, _write_v5))
    for version, write in writers:
        old = tmp_path / f"v{version}.db"
        write(old)
        store, _, _ = st.upgrade_store(old)
        store.close()
        assert _shape(old) == _shape(fresh), f"an upgraded version {version} database differs"


def test_a_literal_version_5_database_is_current(tmp_path: Path) -> None:
    """Fails when schema.py changes without a new migration number."""
    path = tmp_path / "v5.db"
    _write_v5(path)
    store = st.open_store(path)
    assert store.schema_version() == 5 == migrations.LATEST_VERSION
    assert store.hash_key() == bytes.fromhex("ab" * 32)
    store.close()


def test_migration_5_drops_the_answers_key_to_responses_and_keeps_every_row(
    tmp_path: Path,
) -> None:
    path = tmp_path / "v4.db"
    _write_v4(path)
    first, second = _with_responses(path)
    before = _dump(path)
    assert _shape(path)["answers"]["foreign_keys"] == [(("response_id",), "responses")]

    store, applied, backup = st.upgrade_store(path)
    assert [m.version for m in migrations.MIGRATIONS if m.name in applied] == [5]
    assert backup is not None and _dump(backup) == before
    store.close()
    assert _rows(path) == _rows(backup)
    assert len([r for r in _rows(path) if r.startswith('INSERT INTO "answers"')]) == 3
    shape = _shape(path)
    assert shape["answers"]["foreign_keys"] == []
    fresh = tmp_path / "fresh.db"
    st.create_store(fresh).close()
    assert shape == _shape(fresh)
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA foreign_key_check").fetchall() == []
        assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        names = [r[0] for r in raw.execute("SELECT name FROM sqlite_master")]
    raw.close()
    assert "answers_new" not in names

    store = st.open_store(path)
    answers_kept_and_round_answers_on(store, first, second)
    store.close()


def test_rounds_of_a_version_3_database_keep_their_answers_24_months_after_upgrading(
    tmp_path: Path,
) -> None:
    path = tmp_path / "v3.db"
    _write_v3(path)
    store, applied, _ = st.upgrade_store(path)
    assert [m.version for m in migrations.MIGRATIONS if m.name in applied] == [4, 5]
    old_round = st.get_round(store, "zuid-doet-samen/1")
    assert old_round.retention_months == 24
    assert old_round.purged_on is None
    assert old_round.keep_until == dt.date(2101, 12, 20)
    store.close()


def test_upgrading_twice_is_safe_and_makes_one_backup(
    tmp_path: Path, run: Callable[..., Any]
) -> None:
    path = tmp_path / "old.db"
    _write_v1(path)
    assert run("db", "upgrade", "--db", str(path)).exit_code == 0
    again = run("db", "upgrade", "--db", str(path))
    assert again.exit_code == 0 and "up to date" in again.output
    assert sorted(p.name for p in tmp_path.iterdir() if ".bak" in p.name) == ["old.db.bak-v1"]
    with sqlite3.connect(path) as raw:
        versions = raw.execute("SELECT version FROM schema_migrations ORDER BY version").fetchall()
    raw.close()
    assert versions == [(m.version,) for m in migrations.MIGRATIONS]


def test_an_earlier_backup_is_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _write_v1(path)
    earlier = tmp_path / "old.db.bak-v1"
    earlier.write_bytes(b"an earlier backup")
    store, _, backup = st.upgrade_store(path)
    store.close()
    assert earlier.read_bytes() == b"an earlier backup"
    assert backup == tmp_path / "old.db.bak-v1-2"
    with sqlite3.connect(backup) as raw:
        assert raw.execute("SELECT max(version) FROM schema_migrations").fetchone() == (1,)
    raw.close()


def test_a_backup_that_cannot_be_written_stops_the_upgrade(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _write_v1(path)
    url = database_url(path)
    store = Store(url, _engine_for(url))
    target = tmp_path / "no-such-folder" / "old.db.bak-v1"
    with pytest.raises(StoreError, match="Could not write the backup copy"):
        _backup_sqlite(store, target)
    store.close()
    assert not target.exists()


# -- newer, foreign, empty and damaged databases -------------------------------------------


def test_a_newer_database_is_refused_by_every_command(
    tmp_path: Path, run: Callable[..., Any]
) -> None:
    path = tmp_path / "future.db"
    st.create_store(path).close()
    with sqlite3.connect(path) as raw:
        raw.execute("INSERT INTO schema_migrations VALUES (99, 'from the future', '2030-01-01')")
    raw.close()
    before = path.read_bytes()
    for command in (["init"], ["db", "upgrade"], ["db", "info"], ["coalition", "list"]):
        _fails(run(*command, "--db", str(path)), "newer surveycoal", "schema version 99")
    assert path.read_bytes() == before
    assert not list(tmp_path.glob("*.bak*"))


def _foreign(path: Path) -> None:
    with sqlite3.connect(path) as raw:
        raw.execute("CREATE TABLE contacts (name TEXT, phone TEXT)")
        raw.execute("INSERT INTO contacts VALUES ('Ans', '06-12345678')")
    raw.close()


@pytest.mark.parametrize("command", [["init"], ["db", "upgrade"], ["coalition", "list"]])
def test_a_database_of_another_program_is_left_alone(
    tmp_path: Path, run: Callable[..., Any], command: list[str]
) -> None:
    path = tmp_path / "contacts.db"
    _foreign(path)
    before = path.read_bytes()
    _fails(run(*command, "--db", str(path)), "not a surveycoal database", "contacts")
    assert path.read_bytes() == before
    with sqlite3.connect(path) as raw:
        tables = raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    raw.close()
    assert tables == [("contacts",)]
    assert not list(tmp_path.glob("*.bak*"))


def test_an_empty_file_says_to_run_init_and_init_sets_it_up(
    tmp_path: Path, run: Callable[..., Any]
) -> None:
    path = tmp_path / "empty.db"
    path.touch()
    for command in (["coalition", "list"], ["db", "upgrade"]):
        _fails(run(*command, "--db", str(path)), "empty database", f"surveycoal init --db {path}")
    assert not list(tmp_path.glob("*.bak*"))
    result = run("init", "--db", str(path))
    assert result.exit_code == 0, result.output
    assert st.open_store(path).schema_version() == migrations.LATEST_VERSION


@pytest.mark.parametrize(
    "content",
    [b"SQLite format 3\x00" + bytes(range(256)) * 20, b"name;phone\nAns;0612345678\n", bytes(4096)],
    ids=["damaged", "text", "zeros"],
)
@pytest.mark.parametrize(
    "command", [["init"], ["db", "upgrade"], ["db", "info"], ["coalition", "list"]]
)
def test_a_damaged_or_foreign_file_is_a_clear_error(
    tmp_path: Path, run: Callable[..., Any], content: bytes, command: list[str]
) -> None:
    path = tmp_path / "broken.db"
    path.write_bytes(content)
    _fails(run(*command, "--db", str(path)), str(path))
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.db"]


def test_a_folder_is_not_a_database(tmp_path: Path, run: Callable[..., Any]) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    for command in (["init"], ["db", "upgrade"], ["coalition", "list"]):
        _fails(run(*command, "--db", str(folder)), "is a folder", str(folder / "surveycoal.db"))
    assert list(folder.iterdir()) == []


def test_a_database_url_never_shows_its_password(tmp_path: Path, run: Callable[..., Any]) -> None:
    # Either the driver is missing or nothing listens on port 1: both must hide the password.
    result = run("coalition", "list", "--db", "postgresql+psycopg://lead:geheim@127.0.0.1:1/sc")
    output = _fails(result, "lead:***@127.0.0.1:1/sc")
    assert "geheim" not in output


def test_a_missing_driver_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    from surveycoal.store import database

    def no_driver(*args: object, **kwargs: object) -> None:
        raise ModuleNotFoundError("No module named 'psycopg'", name="psycopg")

    monkeypatch.setattr(database, "create_engine", no_driver)
    with pytest.raises(StoreError) as caught:
        database._engine_for("postgresql+psycopg://lead:geheim@db.example.nl/sc")
    text = str(caught.value)
    assert "psycopg" in text and "surveycoal[postgres]" in text and "geheim" not in text


# -- WAL, busy timeout and BEGIN IMMEDIATE ---------------------------------------------------


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(store: Store) -> None:
    with store.read() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == BUSY_TIMEOUT_SECONDS * 1000
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_a_write_transaction_takes_the_write_lock_before_it_reads(store: Store) -> None:
    """BEGIN IMMEDIATE: a second writer must wait even while the first has only read so far."""
    other = sqlite3.connect(store.location, timeout=0, isolation_level=None)
    try:
        with store.write() as conn:
            conn.exec_driver_sql("SELECT count(*) FROM programmes").scalar()
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        with store.read():
            other.execute("BEGIN IMMEDIATE")  # a reader does not hold the write lock
            other.execute("ROLLBACK")
    finally:
        other.close()


def test_a_read_sees_one_moment(store: Store) -> None:
    """A report reading several tables must not see a response arrive halfway."""
    from sqlalchemy import func, select

    from surveycoal.store import schema

    count = select(func.count()).select_from(schema.programmes)
    with store.read() as conn:
        before = conn.execute(count).scalar()
        st.add_programme(store, "Erbij gekomen")
        assert conn.execute(count).scalar() == before
    with store.read() as conn:
        assert conn.execute(count).scalar() == before + 1  # type: ignore[operator]
