"""The score command's presenter and loading: a purged round's kept JSON read back into typed
scores, and every round read from the database once per command."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from surveycoal.cli import _common, app
from surveycoal.demo import PROGRAMME, build_demo
from surveycoal.scoring import kept_round_scores, pool_reliability, score_round
from surveycoal.store import list_rounds, load_many, load_round_data, open_store
from surveycoal.store import responses as store_responses
from surveycoal.store import rounds as store_rounds

#: A round that is shown, a small one that takes the programme's pooled reliability, and
#: one under its minimum.
REFS = ("brugwijk-bloeit/2", "klein-rietveld/1", "klein-rietveld/2")


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo(tmp_path_factory.mktemp("terminal-demo")).database


@pytest.fixture
def run(demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(_common.console, "_width", 400)
    monkeypatch.setattr(_common.err_console, "_width", 400)
    runner = CliRunner()

    def invoke(*args: str) -> Result:
        return runner.invoke(app, list(args), env={"SURVEYCOAL_DB": str(demo_db)})

    return invoke


def _scored(demo_db: Path, ref: str) -> dict[str, Any]:
    """The round scored as before: read alone, its programme's rounds read for the pool."""
    store = open_store(demo_db)
    try:
        data = load_round_data(store, ref)
        assert data.programme is not None
        peers = [
            r.ref for r in list_rounds(store, programme=data.programme) if r.number == data.round
        ]
        pooled = pool_reliability(load_many(store, peers)) if data.n_responses < 20 else None
        plain: dict[str, Any] = json.loads(
            json.dumps(score_round(data, pooled_alpha=pooled).to_json())
        )
        return plain
    finally:
        store.close()


@pytest.mark.parametrize("ref", REFS)
def test_kept_scores_read_back_give_the_same_scores(demo_db: Path, ref: str) -> None:
    kept = _scored(demo_db, ref)
    assert json.loads(json.dumps(kept_round_scores(kept).to_json())) == kept


@pytest.mark.parametrize("ref", REFS)
def test_score_json_is_the_round_scored_with_its_programmes_pool(
    run: Callable[..., Result], demo_db: Path, ref: str
) -> None:
    from surveycoal.privacy import published

    result = run("score", ref, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == published(_scored(demo_db, ref))


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, list[Any]]]:
    """Every round row looked up by reference, and every round whose answers are read."""
    seen: dict[str, list[Any]] = {"rows": [], "answers": []}
    get_round = store_rounds._get_round
    read_rows = store_responses._RoundRows.read.__func__  # type: ignore[attr-defined]

    def counted_get(conn: Any, slug: str, number: int) -> Any:
        seen["rows"].append(f"{slug}/{number}")
        return get_round(conn, slug, number)

    def counted_names(conn: Any, names: list[tuple[str, int]]) -> Any:
        seen["rows"].extend(f"{slug}/{number}" for slug, number in names)
        return by_name(conn, names)

    def counted_read(cls: Any, conn: Any, rounds: list[Any]) -> Any:
        seen["answers"].extend(r.id for r in rounds)
        return read_rows(cls, conn, rounds)

    by_name = store_responses.rounds_by_name
    monkeypatch.setattr(store_rounds, "_get_round", counted_get)
    monkeypatch.setattr(store_responses, "rounds_by_name", counted_names)
    monkeypatch.setattr(store_responses._RoundRows, "read", classmethod(counted_read))
    yield seen


@pytest.mark.parametrize(
    ("args", "refs"),
    [
        (("score", "klein-rietveld/1"), ["klein-rietveld/1"]),
        (("score", "klein-rietveld/1", "--json"), ["klein-rietveld/1"]),
        (("export", "klein-rietveld/1", "--what", "scores"), ["klein-rietveld/1"]),
        (
            ("score", "klein-rietveld", "--from", "1", "--to", "3"),
            ["klein-rietveld/1", "klein-rietveld/3"],
        ),
    ],
)
def test_each_round_is_read_once(
    run: Callable[..., Result], reads: dict[str, list[Any]], args: tuple[str, ...], refs: list[str]
) -> None:
    result = run(*args)
    assert result.exit_code == 0, result.output
    assert reads["rows"] == refs
    assert reads["answers"], "the answers were read"
    assert len(reads["answers"]) == len(set(reads["answers"]))


# -- at 80 columns ------------------------------------------------------------------------


def _cell_words(text: str) -> list[str]:
    """The words inside the tables of ``text`` (their rows and headers, not their borders)."""
    return [
        word
        for line in text.splitlines()
        if line[:1] in ("│", "┃")
        for word in re.split(r"[│┃\s]+", line)
        if word
    ]


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize(
    "args",
    [
        ("score", "brugwijk-bloeit/2", "--items"),
        ("score", "klein-rietveld", "--from", "1", "--to", "3"),
        ("score", "--programme", PROGRAMME),
    ],
    ids=["round", "change", "programme"],
)
def test_no_word_is_split_at_80_columns(
    demo_db: Path, monkeypatch: pytest.MonkeyPatch, lang: str, args: tuple[str, ...]
) -> None:
    """rich alone folds the widest column inside a word ("Gelijkwaardighei" / "d")."""
    runner = CliRunner()
    env = {"SURVEYCOAL_DB": str(demo_db), "SURVEYCOAL_LANG": lang}
    printed = {}
    for width in (400, 80):
        monkeypatch.setattr(_common.console, "_width", width)
        result = runner.invoke(app, list(args), env=env)
        assert result.exit_code == 0, result.output
        printed[width] = result.stdout
    whole = set(_cell_words(printed[400]))
    narrow = printed[80]
    assert max(len(line) for line in narrow.splitlines() if line[:1] in "┏│┃└") <= 80
    assert [word for word in _cell_words(narrow) if word not in whole] == []
    from surveycoal.instruments import load_instrument

    instrument = load_instrument("coalition-health")
    words = _cell_words(narrow)
    for dimension in instrument.dimensions:
        for word in dimension.label[lang].split():
            assert word in words, (dimension.label[lang], lang)


def test_a_table_whose_longest_words_do_not_fit_is_stacked() -> None:
    from io import StringIO

    from rich.console import Console
    from rich.table import Table

    from surveycoal.terminal import fit_table

    table = Table("Dimensie", "Bewoners", "Welzijnsorganisaties", "Gemeente", "Anders", title="T")
    hidden = "verborgen om de anonimiteit te beschermen"
    table.add_row("Gelijkwaardigheid", "71 (64 tot 78), n 13", "67 (59 tot 75)", hidden, hidden)
    table.add_row("Vertrouwen", "68 (57 tot 79), n 14", "66 (55 tot 78)", "", "")
    out = StringIO()
    console = Console(file=out, width=80, color_system=None, legacy_windows=False)
    console.print(fit_table(table, 80))
    lines = out.getvalue().splitlines()
    assert max(len(line) for line in lines) <= 80
    rows = [" ".join(_cell_words(line)) for line in lines if line.startswith("│")]
    assert rows[0] == "Gelijkwaardigheid Bewoners 71 (64 tot 78), n 13"
    assert "Welzijnsorganisaties 67 (59 tot 75)" in rows
    assert rows[-2:] == [
        "Vertrouwen Bewoners 68 (57 tot 79), n 14",
        "Welzijnsorganisaties 66 (55 tot 78)",
    ]
    wide = Table("Dimensie", "n")
    wide.add_row("Gelijkwaardigheid", "31")
    assert fit_table(wide, 80) is wide and wide.columns[0].width is None  # it fits: untouched
