"""Every text a participant sees, in plain Dutch (B1) and English.

Dutch uses short sentences and everyday words, and "je" like the shipped
instruments do. The texts live in the one text catalogue (:mod:`surveycoal.i18n`,
``surveycoal/locale/nl.po``), each under its key; placeholders in braces are
filled with :meth:`str.format`. The questionnaire's own texts (items, scales,
member types) come from the instrument; these are the texts around them.
"""

from __future__ import annotations

import functools

from surveycoal import i18n
from surveycoal.i18n import LANGUAGE_NAMES, LANGUAGES

#: The catalogue's reference (``#:``) of the texts of participant screens.
SOURCE = "surveycoal/texts.py"


@functools.cache
def _table() -> dict[str, dict[str, str]]:
    keys = i18n.catalogue("en").keys(SOURCE)
    return {key: {lang: i18n.keyed(key, lang) for lang in LANGUAGES} for key in keys}


def __getattr__(name: str) -> dict[str, dict[str, str]]:
    # TEXTS[key][lang], read from the catalogue when first asked for.
    if name == "TEXTS":
        return _table()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def text(key: str, lang: str, **values: object) -> str:
    """The text ``key`` in ``lang`` (Dutch when the language is unknown), filled in."""
    entry = _table()[key]
    template = entry.get(lang) or entry["nl"]
    return template.format(**values) if values else template


def both(key: str, **values: object) -> str:
    """The text in Dutch and in English on one line, for short prompts shown before a
    language is chosen."""
    return " / ".join(text(key, lang, **values) for lang in LANGUAGES)


def both_lines(key: str, **values: object) -> str:
    """The text in Dutch, then in English on the next line: for sentences shown before
    a language is chosen, which read badly run together."""
    return "\n".join(text(key, lang, **values) for lang in LANGUAGES)


def count_text(key: str, lang: str, count: int) -> str:
    """``key`` for a number: ``KEY_none`` for 0, ``KEY_one`` for 1, ``KEY`` otherwise."""
    variant = {0: f"{key}_none", 1: f"{key}_one"}.get(count, key)
    return text(variant if variant in _table() else key, lang, count=count)


__all__ = ["LANGUAGES", "LANGUAGE_NAMES", "SOURCE", "both", "both_lines", "count_text", "text"]
