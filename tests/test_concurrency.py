"""Several answer sessions and kiosks writing to one SQLite file at once lose nothing."""

from __future__ import annotations

import multiprocessing
from pathlib import Path
from typing import Any

import pytest
from answering_fixtures import ITEMS, count_rows, new_database

pytestmark = pytest.mark.slow

PROCESSES = 4
CODES_PER_PROCESS = 6
KIOSK_PER_PROCESS = 6


def _worker(
    db: str, ref: str, codes: list[str], contested: str, barrier: Any, results: Any
) -> None:
    """One process: answer with codes (a draft save per answer), run kiosk submits, race for one code."""
    from surveycoal.codes import CodeRejected
    from surveycoal.store import NewResponse, open_store
    from surveycoal.store.answering import (
        find_invitation,
        save_draft,
        submit_anonymous,
        submit_with_code,
    )

    store = open_store(db)
    sent = kiosk = won = lost = 0
    barrier.wait()
    try:
        for n, code in enumerate(codes):
            code_hash = find_invitation(store, code).code_hash
            answers: dict[str, int | None] = {}
            for item in ITEMS:
                answers[item] = (n % 5) + 1
                save_draft(store, code_hash, {"answers": answers})
            submit_with_code(store, code_hash, NewResponse("resident_initiative", answers))
            sent += 1
            submit_anonymous(store, ref, NewResponse("welfare_organisation", {"trust_1": 3}))
            kiosk += 1
        try:
            submit_with_code(
                store,
                find_invitation(store, contested).code_hash,
                NewResponse("resident_initiative", {"trust_1": 1}),
            )
            won += 1
        except CodeRejected:
            lost += 1
    finally:
        store.close()
    results.put((sent, kiosk, won, lost))


def test_four_processes_submitting_at_once_lose_nothing(tmp_path: Path) -> None:
    from surveycoal.store import open_store
    from surveycoal.store.answering import create_invitations, invitation_counts

    db = tmp_path / "busy.db"
    ref = new_database(db)
    store = open_store(db)
    codes = create_invitations(store, ref, PROCESSES * CODES_PER_PROCESS + 1)
    contested = codes.pop()
    store.close()

    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(PROCESSES)
    results = ctx.Queue()
    workers = [
        ctx.Process(
            target=_worker,
            args=(
                str(db),
                ref,
                codes[i * CODES_PER_PROCESS : (i + 1) * CODES_PER_PROCESS],
                contested,
                barrier,
                results,
            ),
        )
        for i in range(PROCESSES)
    ]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)
        assert worker.exitcode == 0

    assert sum(o[0] for o in outcomes) == PROCESSES * CODES_PER_PROCESS
    assert sum(o[1] for o in outcomes) == PROCESSES * KIOSK_PER_PROCESS
    # Exactly one process could use the code they all raced for.
    assert sum(o[2] for o in outcomes) == 1 and sum(o[3] for o in outcomes) == PROCESSES - 1

    store = open_store(db)
    try:
        expected = PROCESSES * (CODES_PER_PROCESS + KIOSK_PER_PROCESS) + 1
        assert count_rows(store, "responses") == expected
        assert count_rows(store, "drafts") == 0
        assert invitation_counts(store, ref) == {
            "unused": 0,
            "used": PROCESSES * CODES_PER_PROCESS + 1,
        }
    finally:
        store.close()
