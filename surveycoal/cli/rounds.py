"""Commands for rounds: open, list, show, close, reopen and change."""

from typing import Annotated

import typer
from rich.table import Column, Table

from surveycoal.cli._common import (
    DbOption,
    console,
    key_column,
    note,
    open_db,
    parse_date,
    round_status,
    success,
)
from surveycoal.errors import InputError
from surveycoal.i18n import _, ngettext

round_app = typer.Typer(
    help="Rounds: one wave of the questionnaire in a coalition, written as COALITION/NUMBER.\n\n"
    "Example: surveycoal round open zuid-doet-samen --instrument coalition-health --closes 2026-12-20"
)

RoundRef = Annotated[
    str, typer.Argument(help="The round, as COALITION/NUMBER (zuid-doet-samen/1).")
]


@round_app.command("open")
def round_open(
    coalition: Annotated[str, typer.Argument(help="The coalition's slug.")],
    instrument: Annotated[
        str, typer.Option("--instrument", "-i", help="Instrument id or file.")
    ] = "coalition-health",
    closes: Annotated[
        str | None, typer.Option(help="Last day to answer, YYYY-MM-DD (default: until closed).")
    ] = None,
    link_rounds: Annotated[
        bool,
        typer.Option(
            "--link-rounds/--no-link-rounds",
            help="Ask participants for a personal key so their answers can be paired with "
            "their answers in other linked rounds (they are told before they start).",
        ),
    ] = False,
    min_group: Annotated[
        int | None,
        typer.Option(
            help="Smallest group ever reported (default from the instrument, 5). "
            "Can only be raised."
        ),
    ] = None,
    incomplete: Annotated[
        str,
        typer.Option(help="What a kiosk does with answers left unfinished: discard or keep."),
    ] = "discard",
    expected: Annotated[
        int | None,
        typer.Option(
            help="How many people are asked, for the response rate (kiosk rounds).",
            min=1,
            max=1_000_000,
        ),
    ] = None,
    retention_months: Annotated[
        int | None,
        typer.Option(
            "--retention-months",
            help="How many months after the round closes its raw answers are kept "
            "(participants are told; default 24); then `round purge` deletes them.",
            show_default=False,
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """Open the coalition's next round with a snapshot of the instrument.

    Later edits to the instrument file do not change this round.

    Example: surveycoal round open zuid-doet-samen --instrument coalition-health --closes 2026-12-20
    """
    from surveycoal.instruments import load_instrument
    from surveycoal.store import open_round
    from surveycoal.store.rounds import DEFAULT_RETENTION_MONTHS

    store = open_db(db)
    found = load_instrument(instrument)
    opened = open_round(
        store,
        coalition,
        found,
        closes_on=parse_date(closes, "--closes"),
        link_rounds=link_rounds,
        min_group=min_group,
        incomplete_policy=incomplete,
        expected_respondents=expected,
        retention_months=DEFAULT_RETENTION_MONTHS if retention_months is None else retention_months,
    )
    success(
        _("Round {ref} is open ({instrument} {version}).").format(
            ref=opened.ref, instrument=found.id, version=found.version
        )
    )
    console.print(
        _(
            "Groups smaller than {min} are never reported. "
            "The answers are kept {months} after the round closes. "
            "Next: surveycoal invite {ref} --count 25, or surveycoal kiosk {ref}."
        ).format(
            min=opened.privacy.min_group, months=_months(opened.retention_months), ref=opened.ref
        )
    )


@round_app.command("list")
def round_list(
    coalition: Annotated[
        str | None, typer.Argument(help="Only this coalition's rounds.", show_default=False)
    ] = None,
    status: Annotated[str | None, typer.Option(help="Only open or closed rounds.")] = None,
    db: DbOption = None,
) -> None:
    """List rounds with their state and number of responses.

    Example: surveycoal round list zuid-doet-samen --status open
    """
    from surveycoal.store import count_responses, list_rounds

    if status not in (None, "open", "closed"):
        raise InputError(_("--status takes open or closed, not {value!r}.").format(value=status))
    store = open_db(db)
    table = Table(
        key_column(_("Round")),
        key_column(_("Instrument")),
        Column(_("Status"), overflow="fold"),
        key_column(_("Closes")),
        Column(_("Responses"), no_wrap=True, justify="right"),
    )
    for r in list_rounds(store, coalition=coalition, status=status):
        table.add_row(
            r.ref,
            f"{r.instrument_id} {r.instrument_version}",
            round_status(r),
            r.closes_on.isoformat() if r.closes_on else "-",
            str(count_responses(store, r.ref)),
        )
    console.print(table)


@round_app.command("show")
def round_show(ref: RoundRef, db: DbOption = None) -> None:
    """Show a round's settings and how many have answered.

    Example: surveycoal round show zuid-doet-samen/1
    """
    from surveycoal.store import count_responses, get_round

    store = open_db(db)
    r = get_round(store, ref)
    table = Table(show_header=False, box=None)
    table.add_row(_("Round"), f"{r.ref} ({r.coalition_name})")
    table.add_row(
        _("Status"),
        _("closed on {date}").format(date=r.closed_on.isoformat())
        if r.closed_on
        else round_status(r),
    )
    table.add_row(
        _("Instrument"),
        _("{id} {version} (hash {hash})").format(
            id=r.instrument_id, version=r.instrument_version, hash=r.instrument_hash[:12]
        ),
    )
    table.add_row(_("Opened"), r.opened_on.isoformat())
    table.add_row(_("Closes"), r.closes_on.isoformat() if r.closes_on else _("when closed by hand"))
    table.add_row(_("Minimum group"), str(r.privacy.min_group))
    table.add_row(
        _("Free text shown from"), _("{count} responses").format(count=r.privacy.min_free_text)
    )
    table.add_row(_("Links rounds"), _("yes (personal key)") if r.link_rounds else _("no"))
    table.add_row(_("Unfinished kiosk answers"), r.incomplete_policy)
    until = _(" (until {date})").format(date=r.keep_until.isoformat()) if r.keep_until else ""
    table.add_row(
        _("Answers kept"),
        _("{months} after closing{until}").format(months=_months(r.retention_months), until=until),
    )
    if r.purged_on is not None:
        table.add_row(
            _("Answers deleted"),
            _("{date} (the scores are kept)").format(date=r.purged_on.isoformat()),
        )
    table.add_row(_("Responses"), str(count_responses(store, ref)))
    if r.expected_respondents:
        table.add_row(_("Expected respondents"), str(r.expected_respondents))
    console.print(table)


@round_app.command("close")
def round_close(ref: RoundRef, db: DbOption = None) -> None:
    """Close a round: nobody can answer it any more.

    Example: surveycoal round close zuid-doet-samen/1
    """
    from surveycoal.store import close_round, count_responses

    store = open_db(db)
    closed = close_round(store, ref)
    success(
        _("Round {ref} is closed with {count} responses.").format(
            ref=closed.ref, count=count_responses(store, ref)
        )
    )
    if closed.discarded_drafts:
        note(
            ngettext(
                "{count} unfinished questionnaire that was never sent is deleted; "
                "it is not counted.",
                "{count} unfinished questionnaires that were never sent are deleted; "
                "they are not counted.",
                closed.discarded_drafts,
            ).format(count=closed.discarded_drafts)
        )


@round_app.command("reopen")
def round_reopen(
    ref: RoundRef,
    closes: Annotated[str | None, typer.Option(help="New last day to answer, YYYY-MM-DD.")] = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    db: DbOption = None,
) -> None:
    """Open a closed round again, after confirmation.

    Example: surveycoal round reopen zuid-doet-samen/1 --closes 2027-01-15
    """
    from surveycoal.store import get_round, reopen_round

    store = open_db(db)
    found = get_round(store, ref)
    if not yes:
        typer.confirm(
            _("Reopen {ref}? People with unused codes can answer again.").format(ref=found.ref),
            abort=True,
        )
    reopened = reopen_round(store, ref, closes_on=parse_date(closes, "--closes"))
    success(_("Round {ref} is open again.").format(ref=reopened.ref))


@round_app.command("set-instrument")
def round_set_instrument(
    ref: RoundRef,
    instrument: Annotated[str, typer.Argument(help="Instrument id or file.")],
    db: DbOption = None,
) -> None:
    """Give an open round without answers another instrument (a closed round keeps its own).

    Example: surveycoal round set-instrument zuid-doet-samen/2 coalition-pulse
    """
    from surveycoal.instruments import load_instrument
    from surveycoal.store import replace_instrument

    found = load_instrument(instrument)
    changed = replace_instrument(open_db(db), ref, found)
    success(
        _("Round {ref} now uses {instrument} {version}.").format(
            ref=changed.ref, instrument=found.id, version=found.version
        )
    )


@round_app.command("purge")
def round_purge(
    ref: RoundRef,
    force_before_retention: Annotated[
        bool,
        typer.Option(
            "--force-before-retention",
            help="Delete before the retention period ends (someone asked to be erased, "
            "or the coalition stops).",
        ),
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    db: DbOption = None,
) -> None:
    """Delete a closed round's raw answers after its retention period, keeping its scores.

    Deleted: every response and answer, the panel-key links between rounds, the open
    answers, unsent drafts, the round's invitation codes and its import records. Kept:
    the round with its questionnaire and settings, the coalition's notes, and a copy of
    the round's scores as `surveycoal score SLUG/N` shows them (groups below the
    minimum hidden), without the open answers. Reports and exports need the raw answers and are refused afterwards.

    Example: surveycoal round purge zuid-doet-samen/1
    """
    from surveycoal.cli.scoring import round_score_json
    from surveycoal.store import get_round
    from surveycoal.store.erasure import kept_copy, purge_round

    store = open_db(db)
    found = get_round(store, ref)
    if found.purged_on is None and not found.is_open:
        # Checked again (with the period) inside the purge itself; asking first would
        # be pointless when the answer is no anyway.
        scores = kept_copy(round_score_json(store, found.ref))
    else:
        scores = ""
    if not yes and found.purged_on is None and not found.is_open:
        typer.confirm(
            _("Delete every answer of {ref} for good? Its scores are kept.").format(ref=found.ref),
            abort=True,
        )
    erased = purge_round(
        store, found.ref, scores_json=scores, before_retention=force_before_retention
    )
    success(_("Deleted from {ref}: {what}.").format(ref=found.ref, what=erased.describe()))
    console.print(
        _("Kept: the round, its notes and its scores (surveycoal score {ref}).").format(
            ref=found.ref
        )
    )


def _months(n: int) -> str:
    return ngettext("{count} month", "{count} months", n).format(count=n)


def register(app: typer.Typer) -> None:
    app.add_typer(round_app, name="round")
