"""A round's answers read into arrays once: the instrument's layout, every respondent's
dimension scores, member types and panel keys, and the anonymity decisions shared by
every kind of result (docs/METHODS.md sections 1 and 7).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any

import numpy as np
import pandas as pd

from surveycoal import privacy as priv
from surveycoal import stats
from surveycoal.errors import InputError
from surveycoal.i18n import _
from surveycoal.instruments import Instrument, Item
from surveycoal.rounddata import RoundData
from surveycoal.scoring.results import UNKNOWN_TYPE


@dataclass(frozen=True)
class _Layout:
    instrument: Instrument
    items: tuple[Item, ...]
    item_ids: tuple[str, ...]
    item_index: pd.Index
    dimension_ids: tuple[str, ...]
    item_dimension: np.ndarray
    membership: np.ndarray
    dim_items: tuple[np.ndarray, ...]
    required: np.ndarray
    n_items: np.ndarray
    low: np.ndarray
    high: np.ndarray
    points: np.ndarray
    reverse: np.ndarray
    dim_points: np.ndarray
    member_types: tuple[str, ...]
    content_hash: str


#: Layouts by the id of the instrument object they were asked for (the object is kept, so its
#: id is not reused), and the distinct layouts by content: a store gives every round its own
#: instrument object, and a programme's 1,200 rounds share one or two questionnaires.
_LAYOUTS: dict[int, tuple[Instrument, _Layout]] = {}
_DISTINCT_LAYOUTS: list[_Layout] = []


def _layout(instrument: Instrument) -> _Layout:
    """The layout of an instrument, built once per content (equal instruments share one)."""
    cached = _LAYOUTS.get(id(instrument))
    if cached is not None and cached[0] is instrument:
        return cached[1]
    layout = next((lay for lay in _DISTINCT_LAYOUTS if lay.instrument == instrument), None)
    if layout is None:
        layout = _new_layout(instrument)
        if len(_DISTINCT_LAYOUTS) >= 64:
            _DISTINCT_LAYOUTS.clear()
        _DISTINCT_LAYOUTS.append(layout)
    if len(_LAYOUTS) >= 4096:
        _LAYOUTS.clear()
    _LAYOUTS[id(instrument)] = (instrument, layout)
    return layout


def _new_layout(instrument: Instrument) -> _Layout:
    dims = tuple(d.id for d in instrument.dimensions)
    items = tuple(i for i in instrument.items if i.dimension in dims)
    if not items:
        raise InputError(_("Instrument {id!r} has no scored items.").format(id=instrument.id))
    item_dimension = np.array([dims.index(i.dimension) for i in items])
    membership = np.zeros((len(items), len(dims)), dtype=bool)
    membership[np.arange(len(items)), item_dimension] = True
    n_items = membership.sum(axis=0)
    points = np.array([instrument.scale_for(i).points for i in items], dtype=float)
    dim_points = np.array(
        [points[item_dimension == k][0] if n_items[k] else 5.0 for k in range(len(dims))]
    )
    return _Layout(
        instrument=instrument,
        items=items,
        item_ids=tuple(i.id for i in items),
        item_index=pd.Index([i.id for i in items]),
        dimension_ids=dims,
        item_dimension=item_dimension,
        membership=membership,
        dim_items=tuple(np.flatnonzero(membership[:, k]) for k in range(len(dims))),
        required=np.array([stats.min_items_required(int(j)) if j else 1 for j in n_items]),
        n_items=n_items,
        low=np.ones(len(items)),
        high=points,
        points=points,
        reverse=np.array([i.reverse for i in items]),
        dim_points=dim_points,
        member_types=instrument.member_type_ids,
        content_hash=instrument.content_hash,
    )


@dataclass(frozen=True)
class _Prepared:
    data: RoundData
    layout: _Layout
    raw: np.ndarray  # answers as given, n x items
    keyed: np.ndarray  # reverse-keyed answers, n x items
    dont_know: np.ndarray  # bool, n x items
    scores: np.ndarray  # n x dimensions, 0-100
    used: np.ndarray  # items behind each score
    member_type: np.ndarray  # object, n
    panel_key: np.ndarray  # object, None where unlinked
    type_names: tuple[str, ...]  # instrument types, then any others found
    type_codes: np.ndarray  # int, n


def _present_or(values: np.ndarray, fallback: Any) -> np.ndarray:
    """``values`` with missing and empty entries replaced by ``fallback`` (object array)."""
    missing = pd.isna(values) | (values == "")
    return np.where(missing, fallback, values).astype(object)


def _read_answers(data: RoundData, layout: _Layout) -> tuple[np.ndarray, np.ndarray]:
    """The raw answers and don't-know flags as respondent x item arrays, checked."""
    values = data.values
    if values.columns.equals(layout.item_index):
        raw = values.to_numpy(dtype=float)
    else:
        missing = [i for i in layout.item_ids if i not in values.columns]
        if missing:
            raise InputError(
                _("Round {number} of {coalition!r} has no answers column for {missing}.").format(
                    number=data.round,
                    coalition=data.coalition,
                    missing=", ".join(missing[:5]) + (" ..." if len(missing) > 5 else ""),
                )
            )
        raw = values[list(layout.item_ids)].to_numpy(dtype=float)
    if raw.size and np.any(~np.isnan(raw) & ((raw < layout.low) | (raw > layout.high))):
        raise InputError(
            _("Round {number} of {coalition!r} holds answers outside the scale.").format(
                number=data.round, coalition=data.coalition
            )
        )
    dk_frame = data.dont_know
    if not (dk_frame.columns.equals(layout.item_index) and dk_frame.index.equals(values.index)):
        dk_frame = dk_frame.reindex(
            index=values.index, columns=list(layout.item_ids), fill_value=False
        )
    dk = dk_frame.to_numpy(dtype=bool)
    if dk.shape != raw.shape:
        raise InputError("The don't-know table does not match the answers table.")
    return raw, dk & np.isnan(raw)


def _read_respondents(
    data: RoundData, layout: _Layout
) -> tuple[np.ndarray, tuple[str, ...], np.ndarray, np.ndarray]:
    """Member type (and its code) and panel key of every response, in answers order."""
    responses = data.responses
    if not responses.index.equals(data.values.index):
        responses = responses.reindex(data.values.index)
    member_type = _present_or(responses["member_type"].to_numpy(dtype=object), UNKNOWN_TYPE)
    present, inverse = np.unique(member_type.astype(str), return_inverse=True)
    extra = sorted(set(present.tolist()) - set(layout.member_types))
    type_names = tuple(layout.member_types) + tuple(extra)
    code_of = np.array([type_names.index(name) for name in present.tolist()], dtype=np.int64)
    type_codes = code_of[inverse.ravel()] if present.size else np.zeros(0, dtype=np.int64)
    if "panel_key" in responses.columns:
        panel_key = _present_or(responses["panel_key"].to_numpy(dtype=object), None)
    else:
        panel_key = np.full(len(responses), None, dtype=object)
    return member_type, type_names, type_codes, panel_key


#: Prepared rounds by the id of their RoundData, with a weak reference to it: a round is read
#: into arrays once however many results use it (its scores, the changes to and from it, the
#: programme view of its round number), and the entry goes when the RoundData does. A
#: RoundData is frozen and its tables are not changed in place (a changed round is a new
#: RoundData), so the arrays stay true to it; they are read-only, as every user only reads.
_PREPARED: dict[int, tuple[weakref.ref[RoundData], tuple[Any, ...]]] = {}


def _forgetter(key: int) -> Callable[[weakref.ref[RoundData]], None]:
    """The callback that drops a round's entry when its RoundData is gone."""

    def forget(ref: weakref.ref[RoundData]) -> None:
        entry = _PREPARED.get(key)
        if entry is not None and entry[0] is ref:
            del _PREPARED[key]

    return forget


def _prepare(data: RoundData) -> _Prepared:
    key = id(data)
    entry = _PREPARED.get(key)
    if entry is not None and entry[0]() is data:
        return _Prepared(data, *entry[1])
    prep = _read_prepared(data)
    arrays = (
        prep.raw,
        prep.keyed,
        prep.dont_know,
        prep.scores,
        prep.used,
        prep.member_type,
        prep.panel_key,
        prep.type_codes,
    )
    for array in arrays:
        array.setflags(write=False)
    ref = weakref.ref(data, _forgetter(key))
    _PREPARED[key] = (ref, tuple(getattr(prep, f.name) for f in fields(_Prepared)[1:]))
    return prep


def _read_prepared(data: RoundData) -> _Prepared:
    layout = _layout(data.instrument)
    raw, dk = _read_answers(data, layout)
    keyed = np.where(layout.reverse, layout.low + layout.high - raw, raw)
    points = 100.0 * (keyed - layout.low) / (layout.high - layout.low)
    scores, used = stats.score_matrix(points, layout.membership, layout.required)
    member_type, type_names, type_codes, panel_key = _read_respondents(data, layout)
    return _Prepared(
        data, layout, raw, keyed, dk, scores, used, member_type, panel_key, type_names, type_codes
    )


def respondent_scores(data: RoundData) -> pd.DataFrame:
    """Every respondent's dimension scores (0-100) and the items behind each.

    Not anonymised: for further computation, never for showing. Columns are the
    dimension ids, then ``n_items_<dimension>``, then ``member_type``.
    """
    prep = _prepare(data)
    dims = prep.layout.dimension_ids
    frame = pd.DataFrame(prep.scores, index=data.values.index, columns=list(dims))
    for k, dim in enumerate(dims):
        frame[f"n_items_{dim}"] = prep.used[:, k]
    frame["member_type"] = prep.member_type
    return frame


def _group_moments(x: np.ndarray, onehot: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """n, mean, SD per group (rows of the result) and column, for a matrix with NaN."""
    valid = ~np.isnan(x)
    filled = np.where(valid, x, 0.0)
    n = onehot.T @ valid.astype(float)
    sums = onehot.T @ filled
    squares = onehot.T @ (filled**2)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = sums / n
        var = (squares - n * mean**2) / (n - 1)
    sd = np.sqrt(np.maximum(var, 0.0))
    mean = np.where(n > 0, mean, np.nan)
    sd = np.where(n > 1, sd, np.nan)
    return n.astype(np.int64), mean, sd


def _round_gate(prep: _Prepared) -> priv.CellDecision:
    settings = priv.validate_settings(prep.data.privacy)
    return priv.cell_decision(prep.data.n_responses, settings.min_group)


def _shown_responses(data: RoundData, gate: priv.CellDecision) -> int | None:
    """A round's number of responses as it may be shown: None when 1 to minimum - 1
    answered, since a hidden cell shows no number, not even its size (docs/METHODS.md section 7)."""
    return None if gate.suppressed and data.n_responses else int(data.n_responses)


def _dimension_type_decisions(
    prep: _Prepared, k: int, total: priv.CellDecision, type_n: np.ndarray
) -> dict[str, priv.CellDecision]:
    """Member-type cells of dimension k: minimum, complementary suppression, differencing.

    The cells are the dimension's total and its disjoint member-type parts, so
    differencing (:func:`surveycoal.privacy.protect_differencing`) reduces to sizes:
    a shown part must differ from the total by 0 or at least the minimum (two shown
    parts differ by their sum, which is at least twice the minimum).
    """
    min_group = prep.data.privacy.min_group
    sizes = {name: int(type_n[g, k]) for g, name in enumerate(prep.type_names)}
    in_round = np.bincount(prep.type_codes, minlength=len(prep.type_names))
    present = {name for g, name in enumerate(prep.type_names) if in_round[g] > 0}
    decisions = priv.suppress_parts(
        sizes, min_group=min_group, total_shown=total.shown, present=present
    )
    if total.shown:
        n_total = sum(sizes.values())
        for name, decision in decisions.items():
            if decision.shown and 0 < n_total - sizes[name] < min_group:
                decisions[name] = priv.hidden("differencing")
    return decisions


def _common_dimensions(a: _Layout, b: _Layout) -> tuple[list[str], list[str]]:
    common = [d for d in a.dimension_ids if d in b.dimension_ids]
    skipped = [d for d in a.dimension_ids if d not in common] + [
        d for d in b.dimension_ids if d not in a.dimension_ids
    ]
    return common, skipped
