"""The one text catalogue (surveycoal/locale/nl.po): its reader, its contents, its checks."""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
from importlib.resources import files
from pathlib import Path

import pytest

from surveycoal import i18n, po
from surveycoal.po import POError, read_po

PACKAGE = Path(i18n.__file__).parent
#: A placeholder as str.format reads it: its field name, conversion and format spec.
PLACEHOLDER = re.compile(r"(?<!{){([^{}]*)}(?!})")


def entries() -> list[po.Entry]:
    return [entry for entry in read_po(i18n.catalogue_text()) if entry.msgid]


# -- the reader ----------------------------------------------------------------------


def test_the_reader_reads_the_parts_of_the_format_the_catalogue_uses() -> None:
    text = r"""# a translator's note
msgid ""
msgstr ""
"Language: nl\n"

#. {n}: a round number
#: surveycoal/texts.py
#, python-brace-format
msgctxt "round_n"
msgid "Round {n}"
msgstr "Ronde {n}"

msgid ""
"A long text "
"over \"two\" lines\n"
"with a tab\t and a backslash \\."
msgstr "Een lange tekst"

#, fuzzy
msgid "Guessed"
msgstr "Geraden"

msgid "{count} code"
msgid_plural "{count} codes"
msgstr[0] "{count} code"
msgstr[1] "{count} codes"

#~ msgid "Gone"
#~ msgstr "Weg"
"""
    header, keyed, long, fuzzy, plural = read_po(text)
    assert header.msgid == "" and header.msgstr == ("Language: nl\n",)
    assert keyed.msgctxt == "round_n" and keyed.msgstr == ("Ronde {n}",)
    assert keyed.references == ("surveycoal/texts.py",)
    assert keyed.comments == ("{n}: a round number",)
    assert keyed.flags == {"python-brace-format"}
    assert long.msgid == 'A long text over "two" lines\nwith a tab\t and a backslash \\.'
    assert not fuzzy.translated
    assert plural.msgid_plural == "{count} codes" and len(plural.msgstr) == 2
    dutch = po.Catalogue("nl", [header, keyed, long, fuzzy, plural])
    assert dutch.keyed("round_n") == "Ronde {n}"
    assert dutch.gettext("Guessed") == "Guessed"  # a fuzzy entry is not used, as in gettext
    assert dutch.gettext("Not in the catalogue") == "Not in the catalogue"
    assert dutch.ngettext("{count} code", "{count} codes", 1) == "{count} code"
    english = po.Catalogue("en", [keyed, plural])
    assert english.keyed("round_n") == "Round {n}"
    assert english.ngettext("{count} code", "{count} codes", 2) == "{count} codes"
    assert english.ngettext("{count} code", "{count} codes", 0) == "{count} codes"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('msgid "a"\nmsgstr "b\\x"', "unknown escape"),
        ('msgid "a"\nmsgstr b', "double quotes"),
        ('msgid "a"\nmsgstr "b"c"', "double quote inside"),
        ('msgid "a"', "without msgstr"),
        ('msgid "a"\nmsgstr "b"\nmsgstr "c"', "twice"),
        ('msgid "a"\nmsgid_plural "as"\nmsgstr[1] "b"', "msgstr\\[0\\]"),
        ('msgid "a"\nmsgtext "b"', "unknown keyword"),
        ('"stray"', "continues nothing"),
    ],
)
def test_the_reader_names_the_line_of_a_broken_file(text: str, message: str) -> None:
    with pytest.raises(POError, match=message) as caught:
        read_po(text, "nl.po")
    assert str(caught.value).startswith("nl.po")


def test_a_key_or_text_used_twice_is_refused() -> None:
    twice = 'msgctxt "k"\nmsgid "A"\nmsgstr "B"\n\nmsgctxt "k"\nmsgid "C"\nmsgstr "D"\n'
    with pytest.raises(POError, match="key 'k'"):
        po.Catalogue("nl", read_po(twice))
    with pytest.raises(POError, match="twice"):
        po.Catalogue("nl", read_po('msgid "A"\nmsgstr "B"\n\nmsgid "A"\nmsgstr "C"\n'))


# -- the lead's language ------------------------------------------------------------


@pytest.mark.parametrize(
    ("environ", "lang"),
    [
        ({}, "en"),
        ({"LANG": "nl_NL.UTF-8"}, "nl"),
        ({"LANG": "nl_BE.UTF-8"}, "nl"),
        ({"LANG": "en_GB.UTF-8"}, "en"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LC_MESSAGES": "nl_NL.UTF-8", "LANG": "en_US.UTF-8"}, "nl"),
        ({"LC_ALL": "en_US.UTF-8", "LC_MESSAGES": "nl_NL.UTF-8"}, "en"),
        ({"LANGUAGE": "nl:en", "LC_ALL": "en_US.UTF-8"}, "nl"),
        ({"SURVEYCOAL_LANG": "nl", "LANG": "en_US.UTF-8"}, "nl"),
        ({"SURVEYCOAL_LANG": "en", "LANG": "nl_NL.UTF-8"}, "en"),
        ({"SURVEYCOAL_LANG": "", "LANG": "nl_NL.UTF-8"}, "nl"),
    ],
)
def test_the_lead_language_follows_the_setting_then_the_locale(
    environ: dict[str, str], lang: str
) -> None:
    assert i18n.lead_language(environ) == lang


# -- the catalogue's contents ---------------------------------------------------------


def test_the_catalogue_is_read_from_the_installed_package() -> None:
    shipped = files("surveycoal") / "locale" / "nl.po"
    assert shipped.is_file()
    assert i18n.catalogue_text() == shipped.read_text(encoding="utf-8")
    header = read_po(i18n.catalogue_text())[0]
    assert header.msgid == "" and "charset=UTF-8" in header.msgstr[0]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header.msgstr[0]


def test_every_text_has_dutch_with_the_same_placeholders() -> None:
    found = entries()
    assert len(found) > 400
    for entry in found:
        where = f"nl.po line {entry.line}: {entry.msgid!r}"
        assert entry.translated, where
        assert all(text.strip() for text in entry.msgstr), where
        english = sorted(PLACEHOLDER.findall(entry.msgid))
        if entry.msgid_plural is not None:
            # The plural's placeholders, in every Dutch form.
            english = sorted(PLACEHOLDER.findall(entry.msgid_plural))
        for text in entry.msgstr:
            assert sorted(PLACEHOLDER.findall(text)) == english, where
        if english:
            assert "python-brace-format" in entry.flags, where


def test_the_template_lists_every_text_of_the_catalogue() -> None:
    template = read_po((PACKAGE / "locale" / "surveycoal.pot").read_text(encoding="utf-8"))
    ids = {(e.msgctxt, e.msgid, e.msgid_plural) for e in template if e.msgid}
    assert ids == {(e.msgctxt, e.msgid, e.msgid_plural) for e in entries()}
    assert all(not any(e.msgstr) for e in template if e.msgid)


def _messages_in_source() -> set[tuple[str, str | None]]:
    """Every literal passed to ``_`` or ``ngettext`` in surveycoal's code."""
    found: set[tuple[str, str | None]] = set()
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
                continue
            args = [a.value if isinstance(a, ast.Constant) else None for a in node.args]
            if node.func.id == "_" and len(args) == 1 and isinstance(args[0], str):
                found.add((args[0], None))
            elif node.func.id == "ngettext" and len(args) == 3 and isinstance(args[0], str):
                assert isinstance(args[1], str), f"{path}: ngettext's plural is not a literal"
                found.add((args[0], args[1]))
    return found


def test_every_message_of_the_code_is_in_the_catalogue() -> None:
    known = {(e.msgid, e.msgid_plural) for e in entries() if e.msgctxt is None}
    missing = sorted(_messages_in_source() - known, key=lambda pair: pair[0])
    assert missing == []


def test_the_gettext_tools_accept_the_catalogue() -> None:
    if shutil.which("msgfmt") is None:
        if os.environ.get("CI"):
            pytest.fail("msgfmt is not installed in CI (apt-get install gettext).")
        pytest.skip("msgfmt is not installed (apt-get install gettext)")
    for name in ("nl.po", "surveycoal.pot"):
        done = subprocess.run(
            ["msgfmt", "--check", "-o", os.devnull, str(PACKAGE / "locale" / name)],
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr


def test_help_reads_no_catalogue() -> None:
    """``surveycoal --help`` shows no catalogue text, so it neither reads nor parses it."""
    code = (
        "import sys\n"
        "from surveycoal.cli import app\n"
        "try:\n"
        "    app(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('surveycoal.po' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "False"
