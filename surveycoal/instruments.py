"""Questionnaire definitions ("instruments"): the typed model, loading and validation.

An instrument is a YAML file in ``instruments/``. Loading validates it strictly and
returns a frozen :class:`Instrument`. A round stores ``Instrument.to_dict()`` as its
snapshot, so a later edit of the file never changes a round that is open or closed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
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


@dataclass(frozen=True)
class OpenQuestion:
    id: str
    text: Text
    max_length: int = 1000


@dataclass(frozen=True)
class MemberType:
    id: str
    label: Text


@dataclass(frozen=True)
class PrivacySettings:
    """Anonymity thresholds (shared/METHODS.md section 7), fixed when a round opens."""

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

    # -- look-ups ---------------------------------------------------------------
    def dimension(self, dimension_id: str) -> Dimension:
        for dim in self.dimensions:
            if dim.id == dimension_id:
                return dim
        raise KeyError(dimension_id)

    def item(self, item_id: str) -> Item:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    def items_in(self, dimension_id: str) -> tuple[Item, ...]:
        return tuple(item for item in self.items if item.dimension == dimension_id)

    def scale_for(self, item: Item) -> Scale:
        for scale in self.scales:
            if scale.id == item.scale:
                return scale
        return self.scales[0]

    @property
    def item_ids(self) -> tuple[str, ...]:
        return tuple(item.id for item in self.items)

    @property
    def member_type_ids(self) -> tuple[str, ...]:
        return tuple(mt.id for mt in self.member_types)

    def member_type_label(self, member_type_id: str, lang: str) -> str:
        for mt in self.member_types:
            if mt.id == member_type_id:
                return mt.label.get(lang) or next(iter(mt.label.values()))
        return member_type_id

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
            "member_types": [{"id": m.id, "label": dict(m.label)} for m in self.member_types],
            "privacy": self.privacy.to_dict(),
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
                MemberType(id=m["id"], label=dict(m["label"])) for m in data.get("member_types", ())
            ),
            privacy=PrivacySettings.from_dict(data.get("privacy", {})),
        )

    @property
    def content_hash(self) -> str:
        """SHA-256 of the canonical JSON of :meth:`to_dict`: equal content, equal hash."""
        canonical = json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# Loading, validation, discovery and the text preview follow below.
