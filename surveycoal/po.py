"""A reader of gettext PO files: the part of the format surveycoal's catalogue uses.

Comments, flags, ``msgctxt``, ``msgid``, ``msgid_plural``, ``msgstr`` and ``msgstr[n]``,
strings over several lines and the escapes ``\\\\ \\" \\n \\t \\r``. Entries marked
fuzzy are not used, as in gettext. :mod:`surveycoal.i18n` loads it on first use only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field


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
