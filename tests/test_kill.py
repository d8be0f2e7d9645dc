"""kill -9 in the middle of writing: an import, closing a round, a report.

Each command runs in its own process and is killed with SIGKILL at a chosen point
inside its work (a small wrapper replaces one function by one that kills the
process, so the moment is exact rather than a matter of timing). Afterwards the
database passes SQLite's integrity check, nothing of the interrupted write is
stored, and the next command leaves no temporary file behind.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from answering_fixtures import patterned_responses, sqlite_value

from surveycoal import store as st
from surveycoal.files import TEMP_SUFFIX
from surveycoal.instruments import load_instrument

SLUG = "zuid-doet-samen"

#: Runs the command line with ``TARGET`` (module:function) replaced by a function that
#: kills the process the ``KILL_AT``-th time it is called (or, with ``KILL_AFTER``, just
#: after that call returned).
WRAPPER = """
import importlib, os, signal, sys
module_name, name = os.environ["KILL_TARGET"].split(":")
module = importlib.import_module(module_name)
original = getattr(module, name)
calls = [0]
def killing(*args, **kwargs):
    calls[0] += 1
    if calls[0] >= int(os.environ["KILL_AT"]) and not os.environ.get("KILL_AFTER"):
        os.kill(os.getpid(), signal.SIGKILL)
    result = original(*args, **kwargs)
    if calls[0] >= int(os.environ["KILL_AT"]):
        os.kill(os.getpid(), signal.SIGKILL)
    return result
setattr(module, name, killing)
from surveycoal.cli import main
sys.argv = ["surveycoal", *sys.argv[1:]]
main()
"""


def _killed(cwd: Path, target: str, at: int, *args: str, after: bool = False) -> None:
    env = {**os.environ, "KILL_TARGET": target, "KILL_AT": str(at), "COLUMNS": "200"}
    if after:
        env["KILL_AFTER"] = "1"
    done = subprocess.run(
        [sys.executable, "-c", WRAPPER, *args], cwd=cwd, env=env, capture_output=True, timeout=300
    )
    assert done.returncode == -signal.SIGKILL, done.stderr.decode()


def _surveycoal(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "surveycoal", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "COLUMNS": "200"},
    )


def _sound(db: Path) -> None:
    raw = sqlite3.connect(db)
    try:
        assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        raw.close()


_count = sqlite_value


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "surveycoal.db"
    store = st.create_store(path)
    st.add_coalition(store, "Zuid Doet Samen")
    instrument = load_instrument("coalition-health")
    first = st.open_round(store, SLUG, instrument)
    st.submit_responses(store, first.ref, patterned_responses(instrument))
    st.close_round(store, first.ref)
    st.open_round(store, SLUG, instrument)
    store.close()
    return path


def test_a_killed_import_stores_nothing(db: Path, tmp_path: Path) -> None:
    items = [i.id for i in load_instrument("coalition-health").items]
    rows = [",".join(["member_type", *items])] + [
        ",".join(["resident_initiative", *[str(1 + (n + k) % 5) for k in range(len(items))]])
        for n in range(30)
    ]
    answers = tmp_path / "answers.csv"
    answers.write_text("\n".join(rows) + "\n", encoding="utf-8")
    before = _count(db, "SELECT count(*) FROM responses")

    # killed once all 30 responses and the import record are written inside the import's
    # transaction, before it commits
    _killed(
        tmp_path,
        "surveycoal.store.imports:store_rows",
        1,
        "import",
        f"{SLUG}/2",
        str(answers),
        "--db",
        str(db),
        after=True,
    )

    _sound(db)
    assert _count(db, "SELECT count(*) FROM responses") == before
    assert _count(db, "SELECT count(*) FROM imports") == 0
    again = _surveycoal(tmp_path, "import", f"{SLUG}/2", str(answers), "--db", str(db))
    assert again.returncode == 0, again.stderr
    assert _count(db, "SELECT count(*) FROM responses") == before + 30


def test_a_killed_round_close_leaves_the_round_open_and_its_drafts(
    db: Path, tmp_path: Path
) -> None:
    raw = sqlite3.connect(db)
    raw.execute(
        "INSERT INTO drafts VALUES ('d1', (SELECT id FROM rounds WHERE number = 2), NULL, '{}')"
    )
    raw.commit()
    raw.close()

    # killed after the round was marked closed, before its drafts were deleted and committed
    _killed(
        tmp_path,
        "surveycoal.store.rounds:delete",
        1,
        "round",
        "close",
        f"{SLUG}/2",
        "--db",
        str(db),
    )

    _sound(db)
    assert _count(db, "SELECT count(*) FROM rounds WHERE status = 'open'") == 1
    assert _count(db, "SELECT count(*) FROM drafts") == 1
    again = _surveycoal(tmp_path, "round", "close", f"{SLUG}/2", "--db", str(db))
    assert again.returncode == 0, again.stderr
    assert _count(db, "SELECT count(*) FROM drafts") == 0


def test_a_killed_report_leaves_no_file_once_the_next_command_runs(
    db: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    target = out / "zuid-1.html"

    # killed when the whole report is written to its temporary file, before it is put in place
    _killed(
        out,
        "os:replace",
        1,
        "report",
        "coalition",
        SLUG,
        "--round",
        "1",
        "-o",
        str(target),
        "--db",
        str(db),
    )

    left = [p for p in out.iterdir() if p.name.endswith(TEMP_SUFFIX)]
    assert len(left) == 1 and left[0].stat().st_size > 0  # the whole report, not 0 bytes
    assert not target.exists()
    _sound(db)
    # the next command started in that folder removes what the killed one left
    listed = _surveycoal(out, "round", "list", "--db", str(db))
    assert listed.returncode == 0, listed.stderr
    assert list(out.iterdir()) == []


@pytest.mark.pty
def test_a_killed_questionnaire_resumes_at_the_last_saved_answer(tmp_path: Path) -> None:
    """kill -9 in the middle of `answer`: every answer given so far is there, nothing else."""
    pexpect = pytest.importorskip("pexpect")
    from answering_fixtures import new_database
    from pty_fixtures import GUARD, make_codes, spawn

    db = tmp_path / "killed.db"
    (code,) = make_codes(db, new_database(db), 1)
    child = spawn(db, "answer", code, "--lang", "nl")
    for screen, keys in [
        ("Klaar om te beginnen", "1\r"),
        ("Hoe doe je mee", "2\r"),
        ("vraag 1 van 4", "4\r"),
        ("vraag 2 van 4", "0\r"),
    ]:
        child.expect(screen)
        time.sleep(GUARD + 0.15)
        child.send(keys)
    child.expect("vraag 3 van 4")
    os.kill(child.pid, signal.SIGKILL)
    child.expect(pexpect.EOF)
    child.close()
    _sound(db)

    again = spawn(db, "answer", "--lang", "nl")
    again.expect("Code:")
    time.sleep(GUARD + 0.15)
    again.send(code + "\r")
    again.expect("Welkom terug")
    again.expect("vraag 3 van 4")  # where the killed one stopped: answers 1 and 2 kept
    again.sendintr()
    again.expect(pexpect.EOF)
    again.close()
    store = st.open_store(db)
    try:
        from surveycoal.store.answering import find_invitation, load_draft

        draft = load_draft(store, find_invitation(store, code).code_hash)
    finally:
        store.close()
    assert draft is not None and draft["answers"] == {"trust_1": 4, "trust_2": None}
