"""Each set-up and round command through typer's CliRunner."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from conftest import fails, ok

from surveycoal.store import migrations

pytestmark = pytest.mark.usefixtures("db_path")


@pytest.fixture
def setup_coalition(cli):  # type: ignore[no-untyped-def]
    ok(cli("programme", "add", "Expedities 2026"))
    ok(cli("coalition", "add", "Zuid Doet Samen", "--programme", "Expedities 2026"))
    ok(
        cli(
            "member",
            "add",
            "zuid-doet-samen",
            "Buurtcoöperatie Zuid",
            "--type",
            "resident_initiative",
        )
    )
    ok(cli("member", "add", "zuid-doet-samen", "Welzijn Stimenz", "--type", "welfare_organisation"))
    return cli


def test_init_creates_the_database(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "new.db"
    out = ok(cli("init", "--db", str(target)))
    assert f"schema version {migrations.LATEST_VERSION}" in out
    assert target.exists()
    assert f"schema version {migrations.LATEST_VERSION}" in ok(cli("init", "--db", str(target)))


def test_init_in_a_missing_folder_fails_clearly(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    fails(cli("init", "--db", str(tmp_path / "no" / "such.db")), "does not exist")


def test_commands_without_a_database_say_how_to_make_one(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    fails(cli("coalition", "list", "--db", str(tmp_path / "none.db")), "surveycoal init")


def test_programme_and_coalition_commands(setup_coalition) -> None:  # type: ignore[no-untyped-def]
    cli = setup_coalition
    assert "Expedities 2026" in ok(cli("programme", "list"))
    out = ok(cli("coalition", "list", "--programme", "Expedities 2026"))
    assert "zuid-doet-samen" in out and "Zuid Doet Samen" in out
    shown = ok(cli("coalition", "show", "zuid-doet-samen"))
    assert "Buurtcoöperatie Zuid" in shown and "welfare_organisation" in shown
    fails(cli("coalition", "add", "Zuid Doet Samen"), "exists already")
    fails(cli("coalition", "show", "noord"), "No coalition called 'noord'", "zuid-doet-samen")


def test_member_commands(setup_coalition) -> None:  # type: ignore[no-untyped-def]
    cli = setup_coalition
    assert "Welzijn Stimenz" in ok(cli("member", "list", "zuid-doet-samen"))
    fails(cli("member", "add", "zuid-doet-samen", "X", "--type", "bank"), "not a member type")
    ok(cli("member", "remove", "zuid-doet-samen", "Welzijn Stimenz"))
    assert "Welzijn Stimenz" not in ok(cli("member", "list", "zuid-doet-samen"))
    fails(cli("member", "remove", "zuid-doet-samen", "Welzijn Stimenz"), "No member")


def test_round_commands(setup_coalition) -> None:  # type: ignore[no-untyped-def]
    cli = setup_coalition
    out = ok(
        cli(
            "round",
            "open",
            "zuid-doet-samen",
            "--instrument",
            "coalition-health",
            "--closes",
            "2099-12-20",
        )
    )
    assert "zuid-doet-samen/1" in out
    listed = ok(cli("round", "list"))
    assert "zuid-doet-samen/1" in listed and "open" in listed
    shown = ok(cli("round", "show", "zuid-doet-samen/1"))
    assert "2099-12-20" in shown and "Minimum group" in shown
    fails(cli("round", "open", "zuid-doet-samen"), "still open", "round close zuid-doet-samen/1")
    ok(cli("round", "set-instrument", "zuid-doet-samen/1", "coalition-pulse"))
    ok(cli("round", "close", "zuid-doet-samen/1"))
    assert "closed" in ok(cli("round", "list", "--status", "closed"))
    fails(cli("round", "set-instrument", "zuid-doet-samen/1", "coalition-health"), "closed")
    fails(cli("round", "reopen", "zuid-doet-samen/1", "--closes", "2099-12-31"), "Aborted")
    ok(cli("round", "reopen", "zuid-doet-samen/1", "--closes", "2099-12-31", input="y\n"))
    assert "open" in ok(cli("round", "show", "zuid-doet-samen/1"))


def test_round_errors_are_clear(setup_coalition) -> None:  # type: ignore[no-untyped-def]
    cli = setup_coalition
    fails(cli("round", "open", "zuid-doet-samen", "--closes", "20-12-2026"), "YYYY-MM-DD")
    fails(cli("round", "open", "zuid-doet-samen", "--closes", "2001-01-01"), "in the past")
    fails(cli("round", "open", "zuid-doet-samen", "--instrument", "nope"), "No instrument")
    fails(cli("round", "open", "zuid-doet-samen", "--min-group", "2"), "raised, not lowered")
    fails(cli("round", "show", "zuid-doet-samen/3"), "No round")
    fails(cli("round", "show", "zuid-doet-samen"), "COALITION/NUMBER")
    fails(cli("round", "list", "--status", "half"), "--status")


def test_note_commands(setup_coalition) -> None:  # type: ignore[no-untyped-def]
    cli = setup_coalition
    ok(cli("note", "add", "zuid-doet-samen", "Nieuwe opbouwwerker gestart", "--date", "2026-09-01"))
    ok(cli("round", "open", "zuid-doet-samen"))
    ok(
        cli(
            "note", "add", "zuid-doet-samen", "We herkennen ons hierin", "--round", "1", "--reading"
        )
    )
    out = ok(cli("note", "list", "zuid-doet-samen"))
    assert "2026-09-01" in out and "reading" in out
    fails(cli("note", "add", "zuid-doet-samen", "x", "--date", "1 september"), "YYYY-MM-DD")


def test_instrument_commands(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    listed = ok(cli("instrument", "list"))
    assert "coalition-health" in listed and "coalition-pulse" in listed
    preview = ok(cli("instrument", "preview", "coalition-health", "--lang", "nl"))
    assert "Samenwerkingsmonitor" in preview
    assert "Coalition" in ok(cli("instrument", "preview", "coalition-health", "--lang", "en"))
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: bad\nversion: '1'\nsurprise: true\n", encoding="utf-8")
    out = fails(cli("instrument", "validate", str(bad)), "bad.yaml", "surprise")
    assert "problem" in out
    assert "valid" in ok(cli("instrument", "validate", "instruments/coalition-health.yaml"))


def test_db_info_and_upgrade(cli, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert "Schema version" in ok(cli("db", "info"))
    assert "up to date" in ok(cli("db", "upgrade"))
    with sqlite3.connect(db_path) as raw:
        raw.execute("DELETE FROM schema_migrations WHERE version >= 2")
    fails(cli("coalition", "list"), "schema version 1", "surveycoal db upgrade")
    out = ok(cli("db", "upgrade"))
    assert "Backup copy" in out and f"upgraded to schema version {migrations.LATEST_VERSION}" in out
    ok(cli("coalition", "list"))


def test_version(cli) -> None:  # type: ignore[no-untyped-def]
    assert "surveycoal 0." in ok(cli("--version"))


def test_names_with_brackets_are_shown_as_typed(cli) -> None:  # type: ignore[no-untyped-def]
    """Terminal output never reads a user's text as styling: '[/b]' is shown, not obeyed."""
    name = "Buurt [/b] [red]Noord"
    assert name in ok(cli("coalition", "add", name))
    assert name in ok(cli("coalition", "list"))
    assert name in ok(cli("coalition", "show", "buurt-b-red-noord"))
    fails(cli("coalition", "show", "nope[/x]"), "nope[/x]")
