"""Invitation codes and panel keys: making them, checking them, hashing them.

An invitation code is 8 random symbols plus 1 check symbol, written in two
groups: ``K7QM-4TRXY`` (the check symbol ends the second group). The symbols come from an alphabet of 23 letters
and digits that cannot be mistaken for each other (no 0/O, 1/I/L, 2/Z, 5/S, 8/B,
U/V). Because 23 is prime, the weighted check symbol (weights 2..9 on the eight
symbols, 1 on the check symbol, sum 0 modulo 23) catches every single mistyped
symbol and every swap of two symbols, adjacent or not, before the database is
asked.

The database keeps only an HMAC-SHA256 of each code, keyed with the database's
own secret (:meth:`surveycoal.store.Store.hash_key`). A panel key, the answers to
a few easy questions that only the participant can reproduce, is normalised and
hashed the same way (with its own prefix), so the same person gives the same key
round after round in one database.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from surveycoal import texts
from surveycoal.errors import CodeError, InputError
from surveycoal.i18n import _, lead_language

#: 23 symbols (a prime number) without look-alikes.
ALPHABET = "34679ACDEFGHJKMNPQRTWXY"
#: Symbols people type for "nothing" between groups.
_SEPARATORS = re.compile(r"[\s\-_./]+")
#: Symbols left out of the alphabet, for the message when one is typed.
LEFT_OUT = "0 O 1 I L 2 Z 5 S 8 B U V"

DATA_LENGTH = 8
CODE_LENGTH = DATA_LENGTH + 1
#: Symbols in the first of the two groups a code is written in.
FIRST_GROUP = 4
_WEIGHTS = tuple(range(2, DATA_LENGTH + 2))  # 2..9; the check symbol has weight 1
_CODE_PREFIX = b"invitation-code\x00"
_PANEL_PREFIX = b"panel-key\x00"


class CodeRejected(CodeError):
    """A code that cannot be used; ``reason`` says why (for screen texts).

    Reasons: ``empty``, ``length``, ``symbol``, ``check`` (typing errors, found
    without the database), ``unknown``, ``used``, ``expired``.
    """

    def __init__(self, reason: str, **values: object) -> None:
        super().__init__(texts.both_lines(f"code_{reason}", **values))
        self.reason = reason


# -- the check symbol -------------------------------------------------------------


def check_symbol(data: str) -> str:
    """The check symbol for 8 data symbols.

    >>> check_symbol("K7QM4TRX")
    'Y'
    """
    if len(data) != DATA_LENGTH or any(ch not in ALPHABET for ch in data):
        raise ValueError(f"check_symbol needs {DATA_LENGTH} symbols from the alphabet")
    total = sum(w * ALPHABET.index(ch) for w, ch in zip(_WEIGHTS, data, strict=True))
    return ALPHABET[-total % len(ALPHABET)]


def is_valid(compact: str) -> bool:
    """True when 9 alphabet symbols end in their right check symbol."""
    return (
        len(compact) == CODE_LENGTH
        and all(ch in ALPHABET for ch in compact)
        and check_symbol(compact[:DATA_LENGTH]) == compact[-1]
    )


# -- making and reading codes -----------------------------------------------------


def format_code(compact: str) -> str:
    """Write 9 symbols as two groups, the second ending in the check symbol.

    >>> format_code("K7QM4TRXY")
    'K7QM-4TRXY'
    """
    return f"{compact[:FIRST_GROUP]}-{compact[FIRST_GROUP:]}"


def new_code() -> str:
    """A fresh random code, formatted (``K7QM-4TRXY``)."""
    data = "".join(secrets.choice(ALPHABET) for _index in range(DATA_LENGTH))
    return format_code(data + check_symbol(data))


def new_codes(count: int, *, avoid: Iterable[str] = ()) -> list[str]:
    """``count`` distinct fresh codes, none of them in ``avoid``."""
    seen = {normalise_code(code) for code in avoid}
    codes: list[str] = []
    while len(codes) < count:
        code = new_code()
        compact = code.replace("-", "")
        if compact not in seen:
            seen.add(compact)
            codes.append(code)
    return codes


def normalise_code(typed: str) -> str:
    """The 9 symbols of a typed code, or CodeRejected saying what is wrong.

    Lower case, spaces, hyphens and dots are all accepted, in any grouping.

    >>> normalise_code(" k7qm 4trxy ")
    'K7QM4TRXY'
    """
    compact = _SEPARATORS.sub("", typed).upper()
    if not compact:
        raise CodeRejected("empty")
    wrong = sorted({ch for ch in compact if ch not in ALPHABET})
    if wrong:
        raise CodeRejected("symbol", symbols=" ".join(wrong), left_out=LEFT_OUT)
    if len(compact) != CODE_LENGTH:
        raise CodeRejected("length", length=CODE_LENGTH, typed=len(compact))
    if not is_valid(compact):
        raise CodeRejected("check")
    return compact


def hash_code(secret: bytes, code: str) -> str:
    """The keyed hash the database keeps instead of the code (64 hex digits)."""
    compact = normalise_code(code)
    return hmac.new(secret, _CODE_PREFIX + compact.encode("ascii"), hashlib.sha256).hexdigest()


# -- panel keys -------------------------------------------------------------------


@dataclass(frozen=True)
class PanelQuestion:
    """One question of the panel key: ``letters`` letters, or a number from low to high."""

    id: str
    kind: str  # "letters" or "number"
    letters: int = 0
    low: int = 0
    high: int = 0


#: Things a person knows and that do not change from one round to the next. The
#: answers stay on the participant's side: only a keyed hash of all of them together
#: is stored.
PANEL_QUESTIONS: tuple[PanelQuestion, ...] = (
    PanelQuestion("mother_name", "letters", letters=2),
    PanelQuestion("birth_day", "number", low=1, high=31),
    PanelQuestion("birth_place", "letters", letters=1),
    PanelQuestion("older_siblings", "number", low=0, high=20),
)


def _letters_only(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if ch.isalpha() and ch.isascii()).upper()


def normalise_panel_answer(question: PanelQuestion, typed: str, lang: str = "nl") -> str:
    """One panel answer as it goes into the key, or InputError in ``lang``.

    Case, spaces, accents and anything after the letters asked for are ignored,
    so ``"Ölga"``, ``"olga"`` and ``" OL "`` give the same ``"OL"``.

    >>> normalise_panel_answer(PANEL_QUESTIONS[0], " Ölga ")
    'OL'
    >>> normalise_panel_answer(PANEL_QUESTIONS[1], "07")
    '7'
    """
    if question.kind == "letters":
        letters = _letters_only(typed)
        if len(letters) < question.letters:
            key = "panel_need_letter" if question.letters == 1 else "panel_need_letters"
            raise InputError(texts.text(key, lang, count=question.letters))
        return letters[: question.letters]
    digits = typed.strip()
    if not digits.isdigit() or not question.low <= int(digits) <= question.high:
        raise InputError(
            texts.text("panel_need_number", lang, low=question.low, high=question.high)
        )
    return str(int(digits))


#: scrypt's cost for panel keys: about 50 ms and 16 MB a key. A panel key has only some
#: millions of possible answers, so a fast hash could be reversed by trying them all
#: (HMAC-SHA256: all of them in about 30 seconds on one core, with the key that sits in
#: the same database). scrypt makes each guess cost memory and time: all of them take
#: days of CPU time per database instead of seconds.
PANEL_KEY_SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}


def panel_key_hash(secret: bytes, answers: Mapping[str, str] | Sequence[str]) -> str:
    """The keyed, deliberately slow hash of a complete panel key (answers in question order).

    ``answers`` maps question id -> typed answer (or is a list in question order);
    each answer is normalised first, so the same person gets the same hash. The
    database's secret is the salt, so the same answers in another database give
    another hash.
    """
    if isinstance(answers, Mapping):
        typed = [answers[q.id] for q in PANEL_QUESTIONS]
    else:
        typed = list(answers)
    if len(typed) != len(PANEL_QUESTIONS):
        raise InputError(
            _("A panel key has {parts} parts, not {found}.").format(
                parts=len(PANEL_QUESTIONS), found=len(typed)
            )
        )
    # The answers were checked in the participant's language as they were typed; what is
    # still wrong here came from a file, and the lead reads it.
    lang = lead_language()
    parts = [
        normalise_panel_answer(q, a, lang) for q, a in zip(PANEL_QUESTIONS, typed, strict=True)
    ]
    message = _PANEL_PREFIX + "|".join(parts).encode("ascii")
    return hashlib.scrypt(message, salt=secret, **PANEL_KEY_SCRYPT).hex()


def panel_key_from_text(secret: bytes, text: str) -> str:
    """Hash a panel key written in one cell (import): parts separated by ``-``, ``/`` or spaces.

    ``"OL-7-A-2"`` and ``"ol 07 a 2"`` give the same hash as the interactive answers.
    """
    pieces = [p for p in re.split(r"[\s\-/|;,.]+", text.strip()) if p]
    if len(pieces) != len(PANEL_QUESTIONS):
        raise InputError(
            _(
                "a panel key has {parts} parts (letters of the mother's name, day of birth, "
                "letter of the birth place, older brothers and sisters), for example OL-7-A-2; "
                "found {found}"
            ).format(parts=len(PANEL_QUESTIONS), found=len(pieces))
        )
    return panel_key_hash(secret, pieces)


# -- printable slips --------------------------------------------------------------


def slips_html(
    codes: Sequence[str],
    *,
    coalition_name: str,
    round_number: int,
    minutes: int,
    expires_on: str | None = None,
    where: str | None = None,
    url: str | None = None,
) -> str:
    """A printable HTML sheet of slips (cut lines, round, code, how to answer in nl and en).

    With ``url`` (where ``surveycoal serve`` can be reached) each slip carries that
    address and a QR code of :func:`slip_link`, which logs the person in at once;
    without it the slip names the terminal command, with the code, and ``where``.
    """
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    from surveycoal.resources import reports_dir

    env = Environment(
        loader=FileSystemLoader(str(reports_dir())),
        autoescape=True,
        undefined=StrictUndefined,
    )
    template = env.get_template("slips.html.j2")
    slips = []
    for code in codes:
        qr = None
        if url is not None:
            import segno

            qr = segno.make(slip_link(url, code), error="m").svg_inline(
                scale=3, border=2, omitsize=False, title="QR"
            )
        slips.append({"code": code, "qr": qr, "command": answer_command(code)})
    return template.render(
        slips=slips,
        url=url,
        codes=list(codes),
        coalition_name=coalition_name,
        round_number=round_number,
        minutes=minutes,
        expires_on=expires_on,
        where=where,
    )


def answer_command(code: str) -> str:
    """The terminal command a slip tells its holder to type.

    >>> answer_command("K7QM-4TRXY")
    'surveycoal answer K7QM-4TRXY'
    """
    return f"surveycoal answer {code}"


def slip_link(url: str, code: str) -> str:
    """The address in a slip's QR code: the web server's login link for the code.

    The server logs the phone in and redirects at once to an address without the
    code (see :mod:`surveycoal.web.app`).

    >>> slip_link("https://vragen.example.nl/", "K7QM-4TRXY")
    'https://vragen.example.nl/k/K7QM4TRXY'
    """
    return f"{url.rstrip('/')}/k/{normalise_code(code)}"


def check_slip_url(url: str) -> str:
    """A web address for the slips, or InputError saying what is wrong with it."""
    from urllib.parse import urlsplit

    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InputError(
            _(
                "{url!r} is not a web address: give it whole, for example "
                "https://vragen.example.nl or http://192.168.1.20:8080"
            ).format(url=url)
        )
    if parts.query or parts.fragment:
        raise InputError(
            _("The address {url!r} may not have a ?query or #fragment.").format(url=url)
        )
    return url.strip().rstrip("/")
