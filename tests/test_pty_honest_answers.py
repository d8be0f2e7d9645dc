"""Only the answers people really gave: the questionnaire in a real pseudo-terminal.

Each test presses keys the way an impatient or inexperienced participant does
(Enter twice, keys before a screen is drawn, back from an open question) and
checks what was stored. What the screen shows is read through pyte, a terminal
emulator, so a test sees the screen as a person would: at 60 columns, at 30
lines, with reverse video and bold.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from answering_fixtures import new_database, stored_open_answers, stored_responses
from pty_fixtures import GUARD, make_codes, spawn

pexpect = pytest.importorskip("pexpect")
pyte = pytest.importorskip("pyte")

pytestmark = pytest.mark.pty

ENTER = "\r"
CTRL_C = "\x03"
CLEAR = "\x1b[2J\x1b[3J\x1b[H"


class Terminal:
    """A program in a pseudo-terminal, with its screen kept by a terminal emulator."""

    def __init__(
        self, db: Path, *args: str, columns: int = 100, rows: int = 40, guard: float | None = GUARD
    ) -> None:
        self.guard = 0.8 if guard is None else guard
        self.screen = pyte.Screen(columns, rows)
        self.stream = pyte.Stream(self.screen)
        self.child = spawn(db, *args, guard=guard, columns=columns, rows=rows)
        # Everything the program writes reaches the emulated screen, matched or not.
        self.child.logfile_read = self

    def write(self, data: str) -> None:
        self.stream.feed(data)

    def flush(self) -> None:
        pass

    def expect(self, pattern: str) -> None:
        self.child.expect(pattern)

    def settle(self, seconds: float = 1.0) -> None:
        """Read whatever the program draws in the next moment into the screen."""
        self.child.expect([pexpect.TIMEOUT, pexpect.EOF], timeout=seconds)

    def press(self, *keys: str, after: float | None = None) -> None:
        """Press keys once the screen has passed its guard time (or after ``after`` s)."""
        time.sleep(self.guard + 0.15 if after is None else after)
        for key in keys:
            self.child.send(key)

    def steps(self, *steps: tuple[str, str]) -> None:
        """For each (what the screen shows, keys to press): wait for it, then press."""
        for pattern, keys in steps:
            self.expect(pattern)
            self.press(keys)

    def lines(self) -> list[str]:
        return [line.rstrip() for line in self.screen.display]

    def text(self) -> str:
        return "\n".join(self.lines())

    def finish(self) -> int:
        self.child.expect(pexpect.EOF)
        self.child.close()
        return int(self.child.exitstatus if self.child.exitstatus is not None else -1)


_codes = make_codes


def _draft(db: Path, code: str) -> dict[str, Any] | None:
    from surveycoal.store import open_store
    from surveycoal.store.answering import find_invitation, load_draft

    store = open_store(db)
    try:
        return load_draft(store, find_invitation(store, code).code_hash)
    finally:
        store.close()


def _stored(db: Path) -> tuple[list[dict[str, Any]], list[str]]:
    from surveycoal.store import open_store

    store = open_store(db)
    try:
        return stored_responses(store), stored_open_answers(store)
    finally:
        store.close()


def test_enter_pressed_twice_and_keys_typed_ahead_store_nothing(tmp_path: Path) -> None:
    db = tmp_path / "twice.db"
    (code,) = _codes(db, new_database(db), 1)
    term = Terminal(db, "answer", code, guard=None)  # the real guard time
    term.expect("Kies je taal")
    term.press("1", ENTER)
    term.expect("Klaar om te beginnen")
    term.press("1", ENTER)
    term.press(ENTER, after=0.6)  # "did it work?": lands on the member type, unread
    term.expect("Hoe doe je mee")
    term.press(ENTER, after=1.0)  # Enter with nothing chosen says what to press
    term.expect("nog niets gekozen")
    term.press("2", ENTER, after=0.2)
    for number, pause in zip((1, 2), (0.3, 0.8), strict=True):
        term.expect(f"vraag {number} van 4")
        term.press("4", ENTER)
        term.press(ENTER, after=pause)  # the second Enter of someone who thinks it is slow
    term.expect("vraag 3 van 4")
    # "4" and Enter, and at once "5" and Enter again "to be sure": the second pair
    # arrives before the next statement is on the screen.
    term.press("4", ENTER, "5", ENTER)
    term.expect("vraag 4 van 4")
    term.press(CTRL_C, after=1.5)
    assert term.finish() == 130
    draft = _draft(db, code)
    assert draft is not None
    assert draft["member_type"] == "welfare_organisation"
    # Three chosen answers; the second Enters and the early "5" answered nothing.
    assert draft["answers"] == {"trust_1": 4, "trust_2": 4, "equality_1": 4}


def test_the_chosen_answer_is_in_reverse_video_with_a_marker_also_without_colour(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    db = tmp_path / "marked.db"
    (code,) = _codes(db, new_database(db), 1)
    term = Terminal(db, "answer", code, "--lang", "en")
    term.child.setecho(False)
    term.expect("Ready to start")
    term.press("1", ENTER)
    term.expect("How do you take part")
    term.press("2")
    term.settle()
    (row,) = [y for y, line in enumerate(term.lines()) if "Welfare organisation" in line]
    assert "»" in term.lines()[row]
    x = term.lines()[row].index("Welfare")
    cell = term.screen.buffer[row][x]
    assert cell.reverse and cell.bold
    other = next(y for y, line in enumerate(term.lines()) if "Resident initiative" in line)
    assert not term.screen.buffer[other][term.lines()[other].index("Resident")].reverse
    term.press(CTRL_C)
    assert term.finish() == 130


def test_back_from_an_open_question_and_the_summary_in_full_at_60_columns(tmp_path: Path) -> None:
    db = tmp_path / "back.db"
    (code,) = _codes(db, new_database(db), 1)
    term = Terminal(db, "answer", "--code", code, "--lang", "nl", columns=60, rows=30)
    term.expect("Klaar om te beginnen")
    term.press("1", ENTER)
    term.expect("Hoe doe je mee")
    term.press("1", ENTER)
    for number, value in zip(range(1, 5), "3045", strict=True):
        term.expect(f"vraag {number} van 4")
        term.press(value, ENTER)
    term.expect("Wat kan beter")
    term.press("t", ENTER)  # back, as on every other screen: never the answer "t"
    term.expect("vraag 4 van 4")
    term.press(ENTER)  # the earlier answer is chosen: Enter keeps it
    term.expect("Wat kan beter")
    long_answer = "Vaker samen eten met de hele buurt, ook met wie nog nooit meedeed"
    term.press(long_answer + ENTER)
    term.expect("v. Versturen")
    term.settle()
    screen = term.text()
    # The heading is in view, and each answer is there in full, wrapped, not cut off.
    assert "Je antwoorden" in screen
    assert "…" not in screen
    joined = " ".join(screen.split())
    assert "Ik vertrouw de anderen. (antwoord: Weet ik niet)" in joined
    assert f"Wat kan beter? (antwoord: {long_answer})" in joined
    assert max(len(line) for line in term.lines()) <= 60
    term.press("v", ENTER)
    term.expect("Dank je wel")
    assert term.finish() == 0
    responses, opens = _stored(db)
    assert [r["answers"] for r in responses] == [
        {"trust_1": 3, "trust_2": None, "equality_1": 4, "equality_2": 5}
    ]
    assert opens == [long_answer]


def test_the_summary_of_the_whole_questionnaire_keeps_its_heading_at_30_lines(
    tmp_path: Path,
) -> None:
    from surveycoal import store as st
    from surveycoal.instruments import load_instrument
    from surveycoal.store.answering import create_invitations

    db = tmp_path / "long.db"
    store = st.create_store(db)
    try:
        st.add_coalition(store, "Noord Samen")
        round_ = st.open_round(store, "noord-samen", load_instrument("coalition-health"))
        (code,) = create_invitations(store, round_.ref, 1)
        items = len(round_.instrument.items)
        opens = len(round_.instrument.open_questions)
    finally:
        store.close()
    term = Terminal(db, "answer", code, "--lang", "nl", columns=60, rows=30)
    term.expect("Klaar om te beginnen")
    term.press("1", ENTER)
    term.expect("Hoe doe je mee")
    term.press("1", ENTER)
    for number in range(1, items + 1):
        term.expect(f"vraag {number} van {items}")
        term.press(str(number % 6), ENTER)
    for _ in range(opens):
        term.expect("open vraag")
        term.press(ENTER)
    term.expect("v. Versturen")
    term.settle()
    assert "Je antwoorden" in term.text()
    # Scroll down the list: the heading stays where it is.
    term.press(*(["\x1b[B"] * 25))
    term.settle()
    assert "Je antwoorden" in term.text()
    assert "Versturen" in term.text()
    term.press("v", ENTER)
    term.expect("Dank je wel")
    assert term.finish() == 0


def test_after_ctrl_c_the_next_person_needs_the_code_to_see_the_answers(tmp_path: Path) -> None:
    db = tmp_path / "shared.db"
    (code,) = _codes(db, new_database(db), 1)
    first = Terminal(db, "answer", code, "--lang", "nl")
    first.steps(
        ("Klaar om te beginnen", "1" + ENTER),
        ("Hoe doe je mee", "2" + ENTER),
        ("vraag 1 van 4", "4" + ENTER),
        ("vraag 2 van 4", CTRL_C),
    )
    first.child.expect_exact(CLEAR)  # off the screen and out of the scrollback
    assert first.finish() == 130

    # The next person presses arrow-up and Enter: the same command line, code and all.
    again = Terminal(db, "answer", code, "--lang", "nl")
    again.expect("Typ je code nog een keer")
    again.expect("Code:")
    again.press("AAAA-AAAAA" + ENTER)
    again.expect("klopt niet|kennen we niet|niet dezelfde")
    again.press(CTRL_C)
    assert again.finish() == 130
    assert "vraag" not in " ".join(again.child.before.split())

    # The person with the slip types it and goes on where they were.
    owner = Terminal(db, "answer", code, "--lang", "nl")
    owner.expect("Code:")
    owner.press(code + ENTER)
    owner.expect("vraag 2 van 4")
    owner.press(CTRL_C)
    assert owner.finish() == 130


def test_plain_mode_announces_the_kept_answer_in_words(tmp_path: Path) -> None:
    db = tmp_path / "plain.db"
    (code,) = _codes(db, new_database(db), 1)
    term = Terminal(db, "answer", code, "--plain", "--lang", "nl", columns=60, rows=30)
    child = term.child
    for then, line in [
        ("1. Beginnen", "1"),
        ("Bewonersinitiatief", "1"),
        ("vraag 1 van 4", "4"),
        ("vraag 2 van 4", "t"),  # back
    ]:
        child.expect(then)
        child.expect_exact("> ")
        child.sendline(line)
    child.expect("Je vorige antwoord: Eens. Enter houdt het.")
    child.expect_exact("> ")
    child.sendline("")
    child.expect("vraag 2 van 4")
    child.expect_exact("> ")
    child.sendline("9")  # not on the list: the hint names every way out
    child.expect("Typ een nummer van de lijst en druk op Enter. t = terug.")
    child.sendintr()
    assert term.finish() == 130
    draft = _draft(db, code)
    assert draft is not None and draft["answers"] == {"trust_1": 4}


def test_plain_mode_never_breaks_a_sentence_at_60_columns(tmp_path: Path) -> None:
    import io
    import re

    from surveycoal import texts

    db = tmp_path / "sentences.db"
    (code,) = _codes(db, new_database(db), 1)
    term = Terminal(db, "answer", code, "--plain", "--lang", "nl", columns=60, rows=30)
    term.child.logfile_read = seen = io.StringIO()
    term.child.expect("1. Beginnen")
    term.child.expect_exact("> ")
    term.child.sendintr()
    assert term.finish() == 130
    lines = [line.strip() for line in seen.getvalue().replace("\r", "").split("\n")]
    for key in ("welcome_anonymous", "welcome_min_group"):
        for sentence in re.split(r"(?<=[.!?])\s+", texts.text(key, "nl", min_group=5)):
            assert sentence in lines, sentence


def test_a_refused_stop_word_is_thrown_away_whole(tmp_path: Path) -> None:
    db = tmp_path / "stop.db"
    ref = new_database(db)
    term = Terminal(db, "kiosk", ref, "--lang", "nl")
    term.expect("Kies een stopwoord")
    term.press("ab" + ENTER)  # too short: refused
    term.expect("te kort")
    term.expect("Kies een stopwoord")
    term.press("cdef" + ENTER)  # a fresh field: the word is "cdef", not "abcdef"
    term.expect("nog een keer")
    term.press("cdef" + ENTER)
    term.expect("4 tekens")
    term.expect("Kies je taal|Klaar om te beginnen")
    term.press(CTRL_C)
    term.expect("Stopwoord")
    term.press("abcdef" + ENTER)
    term.expect("Klaar om te beginnen")  # not the stop word: the kiosk goes on
    term.press(CTRL_C)
    term.expect("Stopwoord")
    term.press("cdef" + ENTER)
    term.expect("stopped")
    assert term.finish() == 0


def test_the_next_kiosk_participant_cannot_reach_the_previous_answers(tmp_path: Path) -> None:
    db = tmp_path / "walk.db"
    ref = new_database(db, incomplete_policy="discard")
    term = Terminal(
        db, "kiosk", ref, "--lang", "nl", "--idle-seconds", "2", "--still-there-seconds", "1"
    )
    term.steps(
        ("Kies een stopwoord", "koffie" + ENTER),
        ("nog een keer", "koffie" + ENTER),
        ("Klaar om te beginnen", "1" + ENTER),
        ("Hoe doe je mee", "2" + ENTER),
        ("vraag 1 van 4", "5" + ENTER),
    )
    term.expect("vraag 2 van 4")
    # Walks away. The screen is cleared before "are you still there?".
    term.child.expect_exact(CLEAR, timeout=10)
    term.expect("Ben je er nog")
    term.child.expect_exact(CLEAR, timeout=10)
    term.expect("Klaar om te beginnen")
    # The next person goes to the first statement and back: nothing of the last one.
    term.press("1", ENTER)
    term.expect("Hoe doe je mee")
    term.press("1", ENTER)
    term.expect("vraag 1 van 4")
    term.press(ENTER)
    term.expect("nog niets gekozen")  # not the "5" of the person before
    term.press("t", ENTER)
    term.expect("Hoe doe je mee")
    term.settle()
    chosen = [line for line in term.lines() if "»" in line]
    assert chosen and "Bewonersinitiatief" in chosen[-1]  # the new person's own answer
    term.press(CTRL_C)
    term.expect("Stopwoord")
    term.press("koffie" + ENTER)
    term.expect("2 discarded")  # the one who walked away, and the one stopped midway
    assert term.finish() == 0
    responses, _ = _stored(db)
    assert responses == []


def test_a_resized_window_draws_the_question_again_at_its_new_width(tmp_path: Path) -> None:
    db = tmp_path / "resize.db"
    (code,) = _codes(db, new_database(db), 1)
    term = Terminal(db, "answer", code, "--lang", "nl", columns=100, rows=30)
    term.expect("Klaar om te beginnen")
    term.press("1", ENTER)
    term.expect("Hoe doe je mee")
    term.press("1", ENTER)
    term.expect("vraag 1 van 4")
    term.settle(0.5)
    term.screen.resize(30, 40)
    term.child.setwinsize(30, 40)
    term.settle()
    hint = [line for line in term.lines() if line.strip()][-3:]
    # The key hint is wrapped again between words at 40 columns, not cut or run over.
    assert all(len(line) <= 40 for line in hint)
    words = " ".join(" ".join(hint).split())
    assert "Druk dan op Enter. t = terug." in words
    term.press(CTRL_C)
    assert term.finish() == 130
