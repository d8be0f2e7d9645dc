"""The change of one coalition between two rounds: :func:`compare_rounds` (docs/METHODS.md section 4)."""

from __future__ import annotations

import numpy as np

from surveycoal import privacy as priv
from surveycoal import stats
from surveycoal.errors import InputError
from surveycoal.rounddata import RoundData
from surveycoal.scoring.prepared import (
    _common_dimensions,
    _prepare,
    _round_gate,
    _shown_responses,
)
from surveycoal.scoring.results import DEFAULT_SEED, DimensionChange, RoundChange, _untested


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
    # result is None or at least this, so no presenter decides it again.
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
                _shown_linked(int(res.n_linked[j]), min_pairs),
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
        n_responses_from=_shown_responses(a, gate_a),
        n_responses_to=_shown_responses(b, gate_b),
        min_group_from=int(a.privacy.min_group),
        min_group_to=int(b.privacy.min_group),
    )


def _shown_linked(n_linked: int, min_pairs: int) -> int | None:
    """The linked count a change may show: itself from ``min_pairs`` (the larger of the two
    rounds' minimums), else None, whether nobody or a few were linked
    (docs/METHODS.md section 7): a count of 0 beside a hidden one would tell that a few were."""
    return n_linked if n_linked >= min_pairs else None
