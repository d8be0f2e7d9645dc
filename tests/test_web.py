"""The web questionnaire in process: whole questionnaires, and every bad input refused.

A :class:`~web_fixtures.Phone` posts the page's own forms back, as a browser
without JavaScript does. Every refusal is checked twice: a page that says what
to do (never a traceback), and every stored row exactly as before.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from answering_fixtures import open_test_round, stored_open_answers, stored_responses
from web_fixtures import Phone, answer_whole_questionnaire, snapshot

from surveycoal.store import close_round, count_responses
from surveycoal.store.answering import create_invitations

pytestmark = pytest.mark.filterwarnings("ignore:Using .httpx. with .starlette.testclient")


def client_for(store: Any, **settings: Any) -> Any:
    from starlette.testclient import TestClient

    from surveycoal.web.app import WebSettings, create_app

    clock = settings.pop("clock", None)
    options = {} if clock is None else {"clock": clock}
    return TestClient(create_app(store, WebSettings(**settings), **options))


@pytest.fixture
def meeting(store: Any) -> Iterator[tuple[Any, Any]]:
    round_ = open_test_round(store)
    with client_for(store, round_ref=round_.ref) as client:
        yield round_, client


@pytest.fixture
def coded(store: Any) -> Iterator[tuple[Any, Any, list[str]]]:
    round_ = open_test_round(store)
    codes = create_invitations(store, round_.ref, 4)
    with client_for(store, round_ref=round_.ref, codes=True) as client:
        yield round_, client, codes


EXPECTED_ANSWERS = {"trust_1": 4, "trust_2": None, "equality_1": 2, "equality_2": 5}


# -- whole questionnaires ---------------------------------------------------------


def test_a_meeting_phone_answers_the_whole_questionnaire_once(store: Any, meeting: Any) -> None:
    round_, client = meeting
    phone = Phone(client)
    phone.open("/")
    assert phone.screen == "language" and 'lang="nl"' in phone.page
    assert phone.chosen == []  # nothing chosen for the participant
    answer_whole_questionnaire(phone)
    assert "Dank je wel" in phone.page
    assert stored_responses(store) == [
        {
            "member_type": "resident_initiative",
            "panel_key_hash": None,
            "complete": True,
            "answers": EXPECTED_ANSWERS,
        }
    ]
    assert stored_open_answers(store) == ["Meer koffie"]
    assert snapshot(store)["drafts"] == []
    # The same phone cannot send a second response in this round.
    before = snapshot(store)
    phone.open("/")
    assert phone.status == 409 and "al verstuurd" in phone.page
    assert snapshot(store) == before


def test_the_member_type_has_no_default_and_an_empty_screen_stores_nothing(
    store: Any, meeting: Any
) -> None:
    _round, client = meeting
    phone = Phone(client)
    phone.open("/")
    phone.choose("en")
    phone.choose("start")
    assert phone.screen == "member_type" and 'lang="en"' in phone.page
    assert phone.chosen == []
    before = snapshot(store)
    phone.choose(None)  # pressed Next without a choice
    assert phone.status == 422 and "Choose one of the options first" in phone.page
    assert snapshot(store) == before
    phone.choose("welfare_organisation")
    assert phone.screen == "item:trust_1" and phone.chosen == []
    phone.choose(None)
    assert phone.status == 422 and "don&#39;t know" in phone.page
    assert snapshot(store) == before | {"drafts": snapshot(store)["drafts"]}


def test_back_shows_the_earlier_answer_and_changing_it_keeps_the_rest(
    store: Any, meeting: Any
) -> None:
    _round, client = meeting
    phone = Phone(client)
    phone.open("/")
    for value in ("nl", "start", "resident_initiative", "3", "dk"):
        phone.choose(value)
    assert phone.screen == "item:equality_1"
    phone.back()
    assert phone.screen == "item:trust_2"
    # Only the person's own earlier answer is chosen: "weet ik niet".
    assert phone.chosen == ["dk"]
    phone.back()
    assert phone.screen == "item:trust_1"
    assert phone.chosen == ["3"]
    phone.choose("5")
    assert phone.screen == "item:trust_2"  # the next screen, with its answer still there
    phone.choose("dk")
    phone.choose("1")
    phone.choose("2")
    assert phone.screen == "open:tips"
    phone.back()  # back from an open question too
    assert phone.screen == "item:equality_2"
    phone.choose("2")
    phone.write("")  # an open question may be left empty
    assert phone.screen == "summary"
    assert "Weet ik niet" in phone.page and "(leeg)" in phone.page
    phone.choose("send")
    (response,) = stored_responses(store)
    assert response["answers"] == {"trust_1": 5, "trust_2": None, "equality_1": 1, "equality_2": 2}
    assert stored_open_answers(store) == []


def test_a_change_from_the_summary_returns_to_the_summary(store: Any, meeting: Any) -> None:
    _round, client = meeting
    phone = Phone(client)
    phone.open("/")
    for value in ("nl", "start", "resident_initiative", "1", "2", "3", "4"):
        phone.choose(value)
    phone.write("Koffie")
    assert phone.screen == "summary"
    link = re.search(r'href="(/q\?s=item%3Aequality_1&amp;review=1)"', phone.page)
    assert link
    phone.open(link.group(1).replace("&amp;", "&"))
    assert phone.screen == "item:equality_1" and phone.form["review"] == "1"
    phone.choose("dk")
    assert phone.screen == "summary"
    phone.choose("send")
    (response,) = stored_responses(store)
    assert response["answers"]["equality_1"] is None


def test_an_interrupted_meeting_phone_continues_where_it_was(store: Any, meeting: Any) -> None:
    _round, client = meeting
    phone = Phone(client)
    phone.open("/")
    for value in ("nl", "start", "resident_initiative", "4"):
        phone.choose(value)
    # The phone slept; the page is opened again from the start address.
    phone.open("/")
    assert phone.screen == "item:trust_2"
    assert "Welkom terug" in phone.page and "vraag 2 van 4" in phone.page
    # Another phone (another cookie) sees nothing of it.
    other = Phone(type(client)(client.app))
    other.open("/")
    assert other.screen == "language" and other.chosen == []


def test_a_code_answers_and_resumes_from_another_device(store: Any, coded: Any) -> None:
    round_, client, codes = coded
    phone = Phone(client)
    phone.open("/")
    assert "/code" in phone.page and "K7QM-4TRXY" in phone.page
    phone.log_in(codes[0].lower().replace("-", " "))
    assert phone.screen == "language"
    for value in ("en", "start", "welfare_organisation", "5"):
        phone.choose(value)
    # The same code on a second device goes on at the first open question.
    laptop = Phone(type(client)(client.app))
    laptop.log_in(codes[0])
    assert laptop.screen == "item:trust_2" and "Welcome back" in laptop.page
    laptop.choose("4")
    laptop.choose("3")
    laptop.choose("2")
    laptop.write("More coffee")
    laptop.choose("send")
    assert "Thank you" in laptop.page
    (response,) = stored_responses(store)
    assert response["member_type"] == "welfare_organisation"
    assert response["answers"] == {"trust_1": 5, "trust_2": 4, "equality_1": 3, "equality_2": 2}
    # After sending, the code is used, as in the terminal, on every device.
    before = snapshot(store)
    phone.open("/q")
    assert phone.status == 409 and "already" in phone.page
    fresh = Phone(type(client)(client.app))
    fresh.log_in(codes[0])
    assert fresh.status == 409 and "al ingevuld" in fresh.page
    assert snapshot(store) == before


def test_a_slips_qr_link_logs_in_and_leaves_no_code_in_the_address(store: Any, coded: Any) -> None:
    _round, client, codes = coded
    compact = codes[1].replace("-", "")
    first = client.get(f"/k/{compact}", follow_redirects=False)
    assert first.status_code == 303 and first.headers["location"] == "/q"
    assert first.headers["referrer-policy"] == "no-referrer"
    assert first.headers["cache-control"] == "no-store"
    assert (
        compact not in first.headers["set-cookie"] and codes[1] not in first.headers["set-cookie"]
    )
    page = client.get("/q")
    assert page.status_code == 200 and compact not in page.text and codes[1] not in page.text
    assert 'name="s" value="language"' in page.text
    stranger = type(client)(client.app)
    wrong = stranger.get("/k/K7QM4TRXQ", follow_redirects=False)  # wrong check symbol
    assert wrong.status_code == 303 and wrong.headers["location"] == "/?reason=check"
    told = stranger.get(wrong.headers["location"])
    assert "klopt niet" in told.text


def test_the_panel_key_screen_makes_a_key_or_takes_no_part(store: Any) -> None:
    round_ = open_test_round(store, link_rounds=True)
    with client_for(store, round_ref=round_.ref) as client:
        phone = Phone(client)
        phone.open("/")
        for value in ("nl", "start", "resident_initiative"):
            phone.choose(value)
        assert phone.screen == "panel_key" and phone.chosen == []
        before = snapshot(store)
        phone.choose("yes", panel_mother_name="O", panel_birth_day="7")
        assert phone.status == 422 and "minstens 2 letters" in phone.page
        assert snapshot(store) == before
        phone.choose(
            "yes",
            panel_mother_name="Olga",
            panel_birth_day="07",
            panel_birth_place="Amsterdam",
            panel_older_siblings="2",
        )
        assert phone.screen == "item:trust_1"
        for value in ("1", "2", "3", "4"):
            phone.choose(value)
        phone.write("")
        phone.choose("send")
        (response,) = stored_responses(store)
        assert response["panel_key_hash"] and len(response["panel_key_hash"]) == 64
        with client_for(store, round_ref=round_.ref) as second:
            other = Phone(second)
            other.open("/")
            for value in ("nl", "start", "resident_initiative", "no", "1", "1", "1", "1"):
                other.choose(value)
            other.write("")
            other.choose("send")
        hashes = [r["panel_key_hash"] for r in stored_responses(store)]
        assert None in hashes and len({h for h in hashes if h}) == 1


def test_expected_caps_a_meeting(store: Any) -> None:
    round_ = open_test_round(store)
    with client_for(store, round_ref=round_.ref, expected=1) as client:
        first, second = Phone(client), Phone(type(client)(client.app))
        first.open("/")
        second.open("/")
        for phone in (first, second):
            for value in ("nl", "start", "resident_initiative", "1", "2", "3", "4"):
                phone.choose(value)
            phone.write("")
        first.choose("send")
        assert "Dank je wel" in first.page
        before = snapshot(store)
        second.choose("send")
        assert second.status == 409 and "genoeg antwoorden" in second.page
        assert snapshot(store) == before
        late = Phone(type(client)(client.app))
        late.open("/")
        assert late.status == 409 and "genoeg antwoorden" in late.page
    assert count_responses(store, round_.ref) == 1


def test_a_closed_round_takes_no_more_answers(store: Any, meeting: Any) -> None:
    round_, client = meeting
    phone = Phone(client)
    phone.open("/")
    phone.choose("nl")
    close_round(store, round_.ref)
    before = snapshot(store)
    phone.choose("start")
    assert phone.status == 409 and "gesloten" in phone.page
    assert snapshot(store) == before


# -- bad input: refused with a page, nothing stored changes -----------------------


def _at_first_item(client: Any) -> Phone:
    phone = Phone(client)
    phone.open("/")
    for value in ("nl", "start", "resident_initiative"):
        phone.choose(value)
    assert phone.screen == "item:trust_1"
    return phone


def _refused(phone: Phone, status: int, words: str) -> None:
    assert phone.status == status, (phone.status, phone.page[-600:])
    assert words in phone.page
    assert "Traceback" not in phone.page and 'class="problem"' in phone.page


@pytest.mark.parametrize(
    ("change", "status", "words"),
    [
        ({"choice": "7"}, 400, "niet bij deze vraag"),
        ({"choice": "0"}, 400, "niet bij deze vraag"),
        ({"choice": "-1"}, 400, "niet bij deze vraag"),
        ({"choice": "3.5"}, 400, "niet bij deze vraag"),
        ({"choice": "１"}, 400, "niet bij deze vraag"),  # a full-width digit
        ({"choice": "3", "s": "item:no_such_item"}, 400, "hoort niet bij"),
        ({"choice": "3", "s": "item:equality_2"}, 409, "komt later"),
        ({"choice": "3", "r": "999"}, 409, "hoort niet bij"),
        ({"choice": "3", "v": "0" * 20}, 409, "al verstuurd"),
        ({"choice": "3", "csrf": ""}, 403, "verlopen"),
        ({"choice": "3", "csrf": "x" * 32}, 403, "verlopen"),
    ],
    ids=[
        "off-scale",
        "zero",
        "negative",
        "fraction",
        "full-width digit",
        "unknown question",
        "skipping ahead",
        "another round",
        "stale form",
        "empty csrf",
        "wrong csrf",
    ],
)
def test_a_bad_answer_is_refused_with_a_page(
    store: Any, meeting: Any, change: dict[str, str], status: int, words: str
) -> None:
    _round, client = meeting
    phone = _at_first_item(client)
    data = phone.form | change
    before = snapshot(store)
    phone.post("/q", data)
    _refused(phone, status, words)
    assert snapshot(store) == before


def test_a_form_without_csrf_or_without_a_cookie_is_refused(store: Any, meeting: Any) -> None:
    _round, client = meeting
    phone = _at_first_item(client)
    data = phone.form | {"choice": "3"}
    del data["csrf"]
    before = snapshot(store)
    phone.post("/q", data)
    _refused(phone, 403, "verlopen")
    stranger = Phone(type(client)(client.app))  # no cookie, a form from elsewhere
    stranger.post("/q", phone.form | {"choice": "3"})
    _refused(stranger, 403, "verlopen")
    assert snapshot(store) == before


def test_a_screen_posted_twice_is_refused_the_second_time(store: Any, meeting: Any) -> None:
    _round, client = meeting
    phone = _at_first_item(client)
    data = phone.form | {"choice": "2"}
    phone.post("/q", data)
    assert phone.screen == "item:trust_2"
    before = snapshot(store)
    phone.post("/q", data | {"choice": "5"})  # the same form, sent again with another answer
    _refused(phone, 409, "al verstuurd")
    assert snapshot(store) == before
    phone.open("/q")
    assert phone.screen == "item:trust_2"


def test_send_posted_twice_stores_one_response(store: Any, meeting: Any) -> None:
    _round, client = meeting
    phone = _at_first_item(client)
    for value in ("1", "2", "3", "4"):
        phone.choose(value)
    phone.write("")
    data = phone.form | {"choice": "send"}
    phone.post("/q", data)
    assert "Dank je wel" in phone.page
    before = snapshot(store)
    phone.post("/q", data)
    _refused(phone, 409, "al verstuurd")
    assert snapshot(store) == before and len(stored_responses(store)) == 1


def test_an_oversize_body_is_refused_unread(store: Any, meeting: Any) -> None:
    _round, client = meeting
    phone = _at_first_item(client)
    before = snapshot(store)
    phone.post("/q", phone.form | {"choice": "3", "pad": "x" * 20_000})
    _refused(phone, 413, "te groot")
    # Without a length up front (chunked), the body is cut off while it is read.
    big = (b"choice=3&pad=" + b"x" * 40_000 for _ in range(1))
    response = client.post(
        "/q",
        content=big,
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 413 and "te groot" in response.text
    assert snapshot(store) == before


def test_other_kinds_of_body_are_refused(store: Any, meeting: Any) -> None:
    _round, client = meeting
    phone = _at_first_item(client)
    before = snapshot(store)
    response = client.post("/q", json=phone.form | {"choice": "3"})
    assert response.status_code == 400 and 'class="problem"' in response.text
    twice = "&".join(f"{k}={v}" for k, v in (phone.form | {"choice": "3"}).items()) + "&choice=4"
    response = client.post(
        "/q", content=twice, headers={"content-type": "application/x-www-form-urlencoded"}
    )
    assert response.status_code == 400
    assert snapshot(store) == before


def test_wrong_codes_slow_a_device_down_and_cap_the_minute(store: Any) -> None:
    round_ = open_test_round(store)
    (code,) = create_invitations(store, round_.ref, 1)
    now = [1000.0]
    with client_for(
        store, round_ref=round_.ref, codes=True, clock=lambda: now[0], wrong_per_minute=6
    ) as client:
        phone = Phone(client)
        before = snapshot(store)
        from surveycoal.codes import new_codes

        unknown = new_codes(8)
        for typed in unknown[:3]:  # three free tries
            phone.log_in(typed)
            _refused(phone, 422, "kennen we niet")
        phone.log_in(code)  # even the right code waits now
        _refused(phone, 429, "Wacht 2 seconden")
        now[0] += 2
        phone.log_in(unknown[3])
        _refused(phone, 422, "kennen we niet")
        phone.log_in(unknown[4])  # each wrong code doubles the wait
        _refused(phone, 429, "Wacht 4 seconden")
        # Other devices (new cookies) count towards the server's minute.
        for typed in unknown[5:7]:
            other = Phone(type(client)(client.app))
            other.log_in(typed)
        late = Phone(type(client)(client.app))
        late.log_in(code)
        _refused(late, 429, "Wacht")
        assert snapshot(store) == before
        now[0] += 61
        late.log_in(code)
        assert late.screen == "language"
        # A typing error is told at once and never counts as a guess.
        for _ in range(5):
            typo = Phone(type(client)(client.app))
            typo.log_in(code[:-1] + ("3" if code[-1] != "3" else "4"))
            _refused(typo, 422, "klopt niet")


def test_a_code_of_another_round_is_refused(store: Any) -> None:
    from answering_fixtures import make_instrument

    from surveycoal import store as st

    first = open_test_round(store)
    st.add_coalition(store, "Noord Verbindt")  # a second coalition: both rounds open at once
    other = st.open_round(store, "noord-verbindt", make_instrument())
    (foreign,) = create_invitations(store, other.ref, 1)
    with client_for(store, round_ref=first.ref, codes=True) as client:
        phone = Phone(client)
        before = snapshot(store)
        phone.log_in(foreign)
        _refused(phone, 409, "andere vragenlijst")
        assert snapshot(store) == before
    with client_for(store, round_ref=None, codes=True) as client:  # --all takes it
        phone = Phone(client)
        phone.log_in(foreign)
        assert phone.screen == "language"


def test_unknown_pages_and_methods_get_a_page(meeting: Any) -> None:
    _round, client = meeting
    missing = client.get("/admin")
    assert missing.status_code == 404 and "bestaat niet" in missing.text
    wrong = client.put("/q")
    assert wrong.status_code == 405 and 'class="problem"' in wrong.text
    code_page = client.post("/code", data={"code": "X"})
    assert code_page.status_code in (403, 404) and 'class="problem"' in code_page.text


# -- headers, cookies ---------------------------------------------------------------


def test_every_response_has_strict_headers_and_a_protected_cookie(meeting: Any) -> None:
    _round, client = meeting
    first = client.get("/", follow_redirects=False)
    cookie = first.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "secure" not in cookie
    for response in (first, client.get("/q"), client.get("/nothing-here")):
        csp = response.headers["content-security-policy"]
        assert "default-src 'none'" in csp and "form-action 'self'" in csp
        assert "frame-ancestors 'none'" in csp and "script-src" not in csp
        assert response.headers["referrer-policy"] == "no-referrer"
        assert response.headers["cache-control"] == "no-store"
        assert "server" not in response.headers
    page = client.get("/q").text
    assert "<script" not in page and "http://" not in page and "https://" not in page
    assert "<style>" in page  # styles inside the page, allowed by their hash


def test_cookies_are_secure_over_https_and_behind_a_proxy_only_when_told(store: Any) -> None:
    from starlette.testclient import TestClient

    from surveycoal.web.app import WebSettings, create_app

    round_ = open_test_round(store)
    https = TestClient(create_app(store, WebSettings(round_ref=round_.ref)), base_url="https://x")
    assert "secure" in https.get("/", follow_redirects=False).headers["set-cookie"].lower()
    forwarded = {"x-forwarded-proto": "https"}
    plain = TestClient(create_app(store, WebSettings(round_ref=round_.ref)))
    cookie = plain.get("/", headers=forwarded, follow_redirects=False).headers["set-cookie"]
    assert "secure" not in cookie.lower()  # not told it is behind a proxy: header ignored
    proxied = TestClient(create_app(store, WebSettings(round_ref=round_.ref, behind_proxy=True)))
    cookie = proxied.get("/", headers=forwarded, follow_redirects=False).headers["set-cookie"]
    assert "secure" in cookie.lower()


def test_an_altered_cookie_is_a_new_visitor(store: Any, meeting: Any) -> None:
    _round, client = meeting
    phone = _at_first_item(client)
    value = client.cookies.get("surveycoal")
    body, _, mac = value.partition(".")
    client.cookies.set("surveycoal", body + "." + mac[::-1])
    phone.open("/q")
    assert phone.screen == "language"  # the old draft is out of reach


# -- slips ------------------------------------------------------------------------------


def test_slips_with_a_url_carry_the_address_and_a_qr_code(
    store: Any, cli: Any, tmp_path: Path
) -> None:
    round_ = open_test_round(store)
    result = cli(
        "invite", round_.ref, "--count", "3", "--out-dir", str(tmp_path),
        "--url", "https://vragen.example.nl/",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    html = (tmp_path / "zuid-doet-samen-1-slips.html").read_text(encoding="utf-8")
    assert html.count("<svg") == 3 and html.count("https://vragen.example.nl<") >= 3
    assert "scan de QR-code" in html and "surveycoal answer" not in html
    plain = cli(
        "invite", round_.ref, "--count", "1", "--out-dir", str(tmp_path), "--force",
        "--url", "http://192.168.1.20:8080",
    )  # fmt: skip
    assert plain.exit_code == 0 and "plain HTTP" in plain.output
    bad = cli("invite", round_.ref, "--out-dir", str(tmp_path), "--force", "--url", "vragen.nl")
    assert bad.exit_code == 1 and "not a web address" in bad.output


def test_the_qr_code_on_a_slip_logs_in_with_that_slips_code(store: Any) -> None:
    from surveycoal.codes import slip_link

    round_ = open_test_round(store)
    (code,) = create_invitations(store, round_.ref, 1)
    link = slip_link("https://vragen.example.nl", code)
    assert link.startswith("https://vragen.example.nl/k/")
    with client_for(store, round_ref=round_.ref, codes=True) as client:
        phone = Phone(client)
        phone.open(link.removeprefix("https://vragen.example.nl"))
        assert phone.screen == "language" and phone.url.endswith("/q")


def test_a_slip_without_a_url_names_the_command_exactly(
    store: Any, cli: Any, tmp_path: Path
) -> None:
    round_ = open_test_round(store)
    result = cli("invite", round_.ref, "--count", "2", "--out-dir", str(tmp_path))
    assert result.exit_code == 0, result.output
    html = (tmp_path / "zuid-doet-samen-1-slips.html").read_text(encoding="utf-8")
    commands = re.findall(r'<b class="command">([^<]+)</b>', html)
    assert len(commands) == 4 and "<svg" not in html and "bijeenkomst" in html
    # What the slip says to type is a command line that works: it reaches the
    # questionnaire (which then asks for a terminal, as this test has none).
    words = commands[0].split()
    assert words[:2] == ["surveycoal", "answer"]
    typed = cli(*words[1:], input="")
    assert typed.exit_code == 1 and "needs a terminal" in typed.output


def test_a_qr_link_from_history_does_not_reopen_saved_answers(store: Any, coded: Any) -> None:
    _round, client, codes = coded
    compact = codes[2].replace("-", "")
    first = Phone(client)
    first.open(f"/k/{compact}")
    for value in ("nl", "start", "resident_initiative", "4"):
        first.choose(value)
    # The next person at a shared computer opens the link again from the history.
    cookie = client.get("/", follow_redirects=False).headers.get("set-cookie", "")
    assert "max-age" not in cookie.lower()  # with codes, the cookie ends with the browser
    later = Phone(type(client)(client.app))
    later.open(f"/k/{compact}")
    assert later.url.endswith("/?reason=retype") and "Typ je code nog een keer" in later.page
    assert "We doen wat we zeggen" not in later.page
    later.open("/q")
    assert "/code" in later.page  # not logged in
    later.log_in(codes[2])  # typing the code does open them
    assert later.screen == "item:trust_2"
