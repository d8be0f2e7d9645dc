"""Fuzzing the three parsers of user input: instrument files, answer files and codes.

Whatever bytes they get, they either accept them or raise surveycoal's own error
with a message: never another exception (which would reach the user as a
traceback).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as hs

from surveycoal import store as st
from surveycoal.codes import CODE_LENGTH, CodeRejected, normalise_code
from surveycoal.errors import SurveycoalError
from surveycoal.importer import check_table, read_table
from surveycoal.instruments import (
    Problem,
    instruments_dir,
    load_instrument,
    validate_instrument_file,
)

FUZZ = settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
VALID_YAML = (instruments_dir() / "coalition-pulse.yaml").read_text(encoding="utf-8")
VALID_LINES = VALID_YAML.splitlines()
YAML_BITS = hs.sampled_from(
    [":", "-", "[", "]", "{", "}", "&a", "*a", "!!python/object", "'", '"', "\t", "  ", "\n",
     "#", "|", ">", "?", "%YAML 1.1", "---", "...", "9" * 30, "0x1F", "~", "null", "\x00", "\x1b"]
)  # fmt: skip


@hs.composite
def mutated_instrument(draw: hs.DrawFn) -> str:
    """The valid short questionnaire with some lines deleted, doubled, cut or spliced."""
    lines = list(VALID_LINES)
    for _ in range(draw(hs.integers(1, 6))):
        index = draw(hs.integers(0, len(lines) - 1))
        action = draw(hs.sampled_from(["delete", "double", "cut", "insert", "indent"]))
        if action == "delete":
            del lines[index]
        elif action == "double":
            lines.insert(index, lines[index])
        elif action == "cut":
            lines[index] = lines[index][: draw(hs.integers(0, len(lines[index])))]
        elif action == "insert":
            lines.insert(index, "".join(draw(hs.lists(YAML_BITS, max_size=6))))
        else:
            lines[index] = "  " + lines[index]
        if not lines:
            break
    return "\n".join(lines)


def _check_instrument(folder: Path, data: bytes) -> None:
    path = folder / "fuzz.yaml"
    path.write_bytes(data)
    problems = validate_instrument_file(path)
    assert all(isinstance(p, Problem) and str(p) for p in problems)
    try:
        load_instrument(path)
    except SurveycoalError as exc:
        assert str(exc)
    else:
        assert problems == []


@FUZZ
@given(text=mutated_instrument())
def test_a_mutated_instrument_file_gives_problems_not_exceptions(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        _check_instrument(Path(folder), text.encode("utf-8"))


@FUZZ
@given(data=hs.binary(max_size=400) | hs.text(max_size=400).map(lambda t: t.encode("utf-8")))
def test_any_bytes_as_an_instrument_file_give_problems_not_exceptions(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        _check_instrument(Path(folder), data)


GAP_ENTRIES = hs.sampled_from(
    ["resident_initiative", "welfare_organisation", "other", "Other", "bank", "", "~", "1",
     "[a, b]", "{a: b}", "*a", "'resident_initiative'", "\x00", "é" * 50]
)  # fmt: skip


@FUZZ
@given(
    gap=hs.lists(GAP_ENTRIES, max_size=4).map(lambda parts: f"[{', '.join(parts)}]")
    | GAP_ENTRIES
    | hs.text(max_size=30)
)
def test_any_equality_gap_gives_problems_not_exceptions(gap: str) -> None:
    """Whatever ``equality_gap:`` holds, a valid pair of member types loads and nothing else."""
    text = VALID_YAML.replace("\nprivacy:", f"\nequality_gap: {gap}\nprivacy:", 1)
    with tempfile.TemporaryDirectory() as folder:
        _check_instrument(Path(folder), text.encode("utf-8"))
        path = Path(folder) / "fuzz.yaml"
        if not validate_instrument_file(path):
            pair = load_instrument(path).gap_pair
            assert len(set(pair)) == 2
            assert set(pair) <= set(load_instrument("coalition-pulse").member_type_ids)


@pytest.fixture(scope="module")
def open_round(tmp_path_factory: pytest.TempPathFactory) -> st.Round:
    path = tmp_path_factory.mktemp("fuzz") / "surveycoal.db"
    store = st.create_store(path)
    st.add_coalition(store, "Zuid Doet Samen")
    opened = st.open_round(store, "zuid-doet-samen", load_instrument("coalition-pulse"))
    store.close()
    return opened


CELLS = hs.sampled_from(
    ["", "1", "3", "5", "6", "0", "-1", "dk", "weet niet", "resident_initiative",
     "welfare_organisation", "municipality", "x", '"', ";", ",", "\n", "\x00", "=1+1", "3.0",
     "99999999999999999999999", "\ufeff", "é"]
)  # fmt: skip


@hs.composite
def answer_files(draw: hs.DrawFn, items: tuple[str, ...]) -> bytes:
    header = draw(
        hs.lists(hs.sampled_from(["member_type", "panel_key", *items, "onbekend", ""]), max_size=10)
    )
    rows = draw(hs.lists(hs.lists(CELLS, max_size=12), max_size=8))
    sep = draw(hs.sampled_from([",", ";", "\t"]))
    text = "\n".join(sep.join(row) for row in [header, *rows])
    encoding = draw(hs.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
    return text.encode(encoding, errors="replace")


@FUZZ
@given(data=hs.data())
def test_any_answers_file_is_read_or_refused_with_a_message(open_round: st.Round, data) -> None:  # type: ignore[no-untyped-def]
    items = open_round.instrument.item_ids
    raw = data.draw(answer_files(items) | hs.binary(max_size=300))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "answers.csv"
        path.write_bytes(raw)
        try:
            table = read_table(path)
            check_table(open_round, table, secret=b"k" * 32)
        except SurveycoalError as exc:
            assert str(exc)


@FUZZ
@given(typed=hs.text(max_size=40))
def test_any_typed_code_is_normalised_or_refused_with_a_reason(typed: str) -> None:
    try:
        compact = normalise_code(typed)
    except CodeRejected as exc:
        assert str(exc)
    else:
        assert len(compact) == CODE_LENGTH and compact.isascii()
