"""`surveycoal serve` as a real server (uvicorn in a subprocess), reached over HTTP.

Thirty phones answer at once, with pauses, against SQLite and PostgreSQL: every
response arrives exactly once, no phone sees an error page, and the lead's live
count says so. And the server leaves no address, user agent or path anywhere:
not in what it prints, not in the database.
"""

from __future__ import annotations

import os
import random
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from answering_fixtures import new_database, open_test_round, stored_open_answers
from web_fixtures import Phone, Served, answer_whole_questionnaire, serve, snapshot

from surveycoal.store import count_responses, create_store, open_store

pytestmark = pytest.mark.slow
PHONES = 30
POSTGRES = os.environ.get("SURVEYCOAL_TEST_POSTGRES", "")


def _answers_for(index: int) -> tuple[str, ...]:
    """A different set of answers for every phone, so each response can be found once."""
    values = ("1", "2", "3", "4", "5", "dk")
    return tuple(values[(index // 6**k) % 6] for k in range(4))


def thirty_phones(url: str) -> list[list[int]]:
    import httpx

    def one(index: int) -> list[int]:
        rng = random.Random(index)
        with httpx.Client(base_url=url, timeout=60) as client:
            phone = Phone(client)
            phone.open("/")
            answer_whole_questionnaire(
                phone,
                member_type=("resident_initiative", "welfare_organisation")[index % 2],
                values=_answers_for(index),
                text=f"Telefoon {index}",
                pause=lambda: time.sleep(rng.uniform(0.0, 0.15)),
            )
            return phone.statuses

    with ThreadPoolExecutor(PHONES) as pool:
        return list(pool.map(one, range(PHONES)))


def _check_thirty(store: Any, ref: str, served: Served, statuses: list[list[int]]) -> None:
    assert all(set(s) == {200} for s in statuses), statuses  # no phone saw an error page
    assert count_responses(store, ref) == PHONES
    assert stored_open_answers(store) == sorted(f"Telefoon {i}" for i in range(PHONES))
    from sqlalchemy import select

    from surveycoal.store import schema

    with store.read() as conn:
        rows = conn.execute(select(schema.answers)).all()
        drafts = conn.execute(select(schema.drafts)).all()
    by_response: dict[str, dict[str, int | None]] = {}
    for row in rows:
        by_response.setdefault(row.response_id, {})[row.item_id] = row.value
    items = ("trust_1", "trust_2", "equality_1", "equality_2")
    got = sorted(
        tuple("dk" if a[i] is None else str(a[i]) for i in items) for a in by_response.values()
    )
    assert got == sorted(_answers_for(i) for i in range(PHONES))  # each exactly once
    assert drafts == []
    served.wait_for(f"{PHONES} of {PHONES} answered")


def test_thirty_phones_at_once_on_sqlite(tmp_path: Path) -> None:
    db = tmp_path / "meeting.db"
    ref = new_database(db)
    with serve(str(db), ref, "--expected", str(PHONES), tmp_path=tmp_path) as served:
        served.wait_for("0 of 30 answered")
        statuses = thirty_phones(served.url)
        store = open_store(db)
        try:
            _check_thirty(store, ref, served, statuses)
        finally:
            store.close()


@pytest.fixture
def postgres_url(empty_postgres_url: str) -> str:
    """A new, empty PostgreSQL database (conftest makes and drops it)."""
    return empty_postgres_url


def test_thirty_phones_at_once_on_postgresql(postgres_url: str, tmp_path: Path) -> None:
    store = create_store(postgres_url)
    try:
        ref = open_test_round(store).ref
        with serve(postgres_url, ref, "--expected", str(PHONES), tmp_path=tmp_path) as served:
            served.wait_for("0 of 30 answered")
            statuses = thirty_phones(served.url)
            _check_thirty(store, ref, served, statuses)
    finally:
        store.close()


def test_the_server_writes_no_address_user_agent_or_path(tmp_path: Path) -> None:
    import httpx

    db = tmp_path / "quiet.db"
    ref = new_database(db)
    agent = "PhoneAgent/7.3 (Distinctive; Tracked)"
    with serve(str(db), ref, "--host", "127.0.0.1", tmp_path=tmp_path) as served:
        served.wait_for("Press Ctrl-C")
        printed_before = served.output
        with httpx.Client(base_url=served.url, headers={"user-agent": agent}) as client:
            phone = Phone(client)
            phone.open("/")
            answer_whole_questionnaire(phone)
            client.get("/path-that-does-not-exist-4711")
            client.post("/q", content=b"x" * 50_000, headers={"content-type": "text/plain"})
            client.post("/q", data={"csrf": "forged", "s": "item:trust_1", "choice": "9"})
            client.get("/q?s=item%3Anot-an-item")
            client.get("/k/ABCD-EFGHJ")
            with socket.create_connection(("127.0.0.1", int(served.url.rsplit(":", 1)[1]))) as raw:
                raw.sendall(b"NONSENSE /secret-path-0815 HTTP/9\r\n\r\n")
                raw.recv(1000)
    assert served.process.returncode == 0  # Ctrl-C is how the lead stops it
    printed_after = served.output[len(printed_before) :]
    for trace in ("127.0.0.1", agent, "PhoneAgent", "/q", "4711", "0815", "trust_1", "GET", "POST"):
        assert trace not in printed_after, (trace, printed_after)
    assert "Stopped. 1 answered." in printed_after  # the count is all it printed
    store = open_store(db)
    try:
        rows = snapshot(store)
    finally:
        store.close()
    stored = repr(rows)
    for trace in ("127.0.0.1", "PhoneAgent", "4711", "/q", "Mozilla", "python-httpx"):
        assert trace not in stored, trace
    raw_bytes = b"".join(p.read_bytes() for p in tmp_path.glob("quiet.db*"))
    for trace in (b"127.0.0.1", b"PhoneAgent", b"4711", b"python-httpx"):
        assert trace not in raw_bytes, trace


def test_serve_refuses_what_it_cannot_serve(cli: Any, store: Any) -> None:
    round_ = open_test_round(store)
    both = cli("serve", round_.ref, "--all")
    assert both.exit_code == 1 and "not both" in both.output
    neither = cli("serve")
    assert neither.exit_code == 1 and "--all" in neither.output
    no_codes = cli("serve", round_.ref, "--codes")
    assert no_codes.exit_code == 1 and "no unused codes" in no_codes.output
    cap = cli("serve", round_.ref, "--expected", "0")
    assert cap.exit_code == 1 and "--expected" in cap.output
    from surveycoal.store import close_round

    close_round(store, round_.ref)
    closed = cli("serve", round_.ref)
    assert closed.exit_code == 1 and "closed" in closed.output
    assert "Traceback" not in closed.output


def test_serve_prints_the_address_a_qr_code_and_how_phones_join(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "show.db"
    ref = new_database(db)
    with serve(str(db), ref, tmp_path=tmp_path) as served:
        served.wait_for("Press Ctrl-C")
        text = served.output
    from surveycoal.cli.serve import lan_address

    address = lan_address()
    if address is None:
        assert "no network address other than 127.0.0.1" in text
        assert "hotspot" in text
    else:
        assert f"Open on a phone: http://{address}:" in text
        assert "same Wi-Fi" in text and "hotspot" in text and "plain HTTP" in text
    assert "▀" in text or "█" in text  # the QR code
    assert "0 answered" in text


def test_only_localhost_gets_a_clear_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    from surveycoal.cli import serve as serve_cli

    printed: list[str] = []
    monkeypatch.setattr(serve_cli, "lan_address", lambda: None)
    monkeypatch.setattr(serve_cli.err_console, "print", lambda text, **_kw: printed.append(text))
    monkeypatch.setattr(serve_cli.console, "print", lambda text, **_kw: printed.append(text))
    serve_cli._announce("0.0.0.0", 8080, None, codes=True, behind_proxy=False)
    joined = " ".join(printed)
    assert "no network address other than 127.0.0.1" in joined and "hotspot" in joined
