"""Shared fixtures: a fresh database per test and a command-line runner bound to it.

``db_url`` names the test's database: a SQLite file unless a module asks for
``both_backends_url``, which runs each of its tests on SQLite and, when
SURVEYCOAL_TEST_POSTGRES names a server, on a new PostgreSQL database too (under
CI a missing server fails those tests instead of skipping them).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from surveycoal.cli import app

# Messages for leads follow SURVEYCOAL_LANG or the locale: the tests read English unless
# a test asks for Dutch, whatever the machine's locale (commands run in subprocesses too).
os.environ["SURVEYCOAL_LANG"] = "en"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    from surveycoal.store import create_store

    path = tmp_path / "surveycoal.db"
    create_store(path).close()
    return path


@pytest.fixture
def db_url(db_path: Path) -> str:
    return str(db_path)


def postgres_server() -> str:
    """The test server's URL; skip without one, but fail under CI, where tests/run.sh starts one."""
    server = os.environ.get("SURVEYCOAL_TEST_POSTGRES", "")
    missing = "" if server else "SURVEYCOAL_TEST_POSTGRES is not set"
    if not missing:
        try:
            import psycopg  # noqa: F401
        except ImportError:
            missing = "psycopg is not installed (pip install 'surveycoal[postgres]')"
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"The PostgreSQL tests cannot run in CI: {missing}.")
        pytest.skip(missing)
    return server


@contextmanager
def new_postgres_database() -> Iterator[str]:
    """The URL of a new, empty PostgreSQL database on the test server, dropped afterwards."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    server = postgres_server()
    name = "surveycoal_test_" + uuid.uuid4().hex[:12]
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def empty_postgres_url() -> Iterator[str]:
    """A new, empty PostgreSQL database, dropped afterwards."""
    with new_postgres_database() as url:
        yield url


def schema_shape(url: str, *, defaults: bool = False) -> dict[str, Any]:
    """Every table of a database with its columns (and their defaults, with ``defaults``),
    keys and indexes: comparable between databases of one backend."""
    from sqlalchemy import create_engine, inspect

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            found = inspect(conn)
            return {
                table: {
                    "columns": [
                        (c["name"], str(c["type"]), c["nullable"])
                        + ((str(c["default"]),) if defaults else ())
                        for c in found.get_columns(table)
                    ],
                    "primary_key": found.get_pk_constraint(table)["constrained_columns"],
                    "unique": sorted(
                        tuple(u["column_names"]) for u in found.get_unique_constraints(table)
                    ),
                    "indexes": sorted(
                        (i["name"], tuple(i["column_names"]), bool(i["unique"]))
                        for i in found.get_indexes(table)
                    ),
                    "foreign_keys": sorted(
                        (tuple(f["constrained_columns"]), f["referred_table"])
                        for f in found.get_foreign_keys(table)
                    ),
                }
                for table in sorted(found.get_table_names())
            }
    finally:
        engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def both_backends_url(request: pytest.FixtureRequest) -> str:
    """A new surveycoal database on each backend in turn."""
    from surveycoal.store import create_store

    if request.param == "sqlite":
        url = str(request.getfixturevalue("db_path"))
    else:
        url = request.getfixturevalue("empty_postgres_url")
        create_store(url).close()
    return url


@pytest.fixture
def store(db_url: str):  # type: ignore[no-untyped-def]
    from surveycoal.store import open_store

    opened = open_store(db_url)
    yield opened
    opened.close()


@pytest.fixture
def cli(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Callable[..., object]:
    """Run ``surveycoal ARGS`` in-process against the test database."""
    monkeypatch.setenv("SURVEYCOAL_DB", db_url)
    # The consoles read COLUMNS once, when first imported: set their width itself.
    from surveycoal.cli._common import console, err_console

    for printer in (console, err_console):
        monkeypatch.setattr(printer, "width", 160)
    runner = CliRunner()

    def run(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
        return runner.invoke(app, list(args), input=input)

    return run


@pytest.fixture
def coalition(store):  # type: ignore[no-untyped-def]
    """A programme with one coalition of two members."""
    from surveycoal import store as st

    st.add_programme(store, "Expedities 2026")
    st.add_coalition(store, "Zuid Doet Samen", programme="Expedities 2026")
    st.add_member(store, "zuid-doet-samen", "Buurtcoöperatie Zuid", "resident_initiative")
    st.add_member(store, "zuid-doet-samen", "Welzijn Zuid", "welfare_organisation")
    return "zuid-doet-samen"


# -- reading a command's result -------------------------------------------------------


def ok(result: Any) -> str:
    """The output of a command that must succeed (exit 0, no traceback)."""
    output = str(result.output)
    assert result.exit_code == 0, output
    assert "Traceback" not in output
    return output


def fails(result: Any, *expected: str) -> str:
    """The output of a command that must refuse cleanly: exit 1, no traceback, no
    exception but the exit itself, and every ``expected`` text in the output."""
    output = str(result.output)
    assert result.exit_code == 1, output
    assert "Traceback" not in output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    for text in expected:
        assert text in output, output
    return output


def answers_kept_and_round_answers_on(store: Any, first: str, second: str) -> None:
    """After an upgrade of the literal older databases of the migration tests: the round's
    two responses and their don't-know are there, and the round takes a third response."""
    from surveycoal import store as st

    data = st.load_round_data(store, "zuid-doet-samen/1")
    assert sorted(data.values[first].tolist()) == [2.0, 4.0]
    assert int(data.dont_know[second].sum()) == 1
    added = st.submit_responses(
        store, "zuid-doet-samen/1", [st.NewResponse("resident_initiative", {first: 5})]
    )
    assert added == 1
    assert st.count_responses(store, "zuid-doet-samen/1") == 3
