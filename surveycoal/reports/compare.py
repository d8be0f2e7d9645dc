"""The context of a comparison report: two rounds, two coalitions, or two member types.

All three kinds share one page: the two groups' scores side by side, then the
differences with their intervals and the verdicts of docs/METHODS.md section 4.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from surveycoal import stats
from surveycoal.instruments import Instrument
from surveycoal.reports import words as W
from surveycoal.reports.charts import Mark, Row, interval_chart
from surveycoal.reports.common import (
    VERDICT_ORDER,
    Page,
    Tested,
    difference_chart,
    dimension_label,
    glossary,
    inline,
    limits_of,
    member_type_label,
)
from surveycoal.reports.gather import CoalitionData
from surveycoal.scoring import (
    DimensionChange,
    DimensionScore,
    MemberTypeScore,
    PooledReliability,
    RoundScores,
    compare_groups,
    compare_member_types,
    compare_rounds,
    score_round,
)


def rounds_compare_context(
    data: CoalitionData,
    first: int,
    second: int,
    *,
    lang: str = "nl",
    seed: int = stats.DEFAULT_SEED,
    mid: float = stats.DEFAULT_MID,
    pooled: PooledReliability | None = None,
    demo: bool = False,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """Round ``first`` and round ``second`` of one coalition."""
    page = Page(lang, mid)
    a, b = data.round(first), data.round(second)
    score_a = score_round(a, seed=seed, pooled_alpha=pooled, mid=mid)
    score_b = score_round(b, seed=seed, pooled_alpha=pooled, mid=mid)
    change = compare_rounds(a, b, mid=mid, seed=seed)
    label_a = page.say("round_n", n=first)
    label_b = page.say("round_n", n=second)
    # scoring withholds a linked count under both rounds' minimums: None, shown as a dash
    linked = max((c.n_linked for c in change.changes if c.n_linked), default=None)
    notes = []
    if change.instrument_changed:
        notes.append(page.w["instrument_changed"])
    if change.skipped_dimensions:
        notes.append(page.say("skipped", dims=", ".join(change.skipped_dimensions)))
    parts = _Parts(page, b.instrument, limits_of(score_b.privacy))
    side = parts.side_by_side(label_a, label_b, score_a, score_b)
    diff = parts.differences(
        change.changes, page.say("diff_what_rounds", a=first, b=second), linked=True
    )
    title = page.say("compare_rounds_title", name=data.name, a=first, b=second)
    intro = page.say(
        "compare_intro_rounds", a=first, b=second, name=data.name, linked=page.num(linked)
    )
    return _assemble(page, title, intro, notes, side, diff, demo=demo, today=today)


def groups_compare_context(
    first: CoalitionData,
    second: CoalitionData,
    number: int,
    *,
    lang: str = "nl",
    seed: int = stats.DEFAULT_SEED,
    mid: float = stats.DEFAULT_MID,
    pooled: PooledReliability | None = None,
    demo: bool = False,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """Two coalitions in the same round."""
    page = Page(lang, mid)
    a, b = first.round(number), second.round(number)
    score_a = score_round(a, seed=seed, pooled_alpha=pooled, mid=mid)
    score_b = score_round(b, seed=seed, pooled_alpha=pooled, mid=mid)
    comparison = compare_groups(a, b, mid=mid, seed=seed)
    parts = _Parts(page, a.instrument, limits_of(score_a.privacy))
    side = parts.side_by_side(first.name, second.name, score_a, score_b)
    diff = parts.differences(
        comparison.differences,
        page.say("diff_what_groups", a=first.name, b=second.name),
        linked=False,
        sides={first.slug: first.name, second.slug: second.name},
    )
    title = page.say("compare_groups_title", a=first.name, b=second.name, n=number)
    intro = page.say("compare_intro_groups", a=first.name, b=second.name, n=number)
    return _assemble(page, title, intro, [], side, diff, demo=demo, today=today)


def member_types_compare_context(
    data: CoalitionData,
    number: int,
    *,
    first_type: str | None = None,
    second_type: str | None = None,
    lang: str = "nl",
    seed: int = stats.DEFAULT_SEED,
    mid: float = stats.DEFAULT_MID,
    pooled: PooledReliability | None = None,
    demo: bool = False,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """Two member types within one round; by default the questionnaire's equality-gap
    pair (residents and professionals, unless it names another)."""
    page = Page(lang, mid)
    rd = data.round(number)
    first_type = first_type or rd.instrument.gap_pair[0]
    second_type = second_type or rd.instrument.gap_pair[1]
    scored = score_round(rd, seed=seed, pooled_alpha=pooled, mid=mid)
    comparison = compare_member_types(rd, first_type, second_type, mid=mid, seed=seed)
    label_a = member_type_label(rd.instrument, first_type, lang)
    label_b = member_type_label(rd.instrument, second_type, lang)
    limits = limits_of(scored.privacy)
    parts = _Parts(page, rd.instrument, limits)
    side = parts.side_by_side(
        label_a,
        label_b,
        scored,
        scored,
        member_types=(first_type, second_type),
        series=("s-res", "s-pro"),
    )
    diff = parts.differences(
        comparison.differences,
        page.say("diff_what_groups", a=inline(label_a), b=inline(label_b)),
        linked=False,
        sides={first_type: label_a, second_type: label_b},
    )
    title = page.say(
        "compare_types_title", name=data.name, a=inline(label_a), b=inline(label_b), n=number
    )
    intro = page.say("compare_intro_types", a=label_a, b=inline(label_b), n=number, name=data.name)
    return _assemble(page, title, intro, [], side, diff, demo=demo, today=today)


# -- shared parts ----------------------------------------------------------------------


class _Parts:
    def __init__(self, page: Page, instrument: Instrument, limits: Mapping[str, int]) -> None:
        self.page = page
        self.instrument = instrument
        self.limits = limits

    def label(self, dim_id: str) -> str:
        return dimension_label(self.instrument, dim_id, self.page.lang)

    def side_by_side(
        self,
        label_a: str,
        label_b: str,
        score_a: RoundScores,
        score_b: RoundScores,
        *,
        member_types: tuple[str, str] | None = None,
        series: tuple[str, str] = ("s-a", "s-b"),
    ) -> dict[str, Any]:
        """The two groups' scores per dimension: two rounds or coalitions, or, with
        ``member_types``, two member types of one round."""
        page = self.page
        shapes = ("ring", "circle") if series == ("s-a", "s-b") else ("circle", "diamond")
        ids_b = [d.id for d in score_b.dimensions]
        order = ids_b + [d.id for d in score_a.dimensions if d.id not in ids_b]
        sides = (score_a, score_b)
        rows, table_rows = [], []
        for dim_id in order:
            name = self.label(dim_id)
            marks, row = [], [page.cell(name)]
            for k, (scored, ser, shape) in enumerate(zip(sides, series, shapes, strict=True)):
                lim = limits_of(scored.privacy)
                dim = scored.find(dim_id)
                cell: DimensionScore | MemberTypeScore | None = dim
                if dim is not None and member_types is not None:
                    cell = dim.by_member_type.get(member_types[k])
                if cell is None or cell.suppressed or cell.mean is None:
                    reason = cell.suppressed_reason if cell else "no_responses"
                    text = page.mark_reason(reason, lim)
                    marks.append(
                        Mark(ser, hidden=True, hidden_text=text, reason=reason, shape=shape)
                    )
                    row.append(page.hidden(reason, lim))
                else:
                    marks.append(Mark(ser, cell.mean, cell.ci_low, cell.ci_high, shape=shape))
                    row.append(
                        page.cell(
                            f"{page.num(cell.mean)} ({page.ci(cell.ci_low, cell.ci_high)}), "
                            f"n = {cell.n}"
                        )
                    )
            rows.append(Row(name, marks))
            table_rows.append(row)
        chart = interval_chart(
            page.chart_id(),
            page.w["compare_title"],
            page.say("compare_desc", count=len(rows), a=label_a, b=label_b),
            rows,
            legend=[
                {"label": label_a, "series": series[0], "shape": shapes[0]},
                {"label": label_b, "series": series[1], "shape": shapes[1]},
            ],
            ref_label=page.w["neutral_mark"],
        )
        return {
            "id": "fig-side",
            "caption": page.w["compare_title"],
            "charts": [chart],
            "table": {
                "caption": page.w["numbers_behind"],
                "head": [page.w["dimension"], label_a, label_b],
                "rows": table_rows,
            },
            "grid": False,
            "note": page.w["hidden_legend"] if any(m.hidden for r in rows for m in r.marks) else "",
        }

    def differences(
        self,
        changes: Sequence[Tested],
        what: str,
        *,
        linked: bool,
        sides: Mapping[str, str] | None = None,
    ) -> dict[str, Any]:
        """The differences' chart, table and sentences; ``sides``: group id -> label."""
        page = self.page
        rows = [(self.label(c.dimension), c) for c in changes]
        tested = sum(1 for c in changes if c.group != "untested")
        chart = difference_chart(
            page, page.w["diff_title"], page.say("diff_desc", what=what), rows, self.limits
        )
        # the reader's table: the difference, its range and the verdict in words; the
        # test's figures (p, effect size, what the design can find) go to the methods
        head = [
            page.w["dimension"],
            f"{page.w['difference']} ({page.w['ci_short']})",
            page.w["verdict"],
        ]
        if linked:
            head.append(page.w["linked"])
        details_head = [
            page.w["dimension"],
            page.w["p_adjusted"],
            page.w["effect_size"],
            page.w["detectable_short"],
        ]
        table_rows, details_rows = [], []
        for name, c in rows:
            if c.suppressed:
                table_rows.append(
                    [
                        page.cell(name),
                        *page.hidden_run(c.suppressed_reason, self.limits, len(head) - 1),
                    ]
                )
                details_rows.append(
                    [
                        page.cell(name),
                        *page.hidden_run(c.suppressed_reason, self.limits, len(details_head) - 1),
                    ]
                )
                continue
            diff_text = page.w["dash"]
            if c.diff is not None and c.ci_low is not None:
                diff_text = f"{page.signed(c.diff)} ({page.ci(c.ci_low, c.ci_high, signed=True)})"
            elif c.diff is not None:
                diff_text = page.signed(c.diff)
            row = [
                page.cell(name),
                page.cell(diff_text),
                page.verdict_cell(c.verdict, c, sides),
            ]
            details_rows.append(
                [
                    page.cell(name),
                    page.cell(W.p_text(c.p_adjusted, page.lang)),
                    page.cell(page.num(c.effect_size, 2)),
                    page.cell(page.num(c.detectable_change)),
                ]
            )
            if linked:
                # scoring protects the count: None below both rounds' minimums
                n_linked = c.n_linked if isinstance(c, DimensionChange) else None
                row.append(page.cell(str(n_linked) if n_linked is not None else page.w["dash"]))
            table_rows.append(row)
        codes = sorted({c.verdict for c in changes if not c.suppressed}, key=VERDICT_ORDER.index)
        return {
            "id": "fig-differences",
            "caption": page.w["diff_title"],
            "charts": [chart],
            "table": {"caption": page.w["numbers_behind"], "head": head, "rows": table_rows},
            "grid": False,
            "note": " ".join(
                t
                for t in (
                    page.verdict_legend(codes),
                    page.holm_footnote(changes),
                    page.w["linked_explained"] if linked else "",
                )
                if t
            ),
            "details": {
                "table": {
                    "caption": page.w["test_details"],
                    "head": details_head,
                    "rows": details_rows,
                },
                "note": page.w["columns_explained_linked" if linked else "columns_explained"],
            },
            "sentences": [
                {
                    "label": name,
                    "badge": page.verdict_badge(c.verdict, c, sides) if not c.suppressed else None,
                    "hidden": c.suppressed,
                    "reason": c.suppressed_reason or "",
                    "text": self.sentence(c, tested),
                }
                for name, c in rows
            ],
        }

    def sentence(self, c: Tested, tested: int) -> str:
        page = self.page
        if c.suppressed:
            return page.reason(c.suppressed_reason, self.limits)
        if c.diff is None or c.ci_low is None:
            return page.verdict(c.verdict)
        fits = page.say("fits_range", low=page.signed(c.ci_low), high=page.signed(c.ci_high))
        if c.marked:
            fits += "; " + page.say("holm_sentence", count=tested)
        return f"{page.signed(c.diff)}: {fits}."


def _assemble(
    page: Page,
    title: str,
    intro: str,
    notes: Sequence[str],
    side: dict[str, Any],
    diff: dict[str, Any],
    *,
    demo: bool,
    today: dt.date | None,
) -> dict[str, Any]:
    ctx = page.furniture(demo=demo, title=title, kicker=page.w["compare_kicker"], today=today)
    side_section = page.section("sec_side_by_side", "side-by-side")
    diff_section = page.section("sec_differences", "differences")
    methods = page.section("sec_methods", "methods")
    ctx.update(
        intro=intro,
        notes=list(notes),
        side={"section": side_section, "figure": side},
        diff={
            "section": diff_section,
            "figure": {k: v for k, v in diff.items() if k != "details"},
            "sentences": diff["sentences"],
        },
        methods={
            "section": methods,
            "verdict_rules": page.say("verdict_rules", mid=page.num(page.mid)),
            "ci_explain": page.w["ci_explain"],
            "intro": page.w["methods_intro"],
            "hidden_count": page.say("hidden_count", count=page.hidden_cells)
            if page.hidden_cells
            else page.w["hidden_none"],
            "glossary": glossary(page),
            "details": diff["details"],
        },
        toc=page.toc,
    )
    return ctx
