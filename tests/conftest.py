"""Shared fixtures: a fresh database per test and a command-line runner bound to it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from surveycoal.cli import app


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    from surveycoal.store import create_store

    path = tmp_path / "surveycoal.db"
    create_store(path).close()
    return path


@pytest.fixture
def store(db_path: Path):  # type: ignore[no-untyped-def]
    from surveycoal.store import open_store

    opened = open_store(db_path)
    yield opened
    opened.close()


@pytest.fixture
def cli(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., object]:
    """Run ``surveycoal ARGS`` in-process against the test database."""
    monkeypatch.setenv("SURVEYCOAL_DB", str(db_path))
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
