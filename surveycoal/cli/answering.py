"""Commands for answering: invite (codes and slips), answer, kiosk and import."""

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from surveycoal.cli._common import DbOption, console, err_console, open_db, parse_date, success
from surveycoal.errors import InputError
from surveycoal.i18n import _, ngettext

if TYPE_CHECKING:
    from surveycoal.prompt import Screen
    from surveycoal.store.answering import Invitation

T = TypeVar("T")

RoundRef = Annotated[
    str, typer.Argument(help="The round, as COALITION/NUMBER (zuid-doet-samen/1).")
]
AnswerLang = Annotated[
    str | None,
    typer.Option("--lang", "-l", help="Preselect the language: nl or en.", show_default=False),
]
PlainOption = Annotated[
    bool,
    typer.Option(
        "--plain",
        help="Numbered text questions without cursor keys or colours "
        "(for screen readers and plain terminals).",
    ),
]

#: Exit code after Ctrl-C, as shells use it.
INTERRUPTED = 130


def _check_lang(lang: str | None) -> None:
    from surveycoal.texts import LANGUAGES

    if lang is not None and lang not in LANGUAGES:
        raise InputError(
            _("--lang takes {choices}, not {value!r}.").format(
                choices=" or ".join(LANGUAGES), value=lang
            )
        )


def _require_terminal(command: str) -> None:
    if not sys.stdin.isatty():
        raise InputError(
            _(
                "`surveycoal {command}` asks questions on screen and needs a terminal, "
                "but its input is not one."
            ).format(command=command),
            hint=_(
                "Run it in a terminal window. To load answers from a file, use `surveycoal import`."
            ),
        )


def _screen(plain: bool) -> "Screen":
    from surveycoal.prompt import PlainScreen, QuestionaryScreen

    return PlainScreen() if plain else QuestionaryScreen()


def invite(
    ref: RoundRef,
    count: Annotated[int, typer.Option("--count", "-n", help="How many codes to make.")] = 25,
    expires: Annotated[
        str | None,
        typer.Option(help="Last day the codes work, YYYY-MM-DD (default: until the round closes)."),
    ] = None,
    out_dir: Annotated[
        Path,
        typer.Option(
            "--out-dir",
            help="Folder for SLUG-N-codes.csv and SLUG-N-slips.html (default: here).",
            file_okay=False,
        ),
    ] = Path("."),
    where: Annotated[
        str | None,
        typer.Option(help="Where or how to answer, printed on every slip (a room, a laptop)."),
    ] = None,
    url: Annotated[
        str | None,
        typer.Option(
            help="The address where `surveycoal serve` runs (https://...): each slip then "
            "shows it with a QR code that logs in with the slip's code.",
            show_default=False,
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing files.")] = False,
    print_codes: Annotated[
        bool, typer.Option("--print", help="Also print the codes here (they are live).")
    ] = False,
    db: DbOption = None,
) -> None:
    """Make one-use personal codes for a round: a CSV file and a printable sheet of slips.

    Only a keyed hash of each code is stored, so these files are the only copy of the codes. A code is 9 letters and digits in two groups (K7QM-4TRXY); the last one is a check symbol that catches typing errors.

    Without --url each slip says which command to type (surveycoal answer CODE), or where to answer (--where). With --url each slip carries the address and a QR code for answering on a phone.

    Example: surveycoal invite zuid-doet-samen/1 --count 25 --url https://vragen.example.nl
    """
    import csv

    from surveycoal.answering import estimated_minutes
    from surveycoal.codes import check_slip_url, slips_html
    from surveycoal.files import staged
    from surveycoal.safetext import shown
    from surveycoal.store import get_round
    from surveycoal.store.answering import create_invitations

    slip_url = None if url is None else check_slip_url(url)
    store = open_db(db)
    round_ = get_round(store, ref)
    expires_on = parse_date(expires, _("date for --expires"))
    if not out_dir.is_dir():
        raise InputError(_("The folder {path} does not exist.").format(path=out_dir))
    stem = f"{round_.coalition}-{round_.number}"
    csv_path = out_dir / f"{stem}-codes.csv"
    html_path = out_dir / f"{stem}-slips.html"
    existing = [p for p in (csv_path, html_path) if p.exists()]
    if existing and not force:
        raise InputError(
            _("{path} exists already; codes in it may be in use.").format(path=existing[0]),
            hint=_("Choose another --out-dir, or overwrite with --force."),
        )
    expiry = expires_on.isoformat() if expires_on else ""
    # The slips say until when the code works: its own expiry, else the round's last day.
    last_day = expires_on or round_.closes_on

    def keep(codes: list[str]) -> None:
        # Both files are written in full before either is put in place, and the codes
        # are stored only once both are: a failure leaves no live code without a copy.
        with staged(csv_path) as (csv_tmp, put_csv), staged(html_path) as (html_tmp, put_html):
            with open(csv_tmp, "w", newline="", encoding="utf-8") as f:
                writer = csv.writer(f)
                writer.writerow(["code", "round", "expires_on"])
                writer.writerows([code, round_.ref, expiry] for code in codes)
            html_tmp.write_text(
                slips_html(
                    codes,
                    coalition_name=shown(round_.coalition_name),
                    round_number=round_.number,
                    minutes=estimated_minutes(round_.instrument),
                    expires_on=last_day.isoformat() if last_day else None,
                    where=shown(where) if where else None,
                    url=slip_url,
                ),
                encoding="utf-8",
            )
            put_csv()
            put_html()

    codes = create_invitations(store, ref, count, expires_on=expires_on, keep=keep)
    success(
        ngettext(
            "{count} code made for {ref}.", "{count} codes made for {ref}.", len(codes)
        ).format(count=len(codes), ref=round_.ref)
    )
    # Whole paths on one line each, never wrapped, so they can be copied.
    console.print(_("Codes:  {path}").format(path=csv_path), markup=False, soft_wrap=True)
    console.print(_("Slips:  {path}").format(path=html_path), markup=False, soft_wrap=True)
    if slip_url is not None and slip_url.startswith("http://"):
        err_console.print(
            _(
                "{url} is plain HTTP: fine on a meeting's own network, but codes sent over "
                "the internet that way can be read on the way. Use an https:// address for home."
            ).format(url=slip_url),
            style="yellow",
            soft_wrap=True,
        )
    if print_codes:
        for code in codes:
            console.print(code, markup=False)
    err_console.print(
        _(
            "These files hold live codes: anyone with a code can answer once. "
            "Hand out the slips, then delete both files."
        ),
        style="yellow",
    )


def answer(
    code_argument: Annotated[
        str | None,
        typer.Argument(
            metavar="[CODE]",
            help="Your personal code, as on your slip (asked when left out).",
            show_default=False,
        ),
    ] = None,
    code: Annotated[
        str | None,
        typer.Option("--code", "-c", help="Your personal code, as an option.", show_default=False),
    ] = None,
    lang: AnswerLang = None,
    plain: PlainOption = False,
    db: DbOption = None,
) -> None:
    """Answer the questionnaire with a personal code; every answer is saved at once.

    Stop at any time (Ctrl-C): answering again with the same code continues where you were. To continue, the code is typed once more on screen, so that the next person at a shared laptop cannot go on from the shell's history.

    Example: surveycoal answer K7QM-4TRXY --lang nl
    """
    from surveycoal import texts
    from surveycoal.answering import Session
    from surveycoal.codes import CodeRejected, panel_key_hash
    from surveycoal.errors import RoundStateError
    from surveycoal.prompt import run_questionnaire, show_thanks
    from surveycoal.store.answering import (
        find_invitation,
        load_draft,
        save_draft,
        submit_with_code,
    )

    if code_argument is not None and code is not None and code_argument != code:
        raise typer.BadParameter(_("give the code once: as CODE or as --code."), param_hint="CODE")
    code = code_argument if code_argument is not None else code
    _check_lang(lang)
    _require_terminal("answer")
    store = open_db(db)
    screen = _screen(plain)

    def lookup(typed: str) -> "Invitation":
        return find_invitation(store, typed)

    try:
        invitation = _find_code(screen, lookup, code)
        draft = load_draft(store, invitation.code_hash)
        if code is not None and draft:
            # The code on the command line stays in the shell's history: whoever
            # comes next to this laptop could press arrow-up and Enter. Saved
            # answers are shown again only to someone who types the code.
            _retype_code(screen, lookup, invitation, lang or draft.get("lang"))
    except (KeyboardInterrupt, EOFError):
        raise typer.Exit(code=INTERRUPTED) from None
    except (CodeRejected, RoundStateError) as exc:
        # Spoken to the participant: their own words in both languages, no "Error:".
        _tell_participant(exc.message)
        raise typer.Exit(code=1) from None
    code_hash = invitation.code_hash
    secret = store.hash_key()
    session = Session(
        invitation.round,
        state=draft,
        lang=lang,
        save=lambda state: save_draft(store, code_hash, state),
        submit=lambda response: submit_with_code(store, code_hash, response),
        panel_hasher=lambda answers: panel_key_hash(secret, answers),
    )
    # Whether sent or stopped, the answers leave the screen and its scrollback: the
    # laptop may be shared, and the next person must not scroll back to them.
    try:
        run_questionnaire(session, screen)
    except (KeyboardInterrupt, EOFError):
        screen.clear()
        _tell_participant(texts.text("saved_for_later", session.lang))
        raise typer.Exit(code=INTERRUPTED) from None
    except (CodeRejected, RoundStateError) as exc:
        # The code was used in another window, or the round closed, while answering.
        screen.clear()
        _tell_participant(exc.message)
        raise typer.Exit(code=1) from None
    screen.clear()
    show_thanks(session, screen)


#: Reasons a typed code may simply be mistyped: worth asking again.
_RETYPE = frozenset({"empty", "length", "symbol", "check", "unknown"})


def _find_code(screen: "Screen", lookup: Callable[[str], T], code: str | None) -> T:
    """The invitation of ``--code``, or of a code asked on screen.

    A mistyped ``--code`` is not the end: the reason is shown and the code asked
    again, as when it was typed on screen.
    """
    from surveycoal.codes import CodeRejected
    from surveycoal.prompt import ask_code

    if code is not None:
        try:
            return lookup(code)
        except CodeRejected as exc:
            if exc.reason not in _RETYPE:
                raise
            screen.show(exc.message)
    return ask_code(screen, lookup)


def _retype_code(
    screen: "Screen",
    lookup: "Callable[[str], Invitation]",
    invitation: "Invitation",
    lang: str | None,
) -> None:
    """Ask for the same code once more, typed on screen; CodeRejected when it is not given."""
    from surveycoal import texts
    from surveycoal.codes import CodeRejected

    def say(key: str) -> str:
        return texts.text(key, lang) if lang in texts.LANGUAGES else texts.both_lines(key)

    screen.show(say("retype_code"))
    for _attempt in range(3):
        typed = screen.ask_text("Code:")
        try:
            if lookup(typed).code_hash == invitation.code_hash:
                return
        except CodeRejected as exc:
            screen.show(exc.message)
            continue
        screen.show(say("retype_differs"))
    raise CodeRejected("check")


def _tell_participant(message: str) -> None:
    err_console.print(message, markup=False, highlight=False)


def kiosk(
    ref: RoundRef,
    lang: AnswerLang = None,
    plain: PlainOption = False,
    idle_seconds: Annotated[
        float,
        typer.Option(
            "--idle-seconds",
            help="Seconds without a key press before the screen is cleared and the "
            "participant asked 'are you still there?'.",
        ),
    ] = 60,
    still_there_seconds: Annotated[
        float,
        typer.Option(
            "--still-there-seconds",
            help="Seconds that question waits before the unfinished answers are given up.",
        ),
    ] = 30,
    db: DbOption = None,
) -> None:
    """Run the questionnaire at a meeting: participants answer one after another, without codes.

    You choose a stop word first. Between participants the screen and its scrollback are cleared. After a minute without a key press the screen is cleared and the participant asked whether they are still there; half a minute later the unfinished answers are discarded or kept as the round says, so the next person cannot go back to them. To stop: Ctrl-C, then the stop word.

    Example: surveycoal kiosk zuid-doet-samen/1 --lang nl
    """
    from surveycoal.kiosk import Kiosk, choose_stop_word
    from surveycoal.store import get_round, require_answerable

    _check_lang(lang)
    for name, seconds in (
        ("--idle-seconds", idle_seconds),
        ("--still-there-seconds", still_there_seconds),
    ):
        if not seconds > 0:
            raise InputError(
                _("{option} must be more than 0, not {value}.").format(
                    option=name, value=f"{seconds:g}"
                )
            )
    _require_terminal("kiosk")
    store = open_db(db)
    round_ = get_round(store, ref)
    require_answerable(round_)
    screen = _screen(plain)
    try:
        word = choose_stop_word(screen, lang)
    except (KeyboardInterrupt, EOFError):
        raise typer.Exit(code=INTERRUPTED) from None
    runner = Kiosk(
        store,
        ref,
        screen,
        stop_word=word,
        lang=lang,
        idle=idle_seconds,
        still_there=still_there_seconds,
    )
    tally = runner.run()
    success(
        _(
            "Kiosk for {ref} stopped: {sent} sent, {kept} kept unfinished, {discarded} discarded."
        ).format(
            ref=round_.ref,
            sent=tally.sent,
            kept=tally.kept_incomplete,
            discarded=tally.discarded,
        )
    )


def import_(
    ref: RoundRef,
    path: Annotated[Path, typer.Argument(help="A .csv or .xlsx file, one row per response.")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Only check the file; store nothing.")
    ] = False,
    again: Annotated[
        bool,
        typer.Option(
            "--again",
            help="Import answers that are the same as an earlier import into this round "
            "(only when they really are other people's answers).",
        ),
    ] = False,
    db: DbOption = None,
) -> None:
    """Import answers typed from paper forms or exported from an online form (.csv, .xlsx).

    Columns: one per item id and open question, member_type, and optionally panel_key (for example OL-7-A-2). Answers are 1-5, empty, or dk / weet niet / don't know. CSV may be UTF-8 or Windows-1252, with commas or semicolons. Every row is checked first; one problem anywhere and nothing is stored. The same answers are not imported into a round twice.

    Example: surveycoal import zuid-doet-samen/1 paper-forms.xlsx --dry-run
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn

    from surveycoal.importer import import_answers

    store = open_db(db)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=err_console, transient=True) as bar:
        tasks: dict[str, TaskID] = {}
        labels = {"check": _("Checking rows"), "store": _("Storing responses")}

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(labels.get(stage, stage), total=total)
            bar.update(tasks[stage], completed=done)

        result = import_answers(store, ref, path, dry_run=dry_run, again=again, progress=progress)
    detail = (
        _("(read as {encoding}, columns split by {delimiter!r})")
        if result.delimiter
        else _("(read as {encoding})")
    ).format(encoding=result.encoding, delimiter=result.delimiter)
    if result.stored:
        success(
            _("Imported {count} responses into {ref} {detail}.").format(
                count=result.responses, ref=result.round_ref, detail=detail
            )
        )
    else:
        success(
            _(
                "All {count} rows can be imported into {ref} {detail}; "
                "nothing was stored (dry run)."
            ).format(count=result.responses, ref=result.round_ref, detail=detail)
        )


def erase(
    code: Annotated[str, typer.Option("--code", "-c", help="The participant's code.")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    db: DbOption = None,
) -> None:
    """Delete the answers a participant saved with their code but never sent.

    Answers that were sent carry no link to the code, so they cannot be found again;
    they go when the whole round's answers are deleted (`surveycoal round purge`).

    Example: surveycoal erase --code K7QM-4TRXY
    """
    from surveycoal.codes import normalise_code
    from surveycoal.store.erasure import erase_draft

    normalise_code(code)  # a typing error is told before anything is asked
    store = open_db(db)
    if not yes:
        typer.confirm(_("Delete the unsent answers saved with this code?"), abort=True)
    found = erase_draft(store, code)
    success(
        _(
            "Deleted the unsent answers of this code in {ref}. The code can still be "
            "used to answer from the start."
        ).format(ref=found.ref)
    )


def register(app: typer.Typer) -> None:
    app.command("erase")(erase)
    app.command("invite")(invite)
    app.command("answer")(answer)
    app.command("kiosk")(kiosk)
    app.command("import")(import_)
