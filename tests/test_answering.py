"""The questionnaire session (no terminal), codes and drafts in the store, and `invite`."""

from __future__ import annotations

import csv
import datetime as dt
import stat
from pathlib import Path

import pytest
from answering_fixtures import ITEMS, count_rows, open_test_round

from surveycoal.answering import (
    PANEL_SKIPPED,
    Session,
    SessionState,
    StepKind,
    clean_text,
    ordered_items,
)
from surveycoal.codes import CodeRejected, hash_code, panel_key_hash
from surveycoal.errors import InputError, RoundStateError
from surveycoal.store import NewResponse, close_round
from surveycoal.store.answering import (
    create_invitations,
    find_invitation,
    invitation_counts,
    load_draft,
    save_draft,
    submit_anonymous,
    submit_with_code,
)


@pytest.fixture
def db_url(both_backends_url: str) -> str:
    """Every test here runs on SQLite and on PostgreSQL."""
    return both_backends_url


TODAY = dt.date(2026, 11, 2)


# -- the session ------------------------------------------------------------------


def _answer_all(session: Session, values: list[int | None]) -> None:
    for value in values:
        session.answer(value)


def test_steps_run_language_welcome_member_type_items_open_summary(store) -> None:  # type: ignore[no-untyped-def]
    round_ = open_test_round(store)
    session = Session(round_)
    kinds = [s.kind for s in session.steps]
    assert kinds == [
        StepKind.LANGUAGE,
        StepKind.WELCOME,
        StepKind.MEMBER_TYPE,
        *[StepKind.ITEM] * 4,
        StepKind.OPEN,
        StepKind.SUMMARY,
    ]
    items = session.item_steps()
    assert [s.item.id for s in items if s.item] == list(ITEMS)
    assert [(s.number, s.total) for s in items] == [(1, 4), (2, 4), (3, 4), (4, 4)]
    assert [s.first_in_part for s in items] == [True, False, True, False]
    assert [s.part for s in items] == [1, 1, 2, 2]


def test_a_linking_round_asks_for_the_panel_key_after_the_member_type(store) -> None:  # type: ignore[no-untyped-def]
    session = Session(open_test_round(store, link_rounds=True), panel_hasher=lambda a: "h" * 64)
    assert [s.kind for s in session.steps][2:4] == [StepKind.MEMBER_TYPE, StepKind.PANEL_KEY]


def test_items_are_asked_dimension_by_dimension(store) -> None:  # type: ignore[no-untyped-def]
    instrument = open_test_round(store).instrument
    from dataclasses import replace

    shuffled = replace(instrument, items=tuple(reversed(instrument.items)))
    assert [i.id for i in ordered_items(shuffled)] == [
        "trust_2",
        "trust_1",
        "equality_2",
        "equality_1",
    ]


def test_a_whole_session_saves_after_every_answer_and_submits_once(store) -> None:  # type: ignore[no-untyped-def]
    round_ = open_test_round(store)
    saved: list[dict] = []
    sent: list[NewResponse] = []
    session = Session(round_, save=saved.append, submit=sent.append)
    session.choose_language("en")
    session.start()
    session.choose_member_type("welfare_organisation")
    _answer_all(session, [4, None, 2])
    session.back()
    assert session.step.item is not None and session.step.item.id == "equality_1"
    _answer_all(session, [3, 5])
    session.answer_open("  Meer\tkoffie \x1b[1m!  ")
    assert session.step.kind is StepKind.SUMMARY
    assert len(saved) == 9  # one save per answer, none for going back
    assert saved[-1]["answers"] == {"trust_1": 4, "trust_2": None, "equality_1": 3, "equality_2": 5}
    response = session.send()
    assert sent == [response]
    assert response.open_answers == {"tips": "Meer koffie !"}
    assert response.member_type == "welfare_organisation" and response.complete
    with pytest.raises(InputError, match="sent already"):
        session.send()


def test_answers_out_of_turn_or_out_of_range_are_refused(store) -> None:  # type: ignore[no-untyped-def]
    session = Session(open_test_round(store), lang="nl")
    with pytest.raises(InputError):
        session.answer(3)  # still at the welcome
    session.start()
    with pytest.raises(InputError):
        session.choose_member_type("funder")
    session.choose_member_type("resident_initiative")
    for wrong in (0, 6, True, 2.5):
        with pytest.raises(InputError):
            session.answer(wrong)  # type: ignore[arg-type]


def test_a_preselected_language_is_not_asked_and_not_gone_back_to(store) -> None:  # type: ignore[no-untyped-def]
    round_ = open_test_round(store)
    session = Session(round_, lang="en")
    assert session.step.kind is StepKind.WELCOME and not session.can_go_back
    session.back()
    assert session.step.kind is StepKind.WELCOME
    with pytest.raises(InputError, match="not a language"):
        Session(round_, lang="fr")


def test_a_resumed_session_continues_at_the_first_unanswered_question(store) -> None:  # type: ignore[no-untyped-def]
    round_ = open_test_round(store)
    first = Session(round_)
    first.choose_language("nl")
    first.start()
    first.choose_member_type("resident_initiative")
    _answer_all(first, [5, 4])
    state = first.state.to_dict()
    again = Session(round_, state=state)
    assert again.resumed
    assert again.step.item is not None and again.step.item.id == "equality_1"
    assert again.progress() == (2, 4)
    fresh = Session(round_)
    assert not fresh.resumed and fresh.step.kind is StepKind.LANGUAGE


def test_changing_an_answer_from_the_summary_returns_to_the_summary(store) -> None:  # type: ignore[no-untyped-def]
    session = Session(open_test_round(store), lang="nl")
    session.start()
    session.choose_member_type("resident_initiative")
    _answer_all(session, [1, 2, 3, 4])
    session.answer_open("")
    target = session.item_steps()[0]
    session.go_to(target)
    session.answer(5)
    assert session.step.kind is StepKind.SUMMARY
    assert session.state.answers["trust_1"] == 5
    assert session.send().open_answers == {}  # a skipped open question is not stored


def test_the_panel_key_is_hashed_at_once_or_skipped(store) -> None:  # type: ignore[no-untyped-def]
    round_ = open_test_round(store, link_rounds=True)
    secret = store.hash_key()
    typed = {"mother_name": "Els", "birth_day": "3", "birth_place": "Zwolle", "older_siblings": "0"}
    session = Session(round_, lang="nl", panel_hasher=lambda a: panel_key_hash(secret, a))
    session.start()
    session.choose_member_type("resident_initiative")
    session.give_panel_key(typed)
    assert session.state.panel == panel_key_hash(secret, typed)
    assert "Els" not in str(session.state.to_dict())
    session.back()
    session.give_panel_key(None)
    assert session.state.panel == PANEL_SKIPPED
    _answer_all(session, [3, 3, 3, 3])
    session.answer_open("")
    assert session.send().panel_key_hash is None


def test_kiosk_partial_answers_need_a_member_type_and_an_answer(store) -> None:  # type: ignore[no-untyped-def]
    session = Session(open_test_round(store), lang="nl")
    session.start()
    assert not session.can_keep_partial
    session.choose_member_type("resident_initiative")
    assert not session.can_keep_partial
    session.answer(2)
    assert session.can_keep_partial
    partial = session.response(complete=False)
    assert partial.answers == {"trust_1": 2} and not partial.complete


def test_state_round_trips_through_json(store) -> None:  # type: ignore[no-untyped-def]
    import json

    state = SessionState(lang="en", welcomed=True, member_type="x", answers={"a": None, "b": 3})
    assert SessionState.from_dict(json.loads(json.dumps(state.to_dict()))) == state


def test_clean_text_removes_control_characters_and_enforces_the_length() -> None:
    assert clean_text("a\x00b\u202ec\r\nd", 10) == "a b c d"
    assert clean_text("\x1b]0;title\x07ok", 10) == "ok"
    with pytest.raises(InputError, match="at most 3"):
        clean_text("abcd", 3)


# -- codes and drafts in the store ------------------------------------------------


def test_codes_find_their_round_and_only_their_hash_is_stored(store) -> None:  # type: ignore[no-untyped-def]
    round_ = open_test_round(store)
    made = create_invitations(store, round_.ref, 5)
    invitation = find_invitation(store, made[2].lower().replace("-", ""))
    assert invitation.round.ref == round_.ref
    assert invitation.code_hash == hash_code(store.hash_key(), made[2])
    from sqlalchemy import select

    from surveycoal.store import schema

    with store.read() as conn:
        stored = set(conn.execute(select(schema.invitations.c.code_hash)).scalars())
    assert len(stored) == 5 and not any(c.replace("-", "") in "".join(stored) for c in made)
    assert invitation_counts(store, round_.ref) == {"unused": 5, "used": 0}


def test_unknown_used_and_expired_codes_say_why(store) -> None:  # type: ignore[no-untyped-def]
    round_ = open_test_round(store)
    code, other = create_invitations(store, round_.ref, 2, expires_on=TODAY, today=TODAY)
    from surveycoal.codes import new_code

    with pytest.raises(CodeRejected) as unknown:
        find_invitation(store, new_code(), today=TODAY)
    assert unknown.value.reason == "unknown"
    with pytest.raises(CodeRejected) as expired:
        find_invitation(store, code, today=TODAY + dt.timedelta(days=1))
    assert expired.value.reason == "expired" and TODAY.isoformat() in expired.value.message
    hashed = find_invitation(store, code, today=TODAY).code_hash
    submit_with_code(store, hashed, NewResponse("resident_initiative", {"trust_1": 3}), today=TODAY)
    with pytest.raises(CodeRejected) as used:
        find_invitation(store, code, today=TODAY)
    assert used.value.reason == "used"
    close_round(store, round_.ref)
    with pytest.raises(RoundStateError, match="gesloten"):
        find_invitation(store, other, today=TODAY)


def test_invitations_need_an_open_round_and_a_sensible_count(store) -> None:  # type: ignore[no-untyped-def]
    round_ = open_test_round(store)
    for count in (0, 10_001):
        with pytest.raises(InputError):
            create_invitations(store, round_.ref, count)
    with pytest.raises(InputError, match="past"):
        create_invitations(store, round_.ref, 1, expires_on=dt.date(2000, 1, 1))
    close_round(store, round_.ref)
    with pytest.raises(RoundStateError, match="closed"):
        create_invitations(store, round_.ref, 3)


def test_a_draft_is_saved_replaced_and_gone_after_submit(store) -> None:  # type: ignore[no-untyped-def]
    round_ = open_test_round(store)
    (code,) = create_invitations(store, round_.ref, 1)
    code_hash = find_invitation(store, code).code_hash
    assert load_draft(store, code_hash) is None
    save_draft(store, code_hash, {"answers": {"trust_1": 2}})
    save_draft(store, code_hash, {"answers": {"trust_1": 4}})
    assert load_draft(store, code_hash) == {"answers": {"trust_1": 4}}
    assert count_rows(store, "drafts") == 1
    submit_with_code(store, code_hash, NewResponse("resident_initiative", {"trust_1": 4}))
    assert load_draft(store, code_hash) is None
    assert count_rows(store, "drafts") == 0 and count_rows(store, "responses") == 1
    assert invitation_counts(store, round_.ref) == {"unused": 0, "used": 1}
    with pytest.raises(CodeRejected, match="al ingevuld"):
        submit_with_code(store, code_hash, NewResponse("resident_initiative", {"trust_1": 4}))
    with pytest.raises(CodeRejected):
        save_draft(store, code_hash, {"answers": {}})
    assert count_rows(store, "responses") == 1


def test_a_failed_submit_changes_nothing(store) -> None:  # type: ignore[no-untyped-def]
    round_ = open_test_round(store)
    (code,) = create_invitations(store, round_.ref, 1)
    code_hash = find_invitation(store, code).code_hash
    save_draft(store, code_hash, {"answers": {}})
    with pytest.raises(InputError, match="member type"):
        submit_with_code(store, code_hash, NewResponse("funder", {"trust_1": 4}))
    assert invitation_counts(store, round_.ref)["unused"] == 1
    assert count_rows(store, "drafts") == 1 and count_rows(store, "responses") == 0


def test_anonymous_submits_need_an_open_round(store) -> None:  # type: ignore[no-untyped-def]
    round_ = open_test_round(store)
    submit_anonymous(store, round_.ref, NewResponse("resident_initiative", {"trust_1": 1}))
    close_round(store, round_.ref)
    with pytest.raises(RoundStateError):
        submit_anonymous(store, round_.ref, NewResponse("resident_initiative", {"trust_1": 1}))
    assert count_rows(store, "responses") == 1


# -- the commands -----------------------------------------------------------------


def test_invite_writes_a_csv_and_slips_and_prints_no_codes(store, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    round_ = open_test_round(store)
    out = tmp_path / "out"
    out.mkdir()
    result = cli(
        "invite", round_.ref, "--count", "6", "--out-dir", str(out), "--expires", "2099-01-31"
    )
    assert result.exit_code == 0, result.output
    csv_path = out / "zuid-doet-samen-1-codes.csv"
    html_path = out / "zuid-doet-samen-1-slips.html"
    assert str(csv_path) in result.output and str(html_path) in result.output
    assert "live codes" in result.output
    with csv_path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 6 and {r["expires_on"] for r in rows} == {"2099-01-31"}
    assert all(r["code"] not in result.output for r in rows)
    for row in rows:
        assert find_invitation(store, row["code"]).round.ref == round_.ref
        assert row["code"] in html_path.read_text(encoding="utf-8")
    assert stat.S_IMODE(csv_path.stat().st_mode) == 0o600

    again = cli("invite", round_.ref, "--count", "2", "--out-dir", str(out))
    assert again.exit_code == 1 and "exists already" in again.output
    assert invitation_counts(store, round_.ref)["unused"] == 6  # refused before making codes
    forced = cli("invite", round_.ref, "--count", "2", "--out-dir", str(out), "--force", "--print")
    assert forced.exit_code == 0, forced.output
    with csv_path.open(encoding="utf-8") as f:
        printed = [r["code"] for r in csv.DictReader(f)]
    assert all(code in forced.output for code in printed)


def test_invite_refuses_a_closed_round_and_a_missing_folder(store, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    round_ = open_test_round(store)
    missing = cli("invite", round_.ref, "--out-dir", str(tmp_path / "nope"))
    assert missing.exit_code != 0
    close_round(store, round_.ref)
    closed = cli("invite", round_.ref, "--out-dir", str(tmp_path))
    assert closed.exit_code == 1 and "closed" in closed.output
    assert not list(tmp_path.glob("*.csv"))


def test_answer_and_kiosk_without_a_terminal_stop_with_a_message(store, cli) -> None:  # type: ignore[no-untyped-def]
    round_ = open_test_round(store)
    (code,) = create_invitations(store, round_.ref, 1)
    for args in (["answer", "--code", code], ["answer"], ["kiosk", round_.ref]):
        result = cli(*args, input="")
        assert result.exit_code == 1, result.output
        assert "needs a terminal" in result.output and "Traceback" not in result.output
    wrong_lang = cli("answer", "--lang", "fr")
    assert wrong_lang.exit_code == 1 and "--lang" in wrong_lang.output
    # Checked before the lead is asked for a stop word, not after.
    no_idle = cli("kiosk", round_.ref, "--idle-seconds", "0")
    assert no_idle.exit_code == 1 and "--idle-seconds must be more than 0" in no_idle.output


# -- what scoring reads back --------------------------------------------------------


def test_answered_and_kiosk_responses_keep_member_type_and_panel_key_when_loaded(store) -> None:  # type: ignore[no-untyped-def]
    from surveycoal.store import load_round_data

    round_ = open_test_round(store, link_rounds=True)
    secret = store.hash_key()
    typed = {"mother_name": "Ans", "birth_day": "12", "birth_place": "Epe", "older_siblings": "1"}

    (code,) = create_invitations(store, round_.ref, 1)
    invitation = find_invitation(store, code)
    with_code = Session(
        round_,
        lang="nl",
        save=lambda state: save_draft(store, invitation.code_hash, state),
        submit=lambda response: submit_with_code(store, invitation.code_hash, response),
        panel_hasher=lambda answers: panel_key_hash(secret, answers),
    )
    with_code.start()
    with_code.choose_member_type("welfare_organisation")
    with_code.give_panel_key(typed)
    _answer_all(with_code, [5, None, 4, 1])
    with_code.answer_open("")
    with_code.send()

    at_kiosk = Session(round_, lang="en", submit=lambda r: submit_anonymous(store, round_.ref, r))
    at_kiosk.start()
    at_kiosk.choose_member_type("resident_initiative")
    at_kiosk.give_panel_key(None)
    _answer_all(at_kiosk, [2, 2, 2, 2])
    at_kiosk.answer_open("")
    at_kiosk.send()

    data = load_round_data(store, round_.ref)
    rows = data.values.join(data.responses)
    welfare = rows[rows["member_type"] == "welfare_organisation"]
    resident = rows[rows["member_type"] == "resident_initiative"]
    assert welfare["panel_key"].tolist() == [panel_key_hash(secret, typed)]
    assert resident["panel_key"].isna().all() and len(resident) == 1
    assert welfare[list(ITEMS)].iloc[0].tolist()[0] == 5.0
    assert resident[list(ITEMS)].iloc[0].tolist() == [2.0, 2.0, 2.0, 2.0]
    assert bool(data.dont_know.loc[welfare.index[0], "trust_2"])


# -- texts -------------------------------------------------------------------------


def test_counts_and_letters_read_as_plain_sentences() -> None:
    from surveycoal import texts
    from surveycoal.codes import PanelQuestion, normalise_panel_answer

    assert [texts.count_text("kiosk_answered", "nl", n) for n in (0, 1, 2)] == [
        "Hier heeft nog niemand geantwoord.",
        "1 persoon heeft hier al geantwoord.",
        "2 mensen hebben hier al geantwoord.",
    ]
    assert texts.count_text("kiosk_answered", "en", 1) == "1 person has answered here so far."
    with pytest.raises(InputError, match=r"^Type at least 1 letter\.$"):
        normalise_panel_answer(PanelQuestion("p", "letters", letters=1), "7", "en")
    with pytest.raises(InputError, match=r"^Typ minstens 2 letters\.$"):
        normalise_panel_answer(PanelQuestion("p", "letters", letters=2), "a", "nl")
    # No text a participant reads hedges with "(s)".
    assert not [key for key, entry in texts.TEXTS.items() if "(s)" in "".join(entry.values())]
    assert texts.both_lines("round_closed").split("\n") == [
        texts.text("round_closed", "nl"),
        texts.text("round_closed", "en"),
    ]


def test_slips_show_two_group_codes_and_the_last_day_to_answer(store, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import re
    from html.parser import HTMLParser

    round_ = open_test_round(store, closes_on=dt.date(2099, 3, 31))
    result = cli("invite", round_.ref, "--count", "3", "--out-dir", str(tmp_path))
    assert result.exit_code == 0, result.output

    class Slips(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.classes: list[str] = []
            self.text: dict[str, list[str]] = {}

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag not in ("meta", "link", "br", "img", "hr"):  # no end tags
                self.classes.append(dict(attrs).get("class") or "")

        def handle_endtag(self, tag: str) -> None:
            self.classes.pop()

        def handle_data(self, data: str) -> None:
            if self.classes and data.strip():
                self.text.setdefault(self.classes[-1], []).append(data.strip())

    slips = Slips()
    slips.feed((tmp_path / "zuid-doet-samen-1-slips.html").read_text(encoding="utf-8"))
    assert len(slips.text["code"]) == 3
    assert all(re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{5}", code) for code in slips.text["code"])
    # Without --expires the codes work until the round closes, and the slips say so.
    assert slips.text["meta"] == ["Geldig tot en met / valid until 2099-03-31"] * 3
    assert not any(" uw " in f" {text} " for text in slips.text["how"])  # "je", as on screen
