"""Chart geometry: where every dot, bar and label of a report's SVG charts goes.

The functions here turn figures into plain dicts of coordinates; the macros in
``reports/_macros/charts.html.j2`` draw them. Nothing here formats numbers for
reading (the context builders do that) and nothing here draws: a template author
can restyle every chart without touching Python.

Every chart dict has ``id`` (unique within a report: the macros derive the ids of
its title, description and hatch pattern from it), ``kind``, ``width``,
``height``, ``title`` and ``desc``.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

#: viewBox width of a full-width chart.
WIDTH = 560
FONT = 14
SMALL = 12
#: On a phone a chart is drawn at about 0.65 of its size, and the stylesheet enlarges
#: its text to stay readable; labels are wrapped for these larger sizes so they fit both.
PHONE_FONT = 20
PHONE_SMALL = 18
CHAR = 0.56  # average glyph width as a share of the font size (system sans-serif)
PAD = 16

#: viridis at eleven stops: dark purple (low) to yellow (high), readable in grey and
#: for the common kinds of colour blindness.
_VIRIDIS = (
    (68, 1, 84),
    (72, 36, 117),
    (65, 68, 135),
    (53, 95, 141),
    (42, 120, 142),
    (33, 145, 140),
    (34, 168, 132),
    (68, 191, 112),
    (122, 209, 81),
    (189, 223, 38),
    (253, 231, 37),
)


def text_width(text: str, size: float = FONT) -> float:
    """A rough width of ``text`` in viewBox units."""
    return len(text) * size * CHAR


def wrap(text: str, width: float, size: float = FONT, max_lines: int = 4) -> list[str]:
    """Break ``text`` into lines that fit ``width`` units; the last line ends in "..." if cut."""
    chars = max(8, int(width / (size * CHAR)))
    # words stay whole: a word longer than the line gets a line of its own
    lines = textwrap.wrap(text, chars, break_long_words=False) or [""]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: max(1, chars - 3)].rstrip() + "..."
    return lines


def viridis(value: float) -> str:
    """The colour of a 0-100 score as ``#rrggbb``."""
    t = min(1.0, max(0.0, value / 100.0)) * (len(_VIRIDIS) - 1)
    i = min(int(t), len(_VIRIDIS) - 2)
    f = t - i
    a, b = _VIRIDIS[i], _VIRIDIS[i + 1]
    r, g, bl = (round(a[k] + (b[k] - a[k]) * f) for k in range(3))
    return f"#{r:02x}{g:02x}{bl:02x}"


#: The heat map's one hue, from its palest (a score of 0) to its deepest (100). One
#: hue changing slowly: scores a few points apart, whose margins overlap, look alike
#: rather than worlds apart, as they would on a rainbow scale.
HEAT_LOW = (247, 251, 255)
HEAT_HIGH = (33, 102, 172)


def heat_fill(value: float) -> str:
    """The heat-map colour of a 0-100 score as ``#rrggbb``.

    >>> heat_fill(0), heat_fill(100)
    ('#f7fbff', '#2166ac')
    """
    t = min(1.0, max(0.0, value / 100.0))
    r, g, b = (round(lo + (hi - lo) * t) for lo, hi in zip(HEAT_LOW, HEAT_HIGH, strict=True))
    return f"#{r:02x}{g:02x}{b:02x}"


def ink_for(fill: str) -> str:
    """Black or white text, whichever reads better on ``fill``."""
    r, g, b = (int(fill[i : i + 2], 16) / 255 for i in (1, 3, 5))
    lum = 0.2126 * r**2.2 + 0.7152 * g**2.2 + 0.0722 * b**2.2
    return "ink-dark" if lum > 0.22 else "ink-light"


def nice_extent(values: Sequence[float | None], minimum: float = 10.0) -> float:
    """A round half-width for a scale centred on 0 that holds every value."""
    biggest = max([abs(v) for v in values if v is not None and math.isfinite(v)] + [minimum])
    for step in (10, 20, 25, 40, 50, 60, 80, 100):
        if biggest <= step:
            return float(step)
    return float(math.ceil(biggest / 50.0) * 50)


#: Tick step for each half-width :func:`nice_extent` gives: ticks fall on round numbers.
_TICK_STEP = {10.0: 5.0, 20.0: 10.0, 25.0: 10.0, 40.0: 20.0, 50.0: 25.0, 60.0: 30.0, 80.0: 40.0}


def diff_ticks(extent: float) -> list[float]:
    """Ticks on round numbers for a scale from -extent to +extent, 0 included.

    >>> diff_ticks(25.0)
    [-20.0, -10.0, 0.0, 10.0, 20.0]
    >>> diff_ticks(40.0)
    [-40.0, -20.0, 0.0, 20.0, 40.0]
    """
    step = _TICK_STEP.get(extent, extent / 2)
    count = int(extent // step)
    return [float(k * step) for k in range(-count, count + 1)]


def _scale(lo: float, hi: float, x0: float, x1: float) -> Callable[[float], float]:
    span = (hi - lo) or 1.0

    def at(value: float) -> float:
        clipped = min(hi, max(lo, value))
        return round(x0 + (clipped - lo) * (x1 - x0) / span, 2)

    return at


# -- dot-and-interval charts ----------------------------------------------------------


@dataclass
class Mark:
    """One value on a row: a dot with its interval, or a hidden cell.

    ``series`` names the CSS class (colour) and ``shape`` the symbol (circle,
    diamond, square, ring, up, down), so colour never carries meaning alone.
    """

    series: str
    value: float | None = None
    low: float | None = None
    high: float | None = None
    hidden: bool = False
    hidden_text: str = ""
    reason: str | None = None
    shape: str = "circle"
    extra: Sequence[float] = field(default_factory=tuple)


@dataclass
class Row:
    label: str
    marks: Sequence[Mark]
    right: str = ""
    right_class: str = ""


def interval_chart(
    chart_id: str,
    title: str,
    desc: str,
    rows: Sequence[Row],
    *,
    domain: tuple[float, float] = (0.0, 100.0),
    ticks: Sequence[float] | None = None,
    tick_labels: Sequence[str] | None = None,
    ref: float | None = 50.0,
    ref_label: str = "",
    legend: Sequence[dict[str, str]] = (),
    compact: bool = False,
    heading: str = "",
    width: int = WIDTH,
    right_width: float | None = None,
) -> dict[str, Any]:
    """Rows of dots with interval bars on one horizontal scale (profiles, gaps, changes).

    Each row has a label, an optional short text on the right, and one track per
    mark. By default the label is written (wrapped) above its tracks, which reads
    well at any width; ``compact`` puts the label (at most two lines) to the left of
    the track, for charts with many rows (coalitions of a programme).
    ``right_width`` reserves room for the texts on the right, so that charts shown
    side by side get tracks of the same length.
    """
    lo, hi = domain
    ticks = list(ticks) if ticks is not None else [lo + (hi - lo) * k / 4 for k in range(5)]
    labels = list(tick_labels) if tick_labels is not None else [f"{t:g}" for t in ticks]
    right_w = max([text_width(r.right, PHONE_SMALL) for r in rows] + [right_width or 0.0])
    if compact:
        label_w = min(190.0, width * 0.34)
        x0 = PAD + label_w + 8
        x1 = width - PAD - (right_w + 12 if right_w else 6)
    else:
        x0, x1 = PAD + 6, width - PAD - 6
    at = _scale(lo, hi, x0, x1)
    head_h = 26 if heading else 0
    top = PAD + head_h + (30 if legend else 4)
    y: float = top
    legend_items = []
    lx: float = PAD
    for item in legend:
        legend_items.append({**item, "x": lx, "y": PAD + head_h + 8})
        # spaced for the larger text a phone shows, so the entries never run together
        lx += 34 + text_width(item["label"], PHONE_SMALL)
    out_rows = []
    track_gap = 16 if compact else 20
    for row in rows:
        line_height = PHONE_FONT + 3
        if compact:
            # a long name takes two lines beside its track rather than being cut short
            lines = wrap(row.label, label_w, PHONE_SMALL, max_lines=2)
            line_height = PHONE_SMALL + 2
            half = max(12.0, len(lines) * line_height / 2)
            tracks_y = y + half
            label_x: float = PAD
            label_y: float = tracks_y + 4.5 - (len(lines) - 1) * line_height / 2
            right_x: float = width - PAD
        else:
            own_right = text_width(row.right, PHONE_SMALL) + 12 if row.right else 0
            lines = wrap(row.label, x1 - x0 - own_right, PHONE_FONT, max_lines=3)
            label_x, label_y, right_x = x0, y + FONT + 2, x1
            tracks_y = label_y + (len(lines) - 1) * (PHONE_FONT + 3) + 16
        marks = []
        for k, mark in enumerate(row.marks):
            ty = tracks_y + k * track_gap
            entry: dict[str, Any] = {
                "series": mark.series,
                "shape": mark.shape,
                "y": ty,
                "hidden": mark.hidden,
                "reason": mark.reason,
            }
            if mark.hidden or mark.value is None or not math.isfinite(mark.value):
                entry.update(
                    hidden=True, x=x0, w=x1 - x0, text=mark.hidden_text, text_x=(x0 + x1) / 2
                )
            else:
                low = mark.low if mark.low is not None else mark.value
                high = mark.high if mark.high is not None else mark.value
                entry.update(
                    x=at(mark.value),
                    x_low=at(low),
                    x_high=at(high),
                    extra=[at(v) for v in mark.extra],
                )
            marks.append(entry)
        out_rows.append(
            {
                "lines": lines,
                "full": row.label,
                "label_x": label_x,
                "label_y": label_y,
                "line_height": line_height,
                "right": row.right,
                "right_class": row.right_class,
                "right_x": right_x,
                "right_y": tracks_y + 4 if compact else label_y,
                "marks": marks,
                "track_x0": x0,
                "track_x1": x1,
            }
        )
        below = max(12.0, len(lines) * line_height / 2) if compact else 16.0
        height = (tracks_y - y) + (len(row.marks) - 1) * track_gap + below
        y += height + (2 if compact else 8)
    axis_y = y + 4
    return {
        "id": chart_id,
        "kind": "interval",
        "compact": compact,
        "title": title,
        "desc": desc,
        "width": width,
        "height": axis_y + (42 if ref is not None and ref_label else 26),
        "rows": out_rows,
        "legend": legend_items,
        "grid_top": top - 4,
        "axis_y": axis_y,
        "ticks": [{"x": at(t), "label": lab} for t, lab in zip(ticks, labels, strict=True)],
        "ref": None if ref is None else {"x": at(ref), "label": ref_label},
        "heading": heading,
        "heading_y": PAD + 8,
    }


# -- trends ---------------------------------------------------------------------------


@dataclass
class TrendPoint:
    round: int
    value: float | None
    low: float | None
    high: float | None
    label: str = ""
    hidden: bool = False
    reason: str | None = None


@dataclass
class TrendNote:
    number: int
    position: float  # in round units: 1.0 = round 1, 1.5 = halfway to round 2


def trend_chart(
    chart_id: str,
    title: str,
    desc: str,
    heading: str,
    points: Sequence[TrendPoint],
    notes: Sequence[TrendNote] = (),
    *,
    round_label: str = "R{n}",
    hidden_text: str = "",
    width: int = 300,
    height: int = 200,
) -> dict[str, Any]:
    """One dimension over the rounds: a line, a band for the intervals, notes as markers."""
    left, right, top, bottom = 34, 12, 46, 28
    rounds = [p.round for p in points]
    first, last = (min(rounds), max(rounds)) if rounds else (1, 1)
    lo_x, hi_x = first - 0.5, last + 0.5
    ax = _scale(lo_x, hi_x, left, width - right)
    ay = _scale(0.0, 100.0, height - bottom, top)
    step = (width - left - right) / max(1.0, hi_x - lo_x)
    runs: list[list[TrendPoint]] = []
    for p in sorted(points, key=lambda q: q.round):
        shown = not p.hidden and p.value is not None
        if shown and runs and runs[-1] and runs[-1][-1].round == p.round - 1:
            runs[-1].append(p)
        elif shown:
            runs.append([p])
    bands, lines = [], []
    for run in runs:
        upper = [(ax(p.round), ay(p.high if p.high is not None else p.value or 0)) for p in run]
        lower = [(ax(p.round), ay(p.low if p.low is not None else p.value or 0)) for p in run]
        if len(run) == 1:
            (x, yh), (_, yl) = upper[0], lower[0]
            half = min(10.0, step * 0.15)
            upper = [(x - half, yh), (x + half, yh)]
            lower = [(x - half, yl), (x + half, yl)]
        poly = upper + list(reversed(lower))
        bands.append(" ".join(f"{x:.1f},{y:.1f}" for x, y in poly))
        if len(run) > 1:
            lines.append(" ".join(f"{ax(p.round):.1f},{ay(p.value or 0):.1f}" for p in run))
    marks = []
    for p in points:
        if p.hidden or p.value is None:
            w = min(step * 0.7, 90.0)
            marks.append(
                {
                    "hidden": True,
                    "reason": p.reason,
                    "x": ax(p.round) - w / 2,
                    "w": w,
                    "cx": ax(p.round),
                    "y": top,
                    "h": height - bottom - top,
                    "text": hidden_text,
                }
            )
        else:
            y = ay(p.value)
            marks.append(
                {
                    "hidden": False,
                    "cx": ax(p.round),
                    "cy": y,
                    "label": p.label,
                    "label_y": y - 9 if y - 9 > top + 8 else y + 18,
                }
            )
    note_marks = [
        {"number": n.number, "x": ax(min(hi_x - 0.05, max(lo_x + 0.05, n.position)))} for n in notes
    ]
    return {
        "id": chart_id,
        "kind": "trend",
        "title": title,
        "desc": desc,
        "heading": heading,
        "width": width,
        "height": height,
        "left": left,
        "right": width - right,
        "top": top,
        "bottom": height - bottom,
        "y_ticks": [
            {"y": ay(v), "label": f"{v:g}", "major": v in (0, 50, 100)}
            for v in (0, 25, 50, 75, 100)
        ],
        "x_ticks": [{"x": ax(r), "label": round_label.format(n=r)} for r in range(first, last + 1)],
        "bands": bands,
        "lines": lines,
        "marks": marks,
        "notes": note_marks,
    }


# -- answers per statement ------------------------------------------------------------


@dataclass
class ItemBar:
    label: str
    disagree: float | None
    neutral: float | None
    agree: float | None
    dont_know: float | None
    hidden: bool = False
    hidden_text: str = ""
    reason: str | None = None
    texts: dict[str, str] = field(default_factory=dict)  # formatted shares, for the labels
    #: a reverse-keyed statement: disagreeing is the favourable answer, and is coloured so
    reverse: bool = False


#: The size a share is written in inside a bar on a phone (the stylesheet's), so a
#: share that fits there fits everywhere.
ITEM_SHARE_PHONE = 18.0
#: ... and on a wide screen, where the chart is drawn at about its own size.
ITEM_SHARE = 11.0


def item_chart(
    chart_id: str,
    title: str,
    desc: str,
    bars: Sequence[ItemBar],
    *,
    words: dict[str, str],
) -> dict[str, Any]:
    """Diverging stacked bars: disagree left of the centre, agree right, don't know apart.

    Each statement's text stands above its bar, clear of the centre, which is marked
    beside each bar rather than drawn through the text. A share is written in its
    segment only where it fits at the phone's text size. Colour says favourable
    (blue) or unfavourable (orange): on a reverse-keyed statement disagreeing is
    favourable. "Don't know" has a fill of its own, never the hatching of hidden cells.
    """
    dk_w = 80
    x0 = PAD
    x1 = WIDTH - PAD - dk_w - 24
    dk_x = x1 + 24
    centre = (x0 + x1) / 2
    half = (x1 - x0) / 2
    legend_y = PAD + 2
    y = PAD + 52
    rows = []
    for bar in bars:
        lines = wrap(bar.label, WIDTH - 2 * PAD, PHONE_SMALL + 2, max_lines=4)
        label_y = y + SMALL + 2
        bar_y = label_y + (len(lines) - 1) * (PHONE_SMALL + 6) + 12
        row: dict[str, Any] = {
            "lines": lines,
            "label_y": label_y,
            "line_height": PHONE_SMALL + 6,
            "bar_y": bar_y,
            "bar_h": 22,
            "hidden": bar.hidden,
            "reason": bar.reason,
        }
        if bar.hidden or bar.agree is None or bar.disagree is None or bar.neutral is None:
            row.update(hidden=True, x=x0, w=WIDTH - PAD - x0, text=bar.hidden_text)
        else:
            d, n, a = bar.disagree, bar.neutral, bar.agree
            tone = {"disagree": "good" if bar.reverse else "bad", "neutral": "mid"}
            tone["agree"] = "bad" if bar.reverse else "good"
            parts = [
                ("disagree", centre - (d + n / 2) * half, d * half),
                ("neutral", centre - n / 2 * half, n * half),
                ("agree", centre + n / 2 * half, a * half),
            ]
            segments = []
            for name, sx, sw in parts:
                text = bar.texts.get(name, "")
                # the text size is in the chart's own units, the same on every screen
                fits = sw >= text_width(text, ITEM_SHARE_PHONE) * 1.2 + 4  # bold digits run wide
                segments.append(
                    {
                        "band": name,
                        "tone": tone[name],
                        "x": round(sx, 2),
                        "w": round(max(0.0, sw), 2),
                        "text": text if fits else "",
                        "text_x": round(sx + sw / 2, 2),
                    }
                )
            dk = bar.dont_know or 0.0
            row.update(
                segments=segments,
                dk={
                    "x": dk_x,
                    "w": round(dk * dk_w, 2),
                    "text": bar.texts.get("dont_know", ""),
                    "text_x": dk_x + dk * dk_w + 4,
                },
            )
        rows.append(row)
        y = bar_y + 22 + 14
    legend = [
        {"tone": "good", "label": words["legend_good"]},
        {"tone": "mid", "label": words["neutral"]},
        {"tone": "bad", "label": words["legend_bad"]},
        {"tone": "dk", "label": words["dk_legend"]},
    ]
    return {
        "id": chart_id,
        "kind": "items",
        "title": title,
        "desc": desc,
        "width": WIDTH,
        "height": y + 4,
        "centre": centre,
        "x0": x0,
        "x1": x1,
        "dk_x": dk_x,
        "dk_w": dk_w,
        "head_y": PAD + 46,
        "legend_y": legend_y,
        "legend": _item_legend(legend),
        "rows": rows,
        "words": {k: words[k] for k in ("disagree", "neutral", "agree", "dont_know")},
    }


def _item_legend(items: Sequence[dict[str, str]]) -> list[dict[str, Any]]:
    """Swatches in one row, or two where one would not fit at the phone's text size."""
    out, x, y = [], float(PAD), 0.0
    for item in items:
        w = 22 + text_width(item["label"], ITEM_SHARE_PHONE) + 14
        if x + w > WIDTH - PAD and x > PAD:
            x, y = float(PAD), y + 24
        out.append({**item, "x": round(x, 1), "dy": y})
        x += w
    return out


# -- heat map -------------------------------------------------------------------------


@dataclass
class HeatCell:
    value: float | None
    text: str = ""
    sub: str = ""  # the uncertainty under the score, "±8": a colour alone looks exact
    hidden: bool = False
    hidden_text: str = ""
    reason: str | None = None


def heatmap_chart(
    chart_id: str,
    title: str,
    desc: str,
    columns: Sequence[str],
    rows: Sequence[tuple[str, Sequence[HeatCell]]],
    *,
    legend_hidden: str = "",
    row_hidden_texts: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Coalitions (rows) by dimensions (columns), coloured by score, each cell labelled.

    A row whose cells are all hidden for the same reason becomes one hatched bar
    with the reason in words (``row_hidden_texts``: reason code -> words).
    """
    width = WIDTH + 80
    label_w = 176
    row_h = 40 if any(c.sub for _, cells in rows for c in cells) else 28
    col_lines = [wrap(name, 190, SMALL, max_lines=1) for name in columns]
    longest = max([text_width(lines[0], SMALL) for lines in col_lines] + [20.0])
    top = round(16 + longest * 0.64 + 12)
    cell_w = (width - PAD - 90 - label_w) / max(1, len(columns))
    cols = [
        {"x": label_w + (k + 0.5) * cell_w, "lines": lines} for k, lines in enumerate(col_lines)
    ]
    out_rows = []
    for r, (name, cells) in enumerate(rows):
        y = top + r * row_h
        out_cells = []
        reasons = {cell.reason for cell in cells if cell.hidden or cell.value is None}
        all_hidden = bool(cells) and all(c.hidden or c.value is None for c in cells)
        if all_hidden and len(reasons) == 1 and row_hidden_texts:
            reason = next(iter(reasons))
            text = row_hidden_texts.get(reason or "", cells[0].hidden_text)
            out_cells.append(
                {
                    "x": label_w + 1,
                    "y": y + 1,
                    "w": round(cell_w * len(cells) - 2, 2),
                    "h": row_h - 2,
                    "hidden": True,
                    "reason": reason,
                    "text": text,
                    "size": 11.0,
                }
            )
        else:
            for k, cell in enumerate(cells):
                x = label_w + k * cell_w
                base: dict[str, Any] = {
                    "x": round(x + 1, 2),
                    "y": y + 1,
                    "w": round(cell_w - 2, 2),
                    "h": row_h - 2,
                    "cx": round(x + cell_w / 2, 2),
                }
                if cell.hidden or cell.value is None:
                    text = cell.hidden_text
                    size = min(10.0, (cell_w - 6) / max(1, len(text)) / CHAR)
                    out_cells.append(
                        {
                            **base,
                            "hidden": True,
                            "reason": cell.reason,
                            "text": text,
                            "size": round(size, 1),
                        }
                    )
                else:
                    fill = heat_fill(cell.value)
                    out_cells.append(
                        {
                            **base,
                            "hidden": False,
                            "fill": fill,
                            "ink": ink_for(fill),
                            "text": cell.text,
                            "sub": cell.sub,
                        }
                    )
        out_rows.append(
            {
                "label": wrap(name, label_w - 12, SMALL, max_lines=1)[0],
                "full": name,
                "y": y + row_h / 2 + 4,
                "cells": out_cells,
            }
        )
    bottom = top + len(rows) * row_h
    stops = [{"offset": f"{k * 10}%", "colour": heat_fill(k * 10)} for k in range(11)]
    return {
        "id": chart_id,
        "kind": "heatmap",
        "title": title,
        "desc": desc,
        "width": width,
        "height": bottom + 64,
        "label_w": label_w,
        "top": top,
        "columns": cols,
        "rows": out_rows,
        "legend_y": bottom + 22,
        "legend_x": label_w,
        "legend_w": 200,
        "stops": stops,
        "legend_hidden": legend_hidden,
    }


# -- funnel plot ----------------------------------------------------------------------


@dataclass
class FunnelPoint:
    key: str  # a letter that names the coalition in the table (letters, not ranks)
    n: int
    mean: float
    position: str  # "within", "above", "below" (99.8% limits)
    position95: str = "within"


#: Up to this many points every funnel point gets its letter (where there is room).
FUNNEL_ALL_LABELS = 12


#: Font size of a funnel point's name (viewBox units).
FUNNEL_LABEL = 11.5


def _funnel_labels(
    marks: list[dict[str, Any]],
    points: Sequence[FunnelPoint],
    area: tuple[float, float, float, float] = (0.0, 0.0, 1e9, 1e9),
    obstacles: Sequence[tuple[float, float, float, float]] = (),
) -> int:
    """Name points where the name covers no other name or point; returns how many got none.

    Each name is tried right of its point, then left, above and below, inside the
    plotting ``area`` (x0, y0, x1, y1). Points outside a limit come first; with many
    points only those are named, since a cloud of names names nothing. The table
    lists every coalition.
    """
    order = sorted(
        range(len(points)),
        key=lambda i: (points[i].position == "within" and points[i].position95 == "within", i),
    )
    dots = [(m["x"] - 7, m["y"] - 7, m["x"] + 7, m["y"] + 7) for m in marks]
    placed: list[tuple[float, float, float, float]] = list(obstacles)
    missing = 0

    def clear(box: tuple[float, float, float, float], own: int) -> bool:
        inside = area[0] <= box[0] and box[2] <= area[2] and area[1] <= box[1] and box[3] <= area[3]
        others = placed + [d for k, d in enumerate(dots) if k != own]
        return inside and all(
            box[2] < b[0] or b[2] < box[0] or box[3] < b[1] or b[3] < box[1] for b in others
        )

    for i in order:
        mark, point = marks[i], points[i]
        outside = point.position != "within" or point.position95 != "within"
        if not outside and len(points) > FUNNEL_ALL_LABELS:
            missing += 1
            continue
        w = text_width(point.key, FUNNEL_LABEL) * 1.15 + 3  # bold glyphs run wider
        h = FUNNEL_LABEL + 1
        x, y = mark["x"], mark["y"]
        candidates = (
            ("start", x + 9, y + 4, (x + 8, y - h / 2 - 1, x + 9 + w, y + h / 2)),
            ("end", x - 9, y + 4, (x - 9 - w, y - h / 2 - 1, x - 8, y + h / 2)),
            ("middle", x, y - 10, (x - w / 2, y - 10 - h + 2, x + w / 2, y - 8)),
            ("middle", x, y + 20, (x - w / 2, y + 9, x + w / 2, y + 9 + h)),
        )
        for anchor, lx, ly, box in candidates:
            if clear(box, i):
                placed.append(box)
                mark.update(label=point.key, label_x=round(lx, 1), label_y=round(ly, 1))
                mark["anchor"] = anchor
                break
        else:
            missing += 1
    return missing


def letter_key(index: int) -> str:
    """A, B, ..., Z, AA, AB, ...: keys for points that carry no order of merit.

    >>> [letter_key(k) for k in (0, 25, 26, 51)]
    ['A', 'Z', 'AA', 'AZ']
    """
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(ord("A") + rest) + out
    return out


def funnel_chart(
    chart_id: str,
    title: str,
    desc: str,
    points: Sequence[FunnelPoint],
    *,
    centre: float,
    sigma: float,
    tau2: float,
    centre_label: str,
    width: int = 480,
    height: int = 320,
    heading: str = "",
    x_max: float | None = None,
    y_domain: tuple[float, float] | None = None,
    x_title: str = "n",
    y_title: str = "",
) -> dict[str, Any]:
    """Scores against respondents with the programme centre and its 95%/99.8% limits.

    Panels shown side by side share ``x_max`` and ``y_domain`` (see
    :func:`funnel_domain`), so a point high in one panel is high in every panel.
    """
    left, right, top, bottom = 46, 14, 30 if heading else 18, 44
    n_max = max([p.n for p in points] + [10])
    x_hi = x_max or float(math.ceil(n_max * 1.1 / 5.0) * 5)
    x_lo = 0.0
    n_start = max(3.0, min(p.n for p in points) * 0.8) if points else 3.0
    grid = [n_start + (x_hi - n_start) * k / 60 for k in range(61)]
    from surveycoal.stats import funnel_limits

    #: (lower, upper) limits along the grid, by coverage.
    limits = {c: funnel_limits(centre, sigma, tau2, grid, c) for c in (0.95, 0.998)}

    if y_domain is None:
        outer = [float(side[0]) for side in limits[0.998]]
        values = [p.mean for p in points] + outer + [centre]
        y_lo, y_hi = _round_domain(values)
    else:
        y_lo, y_hi = y_domain
    ax = _scale(x_lo, x_hi, left, width - right)
    ay = _scale(y_lo, y_hi, height - bottom, top)

    def path(coverage: float, side: int) -> str:
        ys = limits[coverage][side]
        return "M" + " L".join(
            f"{ax(n):.1f},{ay(float(y)):.1f}" for n, y in zip(grid, ys, strict=True)
        )

    curves = [
        {"d": path(0.95, 1), "band": "l95"},
        {"d": path(0.95, 0), "band": "l95"},
        {"d": path(0.998, 1), "band": "l998"},
        {"d": path(0.998, 0), "band": "l998"},
    ]
    y_step = 10 if y_hi - y_lo <= 50 else 20
    first_tick = int(math.ceil(y_lo / y_step) * y_step)
    y_ticks = [{"y": ay(v), "label": f"{v:g}"} for v in range(first_tick, int(y_hi) + 1, y_step)]
    x_step = 10 if x_hi <= 60 else 20 if x_hi <= 120 else 50
    x_ticks = [{"x": ax(v), "label": f"{v:g}"} for v in range(0, int(x_hi) + 1, x_step)]
    shapes = {"above": "up", "below": "down"}
    marks: list[dict[str, Any]] = [
        {
            "x": ax(p.n),
            "y": ay(p.mean),
            "shape": shapes.get(p.position, "circle"),
            "position": p.position,
            "key": p.key,
            "label": "",
            "label_x": 0.0,
            "label_y": 0.0,
            "anchor": "start",
        }
        for p in points
    ]
    # the centre's label goes above its line at the right, or below where a point is
    cy = ay(centre)
    label_w = text_width(centre_label, 11) + 2
    above = (width - right - label_w, cy - 15, width - right, cy - 2)
    below = (width - right - label_w, cy + 2, width - right, cy + 15)
    dots = [
        (float(m["x"]) - 7, float(m["y"]) - 7, float(m["x"]) + 7, float(m["y"]) + 7) for m in marks
    ]

    def free(box: tuple[float, float, float, float]) -> bool:
        return all(box[2] < b[0] or b[2] < box[0] or box[3] < b[1] or b[3] < box[1] for b in dots)

    centre_box = above if free(above) or not free(below) else below
    centre_label_y = centre_box[3] - 3
    unlabelled = _funnel_labels(
        marks, points, (left + 2, top - 4, width - 2, height - bottom), [centre_box]
    )
    return {
        "id": chart_id,
        "kind": "funnel",
        "title": title,
        "desc": desc,
        "width": width,
        "height": height,
        "left": left,
        "right": width - right,
        "top": top,
        "bottom": height - bottom,
        "heading": heading,
        "centre_y": ay(centre),
        "centre_label": centre_label,
        "centre_label_y": round(centre_label_y, 1),
        "curves": curves,
        "x_ticks": x_ticks,
        "y_ticks": y_ticks,
        "x_title": x_title,
        "y_title": y_title,
        "marks": marks,
        "unlabelled": unlabelled,
    }


def _round_domain(values: Sequence[float]) -> tuple[float, float]:
    lo = max(0.0, math.floor(min(values) / 10.0) * 10)
    hi = min(100.0, math.ceil(max(values) / 10.0) * 10)
    if hi - lo < 20:
        lo, hi = max(0.0, lo - 10), min(100.0, hi + 10)
    return lo, hi


def funnel_domain(
    panels: Sequence[tuple[Sequence[FunnelPoint], float, float, float]],
) -> tuple[float, tuple[float, float]]:
    """One x maximum and y range for funnel panels drawn side by side.

    ``panels``: (points, centre, sigma, tau2) of each panel. The y range holds every
    point, centre and the outer limits at the smallest group, rounded to tens.
    """
    n_max = max([p.n for points, *_ in panels for p in points] + [10])
    x_max = float(math.ceil(n_max * 1.1 / 10.0) * 10)
    from surveycoal.stats import funnel_limits

    values: list[float] = []
    for points, centre, sigma, tau2 in panels:
        if not points:
            continue
        n_start = max(3.0, min(p.n for p in points) * 0.8)
        low, high = funnel_limits(centre, sigma, tau2, n_start, 0.998)
        values += [p.mean for p in points] + [float(low), float(high), centre]
    return x_max, _round_domain(values or [0.0, 100.0])
