"""The command ``serve``: the questionnaire on participants' own phones."""

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any, TextIO, cast

import typer

from surveycoal.cli._common import DbOption, console, err_console, open_db
from surveycoal.errors import InputError
from surveycoal.i18n import _

if TYPE_CHECKING:
    from surveycoal.store import Round, Store

#: A documentation address (RFC 5737): "connecting" a UDP socket to it sends nothing,
#: but makes the system pick the interface it would use, whose address we want.
_PROBE = ("192.0.2.1", 9)


def lan_address() -> str | None:
    """This computer's address on the local network, or None when it has only 127.0.0.1."""
    import socket

    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(_PROBE)
            address = str(probe.getsockname()[0])
    except OSError:
        address = ""
    if address and not address.startswith("127.") and address != "0.0.0.0":
        return address
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            candidate = str(info[4][0])
            if not candidate.startswith("127."):
                return candidate
    except OSError:
        pass
    return None


def count_line(done: int, of: int | None) -> str:
    """The live count for the lead.

    >>> count_line(12, 20)
    '12 of 20 answered'
    >>> count_line(3, None)
    '3 answered'
    """
    if of:
        return _("{done} of {of} answered").format(done=done, of=of)
    return _("{done} answered").format(done=done)


def _served_rounds(store: "Store", round_: "Round | None") -> "list[Round]":
    from surveycoal.store import list_rounds

    if round_ is not None:
        return [round_]
    return [r for r in list_rounds(store) if r.accepts_answers()]


def responses_in(store: "Store", rounds: "list[Round]") -> int:
    from surveycoal.store import count_responses

    return sum(count_responses(store, r.ref) for r in rounds)


def serve(
    ref: Annotated[
        str | None,
        typer.Argument(
            help="The round, as COALITION/NUMBER (zuid-doet-samen/3). Leave out with --all.",
            show_default=False,
        ),
    ] = None,
    codes: Annotated[
        bool,
        typer.Option(
            "--codes", help="Only people with a personal code (from `surveycoal invite`)."
        ),
    ] = False,
    all_rounds: Annotated[
        bool,
        typer.Option(
            "--all", help="Every open round, each person with their code (implies --codes)."
        ),
    ] = False,
    host: Annotated[
        str,
        typer.Option(
            help="Address to listen on: 0.0.0.0 for every network of this computer, "
            "127.0.0.1 behind a reverse proxy."
        ),
    ] = "0.0.0.0",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8080,
    expected: Annotated[
        int | None,
        typer.Option(
            help="At most this many responses in the round (a meeting of 20: --expected 20).",
            show_default=False,
        ),
    ] = None,
    behind_proxy: Annotated[
        bool,
        typer.Option(
            "--behind-proxy",
            help="A reverse proxy serves HTTPS in front of this server: trust its "
            "X-Forwarded-Proto header (cookies are then marked Secure).",
        ),
    ] = False,
    db: DbOption = None,
) -> None:
    """Let participants answer on their own phones: a small web server for a round.

    At a meeting, phones on the same Wi-Fi (or on your phone's hotspot) open the address or scan the QR code shown here; each phone answers once. With --codes people log in with their personal code, from home too. Every answer is saved as it is given. A live count is shown until you press Ctrl-C. Nothing is logged: no addresses, no pages visited.

    Example: surveycoal serve zuid-doet-samen/3 --expected 20
    """
    from surveycoal.store import get_round, require_answerable
    from surveycoal.store.answering import invitation_counts

    if all_rounds and ref is not None:
        raise InputError(_("Give a round or --all, not both."))
    if not all_rounds and ref is None:
        raise InputError(
            _(
                "Name the round to serve, for example `surveycoal serve zuid-doet-samen/3`, "
                "or give --all for every open round."
            )
        )
    if not 1 <= port <= 65535:
        raise InputError(
            _("--port takes a number from 1 to 65535, not {value}.").format(value=port)
        )
    if expected is not None and expected < 1:
        raise InputError(_("--expected must be 1 or more, not {value}.").format(value=expected))
    codes = codes or all_rounds
    if expected is not None and codes:
        raise InputError(
            _(
                "--expected caps a meeting without codes; with codes, the number of codes is "
                "the cap."
            )
        )
    store = open_db(db)
    round_ = None if ref is None else get_round(store, ref)
    if round_ is not None:
        require_answerable(round_)
        if codes and not invitation_counts(store, round_.ref)["unused"]:
            raise InputError(
                _("Round {ref} has no unused codes.").format(ref=round_.ref),
                hint=_(
                    "Make them with `surveycoal invite {ref}`, or serve without --codes."
                ).format(ref=round_.ref),
            )
    from surveycoal.web.app import WebSettings, create_app

    settings = WebSettings(
        round_ref=None if round_ is None else round_.ref,
        codes=codes,
        expected=expected,
        behind_proxy=behind_proxy,
    )
    app = create_app(store, settings)
    rounds = _served_rounds(store, round_)
    if not rounds:
        raise InputError(
            _("No round takes answers now."), hint=_("Open one with `surveycoal round open`.")
        )
    of = expected
    if of is None and round_ is not None:
        of = round_.expected_respondents
        if of is None and codes:
            counts = invitation_counts(store, round_.ref)
            of = counts["unused"] + counts["used"]
    from surveycoal.web.serving import check_can_listen

    check_can_listen(host, port)
    _announce(host, port, round_, codes=codes, behind_proxy=behind_proxy)
    _run(app, host, port, lambda: responses_in(store, rounds), of)


def _announce(
    host: str, port: int, round_: "Round | None", *, codes: bool, behind_proxy: bool
) -> None:
    import segno

    what = _("every open round") if round_ is None else f"{round_.ref} ({round_.coalition_name})"
    mode = _("with personal codes") if codes else _("at a meeting, without codes")
    console.print(_("Serving {what}, {mode}.").format(what=what, mode=mode), soft_wrap=True)
    everywhere = host in ("0.0.0.0", "::", "")
    if everywhere:
        address = lan_address()
        if address is None:
            err_console.print(
                _(
                    "Warning: this computer has no network address other than 127.0.0.1, so "
                    "phones cannot reach it. Connect it to the Wi-Fi the phones use, or to your "
                    "phone's hotspot, and start again."
                ),
                style="bold yellow",
                soft_wrap=True,
            )
            address = "127.0.0.1"
    else:
        address = host
    url = f"http://{address}:{port}/"
    if behind_proxy:
        console.print(
            _("Listening on {url} for the reverse proxy.").format(url=url), soft_wrap=True
        )
        console.print(_("Participants open the proxy's https:// address."))
        return
    console.print(_("Open on a phone: {url}").format(url=url), soft_wrap=True)
    if address.startswith("127.") or host.startswith("127.") or host == "localhost":
        err_console.print(
            _("Only this computer can open that address."), style="yellow", soft_wrap=True
        )
    else:
        console.print(
            _(
                "Phones join through the same Wi-Fi as this computer. When the venue's guest "
                "network keeps devices apart, switch on your phone's hotspot and connect this "
                "computer and the phones to it."
            ),
            soft_wrap=True,
        )
        console.print(
            _("This is plain HTTP: fine on a meeting's own network, not for the open internet."),
            style="dim",
            soft_wrap=True,
        )
    segno.make(url, error="m").terminal(out=cast(TextIO, console.file), compact=True)
    console.file.flush()


def _run(app: Any, host: str, port: int, count: Callable[[], int], of: int | None) -> None:
    import uvicorn

    from surveycoal.web.serving import cannot_listen, route_server_log

    route_server_log(lambda line: err_console.print(line, style="yellow", soft_wrap=True))
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        # No access log: it would record every page and the phone's address.
        access_log=False,
        server_header=False,
        # Addresses from proxies are not wanted either; X-Forwarded-Proto is read by the app.
        proxy_headers=False,
        log_config=None,
        log_level="warning",
        lifespan="off",
        timeout_keep_alive=5,
    )
    server = uvicorn.Server(config)
    import threading

    stop = threading.Event()

    def show_count() -> None:
        shown = -1
        while not stop.is_set():
            try:
                done = count()
            except Exception:  # the database busy for a moment: try again shortly
                done = shown
            if done != shown:
                console.print(count_line(done, of), soft_wrap=True)
                console.file.flush()
                shown = done
            stop.wait(1.0)

    counter = threading.Thread(target=show_count, name="live-count", daemon=True)
    console.print(_("Press Ctrl-C to stop."))
    counter.start()
    try:
        # uvicorn stops on Ctrl-C and then raises it again for the caller: here it ends
        # the serving as the lead asked, with the count.
        server.run()
    except KeyboardInterrupt:
        pass
    except SystemExit:
        raise cannot_listen(host, port) from None
    finally:
        stop.set()
        counter.join(timeout=2)
    console.print(_("Stopped. {count}.").format(count=count_line(count(), of)))


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
