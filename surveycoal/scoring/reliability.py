"""Reliability pooled over a programme's coalitions, for coalitions too small for their own
(docs/METHODS.md section 2).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from surveycoal import stats
from surveycoal.rounddata import RoundData
from surveycoal.scoring.prepared import _layout, _prepare
from surveycoal.scoring.results import PooledReliability


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
