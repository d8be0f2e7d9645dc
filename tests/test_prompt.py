"""Whole questionnaires answered through the screens, driven by pipe input.

prompt_toolkit's ``create_pipe_input`` feeds key presses to the questionary
screens; keys not used by one question wait (as typeahead) for the next.
"""

from __future__ import annotations

import io
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from answering_fixtures import (
    CTRL_C,
    DOWN,
    ENTER,
    UP,
    count_rows,
    make_instrument,
    open_test_round,
    pipe_session,
    stored_open_answers,
    stored_responses,
)

from surveycoal.answering import Session, StepKind
from surveycoal.codes import CodeRejected, panel_key_hash
from surveycoal.kiosk import Kiosk, KioskTally
from surveycoal.prompt import (
    CLEAR_SCREEN,
    PlainScreen,
    ask_code,
    run_questionnaire,
    show_step,
)
from surveycoal.store.answering import (
    create_invitations,
    find_invitation,
    load_draft,
    save_draft,
    submit_with_code,
)


def _code_session(store: Any, code: str, **options: Any) -> Session:
    invitation = find_invitation(store, code)
    secret = store.hash_key()
    return Session(
        invitation.round,
        state=load_draft(store, invitation.code_hash),
        save=lambda state: save_draft(store, invitation.code_hash, state),
        submit=lambda response: submit_with_code(store, invitation.code_hash, response),
        panel_hasher=lambda answers: panel_key_hash(secret, answers),
        **options,
    )


def _answers(store: Any) -> list[dict[str, int | None]]:
    return [r["answers"] for r in stored_responses(store)]


def test_a_whole_questionnaire_with_number_keys_dont_know_back_and_an_open_question(store) -> None:  # type: ignore[no-untyped-def]
    round_ = open_test_round(store)
    (code,) = create_invitations(store, round_.ref, 1)
    session = _code_session(store, code)
    with pipe_session() as (pipe, screen):
        pipe.send_text(
            "2"
            + ENTER  # English
            + "1"
            + ENTER  # start
            + "1"
            + ENTER  # resident initiative
            + "4"
            + ENTER  # trust_1: agree
            + "0"
            + ENTER  # trust_2: don't know
            + "b"
            + ENTER  # back to trust_2
            + "2"
            + ENTER  # trust_2: disagree
            + DOWN
            + DOWN
            + DOWN
            + ENTER  # equality_1: nothing chosen, the first down is 1, three down is 3
            + "5"
            + UP
            + ENTER  # equality_2: 5, then one up is 4
            + "Vaker samen eten"
            + ENTER
            + "s"
            + ENTER  # send
        )
        run_questionnaire(session, screen)
    assert session.submitted
    assert stored_responses(store) == [
        {
            "member_type": "resident_initiative",
            "panel_key_hash": None,
            "complete": True,
            "answers": {"trust_1": 4, "trust_2": 2, "equality_1": 3, "equality_2": 4},
        }
    ]
    assert stored_open_answers(store) == ["Vaker samen eten"]
    assert count_rows(store, "drafts") == 0


def test_enter_alone_answers_nothing_and_dont_know_is_stored_as_dont_know(store) -> None:  # type: ignore[no-untyped-def]
    round_ = open_test_round(store)
    (code,) = create_invitations(store, round_.ref, 1)
    session = _code_session(store, code, lang="nl")
    with pipe_session() as (pipe, screen):
        # Every screen gets an extra Enter first, the way people press it twice.
        pipe.send_text(
            ENTER
            + "1"
            + ENTER  # start
            + ENTER
            + "2"
            + ENTER  # member type: nothing chosen until "2"
            + ENTER
            + "0"
            + ENTER  # trust_1: don't know
            + ENTER
            + "1"
            + ENTER
            + ENTER
            + "0"
            + ENTER
            + ENTER
            + "1"
            + ENTER
            + ENTER  # the open question is optional: Enter skips it
            + ENTER
            + "v"
            + ENTER  # the summary sends only when Send is chosen
        )
        run_questionnaire(session, screen)
    (stored,) = stored_responses(store)
    # Don't know is NULL, never a value; no Enter alone chose anything.
    assert stored["answers"] == {"trust_1": None, "trust_2": 1, "equality_1": None, "equality_2": 1}
    assert stored["member_type"] == "welfare_organisation"


def test_ctrl_c_keeps_every_answer_and_the_same_code_resumes_at_the_next_question(store) -> None:  # type: ignore[no-untyped-def]
    round_ = open_test_round(store)
    (code,) = create_invitations(store, round_.ref, 1)
    first = _code_session(store, code)
    with pipe_session() as (pipe, screen), pytest.raises(KeyboardInterrupt):
        pipe.send_text("1" + ENTER + "1" + ENTER + "2" + ENTER + "5" + ENTER + "4" + ENTER + CTRL_C)
        run_questionnaire(first, screen)
    assert load_draft(store, find_invitation(store, code).code_hash)["answers"] == {
        "trust_1": 5,
        "trust_2": 4,
    }
    again = _code_session(store, code)
    assert again.resumed and again.lang == "nl"
    assert again.step.item is not None and again.step.item.id == "equality_1"
    with pipe_session() as (pipe, screen):
        pipe.send_text("t" + ENTER + ENTER + "1" + ENTER + "2" + ENTER + ENTER + "v" + ENTER)
        run_questionnaire(again, screen)
    # Back from the first unanswered question shows trust_2 with its answer preselected.
    assert _answers(store) == [{"trust_1": 5, "trust_2": 4, "equality_1": 1, "equality_2": 2}]


def test_the_summary_can_change_an_earlier_answer(store) -> None:  # type: ignore[no-untyped-def]
    round_ = open_test_round(store)
    (code,) = create_invitations(store, round_.ref, 1)
    session = _code_session(store, code, lang="en")
    with pipe_session() as (pipe, screen):
        pipe.send_text(
            "1"
            + ENTER
            + "1"
            + ENTER
            + "3"
            + ENTER
            + "3"
            + ENTER
            + "3"
            + ENTER
            + "3"
            + ENTER
            + ENTER  # no open answer
            + "2"
            + ENTER  # the summary: question 2, by the number it had
            + "5"
            + ENTER  # back at the summary
            + "s"
            + ENTER
        )
        run_questionnaire(session, screen)
    assert _answers(store) == [{"trust_1": 3, "trust_2": 5, "equality_1": 3, "equality_2": 3}]


def test_an_open_answer_that_is_too_long_is_refused_until_shortened(store) -> None:  # type: ignore[no-untyped-def]
    round_ = open_test_round(store)
    session = Session(round_, lang="en")
    with pipe_session() as (pipe, screen):
        pipe.send_text(
            "1"
            + ENTER
            + "1"
            + ENTER
            + ("1" + ENTER) * 4
            + "x" * 250
            + ENTER  # refused: at most 200
            + "\x15"  # Ctrl-U empties the line
            + "  Short  and sweet "
            + ENTER
        )
        while session.step.kind is not StepKind.SUMMARY:
            show_step(session, screen)
    assert session.state.open_answers == {"tips": "Short and sweet"}


def test_the_panel_key_gives_the_same_hash_in_the_next_round(store) -> None:  # type: ignore[no-untyped-def]
    from surveycoal.store import close_round

    for typed_name in ("Olga", " ÖL"):
        round_ = open_test_round(store, link_rounds=True)
        (code,) = create_invitations(store, round_.ref, 1)
        session = _code_session(store, code, lang="nl")
        with pipe_session() as (pipe, screen):
            pipe.send_text(
                "1"
                + ENTER
                + "1"
                + ENTER
                + "1"
                + ENTER  # yes, make my key
                + typed_name
                + ENTER
                + "7"
                + ENTER
                + "apeldoorn"
                + ENTER
                + "2"
                + ENTER
                + ("3" + ENTER) * 4
                + ENTER
                + "v"
                + ENTER
            )
            run_questionnaire(session, screen)
        close_round(store, round_.ref)
    hashes = [r["panel_key_hash"] for r in stored_responses(store)]
    assert len(hashes) == 2 and hashes[0] == hashes[1] and len(hashes[0]) == 64


def test_an_impossible_panel_answer_is_asked_again(store) -> None:  # type: ignore[no-untyped-def]
    round_ = open_test_round(store, link_rounds=True)
    secret = store.hash_key()
    session = Session(round_, lang="en", panel_hasher=lambda a: panel_key_hash(secret, a))
    with pipe_session() as (pipe, screen):
        pipe.send_text(
            "1"
            + ENTER
            + "1"
            + ENTER
            + "1"
            + ENTER
            + "Ed"
            + ENTER
            + "40"
            + ENTER  # refused: no day 40
            + "\x15"
            + "4"
            + ENTER
            + "X"
            + ENTER
            + "0"
            + ENTER
        )
        while session.step.kind is not StepKind.ITEM:
            show_step(session, screen)
    expected = {"mother_name": "ED", "birth_day": "4", "birth_place": "X", "older_siblings": "0"}
    assert session.state.panel == panel_key_hash(secret, expected)


def test_back_from_a_panel_question_returns_to_the_panel_choice(store) -> None:  # type: ignore[no-untyped-def]
    round_ = open_test_round(store, link_rounds=True)
    session = Session(round_, lang="nl", panel_hasher=lambda a: "0" * 64)
    with pipe_session() as (pipe, screen):
        pipe.send_text(
            "1" + ENTER  # start
            + "1" + ENTER  # member type
            + "1" + ENTER  # yes, make a key
            + "Ed" + ENTER
            + "terug" + ENTER  # back: the choice again
            + "2" + ENTER  # no key after all
        )  # fmt: skip
        while session.step.kind is not StepKind.ITEM:
            show_step(session, screen)
    assert session.state.panel == "skipped"


def test_ctrl_d_in_a_text_question_acts_like_ctrl_c(store) -> None:  # type: ignore[no-untyped-def]
    round_ = open_test_round(store)
    session = Session(round_, lang="en")
    with pipe_session() as (pipe, screen), pytest.raises(KeyboardInterrupt):
        pipe.send_text("1" + ENTER + "1" + ENTER + ("2" + ENTER) * 4 + "\x04")
        run_questionnaire(session, screen)
    assert session.step.kind is StepKind.OPEN


def test_ask_code_asks_again_after_a_typing_error(store) -> None:  # type: ignore[no-untyped-def]
    round_ = open_test_round(store)
    (code,) = create_invitations(store, round_.ref, 1)
    wrong = code[:-1] + ("A" if code[-1] != "A" else "C")
    with pipe_session() as (pipe, screen):
        pipe.send_text(wrong + ENTER + code.lower().replace("-", "") + ENTER)
        invitation = ask_code(screen, lambda typed: find_invitation(store, typed))
    assert invitation.round.ref == round_.ref
    with pipe_session() as (pipe, screen), pytest.raises(CodeRejected) as caught:
        pipe.send_text(("o" + ENTER) * 3)
        ask_code(screen, lambda typed: find_invitation(store, typed))
    assert caught.value.reason == "symbol"


# -- plain mode -------------------------------------------------------------------


def test_plain_mode_reads_numbers_and_writes_no_escape_sequences(store) -> None:  # type: ignore[no-untyped-def]
    round_ = open_test_round(store)
    (code,) = create_invitations(store, round_.ref, 1)
    session = _code_session(store, code)
    typed = "\n".join(
        [
            "3",  # not a language: asked again
            "1",  # Nederlands
            "9",  # not an option: asked again, now in Dutch only
            "1",  # start
            "2",  # welfare organisation
            "4",
            "0",  # don't know
            "t",  # back
            "",  # Enter keeps the preselected "don't know"
            "5.",  # a trailing dot is fine
            "1",
            "  Meer overleg  ",
            "",  # Enter alone does not send
            "v",  # send
        ]
    )
    out = io.StringIO()
    run_questionnaire(session, PlainScreen(io.StringIO(typed + "\n"), out))
    shown = out.getvalue()
    assert "\x1b" not in shown
    # No arrow for a screen reader to read out in front of "previous question".
    assert (
        "vraag 3 van 4" in shown and "  0. Weet ik niet" in shown and "  t. Vorige vraag" in shown
    )
    assert "←" not in shown
    # Before the language is chosen the retry is in both languages, after it in Dutch,
    # naming the key for back.
    assert shown.count("Typ een nummer van de lijst en druk op Enter.") == 3
    assert shown.count("Type a number from the list and press Enter.") == 1
    assert shown.count("Typ een nummer van de lijst en druk op Enter. t = terug.") == 2
    # A kept answer is said in words, not as "[0] >".
    assert "Je vorige antwoord: Weet ik niet. Enter houdt het." in shown
    assert "[0]" not in shown
    # The summary: each answer in full, numbered as the questions were.
    assert "  2. Ik vertrouw de anderen. (antwoord: Weet ik niet)" in shown
    assert "  v. Versturen" in shown
    assert _answers(store) == [{"trust_1": 4, "trust_2": None, "equality_1": 5, "equality_2": 1}]
    assert stored_open_answers(store) == ["Meer overleg"]


def test_plain_mode_summary_opens_the_question_by_the_number_it_had(store) -> None:  # type: ignore[no-untyped-def]
    round_ = open_test_round(store)
    (code,) = create_invitations(store, round_.ref, 1)
    session = _code_session(store, code, lang="en")
    typed = "\n".join(["1", "1", "2", "2", "2", "2", "", "3", "5", "s"]) + "\n"
    out = io.StringIO()
    run_questionnaire(session, PlainScreen(io.StringIO(typed), out))
    shown = out.getvalue()
    # "3" on the summary is question 3 (equality_1), shown once with that number.
    assert "  3. Residents take part in decisions. (answer: Disagree)" in shown
    assert "3. 2." not in shown and "4. 3." not in shown
    assert _answers(store) == [{"trust_1": 2, "trust_2": 2, "equality_1": 5, "equality_2": 2}]


def test_plain_mode_stops_when_input_ends_and_keeps_the_draft(store) -> None:  # type: ignore[no-untyped-def]
    round_ = open_test_round(store)
    (code,) = create_invitations(store, round_.ref, 1)
    session = _code_session(store, code, lang="en")
    with pytest.raises(EOFError):
        run_questionnaire(session, PlainScreen(io.StringIO("1\n1\n4\n"), io.StringIO()))
    assert load_draft(store, find_invitation(store, code).code_hash)["answers"] == {"trust_1": 4}


def test_plain_text_never_breaks_a_sentence_on_a_narrow_screen(store) -> None:  # type: ignore[no-untyped-def]
    from surveycoal import texts

    round_ = open_test_round(store, link_rounds=True)
    session = Session(round_, lang="nl", panel_hasher=lambda answers: "0" * 64)
    out = io.StringIO()
    typed = "1\n1\n2\n" + "3\n" * 4 + "\nv\n"
    run_questionnaire(session, PlainScreen(io.StringIO(typed), out, width=40))
    # The typed answers are not echoed here, so the next text follows the "> " prompt.
    lines = [re.sub(r"^> ", "", line).strip() for line in out.getvalue().splitlines()]
    assert session.submitted
    # A screen reader reads a line as a whole: every sentence of the long texts is
    # one line of its own, never half a sentence.
    for key in ("welcome_anonymous", "welcome_linking", "panel_intro"):
        for sentence in re.split(r"(?<=[.!?])\s+", texts.text(key, "nl")):
            assert sentence in lines, sentence


def test_questionary_screens_break_long_texts_between_words() -> None:
    from prompt_toolkit.data_structures import Size

    from surveycoal.prompt import QuestionaryScreen, fit_prompt

    output = _Recorder()
    output.get_size = lambda: Size(rows=24, columns=41)
    screen = QuestionaryScreen(output=output)
    screen.show(
        "Met deze vragen kijken we hoe de samenwerking gaat: vertrouwen en gelijkwaardigheid."
    )
    shown = "".join(output.written).replace("\r", "")
    assert [line for line in shown.split("\n") if line] == [
        "Met deze vragen kijken we hoe de",
        "samenwerking gaat: vertrouwen en",
        "gelijkwaardigheid.",
    ]
    question = "(vraag 7 van 32) Bewoners bepalen welke onderwerpen op de agenda komen."
    fitted = fit_prompt(question, "(pijltjes of 1-5, dan Enter)", screen.width)
    assert all(len(line) <= screen.width - 2 for line in fitted.split("\n"))
    assert fitted.endswith("\n")  # the instruction gets a line of its own
    assert " ".join(fitted.split()) == question


# -- the kiosk --------------------------------------------------------------------


class _Recorder:
    """A DummyOutput that keeps what is written: text, and raw (the clear-screen sequence)."""

    def __new__(cls) -> Any:
        from prompt_toolkit.output import DummyOutput

        class Recording(DummyOutput):
            def __init__(self) -> None:
                self.raw: list[str] = []
                self.written: list[str] = []

            def write(self, data: str) -> None:
                self.written.append(data)

            def write_raw(self, data: str) -> None:
                self.raw.append(data)

        return Recording()


@dataclass
class _Probe:
    """What a script step can wait for: the tallies so far and the text shown."""

    tallies: list[KioskTally]
    output: Any

    def shown(self, text: str) -> bool:
        return text in "".join(self.output.written)


#: A script step waits for a number of seconds, or until a condition on the probe holds.
Step = tuple[float | Callable[[_Probe], bool], str]
#: How long a kiosk test may run before its input is closed (the kiosk then stops):
#: a kiosk that never stops makes the test fail, not hang.
DEADLINE = 60.0


def _after_participants(count: int) -> Callable[[_Probe], bool]:
    return lambda probe: len(probe.tallies) >= count


def _run_kiosk_in_pipe(store: Any, ref: str, script: list[Step], **options: Any):  # type: ignore[no-untyped-def]
    """Run a kiosk on pipe input, typing each step's keys once its wait is over.

    Waiting for what the kiosk did (a participant finished, a question shown)
    instead of for fixed times keeps the test right on a busy machine.
    """
    from prompt_toolkit.application import create_app_session
    from prompt_toolkit.input import create_pipe_input

    from surveycoal.prompt import QuestionaryScreen

    output = _Recorder()
    tallies: list[KioskTally] = []
    probe = _Probe(tallies, output)
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=output):
        kiosk = Kiosk(
            store,
            ref,
            QuestionaryScreen(pipe, output, guard=0),
            stop_word="koffie",
            on_participant=lambda t: tallies.append(KioskTally(**vars(t))),
            **options,
        )
        finished = threading.Event()
        unmet: list[int] = []

        def feed() -> None:
            for number, (wait, text) in enumerate(script):
                if callable(wait):
                    if not _wait_for(lambda wait=wait: wait(probe), finished):  # type: ignore[misc]
                        unmet.append(number)
                        return
                else:
                    time.sleep(wait)
                pipe.send_text(text)

        def close_when_late() -> None:
            if not finished.wait(DEADLINE):
                pipe.close()

        feeder = threading.Thread(target=feed, daemon=True)
        watchdog = threading.Thread(target=close_when_late, daemon=True)
        feeder.start()
        watchdog.start()
        try:
            tally = kiosk.run()
        finally:
            finished.set()
        feeder.join(timeout=5)
    assert not unmet, f"the kiosk never reached script step {unmet[0]}"
    return tally, output.raw, tallies


def _wait_for(condition: Callable[[], bool], finished: threading.Event) -> bool:
    end = time.monotonic() + DEADLINE
    while not condition():
        if finished.is_set() or time.monotonic() > end:
            return False
        time.sleep(0.02)
    return True


ONE_PARTICIPANT = "1" + ENTER + "1" + ENTER + "1" + ENTER + ("4" + ENTER) * 4 + ENTER + "v" + ENTER
STILL_THERE = "Ben je er nog"


def test_kiosk_serves_participants_in_a_row_and_clears_the_screen_between(store) -> None:  # type: ignore[no-untyped-def]
    round_ = open_test_round(store)
    script: list[Step] = [
        (0, ONE_PARTICIPANT + ENTER),  # the last Enter: "next person"
        (0, ONE_PARTICIPANT + ENTER),
        # A wrong stop word: the kiosk goes on; then the right one.
        (_after_participants(2), CTRL_C + "thee" + ENTER + CTRL_C + "koffie" + ENTER),
    ]
    tally, raw, tallies = _run_kiosk_in_pipe(store, round_.ref, script, idle=30, pause=None)
    assert tally == KioskTally(sent=2)
    assert count_rows(store, "responses") == 2
    # Cleared before each participant and after each thank-you.
    assert raw.count(CLEAR_SCREEN) >= 5
    assert [t.sent for t in tallies] == [1, 2, 2]


def test_an_idle_kiosk_participant_is_asked_then_discarded(store) -> None:  # type: ignore[no-untyped-def]
    round_ = open_test_round(store, incomplete_policy="discard")
    script: list[Step] = [
        (0, "1" + ENTER + "1" + ENTER + "1" + ENTER + "2" + ENTER),  # one answer, walks away
        (_after_participants(1), CTRL_C + "koffie" + ENTER),
    ]
    tally, raw, tallies = _run_kiosk_in_pipe(
        store, round_.ref, script, idle=1.0, still_there=0.5, pause=None
    )
    assert tally == KioskTally(discarded=1)
    assert count_rows(store, "responses") == 0
    assert tallies[0] == KioskTally(discarded=1)


def test_an_idle_kiosk_participant_is_kept_as_incomplete_when_the_round_says_so(store) -> None:  # type: ignore[no-untyped-def]
    round_ = open_test_round(store, incomplete_policy="keep")
    script: list[Step] = [
        (0, "2" + ENTER + "1" + ENTER + "2" + ENTER + "5" + ENTER + "0" + ENTER),
        (_after_participants(1), CTRL_C + "koffie" + ENTER),
    ]
    tally, _, _ = _run_kiosk_in_pipe(
        store, round_.ref, script, idle=1.0, still_there=0.5, pause=None
    )
    assert tally == KioskTally(kept_incomplete=1)
    (stored,) = stored_responses(store)
    assert not stored["complete"] and stored["member_type"] == "welfare_organisation"
    assert stored["answers"] == {"trust_1": 5, "trust_2": None}


def test_a_kiosk_participant_who_is_still_there_goes_on(store) -> None:  # type: ignore[no-untyped-def]
    round_ = open_test_round(store, incomplete_policy="discard")
    script: list[Step] = [
        (0, "1" + ENTER + "1" + ENTER + "1" + ENTER + "2" + ENTER),
        (lambda probe: probe.shown(STILL_THERE), ENTER),  # "are you still there?" -> yes
        (0, ("3" + ENTER) * 3 + ENTER + "v" + ENTER + ENTER),
        (_after_participants(1), CTRL_C + "koffie" + ENTER),
    ]
    tally, _, _ = _run_kiosk_in_pipe(
        store, round_.ref, script, idle=1.0, still_there=30, pause=None
    )
    assert tally == KioskTally(sent=1)
    assert _answers(store) == [{"trust_1": 2, "trust_2": 3, "equality_1": 3, "equality_2": 3}]


def test_the_kiosk_needs_a_real_stop_word(store) -> None:  # type: ignore[no-untyped-def]
    from surveycoal.errors import InputError

    round_ = open_test_round(store)
    with pytest.raises(InputError, match="minstens"):
        Kiosk(store, round_.ref, PlainScreen(io.StringIO(), io.StringIO()), stop_word="ab")


def test_the_shipped_questionnaire_can_be_answered_from_start_to_end(store) -> None:  # type: ignore[no-untyped-def]
    from surveycoal import store as st
    from surveycoal.instruments import load_instrument

    instrument = load_instrument("coalition-health")
    st.add_coalition(store, "Noord Samen")
    round_ = st.open_round(store, "noord-samen", instrument)
    from surveycoal.store.answering import submit_anonymous

    session = Session(round_, lang="nl", submit=lambda r: submit_anonymous(store, round_.ref, r))
    items = len(instrument.items)
    with pipe_session() as (pipe, screen):
        pipe.send_text(
            "1" + ENTER
            + "3" + ENTER
            + "".join(f"{n % 6}" + ENTER for n in range(items))
            + ENTER * len(instrument.open_questions)
            + "v" + ENTER
        )  # fmt: skip
        run_questionnaire(session, screen)
    (stored,) = stored_responses(store)
    assert stored["member_type"] == instrument.member_types[2].id
    assert len(stored["answers"]) == items
    assert sum(v is None for v in stored["answers"].values()) == len(range(0, items, 6))


# -- every text in the participant's language -------------------------------------


def test_every_participant_text_exists_in_every_language() -> None:
    from surveycoal import texts

    for key, entry in texts.TEXTS.items():
        assert set(entry) == set(texts.LANGUAGES), key
        assert all(entry[lang].strip() for lang in texts.LANGUAGES), key


def test_a_dutch_questionnaire_and_kiosk_show_no_english(store) -> None:  # type: ignore[no-untyped-def]
    """Every screen in Dutch, the toolkit's own hints included ("Use arrow keys")."""
    from prompt_toolkit.application import create_app_session
    from prompt_toolkit.input import create_pipe_input

    from surveycoal import texts
    from surveycoal.kiosk import choose_stop_word
    from surveycoal.prompt import QuestionaryScreen

    round_ = open_test_round(store, link_rounds=True)
    secret = store.hash_key()
    output = _Recorder()
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=output):
        screen = QuestionaryScreen(pipe, output, guard=0)
        pipe.send_text(
            "ab" + ENTER + "koffie" + ENTER + "koffie" + ENTER  # the stop word, once refused
            + ENTER + "1" + ENTER  # welcome: Enter alone first
            + "1" + ENTER
            + "1" + ENTER + "Ed" + ENTER + "4" + ENTER + "X" + ENTER + "0" + ENTER
            + "3" + ENTER + "0" + ENTER + "t" + ENTER + ENTER + "3" + ENTER + "3" + ENTER
            + "t" + ENTER + ENTER  # back from the open question, and forward again
            + "Meer koffie" + ENTER
            + ENTER + "v" + ENTER
        )  # fmt: skip
        assert choose_stop_word(screen, "nl") == "koffie"
        session = Session(round_, lang="nl", panel_hasher=lambda a: panel_key_hash(secret, a))
        run_questionnaire(session, screen)
    assert session.submitted
    shown = " ".join("".join(output.written).split())
    english_only = {
        " ".join(entry["en"].split()).split("{")[0].strip()
        for entry in texts.TEXTS.values()
        if entry["en"] != entry["nl"]
    }
    found = sorted(text for text in english_only if len(text) > 3 and text in shown)
    assert found == []
    for stock in ("Use shortcuts", "Use arrow keys", "arrow keys", "(Y/n)", "Choose"):
        assert stock not in shown


def test_stored_text_reaches_the_participant_screen_as_text(store) -> None:  # type: ignore[no-untyped-def]
    """An escape sequence in a coalition's name cannot clear or retitle the screen."""
    from surveycoal import store as st
    from surveycoal.prompt import QuestionaryScreen

    hostile = "Zuid\x1b]0;gehackt\x07\x1b[2J Doet"
    st.add_coalition(store, hostile)
    slug = next(c.slug for c in st.list_coalitions(store) if c.name == hostile)
    round_ = st.open_round(store, slug, make_instrument())
    out = io.StringIO()
    session = Session(round_, lang="nl")
    with pytest.raises(EOFError):
        run_questionnaire(session, PlainScreen(io.StringIO(""), out))
    assert "\x1b" not in out.getvalue() and "\x07" not in out.getvalue()
    assert "Zuid␛]0;gehackt␇␛[2J Doet" in out.getvalue()
    recorder = _Recorder()
    QuestionaryScreen(output=recorder).show(f"Welkom bij {hostile}")
    assert "\x1b" not in "".join(recorder.written)
    # The welcome says how long the answers are kept.
    assert "24 maanden na het einde van deze ronde" in out.getvalue()
