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
import select
import shutil
import sys
import textwrap
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol, TextIO, TypeVar

import questionary
from prompt_toolkit.application import Application
from prompt_toolkit.application.current import get_app_session
from prompt_toolkit.formatted_text import FormattedText
from prompt_toolkit.input import Input
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent
from prompt_toolkit.output import Output
from prompt_toolkit.shortcuts import print_formatted_text
from questionary import Choice, Question

from surveycoal import codes, texts
from surveycoal.answering import Session, Step, StepKind, clean_text, estimated_minutes
from surveycoal.errors import InputError

#: Clears the screen and the terminal's scrollback, then homes the cursor.
CLEAR_SCREEN = "\x1b[2J\x1b[3J\x1b[H"
#: Keys that questionary can bind as shortcuts.
_SHORTCUTS = set("1234567890abcdefghijklmnopqrstuvwxyz")


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

    def __init__(self, input: Input | None = None, output: Output | None = None) -> None:
        self.input = input
        self.output = output

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
        style = "bold" if bold else ""
        print_formatted_text(
            FormattedText([(style, wrap(text, self.width))]), output=self._output()
        )

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
    ) -> str:
        shortcuts = len(options) <= len(_SHORTCUTS) and all(o.key in _SHORTCUTS for o in options)
        choices = [
            Choice(o.title, value=o.value, shortcut_key=o.key if shortcuts else False)
            for o in options
        ]
        known = {o.value for o in options}
        question = questionary.select(
            fit_prompt(message, instruction, self.width),
            choices=choices,
            default=default if default in known else None,
            qmark="›",
            use_shortcuts=shortcuts,
            use_arrow_keys=True,
            use_jk_keys=False,
            instruction=instruction,
            **self._io(),
        )
        return str(_ask(question, idle))

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

        common: dict[str, Any] = {"validate": check, "qmark": "›", "key_bindings": _TEXT_KEYS}
        message = fit_prompt(message, None, self.width)
        if secret:
            question = questionary.password(message, **common, **self._io())
        else:
            question = questionary.text(message, default=default, **common, **self._io())
        return str(_ask(question, idle))


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


#: In text questions Ctrl-D acts like Ctrl-C (prompt_toolkit would end the input).
_TEXT_KEYS = KeyBindings()
_TEXT_KEYS.add("c-d", eager=True)(_interrupt)


def _ask(question: Question, idle: float | None) -> Any:
    """Ask with ``unsafe_ask`` (Ctrl-C raises KeyboardInterrupt, never a silent None).

    With ``idle``, raise IdleTimeout after that many seconds without a key press.
    """
    if idle is None:
        return question.unsafe_ask()
    return asyncio.run(_ask_with_idle(question, idle))


async def _ask_with_idle(question: Question, idle: float) -> Any:
    """Ask, with a timer that every key press starts again; when it runs out, stop the question."""
    app: Application[Any] = question.application
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
        return await question.unsafe_ask_async()
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
        self.stdout.write(wrap(text, self.width) + "\n")
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
                ready, _, _ = select.select([self.stdin], [], [], idle)
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
    ) -> str:
        self.show(message)
        width = max(len(o.key) for o in options)
        for option in options:
            self.show(f"  {option.key.rjust(width)}. {option.title}")
        by_key = {o.key.casefold(): o.value for o in options}
        default_key = next((o.key for o in options if o.value == default), None)
        prompt = f"[{default_key}] > " if default_key else "> "
        while True:
            typed = self._readline(prompt, idle).strip().rstrip(".").casefold()
            if not typed and default_key is not None:
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


def _localised(text: dict[str, str] | Any, lang: str) -> str:
    return text.get(lang) or next(iter(text.values()), "")


def _welcome_back(session: Session, screen: Screen) -> None:
    answered, total = session.progress()
    if session.step.kind is StepKind.ITEM:
        screen.show(_t(session, "welcome_back", next=session.step.number, total=total), bold=True)
    elif answered:
        screen.show(_t(session, "welcome_back_end"), bold=True)


def _choose(
    session: Session, screen: Screen, message: str, options: Sequence[Option], **kw: Any
) -> str:
    """Ask a choice; in plain mode a wrong number is answered in the participant's language."""
    return screen.choose(message, options, retry=_t(session, "choose_number"), **kw)


def _language(session: Session, screen: Screen, step: Step, idle: float | None) -> None:
    options = numbered([(lang, texts.LANGUAGE_NAMES.get(lang, lang)) for lang in session.languages])
    chosen = screen.choose(
        texts.both("choose_language"),
        options,
        instruction=texts.both("choose_keys"),
        idle=idle,
    )
    session.choose_language(chosen)


def _welcome(session: Session, screen: Screen, step: Step, idle: float | None) -> None:
    round_ = session.round
    instrument = session.instrument
    lang = session.lang
    screen.show(_t(session, "welcome_title", coalition=round_.coalition_name), bold=True)
    screen.show()
    intro = _localised(instrument.intro, lang) if instrument.intro else ""
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
    screen.show(_t(session, "welcome_linking" if round_.link_rounds else "welcome_no_linking"))
    screen.show()
    screen.show(_t(session, "welcome_keys_plain" if screen.plain else "welcome_keys"))
    options = [Option("start", _t(session, "start"), "1"), *_back_option(session, screen)]
    chosen = _choose(
        session,
        screen,
        _t(session, "ready"),
        options,
        instruction=_t(session, "choose_keys"),
        idle=idle,
    )
    if chosen == "back":
        session.back()
    else:
        session.start()


def _member_type(session: Session, screen: Screen, step: Step, idle: float | None) -> None:
    instrument = session.instrument
    options = numbered(
        [(mt.id, _localised(mt.label, session.lang)) for mt in instrument.member_types]
    )
    chosen = _choose(
        session,
        screen,
        _t(session, "member_type"),
        [*options, *_back_option(session, screen)],
        default=session.state.member_type,
        instruction=_t(session, "choose_keys"),
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
    chosen = _choose(
        session,
        screen,
        _t(session, "panel_choice"),
        options,
        instruction=_t(session, "choose_keys"),
        idle=idle,
    )
    if chosen == "back":
        session.back()
        return
    if chosen == "no":
        session.give_panel_key(None)
        return
    answers: dict[str, str] = {}
    for question in codes.PANEL_QUESTIONS:

        def check(typed: str, question: codes.PanelQuestion = question) -> str | None:
            try:
                codes.normalise_panel_answer(question, typed, session.lang)
            except InputError as exc:
                return exc.message
            return None

        answers[question.id] = screen.ask_text(
            _t(session, f"panel_{question.id}"), validate=check, secret=True, idle=idle
        )
    session.give_panel_key(answers)


def item_options(session: Session, step: Step, screen: Screen) -> list[Option]:
    """The answers to an item: 1..points, 0 = don't know, and back."""
    item = step.item
    if item is None:
        raise InputError("This step has no item.")
    scale = session.instrument.scale_for(item)
    options = [
        Option(str(n), _localised(label, session.lang), str(n))
        for n, label in enumerate(scale.labels, start=1)
    ]
    options.append(Option("dk", _localised(scale.dont_know, session.lang), "0"))
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
                label=_localised(dim.label, session.lang),
            ),
            bold=True,
        )
        description = _localised(dim.description, session.lang) if dim.description else ""
        if description:
            screen.show(description)
    previous = session.state.answers.get(item.id, "unanswered")
    default = None if previous == "unanswered" else ("dk" if previous is None else str(previous))
    progress = _t(session, "progress", number=step.number, total=step.total)
    instruction = None
    if not screen.plain:
        instruction = _t(session, "item_keys", back=back_key(session.lang))
    chosen = _choose(
        session,
        screen,
        f"({progress}) {_localised(item.text, session.lang)}",
        item_options(session, step, screen),
        default=default,
        instruction=instruction,
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
    screen.show()
    screen.show(_t(session, "open_progress", number=step.number, total=step.total), bold=True)
    screen.show(_t(session, "open_hint", max=limit))

    def check(typed: str) -> str | None:
        try:
            clean_text(typed, limit)
        except InputError:
            return _t(session, "too_long", max=limit, length=len(typed))
        return None

    typed = screen.ask_text(
        _localised(question.text, session.lang),
        validate=check,
        default=session.state.open_answers.get(question.id, ""),
        idle=idle,
    )
    session.answer_open(typed)


def answer_label(session: Session, step: Step) -> str:
    """How an answer is shown in the summary."""
    if step.kind is StepKind.MEMBER_TYPE:
        member_type = session.state.member_type
        if member_type is None:
            return _t(session, "not_answered")
        return session.instrument.member_type_label(member_type, session.lang)
    if step.item is not None:
        if step.item.id not in session.state.answers:
            return _t(session, "not_answered")
        value = session.state.answers[step.item.id]
        scale = session.instrument.scale_for(step.item)
        label = scale.dont_know if value is None else scale.labels[value - 1]
        return _localised(label, session.lang)
    if step.question is not None:
        text = session.state.open_answers.get(step.question.id)
        if text is None:
            return _t(session, "not_answered")
        return text or _t(session, "empty_answer")
    return ""


def _step_title(session: Session, step: Step) -> str:
    if step.kind is StepKind.MEMBER_TYPE:
        return _t(session, "member_type")
    if step.item is not None:
        return f"{step.number}. {_localised(step.item.text, session.lang)}"
    if step.question is not None:
        return _localised(step.question.text, session.lang)
    return ""


def _shorten(text: str, width: int = 70) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _answer_line(session: Session, step: Step, width: int) -> str:
    """ "Question: answer" on one line of ``width`` columns (the question shortened first)."""
    label = _shorten(answer_label(session, step), max(12, min(40, width // 3)))
    title = _shorten(_step_title(session, step), max(12, width - len(label) - 2))
    return f"{title}: {label}"


def _summary(session: Session, screen: Screen, step: Step, idle: float | None) -> None:
    answered, total = session.progress()
    screen.show()
    screen.show(_t(session, "summary_title"), bold=True)
    reviewable = [
        s for s in session.steps if s.kind in (StepKind.MEMBER_TYPE, StepKind.ITEM, StepKind.OPEN)
    ]
    for s in reviewable:
        screen.show(f"  {_answer_line(session, s, screen.width - 2)}")
    screen.show()
    screen.show(
        _t(
            session,
            "summary_counts",
            answered=answered,
            total=total,
            dont_know=session.dont_know_count(),
        )
    )
    opens = session.open_steps()
    if opens:
        given = sum(1 for text in session.state.open_answers.values() if text)
        screen.show(_t(session, "summary_open", answered=given, total=len(opens)))
    options = [
        Option("send", _t(session, "send"), "1"),
        Option("change", _t(session, "change"), "2"),
        *_back_option(session, screen),
    ]
    chosen = _choose(
        session,
        screen,
        _t(session, "summary_question"),
        options,
        instruction=_t(session, "choose_keys"),
        idle=idle,
    )
    if chosen == "send":
        session.send()
    elif chosen == "back":
        session.back()
    else:
        # Room for the choice's own marks in front ("  » " or " 12. ").
        change = numbered([(s.key, _answer_line(session, s, screen.width - 7)) for s in reviewable])
        keep = Option("keep", _t(session, "change_nothing"), "0")
        picked = _choose(
            session,
            screen,
            _t(session, "which_change"),
            [*change, keep],
            instruction=_t(session, "arrow_keys"),
            idle=idle,
        )
        if picked == keep.value:
            return
        session.go_to(next(s for s in reviewable if s.key == picked))


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
    for _ in range(max(1, attempts)):
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
