"""Report contexts, words, rendering and the report commands."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from report_fixtures import (
    DIGIT,
    answer_a_round,
    build_demo_reports,
    parse_html,
    sample_coalition,
)
from typer.testing import CliRunner

from surveycoal import privacy, stats
from surveycoal.cli import app
from surveycoal.errors import InputError, SurveycoalError
from surveycoal.reports import words as W
from surveycoal.reports.coalition import coalition_context, note_position
from surveycoal.reports.compare import (
    groups_compare_context,
    member_types_compare_context,
    rounds_compare_context,
)
from surveycoal.reports.gather import RoundInfo, is_demo
from surveycoal.reports.programme import programme_context
from surveycoal.reports.render import render, write_html
from surveycoal.scoring import GROUP_VERDICTS
from surveycoal.store import Note, open_store

TODAY = dt.date(2026, 5, 1)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    return build_demo_reports(tmp_path_factory.mktemp("demo"))


@pytest.fixture(scope="module")
def coalition_html() -> str:
    ctx = coalition_context(sample_coalition(), lang="en", today=TODAY)
    return render("coalition", ctx)


# -- words ---------------------------------------------------------------------------


def test_both_languages_have_the_same_words() -> None:
    assert set(W.WORDS["nl"]) == set(W.WORDS["en"])
    for key in W.WORDS["en"]:
        fields_en = set(re.findall(r"{(\w+)}", W.WORDS["en"][key]))
        fields_nl = set(re.findall(r"{(\w+)}", W.WORDS["nl"][key]))
        assert fields_en == fields_nl, key


@pytest.mark.parametrize("lang", W.LANGUAGES)
def test_every_verdict_and_hidden_reason_has_words(lang: str) -> None:
    for code in (*stats.VERDICTS, *GROUP_VERDICTS):
        text = W.verdict_text(code, lang, 5.0)
        assert text and "{" not in text
    limits = {"min": 5, "min_items": 10, "min_text": 10}
    for reason in privacy.REASONS:
        assert f"reason_{reason}" in W.WORDS[lang]
        assert W.reason_text(reason, lang, limits)


def test_verdict_words_are_plain_language() -> None:
    assert W.verdict_text("no_detectable_change", "nl") == "geen aantoonbare verandering"
    assert (
        W.verdict_text("slightly_improved", "en", 5.0) == "slightly improved (less than 5 points)"
    )
    assert "unchanged" not in " ".join(W.verdict_text(c, "en") for c in stats.VERDICTS)


def test_numbers_are_written_as_readers_write_them() -> None:
    assert W.number(68.75, "nl") == "69"
    assert W.number(0.815, "nl", 2) == "0,81"
    assert W.number(-3.2, "en", 1) == "\u22123.2"
    assert W.number(-0.2, "en") == "0"  # no "-0"
    assert W.signed(8.2, "en") == "+8"
    assert W.signed(0.0, "en") == "0"
    assert W.percent(0.754, "nl") == "75%"
    assert W.number(None, "en") == "-"
    assert W.date_text(dt.date(2026, 3, 9), "nl") == "9 maart 2026"


@pytest.mark.parametrize(
    ("lang", "value", "text"),
    [
        ("nl", 1.2, "+1 punt"),
        ("nl", -0.8, "\u22121 punt"),
        ("nl", 0.2, "0 punten"),
        ("nl", -12.4, "\u221212 punten"),
        ("en", 1.0, "+1 point"),
        ("en", 6.6, "+7 points"),
    ],
)
def test_a_difference_carries_its_unit_in_the_right_number(
    lang: str, value: float, text: str
) -> None:
    from surveycoal.reports.common import Page

    assert Page(lang).points(value) == text


def test_unknown_language_is_refused() -> None:
    with pytest.raises(InputError):
        W.words("de")


# -- contexts ------------------------------------------------------------------------


def test_coalition_context_reads_the_last_round_against_the_one_before() -> None:
    ctx = coalition_context(sample_coalition(), lang="en", today=TODAY)
    assert ctx["round"]["number"] == 3
    assert ctx["summary"]["since"] == "What changed since round 2"
    assert len(ctx["summary"]["cards"]) == 8
    assert "24 of 30 invited people answered (80%)" in ctx["round"]["response"]
    assert [s["number"] for s in ctx["toc"]] == [str(k) for k in range(1, 10)]
    assert ctx["reading"]["notes"][0]["text"].startswith("We herkennen")
    assert ctx["trends"]["notes"][0]["text"] == "Vaste opbouwwerker gestart"
    assert ctx["demo"] is False


def test_a_first_round_has_nothing_to_compare_with() -> None:
    ctx = coalition_context(sample_coalition(sizes=(18,)), lang="en", today=TODAY)
    assert "first round" in ctx["summary"]["since"]
    assert all(card["change"] is None for card in ctx["summary"]["cards"])
    assert ctx["trends"]["verdicts"] is None
    render("coalition", ctx)


def test_an_open_round_is_said_to_be_open() -> None:
    ctx = coalition_context(sample_coalition(last_open=True), lang="en", today=TODAY)
    assert "still open" in ctx["round"]["open_warning"]


def test_a_round_under_the_minimum_shows_no_score_anywhere() -> None:
    ctx = coalition_context(sample_coalition(sizes=(12, 4)), lang="en", today=TODAY)
    assert ctx["round"]["suppressed"]
    assert all(card["hidden"] for card in ctx["summary"]["cards"])
    assert ctx["items"]["figures"] == []
    html = render("coalition", ctx)
    tree = parse_html(html)
    cards = [n for n in tree.find_all("article") if "card" in n.classes()]
    for card in cards:
        assert "score-value" not in str([c.attrs for c in card.iter()])


def test_small_groups_hide_the_gap_but_not_the_total() -> None:
    data = sample_coalition(
        sizes=(9,), mix={"resident_initiative": 0.55, "welfare_organisation": 0.45}
    )
    ctx = coalition_context(data, lang="en", today=TODAY)
    assert not ctx["round"]["suppressed"]
    # every group and every gap is hidden: sentences instead of charts of hatched bars
    assert ctx["equality"]["figures"] == []
    assert [b["reason"] for b in ctx["equality"]["hidden"]] == ["below_minimum"]
    assert "No equality index can be shown" in ctx["summary"]["equality"]
    assert ctx["equality"]["overall"] == ctx["summary"]["equality"]
    assert ctx["items"]["figures"] == []  # statements need 10 responses


def test_note_positions_follow_the_dates_between_rounds() -> None:
    infos = [
        RoundInfo(1, "closed", dt.date(2025, 1, 1), dt.date(2025, 1, 20)),
        RoundInfo(2, "closed", dt.date(2025, 7, 1), dt.date(2025, 7, 20)),
    ]

    def note(date: dt.date, round_number: int | None = None) -> Note:
        return Note(1, "x", round_number, "timeline", date, "t")

    assert note_position(note(dt.date(2025, 4, 1)), infos) == pytest.approx(1 + 90 / 181)
    assert note_position(note(dt.date(2024, 6, 1)), infos) < 1
    assert note_position(note(dt.date(2026, 1, 1)), infos) > 2
    assert note_position(note(dt.date(2026, 1, 1), round_number=1), infos) == 1.0


def test_programme_context_has_no_ranking_and_hides_small_coalitions() -> None:
    coalitions = [
        sample_coalition(slug="b-noord", name="Noord", seed=1),
        sample_coalition(slug="a-zuid", name="Zuid", seed=2, sizes=(15, 18, 17)),
        sample_coalition(slug="c-klein", name="Klein", seed=3, sizes=(7, 4, 8), reading=None),
    ]
    ctx = programme_context("Expedities (test)", coalitions, lang="en", today=TODAY)
    names = [page["name"] for page in ctx["pages"]["coalitions"]]
    assert names == sorted(names)  # alphabetical, never by score
    round2 = next(f for f in ctx["heatmaps"]["figures"] if f["id"] == "fig-heatmap-2")
    klein = next(row for row in round2["table"]["rows"] if row[0]["text"] == "Klein")
    assert all(cell["hidden"] for cell in klein[1:])
    assert not re.search(r"\b(rank|plaats) \d", render("programme", ctx).lower())


def test_programme_of_one_round() -> None:
    coalitions = [
        sample_coalition(slug="noord", name="Noord", seed=1, sizes=(15,)),
        sample_coalition(slug="zuid", name="Zuid", seed=2, sizes=(16,)),
    ]
    ctx = programme_context("Eén ronde", coalitions, round_number=1, lang="nl", today=TODAY)
    html = render("programme", ctx)
    assert "Eén ronde" in html


@pytest.mark.parametrize("lang", W.LANGUAGES)
def test_every_comparison_renders(lang: str) -> None:
    a = sample_coalition()
    b = sample_coalition(slug="kanaal", name="Kanaal", seed=3, sizes=(20, 22, 9))
    for ctx in (
        rounds_compare_context(a, 1, 3, lang=lang, today=TODAY),
        groups_compare_context(a, b, 2, lang=lang, today=TODAY),
        member_types_compare_context(a, 3, lang=lang, today=TODAY),
    ):
        html = render("compare", ctx)
        assert W.say(lang, "sec_differences") in html


def test_comparison_uses_the_verdicts_of_the_method() -> None:
    ctx = rounds_compare_context(
        sample_coalition(shift_per_round=0.8), 1, 3, lang="en", today=TODAY
    )
    verdicts = {
        row[2]["text"] for row in ctx["diff"]["figure"]["table"]["rows"] if not row[2]["hidden"]
    }
    assert any("improved" in v for v in verdicts)


# -- rendering -----------------------------------------------------------------------


def test_report_is_one_file_without_scripts_or_outside_references(coalition_html: str) -> None:
    tree = parse_html(coalition_html)
    assert not tree.find_all("script")
    assert not tree.find_all("link")
    for node in tree.iter():
        for attr in ("src", "href"):
            value = node.attrs.get(attr)
            if value is not None:
                assert value.startswith("#"), (node.tag, attr, value)
    assert re.findall(r"url\((?!#)", coalition_html) == []
    assert "@import" not in coalition_html


def test_user_text_is_shown_as_text_never_as_markup(tmp_path: Path) -> None:
    nasty = "<script>alert(1)</script> {{ 7 * 7 }} {% raw %} </style>"
    data = sample_coalition(
        name=f"Zuid {nasty}",
        open_texts=[f"Open {nasty} {k}" for k in range(14)],
        notes=((dt.date(2025, 6, 1), f"Note {nasty}"),),
        reading=f"Reading {nasty}",
    )
    rounds = tuple(
        replace(
            rd,
            open_answers=pd.DataFrame(
                {"question_id": ["best"] * 14, "text": [f"Open {nasty} {k}" for k in range(14)]}
            ),
        )
        for rd in data.rounds
    )
    data = replace(data, rounds=rounds)
    for kind, ctx in (
        ("coalition", coalition_context(data, lang="en", today=TODAY)),
        ("programme", programme_context(f"Programme {nasty}", [data], lang="en", today=TODAY)),
        ("compare", rounds_compare_context(data, 1, 3, lang="en", today=TODAY)),
    ):
        html = render(kind, ctx)
        tree = parse_html(html)
        assert not tree.find_all("script"), kind
        assert "<script>" not in html
        assert "&lt;script&gt;" in html
        text = tree.text()
        assert "<script>alert(1)</script> {{ 7 * 7 }}" in text, kind
        styles = tree.find_all("style")
        assert all("alert" not in s.text() for s in styles)
        if kind == "coalition":
            assert f"Open {nasty} 0" in text
            assert f"Note {nasty}" in text
            assert f"Reading {nasty}" in text
        write_html(tmp_path / f"{kind}.html", html)


def test_templates_folder_overrides_file_by_file(tmp_path: Path, coalition_html: str) -> None:
    (tmp_path / "style.css").write_text("body { color: rebeccapurple; }", encoding="utf-8")
    ctx = coalition_context(sample_coalition(), lang="en", today=TODAY)
    html = render("coalition", ctx, tmp_path)
    assert "rebeccapurple" in html
    assert "--ink" not in html  # the built-in stylesheet was replaced
    assert 'role="img"' in html  # the built-in templates still draw the charts
    (tmp_path / "coalition.html.j2").write_text(
        '{% extends "_base.html.j2" %}{% block content %}<p id="mine">{{ coalition.name }}</p>{% endblock %}',
        encoding="utf-8",
    )
    html = render("coalition", ctx, tmp_path)
    assert parse_html(html).find_all("p", id="mine")[0].text() == "Zonnehoek Samen"


def test_a_template_with_an_unknown_name_fails_loudly(tmp_path: Path) -> None:
    (tmp_path / "coalition.html.j2").write_text("{{ no_such_thing }}", encoding="utf-8")
    ctx = coalition_context(sample_coalition(sizes=(12,)), lang="en", today=TODAY)
    with pytest.raises(SurveycoalError, match="no_such_thing"):
        render("coalition", ctx, tmp_path)


def test_a_stylesheet_cannot_close_its_element(tmp_path: Path) -> None:
    (tmp_path / "style.css").write_text("</style><script>x</script>", encoding="utf-8")
    ctx = coalition_context(sample_coalition(sizes=(12,)), lang="en", today=TODAY)
    with pytest.raises(InputError):
        render("coalition", ctx, tmp_path)


def test_missing_templates_folder_is_an_input_error(tmp_path: Path) -> None:
    ctx = coalition_context(sample_coalition(sizes=(12,)), lang="en", today=TODAY)
    with pytest.raises(InputError, match="does not exist"):
        render("coalition", ctx, tmp_path / "nope")


def test_write_html_leaves_no_half_file(tmp_path: Path) -> None:
    target = write_html(tmp_path / "r.html", "<p>x</p>")
    assert target.read_text(encoding="utf-8") == "<p>x</p>"
    assert not list(tmp_path.glob("*.tmp"))
    with pytest.raises(InputError):
        write_html(tmp_path / "missing" / "r.html", "x")


def test_numbers_in_a_report_come_from_scoring(coalition_html: str) -> None:
    """The headline of every dimension is the score_round mean, rounded."""
    from surveycoal.scoring import score_round

    data = sample_coalition()
    scored = score_round(data.rounds[-1], seed=stats.DEFAULT_SEED).to_json()
    tree = parse_html(coalition_html)
    shown = [n.text() for n in tree.iter() if "score-value" in n.classes()]
    assert shown == [W.number(d["mean"], "en") for d in scored["dimensions"]]


# -- demo marking --------------------------------------------------------------------


def test_demo_database_marks_every_report(demo) -> None:  # type: ignore[no-untyped-def]
    store = open_store(demo.database)
    try:
        assert is_demo(store)
    finally:
        store.close()
    for path in demo.reports:
        html = path.read_text(encoding="utf-8")
        tree = parse_html(html)
        banners = [n for n in tree.iter() if "demo-banner" in n.classes()]
        assert len(banners) == 1, path.name
        assert "@top-center" in html, path.name


def test_a_real_database_has_no_demo_banner(coalition, store, cli) -> None:  # type: ignore[no-untyped-def]
    from surveycoal.store import close_round

    ref = answer_a_round(store, coalition)
    close_round(store, ref)
    assert not is_demo(store)
    result = cli(
        "report",
        "coalition",
        coalition,
        "--lang",
        "en",
        "-o",
        str(Path(store.location).parent / "r.html"),
    )
    assert result.exit_code == 0, result.output
    html = (Path(store.location).parent / "r.html").read_text(encoding="utf-8")
    tree = parse_html(html)
    assert not [n for n in tree.iter() if "demo-banner" in n.classes()]
    assert "@top-center" not in html


# -- commands ------------------------------------------------------------------------


@pytest.fixture
def demo_cli(demo, monkeypatch: pytest.MonkeyPatch, tmp_path: Path):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SURVEYCOAL_DB", str(demo.database))
    monkeypatch.setenv("COLUMNS", "160")
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()

    def run(*args: str):  # type: ignore[no-untyped-def]
        return runner.invoke(app, list(args))

    return run


def test_report_commands_write_their_files(demo_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = demo_cli(
        "report", "coalition", "zonnehoek-samen", "--round", "2", "--lang", "nl", "-o", "z2.html"
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "z2.html").exists()
    assert "z2.html" in result.output
    result = demo_cli("report", "programme", "Buurten aan Zet 2026 (demo)", "--round", "2")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "buurten-aan-zet-2026-demo-2.html").exists()
    result = demo_cli("report", "compare", "zonnehoek-samen", "--from", "1", "--to", "3")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "zonnehoek-samen-1-3.html").exists()
    result = demo_cli(
        "report", "compare", "zonnehoek-samen", "brugwijk-bloeit", "--round", "2", "--lang", "en"
    )
    assert result.exit_code == 0, result.output
    result = demo_cli(
        "report", "compare", "kanaaleiland-verbindt", "--round", "1", "--member-types"
    )
    assert result.exit_code == 0, result.output
    html = (tmp_path / "kanaaleiland-verbindt-1-member-types.html").read_text(encoding="utf-8")
    # the groups by their short names, not by the answers to "Hoe doe je mee?"
    assert "Welzijnsorganisaties" in html and "Bewoners" in html
    assert "Als bewoner" not in html and "Voor mijn werk" not in html


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("report", "compare", "zonnehoek-samen"), "Say what to compare"),
        (("report", "compare", "zonnehoek-samen", "brugwijk-bloeit"), "give one --round"),
        (("report", "compare", "zonnehoek-samen", "--member-types"), "give --round"),
        (("report", "compare", "zonnehoek-samen", "--from", "2", "--to", "2"), "the same"),
        (("report", "coalition", "zonnehoek-samen", "--round", "9"), "No round"),
        (("report", "coalition", "nobody"), "No coalition"),
        (("report", "coalition", "zonnehoek-samen", "--lang", "de"), "nl or en"),
        (("report", "programme", "Nope"), "No programme"),
        (
            ("report", "coalition", "zonnehoek-samen", "--templates", "no-such-dir"),
            "does not exist",
        ),
    ],
)
def test_report_commands_explain_mistakes(demo_cli, args: tuple[str, ...], message: str) -> None:  # type: ignore[no-untyped-def]
    result = demo_cli(*args)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output


def test_suppressed_figures_never_reach_the_html(demo) -> None:  # type: ignore[no-untyped-def]
    """Klein Rietveld's round 2 has 4 responses: no number of it appears in its report."""
    path = next(p for p in demo.reports if "klein-rietveld" in p.name)
    tree = parse_html(path.read_text(encoding="utf-8"))
    for node in tree.iter():
        if "data-suppressed" in node.attrs:
            text = node.text()
            leftover = text
            for number in ("5", "10"):
                leftover = leftover.replace(number, "")
            assert not DIGIT.search(leftover), text


def test_reliability_notes_name_their_dimensions() -> None:
    coalitions = [
        sample_coalition(slug="noord", name="Noord", seed=1),
        sample_coalition(slug="zuid", name="Zuid", seed=2, sizes=(15, 18, 12)),
    ]
    ctx = programme_context("Expedities (test)", coalitions, lang="en", today=TODAY)
    instrument = coalitions[0].rounds[-1].instrument
    names = [d.label["en"] for d in instrument.dimensions]
    notes = [row[-1]["text"] for row in ctx["participation"]["table"]["rows"]]
    assert any(note != "-" for note in notes)
    for note in notes:
        if note == "-":
            continue
        for part in note.split("; "):
            flag, dims = part.rstrip(")").split(" (", 1)
            assert flag and all(name in names for name in dims.split(", ")), part


def test_the_hatching_legend_appears_only_with_hatching() -> None:
    ctx = rounds_compare_context(sample_coalition(), 1, 3, lang="en", today=TODAY)
    assert ctx["side"]["figure"]["note"] == ""
    small = sample_coalition(sizes=(16, 4), reading=None)
    ctx = rounds_compare_context(small, 1, 2, lang="en", today=TODAY)
    assert ctx["side"]["figure"]["note"] == W.words("en")["hidden_legend"]


def test_member_types_of_a_small_round_compare_without_error() -> None:
    """5 residents and 3 professionals: too few to test, but the report must still be written."""
    base = sample_coalition(sizes=(8,))
    rd = base.rounds[0]
    types = ["resident_initiative"] * 5 + ["welfare_organisation"] * 3
    data = replace(base, rounds=(replace(rd, responses=rd.responses.assign(member_type=types)),))
    ctx = member_types_compare_context(data, 1, lang="en", today=TODAY)
    assert all(s["hidden"] for s in ctx["diff"]["sentences"])
    render("compare", ctx)


def test_the_demo_mark_is_a_database_setting_that_can_be_set_again(store) -> None:  # type: ignore[no-untyped-def]
    from surveycoal.reports.gather import DEMO_SETTING, mark_demo
    from surveycoal.store import get_setting, set_setting

    assert get_setting(store, DEMO_SETTING) is None and not is_demo(store)
    mark_demo(store)
    mark_demo(store)
    assert get_setting(store, DEMO_SETTING) == "yes" and is_demo(store)
    set_setting(store, DEMO_SETTING, "no")
    assert not is_demo(store)
