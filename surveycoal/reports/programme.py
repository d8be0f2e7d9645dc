"""The context of a programme report: every coalition side by side, for funders.

No league table: coalitions appear in alphabetical order, and where a position
is asked for the report shows a funnel plot (who differs from the programme by
more than chance) and, in words, the top / middle / bottom group of scoring.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from surveycoal import stats
from surveycoal.i18n import _
from surveycoal.instruments import Instrument, PrivacySettings
from surveycoal.reports.charts import (
    PHONE_SMALL,
    FunnelPoint,
    HeatCell,
    Mark,
    Row,
    funnel_chart,
    funnel_domain,
    heatmap_chart,
    interval_chart,
    text_width,
)
from surveycoal.reports.common import (
    CHANGE_GROUPS,
    VERDICT_ORDER,
    Page,
    diff_extent,
    difference_chart,
    dimension_label,
    glossary,
    interval_of,
    limits_of,
    score_bar,
)
from surveycoal.reports.gather import CoalitionData
from surveycoal.reports.purged import any_purged, refuse_purged, round_change, round_scores
from surveycoal.scoring import (
    DimensionChange,
    DimensionScore,
    ProgrammeScores,
    RoundChange,
    RoundScores,
    pool_reliability,
    score_programme,
)

#: At most this many points worth a conversation on the first page; the rest are counted.
FLAGS_SHOWN = 5
#: A response rate below this share is worth a conversation: the answers may not speak
#: for the coalition.
LOW_RESPONSE_RATE = 0.5


def programme_context(
    name: str,
    coalitions: Sequence[CoalitionData],
    *,
    round_number: int | None = None,
    lang: str = "nl",
    seed: int = stats.DEFAULT_SEED,
    mid: float = stats.DEFAULT_MID,
    demo: bool = False,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """Everything the programme template shows.

    ``coalitions`` hold their rounds up to the report's round; ``round_number``
    None means each coalition's latest round.
    """
    page = Page(lang, mid)
    if round_number is not None:
        # a coalition's page and its change since round 1 end at the report's round
        coalitions = [
            replace(c, rounds=tuple(rd for rd in c.rounds if rd.round <= round_number))
            for c in coalitions
        ]
        coalitions = [c for c in coalitions if c.rounds]
    ordered = sorted(coalitions, key=lambda c: (c.name.casefold(), c.slug))
    all_rounds = [rd for c in ordered for rd in c.rounds]
    pooled = pool_reliability(all_rounds)
    # the programme's side-by-side needs the answers of every coalition's round;
    # earlier rounds may be purged, and show their kept scores
    for c in ordered:
        refuse_purged(
            c,
            [c.rounds[-1].round],
            _(
                "the programme report cannot show it: it sets the answers of every "
                "coalition's round side by side"
            ),
            hint=_(
                "Its scores are kept: surveycoal score {ref}. A programme report of an "
                "earlier round (--round) whose answers are kept can still be made."
            ),
        )
    scored = {
        c.slug: {
            rd.round: round_scores(c, rd, seed=seed, pooled=pooled, mid=mid) for rd in c.rounds
        }
        for c in ordered
    }
    programme = score_programme(all_rounds, round_number=round_number, seed=seed)
    # every report measures change from the same two baselines: the first round and
    # the previous one (the same comparison when a coalition has two rounds)
    changes = {
        c.slug: round_change(c, c.rounds[0], c.rounds[-1], mid=mid, seed=seed)
        for c in ordered
        if len(c.rounds) >= 2
    }
    previous = {
        c.slug: round_change(c, c.rounds[-2], c.rounds[-1], mid=mid, seed=seed)
        if len(c.rounds) >= 3
        else changes[c.slug]
        for c in ordered
        if len(c.rounds) >= 2
    }
    builder = _Builder(page, name, ordered, scored, programme, changes, round_number, previous)
    title = page.say("programme_title", name=name)
    ctx = page.furniture(demo=demo, title=title, kicker=page.w["programme_kicker"], today=today)
    ctx.update(
        programme={
            "name": name,
            "round_text": page.say("programme_round", n=round_number)
            if round_number is not None
            else page.w["programme_latest"],
        },
        summary=builder.summary(),
        heatmaps=builder.heatmaps(),
        change=builder.change(),
        equality=builder.equality(),
        funnels=builder.funnels(),
        participation=builder.participation(),
        pages=builder.pages(),
    )
    ctx["toc"] = page.toc
    # the findings come first; the contents follow them
    ctx["toc_after_summary"] = True
    return ctx


class _Builder:
    def __init__(
        self,
        page: Page,
        name: str,
        coalitions: Sequence[CoalitionData],
        scored: Mapping[str, Mapping[int, RoundScores]],
        programme: ProgrammeScores,
        changes: Mapping[str, RoundChange],
        round_number: int | None,
        previous: Mapping[str, RoundChange] | None = None,
    ) -> None:
        self.page = page
        self.lang = page.lang
        self.name = name
        self.coalitions = coalitions
        self.scored = scored
        self.programme = programme
        self.changes = changes
        self.previous = previous if previous is not None else changes
        self.round_number = round_number
        self.by_slug = {c.slug: c for c in coalitions}
        chosen = {c.coalition: c.round for c in programme.coalitions}
        #: the round of each coalition the programme view uses
        self.chosen = chosen
        first = next(c for c in coalitions if c.slug in chosen)
        self.instrument: Instrument = first.round(chosen[first.slug]).instrument
        self.dim_ids = [d.id for d in programme.dimensions]
        self.numbers = sorted({n for rounds in scored.values() for n in rounds})

    def dim_label(self, dim_id: str) -> str:
        return dimension_label(self.instrument, dim_id, self.lang)

    def current(self, slug: str) -> RoundScores | None:
        number = self.chosen.get(slug)
        return None if number is None else self.scored[slug][number]

    def _privacy(self, slug: str) -> PrivacySettings | None:
        """The thresholds of the round the programme view uses for a coalition."""
        scored = self.current(slug)
        return None if scored is None else scored.privacy

    # -- sections --------------------------------------------------------------------
    def summary(self) -> dict[str, Any]:
        """The first page: the facts in one line, the programme per dimension, the flags."""
        page = self.page
        section = page.section("sec_findings", "summary")
        shown = [self.current(c.slug) for c in self.coalitions if c.slug in self.chosen]
        rounds = [s for s in shown if s is not None]
        # a hidden round's count is a small group: it stays out of the totals, or the
        # totals minus the shown counts would give it back
        counted = [s for s in rounds if not s.count_hidden]
        responses = sum(s.n_responses or 0 for s in counted)
        with_rate = [s for s in counted if s.invited and s.response_rate is not None]
        invited = sum(s.invited or 0 for s in with_rate)
        answered_invited = sum(s.n_responses or 0 for s in with_rate)
        round_words = (
            page.say("round_n", n=self.round_number).lower()
            if self.round_number is not None
            else page.w["programme_latest"].lower()
        )
        if invited:
            facts = page.say(
                "programme_summary",
                count=len(rounds),
                responses=responses,
                round_words=round_words,
                rate=page.pct(answered_invited / invited),
            )
        else:
            facts = page.say(
                "programme_summary_norate",
                count=len(rounds),
                responses=responses,
                round_words=round_words,
            )
        hidden = [s for s in rounds if s.suppressed]
        limits = limits_of(rounds[0].privacy if rounds else None)
        if len(counted) < len(rounds):
            facts += " " + page.say("programme_not_counted", min=limits["min"])
        flags = self.flags(limits["min"])
        return {
            "section": section,
            "facts": facts,
            "hidden": page.say("programme_hidden", count=len(hidden), min=limits["min"])
            if hidden
            else "",
            "intro": page.w["findings_intro"],
            "findings": self.findings(),
            "flags": flags[:FLAGS_SHOWN],
            "flags_more": page.say("flags_more", count=len(flags) - FLAGS_SHOWN)
            if len(flags) > FLAGS_SHOWN
            else "",
            "flags_none": "" if flags else page.w["flags_none"],
        }

    def findings(self) -> dict[str, Any]:
        """Per dimension: the programme's score and how many coalitions changed, and how."""
        page = self.page
        two_baselines = any(len(c.rounds) >= 3 for c in self.coalitions)
        head = [page.w["findings_dimension"], page.w["findings_score"]]
        head.append(page.w["since_first"] if two_baselines else page.w["since_first_and_previous"])
        if two_baselines:
            head.append(page.w["since_previous"])
        rows = []
        for dim in self.programme.dimensions:
            row: dict[str, Any] = {"label": self.dim_label(dim.id)}
            row["bar"] = score_bar(dim)
            if dim.mean is None:
                row["score"] = page.w["told_apart_unknown"]
            else:
                row["score"] = (
                    f"{page.num(dim.mean)} ({page.num(dim.ci_low)}\u2013{page.num(dim.ci_high)})"
                )
            row["tallies"] = [self.tally(self.changes, dim.id)]
            if two_baselines:
                row["tallies"].append(self.tally(self.previous, dim.id))
            rows.append(row)
        return {
            "title": page.w["findings_title"],
            "head": head,
            "rows": rows,
            "legend": page.w["tally_legend"],
            "note": page.w["programme_score_note"],
        }

    def tally(self, changes: Mapping[str, RoundChange], dim_id: str) -> list[dict[str, Any]]:
        """How many coalitions fall in each change group on one dimension (zeros left out)."""
        counts = dict.fromkeys(CHANGE_GROUPS, 0)
        for c in self.coalitions:
            change = changes.get(c.slug)
            found = change.find(dim_id) if change else None
            if found is not None:
                counts[found.group] += 1
        out = [
            {
                "group": group,
                "glyph": CHANGE_GROUPS[group][0],
                "cls": CHANGE_GROUPS[group][1],
                "count": count,
                "label": self.page.w[f"tally_{group}"],
            }
            for group, count in counts.items()
            if count
        ]
        if not out:
            out.append(
                {
                    "group": "untested",
                    "glyph": "",
                    "cls": "v-few",
                    "count": "",
                    "label": self.page.w["tally_zero"],
                }
            )
        return out

    def flags(self, minimum: int) -> list[str]:
        """Plain points worth a conversation, the most serious first.

        A decline, a gap between residents and professionals that grew since the first
        round (:meth:`~surveycoal.scoring.RoundScores.gaps_grown_since`), a response rate
        below half, and rounds hidden because too few
        answered: each read from what scoring decided, never decided again here.
        """
        page = self.page
        declines, gaps, rates, hidden = [], [], [], []
        for c in self.coalitions:
            first_round = c.rounds[0].round
            for baseline, changes in ((None, self.previous), (first_round, self.changes)):
                change = changes.get(c.slug)
                if change is None:
                    continue
                dims = [
                    self.dim_label(x.dimension) for x in change.changes if x.group == "declined"
                ]
                if dims:
                    declines.append(
                        page.say(
                            "flag_declined",
                            name=c.name,
                            dims=", ".join(dims),
                            n=change.from_round if baseline is None else baseline,
                        )
                    )
                    break  # one line a coalition: the nearest baseline that shows it
            latest = self.scored[c.slug][c.rounds[-1].round]
            first = self.scored[c.slug][first_round]
            if len(c.rounds) >= 2:
                grew = [self.dim_label(d) for d in latest.gaps_grown_since(first)]
                if grew:
                    gaps.append(
                        page.say("flag_gap", name=c.name, dims=", ".join(grew), n=first_round)
                    )
            rate = latest.response_rate
            if not latest.count_hidden and rate is not None and rate < LOW_RESPONSE_RATE:
                rates.append(
                    page.say("flag_rate", name=c.name, n=latest.round, rate=page.pct(rate))
                )
            small = [
                str(number)
                for number, scored in sorted(self.scored[c.slug].items())
                if scored.count_hidden
            ]
            if len(small) == 1:
                hidden.append(page.say("flag_hidden", name=c.name, n=small[0], min=minimum))
            elif small:
                rounds = f"{', '.join(small[:-1])} {page.w['and_word']} {small[-1]}"
                hidden.append(page.say("flag_hidden_many", name=c.name, rounds=rounds, min=minimum))
        return declines + gaps + rates + hidden

    def measurement(self) -> dict[str, Any]:
        """Whether coalitions can be told apart (ICC(2)), in plain words, for the methods."""
        page = self.page
        apart: list[str] = []
        not_apart: list[str] = []
        values: list[str] = []
        unknown = False
        for dim in self.programme.dimensions:
            name = self.dim_label(dim.id)
            if dim.icc is None or dim.icc.icc2 is None or not math.isfinite(dim.icc.icc2):
                unknown = True
                continue
            values.append(f"{name} {page.coefficient(dim.icc.icc2)}")
            (apart if dim.icc.can_be_told_apart else not_apart).append(name)
        lines = []
        if apart:
            lines.append(page.say("measurement_apart", dims=", ".join(apart)))
        if not_apart:
            lines.append(page.say("measurement_not_apart", dims=", ".join(not_apart)))
        if unknown:
            lines.append(page.w["told_apart_unknown"])
        if values:
            lines.append(page.say("measurement_icc", values="; ".join(values)))
        return {"title": page.w["measurement_title"], "lines": lines}

    def heatmaps(self) -> dict[str, Any]:
        page = self.page
        section = page.section("sec_heatmap", "heatmap")
        columns = [self.dim_label(d) for d in self.dim_ids]
        figures: list[dict[str, Any]] = []
        for number in sorted(self.numbers, reverse=True):
            # the latest round as a chart; earlier rounds as their numbers (the change
            # section shows how they moved)
            latest = not figures
            rows, table_rows = [], []
            for c in self.coalitions:
                scored = self.scored[c.slug].get(number)
                cells = []
                row = [page.cell(c.name)]
                for dim_id in self.dim_ids:
                    dim = scored.find(dim_id) if scored else None
                    limits = limits_of(scored.privacy) if scored else None
                    if scored is None or dim is None:
                        cells.append(
                            HeatCell(
                                None,
                                hidden=True,
                                hidden_text=page.w["reason_not_in_round"],
                                reason="not_in_round",
                            )
                        )
                        row.append(page.hidden("not_in_round", limits))
                    elif dim.suppressed:
                        cells.append(
                            HeatCell(
                                None,
                                hidden=True,
                                hidden_text=page.w["hidden_short"],
                                reason=dim.suppressed_reason,
                            )
                        )
                        row.append(page.hidden(dim.suppressed_reason, limits))
                    else:
                        mean, low, high = interval_of(dim) or (math.nan, math.nan, math.nan)
                        half = max(high - mean, mean - low)
                        cells.append(
                            HeatCell(
                                dim.mean, text=page.num(dim.mean), sub=f"\u00b1{page.num(half)}"
                            )
                        )
                        row.append(page.score_cell(dim.mean, dim.ci_low, dim.ci_high, short=True))
                rows.append((c.name, cells))
                table_rows.append(row)
            min_group = next(
                (
                    limits_of(s.privacy)["min"]
                    for s in (self.scored[c.slug].get(number) for c in self.coalitions)
                    if s
                ),
                5,
            )
            chart = heatmap_chart(
                page.chart_id(),
                page.say("heatmap_title", n=number),
                page.say("heatmap_desc", rows=len(rows), cols=len(columns)),
                columns,
                rows,
                legend_hidden=page.reason(
                    "below_minimum", {"min": min_group, "min_items": 10, "min_text": 10}
                ),
                row_hidden_texts={
                    code: page.reason(code, {"min": min_group, "min_items": 10, "min_text": 10})
                    for code in ("below_minimum", "no_responses", "not_in_round", "complementary")
                },
            )
            figures.append(
                {
                    "id": f"fig-heatmap-{number}",
                    "caption": page.say("heatmap_title", n=number)
                    if latest
                    else page.say("heatmap_table_title", n=number),
                    "charts": [chart] if latest else [],
                    "table": {
                        "caption": page.w["numbers_behind"]
                        if latest
                        else page.say("heatmap_table_title", n=number),
                        "head": [page.w["coalition_word"]] + columns,
                        "rows": table_rows,
                    },
                    "grid": False,
                    "note": ""
                    if not latest
                    else " ".join(
                        [page.w["heat_margin_note"]]
                        + (
                            [page.w["hidden_legend"]]
                            if any(cell.hidden for _, cells in rows for cell in cells)
                            else []
                        )
                    ),
                }
            )
        return {"section": section, "figures": figures}

    def change(self) -> dict[str, Any]:
        page = self.page
        section = page.section("sec_change", "change")
        charts = []
        codes: list[str] = []
        table_rows: list[list[dict[str, Any]]] = []
        shown: list[DimensionChange] = []
        for c in self.coalitions:
            change = self.changes.get(c.slug)
            label = c.name
            if change is not None:
                label = f"{c.name} ({page.w['round_short'].format(n=change.from_round)}\u2192{page.w['round_short'].format(n=change.to_round)})"
            row = [page.cell(label)]
            limits = limits_of(self.scored[c.slug][c.rounds[-1].round].privacy)
            for dim_id in self.dim_ids:
                found = None
                if change is not None:
                    found = change.find(dim_id)
                if found is None:
                    row.append(page.hidden("one_round", limits))
                elif found.suppressed:
                    row.append(page.hidden(found.suppressed_reason, limits))
                elif found.diff is None or found.ci_low is None:
                    row.append(page.verdict_cell(found.verdict))
                else:
                    cell = page.verdict_cell(found.verdict)
                    mark = f" {page.w['holm_mark']}" if found.marked else ""
                    cell["text"] = (
                        f"{cell['text'].split(' ', 1)[0]} {page.signed(found.diff)} "
                        f"({page.ci(found.ci_low, found.ci_high, signed=True)}){mark}"
                    )
                    row.append(cell)
                if found is not None:
                    codes.append(found.verdict)
                    shown.append(found)
            table_rows.append(row)
        panels: list[tuple[str, list[tuple[str, DimensionChange]]]] = []
        for dim_id in self.dim_ids:
            rows = []
            for c in self.coalitions:
                change = self.changes.get(c.slug)
                found = change.find(dim_id) if change is not None else None
                rows.append((c.name, found or DimensionChange.untested(dim_id, "one_round")))
            panels.append((dim_id, rows))
        limits = next(
            limits_of(s.privacy) for s in (self.current(c.slug) for c in self.coalitions) if s
        )
        # small multiples share one scale, so a wide bar is wide in every panel
        extent = diff_extent([r for _, rows in panels for _, r in rows], page.mid)
        widest = text_width(f"\u25bc {page.signed(-extent)}", PHONE_SMALL)
        for dim_id, rows in panels:
            name = self.dim_label(dim_id)
            charts.append(
                difference_chart(
                    page,
                    page.say("change_title", dimension=name),
                    page.w["change_desc"],
                    rows,
                    limits,
                    compact=True,
                    heading=name,
                    width=480,
                    extent=extent,
                    right_width=widest,
                )
            )
        return {
            "section": section,
            "intro": page.say("verdict_rules", mid=page.num(page.mid)),
            "figure": {
                "id": "fig-change",
                "caption": page.w["sec_change"],
                "charts": charts,
                "table": {
                    "caption": page.w["numbers_behind"],
                    "head": [page.w["coalition_word"]] + [self.dim_label(d) for d in self.dim_ids],
                    "rows": table_rows,
                },
                "grid": "wide",
                "note": " ".join(
                    t
                    for t in (
                        page.verdict_legend(sorted(set(codes), key=VERDICT_ORDER.index)),
                        page.holm_footnote(shown),
                        page.w["purged_note"] if any_purged(self.changes.values()) else "",
                    )
                    if t
                ),
            },
        }

    def equality(self) -> dict[str, Any]:
        page = self.page
        section = page.section("sec_ei", "equality")
        rows, table_rows = [], []
        with_ci = False
        for c in self.coalitions:
            scored = self.current(c.slug)
            if scored is None:
                continue
            limits = limits_of(scored.privacy)
            per_dim = []
            row = [page.cell(c.name)]
            for dim_id in self.dim_ids:
                dim = scored.find(dim_id)
                gap = dim.gap if dim else None
                if gap is None:
                    reason = (dim.gap_reason or dim.suppressed_reason) if dim else "no_responses"
                    row.append(page.hidden(reason, limits))
                else:
                    per_dim.append(gap.equality_index)
                    row.append(
                        page.score_cell(
                            gap.equality_index, gap.ei_ci_low, gap.ei_ci_high, short=True
                        )
                    )
            overall = scored.equality_index
            if overall is None:
                reason = scored.equality_index_reason or "part_below_minimum"
                rows.append(
                    Row(
                        c.name,
                        [
                            Mark(
                                "s-ei",
                                hidden=True,
                                hidden_text=page.mark_reason(reason, limits),
                                reason=reason,
                            )
                        ],
                    )
                )
                row.append(page.hidden(reason, limits))
            else:
                # the mean's own interval when scoring gives one; never the span of the
                # dimensions' intervals, which would read as the mean's precision
                low, high = scored.equality_index_ci_low, scored.equality_index_ci_high
                interval = low is not None and high is not None
                with_ci = with_ci or interval
                text = page.num(overall)
                if interval:
                    text += f" ({page.num(low)}\u2013{page.num(high)})"
                rows.append(
                    Row(c.name, [Mark("s-ei", overall, low, high, extra=per_dim)], right=text)
                )
                row.append(page.cell(text))
            table_rows.append(row)
        chart = interval_chart(
            page.chart_id(),
            page.w["ei_across_title"],
            page.say("ei_across_desc", count=len(rows)),
            rows,
            ref=None,
            compact=True,
            legend=[
                {"label": page.w["ei_mean"], "series": "s-ei", "shape": "circle"},
            ],
        )
        return {
            "section": section,
            "intro": page.w["equality_intro"],
            "figure": {
                "id": "fig-ei",
                "caption": page.w["ei_across_title"],
                "charts": [chart],
                "table": {
                    "caption": page.w["numbers_behind"],
                    "head": [page.w["coalition_word"]]
                    + [self.dim_label(d) for d in self.dim_ids]
                    + [page.w["ei_mean_ci" if with_ci else "ei_mean_head"]],
                    "rows": table_rows,
                },
                "grid": False,
                "note": page.w["ei_ci_note" if with_ci else "ei_dots_note"],
            },
        }

    def funnels(self) -> dict[str, Any]:
        """One figure: a small funnel plot per dimension, on one scale, and one table."""
        page = self.page
        section = page.section("sec_funnel", "funnels")
        short = short_names({c.slug: c.name for c in self.coalitions})
        order = {c.slug: k for k, c in enumerate(self.coalitions)}
        panels = []
        for dim in self.programme.dimensions:
            rows = sorted(dim.coalitions, key=lambda r: order.get(r.coalition, 0))
            points = [
                FunnelPoint(
                    short.get(r.coalition, r.coalition),
                    r.n,
                    r.mean,
                    r.position998,
                    r.position95 or "within",
                )
                for r in rows
                if r.n is not None and r.mean is not None and r.position998 is not None
            ]
            if dim.centre is not None and dim.sigma is not None and points:
                panels.append((dim, dim.centre, dim.sigma, points))
        x_max, y_domain = funnel_domain(
            [(points, centre, sigma, dim.tau2 or 0.0) for dim, centre, sigma, points in panels]
        )
        charts, unlabelled, notes = [], 0, []
        for dim, centre, sigma, points in panels:
            name = self.dim_label(dim.id)
            chart = funnel_chart(
                page.chart_id(),
                page.say("funnel_title", dimension=name),
                page.w["funnels_desc"],
                points,
                centre=centre,
                sigma=sigma,
                tau2=dim.tau2 or 0.0,
                centre_label=page.say("funnel_centre", centre=page.num(centre)),
                width=340,
                height=250,
                heading=name,
                x_max=x_max,
                y_domain=y_domain,
                x_title=page.w["funnel_axis_x"],
                y_title=page.w["funnel_axis_y"],
            )
            charts.append(chart)
            unlabelled += chart["unlabelled"]
            if dim.tau2:
                notes.append(name)
        note = page.w["funnel_note"]
        if notes:
            note += " " + page.say("overdispersion_on", dims=", ".join(notes))
        if unlabelled:
            note += " " + page.w["funnel_unlabelled"]
        return {
            "section": section,
            "intro": page.w["funnel_explain"],
            "no_league": page.w["no_league"],
            "figure": {
                "id": "fig-funnels",
                "caption": page.w["funnels_title"],
                "charts": charts,
                "table": self.funnel_table(),
                "grid": "funnel",
                "note": note,
            }
            if charts
            else None,
            "without_chart": [] if charts else [self.funnel_table()],
        }

    def funnel_table(self) -> dict[str, Any]:
        """Per coalition and dimension: the score and whether it falls inside the limits."""
        page = self.page
        by_dim = {d.id: {r.coalition: r for r in d.coalitions} for d in self.programme.dimensions}
        rows = []
        for c in self.coalitions:
            if c.slug not in self.chosen:
                continue
            scored = self.scored[c.slug][self.chosen[c.slug]]
            limits = limits_of(scored.privacy)
            row = [page.cell(c.name)]
            for dim_id in self.dim_ids:
                r = by_dim[dim_id].get(c.slug)
                if r is None or r.suppressed:
                    row.append(page.hidden(r.suppressed_reason if r else None, limits))
                    continue
                where = (
                    page.w.get(f"where_{r.position998}", page.w["dash"])
                    if r.position998
                    else page.w["dash"]
                )
                row.append(page.cell(f"{page.num(r.mean)} (n {r.n}): {where}", "text"))
            rows.append(row)
        return {
            "caption": page.w["funnel_table_title"],
            "head": [page.w["coalition_word"]] + [self.dim_label(d) for d in self.dim_ids],
            "rows": rows,
        }

    def participation(self) -> dict[str, Any]:
        page = self.page
        section = page.section("sec_participation", "participation")
        rows = []
        for c in self.coalitions:
            row = [page.cell(c.name)]
            for number in self.numbers:
                scored = self.scored[c.slug].get(number)
                if scored is None:
                    row.append(page.cell(page.w["dash"]))
                elif scored.count_hidden:
                    row.append(page.hidden(scored.suppressed_reason, limits_of(scored.privacy)))
                elif scored.response_rate is not None:
                    row.append(
                        page.cell(f"{scored.n_responses} ({page.pct(scored.response_rate)})")
                    )
                else:
                    row.append(page.cell(str(scored.n_responses)))
            latest = self.scored[c.slug][c.rounds[-1].round]
            limits = limits_of(latest.privacy)
            shown = [d for d in latest.dimensions if not d.suppressed]
            if shown:
                dks = [d.dont_know for d in shown if d.dont_know is not None]
                row.append(page.cell(page.pct(sum(dks) / len(dks)) if dks else page.w["dash"]))
                row.append(page.cell(self.flag_text(c, shown) or page.w["dash"], "text"))
            else:
                row += page.hidden_run(latest.suppressed_reason, limits, 2)
            rows.append(row)
        return {
            "section": section,
            "table": {
                "caption": page.w["participation_title"],
                "head": [page.w["coalition_word"]]
                + [page.say("round_n", n=n) for n in self.numbers]
                + [page.w["quality_dk"], page.w["quality_flags"]],
                "rows": rows,
            },
            "rules": [
                page.say(
                    "rule_min_group",
                    min=limits_of(self._privacy(self.coalitions[0].slug))["min"],
                ),
                page.w["rule_complementary"],
            ],
            "methods": page.w["methods_intro"],
            "measurement": self.measurement(),
            "glossary": glossary(page),
            "ci_explain": page.w["ci_explain"],
        }

    def flag_text(self, coalition: CoalitionData, shown: Sequence[DimensionScore]) -> str:
        """Reliability notes with the dimensions they concern: "questionable (Trust, Goal)"."""
        instrument = coalition.rounds[-1].instrument
        by_flag: dict[str, list[str]] = {}
        for d in shown:
            for flag in d.alpha_flags:
                if flag == "imprecise" and d.alpha_source == "pooled":
                    continue  # the pooled alpha is not imprecise
                name = dimension_label(instrument, d.id, self.lang)
                by_flag.setdefault(flag, []).append(name)
        return "; ".join(
            self.page.say(
                "flag_dims", flag=self.page.w.get(f"flag_{flag}", flag), dims=", ".join(names)
            )
            for flag, names in by_flag.items()
        )

    def pages(self) -> dict[str, Any]:
        page = self.page
        section = page.section("sec_coalitions", "coalitions")
        out = []
        for c in self.coalitions:
            shown: list[DimensionChange] = []
            latest = self.scored[c.slug][c.rounds[-1].round]
            limits = limits_of(latest.privacy)
            instrument = c.rounds[-1].instrument
            # the same two baselines as the findings: the previous round and the first
            two_baselines = len(c.rounds) >= 3
            columns = 3 if two_baselines else 2
            rows, table_rows = [], []
            for dim in latest.dimensions:
                name = dimension_label(instrument, dim.id, self.lang)
                if dim.suppressed:
                    text = page.mark_reason(dim.suppressed_reason, limits)
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
                        [
                            page.cell(name),
                            *page.hidden_run(dim.suppressed_reason, limits, columns),
                        ]
                    )
                    continue
                rows.append(
                    Row(
                        name,
                        [Mark("s-score", dim.mean, dim.ci_low, dim.ci_high)],
                        right=f"{page.num(dim.mean)} ({page.num(dim.ci_low)}\u2013{page.num(dim.ci_high)})",
                    )
                )
                cells = [self.change_cell(self.changes, c.slug, dim.id, limits, shown)]
                if two_baselines:
                    cells.insert(0, self.change_cell(self.previous, c.slug, dim.id, limits, shown))
                table_rows.append(
                    [
                        page.cell(name),
                        page.score_cell(dim.mean, dim.ci_low, dim.ci_high),
                        *cells,
                    ]
                )
            chart = interval_chart(
                page.chart_id(),
                page.say("mini_profile_title", name=c.name, n=latest.round),
                page.say("profile_desc", count=len(rows)),
                rows,
                compact=True,
                ref_label=page.w["neutral_mark"],
            )
            change = self.changes.get(c.slug)
            response = page.responses(latest)
            readings = [n.text for n in c.readings if n.round == latest.round]
            out.append(
                {
                    "id": f"coalition-{c.slug}",
                    "name": c.name,
                    "round_text": page.say("coalition_page_round", n=latest.round),
                    "response": response,
                    "hidden": page.say("hidden_round", min=limits["min"])
                    if latest.suppressed
                    else "",
                    "equality": page.equality_overall(latest, limits),
                    "figure": {
                        "id": f"fig-page-{c.slug}",
                        "caption": page.say("mini_profile_title", name=c.name, n=latest.round),
                        "charts": [chart],
                        "table": {
                            "caption": page.w["numbers_behind"],
                            "head": [
                                page.w["dimension"],
                                f"{page.w['mean_word']} ({page.w['ci_short']})",
                                *(
                                    [
                                        page.say(
                                            "page_changes_prev", n=self.previous[c.slug].from_round
                                        )
                                    ]
                                    if two_baselines
                                    else []
                                ),
                                page.say("page_changes", n=change.from_round)
                                if change
                                else page.w["verdict"],
                            ],
                            "rows": table_rows,
                        },
                        "grid": False,
                        "note": page.holm_footnote(shown),
                    },
                    "readings": readings,
                }
            )
        return {"section": section, "coalitions": out}

    def change_cell(
        self,
        changes: Mapping[str, RoundChange],
        slug: str,
        dim_id: str,
        limits: Mapping[str, int],
        shown: list[DimensionChange],
    ) -> dict[str, Any]:
        """One coalition's change on one dimension: verdict, change and its range."""
        page = self.page
        change = changes.get(slug)
        found = change.find(dim_id) if change else None
        if found is None:
            return page.cell(page.w["dash"])
        if found.suppressed:
            return page.hidden(found.suppressed_reason, limits)
        verdict = page.verdict_cell(found.verdict)
        if found.diff is not None and found.ci_low is not None:
            verdict["text"] += (
                f" ({page.signed(found.diff)}; {page.ci(found.ci_low, found.ci_high, signed=True)})"
            )
            if found.marked:
                verdict["text"] += f" {page.w['holm_mark']}"
                shown.append(found)
        return verdict


def short_names(names: Mapping[str, str]) -> dict[str, str]:
    """Names short enough to write beside a point: the first word where that is unique.

    >>> short_names({"a": "Brugwijk Bloeit", "b": "Klein Rietveld", "c": "Klein Oost"})
    {'a': 'Brugwijk', 'b': 'Klein Rietveld', 'c': 'Klein Oost'}
    """
    first = {slug: name.split()[0] if name.split() else name for slug, name in names.items()}
    counts: dict[str, int] = {}
    for word in first.values():
        counts[word.casefold()] = counts.get(word.casefold(), 0) + 1
    out = {}
    for slug, name in names.items():
        word = first[slug]
        out[slug] = word if counts[word.casefold()] == 1 and len(word) >= 4 else name
    return out
