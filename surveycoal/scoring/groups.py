"""Two groups in one round: two coalitions (:func:`compare_groups`) or two member types
(:func:`compare_member_types`), with the verdict rule of docs/METHODS.md section 8.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from surveycoal import privacy as priv
from surveycoal import stats
from surveycoal.errors import InputError
from surveycoal.i18n import _
from surveycoal.rounddata import RoundData
from surveycoal.scoring.prepared import (
    _common_dimensions,
    _dimension_type_decisions,
    _group_moments,
    _prepare,
    _round_gate,
)
from surveycoal.scoring.results import (
    DEFAULT_SEED,
    GroupComparison,
    GroupDifference,
    _untested,
)


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
    common, _skipped = _common_dimensions(pf.layout, ps.layout)
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
    first: str | None = None,
    second: str | None = None,
    *,
    mid: float = stats.DEFAULT_MID,
    seed: int = DEFAULT_SEED,
    ci: float = 0.95,
) -> GroupComparison:
    """Two member types within one round, per dimension, under the anonymity rules.

    A dimension is compared only when both member-type cells are shown in
    :func:`score_round` (minimum, complementary suppression, differencing) and
    each has n >= 5. ``first`` and ``second`` default to the instrument's
    ``equality_gap`` pair.
    """
    default_first, default_second = data.instrument.gap_pair
    first = first or default_first
    second = second or default_second
    prep = _prepare(data)
    gate = _round_gate(prep)
    for name in (first, second):
        if name not in prep.type_names:
            raise InputError(
                _("No member type {name!r} in round {number} of {coalition!r}.").format(
                    name=name, number=data.round, coalition=data.coalition
                )
            )
    onehot = np.zeros((prep.raw.shape[0], len(prep.type_names)))
    onehot[np.arange(prep.raw.shape[0]), prep.type_codes] = 1.0
    type_n, _means, _variances = _group_moments(prep.scores, onehot)
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
