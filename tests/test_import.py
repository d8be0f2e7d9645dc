"""Importing answers from CSV (every encoding and delimiter) and .xlsx; every kind of bad row."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from answering_fixtures import count_rows, open_test_round, stored_open_answers, stored_responses

from surveycoal.codes import panel_key_hash
from surveycoal.errors import DataImportError, InputError, RoundStateError
from surveycoal.importer import import_answers, read_table
from surveycoal.store import close_round


@pytest.fixture
def db_url(both_backends_url: str) -> str:
    """Every test here runs on SQLite and on PostgreSQL."""
    return both_backends_url


HEADER = ["member_type", "trust_1", "trust_2", "equality_1", "equality_2", "tips"]
ROWS = [
    ["Bewonersinitiatief", "4", "weet niet", "3", "", "Meer koffie in het café"],
    ["welfare_organisation", "2", "5", "DK", "1", ""],
    ["Resident initiative", "5", "don't know", "4", "4", ""],
]
EXPECTED = [
    {
        "member_type": "resident_initiative",
        "panel_key_hash": None,
        "complete": True,
        "answers": {"trust_1": 4, "trust_2": None, "equality_1": 3},
    },
    {
        "member_type": "resident_initiative",
        "panel_key_hash": None,
        "complete": True,
        "answers": {"trust_1": 5, "trust_2": None, "equality_1": 4, "equality_2": 4},
    },
    {
        "member_type": "welfare_organisation",
        "panel_key_hash": None,
        "complete": True,
        "answers": {"trust_1": 2, "trust_2": 5, "equality_1": None, "equality_2": 1},
    },
]


def _write_csv(
    path: Path, rows: list[list[str]], *, delimiter: str = ",", encoding: str = "utf-8"
) -> Path:
    def quote(cell: str) -> str:
        if any(ch in cell for ch in (delimiter, '"', "\n")):
            return '"' + cell.replace('"', '""') + '"'
        return cell

    text = "\r\n".join(delimiter.join(quote(c) for c in row) for row in rows) + "\r\n"
    path.write_bytes(text.encode(encoding))
    return path


def _write_xlsx(path: Path, rows: list[list[Any]]) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


@pytest.mark.parametrize(
    ("encoding", "delimiter", "label"),
    [
        ("utf-8", ",", "utf-8"),
        ("utf-8-sig", ",", "utf-8-sig"),
        ("utf-8-sig", ";", "utf-8-sig"),
        ("cp1252", ";", "windows-1252"),
        ("cp1252", ",", "windows-1252"),
        ("utf-8", "\t", "utf-8"),
    ],
)
def test_csv_in_every_encoding_and_delimiter(
    store: Any, tmp_path: Path, encoding: str, delimiter: str, label: str
) -> None:
    round_ = open_test_round(store)
    path = _write_csv(
        tmp_path / "answers.csv", [HEADER, *ROWS], delimiter=delimiter, encoding=encoding
    )
    result = import_answers(store, round_.ref, path)
    assert result.responses == 3 and result.stored
    assert result.encoding == label and result.delimiter == delimiter
    assert stored_responses(store) == EXPECTED
    assert stored_open_answers(store) == ["Meer koffie in het café"]


def test_xlsx_with_numbers_text_and_empty_cells(store: Any, tmp_path: Path) -> None:
    round_ = open_test_round(store)
    rows: list[list[Any]] = [
        HEADER,
        ["Bewonersinitiatief", 4, "weet niet", 3.0, None, "Meer koffie in het café"],
        ["welfare_organisation", 2, 5, "dk", 1, None],
        [None, None, None, None, None, None],
        ["resident initiative", "5", "Weet ik niet", 4, 4, ""],
    ]
    result = import_answers(store, round_.ref, _write_xlsx(tmp_path / "answers.xlsx", rows))
    assert result.responses == 3 and result.encoding == "xlsx"
    assert result.skipped_empty_rows == 1
    assert stored_responses(store) == EXPECTED


def test_a_panel_key_in_the_file_is_hashed_like_the_interactive_key(
    store: Any, tmp_path: Path
) -> None:
    round_ = open_test_round(store, link_rounds=True)
    path = _write_csv(
        tmp_path / "panel.csv",
        [
            [*HEADER[:5], "panel_key"],
            ["bewonersinitiatief", "1", "2", "3", "4", "ol-07-a-2"],
            ["bewonersinitiatief", "1", "2", "3", "4", ""],
        ],
    )
    import_answers(store, round_.ref, path)
    typed = {
        "mother_name": "Olga",
        "birth_day": "7",
        "birth_place": "Apeldoorn",
        "older_siblings": "2",
    }
    hashes = sorted(str(r["panel_key_hash"]) for r in stored_responses(store))
    assert hashes == sorted([panel_key_hash(store.hash_key(), typed), "None"])


def test_every_problem_is_listed_with_row_and_column_and_nothing_is_stored(
    store: Any, tmp_path: Path
) -> None:
    round_ = open_test_round(store)
    path = _write_csv(
        tmp_path / "bad.csv",
        [
            [*HEADER, "comments"],
            ["Bewonersinitiatief", "4", "4", "4", "4", "", ""],  # fine
            ["funder", "4", "4", "4", "4", "", ""],  # unknown member type
            ["", "4", "4", "4", "4", "", ""],  # empty member type
            ["welfare_organisation", "6", "x", "2.5", "0", "", ""],  # four bad values
            ["welfare_organisation", "", "", "", "", "", ""],  # no answers
            ["welfare_organisation", "3", "3", "3", "3", "y" * 201, ""],  # too long
            ["welfare_organisation", "3", "3", "3", "3", "", "", "surplus"],  # extra cell
            [],  # a blank line is skipped, not a problem
        ],
    )
    with pytest.raises(DataImportError) as caught:
        import_answers(store, round_.ref, path)
    problems = caught.value.problems
    expected = [
        "row 1, column G: 'comments' is not an item",
        "row 3, column A (member_type): 'funder' is not a member type",
        "row 4, column A (member_type): the member type is empty",
        "row 5, column B (trust_1): '6' is not an answer",
        "row 5, column C (trust_2): 'x' is not an answer",
        "row 5, column D (equality_1): '2.5' is not an answer",
        "row 5, column E (equality_2): '0' is not an answer",
        "row 6: there are no answers in this row",
        "row 7, column F (tips): the answer is longer than 200 characters",
        "row 8: there are more cells than column names",
    ]
    assert len(problems) == len(expected)
    for problem, start in zip(problems, expected, strict=True):
        assert str(problem).startswith(start), (problem, start)
    assert "10 problems" in caught.value.message
    assert count_rows(store, "responses") == 0 and count_rows(store, "open_answers") == 0


def test_header_problems_are_listed_too(store: Any, tmp_path: Path) -> None:
    round_ = open_test_round(store)
    path = _write_csv(
        tmp_path / "header.csv",
        [["trust_1", "Trust_1", "", "equality_2"], ["4", "4", "4", "4"]],
        delimiter=";",
    )
    with pytest.raises(DataImportError) as caught:
        import_answers(store, round_.ref, path)
    text = "\n".join(map(str, caught.value.problems))
    assert "row 1, column B: 'Trust_1' appears twice (also in column A)" in text
    assert "row 1, column C: the column has no name" in text
    assert "row 1: there is no member_type column" in text
    assert "row 1: 2 item column(s) are missing: trust_2, equality_1" in text


def test_a_panel_key_is_a_problem_in_a_round_that_does_not_link(store: Any, tmp_path: Path) -> None:
    round_ = open_test_round(store)
    path = _write_csv(
        tmp_path / "panel.csv",
        [[*HEADER[:5], "panel_key"], ["bewonersinitiatief", "1", "2", "3", "4", "OL-7-A-2"]],
    )
    with pytest.raises(DataImportError, match="1 problem") as caught:
        import_answers(store, round_.ref, path)
    assert "column F (panel_key): round zuid-doet-samen/1 does not link rounds" in str(
        caught.value.problems[0]
    )


def test_a_malformed_panel_key_and_a_date_cell_are_problems(store: Any, tmp_path: Path) -> None:
    round_ = open_test_round(store, link_rounds=True)
    rows: list[list[Any]] = [
        [*HEADER[:5], "panel_key"],
        ["bewonersinitiatief", 1, 2, 3, 4, "OL-7"],
        ["bewonersinitiatief", dt.datetime(2026, 3, 4), 2, 3, 4, "OL-40-A-2"],
    ]
    with pytest.raises(DataImportError) as caught:
        import_answers(store, round_.ref, _write_xlsx(tmp_path / "bad.xlsx", rows))
    text = [str(p) for p in caught.value.problems]
    assert text[0].startswith("row 2, column F (panel_key): a panel key has 4 parts")
    assert text[1].startswith("row 3, column B (trust_1): '<date 2026-03-04")
    assert text[2].startswith("row 3, column F (panel_key): Type a number from 1 to 31")


def test_dry_run_checks_but_stores_nothing_and_reports_progress(store: Any, tmp_path: Path) -> None:
    round_ = open_test_round(store)
    rows = [HEADER] + [["bewonersinitiatief", "3", "3", "3", "3", ""] for _ in range(120)]
    path = _write_csv(tmp_path / "many.csv", rows)
    seen: list[tuple[str, int, int]] = []
    result = import_answers(
        store, round_.ref, path, dry_run=True, progress=lambda *a: seen.append(a)
    )
    assert result.responses == 120 and not result.stored
    assert count_rows(store, "responses") == 0
    assert seen == [("check", 50, 120), ("check", 100, 120), ("check", 120, 120)]
    seen.clear()
    import_answers(store, round_.ref, path, progress=lambda *a: seen.append(a))
    assert seen[-1] == ("store", 120, 120)
    assert count_rows(store, "responses") == 120


def test_files_that_cannot_be_imported(store: Any, tmp_path: Path) -> None:
    round_ = open_test_round(store)
    with pytest.raises(InputError, match="no file"):
        import_answers(store, round_.ref, tmp_path / "missing.csv")
    (tmp_path / "answers.json").write_text("{}")
    with pytest.raises(InputError, match=".csv and .xlsx"):
        import_answers(store, round_.ref, tmp_path / "answers.json")
    (tmp_path / "empty.csv").write_text("\n\n")
    with pytest.raises(DataImportError, match="empty"):
        import_answers(store, round_.ref, tmp_path / "empty.csv")
    (tmp_path / "header-only.csv").write_text(",".join(HEADER) + "\n")
    with pytest.raises(DataImportError, match="no rows"):
        import_answers(store, round_.ref, tmp_path / "header-only.csv")
    (tmp_path / "broken.xlsx").write_bytes(b"PK not really a workbook")
    with pytest.raises(DataImportError, match="cannot be opened"):
        import_answers(store, round_.ref, tmp_path / "broken.xlsx")
    (tmp_path / "binary.csv").write_bytes(b"member_type\x81\x8d\n")
    with pytest.raises(DataImportError, match="neither UTF-8 nor Windows-1252"):
        import_answers(store, round_.ref, tmp_path / "binary.csv")


def test_a_closed_round_takes_no_import_but_can_still_be_checked(
    store: Any, tmp_path: Path
) -> None:
    round_ = open_test_round(store)
    path = _write_csv(tmp_path / "answers.csv", [HEADER, *ROWS])
    close_round(store, round_.ref)
    with pytest.raises(RoundStateError):
        import_answers(store, round_.ref, path)
    assert import_answers(store, round_.ref, path, dry_run=True).responses == 3


def test_quoted_cells_across_lines_keep_spreadsheet_row_numbers(tmp_path: Path) -> None:
    path = _write_csv(
        tmp_path / "multi.csv", [HEADER, ["a", "1", "1", "1", "1", "two\nlines"], ["b"]]
    )
    table = read_table(path)
    assert [n for n, _ in table.rows] == [2, 3]
    assert table.rows[0][1][-1] == "two\nlines"


def test_the_import_command(store: Any, cli: Any, tmp_path: Path) -> None:
    round_ = open_test_round(store)
    good = _write_csv(tmp_path / "good.csv", [HEADER, *ROWS], delimiter=";", encoding="cp1252")
    checked = cli("import", round_.ref, str(good), "--dry-run")
    assert checked.exit_code == 0, checked.output
    assert "All 3 rows can be imported" in checked.output and "dry run" in checked.output
    assert count_rows(store, "responses") == 0
    done = cli("import", round_.ref, str(good))
    assert done.exit_code == 0, done.output
    assert "Imported 3 responses" in done.output and "windows-1252" in done.output
    bad = _write_csv(tmp_path / "bad.csv", [HEADER, ["funder", "9", "", "", "", ""]])
    failed = cli("import", round_.ref, str(bad))
    assert failed.exit_code == 1 and "Traceback" not in failed.output
    assert "Nothing was imported" in failed.output
    assert "row 2, column A (member_type)" in failed.output
    assert "row 2, column B (trust_1)" in failed.output
    assert count_rows(store, "responses") == 3


def test_a_file_saved_by_dutch_excel(store: Any) -> None:
    """Semicolons, Windows-1252 (é), CRLF, a quoted cell holding a semicolon, a blank row."""
    round_ = open_test_round(store)
    path = Path(__file__).parent / "data" / "import" / "paper-forms-excel-nl.csv"
    result = import_answers(store, round_.ref, path)
    assert (result.responses, result.encoding, result.delimiter) == (4, "windows-1252", ";")
    assert result.skipped_empty_rows == 1
    assert stored_open_answers(store) == [
        "Café De Zon als vaste plek",
        "Minder vergaderen; meer doen",
        "Vaker samen koffie in het buurthuis, ook 's avonds",
    ]
    types = sorted(r["member_type"] for r in stored_responses(store))
    assert types == ["resident_initiative"] * 2 + ["welfare_organisation"] * 2


def test_excel_unicode_text_is_read_and_other_binary_files_are_named(
    store: Any, tmp_path: Path
) -> None:
    """Excel's "Unicode text" is UTF-16 with tabs; a spreadsheet under a .csv name is not text."""
    round_ = open_test_round(store)
    path = _write_csv(tmp_path / "unicode.txt", [HEADER, *ROWS], delimiter="\t", encoding="utf-16")
    result = import_answers(store, round_.ref, path, dry_run=True)
    assert (result.responses, result.encoding, result.delimiter) == (3, "utf-16", "\t")
    import_answers(store, round_.ref, path)
    assert stored_responses(store) == EXPECTED
    assert stored_open_answers(store) == ["Meer koffie in het café"]

    workbook = _write_xlsx(tmp_path / "answers.xlsx", [HEADER, *ROWS])
    renamed = tmp_path / "answers.csv"
    renamed.write_bytes(workbook.read_bytes())
    with pytest.raises(DataImportError, match="not a text file") as caught:
        import_answers(store, round_.ref, renamed)
    assert caught.value.problems[0].startswith("byte ")
    with pytest.raises(InputError, match="is a folder"):
        import_answers(store, round_.ref, tmp_path)
    assert count_rows(store, "responses") == 3


def test_an_online_forms_time_stamp_column_is_refused_with_a_way_out(
    store: Any, tmp_path: Path
) -> None:
    round_ = open_test_round(store)
    path = _write_csv(
        tmp_path / "form.csv",
        [["Tijdstempel", *HEADER], ["2026/11/30 10:14:03", *ROWS[0]]],
    )
    with pytest.raises(DataImportError) as caught:
        import_answers(store, round_.ref, path)
    (problem,) = caught.value.problems
    assert problem.startswith("row 1, column A: 'Tijdstempel' is not an item")
    assert "delete the column" in problem
    assert count_rows(store, "responses") == 0


def test_imported_responses_keep_member_type_and_panel_key_when_loaded(
    store: Any, tmp_path: Path
) -> None:
    from surveycoal.store import load_round_data

    round_ = open_test_round(store, link_rounds=True)
    path = _write_csv(
        tmp_path / "panel.csv",
        [
            [*HEADER, "panel_key"],
            [*ROWS[0], "OL-7-A-2"],
            [*ROWS[1], ""],
            [*ROWS[2], "ma 30 u 0"],
        ],
    )
    import_answers(store, round_.ref, path)
    data = load_round_data(store, round_.ref)
    secret = store.hash_key()
    olga = panel_key_hash(secret, ["OL", "7", "A", "2"])
    marie = panel_key_hash(secret, ["MA", "30", "U", "0"])
    loaded = sorted(
        zip(data.responses["member_type"], data.responses["panel_key"].fillna("-"), strict=True)
    )
    assert loaded == sorted(
        [
            ("resident_initiative", olga),
            ("welfare_organisation", "-"),
            ("resident_initiative", marie),
        ]
    )
    # Each response's answers stay with its own member type and key.
    by_key = data.values.join(data.responses)
    assert by_key.loc[by_key["panel_key"] == olga, "trust_1"].tolist() == [4.0]
    assert by_key.loc[by_key["panel_key"] == marie, "trust_1"].tolist() == [5.0]
    assert bool(data.dont_know.loc[by_key.index[by_key["panel_key"] == marie][0], "trust_2"])


def test_the_same_answers_are_not_imported_twice(store: Any, cli: Any, tmp_path: Path) -> None:
    """Running an import again, or importing the same answers saved as .xlsx in another
    order, would count every response twice: refused unless --again says they are new."""
    round_ = open_test_round(store)
    first = _write_csv(tmp_path / "paper.csv", [HEADER, *ROWS])
    assert cli("import", round_.ref, str(first)).exit_code == 0
    same = _write_xlsx(tmp_path / "paper.xlsx", [HEADER, *reversed(ROWS)])
    for attempt in (["import", round_.ref, str(first)], ["import", round_.ref, str(same)]):
        refused = cli(*attempt)
        assert refused.exit_code == 1 and "Traceback" not in refused.output
        assert "imported into" in refused.output and "--again" in refused.output
    checked = cli("import", round_.ref, str(first), "--dry-run")
    assert checked.exit_code == 1 and "already" in checked.output
    assert count_rows(store, "responses") == 3
    other = _write_csv(tmp_path / "more.csv", [HEADER, ROWS[0]])
    assert cli("import", round_.ref, str(other)).exit_code == 0
    assert count_rows(store, "responses") == 4
    again = cli("import", round_.ref, str(first), "--again")
    assert again.exit_code == 0, again.output
    assert count_rows(store, "responses") == 7
    # the record of imports points to no response: only the round, a keyed hash, a date
    with store.read() as conn:
        from surveycoal.store import schema

        assert [c.name for c in schema.imports.columns] == [
            "round_id",
            "content_hash",
            "imported_on",
            "responses",
        ]
        assert conn.execute(schema.imports.select()).all()


def test_paper_forms_may_name_the_member_type_by_answer_or_by_group(
    store: Any, tmp_path: Path
) -> None:
    """The shipped questionnaire's member types answer "Hoe doe je mee?" and have a short
    group name; a paper form may use either, in either language, or the id."""
    from surveycoal import store as st
    from surveycoal.instruments import load_instrument

    st.add_coalition(store, "Noord Samen")
    instrument = load_instrument("coalition-health")
    round_ = st.open_round(store, "noord-samen", instrument)
    header = ["member_type", *instrument.item_ids]
    names = [
        "Als bewoner (of voor een bewonersinitiatief)",
        "Bewoners",
        "For my work at a welfare organisation",
        "Welzijnsorganisaties",
        "municipality",
    ]
    rows = [[name, *(["4"] * len(instrument.item_ids))] for name in names]
    path = _write_csv(tmp_path / "paper.csv", [header, *rows], delimiter=",", encoding="utf-8")
    assert import_answers(store, round_.ref, path).responses == 5
    types = sorted(r["member_type"] for r in stored_responses(store))
    assert types == [
        "municipality", "resident_initiative", "resident_initiative",
        "welfare_organisation", "welfare_organisation",
    ]  # fmt: skip


def test_every_row_the_import_accepts_passes_the_stores_own_checks(
    store: Any, tmp_path: Path
) -> None:
    """The import stores its rows without checking them a second time (a quarter of the
    time of 100,000 rows), so its row checks must accept nothing the store would refuse."""
    from surveycoal.importer import check_table
    from surveycoal.store import check_response

    round_ = open_test_round(store, link_rounds=True)
    rows = [
        [*HEADER, "panel_key"],
        *[[*row, ""] for row in ROWS],
        ["resident_initiative", " 5 ", "4,0", "3.00", "Weet ik niet", "x" * 20, "ol-07-a-2"],
        ["welfare organisation", "1", "", "", "", "alleen tekst", ""],
    ]
    table = read_table(_write_csv(tmp_path / "mixed.csv", rows))
    responses = check_table(round_, table, secret=store.hash_key())
    assert len(responses) == 5
    assert [check_response(round_, response) for response in responses] == [[]] * 5
