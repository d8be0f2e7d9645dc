"""Every report in a real browser: Playwright driving Debian's chromium.

Each report opens without console errors and without any request other than the
file itself; every chart has an accessible name; it fits a phone's width; it
prints to A4 with its section headings (and, for demo data, the demo mark on
every page). Screenshots at 1280 and 390 px wide go to test-artifacts/.

Without chromium or playwright these tests are skipped locally and fail under CI.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from report_fixtures import build_demo_reports, chromium_browser

from surveycoal.reports import words as W

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
LANG = "nl"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium_browser() as launched:
        yield launched


@pytest.fixture(scope="module")
def report_files(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return list(build_demo_reports(tmp_path_factory.mktemp("browser-demo"), lang=LANG).reports)


class Opened:
    """A report open in a page, with what the browser complained about and asked for."""

    def __init__(self, browser: Any, path: Path, width: int) -> None:
        self.url = path.resolve().as_uri()
        self.context = browser.new_context(viewport={"width": width, "height": 900})
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda msg: msg.type == "error" and self.errors.append(msg.text))
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))

        def route(route: Any) -> None:
            if route.request.url == self.url:
                route.continue_()
            else:
                self.requests.append(route.request.url)
                route.abort()

        self.page.route("**/*", route)
        self.page.goto(self.url, wait_until="load")

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def open_report(browser: Any) -> Iterator[Any]:
    opened: list[Opened] = []

    def open_(path: Path, width: int = 1280) -> Opened:
        page = Opened(browser, path, width)
        opened.append(page)
        return page

    yield open_
    for page in opened:
        page.close()


def _name(path: Path) -> str:
    return path.name.removesuffix(".html")


def test_reports_open_cleanly_without_requests_and_with_named_charts(
    report_files, open_report
) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    ARTIFACTS.mkdir(exist_ok=True)
    for path in report_files:
        opened = open_report(path, 1280)
        page = opened.page
        assert opened.errors == [], (path.name, opened.errors)
        assert opened.requests == [], (path.name, opened.requests)
        charts = page.locator("svg[role=img]")
        count = charts.count()
        assert count > 0, path.name
        named = page.get_by_role("img", name=re.compile(r"\S"))
        assert named.count() == count, path.name
        for k in range(count):
            expect(charts.nth(k)).to_have_accessible_name(re.compile(r"\S{3,}"))
        banner = page.locator(".demo-banner")
        expect(banner).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / f"{_name(path)}-1280.png"), full_page=True)
        opened.close()


def test_reports_fit_a_phone(report_files, open_report) -> None:  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(exist_ok=True)
    for path in report_files:
        opened = open_report(path, 390)
        page = opened.page
        assert opened.errors == [] and opened.requests == [], path.name
        overflow = page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= 390, (path.name, overflow)
        size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
        assert size >= 14, path.name
        page.screenshot(path=str(ARTIFACTS / f"{_name(path)}-390.png"), full_page=True)
        opened.close()


def _pdf_pages(pdf: bytes) -> list[str]:
    try:
        from pypdf import PdfReader
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("pypdf is needed to read the printed reports in CI.")
        pytest.skip("pypdf is not installed")
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_printing_puts_the_findings_on_page_one_and_breaks_by_content(
    report_files, open_report
) -> None:  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(exist_ok=True)
    mark = W.words(LANG)["demo_print"]
    for path in report_files:
        if not (
            path.name.startswith("coalition-zonnehoek")
            or path.name in ("programme.html",)
            or "member-types" in path.name
        ):
            continue
        opened = open_report(path, 1280)
        page = opened.page
        page.emulate_media(media="print")
        headings = [_squash(h) for h in page.locator("h2.section-title").all_inner_texts()]
        assert headings, path.name
        pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
        (ARTIFACTS / f"{_name(path)}.pdf").write_bytes(pdf)
        pages = _pdf_pages(pdf)
        starts = []
        for heading in headings:
            number, title = heading.split(" ", 1)
            words = r"\s+".join(re.escape(word) for word in title.split())
            pattern = re.compile(rf"(^|\n)\s*{number}\s+{words}")
            found = [k for k, text in enumerate(pages) if pattern.search(text)]
            assert found, (path.name, heading)
            starts.append(found[0])
            # a heading never ends a page: something of its section follows it there
            lines = [line for line in pages[found[0]].splitlines() if line.strip()]
            at = next(k for k, line in enumerate(lines) if re.match(rf"\s*{number}\s", line))
            assert at < len(lines) - 2, (path.name, heading, found[0])
        assert starts == sorted(starts), (path.name, starts)
        # sections follow each other instead of each taking a fresh page
        # no section is sent to a fresh page by the stylesheet: breaks follow the content
        breaks = page.locator(".report-section").evaluate_all(
            "els => els.map(e => getComputedStyle(e).breakBefore)"
        )
        assert "page" not in breaks, (path.name, breaks)
        # page 1: the cover and the summary
        assert starts[0] == 0, (path.name, starts)
        for k, page_text in enumerate(pages):
            assert mark in _squash(page_text), (path.name, k)
        if path.name == "programme.html":
            assert len(pages) <= 12, len(pages)
            first = _squash(pages[0])
            assert W.words(LANG)["flags_title"] in first
            assert W.words(LANG)["findings_title"].upper() in first.upper()
        opened.close()


def test_printed_backgrounds_that_carry_meaning_are_kept(report_files, open_report) -> None:  # type: ignore[no-untyped-def]
    """Interval bars, hatching and badges are CSS backgrounds; browsers drop those on
    paper unless the page asks to keep them."""
    path = next(p for p in report_files if p.name.startswith("coalition-klein-rietveld"))
    opened = open_report(path, 1280)
    page = opened.page
    page.emulate_media(media="print")
    for selector in (".minibar-ci", ".hidden-cell", ".badge", ".hidden-block"):
        element = page.locator(selector).first
        adjust = element.evaluate(
            "e => getComputedStyle(e).printColorAdjust || getComputedStyle(e).webkitPrintColorAdjust"
        )
        assert adjust == "exact", (selector, adjust)
    opened.close()


def test_no_javascript_is_needed_to_read_a_report(browser, report_files) -> None:  # type: ignore[no-untyped-def]
    path = next(p for p in report_files if p.name.startswith("coalition-zonnehoek"))
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    try:
        page = context.new_page()
        page.goto(path.resolve().as_uri())
        assert page.locator("svg[role=img]").first.is_visible()
        assert page.locator("table.data").first.is_visible()
        heading = W.words(LANG)["sec_summary"]
        assert heading in page.locator("h2.section-title").first.inner_text()
    finally:
        context.close()


def test_timeline_notes_line_up(report_files, open_report) -> None:  # type: ignore[no-untyped-def]
    path = next(p for p in report_files if p.name.startswith("coalition-zonnehoek"))
    for width in (1280, 390):
        opened = open_report(path, width)
        lefts = opened.page.locator(".timeline .note-text").evaluate_all(
            "els => els.map(e => Math.round(e.getBoundingClientRect().left))"
        )
        assert len(lefts) >= 2 and len(set(lefts)) == 1, (width, lefts)
        opened.close()


_OVERLAPS = """() => {
  const out = [];
  const box = e => e.getBoundingClientRect();
  for (const svg of document.querySelectorAll('svg.chart-svg')) {
    const items = [...svg.querySelectorAll('.legend-item')].map(box).sort((a, b) => a.left - b.left);
    for (let k = 1; k < items.length; k++) {
      if (items[k - 1].right > items[k].left + 0.5) out.push(['legend', svg.id || svg.getAttribute('aria-labelledby')]);
    }
    if (!svg.classList.contains('chart-compact')) continue;
    for (const row of svg.querySelectorAll('g.row')) {
      const label = row.querySelector('.row-label');
      const track = row.querySelector('.track, .ci, .hatched');
      if (label && track && box(label).right > box(track).left + 0.5) {
        out.push(['label', label.textContent]);
      }
    }
  }
  return out;
}"""


def test_chart_labels_and_legends_do_not_run_into_each_other(report_files, open_report) -> None:  # type: ignore[no-untyped-def]
    for path in report_files:
        for width in (1280, 390):
            opened = open_report(path, width)
            assert opened.page.evaluate(_OVERLAPS) == [], (path.name, width)
            opened.close()


_TOO_WIDE = """() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  for (const e of document.querySelectorAll('body *')) {
    const r = e.getBoundingClientRect();
    if (r.width === 0 || r.right <= width + 1) continue;
    // inside a container that scrolls sideways, says so, and fits the screen?
    let box = e.parentElement, ok = false;
    while (box && box !== document.body) {
      const style = getComputedStyle(box);
      if (['auto', 'scroll'].includes(style.overflowX)) {
        const cue = box.previousElementSibling;
        ok = box.getBoundingClientRect().right <= width + 1
          && box.getAttribute('role') === 'region' && /\\S/.test(box.getAttribute('aria-label') || '')
          && cue && cue.classList.contains('scroll-cue') && getComputedStyle(cue).display !== 'none';
        break;
      }
      box = box.parentElement;
    }
    if (!ok) out.push(e.tagName + '.' + [...e.classList].join('.') + ' ' + (e.textContent || '').slice(0, 40));
  }
  return out;
}"""


def test_nothing_is_wider_than_the_screen_unless_it_scrolls_and_says_so(
    report_files, open_report
) -> None:  # type: ignore[no-untyped-def]
    for path in report_files:
        for width in (1280, 390):
            opened = open_report(path, width)
            assert opened.page.evaluate(_TOO_WIDE) == [], (path.name, width)
            opened.close()


_LABEL_COLLISIONS = """() => {
  const out = [];
  // (the heat map's column heads are turned: their boxes overlap where their letters do not)
  const pick = '.seg-text, .point-label, .row-label, .row-value, .item-label, .tick, .legend-text, .axis-head, .axis-title, .panel-heading, .cell-text, .cell-sub, .heat-label, .hidden-text, .centre-label, .note-number';
  for (const svg of document.querySelectorAll('svg.chart-svg')) {
    const boxes = [...svg.querySelectorAll(pick)]
      .filter(t => t.textContent.trim())
      .map(t => [t, t.getBoundingClientRect()]);
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const [a, ra] = boxes[i], [b, rb] = boxes[j];
        if (a.contains(b) || b.contains(a)) continue;
        const x = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left);
        const y = Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top);
        if (x > 1 && y > 2) out.push([svg.querySelector('title').textContent, a.textContent, b.textContent]);
      }
    }
  }
  return out;
}"""


def test_no_chart_text_overlaps_other_chart_text(report_files, open_report) -> None:  # type: ignore[no-untyped-def]
    for path in report_files:
        for width in (1280, 390):
            opened = open_report(path, width)
            overlaps = opened.page.evaluate(_LABEL_COLLISIONS)
            assert overlaps == [], (path.name, width, overlaps[:5])
            opened.close()


_SMALL_TEXT = """() => {
  const out = [];
  for (const svg of document.querySelectorAll('svg.chart-svg')) {
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    for (const t of svg.querySelectorAll('text')) {
      if (!t.textContent.trim()) continue;
      const size = parseFloat(getComputedStyle(t).fontSize) * scale;
      if (size < 10.95) out.push([svg.querySelector('title').textContent, t.textContent, size.toFixed(1)]);
    }
  }
  return out;
}"""


def test_chart_text_on_a_phone_is_at_least_11_px(report_files, open_report) -> None:  # type: ignore[no-untyped-def]
    for path in report_files:
        opened = open_report(path, 390)
        small = opened.page.evaluate(_SMALL_TEXT)
        assert small == [], (path.name, len(small), small[:6])
        opened.close()


def test_the_programme_findings_are_on_the_first_screen(report_files, open_report) -> None:  # type: ignore[no-untyped-def]
    path = next(p for p in report_files if p.name == "programme.html")
    for width, height in ((1280, 900), (390, 844)):
        opened = open_report(path, width)
        page = opened.page
        page.set_viewport_size({"width": width, "height": height})
        flags = page.locator(".flags li").first
        top = flags.evaluate("e => e.getBoundingClientRect().bottom")
        assert top <= height, (width, top)
        table = page.locator("table.findings-table tbody tr").first
        assert table.evaluate("e => e.getBoundingClientRect().top") <= height or width == 390
        page.screenshot(path=str(ARTIFACTS / f"programme-first-screen-{width}.png"))
        opened.close()
