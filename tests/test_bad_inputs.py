"""A corpus of bad inputs, tried as a careless or hostile user would.

Every case runs one command and checks what the developer guide asks of bad input:
a message naming what is wrong (and where), exit code 1 (2 for a usage error that
click itself reports), no traceback, and the database exactly as it was (its whole
content dumped as SQL before and after).

The files are made by the tests themselves (nothing binary is kept in git).
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from answering_fixtures import sqlite_dump
from typer.testing import CliRunner

from surveycoal import store as st
from surveycoal.cli import app
from surveycoal.instruments import instruments_dir, load_instrument

SLUG = "zuid-doet-samen"
CLOSED = f"{SLUG}/1"
OPEN = f"{SLUG}/2"
SECRET = "wachtwoord-van-ans-1234"


@dataclass(frozen=True)
class Case:
    """One bad input: how to make its files, the command, and what it must say."""

    id: str
    args: Callable[[Path], list[str]]
    says: tuple[str, ...]
    code: int = 1
    never: tuple[str, ...] = ()
    patch: dict[str, Any] = field(default_factory=dict)


def _write(tmp: Path, name: str, data: str | bytes) -> Path:
    path = tmp / name
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return path


def _valid_yaml() -> str:
    return (instruments_dir() / "coalition-pulse.yaml").read_text(encoding="utf-8")


def _alias_bomb() -> str:
    big = "x" * 150_000
    return (
        _valid_yaml()
        + f"\nextra_anchor: &big '{big}'\nextra_list: ["
        + ", ".join(["*big"] * 20)
        + "]\n"
    )


def _answers_csv(rows: list[str], header: str | None = None) -> str:
    items = [i.id for i in load_instrument("coalition-health").items]
    return "\n".join([header or ",".join(["member_type", *items]), *rows]) + "\n"


def _row(value: str = "3", member_type: str = "resident_initiative") -> str:
    n = len(load_instrument("coalition-health").items)
    return ",".join([member_type, *([value] * n)])


def _xlsx(tmp: Path, name: str, sheet_xml: bytes | None = None, extra: bytes | None = None) -> Path:
    from openpyxl import Workbook

    path = tmp / name
    book = Workbook()
    book.active.append(["member_type", "trust_1"])
    book.save(path)
    if sheet_xml is None and extra is None:
        return path
    source = zipfile.ZipFile(path)
    parts = {i.filename: source.read(i.filename) for i in source.infolist()}
    source.close()
    if sheet_xml is not None:
        parts["xl/worksheets/sheet1.xml"] = sheet_xml
    if extra is not None:
        parts["xl/media/padding.bin"] = extra
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for part, data in parts.items():
            out.writestr(part, data)
    return path


_ENTITY_BOMB = (
    '<?xml version="1.0"?><!DOCTYPE b [<!ENTITY l0 "lollollollollollollollollollol">'
    + "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    + ']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&l9;</t></is></c></row>'
    "</sheetData></worksheet>"
).encode()


def _instrument_cases() -> list[Case]:
    files: list[tuple[str, Callable[[Path], Path], tuple[str, ...], tuple[str, ...]]] = [
        (
            "nested-yaml",
            lambda t: _write(t, "nested.yaml", "a: " + "[" * 5000 + "]" * 5000),
            ("nested.yaml", "nested more than"),
            (),
        ),
        (
            "5000-digit-number",
            lambda t: _write(
                t, "digits.yaml", _valid_yaml().replace("min_group: 5", "min_group: " + "9" * 5000)
            ),
            ("digits.yaml", "5000 digits"),
            (),
        ),
        (
            "alias-bomb",
            lambda t: _write(t, "aliases.yaml", _alias_bomb()),
            ("aliases.yaml", "aliases"),
            (),
        ),
        (
            "oversized",
            lambda t: _write(t, "huge.yaml", _valid_yaml() + "#" + "x" * 1_100_000),
            ("huge.yaml", "larger than"),
            (),
        ),
        (
            "not-utf8",
            lambda t: _write(t, "latin.yaml", _valid_yaml().encode("utf-8") + b"\n# caf\xe9\n"),
            ("latin.yaml", "not UTF-8"),
            (),
        ),
        (
            "nul-byte",
            lambda t: _write(t, "nul.yaml", _valid_yaml().encode("utf-8") + b"\n\x00\n"),
            ("nul.yaml", "U+0000"),
            (),
        ),
        ("empty", lambda t: _write(t, "empty.yaml", ""), ("empty.yaml", "empty"), ()),
        (
            "syntax-error",
            lambda t: _write(t, "broken.yaml", "id: [unclosed\n"),
            ("broken.yaml", "YAML syntax error"),
            (),
        ),
        (
            "password-file",
            lambda t: _write(t, "shadow", f"root:{SECRET}:20263:0:99999:7:::\nans:x:1::\n"),
            ("shadow", "not an instrument file"),
            (SECRET, "root:"),
        ),
        (
            "passwd-lines",
            lambda t: _write(t, "passwd", f"root {SECRET} /bin/bash\n"),
            ("passwd", "not an instrument file"),
            (SECRET,),
        ),
        (
            "top-level-list",
            lambda t: _write(t, "list.yaml", "- id: x\n- version: 1\n"),
            ("list.yaml", "top level must be a mapping"),
            (),
        ),
        (
            "a-folder",
            lambda t: (t / "a-folder.yaml").mkdir() or (t / "a-folder.yaml"),
            ("a-folder.yaml", "folder"),
            (),
        ),
    ]
    cases = []
    for name, make, says, never in files:
        cases.append(
            Case(
                f"round-open-{name}",
                lambda t, make=make: ["round", "open", SLUG, "--instrument", str(make(t))],
                says,
                never=never,
            )
        )
        cases.append(
            Case(
                f"validate-{name}",
                lambda t, make=make: ["instrument", "validate", str(make(t))],
                says,
                never=never,
            )
        )
    cases += [
        Case(
            "round-open-missing-file",
            lambda t: ["round", "open", SLUG, "--instrument", str(t / "gone.yaml")],
            ("gone.yaml", "not found"),
        ),
        Case(
            "round-open-unknown-name",
            lambda t: ["round", "open", SLUG, "--instrument", "no-such-questionnaire"],
            ("No instrument called 'no-such-questionnaire'",),
        ),
    ]
    return cases


def _import(name: str, make: Callable[[Path], Path], *says: str, **kw: Any) -> Case:
    return Case(f"import-{name}", lambda t: ["import", OPEN, str(make(t))], says, **kw)


def _import_cases() -> list[Case]:
    return [
        _import(
            "nul-bytes",
            lambda t: _write(t, "nul.csv", b"member_type,trust_1\n\x00\x00\x01"),
            "nul.csv",
            "NUL",
        ),
        _import(
            "neither-encoding",
            lambda t: _write(t, "odd.csv", b"member_type,trust_1\n\x81\x8d\x8f\x90\x9d,3\n"),
            "odd.csv",
            "neither UTF-8 nor Windows-1252",
        ),
        _import(
            "broken-utf16",
            lambda t: _write(t, "utf16.csv", b"\xff\xfem\x00e\x00\x00\xd8"),
            "utf16.csv",
            "UTF-16",
        ),
        _import("empty", lambda t: _write(t, "empty.csv", ""), "empty.csv", "empty"),
        _import(
            "unknown-column",
            lambda t: _write(t, "cols.csv", "member_type,no_such_item\nresident_initiative,3\n"),
            "no_such_item",
        ),
        _import(
            "value-out-of-range",
            lambda t: _write(t, "range.csv", _answers_csv([_row("7")])),
            "row 2",
        ),
        _import(
            "too-many-columns",
            lambda t: _write(t, "wide.csv", ",".join(f"c{i}" for i in range(1500)) + "\n"),
            "wide.csv",
            "1500 columns",
        ),
        _import(
            "cell-too-long",
            lambda t: _write(t, "long.csv", "member_type,trust_1\n" + "x" * 20_000 + ",3\n"),
            "long.csv",
            "A2",
            "characters",
        ),
        _import(
            "too-big",
            lambda t: _write(t, "big.csv", _answers_csv([_row()] * 50)),
            "big.csv",
            "larger than",
            patch={"surveycoal.importer.MAX_FILE_BYTES": 1000},
        ),
        _import(
            "too-many-rows",
            lambda t: _write(t, "rows.csv", _answers_csv([_row()] * 30)),
            "rows.csv",
            "more than 20 rows",
            patch={"surveycoal.importer.MAX_ROWS": 20},
        ),
        _import(
            "damaged-xlsx",
            lambda t: _write(t, "damaged.xlsx", b"PK\x03\x04 this is no spreadsheet"),
            "damaged.xlsx",
            "cannot be opened as an Excel file",
        ),
        _import(
            "zip-bomb-xlsx",
            lambda t: _xlsx(t, "zipbomb.xlsx", extra=b"\x00" * 30_000_000),
            "zipbomb.xlsx",
            "would unpack to",
        ),
        _import(
            "entity-bomb-xlsx",
            lambda t: _xlsx(t, "entities.xlsx", sheet_xml=_ENTITY_BOMB),
            "entities.xlsx",
            "Excel file",
        ),
        _import(
            "a-folder",
            lambda t: (t / "answers.csv").mkdir() or (t / "answers.csv"),
            "answers.csv",
            "is a folder",
        ),
        _import("missing", lambda t: t / "nothing.csv", "There is no file", "nothing.csv"),
        _import("pdf", lambda t: _write(t, "forms.pdf", b"%PDF-1.4"), "forms.pdf", ".pdf"),
        Case(
            "import-into-closed-round",
            lambda t: ["import", CLOSED, str(_write(t, "ok.csv", _answers_csv([_row()])))],
            ("closed",),
        ),
    ]


def _code_cases() -> list[Case]:
    return [
        Case(
            "erase-bad-check-symbol", lambda t: ["erase", "--code", _mistyped_code(), "--yes"], ()
        ),
        Case("erase-symbols", lambda t: ["erase", "--code", "!!!!-?????", "--yes"], ("!",)),
        Case("erase-too-short", lambda t: ["erase", "--code", "K7QM", "--yes"], ("9",)),
        Case(
            "erase-unknown-code",
            lambda t: ["erase", "--code", _unknown_code(), "--yes"],
            ("not known",),
        ),
        Case("invite-zero", lambda t: ["invite", OPEN, "--count", "0"], ("between 1 and",)),
        Case("invite-too-many", lambda t: ["invite", OPEN, "--count", "20000"], ("between 1 and",)),
        Case(
            "invite-expired",
            lambda t: ["invite", OPEN, "--expires", "2020-01-01"],
            ("in the past",),
        ),
        Case("invite-bad-date", lambda t: ["invite", OPEN, "--expires", "morgen"], ("YYYY-MM-DD",)),
        Case(
            "invite-missing-folder",
            lambda t: ["invite", OPEN, "--out-dir", str(t / "nowhere")],
            ("nowhere", "does not exist"),
        ),
        Case(
            "invite-force-codes-path-is-a-folder",
            lambda t: (
                (t / f"{SLUG}-2-codes.csv").mkdir()
                or ["invite", OPEN, "--out-dir", str(t), "--force"]
            ),
            (f"{SLUG}-2-codes.csv", "folder"),
        ),
        Case("invite-closed-round", lambda t: ["invite", CLOSED], ("closed",)),
    ]


def _mistyped_code() -> str:
    from surveycoal.codes import ALPHABET, new_code

    code = new_code()
    other = next(ch for ch in ALPHABET if ch != code[-1])
    return code[:-1] + other


def _unknown_code() -> str:
    from surveycoal.codes import new_code

    return new_code()


def _argument_cases() -> list[Case]:
    big = "99999999999999999999"
    return [
        Case(
            "round-ref-letters", lambda t: ["round", "show", f"{SLUG}/abc"], ("COALITION/NUMBER",)
        ),
        Case("round-ref-2-63", lambda t: ["round", "show", f"{SLUG}/{2**63}"], ("go up to",)),
        Case("round-ref-huge", lambda t: ["round", "show", f"{SLUG}/{big}"], ("go up to",)),
        Case("round-ref-superscript", lambda t: ["round", "show", f"{SLUG}/²"], ("not a round",)),
        Case("round-ref-no-slash", lambda t: ["round", "show", SLUG], ("COALITION/NUMBER",)),
        Case("round-unknown-coalition", lambda t: ["round", "show", "nergens/1"], ("nergens",)),
        Case("round-unknown-number", lambda t: ["round", "show", f"{SLUG}/7"], (f"{SLUG}/7",)),
        Case(
            "round-open-past-close",
            lambda t: ["round", "open", SLUG, "--closes", "2020-01-01"],
            ("in the past",),
        ),
        Case(
            "round-open-bad-close",
            lambda t: ["round", "open", SLUG, "--closes", "31-12"],
            ("--closes",),
        ),
        Case(
            "round-open-retention-zero",
            lambda t: ["round", "open", SLUG, "--retention-months", "0"],
            ("between 1 and 120",),
        ),
        Case(
            "round-open-retention-huge",
            lambda t: ["round", "open", SLUG, "--retention-months", "5000"],
            ("between 1 and 120",),
        ),
        Case(
            "round-open-min-group",
            lambda t: ["round", "open", SLUG, "--min-group", "2"],
            ("lowered",),
        ),
        Case("note-nul", lambda t: ["note", "add", SLUG, "a\x00b"], ("NUL",)),
        Case("note-too-long", lambda t: ["note", "add", SLUG, "x" * 6000], ("at most 5000",)),
        Case(
            "note-round-huge",
            lambda t: ["note", "add", SLUG, "x", "--round", big],
            ("--round",),
            code=2,
        ),
        Case("coalition-empty-name", lambda t: ["coalition", "add", "   "], ("empty",)),
        Case("coalition-long-name", lambda t: ["coalition", "add", "x" * 300], ("200",)),
        Case("coalition-nul-name", lambda t: ["coalition", "add", "Zuid\x00"], ("NUL",)),
        Case(
            "member-bad-type",
            lambda t: ["member", "add", SLUG, "Gemeente", "--type", "gemeente"],
            ("gemeente",),
        ),
        Case(
            "member-remove-unknown",
            lambda t: ["member", "remove", SLUG, "Niemand"],
            (f"No member of {SLUG} called 'Niemand'", f"Known members of {SLUG}:"),
            never=(f"{SLUG}s",),
        ),
        Case("score-same-rounds", lambda t: ["score", SLUG, "--from", "1", "--to", "1"], ("same",)),
        Case(
            "report-round-huge",
            lambda t: ["report", "coalition", SLUG, "--round", big],
            ("--round",),
            code=2,
        ),
        Case("purge-open-round", lambda t: ["round", "purge", OPEN, "--yes"], ("open",)),
        Case(
            "purge-before-retention",
            lambda t: ["round", "purge", CLOSED, "--yes"],
            ("keeps its answers until", "--force-before-retention"),
        ),
        Case(
            "coalition-delete-unknown",
            lambda t: ["coalition", "delete", "nergens", "--yes"],
            ("nergens",),
        ),
        Case("erase-no-confirmation", lambda t: ["coalition", "delete", SLUG], ("Aborted",)),
    ]


def _database_cases() -> list[Case]:
    def damaged(t: Path) -> Path:
        return _write(t, "damaged.db", b"SQLite format 3\x00" + b"\x13" * 5000)

    def truncated(t: Path) -> Path:
        whole = t / "whole.db"
        st.create_store(whole).close()
        return _write(t, "truncated.db", whole.read_bytes()[:6000])

    def damaged_late(t: Path) -> Path:
        whole = t / "whole.db"
        st.create_store(whole).close()
        data = bytearray(whole.read_bytes())
        data[-8192:-4096] = b"\x13" * 4096  # a page past the schema: it still opens
        return _write(t, "late.db", bytes(data))

    return [
        Case(
            "db-damaged-page-init",
            lambda t: ["init", "--db", str(damaged_late(t))],
            ("late.db is damaged", "Nothing was changed"),
            never=("Database ready",),
        ),
        Case(
            "db-sqlite-no-file",
            lambda t: ["db", "info", "--db", "sqlite://"],
            ("names no database file",),
            never=("None",),
        ),
        Case(
            "db-sqlite-memory",
            lambda t: ["init", "--db", "sqlite:///:memory:"],
            ("names no database file",),
        ),
        Case(
            "db-malformed-url",
            lambda t: ["db", "info", "--db", "postgresql://[::1"],
            ("database",),
            never=("None",),
        ),
        Case(
            "db-unknown-driver", lambda t: ["db", "info", "--db", "nosuch://host/db"], ("nosuch",)
        ),
        Case("db-a-folder", lambda t: ["db", "info", "--db", str(t)], ("is a folder",)),
        Case(
            "db-missing",
            lambda t: ["coalition", "list", "--db", str(t / "no.db")],
            ("surveycoal init",),
        ),
        Case(
            "db-missing-folder",
            lambda t: ["init", "--db", str(t / "no" / "x.db")],
            ("does not exist",),
        ),
        Case(
            "db-damaged-init",
            lambda t: ["init", "--db", str(damaged(t))],
            ("damaged",),
            never=("Database ready",),
        ),
        Case(
            "db-damaged-list",
            lambda t: ["coalition", "list", "--db", str(damaged(t))],
            ("damaged",),
        ),
        Case(
            "db-truncated-init",
            lambda t: ["init", "--db", str(truncated(t))],
            ("truncated.db",),
            never=("Database ready",),
        ),
    ]


def _output_cases() -> list[Case]:
    def a_file(t: Path) -> Path:
        return _write(t, "plain.txt", "not a folder")

    return [
        Case(
            "export-under-a-file",
            lambda t: ["export", CLOSED, "--what", "scores", "-o", str(a_file(t) / "x.csv")],
            ("plain.txt", "is a file"),
        ),
        Case(
            "export-in-proc",
            lambda t: ["export", CLOSED, "--what", "scores", "-o", "/proc/answers.csv"],
            ("/proc",),
        ),
        Case(
            "export-a-folder",
            lambda t: ["export", CLOSED, "--what", "scores", "-o", str(t), "--force"],
            ("folder",),
        ),
        Case(
            "export-missing-folder",
            lambda t: ["export", CLOSED, "--what", "scores", "-o", str(t / "no" / "x.csv")],
            ("does not exist",),
        ),
        Case(
            "export-format",
            lambda t: ["export", CLOSED, "--what", "scores", "--format", "pdf"],
            ("pdf",),
            code=1,
        ),
        Case(
            "report-under-a-file",
            lambda t: [
                "report",
                "coalition",
                SLUG,
                "--round",
                "1",
                "-o",
                str(a_file(t) / "r.html"),
            ],
            ("plain.txt", "is a file"),
        ),
        Case(
            "report-in-proc",
            lambda t: ["report", "coalition", SLUG, "--round", "1", "-o", "/proc/r.html"],
            ("/proc",),
        ),
        Case(
            "report-open-round",
            lambda t: ["report", "coalition", SLUG, "-o", str(t / "r.html")],
            ("open",),
        ),
    ]


CASES = (
    _instrument_cases()
    + _import_cases()
    + _code_cases()
    + _argument_cases()
    + _database_cases()
    + _output_cases()
)


def test_the_corpus_is_large_and_every_case_is_named_once() -> None:
    ids = [case.id for case in CASES]
    assert len(ids) >= 60 and len(set(ids)) == len(ids)


@pytest.fixture(scope="module")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A coalition with a closed round of 12 responses and an open round 2."""
    path = tmp_path_factory.mktemp("template") / "surveycoal.db"
    store = st.create_store(path)
    st.add_coalition(store, "Zuid Doet Samen")
    st.add_member(store, SLUG, "Buurtcoöperatie Zuid", "resident_initiative")
    instrument = load_instrument("coalition-health")
    first = st.open_round(store, SLUG, instrument)
    items = [i.id for i in instrument.items]
    answers = [
        st.NewResponse(
            "resident_initiative" if n % 2 else "welfare_organisation",
            {item: 1 + (n + k) % 5 for k, item in enumerate(items)},
        )
        for n in range(12)
    ]
    st.submit_responses(store, first.ref, answers)
    st.close_round(store, first.ref)
    st.open_round(store, SLUG, instrument)
    store.close()
    return path


_dump = sqlite_dump


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_a_bad_input_gets_a_message_and_changes_nothing(
    case: Case, template_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "surveycoal.db"
    db.write_bytes(template_db.read_bytes())
    work = tmp_path / "files"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setenv("SURVEYCOAL_DB", str(db))
    for target, value in case.patch.items():
        monkeypatch.setattr(target, value)
    from surveycoal.cli._common import console, err_console

    for printer in (console, err_console):
        monkeypatch.setattr(printer, "width", 400)
    before = _dump(db)
    args = case.args(work)

    result = CliRunner().invoke(app, args, env={"COLUMNS": "400"})

    output = result.output
    assert result.exit_code == case.code, output
    assert "Traceback" not in output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    for text in case.says:
        assert text in output, output
    for text in case.never:
        assert text not in output, output
    assert _dump(db) == before
    leftovers = [p.name for p in work.rglob("*") if p.name.endswith(".surveycoal-tmp")]
    assert leftovers == []


def test_one_bad_file_among_the_instruments_is_listed_as_broken(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "instruments"
    folder.mkdir()
    (folder / "mine.yaml").write_text(_valid_yaml().replace("coalition-pulse", "mine"), "utf-8")
    _write(folder, "nested.yaml", "a: " + "[" * 5000 + "]" * 5000)
    _write(folder, "digits.yaml", "id: " + "9" * 5000 + "\n")
    _write(folder, "latin.yml", b"id: caf\xe9\n")
    monkeypatch.setenv("SURVEYCOAL_INSTRUMENTS", str(folder))
    from surveycoal.cli._common import console

    monkeypatch.setattr(console, "width", 300)

    result = CliRunner().invoke(app, ["instrument", "list"])

    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    rows = {line.split("│")[1].strip(): line for line in result.output.splitlines() if "│" in line}
    assert {"mine", "coalition-health", "coalition-pulse"} <= set(rows)
    for broken in ("nested", "digits", "latin"):
        assert "invalid (1 problem)" in rows[broken], rows


@pytest.mark.parametrize("command", [["init"], ["db", "info"], ["coalition", "list"]])
def test_a_database_in_a_folder_the_user_may_not_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    """As another user sees a folder of mode 700 (the tests may run as root, who may open all)."""
    locked = tmp_path / "locked"
    locked.mkdir()
    real_stat = Path.stat

    def stat(self: Path, *args: Any, **kwargs: Any) -> Any:
        if locked in self.parents:
            raise PermissionError(13, "Permission denied", str(self))
        return real_stat(self, *args, **kwargs)

    monkeypatch.setattr(Path, "stat", stat)
    result = CliRunner().invoke(app, [*command, "--db", str(locked / "surveycoal.db")])
    assert result.exit_code == 1, result.output
    assert (
        "Traceback" not in result.output
        and result.exception is None
        or isinstance(result.exception, SystemExit)
    )
    assert f"you may not open the folder {locked}" in result.output
    assert list(locked.iterdir()) == []
