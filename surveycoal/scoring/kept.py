"""Scores read back from their JSON: the inverse of :func:`surveycoal.scoring.json.to_plain`.

A purged round keeps only the ``score --json`` of its last scoring: its published
aggregates, every hidden cell already None (docs/METHODS.md section 7). Presenters that
work on typed results read that copy back with :func:`kept_round_scores`; nothing is
decided again here, the values are only read.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import fields
from typing import Any

from surveycoal import stats
from surveycoal.instruments import PrivacySettings
from surveycoal.scoring.results import (
    Band,
    DimensionScore,
    Gap,
    ItemScore,
    MemberTypeScore,
    OpenAnswers,
    RoundScores,
)


def kept_round_scores(data: Mapping[str, Any]) -> RoundScores:
    """The typed scores of a purged round, read back from the JSON its purge kept.

    The kept copy is ``score --json`` as it was (every hidden cell already None), so
    this only reads it; the open answers' texts are gone (None).
    """

    def member(name: str, cell: Mapping[str, Any]) -> MemberTypeScore:
        return MemberTypeScore(name, **_known(MemberTypeScore, cell, skip=("member_type",)))

    def dimension(dim: Mapping[str, Any]) -> DimensionScore:
        values = _known(DimensionScore, dim, skip=("bands", "by_member_type", "gap"))
        values["alpha_flags"] = tuple(dim.get("alpha_flags") or ())
        gap = dim.get("gap")
        return DimensionScore(
            **values,
            bands=_kept_bands(dim),
            by_member_type={k: member(k, v) for k, v in (dim.get("by_member_type") or {}).items()},
            gap=None if gap is None else Gap(**_known(Gap, gap)),
        )

    def item(found: Mapping[str, Any]) -> ItemScore:
        values = _known(ItemScore, found, skip=("bands", "dont_know_by_member_type"))
        return ItemScore(
            **values,
            bands=_kept_bands(found),
            dont_know_by_member_type=dict(found.get("dont_know_by_member_type") or {}),
        )

    instrument = data.get("instrument") or {}
    return RoundScores(
        coalition=str(data["coalition"]),
        coalition_name=str(data.get("coalition_name") or data["coalition"]),
        programme=data.get("programme"),
        round=int(data["round"]),
        instrument_id=str(instrument.get("id", "")),
        instrument_version=str(instrument.get("version", "")),
        instrument_hash=str(instrument.get("hash", "")),
        n_responses=data.get("n_responses"),
        invited=data.get("invited"),
        privacy=PrivacySettings.from_dict(
            {
                k: data[k]
                for k in ("min_group", "min_item_distribution", "min_free_text")
                if k in data
            }
        ),
        suppressed=bool(data.get("suppressed")),
        suppressed_reason=data.get("suppressed_reason"),
        member_types={k: member(k, v) for k, v in (data.get("member_types") or {}).items()},
        dimensions=tuple(dimension(d) for d in data.get("dimensions") or ()),
        items=tuple(item(i) for i in data.get("items") or ()),
        equality_index=data.get("equality_index"),
        equality_index_ci_low=data.get("equality_index_ci_low"),
        equality_index_ci_high=data.get("equality_index_ci_high"),
        equality_index_reason=data.get("equality_index_reason"),
        open_answers=tuple(
            OpenAnswers(
                str(o.get("question")),
                None if o.get("texts") is None else tuple(o["texts"]),
                bool(o.get("suppressed")),
                o.get("suppressed_reason"),
            )
            for o in data.get("open_answers") or ()
        ),
        seed=int(data.get("seed") or 0),
    )


def _known(cls: type, data: Mapping[str, Any], skip: Sequence[str] = ()) -> dict[str, Any]:
    """The fields of dataclass ``cls`` read from ``data`` by name (absent ones None)."""
    return {f.name: data.get(f.name) for f in fields(cls) if f.name not in skip}


def _kept_bands(data: Mapping[str, Any]) -> dict[str, Band] | None:
    """The bands written as ``agree``, ``agree_ci_low``, ... read back (None when hidden)."""
    if all(data.get(name) is None for name in stats.BANDS):
        return None
    return {
        name: Band(data.get(name), data.get(f"{name}_ci_low"), data.get(f"{name}_ci_high"))
        for name in stats.BANDS
    }
