"""Stored text made safe to show: on a terminal, in a spreadsheet, in a web page.

Names, notes, member names, instrument texts and open answers are typed by
people, and some may be hostile. Shown raw on a terminal, an escape sequence in a
coalition's name can clear a participant's screen, move the cursor, or set the
window title; a right-to-left override can make text read backwards. :func:`shown`
is the one function every output passes stored text through: it keeps letters,
digits, punctuation, emoji, line breaks and tabs, and replaces every other control
character with a visible stand-in, so what was typed is still there to read.

It does not escape rich markup or emoji codes (``[bold]``, ``:x:``): the places
that print are set up not to read them (surveycoal's consoles have markup and
emoji off; HTML is escaped by jinja2's autoescape), and escaping twice would show
backslashes. A new console should be made with :func:`console_options`.

>>> shown("Zuid\\x1b[2JDoet")
'Zuid␛[2JDoet'
>>> shown("regel 1\\nregel 2\\tx")
'regel 1\\nregel 2\\tx'
>>> shown("abc\\u202edcba")
'abc<U+202E>dcba'
>>> shown("[bold]:x:[/bold]")
'[bold]:x:[/bold]'
"""

from __future__ import annotations

import re
from typing import Any

#: C0 controls other than tab and line feed, DEL and the C1 controls. Each C0
#: control and DEL has a picture in Unicode's "Control Pictures" block.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
#: Characters that change how the text around them is laid out or read without
#: being seen: bidirectional overrides and isolates, line and paragraph separators,
#: and the byte order mark in the middle of a text.
_INVISIBLE = re.compile("[\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")
#: Characters a spreadsheet file (XLSX) refuses: tab, line feed and carriage return are allowed.
_XLSX_REFUSED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    return f"<U+{code:04X}>"


def _named(match: re.Match[str]) -> str:
    return f"<U+{ord(match.group()):04X}>"


def shown(text: str) -> str:
    """``text`` with every control character and invisible layout character made visible.

    Tabs and line breaks stay; a carriage return becomes ``␍`` (it would let a
    later part of a line overwrite an earlier one). Text without such characters
    comes back unchanged, so it is cheap to apply everywhere.

    >>> shown("\\x07bel\\r")
    '␇bel␍'
    >>> shown("gewoon")
    'gewoon'
    """
    text = str(text)
    if text.isprintable():
        return text
    return _INVISIBLE.sub(_named, _CONTROL.sub(_picture, text))


def shown_line(text: str) -> str:
    """Like :func:`shown`, for text that must stay on one line (a name in a table or message).

    >>> shown_line("Zuid\\nDoet")
    'Zuid␊Doet'
    """
    return shown(text).replace("\n", "\u240a").replace("\t", " ")


def shown_value(value: Any) -> Any:
    """:func:`shown` for text; numbers, None and other values pass unchanged."""
    return shown(value) if isinstance(value, str) else value


def shown_json(value: Any) -> Any:
    """Every string in a JSON-like structure (dicts, lists) passed through :func:`shown`.

    >>> shown_json({"name": "a\\x1bb", "n": [1, "c\\x00"]})
    {'name': 'a␛b', 'n': [1, 'c␀']}
    """
    if isinstance(value, str):
        return shown(value)
    if isinstance(value, dict):
        return {shown_json(k): shown_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [shown_json(v) for v in value]
    return value


def spreadsheet_text(text: str) -> str:
    """:func:`shown` text that an XLSX file also accepts (no control characters left).

    >>> spreadsheet_text("a\\x01b")
    'a␁b'
    """
    return _XLSX_REFUSED.sub(_picture, shown(text))


def console_options() -> dict[str, Any]:
    """Settings for a rich Console that shows typed text as typed: no markup, no emoji codes."""
    return {"highlight": False, "markup": False, "emoji": False}
