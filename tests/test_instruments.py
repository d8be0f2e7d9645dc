"""Instruments: the shipped questionnaires, validation with file and line, look-up and preview."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from conftest import fails as _fails
from conftest import ok as _ok

from surveycoal.answering import estimated_minutes
from surveycoal.errors import InputError, InstrumentError, NotFoundError
from surveycoal.instruments import (
    DEFAULT_GAP_PAIR,
    Instrument,
    Problem,
    list_instruments,
    load_instrument,
    render_preview,
    validate_instrument_file,
)
from surveycoal.resources import instruments_dir

SHIPPED = ("coalition-health", "coalition-pulse")

#: The shipped questionnaire as it was before version 2.0 reworded it.
OLD_WORDING = Path(__file__).parent / "data" / "instruments" / "coalition-health-1.0.yaml"

#: Statements whose "en" ("and") names two sides of one idea rather than two ideas.
ONE_IDEA_WITH_AND = frozenset({"equality_equal_say"})

#: A small valid instrument; the tests below break one thing at a time.
VALID = """\
id: tiny
version: "1"
languages: [nl, en]
title: {nl: Klein, en: Tiny}
intro: {nl: Een test., en: A test.}
scales:
  - id: agree5
    points: 5
    labels:
      - {nl: Helemaal oneens, en: Strongly disagree}
      - {nl: Oneens, en: Disagree}
      - {nl: Neutraal, en: Neutral}
      - {nl: Eens, en: Agree}
      - {nl: Helemaal eens, en: Strongly agree}
    dont_know: {nl: Weet ik niet, en: Don't know}
dimensions:
  - id: trust
    label: {nl: Vertrouwen, en: Trust}
    description: {nl: Over vertrouwen., en: About trust.}
  - id: results
    label: {nl: Resultaten, en: Results}
    description: {nl: Over resultaten., en: About results.}
items:
  - id: trust_promises
    dimension: trust
    reverse: false
    text: {nl: Beloftes worden nagekomen., en: Promises are kept.}
  - id: trust_secrets
    dimension: trust
    reverse: true
    text: {nl: Er zijn geheimen., en: There are secrets.}
  - id: results_visible
    dimension: results
    reverse: false
    text: {nl: Je ziet iets., en: You see something.}
  - id: results_talk
    dimension: results
    reverse: true
    text: {nl: Alleen praten., en: Only talk.}
open_questions:
  - id: what_else
    max_length: 500
    text: {nl: "Nog iets?", en: "Anything else?"}
member_types:
  - id: resident_initiative
    label: {nl: Bewonersinitiatief, en: Resident initiative}
  - id: other
    label: {nl: Anders, en: Other}
equality_gap: [resident_initiative, other]
"""


def write(tmp_path: Path, text: str, name: str = "tiny.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def broken(old: str, new: str) -> str:
    assert VALID.count(old) == 1, old
    return VALID.replace(old, new)


def line_of(text: str, fragment: str) -> int:
    """The 1-based line of the first line holding ``fragment``."""
    for number, line in enumerate(text.splitlines(), start=1):
        if fragment in line:
            return number
    raise AssertionError(fragment)


def only_problem(tmp_path: Path, text: str) -> Problem:
    problems = validate_instrument_file(write(tmp_path, text))
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


# -- the shipped instruments ------------------------------------------------------------


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_instruments_are_valid(name: str) -> None:
    assert validate_instrument_file(instruments_dir() / f"{name}.yaml") == []
    instrument = load_instrument(name)
    assert instrument.id == name
    assert instrument.languages == ("nl", "en")
    assert instrument.privacy.to_dict() == {
        "min_group": 5,
        "min_free_text": 10,
        "min_item_distribution": 10,
    }


def test_full_instrument_shape() -> None:
    full = load_instrument("coalition-health")
    assert full.title == {"nl": "Samenwerkingsmonitor", "en": "Coalition health monitor"}
    assert [d.id for d in full.dimensions] == [
        "trust", "equality", "shared_goal", "resident_ownership",
        "meeting", "knowing_each_other", "durability", "results",
    ]  # fmt: skip
    # 32 statements of version 1.0 (ids kept) and three that 2.0 added
    assert len(full.items) == 35
    assert {"trust_disagreements_talked_through", "equality_everyone_at_table",
            "resident_ownership_decide_money"} <= set(full.item_ids)  # fmt: skip
    assert [s.id for s in full.scales] == ["agree5"]
    assert [label["nl"] for label in full.scales[0].labels] == [
        "Helemaal oneens", "Oneens", "Niet eens, niet oneens", "Eens", "Helemaal eens",
    ]  # fmt: skip
    assert full.scales[0].dont_know == {"nl": "Weet ik niet", "en": "Don't know"}
    assert len(full.open_questions) == 3
    assert all(q.max_length == 500 for q in full.open_questions)
    assert full.member_type_ids == (
        "resident_initiative", "welfare_organisation", "municipality", "other",
    )  # fmt: skip
    for dim in full.dimensions:
        items = full.items_in(dim.id)
        assert len(items) in (4, 5), dim.id
        assert all(item.id.startswith(dim.id + "_") for item in items)
        assert all(item.scale == "agree5" for item in items)
    # a resident answers it all well within 12 minutes, by the estimate the start screen shows
    assert estimated_minutes(full) < 12


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_version_2_keeps_every_item_id_of_version_1(name: str) -> None:
    """Rounds are compared on item ids: the rewording kept every id and raised the version."""
    old = load_instrument(OLD_WORDING)
    instrument = load_instrument(name)
    assert instrument.version == "2.0" != old.version
    kept = set(instrument.item_ids) & set(old.item_ids)
    if name == "coalition-health":
        assert kept == set(old.item_ids)
    assert all(instrument.item(i).dimension == old.item(i).dimension for i in kept)
    assert instrument.member_type_ids == old.member_type_ids
    assert [d.id for d in instrument.dimensions] == [d.id for d in old.dimensions]


@pytest.mark.parametrize("name", SHIPPED)
def test_member_types_answer_how_you_take_part(name: str) -> None:
    """The labels answer "Hoe doe je mee?"; reports name the groups by their short name."""
    instrument = load_instrument(name)
    labels = {mt.id: mt.label for mt in instrument.member_types}
    assert labels["resident_initiative"]["nl"].startswith("Als bewoner")
    assert labels["welfare_organisation"]["nl"].startswith("Voor mijn werk bij")
    assert labels["municipality"]["nl"].startswith("Voor mijn werk bij")
    assert labels["other"] == {"nl": "Op een andere manier", "en": "In another way"}
    assert instrument.member_type_label("resident_initiative", "en").startswith("As a resident")
    assert instrument.member_type_group("resident_initiative", "nl") == "Bewoners"
    assert instrument.member_type_group("welfare_organisation", "en") == "Welfare organisations"
    for mt in instrument.member_types:
        assert mt.group is not None
        assert set(mt.group) == set(mt.label) == set(instrument.languages), mt.id


def test_a_member_type_without_group_is_named_by_its_label(tmp_path: Path) -> None:
    instrument = load_instrument(write(tmp_path, VALID))
    assert instrument.member_type_group("other", "en") == "Other"
    assert "group" not in instrument.to_dict()["member_types"][0]
    grouped = load_instrument(
        write(
            tmp_path,
            broken(
                "    label: {nl: Anders, en: Other}",
                "    label: {nl: Op een andere manier, en: In another way}\n"
                "    group: {nl: Anders, en: Other}",
            ),
            "grouped.yaml",
        )
    )
    assert grouped.member_type_label("other", "nl") == "Op een andere manier"
    assert grouped.member_type_group("other", "nl") == "Anders"
    assert Instrument.from_dict(grouped.to_dict()) == grouped
    assert "in reports: Other" in render_preview(grouped, "en")


def test_a_member_type_group_needs_every_language(tmp_path: Path) -> None:
    text = broken(
        "    label: {nl: Anders, en: Other}",
        "    label: {nl: Anders, en: Other}\n    group: {nl: Anders}",
    )
    problem = only_problem(tmp_path, text)
    assert (problem.where, problem.field) == ("member type other", "group.en")
    assert problem.message == "missing English translation"


#: Negations and near-negations: disagreeing with a statement that holds one is a double
#: negative ("oneens" with "weinig"), so no shipped statement holds one.
NEGATIONS = re.compile(
    r"\b(niet|geen|nooit|niemand|niets|nergens|weinig|nauwelijks|zelden|amper"
    r"|not|no|never|nobody|nothing|nowhere|little|hardly|rarely|seldom)\b|n't",
    re.IGNORECASE,
)


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_statements_are_short_single_and_plain(name: str) -> None:
    """B1 Dutch: short sentences, one statement each, no negation; at most one reverse item
    per dimension, worded as a plain bad sign, so that disagreeing is never a double
    negative; every text in Dutch and English."""
    instrument = load_instrument(name)
    texts = [item.text["nl"] for item in instrument.items]
    assert len(set(texts)) == len(texts), "two statements have the same Dutch text"
    for item in instrument.items:
        assert set(item.text) == {"nl", "en"}, item.id
        for lang, longest in (("nl", 12), ("en", 16)):
            text = item.text[lang]
            assert len(text.split()) <= longest, f"{item.id} ({lang}) is long: {text}"
            assert text.endswith(".") and text.count(".") == 1, f"{item.id} ({lang}): {text}"
            assert "?" not in text and ";" not in text, f"{item.id} ({lang}): {text}"
            assert not NEGATIONS.search(text), f"{item.id} ({lang}) has a negation: {text}"
            # "partners" reads as "spouses" in Dutch; say who is meant
            assert not re.search(r"\bpartners?\b", text, re.IGNORECASE), f"{item.id}: {text}"
        for lang, joins in (("nl", r"\b(en|of)\b"), ("en", r"\b(and|or)\b")):
            two = re.search(joins, item.text[lang]) and item.id not in ONE_IDEA_WITH_AND
            assert not two, f"{item.id} ({lang}) may hold two ideas: {item.text[lang]}"
    assert sum("samenwerking" in text for text in texts) <= 1, "say 'onze groep' instead"
    for dim in instrument.dimensions:
        reverse = [item.id for item in instrument.items_in(dim.id) if item.reverse]
        assert len(reverse) <= 1, f"{dim.id} has {len(reverse)} reverse items: {reverse}"
    for question in instrument.open_questions:
        for lang in instrument.languages:
            assert question.text[lang].endswith("?") and question.text[lang].count("?") == 1


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_texts_exist_in_every_language(name: str) -> None:
    instrument = load_instrument(name)
    langs = set(instrument.languages)
    texts = [instrument.title, instrument.intro]
    texts += [scale.dont_know for scale in instrument.scales]
    texts += [label for scale in instrument.scales for label in scale.labels]
    texts += [d.label for d in instrument.dimensions]
    texts += [d.description for d in instrument.dimensions]
    texts += [item.text for item in instrument.items] + [q.text for q in instrument.open_questions]
    texts += [mt.label for mt in instrument.member_types]
    texts += [mt.group for mt in instrument.member_types if mt.group is not None]
    for text in texts:
        assert set(text) == langs, text
        assert all(value.strip() for value in text.values()), text
        assert text["nl"] != text["en"], text


@pytest.mark.parametrize("name", SHIPPED)
def test_round_trip_and_stable_hash(name: str) -> None:
    instrument = load_instrument(name)
    again = Instrument.from_dict(instrument.to_dict())
    assert again == instrument
    assert again.content_hash == instrument.content_hash
    assert load_instrument(name).content_hash == instrument.content_hash
    assert len(instrument.content_hash) == 64


def test_a_valid_file_loads_with_defaults(tmp_path: Path) -> None:
    instrument = load_instrument(write(tmp_path, VALID))
    assert instrument.item("trust_promises").scale == "agree5"
    assert instrument.item("trust_secrets").reverse is True
    assert instrument.privacy.min_group == 5
    assert validate_instrument_file(tmp_path / "tiny.yaml") == []


def test_look_ups_by_id(tmp_path: Path) -> None:
    instrument = load_instrument(write(tmp_path, VALID))
    assert instrument.dimension("results").label["en"] == "Results"
    assert [i.id for i in instrument.items_in("trust")] == ["trust_promises", "trust_secrets"]
    assert instrument.items_in("nothing") == ()
    assert instrument.member_type("other").label["nl"] == "Anders"
    assert instrument.has_member_type("other") and not instrument.has_member_type("bank")
    assert instrument.member_type_label("bank", "nl") == "bank"
    for unknown in (instrument.item, instrument.dimension, instrument.member_type):
        with pytest.raises(KeyError):
            unknown("nothing")


# -- which two member types the equality gap compares -------------------------------------


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_gap_compares_residents_with_welfare_organisations(name: str) -> None:
    instrument = load_instrument(name)
    assert (
        instrument.gap_pair == DEFAULT_GAP_PAIR == ("resident_initiative", "welfare_organisation")
    )
    # the default is left out of the snapshot, so rounds opened before the key existed keep
    # their hash
    assert "equality_gap" not in instrument.to_dict()


def test_the_file_names_the_gap_pair(tmp_path: Path) -> None:
    instrument = load_instrument(write(tmp_path, VALID))
    assert instrument.gap_pair == ("resident_initiative", "other")
    assert instrument.to_dict()["equality_gap"] == ["resident_initiative", "other"]
    again = Instrument.from_dict(instrument.to_dict())
    assert again == instrument and again.content_hash == instrument.content_hash
    swapped = load_instrument(
        write(
            tmp_path,
            broken(
                "equality_gap: [resident_initiative, other]",
                "equality_gap: [other, resident_initiative]",
            ),
            "swapped.yaml",
        )
    )
    assert swapped.gap_pair == ("other", "resident_initiative")
    assert swapped.content_hash != instrument.content_hash


def test_without_equality_gap_the_default_pair_must_be_member_types(tmp_path: Path) -> None:
    text = broken("equality_gap: [resident_initiative, other]\n", "")
    problem = only_problem(tmp_path, text)
    assert problem.line == line_of(text, "member_types:") + 1  # where the list starts
    assert problem.field == "equality_gap"
    assert problem.message == (
        "the equality gap compares resident_initiative and welfare_organisation unless the "
        "file says otherwise, but welfare_organisation is not a member type here; add "
        "equality_gap: [first, second] with two of resident_initiative, other"
    )


@pytest.mark.parametrize(
    ("gap", "field", "message"),
    [
        (
            "[resident_initiative, othr]",
            "equality_gap[2]",
            "'othr' is not a member type of this instrument; did you mean 'other'?",
        ),
        (
            "[resident_initiative, bank]",
            "equality_gap[2]",
            "'bank' is not a member type of this instrument; expected one of: "
            "resident_initiative, other",
        ),
        (
            "[other, other]",
            "equality_gap",
            "names 'other' twice; the gap compares two different member types",
        ),
        (
            "[resident_initiative]",
            "equality_gap",
            "expected two member type ids, like [resident_initiative, welfare_organisation], "
            "found 1",
        ),
        (
            "resident_initiative",
            "equality_gap",
            "expected a list of two member type ids (lines starting with '- '), found the text "
            "'resident_initiative'",
        ),
    ],
)
def test_a_bad_equality_gap(tmp_path: Path, gap: str, field: str, message: str) -> None:
    text = broken("equality_gap: [resident_initiative, other]", f"equality_gap: {gap}")
    problem = only_problem(tmp_path, text)
    assert (problem.line, problem.field, problem.message) == (
        line_of(text, "equality_gap:"),
        field,
        message,
    )


def test_no_gap_problem_when_the_member_types_are_broken(tmp_path: Path) -> None:
    """One mistake, one problem: a broken member type id is not reported twice."""
    problem = only_problem(tmp_path, broken("  - id: other", "  - id: Other"))
    assert problem.where == "member type #2" and "not a valid id" in problem.message


# -- one test per kind of problem -------------------------------------------------------


def test_problem_reads_file_line_where_and_field() -> None:
    problem = Problem(
        "coalition-health.yaml", 42, "item trust_x", "text.en", "missing English translation"
    )
    assert str(problem) == (
        "coalition-health.yaml:42: item trust_x, text.en: missing English translation"
    )
    assert str(Problem("a.yaml", None, None, None, "file not found")) == "a.yaml: file not found"


def test_yaml_syntax_error_has_its_line(tmp_path: Path) -> None:
    text = broken("    reverse: true\n    text: {nl: Er", "    reverse: true\n   text: [nl: Er")
    problem = only_problem(tmp_path, text)
    assert problem.file == "tiny.yaml"
    assert problem.line == line_of(text, "   text: [nl: Er")
    assert "YAML syntax error" in problem.message


def test_top_level_must_be_a_mapping(tmp_path: Path) -> None:
    problem = only_problem(tmp_path, "- id: tiny\n- version: 1\n")
    assert problem.line == 1
    assert "top level must be a mapping" in problem.message
    assert "found a list" in problem.message


def test_empty_file(tmp_path: Path) -> None:
    problem = only_problem(tmp_path, "# nothing here\n")
    assert "empty" in problem.message


@pytest.mark.parametrize(
    ("old", "new", "where", "field", "suggestion"),
    [
        ("title:", "titel:", None, "titel", "title"),
        ("    points: 5", "    point: 5", "scale agree5", "point", "points"),
        ("    reverse: true\n    text: {nl: Er", "    reversed: true\n    text: {nl: Er", "item trust_secrets", "reversed", "reverse"),
        ("    max_length: 500", "    maxlength: 500", "open question what_else", "maxlength", "max_length"),
    ],
)  # fmt: skip
def test_unknown_key_suggests_the_near_one(
    tmp_path: Path, old: str, new: str, where: str | None, field: str, suggestion: str
) -> None:
    text = broken(old, new)
    problems = validate_instrument_file(write(tmp_path, text))
    unknown = [p for p in problems if "unknown key" in p.message]
    assert len(unknown) == 1, [str(p) for p in problems]
    problem = unknown[0]
    assert (problem.file, problem.line) == ("tiny.yaml", line_of(text, new.splitlines()[0]))
    assert (problem.where, problem.field) == (where, field)
    assert f"did you mean {suggestion!r}?" in problem.message


def test_unknown_key_without_a_near_one_lists_the_allowed(tmp_path: Path) -> None:
    text = broken(
        "    reverse: true\n    text: {nl: Er",
        "    reverse: true\n    colour: red\n    text: {nl: Er",
    )
    problem = only_problem(tmp_path, text)
    assert (problem.where, problem.field) == ("item trust_secrets", "colour")
    assert "expected one of: id, dimension, text, reverse, scale" in problem.message


def test_missing_required_key(tmp_path: Path) -> None:
    text = broken("    reverse: true\n    text: {nl: Alleen", "    text: {nl: Alleen")
    problem = only_problem(tmp_path, text)
    assert problem.line == line_of(text, "- id: results_talk")
    assert (problem.where, problem.field) == ("item results_talk", "reverse")
    assert "missing required key 'reverse'" in problem.message


def test_missing_top_level_key(tmp_path: Path) -> None:
    text = broken('version: "1"\n', "")
    problem = only_problem(tmp_path, text)
    assert (problem.line, problem.where, problem.field) == (1, None, "version")
    assert "missing required key" in problem.message


@pytest.mark.parametrize(
    ("old", "new", "where", "field", "words"),
    [
        ("    points: 5", "    points: five", "scale agree5", "points", "whole number"),
        ("    max_length: 500", "    max_length: [500]", "open question what_else", "max_length", "found a list"),
        ("scales:\n", "scales: agree5\nx_scales:\n", None, "scales", "expected a list of scales"),
        ('    text: {nl: "Nog iets?", en: "Anything else?"}', '    text: "Anything else?"', "open question what_else", "text", "expected a text per language"),
        ("    label: {nl: Anders, en: Other}", "    label: [Anders, Other]", "member type other", "label", "found a list"),
    ],
)  # fmt: skip
def test_wrong_types(
    tmp_path: Path, old: str, new: str, where: str | None, field: str, words: str
) -> None:
    text = broken(old, new)
    problems = validate_instrument_file(write(tmp_path, text))
    matching = [p for p in problems if words in p.message]
    assert len(matching) == 1, [str(p) for p in problems]
    problem = matching[0]
    assert problem.line == line_of(text, new.splitlines()[0])
    assert (problem.where, problem.field) == (where, field)


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        ("  - id: trust_secrets", "  - id: trust_promises", "item trust_promises"),
        ("  - id: what_else", "  - id: results_visible", "open question results_visible"),
        ("  - id: results_talk", "  - id: trust", "item trust"),
    ],
)
def test_duplicate_ids_share_one_namespace(tmp_path: Path, old: str, new: str, where: str) -> None:
    text = broken(old, new)
    problems = validate_instrument_file(write(tmp_path, text))
    duplicates = [p for p in problems if "duplicate id" in p.message]
    assert len(duplicates) == 1, [str(p) for p in problems]
    problem = duplicates[0]
    assert problem.line == line_of(VALID, old)
    assert (problem.where, problem.field) == (where, "id")
    assert "column names" in problem.message


def test_duplicate_member_type_and_scale_ids(tmp_path: Path) -> None:
    text = broken("  - id: other\n", "  - id: resident_initiative\n")
    problem = only_problem(tmp_path, text)
    assert problem.line == line_of(VALID, "  - id: other")
    assert (problem.where, problem.field) == ("member type resident_initiative", "id")
    assert "duplicate member type id" in problem.message


@pytest.mark.parametrize("reserved", ["member_type", "panel_key"])
def test_reserved_ids(tmp_path: Path, reserved: str) -> None:
    text = broken("  - id: what_else", f"  - id: {reserved}")
    problem = only_problem(tmp_path, text)
    assert problem.line == line_of(text, f"  - id: {reserved}")
    assert (problem.where, problem.field) == (f"open question {reserved}", "id")
    assert "reserved" in problem.message


@pytest.mark.parametrize("bad_id", ["Trust_Promises", "1trust", "trust-promises"])
def test_bad_id_characters(tmp_path: Path, bad_id: str) -> None:
    text = broken("  - id: trust_promises", f"  - id: {bad_id}")
    problem = only_problem(tmp_path, text)
    assert (problem.line, problem.where, problem.field) == (line_of(text, bad_id), "item #1", "id")
    assert "not a valid id" in problem.message


def test_bad_instrument_slug(tmp_path: Path) -> None:
    problem = only_problem(tmp_path, broken("id: tiny", "id: Tiny Thing"))
    assert (problem.line, problem.where, problem.field) == (1, None, "id")
    assert "hyphens" in problem.message


def test_item_in_unknown_dimension(tmp_path: Path) -> None:
    text = broken(
        "    dimension: results\n    reverse: true", "    dimension: reslts\n    reverse: true"
    )
    problems = validate_instrument_file(write(tmp_path, text))
    unknown = next(p for p in problems if "unknown dimension" in p.message)
    assert unknown.line == line_of(text, "dimension: reslts")
    assert (unknown.where, unknown.field) == ("item results_talk", "dimension")
    assert "did you mean 'results'?" in unknown.message
    # results is left with one item: that is a problem of its own
    assert any(p.where == "dimension results" for p in problems)


def test_item_with_unknown_scale(tmp_path: Path) -> None:
    text = broken(
        "    reverse: false\n    text: {nl: Je",
        "    reverse: false\n    scale: agree7\n    text: {nl: Je",
    )
    problem = only_problem(tmp_path, text)
    assert problem.line == line_of(text, "scale: agree7")
    assert (problem.where, problem.field) == ("item results_visible", "scale")
    assert "unknown scale 'agree7'" in problem.message


def test_missing_translation(tmp_path: Path) -> None:
    text = broken(
        "    text: {nl: Er zijn geheimen., en: There are secrets.}",
        "    text:\n      nl: Er zijn geheimen.",
    )
    problem = only_problem(tmp_path, text)
    assert problem.line == line_of(text, "nl: Er zijn geheimen.")
    assert (problem.where, problem.field) == ("item trust_secrets", "text.en")
    assert problem.message == "missing English translation"
    assert str(problem) == (
        f"tiny.yaml:{problem.line}: item trust_secrets, text.en: missing English translation"
    )


def test_language_not_in_languages(tmp_path: Path) -> None:
    text = broken(
        "    description: {nl: Over resultaten., en: About results.}",
        "    description: {nl: Over resultaten., en: About results., de: Ergebnisse.}",
    )
    problem = only_problem(tmp_path, text)
    assert problem.line == line_of(text, "de: Ergebnisse.")
    assert (problem.where, problem.field) == ("dimension results", "description.de")
    assert "not in languages (nl, en)" in problem.message


def test_scale_label_translation_names_the_label(tmp_path: Path) -> None:
    text = broken("      - {nl: Eens, en: Agree}", "      - {nl: Eens}")
    problem = only_problem(tmp_path, text)
    assert problem.line == line_of(text, "{nl: Eens}")
    assert (problem.where, problem.field) == ("scale agree5", "labels[4].en")


def test_dimension_needs_two_items(tmp_path: Path) -> None:
    text = broken(
        "    dimension: results\n    reverse: true", "    dimension: trust\n    reverse: true"
    )
    problem = only_problem(tmp_path, text)
    assert problem.line == line_of(text, "  - id: results")
    assert (problem.where, problem.field) == ("dimension results", None)
    assert "has 1 item; a dimension needs at least 2 items" in problem.message


def test_scale_with_too_few_points(tmp_path: Path) -> None:
    text = broken("    points: 5", "    points: 2")
    problem = only_problem(tmp_path, text)
    assert (problem.line, problem.where, problem.field) == (
        line_of(text, "points: 2"), "scale agree5", "points",
    )  # fmt: skip
    assert "at least 3 points" in problem.message


def test_scale_with_too_many_points(tmp_path: Path) -> None:
    text = broken("    points: 5", "    points: 12")
    problems = validate_instrument_file(write(tmp_path, text))
    (points,) = [p for p in problems if p.field == "points"]
    assert (points.line, points.where) == (line_of(text, "points: 12"), "scale agree5")
    assert "at most 11 points, found 12" in points.message


@pytest.mark.parametrize(
    ("old", "new", "where", "longest"),
    [
        ("id: tiny", "id: " + "t" * 81, None, 80),
        ("version: \"1\"", "version: \"" + "1" * 41 + "\"", None, 40),
        ("  - id: trust_promises", "  - id: trust_" + "p" * 60, "item #1", 64),
        ("  - id: what_else", "  - id: what_" + "e" * 60, "open question #1", 64),
        ("  - id: other", "  - id: other_" + "o" * 40, "member type #2", 40),
    ],
)  # fmt: skip
def test_ids_fit_the_database_columns(
    tmp_path: Path, old: str, new: str, where: str | None, longest: int
) -> None:
    text = broken(old, new)
    problem = only_problem(tmp_path, text)
    assert (problem.line, problem.where) == (line_of(text, new), where)
    assert problem.field in ("id", "version")
    assert f"at most {longest}" in problem.message


def test_scale_labels_must_match_points(tmp_path: Path) -> None:
    text = broken("      - {nl: Neutraal, en: Neutral}\n", "")
    problem = only_problem(tmp_path, text)
    assert (problem.line, problem.where, problem.field) == (
        line_of(text, "{nl: Helemaal oneens"), "scale agree5", "labels",
    )  # fmt: skip
    assert "5 points but 4 labels" in problem.message


@pytest.mark.parametrize("flag", ["yes", "no", '"true"', "1", "on", "waar"])
def test_bad_reverse_flag(tmp_path: Path, flag: str) -> None:
    text = broken(
        "    reverse: true\n    text: {nl: Er", f"    reverse: {flag}\n    text: {{nl: Er"
    )
    problem = only_problem(tmp_path, text)
    assert (problem.line, problem.where, problem.field) == (
        line_of(text, f"reverse: {flag}"), "item trust_secrets", "reverse",
    )  # fmt: skip
    assert "expected true or false" in problem.message


@pytest.mark.parametrize("flag", ["True", "FALSE"])
def test_reverse_flag_in_capitals_is_a_real_boolean(tmp_path: Path, flag: str) -> None:
    text = broken(
        "    reverse: true\n    text: {nl: Er", f"    reverse: {flag}\n    text: {{nl: Er"
    )
    assert validate_instrument_file(write(tmp_path, text)) == []


@pytest.mark.parametrize("empty", ['""', '"   "', ""])
def test_empty_text(tmp_path: Path, empty: str) -> None:
    text = broken("{nl: Beloftes worden nagekomen., en:", f"{{nl: {empty}, en:")
    problem = only_problem(tmp_path, text)
    assert problem.line == line_of(text, "  - id: trust_promises") + 3
    assert (problem.where, problem.field) == ("item trust_promises", "text.nl")
    assert problem.message == "empty text"


def test_duplicate_yaml_keys(tmp_path: Path) -> None:
    text = broken(
        "    reverse: false\n    text: {nl: Je",
        "    reverse: false\n    reverse: true\n    text: {nl: Je",
    )
    problem = only_problem(tmp_path, text)
    first = line_of(text, "  - id: results_visible") + 2
    assert (problem.line, problem.where, problem.field) == (
        first + 1, "item results_visible", "reverse",
    )  # fmt: skip
    assert f"duplicate key 'reverse' (first on line {first})" in problem.message


def test_duplicate_top_level_key(tmp_path: Path) -> None:
    text = VALID + "title: {nl: Nog een, en: Another}\n"
    problem = only_problem(tmp_path, text)
    assert (problem.line, problem.field) == (len(text.splitlines()), "title")
    assert "duplicate key 'title'" in problem.message


@pytest.mark.parametrize(("min_group", "ok"), [(2, False), (0, False), (3, True), (8, True)])
def test_privacy_min_group_never_below_three(tmp_path: Path, min_group: int, ok: bool) -> None:
    text = VALID + f"privacy:\n  min_group: {min_group}\n  min_free_text: 10\n"
    problems = validate_instrument_file(write(tmp_path, text))
    if ok:
        assert problems == []
        assert load_instrument(tmp_path / "tiny.yaml").privacy.min_group == min_group
        return
    assert len(problems) == 1
    problem = problems[0]
    assert (problem.line, problem.where, problem.field) == (
        line_of(text, "min_group:"), "privacy", "min_group",
    )  # fmt: skip
    assert "never below 3" in problem.message


def test_privacy_thresholds_not_below_min_group(tmp_path: Path) -> None:
    text = VALID + "privacy:\n  min_group: 8\n  min_free_text: 6\n"
    problem = only_problem(tmp_path, text)
    assert (problem.line, problem.where, problem.field) == (
        line_of(text, "min_free_text"), "privacy", "min_free_text",
    )  # fmt: skip


def test_open_question_length_limits(tmp_path: Path) -> None:
    text = broken("    max_length: 500", "    max_length: 5001")
    problem = only_problem(tmp_path, text)
    assert (problem.where, problem.field) == ("open question what_else", "max_length")
    assert "between 1 and 5000" in problem.message


def test_missing_file(tmp_path: Path) -> None:
    problems = validate_instrument_file(tmp_path / "gone.yaml")
    assert [(p.file, p.line) for p in problems] == [("gone.yaml", None)]
    assert "file not found" in problems[0].message


def test_folder_instead_of_file(tmp_path: Path) -> None:
    (tmp_path / "folder.yaml").mkdir()
    (problem,) = validate_instrument_file(tmp_path / "folder.yaml")
    assert "folder" in problem.message


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(VALID.replace("Neutraal", "Neutraal \u00e9\u00e9n").encode("latin-1"))
    (problem,) = validate_instrument_file(path)
    assert problem.line == line_of(VALID, "Neutraal")
    assert "not UTF-8" in problem.message


def test_utf8_byte_order_mark_is_fine(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + VALID.encode("utf-8"))
    assert validate_instrument_file(path) == []


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, VALID)

    def refuse(self: Path, *args: object, **kwargs: object) -> bytes:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", refuse)
    (problem,) = validate_instrument_file(path)
    assert (problem.file, problem.line) == ("tiny.yaml", None)
    assert problem.message == "cannot read the file: Permission denied"


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    text = (
        VALID.replace("title:", "titel:")
        .replace("    points: 5", "    points: 4")
        .replace(
            "    dimension: results\n    reverse: true", "    dimension: reslts\n    reverse: yes"
        )
        .replace('{nl: "Nog iets?", en: "Anything else?"}', '{nl: "Nog iets?"}')
        + "privacy: {min_group: 1}\n"
    )
    path = write(tmp_path, text)
    problems = validate_instrument_file(path)
    found = {(p.where, p.field) for p in problems}
    assert {
        (None, "titel"),
        (None, "title"),
        ("scale agree5", "labels"),
        ("item results_talk", "dimension"),
        ("item results_talk", "reverse"),
        ("dimension results", None),
        ("open question what_else", "text.en"),
        ("privacy", "min_group"),
    } <= found
    lines = [p.line for p in problems]
    assert lines == sorted(lines)
    with pytest.raises(InstrumentError) as caught:
        load_instrument(path)
    assert caught.value.problems == problems
    assert caught.value.message == f"{path} is not a valid instrument ({len(problems)} problems):"
    assert "tiny.yaml:" in str(caught.value)


# -- finding instruments by name -----------------------------------------------------------


def test_unknown_name_lists_known_ids() -> None:
    with pytest.raises(NotFoundError) as caught:
        load_instrument("coalition-wealth")
    assert caught.value.name == "coalition-wealth"
    assert set(SHIPPED) <= set(caught.value.existing)
    assert "coalition-health" in str(caught.value)


def test_user_folder_comes_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    own = VALID.replace("id: tiny", "id: coalition-health")
    write(tmp_path, own, "coalition-health.yaml")
    write(tmp_path, VALID, "tiny.yaml")
    monkeypatch.setenv("SURVEYCOAL_INSTRUMENTS", str(tmp_path))
    assert load_instrument("coalition-health").title == {"nl": "Klein", "en": "Tiny"}
    assert load_instrument("tiny").id == "tiny"
    assert load_instrument("coalition-pulse").id == "coalition-pulse"
    listed = {path.stem: path for path, _ in list_instruments()}
    assert listed["coalition-health"].parent == tmp_path
    assert {"tiny", "coalition-pulse"} <= set(listed)
    with pytest.raises(NotFoundError) as caught:
        load_instrument("nothing")
    assert {"tiny", *SHIPPED} <= set(caught.value.existing)


def test_lookup_by_id_when_the_file_is_named_otherwise(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, VALID, "my copy.yaml")
    monkeypatch.setenv("SURVEYCOAL_INSTRUMENTS", str(tmp_path))
    assert load_instrument("tiny").id == "tiny"


def test_user_folder_must_exist(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SURVEYCOAL_INSTRUMENTS", str(tmp_path / "missing"))
    with pytest.raises(InputError, match="SURVEYCOAL_INSTRUMENTS"):
        load_instrument("coalition-health")


def test_list_shows_broken_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, broken("    points: 5", "    points: 2"), "broken.yaml")
    monkeypatch.setenv("SURVEYCOAL_INSTRUMENTS", str(tmp_path))
    found = dict(list_instruments())
    error = found[tmp_path / "broken.yaml"]
    assert isinstance(error, InstrumentError)
    assert len(error.problems) == 1
    shipped = [found[instruments_dir() / f"{name}.yaml"] for name in SHIPPED]
    assert all(isinstance(item, Instrument) for item in shipped)


def test_a_path_loads_without_lookup(tmp_path: Path) -> None:
    path = write(tmp_path, VALID, "elsewhere.yaml")
    assert load_instrument(str(path)).id == "tiny"
    assert load_instrument(path).id == "tiny"


# -- preview --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", SHIPPED)
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_preview_holds_every_text(name: str, lang: str) -> None:
    instrument = load_instrument(name)
    preview = render_preview(instrument, lang)
    lines = preview.splitlines()
    assert lines[0] == instrument.title[lang]
    for item in instrument.items:
        line = next(line for line in lines if item.text[lang] in line)
        assert line.endswith("(R)") == item.reverse, line
    for dim in instrument.dimensions:
        assert dim.label[lang] in preview
        assert dim.description[lang] in preview
    for label in instrument.scales[0].labels:
        assert label[lang] in preview
    assert instrument.scales[0].dont_know[lang] in preview
    for question in instrument.open_questions:
        assert question.text[lang] in preview
        assert str(question.max_length) in preview
    for member_type in instrument.member_types:
        assert member_type.label[lang] in preview
    assert sum(line.endswith("(R)") for line in lines) == sum(i.reverse for i in instrument.items)


def test_preview_numbers_items_in_answering_order() -> None:
    preview = render_preview(load_instrument("coalition-health"), "en")
    assert "    1. When someone in our group promises something, it gets done." in preview
    assert "    5. I notice that some people in our group hold back information. (R)" in preview
    assert "   35. We really do carry out our plans." in preview
    assert "A group is shown only from 5 answers." in preview


def test_preview_unknown_language() -> None:
    with pytest.raises(InstrumentError) as caught:
        render_preview(load_instrument("coalition-health"), "de")
    assert "'de'" in str(caught.value)
    assert "nl, en" in str(caught.value)


# -- a questionnaire with member types of its own, end to end through the CLI -----------

#: Tenants, shopkeepers and civil servants; its equality gap is tenants against civil servants.
COUNCIL = Path(__file__).parent / "data" / "instruments" / "neighbourhood-council.yaml"
COUNCIL_TYPES = ("tenant", "shopkeeper", "civil_servant")


def _answers_csv(path: Path, counts: dict[str, int]) -> Path:
    """One response per row: a fixed pattern of answers, the member type last."""
    instrument = load_instrument(COUNCIL)
    lines = [",".join([*instrument.item_ids, "member_type"])]
    row = 0
    for member_type, n in counts.items():
        for _ in range(n):
            answers = [str(1 + (row + column) % 5) for column in range(len(instrument.items))]
            lines.append(",".join([*answers, member_type]))
            row += 1
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_custom_member_types_from_members_to_scores(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import json
    import shutil

    council = load_instrument(COUNCIL)
    assert council.member_type_ids == COUNCIL_TYPES
    assert council.gap_pair == ("tenant", "civil_servant")
    _ok(cli("coalition", "add", "Wijk Oost"))

    # Before the first round a member is checked against the instrument it is added for:
    # the default one unless --instrument names another.
    _fails(
        cli("member", "add", "wijk-oost", "Huurders Oost", "--type", "tenant"),
        "'tenant' is not a member type of the instrument coalition-health",
        "resident_initiative, welfare_organisation, municipality, other",
    )
    _ok(cli("member", "add", "wijk-oost", "Huurders Oost", "-t", "tenant", "-i", str(COUNCIL)))

    # The round keeps a snapshot: the file may go away, the member types stay.
    copy = shutil.copy(COUNCIL, tmp_path / "council.yaml")
    _ok(cli("round", "open", "wijk-oost", "--instrument", str(copy)))
    Path(copy).unlink()
    _ok(cli("member", "add", "wijk-oost", "Bakkerij Oost", "--type", "shopkeeper"))
    _fails(
        cli("member", "add", "wijk-oost", "Welzijn Oost", "--type", "welfare_organisation"),
        "'welfare_organisation' is not a member type of round wijk-oost/1 (neighbourhood-council)",
        "Use one of: tenant, shopkeeper, civil_servant.",
    )
    members = _ok(cli("member", "list", "wijk-oost"))
    assert "shopkeeper" in members and "Welzijn Oost" not in members

    # Answers of a member type the round's instrument does not have are refused, all of them.
    counts = {"tenant": 5, "shopkeeper": 4, "civil_servant": 5}
    bad = _answers_csv(tmp_path / "bad.csv", {**counts, "welfare_organisation": 1})
    _fails(
        cli("import", "wijk-oost/1", str(bad)),
        "Nothing was imported",
        "'welfare_organisation' is not a member type (tenant, shopkeeper, civil_servant)",
    )
    _ok(cli("import", "wijk-oost/1", str(_answers_csv(tmp_path / "answers.csv", counts))))

    scores = json.loads(_ok(cli("score", "wijk-oost/1", "--json")))
    assert scores["instrument"]["id"] == "neighbourhood-council"
    assert scores["n_responses"] == 14
    assert {t: cell["n"] for t, cell in scores["member_types"].items()} == counts
    assert not any(cell["suppressed"] for cell in scores["member_types"].values())
    for dimension in scores["dimensions"]:
        assert tuple(dimension["by_member_type"]) == COUNCIL_TYPES
    # The equality gap compares the pair the questionnaire names: tenants minus civil servants.
    gaps = [d["gap"] for d in scores["dimensions"] if d["gap"] is not None]
    assert gaps, scores["dimensions"]
    assert {(g["first"], g["second"]) for g in gaps} == {("tenant", "civil_servant")}
    assert scores["equality_index"] is not None
    # The terminal names the pair and gives the index with its own interval.
    table = _ok(cli("score", "wijk-oost/1"))
    assert "tenants minus civil servants" in table.lower()
    low, high = (round(scores[f"equality_index_ci_{end}"]) for end in ("low", "high"))
    assert f"out of 100 ({low} to {high})" in table, table
    # ... because the round's snapshot carries it.
    from surveycoal.store import get_round, open_store

    store = open_store(os.environ["SURVEYCOAL_DB"])
    try:
        assert get_round(store, "wijk-oost/1").instrument.gap_pair == ("tenant", "civil_servant")
    finally:
        store.close()
