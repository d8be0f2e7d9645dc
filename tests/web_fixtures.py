"""Helpers for the web questionnaire tests: a phone that fills in forms, and table snapshots.

Import explicitly::

    from web_fixtures import Phone, snapshot

A :class:`Phone` drives any httpx-style client (starlette's TestClient in process,
or ``httpx.Client`` against a real server) the way a browser without JavaScript
would: it reads the page's form and posts it back with the chosen answer.
"""

from __future__ import annotations

import html
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

_HIDDEN = re.compile(r'<input type="hidden" name="(\w+)" value="([^"]*)"')
_LINK = re.compile(r'<a class="back" href="([^"]+)"')


def hidden_fields(page: str) -> dict[str, str]:
    return {name: html.unescape(value) for name, value in _HIDDEN.findall(page)}


class Phone:
    """One participant's browser: the last page, and ways to answer it."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.page = ""
        self.status = 0
        self.url = ""
        self.statuses: list[int] = []

    def _keep(self, response: Any) -> Any:
        self.page = response.text
        self.status = response.status_code
        self.url = str(response.url)
        self.statuses.append(response.status_code)
        return response

    def open(self, path: str = "/") -> Any:
        return self._keep(self.client.get(path, follow_redirects=True))

    def post(self, path: str, data: dict[str, str]) -> Any:
        return self._keep(self.client.post(path, data=data, follow_redirects=True))

    @property
    def form(self) -> dict[str, str]:
        return hidden_fields(self.page)

    @property
    def chosen(self) -> list[str]:
        """The values of the radio buttons chosen on this page."""
        return re.findall(r'value="([^"]+)" checked', self.page)

    @property
    def screen(self) -> str:
        """The step key of the screen shown (``item:trust_1``), or '' on other pages."""
        return self.form.get("s", "")

    def choose(self, value: str | None = None, **fields: str) -> Any:
        data = self.form
        if value is not None:
            data["choice"] = value
        data.update(fields)
        return self.post("/q", data)

    def write(self, text: str) -> Any:
        return self.choose(None, text=text)

    def back(self) -> Any:
        found = _LINK.search(self.page)
        assert found, "this screen has no way back"
        return self.open(html.unescape(found.group(1)))

    def log_in(self, code: str) -> Any:
        if "/code" not in self.page:
            self.open("/")
        return self.post("/code", {"csrf": self.form["csrf"], "code": code})


def answer_whole_questionnaire(
    phone: Phone,
    *,
    lang: str = "nl",
    member_type: str = "resident_initiative",
    values: tuple[str, ...] = ("4", "dk", "2", "5"),
    text: str = "Meer koffie",
    pause: Any = None,
) -> None:
    """From the language screen to the summary's send button, then send."""
    steps: list[tuple[str, str | None]] = [
        ("language", lang),
        ("welcome", "start"),
        ("member_type", member_type),
    ]
    for value in values:
        steps.append(("item", value))
    for expected, value in steps:
        assert phone.screen.startswith(expected), (phone.screen, phone.page[-800:])
        phone.choose(value)
        assert phone.status == 200, phone.page[-800:]
        if pause:
            pause()
    assert phone.screen.startswith("open:"), phone.page[-800:]
    phone.write(text)
    assert phone.screen == "summary", phone.page[-800:]
    if pause:
        pause()
    phone.choose("send")
    assert phone.status == 200 and "/done" in phone.url, phone.page[-800:]


def snapshot(store: Any) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, sorted: to show that nothing stored changed."""
    from sqlalchemy import select

    from surveycoal.store import schema

    found = {}
    with store.read() as conn:
        for name, table in schema.metadata.tables.items():
            rows = conn.execute(select(table)).all()
            found[name] = sorted((tuple(row) for row in rows), key=repr)
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Served:
    """A running ``surveycoal serve`` and what it printed."""

    def __init__(self, process: subprocess.Popen[str], url: str, log: Path) -> None:
        self.process = process
        self.url = url
        self.log = log

    @property
    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def wait_for(self, text: str, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.output:
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} never printed:\n{self.output}")
            time.sleep(0.1)


@contextmanager
def serve(db: str, *args: str, tmp_path: Path) -> Iterator[Served]:
    port = free_port()
    log = tmp_path / f"serve-{port}.log"
    env = os.environ | {"COLUMNS": "200", "SURVEYCOAL_DB": db}
    with log.open("w", encoding="utf-8") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "surveycoal", "serve", *args, "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            text=True,
        )
    served = Served(process, f"http://127.0.0.1:{port}", log)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"serve did not start:\n{served.output}") from None
                time.sleep(0.1)
        yield served
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
