"""Commands that read the results: ``score`` (tables or JSON) and ``export`` (CSV or XLSX).

Scoring, anonymity and the export tables live in the core (:mod:`surveycoal.scoring`,
:mod:`surveycoal.export`); these commands parse options, load each round once, and hand the
typed results to :mod:`surveycoal.terminal` (the tables) or print their JSON.
"""

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.text import Text

from surveycoal.cli._common import (
    DbOption,
    console,
    err_console,
    open_db,
    refuse_purged,
    success,
)
from surveycoal.errors import InputError
from surveycoal.i18n import _
from surveycoal.safetext import shown, shown_json

if TYPE_CHECKING:
    from surveycoal.rounddata import RoundData
    from surveycoal.scoring import PooledReliability, RoundScores
    from surveycoal.store import Round, Store

WHATS = ("responses", "scores")
FORMATS = ("csv", "xlsx")


Json = Annotated[
    bool,
    typer.Option(
        "--json",
        help="Print the figures as JSON on standard output (suppressed figures are null).",
    ),
]


# ---------------------------------------------------------------------------
# score
# ---------------------------------------------------------------------------
def score(
    target: Annotated[
        str | None,
        typer.Argument(
            help="A round as COALITION/NUMBER; or a coalition, with --from and --to for the "
            "change between two rounds (alone: its latest round).",
            show_default=False,
        ),
    ] = None,
    from_round: Annotated[
        int | None,
        typer.Option("--from", help="The earlier round of a change.", min=1, max=2**31 - 1),
    ] = None,
    to_round: Annotated[
        int | None, typer.Option("--to", help="The later round of a change.", min=1, max=2**31 - 1)
    ] = None,
    programme: Annotated[
        str | None,
        typer.Option(
            "--programme",
            "-p",
            help="Show the programme's coalitions side by side (no ranking).",
            show_default=False,
        ),
    ] = None,
    round_number: Annotated[
        int | None,
        typer.Option(
            "--round",
            "-r",
            help="With --programme: every coalition's round N (default: each one's latest).",
            min=1,
            max=2**31 - 1,
        ),
    ] = None,
    as_json: Json = False,
    items: Annotated[
        bool,
        typer.Option("--items", help="Also show the answers per statement (one round only)."),
    ] = False,
    mid: Annotated[
        float | None,
        typer.Option(
            "--mid",
            help="With --from/--to: the smallest change that matters, in points (default 5); "
            'smaller significant changes are called "slightly" improved or declined.',
            min=0.0,
            show_default=False,
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """Score a round, the change between two rounds, or a programme's coalitions side by side.

    Every figure follows the round's anonymity rules: groups below the minimum are
    hidden, and a hidden cell says why without any number.

    Example: surveycoal score zuid-doet-samen/2

    surveycoal score zuid-doet-samen --from 1 --to 2

    surveycoal score --programme "Expedities 2026" --round 2

    surveycoal score zuid-doet-samen/2 --json
    """
    _check_score_options(target, from_round, to_round, programme, round_number, items, mid)
    store = open_db(db)
    if programme is not None:
        _score_programme(store, programme, round_number, as_json)
    elif target is not None and from_round is not None and to_round is not None:
        _score_change(store, target, from_round, to_round, mid, as_json)
    elif target is not None:
        _score_round(store, target, as_json, items)


def _check_score_options(
    target: str | None,
    from_round: int | None,
    to_round: int | None,
    programme: str | None,
    round_number: int | None,
    items: bool,
    mid: float | None,
) -> None:
    """Raise an InputError, saying what fits, when the options ask for no form or for two."""
    changing = from_round is not None or to_round is not None
    if programme is not None:
        if target is not None or changing:
            raise InputError(
                _(
                    "--programme shows every coalition of a programme: leave out the coalition "
                    "or round before it, and --from and --to."
                ),
                hint=_('For example: surveycoal score --programme "{name}" --round 2').format(
                    name=programme
                ),
            )
        if items or mid is not None:
            raise InputError(_("--items and --mid do not go with --programme."))
        return
    if round_number is not None:
        raise InputError(
            _("--round goes with --programme; for one coalition's round write COALITION/NUMBER."),
            hint=_("For example: {command}").format(command="surveycoal score zuid-doet-samen/2"),
        )
    if target is None:
        raise InputError(
            _(
                "Say what to score: a round (COALITION/NUMBER), a coalition with --from and "
                "--to, or --programme NAME."
            ),
            hint=_("For example: {command}").format(command="surveycoal score zuid-doet-samen/2"),
        )
    if "/" in target:
        if changing:
            slug = target.rpartition("/")[0]
            raise InputError(
                _(
                    "{ref} is one round; to see a change give the coalition with --from and --to."
                ).format(ref=target),
                hint=_("For example: {command}").format(
                    command=f"surveycoal score {slug} --from 1 --to 2"
                ),
            )
        if mid is not None:
            raise InputError(_("--mid only applies to a change between rounds (--from and --to)."))
        return
    if not changing:
        if mid is not None:
            raise InputError(_("--mid only applies to a change between rounds (--from and --to)."))
        return
    if from_round is None or to_round is None:
        raise InputError(
            _("A change needs both --from and --to."),
            hint=_("For example: {command}").format(
                command=f"surveycoal score {target} --from 1 --to 2"
            ),
        )
    if from_round == to_round:
        raise InputError(_("Compare two different rounds: --from and --to are the same."))
    if items:
        raise InputError(
            _("--items shows one round's statements; it does not go with --from/--to.")
        )


def _emit_json(data: Mapping[str, Any]) -> None:
    """The JSON alone on standard output; anything else goes to standard error."""
    import json

    from surveycoal.privacy import published

    typer.echo(
        json.dumps(shown_json(published(data)), allow_nan=False, ensure_ascii=False, indent=2)
    )


def _warn_if_open(rounds: "Sequence[Round]") -> None:
    for found in rounds:
        if found.is_open:
            err_console.print(
                Text.assemble(
                    (_("Note:"), "yellow"),
                    shown(
                        " "
                        + _("round {ref} is still open: these figures may change.").format(
                            ref=found.ref
                        )
                    ),
                ),
                soft_wrap=True,
            )


def _latest_ref(store: "Store", slug: str) -> str:
    from surveycoal.store import get_coalition, list_rounds

    coalition = get_coalition(store, slug)
    rounds = list_rounds(store, coalition=coalition.slug)
    if not rounds:
        raise InputError(
            _("{slug} has no rounds yet, so there is nothing to score.").format(
                slug=coalition.slug
            ),
            hint=_("Open one with: {command}").format(
                command=f"surveycoal round open {coalition.slug}"
            ),
        )
    ref = rounds[-1].ref
    err_console.print(
        _("Scoring {ref}, the coalition's latest round.").format(ref=ref),
        style="dim",
        soft_wrap=True,
    )
    return ref


def _pooled_alpha(store: "Store", found: "Round", data: "RoundData") -> "PooledReliability | None":
    """The programme's pooled reliability for this round number, when the round has n < 20.

    Scoring keys it by round number, questionnaire and dimension, and picks this round's.
    The round itself is already read (``data``); only the programme's other rounds of the
    same number are read here, once, in the programme's order.
    """
    from surveycoal import stats

    if found.programme is None or data.n_responses >= stats.MIN_N_ALPHA:
        return None
    from surveycoal.scoring import pool_reliability
    from surveycoal.store import list_rounds, load_rounds

    peers = [r for r in list_rounds(store, programme=found.programme) if r.number == found.number]
    loaded = iter(load_rounds(store, [r for r in peers if r.id != found.id]))
    return pool_reliability([data if r.id == found.id else next(loaded) for r in peers])


def _scores(store: "Store", found: "Round") -> "RoundScores":
    """A round with answers, scored: read once, pooled reliability from its programme."""
    from surveycoal.scoring import score_round
    from surveycoal.store import load_rounds

    (data,) = load_rounds(store, [found])
    return score_round(data, pooled_alpha=_pooled_alpha(store, found, data))


def _round_scores(store: "Store", found: "Round") -> "tuple[RoundScores, dict[str, Any]]":
    """A round's typed scores and their JSON (the kept copy for a purged round)."""
    if found.purged_on is not None:
        from surveycoal.store.erasure import kept_scores

        kept = kept_scores(store, found.ref)
        if kept:
            import json

            data = dict(json.loads(kept))
            from surveycoal.scoring import kept_round_scores

            return kept_round_scores(data), data
    result = _scores(store, found)
    return result, result.to_json()


def round_score_json(store: "Store", ref: str) -> dict[str, Any]:
    """A round's scores as ``score SLUG/N --json`` gives them (kept ones for a purged round)."""
    from surveycoal.store import get_round

    return _round_scores(store, get_round(store, ref))[1]


def _score_round(store: "Store", target: str, as_json: bool, items: bool) -> None:
    from surveycoal.store import get_round

    found = get_round(store, target if "/" in target else _latest_ref(store, target))
    scores, data = _round_scores(store, found)
    if as_json:
        _emit_json(data)
        return
    from surveycoal.terminal import print_round

    _warn_if_open([found])
    if found.purged_on is not None:
        err_console.print(
            _(
                "Note: the answers of {ref} were deleted on {date}; "
                "these are the scores kept from before."
            ).format(ref=found.ref, date=found.purged_on.isoformat()),
            style="yellow",
            soft_wrap=True,
        )
    print_round(scores, found.instrument, items)


def _score_change(
    store: "Store", slug: str, from_round: int, to_round: int, mid: float | None, as_json: bool
) -> None:
    from surveycoal import stats
    from surveycoal.scoring import compare_rounds
    from surveycoal.store import get_coalition, get_round, load_rounds

    coalition = get_coalition(store, slug)
    rounds = [get_round(store, f"{coalition.slug}/{n}") for n in (from_round, to_round)]
    first, second = load_rounds(store, rounds)
    change = compare_rounds(first, second, mid=stats.DEFAULT_MID if mid is None else mid)
    if as_json:
        _emit_json(change.to_json())
        return
    from surveycoal.terminal import print_change

    _warn_if_open(rounds)
    print_change(change, second.coalition_name, second.instrument)


def _score_programme(store: "Store", name: str, round_number: int | None, as_json: bool) -> None:
    from surveycoal.scoring import score_programme
    from surveycoal.store import get_programme, list_rounds, load_rounds

    found = get_programme(store, name)
    rounds = list_rounds(store, programme=found.name)
    if not rounds:
        raise InputError(
            _("No coalition of {name!r} has a round yet, so there is nothing to score.").format(
                name=found.name
            )
        )
    chosen = [r for r in rounds if round_number is None or r.number == round_number]
    if not chosen:
        numbers = ", ".join(str(n) for n in sorted({r.number for r in rounds}))
        raise InputError(
            _("No coalition of {name!r} has a round {number}.").format(
                name=found.name, number=round_number
            ),
            hint=_("Rounds that exist: {numbers}.").format(numbers=numbers),
        )
    data = load_rounds(store, chosen)
    result = score_programme(data, round_number=round_number)
    if as_json:
        _emit_json(result.to_json())
        return
    from surveycoal.terminal import print_programme

    print_programme(result, data[0].instrument)


# ---------------------------------------------------------------------------
# export
# ---------------------------------------------------------------------------
def export(
    ref: Annotated[str, typer.Argument(help="The round, as COALITION/NUMBER (zuid-doet-samen/2).")],
    what: Annotated[
        str | None,
        typer.Option(
            "--what",
            "-w",
            help="What to export (needed): responses, one shuffled row per response with a "
            "codebook; or scores, the round's scores table with hidden cells empty and their "
            "reason.",
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="csv or xlsx (default: from the --output name, else csv).",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="The file to write (default: COALITION-NUMBER-WHAT.csv or .xlsx here). "
            "CSV writes the other tables next to it, as NAME-codebook.csv and so on.",
            show_default=False,
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace files that exist already.")
    ] = False,
    db: DbOption = None,
) -> None:
    """Export a round's answers or scores as CSV or an Excel workbook, anonymity applied.

    Answers are exported only from rounds big enough to show answers per statement;
    rows are shuffled and carry no ids; member types too small to show are blank.
    Cells that a spreadsheet would read as a formula are made plain text.

    Example: surveycoal export zuid-doet-samen/2 --what responses --format xlsx -o answers.xlsx

    surveycoal export zuid-doet-samen/2 --what scores --format csv
    """
    chosen_fmt = _export_format(what, fmt, output)
    from surveycoal.export import responses_sheets, scores_sheets, write_tables
    from surveycoal.store import get_round, load_rounds

    store = open_db(db)
    found = get_round(store, ref)
    refuse_purged(found, "exported")
    if what == "responses":
        sheets = responses_sheets(load_rounds(store, [found])[0])
    else:
        sheets = scores_sheets(_scores(store, found))
    target = output or Path(f"{found.coalition}-{found.number}-{what}.{chosen_fmt}")
    written = write_tables(sheets, target, fmt=chosen_fmt, force=force)
    _warn_if_open([found])
    success(
        (
            _("Exported the answers of {ref} to:")
            if what == "responses"
            else _("Exported the scores of {ref} to:")
        ).format(ref=found.ref)
    )
    for path in written:
        console.print(f"  {path}", markup=False, soft_wrap=True)


def _export_format(what: str | None, fmt: str | None, output: Path | None) -> str:
    """Check --what, --format and --output before anything is read; the format to write."""
    if what is None:
        raise InputError(
            _("Say what to export: --what responses or --what scores."),
            hint=_("For example: {command}").format(
                command="surveycoal export zuid-doet-samen/2 --what responses --format csv"
            ),
        )
    if what not in WHATS:
        raise InputError(_("--what takes responses or scores, not {what!r}.").format(what=what))
    suffix = output.suffix.lstrip(".").lower() if output is not None else ""
    if fmt is not None:
        fmt = fmt.lower()
        if fmt not in FORMATS:
            raise InputError(_("--format takes csv or xlsx, not {fmt!r}.").format(fmt=fmt))
        if suffix in FORMATS and suffix != fmt:
            raise InputError(
                _(
                    "--format {fmt} does not match the file name {output}: give it a .{fmt} name."
                ).format(fmt=fmt, output=output),
            )
    chosen = fmt or (suffix if suffix in FORMATS else "csv")
    if output is not None and output.is_dir():
        raise InputError(
            _("{output} is a folder: give a file name with --output.").format(output=output)
        )
    return chosen


def register(app: typer.Typer) -> None:
    app.command("score")(score)
    app.command("export")(export)
