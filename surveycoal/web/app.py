"""The web questionnaire: the terminal's Session, shown as plain HTML forms.

Every page is rendered on the server and every answer is a form post, so the
questionnaire works without JavaScript on an old phone. Each request rebuilds a
:class:`~surveycoal.answering.Session` from the stored draft, puts it at the
screen the page names (``s``, a step key), hands the answer to the same Session
method the terminal uses (which saves the draft), and redirects to the next
screen. Nothing about the questionnaire is decided here twice: which screens
exist, which may be shown, what an answer may be and what is stored all come
from the Session and the store.

What a phone holds is one signed cookie: a random session id, a CSRF token and,
in code mode, the keyed hash of the code it logged in with (never the code). A
meeting phone's draft sits in the drafts table under a keyed hash of its session
id, where a code's draft would sit under the code's hash.

Privacy: nothing here logs a request's path, address or user agent, or stores
them; the server's access log is off (see :mod:`surveycoal.cli.serve`). Every
response says ``Cache-Control: no-store`` and ``Referrer-Policy: no-referrer``
and carries a strict Content-Security-Policy: no script, the page's own style
only (by its hash), forms only to this server, no framing.
"""

from __future__ import annotations

import base64
import binascii
import collections
import datetime as dt
import hashlib
import hmac
import json
import logging
import secrets
import threading
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from surveycoal import texts
from surveycoal.answering import Session, Step, StepKind, estimated_minutes, localised
from surveycoal.codes import (
    PANEL_QUESTIONS,
    CodeRejected,
    hash_code,
    normalise_code,
    normalise_panel_answer,
    panel_key_hash,
)
from surveycoal.errors import InputError, RoundStateError, SurveycoalError
from surveycoal.i18n import _
from surveycoal.store import Round, Store, get_round
from surveycoal.store.answering import (
    RoundFull,
    invitation_by_hash,
    load_draft,
    save_draft,
    save_keyed_draft,
    submit_keyed,
    submit_with_code,
)
from surveycoal.store.rounds import round_by_id

log = logging.getLogger("surveycoal.web")

HERE = Path(__file__).resolve().parent
COOKIE = "surveycoal"
#: A phone keeps its place this long (a round rarely stays open longer).
COOKIE_DAYS = 60
#: No form of the questionnaire comes near this; anything larger is refused unread.
MAX_BODY_BYTES = 16 * 1024
#: Codes a device may get wrong before it must wait, and the longest wait in seconds.
FREE_TRIES = 3
LONGEST_WAIT = 60
#: Wrong codes the server takes per minute from all devices together.
WRONG_PER_MINUTE = 20
#: Reasons a code's rejection may name on the first page (after a slip's QR code).
_REASONS = frozenset({"empty", "length", "symbol", "check", "unknown", "used", "expired"})


@dataclass(frozen=True)
class WebSettings:
    """What ``surveycoal serve`` was asked to serve.

    ``round_ref`` None means every open round; that needs ``codes`` (a code says
    which round it is for). ``expected`` caps a meeting's responses.
    """

    round_ref: str | None
    codes: bool = False
    expected: int | None = None
    behind_proxy: bool = False
    max_body: int = MAX_BODY_BYTES
    free_tries: int = FREE_TRIES
    wrong_per_minute: int = WRONG_PER_MINUTE

    def __post_init__(self) -> None:
        if self.round_ref is None and not self.codes:
            raise InputError(_("Serving every open round needs personal codes (--codes)."))
        if self.expected is not None and self.expected < 1:
            raise InputError(
                _("--expected must be 1 or more, not {value}.").format(value=self.expected)
            )


# -- the cookie -------------------------------------------------------------------


@dataclass
class Visitor:
    """What one phone's cookie holds."""

    sid: str
    csrf: str
    code: str | None = None  # the keyed hash of the code logged in with
    round_id: int | None = None  # the round of that code
    sent: list[int] = field(default_factory=list)  # meeting rounds this phone has sent
    changed: bool = False

    @classmethod
    def new(cls) -> Visitor:
        return cls(sid=secrets.token_urlsafe(24), csrf=secrets.token_urlsafe(24), changed=True)

    def payload(self) -> dict[str, Any]:
        return {
            "sid": self.sid,
            "csrf": self.csrf,
            "code": self.code,
            "round": self.round_id,
            "sent": self.sent,
        }


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign_cookie(key: bytes, visitor: Visitor) -> str:
    body = _b64(json.dumps(visitor.payload(), separators=(",", ":")).encode())
    mac = _b64(hmac.new(key, body.encode(), hashlib.sha256).digest())
    return f"{body}.{mac}"


def read_cookie(key: bytes, value: str | None) -> Visitor | None:
    """The visitor a cookie names, or None when it is missing, altered or malformed."""
    if not value or "." not in value or len(value) > 2000:
        return None
    body, _dot, mac = value.partition(".")
    expected = _b64(hmac.new(key, body.encode(), hashlib.sha256).digest())
    if not hmac.compare_digest(expected, mac):
        return None
    try:
        data = json.loads(_unb64(body))
        return Visitor(
            sid=str(data["sid"]),
            csrf=str(data["csrf"]),
            code=None if data.get("code") is None else str(data["code"]),
            round_id=None if data.get("round") is None else int(data["round"]),
            sent=[int(x) for x in data.get("sent", [])],
        )
    except (ValueError, KeyError, TypeError, binascii.Error):
        return None


# -- slowing down wrong codes -----------------------------------------------------


class CodeGuard:
    """Slows down guessing: per device (its cookie) and for the whole server per minute.

    A device may get ``free_tries`` codes wrong; after that each wrong code doubles
    the wait before the next try (2, 4, 8 ... up to a minute). Independently, once
    ``per_minute`` wrong codes came in from all devices within a minute, every code
    waits until that minute has passed: a guesser who throws cookies away gains
    nothing. Only codes with a right check symbol count: a typing error is caught
    without the database, and guessing needs valid codes anyway.

    Kept in memory only, and only as random session ids: no address is involved.
    """

    def __init__(
        self, free_tries: int, per_minute: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.free_tries = free_tries
        self.per_minute = per_minute
        self.clock = clock
        self._failures: dict[str, tuple[int, float]] = {}
        self._recent: collections.deque[float] = collections.deque()
        self._lock = threading.Lock()

    def wait(self, device: str) -> int:
        """Seconds this device must still wait before its next code (0: go ahead)."""
        now = self.clock()
        with self._lock:
            while self._recent and now - self._recent[0] >= 60:
                self._recent.popleft()
            waits = [0.0]
            if len(self._recent) >= self.per_minute:
                waits.append(60 - (now - self._recent[0]))
            _count, not_before = self._failures.get(device, (0, 0.0))
            waits.append(not_before - now)
            return max(0, int(max(waits) + 0.999))

    def failed(self, device: str) -> None:
        now = self.clock()
        with self._lock:
            self._recent.append(now)
            count, _last = self._failures.get(device, (0, 0.0))
            count += 1
            extra = count - self.free_tries
            delay = 0.0 if extra < 0 else float(min(LONGEST_WAIT, 2 ** (extra + 1)))
            self._failures[device] = (count, now + delay)
            if len(self._failures) > 10_000:  # forget the oldest devices
                for old in list(self._failures)[:5_000]:
                    del self._failures[old]

    def succeeded(self, device: str) -> None:
        with self._lock:
            self._failures.pop(device, None)


# -- pages ------------------------------------------------------------------------


class Refused(Exception):
    """A request answered with a page that says what to do; nothing was stored."""

    def __init__(
        self, status: int, message: str, *, lang: str = "nl", link: str | None = "/q"
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.lang = lang
        self.link = link


def state_version(session: Session) -> str:
    """A short fingerprint of the answers so far: a form made before they changed is stale."""
    data = json.dumps(session.state.to_dict(), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(data.encode()).hexdigest()[:20]


class WebApp:
    """The questionnaire server for one store and one set of :class:`WebSettings`."""

    def __init__(
        self, store: Store, settings: WebSettings, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.store = store
        self.settings = settings
        secret = store.hash_key()
        self._hash_secret = secret
        # Keys of their own, derived from the database's key: cookies and meeting drafts
        # stay valid when the server restarts, and neither key opens anything else.
        self._cookie_key = hmac.new(secret, b"web-cookie", hashlib.sha256).digest()
        self._draft_key = hmac.new(secret, b"web-draft", hashlib.sha256).digest()
        self.round: Round | None = None
        if settings.round_ref is not None:
            self.round = get_round(store, settings.round_ref)
        self.guard = CodeGuard(settings.free_tries, settings.wrong_per_minute, clock)
        self._rounds: dict[int, Round] = {}
        self._meeting_read: tuple[float, Round] | None = None
        self._clock = clock
        self._rounds_lock = threading.Lock()
        #: Session ids of meeting phones that have sent (besides the mark in their cookie).
        self._sent_sids: set[str] = set()
        self.css = (HERE / "templates" / "style.css").read_text(encoding="utf-8")
        digest = base64.b64encode(hashlib.sha256(self.css.encode()).digest()).decode()
        self.csp = (
            f"default-src 'none'; style-src 'sha256-{digest}'; form-action 'self'; "
            "frame-ancestors 'none'; base-uri 'none'"
        )
        self.env = Environment(
            loader=FileSystemLoader(str(HERE / "templates")),
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )

    # -- the ASGI application --------------------------------------------------
    def asgi(self) -> ASGIApp:
        routes = [
            Route("/", self._guarded(self.home), methods=["GET"]),
            Route("/code", self._guarded(self.post_code), methods=["POST"]),
            Route("/k/{code}", self._guarded(self.code_link), methods=["GET"]),
            Route("/q", self._guarded(self.show), methods=["GET"]),
            Route("/q", self._guarded(self.post_answer), methods=["POST"]),
            Route("/done", self._guarded(self.done), methods=["GET"]),
            Route("/favicon.ico", lambda _r: Response(status_code=204), methods=["GET"]),
        ]
        # Typed loosely: starlette's handler mapping is typed differently between releases.
        handlers: dict[Any, Any] = {HTTPException: self._http_error}
        app = Starlette(routes=routes, exception_handlers=handlers)
        return SecurityHeaders(app, self.csp)

    def _guarded(
        self, handler: Callable[[Request, Visitor], Awaitable[Response]]
    ) -> Callable[[Request], Awaitable[Response]]:
        """Run a page: read the cookie, turn refusals and failures into pages, set the cookie."""

        async def endpoint(request: Request) -> Response:
            visitor = read_cookie(self._cookie_key, request.cookies.get(COOKIE))
            if visitor is None:
                visitor = Visitor.new()
            try:
                response = await handler(request, visitor)
            except Refused as refused:
                response = self.message_page(
                    refused.message, status=refused.status, lang=refused.lang, link=refused.link
                )
            except Exception as exc:  # never a traceback or a stack page, never a path in the log
                # The lead reads this line where the server runs: the kind of failure only.
                log.error(
                    _("A page failed ({error}); the phone was shown an error page.").format(
                        error=type(exc).__name__
                    )
                )
                response = self.message_page(texts.both_lines("web_error"), status=500, link="/")
            if visitor.changed:
                response.set_cookie(
                    COOKIE,
                    sign_cookie(self._cookie_key, visitor),
                    # With a code, the code itself finds the answers again, so the cookie
                    # ends with the browser: the next person at a shared computer does not
                    # find them. A meeting phone's cookie is its only key to its draft.
                    max_age=None if self.settings.codes else COOKIE_DAYS * 86400,
                    path="/",
                    httponly=True,
                    samesite="strict",
                    secure=self._is_https(request),
                )
            return response

        return endpoint

    async def _http_error(self, request: Request, exc: HTTPException) -> Response:
        if exc.status_code == 404:
            return self.message_page(texts.both_lines("web_not_found"), status=404, link="/")
        return self.message_page(texts.both_lines("web_bad_form"), status=exc.status_code, link="/")

    def _is_https(self, request: Request) -> bool:
        if request.url.scheme == "https":
            return True
        if self.settings.behind_proxy:
            forwarded = request.headers.get("x-forwarded-proto", "")
            return forwarded.split(",")[0].strip().lower() == "https"
        return False

    # -- rendering ---------------------------------------------------------------
    def render(self, template: str, *, status: int = 200, lang: str = "nl", **ctx: Any) -> Response:
        def t(key: str, **values: object) -> str:
            return texts.text(key, lang, **values)

        html = self.env.get_template(template).render(css=self.css, lang=lang, t=t, **ctx)
        return HTMLResponse(html, status_code=status)

    def message_page(
        self, message: str, *, status: int, lang: str = "nl", link: str | None = "/q"
    ) -> Response:
        both = "\n" in message
        link_text = texts.both("web_continue") if both else texts.text("web_continue", lang)
        return self.render(
            "message.html.j2",
            status=status,
            lang=lang,
            paragraphs=message.split("\n"),
            both=both,
            tone="problem",
            link=link,
            link_text=link_text,
        )

    # -- where a visitor answers -------------------------------------------------
    def _draft_key_of(self, visitor: Visitor) -> str:
        return hmac.new(self._draft_key, visitor.sid.encode(), hashlib.sha256).hexdigest()

    def _serves(self, round_: Round) -> bool:
        return self.round is None or round_.id == self.round.id

    def _answering(self, visitor: Visitor, *, posting: bool) -> tuple[Round, Session]:
        """The round this visitor answers now and their Session, or Refused saying why not."""
        today = dt.date.today()
        if self.settings.codes:
            if visitor.code is None:
                if posting:
                    raise Refused(403, texts.both_lines("web_expired"), link="/")
                raise _Redirect("/")
            try:
                invitation = invitation_by_hash(self.store, visitor.code, today=today)
            except (CodeRejected, RoundStateError) as exc:
                raise Refused(409, exc.message, link="/") from None
            round_ = self._known(invitation.round)
            if not self._serves(round_):
                raise Refused(409, texts.both_lines("web_other_round"), link="/")
            code_hash = visitor.code
            session = Session(
                round_,
                state=load_draft(self.store, code_hash),
                save=lambda state: save_draft(self.store, code_hash, state),
                submit=lambda response: submit_with_code(self.store, code_hash, response),
                panel_hasher=self._panel_hasher,
            )
            return round_, session
        assert self.round is not None
        if self.round.id in visitor.sent or visitor.sid in self._sent_sids:
            raise Refused(409, texts.both_lines("web_sent_already"), link=None)
        round_ = self._meeting_round(fresh=posting)
        if not round_.accepts_answers(today):
            raise Refused(409, texts.both_lines("round_closed"), link=None)
        key = self._draft_key_of(visitor)
        session = Session(
            round_,
            state=load_draft(self.store, key),
            save=lambda state: save_keyed_draft(self.store, round_.id, key, state),
            submit=lambda response: submit_keyed(
                self.store, round_.id, key, response, cap=self.settings.expected
            ),
            panel_hasher=self._panel_hasher,
        )
        return round_, session

    def _meeting_round(self, *, fresh: bool) -> Round:
        """The meeting's round as it is now; for showing a page, as read in the last second.

        A posted answer reads it afresh (a closed round is told as closed), and every
        save and the send check it once more inside their own write.
        """
        assert self.round is not None
        now = self._clock()
        with self._rounds_lock:
            recent = self._meeting_read
            if not fresh and recent is not None and now - recent[0] < 1.0:
                return recent[1]
        with self.store.read() as conn:
            round_ = self._known(round_by_id(conn, self.round.id))
        with self._rounds_lock:
            self._meeting_read = (now, round_)
        return round_

    def _known(self, fresh: Round) -> Round:
        """The round as just read, with its questionnaire parsed once, not on every page.

        A round read again equals the one kept only when nothing about it changed
        (status, closing date, questionnaire): then the kept one, whose parsed
        instrument is cached, stands in for it.
        """
        with self._rounds_lock:
            kept = self._rounds.get(fresh.id)
            if kept is not None and kept == fresh:
                return kept
            self._rounds[fresh.id] = fresh
            return fresh

    def _panel_hasher(self, answers: Mapping[str, str]) -> str:
        return panel_key_hash(self._hash_secret, answers)

    def _full(self) -> bool:
        if self.settings.expected is None or self.round is None:
            return False
        from surveycoal.store import count_responses

        return count_responses(self.store, self.round.ref) >= self.settings.expected

    # -- the pages ---------------------------------------------------------------
    async def home(self, request: Request, visitor: Visitor) -> Response:
        return await run_in_threadpool(self._home, request, visitor)

    def _home(self, request: Request, visitor: Visitor) -> Response:
        if not self.settings.codes:
            try:
                self._answering(visitor, posting=False)
            except _Redirect as go:
                return _redirect(go.url)
            if self._full() and load_draft(self.store, self._draft_key_of(visitor)) is None:
                raise Refused(409, texts.both_lines("web_full"), link=None)
            return _redirect("/q")
        if visitor.code is not None:
            try:
                invitation_by_hash(self.store, visitor.code)
                return _redirect("/q")
            except (CodeRejected, RoundStateError):
                visitor.code = visitor.round_id = None
                visitor.changed = True
        reason = request.query_params.get("reason", "")
        problem = None
        if reason in _REASONS:
            problem = CodeRejected(reason, **_REASON_VALUES.get(reason, {})).message.split("\n")
        elif reason == "slow":
            problem = [
                texts.text("web_slow_down", lang, seconds=LONGEST_WAIT) for lang in ("nl", "en")
            ]
        elif reason == "retype":
            problem = texts.both_lines("retype_code").split("\n")
        elif reason in ("other", "closed"):
            key = "web_other_round" if reason == "other" else "round_closed"
            problem = texts.both_lines(key).split("\n")
        return self._code_page(visitor, problem, status=200 if problem is None else 409)

    def _code_page(self, visitor: Visitor, problem: list[str] | None, *, status: int) -> Response:
        return self.render(
            "code.html.j2",
            status=status,
            csrf=visitor.csrf,
            problem=problem,
            title=texts.both("web_code_title"),
            label=texts.both_lines("web_code_label").split("\n"),
            button=texts.both("web_code_button"),
        )

    async def post_code(self, request: Request, visitor: Visitor) -> Response:
        form = await read_form(request, self.settings.max_body)
        return await run_in_threadpool(self._post_code, visitor, form)

    def _post_code(self, visitor: Visitor, form: dict[str, str]) -> Response:
        if not self.settings.codes:
            raise Refused(404, texts.both_lines("web_not_found"), link="/")
        self._check_csrf(visitor, form)
        outcome = self._log_in(visitor, form.get("code", ""))
        if outcome is None:
            return _redirect("/q")
        status, problem, _reason = outcome
        return self._code_page(visitor, problem, status=status)

    async def code_link(self, request: Request, visitor: Visitor) -> Response:
        return await run_in_threadpool(self._code_link, request, visitor)

    def _code_link(self, request: Request, visitor: Visitor) -> Response:
        # A slip's QR code opens /k/CODE. Without JavaScript the code can only reach the
        # server in the address, so this GET logs in and at once answers 303 See Other
        # to a clean address: the page the participant sees, bookmarks or shares never
        # holds the code, the browser is told to send no Referer anywhere and to cache
        # nothing, and no log records the path. (A #fragment would never reach the
        # server at all, but then only a script could read it.) The code is checked
        # and slowed down exactly as a typed one.
        if not self.settings.codes:
            raise Refused(404, texts.both_lines("web_not_found"), link="/")
        had = (visitor.code, visitor.round_id)
        outcome = self._log_in(visitor, request.path_params.get("code", ""))
        if outcome is not None:
            return _redirect("/?" + urlencode({"reason": outcome[2]}))
        if (
            visitor.code is not None
            and visitor.code != had[0]
            and load_draft(self.store, visitor.code)
        ):
            # The link may have come from the browser's history on a shared device:
            # answers saved already are shown only to someone who types the code, as
            # in the terminal.
            visitor.code, visitor.round_id = had
            return _redirect("/?reason=retype")
        return _redirect("/q")

    def _log_in(self, visitor: Visitor, typed: str) -> tuple[int, list[str], str] | None:
        """Check a code and bind it to this visitor.

        None on success, else (status, message lines, reason).
        """
        wait = self.guard.wait(visitor.sid)
        if wait:
            slow = [texts.text("web_slow_down", lang, seconds=wait) for lang in texts.LANGUAGES]
            return 429, slow, "slow"
        try:
            normalise_code(typed)  # a typing error is told before the database is asked
            code_hash = hash_code(self._hash_secret, typed)
            invitation = invitation_by_hash(self.store, code_hash)
        except CodeRejected as exc:
            if exc.reason not in ("empty", "length", "symbol", "check"):
                self.guard.failed(visitor.sid)
            status = 409 if exc.reason in ("used", "expired") else 422
            return status, exc.message.split("\n"), exc.reason
        except RoundStateError as exc:
            return 409, exc.message.split("\n"), "closed"
        if not self._serves(invitation.round):
            self.guard.failed(visitor.sid)
            return 409, texts.both_lines("web_other_round").split("\n"), "other"
        self.guard.succeeded(visitor.sid)
        visitor.code = code_hash
        visitor.round_id = invitation.round.id
        visitor.changed = True
        return None

    def _check_csrf(self, visitor: Visitor, form: Mapping[str, str]) -> None:
        token = form.get("csrf", "")
        if visitor.changed or not hmac.compare_digest(token.encode(), visitor.csrf.encode()):
            # A new visitor has no token yet: this form came from elsewhere or from an old page.
            raise Refused(403, texts.both_lines("web_expired"), link="/")

    async def show(self, request: Request, visitor: Visitor) -> Response:
        return await run_in_threadpool(self._show, request, visitor)

    def _show(self, request: Request, visitor: Visitor) -> Response:
        try:
            round_, session = self._answering(visitor, posting=False)
        except _Redirect as go:
            return _redirect(go.url)
        wanted = request.query_params.get("s")
        review = request.query_params.get("review") == "1"
        greet = False
        if wanted:
            step = self._step_named(session, wanted)
            if not session.reachable(step):
                step = session.step
                review = False
        else:
            step = session.step
            greet = session.resumed
        return self._screen(round_, session, step, visitor, review=review, greet=greet)

    async def post_answer(self, request: Request, visitor: Visitor) -> Response:
        form = await read_form(request, self.settings.max_body)
        return await run_in_threadpool(self._post_answer, visitor, form)

    def _post_answer(self, visitor: Visitor, form: dict[str, str]) -> Response:
        self._check_csrf(visitor, form)
        try:
            round_, session = self._answering(visitor, posting=True)
        except _Redirect as go:
            return _redirect(go.url)
        lang = session.lang
        if form.get("r") != str(round_.id):
            raise Refused(409, texts.both_lines("web_unknown_screen"), lang=lang)
        step = self._step_named(session, form.get("s", ""))
        if not session.reachable(step):
            raise Refused(409, texts.text("web_not_yet", lang), lang=lang)
        if form.get("v") != state_version(session):
            raise Refused(409, texts.text("web_stale", lang), lang=lang)
        review = form.get("review") == "1"
        session.resume_at(step)
        if review:
            session.go_to(step)
        problem = self._apply(session, step, form)
        if problem is not None:
            return self._screen(
                round_, session, step, visitor, review=review, problem=problem, status=422
            )
        if session.submitted:
            if not self.settings.codes:
                visitor.sent.append(round_.id)
                self._sent_sids.add(visitor.sid)
            else:
                visitor.code = visitor.round_id = None
            visitor.changed = True
            return _redirect("/done?" + urlencode({"lang": session.lang}))
        return _redirect("/q?" + urlencode({"s": session.step.key}))

    def _apply(self, session: Session, step: Step, form: Mapping[str, str]) -> str | None:
        """Hand the form's answer to the session; a problem to show on the same screen, or None.

        A value that no screen could have sent (off the scale, an unknown choice) is
        refused outright: it did not come from this page.
        """
        lang = session.lang
        choice = form.get("choice")
        bad = Refused(400, texts.text("web_bad_form", lang), lang=lang)
        try:
            match step.kind:
                case StepKind.LANGUAGE:
                    if not choice:
                        return texts.both("web_choose_one")
                    if choice not in session.languages:
                        raise bad
                    session.choose_language(choice)
                case StepKind.WELCOME:
                    if choice != "start":
                        raise bad
                    session.start()
                case StepKind.MEMBER_TYPE:
                    if not choice:
                        return texts.text("web_choose_one", lang)
                    if choice not in session.instrument.member_type_ids:
                        raise bad
                    session.choose_member_type(choice)
                case StepKind.PANEL_KEY:
                    return self._apply_panel(session, form, bad)
                case StepKind.ITEM:
                    if not choice:
                        return texts.text("web_choose_answer", lang)
                    if choice == "dk":
                        session.answer(None)
                    elif choice.isascii() and choice.isdigit() and len(choice) < 4:
                        session.answer(int(choice))
                    else:
                        raise bad
                case StepKind.OPEN:
                    question = step.question
                    assert question is not None
                    typed = form.get("text", "")
                    if len(typed) > question.max_length * 4:
                        raise bad
                    try:
                        session.answer_open(typed)
                    except InputError:
                        return texts.text(
                            "too_long", lang, max=question.max_length, length=len(typed.strip())
                        )
                case StepKind.SUMMARY:
                    if choice != "send":
                        raise bad
                    session.send()
        except (RoundFull, CodeRejected, RoundStateError) as exc:
            raise Refused(409, exc.message, lang=lang, link=None) from None
        except InputError:
            raise bad from None
        return None

    def _apply_panel(self, session: Session, form: Mapping[str, str], bad: Refused) -> str | None:
        lang = session.lang
        choice = form.get("choice")
        if not choice:
            return texts.text("web_choose_one", lang)
        if choice == "no":
            session.give_panel_key(None)
            return None
        if choice != "yes":
            raise bad
        typed = {q.id: form.get(f"panel_{q.id}", "") for q in PANEL_QUESTIONS}
        for question in PANEL_QUESTIONS:
            try:
                normalise_panel_answer(question, typed[question.id], lang)
            except InputError as exc:
                return f"{texts.text(f'panel_{question.id}', lang)} {exc.message}"
        session.give_panel_key(typed)
        return None

    async def done(self, request: Request, visitor: Visitor) -> Response:
        lang = request.query_params.get("lang", "nl")
        if lang not in texts.LANGUAGES:
            lang = "nl"
        return self.render(
            "message.html.j2",
            lang=lang,
            paragraphs=[texts.text("thanks", lang), texts.text("web_thanks_close", lang)],
            both=False,
            tone="greeting",
            link=None,
            link_text="",
        )

    # -- the screen --------------------------------------------------------------
    @staticmethod
    def _step_named(session: Session, key: str) -> Step:
        for step in session.steps:
            if step.key == key:
                return step
        raise Refused(400, texts.text("web_unknown_screen", session.lang), lang=session.lang)

    def _screen(
        self,
        round_: Round,
        session: Session,
        step: Step,
        visitor: Visitor,
        *,
        review: bool = False,
        greet: bool = False,
        problem: str | None = None,
        status: int = 200,
    ) -> Response:
        instrument = session.instrument
        lang = session.lang
        bilingual = step.kind is StepKind.LANGUAGE

        def t(key: str, **values: object) -> str:
            return texts.both(key, **values) if bilingual else texts.text(key, lang, **values)

        session.resume_at(step)
        back = None
        if review:
            back = "/q?" + urlencode({"s": session.steps[-1].key})
        elif session.can_go_back:
            back = "/q?" + urlencode({"s": session.steps[step.position - 1].key})
        ctx: dict[str, Any] = {
            "kind": step.kind.value,
            "form": {
                "csrf": visitor.csrf,
                "r": str(round_.id),
                "s": step.key,
                "v": state_version(session),
                "review": "1" if review else "",
            },
            "back": back,
            "back_text": t("back"),
            "next_text": t("web_next"),
            "problem": problem,
            "greeting": None,
            "title": t("web_title"),
            "choices": [],
            "chosen": None,
            "heading": "",
            "paragraphs": [],
        }
        state = session.state
        if greet and step.kind is StepKind.ITEM:
            ctx["greeting"] = t("welcome_back", next=step.number, total=step.total)
        elif greet and step.kind in (StepKind.OPEN, StepKind.SUMMARY):
            ctx["greeting"] = t("welcome_back_end")
        match step.kind:
            case StepKind.LANGUAGE:
                ctx["heading"] = texts.both("choose_language")
                ctx["choices"] = [
                    (code, texts.LANGUAGE_NAMES.get(code, code), code) for code in session.languages
                ]
                ctx["chosen"] = state.lang
            case StepKind.WELCOME:
                intro = localised(instrument.intro, lang) if instrument.intro else ""
                ctx["heading"] = t("welcome_title", coalition=round_.coalition_name)
                ctx["paragraphs"] = [
                    intro or t("welcome_purpose"),
                    t(
                        "welcome_duration",
                        minutes=estimated_minutes(instrument),
                        items=len(instrument.items),
                    ),
                    t("welcome_anonymous"),
                    t("welcome_min_group", min_group=round_.privacy.min_group),
                    t("welcome_retention", months=round_.retention_months),
                    t("welcome_linking" if round_.link_rounds else "welcome_no_linking"),
                    t("web_welcome_how"),
                ]
                ctx["next_text"] = t("start")
            case StepKind.MEMBER_TYPE:
                ctx["heading"] = t("member_type")
                ctx["choices"] = [
                    (mt.id, localised(mt.label, lang), None) for mt in instrument.member_types
                ]
                ctx["chosen"] = state.member_type
            case StepKind.PANEL_KEY:
                ctx["heading"] = t("panel_choice")
                ctx["paragraphs"] = [t("panel_intro")]
                ctx["choices"] = [("yes", t("panel_yes"), None), ("no", t("panel_no"), None)]
                ctx["chosen"] = (
                    None if state.panel is None else "no" if state.panel == "skipped" else None
                )
                ctx["panel"] = [
                    (q.id, t(f"panel_{q.id}"), "numeric" if q.kind == "number" else "text")
                    for q in PANEL_QUESTIONS
                ]
            case StepKind.ITEM:
                item = step.item
                assert item is not None
                if step.first_in_part:
                    dim = instrument.dimension(item.dimension)
                    ctx["part"] = t(
                        "part",
                        number=step.part,
                        total=len(instrument.dimensions),
                        label=localised(dim.label, lang),
                    )
                    ctx["part_text"] = localised(dim.description, lang) if dim.description else ""
                ctx["progress"] = t("progress", number=step.number, total=step.total)
                ctx["heading"] = localised(item.text, lang)
                scale = instrument.scale_for(item)
                ctx["choices"] = [
                    *(
                        (str(n), localised(label, lang), None)
                        for n, label in enumerate(scale.labels, start=1)
                    ),
                    ("dk", localised(scale.dont_know, lang), None),
                ]
                if item.id in state.answers:
                    value = state.answers[item.id]
                    ctx["chosen"] = "dk" if value is None else str(value)
            case StepKind.OPEN:
                question = step.question
                assert question is not None
                ctx["progress"] = t("open_progress", number=step.number, total=step.total)
                ctx["heading"] = localised(question.text, lang)
                ctx["paragraphs"] = [
                    t("open_hint", max=question.max_length).replace("Enter", t("web_next"))
                ]
                ctx["text"] = state.open_answers.get(question.id, "")
                ctx["max_length"] = question.max_length
                ctx["open_label"] = t("web_open_label")
            case StepKind.SUMMARY:
                ctx["heading"] = t("summary_title")
                ctx["rows"] = self._summary_rows(session)
                ctx["paragraphs"] = session.summary_counts()
                ctx["question"] = t("web_summary_question")
                ctx["next_text"] = t("send")
                ctx["change_text"] = t("web_change")
        return self.render("screen.html.j2", status=status, lang="nl" if bilingual else lang, **ctx)

    def _summary_rows(self, session: Session) -> list[dict[str, str]]:
        rows = []
        for step in session.steps:
            if step.kind not in (StepKind.MEMBER_TYPE, StepKind.ITEM, StepKind.OPEN):
                continue
            title = session.step_title(step)
            if step.item is not None:
                title = f"{step.number}. {title}"
            shown = session.answer_label(step)
            link = "/q?" + urlencode({"s": step.key, "review": "1"})
            rows.append({"title": title, "answer": shown, "link": link})
        return rows


_REASON_VALUES: dict[str, dict[str, object]] = {
    "length": {"length": 9, "typed": "?"},
    "symbol": {"symbols": "?", "left_out": "0 O 1 I L 2 Z 5 S 8 B U V"},
    "expired": {"date": "?"},
}


class _Redirect(Exception):
    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.url = url


def _redirect(url: str) -> Response:
    return RedirectResponse(url, status_code=303)


async def read_form(request: Request, limit: int) -> dict[str, str]:
    """A urlencoded form, read at most ``limit`` bytes; Refused when larger or malformed.

    A field sent twice is refused: no form here has one.
    """
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > limit):
        raise Refused(413, texts.both_lines("web_too_big"))
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/x-www-form-urlencoded":
        raise Refused(400, texts.both_lines("web_bad_form"))
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > limit:
            raise Refused(413, texts.both_lines("web_too_big"))
    try:
        parsed = parse_qs(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
    except UnicodeDecodeError:
        raise Refused(400, texts.both_lines("web_bad_form")) from None
    if any(len(values) != 1 for values in parsed.values()):
        raise Refused(400, texts.both_lines("web_bad_form"))
    return {key: values[0] for key, values in parsed.items()}


class SecurityHeaders:
    """Adds the same protective headers to every response, error pages included."""

    def __init__(self, app: ASGIApp, csp: str) -> None:
        self.app = app
        self.headers = [
            (b"content-security-policy", csp.encode()),
            (b"referrer-policy", b"no-referrer"),
            (b"cache-control", b"no-store"),
            (b"x-content-type-options", b"nosniff"),
            (b"x-frame-options", b"DENY"),
            (b"cross-origin-opener-policy", b"same-origin"),
            (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (k, v) for k, v in message.get("headers", []) if k.lower() != b"cache-control"
                ]
                message["headers"] = headers + self.headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def create_app(store: Store, settings: WebSettings, **options: Any) -> ASGIApp:
    """The ASGI application that serves ``settings`` from ``store``."""
    return WebApp(store, settings, **options).asgi()


__all__ = ["SurveycoalError", "WebApp", "WebSettings", "create_app"]
