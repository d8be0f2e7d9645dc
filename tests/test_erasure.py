"""Data protection: a retention period per round, purging a round, erasing a draft, deleting a coalition."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest
from answering_fixtures import patterned_responses, sqlite_value
from typer.testing import CliRunner

from surveycoal import store as st
from surveycoal.cli import app
from surveycoal.errors import CodeError, RoundStateError
from surveycoal.instruments import load_instrument
from surveycoal.store.answering import create_invitations, find_invitation, save_draft
from surveycoal.store.erasure import delete_coalition, erase_draft, purge_round
from surveycoal.store.rounds import add_months

SLUG = "zuid-doet-samen"


@pytest.fixture(autouse=True)
def wide_console(monkeypatch: pytest.MonkeyPatch) -> None:
    from surveycoal.cli._common import console, err_console

    for printer in (console, err_console):
        monkeypatch.setattr(printer, "width", 300)


def _run(db: Path, *args: str, input: str | None = None) -> str:
    result = CliRunner().invoke(app, [*args, "--db", str(db)], input=input, env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.output
    return " ".join(result.output.split())


def _rows(db: Path, table: str) -> int:
    return sqlite_value(db, f"SELECT count(*) FROM {table}")


@pytest.fixture
def answered(tmp_path: Path) -> Path:
    """Round 1 closed with 12 linked responses, open answers and an import record."""
    db = tmp_path / "surveycoal.db"
    store = st.create_store(db)
    st.add_coalition(store, "Zuid Doet Samen")
    st.add_member(store, SLUG, "Welzijn Zuid", "welfare_organisation")
    st.add_note(store, SLUG, "Nieuwe opbouwwerker gestart")
    instrument = load_instrument("coalition-health")
    opened = st.open_round(store, SLUG, instrument, retention_months=6, link_rounds=True)
    st.submit_responses(
        store, opened.ref, patterned_responses(instrument, open_answers=True, linked=True)
    )
    create_invitations(store, opened.ref, 3)
    st.close_round(store, opened.ref)
    store.close()
    return db


def test_retention_is_set_when_a_round_opens_and_shown(tmp_path: Path) -> None:
    db = tmp_path / "surveycoal.db"
    st.create_store(db).close()
    _run(db, "coalition", "add", "Zuid Doet Samen")
    out = _run(db, "round", "open", SLUG, "--retention-months", "12", "--closes", "2099-01-31")
    assert "kept 12 months after the round closes" in out
    store = st.open_store(db)
    found = st.get_round(store, f"{SLUG}/1")
    store.close()
    assert found.retention_months == 12
    assert found.keep_until == dt.date(2100, 1, 31)
    assert "12 months after closing (until 2100-01-31)" in _run(db, "round", "show", f"{SLUG}/1")
    # the default, as participants are told it
    _run(db, "round", "close", f"{SLUG}/1")
    _run(db, "round", "open", SLUG)
    store = st.open_store(db)
    assert st.get_round(store, f"{SLUG}/2").retention_months == 24
    store.close()


def test_add_months_keeps_the_day_or_takes_the_last_of_a_short_month() -> None:
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2026, 11, 15), 24) == dt.date(2028, 11, 15)
    assert add_months(dt.date(2027, 12, 1), 1) == dt.date(2028, 1, 1)


def test_round_list_marks_a_round_past_its_retention(answered: Path) -> None:
    store = st.open_store(answered)
    found = st.get_round(store, f"{SLUG}/1")
    store.close()
    assert found.keep_until is not None
    assert not found.past_retention(found.keep_until)
    assert found.past_retention(found.keep_until + dt.timedelta(days=1))
    assert "PAST RETENTION" not in _run(answered, "round", "list")
    raw = sqlite3.connect(answered)
    raw.execute("UPDATE rounds SET closed_on = '2020-01-15'")
    raw.commit()
    raw.close()
    assert "closed, PAST RETENTION: delete with round purge" in _run(answered, "round", "list")


def test_purge_deletes_raw_answers_and_keeps_the_scores(answered: Path) -> None:
    ref = f"{SLUG}/1"
    before = json.loads(_run(answered, "score", ref, "--json"))
    with pytest.raises(RoundStateError, match="keeps its answers until"):
        store = st.open_store(answered)
        try:
            purge_round(store, ref, scores_json="{}")
        finally:
            store.close()
    assert _rows(answered, "responses") == 12

    out = _run(answered, "round", "purge", ref, "--force-before-retention", input="y\n")

    assert "Delete every answer of zuid-doet-samen/1 for good?" in out
    answers = 12 * len(load_instrument("coalition-health").items)
    assert (
        f"Deleted from zuid-doet-samen/1: 12 responses, 12 panel links, {answers} answers, "
        "12 open answers, 3 invitation codes." in out
    )
    for table in ("responses", "answers", "open_answers", "invitations", "drafts", "imports"):
        assert _rows(answered, table) == 0, table
    assert _rows(answered, "rounds") == 1 and _rows(answered, "notes") == 1
    after = json.loads(_run(answered, "score", ref, "--json"))
    assert before["open_answers"][0]["texts"]  # 12 responses: open answers were shown
    assert [e["texts"] for e in after["open_answers"]] == [None] * len(before["open_answers"])
    after.pop("open_answers"), before.pop("open_answers")
    assert after == before
    listed = _run(answered, "round", "list")
    assert f"closed, answers deleted {dt.date.today().isoformat()}" in listed
    shown = CliRunner().invoke(app, ["score", ref, "--db", str(answered)])
    assert shown.exit_code == 0 and "these are the scores kept from before" in shown.output
    for refused in (
        ["report", "coalition", SLUG, "--round", "1", "-o", str(answered.parent / "r.html")],
        ["export", ref, "--what", "scores", "-o", str(answered.parent / "s.csv")],
        ["round", "purge", ref, "--yes", "--force-before-retention"],
    ):
        result = CliRunner().invoke(app, [*refused, "--db", str(answered)])
        assert result.exit_code == 1 and "deleted on" in result.output, result.output
    # the deleted rows are not left readable in the file's free pages
    assert b"antwoord 3" not in answered.read_bytes()


def test_purge_asks_first_and_a_no_changes_nothing(answered: Path) -> None:
    result = CliRunner().invoke(
        app,
        ["round", "purge", f"{SLUG}/1", "--force-before-retention", "--db", str(answered)],
        input="n\n",
    )
    assert result.exit_code == 1 and "Aborted" in result.output
    assert _rows(answered, "responses") == 12


def test_erase_deletes_an_unsent_draft_only(tmp_path: Path) -> None:
    db = tmp_path / "surveycoal.db"
    store = st.create_store(db)
    st.add_coalition(store, "Zuid Doet Samen")
    opened = st.open_round(store, SLUG, load_instrument("coalition-pulse"))
    code, other = create_invitations(store, opened.ref, 2)
    save_draft(store, find_invitation(store, code).code_hash, {"answers": {"x": 3}})
    save_draft(store, find_invitation(store, other).code_hash, {"answers": {"x": 4}})
    store.close()
    assert _rows(db, "drafts") == 2

    out = _run(db, "erase", "--code", code, input="y\n")

    assert "Deleted the unsent answers of this code in zuid-doet-samen/1" in out
    assert _rows(db, "drafts") == 1
    store = st.open_store(db)
    with pytest.raises(CodeError, match="nothing to erase"):
        erase_draft(store, code)
    assert find_invitation(store, code).round.ref == opened.ref  # the code still works
    store.close()


def test_sent_answers_cannot_be_erased_by_code(tmp_path: Path) -> None:
    from surveycoal.store.answering import submit_with_code

    db = tmp_path / "surveycoal.db"
    store = st.create_store(db)
    st.add_coalition(store, "Zuid Doet Samen")
    opened = st.open_round(store, SLUG, load_instrument("coalition-pulse"))
    (code,) = create_invitations(store, opened.ref, 1)
    item = opened.instrument.items[0].id
    submit_with_code(
        store,
        find_invitation(store, code).code_hash,
        st.NewResponse("resident_initiative", {item: 3}),
    )
    with pytest.raises(CodeError, match="cannot be found or erased one by one"):
        erase_draft(store, code)
    store.close()


def test_coalition_delete_removes_everything_of_it_and_nothing_else(answered: Path) -> None:
    store = st.open_store(answered)
    st.add_coalition(store, "Noord Verbindt")
    st.open_round(store, "noord-verbindt", load_instrument("coalition-pulse"))
    store.close()

    out = _run(answered, "coalition", "delete", SLUG, input="y\n")

    assert "Delete zuid-doet-samen (Zuid Doet Samen) with all its rounds and answers" in out
    answers = 12 * len(load_instrument("coalition-health").items)
    assert (
        f"Deleted coalition zuid-doet-samen: 1 round, 12 responses, {answers} answers, "
        "12 open answers, 3 invitation codes, 1 member, 1 note." in out
    )
    for table in ("responses", "answers", "open_answers", "invitations", "members", "notes"):
        assert _rows(answered, table) == 0, table
    assert _rows(answered, "rounds") == 1 and _rows(answered, "coalitions") == 1
    store = st.open_store(answered)
    assert [c.slug for c in st.list_coalitions(store)] == ["noord-verbindt"]
    with pytest.raises(Exception, match="No coalition"):
        delete_coalition(store, SLUG)
    store.close()
