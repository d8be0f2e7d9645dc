"""The structure of every report, parsed: charts are named and have their tables,
hidden cells carry no number, ids are unique, nothing points outside the file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from report_fixtures import DIGIT, Node, build_demo_reports, parse_html

from surveycoal import privacy
from surveycoal.instruments import load_instrument
from surveycoal.reports import words as W
from surveycoal.reports.common import inline
from surveycoal.resources import instruments_dir

LIMITS = {"min": 5, "min_items": 10, "min_text": 10}


@pytest.fixture(scope="module", params=W.LANGUAGES)
def reports(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, tuple[str, Node]]:
    lang = request.param
    result = build_demo_reports(tmp_path_factory.mktemp(f"demo-{lang}"), lang=lang)
    out = {}
    for path in result.reports:
        html = path.read_text(encoding="utf-8")
        out[path.name] = (html, parse_html(html))
    out["_lang"] = (lang, parse_html(""))
    return out


def _each(reports: dict[str, tuple[str, Node]]):  # type: ignore[no-untyped-def]
    for name, (html, tree) in reports.items():
        if not name.startswith("_"):
            yield name, html, tree


def _allowed_hidden_texts(lang: str) -> set[str]:
    words = W.words(lang)
    texts = {
        W.reason_text(reason, lang, LIMITS)
        for reason in (*privacy.REASONS, "not_in_round", "one_round")
    }
    texts.add(words["hidden_short"])
    texts.add(W.verdict_text("too_few", lang))
    texts.add(W.say(lang, "hidden_round", min=LIMITS["min"]))
    # a chart whose every mark is hidden is replaced by one sentence saying why
    instrument = load_instrument(instruments_dir() / "coalition-health.yaml")
    a, b = (
        inline(instrument.member_type_group(t, lang))
        for t in ("resident_initiative", "welfare_organisation")
    )
    prefix = f"{words['hidden_short']}: "
    for reason in privacy.REASONS:
        why = W.reason_text(reason, lang, LIMITS).removeprefix(prefix)
        texts.add(W.say(lang, "groups_all_hidden", a=a, b=b, reason=why))
    return texts


def test_the_demo_writes_every_kind_of_report(reports) -> None:  # type: ignore[no-untyped-def]
    names = [name for name, _, _ in _each(reports)]
    assert sum(n.startswith("coalition-") for n in names) == 5
    assert "programme.html" in names
    assert sum(n.startswith("compare-") for n in names) == 3


def test_every_chart_is_named_described_and_has_its_table(reports) -> None:  # type: ignore[no-untyped-def]
    for name, _, tree in _each(reports):
        svgs = tree.find_all("svg")
        assert svgs, name
        ids = {n.attrs["id"]: n for n in tree.iter() if "id" in n.attrs}
        for svg in svgs:
            assert svg.attrs.get("role") == "img", name
            children = [c for c in svg.children if isinstance(c, Node)]
            assert children[0].tag == "title" and children[0].text().strip(), name
            assert children[1].tag == "desc" and children[1].text().strip(), name
            for ref in svg.attrs["aria-labelledby"].split():
                assert ref in ids and ids[ref].text().strip(), (name, ref)
            figure = next((a for a in svg.ancestors() if a.tag == "figure"), None)
            assert figure is not None and "chart" in figure.classes(), name
        for figure in tree.find_all("figure"):
            assert figure.find_all("svg"), (name, figure.attrs.get("id"))
            tables = figure.find_all("table")
            assert tables, (name, figure.attrs.get("id"))
            assert tables[0].find_all("th", scope="col"), name


def test_ids_are_unique_within_a_report(reports) -> None:  # type: ignore[no-untyped-def]
    for name, _, tree in _each(reports):
        ids = [n.attrs["id"] for n in tree.iter() if "id" in n.attrs]
        duplicates = {i for i in ids if ids.count(i) > 1}
        assert not duplicates, (name, duplicates)
        for node in tree.iter():
            target = re.match(r"url\(#([^)]+)\)", node.attrs.get("fill", ""))
            if target:
                assert target.group(1) in ids, (name, node.attrs["fill"])
            if node.tag == "a" and node.attrs.get("href", "").startswith("#"):
                assert node.attrs["href"][1:] in ids, (name, node.attrs["href"])


def test_hidden_cells_carry_no_number_only_their_reason(reports) -> None:  # type: ignore[no-untyped-def]
    lang = reports["_lang"][0]
    allowed = _allowed_hidden_texts(lang)
    seen = 0
    for name, _, tree in _each(reports):
        for node in tree.iter():
            if "data-suppressed" not in node.attrs:
                continue
            seen += 1
            assert node.attrs["data-suppressed"], name
            text = " ".join(node.text().split())
            if not text:
                continue
            assert text in allowed, (name, text)
            # the only digits left are the thresholds of the rules
            leftover = text
            for value in LIMITS.values():
                leftover = leftover.replace(str(value), "")
            assert not DIGIT.search(leftover), (name, text)
    assert seen > 20  # the demo has hidden cells of several kinds


def test_hidden_cells_say_why(reports) -> None:  # type: ignore[no-untyped-def]
    lang = reports["_lang"][0]
    phrase = W.reason_text("below_minimum", lang, LIMITS)
    html, tree = reports["coalition-klein-rietveld-3.html"]
    cells = [n for n in tree.find_all("td") if "hidden-cell" in n.classes()]
    assert cells
    assert any(c.text().strip() == phrase for c in cells) or phrase in html
    # items need 10 responses: no statement chart in a round of 8
    assert not [f for f in tree.find_all("figure") if f.attrs.get("id", "").startswith("fig-items")]
    hatched = [n for n in tree.find_all("g") if "suppressed" in n.classes()]
    assert hatched
    for g in hatched:
        # hatched with lines (vectors on paper), never filled with a colour from the data
        assert any("hatch-line" in p.classes() for p in g.find_all("path"))
        assert all("fill" not in r.attrs for r in g.find_all("rect"))


def test_nothing_leaves_the_file(reports) -> None:  # type: ignore[no-untyped-def]
    for name, html, tree in _each(reports):
        assert not tree.find_all("script"), name
        assert not tree.find_all("link"), name
        assert not tree.find_all("img"), name
        for node in tree.iter():
            for attr in ("src", "href", "action", "xlink:href"):
                value = node.attrs.get(attr)
                if value is not None:
                    assert value.startswith("#"), (name, attr, value)
        assert not re.search(r"url\((?!#)", html), name
        assert "@import" not in html and "http://" not in html.replace(
            "http://www.w3.org/2000/svg", ""
        ), name
        assert "https://" not in html, name
        csp = [
            m
            for m in tree.find_all("meta")
            if m.attrs.get("http-equiv") == "Content-Security-Policy"
        ]
        assert csp and "default-src 'none'" in csp[0].attrs["content"], name


def test_every_section_is_in_the_contents(reports) -> None:  # type: ignore[no-untyped-def]
    for name, _, tree in _each(reports):
        sections = [s for s in tree.find_all("section") if "report-section" in s.classes()]
        links = [a.attrs["href"][1:] for a in tree.find_all("a")]
        assert [s.attrs["id"] for s in sections] == links, name
        for section in sections:
            assert section.find_all("h2"), name


def test_demo_banner_on_screen_and_on_every_printed_page(reports) -> None:  # type: ignore[no-untyped-def]
    lang = reports["_lang"][0]
    for name, html, tree in _each(reports):
        banner = [n for n in tree.iter() if "demo-banner" in n.classes()]
        assert len(banner) == 1 and W.words(lang)["demo_banner"] in banner[0].text(), name
        assert re.search(r"@page\s*\{\s*@top-center\s*\{\s*content:", html), name
        assert tree.find_all("html")[0].attrs["lang"] == lang


def test_programme_heatmap_marks_hidden_cells_never_a_colour(reports) -> None:  # type: ignore[no-untyped-def]
    _, tree = reports["programme.html"]
    # one heat map, of the report's round; earlier rounds are tables of numbers
    heatmaps = [s for s in tree.find_all("svg") if "chart-heatmap" in s.classes()]
    assert len(heatmaps) == 1
    for g in (g for g in heatmaps[0].find_all("g") if "suppressed" in g.classes()):
        assert all("fill" not in r.attrs for r in g.find_all("rect"))
    section = next(n for n in tree.iter() if n.attrs.get("id") == "heatmap")
    rows = [
        tr
        for tr in section.find_all("tr")
        if any("Klein Rietveld" in th.text() for th in tr.find_all("th"))
    ]
    hidden = [td for tr in rows for td in tr.find_all("td") if "hidden-cell" in td.classes()]
    assert hidden  # Klein Rietveld's round 2, in the table of that round
    assert all(not re.search(r"\d+ \(", td.text()) for td in hidden)


def test_verdicts_are_in_words_of_the_report_language(reports) -> None:  # type: ignore[no-untyped-def]
    lang = reports["_lang"][0]
    html, tree = reports["compare-zonnehoek-samen-1-3.html"]
    cells = [td.text() for td in tree.find_all("td") if "verdict" in td.classes()]
    assert cells
    verdict_words = [
        W.verdict_text(code, lang)
        for code in (
            "improved",
            "no_detectable_change",
            "slightly_improved",
            "inconclusive",
            "declined",
        )
    ]
    assert all(any(word in cell for word in verdict_words) for cell in cells), cells
    # trust grows in this coalition: round 3 is clearly above round 1
    assert W.verdict_text("improved", lang) in " ".join(cells)


def test_reports_are_small_enough_to_email(reports) -> None:  # type: ignore[no-untyped-def]
    for name, html, _ in _each(reports):
        assert len(html.encode("utf-8")) < 1_500_000, name


def test_generated_files_are_not_in_the_checkout() -> None:
    root = Path(__file__).resolve().parents[1]
    ignored = (root / ".gitignore").read_text(encoding="utf-8")
    assert "test-artifacts/" in ignored and "surveycoal-demo/" in ignored
