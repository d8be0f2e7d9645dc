"""The demo: a synthetic programme answered through the real submit path, scored and reported."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from surveycoal.cli import app
from surveycoal.demo import DEMO_DB, PROGRAMME, STORIES, build_demo
from surveycoal.errors import AlreadyExistsError
from surveycoal.reports.gather import is_demo
from surveycoal.scoring import compare_rounds, score_round
from surveycoal.store import (
    count_responses,
    create_store,
    list_coalitions,
    list_notes,
    list_rounds,
    load_round_data,
    open_store,
)


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("demo-cli") / "surveycoal-demo"
    result = CliRunner().invoke(app, ["demo", "--out", str(folder)], env={"COLUMNS": "300"})
    return folder, result


@pytest.fixture(scope="module")
def store(demo_run):  # type: ignore[no-untyped-def]
    folder, result = demo_run
    assert result.exit_code == 0, result.output
    opened = open_store(folder / DEMO_DB)
    yield opened
    opened.close()


def test_demo_command_builds_and_prints_every_report(demo_run) -> None:  # type: ignore[no-untyped-def]
    """How long it takes is measured by benchmarks/demo.py, not here."""
    folder, result = demo_run
    assert result.exit_code == 0, result.output
    reports = sorted((folder / "reports").glob("*.html"))
    assert len(reports) == 5 + 1 + 3
    for path in reports:
        assert str(path) in result.output  # every path is printed, unwrapped
    assert PROGRAMME in result.output


def test_demo_database_says_it_is_demo_data(store) -> None:  # type: ignore[no-untyped-def]
    assert is_demo(store)
    coalitions = list_coalitions(store, programme=PROGRAMME)
    assert [c.name for c in coalitions] == sorted(s.name for s in STORIES)
    assert "(demo)" in PROGRAMME


def test_every_answer_went_in_through_the_real_submit_path(store) -> None:  # type: ignore[no-untyped-def]
    from surveycoal.store import slugify

    for story in STORIES:
        slug = slugify(story.name)
        rounds = list_rounds(store, coalition=slug)
        assert [r.number for r in rounds] == [1, 2, 3]
        assert all(r.status == "closed" for r in rounds)
        for r, groups in zip(rounds, story.groups, strict=True):
            assert count_responses(store, r.ref) == sum(groups.values())
            assert r.link_rounds == story.linked


def test_demo_answers_hold_dont_know_open_answers_and_notes(store) -> None:  # type: ignore[no-untyped-def]
    data = load_round_data(store, "zonnehoek-samen/3")
    assert data.dont_know.to_numpy().any()
    assert len(data.open_answers) >= 10
    notes = list_notes(store, "zonnehoek-samen")
    assert {n.kind for n in notes} == {"timeline", "reading"}
    reading = next(n for n in notes if n.kind == "reading")
    assert reading.round == 3


def test_demo_is_the_same_every_time(store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    again = build_demo(tmp_path / "again")
    a = store
    b = open_store(again.database)
    try:
        for ref in ("brugwijk-bloeit/2", "klein-rietveld/3"):
            va, vb = load_round_data(a, ref).values, load_round_data(b, ref).values
            assert sorted(map(tuple, va.fillna(0).to_numpy().tolist())) == sorted(
                map(tuple, vb.fillna(0).to_numpy().tolist())
            )
    finally:
        b.close()


def test_demo_replaces_its_own_database_but_no_other(demo_run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "demo").mkdir()
    shutil.copy(demo_run[0] / DEMO_DB, tmp_path / "demo" / DEMO_DB)
    result = build_demo(tmp_path / "demo")  # a second run starts afresh
    store = open_store(result.database)
    try:
        assert len(list_coalitions(store)) == len(STORIES)
    finally:
        store.close()
    other = tmp_path / "real"
    other.mkdir()
    create_store(other / DEMO_DB).close()
    with pytest.raises(AlreadyExistsError, match="not a demo database"):
        build_demo(other)


def test_too_small_coalition_is_hidden(store) -> None:  # type: ignore[no-untyped-def]
    scored = score_round(load_round_data(store, "klein-rietveld/2")).to_json()
    assert scored["suppressed"]
    assert all(d["mean"] is None for d in scored["dimensions"])
    latest = score_round(load_round_data(store, "klein-rietveld/3")).to_json()
    assert not latest["suppressed"]
    assert all(d["gap"] is None for d in latest["dimensions"])
    assert all(i["suppressed"] for i in latest["items"])


def test_trust_grows_in_zonnehoek(store) -> None:  # type: ignore[no-untyped-def]
    first = load_round_data(store, "zonnehoek-samen/1")
    last = load_round_data(store, "zonnehoek-samen/3")
    change = compare_rounds(first, last).to_json()
    trust = next(c for c in change["changes"] if c["dimension"] == "trust")
    assert trust["verdict"] in ("improved", "slightly_improved"), trust
    assert trust["n_linked"] and trust["n_linked"] >= 5  # panel keys pair people across rounds


def _equality_index(store, ref: str) -> float:  # type: ignore[no-untyped-def]
    value = score_round(load_round_data(store, ref)).to_json()["equality_index"]
    assert value is not None, ref
    return float(value)


def test_the_gap_closes_in_kanaaleiland_and_widens_in_molenweide(store) -> None:  # type: ignore[no-untyped-def]
    assert _equality_index(store, "kanaaleiland-verbindt/3") > _equality_index(
        store, "kanaaleiland-verbindt/1"
    )
    assert _equality_index(store, "molenweide-doet-mee/3") < _equality_index(
        store, "molenweide-doet-mee/1"
    )


def test_small_member_groups_are_hidden_with_their_complement(store) -> None:  # type: ignore[no-untyped-def]
    scored = score_round(load_round_data(store, "brugwijk-bloeit/2")).to_json()
    types = scored["member_types"]
    assert types["other"]["suppressed"] and types["other"]["suppressed_reason"] == "below_minimum"
    assert types["municipality"]["suppressed_reason"] == "complementary"
    assert not types["resident_initiative"]["suppressed"]


def test_open_answers_are_people_s_own_words_not_repeats(store) -> None:  # type: ignore[no-untyped-def]
    from surveycoal.store import slugify

    shown = 0
    for story in STORIES:
        for number in (1, 2, 3):
            data = load_round_data(store, f"{slugify(story.name)}/{number}")
            frame = data.open_answers
            for _, texts in frame.groupby("question_id")["text"]:
                assert texts.is_unique, (story.name, number, texts.tolist())
                shown += len(texts) >= data.privacy.min_free_text
    assert shown >= 4  # enough answers in several rounds for the reports to show them
