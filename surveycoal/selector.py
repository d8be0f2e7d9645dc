"""A list of answers that opens with nothing chosen, for people who press Enter twice.

questionary's ``select`` always points at an answer: the first one, unless a default
is given. Someone who presses Enter a second time because the screen seemed slow
then answers the next statement with "strongly disagree", and a professional who
presses Enter on the member-type question is counted as a resident. Every stored
answer must be one that a person chose, so this list:

* opens with nothing chosen, unless the person answered this screen before (then
  their own answer is marked);
* does nothing on Enter while nothing is chosen, except show a short hint that
  names the keys;
* ignores every key pressed before the screen was drawn or in its first
  :data:`GUARD_SECONDS` (nobody reads a statement that fast, and a key pressed
  twice lands exactly there);
* marks the chosen answer in reverse video, bold and with a marker, so it stays
  visible with ``NO_COLOR`` and to people with poor eyesight;
* keeps the question in view and scrolls the answers when they do not fit, and
  wraps every text between words at the terminal's current width (it is drawn
  again when the window is resized).

Keys: the arrow keys (and Page Up, Page Down) move, an answer's own key (``1`` to ``5``, ``0``, ``t``)
chooses it, Enter confirms. Numbers of more than one digit (the summary's "24")
are typed digit after digit. Ctrl-C and Ctrl-D raise :class:`KeyboardInterrupt`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from prompt_toolkit.application import Application
from prompt_toolkit.filters import Condition
from prompt_toolkit.formatted_text import StyleAndTextTuples
from prompt_toolkit.input import Input
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent
from prompt_toolkit.keys import Keys
from prompt_toolkit.layout import (
    ConditionalContainer,
    ConditionalMargin,
    FormattedTextControl,
    HSplit,
    Layout,
    ScrollbarMargin,
    Window,
)
from prompt_toolkit.layout.dimension import Dimension
from prompt_toolkit.output import Output
from prompt_toolkit.styles import Style

#: Seconds after a screen appears during which keys are ignored.
GUARD_SECONDS = 0.8
#: Seconds within which digits typed one after another make one number ("2", "4": 24).
DIGIT_PAUSE = 1.2
#: How far Page Up and Page Down move in a long list.
PAGE = 5
#: The marker in front of the chosen answer (and spaces of the same width elsewhere).
MARKER = "»"

STYLE = Style.from_dict(
    {
        "question": "bold",
        "chosen": "reverse bold",
        "key": "bold",
        "hint": "",
        "problem": "bold underline",
    }
)


@dataclass(frozen=True)
class Choice:
    """One answer: the value returned, the text shown and the key that chooses it."""

    value: str
    title: str
    key: str


def wrap_words(text: str, width: int) -> list[str]:
    """``text`` broken between words into lines of at most ``width`` columns.

    A word longer than the width keeps a line of its own.

    >>> wrap_words("Het gaat over vertrouwen en gelijkwaardigheid.", 24)
    ['Het gaat over vertrouwen', 'en gelijkwaardigheid.']
    """
    import textwrap

    width = max(10, width)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines.extend(
            textwrap.wrap(paragraph, width, break_on_hyphens=False, break_long_words=False) or [""]
        )
    return lines


def hanging(text: str, width: int, mark: str) -> str:
    """``text`` wrapped to ``width`` behind ``mark``, later lines indented as far.

    >>> print(hanging("Ik vertrouw de anderen in onze groep.", 20, "› "))
    › Ik vertrouw de
      anderen in onze
      groep.
    """
    lines = wrap_words(text, width - len(mark))
    return "\n".join((mark if n == 0 else " " * len(mark)) + line for n, line in enumerate(lines))


class ChoiceList:
    """The state of one choice screen: which answer is chosen, and what to say."""

    def __init__(
        self,
        choices: Sequence[Choice],
        *,
        default: str | None = None,
        guard: float = GUARD_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not choices:
            raise ValueError("A choice screen needs at least one answer.")
        self.choices = list(choices)
        values = [c.value for c in self.choices]
        self.pointer: int | None = values.index(default) if default in values else None
        self.problem = False
        self._clock = clock
        self._shown_at = clock()
        self._guard = guard
        self._digits = ""
        self._digits_at = 0.0
        self._by_key = {c.key.casefold(): i for i, c in enumerate(self.choices)}

    def ready(self) -> bool:
        """True once the guard time after the screen appeared has passed."""
        return self._clock() - self._shown_at >= self._guard

    def move(self, step: int) -> None:
        self.problem = False
        if self.pointer is None:
            self.pointer = 0 if step > 0 else len(self.choices) - 1
        else:
            self.pointer = max(0, min(len(self.choices) - 1, self.pointer + step))

    def press(self, data: str) -> None:
        """A typed character: choose the answer with that key (digits may add up)."""
        key = data.casefold()
        now = self._clock()
        if key.isdigit():
            longer = self._digits + key
            recent = now - self._digits_at <= DIGIT_PAUSE
            self._digits = longer if recent and longer in self._by_key else key
            self._digits_at = now
            key = self._digits
        else:
            self._digits = ""
        if key in self._by_key:
            self.pointer = self._by_key[key]
            self.problem = False

    def confirm(self) -> str | None:
        """The chosen value, or None (and a hint to show) when nothing is chosen."""
        if self.pointer is None:
            self.problem = True
            return None
        return self.choices[self.pointer].value


def choose(
    message: str,
    choices: Sequence[Choice],
    *,
    default: str | None = None,
    hint: str = "",
    problem: str = "",
    guard: float = GUARD_SECONDS,
    input: Input | None = None,
    output: Output | None = None,
) -> Application[str]:
    """The prompt_toolkit application for one choice screen; ``run()`` returns the value.

    ``hint`` names the keys (shown under the answers); ``problem`` is shown instead
    when Enter is pressed with nothing chosen.
    """
    state = ChoiceList(choices, default=default, guard=guard)
    app_ref: list[Application[str]] = []

    def columns() -> int:
        app = app_ref[0]
        try:
            return max(20, app.output.get_size().columns - 1)
        except Exception:  # an output that cannot tell its size
            return 79

    key_width = max(len(c.key) for c in state.choices)

    def question() -> StyleAndTextTuples:
        return [("class:question", hanging(message, columns(), "› "))]

    def answers() -> StyleAndTextTuples:
        fragments: StyleAndTextTuples = []
        indent = 4 + key_width + 2
        for i, choice in enumerate(state.choices):
            chosen = i == state.pointer
            lines = wrap_words(choice.title, columns() - indent - 1)
            mark = MARKER if chosen else " "
            head = f" {mark}  {choice.key.rjust(key_width)}. "
            style = "class:chosen" if chosen else ""
            for n, line in enumerate(lines):
                lead = head if n == 0 else " " * len(head)
                text = f"{lead}{line} "
                if chosen and n == 0:
                    # Where the window scrolls to when the answers do not fit.
                    fragments.append(("[SetCursorPosition]", ""))
                fragments.append((style, text))
                fragments.append(("", "\n"))
        if fragments:
            fragments.pop()  # no empty line after the last answer
        return fragments

    def footer() -> StyleAndTextTuples:
        text = problem if state.problem and problem else hint
        style = "class:problem" if state.problem and problem else "class:hint"
        return [(style, "\n".join("  " + line for line in wrap_words(text, columns() - 2)))]

    answers_control = FormattedTextControl(answers, focusable=True, show_cursor=False)

    def answer_lines() -> int:
        indent = 4 + key_width + 2
        return sum(len(wrap_words(c.title, columns() - indent - 1)) for c in state.choices)

    def overflowing() -> bool:
        info = answers_window.render_info
        return info is not None and info.content_height > info.window_height

    answers_window = Window(
        answers_control,
        height=lambda: Dimension(min=1, max=answer_lines(), preferred=answer_lines()),
        # A scroll bar with arrows only when the answers do not fit.
        right_margins=[
            ConditionalMargin(ScrollbarMargin(display_arrows=True), filter=Condition(overflowing))
        ],
        dont_extend_height=True,
    )
    layout = Layout(
        HSplit(
            [
                Window(FormattedTextControl(question), dont_extend_height=True, wrap_lines=True),
                answers_window,
                ConditionalContainer(
                    Window(FormattedTextControl(footer), dont_extend_height=True, wrap_lines=True),
                    filter=Condition(lambda: bool(hint or (state.problem and problem))),
                ),
            ]
        ),
        focused_element=answers_control,
    )

    bindings = KeyBindings()
    ready = Condition(state.ready)

    @bindings.add("c-c", eager=True)
    @bindings.add("c-d", eager=True)
    def _interrupt(event: KeyPressEvent) -> None:
        event.app.exit(exception=KeyboardInterrupt, style="class:aborting")

    @bindings.add(Keys.Any, filter=~ready)
    @bindings.add("enter", filter=~ready)
    @bindings.add("up", filter=~ready)
    @bindings.add("down", filter=~ready)
    @bindings.add("pageup", filter=~ready)
    @bindings.add("pagedown", filter=~ready)
    def _too_soon(event: KeyPressEvent) -> None:
        """A key pressed before the screen could be read: it answers nothing."""

    @bindings.add("up", filter=ready)
    @bindings.add("left", filter=ready)
    def _up(event: KeyPressEvent) -> None:
        state.move(-1)

    @bindings.add("down", filter=ready)
    @bindings.add("right", filter=ready)
    @bindings.add("tab", filter=ready)
    def _down(event: KeyPressEvent) -> None:
        state.move(1)

    @bindings.add("pageup", filter=ready)
    def _page_up(event: KeyPressEvent) -> None:
        state.move(-PAGE)

    @bindings.add("pagedown", filter=ready)
    def _page_down(event: KeyPressEvent) -> None:
        state.move(PAGE)

    @bindings.add("enter", filter=ready)
    def _confirm(event: KeyPressEvent) -> None:
        value = state.confirm()
        if value is not None:
            event.app.exit(result=value)

    @bindings.add(Keys.Any, filter=ready)
    def _key(event: KeyPressEvent) -> None:
        if len(event.data) == 1 and event.data.isprintable():
            state.press(event.data)

    app: Application[str] = Application(
        layout=layout,
        key_bindings=bindings,
        style=STYLE,
        full_screen=False,
        erase_when_done=True,
        mouse_support=False,
        input=input,  # None: the terminal
        output=output,
    )
    app_ref.append(app)
    app.choice_state = state  # type: ignore[attr-defined]  # for tests
    return app
