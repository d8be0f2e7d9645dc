"""Rounds end to end: the snapshot outlives edits of the YAML file, and the state machine holds."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import fails, ok
from sqlalchemy import update

from surveycoal import store as st
from surveycoal.errors import InputError, RoundStateError
from surveycoal.instruments import USER_INSTRUMENTS_ENV, load_instrument
from surveycoal.resources import instruments_dir
from surveycoal.store import schema


@pytest.fixture
def db_url(both_backends_url: str) -> str:
    """Every test here runs on SQLite and on PostgreSQL."""
    return both_backends_url


REF = "zuid-doet-samen/1"


@pytest.fixture
def own_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The shipped questionnaire copied into the user's instrument folder, found first by name."""
    folder = tmp_path / "mine"
    folder.mkdir()
    path = folder / "coalition-health.yaml"
    shutil.copy(instruments_dir() / "coalition-health.yaml", path)
    monkeypatch.setenv(USER_INSTRUMENTS_ENV, str(folder))
    return path


@pytest.fixture
def tour(cli: Callable[..., Any]) -> Callable[..., Any]:
    ok(cli("programme", "add", "Expedities 2026"))
    ok(cli("coalition", "add", "Zuid Doet Samen", "--programme", "Expedities 2026"))
    ok(cli("member", "add", "zuid-doet-samen", "Buurtcoöperatie Zuid", "--type", "resident_initiative"))  # fmt: skip
    ok(cli("member", "add", "zuid-doet-samen", "Welzijn Stimenz", "--type", "welfare_organisation"))  # fmt: skip
    return cli


def _edit(path: Path) -> None:
    """A lead edits the questionnaire after the round opened: text, version, privacy, items."""
    text = path.read_text(encoding="utf-8")
    before = load_instrument(path)
    first = before.items[0]
    edited = (
        text.replace(f'version: "{before.version}"', 'version: "99.0"')
        .replace(first.text["nl"], "Een heel andere zin.")
        .replace("  min_group: 5", "  min_group: 8")
        .replace("  min_free_text: 10", "  min_free_text: 12")
        .replace("  min_item_distribution: 10", "  min_item_distribution: 12")
    )
    assert edited != text
    path.write_text(edited, encoding="utf-8")
    assert load_instrument(path).items[0].text["nl"] == "Een heel andere zin."


def test_editing_the_yaml_after_opening_changes_nothing_in_the_round(
    tour: Callable[..., Any], own_copy: Path, store: st.Store
) -> None:
    original = load_instrument(own_copy)
    ok(tour("round", "open", "zuid-doet-samen", "--instrument", "coalition-health"))

    _edit(own_copy)
    edited = load_instrument("coalition-health")
    assert edited.content_hash != original.content_hash
    assert edited.privacy.min_group == 8

    opened = st.get_round(store, REF)
    assert opened.instrument == original
    assert opened.instrument_hash == original.content_hash
    assert opened.instrument_version == original.version != edited.version
    assert opened.privacy.min_group == 5
    assert opened.privacy.min_free_text == 10
    shown = ok(tour("round", "show", REF))
    assert f"hash {original.content_hash[:12]}" in shown
    assert f"coalition-health {original.version}" in shown
    assert "Minimum group 5" in " ".join(shown.split())

    # answers are checked against the snapshot, and closing and reopening keep it
    first = original.items[0].id
    assert st.submit_responses(store, REF, [st.NewResponse("resident_initiative", {first: 4})]) == 1
    ok(tour("round", "close", REF))
    ok(tour("round", "reopen", REF, "--yes"))
    assert st.get_round(store, REF).instrument_hash == original.content_hash

    # the next round takes the edited file
    ok(tour("round", "close", REF))
    ok(tour("round", "open", "zuid-doet-samen"))
    second = st.get_round(store, "zuid-doet-samen/2")
    assert second.instrument_hash == edited.content_hash
    assert second.privacy.min_group == 8


OLD_WORDING = Path(__file__).parent / "data" / "instruments" / "coalition-health-1.0.yaml"


def test_a_round_opened_before_the_rewording_keeps_its_old_questionnaire(
    tour: Callable[..., Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, store: st.Store
) -> None:
    """Version 2.0 rewrote the statements, turned reverse items around and added three:
    a round opened on 1.0 keeps the 1.0 statements and reverse keys; only the next round
    takes 2.0."""
    folder = tmp_path / "before"
    folder.mkdir()
    shutil.copy(OLD_WORDING, folder / "coalition-health.yaml")
    monkeypatch.setenv(USER_INSTRUMENTS_ENV, str(folder))
    old = load_instrument("coalition-health")
    assert old.version == "1.0"
    ok(tour("round", "open", "zuid-doet-samen", "--instrument", "coalition-health"))
    monkeypatch.delenv(USER_INSTRUMENTS_ENV)  # the upgrade: the shipped 2.0 is found again
    new = load_instrument("coalition-health")
    assert new.version == "2.0"

    opened = st.get_round(store, REF)
    assert opened.instrument == old
    assert opened.instrument_version == "1.0"
    assert len(opened.instrument.items) == 32
    kept = opened.instrument.item("results_mostly_talk")
    assert kept.text["nl"] == "Van onze plannen komt weinig terecht."
    assert kept.reverse is True and new.item("results_mostly_talk").reverse is False
    # a statement that exists only in 2.0 cannot be answered in the 1.0 round
    added = st.NewResponse("resident_initiative", {"resident_ownership_decide_money": 4})
    with pytest.raises(InputError, match="resident_ownership_decide_money"):
        st.submit_responses(store, REF, [added])
    answered = st.NewResponse("resident_initiative", {kept.id: 4})
    assert st.submit_responses(store, REF, [answered]) == 1

    ok(tour("round", "close", REF))
    ok(tour("round", "open", "zuid-doet-samen"))
    second = st.get_round(store, "zuid-doet-samen/2")
    assert second.instrument_version == "2.0"
    assert second.instrument_hash == new.content_hash
    assert st.get_round(store, REF).instrument_hash == old.content_hash


def test_deleting_the_yaml_leaves_the_round_readable(
    tour: Callable[..., Any], own_copy: Path, store: st.Store
) -> None:
    ok(tour("round", "open", "zuid-doet-samen", "--instrument", str(own_copy)))
    original = load_instrument(own_copy)
    own_copy.unlink()
    assert st.get_round(store, REF).instrument == original
    assert f"coalition-health {original.version}" in ok(tour("round", "show", REF))


def test_a_round_opens_from_a_file_path(tour: Callable[..., Any], own_copy: Path) -> None:
    out = ok(tour("round", "open", "zuid-doet-samen", "--instrument", str(own_copy)))
    assert REF in out
    broken = own_copy.with_name("broken.yaml")
    broken.write_text("id: broken\n", encoding="utf-8")
    ok(tour("round", "close", REF))
    fails(
        tour("round", "open", "zuid-doet-samen", "--instrument", str(broken)),
        "broken.yaml",
        "missing required key",
    )
    assert "zuid-doet-samen/2" not in ok(tour("round", "list"))


def test_the_state_machine_through_the_command_line(tour: Callable[..., Any]) -> None:
    ok(tour("round", "open", "zuid-doet-samen", "--closes", "2099-12-20"))
    fails(tour("round", "reopen", REF, "--yes"), "open already")
    ok(tour("round", "close", REF))
    fails(tour("round", "close", REF), "closed already")
    fails(tour("round", "set-instrument", REF, "coalition-pulse"), "closed", "cannot change")

    # reopening asks first; "no" and no answer leave the round closed
    for answer in ("n\n", "\n", ""):
        fails(tour("round", "reopen", REF, input=answer), "Aborted")
        assert "closed" in ok(tour("round", "show", REF))
    ok(tour("round", "reopen", REF, input="y\n"))
    assert "open" in ok(tour("round", "list", "--status", "open"))


def test_a_round_past_its_closing_date_says_so(
    store: st.Store, coalition: str, cli: Callable[..., Any]
) -> None:
    today = dt.date.today()
    st.open_round(
        store, coalition, load_instrument("coalition-health"), closes_on=today, today=today
    )
    assert "past its closing date" not in ok(cli("round", "list"))
    st.close_round(store, REF)
    st.reopen_round(store, REF, closes_on=today)
    # move the closing date into the past, as time does
    with store.write() as conn:
        conn.execute(update(schema.rounds).values(closes_on=today - dt.timedelta(days=1)))
    assert "open, past its closing date" in ok(cli("round", "list"))
    assert "open, past its closing date" in ok(cli("round", "show", REF))
    with pytest.raises(RoundStateError):
        st.submit_responses(
            store, REF, [st.NewResponse("resident_initiative", {"trust_keeps_agreements": 3})]
        )
    fails(cli("round", "reopen", REF, "--yes"), "open already")


def test_nothing_can_be_stored_in_a_closed_round(store: st.Store, coalition: str) -> None:
    instrument = load_instrument("coalition-health")
    st.open_round(store, coalition, instrument)
    st.close_round(store, REF)
    answer = st.NewResponse("resident_initiative", {instrument.items[0].id: 3})
    with pytest.raises(RoundStateError, match="closed"):
        st.submit_responses(store, REF, [answer])
    with pytest.raises(RoundStateError, match="cannot change"):
        st.replace_instrument(store, REF, load_instrument("coalition-pulse"))
    assert st.count_responses(store, REF) == 0
    assert st.get_round(store, REF).instrument_id == "coalition-health"


def test_reopening_after_the_closing_date_needs_a_new_one(store: st.Store, coalition: str) -> None:
    today = dt.date(2026, 11, 23)
    st.open_round(
        store, coalition, load_instrument("coalition-health"), closes_on=today, today=today
    )
    st.close_round(store, REF, today=today)
    later = today + dt.timedelta(days=3)
    with pytest.raises(InputError, match="--closes"):
        st.reopen_round(store, REF, today=later)
    with pytest.raises(InputError, match="in the past"):
        st.reopen_round(store, REF, closes_on=today, today=later)
    reopened = st.reopen_round(store, REF, closes_on=later, today=later)
    assert reopened.is_open and reopened.closes_on == later


def test_closing_a_round_deletes_its_unsent_drafts(
    store: st.Store, coalition: str, cli: Callable[..., Any]
) -> None:
    """A draft ties unsent answers to a code's hash; once nobody can send, it must go."""
    from surveycoal.codes import hash_code
    from surveycoal.store.answering import create_invitations, load_draft, save_draft

    st.open_round(store, coalition, load_instrument("coalition-health"))
    codes = create_invitations(store, REF, 2)
    hashes = [hash_code(store.hash_key(), code) for code in codes]
    for code_hash in hashes:
        save_draft(store, code_hash, {"answers": {"trust_keeps_agreements": 4}})
    closed = st.close_round(store, REF)
    assert closed.discarded_drafts == 2
    assert all(load_draft(store, h) is None for h in hashes)
    st.reopen_round(store, REF)
    save_draft(store, hashes[0], {"answers": {"trust_keeps_agreements": 2}})
    out = ok(cli("round", "close", REF))
    assert "1 unfinished questionnaire that was never sent is deleted" in out
