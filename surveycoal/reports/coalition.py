"""The context of a coalition report: one round, read against the rounds before it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from itertools import pairwise
from typing import Any

from surveycoal import stats
from surveycoal.i18n import _
from surveycoal.instruments import Instrument
from surveycoal.privacy import REASONS
from surveycoal.reports.charts import (
    ItemBar,
    Mark,
    Row,
    TrendNote,
    TrendPoint,
    diff_ticks,
    interval_chart,
    item_chart,
    nice_extent,
    trend_chart,
)
from surveycoal.reports.common import (
    VERDICT_ORDER,
    VERDICT_STYLE,
    Page,
    dimension_label,
    glossary,
    inline,
    item_label,
    label,
    limits_of,
    member_type_label,
    score_bar,
)
from surveycoal.reports.gather import CoalitionData, RoundInfo
from surveycoal.reports.purged import any_purged, refuse_purged, round_change, round_scores
from surveycoal.scoring import (
    DimensionChange,
    DimensionScore,
    Gap,
    ItemScore,
    PooledReliability,
    RoundChange,
    RoundScores,
    compare_rounds,
)
from surveycoal.store import Note

#: A dimension is a strength when its whole interval lies above this score ...
STRONG_ABOVE = 60.0
#: ... and a point of attention when its whole interval lies below the neutral midpoint.
WEAK_BELOW = 50.0
#: A don't-know share from which a dimension is a point of attention.
HIGH_DONT_KNOW = 0.20
#: ... and by how much a member type's share must exceed the coalition's to be named.
DK_TYPE_MARGIN = 0.05


def coalition_context(
    data: CoalitionData,
    *,
    lang: str = "nl",
    seed: int = stats.DEFAULT_SEED,
    mid: float = stats.DEFAULT_MID,
    pooled: PooledReliability | None = None,
    demo: bool = False,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """Everything the coalition template shows, for the last round in ``data``.

    Scores every round (``score_round``), the change between consecutive rounds
    (``compare_rounds``) and turns them into words, chart geometry and tables.
    """
    page = Page(lang, mid)
    # the report of a round reads its answers statement by statement; the rounds
    # before it may be purged, and show their kept scores
    refuse_purged(
        data,
        [data.rounds[-1].round],
        _("it cannot be reported: the report reads its answers statement by statement"),
    )
    scored = [round_scores(data, rd, seed=seed, pooled=pooled, mid=mid) for rd in data.rounds]
    changes = [
        round_change(data, a, b, mid=mid, seed=seed, compare=compare_rounds)
        for a, b in pairwise(data.rounds)
    ]
    # the same two baselines as every report: the previous round and the first one
    first_change = (
        round_change(
            data, data.rounds[0], data.rounds[-1], mid=mid, seed=seed, compare=compare_rounds
        )
        if len(data.rounds) >= 3
        else None
    )
    current = scored[-1]
    instrument = data.rounds[-1].instrument
    info = data.info(current.round)
    builder = _Builder(page, data, instrument, scored, changes, info, first_change)
    ctx = page.furniture(
        demo=demo,
        title=page.say("coalition_title", name=data.name, n=current.round),
        kicker=page.w["coalition_kicker"],
        today=today,
    )
    ctx.update(
        coalition={"name": data.name, "slug": data.slug, "programme": data.programme},
        round=builder.round_facts(),
        summary=builder.summary(),
        profile=builder.profile(),
        trends=builder.trends(),
        equality=builder.equality(),
        items=builder.items(),
        strengths=builder.strengths(),
        reading=builder.reading(),
        open_answers=builder.open_answers(),
    )
    ctx["methods"] = builder.methods()
    ctx["appendix"] = builder.appendix()
    ctx["toc"] = page.toc
    return ctx


class _Builder:
    """The sections of one coalition report, built from scored rounds."""

    def __init__(
        self,
        page: Page,
        data: CoalitionData,
        instrument: Instrument,
        scored: Sequence[RoundScores],
        changes: Sequence[RoundChange],
        info: RoundInfo | None,
        first_change: RoundChange | None = None,
    ) -> None:
        self.page = page
        self.lang = page.lang
        self.data = data
        self.instrument = instrument
        self.scored = scored
        self.current = scored[-1]
        self.changes = changes
        self.last_change = changes[-1] if changes else None
        #: the change since the first round, when that is not the previous round
        self.first_change = first_change
        self.info = info
        self.limits = limits_of(self.current.privacy)
        self.dims = self.current.dimensions

    # -- helpers ---------------------------------------------------------------------
    def dim_label(self, dim_id: str) -> str:
        return dimension_label(self.instrument, dim_id, self.lang)

    def change_for(
        self, dim_id: str, change_set: RoundChange | None = None
    ) -> DimensionChange | None:
        """The change on one dimension since the previous round (or in ``change_set``)."""
        found = self.last_change if change_set is None else change_set
        return None if found is None else found.find(dim_id)

    def change_short(self, change: DimensionChange) -> str:
        """The numbers of a change, for a card that shows the verdict as a badge."""
        page = self.page
        if change.suppressed:
            return page.reason(change.suppressed_reason, self.limits)
        if change.ci_low is None or change.diff is None:
            return ""
        text = page.say(
            "change_short",
            diff=page.signed(change.diff),
            low=page.signed(change.ci_low),
            high=page.signed(change.ci_high),
        )
        return f"{text} {page.w['holm_mark']}" if change.marked else text

    def glance(self, change_set: RoundChange | None = None) -> list[dict[str, Any]]:
        """What changed since the last round (or in ``change_set``), grouped by verdict."""
        page = self.page
        if (change_set or self.last_change) is None:
            return []
        groups: dict[str, dict[str, Any]] = {}
        for dim in self.dims:
            change = self.change_for(dim.id, change_set)
            if change is None:
                continue
            if change.suppressed:
                key = f"hidden-{change.suppressed_reason}"
                badge = {
                    "cls": "v-few",
                    "glyph": "\u2013",
                    "text": page.reason(change.suppressed_reason, self.limits),
                }
            else:
                key = change.verdict
                badge = page.verdict_badge(change.verdict)
            group = groups.setdefault(key, {"badge": badge, "names": []})
            group["names"].append(self.dim_label(dim.id))
        order = {code: k for k, code in enumerate(VERDICT_ORDER)}
        ranked = sorted(groups.items(), key=lambda kv: order.get(kv[0], len(order)))
        return [{"badge": g["badge"], "dims": ", ".join(g["names"])} for _, g in ranked]

    # -- sections --------------------------------------------------------------------
    def round_facts(self) -> dict[str, Any]:
        page, cur, info = self.page, self.current, self.info
        response = page.responses(cur)
        dates = ""
        open_warning = ""
        if info is not None:
            if info.closed_on is not None:
                dates = page.say(
                    "round_dates",
                    opened=page.date(info.opened_on),
                    closed=page.date(info.closed_on),
                )
            else:
                dates = page.say("round_dates_open", opened=page.date(info.opened_on))
            if info.is_open:
                open_warning = page.say("open_round_warning", n=cur.round)
        return {
            "number": cur.round,
            "n_responses": cur.n_responses,
            "response": response,
            "dates": dates,
            "open_warning": open_warning,
            "suppressed": cur.suppressed,
            "hidden_text": page.say("hidden_round", min=self.limits["min"])
            if cur.suppressed
            else "",
        }

    def summary(self) -> dict[str, Any]:
        page = self.page
        section = page.section("sec_summary", "summary")
        cards = []
        for dim in self.dims:
            card: dict[str, Any] = {"label": self.dim_label(dim.id), "hidden": dim.suppressed}
            if dim.suppressed:
                card.update(
                    hidden_text=page.reason(dim.suppressed_reason, self.limits),
                    reason=dim.suppressed_reason or "below_minimum",
                )
            else:
                card.update(
                    score=page.num(dim.mean),
                    score_words=page.say("headline_score", score=page.num(dim.mean)),
                    ci_words=page.say(
                        "headline_ci", low=page.num(dim.ci_low), high=page.num(dim.ci_high)
                    ),
                    bar=score_bar(dim),
                )
            change = self.change_for(dim.id)
            if change is not None:
                badge = page.verdict_badge(change.verdict)
                if change.suppressed:
                    badge = {"cls": "v-few", "glyph": "\u2013", "text": ""}
                card["change"] = {**badge, "sentence": self.change_short(change)}
            else:
                card["change"] = None
            first = self.change_for(dim.id, self.first_change) if self.first_change else None
            if first is not None and self.first_change is not None:
                badge = page.verdict_badge(first.verdict)
                if first.suppressed:
                    badge = {"cls": "v-few", "glyph": "\u2013", "text": ""}
                card["first"] = {
                    **badge,
                    "since": page.say("round_short", n=self.first_change.from_round),
                    "sentence": self.change_short(first),
                }
            else:
                card["first"] = None
            cards.append(card)
        equality = page.equality_overall(self.current, self.limits)
        if self.last_change is not None:
            since = page.say("since_glance", n=self.last_change.from_round)
        else:
            since = page.w["first_round"]
        glances = []
        if self.last_change is not None:
            title = (
                page.say("glance_since_previous", n=self.last_change.from_round)
                if self.first_change is not None
                else since
            )
            glances.append({"title": title, "rows": self.glance()})
        if self.first_change is not None:
            glances.append(
                {
                    "title": page.say("glance_since_first", n=self.first_change.from_round),
                    "rows": self.glance(self.first_change),
                }
            )
        return {
            "section": section,
            "cards": cards,
            "since": since,
            "glances": glances,
            "glance": self.glance(),
            "holm_note": page.holm_footnote(self.change_for(d.id) for d in self.dims),
            "has_change": self.last_change is not None,
            "equality": equality,
            "ci_explain": page.w["ci_explain"],
        }

    def profile(self) -> dict[str, Any]:
        page = self.page
        section = page.section("sec_profile", "profile")
        rows = []
        table_rows = []
        for dim in self.dims:
            name = self.dim_label(dim.id)
            if dim.suppressed:
                text = page.mark_reason(dim.suppressed_reason, self.limits)
                rows.append(
                    Row(
                        name,
                        [
                            Mark(
                                "s-score",
                                hidden=True,
                                hidden_text=text,
                                reason=dim.suppressed_reason,
                            )
                        ],
                    )
                )
                table_rows.append(
                    [page.cell(name), *page.hidden_run(dim.suppressed_reason, self.limits, 4)]
                )
                continue
            rows.append(
                Row(
                    name,
                    [Mark("s-score", dim.mean, dim.ci_low, dim.ci_high)],
                    right=f"{page.num(dim.mean)} ({page.num(dim.ci_low)}\u2013{page.num(dim.ci_high)})",
                )
            )
            table_rows.append(
                [
                    page.cell(name),
                    page.score_cell(dim.mean, dim.ci_low, dim.ci_high),
                    page.score_cell(dim.median, dim.median_ci_low, dim.median_ci_high),
                    page.cell(str(dim.n)),
                    page.cell(self.shared_view_text(dim), "text"),
                ]
            )
        chart = interval_chart(
            page.chart_id(),
            page.w["profile_title"],
            page.say("profile_desc", count=len(self.dims)),
            rows,
            ref_label=page.w["neutral_mark"],
        )
        table = {
            "caption": page.w["numbers_behind"],
            "head": [
                page.w["dimension"],
                f"{page.w['mean_word']} ({page.w['ci_short']})",
                f"{page.w['median_word']} ({page.w['ci_short']})",
                page.w["n_word"],
                page.w["shared_view"],
            ],
            "rows": table_rows,
        }
        return {
            "section": section,
            "hidden": self.current.suppressed,
            "figure": {
                "id": "fig-profile",
                "caption": page.w["profile_title"],
                "charts": [chart],
                "table": table,
                "grid": False,
                "note": "",
            },
        }

    def shared_view_text(self, dim: DimensionScore) -> str:
        page = self.page
        if dim.shared_view is True:
            return page.w["shared_yes"]
        if dim.shared_view is False:
            text = page.w["shared_no"]
            if dim.share("agree") is not None:
                text += (
                    " ("
                    + page.say(
                        "distribution",
                        **{band: page.pct(dim.share(band)) for band in stats.BANDS},
                    )
                    + ")"
                )
            return text
        return page.w["shared_unknown"]

    def trends(self) -> dict[str, Any]:
        page = self.page
        section = page.section("sec_trends", "trends")
        numbers = [s.round for s in self.scored]
        notes = self.timeline_notes()
        note_marks = [TrendNote(n["number"], n["position"]) for n in notes]
        charts = []
        table_rows = []
        for dim in self.dims:
            name = self.dim_label(dim.id)
            points = []
            row = [page.cell(name)]
            for scored in self.scored:
                found = scored.find(dim.id)
                limits = limits_of(scored.privacy)
                if found is None:
                    points.append(
                        TrendPoint(
                            scored.round, None, None, None, hidden=True, reason="no_responses"
                        )
                    )
                    row.append(page.hidden("no_responses", limits))
                elif found.suppressed:
                    points.append(
                        TrendPoint(
                            scored.round,
                            None,
                            None,
                            None,
                            hidden=True,
                            reason=found.suppressed_reason,
                        )
                    )
                    row.append(page.hidden(found.suppressed_reason, limits))
                else:
                    points.append(
                        TrendPoint(
                            scored.round,
                            found.mean,
                            found.ci_low,
                            found.ci_high,
                            label=page.num(found.mean),
                        )
                    )
                    row.append(page.score_cell(found.mean, found.ci_low, found.ci_high))
            table_rows.append(row)
            charts.append(
                trend_chart(
                    page.chart_id(),
                    page.say("trend_title", dimension=name),
                    page.say(
                        "trend_desc",
                        dimension=name,
                        rounds=", ".join(str(n) for n in numbers),
                        notes=page.w["trend_desc_notes"] if notes else "",
                    ),
                    name,
                    points,
                    note_marks,
                    round_label=page.w["round_short"],
                    hidden_text=page.w["hidden_short"],
                )
            )
        table = {
            "caption": page.w["numbers_behind"],
            "head": [page.w["dimension"]] + [page.say("round_n", n=n) for n in numbers],
            "rows": table_rows,
        }
        verdict_rows = []
        for dim in self.dims:
            row = [page.cell(self.dim_label(dim.id))]
            for change in self.changes:
                moved = change.find(dim.id)
                if moved is None or moved.suppressed:
                    reason = moved.suppressed_reason if moved else "no_responses"
                    row.append(page.hidden(reason, self.limits))
                else:
                    cell = page.verdict_cell(moved.verdict)
                    if moved.diff is not None and moved.ci_low is not None:
                        cell["text"] += (
                            f" ({page.signed(moved.diff)}; {page.ci(moved.ci_low, moved.ci_high, signed=True)})"
                        )
                        if moved.marked:
                            cell["text"] += f" {page.w['holm_mark']}"
                    row.append(cell)
            verdict_rows.append(row)
        verdicts = None
        if self.changes:
            verdicts = {
                "caption": page.w["trend_verdicts"],
                "head": [page.w["dimension"]]
                + [
                    f"{page.w['round_short'].format(n=c.from_round)} \u2192 {page.w['round_short'].format(n=c.to_round)}"
                    for c in self.changes
                ],
                "rows": verdict_rows,
            }
        return {
            "section": section,
            "figure": {
                "id": "fig-trends",
                "caption": page.w["sec_trends"],
                "charts": charts,
                "table": table,
                "grid": "narrow",
                "note": page.w["purged_note"] if any_purged(self.changes) else "",
            },
            "notes": notes,
            "verdicts": verdicts,
            "holm_note": page.holm_footnote(
                found for change in self.changes for found in change.changes
            ),
        }

    def timeline_notes(self) -> list[dict[str, Any]]:
        """Timeline notes up to the report's round, numbered, with their place on the round axis."""
        infos = sorted(self.data.infos, key=lambda i: i.number)
        last = infos[-1] if infos else None
        until = last.closed_on if last is not None and last.closed_on is not None else None
        out = []
        for note in self.data.notes:
            if note.round is not None and last is not None and note.round > last.number:
                continue
            if note.round is None and until is not None and note.date > until:
                continue
            out.append(note)
        return [
            {
                "number": k,
                "date": self.page.date(note.date),
                "text": note.text,
                "round": note.round,
                "round_text": self.page.say("round_n", n=note.round) if note.round else "",
                "position": note_position(note, infos),
            }
            for k, note in enumerate(out, start=1)
        ]

    def equality(self) -> dict[str, Any]:
        """Both groups' scores, the gap between them with the equality index, and the gap
        in every round. A chart whose every mark would be hidden becomes one sentence."""
        page = self.page
        section = page.section("sec_equality", "equality")
        first_type, second_type = self.instrument.gap_pair
        first = member_type_label(self.instrument, first_type, self.lang)
        second = member_type_label(self.instrument, second_type, self.lang)
        figures = [self.groups_figure(first, second), self.gap_figure(first, second)]
        gap_rounds = self.gap_rounds_table(first, second)
        cur = self.current
        overall = page.equality_overall(cur, self.limits)
        return {
            "section": section,
            "intro": page.w["equality_intro"],
            "overall": overall,
            "figures": [f for f in figures if f["charts"]],
            # with no gap at all, the sentence on the equality index already says why
            "hidden": [
                {"text": f["hidden_text"], "reason": f["hidden_reason"]}
                for f in figures
                if not f["charts"] and f["id"] == "fig-groups"
            ],
            "gap_rounds": gap_rounds,
        }

    def groups_figure(self, first: str, second: str) -> dict[str, Any]:
        """Residents' and professionals' scores per dimension, with their intervals."""
        page = self.page
        first_type, second_type = self.instrument.gap_pair
        rows, table_rows, reasons = [], [], []
        hidden_before = page.hidden_cells
        for dim in self.dims:
            name = self.dim_label(dim.id)
            marks = []
            row = [page.cell(name)]
            for type_id, series, shape in (
                (first_type, "s-res", "circle"),
                (second_type, "s-pro", "diamond"),
            ):
                cell = dim.by_member_type.get(type_id)
                if cell is None or cell.suppressed:
                    reason = cell.suppressed_reason if cell else "no_responses"
                    reasons.append(reason)
                    marks.append(
                        Mark(
                            series,
                            hidden=True,
                            hidden_text=page.mark_reason(reason, self.limits),
                            reason=reason,
                            shape=shape,
                        )
                    )
                    row.append(page.hidden(reason, self.limits))
                else:
                    marks.append(Mark(series, cell.mean, cell.ci_low, cell.ci_high, shape=shape))
                    row.append(
                        page.cell(
                            f"{page.num(cell.mean)} ({page.ci(cell.ci_low, cell.ci_high)}), n = {cell.n}"
                        )
                    )
            rows.append(Row(name, marks))
            table_rows.append(row)
        title = page.say("groups_title", a=inline(first), b=inline(second))
        if len(reasons) == 2 * len(self.dims):
            # nothing to draw: one sentence instead of a chart of hatched bars
            page.hidden_cells = hidden_before + 1
            reason = _main_reason(reasons)
            return {
                "id": "fig-groups",
                "charts": [],
                "hidden_text": page.say(
                    "groups_all_hidden",
                    a=inline(first),
                    b=inline(second),
                    reason=page.why(reason, self.limits),
                ),
                "hidden_reason": reason,
            }
        chart = interval_chart(
            page.chart_id(),
            title,
            page.say("groups_desc", count=len(self.dims), a=inline(first), b=inline(second)),
            rows,
            legend=[
                {"label": first, "series": "s-res", "shape": "circle"},
                {"label": second, "series": "s-pro", "shape": "diamond"},
            ],
            ref_label=page.w["neutral_mark"],
        )
        return {
            "id": "fig-groups",
            "caption": title,
            "charts": [chart],
            "table": {
                "caption": page.w["numbers_behind"],
                "head": [page.w["dimension"], first, second],
                "rows": table_rows,
            },
            "grid": False,
            "note": page.w["hidden_legend"] if reasons else "",
        }

    def gap_figure(self, first: str, second: str) -> dict[str, Any]:
        """The gap (residents minus professionals) and the equality index per dimension."""
        page = self.page
        gap_rows, ei_rows, table_rows, reasons = [], [], [], []
        hidden_before = page.hidden_cells
        gaps = [d.gap for d in self.dims if d.gap is not None]
        extent = nice_extent(
            [v for g in gaps for v in (g.ci_low, g.ci_high, g.diff)],
            minimum=max(10.0, 2 * page.mid),
        )
        for dim in self.dims:
            name = self.dim_label(dim.id)
            gap = dim.gap
            if gap is None:
                reason = dim.gap_reason or dim.suppressed_reason
                reasons.append(reason)
                text = page.mark_reason(reason, self.limits)
                gap_rows.append(
                    Row(name, [Mark("v-none", hidden=True, hidden_text=text, reason=reason)])
                )
                ei_rows.append(
                    Row(name, [Mark("s-ei", hidden=True, hidden_text=text, reason=reason)])
                )
                table_rows.append(
                    [
                        page.cell(name),
                        page.hidden(reason, self.limits),
                        page.hidden(reason, self.limits),
                    ]
                )
                continue
            series, glyph, shape = self.gap_style(gap)
            gap_rows.append(
                Row(
                    name,
                    [Mark(series, gap.diff, gap.ci_low, gap.ci_high, shape=shape)],
                    right=f"{glyph} {page.signed(gap.diff)}",
                    right_class=series,
                )
            )
            ei_rows.append(
                Row(
                    name,
                    [Mark("s-ei", gap.equality_index, gap.ei_ci_low, gap.ei_ci_high)],
                    right=f"{page.num(gap.equality_index)} ({page.num(gap.ei_ci_low)}\u2013{page.num(gap.ei_ci_high)})",
                )
            )
            table_rows.append(
                [
                    page.cell(name),
                    page.cell(
                        f"{page.signed(gap.diff)} ({page.ci(gap.ci_low, gap.ci_high, signed=True)}): {self.gap_words(gap, first, second)}",
                        "text",
                    ),
                    page.score_cell(gap.equality_index, gap.ei_ci_low, gap.ei_ci_high),
                ]
            )
        if len(reasons) == len(self.dims):
            page.hidden_cells = hidden_before + 1
            reason = _main_reason(reasons)
            return {
                "id": "fig-equality-index",
                "charts": [],
                "hidden_text": page.say("ei_all_hidden", reason=page.why(reason, self.limits)),
                "hidden_reason": reason,
            }
        gap_chart = interval_chart(
            page.chart_id(),
            page.say("gap_title", a=inline(first), b=inline(second)),
            page.say("gap_desc", count=len(self.dims), a=inline(first), b=inline(second)),
            gap_rows,
            domain=(-extent, extent),
            ticks=diff_ticks(extent),
            tick_labels=[page.signed(t) for t in diff_ticks(extent)],
            ref=0.0,
            compact=True,
            heading=page.w["gap"],
            width=480,
        )
        ei_chart = interval_chart(
            page.chart_id(),
            page.w["ei_title"],
            page.say("ei_desc", count=len(self.dims)),
            ei_rows,
            ref=None,
            compact=True,
            heading=page.w["equality_index"],
            width=480,
        )
        note = page.say("gap_legend", a=inline(first))
        if reasons:
            note += " " + page.w["hidden_legend"]
        if page.holm_footnote(gaps):
            note += " " + page.holm_footnote(gaps)
        return {
            "id": "fig-equality-index",
            "caption": page.say("gap_title", a=inline(first), b=inline(second)),
            "charts": [gap_chart, ei_chart],
            "table": {
                "caption": page.w["numbers_behind"],
                "head": [
                    page.w["dimension"],
                    f"{page.w['gap']} ({page.w['ci_short']})",
                    f"{page.w['equality_index']} ({page.w['ci_short']})",
                ],
                "rows": table_rows,
            },
            "grid": "wide",
            "note": note,
        }

    @staticmethod
    def gap_style(gap: Gap) -> tuple[str, str, str]:
        """CSS class, symbol and shape of a gap: a gap whose verdict names a higher side
        stands out (docs/METHODS.md section 8), one without does not."""
        cls, glyph, shape = VERDICT_STYLE.get(gap.verdict, ("v-none", "\u25cb", "ring"))
        return ("s-res" if gap.higher else cls), glyph, shape

    def gap_rounds_table(self, first: str, second: str) -> dict[str, Any] | None:
        """The gap per dimension in every round so far: does it close or widen?"""
        page = self.page
        if len(self.scored) < 2:
            return None
        hidden_before = page.hidden_cells
        rows = []
        for dim in self.dims:
            row = [page.cell(self.dim_label(dim.id))]
            for scored in self.scored:
                found = scored.find(dim.id)
                limits = limits_of(scored.privacy)
                gap = found.gap if found else None
                if gap is None:
                    reason = (
                        (found.gap_reason or found.suppressed_reason) if found else "no_responses"
                    )
                    row.append(page.hidden(reason, limits))
                else:
                    row.append(
                        page.cell(
                            f"{page.signed(gap.diff)} ({page.ci(gap.ci_low, gap.ci_high, signed=True)})"
                        )
                    )
            rows.append(row)
        if all(cell["hidden"] for row in rows for cell in row[1:]):
            page.hidden_cells = hidden_before  # nothing to show, so no table of hatching
            return None
        return {
            "caption": page.say("gap_rounds_title", a=inline(first), b=inline(second)),
            "head": [page.w["dimension"]] + [page.say("round_n", n=s.round) for s in self.scored],
            "rows": rows,
        }

    def gap_words(self, gap: Gap, first: str, second: str) -> str:
        """The gap's verdict from scoring, naming the member type that scores higher."""
        page = self.page
        words = page.verdict_of(gap, {gap.first: first, gap.second: second})
        return f"{words} {page.w['holm_mark']}" if gap.marked else words

    def items(self) -> dict[str, Any]:
        page = self.page
        section = page.section("sec_items", "items")
        all_hidden = all(item.suppressed for item in self.current.items)
        figures = []
        if all_hidden:
            reason = self.current.items[0].suppressed_reason if self.current.items else None
            page.hidden_cells += len(self.current.items)
            return {
                "section": section,
                "intro": page.w["items_intro"],
                "hidden_text": page.reason(reason, self.limits),
                "reason": reason or "too_few_for_items",
                "figures": [],
            }
        for dim in self.dims:
            name = self.dim_label(dim.id)
            bars, table_rows = [], []
            for item in self.current.items:
                if item.dimension != dim.id:
                    continue
                text = item_label(self.instrument, item.id, self.lang)
                if item.reverse:
                    text = f"{text} {page.w['reverse_note']}"
                if item.suppressed:
                    reason = item.suppressed_reason
                    bars.append(
                        ItemBar(
                            text,
                            None,
                            None,
                            None,
                            None,
                            hidden=True,
                            hidden_text=page.mark_reason(reason, self.limits),
                            reason=reason,
                        )
                    )
                    table_rows.append([page.cell(text), *page.hidden_run(reason, self.limits, 5)])
                    continue
                shares = {k: item.share(k) for k in stats.BANDS}
                shares["dont_know"] = item.dont_know
                bars.append(
                    ItemBar(
                        text,
                        shares["disagree"],
                        shares["neutral"],
                        shares["agree"],
                        shares["dont_know"],
                        texts={k: page.pct(v) for k, v in shares.items()},
                        reverse=bool(item.reverse),
                    )
                )
                table_rows.append(
                    [page.cell(text), page.cell(str(item.n))]
                    + [self.share_cell(item, k) for k in ("disagree", "neutral", "agree")]
                    + [page.cell(page.pct(shares["dont_know"]))]
                )
            if not bars:
                continue
            chart = item_chart(
                page.chart_id(),
                page.say("items_title", dimension=name),
                page.say("items_desc", count=len(bars)),
                bars,
                words=page.w,
            )
            figures.append(
                {
                    "id": f"fig-items-{dim.id}",
                    "caption": name,
                    "charts": [chart],
                    "table": {
                        "caption": page.w["numbers_behind"],
                        "head": [
                            page.w["statement"],
                            page.w["valid_answers"],
                            page.w["disagree"],
                            page.w["neutral"],
                            page.w["agree"],
                            page.w["dont_know"],
                        ],
                        "rows": table_rows,
                    },
                    "grid": False,
                    "note": "",
                }
            )
        return {
            "section": section,
            "intro": page.w["items_intro"],
            "hidden_text": "",
            "reason": "",
            "figures": figures,
        }

    def share_cell(self, item: ItemScore, band: str) -> dict[str, Any]:
        """A share of the valid answers with its Wilson interval: "16% (6\u201338%)"."""
        page = self.page
        found = item.bands.get(band) if item.bands else None
        low, high = (found.ci_low, found.ci_high) if found else (None, None)
        text = page.pct(found.share if found else None)
        if low is not None and high is not None:
            text += f" ({page.pct(low).rstrip('%')}\u2013{page.pct(high)})"
        return page.cell(text)

    def strengths(self) -> dict[str, Any]:
        page = self.page
        section = page.section("sec_strengths", "strengths")
        good: list[str] = []
        watch: list[str] = []
        for dim in self.dims:
            if dim.suppressed:
                continue
            name = self.dim_label(dim.id)
            values = {
                "dimension": name,
                "score": page.num(dim.mean),
                "low": page.num(dim.ci_low),
                "high": page.num(dim.ci_high),
            }
            if dim.ci_low is not None and dim.ci_low > STRONG_ABOVE:
                good.append(page.say("strength_high", **values))
            if dim.ci_high is not None and dim.ci_high < WEAK_BELOW:
                watch.append(page.say("attention_low", **values))
            change = self.change_for(dim.id)
            if change is not None and not change.suppressed and change.diff is not None:
                words = {
                    "dimension": name,
                    "verdict": page.verdict(change.verdict),
                    "n": self.last_change.from_round if self.last_change else "",
                    "diff": page.points(change.diff),
                }
                if change.group == "improved":
                    good.append(page.say("strength_improved", **words))
                elif change.group == "declined":
                    watch.append(page.say("attention_declined", **words))
            gap = dim.gap
            if gap is not None and gap.higher:
                watch.append(
                    page.say(
                        "attention_gap",
                        dimension=name,
                        diff=page.points(gap.diff),
                        low=page.signed(gap.ci_low),
                        high=page.signed(gap.ci_high),
                    )
                )
            if dim.dont_know is not None and dim.dont_know >= HIGH_DONT_KNOW:
                watch.append(
                    page.say("attention_dk", dimension=name, share=page.pct(dim.dont_know))
                )
            watch += self.dk_type_attention(dim, name)
            if dim.shared_view is False:
                watch.append(page.say("attention_disagree", dimension=name))
            if "not_a_scale" in dim.alpha_flags and dim.alpha_source == "coalition":
                watch.append(page.say("attention_scale", dimension=name))
        return {
            "section": section,
            "strengths": good,
            "attention": watch,
            "nothing": page.w["nothing_stands_out"] if not good and not watch else "",
            "rules": page.w["strength_rules"],
        }

    def dk_type_attention(self, dim: DimensionScore, name: str) -> list[str]:
        """A member type that answers "don't know" much more often than the coalition:
        a finding of its own (docs/METHODS.md section 1)."""
        page = self.page
        overall = dim.dont_know
        out = []
        for type_id, cell in dim.by_member_type.items():
            share = cell.dont_know
            if cell.suppressed or share is None or overall is None:
                continue
            if share >= HIGH_DONT_KNOW and share - overall >= DK_TYPE_MARGIN:
                out.append(
                    page.say(
                        "attention_dk_type",
                        dimension=name,
                        share=page.pct(share),
                        type=inline(member_type_label(self.instrument, type_id, self.lang)),
                        overall=page.pct(overall),
                    )
                )
        return out

    def dk_types_table(self) -> dict[str, Any] | None:
        """Don't-know shares per dimension and member type (shown groups only)."""
        page = self.page
        types = [
            t
            for t, cell in self.current.member_types.items()
            if not (cell.suppressed and cell.suppressed_reason == "no_responses")
        ]
        if not types or self.current.suppressed:
            return None
        shown = any(
            not cell.suppressed for dim in self.dims for cell in dim.by_member_type.values()
        )
        if not shown:
            return None  # every group hidden: the quality table already gives the whole
        rows = []
        for dim in self.dims:
            row = [page.cell(self.dim_label(dim.id))]
            for type_id in types:
                cell = dim.by_member_type.get(type_id)
                if cell is None or cell.suppressed or cell.dont_know is None:
                    reason = cell.suppressed_reason if cell else "no_responses"
                    row.append(page.hidden(reason, self.limits))
                else:
                    row.append(page.cell(page.pct(cell.dont_know)))
            row.append(page.cell(page.pct(dim.dont_know)))
            rows.append(row)
        return {
            "caption": page.w["dk_types_title"],
            "head": [page.w["dimension"]]
            + [member_type_label(self.instrument, t, self.lang) for t in types]
            + [page.w["all_members"]],
            "rows": rows,
        }

    def reading(self) -> dict[str, Any]:
        page = self.page
        section = page.section("sec_reading", "reading")
        number = self.current.round
        notes = [
            {"date": page.say("reading_date", date=page.date(n.date)), "text": n.text}
            for n in self.data.readings
            if n.round == number
        ]
        return {
            "section": section,
            "notes": notes,
            "none": page.w["reading_none_plain"] if not notes else "",
        }

    def open_answers(self) -> dict[str, Any]:
        page = self.page
        section = page.section("sec_open", "open-answers")
        questions = {q.id: q for q in self.instrument.open_questions}
        out: list[dict[str, Any]] = []
        for entry in self.current.open_answers:
            question = questions.get(entry.question)
            text = label(question.text, self.lang, entry.question) if question else entry.question
            if entry.suppressed:
                reason = entry.suppressed_reason
                if reason == "no_responses":
                    out.append(
                        {
                            "question": text,
                            "texts": [],
                            "hidden": False,
                            "hidden_text": page.w["open_none"],
                            "reason": "",
                        }
                    )
                else:
                    page.hidden_cells += 1
                    out.append(
                        {
                            "question": text,
                            "texts": [],
                            "hidden": True,
                            "hidden_text": page.reason(reason, self.limits),
                            "reason": reason,
                        }
                    )
            else:
                out.append(
                    {
                        "question": text,
                        "texts": entry.texts,
                        "hidden": False,
                        "hidden_text": "",
                        "reason": "",
                    }
                )
        return {
            "section": section,
            "intro": page.say("open_intro", min=self.limits["min_text"]),
            "questions": out,
        }

    def methods(self) -> dict[str, Any]:
        page = self.page
        section = page.section("sec_methods", "methods")
        quality_rows = []
        pooled = False
        for dim in self.dims:
            name = self.dim_label(dim.id)
            if dim.suppressed:
                quality_rows.append(
                    [page.cell(name), *page.hidden_run(dim.suppressed_reason, self.limits, 6)]
                )
                continue
            alpha = page.w["not_available"]
            if dim.alpha is not None:
                alpha = (
                    f"{page.num(dim.alpha, 2)} ({page.num(dim.alpha_ci_low, 2)}\u2013"
                    f"{page.num(dim.alpha_ci_high, 2)})"
                )
                if dim.alpha_source == "pooled":
                    alpha += " *"
                    pooled = True
            codes = [
                c
                for c in dim.alpha_flags
                if not (c == "imprecise" and dim.alpha_source == "pooled")
            ]
            flags = [page.w.get(f"flag_{c}", c) for c in codes]
            quality_rows.append(
                [
                    page.cell(name),
                    page.cell(str(dim.n)),
                    page.cell(alpha),
                    page.cell("; ".join(flags) or page.w["dash"], "text"),
                    page.cell(f"{page.num(dim.rwg, 2)} / {page.num(dim.rwg_cutoff, 2)}"),
                    page.cell(page.pct(dim.dont_know)),
                    page.cell(page.pct(dim.share_incomplete)),
                ]
            )
        quality = {
            "caption": page.w["quality_title"],
            "head": [
                page.w["dimension"],
                page.w["n_word"],
                f"{page.w['alpha']} ({page.w['ci_short']})",
                page.w["quality_flags"],
                f"{page.w['agreement']} / {page.w['random_cutoff'].lower()}",
                page.w["dk_rate"],
                page.w["incomplete"],
            ],
            "rows": quality_rows,
        }
        response_rows = []
        for scored in self.scored:
            answered, rate = page.response_cells(scored)
            response_rows.append(
                [
                    page.cell(page.say("round_n", n=scored.round)),
                    answered,
                    page.cell(str(scored.invited) if scored.invited else page.w["dash"]),
                    rate,
                ]
            )
        responses = {
            "caption": page.w["participation_title"],
            "head": [
                page.w["round_word"].capitalize(),
                page.w["responses"],
                page.w["invited"],
                page.w["response_rate"],
            ],
            "rows": response_rows,
        }
        type_rows = []
        for type_id, cell in self.current.member_types.items():
            name = member_type_label(self.instrument, type_id, self.lang)
            if cell.suppressed:
                if cell.suppressed_reason == "no_responses":
                    continue
                type_rows.append(
                    [page.cell(name), page.hidden(cell.suppressed_reason, self.limits)]
                )
            else:
                type_rows.append([page.cell(name), page.cell(str(cell.n))])
        member_types = {
            "caption": page.w["member_types"],
            "head": [page.w["member_types"], page.w["n_word"]],
            "rows": type_rows,
        }
        cur = self.current
        rules = [
            page.say("rule_min_group", min=self.limits["min"]),
            page.say("rule_items", min=self.limits["min_items"]),
            page.say("rule_text", min=self.limits["min_text"]),
            page.w["rule_complementary"],
            page.say("rule_derived", min=max(self.limits["min"], stats.MIN_N_TEST)),
        ]
        detectable = next(
            (
                c.detectable_change
                for c in (self.last_change.changes if self.last_change else ())
                if c.detectable_change
            ),
            None,
        )
        return {
            "section": section,
            "intro": page.w["methods_intro"],
            "ci_explain": page.w["ci_explain"],
            "verdict_rules": page.say("verdict_rules", mid=page.num(page.mid)),
            "quality": quality,
            "pooled_note": page.w["pooled_note"] if pooled else "",
            "responses": responses,
            "member_types": member_types,
            "dk_types": self.dk_types_table(),
            "rules": rules,
            "hidden_count": page.say("hidden_count", count=page.hidden_cells)
            if page.hidden_cells
            else page.w["hidden_none"],
            "instrument": page.say(
                "instrument_line",
                id=cur.instrument_id,
                version=cur.instrument_version,
                hash=cur.instrument_hash[:12],
            ),
            "detectable": page.say("detectable", value=page.num(detectable)) if detectable else "",
            "seed": page.say("seed_line", seed=cur.seed),
            "glossary": glossary(page),
        }

    def appendix(self) -> dict[str, Any]:
        """For the lead only: how to add the reading, and what identifies the calculation."""
        page = self.page
        number = self.current.round
        has_reading = any(n.round == number for n in self.data.readings)
        return {
            "title": page.w["appendix_title"],
            "intro": page.w["appendix_intro"],
            "reading": ""
            if has_reading
            else page.say("appendix_reading", slug=self.data.slug, n=number),
        }


def note_position(note: Note, infos: Sequence[RoundInfo]) -> float:
    """Where a timeline note sits on the round axis (1.0 = round 1, 1.5 = between 1 and 2)."""
    if not infos:
        return 1.0
    if note.round is not None:
        return float(note.round)
    anchors = [(i.number, i.opened_on) for i in infos]
    first_number, first_date = anchors[0]
    if note.date <= first_date:
        return first_number - 0.35
    for (n1, d1), (n2, d2) in pairwise(anchors):
        if d1 <= note.date < d2:
            span = (d2 - d1).days or 1
            return n1 + (n2 - n1) * (note.date - d1).days / span
    return anchors[-1][0] + 0.35


def _main_reason(reasons: Sequence[str | None]) -> str:
    """The reason most hidden cells share; on a tie the first in :data:`privacy.REASONS`
    (a group under the minimum says more than the complement hidden with it)."""
    codes = [r or "below_minimum" for r in reasons]
    rank = {code: k for k, code in enumerate(REASONS)}
    return max(dict.fromkeys(codes), key=lambda c: (codes.count(c), -rank.get(c, len(rank))))
