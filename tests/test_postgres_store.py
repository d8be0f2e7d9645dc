"""The store on a real PostgreSQL server, when one is named.

Skipped unless SURVEYCOAL_TEST_POSTGRES holds the URL of a database the tests may
connect to in order to create and drop their own, for example
``postgresql+psycopg://postgres@127.0.0.1:5432/postgres``, and psycopg is installed
(``pip install 'surveycoal[postgres]'``).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from conftest import answers_kept_and_round_answers_on, new_postgres_database, schema_shape

from surveycoal import store as st
from surveycoal.errors import RoundStateError, StoreError, SurveycoalError
from surveycoal.instruments import Instrument, load_instrument
from surveycoal.store import migrations


@pytest.fixture
def empty_url(empty_postgres_url: str) -> str:
    """A new, empty PostgreSQL database (conftest makes and drops it)."""
    return empty_postgres_url


@pytest.fixture
def pg_store(empty_url: str) -> Iterator[st.Store]:
    store = st.create_store(empty_url)
    st.add_coalition(store, "Zuid Doet Samen")
    yield store
    store.close()


def test_a_round_goes_its_whole_way(pg_store: st.Store) -> None:
    instrument = load_instrument("coalition-health")
    st.add_member(pg_store, "zuid-doet-samen", "Buurtcoöperatie Zuid", "resident_initiative")
    opened = st.open_round(pg_store, "zuid-doet-samen", instrument)
    assert opened.instrument == instrument
    first = instrument.items[0].id
    answers = [
        st.NewResponse("resident_initiative", {first: 4}, {"what_goes_well": "Koffie"}),
        st.NewResponse("welfare_organisation", {first: None}),
    ]
    assert st.submit_responses(pg_store, opened.ref, answers) == 2
    data = st.load_round_data(pg_store, opened.ref)
    assert sorted(data.values[first].dropna().tolist()) == [4.0]
    st.close_round(pg_store, opened.ref)
    with pytest.raises(RoundStateError):
        st.submit_responses(pg_store, opened.ref, answers)
    assert st.reopen_round(pg_store, opened.ref).is_open


def _open_at_once(store: st.Store, instrument: Instrument, count: int) -> list[str]:
    """Open a round from ``count`` threads released at the same moment; what each got."""
    barrier = threading.Barrier(count)
    outcomes: list[str] = []

    def open_one() -> None:
        barrier.wait()
        try:
            outcomes.append(st.open_round(store, "zuid-doet-samen", instrument).ref)
        except SurveycoalError as exc:
            outcomes.append(type(exc).__name__)

    threads = [threading.Thread(target=open_one) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes)


def test_writers_take_turns(pg_store: st.Store) -> None:
    """Leads opening a round at the same moment get one open round, not several."""
    instrument = load_instrument("coalition-pulse")
    for attempt in range(1, 6):
        ref = f"zuid-doet-samen/{attempt}"
        assert _open_at_once(pg_store, instrument, 6) == ["RoundStateError"] * 5 + [ref]
        assert [r.ref for r in st.list_rounds(pg_store, status="open")] == [ref]
        st.close_round(pg_store, ref)


def test_long_names_fit(pg_store: st.Store) -> None:
    added = st.add_coalition(pg_store, "Buurt " * 33)
    assert st.get_coalition(pg_store, added.slug).name.startswith("Buurt Buurt")


def test_empty_and_foreign_databases(empty_url: str) -> None:
    from sqlalchemy import create_engine, text

    with pytest.raises(StoreError, match="empty database"):
        st.open_store(empty_url)
    engine = create_engine(empty_url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE contacts (name TEXT)"))
    engine.dispose()
    with pytest.raises(StoreError, match="holds other tables"):
        st.create_store(empty_url)


def test_upgrade_from_version_1(empty_url: str) -> None:
    from surveycoal.store.database import Store, _engine_for

    old = Store(empty_url, _engine_for(empty_url))
    with old.write() as conn:
        migrations.apply_migrations(conn, up_to=1)
    old.close()
    with pytest.raises(StoreError, match="db upgrade"):
        st.open_store(empty_url)
    store, applied, backup = st.upgrade_store(empty_url)
    assert len(applied) == migrations.LATEST_VERSION - 1 and backup is None
    assert store.schema_version() == migrations.LATEST_VERSION
    store.close()


def test_a_read_sees_one_moment(pg_store: st.Store) -> None:
    """A report reading several tables must not see a response arrive halfway."""
    from sqlalchemy import func, select

    from surveycoal.store import schema

    count = select(func.count()).select_from(schema.programmes)
    with pg_store.read() as conn:
        before = conn.execute(count).scalar()
        st.add_programme(pg_store, "Erbij gekomen")
        assert conn.execute(count).scalar() == before
    with pg_store.read() as conn:
        assert conn.execute(count).scalar() == before + 1  # type: ignore[operator]


def test_no_row_shows_which_code_sent_it_or_in_what_order(pg_store: st.Store) -> None:
    """PostgreSQL stamps rows with the transaction that wrote them (xmin): a response must not
    share it with the code it used, and rows must lie in key order, not in order of arrival."""
    from sqlalchemy import text

    from surveycoal.codes import hash_code
    from surveycoal.store.answering import create_invitations, submit_with_code

    instrument = load_instrument("coalition-health")
    ref = st.open_round(pg_store, "zuid-doet-samen", instrument).ref
    first = instrument.items[0].id
    for value, code in enumerate(create_invitations(pg_store, ref, 4), start=1):
        answer = st.NewResponse("resident_initiative", {first: value}, {"what_goes_well": "Ja"})
        submit_with_code(pg_store, hash_code(pg_store.hash_key(), code), answer)
    with pg_store.engine.connect() as conn:
        used = {r[0] for r in conn.execute(text("SELECT xmin::text FROM invitations"))}
        for table in ("responses", "answers", "open_answers"):
            stamps = {r[0] for r in conn.execute(text(f"SELECT xmin::text FROM {table}"))}
            assert len(stamps) == 1 and not stamps & used, table
        physical = [r[0] for r in conn.execute(text("SELECT id FROM responses ORDER BY ctid"))]
    assert physical == sorted(physical)


def _v3_postgres_ddl() -> str:
    """Schema version 3 as surveycoal created it on PostgreSQL: the literal SQLite DDL of the
    migration tests with PostgreSQL's types (SERIAL ids, no WITHOUT ROWID)."""
    import re

    from test_migrations import SCHEMA_V1, SCHEMA_V2_ADDS, SCHEMA_V3_ADDS

    ddl = SCHEMA_V1 + SCHEMA_V2_ADDS.replace("{key}", "ab" * 32) + SCHEMA_V3_ADDS
    ddl = re.sub(r"^(\s*)id INTEGER NOT NULL,", r"\1id SERIAL NOT NULL,", ddl, flags=re.M)
    return ddl.replace(") WITHOUT ROWID;", ");")


def test_migration_4_alters_a_literal_version_3_database(empty_url: str) -> None:
    """`db upgrade` on a schema-version-3 PostgreSQL database: ALTER TABLE adds the retention
    columns, every row is kept, and the tables end as a fresh database's."""
    import json

    import psycopg
    from sqlalchemy import inspect
    from sqlalchemy.engine import make_url
    from test_migrations import _old_snapshot
    from typer.testing import CliRunner

    from surveycoal.cli import app
    from surveycoal.store import schema

    url = make_url(empty_url)
    dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
    privacy = json.dumps({"min_group": 6, "min_free_text": 10, "min_item_distribution": 10})
    first, second = (item["id"] for item in _old_snapshot()["items"][:2])
    with psycopg.connect(dsn) as raw:
        raw.execute(_v3_postgres_ddl())
        raw.execute("INSERT INTO programmes (name, created_on) VALUES ('Expedities', '2026-09-01')")
        raw.execute(
            "INSERT INTO coalitions (slug, name, programme_id, created_on) "
            "VALUES ('zuid-doet-samen', 'Zuid Doet Samen', 1, '2026-09-01')"
        )
        raw.execute(
            "INSERT INTO members (coalition_id, name, member_type, created_on) "
            "VALUES (1, 'Buurtcoöperatie Zuid', 'resident_initiative', '2026-09-01')"
        )
        raw.execute(
            "INSERT INTO rounds (coalition_id, number, instrument_id, instrument_version, "
            "instrument_hash, instrument_json, privacy_json, link_rounds, incomplete_policy, "
            "status, opened_on, closes_on) VALUES (1, 1, 'coalition-health', '0.9', %s, %s, %s, "
            "false, 'discard', 'open', '2026-09-02', '2099-12-20')",
            ("f" * 64, json.dumps(_old_snapshot(), ensure_ascii=False), privacy),
        )
        raw.execute("INSERT INTO invitations VALUES (%s, 1, 'unused', NULL)", ("c" * 64,))
        raw.execute(
            "INSERT INTO responses VALUES ('r1', 1, 'resident_initiative', NULL, true, "
            "'2026-09-03')"
        )
        raw.execute("INSERT INTO answers VALUES ('r1', %s, 4), ('r1', %s, NULL)", (first, second))
        raw.execute("INSERT INTO open_answers VALUES ('o1', 1, 'what_goes_well', 'Koffie')")
        raw.execute("INSERT INTO imports VALUES (1, %s, '2026-09-04', 1)", ("d" * 64,))

    with pytest.raises(StoreError, match="db upgrade"):
        st.open_store(empty_url)
    result = CliRunner().invoke(app, ["db", "upgrade", "--db", empty_url])
    assert result.exit_code == 0, result.output

    store = st.open_store(empty_url)
    assert store.schema_version() == migrations.LATEST_VERSION
    with store.read() as conn:
        inspector = inspect(conn)
        for table in schema.metadata.sorted_tables:
            found = {c["name"]: c["nullable"] for c in inspector.get_columns(table.name)}
            assert found == {c.name: c.nullable for c in table.columns}, table.name
        counts = {
            name: conn.exec_driver_sql(f"SELECT count(*) FROM {name}").scalar()
            for name in ("members", "invitations", "responses", "answers", "open_answers")
        }
    assert counts == {
        "members": 1, "invitations": 1, "responses": 1, "answers": 2, "open_answers": 1,
    }  # fmt: skip
    old_round = st.get_round(store, "zuid-doet-samen/1")
    assert (old_round.retention_months, old_round.purged_on) == (24, None)
    assert old_round.instrument_version == "0.9"
    data = st.load_round_data(store, old_round.ref)
    assert data.values[first].tolist() == [4.0] and bool(data.dont_know[second].iloc[0])
    # the upgraded round goes on: it takes a response, closes and can be purged later
    assert st.submit_responses(store, old_round.ref, [st.NewResponse("resident_initiative", {first: 2})]) == 1  # fmt: skip
    assert st.close_round(store, old_round.ref).keep_until == st.get_round(store, old_round.ref).keep_until  # fmt: skip
    assert st.count_responses(store, old_round.ref) == 2
    # the old SERIAL columns still number new rows
    assert st.open_round(store, "zuid-doet-samen", load_instrument("coalition-pulse")).number == 2
    store.close()


def _pg_shape(url: str) -> dict[str, Any]:
    return schema_shape(url, defaults=True)


@pytest.fixture
def fresh_url() -> Iterator[str]:
    """A second new database, made by today's surveycoal (dropped afterwards)."""
    with new_postgres_database() as url:
        st.create_store(url).close()
        yield url


def test_migration_5_drops_the_answers_key_to_responses_of_a_literal_version_4_database(
    empty_url: str, fresh_url: str
) -> None:
    """`db upgrade` on a schema-version-4 PostgreSQL database: the foreign key from answers
    to responses goes, every row stays, and the tables end as a fresh database's."""
    import json

    import psycopg
    from sqlalchemy.engine import make_url
    from test_migrations import SCHEMA_V4_ADDS, _old_snapshot
    from typer.testing import CliRunner

    from surveycoal.cli import app

    url = make_url(empty_url)
    dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
    privacy = json.dumps({"min_group": 6, "min_free_text": 10, "min_item_distribution": 10})
    first, second = (item["id"] for item in _old_snapshot()["items"][:2])
    tables = ("responses", "answers", "open_answers", "invitations", "imports")
    with psycopg.connect(dsn) as raw:
        raw.execute(_v3_postgres_ddl() + SCHEMA_V4_ADDS)
        raw.execute(
            "INSERT INTO coalitions (slug, name, created_on) "
            "VALUES ('zuid-doet-samen', 'Zuid Doet Samen', '2026-09-01')"
        )
        raw.execute(
            "INSERT INTO rounds (coalition_id, number, instrument_id, instrument_version, "
            "instrument_hash, instrument_json, privacy_json, link_rounds, incomplete_policy, "
            "status, opened_on, closes_on) VALUES (1, 1, 'coalition-health', '0.9', %s, %s, %s, "
            "false, 'discard', 'open', '2026-09-02', '2099-12-20')",
            ("f" * 64, json.dumps(_old_snapshot(), ensure_ascii=False), privacy),
        )
        raw.execute("INSERT INTO invitations VALUES (%s, 1, 'used', NULL)", ("c" * 64,))
        raw.execute(
            "INSERT INTO responses VALUES "
            "('a1', 1, 'resident_initiative', NULL, true, '2026-09-03'), "
            "('f2', 1, 'welfare_organisation', NULL, false, '2026-09-04')"
        )
        raw.execute(
            "INSERT INTO answers VALUES ('a1', %s, 4), ('a1', %s, NULL), ('f2', %s, 2)",
            (first, second, first),
        )
        raw.execute("INSERT INTO open_answers VALUES ('o1', 1, 'what_goes_well', 'Koffie')")
        raw.execute("INSERT INTO imports VALUES (1, %s, '2026-09-04', 1)", ("d" * 64,))
        before = {
            t: sorted(map(tuple, raw.execute(f"SELECT * FROM {t}").fetchall())) for t in tables
        }
    assert _pg_shape(empty_url)["answers"]["foreign_keys"] == [(("response_id",), "responses")]

    result = CliRunner().invoke(app, ["db", "upgrade", "--db", empty_url])
    assert result.exit_code == 0, result.output

    assert _pg_shape(empty_url) == _pg_shape(fresh_url)
    with psycopg.connect(dsn) as raw:
        after = {
            t: sorted(map(tuple, raw.execute(f"SELECT * FROM {t}").fetchall())) for t in tables
        }
    assert after == before
    store = st.open_store(empty_url)
    assert store.schema_version() == migrations.LATEST_VERSION == 5
    answers_kept_and_round_answers_on(store, first, second)
    store.close()


def test_a_write_in_one_round_waits_for_no_other_round_but_a_database_wide_one_waits(
    pg_store: st.Store,
) -> None:
    """Round writers take their round's lock: another round's submit goes through while one
    round's write is open, a database-wide write (such as closing a round) waits for it."""
    import time

    from sqlalchemy import text

    instrument = load_instrument("coalition-pulse")
    item = instrument.items[0].id
    st.add_coalition(pg_store, "Noord Samen")
    first = st.open_round(pg_store, "zuid-doet-samen", instrument)
    other = st.open_round(pg_store, "noord-samen", instrument)
    closed = threading.Event()

    def close_first() -> None:
        st.close_round(pg_store, first.ref)
        closed.set()

    with pg_store.write_in_round(first.id) as conn:
        conn.execute(text("SELECT 1"))
        answer = st.NewResponse("resident_initiative", {item: 3})
        assert st.submit_responses(pg_store, other.ref, [answer]) == 1
        closer = threading.Thread(target=close_first)
        closer.start()
        waiting = 0
        with pg_store.engine.connect() as watch:
            for _ in range(600):  # until the close waits for the advisory lock (at most a minute)
                waiting = watch.execute(
                    text(
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                        "AND wait_event_type = 'Lock' AND wait_event = 'advisory'"
                    )
                ).scalar_one()
                watch.rollback()
                if waiting:
                    break
                time.sleep(0.1)
        assert waiting == 1 and not closed.is_set()
    closer.join()
    assert closed.is_set() and not st.get_round(pg_store, first.ref).is_open
    assert st.count_responses(pg_store, other.ref) == 1
