"""The results scoring returns: frozen dataclasses with every anonymity rule already applied.

Built by :mod:`surveycoal.scoring.round`, :mod:`~surveycoal.scoring.change`,
:mod:`~surveycoal.scoring.groups` and :mod:`~surveycoal.scoring.programme`; each has
``to_json()`` returning plain, ``json.dumps(allow_nan=False)``-safe data.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any, ClassVar, TypeVar

from surveycoal import privacy as priv
from surveycoal import stats
from surveycoal.instruments import PrivacySettings
from surveycoal.instruments.model import DEFAULT_GAP_PAIR
from surveycoal.rounddata import RoundData
from surveycoal.scoring.json import as_json, to_plain

#: Member type given to responses without one.
#: The default pair of the equality gap (the instrument may name another).
RESIDENT, PROFESSIONAL = DEFAULT_GAP_PAIR
UNKNOWN_TYPE = "unknown"
#: The reason a change is untested when one of its rounds' answers were deleted
#: (``round purge``); not a privacy reason.
PURGED_REASON = "purged"
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

#: How a summary counts verdicts: a side or direction that holds after the correction
#: for several dimensions ("improved" also holds "higher"), one that may not hold after
#: it and the inconclusive ones ("possibly"), no detectable change or difference
#: ("none"), the other direction ("declined", also "lower"), and not tested ("untested").
VERDICT_GROUPS = ("improved", "possibly", "none", "declined", "untested")


def verdict_group(verdict: str | None, suppressed: bool = False) -> str:
    """The :data:`VERDICT_GROUPS` entry of a verdict code (docs/METHODS.md section 8).

    >>> verdict_group("slightly_lower"), verdict_group("possibly_improved"), verdict_group(None)
    ('declined', 'possibly', 'untested')
    """
    code = verdict or stats.Verdict.TOO_FEW
    if suppressed or code == stats.Verdict.TOO_FEW:
        return "untested"
    if code in ("improved", "slightly_improved", "higher", "slightly_higher"):
        return "improved"
    if code in ("declined", "slightly_declined", "lower", "slightly_lower"):
        return "declined"
    if code.startswith("possibly_") or code == stats.Verdict.INCONCLUSIVE:
        return "possibly"
    return "none"


#: The results a test can leave untested (see :func:`_untested`).
_Untested = TypeVar("_Untested", "DimensionChange", "GroupDifference")
_Result = TypeVar("_Result")


def _blank(result: type[_Result], **known: Any) -> _Result:
    """A result object with every field None except ``known``: a hidden or untested cell."""
    values: dict[str, Any] = {f.name: None for f in fields(result)}  # type: ignore[arg-type]
    values.update(known)
    return result(**values)


class _Plain:
    """What every result has: ``to_json()``, plain data written from its fields."""

    def to_json(self) -> dict[str, Any]:
        return to_plain(self)


class _Banded(_Plain):
    """A dimension or an item, with the shares of its answer bands."""

    bands: Mapping[str, Band] | None

    def share(self, band: str) -> float | None:
        """The share of one band (disagree, neutral, agree); None when the bands are hidden."""
        found = self.bands.get(band) if self.bands else None
        return None if found is None else found.share


@dataclass(frozen=True)
class MemberTypeScore(_Plain):
    """One member type's score on one dimension (all None when suppressed)."""

    member_type: str = field(metadata=as_json(skip=True))  # the key it is written under
    n: int | None
    mean: float | None
    ci_low: float | None
    ci_high: float | None
    dont_know: float | None
    suppressed: bool
    suppressed_reason: str | None


#: The figures of a gap that a test may leave undefined.
_GAP_MAYBE = (
    "ci_low",
    "ci_high",
    "delta_ci_low",
    "delta_ci_high",
    "p",
    "ei_ci_low",
    "ei_ci_high",
    "welch_p",
    "p_adjusted",
)


@dataclass(frozen=True)
class Gap(_Plain):
    """Residents minus professionals on one dimension (docs/METHODS.md section 5)."""

    first: str
    second: str
    diff: float
    #: None when a test is undefined (a group without any spread: docs/METHODS.md section 8)
    ci_low: float | None
    ci_high: float | None
    cliffs_delta: float
    delta_ci_low: float | None
    delta_ci_high: float | None
    magnitude: str | None
    p: float | None
    test: str
    equality_index: float
    ei_ci_low: float | None
    ei_ci_high: float | None
    #: Welch's p of the difference, and Holm-adjusted over the round's dimensions.
    welch_p: float | None = None
    p_adjusted: float | None = None
    #: The verdict of docs/METHODS.md section 8 (a :data:`GROUP_VERDICTS` code, first -
    #: second), its marker ("holm" or None) and the member type that scores higher.
    verdict: str = stats.Verdict.TOO_FEW
    verdict_note: str | None = None
    higher: str | None = None

    @property
    def names_side(self) -> bool:
        """True when the verdict names a higher side; a "possibly" higher side (clear only
        before the correction for several dimensions) does not count."""
        return verdict_group(self.verdict) in ("improved", "declined")

    @property
    def marked(self) -> bool:
        """True when the gap's verdict carries the Holm marker (docs/METHODS.md section 8)."""
        return bool(self.verdict_note)

    def __post_init__(self) -> None:
        # an undefined figure is None, as in the JSON, never NaN
        for name in _GAP_MAYBE:
            value = getattr(self, name)
            if value is not None and not math.isfinite(value):
                object.__setattr__(self, name, None)

    def grew_since(self, earlier: Gap | None) -> bool:
        """True when this gap names a side, ``earlier`` did not, and the gap has moved.

        Moved: the earlier gap lies outside this gap's interval, so a gap that merely
        crossed the edge by chance between two similar rounds does not count.
        """
        if not self.names_side or earlier is None or earlier.names_side:
            return False
        if self.ci_low is None or self.ci_high is None:
            return False
        return not (self.ci_low <= earlier.diff <= self.ci_high)


@dataclass(frozen=True)
class Band:
    """A share of valid answers with its Wilson interval."""

    share: float | None = field(metadata=as_json(key="{}"))
    ci_low: float | None = field(metadata=as_json(key="{}_ci_low"))
    ci_high: float | None = field(metadata=as_json(key="{}_ci_high"))


@dataclass(frozen=True)
class DimensionScore(_Banded):
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
    #: Written as ``agree``, ``agree_ci_low``, ``agree_ci_high``, ... for every band.
    bands: Mapping[str, Band] | None = field(metadata=as_json(spread=stats.BANDS, entries=Band))
    bands_reason: str | None
    by_member_type: Mapping[str, MemberTypeScore]
    gap: Gap | None
    gap_reason: str | None
    suppressed: bool
    suppressed_reason: str | None


@dataclass(frozen=True)
class ItemScore(_Banded):
    """Answers to one item: valid n, don't-know share and bands (None when suppressed)."""

    id: str
    dimension: str
    reverse: bool
    n: int | None
    dont_know: float | None
    bands: Mapping[str, Band] | None = field(metadata=as_json(spread=stats.BANDS, entries=Band))
    dont_know_by_member_type: Mapping[str, float | None]
    suppressed: bool
    suppressed_reason: str | None


@dataclass(frozen=True)
class OpenAnswers(_Plain):
    """The answers to one open question that may be shown (None when hidden), shuffled."""

    question: str
    texts: tuple[str, ...] | None
    suppressed: bool
    suppressed_reason: str | None

    @classmethod
    def of(cls, found: priv.FreeText) -> OpenAnswers:
        shown = found.decision.shown
        return cls(
            found.question_id,
            tuple(found.texts) if shown else None,
            found.decision.suppressed,
            found.decision.reason,
        )


@dataclass(frozen=True)
class RoundScores(_Plain):
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
    equality_index_ci_low, equality_index_ci_high : float or None
        Its interval (docs/METHODS.md section 5: Bonferroni over the dimensions, so it holds
        whatever their dependence); None with the index, or when a dimension's is undefined.
    open_answers : tuple of :class:`OpenAnswers`
    seed : int
        The seed every resampling used.
    """

    #: Computed figures written to JSON beside the fields.
    json_properties: ClassVar[tuple[str, ...]] = ("response_rate",)

    coalition: str
    coalition_name: str
    programme: str | None
    round: int
    instrument_id: str = field(metadata=as_json(within="instrument", key="id"))
    instrument_version: str = field(metadata=as_json(within="instrument", key="version"))
    instrument_hash: str = field(metadata=as_json(within="instrument", key="hash"))
    n_responses: int | None
    invited: int | None
    privacy: PrivacySettings = field(
        metadata=as_json(
            flat={name: name for name in ("min_group", "min_item_distribution", "min_free_text")}
        )
    )
    suppressed: bool
    suppressed_reason: str | None
    member_types: Mapping[str, MemberTypeScore] = field(
        metadata=as_json(only=("n", "suppressed", "suppressed_reason"))
    )
    dimensions: tuple[DimensionScore, ...]
    items: tuple[ItemScore, ...]
    equality_index: float | None
    equality_index_ci_low: float | None
    equality_index_ci_high: float | None
    equality_index_reason: str | None
    open_answers: tuple[OpenAnswers, ...]
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

    @property
    def count_hidden(self) -> bool:
        """True when the round's number of responses may not be shown (1 to minimum - 1
        answered): it is itself a group under the minimum (docs/METHODS.md section 7)."""
        return self.suppressed and (self.n_responses is None or self.n_responses > 0)

    def dimension(self, dimension_id: str) -> DimensionScore:
        for dim in self.dimensions:
            if dim.id == dimension_id:
                return dim
        raise KeyError(dimension_id)

    def find(self, dimension_id: str) -> DimensionScore | None:
        """The dimension with this id, or None when the round's questionnaire lacks it."""
        return next((d for d in self.dimensions if d.id == dimension_id), None)

    def gaps_grown_since(self, earlier: RoundScores) -> tuple[str, ...]:
        """The dimensions whose gap between member types grew since ``earlier`` round
        (:meth:`Gap.grew_since`); none when either round is hidden."""
        if self.suppressed or earlier.suppressed:
            return ()
        grown = []
        for dim in self.dimensions:
            before = earlier.find(dim.id)
            if before is not None and dim.gap is not None and dim.gap.grew_since(before.gap):
                grown.append(dim.id)
        return tuple(grown)


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


class _Verdicted(_Plain):
    """What a change and a group difference share: a verdict, shown or hidden."""

    verdict: str
    verdict_note: str | None
    suppressed: bool

    @property
    def group(self) -> str:
        """Where a summary counts this result (:func:`verdict_group`)."""
        return verdict_group(self.verdict, self.suppressed)

    @property
    def marked(self) -> bool:
        """True when a shown result carries the Holm marker (docs/METHODS.md section 8)."""
        return not self.suppressed and bool(self.verdict_note)


@dataclass(frozen=True)
class DimensionChange(_Verdicted):
    """Change on one dimension between two rounds (all None when suppressed).

    ``diff`` = mean(to) - mean(from), points; ``detectable_change`` the smallest
    change the design finds with 80% power, points; ``effect_size`` Hedges' g (d_z
    when everyone is linked, see ``effect_size_kind``).

    ``n_linked`` is already protected: at least the larger of the two rounds' minimum
    groups, or None (docs/METHODS.md section 7). Fewer linked people are tested as
    unlinked and their number is withheld, as is a count of nobody, so every output
    may print the field as it is.
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

    @classmethod
    def untested(cls, dimension: str, reason: str) -> DimensionChange:
        """A change that cannot be tested, for the ``reason`` given (every figure None)."""
        return _untested(cls, dimension, reason)


@dataclass(frozen=True)
class RoundChange(_Plain):
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
    n_responses_from, n_responses_to : int or None
        Each round's responses as they may be shown: None when 1 to minimum - 1 answered,
        as in :class:`RoundScores` (docs/METHODS.md section 7).
    min_group_from, min_group_to : int
        Each round's minimum group.
    """

    coalition: str
    from_round: int = field(metadata=as_json(key="from"))
    to_round: int = field(metadata=as_json(key="to"))
    mid: float
    changes: tuple[DimensionChange, ...]
    skipped_dimensions: tuple[str, ...] = ()
    instrument_changed: bool = False
    seed: int = DEFAULT_SEED
    n_responses_from: int | None = None
    n_responses_to: int | None = None
    min_group_from: int = PrivacySettings.min_group
    min_group_to: int = PrivacySettings.min_group
    #: True when a round's answers were deleted, so that no dimension could be tested.
    purged: bool = field(default=False, metadata=as_json(skip=True))

    def find(self, dimension_id: str) -> DimensionChange | None:
        """The change on this dimension, or None when it is not in both rounds."""
        return next((c for c in self.changes if c.dimension == dimension_id), None)

    def untested_after_purge(self) -> RoundChange:
        """This change with no dimension tested: one of its rounds' answers were deleted,
        and a test needs the answers of both (docs/METHODS.md section 8)."""
        return replace(
            self,
            changes=tuple(
                _untested(DimensionChange, c.dimension, PURGED_REASON) for c in self.changes
            ),
            purged=True,
        )


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
class GroupDifference(_Verdicted):
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


@dataclass(frozen=True)
class GroupComparison(_Plain):
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

    def find(self, dimension_id: str) -> GroupDifference | None:
        """The difference on this dimension, or None when it is not compared."""
        return next((d for d in self.differences if d.dimension == dimension_id), None)


@dataclass(frozen=True)
class ProgrammeRound(_Plain):
    """Which round of a coalition the programme view uses, and its response count.

    ``n_responses`` is None when 1 to minimum - 1 answered (docs/METHODS.md section 7).
    """

    coalition: str
    round: int
    n_responses: int | None
    suppressed: bool
    suppressed_reason: str | None


@dataclass(frozen=True)
class CoalitionPosition(_Plain):
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


@dataclass(frozen=True)
class ProgrammeDimension(_Plain):
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
    icc: stats.ICC | None = field(
        metadata=as_json(
            flat={
                "icc1": "icc1",
                "icc2": "icc2",
                "icc_f": "f",
                "icc_df": ("df_between", "df_within"),
                "icc_p": "p",
                "can_be_told_apart": "can_be_told_apart",
            },
            absent={"can_be_told_apart": False},
        )
    )
    kruskal: stats.GroupTest | None = field(
        metadata=as_json(
            flat={"kruskal_h": "statistic", "kruskal_p": "p", "kruskal_method": "method"}
        )
    )
    kruskal_p_adjusted: float | None
    centre: float | None
    sigma: float | None
    phi: float | None
    tau2: float | None
    coalitions: tuple[CoalitionPosition, ...]
    mean: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None


@dataclass(frozen=True)
class ProgrammeScores(_Plain):
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
    coalitions: tuple[ProgrammeRound, ...]
    dimensions: tuple[ProgrammeDimension, ...]
    seed: int = DEFAULT_SEED

    def find(self, dimension_id: str) -> ProgrammeDimension | None:
        """The programme's view of one dimension, or None when not every round has it."""
        return next((d for d in self.dimensions if d.id == dimension_id), None)
