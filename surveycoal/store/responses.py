"""Writing submitted responses and reading a round back as a tidy frame.

Every way of answering (personal code, kiosk, import, the demo) ends in
:func:`insert_response`, so the checks on what may be stored live in one place.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Connection, func, select

from surveycoal.errors import InputError, RoundStateError
from surveycoal.i18n import _
from surveycoal.rounddata import RoundData
from surveycoal.store import schema
from surveycoal.store.database import Store
from surveycoal.store.rounds import Round, _get_round, get_round, parse_round_ref, round_by_id
from surveycoal.store.traces import RoundRows, forget_traces, new_row_id, store_rows

DONT_KNOW = None  # how "don't know" is stored in ``answers.value``


@dataclass(frozen=True)
class NewResponse:
    """One participant's answers, ready to store.

    ``answers`` maps item id -> 1..points, or None for "don't know"; items left
    out were not answered. ``open_answers`` maps open question id -> text.
    """

    member_type: str
    answers: Mapping[str, int | None]
    open_answers: Mapping[str, str] = field(default_factory=dict)
    panel_key_hash: str | None = None
    complete: bool = True


def check_response(round_: Round, response: NewResponse) -> list[str]:
    """Every reason ``response`` cannot be stored in ``round_`` (empty when it can)."""
    return _ResponseRules(round_).problems(response)


def response_rules(round_: Round) -> _ResponseRules:
    """The look-ups :func:`response_rows` needs, made once for a round."""
    return _ResponseRules(round_)


class _ResponseRules:
    """What a round takes, looked up once for many responses (an import has 100,000)."""

    def __init__(self, round_: Round) -> None:
        instrument = round_.instrument
        self.round = round_
        self.instrument = instrument
        self.member_types = set(instrument.member_type_ids)
        self.scales = {item.id: instrument.scale_for(item) for item in instrument.items}
        self.questions = {q.id: q for q in instrument.open_questions}

    def problems(self, response: NewResponse) -> list[str]:
        instrument, round_ = self.instrument, self.round
        problems = []
        if response.member_type not in self.member_types:
            problems.append(
                _("member type {value!r} is not one of {choices}").format(
                    value=response.member_type, choices=", ".join(instrument.member_type_ids)
                )
            )
        for item_id, value in response.answers.items():
            scale = self.scales.get(item_id)
            if scale is None:
                problems.append(
                    _("{item!r} is not an item of {instrument}").format(
                        item=item_id, instrument=instrument.id
                    )
                )
                continue
            if value is not None and (
                isinstance(value, bool)
                or not isinstance(value, int)
                or not scale.min <= value <= scale.max
            ):
                problems.append(
                    _("{item}: {value!r} is not an answer from {low} to {high}").format(
                        item=item_id, value=value, low=scale.min, high=scale.max
                    )
                )
        for question_id, text in response.open_answers.items():
            if question_id not in self.questions:
                problems.append(
                    _("{question!r} is not an open question of {instrument}").format(
                        question=question_id, instrument=instrument.id
                    )
                )
            elif len(text) > self.questions[question_id].max_length:
                problems.append(
                    _("{question}: the answer is longer than {most} characters").format(
                        question=question_id, most=self.questions[question_id].max_length
                    )
                )
        if response.panel_key_hash is not None and not round_.link_rounds:
            problems.append(
                _("round {ref} does not link rounds, so it takes no panel key").format(
                    ref=round_.ref
                )
            )
        return problems


def insert_response(
    conn: Connection,
    round_: Round,
    response: NewResponse,
    *,
    today: dt.date | None = None,
) -> None:
    """Store one response inside the caller's transaction, under a fresh random id.

    The id is not returned: nothing outside the database needs it, and nothing
    should be able to tie it to a code or a person. The transaction holds the
    round's lock (``Store.write_in_round``); call
    :func:`~surveycoal.store.traces.forget_traces` after the commit.
    """
    insert_responses(conn, round_, [response], today=today)


def insert_responses(
    conn: Connection,
    round_: Round,
    responses: Iterable[NewResponse],
    *,
    today: dt.date | None = None,
) -> int:
    """Store several responses inside the caller's transaction, in one write of the round.

    Every response is checked first (InputError names the problems of the first
    one that cannot be stored); then the round's rows are written in key order
    (see :mod:`surveycoal.store.traces`). Returns how many were stored.
    """
    rows = RoundRows()
    rules = _ResponseRules(round_)
    count = 0
    for response in responses:
        rows.extend(response_rows(round_, response, today=today, rules=rules))
        count += 1
    if count:
        store_rows(conn, round_.id, rows)
    return count


def response_rows(
    round_: Round,
    response: NewResponse,
    *,
    today: dt.date | None = None,
    rules: _ResponseRules | None = None,
) -> RoundRows:
    """The rows one response becomes, under fresh random ids; InputError when it cannot be stored.

    Give ``rules`` (from :func:`response_rules`) when storing many responses of a round.
    """
    problems = (rules or _ResponseRules(round_)).problems(response)
    if problems:
        raise InputError(
            _("This response cannot be stored in {ref}: {problems}").format(
                ref=round_.ref, problems="; ".join(problems)
            )
        )
    response_id = new_row_id(round_.id)
    return RoundRows(
        responses=[
            (
                response_id,
                round_.id,
                response.member_type,
                response.panel_key_hash,
                response.complete,
                today or dt.date.today(),
            )
        ],
        answers=[(response_id, item_id, value) for item_id, value in response.answers.items()],
        open_answers=[
            (new_row_id(round_.id), round_.id, qid, text)
            for qid, text in response.open_answers.items()
            if text.strip()
        ],
    )


#: How often :func:`checked_response_rows` reports progress.
_PROGRESS_EVERY = 50


def checked_response_rows(
    round_: Round,
    responses: Sequence[NewResponse],
    *,
    today: dt.date | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> RoundRows:
    """The rows of many responses that were checked against ``round_`` already.

    For the importer, whose row checks cover every rule of :func:`check_response`:
    checking 100,000 rows a second time took a quarter of an import. Calls
    ``progress("store", done, total)`` now and then.
    """
    day = today or dt.date.today()
    round_id = round_.id
    rows = RoundRows()
    add_response, add_answers, add_open = (
        rows.responses.append,
        rows.answers.extend,
        rows.open_answers.extend,
    )
    total = len(responses)
    for done, response in enumerate(responses, start=1):
        response_id = new_row_id(round_id)
        add_response(
            (
                response_id,
                round_id,
                response.member_type,
                response.panel_key_hash,
                response.complete,
                day,
            )
        )
        add_answers([(response_id, item, value) for item, value in response.answers.items()])
        if response.open_answers:
            add_open(
                [
                    (new_row_id(round_id), round_id, qid, text)
                    for qid, text in response.open_answers.items()
                    if text.strip()
                ]
            )
        if progress is not None and (done % _PROGRESS_EVERY == 0 or done == total):
            progress("store", done, total)
    return rows


def require_answerable(round_: Round, today: dt.date | None = None) -> None:
    """Raise RoundStateError unless the round takes answers today."""
    if not round_.is_open:
        raise RoundStateError(
            _("Round {ref} is closed: it takes no more answers.").format(ref=round_.ref)
        )
    if not round_.accepts_answers(today) and round_.closes_on is not None:
        raise RoundStateError(
            _("Round {ref} closed on {day}: it takes no more answers.").format(
                ref=round_.ref, day=round_.closes_on.isoformat()
            )
        )


def submit_responses(
    store: Store, ref: str, responses: Iterable[NewResponse], *, today: dt.date | None = None
) -> int:
    """Store several responses in one transaction: all of them, or none."""
    round_ = get_round(store, ref)
    require_answerable(round_, today)
    with store.write_in_round(round_.id) as conn:
        current = round_by_id(conn, round_.id)  # closed or changed since it was read?
        require_answerable(current, today)
        require_same_instrument(round_, current)
        count = insert_responses(conn, current, responses, today=today)
    if count:
        forget_traces(store)
    return count


def require_same_instrument(checked: Round, current: Round) -> None:
    """Raise RoundStateError when the round's questionnaire changed after answers were checked."""
    if checked.instrument_hash != current.instrument_hash:
        raise RoundStateError(
            _(
                "The questionnaire of round {ref} changed while the answers were being "
                "checked; nothing was stored."
            ).format(ref=current.ref),
            hint=_("Check the answers again against the round's questionnaire."),
        )


def count_responses(store: Store, ref: str) -> int:
    round_ = get_round(store, ref)
    with store.read() as conn:
        return int(
            conn.execute(
                select(func.count())
                .select_from(schema.responses)
                .where(schema.responses.c.round_id == round_.id)
            ).scalar()
            or 0
        )


def count_invitations(conn: Connection, round_id: int) -> int:
    return int(
        conn.execute(
            select(func.count())
            .select_from(schema.invitations)
            .where(schema.invitations.c.round_id == round_id)
        ).scalar()
        or 0
    )


def load_round_data(store: Store, ref: str) -> RoundData:
    """Read a round into the tidy :class:`~surveycoal.rounddata.RoundData` that scoring uses."""
    round_ = get_round(store, ref)
    with store.read() as conn:
        return _load(conn, round_)


def load_many(store: Store, refs: Iterable[str]) -> list[RoundData]:
    """Read several rounds in one transaction (a consistent view of all of them).

    The rows of all of them are read with a few queries, not a few per round: a
    national programme has 1,200 rounds.
    """
    names = [parse_round_ref(ref) for ref in refs]
    with store.read() as conn:
        rounds = [_get_round(conn, slug, number) for slug, number in names]
        rows = _RoundRows.read(conn, [r.id for r in rounds])
        return [_round_data(round_, rows.of(round_.id)) for round_ in rounds]


def load_rounds(store: Store, rounds: Sequence[Round]) -> list[RoundData]:
    """Read the answers of rounds already found (by :func:`get_round` or :func:`list_rounds`).

    As :func:`load_many`, without reading the rounds' own rows again.
    """
    with store.read() as conn:
        rows = _RoundRows.read(conn, [r.id for r in rounds])
        return [_round_data(round_, rows.of(round_.id)) for round_ in rounds]


@dataclass
class _RoundRows:
    """What a round's data is made of, for several rounds, grouped by round id."""

    responses: dict[int, list[Any]] = field(default_factory=dict)
    answers: dict[int, list[Any]] = field(default_factory=dict)
    open_answers: dict[int, list[Any]] = field(default_factory=dict)
    invited: dict[int, int] = field(default_factory=dict)

    @classmethod
    def read(cls, conn: Connection, round_ids: list[int]) -> _RoundRows:
        found = cls()
        mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
        unique = sorted(set(round_ids))
        for start in range(0, len(unique), _CHUNK):
            chunk = unique[start : start + _CHUNK]
            among = f"({', '.join([mark] * len(chunk))})"
            for row in conn.exec_driver_sql(
                "SELECT round_id, id, member_type, panel_key_hash FROM responses "
                f"WHERE round_id IN {among} ORDER BY id",
                tuple(chunk),
            ):
                found.responses.setdefault(row[0], []).append(row[1:])
            for row in conn.exec_driver_sql(
                "SELECT r.round_id, a.response_id, a.item_id, a.value FROM answers a "
                f"JOIN responses r ON r.id = a.response_id WHERE r.round_id IN {among}",
                tuple(chunk),
            ):
                found.answers.setdefault(row[0], []).append(row[1:])
            for row in conn.exec_driver_sql(
                "SELECT round_id, question_id, text FROM open_answers "
                f"WHERE round_id IN {among} ORDER BY id",
                tuple(chunk),
            ):
                found.open_answers.setdefault(row[0], []).append(row[1:])
            for round_id, count in conn.exec_driver_sql(
                f"SELECT round_id, count(*) FROM invitations WHERE round_id IN {among} "
                "GROUP BY round_id",
                tuple(chunk),
            ):
                found.invited[round_id] = int(count)
        return found

    def of(self, round_id: int) -> tuple[list[Any], list[Any], list[Any], int]:
        return (
            self.responses.get(round_id, []),
            self.answers.get(round_id, []),
            self.open_answers.get(round_id, []),
            self.invited.get(round_id, 0),
        )


#: Rounds per query when reading many (well under any database's limit on parameters).
_CHUNK = 200


def _load(conn: Connection, round_: Round) -> RoundData:
    return _round_data(round_, _RoundRows.read(conn, [round_.id]).of(round_.id))


def _round_data(round_: Round, rows: tuple[list[Any], list[Any], list[Any], int]) -> RoundData:
    response_rows, answer_rows, open_rows, invited = rows
    instrument = round_.instrument
    # Plain lists, not Series: a Series would be aligned on its own index and come out empty.
    responses = pd.DataFrame(
        {
            "member_type": [r[1] for r in response_rows],
            "panel_key": [r[2] for r in response_rows],
        },
        index=pd.Index([r[0] for r in response_rows], name="response_id", dtype="object"),
        dtype="object",
    )
    # Filled straight from the rows: building a long frame and pivoting it took most
    # of the time of scoring a national programme.
    items = list(instrument.item_ids)
    column_of = {item: j for j, item in enumerate(items)}
    row_of = {r[0]: i for i, r in enumerate(response_rows)}
    value_array = np.full((len(row_of), len(items)), np.nan)
    dont_know_array = np.zeros((len(row_of), len(items)), dtype=bool)
    for response_id, item_id, value in answer_rows:
        j = column_of.get(item_id)
        if j is None:  # an item the round's questionnaire no longer has
            continue
        if value is None:
            dont_know_array[row_of[response_id], j] = True
        else:
            value_array[row_of[response_id], j] = value
    values = pd.DataFrame(value_array, index=responses.index, columns=items)
    dont_know = pd.DataFrame(dont_know_array, index=responses.index, columns=items)
    open_answers = pd.DataFrame([tuple(r) for r in open_rows], columns=["question_id", "text"])
    return RoundData(
        coalition=round_.coalition,
        round=round_.number,
        instrument=instrument,
        privacy=round_.privacy,
        responses=responses,
        values=values,
        dont_know=dont_know,
        open_answers=open_answers,
        # the lead's own count of people asked wins over the number of codes: a round can
        # mix codes with a kiosk and paper forms
        invited=round_.expected_respondents or invited or None,
        coalition_name=round_.coalition_name,
        programme=round_.programme,
    )
