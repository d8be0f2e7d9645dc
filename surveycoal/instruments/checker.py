"""Checking an instrument file: reading its YAML safely, within limits, and every rule.

:func:`validate_instrument_file` gives every :class:`Problem` of a file at once, each
with its file, line and place; ``_read`` also gives the plain data that
:meth:`~surveycoal.instruments.model.Instrument.from_dict` turns into the model.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from surveycoal.i18n import _, ngettext
from surveycoal.instruments.model import DEFAULT_GAP_PAIR, DEFAULT_OPEN_LENGTH, PrivacySettings

# -- limits and problems -------------------------------------------------------------

#: Column names the exports use themselves: no item, open question or dimension may take them.
RESERVED_IDS = frozenset({"member_type", "panel_key"})
#: The longest answer an open question may allow, in characters.
MAX_OPEN_LENGTH = 5000
#: Limits on an instrument file, checked before it is turned into data.
MAX_INSTRUMENT_BYTES = 1_000_000
MAX_NESTING = 20
MAX_NUMBER_DIGITS = 20
MAX_EXPANDED_SIZE = 2_000_000
_NUMBER_LIKE = re.compile(r"^[-+]?[0-9][0-9a-fA-FxXoO_.:eE+-]*$")
#: The most points an answer scale may have (0-10 scales have 11).
MAX_SCALE_POINTS = 11
#: The longest ids and version the database columns hold (a database server enforces them).
MAX_INSTRUMENT_ID = 80
MAX_VERSION = 40
MAX_ID = 64
MAX_MEMBER_TYPE_ID = 40


@dataclass(frozen=True)
class Problem:
    """One thing wrong in an instrument file, with where it is.

    ``str()`` reads like
    ``coalition-health.yaml:42: item trust_keeps_agreements, text.en: missing English translation``.
    """

    file: str
    line: int | None
    where: str | None
    field: str | None
    message: str

    def __str__(self) -> str:
        head = self.file if self.line is None else f"{self.file}:{self.line}"
        place = ", ".join(part for part in (self.where, self.field) if part)
        return f"{head}: {place}: {self.message}" if place else f"{head}: {self.message}"


# -- reading the YAML node tree ------------------------------------------------------

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
_ID = re.compile(r"[a-z][a-z0-9_]*\Z")
_LANGUAGE = re.compile(r"[a-z]{2,3}(?:-[a-z0-9]{2,8})*\Z")

_NULL = "tag:yaml.org,2002:null"
_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"

_TOP_KEYS = {
    "id": True, "version": True, "languages": True, "title": True, "intro": True,
    "scales": True, "dimensions": True, "items": True, "open_questions": False,
    "member_types": True, "equality_gap": False, "privacy": False,
}  # fmt: skip
_SCALE_KEYS = {"id": True, "points": True, "labels": True, "dont_know": True}
_DIMENSION_KEYS = {"id": True, "label": True, "description": True}
_ITEM_KEYS = {"id": True, "dimension": True, "text": True, "reverse": True, "scale": False}
_OPEN_KEYS = {"id": True, "text": True, "max_length": False}
_MEMBER_TYPE_KEYS = {"id": True, "label": True, "group": False}
_PRIVACY_KEYS = dict.fromkeys(PrivacySettings.__dataclass_fields__, False)


def _line(node: yaml.Node | None) -> int | None:
    return None if node is None else node.start_mark.line + 1


def _join(field: str | None, key: str) -> str:
    return key if not field else f"{field}.{key}"


def _describe(node: yaml.Node) -> str:
    """What a node holds, in words, for "expected X, found Y" messages."""
    if isinstance(node, yaml.MappingNode):
        return _("a mapping")
    if isinstance(node, yaml.SequenceNode):
        return _("a list")
    if node.tag == _NULL:
        return _("an empty value")
    value = str(node.value)
    shown = value if len(value) <= 40 else value[:37] + "..."
    if node.tag == _BOOL:
        return _("the yes/no value {shown!r}").format(shown=shown)
    if node.tag == _INT:
        return _("the number {shown}").format(shown=shown)
    if getattr(node, "style", None) in ("'", '"'):
        return _("the quoted text {shown!r}").format(shown=shown)
    return _("the text {shown!r}").format(shown=shown)


def _suggest(word: str, choices: list[str]) -> str:
    match = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if match:
        return _("; did you mean {match!r}?").format(match=match[0])
    return _("; expected one of: {choices}").format(choices=", ".join(choices)) if choices else ""


def _and(words: list[str] | tuple[str, ...]) -> str:
    return _(" and ").join(words)


def _language_name(lang: str) -> str:
    names = {
        "nl": _("Dutch"), "en": _("English"), "de": _("German"), "fr": _("French"),
        "tr": _("Turkish"), "ar": _("Arabic"), "pl": _("Polish"), "uk": _("Ukrainian"),
        "es": _("Spanish"), "fy": _("Frisian"), "pap": _("Papiamento"), "so": _("Somali"),
        "ti": _("Tigrinya"),
    }  # fmt: skip
    return names.get(lang, repr(lang))


def _kind(kind: str) -> str:
    """An entry's kind (the start of a problem's place), in the lead's language."""
    kinds = {
        "item": _("item"),
        "scale": _("scale"),
        "dimension": _("dimension"),
        "open question": _("open question"),
        "member type": _("member type"),
    }
    return kinds.get(kind, kind)


def _things(what: str) -> tuple[str, str]:
    """The plural and singular of what a list holds, in the lead's language."""
    words = {
        "items": (_("items"), _("item")),
        "scales": (_("scales"), _("scale")),
        "dimensions": (_("dimensions"), _("dimension")),
        "open questions": (_("open questions"), _("open question")),
        "member types": (_("member types"), _("member type")),
        "language codes": (_("language codes"), _("language code")),
        "labels": (_("labels"), _("label")),
        "two member type ids": (_("two member type ids"), _("member type id")),
    }
    return words.get(what, (what, what.rstrip("s")))


def _peek_id(node: yaml.Node) -> str | None:
    """The valid id of a list entry, read ahead so every problem in the entry can name it."""
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if (
                isinstance(key_node, yaml.ScalarNode)
                and key_node.value == "id"
                and isinstance(value_node, yaml.ScalarNode)
                and _ID.match(str(value_node.value))
            ):
                return str(value_node.value)
    return None


class _Checker:
    """Walks the node tree of one file, collecting every problem and the plain data."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []
        self.languages: tuple[str, ...] | None = None
        # item, open question and dimension ids share one namespace: export column names
        self.columns: dict[str, tuple[str, int | None]] = {}
        self.dimension_nodes: dict[str, yaml.Node | None] = {}

    def add(
        self, node: yaml.Node | None, where: str | None, field: str | None, message: str
    ) -> None:
        self.problems.append(Problem(self.file, _line(node), where, field, message))

    # -- shapes --------------------------------------------------------------------
    def mapping(
        self, node: yaml.Node, where: str | None, field: str | None, keys: Mapping[str, bool]
    ) -> dict[str, yaml.Node] | None:
        """The values of a mapping by key; unknown, duplicate and missing keys are problems."""
        if not isinstance(node, yaml.MappingNode):
            self.add(
                node,
                where,
                field,
                _("expected a mapping (key: value lines), found {found}").format(
                    found=_describe(node)
                ),
            )
            return None
        found: dict[str, yaml.Node] = {}
        seen: dict[str, int | None] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == _NULL:
                self.add(
                    key_node,
                    where,
                    field,
                    _("a key must be a plain word, found {found}").format(
                        found=_describe(key_node)
                    ),
                )
                continue
            key = str(key_node.value)
            if key in seen:
                self.add(
                    key_node,
                    where,
                    _join(field, key),
                    _("duplicate key {key!r} (first on line {line})").format(
                        key=key, line=seen[key]
                    ),
                )
                continue
            seen[key] = _line(key_node)
            if key not in keys:
                self.add(
                    key_node,
                    where,
                    _join(field, key),
                    _("unknown key {key!r}{suggestion}").format(
                        key=key, suggestion=_suggest(key, list(keys))
                    ),
                )
                continue
            found[key] = value_node
        for key, required in keys.items():
            if required and key not in seen:
                self.add(
                    node,
                    where,
                    _join(field, key),
                    _("missing required key {key!r}").format(key=key),
                )
        return found

    def sequence(
        self, node: yaml.Node, where: str | None, field: str | None, *, what: str, required: bool
    ) -> list[yaml.Node] | None:
        many, one = _things(what)
        if not isinstance(node, yaml.SequenceNode):
            self.add(
                node,
                where,
                field,
                _("expected a list of {what} (lines starting with '- '), found {found}").format(
                    what=many, found=_describe(node)
                ),
            )
            return None
        if required and not node.value:
            self.add(
                node,
                where,
                field,
                _("the list is empty; give at least one {what}").format(what=one),
            )
        return list(node.value)

    def word(self, node: yaml.Node, where: str | None, field: str | None) -> str | None:
        """A scalar's text as written (so ``version: 1.10`` stays "1.10")."""
        if not isinstance(node, yaml.ScalarNode) or node.tag == _NULL:
            self.add(
                node,
                where,
                field,
                _("expected a single word or text, found {found}").format(found=_describe(node)),
            )
            return None
        value = str(node.value).strip()
        if not value:
            self.add(node, where, field, _("is empty"))
            return None
        return value

    def identifier(
        self,
        node: yaml.Node,
        where: str | None,
        field: str,
        *,
        pattern: re.Pattern[str],
        rule: str,
        longest: int = MAX_ID,
    ) -> str | None:
        value = self.word(node, where, field)
        if value is None:
            return None
        if not pattern.match(value):
            self.add(
                node,
                where,
                field,
                _("{value!r} is not a valid id: {rule}").format(value=value, rule=rule),
            )
            return None
        if len(value) > longest:
            self.add(
                node,
                where,
                field,
                _("the id is {length} characters long; it may have at most {longest}").format(
                    length=len(value), longest=longest
                ),
            )
            return None
        return value

    def integer(self, node: yaml.Node, where: str | None, field: str) -> int | None:
        if not isinstance(node, yaml.ScalarNode) or node.tag != _INT:
            self.add(
                node,
                where,
                field,
                _("expected a whole number, found {found}").format(found=_describe(node)),
            )
            return None
        return int(yaml.constructor.SafeConstructor().construct_yaml_int(node))

    def flag(self, node: yaml.Node, where: str | None, field: str) -> bool | None:
        """A real YAML boolean written true or false; yes/no, on/off, 1/0 and quoted text are not."""
        if (
            isinstance(node, yaml.ScalarNode)
            and node.tag == _BOOL
            and str(node.value).lower() in ("true", "false")
        ):
            return str(node.value).lower() == "true"
        self.add(
            node,
            where,
            field,
            _("expected true or false, found {found}").format(found=_describe(node)),
        )
        return None

    def text(self, node: yaml.Node, where: str | None, field: str) -> dict[str, str]:
        """A text in every language: ``{nl: ..., en: ...}``."""
        if not isinstance(node, yaml.MappingNode):
            langs = _and([f"'{lang}: ...'" for lang in self.languages or ("nl", "en")])
            self.add(
                node,
                where,
                field,
                _("expected a text per language ({langs}), found {found}").format(
                    langs=langs, found=_describe(node)
                ),
            )
            return {}
        texts: dict[str, str] = {}
        seen: dict[str, int | None] = {}
        for key_node, value_node in node.value:
            lang = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "?"
            sub = _join(field, lang)
            if lang in seen:
                self.add(
                    key_node,
                    where,
                    sub,
                    _("duplicate key {key!r} (first on line {line})").format(
                        key=lang, line=seen[lang]
                    ),
                )
                continue
            seen[lang] = _line(key_node)
            if self.languages is not None and lang not in self.languages:
                known = ", ".join(self.languages)
                self.add(
                    key_node,
                    where,
                    sub,
                    _("language {lang!r} is not in languages ({known}){suggestion}").format(
                        lang=lang,
                        known=known,
                        suggestion=_suggest(lang, list(self.languages)) if len(lang) > 2 else "",
                    ),
                )
                continue
            if not isinstance(value_node, yaml.ScalarNode):
                self.add(
                    value_node,
                    where,
                    sub,
                    _("expected a text, found {found}").format(found=_describe(value_node)),
                )
                continue
            value = "" if value_node.tag == _NULL else str(value_node.value).strip()
            if not value:
                self.add(key_node, where, sub, _("empty text"))
                continue
            texts[lang] = value
        for lang in self.languages or ():
            if lang not in seen:
                self.add(
                    node,
                    where,
                    _join(field, lang),
                    _("missing {language} translation").format(language=_language_name(lang)),
                )
        return texts

    def column_id(self, node: yaml.Node | None, kind: str, value: str) -> bool:
        """Register an item, open question or dimension id; False when it may not be used."""
        if value in RESERVED_IDS:
            self.add(
                node,
                f"{_kind(kind)} {value}",
                "id",
                _(
                    "{value!r} is a reserved name (exports use it as a column); choose another id"
                ).format(value=value),
            )
            return False
        if value in self.columns:
            other, line = self.columns[value]
            self.add(
                node,
                f"{_kind(kind)} {value}",
                "id",
                _(
                    "duplicate id: {other} {value} on line {line} has it too; item, open question "
                    "and dimension ids must all differ (exports use them as column names)"
                ).format(other=_kind(other), value=value, line=line),
            )
            return False
        self.columns[value] = (kind, _line(node))
        return True

    def entries(
        self,
        node: yaml.Node | None,
        kind: str,
        keys: Mapping[str, bool],
        field: str,
        *,
        required: bool,
        longest: int = MAX_ID,
    ) -> list[tuple[str, dict[str, yaml.Node], str | None, yaml.Node | None]]:
        """The entries of a list section: (where, values by key, valid id or None, id node)."""
        if node is None:
            return []
        nodes = self.sequence(node, None, field, what=f"{kind}s", required=required)
        out = []
        for number, entry in enumerate(nodes or (), start=1):
            fallback = f"{_kind(kind)} #{number}"
            named = _peek_id(entry)
            where = f"{_kind(kind)} {named}" if named else fallback
            values = self.mapping(entry, where, None, keys)
            if values is None:
                continue
            id_node = values.get("id")
            ident = None
            if id_node is not None:
                ident = self.identifier(
                    id_node,
                    fallback,
                    "id",
                    pattern=_ID,
                    rule=_("use lower case letters, digits and _, starting with a letter"),
                    longest=longest,
                )
            out.append((where, values, ident, id_node))
        return out

    # -- sections --------------------------------------------------------------------
    def check(self, root: yaml.Node) -> dict[str, Any]:
        top = self.mapping(root, None, None, _TOP_KEYS)
        if top is None:
            return {}
        data: dict[str, Any] = {}
        if "languages" in top:
            self.languages = self._languages(top["languages"])
        if "id" in top:
            data["id"] = self.identifier(
                top["id"],
                None,
                "id",
                pattern=_SLUG,
                rule=_("use lower case letters, digits and hyphens, like my-questionnaire"),
                longest=MAX_INSTRUMENT_ID,
            )
        if "version" in top:
            data["version"] = self.word(top["version"], None, "version")
            if data["version"] is not None and len(data["version"]) > MAX_VERSION:
                self.add(
                    top["version"],
                    None,
                    "version",
                    _(
                        "the version is {length} characters long; it may have at most {longest}"
                    ).format(length=len(data["version"]), longest=MAX_VERSION),
                )
                data["version"] = None
        data["languages"] = list(self.languages or ())
        for key in ("title", "intro"):
            if key in top:
                data[key] = self.text(top[key], None, key)
        data["scales"] = self._scales(top.get("scales"))
        data["dimensions"] = self._dimensions(top.get("dimensions"))
        data["items"] = self._items(top.get("items"), data["scales"], data["dimensions"])
        data["open_questions"] = self._open_questions(top.get("open_questions"))
        before = len(self.problems)
        data["member_types"] = self._member_types(top.get("member_types"))
        # Checked against the member types only when all of them could be read.
        known = [mt["id"] for mt in data["member_types"]] if len(self.problems) == before else []
        data["equality_gap"] = self._equality_gap(
            top.get("equality_gap"), top.get("member_types"), known
        )
        data["privacy"] = self._privacy(top.get("privacy"))
        return data

    def _languages(self, node: yaml.Node) -> tuple[str, ...] | None:
        nodes = self.sequence(node, None, "languages", what="language codes", required=True)
        if nodes is None:
            return None
        langs: list[str] = []
        for number, lang_node in enumerate(nodes, start=1):
            field = f"languages[{number}]"
            lang = self.word(lang_node, None, field)
            if lang is None:
                continue
            if not _LANGUAGE.match(lang):
                self.add(
                    lang_node,
                    None,
                    field,
                    _("{lang!r} is not a language code like nl or en").format(lang=lang),
                )
            elif lang in langs:
                self.add(
                    lang_node, None, field, _("language {lang!r} is listed twice").format(lang=lang)
                )
            else:
                langs.append(lang)
        return tuple(langs) if langs else None

    def _scales(self, node: yaml.Node | None) -> list[dict[str, Any]]:
        scales: list[dict[str, Any]] = []
        seen: dict[str, int | None] = {}
        for where, values, ident, id_node in self.entries(
            node, "scale", _SCALE_KEYS, "scales", required=True
        ):
            if ident is not None:
                if ident in seen:
                    self.add(
                        id_node,
                        where,
                        "id",
                        _("duplicate scale id (first on line {line})").format(line=seen[ident]),
                    )
                    ident = None
                else:
                    seen[ident] = _line(id_node)
            points = self.integer(values["points"], where, "points") if "points" in values else None
            if points is not None and not 3 <= points <= MAX_SCALE_POINTS:
                self.add(
                    values["points"],
                    where,
                    "points",
                    _("a scale needs at least 3 points, found {points}").format(points=points)
                    if points < 3
                    else _("a scale has at most {most} points, found {points}").format(
                        most=MAX_SCALE_POINTS, points=points
                    ),
                )
                points = None
            labels: list[dict[str, str]] = []
            if "labels" in values:
                label_nodes = self.sequence(
                    values["labels"], where, "labels", what="labels", required=True
                )
                for number, label_node in enumerate(label_nodes or (), start=1):
                    labels.append(self.text(label_node, where, f"labels[{number}]"))
                if label_nodes is not None and points is not None and len(label_nodes) != points:
                    self.add(
                        values["labels"],
                        where,
                        "labels",
                        _(
                            "the scale has {points} points but {labels}; "
                            "give one label per point, from lowest to highest"
                        ).format(
                            points=points,
                            labels=ngettext(
                                "{count} label", "{count} labels", len(label_nodes)
                            ).format(count=len(label_nodes)),
                        ),
                    )
            dont_know = (
                self.text(values["dont_know"], where, "dont_know") if "dont_know" in values else {}
            )
            if ident is not None:
                scales.append(
                    {"id": ident, "points": points, "labels": labels, "dont_know": dont_know}
                )
        return scales

    def _dimensions(self, node: yaml.Node | None) -> list[dict[str, Any]]:
        dimensions: list[dict[str, Any]] = []
        for where, values, ident, id_node in self.entries(
            node, "dimension", _DIMENSION_KEYS, "dimensions", required=True
        ):
            label = self.text(values["label"], where, "label") if "label" in values else {}
            description = (
                self.text(values["description"], where, "description")
                if "description" in values
                else {}
            )
            if ident is not None and self.column_id(id_node, "dimension", ident):
                self.dimension_nodes[ident] = id_node
                dimensions.append({"id": ident, "label": label, "description": description})
        return dimensions

    def _items(
        self, node: yaml.Node | None, scales: list[dict[str, Any]], dimensions: list[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        scale_ids = [s["id"] for s in scales]
        dimension_ids = [d["id"] for d in dimensions]
        counts = dict.fromkeys(dimension_ids, 0)
        items: list[dict[str, Any]] = []
        readable = isinstance(node, yaml.SequenceNode)
        for where, values, ident, id_node in self.entries(
            node, "item", _ITEM_KEYS, "items", required=True
        ):
            dimension = None
            if "dimension" in values:
                dimension = self.word(values["dimension"], where, "dimension")
                if dimension is not None and dimension not in counts:
                    if dimension_ids:
                        self.add(
                            values["dimension"],
                            where,
                            "dimension",
                            _("unknown dimension {dimension!r}{suggestion}").format(
                                dimension=dimension,
                                suggestion=_suggest(dimension, dimension_ids),
                            ),
                        )
                    dimension = None
                elif dimension is not None:
                    counts[dimension] += 1
            scale = scale_ids[0] if scale_ids else ""
            if "scale" in values:
                named = self.word(values["scale"], where, "scale")
                if named is not None and named not in scale_ids:
                    if scale_ids:
                        self.add(
                            values["scale"],
                            where,
                            "scale",
                            _("unknown scale {scale!r}{suggestion}").format(
                                scale=named, suggestion=_suggest(named, scale_ids)
                            ),
                        )
                elif named is not None:
                    scale = named
            text = self.text(values["text"], where, "text") if "text" in values else {}
            reverse = (
                self.flag(values["reverse"], where, "reverse") if "reverse" in values else None
            )
            if ident is not None and self.column_id(id_node, "item", ident):
                items.append(
                    {
                        "id": ident,
                        "dimension": dimension,
                        "text": text,
                        "reverse": bool(reverse),
                        "scale": scale,
                    }
                )
        if readable:
            for dimension, count in counts.items():
                if count < 2:
                    self.add(
                        self.dimension_nodes.get(dimension),
                        f"{_kind('dimension')} {dimension}",
                        None,
                        _("has {items}; a dimension needs at least 2 items").format(
                            items=ngettext("{count} item", "{count} items", count).format(
                                count=count
                            )
                        ),
                    )
        return items

    def _open_questions(self, node: yaml.Node | None) -> list[dict[str, Any]]:
        questions: list[dict[str, Any]] = []
        for where, values, ident, id_node in self.entries(
            node, "open question", _OPEN_KEYS, "open_questions", required=False
        ):
            text = self.text(values["text"], where, "text") if "text" in values else {}
            max_length: int | None = DEFAULT_OPEN_LENGTH
            if "max_length" in values:
                max_length = self.integer(values["max_length"], where, "max_length")
                if max_length is not None and not 1 <= max_length <= MAX_OPEN_LENGTH:
                    self.add(
                        values["max_length"],
                        where,
                        "max_length",
                        _("must be between 1 and {most} characters, found {length}").format(
                            most=MAX_OPEN_LENGTH, length=max_length
                        ),
                    )
            if ident is not None and self.column_id(id_node, "open question", ident):
                questions.append({"id": ident, "text": text, "max_length": max_length})
        return questions

    def _member_types(self, node: yaml.Node | None) -> list[dict[str, Any]]:
        member_types: list[dict[str, Any]] = []
        seen: dict[str, int | None] = {}
        for where, values, ident, id_node in self.entries(
            node,
            "member type",
            _MEMBER_TYPE_KEYS,
            "member_types",
            required=True,
            longest=MAX_MEMBER_TYPE_ID,
        ):
            label = self.text(values["label"], where, "label") if "label" in values else {}
            group = self.text(values["group"], where, "group") if "group" in values else None
            if ident is None:
                continue
            if ident in seen:
                self.add(
                    id_node,
                    where,
                    "id",
                    _("duplicate member type id (first on line {line})").format(line=seen[ident]),
                )
                continue
            seen[ident] = _line(id_node)
            entry: dict[str, Any] = {"id": ident, "label": label}
            if group is not None:
                entry["group"] = group
            member_types.append(entry)
        return member_types

    def _equality_gap(
        self,
        node: yaml.Node | None,
        member_types_node: yaml.Node | None,
        known: list[str],
    ) -> list[str]:
        """The two member types the equality gap compares; both must be member types here."""
        if node is None:
            missing = [mt for mt in DEFAULT_GAP_PAIR if mt not in known]
            if known and missing:
                self.add(
                    member_types_node,
                    None,
                    "equality_gap",
                    ngettext(
                        "the equality gap compares {pair} unless the file says otherwise, but "
                        "{missing} is not a member type here; add equality_gap: [first, second] "
                        "with two of {known}",
                        "the equality gap compares {pair} unless the file says otherwise, but "
                        "{missing} are not member types here; add equality_gap: [first, second] "
                        "with two of {known}",
                        len(missing),
                    ).format(
                        pair=_and(DEFAULT_GAP_PAIR), missing=_and(missing), known=", ".join(known)
                    ),
                )
            return list(DEFAULT_GAP_PAIR)
        nodes = self.sequence(
            node, None, "equality_gap", what="two member type ids", required=False
        )
        if nodes is None:
            return list(DEFAULT_GAP_PAIR)
        if len(nodes) != 2:
            self.add(
                node,
                None,
                "equality_gap",
                _("expected two member type ids, like [{pair}], found {count}").format(
                    pair=", ".join(DEFAULT_GAP_PAIR), count=len(nodes)
                ),
            )
            return list(DEFAULT_GAP_PAIR)
        pair: list[str] = []
        for number, id_node in enumerate(nodes, start=1):
            field = f"equality_gap[{number}]"
            ident = self.word(id_node, None, field)
            if ident is None:
                continue
            if known and ident not in known:
                self.add(
                    id_node,
                    None,
                    field,
                    _("{ident!r} is not a member type of this instrument{suggestion}").format(
                        ident=ident, suggestion=_suggest(ident, known)
                    ),
                )
                continue
            pair.append(ident)
        if len(pair) == 2 and pair[0] == pair[1]:
            self.add(
                node,
                None,
                "equality_gap",
                _("names {ident!r} twice; the gap compares two different member types").format(
                    ident=pair[0]
                ),
            )
        return pair if len(pair) == 2 else list(DEFAULT_GAP_PAIR)

    def _privacy(self, node: yaml.Node | None) -> dict[str, int]:
        settings = PrivacySettings().to_dict()
        if node is None:
            return settings
        values = self.mapping(node, "privacy", None, _PRIVACY_KEYS)
        if values is None:
            return settings
        for key, value_node in values.items():
            number = self.integer(value_node, "privacy", key)
            if number is not None:
                settings[key] = number
        # Imported here: privacy needs the model, and only checking needs this number.
        from surveycoal.privacy import ABSOLUTE_MIN_GROUP

        min_group = settings["min_group"]
        if min_group < ABSOLUTE_MIN_GROUP:
            self.add(
                values.get("min_group"),
                "privacy",
                "min_group",
                _(
                    "{min_group} is too small; the minimum group is never below {least}, "
                    "so no answer can be traced to a person"
                ).format(min_group=min_group, least=ABSOLUTE_MIN_GROUP),
            )
            return settings
        for key in ("min_free_text", "min_item_distribution"):
            if settings[key] < min_group:
                self.add(
                    values.get(key, node),
                    "privacy",
                    key,
                    _("{value} is below min_group ({min_group}); it may not be lower").format(
                        value=settings[key], min_group=min_group
                    ),
                )
        return settings


def _limits_problem(source: str) -> tuple[int | None, str] | None:
    """The first limit the YAML breaks (nesting, number length, aliases), read event by event.

    Events come from PyYAML's parser, which keeps no call stack per level, so a
    file nested 10,000 deep is told about instead of exhausting Python's stack.
    An alias (``*name``) counts as everything its anchor holds: one big anchor
    reused many times would otherwise grow the round's snapshot without limit.
    """
    depth = 0
    sizes: dict[str, int] = {}
    open_: list[tuple[str | None, int]] = []  # (anchor, size so far) per open collection
    total = 0

    def add(n: int) -> None:
        nonlocal total
        total += n
        if open_:
            anchor, size = open_[-1]
            open_[-1] = (anchor, size + n)

    for event in yaml.parse(source, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
        line = event.start_mark.line + 1 if event.start_mark else None
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_NESTING:
                return line, _("the YAML is nested more than {most} levels deep").format(
                    most=MAX_NESTING
                )
            open_.append((event.anchor, 1))
            total += 1
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
            anchor, size = open_.pop()
            if anchor is not None:
                sizes[anchor] = size
            if open_:
                parent, parent_size = open_[-1]
                open_[-1] = (parent, parent_size + size)
        elif isinstance(event, yaml.ScalarEvent):
            value = event.value
            if event.implicit[0] and _NUMBER_LIKE.match(value) and len(value) > MAX_NUMBER_DIGITS:
                return line, _(
                    "a number of {length} digits; numbers here have at most {most}"
                ).format(length=len(value), most=MAX_NUMBER_DIGITS)
            size = 1 + len(value)
            if event.anchor is not None:
                sizes[event.anchor] = size
            add(size)
        elif isinstance(event, yaml.AliasEvent):
            add(sizes.get(event.anchor or "", 1))
        if total > MAX_EXPANDED_SIZE:
            return line, _(
                "with its aliases (*name) expanded the file holds more than {size} KB of text; "
                "write the texts out instead of repeating a large anchor"
            ).format(size=MAX_EXPANDED_SIZE // 1000)
    return None


def _compose(path: Path, file: str) -> tuple[yaml.Node | None, list[Problem]]:
    """The YAML node tree of a file, or the problem that stops it being read."""

    def problem(line: int | None, message: str) -> tuple[None, list[Problem]]:
        return None, [Problem(file, line, None, None, message)]

    try:
        with path.open("rb") as f:
            raw = f.read(MAX_INSTRUMENT_BYTES + 1)
    except FileNotFoundError:
        return problem(None, _("file not found: {path}").format(path=path))
    except IsADirectoryError:
        return problem(None, _("{path} is a folder, not an instrument file").format(path=path))
    except OSError as exc:
        return problem(None, _("cannot read the file: {reason}").format(reason=exc.strerror or exc))
    try:
        source = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return problem(
            line,
            _("not UTF-8 text (byte 0x{byte:02x}); save the file with UTF-8 encoding").format(
                byte=raw[exc.start]
            ),
        )
    if len(raw) > MAX_INSTRUMENT_BYTES:
        return problem(
            None,
            _(
                "the file is larger than {size} KB; an instrument is a few dozen KB "
                "(is this the right file?)"
            ).format(size=MAX_INSTRUMENT_BYTES // 1000),
        )
    try:
        limit = _limits_problem(source)
        if limit is not None:
            return problem(*limit)
        root = yaml.compose(source, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = "; ".join(str(part) for part in (exc.context, exc.problem) if part)
        return problem(
            None if mark is None else mark.line + 1,
            _("YAML syntax error: {what}").format(what=what),
        )
    except yaml.reader.ReaderError as exc:
        line = source[: exc.position].count("\n") + 1
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        return problem(
            line,
            _("YAML syntax error: the character U+{code:04X} is not allowed").format(code=code),
        )
    except yaml.YAMLError as exc:
        return problem(None, _("YAML syntax error: {what}").format(what=exc))
    if root is None:
        return problem(
            None, _("the file is empty; an instrument starts with id:, version:, languages: ...")
        )
    return root, []


def _read(path: Path) -> tuple[dict[str, Any], list[Problem]]:
    file = path.name or str(path)
    root, problems = _compose(path, file)
    if root is None:
        return {}, problems
    if not isinstance(root, yaml.MappingNode):
        keys = ", ".join(_TOP_KEYS)
        return {}, [
            Problem(
                file,
                _line(root),
                None,
                None,
                # Not quoted: a file given by mistake may hold anything.
                _(
                    "the top level must be a mapping with the keys {keys}; found {found} "
                    "(this is not an instrument file)"
                ).format(
                    keys=keys,
                    found=_("a list") if isinstance(root, yaml.SequenceNode) else _("plain text"),
                ),
            )
        ]
    found_keys = {k.value for k, _value in root.value if isinstance(k, yaml.ScalarNode)}
    if root.value and not found_keys & set(_TOP_KEYS):
        # Not an instrument at all (some other file given by mistake): say so without
        # quoting its lines, which may be anything, a password file even.
        return {}, [
            Problem(
                file,
                None,
                None,
                None,
                _("this is not an instrument file: none of its keys is one of {keys}").format(
                    keys=", ".join(_TOP_KEYS)
                ),
            )
        ]
    checker = _Checker(file)
    data = checker.check(root)
    # file-level problems (no line) first, then in the order of the file
    problems = sorted(checker.problems, key=lambda p: (p.line is not None, p.line or 0))
    return data, problems


def validate_instrument_file(path: str | os.PathLike[str]) -> list[Problem]:
    """Every problem in an instrument file at once, in file order; ``[]`` when it is valid.

    Examples
    --------
    >>> from surveycoal.resources import instruments_dir
    >>> validate_instrument_file(instruments_dir() / "coalition-health.yaml")
    []
    """
    _, problems = _read(Path(path))
    return problems
