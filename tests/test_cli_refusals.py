"""The command line with bad input of every kind: a message naming what and where, exit 1,
no traceback, nothing changed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import fails

from surveycoal.resources import instruments_dir


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("garbage.yaml", b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe\x01", "not UTF-8"),
        ("nulls.yaml", b"id: a\x00b\n", "U+0000"),
        ("empty.yaml", b"", "the file is empty"),
        ("comments.yaml", b"# nothing yet\n", "the file is empty"),
        ("prose.yaml", b"Dit is gewoon een zin.\n", "top level must be a mapping"),
        ("list.yaml", b"- id: a\n- id: b\n", "found a list"),
        ("syntax.yaml", b"id: x\ntitle: {nl: open\nitems:\n", "YAML syntax error"),
        ("tabs.yaml", b"id: x\n\titems: []\n", "YAML syntax error"),
        ("two.yaml", b"id: a\n---\nid: b\n", "a single document"),
    ],
)
def test_validate_refuses_what_is_not_an_instrument(
    cli: Callable[..., Any], tmp_path: Path, name: str, content: bytes, expected: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    fails(cli("instrument", "validate", str(path)), name, expected)


def test_validate_a_missing_file_and_a_folder(cli: Callable[..., Any], tmp_path: Path) -> None:
    fails(cli("instrument", "validate", str(tmp_path / "gone.yaml")), "gone.yaml", "not found")
    fails(cli("instrument", "validate", str(tmp_path)), "is a folder")


def test_validate_reports_every_problem_of_every_file(
    cli: Callable[..., Any], tmp_path: Path
) -> None:
    source = (instruments_dir() / "coalition-health.yaml").read_text(encoding="utf-8")
    edits = [
        ("languages: [nl, en]\n", "languages: [nl, en]\nauthor: Zuid\n"),
        ("  - id: trust_shares_information", "  - id: trust_keeps_agreements"),
        (
            "  - id: results_mostly_talk\n    dimension: results",
            "  - id: results_mostly_talk\n    dimension: resultz",
        ),
        ("      en: We get together often enough.\n", ""),
        ("    points: 5", "    points: 2"),
        (
            "    dimension: durability\n    reverse: false\n    text:\n      nl: Het werk",
            "    dimension: durability\n    reverse: yes\n    text:\n      nl: Het werk",
        ),
        ("      nl: We voeren onze plannen ook echt uit.", '      nl: ""'),
        (
            "dimension: knowing_each_other\n    reverse: false",
            "dimension: trust\n    reverse: false",
        ),
    ]
    text = source
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new)
    bad = tmp_path / "bad.yaml"
    bad.write_text(text, encoding="utf-8")
    empty = tmp_path / "empty.yaml"
    empty.write_text("", encoding="utf-8")
    good = tmp_path / "good.yaml"
    good.write_text(source, encoding="utf-8")

    result = cli("instrument", "validate", str(good), str(bad), str(empty))
    output = fails(result, "good.yaml is a valid instrument", "bad.yaml: 8 problems")
    lines = text.splitlines()

    def line(fragment: str) -> int:
        return next(n for n, row in enumerate(lines, 1) if fragment in row)

    flat = " ".join(output.split())
    for expected in (
        f"bad.yaml:{line('author: Zuid')}: author: unknown key 'author'",
        f"bad.yaml:{line('points: 2')}: scale agree5, points: a scale needs at least 3 points",
        "dimension knowing_each_other: has 1 item; a dimension needs at least 2 items",
        "item trust_keeps_agreements, id: duplicate id",
        "item meeting_often_enough, text.en: missing English translation",
        f"bad.yaml:{line('reverse: yes')}: item durability_tasks_shared, reverse: expected true or false",
        f"bad.yaml:{line('dimension: resultz')}: item results_mostly_talk, dimension: unknown dimension 'resultz'; did you mean 'results'?",
        "item results_mostly_talk, text.nl: empty text",
        "empty.yaml: the file is empty",
    ):
        assert expected in flat, expected


def test_every_unknown_name_lists_what_exists(cli: Callable[..., Any]) -> None:
    assert cli("programme", "add", "Expedities 2026").exit_code == 0
    assert cli("coalition", "add", "Zuid Doet Samen").exit_code == 0
    assert cli("member", "add", "zuid-doet-samen", "Welzijn Stimenz", "-t", "other").exit_code == 0
    assert cli("round", "open", "zuid-doet-samen").exit_code == 0
    cases = [
        (("coalition", "add", "Noord", "--programme", "Expeditie"), "Known programmes: Expedities 2026"),
        (("coalition", "list", "--programme", "Expeditie"), "Known programmes: Expedities 2026"),
        (("coalition", "show", "zuid"), "Known coalitions: zuid-doet-samen"),
        (("member", "add", "zuid", "X", "-t", "other"), "Known coalitions: zuid-doet-samen"),
        (("member", "list", "zuid"), "Known coalitions: zuid-doet-samen"),
        (("member", "remove", "zuid-doet-samen", "Stimenz"), "Welzijn Stimenz"),
        (("member", "add", "zuid-doet-samen", "X", "-t", "bank"), "resident_initiative, welfare_organisation, municipality, other"),
        (("round", "open", "zuid"), "Known coalitions: zuid-doet-samen"),
        (("round", "open", "zuid-doet-samen", "-i", "health"), "Known instruments: coalition-health, coalition-pulse"),
        (("round", "show", "zuid-doet-samen/2"), "Known rounds: zuid-doet-samen/1"),
        (("round", "show", "zuid/1"), "Known coalitions: zuid-doet-samen"),
        (("round", "list", "zuid"), "Known coalitions: zuid-doet-samen"),
        (("round", "close", "zuid-doet-samen/9"), "Known rounds: zuid-doet-samen/1"),
        (("note", "add", "zuid", "x"), "Known coalitions: zuid-doet-samen"),
        (("note", "add", "zuid-doet-samen", "x", "--round", "4"), "Known rounds: zuid-doet-samen/1"),
        (("instrument", "preview", "health"), "Known instruments: coalition-health, coalition-pulse"),
        (("instrument", "preview", "coalition-health", "--lang", "de"), "Languages it has: nl, en"),
    ]  # fmt: skip
    for args, expected in cases:
        fails(cli(*args), expected)


def test_names_that_cannot_be_stored_are_refused(cli: Callable[..., Any]) -> None:
    assert cli("programme", "add", "Expedities 2026").exit_code == 0
    fails(cli("programme", "add", "EXPEDITIES 2026"), "exists already")
    fails(cli("programme", "add", "   "), "empty")
    fails(cli("coalition", "add", "???"), "--slug")
    fails(cli("coalition", "add", "Zuid", "--slug", "Zuid Doet"), "cannot be a coalition slug")
    fails(cli("coalition", "add", "x" * 201), "longer than 200")
    long_name = " ".join(["Buurt"] * 30)
    result = cli("coalition", "add", long_name)
    assert result.exit_code == 0, result.output
    listed = cli("coalition", "list")
    assert "buurt-buurt" in listed.output
