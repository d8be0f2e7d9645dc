"""What every command module shares: the console, options, and opening the store.

Only typer, rich and surveycoal's own light modules are imported here; heavy
libraries load inside the commands that need them, so ``surveycoal --help``
starts fast.
"""

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Column
from rich.text import Text

from surveycoal.errors import InputError
from surveycoal.i18n import _
from surveycoal.safetext import console_options, shown

if TYPE_CHECKING:
    from surveycoal.store import Round, Store


class SafeConsole(Console):
    """A console that shows typed text as typed.

    Markup and emoji codes are off: what is printed carries names users typed, and
    "[/x]" or ":x:" in a coalition's name must be shown as it is, not read as a
    style or an emoji. Every string it prints, in a message or a table cell, first
    passes through :func:`surveycoal.safetext.shown`, so an escape sequence in a
    name cannot clear the screen or set the window title. Styles are given with
    ``style=`` or Text (whose strings the caller passes through ``shown``).
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**{**console_options(), **kwargs})

    def render_str(self, text: str, **kwargs: Any) -> Text:
        kwargs["markup"] = False
        kwargs["emoji"] = False
        return super().render_str(shown(text), **kwargs)


#: Results go to standard output; messages and errors to standard error.
console = SafeConsole()
err_console = SafeConsole(stderr=True)

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        envvar="SURVEYCOAL_DB",
        help="Database file (default surveycoal.db here) or a database URL.",
        show_default=False,
    ),
]

LangOption = Annotated[str, typer.Option("--lang", "-l", help="Language of the text: nl or en.")]


def key_column(header: str) -> Column:
    """A table column for something a user types back (a slug, a round, an id, a path).

    Such values are never shortened with an ellipsis: other columns wrap first, and
    on a very narrow terminal the value folds onto a second line, whole.
    """
    return Column(header, no_wrap=True, overflow="fold")


def open_db(db: str | None) -> "Store":
    """Open an existing, up-to-date database or raise a clear SurveycoalError."""
    from surveycoal.store import open_store

    return open_store(db)


def parse_date(text: str | None, what: str | None = None) -> dt.date | None:
    """Parse YYYY-MM-DD, naming ``what`` (the option, in words) when it is not a date."""
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise InputError(
            _("{text!r} is not a {what}: write it as YYYY-MM-DD, for example 2026-12-20.").format(
                text=text, what=what or _("date")
            )
        ) from None


def round_status(round_: "Round", today: dt.date | None = None) -> str:
    """``open``, ``closed``, or what else a lead must know: past its closing date, past
    its retention period (its answers are due to be deleted), answers deleted."""
    if round_.purged_on is not None:
        return _("closed, answers deleted {date}").format(date=round_.purged_on.isoformat())
    if round_.is_open and not round_.accepts_answers(today):
        return _("open, past its closing date")
    if round_.past_retention(today):
        return _("closed, PAST RETENTION: delete with round purge")
    return {"open": _("open"), "closed": _("closed")}.get(round_.status, round_.status)


def success(message: str) -> None:
    """A tick and the message, as plain text and never wrapped.

    Messages carry names users typed (a coalition called "Buurt [2]") and paths that
    must stay copyable, so no markup is read in them and no line break is added.
    """
    console.print("✓ ", style="green", end="")
    console.print(message, soft_wrap=True)


def note(message: str) -> None:
    """A dim remark on standard error, plain text, never wrapped (see :func:`success`)."""
    err_console.print(message, style="dim", soft_wrap=True)


def refuse_purged(round_: "Round", what: str) -> None:
    """Refuse to report or export a round whose raw answers were deleted (``what``:
    ``reported`` or ``exported``)."""
    if round_.purged_on is not None:
        from surveycoal.reports.purged import answers_deleted

        why = {"reported": _("it cannot be reported"), "exported": _("it cannot be exported")}
        raise answers_deleted(round_.ref, round_.purged_on, why.get(what, what))
