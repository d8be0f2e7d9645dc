"""The web questionnaire on a phone: Playwright driving Debian's chromium at 390 x 844, touch.

A whole questionnaire in meeting mode and in code mode, with back, "don't know",
a phone that goes away halfway and comes back, and sending; each with
JavaScript on and off (the pages need none). Every answer is a tap on a target
at least 44 px high; the chosen answer is visible; no request leaves the server
and the Content-Security-Policy blocks nothing the page needs. Screenshots go
to test-artifacts/.

Without chromium or playwright these tests are skipped locally and fail under CI.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from answering_fixtures import new_database, stored_open_answers, stored_responses
from report_fixtures import chromium_browser
from web_fixtures import serve

from surveycoal import texts
from surveycoal.store import open_store
from surveycoal.store.answering import create_invitations

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
PHONE = {"width": 390, "height": 844}
MIN_TARGET = 44
_REFUSAL = re.compile(r"Failed to load resource: the server responded with a status of 4(09|22)")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium_browser() as launched:
        yield launched


class PhoneBrowser:
    """One phone: a browser context (its cookie jar) and its open page."""

    def __init__(self, browser: Any, base: str, *, javascript: bool, name: str) -> None:
        self.base = base
        self.name = name
        self.context = browser.new_context(
            viewport=PHONE, has_touch=True, is_mobile=True, java_script_enabled=javascript
        )
        self.javascript = javascript
        self.problems: list[str] = []
        self.requests: list[str] = []
        self.shots = 0
        self.page = self._new_page()

    def _new_page(self) -> Any:
        page = self.context.new_page()
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.problems.append(str(exc)))
        page.on("request", lambda request: self.requests.append(request.url))
        return page

    def _console(self, message: Any) -> None:
        # A refusal page (409, 422) is an answer the test asks for; anything else the
        # browser complains about (a blocked style, a failed request) is a problem.
        if message.type == "error" and not _REFUSAL.match(message.text):
            self.problems.append(message.text)

    def reopen(self) -> None:
        """The phone slept and the tab is gone: open the address again in a new tab."""
        self.page.close()
        self.page = self._new_page()
        self.page.goto(self.base + "/")

    def shot(self, label: str) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        self.shots += 1
        js = "js" if self.javascript else "nojs"
        path = ARTIFACTS / f"web-{self.name}-{js}-{self.shots:02d}-{label}.png"
        self.page.screenshot(path=str(path), full_page=True)

    def check_targets(self) -> None:
        """Every choice, button and link is at least 44 px high and wide."""
        for target in self.page.locator(".choices label, button, a").all():
            box = target.bounding_box()
            assert box is not None
            text = target.inner_text()
            assert box["height"] >= MIN_TARGET, (text, box)
            assert box["width"] >= MIN_TARGET, (text, box)

    def tap(self, label: str) -> None:
        self.page.get_by_text(label, exact=True).tap()

    def next(self, button: str = "Volgende") -> None:
        self.check_targets()
        with self.page.expect_navigation():
            self.page.get_by_role("button", name=button).tap()

    def follow(self, link: str) -> None:
        with self.page.expect_navigation():
            self.page.get_by_role("link", name=link).tap()

    def chosen(self) -> list[str]:
        return [
            self.page.locator(f'label[for="{radio.get_attribute("id")}"]').inner_text()
            for radio in self.page.locator("input[type=radio]").all()
            if radio.is_checked()
        ]

    def heading(self) -> str:
        return self.page.locator("legend, h1").first.inner_text()

    def close(self) -> None:
        assert not self.problems, self.problems
        assert all(url.startswith(self.base) for url in self.requests), self.requests
        self.context.close()


def _answer_in_dutch(phone: PhoneBrowser, *, resume: bool) -> None:
    """Language to summary: back, don't know, and (with ``resume``) a break halfway."""
    page = phone.page
    assert page.locator("html").get_attribute("lang") == "nl"
    assert phone.chosen() == []
    phone.shot("language")
    phone.tap("Nederlands")
    phone.next("Volgende / Next")
    assert "Welkom" in phone.heading()
    phone.shot("welcome")
    phone.next("Beginnen")
    assert phone.chosen() == []  # the member type has no default
    # Next without a choice goes nowhere: the browser asks to choose (required).
    phone.page.get_by_role("button", name="Volgende").tap()
    assert phone.heading() == texts.text("member_type", "nl")
    assert phone.page.locator("input:invalid").count() == 2
    phone.tap("Bewonersinitiatief")
    assert phone.chosen() == ["Bewonersinitiatief"]
    phone.shot("member-type")
    phone.next()
    assert "We doen wat we zeggen." in phone.heading()
    assert page.get_by_text("vraag 1 van 4").is_visible()
    phone.tap("Eens")
    phone.shot("item-chosen")
    phone.next()
    phone.tap("Weet ik niet")
    phone.next()
    assert "Bewoners beslissen mee." in phone.heading()
    phone.follow("Vorige vraag")
    assert "Ik vertrouw de anderen." in phone.heading()
    assert phone.chosen() == ["Weet ik niet"]  # the earlier answer, visible
    phone.shot("back-dont-know")
    phone.next()
    if resume:
        phone.reopen()
        page = phone.page
        assert "Welkom terug" in page.content()
        assert "Bewoners beslissen mee." in phone.heading()
        phone.shot("resumed")
    phone.tap("Oneens")
    phone.next()
    phone.tap("Helemaal eens")
    phone.next()
    page = phone.page
    page.get_by_label("Wat kan beter?").fill("Meer koffie in de pauze")
    phone.shot("open")
    phone.follow("Vorige vraag")  # back from an open question
    assert phone.chosen() == ["Helemaal eens"]
    phone.next()
    phone.page.get_by_label("Wat kan beter?").fill("Meer koffie in de pauze")
    phone.next()
    assert "Je antwoorden" in phone.heading()
    phone.shot("summary")
    phone.next("Versturen")
    assert phone.page.get_by_text("Dank je wel!").is_visible()
    phone.shot("thanks")


def _check_stored(db: Path, count: int) -> None:
    store = open_store(db)
    try:
        responses = stored_responses(store)
        assert len(responses) == count
        assert all(
            r["answers"] == {"trust_1": 4, "trust_2": None, "equality_1": 2, "equality_2": 5}
            for r in responses
        )
        assert stored_open_answers(store) == ["Meer koffie in de pauze"] * count
    finally:
        store.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_a_meeting_on_phones(browser: Any, tmp_path: Path, javascript: bool) -> None:
    db = tmp_path / "meeting.db"
    ref = new_database(db)
    with serve(str(db), ref, "--host", "127.0.0.1", tmp_path=tmp_path) as served:
        phone = PhoneBrowser(browser, served.url, javascript=javascript, name="meeting")
        phone.page.goto(served.url + "/")
        _answer_in_dutch(phone, resume=True)
        # The same phone cannot send a second response.
        phone.page.goto(served.url + "/")
        assert phone.page.get_by_text("al verstuurd").first.is_visible()
        phone.shot("sent-already")
        phone.close()
    _check_stored(db, 1)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_personal_codes_on_phones(browser: Any, tmp_path: Path, javascript: bool) -> None:
    db = tmp_path / "codes.db"
    ref = new_database(db)
    store = open_store(db)
    try:
        typed, scanned = create_invitations(store, ref, 2)
    finally:
        store.close()
    with serve(str(db), ref, "--codes", "--host", "127.0.0.1", tmp_path=tmp_path) as served:
        phone = PhoneBrowser(browser, served.url, javascript=javascript, name="code")
        page = phone.page
        page.goto(served.url + "/")
        phone.shot("code")
        page.get_by_label("Je code staat op je briefje").fill("K7QM-4TRXQ")  # a typing error
        phone.next("Verder / Continue")
        assert page.get_by_text("Deze code klopt niet.").is_visible()
        phone.shot("code-wrong")
        page.get_by_label("Je code staat op je briefje").fill(typed.lower())
        phone.next("Verder / Continue")
        _answer_in_dutch(phone, resume=True)
        assert typed not in " ".join(phone.requests)
        phone.close()
        # A slip's QR code: the code is in the first address only, never in the page's.
        other = PhoneBrowser(browser, served.url, javascript=javascript, name="qr")
        other.page.goto(served.url + "/k/" + scanned.replace("-", ""))
        assert other.page.url == served.url + "/q"
        assert scanned not in other.page.content()
        assert "Kies je taal" in other.heading()
        other.shot("qr-landed")
        other.close()
    _check_stored(db, 1)


def test_pages_read_at_200_percent_zoom(browser: Any, tmp_path: Path) -> None:
    db = tmp_path / "zoom.db"
    ref = new_database(db)
    with serve(str(db), ref, "--host", "127.0.0.1", tmp_path=tmp_path) as served:
        # 200% zoom on a 390 px phone leaves 195 CSS pixels.
        context = browser.new_context(
            viewport={"width": 195, "height": 422}, device_scale_factor=4, has_touch=True
        )
        page = context.new_page()
        page.goto(served.url + "/")
        for label, button in (("Nederlands", "Volgende / Next"), (None, "Beginnen")):
            if label:
                page.get_by_text(label, exact=True).tap()
            with page.expect_navigation():
                page.get_by_role("button", name=button).tap()
        page.get_by_text("Welzijnsorganisatie", exact=True).tap()
        with page.expect_navigation():
            page.get_by_role("button", name="Volgende").tap()
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, overflow
        # Every statement is a fieldset whose legend names it; each choice has its label.
        assert page.get_by_role("group", name="We doen wat we zeggen.").is_visible()
        assert page.get_by_role("radio", name="Weet ik niet").count() == 1
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "web-zoom-200.png"), full_page=True)
        context.close()
