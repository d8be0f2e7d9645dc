"""After several submissions, nothing in the database ties a response to a code or to an order.

The test looks at the database the way someone with a copy of the file would:
the tables, the physical order of rows, the raw bytes of the file and its
write-ahead log.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Any

from answering_fixtures import ITEMS, open_test_round

from surveycoal.store import NewResponse, load_round_data
from surveycoal.store.answering import (
    create_invitations,
    find_invitation,
    save_draft,
    submit_anonymous,
    submit_with_code,
)

SUBMISSIONS = 25
DRAFT_SECRET = "CONCEPT-NOOIT-VERSTUURD"


def _pattern(i: int) -> dict[str, int | None]:
    """Answers that encode the submission number (25 distinct patterns)."""
    return {"trust_1": i // 5 + 1, "trust_2": i % 5 + 1, "equality_1": 3, "equality_2": None}


def _submit_many(store: Any) -> tuple[str, list[str]]:
    round_ = open_test_round(store)
    codes = create_invitations(store, round_.ref, SUBMISSIONS)
    hashes = []
    for i, code in enumerate(codes):
        code_hash = find_invitation(store, code).code_hash
        hashes.append(code_hash)
        # A draft holds an answer that is changed before sending: it must leave no trace.
        save_draft(
            store, code_hash, {"answers": _pattern(i), "open_answers": {"tips": DRAFT_SECRET}}
        )
        submit_with_code(
            store,
            code_hash,
            NewResponse("resident_initiative", _pattern(i), open_answers={"tips": f"tip {i:02d}"}),
        )
    submit_anonymous(store, round_.ref, NewResponse("welfare_organisation", {"trust_1": 1}))
    return round_.ref, hashes


def _raw(db_path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)


def test_no_column_or_value_links_a_response_to_a_code(store: Any, db_path: Path) -> None:
    _, hashes = _submit_many(store)
    raw = _raw(db_path)
    try:
        columns = {
            table: [row[1] for row in raw.execute(f"PRAGMA table_info({table})")]
            for table in ("responses", "answers", "open_answers", "invitations", "drafts")
        }
        assert set(columns["responses"]) == {
            "id",
            "round_id",
            "member_type",
            "panel_key_hash",
            "complete",
            "submitted_on",
        }
        assert set(columns["invitations"]) == {"code_hash", "round_id", "status", "expires_on"}
        assert "response_id" not in columns["open_answers"]
        assert raw.execute("SELECT count(*) FROM drafts").fetchone() == (0,)
        assert {s for (s,) in raw.execute("SELECT DISTINCT status FROM invitations")} == {"used"}
        ids = [i for (i,) in raw.execute("SELECT id FROM responses")]
        assert all(re.fullmatch(r"[0-9a-f]{32}", i) for i in ids)
        # No response id shares even 8 characters in a row with a code's hash.
        pieces = {h[k : k + 8] for h in hashes for k in range(len(h) - 7)}
        assert not any(i[k : k + 8] in pieces for i in ids for k in range(len(i) - 7))
        assert all(h not in (i for i in ids) for h in hashes)
    finally:
        raw.close()


def test_neither_row_order_nor_stored_values_reveal_the_order_of_submission(
    store: Any, db_path: Path
) -> None:
    ref, _ = _submit_many(store)
    raw = _raw(db_path)
    try:
        # The tables have no row numbers that count up with each insert ...
        for table in ("responses", "answers", "open_answers"):
            try:
                raw.execute(f"SELECT rowid FROM {table}").fetchall()
            except sqlite3.OperationalError:
                pass
            else:  # pragma: no cover - would mean a rowid table
                raise AssertionError(f"{table} has row numbers")
        # ... and rows come back in the order of their random ids, not of arrival.
        ids = [i for (i,) in raw.execute("SELECT id FROM responses")]
        assert ids == sorted(ids)
        arrival = {}
        for response_id, item_id, value in raw.execute("SELECT * FROM answers"):
            if item_id in ("trust_1", "trust_2"):
                arrival.setdefault(response_id, [0, 0])[ITEMS.index(item_id)] = value
        coded = [arrival[i] for i in ids if i in arrival and all(arrival[i])]
        order = [(first - 1) * 5 + second - 1 for first, second in coded]
        assert sorted(order) == list(range(SUBMISSIONS)) and order != list(range(SUBMISSIONS))
        tips = [t for (t,) in raw.execute("SELECT text FROM open_answers")]
        assert sorted(tips) == [f"tip {i:02d}" for i in range(SUBMISSIONS)]
        assert tips != sorted(tips)
        # Dates only: no time of day anywhere in the answer tables.
        dates = {d for (d,) in raw.execute("SELECT DISTINCT submitted_on FROM responses")}
        assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(d)) for d in dates)
    finally:
        raw.close()
    # What is read back for scoring is ordered by the random id too.
    exported = load_round_data(store, ref)
    assert list(exported.values.index) == sorted(exported.values.index)


def test_deleted_drafts_and_arrival_order_leave_no_trace_in_the_file(
    store: Any, db_path: Path
) -> None:
    _submit_many(store)
    wal = db_path.with_name(db_path.name + "-wal")
    # The write-ahead log, which would hold pages in the order written, is emptied.
    assert not wal.exists() or wal.stat().st_size == 0
    data = db_path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
    assert DRAFT_SECRET.encode() not in data
    assert b'"open_answers"' not in data and b'"answers"' not in data


def _file_layout(db_path: Path, arrival: list[int], monkeypatch: Any) -> list[tuple[int, bytes]]:
    """Submit one response per number in ``arrival`` order; where each id lies in the file.

    The ids are fixed by the numbers (not random), so two databases that got the
    same responses in different orders can be compared byte by byte.
    """
    from surveycoal.store import create_store
    from surveycoal.store import responses as responses_module

    numbers = iter(arrival)
    store = create_store(db_path)
    try:
        round_ = open_test_round(store)
        ref = round_.ref
        with monkeypatch.context() as patch:
            # Ids start with the round's number, as real ones do, then the fixed number.
            patch.setattr(
                responses_module,
                "new_row_id",
                lambda round_id: f"{round_id:08x}{next(numbers):024x}",
            )
            for n in arrival:
                answers = {item: (n + k) % 5 + 1 for k, item in enumerate(ITEMS)}
                submit_anonymous(store, ref, NewResponse("resident_initiative", answers))
    finally:
        store.close()
    known = {f"{round_.id:08x}{n:024x}".encode() for n in arrival}
    data = db_path.read_bytes()
    wal = db_path.with_name(db_path.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    page_size = 4096
    return [
        (match.start() // page_size, match.group())
        for match in re.finditer(rb"[0-9a-f]{32}", data)
        if match.group() in known
    ]


def test_the_file_is_the_same_whatever_order_the_responses_arrived_in(
    tmp_path: Path, monkeypatch: Any
) -> None:
    """Without row numbers a B-tree still grows page by page as rows arrive; the round is
    written again in key order with each submit so that where a response lies tells
    nothing of when."""
    import random

    count = 150  # enough for the answer tables to split over many pages
    in_order = list(range(count))
    shuffled = in_order.copy()
    random.Random(5).shuffle(shuffled)
    first = _file_layout(tmp_path / "first.db", in_order, monkeypatch)
    second = _file_layout(tmp_path / "second.db", shuffled, monkeypatch)
    assert len({page for page, _ in first}) > 3
    assert first == second


def _busy_file_layout(
    db_path: Path, arrival: list[int], monkeypatch: Any, *, sizes_vary: bool, close: bool = False
) -> list[tuple[int, bytes]]:
    """Three coalitions answering on the same evening, their submits interleaved.

    The middle round gets its responses in ``arrival`` order, the rounds before and
    after it always in the same order; where every id lies in the file (after the
    middle round is closed, with ``close``). With ``sizes_vary`` a response's size
    in bytes depends on its number (SQLite stores the answer 1 in no bytes at all).
    """
    from surveycoal import store as st
    from surveycoal.store import responses as responses_module

    store = st.create_store(db_path)
    try:
        refs = []
        for name in ("Noord", "Midden", "Zuid"):
            slug = st.add_coalition(store, name).slug
            refs.append(st.open_round(store, slug, _instrument()).ref)
        rounds = [st.get_round(store, ref) for ref in refs]
        orders = [list(range(len(arrival))), arrival, list(range(len(arrival)))[::-1]]
        pending = [iter(order) for order in orders]
        with monkeypatch.context() as patch:
            current = [0]
            patch.setattr(
                responses_module,
                "new_row_id",
                lambda round_id: f"{round_id:08x}{current[0]:024x}",
            )
            for _ in arrival:
                for round_, numbers in zip(rounds, pending, strict=True):
                    current[0] = next(numbers)
                    points = 5 if sizes_vary else 4  # 2..5 are all stored in one byte
                    answers = {
                        item: (current[0] + k) % points + 6 - points for k, item in enumerate(ITEMS)
                    }
                    submit_anonymous(store, round_.ref, NewResponse("resident_initiative", answers))
        if close:
            st.close_round(store, refs[1])
        known = {
            f"{round_.id:08x}{n:024x}".encode() for round_ in rounds for n in range(len(arrival))
        }
    finally:
        store.close()
    data = db_path.read_bytes()
    return [
        (match.start() // 4096, match.group())
        for match in re.finditer(rb"[0-9a-f]{32}", data)
        if match.group() in known
    ]


def _instrument() -> Any:
    from answering_fixtures import make_instrument

    return make_instrument()


def test_one_round_lies_the_same_whatever_order_while_other_rounds_answer_too(
    tmp_path: Path, monkeypatch: Any
) -> None:
    """Only the submitting round is written again, so its rows must be a range of their
    own: rows of other rounds between them would keep a trace of the order."""
    import random

    count = 60
    shuffled = list(range(count))
    random.Random(11).shuffle(shuffled)
    first = _busy_file_layout(
        tmp_path / "first.db", list(range(count)), monkeypatch, sizes_vary=False
    )
    second = _busy_file_layout(tmp_path / "second.db", shuffled, monkeypatch, sizes_vary=False)
    assert len({page for page, _ in first}) > 6
    assert first == second


def test_closing_a_round_erases_even_the_trace_of_its_sizes(
    tmp_path: Path, monkeypatch: Any
) -> None:
    """Page numbers can reflect how many bytes a round held at each earlier submit; once
    the round is closed the file is rebuilt, and that trace is gone too."""
    import random

    count = 60
    shuffled = list(range(count))
    random.Random(11).shuffle(shuffled)
    layouts = [
        _busy_file_layout(tmp_path / name, arrival, monkeypatch, sizes_vary=True, close=True)
        for name, arrival in (("first.db", list(range(count))), ("second.db", shuffled))
    ]
    assert len({page for page, _ in layouts[0]}) > 6
    assert layouts[0] == layouts[1]
