"""The screens of the questionnaire: questionary prompts, or plain numbered text.

:func:`run_questionnaire` shows whatever :class:`~surveycoal.answering.Session`
asks for on a :class:`Screen`:

* :class:`QuestionaryScreen` uses questionary (arrow keys, number keys, colours).
  Its input and output can be injected, so tests drive it with prompt_toolkit's
  ``create_pipe_input`` and ``DummyOutput``.
* :class:`PlainScreen` prints numbered options and reads a line: no cursor keys,
  no colours, for screen readers and plain terminals.

Both raise :class:`KeyboardInterrupt` on Ctrl-C (questionary's ``unsafe_ask``),
:class:`EOFError` when input ends, and :class:`IdleTimeout` when ``idle`` seconds
pass without a key press (the kiosk uses this).
"""

from __future__ import annotations

import asyncio
import re
import select
import shutil
import sys
import textwrap
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol, TextIO, TypeVar

import questionary
from prompt_toolkit.application import Application
from prompt_toolkit.application.current import get_app_session
from prompt_toolkit.filters import Condition
from prompt_toolkit.formatted_text import FormattedText
from prompt_toolkit.input import Input
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent
from prompt_toolkit.output import Output
from prompt_toolkit.shortcuts import print_formatted_text

from surveycoal import codes, selector, texts
from surveycoal.answering import (
    Session,
    Step,
    StepKind,
    clean_text,
    estimated_minutes,
    localised,
)
from surveycoal.errors import InputError
from surveycoal.i18n import _
from surveycoal.safetext import shown

#: Clears the screen and the terminal's scrollback, then homes the cursor.
CLEAR_SCREEN = "\x1b[2J\x1b[3J\x1b[H"


T = TypeVar("T")


class IdleTimeout(Exception):
    """Nobody pressed a key for the given number of seconds."""


@dataclass(frozen=True)
class Option:
    """One answer on a choice screen: the value returned, its text and its key."""

    value: str
    title: str
    key: str


def numbered(pairs: Sequence[tuple[str, str]], *, start: int = 1) -> list[Option]:
    """Options keyed 1, 2, 3 ... in order."""
    return [Option(value, title, str(n)) for n, (value, title) in enumerate(pairs, start=start)]


def wrap(text: str, width: int) -> str:
    """Break each line of ``text`` between words to fit ``width`` columns.

    A terminal would break a long line anywhere, even inside a word ("gelijkw /
    aardigheid"), which is hard to read for someone who reads slowly.

    >>> print(wrap("Het gaat over vertrouwen en gelijkwaardigheid.", 24))
    Het gaat over vertrouwen
    en gelijkwaardigheid.
    """
    width = max(20, width)
    return "\n".join(
        textwrap.fill(line, width, break_on_hyphens=False) if len(line) > width else line
        for line in text.split("\n")
    )


def by_sentence(text: str, width: int) -> str:
    """Put each sentence of a line that is wider than ``width`` on a line of its own.

    Plain mode never breaks a line inside a sentence, so a screen reader reads
    whole sentences; a sentence that is wider still is left to the terminal.

    >>> print(by_sentence("Niet verplicht. Druk dan op Enter.", 20))
    Niet verplicht.
    Druk dan op Enter.
    """
    return "\n".join(
        _SENTENCE_END.sub("\n", line) if len(line) > width else line for line in text.split("\n")
    )


#: The space after a sentence's full stop, question or exclamation mark.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=\S)")


class Screen(Protocol):
    """What the questionnaire needs from a screen."""

    plain: bool

    @property
    def width(self) -> int: ...

    def show(self, text: str = "", *, bold: bool = False) -> None: ...

    def clear(self) -> None: ...

    def choose(
        self,
        message: str,
        options: Sequence[Option],
        *,
        default: str | None = None,
        instruction: str | None = None,
        idle: float | None = None,
        retry: str | None = None,
        echo: bool = True,
    ) -> str: ...

    def ask_text(
        self,
        message: str,
        *,
        validate: Callable[[str], str | None] | None = None,
        default: str = "",
        secret: bool = False,
        idle: float | None = None,
    ) -> str: ...


# -- questionary ------------------------------------------------------------------


class QuestionaryScreen:
    """Screens drawn with questionary; ``input``/``output`` default to the terminal."""

    plain = False

    def __init__(
        self,
        input: Input | None = None,
        output: Output | None = None,
        *,
        guard: float | None = None,
    ) -> None:
        self.input = input
        self.output = output
        #: Seconds after a screen appears during which keys are ignored
        #: (``SURVEYCOAL_KEY_GUARD_SECONDS``, else 0.8).
        self.guard = key_guard_seconds() if guard is None else guard

    def _io(self) -> dict[str, Any]:
        io: dict[str, Any] = {}
        if self.input is not None:
            io["input"] = self.input
        if self.output is not None:
            io["output"] = self.output
        return io

    def _output(self) -> Output:
        return self.output or get_app_session().output

    @property
    def width(self) -> int:
        """Columns to write in: the terminal's width, less one."""
        try:
            columns = self._output().get_size().columns
        except Exception:  # an output that cannot tell its size
            columns = 80
        return max(20, columns - 1)

    def show(self, text: str = "", *, bold: bool = False) -> None:
        self._print(wrap(shown(text), self.width), bold=bold)

    def _print(self, text: str, *, bold: bool = False) -> None:
        style = "bold" if bold else ""
        print_formatted_text(FormattedText([(style, text)]), output=self._output())

    def clear(self) -> None:
        out = self._output()
        out.write_raw(CLEAR_SCREEN)
        out.flush()

    def choose(
        self,
        message: str,
        options: Sequence[Option],
        *,
        default: str | None = None,
        instruction: str | None = None,
        idle: float | None = None,
        retry: str | None = None,
        echo: bool = True,
    ) -> str:
        """Ask one choice; nothing is chosen until the participant chooses (see selector).

        With ``echo`` the question and the answer stay on screen once answered.
        """
        message = shown(message)
        options = [Option(o.value, shown(o.title), o.key) for o in options]
        app = selector.choose(
            message,
            [selector.Choice(o.value, o.title, o.key) for o in options],
            default=default,
            hint=shown(instruction or ""),
            problem=shown(retry or ""),
            guard=self.guard,
            **self._io(),
        )
        value = str(_run(app, idle))
        if echo:
            title = next((o.title for o in options if o.value == value), value)
            self._print(selector.hanging(message, self.width, "› "))
            self._print(selector.hanging(title, self.width, f"    {selector.MARKER} "))
        return value

    def ask_text(
        self,
        message: str,
        *,
        validate: Callable[[str], str | None] | None = None,
        default: str = "",
        secret: bool = False,
        idle: float | None = None,
    ) -> str:
        def check(text: str) -> bool | str:
            problem = validate(text) if validate is not None else None
            return True if problem is None else problem

        common: dict[str, Any] = {
            "validate": check,
            "qmark": "›",
            "key_bindings": _text_keys(self.guard),
        }
        message = fit_prompt(shown(message), None, self.width)
        if secret:
            question = questionary.password(message, **common, **self._io())
        else:
            question = questionary.text(message, default=default, **common, **self._io())
        return str(_run(question.application, idle))


def key_guard_seconds() -> float:
    """How long keys are ignored after a screen appears.

    0.8 seconds unless ``SURVEYCOAL_KEY_GUARD_SECONDS`` says otherwise: longer for
    participants whose hands shake, shorter in tests that type at machine speed.
    """
    import os

    value = os.environ.get("SURVEYCOAL_KEY_GUARD_SECONDS", "").strip()
    if not value:
        return selector.GUARD_SECONDS
    try:
        seconds = float(value)
    except ValueError:
        raise InputError(
            _("SURVEYCOAL_KEY_GUARD_SECONDS must be a number of seconds, not {value!r}.").format(
                value=value
            )
        ) from None
    if not 0 <= seconds <= 10:
        raise InputError(
            _("SURVEYCOAL_KEY_GUARD_SECONDS must be from 0 to 10, not {value}.").format(value=value)
        )
    return seconds


def fit_prompt(message: str, instruction: str | None, width: int) -> str:
    """A question's text broken between words, leaving room for the mark in front.

    When the instruction (shown after the question while it is open) would not fit
    on the last line, the question ends in a line break so the instruction, and
    later the answer, start on a line of their own.

    >>> fit_prompt("Ik weet wat de andere partners doen.", "(1-5, dan Enter)", 30)
    'Ik weet wat de andere\\npartners doen.\\n'
    """
    text = wrap(message, width - 2)
    if instruction:
        lines = text.split("\n")
        used = len(lines[-1]) + (2 if len(lines) == 1 else 0)
        if used + 2 + len(instruction) > width:
            text += "\n"
    return text


def _interrupt(event: KeyPressEvent) -> None:
    event.app.exit(exception=KeyboardInterrupt, style="class:aborting")


def _text_keys(guard: float) -> KeyBindings:
    """Keys of text questions: Ctrl-D acts like Ctrl-C, and an early Enter does nothing.

    prompt_toolkit would end the input on Ctrl-D. An Enter in the first moment of
    the screen is the second press of the previous screen's Enter: it would skip
    an open question nobody read.
    """
    shown_at = time.monotonic()
    bindings = KeyBindings()
    bindings.add("c-d", eager=True)(_interrupt)
    too_soon = Condition(lambda: time.monotonic() - shown_at < guard)

    @bindings.add("enter", filter=too_soon, eager=True)
    def _early(event: KeyPressEvent) -> None:
        """Pressed before the question could be read."""

    return bindings


def _run(app: Application[Any], idle: float | None) -> Any:
    """Run a screen; Ctrl-C raises KeyboardInterrupt, never a silent None.

    With ``idle``, raise IdleTimeout after that many seconds without a key press.
    """
    if idle is None:
        return app.run()
    return asyncio.run(_run_with_idle(app, idle))


async def _run_with_idle(app: Application[Any], idle: float) -> Any:
    """Run, with a timer that every key press starts again; when it runs out, stop the screen."""
    loop = asyncio.get_running_loop()
    timer: asyncio.TimerHandle | None = None

    def time_out() -> None:
        if app.is_running and not app.is_done:
            app.exit(exception=IdleTimeout())

    def rearm(_: object = None) -> None:
        nonlocal timer
        if timer is not None:
            timer.cancel()
        timer = loop.call_later(idle, time_out)

    rearm()
    app.key_processor.before_key_press += rearm
    try:
        return await app.run_async()
    finally:
        app.key_processor.before_key_press -= rearm
        if timer is not None:
            timer.cancel()


# -- plain text -------------------------------------------------------------------


class PlainScreen:
    """Numbered options and typed answers, one line at a time: no cursor keys, no colours."""

    plain = True

    def __init__(
        self, stdin: TextIO | None = None, stdout: TextIO | None = None, *, width: int | None = None
    ) -> None:
        self.stdin = stdin or sys.stdin
        self.stdout = stdout or sys.stdout
        self._width = width

    @property
    def width(self) -> int:
        """Columns to write in: ``width`` if given, else the terminal's width less one."""
        if self._width is not None:
            return self._width
        return max(20, shutil.get_terminal_size().columns - 1)

    def show(self, text: str = "", *, bold: bool = False) -> None:
        # Never broken inside a sentence: a screen reader reads each line as a whole.
        self.stdout.write(by_sentence(shown(text), self.width) + "\n")
        self.stdout.flush()

    def clear(self) -> None:
        """Clear the screen and scrollback, and drop anything typed but not yet sent.

        A line half typed by someone who walked away would otherwise be read as
        the first answer of the next person at a kiosk.
        """
        self.stdout.write(CLEAR_SCREEN)
        self.stdout.flush()
        _drop_typeahead(self.stdin)

    def _readline(self, prompt: str, idle: float | None, *, hidden: bool = False) -> str:
        # Lines typed before this question was shown (Enter pressed twice, a number
        # typed again "to be sure") were not meant for it.
        _drop_typeahead(self.stdin)
        self.stdout.write(prompt)
        self.stdout.flush()
        if hidden:
            with _no_echo(self.stdin) as hiding:
                try:
                    return self._read(idle)
                finally:
                    if hiding:  # the Enter was not shown either
                        self.stdout.write("\n")
                        self.stdout.flush()
        try:
            return self._read(idle)
        except KeyboardInterrupt:
            # Ctrl-C leaves the cursor after "^C": what comes next starts on a new line.
            self.stdout.write("\n")
            self.stdout.flush()
            raise

    def _read(self, idle: float | None) -> str:
        if idle is not None:
            try:
                ready, _writable, _failed = select.select([self.stdin], [], [], idle)
            except (TypeError, ValueError, OSError):  # not a real file: no timeout
                ready = [self.stdin]
            if not ready:
                self.stdout.write("\n")
                raise IdleTimeout()
        line = self.stdin.readline()
        if not line:
            # Ctrl-D at a terminal acts like Ctrl-C; anywhere else the input has ended.
            if _is_terminal(self.stdin):
                raise KeyboardInterrupt
            raise EOFError()
        return line.rstrip("\r\n")

    def choose(
        self,
        message: str,
        options: Sequence[Option],
        *,
        default: str | None = None,
        instruction: str | None = None,
        idle: float | None = None,
        retry: str | None = None,
        echo: bool = True,
    ) -> str:
        """Numbered options and a typed number; Enter alone keeps an earlier answer only.

        ``instruction`` is shown before the prompt (the earlier answer, in words);
        ``retry`` after an empty or unknown answer.
        """
        self.show(message)
        width = max(len(o.key) for o in options)
        for option in options:
            self.show(f"  {option.key.rjust(width)}. {option.title}")
        if instruction:
            self.show(instruction)
        by_key = {o.key.casefold(): o.value for o in options}
        has_default = any(o.value == default for o in options)
        while True:
            typed = self._readline("> ", idle).strip().rstrip(".").casefold()
            if not typed and has_default:
                return str(default)
            if typed in by_key:
                return by_key[typed]
            self.show(retry or _PLAIN_RETRY)

    def ask_text(
        self,
        message: str,
        *,
        validate: Callable[[str], str | None] | None = None,
        default: str = "",
        secret: bool = False,
        idle: float | None = None,
    ) -> str:
        self.show(message)
        while True:
            typed = self._readline("> ", idle, hidden=secret)
            if not typed and default:
                typed = default
            problem = validate(typed) if validate is not None else None
            if problem is None:
                return typed
            self.show(problem)


_PLAIN_RETRY = texts.both_lines("choose_number")


@contextmanager
def _no_echo(stream: TextIO) -> Iterator[bool]:
    """Turn off a terminal's echo while a secret is typed; yields whether it did."""
    try:
        import termios

        fd = stream.fileno()
        saved = termios.tcgetattr(fd)
    except Exception:  # no termios, no file descriptor, or not a terminal (termios.error)
        yield False
        return
    quiet = termios.tcgetattr(fd)
    quiet[3] &= ~termios.ECHO
    termios.tcsetattr(fd, termios.TCSADRAIN, quiet)
    try:
        yield True
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)


def _drop_typeahead(stream: TextIO) -> None:
    """Discard what a terminal holds of a line not yet ended with Enter."""
    if not _is_terminal(stream):
        return
    try:
        import termios

        termios.tcflush(stream.fileno(), termios.TCIFLUSH)
    except Exception:  # no termios (Windows), or not a real terminal after all
        pass


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


# -- the questionnaire ------------------------------------------------------------


def run_questionnaire(
    session: Session,
    screen: Screen,
    *,
    idle: float | None = None,
    greet_resumed: bool = True,
) -> None:
    """Show the session's screens until the participant sends the answers.

    Every answer goes straight to the session (which saves a draft). Ctrl-C,
    the end of input and IdleTimeout pass through to the caller, which can call
    this again later to continue where the participant was.
    """
    if greet_resumed and session.resumed and not session.submitted:
        _welcome_back(session, screen)
    while not session.submitted:
        show_step(session, screen, idle=idle)


def show_step(session: Session, screen: Screen, *, idle: float | None = None) -> None:
    """Show the session's current screen once and hand the answer to the session."""
    step = session.step
    _SCREENS[step.kind](session, screen, step, idle)


def _t(session: Session, key: str, **values: object) -> str:
    return texts.text(key, session.lang, **values)


def _back_option(session: Session, screen: Screen) -> list[Option]:
    if not session.can_go_back:
        return []
    # No arrow in plain mode: a screen reader would read it out ("leftwards arrow").
    title = _t(session, "back") if screen.plain else f"← {_t(session, 'back')}"
    return [Option("back", title, back_key(session.lang))]


def back_key(lang: str) -> str:
    """The key for "previous question": t (terug) in Dutch, b (back) in English."""
    return "t" if lang == "nl" else "b"


def send_key(lang: str) -> str:
    """The key for "send" on the summary: v (versturen) in Dutch, s (send) in English."""
    return "v" if lang == "nl" else "s"


def _welcome_back(session: Session, screen: Screen) -> None:
    answered, total = session.progress()
    if session.step.kind is StepKind.ITEM:
        screen.show(_t(session, "welcome_back", next=session.step.number, total=total), bold=True)
    elif answered:
        screen.show(_t(session, "welcome_back_end"), bold=True)


def _choose(
    session: Session,
    screen: Screen,
    message: str,
    options: Sequence[Option],
    *,
    keys: str | None = None,
    default: str | None = None,
    **kw: Any,
) -> str:
    """Ask a choice with the keys named in the participant's language.

    ``keys`` says how to choose (default: by number or arrow keys); the back key is
    added when there is a way back. Enter with nothing chosen, or a number that is
    not on the list in plain mode, repeats what to press. In plain mode an earlier
    answer is announced in words, with Enter to keep it.
    """
    back = any(o.value == "back" for o in options)
    how = keys or _t(session, "choose_keys")
    back_hint = " " + _t(session, "back_keys", back=back_key(session.lang)) if back else ""
    if screen.plain:
        earlier = next((o.title for o in options if o.value == default), None)
        instruction = _t(session, "kept_answer", answer=earlier) if earlier else None
        retry = _t(session, "choose_number") + back_hint
    else:
        instruction = how + back_hint
        retry = f"{_t(session, 'choose_first')} {how}{back_hint}"
    return screen.choose(
        message, options, default=default, instruction=instruction, retry=retry, **kw
    )


def _language(session: Session, screen: Screen, step: Step, idle: float | None) -> None:
    # Nobody has chosen a language yet: every text on this screen is in both.
    options = numbered([(lang, texts.LANGUAGE_NAMES.get(lang, lang)) for lang in session.languages])
    if screen.plain:
        instruction = None
        retry = texts.both_lines("choose_number")
    else:
        instruction = texts.both_lines("choose_keys")
        retry = texts.both_lines("choose_first") + "\n" + instruction
    chosen = screen.choose(
        texts.both("choose_language"), options, instruction=instruction, retry=retry, idle=idle
    )
    session.choose_language(chosen)


def _welcome(session: Session, screen: Screen, step: Step, idle: float | None) -> None:
    round_ = session.round
    instrument = session.instrument
    lang = session.lang
    screen.show(_t(session, "welcome_title", coalition=round_.coalition_name), bold=True)
    screen.show()
    intro = localised(instrument.intro, lang) if instrument.intro else ""
    screen.show(intro or _t(session, "welcome_purpose"))
    screen.show(
        _t(
            session,
            "welcome_duration",
            minutes=estimated_minutes(instrument),
            items=len(instrument.items),
        )
    )
    # Three short blocks: what and how long; privacy; how to answer.
    screen.show()
    screen.show(_t(session, "welcome_anonymous"))
    screen.show(_t(session, "welcome_min_group", min_group=round_.privacy.min_group))
    screen.show(_t(session, "welcome_retention", months=round_.retention_months))
    screen.show(_t(session, "welcome_linking" if round_.link_rounds else "welcome_no_linking"))
    screen.show()
    screen.show(_t(session, "welcome_keys_plain" if screen.plain else "welcome_keys"))
    options = [Option("start", _t(session, "start"), "1"), *_back_option(session, screen)]
    chosen = _choose(session, screen, _t(session, "ready"), options, idle=idle)
    if chosen == "back":
        session.back()
    else:
        session.start()


def _member_type(session: Session, screen: Screen, step: Step, idle: float | None) -> None:
    instrument = session.instrument
    options = numbered(
        [(mt.id, localised(mt.label, session.lang)) for mt in instrument.member_types]
    )
    # No default but the person's own earlier answer: Enter alone must never make a
    # professional a resident.
    chosen = _choose(
        session,
        screen,
        _t(session, "member_type"),
        [*options, *_back_option(session, screen)],
        default=session.state.member_type,
        idle=idle,
    )
    if chosen == "back":
        session.back()
    else:
        session.choose_member_type(chosen)


def _panel_key(session: Session, screen: Screen, step: Step, idle: float | None) -> None:
    screen.show(_t(session, "panel_intro"))
    options = [
        Option("yes", _t(session, "panel_yes"), "1"),
        Option("no", _t(session, "panel_no"), "2"),
        *_back_option(session, screen),
    ]
    chosen = _choose(session, screen, _t(session, "panel_choice"), options, idle=idle)
    if chosen == "back":
        session.back()
        return
    if chosen == "no":
        session.give_panel_key(None)
        return
    # A letter may be an answer here ("T" for Tilburg), so back is a whole word.
    back_word = _t(session, "back_word")
    screen.show(_t(session, "panel_back", word=back_word))
    answers: dict[str, str] = {}
    for question in codes.PANEL_QUESTIONS:

        def check(typed: str, question: codes.PanelQuestion = question) -> str | None:
            if typed.strip().casefold() == back_word:
                return None
            try:
                codes.normalise_panel_answer(question, typed, session.lang)
            except InputError as exc:
                return exc.message
            return None

        typed = screen.ask_text(
            _t(session, f"panel_{question.id}"), validate=check, secret=True, idle=idle
        )
        if typed.strip().casefold() == back_word:
            return  # the panel key's first screen again, which has its own way back
        answers[question.id] = typed
    session.give_panel_key(answers)


def item_options(session: Session, step: Step, screen: Screen) -> list[Option]:
    """The answers to an item: 1..points, 0 = don't know, and back."""
    item = step.item
    if item is None:
        raise InputError("This step has no item.")
    scale = session.instrument.scale_for(item)
    options = [
        Option(str(n), localised(label, session.lang), str(n))
        for n, label in enumerate(scale.labels, start=1)
    ]
    options.append(Option("dk", localised(scale.dont_know, session.lang), "0"))
    return [*options, *_back_option(session, screen)]


def _item(session: Session, screen: Screen, step: Step, idle: float | None) -> None:
    item = step.item
    if item is None:
        raise InputError("This step has no item.")
    if step.first_in_part:
        dims = session.instrument.dimensions
        dim = session.instrument.dimension(item.dimension)
        screen.show()
        screen.show(
            _t(
                session,
                "part",
                number=step.part,
                total=len(dims),
                label=localised(dim.label, session.lang),
            ),
            bold=True,
        )
        description = localised(dim.description, session.lang) if dim.description else ""
        if description:
            screen.show(description)
    previous = session.state.answers.get(item.id, "unanswered")
    default = None if previous == "unanswered" else ("dk" if previous is None else str(previous))
    progress = _t(session, "progress", number=step.number, total=step.total)
    scale = session.instrument.scale_for(item)
    chosen = _choose(
        session,
        screen,
        f"({progress}) {localised(item.text, session.lang)}",
        item_options(session, step, screen),
        keys=_t(session, "item_keys", high=scale.max),
        default=default,
        idle=idle,
    )
    if chosen == "back":
        session.back()
    else:
        session.answer(None if chosen == "dk" else int(chosen))


def _open(session: Session, screen: Screen, step: Step, idle: float | None) -> None:
    question = step.question
    if question is None:
        raise InputError("This step has no open question.")
    limit = question.max_length
    back = back_key(session.lang)
    screen.show()
    screen.show(_t(session, "open_progress", number=step.number, total=step.total), bold=True)
    screen.show(_t(session, "open_hint", max=limit))
    if session.can_go_back:
        screen.show(_t(session, "open_back", back=back))

    def check(typed: str) -> str | None:
        try:
            clean_text(typed, limit)
        except InputError:
            return _t(session, "too_long", max=limit, length=len(typed))
        return None

    typed = screen.ask_text(
        localised(question.text, session.lang),
        validate=check,
        default=session.state.open_answers.get(question.id, ""),
        idle=idle,
    )
    # The back key alone is "back", as on every other screen: never stored as an answer.
    if typed.strip().casefold() == back and session.can_go_back:
        session.back()
        return
    session.answer_open(typed)


def answer_label(session: Session, step: Step) -> str:
    """How an answer is shown in the summary."""
    return session.answer_label(step)


def _step_title(session: Session, step: Step) -> str:
    return session.step_title(step)


def summary_key(session: Session, step: Step) -> str:
    """The number a screen has in the summary: the member type 0, items as numbered
    while answering, open questions after the items."""
    if step.kind is StepKind.MEMBER_TYPE:
        return "0"
    if step.kind is StepKind.OPEN:
        return str(len(session.item_steps()) + step.number)
    return str(step.number)


def _summary(session: Session, screen: Screen, step: Step, idle: float | None) -> None:
    """Every answer in full, to send or to change.

    One list: Send first, then each question with its answer (chosen by the number
    it had while answering), then back. The heading and the counts stay in view
    while the list scrolls.
    """
    lines = [_t(session, "summary_title"), *session.summary_counts()]
    send = send_key(session.lang)
    lines.append(_t(session, "summary_question", send=send))
    reviewable = [
        s for s in session.steps if s.kind in (StepKind.MEMBER_TYPE, StepKind.ITEM, StepKind.OPEN)
    ]
    entries = [
        Option(
            s.key,
            f"{_step_title(session, s)} ({_t(session, 'your_answer')}: {answer_label(session, s)})",
            summary_key(session, s),
        )
        for s in reviewable
    ]
    options = [Option("send", _t(session, "send"), send), *entries, *_back_option(session, screen)]
    screen.show()
    chosen = _choose(
        session,
        screen,
        "\n".join(lines),
        options,
        keys=_t(session, "summary_keys", send=send),
        idle=idle,
        echo=False,
    )
    if chosen == "send":
        session.send()
    elif chosen == "back":
        session.back()
    else:
        session.go_to(next(s for s in reviewable if s.key == chosen))


_SCREENS: dict[StepKind, Callable[[Session, Screen, Step, float | None], None]] = {
    StepKind.LANGUAGE: _language,
    StepKind.WELCOME: _welcome,
    StepKind.MEMBER_TYPE: _member_type,
    StepKind.PANEL_KEY: _panel_key,
    StepKind.ITEM: _item,
    StepKind.OPEN: _open,
    StepKind.SUMMARY: _summary,
}


def ask_code(screen: Screen, lookup: Callable[[str], T], *, attempts: int = 3) -> T:
    """Ask a participant for their code until ``lookup`` accepts it.

    ``lookup`` turns the typed code into what the caller needs (its invitation) or
    raises :class:`~surveycoal.codes.CodeRejected`; the reason is shown in both
    languages and the code asked again. After ``attempts`` tries the last
    rejection is raised.
    """
    last: codes.CodeRejected = codes.CodeRejected("empty")
    screen.show(texts.both_lines("ask_code"))
    for _attempt in range(max(1, attempts)):
        typed = screen.ask_text("Code:")
        try:
            return lookup(typed)
        except codes.CodeRejected as exc:
            last = exc
            screen.show(exc.message)
    raise last


def show_thanks(session: Session, screen: Screen) -> None:
    screen.show()
    screen.show(_t(session, "thanks"), bold=True)
