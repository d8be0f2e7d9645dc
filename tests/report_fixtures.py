"""Shared helpers of the report tests: sample coalitions without a database, and an HTML tree.

Import explicitly::

    from report_fixtures import sample_coalition, parse_html
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from scoring_factories import make_instrument, make_round_data

from surveycoal.demo import DemoResult
from surveycoal.instruments import Instrument
from surveycoal.reports.gather import CoalitionData, RoundInfo
from surveycoal.reports.pdf import BROWSER_ARGS as PRINTER_ARGS
from surveycoal.store import Note

ROUND_DATES = (dt.date(2025, 3, 10), dt.date(2025, 9, 8), dt.date(2026, 3, 9), dt.date(2026, 9, 7))

OPEN_TEXTS = (
    "We weten elkaar sneller te vinden.",
    "De bewoners bepalen nu mee wat er gebeurt.",
    "Meer tijd om elkaar te leren kennen.",
    "Het overleg is te vaak op werktijden.",
    "Mooie resultaten in de speeltuin.",
    "Soms voelt het nog als hun project, niet het onze.",
    "Goede afspraken, en ze worden nagekomen.",
    "De wijkagent sluit nu ook aan.",
    "Ik mis de jongeren aan tafel.",
    "Fijn dat de gemeente luistert.",
    "Minder papierwerk graag.",
    "We vieren te weinig wat goed gaat.",
)


def sample_coalition(
    *,
    sizes: Sequence[int] = (16, 20, 24),
    slug: str = "zonnehoek",
    name: str = "Zonnehoek Samen",
    shift_per_round: float = 0.35,
    seed: int = 7,
    instrument: Instrument | None = None,
    open_texts: Sequence[str] = OPEN_TEXTS,
    notes: Sequence[tuple[dt.date, str]] = ((dt.date(2025, 6, 1), "Vaste opbouwwerker gestart"),),
    reading: str | None = "We herkennen ons in de uitkomst: het vertrouwen groeit.",
    mix: dict[str, float] | None = None,
    last_open: bool = False,
    type_shift: Sequence[dict[str, float] | None] = (),
) -> CoalitionData:
    """A coalition whose trust grows round by round, built from the scoring factories.

    ``type_shift``: per round, scale points added to every answer of a member type
    (a gap between residents and professionals); rounds past its end get none.
    """
    rng = np.random.default_rng(seed)
    inst = instrument or make_instrument()
    rounds = []
    keys_before: list[str] = []
    for k, n in enumerate(sizes, start=1):
        keep = keys_before[: n // 2]
        keys = keep + [f"{slug}-{k}-{i}" for i in range(n - len(keep))]
        data = make_round_data(
            inst,
            n,
            rng,
            member_types=mix or {"resident_initiative": 0.5, "welfare_organisation": 0.5},
            panel_keys=keys,
            shift={"trust": shift_per_round * (k - 1), "equality": 0.1 * (k - 1)},
            type_shift=type_shift[k - 1] if k <= len(type_shift) else None,
            dont_know_rate=0.06,
            coalition=slug,
            round_number=k,
            open_answers=list(open_texts[: n // 2 + 4]) if n >= 10 else list(open_texts[:2]),
        )
        rounds.append(
            replace(data, coalition_name=name, programme="Expedities (test)", invited=n + 6)
        )
        keys_before = keys
    infos = tuple(
        RoundInfo(
            k,
            "open" if last_open and k == len(sizes) else "closed",
            ROUND_DATES[k - 1],
            None if last_open and k == len(sizes) else ROUND_DATES[k - 1] + dt.timedelta(days=21),
        )
        for k in range(1, len(sizes) + 1)
    )
    timeline = tuple(
        Note(i, slug, None, "timeline", date, text) for i, (date, text) in enumerate(notes, start=1)
    )
    readings = (
        (
            Note(
                99,
                slug,
                len(sizes),
                "reading",
                ROUND_DATES[len(sizes) - 1] + dt.timedelta(days=30),
                reading,
            ),
        )
        if reading
        else ()
    )
    return CoalitionData(
        slug=slug,
        name=name,
        programme="Expedities (test)",
        rounds=tuple(rounds),
        infos=infos,
        notes=timeline,
        readings=readings,
    )


# -- the demo programme -----------------------------------------------------------------


def answer_a_round(store: object, coalition: str, n: int = 12) -> str:
    """Open a round of the small test questionnaire in ``coalition`` and give it ``n``
    responses, half from each of the two main member types; returns the round's ref."""
    from surveycoal.store import NewResponse, Store, open_round, submit_responses

    assert isinstance(store, Store)
    instrument = make_instrument()
    round_ = open_round(store, coalition, instrument)
    answers = {item.id: (k % 5) + 1 for k, item in enumerate(instrument.items)}
    submit_responses(
        store,
        round_.ref,
        [
            NewResponse(
                member_type="resident_initiative" if k % 2 else "welfare_organisation",
                answers=answers,
            )
            for k in range(n)
        ],
    )
    return round_.ref


def build_demo_reports(folder: Path, lang: str = "nl") -> DemoResult:
    """The demo programme, on the shipped questionnaire, with all its reports, in ``folder``."""
    from surveycoal.demo import build_demo

    return build_demo(folder, lang=lang)


# -- a small HTML tree -----------------------------------------------------------------

VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = field(default_factory=list)
    parent: Node | None = None

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.iter()

    def find_all(self, tag: str | None = None, **attrs: str) -> list[Node]:
        found = []
        for node in self.iter():
            if tag is not None and node.tag != tag:
                continue
            if all(node.attrs.get(k.rstrip("_")) == v for k, v in attrs.items()):
                found.append(node)
        return found

    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def ancestors(self) -> Iterator[Node]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs}, parent=self.stack[-1])
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs}, parent=self.stack[-1])
        self.stack[-1].children.append(node)

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse_html(html: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


DIGIT = re.compile(r"\d")


# -- the browser -----------------------------------------------------------------------

#: The flags a test browser starts with: the same as the PDF printer's.
BROWSER_ARGS = list(PRINTER_ARGS)


@contextmanager
def chromium_browser() -> Iterator[Any]:
    """Debian's chromium driven by Playwright (skipped locally without it, failing in CI)."""
    executable = chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=BROWSER_ARGS)
        try:
            yield launched
        finally:
            launched.close()


def chromium_or_skip() -> str:
    """The path of Debian's chromium; skip the test without it, but fail under CI."""
    path = shutil.which("chromium")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        path = None
        what = "playwright is not installed"
    else:
        what = "chromium is not on PATH"
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"Browser tests cannot run in CI: {what}.")
        pytest.skip(what)
    return path
