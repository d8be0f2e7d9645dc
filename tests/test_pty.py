"""`surveycoal answer` and `surveycoal kiosk` in a real pseudo-terminal (pexpect).

PROMPT_TOOLKIT_NO_CPR=1 stops prompt_toolkit asking the terminal where the cursor
is; every escape sequence is sent in one write.
"""

from __future__ import annotations

import io
import time
from pathlib import Path
from typing import Any

import pytest
from answering_fixtures import new_database, stored_open_answers, stored_responses
from pty_fixtures import GUARD, make_codes, spawn

pexpect = pytest.importorskip("pexpect")

pytestmark = pytest.mark.pty

ENTER = "\r"
DOWN = "\x1b[B"
CLEAR = "\x1b[2J\x1b[3J\x1b[H"


def _spawn(db: Path, *args: str) -> Any:
    return spawn(db, *args)


def _press(child: Any, *keys: str, after: float = GUARD + 0.15) -> None:
    """Press keys once the screen just seen has passed its guard time."""
    time.sleep(after)
    for key in keys:
        child.send(key)


def _finish(child: Any) -> int:
    child.expect(pexpect.EOF)
    child.close()
    return int(child.exitstatus if child.exitstatus is not None else -1)


def _store(db: Path) -> Any:
    from surveycoal.store import open_store

    return open_store(db)


def _codes(db: Path, ref: str, count: int) -> list[str]:
    return make_codes(db, ref, count)


def test_answer_with_a_code_stop_with_ctrl_c_and_resume(tmp_path: Path) -> None:
    db = tmp_path / "pty.db"
    ref = new_database(db)
    (code,) = _codes(db, ref, 1)

    child = _spawn(db, "answer", code.lower())  # as the slip says: the code after "answer"
    child.expect("Kies je taal")
    _press(child, "1", ENTER)
    child.expect("Klaar om te beginnen")
    _press(child, "1", ENTER)
    child.expect("Hoe doe je mee")
    _press(child, "2", ENTER)
    child.expect("vraag 1 van 4")
    _press(child, "4", ENTER)
    child.expect("vraag 2 van 4")
    _press(child, "\x03")
    child.expect_exact(CLEAR)  # the answers so far leave the screen and its scrollback
    child.expect("bewaard")
    assert _finish(child) == 130

    child = _spawn(db, "answer")
    child.expect("code")
    _press(child, code.replace("-", " ") + ENTER)
    child.expect("Welkom terug")
    child.expect("vraag 2 van 4")
    _press(child, "0", ENTER)
    child.expect("vraag 3 van 4")
    _press(child, DOWN, DOWN, ENTER)
    child.expect("vraag 4 van 4")
    _press(child, "5", ENTER)
    child.expect("Wat kan beter")
    _press(child, "Vaker samen eten" + ENTER)
    child.expect("Versturen")
    _press(child, "v", ENTER)
    child.expect_exact(CLEAR)  # on a shared laptop the next person cannot scroll back
    child.expect("Dank je wel")
    assert _finish(child) == 0

    store = _store(db)
    try:
        assert stored_responses(store) == [
            {
                "member_type": "welfare_organisation",
                "panel_key_hash": None,
                "complete": True,
                "answers": {"trust_1": 4, "trust_2": None, "equality_1": 2, "equality_2": 5},
            }
        ]
        assert stored_open_answers(store) == ["Vaker samen eten"]
    finally:
        store.close()

    used = _spawn(db, "answer", "--code", code)
    used.expect("al ingevuld")
    assert _finish(used) == 1


def test_a_closed_round_says_it_is_closed(tmp_path: Path) -> None:
    from surveycoal.store import close_round

    db = tmp_path / "pty.db"
    ref = new_database(db)
    (code,) = _codes(db, ref, 1)
    store = _store(db)
    close_round(store, ref)
    store.close()
    child = _spawn(db, "answer", "--code", code)
    child.expect("gesloten")
    assert _finish(child) == 1


def test_plain_mode_in_a_terminal(tmp_path: Path) -> None:
    db = tmp_path / "pty.db"
    ref = new_database(db)
    (code,) = _codes(db, ref, 1)
    child = _spawn(db, "answer", "--plain", "--lang", "en", "--code", code)
    child.expect("1. Start")
    child.expect_exact("> ")
    for answer, then in [
        ("1", "Resident initiative"),
        ("1", "question 1 of 4"),
        ("3", "question 2 of 4"),
        ("3", "question 3 of 4"),
        ("3", "question 4 of 4"),
        ("3", "What could be better"),
        ("", "Choose Send"),
        ("s", "Thank you"),
    ]:
        child.sendline(answer)
        child.expect(then)
        if then != "Thank you":
            child.expect_exact("> ")  # a line typed before the prompt is not for this question
    assert _finish(child) == 0


def test_a_kiosk_serves_two_participants_and_clears_the_screen_between(tmp_path: Path) -> None:
    db = tmp_path / "pty.db"
    ref = new_database(db)
    child = _spawn(db, "kiosk", ref, "--idle-seconds", "60")
    child.expect("stop word")
    _press(child, "koffie" + ENTER)
    child.expect("again")
    _press(child, "koffie" + ENTER)

    answered_so_far = ["Hier heeft nog niemand geantwoord", "1 persoon heeft hier al geantwoord"]
    for person, (lang, member, value) in enumerate([("1", "1", "4"), ("2", "2", "2")]):
        child.expect_exact(CLEAR)
        child.expect(answered_so_far[person])  # the lead sees only how many answered
        child.expect("Kies je taal")
        _press(child, lang, ENTER)
        child.expect("Klaar om te beginnen" if lang == "1" else "Ready to start")
        _press(child, "1", ENTER)
        child.expect("Hoe doe je mee|How do you take part")
        _press(child, member, ENTER)
        for number in range(1, 5):
            child.expect(f"{number} (van|of) 4")
            _press(child, value, ENTER)
        child.expect("beter|better")
        _press(child, ENTER)
        child.expect("Versturen|Send")
        _press(child, "v" if lang == "1" else "s", ENTER)
        child.expect_exact(CLEAR)  # the answers leave the screen before the thank-you
        child.expect("Dank je wel|Thank you")
        _press(child, ENTER)

    child.expect_exact(CLEAR)
    child.expect("2 mensen hebben hier al geantwoord")
    child.expect("Kies je taal")
    _press(child, "\x03")
    child.expect("stop word")
    _press(child, "koffie" + ENTER)
    child.expect("2 sent")
    assert _finish(child) == 0

    store = _store(db)
    try:
        assert sorted(r["answers"]["trust_1"] for r in stored_responses(store)) == [2, 4]
    finally:
        store.close()


def test_a_plain_kiosk_hides_the_stop_word_and_gives_up_on_an_idle_participant(
    tmp_path: Path,
) -> None:
    db = tmp_path / "pty.db"
    ref = new_database(db)
    child = _spawn(
        db,
        "kiosk",
        ref,
        "--plain",
        "--lang",
        "nl",
        "--idle-seconds",
        "1",
        "--still-there-seconds",
        "1",
    )
    child.logfile_read = shown = io.StringIO()
    child.expect("Kies een stopwoord")
    child.sendline("geheimpje")
    child.expect("nog een keer")
    child.sendline("geheimpje")
    child.expect("•••••••••")  # shown as dots, with its length
    child.expect("9 tekens")
    for then, line in [
        ("1. Beginnen", "1"),
        ("Bewonersinitiatief", "1"),
        ("vraag 1 van 4", "4"),
    ]:
        child.expect(then)
        child.expect_exact("> ")
        child.sendline(line)
    child.expect("vraag 2 van 4")
    child.expect_exact("> ")
    child.send("Ha")  # typed, but never sent with Enter
    # Nobody answers: after 1 second "are you still there?", after 1 more the answers go.
    child.expect("Ben je er nog")
    child.expect_exact(CLEAR, timeout=5)
    child.expect("nog niemand")
    child.expect("1. Beginnen")
    child.expect_exact("> ")
    # What the last person left half typed is gone: "1" alone starts.
    child.sendline("1")
    child.expect("Bewonersinitiatief")
    child.sendintr()
    child.expect("Stopwoord")
    child.sendline("geheimpje")
    child.expect("1 discarded")
    assert _finish(child) == 0
    assert "geheimpje" not in shown.getvalue()  # the terminal never echoed the stop word
    assert "Stopwoord" in shown.getvalue()
    assert "stop word" not in shown.getvalue().split("discarded")[0]  # Dutch, as asked


def test_leaving_a_kiosk_needs_the_leads_stop_word(tmp_path: Path) -> None:
    db = tmp_path / "pty.db"
    ref = new_database(db)
    child = _spawn(db, "kiosk", ref, "--lang", "nl")
    child.expect("Kies een stopwoord")
    _press(child, "koffie" + ENTER)
    child.expect("nog een keer")
    _press(child, "kofie" + ENTER)  # a slip of the lead's finger: asked again
    child.expect("niet gelijk")
    child.expect("Kies een stopwoord")
    _press(child, "koffie" + ENTER)
    child.expect("nog een keer")
    _press(child, "koffie" + ENTER)
    child.expect("Klaar om te beginnen")
    # Quit and suspend keys do nothing; Ctrl-C asks for the stop word.
    _press(child, "\x1c", "\x1a")
    _press(child, "\x03")
    child.expect("Stopwoord")
    _press(child, "thee" + ENTER)  # a participant guessing: the kiosk goes on
    child.expect("Klaar om te beginnen")
    assert child.isalive()
    _press(child, "\x03")
    child.expect("Stopwoord")
    _press(child, "koffie" + ENTER)
    child.expect("stopped: 0 sent")
    assert _finish(child) == 0


def test_a_plain_kiosk_cannot_be_quit_from_the_keyboard(tmp_path: Path) -> None:
    """In plain mode the terminal turns Ctrl-\\ into a quit signal: the kiosk ignores it."""
    db = tmp_path / "pty.db"
    ref = new_database(db)
    child = _spawn(db, "kiosk", ref, "--plain", "--lang", "en")
    child.expect("Choose a stop word")
    child.sendline("koffie")
    child.expect("again")
    child.sendline("koffie")
    child.expect("1. Start")
    child.expect_exact("> ")
    child.sendcontrol("\\")  # quit
    child.sendcontrol("z")  # suspend
    child.sendline("1")
    child.expect("Resident initiative")  # still running, and the next screen shows
    assert child.isalive()
    child.sendintr()
    child.expect("\r\nThe lead's stop word")  # on a line of its own, not after the "^C"
    child.sendline("thee")
    child.expect("Resident initiative")
    child.expect_exact("> ")
    child.sendintr()
    child.expect("stop word")
    child.sendline("koffie")
    child.expect("stopped")
    assert _finish(child) == 0


def test_a_mistyped_code_is_asked_again_and_a_used_one_is_explained(tmp_path: Path) -> None:
    db = tmp_path / "pty.db"
    ref = new_database(db)
    (code,) = _codes(db, ref, 1)
    compact = code.replace("-", "")
    swapped = compact[1] + compact[0] + compact[2:]
    if swapped == compact:  # two equal symbols: change one instead
        swapped = compact[:-1] + next(c for c in "ACDEF" if c != compact[-1])

    child = _spawn(db, "answer", "--code", swapped)
    child.logfile_read = shown = io.StringIO()
    child.expect("Deze code klopt niet")
    child.expect("This code is not right")
    child.expect("Code:")
    _press(child, code + ENTER)
    child.expect("Kies je taal")
    _press(child, "\x03")
    assert _finish(child) == 130
    assert "Error" not in shown.getvalue()

    store = _store(db)
    try:
        from surveycoal.store import NewResponse
        from surveycoal.store.answering import find_invitation, submit_with_code

        invitation = find_invitation(store, code)
        submit_with_code(store, invitation.code_hash, NewResponse("resident_initiative", {}))
    finally:
        store.close()
    used = _spawn(db, "answer", "--code", code)
    used.logfile_read = shown = io.StringIO()
    used.expect("al ingevuld")
    used.expect("already")
    assert _finish(used) == 1
    # Said to the participant in their words, without a programmer's "Error:".
    assert "Error" not in shown.getvalue()
