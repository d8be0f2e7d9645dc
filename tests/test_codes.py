"""Invitation codes (check symbol, reading typed codes, hashing) and panel keys."""

from __future__ import annotations

import random

import pytest

from surveycoal import codes, texts
from surveycoal.codes import (
    ALPHABET,
    CodeRejected,
    check_symbol,
    format_code,
    hash_code,
    is_valid,
    new_code,
    new_codes,
    normalise_code,
    normalise_panel_answer,
    panel_key_from_text,
    panel_key_hash,
)
from surveycoal.errors import CodeError, InputError

SECRET = bytes(range(32))


def _sample_codes(n: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    sample = []
    for _ in range(n):
        data = "".join(rng.choice(ALPHABET) for _ in range(codes.DATA_LENGTH))
        sample.append(data + check_symbol(data))
    return sample


def test_alphabet_has_no_look_alikes_and_a_prime_size() -> None:
    assert len(set(ALPHABET)) == len(ALPHABET) == 23
    assert all(n % d for n in [len(ALPHABET)] for d in range(2, n))
    for look_alike in "0O1IL2Z5S8BUV":
        assert look_alike not in ALPHABET


def test_new_codes_are_two_groups_ending_in_the_check_symbol() -> None:
    made = new_codes(200)
    assert len(set(made)) == 200
    for code in made:
        groups = code.split("-")
        assert [len(g) for g in groups] == [4, 5]
        assert is_valid(code.replace("-", ""))
        assert groups[1][-1] == check_symbol(code.replace("-", "")[:8])
    assert format_code("K7QM4TRXY") == "K7QM-4TRXY"
    assert normalise_code(new_code())


def test_every_single_substitution_is_caught() -> None:
    for compact in _sample_codes(150):
        for position in range(codes.CODE_LENGTH):
            for symbol in ALPHABET:
                if symbol == compact[position]:
                    continue
                typo = compact[:position] + symbol + compact[position + 1 :]
                assert not is_valid(typo), (compact, typo)


def test_every_transposition_is_caught_adjacent_or_not() -> None:
    for compact in _sample_codes(300, seed=11):
        for i in range(codes.CODE_LENGTH):
            for j in range(i + 1, codes.CODE_LENGTH):
                if compact[i] == compact[j]:
                    continue
                swapped = list(compact)
                swapped[i], swapped[j] = swapped[j], swapped[i]
                assert not is_valid("".join(swapped)), (compact, i, j)


@pytest.mark.parametrize(
    "typed",
    [
        "K7QM-4TRXY",
        "k7qm-4trxy",
        "K7QM4TRXY",
        " k7qm 4trxy ",
        "K7QM.4TRXY",
        "k7qm4trxy\n",
        # Slips printed in three groups of three stay valid.
        "K7Q-M4T-RXY",
    ],
)
def test_typed_codes_are_read_in_any_reasonable_form(typed: str) -> None:
    assert normalise_code(typed) == "K7QM4TRXY"


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("", "empty"),
        ("  - ", "empty"),
        ("K7QM-4TRX", "length"),
        ("K7QM-4TRXYY", "length"),
        ("K7QM-4TRX0", "symbol"),
        ("K7QM-4TRXB", "symbol"),
        ("K7QM-4TRXA", "check"),
        ("7KQM-4TRXY", "check"),
    ],
)
def test_typing_errors_are_caught_before_the_database(typed: str, reason: str) -> None:
    with pytest.raises(CodeRejected) as caught:
        normalise_code(typed)
    assert caught.value.reason == reason
    assert isinstance(caught.value, CodeError)
    # The message speaks to the participant in Dutch, then in English on its own line.
    dutch, english = caught.value.message.split("\n")
    words = texts.TEXTS[f"code_{reason}"]
    assert dutch[:8] == words["nl"][:8] and english[:8] == words["en"][:8]


def test_the_message_names_the_characters_codes_never_use() -> None:
    with pytest.raises(CodeRejected, match="O") as caught:
        normalise_code("K7QM-4TRXO")
    assert "0 O 1 I L" in caught.value.message


def test_the_code_hash_is_keyed_and_ignores_how_the_code_was_typed() -> None:
    code = new_code()
    same = hash_code(SECRET, code.lower().replace("-", " "))
    assert hash_code(SECRET, code) == same
    assert len(same) == 64 and code.replace("-", "") not in same.upper()
    assert hash_code(bytes(32), code) != same


# -- panel keys -------------------------------------------------------------------


def test_the_same_person_gets_the_same_panel_key_however_they_type_it() -> None:
    first = {
        "mother_name": "Ölga",
        "birth_day": "07",
        "birth_place": "arnhem",
        "older_siblings": "2",
    }
    second = {"mother_name": " ol ", "birth_day": "7", "birth_place": "A", "older_siblings": "02"}
    assert panel_key_hash(SECRET, first) == panel_key_hash(SECRET, second)
    assert panel_key_hash(SECRET, first) == panel_key_from_text(SECRET, "OL-7-A-2")
    assert panel_key_from_text(SECRET, "ol 07 a 2") == panel_key_from_text(SECRET, "OL/7/A/2")


def test_different_answers_give_different_panel_keys() -> None:
    base = {"mother_name": "OL", "birth_day": "7", "birth_place": "A", "older_siblings": "2"}
    seen = {panel_key_hash(SECRET, base)}
    for key, other in [
        ("mother_name", "OM"),
        ("birth_day", "17"),
        ("birth_place", "B"),
        ("older_siblings", "0"),
    ]:
        seen.add(panel_key_hash(SECRET, {**base, key: other}))
    assert len(seen) == 5
    # A panel key and an invitation code never share a hash space.
    assert panel_key_hash(SECRET, base) != hash_code(SECRET, "K7QM-4TRXY")


@pytest.mark.parametrize(
    ("question", "typed"),
    [(0, "O"), (0, "12"), (1, "0"), (1, "32"), (1, "zeven"), (2, ""), (3, "-1"), (3, "veel")],
)
def test_impossible_panel_answers_are_refused_in_the_participants_language(
    question: int, typed: str
) -> None:
    q = codes.PANEL_QUESTIONS[question]
    with pytest.raises(InputError) as dutch:
        normalise_panel_answer(q, typed, "nl")
    with pytest.raises(InputError) as english:
        normalise_panel_answer(q, typed, "en")
    assert dutch.value.message != english.value.message
    assert "Typ" in dutch.value.message and "Type" in english.value.message


def test_a_panel_key_in_one_cell_needs_all_its_parts() -> None:
    with pytest.raises(InputError, match="4 parts"):
        panel_key_from_text(SECRET, "OL-7-A")


def test_slips_sheet_shows_every_code_with_cut_lines_in_both_languages() -> None:
    from html.parser import HTMLParser

    made = new_codes(7)
    html = codes.slips_html(
        made,
        coalition_name="Zuid <Doet> Samen",
        round_number=2,
        minutes=9,
        expires_on="2026-12-20",
        where="zaal 3",
    )

    class Slips(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.slips = 0
            self.langs: set[str] = set()
            self.code_texts: list[str] = []
            self._in_code = False

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            a = dict(attrs)
            if tag == "section" and a.get("class") == "slip":
                self.slips += 1
            if a.get("lang"):
                self.langs.add(str(a["lang"]))
            self._in_code = a.get("class") == "code"

        def handle_data(self, data: str) -> None:
            if self._in_code and data.strip():
                self.code_texts.append(data.strip())
                self._in_code = False

    parser = Slips()
    parser.feed(html)
    assert parser.slips == 7
    assert parser.code_texts == made
    assert {"nl", "en"} <= parser.langs
    assert "dashed" in html and "Zuid &lt;Doet&gt; Samen" in html
    assert "2026-12-20" in html and "zaal 3" in html


def test_panel_keys_use_a_slow_memory_hard_hash_salted_by_the_database() -> None:
    """A panel key has only millions of possible answers: a fast hash could be reversed by
    trying them all, so it is scrypt (16 MB, 2**14 rounds), salted with the database's key."""
    import hashlib

    expected = hashlib.scrypt(
        b"panel-key\x00OL|7|A|2", salt=SECRET, n=2**14, r=8, p=1, dklen=32
    ).hex()
    assert panel_key_from_text(SECRET, "OL-7-A-2") == expected
    assert panel_key_from_text(b"another database" * 2, "OL-7-A-2") != expected
