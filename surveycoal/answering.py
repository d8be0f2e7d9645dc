"""The questionnaire as a state machine, free of any terminal.

A :class:`Session` walks one participant through a round: language, welcome,
member type, the panel key (only in rounds that link rounds), the items
dimension by dimension, the open questions, and a summary to confirm. Screens
(:mod:`surveycoal.prompt`) ask what :attr:`Session.step` says and hand the answer
back; the session saves its state after every answer through ``save`` (a draft
tied to a code), and hands the finished :class:`NewResponse` to ``submit``.

The state is a small JSON-ready dict: nothing in it says when an answer was given.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from surveycoal import texts
from surveycoal.errors import InputError
from surveycoal.instruments import Instrument, Item, OpenQuestion
from surveycoal.store.responses import NewResponse
from surveycoal.store.rounds import Round

STATE_VERSION = 1
#: Marks a participant who chose not to make a panel key.
PANEL_SKIPPED = "skipped"
#: Rough reading-and-answering time, for the welcome's "about N minutes".
SECONDS_PER_ITEM = 12
SECONDS_PER_OPEN_QUESTION = 60

#: Terminal escape sequences (colours, cursor moves) typed or pasted into an answer.
_ESCAPES = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")
#: Control characters and invisible direction marks.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


class StepKind(StrEnum):
    LANGUAGE = "language"
    WELCOME = "welcome"
    MEMBER_TYPE = "member_type"
    PANEL_KEY = "panel_key"
    ITEM = "item"
    OPEN = "open"
    SUMMARY = "summary"


@dataclass(frozen=True)
class Step:
    """One screen of the questionnaire.

    For items, ``number`` of ``total`` is the progress ("question 7 of 32") and
    ``part`` the dimension's place among the dimensions; for open questions they
    count the open questions.
    """

    kind: StepKind
    position: int
    item: Item | None = None
    question: OpenQuestion | None = None
    number: int = 0
    total: int = 0
    part: int = 0
    first_in_part: bool = False

    @property
    def key(self) -> str:
        if self.item is not None:
            return f"item:{self.item.id}"
        if self.question is not None:
            return f"open:{self.question.id}"
        return self.kind.value


@dataclass
class SessionState:
    """What a participant has answered so far; saved as a draft after every answer."""

    lang: str | None = None
    welcomed: bool = False
    member_type: str | None = None
    panel: str | None = None  # a panel key hash, PANEL_SKIPPED, or None (not asked yet)
    answers: dict[str, int | None] = field(default_factory=dict)
    open_answers: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": STATE_VERSION,
            "lang": self.lang,
            "welcomed": self.welcomed,
            "member_type": self.member_type,
            "panel": self.panel,
            "answers": dict(self.answers),
            "open_answers": dict(self.open_answers),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SessionState:
        return cls(
            lang=data.get("lang"),
            welcomed=bool(data.get("welcomed")),
            member_type=data.get("member_type"),
            panel=data.get("panel"),
            answers={
                str(k): (None if v is None else int(v)) for k, v in data.get("answers", {}).items()
            },
            open_answers={str(k): str(v) for k, v in data.get("open_answers", {}).items()},
        )

    @property
    def is_empty(self) -> bool:
        return not (self.member_type or self.answers or self.open_answers)


def clean_text(text: str, max_length: int) -> str:
    """Free text as it may be stored: control and direction characters removed, spaces tidied.

    Raises InputError (with the length) when it is longer than ``max_length``.

    >>> clean_text("  Meer  koffie\\x1b[31m!\\n ", 100)
    'Meer koffie!'
    """
    normal = unicodedata.normalize("NFC", _ESCAPES.sub("", text))
    cleaned = " ".join(_CONTROL.sub(" ", normal).split())
    if len(cleaned) > max_length:
        raise InputError(f"The answer has {len(cleaned)} characters; at most {max_length} fit.")
    return cleaned


def localised(text: Mapping[str, str], lang: str) -> str:
    """A text of the instrument in ``lang``, else in its first language."""
    return text.get(lang) or next(iter(text.values()), "")


def estimated_minutes(instrument: Instrument) -> int:
    seconds = (
        len(instrument.items) * SECONDS_PER_ITEM
        + len(instrument.open_questions) * SECONDS_PER_OPEN_QUESTION
        + 60
    )
    return max(1, math.ceil(seconds / 60))


def ordered_items(instrument: Instrument) -> list[Item]:
    """The items dimension by dimension, in the instrument's order within each."""
    ordered = [item for dim in instrument.dimensions for item in instrument.items_in(dim.id)]
    known = {item.id for item in ordered}
    ordered.extend(item for item in instrument.items if item.id not in known)
    return ordered


class Session:
    """One participant answering one round.

    Parameters
    ----------
    round_ : the round being answered (its instrument snapshot is used).
    state : answers so far (a resumed draft), or None to start afresh.
    lang : preselect a language (the language question is then not asked).
    save : called with :meth:`SessionState.to_dict` after every answer.
    submit : called once with the finished response; it must store it.
    panel_hasher : turns the panel key answers (question id -> typed text) into
        a keyed hash; needed only when the round links rounds.
    """

    def __init__(
        self,
        round_: Round,
        *,
        state: SessionState | Mapping[str, Any] | None = None,
        lang: str | None = None,
        save: Callable[[dict[str, Any]], None] | None = None,
        submit: Callable[[NewResponse], None] | None = None,
        panel_hasher: Callable[[Mapping[str, str]], str] | None = None,
    ) -> None:
        self.round = round_
        self.instrument = round_.instrument
        if not self.instrument.member_types:
            raise InputError(f"The instrument of {round_.ref} defines no member types.")
        if isinstance(state, Mapping):
            state = SessionState.from_dict(state)
        self.state = state or SessionState()
        self.resumed = not self.state.is_empty
        if lang is not None:
            if lang not in self.languages:
                raise InputError(
                    f"{lang!r} is not a language of this questionnaire: use "
                    f"{' or '.join(self.languages)}."
                )
            self.state.lang = lang
        elif len(self.languages) == 1:
            self.state.lang = self.languages[0]
        #: False when the language was given beforehand (``--lang``, one language).
        self.asks_language = lang is None and len(self.languages) > 1
        self._save = save
        self._submit = submit
        self._panel_hasher = panel_hasher
        self.submitted = False
        self._review = False
        self.steps = self._build_steps()
        self._position = self._first_open_position()

    # -- the steps --------------------------------------------------------------
    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(self.instrument.languages) or ("nl",)

    @property
    def lang(self) -> str:
        return self.state.lang or self.languages[0]

    def _build_steps(self) -> list[Step]:
        steps: list[Step] = []

        def add(kind: StepKind, **kw: Any) -> None:
            steps.append(Step(kind, len(steps), **kw))

        add(StepKind.LANGUAGE)
        add(StepKind.WELCOME)
        add(StepKind.MEMBER_TYPE)
        if self.round.link_rounds:
            add(StepKind.PANEL_KEY)
        items = ordered_items(self.instrument)
        dims = [d.id for d in self.instrument.dimensions]
        previous_dim: str | None = None
        for number, item in enumerate(items, start=1):
            part = dims.index(item.dimension) + 1 if item.dimension in dims else 0
            add(
                StepKind.ITEM,
                item=item,
                number=number,
                total=len(items),
                part=part,
                first_in_part=item.dimension != previous_dim,
            )
            previous_dim = item.dimension
        questions = self.instrument.open_questions
        for number, question in enumerate(questions, start=1):
            add(StepKind.OPEN, question=question, number=number, total=len(questions))
        add(StepKind.SUMMARY)
        return steps

    def is_answered(self, step: Step) -> bool:
        s = self.state
        match step.kind:
            case StepKind.LANGUAGE:
                return s.lang is not None
            case StepKind.WELCOME:
                return s.welcomed
            case StepKind.MEMBER_TYPE:
                return s.member_type is not None
            case StepKind.PANEL_KEY:
                return s.panel is not None
            case StepKind.ITEM:
                return step.item is not None and step.item.id in s.answers
            case StepKind.OPEN:
                return step.question is not None and step.question.id in s.open_answers
        return False

    def _first_open_position(self) -> int:
        for step in self.steps:
            if not self.is_answered(step):
                return step.position
        return self.steps[-1].position

    @property
    def step(self) -> Step:
        """The screen to show now."""
        return self.steps[self._position]

    @property
    def can_go_back(self) -> bool:
        return self._earlier_position() is not None

    def _earlier_position(self) -> int | None:
        position = self._position - 1
        if position < 0:
            return None
        # A preselected language is not asked, so there is no going back to it.
        if self.steps[position].kind is StepKind.LANGUAGE and not self.asks_language:
            return None
        return position

    def back(self) -> None:
        """Go to the previous screen (its answer stays until changed)."""
        earlier = self._earlier_position()
        if earlier is not None:
            self._position = earlier

    def reachable(self, step: Step) -> bool:
        """True when ``step`` may be shown now: answered before, or the first open screen.

        A screen further on cannot be reached by skipping, and a preselected language
        is not asked at all.
        """
        if step.kind is StepKind.LANGUAGE and not self.asks_language:
            return False
        return step.position <= self._first_open_position()

    def resume_at(self, step: Step) -> None:
        """Show ``step`` next, as after going back to it (a web page names its screen)."""
        if not self.reachable(step):
            raise InputError(f"The screen {step.key} cannot be shown yet.")
        self._position = step.position
        self._review = False

    def go_to(self, step: Step) -> None:
        """Jump to an answered screen from the summary; after answering it, return there."""
        self._position = step.position
        self._review = True

    def _advance(self) -> None:
        if self._save is not None:
            self._save(self.state.to_dict())
        if self._review:
            self._review = False
            self._position = self.steps[-1].position
        else:
            self._position = min(self._position + 1, len(self.steps) - 1)

    def _expect(self, kind: StepKind) -> Step:
        if self.submitted:
            raise InputError("These answers have been sent already.")
        step = self.step
        if step.kind is not kind:
            raise InputError(f"The questionnaire is at {step.kind.value}, not at {kind.value}.")
        return step

    # -- answering --------------------------------------------------------------
    def choose_language(self, lang: str) -> None:
        self._expect(StepKind.LANGUAGE)
        if lang not in self.languages:
            raise InputError(f"{lang!r} is not a language of this questionnaire.")
        self.state.lang = lang
        self._advance()

    def start(self) -> None:
        """The participant has read the welcome."""
        self._expect(StepKind.WELCOME)
        self.state.welcomed = True
        self._advance()

    def choose_member_type(self, member_type: str) -> None:
        self._expect(StepKind.MEMBER_TYPE)
        if member_type not in self.instrument.member_type_ids:
            raise InputError(f"{member_type!r} is not a member type of this questionnaire.")
        self.state.member_type = member_type
        self._advance()

    def give_panel_key(self, answers: Mapping[str, str] | None) -> None:
        """The panel key answers (question id -> text), or None to take no part in linking."""
        self._expect(StepKind.PANEL_KEY)
        if answers is None:
            self.state.panel = PANEL_SKIPPED
        else:
            if self._panel_hasher is None:
                raise InputError("This session cannot make panel keys.")
            self.state.panel = self._panel_hasher(answers)
        self._advance()

    def answer(self, value: int | None) -> None:
        """Answer the current item: 1..points, or None for "don't know"."""
        step = self._expect(StepKind.ITEM)
        item = step.item
        if item is None:  # every item step has one
            raise InputError("This step has no item.")
        scale = self.instrument.scale_for(item)
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= scale.max
        ):
            raise InputError(f"{value!r} is not an answer from 1 to {scale.max}.")
        self.state.answers[item.id] = value
        self._advance()

    def answer_open(self, text: str) -> None:
        """Answer the current open question; an empty text skips it."""
        step = self._expect(StepKind.OPEN)
        question = step.question
        if question is None:
            raise InputError("This step has no open question.")
        self.state.open_answers[question.id] = clean_text(text, question.max_length)
        self._advance()

    def send(self) -> NewResponse:
        """Hand the finished response to ``submit``; a session sends only once."""
        self._expect(StepKind.SUMMARY)
        response = self.response(complete=True)
        if self._submit is not None:
            self._submit(response)
        self.submitted = True
        return response

    # -- reading ----------------------------------------------------------------
    def response(self, *, complete: bool) -> NewResponse:
        """The answers so far as a response (kiosk: ``complete=False`` for unfinished ones)."""
        if self.state.member_type is None:
            raise InputError("No member type has been chosen yet.")
        panel = self.state.panel
        return NewResponse(
            member_type=self.state.member_type,
            answers=dict(self.state.answers),
            open_answers={k: v for k, v in self.state.open_answers.items() if v},
            panel_key_hash=panel if panel not in (None, PANEL_SKIPPED) else None,
            complete=complete,
        )

    @property
    def can_keep_partial(self) -> bool:
        """True when an unfinished session holds something worth keeping."""
        return self.state.member_type is not None and bool(self.state.answers)

    def item_steps(self) -> list[Step]:
        return [s for s in self.steps if s.kind is StepKind.ITEM]

    def open_steps(self) -> list[Step]:
        return [s for s in self.steps if s.kind is StepKind.OPEN]

    def progress(self) -> tuple[int, int]:
        """(items answered, items in all)."""
        items = self.item_steps()
        return sum(self.is_answered(s) for s in items), len(items)

    def summary_counts(self) -> list[str]:
        """The summary's counts in words: questions answered, "don't know", open answers."""
        answered, total = self.progress()
        lines = [
            texts.text(
                "summary_counts",
                self.lang,
                answered=answered,
                total=total,
                dont_know=self.dont_know_count(),
            )
        ]
        opens = self.open_steps()
        if opens:
            given = sum(1 for text in self.state.open_answers.values() if text)
            lines.append(texts.text("summary_open", self.lang, answered=given, total=len(opens)))
        return lines

    def answer_label(self, step: Step) -> str:
        """The answer given on a screen as the summary shows it, in the session's language."""
        state, lang = self.state, self.lang
        not_answered = texts.text("not_answered", lang)
        if step.kind is StepKind.MEMBER_TYPE:
            if state.member_type is None:
                return not_answered
            return self.instrument.member_type_label(state.member_type, lang)
        if step.item is not None:
            if step.item.id not in state.answers:
                return not_answered
            value = state.answers[step.item.id]
            scale = self.instrument.scale_for(step.item)
            return localised(scale.dont_know if value is None else scale.labels[value - 1], lang)
        if step.question is not None:
            text = state.open_answers.get(step.question.id)
            if text is None:
                return not_answered
            return text or texts.text("empty_answer", lang)
        return ""

    def step_title(self, step: Step) -> str:
        """What a screen asks, as the summary names it."""
        if step.kind is StepKind.MEMBER_TYPE:
            return texts.text("member_type", self.lang)
        if step.item is not None:
            return localised(step.item.text, self.lang)
        if step.question is not None:
            return localised(step.question.text, self.lang)
        return ""

    def dont_know_count(self) -> int:
        return sum(1 for v in self.state.answers.values() if v is None)
