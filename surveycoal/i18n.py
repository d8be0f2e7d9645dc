"""The one text catalogue: every text surveycoal shows, in English and Dutch.

The texts live in a gettext catalogue, ``surveycoal/locale/nl.po``, that a
translator edits without reading Python: ``msgid`` is the English text and
``msgstr`` the Dutch. Participant screens and reports look their texts up by key
(the entry's ``msgctxt``); messages for leads are looked up by their English text,
in the usual gettext style::

    from surveycoal.i18n import _, ngettext

    _("Round {ref} is open.").format(ref=ref)
    ngettext("{count} code", "{count} codes", count).format(count=count)

Messages for leads are in Dutch when ``SURVEYCOAL_LANG`` is ``nl`` or, without it,
when the locale is Dutch (``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG``, the
first one set, in gettext's order); in English otherwise.

The catalogue is read on first use (by :mod:`surveycoal.po`) and kept, so a command
that shows no text (such as ``surveycoal --help``) never reads it.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from surveycoal.po import Catalogue, Entry

#: The languages texts are written in; the first is the default of participant screens.
LANGUAGES: tuple[str, ...] = ("nl", "en")
#: Each language's name in that language.
LANGUAGE_NAMES: dict[str, str] = {"nl": "Nederlands", "en": "English"}

#: The variables that choose the language of messages for leads, in gettext's order.
LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def catalogue_text() -> str:
    """The text of the shipped Dutch catalogue, read from the installed package."""
    from importlib.resources import files

    return (files("surveycoal") / "locale" / "nl.po").read_text(encoding="utf-8")


@functools.cache
def _entries() -> tuple[Entry, ...]:
    from surveycoal.po import read_po

    return tuple(read_po(catalogue_text(), "surveycoal/locale/nl.po"))


@functools.cache
def catalogue(lang: str) -> Catalogue:
    """The catalogue of ``lang``: Dutch from nl.po, English from its msgids."""
    from surveycoal.po import Catalogue

    return Catalogue("nl" if lang == "nl" else "en", _entries())


def lead_language(environ: Mapping[str, str] | None = None) -> str:
    """``nl`` or ``en``: the language of the messages a lead reads."""
    env = os.environ if environ is None else environ
    chosen = env.get("SURVEYCOAL_LANG", "").strip()
    if not chosen:
        for name in LOCALE_VARIABLES:
            value = env.get(name, "").strip()
            if value:
                chosen = value.split(":")[0]
                break
    return "nl" if chosen.lower().startswith("nl") else "en"


def _(message: str) -> str:
    """``message`` (English) in the lead's language."""
    return catalogue(lead_language()).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural of a message for ``count``, in the lead's language."""
    return catalogue(lead_language()).ngettext(singular, plural, count)


def keyed(key: str, lang: str) -> str:
    """The text with key ``key`` in ``lang`` (``nl`` or ``en``)."""
    return catalogue(lang).keyed(key)


__all__ = [
    "LANGUAGES",
    "LANGUAGE_NAMES",
    "_",
    "catalogue",
    "keyed",
    "lead_language",
    "ngettext",
]
