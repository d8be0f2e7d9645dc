"""The store: migrations, entities and the round state machine."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import insert, inspect, select

from surveycoal import store as st
from surveycoal.errors import (
    AlreadyExistsError,
    InputError,
    NotFoundError,
    RoundStateError,
    SchemaVersionError,
    StoreError,
)
from surveycoal.instruments import load_instrument
from surveycoal.store import migrations, schema
from surveycoal.store.database import Store, _engine_for, database_url

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def instrument():  # type: ignore[no-untyped-def]
    return load_instrument("coalition-health")


# -- migrations --------------------------------------------------------------------


def _store_at_version(path: Path, version: int) -> Store:
    url = database_url(path)
    store = Store(url, _engine_for(url))
    with store.write() as conn:
        migrations.apply_migrations(conn, up_to=version)
    return store


def test_fresh_database_has_every_migration_recorded(db_path: Path) -> None:
    with sqlite3.connect(db_path) as raw:
        rows = raw.execute(
            "SELECT version, name FROM schema_migrations ORDER BY version"
        ).fetchall()
        journal = raw.execute("PRAGMA journal_mode").fetchone()[0]
    assert [r[0] for r in rows] == [m.version for m in migrations.MIGRATIONS]
    assert journal == "wal"


def test_migrations_are_safe_to_run_twice(store: Store) -> None:
    with store.write() as conn:
        assert migrations.apply_migrations(conn) == []
        migrations._m1_core(conn)
        migrations._m2_answering(conn)
    assert store.schema_version() == migrations.LATEST_VERSION


def test_older_database_is_refused_with_the_command_to_run(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _store_at_version(path, 1).close()
    with pytest.raises(SchemaVersionError) as info:
        st.open_store(path)
    assert "schema version 1" in str(info.value)
    assert "surveycoal db upgrade" in str(info.value)


def test_upgrade_keeps_data_and_a_backup(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    old = _store_at_version(path, 1)
    with old.write() as conn:
        conn.execute(insert(schema.programmes).values(name="Oud programma", created_on=TODAY))
    old.close()

    store, applied, backup = st.upgrade_store(path)

    assert applied == [m.name for m in migrations.MIGRATIONS[1:]]
    assert backup is not None and backup.exists()
    assert [p.name for p in st.list_programmes(store)] == ["Oud programma"]
    assert inspect(store.engine).has_table("responses")
    assert len(store.hash_key()) == 32
    with sqlite3.connect(backup) as raw:
        assert raw.execute("SELECT max(version) FROM schema_migrations").fetchone()[0] == 1
        assert raw.execute("SELECT name FROM programmes").fetchall() == [("Oud programma",)]


def test_database_from_a_newer_version_is_refused_and_left_alone(db_path: Path) -> None:
    with sqlite3.connect(db_path) as raw:
        raw.execute(
            "INSERT INTO schema_migrations (version, name, applied_on) VALUES (99, 'future', '2030-01-01')"
        )
    before = db_path.read_bytes()
    for opener in (st.open_store, st.create_store, st.upgrade_store):
        with pytest.raises(SchemaVersionError, match="newer surveycoal"):
            opener(db_path)
    with sqlite3.connect(db_path) as raw:
        assert raw.execute("SELECT max(version) FROM schema_migrations").fetchone()[0] == 99
    assert db_path.stat().st_size == len(before)


def test_missing_database_says_how_to_create_one(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="surveycoal init"):
        st.open_store(tmp_path / "nothing.db")


def test_a_file_that_is_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("this is not sqlite\n" * 100)
    with pytest.raises(StoreError, match="damaged or not a surveycoal database"):
        st.open_store(path)


def test_a_sqlite_database_of_another_program_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as raw:
        raw.execute("CREATE TABLE t (x)")
    with pytest.raises(StoreError, match="not a surveycoal database"):
        st.open_store(path)


def test_answer_tables_have_no_rowid(store: Store) -> None:
    """A rowid would record the order in which responses were stored."""
    with sqlite3.connect(store.location) as raw:
        for table in ("responses", "answers", "open_answers", "drafts"):
            with pytest.raises(sqlite3.OperationalError):
                raw.execute(f"SELECT rowid FROM {table}")


# -- programmes, coalitions, members, notes -------------------------------------------


def test_coalition_gets_a_slug_and_belongs_to_its_programme(store: Store) -> None:
    st.add_programme(store, "Expedities 2026")
    added = st.add_coalition(store, "Zuid Doet Samen", programme="expedities 2026")
    assert added.slug == "zuid-doet-samen"
    assert added.programme == "Expedities 2026"
    assert [c.slug for c in st.list_coalitions(store, programme="Expedities 2026")] == [
        "zuid-doet-samen"
    ]


def test_duplicates_and_unknown_names_are_clear(store: Store) -> None:
    st.add_programme(store, "P")
    with pytest.raises(AlreadyExistsError):
        st.add_programme(store, "P")
    st.add_coalition(store, "A team")
    with pytest.raises(AlreadyExistsError, match="--slug"):
        st.add_coalition(store, "A  Team")
    with pytest.raises(NotFoundError) as info:
        st.get_coalition(store, "b-team")
    assert info.value.existing == ["a-team"]
    with pytest.raises(NotFoundError, match="Known programmes: P"):
        st.add_coalition(store, "C", programme="Q")
    with pytest.raises(InputError, match="slug"):
        st.add_coalition(store, "D", slug="Not A Slug")


def test_programme_names_differ_in_more_than_case(store: Store) -> None:
    st.add_programme(store, "Expedities 2026")
    with pytest.raises(AlreadyExistsError, match="'Expedities 2026' exists already"):
        st.add_programme(store, "expedities  2026")
    assert [p.name for p in st.list_programmes(store)] == ["Expedities 2026"]


def test_slugs_fit_the_database_column(store: Store) -> None:
    long_name = "Samen " * 33
    added = st.add_coalition(store, long_name)
    assert len(added.slug) <= 80 and added.slug.startswith("samen-samen")
    assert not added.slug.endswith("-")
    with pytest.raises(InputError, match="at most 80"):
        st.add_coalition(store, "Kort", slug="a" * 81)
    with pytest.raises(InputError, match="--slug"):
        st.add_coalition(store, "!!! ???")
    assert st.add_coalition(store, "!!! ???", slug="vraagtekens").slug == "vraagtekens"


def test_members_need_a_known_type(store: Store, coalition: str) -> None:
    with pytest.raises(InputError, match="resident_initiative"):
        st.add_member(store, coalition, "Gemeente", "government")
    st.add_member(store, coalition, "Gemeente", "municipality")
    assert st.member_counts(store, coalition) == {
        "municipality": 1,
        "resident_initiative": 1,
        "welfare_organisation": 1,
    }
    st.remove_member(store, coalition, "Gemeente")
    with pytest.raises(NotFoundError):
        st.remove_member(store, coalition, "Gemeente")


def test_notes_and_readings(store: Store, coalition: str, instrument) -> None:  # type: ignore[no-untyped-def]
    st.add_note(store, coalition, "Nieuwe opbouwwerker", date=dt.date(2026, 9, 1))
    with pytest.raises(InputError, match="--round"):
        st.add_note(store, coalition, "Herkenbaar", kind="reading")
    with pytest.raises(NotFoundError):
        st.add_note(store, coalition, "Herkenbaar", kind="reading", round_number=1)
    st.open_round(store, coalition, instrument)
    st.add_note(store, coalition, "Herkenbaar", kind="reading", round_number=1)
    notes = st.list_notes(store, coalition)
    assert [(n.kind, n.round) for n in notes][0] == ("timeline", None)
    assert st.list_notes(store, coalition, kind="reading")[0].round == 1


# -- rounds ---------------------------------------------------------------------------


def test_round_stores_a_snapshot_of_instrument_and_privacy(
    store: Store, coalition: str, instrument
) -> None:  # type: ignore[no-untyped-def]
    """The snapshot itself; tests/test_rounds.py edits the YAML file afterwards."""
    opened = st.open_round(store, coalition, instrument, closes_on=dt.date(2099, 12, 20))
    assert opened.ref == "zuid-doet-samen/1"
    assert opened.instrument_hash == instrument.content_hash
    assert opened.instrument == instrument
    assert opened.privacy == instrument.privacy
    with store.read() as conn:
        row = conn.execute(select(schema.rounds)).one()
    assert json.loads(row.instrument_json) == instrument.to_dict()
    assert json.loads(row.privacy_json) == {
        "min_group": 5,
        "min_free_text": 10,
        "min_item_distribution": 10,
    }


def test_round_state_machine(store: Store, coalition: str, instrument) -> None:  # type: ignore[no-untyped-def]
    st.open_round(store, coalition, instrument)
    with pytest.raises(RoundStateError, match="still open"):
        st.open_round(store, coalition, instrument)
    with pytest.raises(RoundStateError, match="open already"):
        st.reopen_round(store, "zuid-doet-samen/1")

    closed = st.close_round(store, "zuid-doet-samen/1")
    assert closed.status == "closed" and closed.closed_on is not None
    with pytest.raises(RoundStateError, match="closed already"):
        st.close_round(store, "zuid-doet-samen/1")
    with pytest.raises(RoundStateError, match="cannot change"):
        st.replace_instrument(store, "zuid-doet-samen/1", instrument)

    second = st.open_round(store, coalition, instrument)
    assert second.number == 2
    with pytest.raises(RoundStateError, match="one open round"):
        st.reopen_round(store, "zuid-doet-samen/1")
    st.close_round(store, "zuid-doet-samen/2")
    reopened = st.reopen_round(store, "zuid-doet-samen/1")
    assert reopened.is_open and reopened.closed_on is None


def test_a_closed_round_takes_no_answers(store: Store, coalition: str, instrument) -> None:  # type: ignore[no-untyped-def]
    st.open_round(store, coalition, instrument)
    answer = st.NewResponse("resident_initiative", {instrument.items[0].id: 4})
    assert st.submit_responses(store, "zuid-doet-samen/1", [answer]) == 1
    st.close_round(store, "zuid-doet-samen/1")
    with pytest.raises(RoundStateError, match="closed"):
        st.submit_responses(store, "zuid-doet-samen/1", [answer])
    assert st.count_responses(store, "zuid-doet-samen/1") == 1


def test_a_round_past_its_closing_date_takes_no_answers(store, coalition, instrument) -> None:  # type: ignore[no-untyped-def]
    st.open_round(store, coalition, instrument, closes_on=TODAY, today=TODAY)
    answer = st.NewResponse("resident_initiative", {instrument.items[0].id: 4})
    with pytest.raises(RoundStateError, match="closed on 2026-11-23"):
        st.submit_responses(store, "zuid-doet-samen/1", [answer], today=TODAY + dt.timedelta(1))


def test_min_group_can_be_raised_not_lowered(store, coalition, instrument) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError, match="raised, not lowered"):
        st.open_round(store, coalition, instrument, min_group=3)
    opened = st.open_round(store, coalition, instrument, min_group=8)
    assert opened.privacy.min_group == 8


def test_instrument_of_an_open_round_without_answers_can_change(
    store, coalition, instrument
) -> None:  # type: ignore[no-untyped-def]
    pulse = load_instrument("coalition-pulse")
    st.open_round(store, coalition, instrument)
    changed = st.replace_instrument(store, "zuid-doet-samen/1", pulse)
    assert changed.instrument_id == "coalition-pulse"
    st.submit_responses(
        store, "zuid-doet-samen/1", [st.NewResponse("resident_initiative", {pulse.items[0].id: 2})]
    )
    with pytest.raises(RoundStateError, match="has answers"):
        st.replace_instrument(store, "zuid-doet-samen/1", instrument)


def test_round_refs(store, coalition, instrument) -> None:  # type: ignore[no-untyped-def]
    assert st.parse_round_ref("a-b/12") == ("a-b", 12)
    for bad in ("zuid", "zuid/", "zuid/x", "/2", "zuid/0"):
        with pytest.raises(InputError, match="COALITION/NUMBER"):
            st.parse_round_ref(bad)
    st.open_round(store, coalition, instrument)
    with pytest.raises(NotFoundError) as info:
        st.get_round(store, "zuid-doet-samen/4")
    assert info.value.existing == ["zuid-doet-samen/1"]
    with pytest.raises(NotFoundError, match="No coalition"):
        st.get_round(store, "noord/1")


def test_bad_responses_are_refused_whole(store, coalition, instrument) -> None:  # type: ignore[no-untyped-def]
    st.open_round(store, coalition, instrument)
    item = instrument.items[0].id
    good = st.NewResponse("resident_initiative", {item: 5})
    for bad in (
        st.NewResponse("alien", {item: 3}),
        st.NewResponse("resident_initiative", {item: 6}),
        st.NewResponse("resident_initiative", {item: True}),
        st.NewResponse("resident_initiative", {"no_such_item": 3}),
        st.NewResponse("resident_initiative", {item: 3}, panel_key_hash="ab" * 32),
    ):
        with pytest.raises(InputError):
            st.submit_responses(store, "zuid-doet-samen/1", [good, bad])
    assert st.count_responses(store, "zuid-doet-samen/1") == 0


def test_load_round_data_is_tidy(store, coalition, instrument) -> None:  # type: ignore[no-untyped-def]
    st.open_round(store, coalition, instrument, expected_respondents=12)
    first, second = instrument.items[0].id, instrument.items[1].id
    question = instrument.open_questions[0].id
    st.submit_responses(
        store,
        "zuid-doet-samen/1",
        [
            st.NewResponse("resident_initiative", {first: 4, second: None}, {question: "Fijn"}),
            st.NewResponse("welfare_organisation", {first: 2}),
        ],
    )
    data = st.load_round_data(store, "zuid-doet-samen/1")
    assert data.n_responses == 2
    assert list(data.values.columns) == list(instrument.item_ids)
    assert sorted(data.values[first].tolist()) == [2.0, 4.0]
    assert data.values[second].isna().all()
    assert int(data.dont_know[second].sum()) == 1
    assert int(data.dont_know[first].sum()) == 0
    assert data.open_answers["text"].tolist() == ["Fijn"]
    assert data.invited == 12
    assert sorted(data.responses["member_type"]) == ["resident_initiative", "welfare_organisation"]
    with store.read() as conn:
        stored = conn.execute(select(schema.open_answers)).all()
    assert "response_id" not in stored[0]._fields
