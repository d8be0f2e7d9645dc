"""The words of the reports, in Dutch and English, and how numbers are written.

Every sentence a report shows is in the one text catalogue (:mod:`surveycoal.i18n`,
``surveycoal/locale/nl.po``), each under its key. Texts with ``{name}`` fields are
filled with :meth:`str.format` by the context builders; templates only look words up.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from typing import Any

from surveycoal import i18n
from surveycoal.i18n import LANGUAGES, _
from surveycoal.privacy import REASONS
from surveycoal.stats.constants import DEFAULT_MID

#: The minus sign used in every number (U+2212, not a hyphen).
MINUS = "\u2212"

#: The catalogue's reference (``#:``) of the report words.
SOURCE = "surveycoal/reports/words.py"


@functools.cache
def _table(lang: str) -> dict[str, str]:
    keys = i18n.catalogue("en").keys(SOURCE)
    return {key: i18n.keyed(key, lang) for key in keys}


def __getattr__(name: str) -> dict[str, dict[str, str]]:
    # WORDS[lang][key], read from the catalogue when first asked for.
    if name == "WORDS":
        return {lang: _table(lang) for lang in LANGUAGES}
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def words(lang: str) -> dict[str, str]:
    """The words of one language (``nl`` or ``en``)."""
    if lang in LANGUAGES:
        return _table(lang)
    from surveycoal.errors import InputError

    raise InputError(
        _("There are no report words in {lang!r}.").format(lang=lang),
        hint=_("Use one of: {languages}.").format(languages=", ".join(LANGUAGES)),
    )


def say(lang: str, key: str, **values: Any) -> str:
    """One sentence of ``lang`` with its fields filled in."""
    text = words(lang)[key]
    return text.format(**values) if values else text


# -- numbers ------------------------------------------------------------------------


def number(value: float | None, lang: str, digits: int = 0) -> str:
    """A number as a reader writes it: decimal comma in Dutch, a real minus sign.

    >>> number(68.75, "nl"), number(0.815, "nl", 2), number(-3.2, "en", 1)
    ('69', '0,81', '\u22123.2')
    """
    if value is None or not math.isfinite(value):
        return words(lang)["dash"]
    text = f"{abs(value):.{digits}f}"
    if lang == "nl":
        text = text.replace(".", ",")
    rounded_zero = float(f"{abs(value):.{digits}f}") == 0.0
    return (MINUS if value < 0 and not rounded_zero else "") + text


def signed(value: float | None, lang: str, digits: int = 0) -> str:
    """A difference with its sign always written: +8, \u22123, 0.

    >>> signed(8.2, "en"), signed(-0.04, "en", 1), signed(0.0, "nl")
    ('+8', '0.0', '0')
    """
    text = number(value, lang, digits)
    if value is not None and math.isfinite(value) and value > 0 and text.strip("0,.") != "":
        return "+" + text
    return text


def percent(share: float | None, lang: str) -> str:
    """A share of 0..1 as a whole percentage.

    >>> percent(0.754, "nl")
    '75%'
    """
    if share is None or not math.isfinite(share):
        return words(lang)["dash"]
    return f"{number(100 * share, lang)}%"


def date_text(value: Any, lang: str) -> str:
    """A date as 9 March 2026 / 9 maart 2026."""
    months = {
        "en": (
            "January February March April May June July August September October November December"
        ).split(),
        "nl": "januari februari maart april mei juni juli augustus september oktober november december".split(),
    }
    return f"{value.day} {months[lang][value.month - 1]} {value.year}"


#: Every reason scoring may give for hiding a cell.
PRIVACY_REASONS = frozenset(REASONS)


def hidden_words(reason: str | None, lang: str = "en") -> str:
    """What a reader is told about a cell hidden for privacy: one phrase, whatever the cause.

    The causes differ in what they give away: "no responses" in one cell and "too
    small" in the next would tell that the one municipal respondent answered
    "don't know" to every trust statement. So, as statistical offices do with one
    mark, every hidden cell says the same; the methods section explains the rules.

    >>> hidden_words("no_responses") == hidden_words("below_minimum") == hidden_words(None)
    True
    """
    return words(lang)["reason_hidden"]


def reason_text(reason: str | None, lang: str, limits: Mapping[str, int]) -> str:
    """Why a cell has no figure, in words (``limits``: min, min_items, min_text).

    Every privacy reason gives the one phrase of :func:`hidden_words`; only cells
    that are empty for another cause (no such round, only one round) say so.
    """
    code = reason or "below_minimum"
    if code in PRIVACY_REASONS:
        return hidden_words(code, lang)
    key = f"reason_{code}"
    table = words(lang)
    if key not in table:
        key = "reason_below_minimum"
    return table[key].format(**limits)


def p_text(p: float | None, lang: str) -> str:
    """A p-value as readers read it: two decimals, or "less than 0.01" / "less than 0.001".

    >>> p_text(0.0004, "nl"), p_text(0.004, "nl"), p_text(0.0312, "nl"), p_text(1.0, "en")
    ('kleiner dan 0,001', 'kleiner dan 0,01', '0,03', '1.00')
    """
    if p is None or not math.isfinite(p):
        return words(lang)["dash"]
    if p < 0.001:
        return words(lang)["p_small"]
    if p < 0.01:
        return words(lang)["p_smaller"]
    return number(p, lang, 2)


def verdict_text(code: str, lang: str, mid: float = DEFAULT_MID) -> str:
    """The plain words of a verdict code (docs/METHODS.md section 8)."""
    return words(lang)[f"verdict_{code}"].format(mid=number(mid, lang))


#: Group verdict -> the words key that names the higher side.
_SIDE = {
    "higher": "side_higher",
    "lower": "side_higher",
    "slightly_higher": "side_slightly_higher",
    "slightly_lower": "side_slightly_higher",
    "possibly_higher": "side_possibly_higher",
    "possibly_lower": "side_possibly_higher",
}


def difference_text(code: str, higher: str | None, lang: str, mid: float = DEFAULT_MID) -> str:
    """A group difference's verdict naming the side that scores higher.

    ``higher`` is the label of the group the result names as higher; without one (no
    difference, inconclusive, too few) the verdict's own words.

    >>> difference_text("lower", "Professionals", "en"), difference_text("possibly_higher", "Bewoners", "nl")
    ('Professionals higher', 'Bewoners mogelijk hoger')
    """
    key = _SIDE.get(code)
    if key is None or not higher:
        return verdict_text(code, lang, mid)
    return words(lang)[key].format(group=higher, mid=number(mid, lang))
