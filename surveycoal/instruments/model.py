"""The typed model of a questionnaire ("instrument"): frozen dataclasses and their look-ups.

An :class:`Instrument` is built by :func:`surveycoal.instruments.load_instrument` from a
checked YAML file, or by :meth:`Instrument.from_dict` from a round's snapshot. Nothing
here reads files or validates: :mod:`surveycoal.instruments.checker` does that.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

#: A text in every language of the instrument: language code -> text.
Text = Mapping[str, str]


@dataclass(frozen=True)
class Scale:
    """An answer scale: ``points`` ordered answers plus a "don't know"."""

    id: str
    points: int
    labels: tuple[Text, ...]
    dont_know: Text

    @property
    def min(self) -> int:
        return 1

    @property
    def max(self) -> int:
        return self.points


@dataclass(frozen=True)
class Dimension:
    id: str
    label: Text
    description: Text


@dataclass(frozen=True)
class Item:
    id: str
    dimension: str
    text: Text
    reverse: bool = False
    scale: str = ""


#: The answer length an open question allows when its file does not say.
DEFAULT_OPEN_LENGTH = 1000

#: The two member types the equality gap compares when the file does not say
#: (``equality_gap:``); the first is the side whose say the gap is about.
DEFAULT_GAP_PAIR: tuple[str, str] = ("resident_initiative", "welfare_organisation")


@dataclass(frozen=True)
class OpenQuestion:
    id: str
    text: Text
    max_length: int = DEFAULT_OPEN_LENGTH


@dataclass(frozen=True)
class MemberType:
    """One answer to "how do you take part?".

    ``label`` is the answer as participants read it ("Als bewoner"); ``group`` is the
    short name of the group in reports and tables ("Bewoners"). Without a ``group`` the
    label names the group too, as in instruments written before ``group`` existed.
    """

    id: str
    label: Text
    group: Text | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "label": dict(self.label)}
        if self.group is not None:  # left out when unset, so older snapshots keep their hash
            data["group"] = dict(self.group)
        return data


@dataclass(frozen=True)
class PrivacySettings:
    """Anonymity thresholds (docs/METHODS.md section 7), fixed when a round opens."""

    min_group: int = 5
    min_free_text: int = 10
    min_item_distribution: int = 10

    def to_dict(self) -> dict[str, int]:
        return {
            "min_group": self.min_group,
            "min_free_text": self.min_free_text,
            "min_item_distribution": self.min_item_distribution,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PrivacySettings:
        return cls(**{k: int(v) for k, v in data.items() if k in cls.__dataclass_fields__})


@dataclass(frozen=True)
class Instrument:
    """A validated questionnaire. Build one with :func:`load_instrument`."""

    id: str
    version: str
    languages: tuple[str, ...]
    title: Text
    intro: Text
    scales: tuple[Scale, ...]
    dimensions: tuple[Dimension, ...]
    items: tuple[Item, ...]
    open_questions: tuple[OpenQuestion, ...] = ()
    member_types: tuple[MemberType, ...] = ()
    privacy: PrivacySettings = field(default_factory=PrivacySettings)
    #: The two member types the equality gap compares (first minus second), as the
    #: file's ``equality_gap:`` names them; the checker makes sure both are member types.
    gap_pair: tuple[str, str] = DEFAULT_GAP_PAIR

    # -- look-ups ---------------------------------------------------------------
    # Built once per instrument on first use (an import checks 100,000 answers).
    @cached_property
    def _dimensions_by_id(self) -> dict[str, Dimension]:
        return {dim.id: dim for dim in self.dimensions}

    @cached_property
    def _items_by_id(self) -> dict[str, Item]:
        return {item.id: item for item in self.items}

    @cached_property
    def _items_by_dimension(self) -> dict[str, tuple[Item, ...]]:
        grouped: dict[str, list[Item]] = {}
        for item in self.items:
            grouped.setdefault(item.dimension, []).append(item)
        return {dim: tuple(items) for dim, items in grouped.items()}

    @cached_property
    def _scales_by_id(self) -> dict[str, Scale]:
        return {scale.id: scale for scale in self.scales}

    @cached_property
    def _member_types_by_id(self) -> dict[str, MemberType]:
        return {mt.id: mt for mt in self.member_types}

    def dimension(self, dimension_id: str) -> Dimension:
        return self._dimensions_by_id[dimension_id]

    def item(self, item_id: str) -> Item:
        return self._items_by_id[item_id]

    def items_in(self, dimension_id: str) -> tuple[Item, ...]:
        return self._items_by_dimension.get(dimension_id, ())

    def scale_for(self, item: Item) -> Scale:
        return self._scales_by_id.get(item.scale) or self.scales[0]

    @property
    def item_ids(self) -> tuple[str, ...]:
        return tuple(item.id for item in self.items)

    @property
    def member_type_ids(self) -> tuple[str, ...]:
        return tuple(mt.id for mt in self.member_types)

    def member_type(self, member_type_id: str) -> MemberType:
        """The member type with this id; :class:`KeyError` when the instrument has none."""
        return self._member_types_by_id[member_type_id]

    def has_member_type(self, member_type_id: str) -> bool:
        return member_type_id in self._member_types_by_id

    def member_type_label(self, member_type_id: str, lang: str) -> str:
        """The answer as the participant chose it ("Als bewoner")."""
        mt = self._member_types_by_id.get(member_type_id)
        if mt is None:
            return member_type_id
        return mt.label.get(lang) or next(iter(mt.label.values()))

    def member_type_group(self, member_type_id: str, lang: str) -> str:
        """The group's name in reports and tables ("Bewoners"); the label when unset."""
        mt = self._member_types_by_id.get(member_type_id)
        if mt is None:
            return member_type_id
        names = mt.group or mt.label
        return names.get(lang) or next(iter(names.values()))

    # -- snapshots --------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """A plain, JSON-ready dict; :meth:`from_dict` gives the same instrument back."""
        return {
            "id": self.id,
            "version": self.version,
            "languages": list(self.languages),
            "title": dict(self.title),
            "intro": dict(self.intro),
            "scales": [
                {
                    "id": s.id,
                    "points": s.points,
                    "labels": [dict(label) for label in s.labels],
                    "dont_know": dict(s.dont_know),
                }
                for s in self.scales
            ],
            "dimensions": [
                {"id": d.id, "label": dict(d.label), "description": dict(d.description)}
                for d in self.dimensions
            ],
            "items": [
                {
                    "id": i.id,
                    "dimension": i.dimension,
                    "text": dict(i.text),
                    "reverse": i.reverse,
                    "scale": i.scale,
                }
                for i in self.items
            ],
            "open_questions": [
                {"id": q.id, "text": dict(q.text), "max_length": q.max_length}
                for q in self.open_questions
            ],
            "member_types": [m.to_dict() for m in self.member_types],
            "privacy": self.privacy.to_dict(),
            # left out when it is the default, so older snapshots keep their hash
            **({} if self.gap_pair == DEFAULT_GAP_PAIR else {"equality_gap": list(self.gap_pair)}),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Instrument:
        """Rebuild an instrument from :meth:`to_dict` output (a round's snapshot)."""
        return cls(
            id=data["id"],
            version=str(data["version"]),
            languages=tuple(data["languages"]),
            title=dict(data["title"]),
            intro=dict(data["intro"]),
            scales=tuple(
                Scale(
                    id=s["id"],
                    points=int(s["points"]),
                    labels=tuple(dict(label) for label in s["labels"]),
                    dont_know=dict(s["dont_know"]),
                )
                for s in data["scales"]
            ),
            dimensions=tuple(
                Dimension(id=d["id"], label=dict(d["label"]), description=dict(d["description"]))
                for d in data["dimensions"]
            ),
            items=tuple(
                Item(
                    id=i["id"],
                    dimension=i["dimension"],
                    text=dict(i["text"]),
                    reverse=bool(i["reverse"]),
                    scale=i.get("scale", ""),
                )
                for i in data["items"]
            ),
            open_questions=tuple(
                OpenQuestion(id=q["id"], text=dict(q["text"]), max_length=int(q["max_length"]))
                for q in data.get("open_questions", ())
            ),
            member_types=tuple(
                MemberType(
                    id=m["id"],
                    label=dict(m["label"]),
                    group=dict(m["group"]) if m.get("group") is not None else None,
                )
                for m in data.get("member_types", ())
            ),
            privacy=PrivacySettings.from_dict(data.get("privacy", {})),
            gap_pair=_pair(data.get("equality_gap", DEFAULT_GAP_PAIR)),
        )

    @property
    def content_hash(self) -> str:
        """SHA-256 of the canonical JSON of :meth:`to_dict`: equal content, equal hash."""
        canonical = json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _pair(ids: Any) -> tuple[str, str]:
    first, second = ids
    return str(first), str(second)
