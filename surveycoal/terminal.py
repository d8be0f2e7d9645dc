"""The terminal's tables and lines for ``score``: a round, a change between rounds, a programme.

Each printer takes the typed result scoring returned (:class:`~surveycoal.scoring.RoundScores`,
:class:`~surveycoal.scoring.RoundChange`, :class:`~surveycoal.scoring.ProgrammeScores`) and
only presents it: what is hidden, the verdict and its marker, the protected counts are all
decided by scoring (docs/METHODS.md section 7 and section 8). The words come from
:mod:`surveycoal.reports.words` (verdicts, funnel positions, reliability notes) and
:func:`surveycoal.reports.words.hidden_words` (why a cell is hidden, never with a number).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from rich.cells import cell_len
from rich.table import Column, Table
from rich.text import Text

from surveycoal.cli._common import console, key_column
from surveycoal.i18n import _, lead_language, ngettext
from surveycoal.safetext import shown

if TYPE_CHECKING:
    from surveycoal.instruments import Instrument
    from surveycoal.scoring import (
        CoalitionPosition,
        DimensionChange,
        DimensionScore,
        ItemScore,
        ProgrammeDimension,
        ProgrammeScores,
        RoundChange,
        RoundScores,
    )

#: How scoring tested a change (its method), in English; :func:`_design` says it in the
#: lead's language.
DESIGNS = {
    "welch": "independent",
    "paired": "paired",
    "partially_overlapping": "partially paired",
}


@dataclass(frozen=True)
class RoundCount:
    """How many answered a round, as it may be shown: None when the round is under its minimum.

    Read from a scoring result, which decided it; the printer only writes it.
    """

    n: int | None
    min_group: int


class _Verdicted(Protocol):
    """A change or a group difference: a verdict scoring decided, with its interval."""

    @property
    def verdict(self) -> str: ...
    @property
    def verdict_note(self) -> str | None: ...
    @property
    def ci_low(self) -> float | None: ...
    @property
    def ci_high(self) -> float | None: ...


# ---------------------------------------------------------------------------
# words and numbers
# ---------------------------------------------------------------------------
def _lang() -> str:
    """The language of the tables and messages: the lead's (SURVEYCOAL_LANG or the locale)."""
    return lead_language()


def _given(value: float | None) -> float | None:
    """A figure, or None when scoring left it undefined (None, NaN or infinite)."""
    if value is None or not math.isfinite(value):
        return None
    return value


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
    low, high = _given(low), _given(high)
    if low is None or high is None:
        return "-"
    fmt = _signed if signed else _num
    return _("{low} to {high}").format(low=fmt(low, digits), high=fmt(high, digits))


def _p(value: float | None) -> str:
    value = _given(value)
    if value is None:
        return "-"
    # a decimal comma in Dutch, as every other figure of the table
    return f"< {_num(0.001, 3)}" if value < 0.001 else _num(value, 3)


def _word(key: str, **values: object) -> str:
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


def _agreement_words(shared_view: bool | None) -> str:
    """Whether members share a view of a dimension, in words."""
    if shared_view is None:
        return _("cannot be judged")
    return _("shared view") if shared_view else _("members disagree")


def _verdict(
    result: _Verdicted,
    mid: float,
    *,
    marked: bool,
    higher: str | None = None,
    sides: Mapping[str, str] | None = None,
) -> str:
    """The verdict scoring decided, in the words of docs/METHODS.md section 8.

    "No detectable change" comes with its interval; a verdict scoring marked (it does
    not hold after Holm) gets the mark of the footnote. ``sides``: group id -> label, so
    a group difference names the side that scores higher (``higher``).
    """
    from surveycoal.reports.words import difference_text, verdict_text

    if sides is not None and higher:
        text = difference_text(result.verdict, sides.get(higher, higher), _lang(), mid)
    else:
        text = verdict_text(result.verdict, _lang(), mid)
    low, high = _given(result.ci_low), _given(result.ci_high)
    if result.verdict in ("no_detectable_change", "no_detectable_difference") and (low is not None):
        fits = _word("fits_range", low=_signed(low, 0), high=_signed(high, 0))
        text = f"{text}: {fits}"
    if marked:
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


def _table(title: str, *columns: Column, caption: str | None = None) -> Table:
    return Table(
        *columns,
        title=title,
        title_justify="left",
        caption=caption,
        caption_justify="left",
    )


# ---------------------------------------------------------------------------
# fitting a table to the terminal
# ---------------------------------------------------------------------------
def _plain_text(cell: object) -> str | None:
    """A cell's text, or None for a cell that is not plain text."""
    if isinstance(cell, str):
        return cell
    if isinstance(cell, Text):
        return cell.plain
    return None


def _column_needs(column: Column) -> tuple[int, int] | None:
    """The narrowest width that splits no word of a column, and the width of its longest line.

    A column whose values must not wrap (a round, an id) needs its longest line whole.
    """
    texts = [_plain_text(column.header), *(_plain_text(cell) for cell in column.cells)]
    if any(text is None for text in texts):
        return None
    if column.width is not None:
        return column.width, column.width
    lines = [cell_len(line) for text in texts if text for line in text.splitlines()]
    longest = max(lines, default=1)
    if column.no_wrap:
        return longest, longest
    return _longest_word(texts), longest


def _longest_word(texts: Sequence[str | None]) -> int:
    """The width of the longest word in ``texts`` (at least 1)."""
    return max((cell_len(word) for text in texts if text for word in text.split()), default=1)


def _frame(columns: int) -> int:
    """The cells a table's borders and padding take: one line and two spaces a column."""
    return 3 * columns + 1


def _stacked(table: Table) -> Table:
    """The table with each row as a block: its first value, then one line per other column.

    Three columns fit where the table's own do not: the first column, the names of the
    others and their values. The names take no more than their longest word, so the room
    left goes to the values.
    """
    first, *others = table.columns
    names = [_plain_text(column.header) or "" for column in others]
    stacked = _table(
        str(table.title or ""),
        Column(_plain_text(first.header) or "", overflow="fold", no_wrap=first.no_wrap),
        Column("", overflow="fold", width=_longest_word(names)),
        _col(""),
        caption=str(table.caption) if table.caption else None,
    )
    cells = [list(column.cells) for column in table.columns]
    for index in range(table.row_count):
        lines = [
            (name, cells[number][index])
            for number, name in enumerate(names, start=1)
            if number == 1 or _plain_text(cells[number][index])
        ]
        for line, (name, value) in enumerate(lines):
            stacked.add_row(
                cells[0][index] if line == 0 else "",
                name,
                value,
                end_section=line == len(lines) - 1,
            )
    return stacked


def fit_table(table: Table, width: int) -> Table:
    """``table`` laid out for ``width`` cells, splitting no word where any layout can.

    A table that fits is left as it is. One that fits only when its values wrap gets column
    widths no narrower than each column's longest word (rich alone would fold the widest
    column inside a word, "Gelijkwaardighei|d"); the room left goes to the columns that
    need it most. A table whose longest words together do not fit is stacked: each row a
    block of lines (see :func:`_stacked`).
    """
    needs = [_column_needs(column) for column in table.columns]
    if not needs or any(need is None for need in needs):
        return table
    narrowest = [need[0] for need in needs if need is not None]
    widest = [need[1] for need in needs if need is not None]
    room = width - _frame(len(needs))
    if sum(widest) <= room:
        return table
    if sum(narrowest) > room:
        if len(needs) <= 3:
            return table  # nothing narrower to turn to: rich folds what it must
        stacked = _stacked(table)
        return fit_table(stacked, width)
    # The room left goes first to the columns that need least to show their values on one
    # line each; what is left then is shared by the others, in proportion to their need.
    spare = room - sum(narrowest)
    wanted = [high - low for low, high in zip(narrowest, widest, strict=True)]
    shares = [0] * len(wanted)
    waiting = sorted(range(len(wanted)), key=lambda i: wanted[i])
    while waiting and wanted[waiting[0]] <= spare:
        number = waiting.pop(0)
        shares[number] = wanted[number]
        spare -= wanted[number]
    need = sum(wanted[number] for number in waiting)
    for number in waiting:
        shares[number] = spare * wanted[number] // need
    for column, low, share in zip(table.columns, narrowest, shares, strict=True):
        column.width = low + share
    return table


def _print_table(table: Table) -> None:
    console.print(fit_table(table, console.width))


def _responses(count: RoundCount) -> str:
    """How many answered; a round under its minimum says only "fewer than" (as the reports do).

    Scoring withholds the count of such a round (None); the words only follow that.
    """
    if count.n == 0:
        return _("no responses")
    if count.n is None:
        return _("fewer than {min} responses").format(min=count.min_group)
    return ngettext("{count} response", "{count} responses", count.n).format(count=count.n)


# ---------------------------------------------------------------------------
# the round table
# ---------------------------------------------------------------------------
def _reliability(dim: DimensionScore) -> str:
    flags = [
        _word(f"flag_{flag}")
        for flag in dim.alpha_flags
        if not (flag == "imprecise" and dim.alpha_source == "pooled")
    ]
    alpha = _given(dim.alpha)
    if alpha is None:
        return "; ".join([_("not available"), *flags])
    text = _num(alpha, 2) + ("*" if dim.alpha_source == "pooled" else "")
    return "; ".join([text, *flags])


def _agreement(dim: DimensionScore) -> str:
    text = _agreement_words(dim.shared_view)
    rwg = _given(dim.rwg)
    if rwg is not None:
        text += f" (rwg {_num(rwg, 2)})"
    return text


def _bands(found: DimensionScore | ItemScore, reason: str | None) -> str:
    if _given(found.share("agree")) is None:
        return _hidden(reason)
    from surveycoal.stats.constants import BANDS

    return " / ".join(_share(_given(found.share(band))) for band in BANDS)


def _round_header(scores: RoundScores) -> None:
    ref = f"{scores.coalition}/{scores.round}"
    invited = _(" of {count} invited").format(count=scores.invited) if scores.invited else ""
    rate = f" ({_share(scores.response_rate)})" if invited and not scores.suppressed else ""
    if invited and not scores.suppressed and scores.response_rate is None:
        invited = ""
        rate = _(" (more than the {count} counted as asked: no response rate)").format(
            count=scores.invited
        )
    count = RoundCount(scores.n_responses, scores.privacy.min_group)
    console.print(
        Text.assemble(
            (shown(scores.coalition_name or scores.coalition), "bold"),
            shown(
                _(", round {number} ({ref}): {responses}{invited}{rate}").format(
                    number=scores.round,
                    ref=ref,
                    responses=_responses(count),
                    invited=invited,
                    rate=rate,
                )
            ),
        ),
        soft_wrap=True,
    )
    console.print(
        _("Questionnaire {id} {version} (hash {hash}).").format(
            id=scores.instrument_id,
            version=scores.instrument_version,
            hash=scores.instrument_hash[:12],
        ),
        soft_wrap=True,
    )


def _score_ci(mean: float | None, low: float | None, high: float | None) -> str:
    return f"{_num(mean)} ({_ci(low, high)})"


def _dimension_table(scores: RoundScores, instrument: Instrument) -> Table:
    table = _table(
        _("Scores per dimension, 0-100 (50 is neutral)"),
        _col(_("Dimension")),
        _col(_("n"), right=True),
        _col(_("Score (95% CI)")),
        _col(_("Median (95% CI)")),
        _col(_("Agreement")),
    )
    for dim in scores.dimensions:
        label = _dimension_label(instrument, dim.id)
        if dim.suppressed:
            table.add_row(label, "-", _hidden(dim.suppressed_reason), "", "")
            continue
        table.add_row(
            label,
            str(dim.n),
            _score_ci(dim.mean, dim.ci_low, dim.ci_high),
            f"{_num(dim.median)} ({_ci(dim.median_ci_low, dim.median_ci_high)})",
            _agreement(dim),
        )
    return table


def _quality_table(scores: RoundScores, instrument: Instrument) -> Table:
    table = _table(
        _("Spread, don't know and reliability per dimension"),
        _col(_("Dimension")),
        _col(_("Disagree / neutral / agree")),
        _col(_("Don't know"), right=True),
        _col(_("Reliability (alpha)")),
    )
    for dim in scores.dimensions:
        label = _dimension_label(instrument, dim.id)
        if dim.suppressed:
            table.add_row(label, _hidden(dim.suppressed_reason), "", "")
            continue
        table.add_row(
            label,
            _bands(dim, dim.bands_reason),
            _share(dim.dont_know),
            _reliability(dim),
        )
    return table


def _answered_types(scores: RoundScores) -> list[str]:
    """Member types with anyone in the round (empty types only add columns of 'no responses')."""
    return [
        name
        for name, cell in scores.member_types.items()
        if cell.suppressed_reason != "no_responses"
    ]


def _member_type_table(scores: RoundScores, instrument: Instrument) -> Table:
    types = _answered_types(scores)
    table = _table(
        _("Scores per member type (95% CI)"),
        _col(_("Dimension")),
        *(_col(instrument.member_type_group(t, _lang())) for t in types),
    )
    for dim in scores.dimensions:
        cells = []
        for name in types:
            cell = dim.by_member_type[name]
            if cell.suppressed:
                cells.append(_hidden(cell.suppressed_reason))
            else:
                cells.append(f"{_score_ci(cell.mean, cell.ci_low, cell.ci_high)}, n {cell.n}")
        table.add_row(_dimension_label(instrument, dim.id), *cells)
    return table


def _gap_table(scores: RoundScores, instrument: Instrument) -> Table:
    from surveycoal import stats

    first_type, second_type = instrument.gap_pair
    first = _lower_first(instrument.member_type_group(first_type, _lang()))
    second = _lower_first(instrument.member_type_group(second_type, _lang()))
    sides = {
        first_type: instrument.member_type_group(first_type, _lang()),
        second_type: instrument.member_type_group(second_type, _lang()),
    }
    marked = any(dim.gap is not None and dim.gap.marked for dim in scores.dimensions)
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
    for dim in scores.dimensions:
        gap = dim.gap
        label = _dimension_label(instrument, dim.id)
        if gap is None:
            table.add_row(label, _hidden(dim.gap_reason), "", "", "")
            continue
        delta = _ci(gap.delta_ci_low, gap.delta_ci_high, 2, signed=True)
        verdict = _verdict(
            gap, stats.DEFAULT_MID, marked=gap.marked, higher=gap.higher, sides=sides
        )
        table.add_row(
            label,
            # whole points, as the verdict reads the interval (docs/METHODS.md section 8)
            f"{_signed(gap.diff)} ({_ci(gap.ci_low, gap.ci_high, 0, signed=True)})",
            verdict,
            f"{_signed(gap.cliffs_delta, 2)} ({delta}), {_magnitude(gap.magnitude)}",
            f"{_num(gap.equality_index)} ({_ci(gap.ei_ci_low, gap.ei_ci_high)})",
        )
    return table


def _item_row(item: ItemScore) -> tuple[str, str, str, str]:
    dk = _share(item.dont_know) if _given(item.dont_know) is not None else "-"
    if item.suppressed:
        return item.id, "-", dk, _hidden(item.suppressed_reason)
    return item.id, str(item.n), dk, _bands(item, item.suppressed_reason)


def _item_table(scores: RoundScores) -> Table:
    table = _table(
        _("Answers per statement (as asked, not reverse-keyed)"),
        key_column(_("Statement")),
        _col(_("Valid answers"), right=True),
        _col(_("Don't know"), right=True),
        _col(_("Disagree / neutral / agree")),
    )
    for item in scores.items:
        table.add_row(*_item_row(item))
    return table


def print_round(scores: RoundScores, instrument: Instrument, items: bool) -> None:
    """A round's scores as ``score SLUG/N`` prints them (``items``: also per statement)."""
    _round_header(scores)
    min_group = scores.privacy.min_group
    if scores.suppressed:
        console.print(
            _(
                "No figures are shown: this round has fewer responses than its minimum group "
                "of {min}, and a group that small would make answers traceable to people."
            ).format(min=min_group),
            soft_wrap=True,
        )
        return
    _print_table(_dimension_table(scores, instrument))
    _print_table(_quality_table(scores, instrument))
    if any(d.alpha_source == "pooled" for d in scores.dimensions):
        console.print(_word("pooled_note"), style="dim", soft_wrap=True)
    _print_table(_member_type_table(scores, instrument))
    _print_table(_gap_table(scores, instrument))
    index = _given(scores.equality_index)
    if index is not None and _given(scores.equality_index_ci_low) is not None:
        interval = _ci(scores.equality_index_ci_low, scores.equality_index_ci_high)
        console.print(
            _word("equality_overall_ci", ei=_num(index), range=interval),
            soft_wrap=True,
        )
    elif index is not None:
        console.print(_word("equality_overall", ei=_num(index)), soft_wrap=True)
    else:
        console.print(
            _("No equality index over the dimensions: {reason}.").format(
                reason=_why(scores.equality_index_reason)
            ),
            soft_wrap=True,
        )
    if items:
        _print_table(_item_table(scores))
    console.print(
        _(
            "Groups smaller than {min} are never shown, not even their size; "
            "how answers are spread is shown from {min_items} answers."
        ).format(min=min_group, min_items=scores.privacy.min_item_distribution),
        style="dim",
        soft_wrap=True,
    )


# ---------------------------------------------------------------------------
# the change table
# ---------------------------------------------------------------------------
def _design(change: DimensionChange) -> str:
    """Paired, partially paired (with the linked count scoring already protected) or independent."""
    words = {
        "welch": _("independent"),
        "paired": _("paired"),
        "partially_overlapping": _("partially paired"),
    }
    design = words.get(change.method or "", "-")
    if change.method == "partially_overlapping" and change.n_linked is not None:
        design += " " + _("({count} linked)").format(count=int(change.n_linked))
    return design


def _effect(change: DimensionChange) -> str:
    size = _given(change.effect_size)
    if size is None:
        return "-"
    kind = "d_z" if change.effect_size_kind == "d_z" else "g"
    return f"{kind} {_signed(size, 2)}"


def print_change(result: RoundChange, name: str, instrument: Instrument) -> None:
    """The change between two rounds as ``score SLUG --from A --to B`` prints it.

    ``name`` is the coalition's name; the two rounds' counts are the result's, as scoring
    decided they may be shown.
    """
    before = RoundCount(result.n_responses_from, result.min_group_from)
    after = RoundCount(result.n_responses_to, result.min_group_to)
    console.print(
        Text.assemble(
            (shown(name or result.coalition), "bold"),
            _(
                ": round {a} ({before}) to round {b} ({after}); "
                "changes in points, round {b} minus round {a}."
            ).format(
                a=result.from_round,
                before=_responses(before),
                b=result.to_round,
                after=_responses(after),
            ),
        ),
        soft_wrap=True,
    )
    mid = float(result.mid)
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
    for change in result.changes:
        label = _dimension_label(instrument, change.dimension)
        verdict = _verdict(change, mid, marked=change.marked)
        if change.suppressed:
            table.add_row(label, "-", _hidden(change.suppressed_reason), verdict)
            details.add_row(label, "-", "-", "-", "-")
            continue
        diff = _signed(change.diff)
        if _given(change.ci_low) is not None:
            # whole points, as the verdict reads the interval (docs/METHODS.md section 8)
            diff += f" ({_ci(change.ci_low, change.ci_high, 0, signed=True)})"
        table.add_row(label, f"{change.n_from} \u2192 {change.n_to}", diff, verdict)
        detectable = _given(change.detectable_change)
        details.add_row(
            label,
            _p(change.p_adjusted),
            _effect(change),
            _num(detectable, 1) if detectable is not None else "-",
            _design(change),
        )
    _print_table(table)
    if any(change.marked for change in result.changes):
        console.print(_word("holm_footnote"), soft_wrap=True)
    _print_table(details)
    if result.skipped_dimensions:
        console.print(_word("instrument_changed"), soft_wrap=True)
        console.print(_word("skipped", dims=", ".join(result.skipped_dimensions)), soft_wrap=True)
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
def _position(cell: CoalitionPosition) -> str:
    if cell.position95 is None:
        return "-"
    text = _word(f"position_{cell.position95}")
    if cell.position998 not in (None, "within"):
        text += " " + _("(also beyond the 99.8% limits)")
    return text


def _told_apart(dim: ProgrammeDimension) -> str:
    if dim.icc is None or _given(dim.icc.icc2) is None:
        return _("too few coalitions shown to judge")
    if dim.icc.can_be_told_apart:
        return _("yes")
    return _("no: differences are mostly noise")


def print_programme(result: ProgrammeScores, instrument: Instrument) -> None:
    """A programme's coalitions side by side as ``score --programme NAME`` prints them."""
    which = (
        _("round {number}").format(number=result.round)
        if result.round is not None
        else _("each coalition's latest round")
    )
    console.print(
        Text.assemble(
            (shown(str(result.programme)), "bold"),
            _(": {count} coalitions, {which}.").format(count=len(result.coalitions), which=which),
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
    for dim in result.dimensions:
        label = _dimension_label(instrument, dim.id)
        for j, cell in enumerate(dim.coalitions):
            last = j == len(dim.coalitions) - 1
            ref = f"{cell.coalition}/{cell.round}"
            first_col = label if j == 0 else ""
            if cell.suppressed:
                hidden = _hidden(cell.suppressed_reason)
                table.add_row(first_col, ref, "-", hidden, "", end_section=last)
                continue
            table.add_row(
                first_col,
                ref,
                str(cell.n),
                _score_ci(cell.mean, cell.ci_low, cell.ci_high),
                _position(cell),
                end_section=last,
            )
    _print_table(table)
    icc = _table(
        _("How much coalitions differ"),
        _col(_("Dimension")),
        _col(_("Coalitions shown"), right=True),
        _col(_("ICC(1)"), right=True),
        _col(_("ICC(2)"), right=True),
        _col(_("Told apart? (ICC(2) from 0.70)")),
    )
    for dim in result.dimensions:
        icc.add_row(
            _dimension_label(instrument, dim.id),
            str(dim.n_coalitions),
            _num(dim.icc.icc1 if dim.icc else None, 2),
            _num(dim.icc.icc2 if dim.icc else None, 2),
            _told_apart(dim),
        )
    _print_table(icc)
    # The programme's coalition rows are plain mappings in the result itself.
    small = [c.coalition for c in result.coalitions if c.suppressed]
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


__all__ = [
    "DESIGNS",
    "RoundCount",
    "fit_table",
    "print_change",
    "print_programme",
    "print_round",
]
