"""One round of one coalition scored: :func:`score_round` (docs/METHODS.md sections 1-3, 5 and 7)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from surveycoal import privacy as priv
from surveycoal import stats
from surveycoal.instruments import PrivacySettings
from surveycoal.rounddata import RoundData
from surveycoal.scoring.groups import _difference_verdicts
from surveycoal.scoring.prepared import (
    _dimension_type_decisions,
    _group_moments,
    _prepare,
    _Prepared,
    _round_gate,
    _shown_responses,
)
from surveycoal.scoring.results import (
    DEFAULT_SEED,
    Band,
    DimensionScore,
    Gap,
    ItemScore,
    MemberTypeScore,
    OpenAnswers,
    PooledReliability,
    RoundScores,
    _blank,
)


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


def _band_table(counts: Sequence[np.ndarray], n: np.ndarray, ci: float) -> list[dict[str, Band]]:
    """Per column, the share of every band with its Wilson interval."""
    per_band = []
    for count in counts:
        low, high = stats.wilson_ci(count, n, ci=ci)
        with np.errstate(invalid="ignore", divide="ignore"):
            share = np.where(n > 0, count / np.maximum(n, 1), np.nan)
        per_band.append(
            [np.asarray(a, dtype=float).tolist() for a in np.broadcast_arrays(share, low, high)]
        )
    return [
        {
            band: Band(share[j], low[j], high[j])
            for band, (share, low, high) in zip(stats.BANDS, per_band, strict=True)
        }
        for j in range(len(n))
    ]


def _gap_from_columns(
    gaps: stats.GapColumns, k: int, rank: stats.GroupTest, first: str, second: str
) -> Gap:
    """The gap of dimension k, with the rank test :func:`surveycoal.stats.rank_tests` chose."""
    delta = float(gaps.delta[k])
    low, high = float(gaps.delta_ci_low[k]), float(gaps.delta_ci_high[k])
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
        stats.delta_magnitude(delta) or None,
        float(rank.p),
        rank.method,
        ei.value,
        ei.ci_low,
        ei.ci_high,
        float(gaps.welch_p[k]),
    )


def _gap_rank_tests(
    gaps: stats.GapColumns, gap_x: np.ndarray, gap_y: np.ndarray, columns: list[int], seed: int
) -> dict[int, stats.GroupTest]:
    """The rank test of every shown gap (docs/METHODS.md section 5), all dimensions at once."""
    xs = [gap_x[:, k][~np.isnan(gap_x[:, k])] for k in columns]
    ys = [gap_y[:, k][~np.isnan(gap_y[:, k])] for k in columns]
    bm = [
        stats.GroupTest(
            "brunner_munzel", float(gaps.bm_statistic[k]), float(gaps.bm_p[k]), float(gaps.bm_df[k])
        )
        for k in columns
    ]
    tests = stats.rank_tests(xs, ys, brunner_munzel=bm, seed=seed)
    return dict(zip(columns, tests, strict=True))


@dataclass(frozen=True)
class _AlphaColumns:
    n: np.ndarray
    alpha: np.ndarray
    low: np.ndarray
    high: np.ndarray


def _alpha_columns(prep: _Prepared, cov: np.ndarray, ci: float) -> _AlphaColumns:
    """Cronbach's alpha and Feldt CI of every dimension from one pairwise covariance matrix
    (:func:`surveycoal.stats.alpha_columns`, the function the reference values check)."""
    n = np.sum(prep.used > 0, axis=0)
    alpha, low, high = stats.alpha_columns(cov, prep.layout.membership, n, ci=ci)
    return _AlphaColumns(n, alpha, low, high)


def _alpha_for(
    prep: _Prepared,
    k: int,
    columns: _AlphaColumns,
    cov: np.ndarray,
    pooled: Mapping[str, stats.Reliability] | None,
    ci: float,
) -> tuple[stats.Reliability | None, str | None]:
    """The dimension's own reliability from 20 respondents, else the pooled one.

    Two items: Spearman-Brown over the respondents who answered both, the rule the pooled
    coefficient follows too (docs/METHODS.md section 2).
    """
    idx = prep.layout.dim_items[k]
    if idx.size < 2:
        return None, None
    n = int(columns.n[k])
    if n >= stats.MIN_N_ALPHA:
        if idx.size == 2:
            if np.all(np.isfinite(cov[np.ix_(idx, idx)])):
                return stats.two_item_reliability(prep.keyed[:, idx], ci=ci), "coalition"
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
    gap_types: tuple[str, str] | None = None,
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
    gap_types : (str, str), optional
        The member types whose gap is reported, first minus second; by default the
        instrument's ``equality_gap`` pair (residents minus professionals unless the
        questionnaire names another pair).
    ci : float
        Confidence level of every interval.
    mid : float
        Smallest difference that matters, points: a smaller gap is "slightly" higher.

    Returns
    -------
    RoundScores
    """
    if gap_types is None:
        gap_types = data.instrument.gap_pair
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
    overall = _overall_equality(prep, dimensions, gap_types, ci)
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
        n_responses=_shown_responses(data, gate),
        invited=data.invited,
        privacy=settings,
        suppressed=gate.suppressed,
        suppressed_reason=gate.reason,
        member_types=member_types,
        dimensions=tuple(dimensions),
        items=tuple(items),
        equality_index=overall.value,
        equality_index_ci_low=overall.ci_low,
        equality_index_ci_high=overall.ci_high,
        equality_index_reason=overall.reason,
        open_answers=tuple(OpenAnswers.of(t) for t in texts),
        seed=seed,
    )


@dataclass(frozen=True)
class _OverallEquality:
    value: float | None
    ci_low: float | None
    ci_high: float | None
    reason: str | None


def _overall_equality(
    prep: _Prepared, dimensions: Sequence[DimensionScore], gap_types: tuple[str, str], ci: float
) -> _OverallEquality:
    """The mean equality index over the dimensions whose gap is shown, with its interval.

    The interval holds the mean of the dimensions' indices with at least ``ci`` whatever
    their dependence (docs/METHODS.md section 5): each of the K dimensions gets its index
    interval at level 1 - (1 - ci) / K (Bonferroni), and the mean lies between the means of
    their bounds when every one of them holds. None when a dimension's interval is undefined.
    """
    indices = {
        k: d.gap.equality_index
        for k, d in enumerate(dimensions)
        if d.gap is not None and math.isfinite(d.gap.equality_index)
    }
    if not indices:
        reason = dimensions[0].gap_reason if dimensions else "part_below_minimum"
        return _OverallEquality(None, None, None, reason)
    value = float(np.mean(list(indices.values())))  # as before the interval was added
    shown = list(indices)
    first, second = gap_types
    x = prep.scores[prep.type_codes == prep.type_names.index(first)][:, shown]
    y = prep.scores[prep.type_codes == prep.type_names.index(second)][:, shown]
    deltas, d_lows, d_highs = stats.delta_columns(x, y, ci=1.0 - (1.0 - ci) / len(shown))
    bounds = [
        stats.equality_index(float(d), float(lo), float(hi))
        for d, lo, hi in zip(deltas, d_lows, d_highs, strict=True)
    ]
    lows = [b.ci_low for b in bounds]
    highs = [b.ci_high for b in bounds]
    if not all(math.isfinite(v) for v in (*lows, *highs)):
        return _OverallEquality(value, None, None, None)
    return _OverallEquality(value, sum(lows) / len(lows), sum(highs) / len(highs), None)


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
    bands: list[dict[str, Band]]  # per dimension
    item_n: np.ndarray  # answers per item (rwg)
    item_sd: np.ndarray
    cov: np.ndarray  # pairwise item covariances of the keyed answers (alpha)
    alpha: _AlphaColumns


def _dimension_arrays(prep: _Prepared, onehot: np.ndarray, ci: float) -> _DimensionArrays:
    layout = prep.layout
    scores = prep.scores
    n, mean, sd = stats.column_moments(scores)
    low, high = stats.t_interval(n, mean, sd, ci=ci)
    median, med_low, med_high = stats.sorted_median_ci(np.sort(scores, axis=0), n, ci=ci)
    incomplete = np.sum(~np.isnan(scores) & (prep.used < layout.n_items), axis=0)
    seen_items = (~np.isnan(prep.raw) | prep.dont_know).astype(float)
    dk_counts = prep.dont_know.astype(float) @ layout.membership
    seen = seen_items @ layout.membership
    type_n, type_mean, type_sd = _group_moments(scores, onehot)
    type_low, type_high = stats.t_interval(type_n, type_mean, type_sd, ci=ci)
    item_n, _, item_sd = stats.column_moments(prep.raw)
    cov, _ = stats.pairwise_covariance(prep.keyed)
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
    view = stats.shared_view(rwg, int(arrays.n[k]), int(usable.size), int(points), seed=seed)
    return rwg, cutoff, view


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
    cells = []
    for k in range(len(layout.dimension_ids)):
        total = gate if gate.suppressed else priv.cell_decision(int(arrays.n[k]), min_group)
        decisions = _dimension_type_decisions(prep, k, total, arrays.type_n)
        sizes = {name: int(arrays.type_n[g, k]) for g, name in enumerate(prep.type_names)}
        gap_decision = priv.derived_decision(
            [first, second], sizes, decisions, min_group=max(min_group, stats.MIN_N_TEST)
        )
        cells.append((total, decisions, gap_decision))
    ranks: dict[int, stats.GroupTest] = {}
    if gaps is not None:
        with_gap = [k for k, (t, _, g) in enumerate(cells) if t.shown and g.shown]
        ranks = _gap_rank_tests(gaps, gap_x, gap_y, with_gap, seed)
    for k, dim_id in enumerate(layout.dimension_ids):
        total, decisions, gap_decision = cells[k]
        if total.suppressed:
            out.append(
                _suppressed_dimension(
                    dim_id, total.reason, decisions, gap_decision.reason or total.reason
                )
            )
            continue
        gap = None
        if gap_decision.shown and gaps is not None:
            gap = _gap_from_columns(gaps, k, ranks[k], first, second)
        rel, source = _alpha_for(prep, k, arrays.alpha, arrays.cov, pooled_alpha, ci)
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
                "bands": arrays.bands[k] if band_decision.shown else None,
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
        bands = table[i] if decision.shown else None
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
