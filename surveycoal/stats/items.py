"""Items and a respondent's dimension score (docs/METHODS.md section 1).

Reverse keying, rescaling to 0-100, the rule for how many items a respondent must answer,
and the respondent x dimension score matrix.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from surveycoal.errors import InputError


def reverse_key(x: Any, *, low: float = 1, high: float = 5) -> Any:
    """Reverse-key answers on a ``low..high`` scale: ``x' = (low + high) - x``.

    Works on numbers, arrays, Series and DataFrames; missing stays missing.

    Examples
    --------
    >>> reverse_key(2)
    4
    >>> reverse_key(reverse_key(2.0))
    2.0
    """
    if high <= low:
        raise InputError(f"A scale needs high > low, got {low}..{high}.")
    return (low + high) - x


def min_items_required(n_items: int) -> int:
    """Items a respondent must answer for a dimension score: max(2, ceil(J/2)), all when J <= 2.

    Examples
    --------
    >>> [min_items_required(j) for j in (1, 2, 3, 4, 5, 6)]
    [1, 2, 2, 2, 3, 3]
    """
    if n_items < 1:
        raise InputError("A dimension needs at least one item.")
    if n_items <= 2:
        return int(n_items)
    return max(2, math.ceil(n_items / 2))


def to_points(x: Any, *, low: float = 1, high: float = 5) -> Any:
    """Rescale answers or means on ``low..high`` to 0-100.

    Examples
    --------
    >>> to_points(3.75)
    68.75
    """
    if high <= low:
        raise InputError(f"A scale needs high > low, got {low}..{high}.")
    return 100.0 * (x - low) / (high - low)


@dataclass(frozen=True)
class DimensionScores:
    """Respondent x dimension scores.

    Attributes
    ----------
    scores : pandas.DataFrame
        0-100; NaN where the respondent answered too few of the dimension's items.
    n_items_used : pandas.DataFrame
        Items each score is built on (0 where none were answered).
    n_items : pandas.Series
        Items in each dimension.
    """

    scores: pd.DataFrame
    n_items_used: pd.DataFrame
    n_items: pd.Series

    @property
    def share_incomplete(self) -> pd.Series:
        """Share of the valid scores that rest on fewer than all of the dimension's items."""
        valid = self.scores.notna()
        short = valid & (self.n_items_used < self.n_items)
        with np.errstate(invalid="ignore", divide="ignore"):
            return short.sum() / valid.sum().replace(0, np.nan)


def score_matrix(
    points: np.ndarray, membership: np.ndarray, required: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Dimension scores from an answers matrix already keyed and on 0-100.

    Parameters
    ----------
    points : ndarray, shape (n, items)
        Answers on 0-100, NaN for missing.
    membership : ndarray of bool, shape (items, dimensions)
        True where an item belongs to a dimension.
    required : ndarray of int, shape (dimensions,)
        Items needed for a score (:func:`min_items_required`).

    Returns
    -------
    scores, used : ndarray, shape (n, dimensions)
        The mean of the answered items (NaN below ``required``) and the item count.
    """
    answered = ~np.isnan(points)
    member = membership.astype(float)
    used = answered.astype(float) @ member
    sums = np.where(answered, points, 0.0) @ member
    with np.errstate(invalid="ignore", divide="ignore"):
        scores = sums / used
    scores[used < required] = np.nan
    return scores, used.astype(np.int64)


def dimension_scores(
    values: pd.DataFrame,
    dimensions: Mapping[str, Sequence[str]],
    *,
    low: float | Mapping[str, float] = 1,
    high: float | Mapping[str, float] = 5,
    reverse: Sequence[str] = (),
) -> DimensionScores:
    """Score every respondent on every dimension (docs/METHODS.md section 1).

    Parameters
    ----------
    values : pandas.DataFrame
        Raw answers, one column per item, NaN for "don't know" and unanswered.
    dimensions : mapping
        Dimension id -> its item ids.
    low, high : number or mapping
        The scale's ends, for all items or per item id.
    reverse : sequence of str
        Items to reverse-key before scoring.

    Returns
    -------
    DimensionScores

    Examples
    --------
    >>> df = pd.DataFrame({"a": [4.0, 2.0, np.nan], "b": [5.0, np.nan, np.nan],
    ...                    "c": [3.0, 2.0, 5.0]})
    >>> res = dimension_scores(df, {"trust": ["a", "b", "c"]}, reverse=["c"])
    >>> res.scores["trust"].round(2).tolist()
    [75.0, 50.0, nan]
    >>> res.n_items_used["trust"].tolist()
    [3, 2, 1]
    """
    items = [item for ids in dimensions.values() for item in ids]
    missing = sorted(set(items) - set(values.columns))
    if missing:
        raise InputError(f"Items not in the answers: {', '.join(missing)}.")
    reverse_set = set(reverse)
    columns = list(dict.fromkeys(items))

    def bound(b: float | Mapping[str, float], item: str) -> float:
        return float(b[item]) if isinstance(b, Mapping) else float(b)

    lows = np.array([bound(low, c) for c in columns])
    highs = np.array([bound(high, c) for c in columns])
    if np.any(highs <= lows):
        raise InputError("Every scale needs high > low.")
    raw = values[columns].to_numpy(dtype=float)
    flip = np.array([c in reverse_set for c in columns])
    keyed = np.where(flip, lows + highs - raw, raw)
    points = 100.0 * (keyed - lows) / (highs - lows)
    index = {c: i for i, c in enumerate(columns)}
    membership = np.zeros((len(columns), len(dimensions)), dtype=bool)
    for k, ids in enumerate(dimensions.values()):
        membership[[index[i] for i in ids], k] = True
    n_items = membership.sum(axis=0)
    required = np.array([min_items_required(int(j)) for j in n_items])
    scores, used = score_matrix(points, membership, required)
    names = list(dimensions)
    return DimensionScores(
        scores=pd.DataFrame(scores, index=values.index, columns=names),
        n_items_used=pd.DataFrame(used, index=values.index, columns=names),
        n_items=pd.Series(n_items, index=names),
    )
