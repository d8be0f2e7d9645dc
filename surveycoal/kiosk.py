"""The kiosk: one laptop at a meeting, participants answering one after another.

The lead starts it once with a stop word. Each participant gets a fresh session
without a code. Between participants the screen and the terminal's scrollback
are cleared, so nobody can scroll back to the previous person's answers. When
nobody presses a key for ``idle`` seconds (60 by default) the screen is cleared and
the participant asked whether they are still there; without an answer within
``still_there`` seconds (30) their unfinished answers are discarded or kept as
incomplete (the round's ``incomplete_policy``) and the first screen returns. So
the next person at the laptop cannot go back to someone else's answers. Ctrl-C asks for the stop word: only the lead can leave the kiosk. The
keys that would stop or pause the program behind the questionnaire's back
(Ctrl-\\ quits, Ctrl-Z suspends to the lead's shell) are switched off while the
kiosk runs.

Answers in progress live in memory only: there is no code to resume them with.
"""

from __future__ import annotations

import hmac
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum

from surveycoal import texts
from surveycoal.answering import Session
from surveycoal.codes import panel_key_hash
from surveycoal.errors import InputError
from surveycoal.i18n import _
from surveycoal.prompt import IdleTimeout, Option, Screen, run_questionnaire
from surveycoal.store import Store, get_round, require_answerable
from surveycoal.store.answering import submit_anonymous

MIN_STOP_WORD = 4


class Outcome(StrEnum):
    SENT = "sent"
    KEPT = "kept"  # unfinished, kept as incomplete
    DISCARDED = "discarded"
    EMPTY = "empty"  # nobody really started: nothing to count
    STOP = "stop"


@dataclass
class KioskTally:
    """What happened at this kiosk: the lead sees only these counts."""

    sent: int = 0
    kept_incomplete: int = 0
    discarded: int = 0

    @property
    def answered(self) -> int:
        return self.sent + self.kept_incomplete


#: Seconds without a key press before "are you still there?", and how long that waits.
#: Short, so that the next person at the laptop cannot go back to the answers of
#: someone who walked away.
IDLE_SECONDS = 60.0
STILL_THERE_SECONDS = 30.0


def _say(key: str, lang: str | None, **values: object) -> str:
    """A text in the kiosk's language, or in every language when none was chosen."""
    if lang is None:
        return texts.both_lines(key, **values)
    return texts.text(key, lang, **values)


def check_stop_word(word: str, lang: str | None = None) -> str | None:
    """A problem with a chosen stop word, or None when it will do."""
    if len(word.strip()) < MIN_STOP_WORD:
        return _say("stop_word_short", lang, count=MIN_STOP_WORD)
    return None


def choose_stop_word(screen: Screen, lang: str | None = None, *, attempts: int = 3) -> str:
    """The lead's stop word: typed hidden, twice, then shown as dots with its length.

    A word that is refused is thrown away whole (the next one starts on an empty
    line), so the lead always knows the word that counts.
    """
    for _attempt in range(attempts):
        word = screen.ask_text(_say("stop_word_choose", lang), secret=True).strip()
        problem = check_stop_word(word, lang)
        if problem is not None:
            screen.show(problem)
            continue
        again = screen.ask_text(_say("stop_word_again", lang), secret=True).strip()
        if hmac.compare_digest(again.encode(), word.encode()):
            screen.show(_say("stop_word_set", lang, dots="•" * len(word), count=len(word)))
            return word
        screen.show(_say("stop_word_differ", lang))
    raise InputError(
        _("The stop word was not set after {count} tries; the kiosk did not start.").format(
            count=attempts
        ),
        hint=_(
            "Start the kiosk again and type the same word of at least {count} characters twice."
        ).format(count=MIN_STOP_WORD),
    )


class Kiosk:
    """Runs participants one after another until the lead stops it.

    Parameters
    ----------
    store, ref : the database and the round (``SLUG/N``).
    screen : where the questionnaire is shown.
    stop_word : what the lead types to leave the kiosk.
    lang : preselect a language for everyone (otherwise each participant chooses).
    idle : seconds without a key press before "are you still there?".
    still_there : seconds that question waits before the answers are given up.
    pause : seconds the thank-you screen stays before the next person's screen
        (None: until Enter is pressed).
    on_participant : called with the tally after each participant (for the lead's display).
    """

    def __init__(
        self,
        store: Store,
        ref: str,
        screen: Screen,
        *,
        stop_word: str,
        lang: str | None = None,
        idle: float = IDLE_SECONDS,
        still_there: float = STILL_THERE_SECONDS,
        pause: float | None = 15,
        on_participant: Callable[[KioskTally], None] | None = None,
    ) -> None:
        problem = check_stop_word(stop_word)
        if problem is not None:
            raise InputError(problem)
        if idle <= 0 or still_there <= 0:
            raise InputError("The idle times must be more than 0 seconds.")
        self.store = store
        self.ref = ref
        self.screen = screen
        self._stop_word = stop_word.strip()
        self.lang = lang
        self.idle = idle
        self.still_there = still_there
        self.pause = pause
        self.on_participant = on_participant
        self.tally = KioskTally()
        self._secret = store.hash_key()
        require_answerable(get_round(store, ref))

    def run(self) -> KioskTally:
        """Serve participants until the lead types the stop word (or input ends)."""
        with lead_only_exit():
            while True:
                try:
                    outcome = self.serve_one()
                except KeyboardInterrupt:
                    # Ctrl-C between two screens, where the terminal turns it into a
                    # signal: the same question as during a screen.
                    if not self._lead_stops():
                        continue
                    self.screen.clear()
                    outcome = Outcome.STOP
                if self.on_participant is not None:
                    self.on_participant(self.tally)
                if outcome is Outcome.STOP:
                    return self.tally

    def _new_session(self) -> Session:
        round_ = get_round(self.store, self.ref)
        require_answerable(round_)
        return Session(
            round_,
            lang=self.lang,
            submit=lambda response: submit_anonymous(self.store, self.ref, response),
            panel_hasher=lambda answers: panel_key_hash(self._secret, answers),
        )

    def serve_one(self) -> Outcome:
        """One participant, from the first screen to thank you (or giving up)."""
        screen = self.screen
        session = self._new_session()
        screen.clear()
        languages = (self.lang,) if self.lang else texts.LANGUAGES
        screen.show(
            "\n".join(
                texts.count_text("kiosk_answered", lang, self.tally.answered) for lang in languages
            )
        )
        screen.show()
        while True:
            try:
                run_questionnaire(session, screen, idle=self.idle, greet_resumed=False)
            except IdleTimeout:
                # Off the screen first: a passer-by must not read the answers so far.
                screen.clear()
                if session.state.is_empty or not self._still_there(session):
                    return self._give_up(session)
                continue
            except KeyboardInterrupt:
                if self._lead_stops():
                    self._give_up(session)
                    return Outcome.STOP
                continue
            except EOFError:  # the input is gone: nobody can go on
                self._give_up(session)
                return Outcome.STOP
            break
        self.tally.sent += 1
        screen.clear()
        screen.show(texts.text("thanks", session.lang))
        lang = session.lang
        try:
            screen.choose(
                texts.text("next_person", lang),
                [Option("next", texts.text("next_person_ok", lang), "1")],
                default="next",  # no answer to give: Enter goes on
                instruction=None if screen.plain else texts.text("choose_keys", lang),
                idle=self.pause,
                retry=texts.text("next_person", lang),
                echo=False,
            )
        except IdleTimeout:
            pass
        except (KeyboardInterrupt, EOFError):
            if self._lead_stops():
                screen.clear()
                return Outcome.STOP
        return Outcome.SENT

    def _still_there(self, session: Session) -> bool:
        lang = session.lang
        try:
            self.screen.choose(
                texts.text("still_there", lang),
                [Option("yes", texts.text("still_there_yes", lang), "1")],
                default="yes",  # no answer to give: Enter goes on
                instruction=None if self.screen.plain else texts.text("choose_keys", lang),
                idle=self.still_there,
                retry=texts.text("choose_number", lang),
                echo=False,
            )
        except (IdleTimeout, EOFError):
            return False
        except KeyboardInterrupt:
            return True  # somebody is there; the question shows again
        return True

    def _lead_stops(self) -> bool:
        """Ask for the stop word; True only when the lead typed it."""
        try:
            typed = self.screen.ask_text(
                (texts.text("stop_word", self.lang) if self.lang else texts.both("stop_word"))
                + ":",
                secret=True,
                idle=self.idle,
            )
        except (IdleTimeout, KeyboardInterrupt):
            return False
        except EOFError:
            return True
        return hmac.compare_digest(typed.strip().encode(), self._stop_word.encode())

    def _give_up(self, session: Session) -> Outcome:
        """Keep or discard unfinished answers as the round says, and clear the screen."""
        self.screen.clear()
        if session.submitted:
            return Outcome.SENT
        if session.round.incomplete_policy == "keep" and session.can_keep_partial:
            submit_anonymous(self.store, self.ref, session.response(complete=False))
            self.tally.kept_incomplete += 1
            return Outcome.KEPT
        if session.state.is_empty:
            return Outcome.EMPTY
        self.tally.discarded += 1
        return Outcome.DISCARDED


#: Signals a participant could send from the keyboard to leave the kiosk without the
#: stop word: Ctrl-\ (quit) and Ctrl-Z (suspend, back to the lead's shell). Ctrl-C
#: stays: it asks for the stop word.
_KEYBOARD_EXITS = tuple(
    getattr(signal, name) for name in ("SIGQUIT", "SIGTSTP") if hasattr(signal, name)
)


@contextmanager
def lead_only_exit() -> Iterator[None]:
    """Ignore the keyboard's quit and suspend signals while the kiosk runs.

    questionary's screens read those keys as plain keys, but a plain-text screen
    (``--plain``) and the moments between two screens leave the terminal to send
    them as signals. Only the main thread can set signal handlers; elsewhere
    (tests running a kiosk in a thread) nothing changes.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    saved = {sig: signal.signal(sig, signal.SIG_IGN) for sig in _KEYBOARD_EXITS}
    try:
        yield
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)
