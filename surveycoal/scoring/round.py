"""Score rounds, compare them, and lay coalitions side by side.

This is what the command line, the JSON output, the exports and the HTML reports
call. It ties :mod:`surveycoal.stats` (the method of docs/METHODS.md sections 1 to 8) to
:class:`~surveycoal.rounddata.RoundData` and applies the anonymity rules of
:mod:`surveycoal.privacy` *inside* every result, so that nothing built from these
objects can show a group under the round's minimum:

* a round with fewer than ``min_group`` responses shows no dimension numbers;
* member-type cells follow complementary suppression and differencing protection;
* the gap between member types needs both groups shown (and n >= 5 each);
* item distributions need ``min_item_distribution`` answers (10);
* a suppressed figure is ``None`` (JSON ``null``), its n included, and a
  ``suppressed_reason`` code says why.

Public API
----------
:func:`score_round`, :func:`pooled_reliability`, :func:`compare_rounds`,
:func:`compare_groups`, :func:`compare_member_types`, :func:`score_programme`,
:func:`respondent_scores`, :func:`responses_for_export`, :func:`codebook`.
Every result object has ``to_json()`` returning plain, ``json.dumps(allow_nan=False)``-safe data.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any, TypeVar

import numpy as np
import pandas as pd
from scipy import special

from surveycoal import privacy as priv
from surveycoal import stats
from surveycoal.errors import InputError, PrivacyError
from surveycoal.instruments import Instrument, Item, PrivacySettings
from surveycoal.rounddata import RoundData

RESIDENT = "resident_initiative"
#: The results a test can leave untested (see :func:`_untested`).
_Untested = TypeVar("_Untested", "DimensionChange", "GroupDifference")
_Result = TypeVar("_Result")


def _blank(result: type[_Result], **known: Any) -> _Result:
    """A result object with every field None except ``known``: a hidden or untested cell."""
    values: dict[str, Any] = {f.name: None for f in fields(result)}  # type: ignore[arg-type]
    values.update(known)
    return result(**values)


PROFESSIONAL = "welfare_organisation"
#: Member type given to responses without one.
UNKNOWN_TYPE = "unknown"
DEFAULT_SEED = stats.DEFAULT_SEED

#: Verdict codes of a comparison between two groups in one round (diff = first - second).
GROUP_VERDICTS = (
    "too_few",
    "higher",
    "slightly_higher",
    "lower",
    "slightly_lower",
    "possibly_higher",
    "possibly_lower",
    "no_detectable_difference",
    "inconclusive",
)


# ---------------------------------------------------------------------------
# JSON helpers
# ---------------------------------------------------------------------------
def _num(value: Any, digits: int | None = None) -> float | None:
    """A JSON-safe float: numpy scalars converted, NaN and inf become None."""
    if value is None:
        return None
    value = float(value)
    if not math.isfinite(value):
        return None
    return round(value, digits) if digits is not None else value


def _int(value: Any) -> int | None:
    return None if value is None else int(value)


def _shown(decision: priv.CellDecision, value: Any) -> Any:
    return value if decision.shown else None


# ---------------------------------------------------------------------------
# instrument layout (cached per instrument object)
# ---------------------------------------------------------------------------
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


_LAYOUTS: dict[int, _Layout] = {}


def _layout(instrument: Instrument) -> _Layout:
    cached = _LAYOUTS.get(id(instrument))
    if cached is not None and cached.instrument is instrument:
        return cached
    dims = tuple(d.id for d in instrument.dimensions)
    items = tuple(i for i in instrument.items if i.dimension in dims)
    if not items:
        raise InputError(f"Instrument {instrument.id!r} has no scored items.")
    item_dimension = np.array([dims.index(i.dimension) for i in items])
    membership = np.zeros((len(items), len(dims)), dtype=bool)
    membership[np.arange(len(items)), item_dimension] = True
    n_items = membership.sum(axis=0)
    points = np.array([instrument.scale_for(i).points for i in items], dtype=float)
    dim_points = np.array(
        [points[item_dimension == k][0] if n_items[k] else 5.0 for k in range(len(dims))]
    )
    layout = _Layout(
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
    if len(_LAYOUTS) > 64:
        _LAYOUTS.clear()
    _LAYOUTS[id(instrument)] = layout
    return layout


# ---------------------------------------------------------------------------
# respondent scores
# ---------------------------------------------------------------------------
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
                f"Round {data.round} of {data.coalition!r} has no answers column for "
                f"{', '.join(missing[:5])}{' ...' if len(missing) > 5 else ''}."
            )
        raw = values[list(layout.item_ids)].to_numpy(dtype=float)
    if raw.size and np.any(~np.isnan(raw) & ((raw < layout.low) | (raw > layout.high))):
        raise InputError(
            f"Round {data.round} of {data.coalition!r} holds answers outside the scale."
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


def _prepare(data: RoundData) -> _Prepared:
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


# ---------------------------------------------------------------------------
# result objects of a round
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class MemberTypeScore:
    """One member type's score on one dimension (all None when suppressed)."""

    member_type: str
    n: int | None
    mean: float | None
    ci_low: float | None
    ci_high: float | None
    dont_know: float | None
    suppressed: bool
    suppressed_reason: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "n": _int(self.n),
            "mean": _num(self.mean),
            "ci_low": _num(self.ci_low),
            "ci_high": _num(self.ci_high),
            "dont_know": _num(self.dont_know),
            "suppressed": self.suppressed,
            "suppressed_reason": self.suppressed_reason,
        }


@dataclass(frozen=True)
class Gap:
    """Residents minus professionals on one dimension (docs/METHODS.md section 5)."""

    first: str
    second: str
    diff: float
    ci_low: float
    ci_high: float
    cliffs_delta: float
    delta_ci_low: float
    delta_ci_high: float
    magnitude: str
    p: float
    test: str
    equality_index: float
    ei_ci_low: float
    ei_ci_high: float
    #: Welch's p of the difference, and Holm-adjusted over the round's dimensions.
    welch_p: float | None = None
    p_adjusted: float | None = None
    #: The verdict of docs/METHODS.md section 8 (a :data:`GROUP_VERDICTS` code, first -
    #: second), its marker ("holm" or None) and the member type that scores higher.
    verdict: str = stats.Verdict.TOO_FEW
    verdict_note: str | None = None
    higher: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "first": self.first,
            "second": self.second,
            "diff": _num(self.diff),
            "ci_low": _num(self.ci_low),
            "ci_high": _num(self.ci_high),
            "cliffs_delta": _num(self.cliffs_delta),
            "delta_ci_low": _num(self.delta_ci_low),
            "delta_ci_high": _num(self.delta_ci_high),
            "magnitude": self.magnitude or None,
            "p": _num(self.p),
            "test": self.test,
            "equality_index": _num(self.equality_index),
            "ei_ci_low": _num(self.ei_ci_low),
            "ei_ci_high": _num(self.ei_ci_high),
            "welch_p": _num(self.welch_p),
            "p_adjusted": _num(self.p_adjusted),
            "verdict": str(self.verdict),
            "verdict_note": self.verdict_note,
            "higher": self.higher,
        }


@dataclass(frozen=True)
class Band:
    """A share of valid answers with its Wilson interval."""

    share: float | None
    ci_low: float | None
    ci_high: float | None


@dataclass(frozen=True)
class DimensionScore:
    """A coalition's score on one dimension in one round.

    Every number is None when ``suppressed``. ``bands`` (shares of respondents
    whose score lies in the disagree / neutral / agree band) follow the item
    distribution rule (n >= ``min_item_distribution``) and are None below it.
    """

    id: str
    n: int | None
    mean: float | None
    sd: float | None
    ci_low: float | None
    ci_high: float | None
    median: float | None
    median_ci_low: float | None
    median_ci_high: float | None
    alpha: float | None
    alpha_ci_low: float | None
    alpha_ci_high: float | None
    alpha_source: str | None
    alpha_flags: tuple[str, ...]
    rwg: float | None
    rwg_cutoff: float | None
    shared_view: bool | None
    dont_know: float | None
    share_incomplete: float | None
    bands: Mapping[str, Band] | None
    bands_reason: str | None
    by_member_type: Mapping[str, MemberTypeScore]
    gap: Gap | None
    gap_reason: str | None
    suppressed: bool
    suppressed_reason: str | None

    def to_json(self) -> dict[str, Any]:
        """Keys: id, n, mean, sd, ci_low, ci_high, median, median_ci_low, median_ci_high,
        alpha, alpha_ci_low, alpha_ci_high, alpha_source ("coalition", "pooled" or None),
        alpha_flags, rwg, rwg_cutoff, shared_view, dont_know, share_incomplete, suppressed,
        suppressed_reason, by_member_type {TYPE: {n, mean, ci_low, ci_high, dont_know,
        suppressed, suppressed_reason}}, gap (None or {first, second, diff, ci_low, ci_high,
        cliffs_delta, delta_ci_low, delta_ci_high, magnitude, p, test, equality_index,
        ei_ci_low, ei_ci_high}), gap_reason, bands_reason, and per band (disagree, neutral,
        agree) the share of respondents and its Wilson CI (``agree_ci_low`` ...)."""
        out: dict[str, Any] = {
            "id": self.id,
            "n": _int(self.n),
            "mean": _num(self.mean),
            "sd": _num(self.sd),
            "ci_low": _num(self.ci_low),
            "ci_high": _num(self.ci_high),
            "median": _num(self.median),
            "median_ci_low": _num(self.median_ci_low),
            "median_ci_high": _num(self.median_ci_high),
            "alpha": _num(self.alpha),
            "alpha_ci_low": _num(self.alpha_ci_low),
            "alpha_ci_high": _num(self.alpha_ci_high),
            "alpha_source": self.alpha_source,
            "alpha_flags": list(self.alpha_flags),
            "rwg": _num(self.rwg),
            "rwg_cutoff": _num(self.rwg_cutoff),
            "shared_view": self.shared_view,
            "dont_know": _num(self.dont_know),
            "share_incomplete": _num(self.share_incomplete),
            "suppressed": self.suppressed,
            "suppressed_reason": self.suppressed_reason,
            "by_member_type": {k: v.to_json() for k, v in self.by_member_type.items()},
            "gap": self.gap.to_json() if self.gap is not None else None,
            "gap_reason": self.gap_reason,
            "bands_reason": self.bands_reason,
        }
        for band in stats.BANDS:
            b = self.bands.get(band) if self.bands else None
            out[band] = _num(b.share) if b else None
            out[f"{band}_ci_low"] = _num(b.ci_low) if b else None
            out[f"{band}_ci_high"] = _num(b.ci_high) if b else None
        return out


@dataclass(frozen=True)
class ItemScore:
    """Answers to one item: valid n, don't-know share and bands (None when suppressed)."""

    id: str
    dimension: str
    reverse: bool
    n: int | None
    dont_know: float | None
    bands: Mapping[str, Band] | None
    dont_know_by_member_type: Mapping[str, float | None]
    suppressed: bool
    suppressed_reason: str | None

    def to_json(self) -> dict[str, Any]:
        """Keys: id, dimension, reverse, n (valid answers), dont_know (share of valid plus
        don't know), disagree/neutral/agree with ``_ci_low``/``_ci_high`` (shares of the
        valid answers, bands as written: 1-2, 3, 4-5 on five points, not reverse-keyed),
        dont_know_by_member_type {TYPE: share or None}, suppressed, suppressed_reason."""
        out: dict[str, Any] = {
            "id": self.id,
            "dimension": self.dimension,
            "reverse": self.reverse,
            "n": _int(self.n),
            "dont_know": _num(self.dont_know),
        }
        for band in stats.BANDS:
            b = self.bands.get(band) if self.bands else None
            out[band] = _num(b.share) if b else None
            out[f"{band}_ci_low"] = _num(b.ci_low) if b else None
            out[f"{band}_ci_high"] = _num(b.ci_high) if b else None
        out["dont_know_by_member_type"] = {
            k: _num(v) for k, v in self.dont_know_by_member_type.items()
        }
        out["suppressed"] = self.suppressed
        out["suppressed_reason"] = self.suppressed_reason
        return out


@dataclass(frozen=True)
class RoundScores:
    """Everything a report shows about one round of one coalition, already anonymised.

    Attributes
    ----------
    coalition, coalition_name, programme, round : identification
    instrument_id, instrument_version, instrument_hash : the round's snapshot
    n_responses : int or None
        Responses in the round; None (and so is the response rate) when 1 to minimum - 1
        answered: a hidden cell shows no number, not even its size
        (docs/METHODS.md section 7). Decided here, so no output can show it.
    invited : int or None
        People asked: the round's ``--expected``, else the codes issued;
        ``response_rate`` = n_responses / invited (None above 100%).
    privacy : PrivacySettings
        The thresholds applied.
    suppressed, suppressed_reason : bool, str or None
        True when the whole round is under the minimum.
    member_types : mapping
        Round-level member type -> :class:`MemberTypeScore` (n only, other fields None).
    dimensions : tuple of :class:`DimensionScore`
    items : tuple of :class:`ItemScore`
    equality_index : float or None
        Mean EI over the dimensions whose gap is shown (descriptive).
    open_answers : tuple of :class:`surveycoal.privacy.FreeText`
    seed : int
        The seed every resampling used.
    """

    coalition: str
    coalition_name: str
    programme: str | None
    round: int
    instrument_id: str
    instrument_version: str
    instrument_hash: str
    n_responses: int | None
    invited: int | None
    privacy: PrivacySettings
    suppressed: bool
    suppressed_reason: str | None
    member_types: Mapping[str, MemberTypeScore]
    dimensions: tuple[DimensionScore, ...]
    items: tuple[ItemScore, ...]
    equality_index: float | None
    equality_index_reason: str | None
    open_answers: tuple[priv.FreeText, ...]
    seed: int

    @property
    def response_rate(self) -> float | None:
        """Responses per person asked; None when unknown or when more answered than were
        counted as asked (codes, a kiosk and paper forms mixed without ``--expected``)."""
        if self.n_responses is None or self.suppressed:
            return None
        if not self.invited or self.n_responses > self.invited:
            return None
        return self.n_responses / self.invited

    def dimension(self, dimension_id: str) -> DimensionScore:
        for dim in self.dimensions:
            if dim.id == dimension_id:
                return dim
        raise KeyError(dimension_id)

    def to_json(self) -> dict[str, Any]:
        """Plain data for JSON output; every suppressed figure is None.

        Keys: coalition, coalition_name, programme, round, instrument {id, version,
        hash}, n_responses, invited, response_rate, min_group, min_item_distribution,
        min_free_text, suppressed, suppressed_reason, member_types {TYPE: {n, suppressed,
        suppressed_reason}}, equality_index, equality_index_reason, dimensions [...],
        items [...], open_answers [{question, texts, suppressed, suppressed_reason}], seed.
        """
        return {
            "coalition": self.coalition,
            "coalition_name": self.coalition_name,
            "programme": self.programme,
            "round": int(self.round),
            "instrument": {
                "id": self.instrument_id,
                "version": self.instrument_version,
                "hash": self.instrument_hash,
            },
            "n_responses": _int(self.n_responses),
            "invited": _int(self.invited),
            "response_rate": _num(self.response_rate),
            "min_group": int(self.privacy.min_group),
            "min_item_distribution": int(self.privacy.min_item_distribution),
            "min_free_text": int(self.privacy.min_free_text),
            "suppressed": self.suppressed,
            "suppressed_reason": self.suppressed_reason,
            "member_types": {
                k: {
                    "n": _int(v.n),
                    "suppressed": v.suppressed,
                    "suppressed_reason": v.suppressed_reason,
                }
                for k, v in self.member_types.items()
            },
            "equality_index": _num(self.equality_index),
            "equality_index_reason": self.equality_index_reason,
            "dimensions": [d.to_json() for d in self.dimensions],
            "items": [i.to_json() for i in self.items],
            "open_answers": [
                {
                    "question": t.question_id,
                    "texts": list(t.texts) if t.decision.shown else None,
                    "suppressed": t.decision.suppressed,
                    "suppressed_reason": t.decision.reason,
                }
                for t in self.open_answers
            ],
            "seed": int(self.seed),
        }


# ---------------------------------------------------------------------------
# score_round
# ---------------------------------------------------------------------------
def _column_moments(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """n, mean and SD (ddof=1) per column of a matrix with NaN."""
    valid = ~np.isnan(x)
    n = valid.sum(axis=0)
    filled = np.where(valid, x, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = filled.sum(axis=0) / n
        dev = np.where(valid, x - mean, 0.0)
        sd = np.sqrt((dev**2).sum(axis=0) / (n - 1))
    mean = np.where(n > 0, mean, np.nan)
    sd = np.where(n > 1, sd, np.nan)
    return n, mean, sd


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


def _score_bands(scores: np.ndarray, points: np.ndarray) -> tuple[np.ndarray, ...]:
    """Counts of respondents whose dimension mean lies in the disagree / neutral / agree band.

    On the answer scale a mean at or below midpoint - 0.5 is "disagree" (1-2 on five
    points), at or above midpoint + 0.5 "agree" (4-5), anything between "neutral".
    """
    on_scale = 1.0 + scores * (points - 1.0) / 100.0
    mid = (1.0 + points) / 2.0
    with np.errstate(invalid="ignore"):
        disagree = np.sum(on_scale <= mid - 0.5 + 1e-9, axis=0)
        agree = np.sum(on_scale >= mid + 0.5 - 1e-9, axis=0)
    n = np.sum(~np.isnan(scores), axis=0)
    return disagree, n - disagree - agree, agree


def _band_table(
    counts: Sequence[np.ndarray], n: np.ndarray, ci: float
) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Share, Wilson low and high per band, each an array over the columns."""
    out = []
    for count in counts:
        low, high = stats.wilson_ci(count, n, ci=ci)
        with np.errstate(invalid="ignore", divide="ignore"):
            out.append((np.where(n > 0, count / np.maximum(n, 1), np.nan), low, high))
    return out


def _bands(table: Sequence[tuple[np.ndarray, np.ndarray, np.ndarray]], j: int) -> dict[str, Band]:
    return {
        band: Band(float(share[j]), float(low[j]), float(high[j]))
        for band, (share, low, high) in zip(stats.BANDS, table, strict=True)
    }


def _gap_from_columns(
    gaps: stats.GapColumns,
    k: int,
    x: np.ndarray,
    y: np.ndarray,
    first: str,
    second: str,
    *,
    seed: int,
) -> Gap:
    """The gap of dimension k; Brunner-Munzel from 10 a group, else a permutation test."""
    delta = float(gaps.delta[k])
    low, high = float(gaps.delta_ci_low[k]), float(gaps.delta_ci_high[k])
    big = min(x.size, y.size) >= stats.MIN_N_BRUNNER_MUNZEL
    if big and math.isfinite(gaps.bm_p[k]):
        p, test = float(gaps.bm_p[k]), "brunner_munzel"
    else:
        p, test = stats.permutation_delta_p(x, y, seed=seed), "permutation"
    ei = stats.equality_index(delta, low, high)
    return Gap(
        first,
        second,
        float(gaps.diff[k]),
        float(gaps.ci_low[k]),
        float(gaps.ci_high[k]),
        delta,
        low,
        high,
        stats.delta_magnitude(delta),
        p,
        test,
        ei.value,
        ei.ci_low,
        ei.ci_high,
        float(gaps.welch_p[k]),
    )


def _round_gate(prep: _Prepared) -> priv.CellDecision:
    settings = priv.validate_settings(prep.data.privacy)
    return priv.cell_decision(prep.data.n_responses, settings.min_group)


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


@dataclass(frozen=True)
class _AlphaColumns:
    n: np.ndarray
    alpha: np.ndarray
    low: np.ndarray
    high: np.ndarray


def _alpha_columns(prep: _Prepared, cov: np.ndarray, ci: float) -> _AlphaColumns:
    """Cronbach's alpha and Feldt CI of every dimension from one pairwise covariance matrix."""
    member = prep.layout.membership.astype(float)
    finite = np.isfinite(cov)
    filled = np.where(finite, cov, 0.0)
    block_sum = np.einsum("ik,ij,jk->k", member, filled, member)
    block_gaps = np.einsum("ik,ij,jk->k", member, (~finite).astype(float), member)
    trace = member.T @ np.diag(filled)
    j = prep.layout.n_items.astype(float)
    n = np.sum(prep.used > 0, axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        alpha = j / (j - 1) * (1.0 - trace / block_sum)
    alpha = np.where((block_sum > 0) & (block_gaps == 0) & (j >= 2), alpha, np.nan)
    df1 = np.maximum(n - 1, 1).astype(float)
    df2 = df1 * np.maximum(j - 1, 1)
    q = 1.0 - (1.0 - ci) / 2.0
    low = 1.0 - (1.0 - alpha) * special.fdtri(df1, df2, q)
    high = 1.0 - (1.0 - alpha) * special.fdtri(df1, df2, 1.0 - q)
    return _AlphaColumns(n, alpha, low, high)


def _alpha_for(
    prep: _Prepared,
    k: int,
    columns: _AlphaColumns,
    cov: np.ndarray,
    count: np.ndarray,
    pooled: Mapping[str, stats.Reliability] | None,
    ci: float,
) -> tuple[stats.Reliability | None, str | None]:
    idx = prep.layout.dim_items[k]
    if idx.size < 2:
        return None, None
    n = int(columns.n[k])
    if n >= stats.MIN_N_ALPHA:
        if idx.size == 2:
            block = cov[np.ix_(idx, idx)]
            if np.all(np.isfinite(block)):
                return stats.reliability_from_covariance(
                    block, count[np.ix_(idx, idx)], n, ci=ci
                ), "coalition"
        elif math.isfinite(columns.alpha[k]):
            a = float(columns.alpha[k])
            return stats.Reliability(
                a,
                float(columns.low[k]),
                float(columns.high[k]),
                n,
                int(idx.size),
                "pairwise",
                stats.reliability_flags(a, n),
            ), "coalition"
    if pooled is not None:
        rel = pooled.get(prep.layout.dimension_ids[k])
        if rel is not None:
            return rel, "pooled"
    return None, None


def score_round(
    data: RoundData,
    *,
    seed: int = DEFAULT_SEED,
    pooled_alpha: Mapping[str, stats.Reliability] | PooledReliability | None = None,
    gap_types: tuple[str, str] = (RESIDENT, PROFESSIONAL),
    ci: float = 0.95,
    mid: float = stats.DEFAULT_MID,
) -> RoundScores:
    """Score one round of one coalition, anonymised (docs/METHODS.md sections 1-3, 5 and 7).

    Parameters
    ----------
    data : RoundData
        The round's answers.
    seed : int
        Seed of every resampling (rwg cut-off, permutation tests, shuffled text).
    pooled_alpha : PooledReliability or mapping, optional
        The programme's pooled reliability (:func:`pool_reliability`), of which the
        round's own round number and questionnaire are used; or a mapping dimension id
        -> reliability already pooled for this round (:func:`pooled_reliability`).
        Used when this round has n < 20.
    gap_types : (str, str)
        The member types whose gap is reported: residents minus professionals.
    ci : float
        Confidence level of every interval.
    mid : float
        Smallest difference that matters, points: a smaller gap is "slightly" higher.

    Returns
    -------
    RoundScores
    """
    prep = _prepare(data)
    if isinstance(pooled_alpha, PooledReliability):
        pooled_alpha = pooled_alpha.for_round(data)
    settings = priv.validate_settings(data.privacy)
    layout = prep.layout
    gate = _round_gate(prep)
    min_group = settings.min_group
    n_types = len(prep.type_names)
    onehot = np.zeros((prep.raw.shape[0], n_types))
    onehot[np.arange(prep.raw.shape[0]), prep.type_codes] = 1.0

    # round-level member type cells
    type_sizes = {name: int(onehot[:, g].sum()) for g, name in enumerate(prep.type_names)}
    type_decisions = priv.suppress_parts(type_sizes, min_group=min_group, total_shown=gate.shown)
    member_types = {
        name: _blank(
            MemberTypeScore,
            member_type=name,
            n=type_sizes[name] if type_decisions[name].shown else None,
            suppressed=type_decisions[name].suppressed,
            suppressed_reason=type_decisions[name].reason,
        )
        for name in prep.type_names
    }

    dimensions = _score_dimensions(prep, gate, onehot, pooled_alpha, gap_types, ci, seed, mid)
    items = _score_items(prep, gate, onehot, type_decisions, type_sizes, ci)
    shown_ei = [
        d.gap.equality_index
        for d in dimensions
        if d.gap is not None and math.isfinite(d.gap.equality_index)
    ]
    overall_ei = float(np.mean(shown_ei)) if shown_ei else None
    ei_reason = (
        None if shown_ei else (dimensions[0].gap_reason if dimensions else "part_below_minimum")
    )
    texts = (
        _open_answers(data, settings, seed)
        if gate.shown
        else tuple(
            priv.FreeText(q.id, priv.hidden("below_minimum"))
            for q in data.instrument.open_questions
        )
    )
    return RoundScores(
        coalition=data.coalition,
        coalition_name=data.coalition_name,
        programme=data.programme,
        round=int(data.round),
        instrument_id=data.instrument.id,
        instrument_version=str(data.instrument.version),
        instrument_hash=layout.content_hash,
        # a round under its minimum is a hidden cell: its size is not shown either
        n_responses=None if gate.suppressed and data.n_responses else int(data.n_responses),
        invited=data.invited,
        privacy=settings,
        suppressed=gate.suppressed,
        suppressed_reason=gate.reason,
        member_types=member_types,
        dimensions=tuple(dimensions),
        items=tuple(items),
        equality_index=overall_ei,
        equality_index_reason=ei_reason,
        open_answers=texts,
        seed=seed,
    )


def _open_answers(
    data: RoundData, settings: PrivacySettings, seed: int
) -> tuple[priv.FreeText, ...]:
    frame = data.open_answers
    out = []
    for q in data.instrument.open_questions:
        if len(frame) and "question_id" in frame.columns:
            texts = frame.loc[frame["question_id"] == q.id, "text"].tolist()
        else:
            texts = []
        out.append(priv.free_text(q.id, texts, settings, seed=seed))
    return tuple(out)


def _suppressed_dimension(
    dim_id: str,
    reason: str | None,
    type_decisions: Mapping[str, priv.CellDecision],
    gap_reason: str | None,
) -> DimensionScore:
    by_type = {name: _hidden_type(name, d.reason) for name, d in type_decisions.items()}
    return _blank(
        DimensionScore,
        id=dim_id,
        alpha_flags=(),
        bands_reason=reason,
        by_member_type=by_type,
        gap_reason=gap_reason,
        suppressed=True,
        suppressed_reason=reason,
    )


def _hidden_type(name: str, reason: str | None) -> MemberTypeScore:
    return _blank(MemberTypeScore, member_type=name, suppressed=True, suppressed_reason=reason)


@dataclass(frozen=True)
class _DimensionArrays:
    """Every per-dimension figure of a round, computed for all dimensions at once."""

    n: np.ndarray
    mean: np.ndarray
    sd: np.ndarray
    low: np.ndarray
    high: np.ndarray
    median: np.ndarray
    median_low: np.ndarray
    median_high: np.ndarray
    incomplete: np.ndarray
    dont_know: np.ndarray
    type_n: np.ndarray  # member type x dimension
    type_mean: np.ndarray
    type_low: np.ndarray
    type_high: np.ndarray
    type_dont_know: np.ndarray
    bands: list[tuple[np.ndarray, np.ndarray, np.ndarray]]
    item_n: np.ndarray  # answers per item (rwg)
    item_sd: np.ndarray
    cov: np.ndarray  # pairwise item covariances of the keyed answers (alpha)
    cov_count: np.ndarray
    alpha: _AlphaColumns


def _dimension_arrays(prep: _Prepared, onehot: np.ndarray, ci: float) -> _DimensionArrays:
    layout = prep.layout
    scores = prep.scores
    n, mean, sd = _column_moments(scores)
    low, high = stats.t_interval(n, mean, sd, ci=ci)
    median, med_low, med_high = stats.sorted_median_ci(np.sort(scores, axis=0), n, ci=ci)
    incomplete = np.sum(~np.isnan(scores) & (prep.used < layout.n_items), axis=0)
    seen_items = (~np.isnan(prep.raw) | prep.dont_know).astype(float)
    dk_counts = prep.dont_know.astype(float) @ layout.membership
    seen = seen_items @ layout.membership
    type_n, type_mean, type_sd = _group_moments(scores, onehot)
    type_low, type_high = stats.t_interval(type_n, type_mean, type_sd, ci=ci)
    item_n, _, item_sd = _column_moments(prep.raw)
    cov, cov_count = stats.pairwise_covariance(prep.keyed)
    with np.errstate(invalid="ignore", divide="ignore"):
        share_incomplete = incomplete / n
    return _DimensionArrays(
        n=n,
        mean=mean,
        sd=sd,
        low=low,
        high=high,
        median=median,
        median_low=med_low,
        median_high=med_high,
        incomplete=share_incomplete,
        dont_know=dk_counts.sum(axis=0) / np.maximum(seen.sum(axis=0), 1.0),
        type_n=type_n,
        type_mean=type_mean,
        type_low=type_low,
        type_high=type_high,
        type_dont_know=(onehot.T @ dk_counts) / np.maximum(onehot.T @ seen, 1.0),
        bands=_band_table(_score_bands(scores, layout.dim_points), n, ci),
        item_n=item_n,
        item_sd=item_sd,
        cov=cov,
        cov_count=cov_count,
        alpha=_alpha_columns(prep, cov, ci),
    )


def _member_type_cells(
    prep: _Prepared, arrays: _DimensionArrays, k: int, decisions: Mapping[str, priv.CellDecision]
) -> dict[str, MemberTypeScore]:
    cells = {}
    for g, name in enumerate(prep.type_names):
        d = decisions[name]
        if d.shown:
            cells[name] = MemberTypeScore(
                name,
                int(arrays.type_n[g, k]),
                float(arrays.type_mean[g, k]),
                float(arrays.type_low[g, k]),
                float(arrays.type_high[g, k]),
                float(arrays.type_dont_know[g, k]),
                False,
                None,
            )
        else:
            cells[name] = _hidden_type(name, d.reason)
    return cells


def _agreement(
    prep: _Prepared, arrays: _DimensionArrays, k: int, seed: int
) -> tuple[float, float, bool | None]:
    """rwg(j) over the dimension's items, its random-answer cut-off, and the shared-view rule."""
    layout = prep.layout
    idx = layout.dim_items[k]
    usable = idx[arrays.item_n[idx] >= 2]
    if not usable.size:
        return math.nan, math.nan, None
    points = layout.dim_points[k]
    rwg = float(stats.rwg_from_variances(np.mean(arrays.item_sd[usable] ** 2), usable.size, points))
    cutoff = stats.rwg_random_cutoff(int(arrays.n[k]), int(usable.size), int(points), seed)
    return rwg, cutoff, bool(math.isfinite(rwg) and rwg >= 0.70 and rwg > cutoff)


def _score_dimensions(
    prep: _Prepared,
    gate: priv.CellDecision,
    onehot: np.ndarray,
    pooled_alpha: Mapping[str, stats.Reliability] | None,
    gap_types: tuple[str, str],
    ci: float,
    seed: int,
    mid: float,
) -> list[DimensionScore]:
    layout = prep.layout
    settings = prep.data.privacy
    min_group = settings.min_group
    arrays = _dimension_arrays(prep, onehot, ci)
    out: list[DimensionScore | dict[str, Any]] = []
    first, second = gap_types
    gap_x = gap_y = np.empty((0, prep.scores.shape[1]))
    gaps = None
    if first in prep.type_names and second in prep.type_names:
        in_first = (prep.type_codes == prep.type_names.index(first))[:, None]
        in_second = (prep.type_codes == prep.type_names.index(second))[:, None]
        gap_x = np.where(in_first, prep.scores, np.nan)
        gap_y = np.where(in_second, prep.scores, np.nan)
        if in_first.any() and in_second.any():
            gaps = stats.gap_columns(gap_x[in_first[:, 0]], gap_y[in_second[:, 0]], ci=ci)
    for k, dim_id in enumerate(layout.dimension_ids):
        total = gate if gate.suppressed else priv.cell_decision(int(arrays.n[k]), min_group)
        decisions = _dimension_type_decisions(prep, k, total, arrays.type_n)
        sizes = {name: int(arrays.type_n[g, k]) for g, name in enumerate(prep.type_names)}
        gap_decision = priv.derived_decision(
            [first, second], sizes, decisions, min_group=max(min_group, stats.MIN_N_TEST)
        )
        if total.suppressed:
            out.append(
                _suppressed_dimension(
                    dim_id, total.reason, decisions, gap_decision.reason or total.reason
                )
            )
            continue
        gap = None
        if gap_decision.shown and gaps is not None:
            x = gap_x[:, k][~np.isnan(gap_x[:, k])]
            y = gap_y[:, k][~np.isnan(gap_y[:, k])]
            gap = _gap_from_columns(gaps, k, x, y, first, second, seed=seed)
        rel, source = _alpha_for(
            prep, k, arrays.alpha, arrays.cov, arrays.cov_count, pooled_alpha, ci
        )
        rwg, cutoff, view = _agreement(prep, arrays, k, seed)
        band_decision = priv.item_distribution_decision(int(arrays.n[k]), settings)
        out.append(
            {
                "id": dim_id,
                "n": int(arrays.n[k]),
                "mean": float(arrays.mean[k]),
                "sd": float(arrays.sd[k]),
                "ci_low": float(arrays.low[k]),
                "ci_high": float(arrays.high[k]),
                "median": float(arrays.median[k]),
                "median_ci_low": float(arrays.median_low[k]),
                "median_ci_high": float(arrays.median_high[k]),
                "alpha": rel.alpha if rel else None,
                "alpha_ci_low": rel.ci_low if rel else None,
                "alpha_ci_high": rel.ci_high if rel else None,
                "alpha_source": source,
                "alpha_flags": rel.flags
                if rel
                else (("imprecise",) if layout.n_items[k] >= 2 else ()),
                "rwg": rwg,
                "rwg_cutoff": cutoff,
                "shared_view": view,
                "dont_know": float(arrays.dont_know[k]),
                "share_incomplete": float(arrays.incomplete[k]),
                "bands": _bands(arrays.bands, k) if band_decision.shown else None,
                "bands_reason": band_decision.reason,
                "by_member_type": _member_type_cells(prep, arrays, k, decisions),
                "gap": gap,
                "gap_reason": gap_decision.reason,
                "suppressed": False,
                "suppressed_reason": None,
            }
        )
    return _with_gap_verdicts(out, gaps, gap_types, mid)


def _with_gap_verdicts(
    dims: list[DimensionScore | dict[str, Any]],
    gaps: stats.GapColumns | None,
    names: tuple[str, str],
    mid: float,
) -> list[DimensionScore]:
    """Build the dimensions (hidden ones are built already), every shown gap with its
    verdict: Holm over the round's shown gaps."""
    found = [(k, d["gap"]) for k, d in enumerate(dims) if isinstance(d, dict) and d["gap"]]
    if found and gaps is not None:
        ks = [k for k, _ in found]
        shown = [g for _, g in found]
        decided = _difference_verdicts(
            np.array([g.diff for g in shown], dtype=float),
            np.array([g.ci_low for g in shown], dtype=float),
            np.array([g.ci_high for g in shown], dtype=float),
            np.array([g.welch_p for g in shown], dtype=float),
            np.array([g.p for g in shown], dtype=float),
            gaps.n_x[ks],
            gaps.n_y[ks],
            names,
            mid=mid,
        )
        for k, gap, (verdict, p_adj, note, higher) in zip(ks, shown, decided, strict=True):
            dim = dims[k]
            if isinstance(dim, dict):
                # the constructor, not dataclasses.replace: this runs for every gap scored
                dim["gap"] = Gap(
                    gap.first,
                    gap.second,
                    gap.diff,
                    gap.ci_low,
                    gap.ci_high,
                    gap.cliffs_delta,
                    gap.delta_ci_low,
                    gap.delta_ci_high,
                    gap.magnitude,
                    gap.p,
                    gap.test,
                    gap.equality_index,
                    gap.ei_ci_low,
                    gap.ei_ci_high,
                    gap.welch_p,
                    p_adj,
                    verdict,
                    note,
                    higher,
                )
    return [DimensionScore(**d) if isinstance(d, dict) else d for d in dims]


def _score_items(
    prep: _Prepared,
    gate: priv.CellDecision,
    onehot: np.ndarray,
    type_decisions: Mapping[str, priv.CellDecision],
    type_sizes: Mapping[str, int],
    ci: float,
) -> list[ItemScore]:
    layout = prep.layout
    settings = prep.data.privacy
    answered = ~np.isnan(prep.raw)
    n_valid = answered.sum(axis=0)
    n_dk = prep.dont_know.sum(axis=0)
    seen = n_valid + n_dk
    dk_share = np.where(seen > 0, n_dk / np.maximum(seen, 1), np.nan)
    table = _band_table(stats.band_counts(prep.raw, layout.points), n_valid, ci)
    type_valid = onehot.T @ answered.astype(float)
    type_dk = onehot.T @ prep.dont_know.astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        type_dk_share = type_dk / (type_valid + type_dk)
    item_min = max(settings.min_item_distribution, settings.min_group)
    round_ok = gate.shown and prep.data.n_responses >= item_min
    # A member type's don't-know rate follows the item threshold, with complementary
    # suppression at that threshold too: otherwise the round's rate minus the shown types'
    # rates would give the rate of the remaining, smaller group.
    item_decisions = priv.suppress_parts(type_sizes, min_group=item_min, total_shown=round_ok)
    type_ok = {
        name: type_decisions[name].shown and item_decisions[name].shown for name in prep.type_names
    }
    items = []
    for i, item in enumerate(layout.items):
        item_id = item.id
        if not gate.shown:
            decision = gate
        elif not round_ok:
            decision = priv.hidden("too_few_for_items")
        else:
            decision = priv.item_distribution_decision(int(n_valid[i]), settings)
        bands = _bands(table, i) if decision.shown else None
        by_type = {
            name: (float(type_dk_share[g, i]) if round_ok and type_ok[name] else None)
            for g, name in enumerate(prep.type_names)
        }
        items.append(
            ItemScore(
                id=item_id,
                dimension=item.dimension,
                reverse=item.reverse,
                n=int(n_valid[i]) if decision.shown else None,
                dont_know=float(dk_share[i]) if round_ok else None,
                bands=bands,
                dont_know_by_member_type=by_type,
                suppressed=decision.suppressed,
                suppressed_reason=decision.reason,
            )
        )
    return items


# ---------------------------------------------------------------------------
# pooled reliability
# ---------------------------------------------------------------------------
def pooled_reliability(
    rounds: Sequence[RoundData], *, ci: float = 0.95
) -> dict[str, stats.Reliability]:
    """Reliability per dimension over the respondents of several coalitions' rounds.

    For coalitions with n < 20, whose own alpha would be too imprecise
    (docs/METHODS.md section 2). Rounds whose instrument lacks a dimension's items are
    left out of that dimension.
    """
    if not rounds:
        return {}
    first = _layout(rounds[0].instrument)
    keyed_parts = []
    for data in rounds:
        prep = _prepare(data)
        keyed_parts.append(pd.DataFrame(prep.keyed, columns=list(prep.layout.item_ids)))
    stacked = pd.concat(keyed_parts, ignore_index=True, sort=False)
    out = {}
    for k, dim in enumerate(first.dimension_ids):
        ids = [first.item_ids[i] for i in first.dim_items[k]]
        if len(ids) < 2 or any(i not in stacked.columns for i in ids):
            continue
        block = stacked[ids].to_numpy(dtype=float)
        block = block[~np.all(np.isnan(block), axis=1)]
        if block.shape[0] < 2:
            continue
        out[dim] = stats.dimension_reliability(block, ci=ci)
    return out


@dataclass(frozen=True)
class PooledReliability:
    """Reliability pooled over a programme, per round number, questionnaire and dimension.

    Keyed by (round number, instrument content hash, dimension id): a coalition that
    answered the short questionnaire gets the alpha of the short questionnaire, never
    that of the full one with the same dimension ids (docs/METHODS.md section 2).
    Built by :func:`pool_reliability`; :func:`score_round` picks the round's own entries.
    """

    by_key: Mapping[tuple[int, str, str], stats.Reliability]

    def for_round(self, data: RoundData) -> dict[str, stats.Reliability]:
        """Dimension id -> pooled reliability for this round's number and questionnaire."""
        content = _layout(data.instrument).content_hash
        return {
            dim: rel
            for (number, hashed, dim), rel in self.by_key.items()
            if number == data.round and hashed == content
        }


def pool_reliability(rounds: Sequence[RoundData], *, ci: float = 0.95) -> PooledReliability:
    """Pool the reliability of a programme's rounds: one pool per round number and questionnaire.

    Rounds without responses are left out; a pool needs at least two coalitions' rounds.
    """
    groups: dict[tuple[int, str], list[RoundData]] = {}
    for data in rounds:
        if data.n_responses:
            key = (int(data.round), _layout(data.instrument).content_hash)
            groups.setdefault(key, []).append(data)
    by_key: dict[tuple[int, str, str], stats.Reliability] = {}
    for (number, content), group in sorted(groups.items()):
        if len(group) < 2:
            continue
        for dim, rel in pooled_reliability(group, ci=ci).items():
            by_key[(number, content, dim)] = rel
    return PooledReliability(by_key)


# ---------------------------------------------------------------------------
# change between rounds
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class DimensionChange:
    """Change on one dimension between two rounds (all None when suppressed).

    ``diff`` = mean(to) - mean(from), points; ``detectable_change`` the smallest
    change the design finds with 80% power, points; ``effect_size`` Hedges' g (d_z
    when everyone is linked, see ``effect_size_kind``).

    ``n_linked`` is already protected: 0, or at least the larger of the two rounds'
    minimum groups (docs/METHODS.md section 7). Fewer linked people are tested as
    unlinked and counted as 0, so every output may print the number as it is.
    """

    dimension: str
    n_from: int | None
    n_to: int | None
    n_linked: int | None
    mean_from: float | None
    mean_to: float | None
    diff: float | None
    ci_low: float | None
    ci_high: float | None
    t: float | None
    df: float | None
    p: float | None
    p_adjusted: float | None
    method: str | None
    permutation_p: float | None
    permutation_p_adjusted: float | None
    effect_size: float | None
    effect_size_kind: str | None
    cliffs_delta: float | None
    detectable_change: float | None
    detectable_effect: float | None
    verdict: str
    suppressed: bool
    suppressed_reason: str | None
    #: "holm" when the verdict is "possibly ..." (docs/METHODS.md section 8), else None.
    verdict_note: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "dimension": self.dimension,
            "n_from": _int(self.n_from),
            "n_to": _int(self.n_to),
            "n_linked": _int(self.n_linked),
            "mean_from": _num(self.mean_from),
            "mean_to": _num(self.mean_to),
            "diff": _num(self.diff),
            "ci_low": _num(self.ci_low),
            "ci_high": _num(self.ci_high),
            "t": _num(self.t),
            "df": _num(self.df),
            "p": _num(self.p),
            "p_adjusted": _num(self.p_adjusted),
            "method": self.method,
            "permutation_p": _num(self.permutation_p),
            "permutation_p_adjusted": _num(self.permutation_p_adjusted),
            "effect_size": _num(self.effect_size),
            "effect_size_kind": self.effect_size_kind,
            "cliffs_delta": _num(self.cliffs_delta),
            "detectable_change": _num(self.detectable_change),
            "detectable_effect": _num(self.detectable_effect),
            "verdict": str(self.verdict),
            "verdict_note": self.verdict_note,
            "suppressed": self.suppressed,
            "suppressed_reason": self.suppressed_reason,
        }


@dataclass(frozen=True)
class RoundChange:
    """The change of a coalition between two rounds, dimension by dimension.

    Attributes
    ----------
    coalition : str
    from_round, to_round : int
    mid : float
        Smallest change that matters, points.
    changes : tuple of :class:`DimensionChange`
    skipped_dimensions : tuple of str
        Dimensions not in both rounds' instruments.
    instrument_changed : bool
        True when the two rounds used different instrument snapshots.
    """

    coalition: str
    from_round: int
    to_round: int
    mid: float
    changes: tuple[DimensionChange, ...]
    skipped_dimensions: tuple[str, ...] = ()
    instrument_changed: bool = False
    seed: int = DEFAULT_SEED

    def to_json(self) -> dict[str, Any]:
        """Keys: coalition, from, to, mid, instrument_changed, skipped_dimensions, seed, changes."""
        return {
            "coalition": self.coalition,
            "from": int(self.from_round),
            "to": int(self.to_round),
            "mid": _num(self.mid),
            "instrument_changed": self.instrument_changed,
            "skipped_dimensions": list(self.skipped_dimensions),
            "seed": int(self.seed),
            "changes": [c.to_json() for c in self.changes],
        }


def _untested(
    result: type[_Untested], dimension: str, reason: str | None = None, **known: Any
) -> _Untested:
    """A change or difference that is not tested: "too_few", every figure None but ``known``.

    With a ``reason`` the cell is hidden (a round or group under its minimum) and ``known``
    must stay empty.
    """
    return _blank(
        result,
        dimension=dimension,
        verdict="too_few",
        suppressed=reason is not None,
        suppressed_reason=reason,
        **known,
    )


def _common_dimensions(a: _Layout, b: _Layout) -> tuple[list[str], list[str]]:
    common = [d for d in a.dimension_ids if d in b.dimension_ids]
    skipped = [d for d in a.dimension_ids if d not in common] + [
        d for d in b.dimension_ids if d not in a.dimension_ids
    ]
    return common, skipped


def compare_rounds(
    a: RoundData,
    b: RoundData,
    *,
    mid: float = stats.DEFAULT_MID,
    seed: int = DEFAULT_SEED,
    ci: float = 0.95,
) -> RoundChange:
    """Change of one coalition from round ``a`` to round ``b`` (docs/METHODS.md section 4).

    Respondents are linked by panel key (None = unlinked). Per dimension: Welch
    when nobody is linked, paired when everybody is, else the partially overlapping
    test; Holm over the dimensions; a permutation test as robustness check; Hedges'
    g (or d_z), Cliff's delta, the smallest detectable change and a verdict code.
    A round under its minimum shows nothing; a round with n < 5 is not tested.

    Raises
    ------
    InputError
        When the rounds belong to different coalitions.
    """
    if a.coalition != b.coalition:
        raise InputError(
            f"A change compares two rounds of one coalition, not {a.coalition!r} and "
            f"{b.coalition!r}.",
            hint="Use compare_groups to compare coalitions.",
        )
    pa_, pb_ = _prepare(a), _prepare(b)
    gate_a, gate_b = _round_gate(pa_), _round_gate(pb_)
    common, skipped = _common_dimensions(pa_.layout, pb_.layout)
    sa = pa_.scores[:, [pa_.layout.dimension_ids.index(d) for d in common]]
    sb = pb_.scores[:, [pb_.layout.dimension_ids.index(d) for d in common]]
    # Fewer linked people than the minimum group are tested as unlinked: their
    # correlation would rest on a group the round may not show (docs/METHODS.md section 7).
    # The larger of the two minimums is the safe one, and the only rule: n_linked in the
    # result is 0 or at least this, so no presenter decides it again.
    min_pairs = max(stats.MIN_LINKED_PAIRS, a.privacy.min_group, b.privacy.min_group)
    link_a, link_b = stats.link_by_key(pa_.panel_key, pb_.panel_key)
    if link_a.size < min_pairs:
        link_a = link_b = np.array([], dtype=np.int64)
    res = stats.change_tests(sa, sb, link_a, link_b, ci=ci, min_pairs=min_pairs)
    shown = np.array(
        [
            (gate_a.shown and res.n_before[j] >= a.privacy.min_group)
            and (gate_b.shown and res.n_after[j] >= b.privacy.min_group)
            for j in range(len(common))
        ],
        dtype=bool,
    )
    # tested from n >= 5; a test that is undefined (no spread at all) gives "inconclusive"
    tested = shown & (np.minimum(res.n_before, res.n_after) >= stats.MIN_N_TEST)
    cols = np.flatnonzero(tested)
    p_adj = np.full(len(common), np.nan)
    perm = np.full(len(common), np.nan)
    perm_adj = np.full(len(common), np.nan)
    if cols.size:
        p_adj[cols] = stats.holm(res.p[cols])
        un_a = np.setdiff1d(np.arange(sa.shape[0]), link_a)
        un_b = np.setdiff1d(np.arange(sb.shape[0]), link_b)
        perm[cols] = stats.permutation_change_p(
            sa[link_a][:, cols],
            sb[link_b][:, cols],
            sa[un_a][:, cols],
            sb[un_b][:, cols],
            seed=seed,
        )
        perm_adj[cols] = stats.holm(perm[cols])

    changes = []
    for j, dim in enumerate(common):
        if not shown[j]:
            da = (
                gate_a
                if gate_a.suppressed
                else priv.cell_decision(int(res.n_before[j]), a.privacy.min_group)
            )
            db = (
                gate_b
                if gate_b.suppressed
                else priv.cell_decision(int(res.n_after[j]), b.privacy.min_group)
            )
            changes.append(
                _untested(DimensionChange, dim, da.reason if da.suppressed else db.reason)
            )
            continue
        n_from, n_to = int(res.n_before[j]), int(res.n_after[j])
        mean_from, mean_to = float(res.mean_before[j]), float(res.mean_after[j])
        if not tested[j]:
            changes.append(
                _untested(
                    DimensionChange,
                    dim,
                    n_from=n_from,
                    n_to=n_to,
                    mean_from=mean_from,
                    mean_to=mean_to,
                    diff=mean_to - mean_from,
                )
            )
            continue
        col_a, col_b = sa[:, j], sb[:, j]
        delta = float(stats.dominance(col_b[~np.isnan(col_b)], col_a[~np.isnan(col_a)]).mean())
        verdict = stats.change_verdict(
            float(res.diff[j]),
            float(p_adj[j]),
            float(res.ci_low[j]),
            float(res.ci_high[j]),
            n_before=n_from,
            n_after=n_to,
            mid=mid,
            robust_p_adjusted=float(perm_adj[j]),
        )
        changes.append(
            DimensionChange(
                dim,
                n_from,
                n_to,
                int(res.n_linked[j]),
                mean_from,
                mean_to,
                float(res.diff[j]),
                float(res.ci_low[j]),
                float(res.ci_high[j]),
                float(res.t[j]),
                float(res.df[j]),
                float(res.p[j]),
                float(p_adj[j]),
                str(res.method[j]),
                float(perm[j]),
                float(perm_adj[j]),
                float(res.effect_size[j]),
                str(res.effect_kind[j]),
                delta,
                float(res.detectable_change[j]),
                float(res.detectable_effect[j]),
                verdict,
                False,
                None,
                stats.verdict_note(verdict),
            )
        )
    return RoundChange(
        coalition=a.coalition,
        from_round=int(a.round),
        to_round=int(b.round),
        mid=float(mid),
        changes=tuple(changes),
        skipped_dimensions=tuple(skipped),
        instrument_changed=pa_.layout.content_hash != pb_.layout.content_hash,
        seed=seed,
    )


# ---------------------------------------------------------------------------
# comparing two groups in one round
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class GroupDifference:
    """first - second on one dimension (all None when suppressed)."""

    dimension: str
    n_first: int | None
    n_second: int | None
    mean_first: float | None
    mean_second: float | None
    diff: float | None
    ci_low: float | None
    ci_high: float | None
    p: float | None
    p_adjusted: float | None
    effect_size: float | None
    cliffs_delta: float | None
    delta_ci_low: float | None
    delta_ci_high: float | None
    rank_p: float | None
    rank_test: str | None
    detectable_change: float | None
    verdict: str
    suppressed: bool
    suppressed_reason: str | None
    #: "holm" when the verdict is "possibly ..." (docs/METHODS.md section 8), else None.
    verdict_note: str | None = None
    #: The group that scores higher (first or second), None when the verdict names neither.
    higher: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "dimension": self.dimension,
            "n_first": _int(self.n_first),
            "n_second": _int(self.n_second),
            "mean_first": _num(self.mean_first),
            "mean_second": _num(self.mean_second),
            "diff": _num(self.diff),
            "ci_low": _num(self.ci_low),
            "ci_high": _num(self.ci_high),
            "p": _num(self.p),
            "p_adjusted": _num(self.p_adjusted),
            "effect_size": _num(self.effect_size),
            "cliffs_delta": _num(self.cliffs_delta),
            "delta_ci_low": _num(self.delta_ci_low),
            "delta_ci_high": _num(self.delta_ci_high),
            "rank_p": _num(self.rank_p),
            "rank_test": self.rank_test,
            "detectable_change": _num(self.detectable_change),
            "verdict": str(self.verdict),
            "verdict_note": self.verdict_note,
            "higher": self.higher,
            "suppressed": self.suppressed,
            "suppressed_reason": self.suppressed_reason,
        }


@dataclass(frozen=True)
class GroupComparison:
    """Two coalitions in one round, or two member types within one round.

    ``kind`` is "coalitions" or "member_types"; ``first``/``second`` name the
    groups; ``differences`` hold first - second per dimension.
    """

    kind: str
    first: str
    second: str
    round: int | None
    coalition: str | None
    mid: float
    differences: tuple[GroupDifference, ...]
    seed: int = DEFAULT_SEED

    def to_json(self) -> dict[str, Any]:
        """Keys: kind, first, second, round, coalition, mid, seed, differences."""
        return {
            "kind": self.kind,
            "first": self.first,
            "second": self.second,
            "round": _int(self.round),
            "coalition": self.coalition,
            "mid": _num(self.mid),
            "seed": int(self.seed),
            "differences": [d.to_json() for d in self.differences],
        }


def _difference_verdicts(
    diff: np.ndarray,
    low: np.ndarray,
    high: np.ndarray,
    p: np.ndarray,
    rank_p: np.ndarray,
    n1: np.ndarray,
    n2: np.ndarray,
    names: tuple[str, str],
    *,
    mid: float,
) -> list[tuple[stats.Verdict, float, str | None, str | None]]:
    """Verdict, Holm-adjusted p, marker and higher group of every tested difference.

    The one place where a difference between two groups gets its verdict
    (docs/METHODS.md section 8): Welch's p adjusted with Holm over the dimensions, checked by the rank test
    of section 5 (Brunner-Munzel or a permutation test on delta), adjusted the same way.
    Used both for a round's gap and for :func:`compare_member_types`, so the two agree.
    """
    if not len(p):
        return []
    p_adj = stats.holm(p).tolist()
    rank_adj = stats.holm(rank_p).tolist()  # NaN (no rank test) stays NaN: no check
    out = []
    for j, (d, lo, hi, a, b) in enumerate(
        zip(diff.tolist(), low.tolist(), high.tolist(), n1.tolist(), n2.tolist(), strict=True)
    ):
        verdict = stats.change_verdict(
            d,
            p_adj[j],
            lo,
            hi,
            n_before=int(a),
            n_after=int(b),
            mid=mid,
            robust_p_adjusted=rank_adj[j],
            groups=True,
        )
        out.append(
            (
                verdict,
                p_adj[j],
                stats.verdict_note(verdict),
                stats.higher_side(verdict, *names),
            )
        )
    return out


def _compare_columns(
    dims: Sequence[str],
    first_cols: np.ndarray,
    second_cols: np.ndarray,
    decisions: Sequence[priv.CellDecision],
    names: tuple[str, str],
    *,
    mid: float,
    seed: int,
    ci: float,
) -> tuple[GroupDifference, ...]:
    none = np.array([], dtype=np.int64)
    # change_tests reports after - before: pass second as "before" to get first - second
    res = stats.change_tests(second_cols, first_cols, none, none, ci=ci)
    shown = np.array([d.shown for d in decisions], dtype=bool)
    tested = shown & (np.minimum(res.n_before, res.n_after) >= stats.MIN_N_TEST)
    cols = np.flatnonzero(tested)
    ranks: dict[int, stats.GroupTest] = {}
    deltas: dict[int, tuple[float, float, float]] = {}
    for c in cols.tolist():
        x = first_cols[:, c][~np.isnan(first_cols[:, c])]
        y = second_cols[:, c][~np.isnan(second_cols[:, c])]
        deltas[c] = stats.feng_cliff(stats.dominance(x, y), ci=ci)
        ranks[c] = stats.rank_test(x, y, seed=seed)
    decided = dict(
        zip(
            cols.tolist(),
            _difference_verdicts(
                res.diff[cols],
                res.ci_low[cols],
                res.ci_high[cols],
                res.p[cols],
                np.array([ranks[c].p for c in cols.tolist()], dtype=float),
                res.n_after[cols],
                res.n_before[cols],
                names,
                mid=mid,
            ),
            strict=True,
        )
    )
    out = []
    for j, dim in enumerate(dims):
        d = decisions[j]
        if d.suppressed:
            out.append(_untested(GroupDifference, dim, d.reason))
            continue
        n1, n2 = int(res.n_after[j]), int(res.n_before[j])
        m1, m2 = float(res.mean_after[j]), float(res.mean_before[j])
        if not tested[j]:
            out.append(
                _untested(
                    GroupDifference,
                    dim,
                    n_first=n1,
                    n_second=n2,
                    mean_first=m1,
                    mean_second=m2,
                    diff=m1 - m2,
                )
            )
            continue
        delta, dlow, dhigh = deltas[j]
        rank = ranks[j]
        verdict, p_adj, note, higher = decided[j]
        out.append(
            GroupDifference(
                dim,
                n1,
                n2,
                m1,
                m2,
                float(res.diff[j]),
                float(res.ci_low[j]),
                float(res.ci_high[j]),
                float(res.p[j]),
                p_adj,
                float(res.effect_size[j]),
                delta,
                dlow,
                dhigh,
                rank.p,
                rank.method,
                float(res.detectable_change[j]),
                verdict,
                False,
                None,
                note,
                higher,
            )
        )
    return tuple(out)


def compare_groups(
    first: RoundData,
    second: RoundData,
    *,
    mid: float = stats.DEFAULT_MID,
    seed: int = DEFAULT_SEED,
    ci: float = 0.95,
) -> GroupComparison:
    """Two coalitions side by side in one round: independent Welch tests per dimension.

    Holm over the dimensions, Hedges' g, Cliff's delta with a rank test, the
    smallest detectable difference and a verdict code from :data:`GROUP_VERDICTS`
    (first - second). A coalition under its minimum shows nothing.
    """
    pf, ps = _prepare(first), _prepare(second)
    gate_f, gate_s = _round_gate(pf), _round_gate(ps)
    common, _ = _common_dimensions(pf.layout, ps.layout)
    kf = [pf.layout.dimension_ids.index(d) for d in common]
    ks = [ps.layout.dimension_ids.index(d) for d in common]
    xf, xs = pf.scores[:, kf], ps.scores[:, ks]
    decisions = []
    for j in range(len(common)):
        df_ = (
            gate_f
            if gate_f.suppressed
            else priv.cell_decision(int(np.sum(~np.isnan(xf[:, j]))), first.privacy.min_group)
        )
        ds_ = (
            gate_s
            if gate_s.suppressed
            else priv.cell_decision(int(np.sum(~np.isnan(xs[:, j]))), second.privacy.min_group)
        )
        decisions.append(df_ if df_.suppressed else ds_)
    diffs = _compare_columns(
        common,
        xf,
        xs,
        decisions,
        (first.coalition, second.coalition),
        mid=mid,
        seed=seed,
        ci=ci,
    )
    same_round = first.round if first.round == second.round else None
    return GroupComparison(
        "coalitions", first.coalition, second.coalition, same_round, None, float(mid), diffs, seed
    )


def compare_member_types(
    data: RoundData,
    first: str = RESIDENT,
    second: str = PROFESSIONAL,
    *,
    mid: float = stats.DEFAULT_MID,
    seed: int = DEFAULT_SEED,
    ci: float = 0.95,
) -> GroupComparison:
    """Two member types within one round, per dimension, under the anonymity rules.

    A dimension is compared only when both member-type cells are shown in
    :func:`score_round` (minimum, complementary suppression, differencing) and
    each has n >= 5.
    """
    prep = _prepare(data)
    gate = _round_gate(prep)
    for name in (first, second):
        if name not in prep.type_names:
            raise InputError(
                f"No member type {name!r} in round {data.round} of {data.coalition!r}."
            )
    onehot = np.zeros((prep.raw.shape[0], len(prep.type_names)))
    onehot[np.arange(prep.raw.shape[0]), prep.type_codes] = 1.0
    type_n, _, _ = _group_moments(prep.scores, onehot)
    n_all = np.sum(~np.isnan(prep.scores), axis=0)
    min_group = data.privacy.min_group
    decisions = []
    for k in range(len(prep.layout.dimension_ids)):
        total = gate if gate.suppressed else priv.cell_decision(int(n_all[k]), min_group)
        cells = _dimension_type_decisions(prep, k, total, type_n)
        sizes = {name: int(type_n[g, k]) for g, name in enumerate(prep.type_names)}
        decisions.append(
            priv.derived_decision(
                [first, second], sizes, cells, min_group=max(min_group, stats.MIN_N_TEST)
            )
        )
    g1, g2 = prep.type_names.index(first), prep.type_names.index(second)
    x = np.where((prep.type_codes == g1)[:, None], prep.scores, np.nan)
    y = np.where((prep.type_codes == g2)[:, None], prep.scores, np.nan)
    diffs = _compare_columns(
        prep.layout.dimension_ids, x, y, decisions, (first, second), mid=mid, seed=seed, ci=ci
    )
    return GroupComparison(
        "member_types", first, second, int(data.round), data.coalition, float(mid), diffs, seed
    )


# ---------------------------------------------------------------------------
# programme
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class CoalitionPosition:
    """One coalition on one dimension in the programme view (None when suppressed)."""

    coalition: str
    round: int
    n: int | None
    mean: float | None
    ci_low: float | None
    ci_high: float | None
    lower95: float | None
    upper95: float | None
    lower998: float | None
    upper998: float | None
    position95: str | None
    position998: str | None
    screen_p: float | None
    screen_p_adjusted: float | None
    group: str | None
    suppressed: bool
    suppressed_reason: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "coalition": self.coalition,
            "round": int(self.round),
            "n": _int(self.n),
            "mean": _num(self.mean),
            "ci_low": _num(self.ci_low),
            "ci_high": _num(self.ci_high),
            "lower95": _num(self.lower95),
            "upper95": _num(self.upper95),
            "lower998": _num(self.lower998),
            "upper998": _num(self.upper998),
            "position95": self.position95,
            "position998": self.position998,
            "screen_p": _num(self.screen_p),
            "screen_p_adjusted": _num(self.screen_p_adjusted),
            "group": self.group,
            "suppressed": self.suppressed,
            "suppressed_reason": self.suppressed_reason,
        }


@dataclass(frozen=True)
class ProgrammeDimension:
    """One dimension across the programme's coalitions.

    ``icc`` comes from the one-way ANOVA of respondents within the shown
    coalitions; ``can_be_told_apart`` is False when ICC(2) < .70. The funnel
    ``centre``, ``sigma``, ``phi`` and ``tau2`` describe the limits each coalition's
    ``position95``/``position998`` refers to.

    ``mean`` is the programme's score: the mean of the shown coalitions' scores,
    each coalition counted once, with a t interval over coalitions
    (``ci_low``/``ci_high``): it says where a typical coalition of the programme
    stands, and its interval is as wide as the coalitions differ. None below two
    shown coalitions (docs/METHODS.md section 6).
    """

    id: str
    n_coalitions: int
    icc: stats.ICC | None
    kruskal: stats.GroupTest | None
    kruskal_p_adjusted: float | None
    centre: float | None
    sigma: float | None
    phi: float | None
    tau2: float | None
    coalitions: tuple[CoalitionPosition, ...]
    mean: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None

    def to_json(self) -> dict[str, Any]:
        icc = self.icc
        return {
            "id": self.id,
            "n_coalitions": int(self.n_coalitions),
            "mean": _num(self.mean),
            "ci_low": _num(self.ci_low),
            "ci_high": _num(self.ci_high),
            "icc1": _num(icc.icc1) if icc else None,
            "icc2": _num(icc.icc2) if icc else None,
            "icc_f": _num(icc.f) if icc else None,
            "icc_df": [icc.df_between, icc.df_within] if icc else None,
            "icc_p": _num(icc.p) if icc else None,
            "can_be_told_apart": icc.can_be_told_apart if icc else False,
            "kruskal_h": _num(self.kruskal.statistic) if self.kruskal else None,
            "kruskal_p": _num(self.kruskal.p) if self.kruskal else None,
            "kruskal_method": self.kruskal.method if self.kruskal else None,
            "kruskal_p_adjusted": _num(self.kruskal_p_adjusted),
            "centre": _num(self.centre),
            "sigma": _num(self.sigma),
            "phi": _num(self.phi),
            "tau2": _num(self.tau2),
            "coalitions": [c.to_json() for c in self.coalitions],
        }


@dataclass(frozen=True)
class ProgrammeScores:
    """Coalitions of a programme side by side, per dimension, without a league table.

    ``to_json()`` gives::

        {"programme": str | None,
         "round": int | None,              # None: each coalition's latest round
         "coalitions": [{"coalition", "round", "n_responses", "suppressed",
                         "suppressed_reason"}],
         "dimensions": [{"id", "n_coalitions", "mean", "ci_low", "ci_high",
                         "icc1", "icc2", "icc_f", "icc_df", "icc_p",
                         "can_be_told_apart", "kruskal_h", "kruskal_p", "kruskal_method",
                         "kruskal_p_adjusted", "centre", "sigma", "phi", "tau2",
                         "coalitions": [{"coalition", "round", "n", "mean", "ci_low",
                                         "ci_high", "lower95", "upper95", "lower998",
                                         "upper998", "position95", "position998",
                                         "screen_p", "screen_p_adjusted", "group",
                                         "suppressed", "suppressed_reason"}]}],
         "seed": int}

    ``position95``/``position998`` are "within", "above" or "below" the funnel
    limits (shown clipped to 0-100); ``group`` is "top", "middle" or "bottom" from rank intervals (never a
    rank); ``screen_p_adjusted`` is Benjamini-Hochberg over every coalition x
    dimension screen, ``kruskal_p_adjusted`` over the dimensions.
    """

    programme: str | None
    round: int | None
    coalitions: tuple[Mapping[str, Any], ...]
    dimensions: tuple[ProgrammeDimension, ...]
    seed: int = DEFAULT_SEED

    def to_json(self) -> dict[str, Any]:
        return {
            "programme": self.programme,
            "round": _int(self.round),
            "coalitions": [dict(c) for c in self.coalitions],
            "dimensions": [d.to_json() for d in self.dimensions],
            "seed": int(self.seed),
        }


def _select_rounds(rounds: Sequence[RoundData], round_number: int | None) -> list[RoundData]:
    chosen: dict[str, RoundData] = {}
    for data in rounds:
        if round_number is not None and data.round != round_number:
            continue
        current = chosen.get(data.coalition)
        if current is None or data.round > current.round:
            chosen[data.coalition] = data
    return [chosen[c] for c in sorted(chosen)]


def score_programme(
    rounds: Sequence[RoundData],
    *,
    round_number: int | None = None,
    seed: int = DEFAULT_SEED,
    winsorise: bool = True,
    ci: float = 0.95,
) -> ProgrammeScores:
    """Coalitions side by side per dimension (docs/METHODS.md section 6).

    Parameters
    ----------
    rounds : list of RoundData
        Rounds of the programme's coalitions (several rounds each is fine).
    round_number : int, optional
        Use this round of every coalition; None takes each coalition's latest.
    winsorise : bool
        Winsorise the funnel's z scores (10% each end) before estimating overdispersion.

    Returns
    -------
    ProgrammeScores
        See its docstring for the JSON shape.
    """
    chosen = _select_rounds(rounds, round_number)
    if not chosen:
        raise InputError(
            "There are no rounds to compare."
            if round_number is None
            else f"No coalition has a round {round_number}."
        )
    preps = [_prepare(d) for d in chosen]
    gates = [_round_gate(p) for p in preps]
    dims = [
        d for d in preps[0].layout.dimension_ids if all(d in p.layout.dimension_ids for p in preps)
    ]
    coalitions = tuple(
        {
            "coalition": d.coalition,
            "round": int(d.round),
            "n_responses": None if g.suppressed and d.n_responses else d.n_responses,
            "suppressed": g.suppressed,
            "suppressed_reason": g.reason,
        }
        for d, g in zip(chosen, gates, strict=True)
    )
    names = [d.coalition for d in chosen]
    per_dim = []
    for dim in dims:
        cols = [p.scores[:, p.layout.dimension_ids.index(dim)] for p in preps]
        per_dim.append(_programme_dimension(dim, chosen, cols, gates, names, seed, winsorise, ci))
    # Benjamini-Hochberg over every programme-wide screen
    screens = [c["screen_p"] for d in per_dim for c in d["rows"]]
    adjusted = iter(stats.benjamini_hochberg(np.array(screens, dtype=float)))
    kw_adjusted = stats.benjamini_hochberg(
        [d["kruskal"].p if d["kruskal"] else np.nan for d in per_dim]
    )
    out = []
    for j, d in enumerate(per_dim):
        positions = []
        for row in d["rows"]:
            p_adj = next(adjusted)
            positions.append(CoalitionPosition(**{**row, "screen_p_adjusted": _num(p_adj)}))
        out.append(
            ProgrammeDimension(
                d["id"],
                d["n_coalitions"],
                d["icc"],
                d["kruskal"],
                _num(kw_adjusted[j]),
                d["centre"],
                d["sigma"],
                d["phi"],
                d["tau2"],
                tuple(positions),
                mean=d["mean"],
                ci_low=d["ci_low"],
                ci_high=d["ci_high"],
            )
        )
    programme = chosen[0].programme
    return ProgrammeScores(programme, round_number, coalitions, tuple(out), seed)


def _clip(value: float) -> float:
    return float(min(100.0, max(0.0, value)))


def _programme_dimension(
    dim: str,
    chosen: Sequence[RoundData],
    cols: Sequence[np.ndarray],
    gates: Sequence[priv.CellDecision],
    names: Sequence[str],
    seed: int,
    winsorise: bool,
    ci: float,
) -> dict[str, Any]:
    ns = np.array([int(np.sum(~np.isnan(c))) for c in cols])
    decisions = [
        gate if gate.suppressed else priv.cell_decision(int(n), data.privacy.min_group)
        for gate, n, data in zip(gates, ns, chosen, strict=True)
    ]
    shown = [i for i, d in enumerate(decisions) if d.shown]
    means = np.full(len(cols), np.nan)
    sds = np.full(len(cols), np.nan)
    for i in shown:
        v = cols[i][~np.isnan(cols[i])]
        means[i] = v.mean()
        sds[i] = v.std(ddof=1) if v.size > 1 else np.nan
    low, high = stats.t_interval(ns, means, sds, ci=ci)
    icc = kw = None
    fun = None
    groups = None
    if len(shown) >= 2:
        values = np.concatenate([cols[i][~np.isnan(cols[i])] for i in shown])
        codes = np.concatenate([np.full(ns[i], j) for j, i in enumerate(shown)])
        icc = stats.icc_from_arrays(values, codes, len(shown))
        frame = pd.DataFrame({"score": values, "coalition": codes})
        kw = stats.kruskal_wallis(frame, dv="score", group="coalition", seed=seed)
        sigma = math.sqrt(icc.ms_within) if math.isfinite(icc.ms_within) else math.nan
        if math.isfinite(sigma) and sigma > 0:
            fun = stats.funnel(means[shown], ns[shown], sigma=sigma, winsorise=winsorise)
        groups = stats.rank_groups(means[shown], sds[shown], ns[shown])
    rows = []
    position = {i: j for j, i in enumerate(shown)}
    table = {c: fun.table[c].to_numpy() for c in fun.table.columns} if fun is not None else None
    group_of = groups["group"].to_numpy() if groups is not None else None
    for i, name in enumerate(names):
        d = decisions[i]
        base = {"coalition": name, "round": int(chosen[i].round)}
        if d.suppressed:
            rows.append(
                {
                    **base,
                    "n": None,
                    "mean": None,
                    "ci_low": None,
                    "ci_high": None,
                    "lower95": None,
                    "upper95": None,
                    "lower998": None,
                    "upper998": None,
                    "position95": None,
                    "position998": None,
                    "screen_p": None,
                    "group": None,
                    "suppressed": True,
                    "suppressed_reason": d.reason,
                }
            )
            continue
        j = position[i]
        row = {
            **base,
            "n": int(ns[i]),
            "mean": float(means[i]),
            "ci_low": _num(low[i]),
            "ci_high": _num(high[i]),
            "suppressed": False,
            "suppressed_reason": None,
        }
        if table is not None:
            # limits shown on the scale; positions were decided before clipping
            row.update(
                lower95=_clip(table["lower95"][j]),
                upper95=_clip(table["upper95"][j]),
                lower998=_clip(table["lower998"][j]),
                upper998=_clip(table["upper998"][j]),
                position95=str(table["position95"][j]),
                position998=str(table["position998"][j]),
                screen_p=float(table["p"][j]),
            )
        else:
            row.update(
                lower95=None,
                upper95=None,
                lower998=None,
                upper998=None,
                position95=None,
                position998=None,
                screen_p=None,
            )
        row["group"] = str(group_of[j]) if group_of is not None else None
        rows.append(row)
    overall = stats.mean_ci(means[shown]) if len(shown) >= 2 else None
    return {
        "id": dim,
        "n_coalitions": len(shown),
        "mean": overall.mean if overall else None,
        "ci_low": _num(overall.ci_low) if overall else None,
        "ci_high": _num(overall.ci_high) if overall else None,
        "icc": icc,
        "kruskal": kw,
        "centre": fun.centre if fun else None,
        "sigma": fun.sigma if fun else None,
        "phi": fun.phi if fun else None,
        "tau2": fun.tau2 if fun else None,
        "rows": rows,
    }


# ---------------------------------------------------------------------------
# exports
# ---------------------------------------------------------------------------
def responses_for_export(data: RoundData, *, seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """One row per response, shuffled, for a CSV or spreadsheet export.

    Columns: ``member_type``, then one per item id holding the answer as an int,
    ``"dk"`` for "don't know", or missing when unanswered. No response ids, no
    panel keys, no open answers, no dates.

    Every row shows all of a person's answers, so the rows of any group give that
    group's answers per statement: an export follows the rule for item
    distributions (docs/METHODS.md section 7: none below ``min_item_distribution``,
    10 by default). The round needs that many responses, and a member type is
    named only when its group reaches it too, with complementary suppression
    (the blanked types together reach it as well); other rows get None.

    Raises
    ------
    PrivacyError
        When the round has fewer responses than that threshold.
    """
    prep = _prepare(data)
    settings = priv.validate_settings(data.privacy)
    n = data.n_responses
    needed = max(settings.min_group, settings.min_item_distribution)
    if n < needed:
        raise PrivacyError(
            f"Round {data.round} of {data.coalition!r} has {n} responses; an export of the "
            f"answers needs at least {needed}.",
            hint="Every row shows all of a person's answers, so an export follows the rule "
            f"for answers per statement: they are shown from {needed} responses.",
        )
    sizes = {name: int(np.sum(prep.type_codes == g)) for g, name in enumerate(prep.type_names)}
    decisions = priv.suppress_parts(sizes, min_group=needed)
    order = np.random.default_rng(seed).permutation(n)
    shown_type = np.array([decisions[name].shown for name in prep.type_names])
    codes = prep.type_codes[order]
    member_type = prep.member_type[order].copy()
    member_type[~shown_type[codes]] = None
    columns: dict[str, Any] = {"member_type": member_type}
    raw = prep.raw[order]
    dk = prep.dont_know[order]
    for j, item_id in enumerate(prep.layout.item_ids):
        col = np.empty(n, dtype=object)
        answered = ~np.isnan(raw[:, j])
        col[:] = None
        col[answered] = raw[answered, j].astype(int).tolist()
        col[dk[:, j]] = "dk"
        columns[item_id] = col
    return pd.DataFrame(columns, index=pd.RangeIndex(n))


def codebook(instrument: Instrument) -> pd.DataFrame:
    """The instrument as a table: one row per item.

    Columns: ``item``, ``dimension``, ``reverse``, ``scale``, ``points``, then per
    language ``text_<lang>``, ``dimension_<lang>`` (the dimension's name),
    ``labels_<lang>`` ("1 = ...; 2 = ...") and ``dont_know_<lang>`` (what an
    exported ``dk`` stands for).
    """
    dimension_labels = {d.id: d.label for d in instrument.dimensions}
    rows = []
    for item in instrument.items:
        scale = instrument.scale_for(item)
        row: dict[str, Any] = {
            "item": item.id,
            "dimension": item.dimension,
            "reverse": bool(item.reverse),
            "scale": scale.id,
            "points": scale.points,
        }
        for lang in instrument.languages:
            row[f"text_{lang}"] = item.text.get(lang, "")
            row[f"dimension_{lang}"] = dimension_labels.get(item.dimension, {}).get(lang, "")
            row[f"labels_{lang}"] = "; ".join(
                f"{i + 1} = {label.get(lang, '')}" for i, label in enumerate(scale.labels)
            )
            row[f"dont_know_{lang}"] = scale.dont_know.get(lang, "")
        rows.append(row)
    return pd.DataFrame(rows)


__all__ = [
    "GROUP_VERDICTS",
    "PROFESSIONAL",
    "RESIDENT",
    "Band",
    "CoalitionPosition",
    "DimensionChange",
    "DimensionScore",
    "Gap",
    "GroupComparison",
    "GroupDifference",
    "ItemScore",
    "MemberTypeScore",
    "ProgrammeDimension",
    "ProgrammeScores",
    "RoundChange",
    "RoundScores",
    "codebook",
    "compare_groups",
    "compare_member_types",
    "compare_rounds",
    "PooledReliability",
    "pool_reliability",
    "pooled_reliability",
    "respondent_scores",
    "responses_for_export",
    "score_programme",
    "score_round",
]
