"""The score and export commands through typer's CliRunner, on the demo programme and on a
small database made through the store."""

from __future__ import annotations

import csv
import dataclasses
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from scoring_factories import (
    CHANGE_KEYS,
    DIMENSION_KEYS,
    GAP_KEYS,
    ITEM_KEYS,
    ROUND_KEYS,
    TYPE_KEYS,
    make_instrument,
)
from typer.testing import CliRunner, Result

from surveycoal import stats
from surveycoal.cli import _common, app
from surveycoal.demo import PROGRAMME, build_demo
from surveycoal.privacy import published
from surveycoal.scoring import compare_rounds, score_programme, score_round
from surveycoal.store import (
    NewResponse,
    add_coalition,
    add_programme,
    close_round,
    create_store,
    list_rounds,
    load_many,
    load_round_data,
    open_round,
    open_store,
    submit_responses,
)

#: Every figure of a dimension or member-type cell that must be null when the cell is hidden.
FIGURES = ("n", "mean", "sd", "ci_low", "ci_high", "median", "alpha", "rwg", "dont_know", "agree")
VERDICT_WORDS = (
    "improved",
    "slightly improved",
    "possibly improved",
    "possibly declined",
    "declined",
    "slightly declined",
    "no detectable change",
    "inconclusive",
    "too few responses to test",
)


# --- fixtures ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo programme, built once for this module."""
    return build_demo(tmp_path_factory.mktemp("score-demo")).database


@pytest.fixture
def wide(monkeypatch: pytest.MonkeyPatch) -> None:
    """A wide console, so that no table cell wraps and each cell can be read whole."""
    monkeypatch.setattr(_common.console, "_width", 400)
    monkeypatch.setattr(_common.err_console, "_width", 400)


Run = Callable[..., Result]


@pytest.fixture
def demo(demo_db: Path, wide: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Run:
    """``surveycoal ARGS`` against the demo database, in a fresh working folder."""
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()

    def run(*args: str) -> Result:
        return runner.invoke(app, list(args), env={"SURVEYCOAL_DB": str(demo_db)})

    return run


@pytest.fixture(scope="module")
def formula_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A small database whose questionnaire has statements that look like spreadsheet formulas."""
    path = tmp_path_factory.mktemp("formula") / "surveycoal.db"
    base = make_instrument(n_dimensions=2)
    texts = {0: '=HYPERLINK("http://example.org")', 1: "+1+1", 2: "-2", 3: "@SUM(A1)"}
    items = tuple(
        dataclasses.replace(item, text={"nl": texts[i], "en": texts[i]}) if i in texts else item
        for i, item in enumerate(base.items)
    )
    instrument = dataclasses.replace(base, items=items)
    store = create_store(path)
    try:
        add_programme(store, "Formules")
        add_coalition(store, "Reken Mee", programme="Formules")
        open_round(store, "reken-mee", instrument)
        rng = np.random.default_rng(7)
        responses = []
        for i in range(12):
            answers: dict[str, int | None] = {
                item.id: int(rng.integers(1, 6)) for item in instrument.items
            }
            answers[instrument.items[i % len(instrument.items)].id] = None  # don't know
            member = "resident_initiative" if i < 6 else "welfare_organisation"
            responses.append(NewResponse(member_type=member, answers=answers))
        submit_responses(store, "reken-mee/1", responses)
    finally:
        store.close()
    yield path


@pytest.fixture
def formula(formula_db: Path, wide: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Run:
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()

    def run(*args: str) -> Result:
        return runner.invoke(app, list(args), env={"SURVEYCOAL_DB": str(formula_db)})

    return run


# --- helpers ----------------------------------------------------------------------------
def ok(result: Result) -> str:
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return result.stdout


def fails(result: Result, *expected: str) -> str:
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    for text in expected:
        assert text in result.output, result.output
    return result.output


def rows(output: str) -> list[list[str]]:
    """The body cells of every table in ``output`` (one list per printed row)."""
    return [
        [cell.strip() for cell in line.split("\u2502")[1:-1]]
        for line in output.splitlines()
        if line.startswith("\u2502")
    ]


def table(output: str, title: str) -> list[list[str]]:
    """The body cells of the table printed under ``title``."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(title))
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("\u2514"))
    return rows("\n".join(lines[start:end]))


def hidden_cells(output: str) -> list[str]:
    return [cell for row in rows(output) for cell in row if cell.startswith("hidden")]


# --- the round table ----------------------------------------------------------------------
def test_round_table_shows_scores_member_types_and_the_gap(demo: Run, demo_db: Path) -> None:
    out = ok(demo("score", "brugwijk-bloeit/2"))
    store = open_store(demo_db)
    try:
        expected = score_round(load_round_data(store, "brugwijk-bloeit/2")).to_json()
    finally:
        store.close()
    for title in (
        "Scores per dimension",
        "Scores per member type",
        "Equality: residents minus welfare organisations",
    ):
        assert title in out
    trust = next(r for r in table(out, "Scores per dimension") if r[0] == "Trust")
    dim = expected["dimensions"][0]
    assert trust[1] == str(dim["n"])
    assert trust[2] == f"{round(dim['mean'])} ({round(dim['ci_low'])} to {round(dim['ci_high'])})"
    assert trust[4].startswith("shared view" if dim["shared_view"] else "members disagree")
    spread = next(r for r in table(out, "Spread, don't know") if r[0] == "Trust")
    assert re.fullmatch(r"\d+% / \d+% / \d+%", spread[1])  # disagree / neutral / agree
    types = table(out, "Scores per member type")
    assert len(types) == len(expected["dimensions"]) and all(len(r) == 5 for r in types)
    gaps = table(out, "Equality:")
    assert gaps[0][1].startswith(f"{dim['gap']['diff']:+.1f}".replace("-", "\u2212"))
    # the two small member types ("other" below the minimum, municipality its
    # complement) are hidden with the one phrase every hidden cell has, and no number
    cells = hidden_cells(out)
    assert cells and set(cells) == {"hidden to protect anonymity"}
    assert all(not re.search(r"\d", cell) for cell in cells)
    assert "Equality index over all shown dimensions" in out
    assert "Groups smaller than 5 are never shown" in out


def test_round_table_of_a_round_below_the_minimum_shows_no_figures(demo: Run) -> None:
    out = ok(demo("score", "klein-rietveld/2"))
    # as in the reports, a hidden round says "fewer than" and no response rate
    assert re.search(r"fewer than 5 responses of \d+ invited", out)
    assert "%" not in out and "4 responses" not in out
    assert "No figures are shown" in out
    assert rows(out) == []


def test_round_table_hides_distributions_below_ten(demo: Run) -> None:
    out = ok(demo("score", "klein-rietveld/3", "--items"))
    spread = table(out, "Spread, don't know")
    assert spread and all(r[1] == "hidden to protect anonymity" for r in spread)
    # residents (5) and professionals (3): the gap needs both groups, so it is not shown
    assert "hidden to protect anonymity" in hidden_cells(out)
    statements = table(out, "Answers per statement")
    assert statements and all(r[1] == "-" and r[3].startswith("hidden") for r in statements)


def test_items_table_lists_every_statement(demo: Run, demo_db: Path) -> None:
    out = ok(demo("score", "brugwijk-bloeit/2", "--items"))
    store = open_store(demo_db)
    try:
        item_ids = load_round_data(store, "brugwijk-bloeit/2").instrument.item_ids
    finally:
        store.close()
    listed = [r[0] for r in table(out, "Answers per statement")]
    assert listed == list(item_ids)


def test_a_coalition_alone_scores_its_latest_round(demo: Run) -> None:
    result = demo("score", "brugwijk-bloeit", "--json")
    assert json.loads(ok(result))["round"] == 3
    assert "latest round" in result.stderr


# --- the change table --------------------------------------------------------------------
@pytest.mark.parametrize(
    "slug", ["zonnehoek-samen", "molenweide-doet-mee", "kanaaleiland-verbindt"]
)
def test_change_table_gives_verdicts_in_words_with_the_interval(
    demo: Run, demo_db: Path, slug: str
) -> None:
    out = ok(demo("score", slug, "--from", "1", "--to", "3"))
    store = open_store(demo_db)
    try:
        a, b = load_many(store, [f"{slug}/1", f"{slug}/3"])
    finally:
        store.close()
    expected = compare_rounds(a, b).to_json()["changes"]
    changes = table(out, "Change per dimension")
    details = table(out, "How each change was tested")
    assert len(changes) == len(details) == len(expected)
    marked = 0
    for row, detail, change in zip(changes, details, expected, strict=True):
        verdict = row[3]
        assert verdict.startswith(VERDICT_WORDS), verdict
        assert "unchanged" not in verdict
        if change["verdict"] == "no_detectable_change":
            # docs/METHODS.md section 8: always with the interval, which holds zero as printed
            assert "the data fit anything from" in verdict
            assert not stats.printed_excludes_zero(change["ci_low"], change["ci_high"])
        # the marker is scoring's: a "possibly" verdict did not hold after Holm
        holm = change["verdict_note"] == "holm"
        assert holm == verdict.startswith("possibly")
        assert verdict.endswith("\u2020") == holm
        marked += holm
        assert row[1] == f"{change['n_from']} \u2192 {change['n_to']}"
        assert "(" in row[2] and " to " in row[2]  # the change with its interval
        design = {"welch": "independent", "paired": "paired"}.get(change["method"])
        assert detail[4] == (design or f"partially paired ({change['n_linked']} linked)")
        assert float(detail[3]) == pytest.approx(change["detectable_change"], abs=0.051)
    assert ("\u2020 Possibly: the interval leaves out zero" in out) == bool(marked)


def test_trust_grows_in_zonnehoek(demo: Run) -> None:
    out = ok(demo("score", "zonnehoek-samen", "--from", "1", "--to", "3"))
    trust = next(r for r in table(out, "Change per dimension") if r[0] == "Trust")
    assert trust[3].startswith(("improved", "slightly improved"))


def test_change_of_unlinked_rounds_is_independent(demo: Run) -> None:
    out = ok(demo("score", "klein-rietveld", "--from", "1", "--to", "3"))
    assert {r[4] for r in table(out, "How each change was tested")} == {"independent"}


def test_change_to_a_hidden_round_is_not_tested(demo: Run) -> None:
    out = ok(demo("score", "klein-rietveld", "--from", "1", "--to", "2"))
    assert "round 2 (fewer than 5 responses)" in out and "4 responses" not in out
    changes = table(out, "Change per dimension")
    assert changes and all(r[3] == "too few responses to test" for r in changes)
    assert all(r[2] == "hidden to protect anonymity" for r in changes)


def test_a_few_linked_people_are_not_counted_out_loud(
    tmp_path_factory: pytest.TempPathFactory, wide: None
) -> None:
    """Three people answer both rounds with their panel key: the table says "fewer than 5"."""
    path = tmp_path_factory.mktemp("panel") / "surveycoal.db"
    instrument = make_instrument(n_dimensions=2)
    store = create_store(path)
    rng = np.random.default_rng(11)
    try:
        add_coalition(store, "Drie Terug")
        for number in (1, 2):
            open_round(store, "drie-terug", instrument, link_rounds=True)
            submit_responses(
                store,
                f"drie-terug/{number}",
                [
                    NewResponse(
                        member_type="resident_initiative" if i % 2 else "welfare_organisation",
                        answers={item.id: int(rng.integers(1, 6)) for item in instrument.items},
                        panel_key_hash=f"key-{i}" if i < 3 else f"key-{number}-{i}",
                    )
                    for i in range(12)
                ],
            )
            close_round(store, f"drie-terug/{number}")
    finally:
        store.close()
    run = CliRunner().invoke
    env = {"SURVEYCOAL_DB": str(path)}
    change = json.loads(
        ok(run(app, ["score", "drie-terug", "--from", "1", "--to", "2", "--json"], env=env))
    )
    # fewer linked people than the minimum group are tested as unlinked (docs/METHODS.md section 7)
    assert {c["n_linked"] for c in change["changes"]} == {None}  # withheld, not shown as 0
    assert {c["method"] for c in change["changes"]} == {"welch"}
    out = ok(run(app, ["score", "drie-terug", "--from", "1", "--to", "2"], env=env))
    designs = {r[4] for r in table(out, "How each change was tested")}
    assert len(designs) == 1 and not any(ch.isdigit() for ch in designs.pop())


def test_mid_changes_what_counts_as_slight(demo: Run) -> None:
    default = json.loads(ok(demo("score", "zonnehoek-samen", "--from", "1", "--to", "3", "--json")))
    wide_mid = json.loads(
        ok(demo("score", "zonnehoek-samen", "--from", "1", "--to", "3", "--json", "--mid", "30"))
    )
    assert default["mid"] == 5 and wide_mid["mid"] == 30
    trust = next(c for c in wide_mid["changes"] if c["dimension"] == "trust")
    assert trust["verdict"] in ("slightly_improved", "slightly_declined")


# --- the programme table ------------------------------------------------------------------
def test_programme_table_places_coalitions_in_the_funnel_without_ranking(demo: Run) -> None:
    out = ok(demo("score", "--programme", PROGRAMME, "--round", "2"))
    side = table(out, "Coalitions side by side")
    refs = [r[1] for r in side]
    per_dimension = len(set(refs))
    assert per_dimension == 5 and all(ref.endswith("/2") for ref in refs)
    for start in range(0, len(refs), per_dimension):
        block = refs[start : start + per_dimension]
        assert block == sorted(block)  # alphabetical, never by score
    hidden = [r for r in side if r[1] == "klein-rietveld/2"]
    assert hidden and all(r[3] == "hidden to protect anonymity" and r[2] == "-" for r in hidden)
    positions = {r[4] for r in side if r[1] != "klein-rietveld/2"}
    assert positions and all(
        re.fullmatch(r"(within|above|below) the limits( \(also beyond the 99\.8% limits\))?", p)
        for p in positions
    )
    figures = json.loads(ok(demo("score", "--programme", PROGRAMME, "--round", "2", "--json")))
    icc = table(out, "How much coalitions differ")
    assert [r[1] for r in icc] == [str(d["n_coalitions"]) for d in figures["dimensions"]]
    shown_icc2 = [r[3].replace("\u2212", "-") for r in icc]  # the table writes a real minus
    assert shown_icc2 == [f"{d['icc2']:.2f}" for d in figures["dimensions"]]
    assert "ICC(1)" in out and "ICC(2)" in out
    assert "never ranked" in out


def test_programme_without_a_round_takes_each_latest(demo: Run) -> None:
    out = json.loads(ok(demo("score", "--programme", PROGRAMME, "--json")))
    assert out["round"] is None
    assert {c["round"] for c in out["coalitions"]} == {3}


# --- JSON ---------------------------------------------------------------------------------
def _check_round_json(out: dict) -> None:  # type: ignore[type-arg]
    assert ROUND_KEYS <= set(out)
    assert set(out["instrument"]) >= {"id", "version", "hash"}
    minimum = out["min_group"]
    for dim in out["dimensions"]:
        assert DIMENSION_KEYS <= set(dim)
        if dim["suppressed"]:
            assert all(dim.get(k) is None for k in FIGURES) and dim["gap"] is None
        else:
            assert 0 <= dim["ci_low"] <= dim["mean"] <= dim["ci_high"] <= 100
        for cell in dim["by_member_type"].values():
            assert TYPE_KEYS <= set(cell)
            if cell["suppressed"]:
                assert all(cell[k] is None for k in ("n", "mean", "ci_low", "ci_high"))
            else:
                assert cell["n"] >= minimum
        if dim["gap"] is not None:
            assert GAP_KEYS <= set(dim["gap"])
    for item in out["items"]:
        assert ITEM_KEYS <= set(item)
        if item["suppressed"]:
            assert item["n"] is None and item["agree"] is None
    for cell in out["member_types"].values():
        assert cell["n"] is None if cell["suppressed"] else cell["n"] >= minimum


@pytest.mark.parametrize(
    "ref", ["brugwijk-bloeit/2", "klein-rietveld/2", "klein-rietveld/3", "zonnehoek-samen/2"]
)
def test_round_json_is_the_scoring_result_and_nothing_else(demo: Run, ref: str) -> None:
    result = demo("score", ref, "--json")
    text = ok(result)
    out = json.loads(text)  # stdout holds the JSON alone
    _check_round_json(out)
    assert "NaN" not in text and "Infinity" not in text
    assert out["coalition"] == ref.split("/")[0] and out["round"] == int(ref.split("/")[1])


def test_round_json_equals_score_round(demo: Run, demo_db: Path) -> None:
    out = json.loads(ok(demo("score", "brugwijk-bloeit/2", "--json")))
    store = open_store(demo_db)
    try:
        expected = score_round(load_round_data(store, "brugwijk-bloeit/2")).to_json()
    finally:
        store.close()
    # As published: every hidden cell's reason is the one public code.
    assert out == json.loads(json.dumps(published(expected), allow_nan=False))


def test_round_json_hides_small_member_types(demo: Run) -> None:
    out = json.loads(ok(demo("score", "brugwijk-bloeit/2", "--json")))
    for dim in out["dimensions"]:
        other = dim["by_member_type"]["other"]
        municipality = dim["by_member_type"]["municipality"]
        assert other["suppressed"] and other["n"] is None and other["mean"] is None
        assert municipality["suppressed"] and municipality["n"] is None
    hidden = out["dimensions"][0]
    shown = [c["n"] for c in hidden["by_member_type"].values() if not c["suppressed"]]
    assert hidden["n"] - sum(shown) >= out["min_group"]  # total minus shown parts reveals no group


def test_small_rounds_use_the_programmes_pooled_reliability(demo: Run) -> None:
    out = json.loads(ok(demo("score", "zonnehoek-samen/2", "--json")))
    assert out["n_responses"] < 20
    assert {d["alpha_source"] for d in out["dimensions"]} == {"pooled"}
    table = ok(demo("score", "zonnehoek-samen/2"))
    assert "Reliability pooled over the programme" in table


def test_change_json(demo: Run, demo_db: Path) -> None:
    text = ok(demo("score", "zonnehoek-samen", "--from", "1", "--to", "3", "--json"))
    out = json.loads(text)
    assert {"coalition", "from", "to", "changes"} <= set(out)
    assert out["coalition"] == "zonnehoek-samen" and (out["from"], out["to"]) == (1, 3)
    for change in out["changes"]:
        assert CHANGE_KEYS <= set(change)
    store = open_store(demo_db)
    try:
        a, b = load_many(store, ["zonnehoek-samen/1", "zonnehoek-samen/3"])
    finally:
        store.close()
    assert out == json.loads(json.dumps(compare_rounds(a, b).to_json(), allow_nan=False))
    hidden = json.loads(ok(demo("score", "klein-rietveld", "--from", "1", "--to", "2", "--json")))
    for change in hidden["changes"]:
        assert change["suppressed"] and change["verdict"] == "too_few"
        assert all(change[k] is None for k in CHANGE_KEYS - {"dimension", "verdict"})


def test_programme_json(demo: Run, demo_db: Path) -> None:
    out = json.loads(ok(demo("score", "--programme", PROGRAMME, "--round", "2", "--json")))
    assert {"programme", "round", "coalitions", "dimensions"} <= set(out)
    assert out["programme"] == PROGRAMME and out["round"] == 2
    store = open_store(demo_db)
    try:
        refs = [r.ref for r in list_rounds(store, programme=PROGRAMME) if r.number == 2]
        expected = score_programme(load_many(store, refs), round_number=2).to_json()
    finally:
        store.close()
    # As published: every hidden cell's reason is the one public code.
    assert out == json.loads(json.dumps(published(expected), allow_nan=False))
    for dim in out["dimensions"]:
        assert {"icc1", "icc2"} <= set(dim)
        for cell in dim["coalitions"]:
            if cell["suppressed"]:
                assert cell["n"] is None and cell["mean"] is None and cell["position95"] is None
            else:
                assert cell["n"] >= 5 and cell["position95"] in ("within", "above", "below")


# --- export -------------------------------------------------------------------------------
def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_export_responses_csv(demo: Run, demo_db: Path, tmp_path: Path) -> None:
    out = ok(demo("export", "brugwijk-bloeit/2", "--what", "responses", "--format", "csv"))
    data_file = tmp_path / "brugwijk-bloeit-2-responses.csv"
    book_file = tmp_path / "brugwijk-bloeit-2-responses-codebook.csv"
    assert str(data_file.name) in out and str(book_file.name) in out
    exported = _csv(data_file)
    store = open_store(demo_db)
    try:
        data = load_round_data(store, "brugwijk-bloeit/2")
    finally:
        store.close()
    item_ids = list(data.instrument.item_ids)
    assert list(exported[0]) == ["member_type", *item_ids]  # no id column of any kind
    assert len(exported) == data.n_responses
    ids = set(data.responses.index)
    assert not any(value in ids for row in exported for value in row.values())
    assert any(value == "dk" for row in exported for value in row.values())

    def as_rows(frame_rows: list[list[str]]) -> list[tuple[str, ...]]:
        return [tuple(r) for r in frame_rows]

    stored = as_rows(
        [
            [
                "dk" if data.dont_know.iloc[i, j] else ("" if np.isnan(v) else str(int(v)))
                for j, v in enumerate(data.values.iloc[i])
            ]
            for i in range(data.n_responses)
        ]
    )
    written = as_rows([[row[i] for i in item_ids] for row in exported])
    assert sorted(written) == sorted(stored)  # the same answers ...
    assert written != stored  # ... in another order than the database's
    # member types too small to show are blank, together with their complement
    types = {row["member_type"] for row in exported}
    assert "other" not in types and "municipality" not in types and "" in types
    book = _csv(book_file)
    assert [row["item"] for row in book] == item_ids
    assert {"dimension", "reverse", "text_nl", "text_en", "labels_nl", "labels_en"} <= set(book[0])
    assert {row["reverse"] for row in book} == {"True", "False"}


def test_export_responses_xlsx(demo: Run, demo_db: Path, tmp_path: Path) -> None:
    target = tmp_path / "answers.xlsx"
    ok(demo("export", "brugwijk-bloeit/2", "--what", "responses", "-o", str(target)))
    store = open_store(demo_db)
    try:
        item_ids = load_round_data(store, "brugwijk-bloeit/2").instrument.item_ids
    finally:
        store.close()
    book = openpyxl.load_workbook(target, read_only=True)
    assert book.sheetnames == ["responses", "codebook"]
    header = next(book["responses"].iter_rows(values_only=True))
    assert header == ("member_type", *item_ids)
    values = {v for row in book["responses"].iter_rows(min_row=2, values_only=True) for v in row}
    assert "dk" in values
    assert next(book["codebook"].iter_rows(values_only=True))[0] == "item"


def test_export_neutralises_formulas(formula: Run, tmp_path: Path) -> None:
    ok(formula("export", "reken-mee/1", "--what", "responses", "-o", "reken.csv"))
    book = _csv(tmp_path / "reken-codebook.csv")
    texts = [row["text_en"] for row in book[:4]]
    assert texts == ['\'=HYPERLINK("http://example.org")', "'+1+1", "'-2", "'@SUM(A1)"]
    ok(formula("export", "reken-mee/1", "--what", "responses", "-o", "reken.xlsx"))
    sheet = openpyxl.load_workbook(tmp_path / "reken.xlsx")["codebook"]
    header = [c.value for c in sheet[1]]
    column = header.index("text_en")
    cells = [row[column].value for row in sheet.iter_rows(min_row=2, max_row=5)]
    assert all(isinstance(c, str) and c.startswith("'") for c in cells)
    assert all(row[column].data_type == "s" for row in sheet.iter_rows(min_row=2, max_row=5))


def test_export_refuses_rounds_below_the_minimum(demo: Run, tmp_path: Path) -> None:
    fails(demo("export", "klein-rietveld/2", "--what", "responses"), "needs at least 10")
    # 8 responses reach the minimum group of 5, but every row shows all answers per statement
    fails(demo("export", "klein-rietveld/3", "--what", "responses"), "needs at least 10")
    assert list(tmp_path.iterdir()) == []


def test_export_scores_leaves_hidden_cells_empty_with_a_reason(demo: Run, tmp_path: Path) -> None:
    ok(demo("export", "brugwijk-bloeit/2", "--what", "scores"))
    scores = _csv(tmp_path / "brugwijk-bloeit-2-scores.csv")
    assert {"dimension", "group", "n", "score", "ci_low", "ci_high", "reason"} <= set(scores[0])
    for row in scores:
        if row["suppressed"] == "True":
            assert row["n"] == row["score"] == row["ci_low"] == ""
            assert row["reason"].startswith("hidden") and not re.search(r"\d", row["reason"])
        else:
            assert int(row["n"]) >= 5 and row["reason"] == ""
    hidden_groups = {row["group"] for row in scores if row["suppressed"] == "True"}
    assert hidden_groups == {"other", "municipality"}
    equality = _csv(tmp_path / "brugwijk-bloeit-2-scores-equality.csv")
    overall = equality[-1]
    assert overall["dimension"] == "all" and overall["suppressed"] == "False"
    low, index, high = (float(overall[k]) for k in ("ei_ci_low", "equality_index", "ei_ci_high"))
    assert low <= index <= high
    assert (tmp_path / "brugwijk-bloeit-2-scores-items.csv").exists()
    ok(demo("export", "klein-rietveld/2", "--what", "scores", "-o", "small.csv"))
    small = _csv(tmp_path / "small.csv")
    assert all(row["score"] == "" and row["reason"] for row in small)


def test_export_refuses_to_overwrite_without_force(demo: Run, tmp_path: Path) -> None:
    ok(demo("export", "brugwijk-bloeit/2", "--what", "scores", "-o", "s.xlsx"))
    before = (tmp_path / "s.xlsx").stat().st_mtime_ns
    fails(demo("export", "brugwijk-bloeit/2", "--what", "scores", "-o", "s.xlsx"), "--force")
    assert (tmp_path / "s.xlsx").stat().st_mtime_ns == before
    ok(demo("export", "brugwijk-bloeit/2", "--what", "scores", "-o", "s.xlsx", "--force"))


# --- errors -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("score", "nergens/2"), "No coalition called 'nergens'"),
        (("score", "brugwijk-bloeit/9"), "No round called 'brugwijk-bloeit/9'"),
        (("score", "nergens", "--from", "1", "--to", "2"), "No coalition called 'nergens'"),
        (("score", "brugwijk-bloeit", "--from", "1", "--to", "8"), "No round"),
        (("score", "--programme", "Nergens"), "No programme called 'Nergens'"),
        (("score", "--programme", PROGRAMME, "--round", "9"), "has a round 9"),
        (("score", "brugwijk-bloeit/two"), "COALITION/NUMBER"),
        (("export", "nergens/1", "--what", "scores"), "No coalition called 'nergens'"),
        (("export", "brugwijk-bloeit/7", "--what", "responses"), "No round"),
    ],
)
def test_unknown_things_fail_clearly(demo: Run, args: tuple[str, ...], expected: str) -> None:
    fails(demo(*args), expected)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("score",), "Say what to score"),
        (("score", "brugwijk-bloeit/2", "--from", "1"), "is one round"),
        (("score", "brugwijk-bloeit", "--from", "1"), "both --from and --to"),
        (("score", "brugwijk-bloeit", "--to", "2"), "both --from and --to"),
        (("score", "brugwijk-bloeit", "--from", "2", "--to", "2"), "different rounds"),
        (("score", "brugwijk-bloeit/2", "--round", "2"), "--round goes with --programme"),
        (("score", "brugwijk-bloeit", "--programme", PROGRAMME), "--programme"),
        (("score", "--programme", PROGRAMME, "--from", "1", "--to", "2"), "--programme"),
        (("score", "--programme", PROGRAMME, "--items"), "--items"),
        (("score", "brugwijk-bloeit/2", "--mid", "3"), "--mid"),
        (("score", "brugwijk-bloeit", "--from", "1", "--to", "2", "--items"), "--items"),
        (("export", "brugwijk-bloeit/2"), "--what responses or --what scores"),
        (("export", "brugwijk-bloeit/2", "--what", "everything"), "--what"),
        (("export", "brugwijk-bloeit/2", "--what", "scores", "--format", "pdf"), "csv or xlsx"),
        (
            ("export", "brugwijk-bloeit/2", "--what", "scores", "-f", "xlsx", "-o", "x.csv"),
            "does not match",
        ),
    ],
)
def test_bad_option_combinations_fail_clearly(
    demo: Run, args: tuple[str, ...], expected: str
) -> None:
    fails(demo(*args), expected)


def test_export_to_a_folder_fails_clearly(demo: Run, tmp_path: Path) -> None:
    (tmp_path / "folder").mkdir()
    fails(demo("export", "brugwijk-bloeit/2", "--what", "scores", "-o", "folder"), "is a folder")


def test_an_open_round_is_scored_with_a_warning_on_standard_error(
    formula_db: Path, formula: Run
) -> None:
    result = formula("score", "reken-mee/1", "--json")
    json.loads(ok(result))  # the warning never reaches the JSON
    opened = formula("export", "reken-mee/1", "--what", "scores")
    ok(opened)
    assert "still open" in opened.stderr
    store = open_store(formula_db)
    try:
        close_round(store, "reken-mee/1")
    finally:
        store.close()
    closed = formula("score", "reken-mee/1")
    ok(closed)
    assert "still open" not in closed.stderr
