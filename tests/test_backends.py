"""The store end to end on SQLite and on a real PostgreSQL server.

Many people answering at once, some of them cut off halfway (the process killed)
and coming back with the same code; copying a whole programme from one backend to
the other and back; scoring what each backend holds. PostgreSQL runs when
SURVEYCOAL_TEST_POSTGRES names a server (under CI it must).
"""

from __future__ import annotations

import itertools
import json
import multiprocessing
import os
import random
import signal
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from answering_fixtures import ITEMS, open_test_round
from typer.testing import CliRunner

from surveycoal.cli import app


@pytest.fixture
def db_url(both_backends_url: str) -> str:
    return both_backends_url


# -- answering at once, with interrupts ---------------------------------------------


def _pattern(index: int) -> dict[str, int | None]:
    """Answers that tell the test which code they were sent with (4 items, 625 patterns)."""
    return {item: (index // 5**k) % 5 + 1 for k, item in enumerate(ITEMS)}


def _answer(url: str, work: list[tuple[int, str]], pause: float, done: Any) -> None:
    """Answer each code item by item (a draft save per answer), resuming from a saved draft."""
    from surveycoal.codes import CodeRejected
    from surveycoal.store import NewResponse, open_store
    from surveycoal.store.answering import find_invitation, load_draft, save_draft, submit_with_code

    store = open_store(url)
    try:
        for index, code in work:
            try:
                code_hash = find_invitation(store, code).code_hash
            except CodeRejected:  # sent before this process was cut off
                done.put(index)
                continue
            target = _pattern(index)
            answers = dict((load_draft(store, code_hash) or {}).get("answers", {}))
            for item in ITEMS:
                if item not in answers:
                    answers[item] = target[item]
                    save_draft(store, code_hash, {"answers": answers})
                    time.sleep(pause)
            submit_with_code(store, code_hash, NewResponse("resident_initiative", answers))
            done.put(index)
    finally:
        store.close()


def _answer_at_once(url: str, processes: int, per_process: int, kills: int) -> None:
    from surveycoal.store import open_store
    from surveycoal.store.answering import create_invitations

    store = open_store(url)
    ref = open_test_round(store).ref
    codes = create_invitations(store, ref, processes * per_process)
    store.close()
    work = [
        list(enumerate(codes))[i * per_process : (i + 1) * per_process] for i in range(processes)
    ]
    ctx = multiprocessing.get_context("spawn")
    done = ctx.Queue()
    workers = {
        i: ctx.Process(target=_answer, args=(url, work[i], 0.01, done)) for i in range(processes)
    }
    for worker in workers.values():
        worker.start()
    rng = random.Random(13)
    killed = 0
    deadline = time.monotonic() + 240
    while killed < kills and time.monotonic() < deadline:
        time.sleep(rng.uniform(0.2, 0.8))
        victim = rng.choice([i for i, w in workers.items() if w.is_alive()] or [None])
        if victim is None:
            break
        os.kill(workers[victim].pid or 0, signal.SIGKILL)  # cut off mid-questionnaire
        workers[victim].join()
        killed += 1
        # The same person comes back with the same codes and carries on.
        workers[victim] = ctx.Process(target=_answer, args=(url, work[victim], 0.01, done))
        workers[victim].start()
    for worker in workers.values():
        worker.join(timeout=300)
        assert worker.exitcode == 0
    assert killed == kills


def _check_everything_arrived_once(url: str, count: int) -> None:
    from answering_fixtures import count_rows, stored_responses

    from surveycoal.store import open_store
    from surveycoal.store.answering import invitation_counts

    store = open_store(url)
    try:
        sent = Counter(
            sum(((r["answers"][item] or 0) - 1) * 5**k for k, item in enumerate(ITEMS))
            for r in stored_responses(store)
        )
        assert sent == Counter(range(count))  # every code's answers, each exactly once
        assert invitation_counts(store, "zuid-doet-samen/1") == {"unused": 0, "used": count}
        assert count_rows(store, "drafts") == 0
    finally:
        store.close()


@pytest.mark.slow
def test_many_answer_at_once_with_interrupts_and_nothing_is_lost_or_doubled(
    both_backends_url: str,
) -> None:
    processes = 8 if both_backends_url.endswith(".db") else 16
    _answer_at_once(both_backends_url, processes, per_process=3, kills=6)
    _check_everything_arrived_once(both_backends_url, processes * 3)


# -- copying between backends ----------------------------------------------------------


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo") / "surveycoal-demo"
    result = CliRunner().invoke(app, ["demo", "--out", str(folder)], env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.output
    return folder / "surveycoal-demo.db"


def _scores(url: str) -> dict[str, Any]:
    """``score --json`` of every round, as printed."""
    from surveycoal.store import list_rounds, open_store

    store = open_store(url)
    refs = [r.ref for r in list_rounds(store)]
    store.close()
    runner = CliRunner()
    out = {}
    for ref in refs:
        result = runner.invoke(app, ["score", ref, "--json", "--db", url])
        assert result.exit_code == 0, result.output
        out[ref] = json.loads(result.stdout)
    return out


def _counts(url: str) -> dict[str, int]:
    from surveycoal.store import open_store
    from surveycoal.store.copying import table_counts

    store = open_store(url)
    try:
        with store.read() as conn:
            return table_counts(conn)
    finally:
        store.close()


def _copy(source: str, target: str) -> Any:
    return CliRunner().invoke(app, ["db", "copy", "--db", source, "--to", target])


@pytest.mark.slow
def test_the_demo_copies_to_postgresql_and_back_and_scores_the_same(
    demo_db: Path, empty_postgres_url: str, tmp_path: Path
) -> None:
    back = tmp_path / "back.db"
    to_server = _copy(str(demo_db), empty_postgres_url)
    assert to_server.exit_code == 0, to_server.output
    assert "scores all 15 rounds the same" in to_server.output
    to_file = _copy(empty_postgres_url, str(back))
    assert to_file.exit_code == 0, to_file.output
    counts = _counts(str(demo_db))
    assert counts["responses"] > 200 and counts["answers"] > 5000
    assert _counts(empty_postgres_url) == counts == _counts(str(back))
    scores = _scores(str(demo_db))
    assert len(scores) == 15
    assert _scores(empty_postgres_url) == scores == _scores(str(back))
    # The server hands out new ids after the copied ones.
    from surveycoal.store import add_coalition, add_member, open_store

    server = open_store(empty_postgres_url)
    try:
        slug = add_coalition(server, "Na de verhuizing").slug
        add_member(server, slug, "Buurthuis", "resident_initiative")
    finally:
        server.close()


def test_a_copy_keeps_codes_drafts_and_the_hashing_key_working(
    store: Any, db_url: str, tmp_path: Path
) -> None:
    from surveycoal.codes import CodeRejected
    from surveycoal.store import NewResponse, open_store
    from surveycoal.store.answering import (
        create_invitations,
        find_invitation,
        load_draft,
        save_draft,
        submit_with_code,
    )

    ref = open_test_round(store, link_rounds=True).ref
    sent, waiting = create_invitations(store, ref, 2)
    submit_with_code(
        store,
        find_invitation(store, sent).code_hash,
        NewResponse("resident_initiative", _pattern(7)),
    )
    save_draft(store, find_invitation(store, waiting).code_hash, {"answers": {"trust_1": 2}})
    target = tmp_path / "copy.db"
    result = _copy(db_url, str(target))
    assert result.exit_code == 0, result.output
    copy = open_store(target)
    try:
        # The code typed on the slip still finds its draft in the copy, and can be sent there.
        code_hash = find_invitation(copy, waiting).code_hash
        assert load_draft(copy, code_hash) == {"answers": {"trust_1": 2}}
        submit_with_code(copy, code_hash, NewResponse("resident_initiative", _pattern(8)))
        with pytest.raises(CodeRejected):
            find_invitation(copy, sent)
    finally:
        copy.close()


def test_a_copy_goes_only_into_an_empty_database(store: Any, db_url: str, tmp_path: Path) -> None:
    from surveycoal.store import add_programme, create_store

    open_test_round(store)
    filled = tmp_path / "filled.db"
    other = create_store(filled)
    add_programme(other, "Al in gebruik")
    other.close()
    before = filled.read_bytes()
    result = _copy(db_url, str(filled))
    assert result.exit_code == 1
    assert "is not empty (it holds 1 programmes)" in result.output
    assert "Traceback" not in result.output
    assert filled.read_bytes() == before
    itself = _copy(db_url, db_url)
    assert itself.exit_code == 1 and "the database being copied" in itself.output


def test_a_copy_that_does_not_score_the_same_keeps_nothing(
    store: Any, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from surveycoal.store import NewResponse, copying, submit_responses

    ref = open_test_round(store).ref
    submit_responses(
        store, ref, [NewResponse("resident_initiative", _pattern(i)) for i in range(6)]
    )
    real = copying.round_scores
    calls = itertools.count()

    def scores_that_differ(conn: Any) -> dict[int, str]:
        scores = real(conn)
        return scores if next(calls) == 0 else {k: v + " " for k, v in scores.items()}

    monkeypatch.setattr(copying, "round_scores", scores_that_differ)
    target = tmp_path / "copy.db"
    result = _copy(db_url, str(target))
    assert result.exit_code == 1 and "do not score the same" in result.output
    assert not target.exists()


# -- order of arrival on the server --------------------------------------------------


def test_rows_lie_in_key_order_after_kiosk_submits_and_an_import(
    store: Any, db_url: str, tmp_path: Path
) -> None:
    """Whatever the path a response came in by, the round's rows end up in key order,
    also in PostgreSQL's physical order (ctid)."""
    from sqlalchemy import text

    from surveycoal.importer import import_answers
    from surveycoal.store import NewResponse
    from surveycoal.store.answering import submit_anonymous

    ref = open_test_round(store).ref
    for i in range(5):
        submit_anonymous(store, ref, NewResponse("welfare_organisation", _pattern(i)))
    sheet = tmp_path / "papier.csv"
    rows = ["member_type," + ",".join(ITEMS)]
    rows += [f"resident_initiative,{i % 5 + 1},{(i + 1) % 5 + 1},3,dk" for i in range(20)]
    sheet.write_text("\n".join(rows) + "\n", encoding="utf-8")
    import_answers(store, ref, sheet)
    order = "ctid" if not store.is_sqlite else "id"
    with store.engine.connect() as conn:
        ids = [r[0] for r in conn.execute(text(f"SELECT id FROM responses ORDER BY {order}"))]
        round_id = conn.execute(text("SELECT id FROM rounds")).scalar()
        if not store.is_sqlite:
            stamps = {r[0] for r in conn.execute(text("SELECT xmin::text FROM responses"))}
            assert len(stamps) == 1
    assert len(ids) == 25 and ids == sorted(ids)
    assert all(i.startswith(f"{round_id:08x}") for i in ids)


def test_rows_stored_before_ids_carried_the_round_get_such_ids_at_the_next_submit(
    store: Any,
) -> None:
    """Older databases hold random ids that interleave rounds; the next write of the round
    gives them ids that keep the round together, and keeps every answer."""
    from answering_fixtures import stored_responses
    from sqlalchemy import text

    from surveycoal.store import NewResponse, submit_responses

    ref = open_test_round(store).ref
    submit_responses(
        store, ref, [NewResponse("resident_initiative", _pattern(i)) for i in range(3)]
    )
    with store.write() as conn:
        for n, (old,) in enumerate(conn.execute(text("SELECT id FROM responses")).all()):
            new = f"{0xF0 + n:02x}" + old[2:]
            conn.execute(
                text(
                    "INSERT INTO responses SELECT :new, round_id, member_type, panel_key_hash, "
                    "complete, submitted_on FROM responses WHERE id = :old"
                ),
                {"new": new, "old": old},
            )
            conn.execute(
                text("UPDATE answers SET response_id = :new WHERE response_id = :old"),
                {"new": new, "old": old},
            )
            conn.execute(text("DELETE FROM responses WHERE id = :old"), {"old": old})
    before = stored_responses(store)
    submit_responses(store, ref, [NewResponse("resident_initiative", _pattern(3))])
    after = stored_responses(store)
    assert len(after) == 4 and all(r in after for r in before)
    with store.read() as conn:
        ids = [r[0] for r in conn.execute(text("SELECT id FROM responses"))]
        round_id = conn.execute(text("SELECT id FROM rounds")).scalar()
    assert all(i.startswith(f"{round_id:08x}") for i in ids)


def test_scores_are_the_same_read_from_either_backend(store: Any, db_url: str) -> None:
    from surveycoal.scoring import score_round
    from surveycoal.store import NewResponse, load_round_data, submit_responses

    ref = open_test_round(store).ref
    submit_responses(
        store, ref, [NewResponse("resident_initiative", _pattern(i * 37)) for i in range(12)]
    )
    data = load_round_data(store, ref)
    assert data.values.shape == (12, len(ITEMS))
    assert list(data.values.index) == sorted(data.values.index)
    result = score_round(data).to_json()
    assert result["n_responses"] == 12
    assert all(d["n"] == 12 for d in result["dimensions"])


# -- answers and their responses ------------------------------------------------------


def _answer_rows(store: Any) -> tuple[int, int]:
    """How many answers the database holds, and how many of them lack their response."""
    with store.read() as conn:
        total = conn.exec_driver_sql("SELECT count(*) FROM answers").scalar()
        orphans = conn.exec_driver_sql(
            "SELECT count(*) FROM answers a LEFT JOIN responses r ON r.id = a.response_id "
            "WHERE r.id IS NULL"
        ).scalar()
    return int(total or 0), int(orphans or 0)


def test_submits_purges_and_deleting_a_coalition_leave_no_answer_without_its_response(
    store: Any, db_url: str, tmp_path: Path
) -> None:
    """The answers table has no foreign key to responses (schema version 5): every write
    that rewrites or deletes responses must take their answers along itself."""
    from surveycoal import store as st
    from surveycoal.importer import import_answers
    from surveycoal.store.answering import submit_anonymous
    from surveycoal.store.erasure import delete_coalition, purge_round

    kept = st.add_coalition(store, "Noord Samen").slug
    first = open_test_round(store).ref
    other = st.open_round(store, kept, st.get_round(store, first).instrument).ref
    for i in range(4):  # each submit rewrites the round's rows
        submit_anonymous(store, first, st.NewResponse("welfare_organisation", _pattern(i)))
        st.submit_responses(store, other, [st.NewResponse("resident_initiative", _pattern(i))])
    sheet = tmp_path / "papier.csv"
    sheet.write_text(
        "member_type," + ",".join(ITEMS) + "\n" + "resident_initiative,1,2,3,dk\n" * 3,
        encoding="utf-8",
    )
    import_answers(store, first, sheet)
    assert _answer_rows(store) == (4 * 11, 0)

    st.close_round(store, first)
    erased = purge_round(store, first, scores_json="{}", before_retention=True)
    assert erased.counts["answers"] == 7 * 4
    assert _answer_rows(store) == (4 * 4, 0)

    second = open_test_round(store).ref
    st.submit_responses(store, second, [st.NewResponse("resident_initiative", _pattern(9))])
    assert _answer_rows(store) == (5 * 4, 0)
    erased = delete_coalition(store, "zuid-doet-samen")
    assert erased.counts["answers"] == 4
    assert _answer_rows(store) == (4 * 4, 0)
    assert st.count_responses(store, other) == 4


# -- reading many rounds at once ------------------------------------------------------


def _reference_load(store: Any, refs: list[str]) -> list[Any]:
    """Rounds read as load_many read them before it read a programme in bulk: one look-up
    per round and SQLAlchemy rows placed one by one. The bulk reading must give the same."""
    import numpy as np
    import pandas as pd

    from surveycoal.rounddata import RoundData
    from surveycoal.store import get_round

    found = []
    for ref in refs:
        round_ = get_round(store, ref)
        with store.read() as conn:
            mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
            response_rows = [
                tuple(r)
                for r in conn.exec_driver_sql(
                    "SELECT id, member_type, panel_key_hash FROM responses "
                    f"WHERE round_id = {mark} ORDER BY id",
                    (round_.id,),
                )
            ]
            answer_rows = [
                tuple(r)
                for r in conn.exec_driver_sql(
                    "SELECT a.response_id, a.item_id, a.value FROM answers a "
                    f"JOIN responses r ON r.id = a.response_id WHERE r.round_id = {mark}",
                    (round_.id,),
                )
            ]
            open_rows = [
                tuple(r)
                for r in conn.exec_driver_sql(
                    f"SELECT question_id, text FROM open_answers WHERE round_id = {mark} "
                    "ORDER BY id",
                    (round_.id,),
                )
            ]
            invited = conn.exec_driver_sql(
                f"SELECT count(*) FROM invitations WHERE round_id = {mark}", (round_.id,)
            ).scalar()
        instrument = round_.instrument
        responses = pd.DataFrame(
            {
                "member_type": [r[1] for r in response_rows],
                "panel_key": [r[2] for r in response_rows],
            },
            index=pd.Index([r[0] for r in response_rows], name="response_id", dtype="object"),
            dtype="object",
        )
        items = list(instrument.item_ids)
        column_of = {item: j for j, item in enumerate(items)}
        row_of = {r[0]: i for i, r in enumerate(response_rows)}
        value_array = np.full((len(row_of), len(items)), np.nan)
        dont_know_array = np.zeros((len(row_of), len(items)), dtype=bool)
        for response_id, item_id, value in answer_rows:
            j = column_of.get(item_id)
            if j is None:
                continue
            if value is None:
                dont_know_array[row_of[response_id], j] = True
            else:
                value_array[row_of[response_id], j] = value
        found.append(
            RoundData(
                coalition=round_.coalition,
                round=round_.number,
                instrument=instrument,
                privacy=round_.privacy,
                responses=responses,
                values=pd.DataFrame(value_array, index=responses.index, columns=items),
                dont_know=pd.DataFrame(dont_know_array, index=responses.index, columns=items),
                open_answers=pd.DataFrame(open_rows, columns=["question_id", "text"]),
                invited=round_.expected_respondents or invited or None,
                coalition_name=round_.coalition_name,
                programme=round_.programme,
            )
        )
    return found


def _same_round_data(got: Any, expected: Any) -> None:
    import pandas.testing as pdt

    for name in ("coalition", "round", "instrument", "privacy", "invited", "coalition_name"):
        assert getattr(got, name) == getattr(expected, name), name
    assert got.programme == expected.programme
    for name in ("responses", "values", "dont_know", "open_answers"):
        frame, reference = getattr(got, name), getattr(expected, name)
        pdt.assert_frame_equal(frame, reference, check_exact=True)
        assert list(frame.dtypes) == list(reference.dtypes), name
        assert frame.index.dtype == reference.index.dtype, name
        assert frame.index.name == reference.index.name, name


def test_reading_a_programme_in_bulk_gives_what_reading_round_by_round_gave(store: Any) -> None:
    """Two questionnaires, linked and unlinked rounds, don't-knows and unanswered items, open
    answers, codes and expected counts, an empty round, an answer to an item the round's
    questionnaire does not have, and a round named twice."""
    from surveycoal import store as st
    from surveycoal.instruments import load_instrument
    from surveycoal.store.answering import create_invitations
    from surveycoal.store.responses import load_rounds

    health, pulse = load_instrument("coalition-health"), load_instrument("coalition-pulse")
    st.add_programme(store, "Expedities")
    rng = random.Random(5)
    refs = []
    for c, instrument in enumerate((health, pulse, health)):
        slug = st.add_coalition(store, f"Coalitie {c}", programme="Expedities" if c else None).slug
        for number in range(1, 4):
            round_ = st.open_round(
                store, slug, instrument, link_rounds=c == 1, expected_respondents=30 if number == 2 else None
            )  # fmt: skip
            refs.append(round_.ref)
            if number == 3 and c == 2:
                continue  # a round without responses
            create_invitations(store, round_.ref, 3 + number)
            question = instrument.open_questions[0].id
            answers = []
            for person in range(5 + 3 * c + number):
                given = {
                    item: rng.choice([1, 2, 3, 4, 5, None])
                    for item in instrument.item_ids
                    if rng.random() < 0.8
                }
                answers.append(
                    st.NewResponse(
                        rng.choice(instrument.member_type_ids),
                        given,
                        {question: f"Regel {person}\tmet tab"} if person % 3 == 0 else {},
                        panel_key_hash=f"{person:064x}" if c == 1 else None,
                    )
                )
            st.submit_responses(store, round_.ref, answers)
            st.close_round(store, round_.ref)
    with store.write() as conn:  # an item the round's questionnaire no longer has
        some = conn.exec_driver_sql("SELECT id FROM responses ORDER BY id").first()[0]
        conn.exec_driver_sql(
            "INSERT INTO answers VALUES (" + ("?, ?, ?" if store.is_sqlite else "%s, %s, %s") + ")",
            (some, "an_item_since_removed", 3),
        )

    asked = [*refs[::-1], refs[0]]
    got, expected = st.load_many(store, asked), _reference_load(store, asked)
    assert len(got) == len(expected) == len(refs) + 1
    for one, other in zip(got, expected, strict=True):
        _same_round_data(one, other)
    assert sum(d.n_responses for d in got) > 50 and got[0].n_responses == 0
    assert sum(len(d.open_answers) for d in got) > 5
    rounds = st.list_rounds(store)
    for one, other in zip(load_rounds(store, rounds), _reference_load(store, [r.ref for r in rounds]), strict=True):  # fmt: skip
        _same_round_data(one, other)
    _same_round_data(st.load_round_data(store, refs[4]), _reference_load(store, [refs[4]])[0])
    assert st.load_many(store, []) == []
