"""What every report context shares: words, number formats, hidden cells, chart ids.

A :class:`Page` is made once per report. It hands out chart ids that are unique
within the report, formats numbers in the report's language, and builds table
cells, counting each hidden one so the methods section can say how many there are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from markupsafe import Markup

from surveycoal import __version__
from surveycoal.instruments import Instrument, PrivacySettings
from surveycoal.reports import words as W
from surveycoal.reports.charts import (
    WIDTH,
    Mark,
    Row,
    diff_ticks,
    interval_chart,
    nice_extent,
)
from surveycoal.scoring import DimensionChange, Gap, GroupDifference, RoundScores
from surveycoal.stats.constants import DEFAULT_MID

#: Verdict code -> (CSS class, symbol, chart shape). Colour is never the only signal:
#: each verdict also has a symbol, a shape in charts and its words.
VERDICT_STYLE: dict[str, tuple[str, str, str]] = {
    "improved": ("v-up", "\u25b2", "up"),
    "slightly_improved": ("v-up", "\u25b3", "up"),
    "higher": ("v-up", "\u25b2", "up"),
    "slightly_higher": ("v-up", "\u25b3", "up"),
    "declined": ("v-down", "\u25bc", "down"),
    "slightly_declined": ("v-down", "\u25bd", "down"),
    "lower": ("v-down", "\u25bc", "down"),
    "slightly_lower": ("v-down", "\u25bd", "down"),
    "possibly_improved": ("v-up v-possibly", "\u25b5", "up"),
    "possibly_higher": ("v-up v-possibly", "\u25b5", "up"),
    "possibly_declined": ("v-down v-possibly", "\u25bf", "down"),
    "possibly_lower": ("v-down v-possibly", "\u25bf", "down"),
    "no_detectable_change": ("v-none", "\u25cb", "ring"),
    "no_detectable_difference": ("v-none", "\u25cb", "ring"),
    "inconclusive": ("v-unclear", "?", "diamond"),
    "too_few": ("v-few", "\u2013", "square"),
}

#: Verdicts in the order a legend lists them.
VERDICT_ORDER = tuple(VERDICT_STYLE)

#: How a summary counts changes (:data:`surveycoal.scoring.VERDICT_GROUPS`, decided by
#: scoring): the symbol and CSS class of each group.
CHANGE_GROUPS: dict[str, tuple[str, str]] = {
    "improved": ("\u25b2", "v-up"),
    "possibly": ("\u25c7", "v-unclear"),
    "none": ("\u25cb", "v-none"),
    "declined": ("\u25bc", "v-down"),
    "untested": ("\u2013", "v-few"),
}

#: A result a verdict is shown for: a change between rounds or a difference between groups.
Tested = DimensionChange | GroupDifference


class Estimate(Protocol):
    """A score with its interval: a dimension, a member type, a coalition or a programme."""

    @property
    def mean(self) -> float | None: ...
    @property
    def ci_low(self) -> float | None: ...
    @property
    def ci_high(self) -> float | None: ...


def interval_of(found: Estimate | None) -> tuple[float, float, float] | None:
    """(mean, low, high) of a shown score; None when scoring hid or could not give them."""
    if found is None or found.mean is None or found.ci_low is None or found.ci_high is None:
        return None
    return found.mean, found.ci_low, found.ci_high


def score_bar(found: Estimate | None) -> dict[str, float] | None:
    """Where a score and its interval sit on the 0-100 bar of a card or a findings row."""
    shown = interval_of(found)
    if shown is None:
        return None
    mean, low, high = shown
    return {"low": round(low, 1), "width": round(max(0.8, high - low), 1), "mean": round(mean, 1)}


def limits_of(privacy: PrivacySettings | None = None) -> dict[str, int]:
    """A round's anonymity thresholds, named as the reason texts use them."""
    privacy = privacy or PrivacySettings()
    return {
        "min": privacy.min_group,
        "min_items": privacy.min_item_distribution,
        "min_text": privacy.min_free_text,
    }


#: The thresholds a round has unless it set others.
DEFAULT_LIMITS = limits_of()


@dataclass
class Page:
    """Per-report helpers: language, ids, number formats and hidden-cell bookkeeping."""

    lang: str
    mid: float = DEFAULT_MID
    hidden_cells: int = 0
    _next_id: int = 0
    toc: list[dict[str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.w = W.words(self.lang)

    # -- words -----------------------------------------------------------------------
    def say(self, key: str, **values: Any) -> str:
        return W.say(self.lang, key, **values)

    def section(self, key: str, anchor: str) -> dict[str, str]:
        """A section heading, also listed in the table of contents."""
        entry = {"id": anchor, "title": self.w[key], "number": str(len(self.toc) + 1)}
        self.toc.append(entry)
        return entry

    def chart_id(self, prefix: str = "c") -> str:
        self._next_id += 1
        return f"{prefix}{self._next_id}"

    # -- numbers ---------------------------------------------------------------------
    def num(self, value: float | None, digits: int = 0) -> str:
        return W.number(value, self.lang, digits)

    def signed(self, value: float | None, digits: int = 0) -> str:
        return W.signed(value, self.lang, digits)

    def points(self, diff: float | None) -> str:
        """A signed difference with its unit: "+1 point", "\u22128 points"."""
        text = self.signed(diff)
        one = text.lstrip("+\u2212") == "1"
        return f"{text} {self.w['point_one' if one else 'point_many']}"

    def pct(self, share: float | None) -> str:
        return W.percent(share, self.lang)

    def ci(self, low: float | None, high: float | None, *, signed: bool = False) -> str:
        fmt = self.signed if signed else self.num
        return self.say("ci_range", low=fmt(low), high=fmt(high))

    def date(self, value: dt.date | None) -> str:
        return W.date_text(value, self.lang) if value is not None else self.w["dash"]

    def verdict(self, code: str) -> str:
        return W.verdict_text(code, self.lang, self.mid)

    def verdict_short(self, code: str) -> str:
        return self.verdict(code).split(" (")[0].split(":")[0]

    def reason(self, reason: str | None, limits: Mapping[str, int] | None = None) -> str:
        return W.reason_text(reason, self.lang, limits or DEFAULT_LIMITS)

    def mark_reason(self, reason: str | None, limits: Mapping[str, int] | None = None) -> str:
        """What a hidden mark inside a chart says: one short word for every privacy reason.

        The whole phrase ("verborgen om de anonimiteit te beschermen") does not fit
        beside a row's label on a phone; the table behind each chart and the
        methods section give it in full.
        """
        if reason is None or reason in W.PRIVACY_REASONS:
            return self.w["hidden_short"]
        short = self.w.get(f"mark_{reason}")
        return short if short is not None else self.reason(reason, limits)

    def equality_overall(self, scored: RoundScores, limits: Mapping[str, int]) -> str:
        """The sentence on a round's mean equality index: with its own interval when the
        scores give one, or why it cannot be shown.

        Never the span of the dimensions' intervals: that says how far the dimensions lie
        apart, not how precisely their mean is known.
        """
        if scored.equality_index is None:
            return self.say(
                "equality_overall_hidden", reason=self.why(scored.equality_index_reason, limits)
            )
        low, high = scored.equality_index_ci_low, scored.equality_index_ci_high
        if low is None or high is None:
            return self.say("equality_overall", ei=self.num(scored.equality_index))
        return self.say(
            "equality_overall_ci", ei=self.num(scored.equality_index), range=self.ci(low, high)
        )

    def why(self, reason: str | None, limits: Mapping[str, int] | None = None) -> str:
        """The reason without its leading "hidden: ", for inside a sentence that says so."""
        text = self.reason(reason, limits)
        prefix = f"{self.w['hidden_short']}: "
        return text[len(prefix) :] if text.startswith(prefix) else text

    # -- table cells -----------------------------------------------------------------
    @staticmethod
    def head(text: str) -> dict[str, Any]:
        return {"text": text, "hidden": False, "reason": None, "cls": ""}

    @staticmethod
    def cell(text: str, cls: str = "") -> dict[str, Any]:
        return {"text": text, "hidden": False, "reason": None, "cls": cls}

    def hidden(self, reason: str | None, limits: Mapping[str, int] | None = None) -> dict[str, Any]:
        """A hidden table cell: its reason in words, never a number from the data."""
        self.hidden_cells += 1
        return {
            "text": self.reason(reason, limits),
            "hidden": True,
            "reason": reason or "below_minimum",
            "cls": "",
        }

    def hidden_run(
        self, reason: str | None, limits: Mapping[str, int] | None, count: int
    ) -> list[dict[str, Any]]:
        """``count`` hidden cells side by side (a whole hidden row)."""
        return [self.hidden(reason, limits) for _ in range(count)]

    def score_cell(
        self, value: float | None, low: float | None, high: float | None, *, short: bool = False
    ) -> dict[str, Any]:
        """``68 (61 to 75)``, or ``68 (61\u201375)`` for wide tables."""
        if short:
            return self.cell(f"{self.num(value)} ({self.num(low)}\u2013{self.num(high)})")
        return self.cell(f"{self.num(value)} ({self.ci(low, high)})")

    def coefficient(self, value: float | None) -> str:
        """An ICC or alpha with two decimals; below zero written as "< 0" (no meaning there)."""
        if value is not None and value < 0:
            return "< " + self.num(0)
        return self.num(value, 2)

    def verdict_legend(self, codes: Sequence[str]) -> str:
        """``\u25b2 improved \u00b7 \u25cb no detectable change ...`` for the codes given."""
        seen = []
        for code in codes:
            if code not in seen:
                seen.append(code)
        return " \u00b7 ".join(
            f"{VERDICT_STYLE.get(code, ('', '', ''))[1]} {self.verdict_short(code)}"
            for code in seen
        )

    def verdict_of(self, result: Tested | Gap, sides: Mapping[str, str] | None = None) -> str:
        """A result's verdict in words; a group difference names the side scoring higher.

        ``sides`` maps the group ids of a comparison to their labels; the result says
        which group is higher (its ``higher`` field), the words only name it.
        """
        higher = getattr(result, "higher", None)
        if sides is not None and higher:
            return W.difference_text(result.verdict, sides.get(higher, higher), self.lang, self.mid)
        return self.verdict(result.verdict)

    def verdict_cell(
        self,
        code: str,
        change: Tested | Gap | None = None,
        sides: Mapping[str, str] | None = None,
    ) -> dict[str, Any]:
        """A verdict in a table, with the result's marker when it has one."""
        cls, glyph, _ = VERDICT_STYLE.get(code, ("v-none", "", "ring"))
        mark = f" {self.w['holm_mark']}" if change is not None and change.marked else ""
        text = self.verdict_of(change, sides) if change is not None else self.verdict(code)
        return self.cell(f"{glyph} {text}{mark}", f"verdict {cls}")

    def holm_footnote(self, results: Iterable[Tested | Gap | None]) -> str:
        """The footnote for the marker, when one of the shown ``results`` carries it."""
        return self.w["holm_footnote"] if any(r is not None and r.marked for r in results) else ""

    def verdict_badge(
        self,
        code: str,
        result: Tested | Gap | None = None,
        sides: Mapping[str, str] | None = None,
    ) -> dict[str, str]:
        cls, glyph, _ = VERDICT_STYLE.get(code, ("v-none", "", "ring"))
        text = self.verdict_of(result, sides) if result is not None else self.verdict(code)
        return {"cls": cls, "glyph": glyph, "text": text}

    # -- responses -------------------------------------------------------------------
    def responses(self, scored: RoundScores) -> str:
        """How many answered a round, in words; below the minimum only "fewer than N".

        The count of a hidden round is itself a group under the minimum, and its
        response rate would give the count back, so neither is shown.
        """
        invited = scored.invited
        if scored.count_hidden:
            minimum = scored.privacy.min_group
            if invited:
                return self.say("responses_hidden_invited", min=minimum, invited=invited)
            return self.say("responses_hidden", min=minimum)
        if invited and scored.response_rate is not None:
            return self.say(
                "responses_invited",
                n=scored.n_responses,
                invited=invited,
                rate=self.pct(scored.response_rate),
            )
        return self.say("responses_only", n=scored.n_responses)

    def response_cells(self, scored: RoundScores) -> list[dict[str, Any]]:
        """Table cells for a round's responses and response rate (hidden below the minimum)."""
        if scored.count_hidden:
            return self.hidden_run(scored.suppressed_reason, limits_of(scored.privacy), 2)
        return [
            self.cell(str(scored.n_responses)),
            self.cell(self.pct(scored.response_rate)),
        ]

    # -- shared pieces ---------------------------------------------------------------
    def furniture(
        self, *, demo: bool, title: str, kicker: str, today: dt.date | None = None
    ) -> dict[str, Any]:
        """What every page shows around its content."""
        return {
            "lang": self.lang,
            "w": self.w,
            "demo": demo,
            "title": title,
            "kicker": kicker,
            "made_with": self.say(
                "made_with", version=__version__, date=self.date(today or dt.date.today())
            ),
            "demo_page_css": demo_page_css(self.w["demo_print"]) if demo else Markup(""),
        }


def css_string(text: str) -> str:
    """``text`` as a quoted CSS string that cannot end its string or its style element."""
    escaped = "".join(
        ch if ch.isalnum() or ch in " .,:;!?-()%" else f"\\{ord(ch):x} " for ch in text
    )
    return f'"{escaped}"'


def demo_page_css(text: str) -> Markup:
    """The print rule that puts the demo mark in the top margin of every printed page."""
    return Markup(
        "@page { @top-center { content: "
        + css_string(text)
        + "; color: #8a5c00; font: 600 9pt system-ui, sans-serif; letter-spacing: .08em; } }"
    )


def label(text: Mapping[str, str] | None, lang: str, fallback: str = "") -> str:
    """A text in ``lang``, else in the instrument's first language, else ``fallback``."""
    if not text:
        return fallback
    return text.get(lang) or next((t for t in text.values() if t), fallback)


def dimension_label(instrument: Instrument, dimension_id: str, lang: str) -> str:
    try:
        return label(instrument.dimension(dimension_id).label, lang, dimension_id)
    except KeyError:
        return dimension_id


def item_label(instrument: Instrument, item_id: str, lang: str) -> str:
    try:
        return label(instrument.item(item_id).text, lang, item_id)
    except KeyError:
        return item_id


def member_type_label(instrument: Instrument, type_id: str, lang: str) -> str:
    """The name of a member type's group in a report ("Bewoners", not the answer "Als bewoner")."""
    return instrument.member_type_group(type_id, lang)


def inline(text: str) -> str:
    """A label as it reads inside a sentence: "Resident initiative" -> "resident initiative".

    Names that are capitalised throughout (or abbreviations) stay as they are.
    """
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def difference_chart(
    page: Page,
    title: str,
    desc: str,
    rows: Sequence[tuple[str, Tested]],
    limits: Mapping[str, int],
    *,
    compact: bool = False,
    heading: str = "",
    width: int | None = None,
    extent: float | None = None,
    right_width: float | None = None,
) -> dict[str, Any]:
    """A forest plot: differences with their intervals around zero, the verdict beside each.

    ``rows``: (label, change or group difference) pairs. Beside each bar: the verdict's
    symbol and the difference; the symbols are named in the figure's note. ``extent``
    and ``right_width`` give charts shown side by side one scale (:func:`diff_extent`
    over all their rows).
    """
    extent = extent or diff_extent([result for _, result in rows], page.mid)
    chart_rows = []
    for name, result in rows:
        code = result.verdict or "too_few"
        cls, glyph, shape = VERDICT_STYLE.get(code, ("v-none", "", "ring"))
        if result.suppressed or result.diff is None:
            reason = result.suppressed_reason
            mark = Mark(
                series=cls,
                hidden=True,
                hidden_text=page.mark_reason(reason, limits)
                if result.suppressed
                else page.verdict(code),
                reason=reason if result.suppressed else "too_few",
            )
            right = ""
        else:
            mark = Mark(
                series=cls,
                value=result.diff,
                low=result.ci_low,
                high=result.ci_high,
                shape=shape,
            )
            right = f"{glyph} {page.signed(result.diff)}"
            if result.marked:
                right += page.w["holm_mark"]
        chart_rows.append(Row(label=name, marks=[mark], right=right, right_class=cls))
    ticks = diff_ticks(extent)
    return interval_chart(
        page.chart_id(),
        title,
        desc,
        chart_rows,
        domain=(-extent, extent),
        ticks=ticks,
        tick_labels=[page.signed(t) for t in ticks],
        ref=0.0,
        ref_label="",
        compact=compact,
        heading=heading,
        width=width or WIDTH,
        right_width=right_width,
    )


def diff_extent(results: Iterable[Tested], mid: float) -> float:
    """Half-width of a scale centred on 0 that holds every shown difference and its interval."""
    values: list[float | None] = []
    for result in results:
        if not result.suppressed:
            values += [result.ci_low, result.ci_high, result.diff]
    return nice_extent(values, minimum=max(10.0, 2 * mid))


def glossary(page: Page) -> dict[str, Any]:
    """The short glossary of the methods section: (term, meaning) pairs."""
    entries = []
    for line in page.w["glossary"].splitlines():
        term, _, meaning = line.partition("|")
        entries.append({"term": term, "meaning": meaning})
    return {"title": page.w["glossary_title"], "entries": entries}
