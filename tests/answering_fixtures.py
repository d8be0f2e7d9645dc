"""Helpers for the answering tests: a small instrument built in code and rounds of it.

Import explicitly::

    from answering_fixtures import make_instrument, open_test_round, keys

Nothing here reads instrument files, so these tests do not depend on the loader.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from surveycoal.instruments import (
    Dimension,
    Instrument,
    Item,
    MemberType,
    OpenQuestion,
    PrivacySettings,
    Scale,
)

COALITION = "zuid-doet-samen"
ITEMS = ("trust_1", "trust_2", "equality_1", "equality_2")

#: Keys as a terminal sends them.
ENTER = "\r"
DOWN = "\x1b[B"
UP = "\x1b[A"
CTRL_C = "\x03"


def _t(nl: str, en: str) -> dict[str, str]:
    return {"nl": nl, "en": en}


def make_instrument(*, open_max: int = 200) -> Instrument:
    """Two dimensions of two items, one open question, two member types, nl and en."""
    scale = Scale(
        id="agree5",
        points=5,
        labels=(
            _t("Helemaal oneens", "Strongly disagree"),
            _t("Oneens", "Disagree"),
            _t("Neutraal", "Neutral"),
            _t("Eens", "Agree"),
            _t("Helemaal eens", "Strongly agree"),
        ),
        dont_know=_t("Weet ik niet", "Don't know"),
    )
    dims = (
        Dimension("trust", _t("Vertrouwen", "Trust"), _t("Over vertrouwen.", "About trust.")),
        Dimension("equality", _t("Gelijkwaardigheid", "Equality"), _t("", "")),
    )
    items = (
        Item(
            "trust_1", "trust", _t("We doen wat we zeggen.", "We do what we say."), scale="agree5"
        ),
        Item(
            "trust_2", "trust", _t("Ik vertrouw de anderen.", "I trust the others."), scale="agree5"
        ),
        Item(
            "equality_1",
            "equality",
            _t("Bewoners beslissen mee.", "Residents take part in decisions."),
            scale="agree5",
        ),
        Item(
            "equality_2",
            "equality",
            _t("Professionals luisteren.", "Professionals listen."),
            reverse=True,
            scale="agree5",
        ),
    )
    return Instrument(
        id="test-health",
        version="1.0",
        languages=("nl", "en"),
        title=_t("Testvragenlijst", "Test questionnaire"),
        intro=_t("Een korte test.", "A short test."),
        scales=(scale,),
        dimensions=dims,
        items=items,
        open_questions=(
            OpenQuestion(
                "tips", _t("Wat kan beter?", "What could be better?"), max_length=open_max
            ),
        ),
        member_types=(
            MemberType("resident_initiative", _t("Bewonersinitiatief", "Resident initiative")),
            MemberType("welfare_organisation", _t("Welzijnsorganisatie", "Welfare organisation")),
        ),
        privacy=PrivacySettings(),
    )


def open_test_round(store: Any, **options: Any) -> Any:
    """Add the coalition (once) and open its next round of the test instrument."""
    from surveycoal import store as st

    if not any(c.slug == COALITION for c in st.list_coalitions(store)):
        st.add_coalition(store, "Zuid Doet Samen")
    return st.open_round(store, COALITION, make_instrument(), **options)


def new_database(path: Path, **round_options: Any) -> str:
    """A fresh database file at ``path`` with one open round; returns the round's ref."""
    from surveycoal.store import create_store

    store = create_store(path)
    try:
        return open_test_round(store, **round_options).ref
    finally:
        store.close()


def patterned_responses(
    instrument: Any, count: int = 12, *, open_answers: bool = False, linked: bool = False
) -> list[Any]:
    """``count`` responses, residents and professionals in turn, answering every item.

    With ``open_answers`` each also answers the first open question; with ``linked``
    each carries a panel key hash of its own.
    """
    from surveycoal.store import NewResponse

    items = [i.id for i in instrument.items]
    question = instrument.open_questions[0].id
    return [
        NewResponse(
            "resident_initiative" if n % 2 else "welfare_organisation",
            {item: 1 + (n + k) % 5 for k, item in enumerate(items)},
            {question: f"antwoord {n}"} if open_answers else {},
            panel_key_hash=f"{n:064x}" if linked else None,
        )
        for n in range(count)
    ]


def sqlite_value(path: Path, sql: str) -> int:
    """The one number ``sql`` gives, read straight from the SQLite file (a count, say)."""
    import sqlite3

    raw = sqlite3.connect(path)
    try:
        return int(raw.execute(sql).fetchone()[0])
    finally:
        raw.close()


def sqlite_dump(path: Path) -> list[str]:
    """The whole SQLite file as SQL statements: equal dumps, equal content."""
    import sqlite3

    raw = sqlite3.connect(path)
    try:
        return list(raw.iterdump())
    finally:
        raw.close()


def keys(*parts: str) -> str:
    """Join key presses, answering each text with Enter where marked by a trailing newline."""
    return "".join(parts)


@contextmanager
def pipe_session() -> Iterator[Any]:
    """A prompt_toolkit session reading from a pipe and drawing nowhere.

    Yields ``(pipe, screen)``: send keys with ``pipe.send_text``.
    """
    from prompt_toolkit.application import create_app_session
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    from surveycoal.prompt import QuestionaryScreen

    with create_pipe_input() as pipe:
        output = DummyOutput()
        with create_app_session(input=pipe, output=output):
            # No guard time: the keys of a test arrive all at once, on purpose.
            yield pipe, QuestionaryScreen(input=pipe, output=output, guard=0)


def count_rows(store: Any, table: str) -> int:
    from sqlalchemy import func, select

    from surveycoal.store import schema

    with store.read() as conn:
        return int(
            conn.execute(select(func.count()).select_from(schema.metadata.tables[table])).scalar()
            or 0
        )


TODAY = dt.date.today()


def stored_responses(store: Any) -> list[dict[str, Any]]:
    """Every stored response as a plain dict (member_type, panel_key_hash, complete, answers).

    Read straight from the tables, sorted by their answers, so tests see exactly
    what was stored.
    """
    from sqlalchemy import select

    from surveycoal.store import schema

    r, a = schema.responses, schema.answers
    with store.read() as conn:
        rows = conn.execute(select(r)).all()
        values = conn.execute(select(a)).all()
    by_response: dict[str, dict[str, int | None]] = {row.id: {} for row in rows}
    for value in values:
        by_response[value.response_id][value.item_id] = value.value
    found = [
        {
            "member_type": row.member_type,
            "panel_key_hash": row.panel_key_hash,
            "complete": bool(row.complete),
            "answers": by_response[row.id],
        }
        for row in rows
    ]
    return sorted(found, key=repr)


def stored_open_answers(store: Any) -> list[str]:
    from sqlalchemy import select

    from surveycoal.store import schema

    with store.read() as conn:
        return sorted(conn.execute(select(schema.open_answers.c.text)).scalars())
