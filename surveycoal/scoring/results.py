"""The results scoring returns: frozen dataclasses with every anonymity rule already applied.

Built by :mod:`surveycoal.scoring.round`, :mod:`~surveycoal.scoring.change`,
:mod:`~surveycoal.scoring.groups` and :mod:`~surveycoal.scoring.programme`; each has
``to_json()`` returning plain, ``json.dumps(allow_nan=False)``-safe data.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any, TypeVar

from surveycoal import privacy as priv
from surveycoal import stats
from surveycoal.instruments import PrivacySettings
from surveycoal.rounddata import RoundData

RESIDENT = "resident_initiative"
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

#: The results a test can leave untested (see :func:`_untested`).
_Untested = TypeVar("_Untested", "DimensionChange", "GroupDifference")
_Result = TypeVar("_Result")


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


def _blank(result: type[_Result], **known: Any) -> _Result:
    """A result object with every field None except ``known``: a hidden or untested cell."""
    values: dict[str, Any] = {f.name: None for f in fields(result)}  # type: ignore[arg-type]
    values.update(known)
    return result(**values)


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
        content = data.instrument.content_hash
        return {
            dim: rel
            for (number, hashed, dim), rel in self.by_key.items()
            if number == data.round and hashed == content
        }


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
