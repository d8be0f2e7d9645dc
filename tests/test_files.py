"""Files with answers in them: readable by their owner only, written whole or not at all.

Every file the tool writes is made under umask 022 (the usual default, which gives
other users read access) and must still come out mode 0600: the database and its
-wal and -shm files, the upgrade backup, exports, reports, codes and slips.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from answering_fixtures import patterned_responses
from typer.testing import CliRunner

from surveycoal import store as st
from surveycoal.cli import app
from surveycoal.errors import InputError
from surveycoal.files import TEMP_SUFFIX, remove_stale_temps, staged, write_private
from surveycoal.instruments import load_instrument

SLUG = "zuid-doet-samen"


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def wide_console(monkeypatch: pytest.MonkeyPatch) -> None:
    from surveycoal.cli._common import console, err_console

    for printer in (console, err_console):
        monkeypatch.setattr(printer, "width", 300)


def _run(db: Path, *args: str) -> str:
    result = CliRunner().invoke(app, [*args, "--db", str(db)], env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.output
    return result.output


def _answered_round(db: Path) -> str:
    store = st.open_store(db)
    st.add_coalition(store, "Zuid Doet Samen")
    instrument = load_instrument("coalition-health")
    opened = st.open_round(store, SLUG, instrument)
    st.submit_responses(store, opened.ref, patterned_responses(instrument))
    st.close_round(store, opened.ref)
    store.close()
    return opened.ref


def test_every_file_the_tool_writes_is_private_under_umask_022(
    tmp_path: Path, umask_022: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    db = tmp_path / "surveycoal.db"
    _run(db, "init")
    ref = _answered_round(db)
    out = tmp_path / "out"
    out.mkdir()
    _run(db, "export", ref, "--what", "responses", "-o", str(out / "answers.csv"))
    _run(db, "export", ref, "--what", "scores", "-o", str(out / "scores.xlsx"))
    _run(db, "report", "coalition", SLUG, "--round", "1", "-o", str(out / "report.html"))
    _run(db, "round", "open", SLUG)
    _run(db, "invite", f"{SLUG}/2", "--count", "3", "--out-dir", str(out))
    # while a connection is open, SQLite has its -wal and -shm files next to the database
    raw = sqlite3.connect(db)
    raw.execute("SELECT count(*) FROM rounds").fetchone()
    written = sorted([db, *tmp_path.glob("surveycoal.db-*"), *out.iterdir()], key=lambda p: p.name)
    names = {p.name for p in written}
    assert {
        "surveycoal.db",
        "surveycoal.db-wal",
        "surveycoal.db-shm",
        "answers.csv",
        "answers-codebook.csv",
        "scores.xlsx",
        "report.html",
        f"{SLUG}-2-codes.csv",
        f"{SLUG}-2-slips.html",
    } <= names, names
    raw.close()
    assert {p.name: oct(_mode(p)) for p in written if p.exists()} == {
        p.name: oct(0o600) for p in written if p.exists()
    }


def test_an_upgrade_backup_is_private_under_umask_022(tmp_path: Path, umask_022: None) -> None:
    from test_migrations import _write_v3

    path = tmp_path / "old.db"
    _write_v3(path)
    os.chmod(path, 0o600)
    store, applied, backup = st.upgrade_store(path)
    store.close()
    assert applied and backup is not None
    assert _mode(backup) == 0o600
    assert _mode(path) == 0o600


def test_db_info_warns_when_others_may_read_the_database(tmp_path: Path) -> None:
    db = tmp_path / "surveycoal.db"
    st.create_store(db).close()
    assert "other users" not in _run(db, "db", "info")
    os.chmod(db, 0o644)
    out = _run(db, "db", "info")
    assert "Warning: other users of this computer may read" in out
    assert f"chmod 600 {db}" in out


def test_a_failed_write_leaves_neither_the_file_nor_a_temporary_one(tmp_path: Path) -> None:
    target = tmp_path / "report.html"

    def fail(path: Path) -> None:
        path.write_text("half a report")
        raise OSError(28, "No space left on device")

    with pytest.raises(InputError, match="No space left on device"):
        write_private(target, fail)
    assert list(tmp_path.iterdir()) == []


def test_a_write_replaces_a_file_whole(tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    target.write_text("old")
    write_private(target, "new")
    assert target.read_text() == "new" and _mode(target) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_staged_files_are_removed_unless_put_in_place(tmp_path: Path) -> None:
    with staged(tmp_path / "a.csv") as (tmp, _put):
        tmp.write_text("x")
    assert list(tmp_path.iterdir()) == []


def test_stale_temporary_files_of_a_killed_run_are_removed(tmp_path: Path) -> None:
    # a pid that no process has (the highest one the kernel hands out, plus one)
    dead = int(Path("/proc/sys/kernel/pid_max").read_text()) + 1
    stale = tmp_path / f".report.html.{dead}.abc123{TEMP_SUFFIX}"
    mine = tmp_path / f".report.html.{os.getpid()}.def456{TEMP_SUFFIX}"
    other = tmp_path / "notes.tmp"
    for path in (stale, mine, other):
        path.write_text("")
    assert remove_stale_temps(tmp_path) == [stale]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([mine.name, other.name])


def test_any_command_removes_stale_temporary_files_where_it_starts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dead = int(Path("/proc/sys/kernel/pid_max").read_text()) + 1
    stale = tmp_path / f".zuid-1.html.{dead}.abc{TEMP_SUFFIX}"
    stale.write_text("")
    db = tmp_path / "surveycoal.db"
    st.create_store(db).close()
    monkeypatch.chdir(tmp_path)
    _run(db, "round", "list")
    assert not stale.exists()


def test_invite_stores_no_code_when_its_files_cannot_be_written(tmp_path: Path) -> None:
    from surveycoal.store.answering import invitation_counts

    db = tmp_path / "surveycoal.db"
    store = st.create_store(db)
    st.add_coalition(store, "Zuid Doet Samen")
    st.open_round(store, SLUG, load_instrument("coalition-pulse"))
    (tmp_path / f"{SLUG}-1-slips.html").mkdir()
    result = CliRunner().invoke(
        app, ["invite", f"{SLUG}/1", "--out-dir", str(tmp_path), "--force", "--db", str(db)]
    )
    assert result.exit_code == 1 and "folder" in result.output
    assert "Traceback" not in result.output
    assert invitation_counts(store, f"{SLUG}/1") == {"unused": 0, "used": 0}
    assert not (tmp_path / f"{SLUG}-1-codes.csv").exists()
    assert not list(tmp_path.glob(f"*{TEMP_SUFFIX}"))
    store.close()
