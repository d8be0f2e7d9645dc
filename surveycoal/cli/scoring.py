"""Commands that read the results: ``score`` (tables or JSON) and ``export`` (CSV or XLSX).

Scoring, anonymity and the export tables live in the core (:mod:`surveycoal.scoring`,
:mod:`surveycoal.export`); these commands parse options, load the rounds, and print.
The tables' words come from :mod:`surveycoal.reports.words` (verdicts, funnel
positions, reliability notes) and :func:`surveycoal.reports.words.hidden_words` (why a cell
is hidden, never with a number).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Column, Table
from rich.text import Text

from surveycoal.cli._common import (
    DbOption,
    console,
    err_console,
    key_column,
    open_db,
    refuse_purged,
    success,
)
from surveycoal.errors import InputError
from surveycoal.i18n import _, lead_language, ngettext
from surveycoal.safetext import shown, shown_json

if TYPE_CHECKING:
    from surveycoal.instruments import Instrument
    from surveycoal.rounddata import RoundData
    from surveycoal.scoring import PooledReliability
    from surveycoal.store import Store

WHATS = ("responses", "scores")
FORMATS = ("csv", "xlsx")
DESIGNS = {
    "welch": "independent",
    "paired": "paired",
    "partially_overlapping": "partially paired",
}


def _agreement_words(shared_view: bool | None) -> str:
    """Whether members share a view of a dimension, in words."""
    if shared_view is None:
        return _("cannot be judged")
    return _("shared view") if shared_view else _("members disagree")


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
    from surveycoal.privacy import published

    typer.echo(
        json.dumps(shown_json(published(data)), allow_nan=False, ensure_ascii=False, indent=2)
    )


def _warn_if_open(store: Store, refs: Sequence[str]) -> None:
    from surveycoal.store import get_round

    for ref in refs:
        if get_round(store, ref).is_open:
            err_console.print(
                Text.assemble(
                    (_("Note:"), "yellow"),
                    shown(
                        " "
                        + _("round {ref} is still open: these figures may change.").format(ref=ref)
                    ),
                ),
                soft_wrap=True,
            )


def _latest_ref(store: Store, slug: str) -> str:
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


def _pooled_alpha(store: Store, data: RoundData) -> PooledReliability | None:
    """The programme's pooled reliability for this round number, when the round has n < 20.

    Scoring keys it by round number, questionnaire and dimension, and picks this round's.
    """
    from surveycoal import stats

    if data.programme is None or data.n_responses >= stats.MIN_N_ALPHA:
        return None
    from surveycoal.scoring import pool_reliability
    from surveycoal.store import list_rounds, load_many

    refs = [r.ref for r in list_rounds(store, programme=data.programme) if r.number == data.round]
    return pool_reliability(load_many(store, refs))


def round_score_json(store: Store, ref: str) -> dict[str, Any]:
    """A round's scores as ``score SLUG/N --json`` gives them (kept ones for a purged round)."""
    from surveycoal.scoring import score_round
    from surveycoal.store import get_round, load_round_data
    from surveycoal.store.erasure import kept_scores

    found = get_round(store, ref)
    if found.purged_on is not None:
        kept = kept_scores(store, found.ref)
        if kept:
            return dict(json.loads(kept))
    data = load_round_data(store, found.ref)
    return score_round(data, pooled_alpha=_pooled_alpha(store, data)).to_json()


def _score_round(store: Store, target: str, as_json: bool, items: bool) -> None:
    from surveycoal.store import get_round

    ref = target if "/" in target else _latest_ref(store, target)
    found = get_round(store, ref)
    result = round_score_json(store, found.ref)
    if as_json:
        _emit_json(result)
        return
    _warn_if_open(store, [found.ref])
    if found.purged_on is not None:
        err_console.print(
            _(
                "Note: the answers of {ref} were deleted on {date}; "
                "these are the scores kept from before."
            ).format(ref=found.ref, date=found.purged_on.isoformat()),
            style="yellow",
            soft_wrap=True,
        )
    _print_round(result, found.instrument, items)


def _score_change(
    store: Store, slug: str, from_round: int, to_round: int, mid: float | None, as_json: bool
) -> None:
    from surveycoal import stats
    from surveycoal.scoring import compare_rounds
    from surveycoal.store import get_coalition, get_round, load_many

    coalition = get_coalition(store, slug)
    refs = [get_round(store, f"{coalition.slug}/{n}").ref for n in (from_round, to_round)]
    first, second = load_many(store, refs)
    change = compare_rounds(first, second, mid=stats.DEFAULT_MID if mid is None else mid)
    result = change.to_json()
    if as_json:
        _emit_json(result)
        return
    _warn_if_open(store, refs)
    _print_change(result, first, second, second.instrument)


def _score_programme(store: Store, name: str, round_number: int | None, as_json: bool) -> None:
    from surveycoal.scoring import score_programme
    from surveycoal.store import get_programme, list_rounds, load_many

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
    data = load_many(store, [r.ref for r in chosen])
    result = score_programme(data, round_number=round_number).to_json()
    if as_json:
        _emit_json(result)
        return
    _print_programme(result, data[0].instrument)


# ---------------------------------------------------------------------------
# words and numbers
# ---------------------------------------------------------------------------
def _lang() -> str:
    """The language of the tables and messages: the lead's (SURVEYCOAL_LANG or the locale)."""
    return lead_language()


def _hidden(reason: str | None) -> str:
    from surveycoal.reports.words import hidden_words

    return hidden_words(reason, _lang())


def _why(reason: str | None) -> str:
    """The reason inside a sentence: "a group is too small"."""
    return _hidden(reason)


def _col(header: str, *, right: bool = False) -> Column:
    """A table column whose words fold rather than end in an ellipsis on a narrow terminal."""
    return Column(header, justify="right" if right else "left", overflow="fold")


def _num(value: float | None, digits: int = 0) -> str:
    from surveycoal.reports.words import number

    return number(value, _lang(), digits)


def _signed(value: float | None, digits: int = 1) -> str:
    from surveycoal.reports.words import signed

    return signed(value, _lang(), digits)


def _share(value: float | None) -> str:
    from surveycoal.reports.words import percent

    return percent(value, _lang())


def _ci(low: float | None, high: float | None, digits: int = 0, signed: bool = False) -> str:
    if low is None or high is None:
        return "-"
    fmt = _signed if signed else _num
    return _("{low} to {high}").format(low=fmt(low, digits), high=fmt(high, digits))


def _p(value: float | None) -> str:
    if value is None:
        return "-"
    return "< 0.001" if value < 0.001 else f"{value:.3f}"


def _word(key: str, **values: Any) -> str:
    from surveycoal.reports.words import say

    return say(_lang(), key, **values)


def _lower_first(text: str) -> str:
    """A member type inside a sentence: 'Resident initiative' -> 'resident initiative'."""
    return text[:1].lower() + text[1:]


def _dimension_label(instrument: Instrument, dimension_id: str) -> str:
    try:
        label = instrument.dimension(dimension_id).label
    except KeyError:
        return dimension_id
    return label.get(_lang()) or next(iter(label.values()), dimension_id)


def _verdict(change: Mapping[str, Any], mid: float, sides: Mapping[str, str] | None = None) -> str:
    """The verdict scoring decided, in the words of docs/METHODS.md section 8.

    "No detectable change" comes with its interval; a verdict scoring marked (it does
    not hold after Holm) gets the mark of the footnote. ``sides``: group id -> label, so
    a group difference names the side that scores higher.
    """
    from surveycoal.reports.words import difference_text, verdict_text

    higher = change.get("higher")
    if sides is not None and higher:
        text = difference_text(change["verdict"], sides.get(higher, higher), _lang(), mid)
    else:
        text = verdict_text(change["verdict"], _lang(), mid)
    if change["verdict"] in ("no_detectable_change", "no_detectable_difference") and (
        change["ci_low"] is not None
    ):
        fits = _word(
            "fits_range", low=_signed(change["ci_low"], 0), high=_signed(change["ci_high"], 0)
        )
        text = f"{text}: {fits}"
    if _marked(change):
        text += f" {_word('holm_mark')}"
    return text


def _magnitude(code: str | None) -> str:
    """The size of Cliff's delta in words (scoring's code: negligible, small, medium, large)."""
    words = {
        "negligible": _("negligible"),
        "small": _("small"),
        "medium": _("medium"),
        "large": _("large"),
    }
    return words.get(code or "", code or "-")


def _marked(result: Mapping[str, Any] | None) -> bool:
    """True when scoring gave a shown result the Holm marker."""
    return bool(result and not result.get("suppressed") and result.get("verdict_note"))


# ---------------------------------------------------------------------------
# the round table
# ---------------------------------------------------------------------------
def _reliability(dim: Mapping[str, Any]) -> str:
    flags = [
        _word(f"flag_{flag}")
        for flag in dim["alpha_flags"]
        if not (flag == "imprecise" and dim["alpha_source"] == "pooled")
    ]
    if dim["alpha"] is None:
        return "; ".join([_("not available"), *flags])
    text = _num(dim["alpha"], 2) + ("*" if dim["alpha_source"] == "pooled" else "")
    return "; ".join([text, *flags])


def _agreement(dim: Mapping[str, Any]) -> str:
    text = _agreement_words(dim["shared_view"])
    if dim["rwg"] is not None:
        text += f" (rwg {_num(dim['rwg'], 2)})"
    return text


def _bands(cell: Mapping[str, Any], reason: str | None) -> str:
    if cell["agree"] is None:
        return _hidden(reason)
    return " / ".join(_share(cell[b]) for b in ("disagree", "neutral", "agree"))


def _responses(n: int | None, min_group: int) -> str:
    """How many answered; a round under its minimum says only "fewer than" (as the reports do)."""
    if n == 0:
        return _("no responses")
    if n is None or n < min_group:
        return _("fewer than {min} responses").format(min=min_group)
    return ngettext("{count} response", "{count} responses", n).format(count=n)


def _round_header(out: Mapping[str, Any]) -> None:
    ref = f"{out['coalition']}/{out['round']}"
    invited = _(" of {count} invited").format(count=out["invited"]) if out["invited"] else ""
    rate = f" ({_share(out['response_rate'])})" if invited and not out["suppressed"] else ""
    if invited and not out["suppressed"] and out["response_rate"] is None:
        invited = ""
        rate = _(" (more than the {count} counted as asked: no response rate)").format(
            count=out["invited"]
        )
    console.print(
        Text.assemble(
            (shown(out["coalition_name"] or out["coalition"]), "bold"),
            shown(
                _(", round {number} ({ref}): {responses}{invited}{rate}").format(
                    number=out["round"],
                    ref=ref,
                    responses=_responses(out["n_responses"], out["min_group"]),
                    invited=invited,
                    rate=rate,
                )
            ),
        ),
        soft_wrap=True,
    )
    ins = out["instrument"]
    console.print(
        _("Questionnaire {id} {version} (hash {hash}).").format(
            id=ins["id"], version=ins["version"], hash=ins["hash"][:12]
        ),
        soft_wrap=True,
    )


def _table(title: str, *columns: Column, caption: str | None = None) -> Table:
    return Table(
        *columns,
        title=title,
        title_justify="left",
        caption=caption,
        caption_justify="left",
    )


def _score_ci(cell: Mapping[str, Any]) -> str:
    return f"{_num(cell['mean'])} ({_ci(cell['ci_low'], cell['ci_high'])})"


def _dimension_table(out: Mapping[str, Any], instrument: Instrument) -> Table:
    table = _table(
        _("Scores per dimension, 0-100 (50 is neutral)"),
        _col(_("Dimension")),
        _col(_("n"), right=True),
        _col(_("Score (95% CI)")),
        _col(_("Median (95% CI)")),
        _col(_("Agreement")),
    )
    for dim in out["dimensions"]:
        label = _dimension_label(instrument, dim["id"])
        if dim["suppressed"]:
            table.add_row(label, "-", _hidden(dim["suppressed_reason"]), "", "")
            continue
        table.add_row(
            label,
            str(dim["n"]),
            _score_ci(dim),
            f"{_num(dim['median'])} ({_ci(dim['median_ci_low'], dim['median_ci_high'])})",
            _agreement(dim),
        )
    return table


def _quality_table(out: Mapping[str, Any], instrument: Instrument) -> Table:
    table = _table(
        _("Spread, don't know and reliability per dimension"),
        _col(_("Dimension")),
        _col(_("Disagree / neutral / agree")),
        _col(_("Don't know"), right=True),
        _col(_("Reliability (alpha)")),
    )
    for dim in out["dimensions"]:
        label = _dimension_label(instrument, dim["id"])
        if dim["suppressed"]:
            table.add_row(label, _hidden(dim["suppressed_reason"]), "", "")
            continue
        table.add_row(
            label,
            _bands(dim, dim["bands_reason"]),
            _share(dim["dont_know"]),
            _reliability(dim),
        )
    return table


def _answered_types(out: Mapping[str, Any]) -> list[str]:
    """Member types with anyone in the round (empty types only add columns of 'no responses')."""
    return [
        name
        for name, cell in out["member_types"].items()
        if cell["suppressed_reason"] != "no_responses"
    ]


def _member_type_table(out: Mapping[str, Any], instrument: Instrument) -> Table:
    types = _answered_types(out)
    table = _table(
        _("Scores per member type (95% CI)"),
        _col(_("Dimension")),
        *(_col(instrument.member_type_group(t, _lang())) for t in types),
    )
    for dim in out["dimensions"]:
        cells = []
        for name in types:
            cell = dim["by_member_type"][name]
            if cell["suppressed"]:
                cells.append(_hidden(cell["suppressed_reason"]))
            else:
                cells.append(f"{_score_ci(cell)}, n {cell['n']}")
        table.add_row(_dimension_label(instrument, dim["id"]), *cells)
    return table


def _gap_table(out: Mapping[str, Any], instrument: Instrument) -> Table:
    from surveycoal import stats

    first_type, second_type = instrument.gap_pair
    first = _lower_first(instrument.member_type_group(first_type, _lang()))
    second = _lower_first(instrument.member_type_group(second_type, _lang()))
    sides = {
        first_type: instrument.member_type_group(first_type, _lang()),
        second_type: instrument.member_type_group(second_type, _lang()),
    }
    marked = any(_marked(dim["gap"]) for dim in out["dimensions"])
    table = _table(
        _("Equality: {first} minus {second}, in points").format(first=first, second=second),
        _col(_("Dimension")),
        _col(_("Gap (95% CI)")),
        _col(_("Verdict")),
        _col(_("Cliff's delta (95% CI)")),
        _col(_("Equality index (95% CI)")),
        caption=_("Equality index 100: the two groups' answers cannot be told apart.")
        + (f" {_word('holm_footnote')}" if marked else ""),
    )
    for dim in out["dimensions"]:
        gap = dim["gap"]
        label = _dimension_label(instrument, dim["id"])
        if gap is None:
            table.add_row(label, _hidden(dim["gap_reason"]), "", "", "")
            continue
        delta = _ci(gap["delta_ci_low"], gap["delta_ci_high"], 2, signed=True)
        table.add_row(
            label,
            # whole points, as the verdict reads the interval (docs/METHODS.md section 8)
            f"{_signed(gap['diff'])} ({_ci(gap['ci_low'], gap['ci_high'], 0, signed=True)})",
            _verdict(gap, stats.DEFAULT_MID, sides),
            f"{_signed(gap['cliffs_delta'], 2)} ({delta}), {_magnitude(gap['magnitude'])}",
            f"{_num(gap['equality_index'])} ({_ci(gap['ei_ci_low'], gap['ei_ci_high'])})",
        )
    return table


def _item_table(out: Mapping[str, Any]) -> Table:
    table = _table(
        _("Answers per statement (as asked, not reverse-keyed)"),
        key_column(_("Statement")),
        _col(_("Valid answers"), right=True),
        _col(_("Don't know"), right=True),
        _col(_("Disagree / neutral / agree")),
    )
    for item in out["items"]:
        dk = _share(item["dont_know"]) if item["dont_know"] is not None else "-"
        if item["suppressed"]:
            table.add_row(item["id"], "-", dk, _hidden(item["suppressed_reason"]))
        else:
            table.add_row(item["id"], str(item["n"]), dk, _bands(item, item["suppressed_reason"]))
    return table


def _print_round(out: Mapping[str, Any], instrument: Instrument, items: bool) -> None:
    _round_header(out)
    if out["suppressed"]:
        console.print(
            _(
                "No figures are shown: this round has fewer responses than its minimum group "
                "of {min}, and a group that small would make answers traceable to people."
            ).format(min=out["min_group"]),
            soft_wrap=True,
        )
        return
    console.print(_dimension_table(out, instrument))
    console.print(_quality_table(out, instrument))
    if any(d["alpha_source"] == "pooled" for d in out["dimensions"]):
        console.print(_word("pooled_note"), style="dim", soft_wrap=True)
    console.print(_member_type_table(out, instrument))
    console.print(_gap_table(out, instrument))
    if out["equality_index"] is not None and out["equality_index_ci_low"] is not None:
        interval = _ci(out["equality_index_ci_low"], out["equality_index_ci_high"])
        console.print(
            _word("equality_overall_ci", ei=_num(out["equality_index"]), range=interval),
            soft_wrap=True,
        )
    elif out["equality_index"] is not None:
        console.print(_word("equality_overall", ei=_num(out["equality_index"])), soft_wrap=True)
    else:
        console.print(
            _("No equality index over the dimensions: {reason}.").format(
                reason=_why(out["equality_index_reason"])
            ),
            soft_wrap=True,
        )
    if items:
        console.print(_item_table(out))
    console.print(
        _(
            "Groups smaller than {min} are never shown, not even their size; "
            "how answers are spread is shown from {min_items} answers."
        ).format(min=out["min_group"], min_items=out["min_item_distribution"]),
        style="dim",
        soft_wrap=True,
    )


# ---------------------------------------------------------------------------
# the change table
# ---------------------------------------------------------------------------
def _design(change: Mapping[str, Any]) -> str:
    """Paired, partially paired (with the linked count scoring already protected) or independent."""
    design = DESIGNS.get(change.get("method") or "", "-")
    if change.get("method") == "partially_overlapping":
        design += f" ({int(change['n_linked'])} linked)"
    return design


def _effect(change: Mapping[str, Any]) -> str:
    if change["effect_size"] is None:
        return "-"
    kind = "d_z" if change["effect_size_kind"] == "d_z" else "g"
    return f"{kind} {_signed(change['effect_size'], 2)}"


def _print_change(
    out: Mapping[str, Any], first: RoundData, second: RoundData, instrument: Instrument
) -> None:
    name = second.coalition_name or out["coalition"]
    before = _responses(first.n_responses, first.privacy.min_group)
    after = _responses(second.n_responses, second.privacy.min_group)
    console.print(
        Text.assemble(
            (shown(name), "bold"),
            _(
                ": round {a} ({before}) to round {b} ({after}); "
                "changes in points, round {b} minus round {a}."
            ).format(a=out["from"], before=before, b=out["to"], after=after),
        ),
        soft_wrap=True,
    )
    mid = float(out["mid"])
    table = _table(
        _("Change per dimension (95% CI)"),
        _col(_("Dimension")),
        _col(_("n")),
        _col(_("Change (95% CI)")),
        _col(_("Verdict")),
    )
    details = _table(
        _("How each change was tested"),
        _col(_("Dimension")),
        _col(_("p (Holm)"), right=True),
        _col(_("Effect size")),
        _col(_("Detectable"), right=True),
        _col(_("Design")),
    )
    for change in out["changes"]:
        label = _dimension_label(instrument, change["dimension"])
        if change["suppressed"]:
            hidden = _hidden(change["suppressed_reason"])
            table.add_row(label, "-", hidden, _verdict(change, mid))
            details.add_row(label, "-", "-", "-", "-")
            continue
        diff = _signed(change["diff"])
        if change["ci_low"] is not None:
            # whole points, as the verdict reads the interval (docs/METHODS.md section 8)
            diff += f" ({_ci(change['ci_low'], change['ci_high'], 0, signed=True)})"
        table.add_row(
            label,
            f"{change['n_from']} \u2192 {change['n_to']}",
            diff,
            _verdict(change, mid),
        )
        detectable = change["detectable_change"]
        details.add_row(
            label,
            _p(change["p_adjusted"]),
            _effect(change),
            _num(detectable, 1) if detectable is not None else "-",
            _design(change),
        )
    console.print(table)
    if any(_marked(change) for change in out["changes"]):
        console.print(_word("holm_footnote"), soft_wrap=True)
    console.print(details)
    if out["skipped_dimensions"]:
        console.print(_word("instrument_changed"), soft_wrap=True)
        console.print(_word("skipped", dims=", ".join(out["skipped_dimensions"])), soft_wrap=True)
    console.print(
        _(
            "Detectable: the smallest change, in points, these numbers of responses find "
            "with 80% power."
        ),
        style="dim",
        soft_wrap=True,
    )
    console.print(_word("verdict_rules", mid=_num(mid)), style="dim", soft_wrap=True)


# ---------------------------------------------------------------------------
# the programme table
# ---------------------------------------------------------------------------
def _position(cell: Mapping[str, Any]) -> str:
    if cell["position95"] is None:
        return "-"
    text = _word(f"position_{cell['position95']}")
    if cell["position998"] not in (None, "within"):
        text += " " + _("(also beyond the 99.8% limits)")
    return text


def _told_apart(dim: Mapping[str, Any]) -> str:
    if dim["icc2"] is None:
        return _("too few coalitions shown to judge")
    if dim["can_be_told_apart"]:
        return _("yes")
    return _("no: differences are mostly noise")


def _print_programme(out: Mapping[str, Any], instrument: Instrument) -> None:
    which = (
        _("round {number}").format(number=out["round"])
        if out["round"] is not None
        else _("each coalition's latest round")
    )
    console.print(
        Text.assemble(
            (shown(str(out["programme"])), "bold"),
            _(": {count} coalitions, {which}.").format(count=len(out["coalitions"]), which=which),
        ),
        soft_wrap=True,
    )
    table = _table(
        _("Coalitions side by side, in alphabetical order (not a ranking)"),
        _col(_("Dimension")),
        key_column(_("Round")),
        _col(_("n"), right=True),
        _col(_("Score (95% CI)")),
        _col(_("Funnel plot (95% limits)")),
    )
    for dim in out["dimensions"]:
        label = _dimension_label(instrument, dim["id"])
        for j, cell in enumerate(dim["coalitions"]):
            last = j == len(dim["coalitions"]) - 1
            ref = f"{cell['coalition']}/{cell['round']}"
            first_col = label if j == 0 else ""
            if cell["suppressed"]:
                hidden = _hidden(cell["suppressed_reason"])
                table.add_row(first_col, ref, "-", hidden, "", end_section=last)
                continue
            table.add_row(
                first_col, ref, str(cell["n"]), _score_ci(cell), _position(cell), end_section=last
            )
    console.print(table)
    icc = _table(
        _("How much coalitions differ"),
        _col(_("Dimension")),
        _col(_("Coalitions shown"), right=True),
        _col(_("ICC(1)"), right=True),
        _col(_("ICC(2)"), right=True),
        _col(_("Told apart? (ICC(2) from 0.70)")),
    )
    for dim in out["dimensions"]:
        icc.add_row(
            _dimension_label(instrument, dim["id"]),
            str(dim["n_coalitions"]),
            _num(dim["icc1"], 2),
            _num(dim["icc2"], 2),
            _told_apart(dim),
        )
    console.print(icc)
    small = [c["coalition"] for c in out["coalitions"] if c["suppressed"]]
    if small:
        console.print(
            _(
                "Hidden, too few responses: {coalitions}. They are left out of every figure above."
            ).format(coalitions=", ".join(small)),
            soft_wrap=True,
        )
    console.print(
        _(
            "Coalitions are listed alphabetically, never ranked: they differ in size, "
            "neighbourhood and history. Funnel plot: above or below the limits means a "
            "coalition differs from the programme's centre by more than chance at its size; "
            "within means it does not, whatever its score."
        ),
        style="dim",
        soft_wrap=True,
    )


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
    from surveycoal.store import get_round, load_round_data

    store = open_db(db)
    found = get_round(store, ref)
    refuse_purged(found, "exported")
    data = load_round_data(store, found.ref)
    if what == "responses":
        sheets = responses_sheets(data)
    else:
        from surveycoal.scoring import score_round

        sheets = scores_sheets(score_round(data, pooled_alpha=_pooled_alpha(store, data)))
    target = output or Path(f"{found.coalition}-{found.number}-{what}.{chosen_fmt}")
    written = write_tables(sheets, target, fmt=chosen_fmt, force=force)
    _warn_if_open(store, [found.ref])
    success(f"Exported the {what} of {found.ref} to:")
    for path in written:
        console.print(f"  {path}", markup=False, soft_wrap=True)


def _export_format(what: str | None, fmt: str | None, output: Path | None) -> str:
    """Check --what, --format and --output before anything is read; the format to write."""
    if what is None:
        raise InputError(
            "Say what to export: --what responses or --what scores.",
            hint="For example: surveycoal export zuid-doet-samen/2 --what responses --format csv",
        )
    if what not in WHATS:
        raise InputError(f"--what takes responses or scores, not {what!r}.")
    suffix = output.suffix.lstrip(".").lower() if output is not None else ""
    if fmt is not None:
        fmt = fmt.lower()
        if fmt not in FORMATS:
            raise InputError(f"--format takes csv or xlsx, not {fmt!r}.")
        if suffix in FORMATS and suffix != fmt:
            raise InputError(
                f"--format {fmt} does not match the file name {output}: give it a .{fmt} name.",
            )
    chosen = fmt or (suffix if suffix in FORMATS else "csv")
    if output is not None and output.is_dir():
        raise InputError(f"{output} is a folder: give a file name with --output.")
    return chosen


def register(app: typer.Typer) -> None:
    app.command("score")(score)
    app.command("export")(export)
