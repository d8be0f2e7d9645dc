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

The catalogue is read on first use and kept, so a command that shows no text (such
as ``surveycoal --help``) never reads it. The reader understands the part of the PO
format the catalogue uses: comments, flags, ``msgctxt``, ``msgid``,
``msgid_plural``, ``msgstr`` and ``msgstr[n]``, strings over several lines and the
escapes ``\\\\ \\" \\n \\t \\r``. Entries marked fuzzy are not used, as in gettext.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

#: The languages texts are written in; the first is the default of participant screens.
LANGUAGES: tuple[str, ...] = ("nl", "en")
#: Each language's name in that language.
LANGUAGE_NAMES: dict[str, str] = {"nl": "Nederlands", "en": "English"}

#: The variables that choose the language of messages for leads, in gettext's order.
LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


class POError(ValueError):
    """A catalogue file cannot be read; the message names the file and line."""


@dataclass(frozen=True)
class Entry:
    """One message of a PO file."""

    msgid: str
    msgstr: tuple[str, ...]
    msgctxt: str | None = None
    msgid_plural: str | None = None
    flags: frozenset[str] = frozenset()
    references: tuple[str, ...] = ()
    comments: tuple[str, ...] = ()
    line: int = 0

    @property
    def translated(self) -> bool:
        return "fuzzy" not in self.flags and all(self.msgstr) and bool(self.msgstr)


_ESCAPES = {"\\": "\\", '"': '"', "n": "\n", "t": "\t", "r": "\r"}


def _unquote(text: str, where: str) -> str:
    text = text.strip()
    if len(text) < 2 or text[0] != '"' or text[-1] != '"':
        raise POError(f"{where}: expected a string in double quotes, got {text!r}.")
    body = text[1:-1]
    out: list[str] = []
    i = 0
    while i < len(body):
        char = body[i]
        if char == "\\":
            if i + 1 >= len(body) or body[i + 1] not in _ESCAPES:
                raise POError(f"{where}: unknown escape in {text!r}.")
            out.append(_ESCAPES[body[i + 1]])
            i += 2
            continue
        if char == '"':
            raise POError(f'{where}: a double quote inside a string must be written \\".')
        out.append(char)
        i += 1
    return "".join(out)


@dataclass
class _Draft:
    line: int = 0
    fields: dict[str, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    references: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)

    def entry(self, where: str) -> Entry:
        if "msgid" not in self.fields:
            raise POError(f"{where}:{self.line}: an entry without msgid.")
        plural = self.fields.get("msgid_plural")
        if plural is None:
            if "msgstr" not in self.fields:
                raise POError(f"{where}:{self.line}: msgid without msgstr.")
            strings: tuple[str, ...] = (self.fields["msgstr"],)
        else:
            forms = sorted(
                (int(key[7:-1]), value)
                for key, value in self.fields.items()
                if key.startswith("msgstr[")
            )
            if not forms or [n for n, _ in forms] != list(range(len(forms))):
                raise POError(f"{where}:{self.line}: msgid_plural needs msgstr[0], msgstr[1] ...")
            strings = tuple(value for _, value in forms)
        return Entry(
            msgid=self.fields["msgid"],
            msgstr=strings,
            msgctxt=self.fields.get("msgctxt"),
            msgid_plural=plural,
            flags=frozenset(self.flags),
            references=tuple(self.references),
            comments=tuple(self.comments),
            line=self.line,
        )


_KEYWORDS = ("msgctxt", "msgid_plural", "msgid", "msgstr")


def read_po(text: str, where: str = "<catalogue>") -> list[Entry]:
    """The entries of a PO file's text, the header (``msgid ""``) included, in order."""
    entries: list[Entry] = []
    draft = _Draft()
    current: str | None = None  # the keyword whose string continues on the next line

    def finish() -> None:
        nonlocal draft, current
        if draft.fields:
            entries.append(draft.entry(where))
        draft, current = _Draft(), None

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        at = f"{where}:{number}"
        if not line:
            current = None
            continue
        if line.startswith("#"):
            if any(key.startswith("msgstr") for key in draft.fields):
                finish()
            if line.startswith("#~"):
                continue  # an obsolete entry
            if line.startswith("#,"):
                draft.flags.update(flag.strip() for flag in line[2:].split(",") if flag.strip())
            elif line.startswith("#:"):
                draft.references.extend(line[2:].split())
            elif line.startswith("#."):
                draft.comments.append(line[2:].strip())
            continue
        if line.startswith('"'):
            if current is None:
                raise POError(f"{at}: a string that continues nothing.")
            draft.fields[current] += _unquote(line, at)
            continue
        keyword, _, rest = line.partition(" ")
        base = keyword.split("[")[0]
        indexed = keyword[len(base) :]
        if base not in _KEYWORDS or (
            indexed and (base != "msgstr" or not re.fullmatch(r"\[\d+\]", indexed))
        ):
            raise POError(f"{at}: unknown keyword {keyword!r}.")
        if keyword in ("msgctxt", "msgid") and any(k.startswith("msgstr") for k in draft.fields):
            finish()
        if keyword in draft.fields:
            raise POError(f"{at}: {keyword} twice in one entry.")
        if not draft.fields:
            draft.line = number
        draft.fields[keyword] = _unquote(rest, at)
        current = keyword
    finish()
    return entries


def plural_index(lang: str, count: int) -> int:
    """Which plural form ``count`` takes: both languages say ``nplurals=2; plural=(n != 1)``."""
    return 0 if count == 1 else 1


class Catalogue:
    """The entries of one language, looked up by English text or by key."""

    def __init__(self, lang: str, entries: Iterable[Entry]) -> None:
        self.lang = lang
        self.entries = [entry for entry in entries if entry.msgid]  # without the header
        self._by_text: dict[tuple[str | None, str], Entry] = {}
        self._by_key: dict[str, Entry] = {}
        for entry in self.entries:
            if (entry.msgctxt, entry.msgid) in self._by_text:
                raise POError(f"line {entry.line}: {entry.msgid!r} is in the catalogue twice.")
            self._by_text[entry.msgctxt, entry.msgid] = entry
            if entry.msgctxt is not None:
                if entry.msgctxt in self._by_key:
                    raise POError(f"line {entry.line}: the key {entry.msgctxt!r} is used twice.")
                self._by_key[entry.msgctxt] = entry

    def _shown(self, entry: Entry | None, english: tuple[str, ...], index: int) -> str:
        if self.lang == "en" or entry is None or not entry.translated:
            return english[min(index, len(english) - 1)]
        return entry.msgstr[min(index, len(entry.msgstr) - 1)]

    def gettext(self, message: str) -> str:
        return self._shown(self._by_text.get((None, message)), (message,), 0)

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        entry = self._by_text.get((None, singular))
        return self._shown(entry, (singular, plural), plural_index(self.lang, count))

    def keyed(self, key: str) -> str:
        """The text of the entry whose msgctxt is ``key`` (KeyError when there is none)."""
        entry = self._by_key[key]
        return self._shown(entry, (entry.msgid,), 0)

    def keys(self, reference: str) -> list[str]:
        """The keys of the entries used by the module ``reference`` (a ``#:`` comment)."""
        return [key for key, entry in self._by_key.items() if reference in entry.references]


def catalogue_text() -> str:
    """The text of the shipped Dutch catalogue, read from the installed package."""
    from importlib.resources import files

    return (files("surveycoal") / "locale" / "nl.po").read_text(encoding="utf-8")


@functools.cache
def _entries() -> tuple[Entry, ...]:
    return tuple(read_po(catalogue_text(), "surveycoal/locale/nl.po"))


@functools.cache
def catalogue(lang: str) -> Catalogue:
    """The catalogue of ``lang``: Dutch from nl.po, English from its msgids."""
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
    "Catalogue",
    "Entry",
    "POError",
    "_",
    "catalogue",
    "keyed",
    "lead_language",
    "ngettext",
    "read_po",
]
