"""Reports of a programme one of whose rounds was purged (``surveycoal round purge``).

A purged round keeps its published scores and nothing else of its answers: a report
shows the kept scores where it shows the round's scores, says "answers deleted" where
a change from or to it would be tested, and refuses (exit 1, a message naming the
round, no file) what needs the answers themselves.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from answering_fixtures import patterned_responses
from report_fixtures import parse_html
from typer.testing import CliRunner

from surveycoal import store as st
from surveycoal.cli import app
from surveycoal.instruments import load_instrument

PROGRAMME = "Wijken Vooruit"
A, B = "aan-de-dijk", "bij-de-brug"


def _cli(db: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, [*args, "--db", str(db)], env={"COLUMNS": "300"})
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    return result.exit_code, " ".join(result.output.split())


@pytest.fixture(scope="module")
def programme(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two coalitions with three closed rounds of 12 responses each, nothing purged."""
    db = tmp_path_factory.mktemp("purged") / "surveycoal.db"
    store = st.create_store(db)
    st.add_programme(store, PROGRAMME)
    instrument = load_instrument("coalition-health")
    for name in ("Aan de Dijk", "Bij de Brug"):
        slug = st.add_coalition(store, name, programme=PROGRAMME).slug
        for k in range(3):
            ref = st.open_round(store, slug, instrument).ref
            st.submit_responses(store, ref, patterned_responses(instrument, 12 + 2 * k))
            st.close_round(store, ref)
    store.close()
    return db


@pytest.fixture
def purged(programme: Path, tmp_path: Path) -> Path:
    """The programme with the answers of aan-de-dijk/1 deleted."""
    db = tmp_path / "surveycoal.db"
    db.write_bytes(programme.read_bytes())
    code, out = _cli(db, "round", "purge", f"{A}/1", "--yes", "--force-before-retention")
    assert code == 0, out
    return db


def _round_one_scores(html: str) -> dict[str, list[str]]:
    """The heat map's numbers of round 1: each coalition's row of cells."""
    tree = parse_html(html)
    table = next(
        t
        for t in tree.find_all("table")
        if any("ronde 1 (alleen cijfers)" in c.text() for c in t.find_all("caption"))
    )
    rows = {}
    for tr in table.find_all("tr"):
        cells = [c.text().strip() for c in tr.find_all("td")]
        if cells:
            rows[tr.find_all("th")[0].text().strip()] = cells
    return rows


def test_programme_report_shows_the_kept_scores_of_a_purged_round(
    programme: Path, purged: Path, tmp_path: Path
) -> None:
    before, after = tmp_path / "before.html", tmp_path / "after.html"
    assert _cli(programme, "report", "programme", PROGRAMME, "-o", str(before))[0] == 0
    code, out = _cli(purged, "report", "programme", PROGRAMME, "-o", str(after))
    assert code == 0, out
    old, new = before.read_text(encoding="utf-8"), after.read_text(encoding="utf-8")
    # the heat maps show round 1 of aan-de-dijk as it was scored before the purge
    kept = _round_one_scores(new)
    assert kept == _round_one_scores(old)
    assert any(any(ch.isdigit() for ch in cell) for cell in kept["Aan de Dijk"])
    # the change since round 1 is not tested any more, and says why
    assert "antwoorden verwijderd: niet getoetst" not in old
    assert "antwoorden verwijderd: niet getoetst" in new
    assert "na hun bewaartermijn verwijderd" in new and "bewaartermijn" not in old
    # only aan-de-dijk's changes since round 1 are untested: bij-de-brug's keep their verdicts
    change = next(
        t
        for t in parse_html(new).find_all("table")
        if "Bij de Brug" in t.text() and "verwijderd" in t.text()
    )
    for tr in change.find_all("tr")[1:]:
        cells = " ".join(c.text() for c in tr.find_all("td"))
        assert ("verwijderd" in cells) == ("Aan de Dijk" in tr.text()), tr.text()


def test_coalition_report_of_a_later_round_shows_the_purged_one_as_kept(
    purged: Path, tmp_path: Path
) -> None:
    path = tmp_path / "a.html"
    code, out = _cli(purged, "report", "coalition", A, "--lang", "en", "-o", str(path))
    assert code == 0, out
    html = path.read_text(encoding="utf-8")
    assert "answers deleted: not tested" in html
    assert "the answers of that round were deleted after their retention period" in html
    kept = json.loads(_cli(purged, "score", f"{A}/1", "--json")[1])
    assert kept["round"] == 1 and kept["dimensions"]


@pytest.mark.parametrize(
    ("args", "what"),
    [
        (("report", "coalition", A, "--round", "1"), "cannot be reported"),
        (("report", "compare", A, "--from", "1", "--to", "3"), "cannot be compared"),
        (("report", "compare", A, B, "--round", "1"), "cannot be compared"),
        (("report", "compare", B, A, "--round", "1"), "cannot be compared"),
        (("report", "compare", A, "--round", "1", "--member-types"), "cannot be compared"),
    ],
)
def test_reports_that_need_the_answers_of_a_purged_round_refuse(
    purged: Path, tmp_path: Path, args: tuple[str, ...], what: str
) -> None:
    target = tmp_path / "out.html"
    code, out = _cli(purged, *args, "-o", str(target))
    assert code == 1
    assert f"The answers of {A}/1 were deleted on" in out
    assert what in out
    assert f"surveycoal score {A}/1" in out
    assert not target.exists()
    assert list(tmp_path.glob("out*")) == []


def test_a_comparison_of_rounds_with_their_answers_still_works(
    purged: Path, tmp_path: Path
) -> None:
    target = tmp_path / "out.html"
    code, out = _cli(purged, "report", "compare", A, "--from", "2", "--to", "3", "-o", str(target))
    assert code == 0, out
    assert target.exists()


def test_programme_report_refuses_a_purged_latest_round_and_offers_an_earlier_one(
    purged: Path, tmp_path: Path
) -> None:
    assert _cli(purged, "round", "purge", f"{B}/3", "--yes", "--force-before-retention")[0] == 0
    target = tmp_path / "p.html"
    code, out = _cli(purged, "report", "programme", PROGRAMME, "-o", str(target))
    assert code == 1
    assert f"The answers of {B}/3 were deleted on" in out
    assert "programme report cannot show it" in out and "--round" in out
    assert not target.exists()
    code, out = _cli(purged, "report", "programme", PROGRAMME, "--round", "2", "-o", str(target))
    assert code == 0, out
    assert target.exists()


def test_the_refusal_reads_dutch_for_a_dutch_lead(purged: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.html"
    result = CliRunner().invoke(
        app,
        ["report", "coalition", A, "--round", "1", "-o", str(target), "--db", str(purged)],
        env={"COLUMNS": "300", "SURVEYCOAL_LANG": "nl"},
    )
    out = " ".join(result.output.split())
    assert result.exit_code == 1 and "Traceback" not in out
    assert f"De antwoorden van {A}/1 zijn verwijderd op" in out
    assert "kan er geen rapport van komen" in out
    assert f"De scores zijn bewaard: surveycoal score {A}/1" in out
    assert not target.exists()


def test_a_comparison_refusal_reads_dutch_for_a_dutch_lead(purged: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.html"
    args = ["report", "compare", A, "--from", "1", "--to", "2", "-o", str(target)]
    result = CliRunner().invoke(
        app, [*args, "--db", str(purged)], env={"COLUMNS": "300", "SURVEYCOAL_LANG": "nl"}
    )
    out = " ".join(result.output.split())
    assert result.exit_code == 1 and "Traceback" not in out
    assert f"De antwoorden van {A}/1 zijn verwijderd op" in out
    assert "kan deze ronde niet vergeleken worden" in out
    assert not target.exists()
