"""Hostile text in every field, read back through every output.

Names, notes, member names, instrument texts and open answers are typed by people.
One list of payloads (terminal escapes, rich markup, emoji codes, HTML, spreadsheet
formulas, control characters, a right-to-left override) is stored in all of them,
and every output is checked: terminal tables and messages, JSON, CSV, XLSX, the
HTML report and the slips. Each must show the text as text and let nothing act.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from surveycoal import store as st
from surveycoal.cli import app
from surveycoal.instruments import instruments_dir, load_instrument
from surveycoal.safetext import shown, shown_line, spreadsheet_text

ESCAPES = "\x1b[2J\x1b]0;pwned\x07"
PAYLOADS = {
    "escape": ESCAPES,
    "c1": "\x9b31mred",
    "markup": "[bold red]rood[/]",
    "emoji": ":x: :warning:",
    "html": "<script>alert(1)</script><img src=x onerror=alert(2)>",
    "formula": '=HYPERLINK("http://x","klik")',
    "control": "a\x01b\x08c\rd\x7f",
    "bidi": "abc\u202edcba",
}
#: One text holding every payload (a name has at most 200 characters).
ALL = " ".join(PAYLOADS.values())
FORMULA_FIRST = PAYLOADS["formula"] + " " + ESCAPES

#: Characters that must never reach any output as they are.
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
SLUG = "zuid"


def test_shown_makes_every_control_visible_and_keeps_the_rest() -> None:
    assert shown(ESCAPES) == "␛[2J␛]0;pwned␇"
    assert shown(PAYLOADS["c1"]) == "<U+009B>31mred"
    assert shown(PAYLOADS["control"]) == "a␁b␈c␍d␡"
    assert shown(PAYLOADS["bidi"]) == "abc<U+202E>dcba"
    for kept in ("Buurtcoöperatie Zuid 😀", "regel\nregel\tkolom", PAYLOADS["markup"], ":x:"):
        assert shown(kept) == kept
    assert shown_line("a\nb") == "a␊b"
    assert not FORBIDDEN.search(shown(ALL)) and not FORBIDDEN.search(spreadsheet_text(ALL))


def _instrument_file(folder: Path) -> Path:
    data = yaml.safe_load((instruments_dir() / "coalition-pulse.yaml").read_text("utf-8"))
    data["title"] = {"nl": ALL, "en": ALL}
    data["dimensions"][0]["label"] = {"nl": FORMULA_FIRST, "en": FORMULA_FIRST}
    data["items"][0]["text"] = {"nl": FORMULA_FIRST, "en": FORMULA_FIRST}
    data["items"][1]["text"] = {"nl": ALL, "en": ALL}
    data["member_types"][0]["label"] = {"nl": ALL[:100], "en": ALL[:100]}
    data["open_questions"][0]["text"] = {"nl": ALL, "en": ALL}
    path = folder / "hostile.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("hostile")
    db = folder / "surveycoal.db"
    instrument_path = _instrument_file(folder)
    store = st.create_store(db)
    programme = st.add_programme(store, ALL[:150]).name
    st.add_coalition(store, ALL[:190], programme=programme, slug=SLUG)
    st.add_member(store, SLUG, FORMULA_FIRST, "resident_initiative")
    st.add_note(store, SLUG, ALL)
    instrument = load_instrument(instrument_path)
    opened = st.open_round(store, SLUG, instrument)
    items = [i.id for i in instrument.items]
    question = instrument.open_questions[0].id
    answers = [
        st.NewResponse(
            "resident_initiative" if n % 2 else "welfare_organisation",
            {item: 1 + (n + k) % 5 for k, item in enumerate(items)},
            {question: f"{FORMULA_FIRST} {n}" if n % 2 else f"{ALL[:200]} {n}"},
        )
        for n in range(12)
    ]
    st.submit_responses(store, opened.ref, answers)
    st.close_round(store, opened.ref)
    store.close()
    return {"db": db, "folder": folder, "instrument": instrument_path, "ref": opened.ref}


@pytest.fixture(autouse=True)
def wide_console(monkeypatch: pytest.MonkeyPatch) -> None:
    from surveycoal.cli._common import console, err_console

    for printer in (console, err_console):
        monkeypatch.setattr(printer, "width", 300)


def _run(hostile: dict[str, Any], *args: str) -> str:
    result = CliRunner().invoke(
        app, [*args, "--db", str(hostile["db"])], env={"COLUMNS": "300"}, catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    return result.output


def _check_terminal(text: str) -> None:
    assert not FORBIDDEN.search(text), repr(FORBIDDEN.search(text))
    assert "❌" not in text and "⚠" not in text  # emoji codes are not expanded


TERMINAL_COMMANDS = [
    ["coalition", "list"],
    ["coalition", "show", SLUG],
    ["programme", "list"],
    ["member", "list", SLUG],
    ["note", "list", SLUG],
    ["round", "list"],
    ["round", "show", f"{SLUG}/1"],
    ["score", f"{SLUG}/1", "--items"],
]


@pytest.mark.parametrize("args", TERMINAL_COMMANDS, ids=[" ".join(a) for a in TERMINAL_COMMANDS])
def test_terminal_outputs_show_hostile_text_as_text(
    hostile: dict[str, Any], args: list[str]
) -> None:
    out = _run(hostile, *args)
    _check_terminal(out)


def test_names_are_shown_visibly_not_dropped(hostile: dict[str, Any]) -> None:
    out = _run(hostile, "coalition", "show", SLUG)
    assert "␛[2J␛]0;pwned␇" in out
    assert "[bold red]rood[/]" in out and ":x: :warning:" in out


def test_instrument_preview_shows_hostile_texts_as_text(hostile: dict[str, Any]) -> None:
    result = CliRunner().invoke(
        app, ["instrument", "preview", str(hostile["instrument"]), "--lang", "en"]
    )
    assert result.exit_code == 0, result.output
    _check_terminal(result.output)
    assert "[bold red]rood[/]" in result.output


def test_json_carries_no_control_characters(hostile: dict[str, Any]) -> None:
    out = _run(hostile, "score", f"{SLUG}/1", "--json")
    assert not FORBIDDEN.search(out)
    data = json.loads(out)

    def strings(value: Any) -> list[str]:
        if isinstance(value, str):
            return [value]
        if isinstance(value, dict):
            return [s for k, v in value.items() for s in (*strings(k), *strings(v))]
        if isinstance(value, list):
            return [s for v in value for s in strings(v)]
        return []

    found = strings(data)
    assert found and not any(FORBIDDEN.search(s) for s in found)
    assert any("␛[2J" in s for s in found)


@pytest.mark.parametrize("what", ["scores", "responses"])
def test_csv_exports_are_inert(hostile: dict[str, Any], what: str) -> None:
    target = hostile["folder"] / f"{what}.csv"
    _run(hostile, "export", f"{SLUG}/1", "--what", what, "-o", str(target), "--force")
    files = sorted(hostile["folder"].glob(f"{what}*.csv"))
    assert files
    texts = []
    for path in files:
        text = path.read_text(encoding="utf-8-sig")
        assert not FORBIDDEN.search(text.replace("\r\n", "\n")), path.name
        for row in csv.reader(text.splitlines()):
            for cell in row:
                assert not cell.startswith(("=", "+", "@")), (path.name, cell)
                texts.append(cell)
    if what == "responses":  # the codebook holds the instrument's texts
        assert any(cell.startswith("'=HYPERLINK") for cell in texts)


@pytest.mark.parametrize("what", ["scores", "responses"])
def test_xlsx_exports_are_written_and_inert(hostile: dict[str, Any], what: str) -> None:
    from openpyxl import load_workbook

    target = hostile["folder"] / f"{what}.xlsx"
    _run(hostile, "export", f"{SLUG}/1", "--what", what, "-o", str(target), "--force")
    assert not list(hostile["folder"].glob("*.surveycoal-tmp"))
    book = load_workbook(target)
    cells = [c.value for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    book.close()
    texts = [c for c in cells if isinstance(c, str)]
    assert texts and not any(FORBIDDEN.search(t) for t in texts)
    assert not any(t.startswith(("=", "+", "@")) for t in texts)


def test_the_report_is_inert(hostile: dict[str, Any]) -> None:
    from report_fixtures import parse_html

    target = hostile["folder"] / "report.html"
    _run(hostile, "report", "coalition", SLUG, "--round", "1", "--lang", "en", "-o", str(target))
    html = target.read_text(encoding="utf-8")
    assert not FORBIDDEN.search(html)
    assert "<script" not in html.lower() and "<img" not in html.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    text = parse_html(html).text()
    assert "␛[2J" in text and "[bold red]rood[/]" in text


def test_the_slips_are_inert(hostile: dict[str, Any], tmp_path: Path) -> None:
    store = st.open_store(hostile["db"])
    st.open_round(store, SLUG, load_instrument(hostile["instrument"]))
    store.close()
    _run(hostile, "invite", f"{SLUG}/2", "--count", "2", "--out-dir", str(tmp_path), "--where", ALL)
    for path in tmp_path.iterdir():
        text = path.read_text(encoding="utf-8")
        assert not FORBIDDEN.search(text.replace("\r\n", "\n")), path.name
        if path.suffix == ".html":
            assert "<script" not in text.lower()
