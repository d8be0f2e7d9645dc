"""Permutation tests, vectorised over resamples (docs/METHODS.md sections 0, 4, 5 and 6).

Every resampling is seeded (``DEFAULT_SEED`` unless told) and draws from
``numpy.random.default_rng``, so the same seed gives the same answer; the relabellings of
small groups are cached and shared by every dimension.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np

from surveycoal.stats.constants import DEFAULT_SEED, N_RESAMPLES
from surveycoal.stats.ttests import change_design

#: Relabelling matrices for up to this many observations are cached (about 8 MB each at most).
_CACHED_MAX_N = 200
#: The cached relabelling matrices together stay under this many bytes. A national
#: programme's member-type gaps and changes need about a hundred group sizes of 10 to 40,
#: about 1 MB each; the least recently used matrix goes first.
_LABEL_CACHE_BYTES = 160 * 2**20
_LABELS: OrderedDict[tuple[int, int, int, int], np.ndarray] = OrderedDict()


def _label_matrix(n_first: int, n_second: int, n_resamples: int, seed: int) -> np.ndarray:
    """Random relabellings: row r is 1.0 where observation j goes to the second group."""
    if n_first + n_second > _CACHED_MAX_N:
        return _new_label_matrix(n_first, n_second, n_resamples, seed)
    key = (n_first, n_second, n_resamples, seed)
    labels = _LABELS.get(key)
    if labels is not None:
        _LABELS.move_to_end(key)
        return labels
    labels = _new_label_matrix(n_first, n_second, n_resamples, seed)
    _LABELS[key] = labels
    held = sum(m.nbytes for m in _LABELS.values())
    while held > _LABEL_CACHE_BYTES and len(_LABELS) > 1:
        _, dropped = _LABELS.popitem(last=False)
        held -= dropped.nbytes
    return labels


def _new_label_matrix(n_first: int, n_second: int, n_resamples: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng([seed, 1, n_first, n_second])
    base = np.zeros((n_resamples, n_first + n_second), dtype=np.float32)
    base[:, n_first:] = 1.0
    labels = rng.permuted(base, axis=1)
    labels.setflags(write=False)
    return labels


def _swap_matrix(n_pairs: int, n_resamples: int, seed: int) -> np.ndarray:
    """Random within-pair swaps: 1.0 where pair j trades its two observations."""
    if n_pairs <= _CACHED_MAX_N:
        return _cached_swap_matrix(n_pairs, n_resamples, seed)
    return _new_swap_matrix(n_pairs, n_resamples, seed)


@lru_cache(maxsize=64)
def _cached_swap_matrix(n_pairs: int, n_resamples: int, seed: int) -> np.ndarray:
    return _new_swap_matrix(n_pairs, n_resamples, seed)


def _new_swap_matrix(n_pairs: int, n_resamples: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng([seed, 2, n_pairs])
    swaps = rng.integers(0, 2, size=(n_resamples, n_pairs)).astype(np.float32)
    swaps.setflags(write=False)
    return swaps


def permutation_change_p(
    before_linked: np.ndarray,
    after_linked: np.ndarray,
    before_unlinked: np.ndarray,
    after_unlinked: np.ndarray,
    *,
    n_resamples: int = N_RESAMPLES,
    seed: int = DEFAULT_SEED,
) -> np.ndarray:
    """Permutation p of mean(after) - mean(before), for several columns at once.

    Under "no change" a linked pair may trade its two answers and unlinked answers
    may trade rounds. Arrays are 2-D (observations x columns); NaN is left out of the
    means, so one set of relabellings serves every column.

    Returns
    -------
    ndarray
        Two-sided p per column, (1 + #|stat*| >= |stat|) / (n_resamples + 1).
    """
    al = np.atleast_2d(np.asarray(before_linked, dtype=float).T).T
    bl = np.atleast_2d(np.asarray(after_linked, dtype=float).T).T
    au = np.atleast_2d(np.asarray(before_unlinked, dtype=float).T).T
    bu = np.atleast_2d(np.asarray(after_unlinked, dtype=float).T).T
    k = max(al.shape[1], au.shape[1], bl.shape[1], bu.shape[1])

    def parts(v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if v.size == 0:
            return np.zeros((0, k)), np.zeros((0, k))
        ok = ~np.isnan(v)
        return np.where(ok, v, 0.0), ok.astype(float)

    (al0, alm), (bl0, blm), (au0, aum), (bu0, bum) = map(parts, (al, bl, au, bu))
    total_sum = al0.sum(0) + bl0.sum(0) + au0.sum(0) + bu0.sum(0)
    total_n = alm.sum(0) + blm.sum(0) + aum.sum(0) + bum.sum(0)
    observed_sum = bl0.sum(0) + bu0.sum(0)
    observed_n = blm.sum(0) + bum.sum(0)
    base = np.concatenate([observed_sum, observed_n])
    # per resample, the after-round sums (rows :k) and counts (rows k:), resamples along axis 1
    acc = None
    if al0.shape[0]:
        swaps = _swap_matrix(al0.shape[0], n_resamples, seed)
        acc = np.hstack([al0 - bl0, alm - blm]).T.astype(np.float32) @ swaps.T
    if au0.shape[0] and bu0.shape[0]:
        labels = _label_matrix(au0.shape[0], bu0.shape[0], n_resamples, seed)
        pooled = np.hstack([np.vstack([au0, bu0]), np.vstack([aum, bum])])
        relabelled = np.ascontiguousarray(pooled.T, dtype=np.float32) @ labels.T
        acc = relabelled if acc is None else acc + relabelled
        base = base - np.concatenate([bu0.sum(0), bum.sum(0)])
    if acc is None:
        return np.full(k, np.nan)
    acc += base.astype(np.float32)[:, None]
    sum_after, n_after = acc[:k], acc[k:]
    total_sum32 = total_sum.astype(np.float32)[:, None]
    total_n32 = total_n.astype(np.float32)[:, None]
    with np.errstate(invalid="ignore", divide="ignore"):
        observed = observed_sum / observed_n - (total_sum - observed_sum) / (total_n - observed_n)
        resampled = sum_after / n_after - (total_sum32 - sum_after) / (total_n32 - n_after)
    tolerance = 1e-3  # float32 sums of scores on 0-100; real differences are far coarser
    threshold = (np.abs(observed) - tolerance).astype(np.float32)[:, None]
    hits = np.count_nonzero(np.abs(resampled) >= threshold, axis=1)
    p = (hits + 1.0) / (n_resamples + 1.0)
    return np.where(np.isfinite(observed), p, np.nan)


def permutation_change_test(
    before: Any,
    after: Any,
    *,
    before_keys: Sequence[Any] | None = None,
    after_keys: Sequence[Any] | None = None,
    n_resamples: int = N_RESAMPLES,
    seed: int = DEFAULT_SEED,
) -> float:
    """Permutation p of the change after - before (the robustness check of section 4).

    Examples
    --------
    >>> p = permutation_change_test([50, 55, 60, 52, 58], [80, 85, 90, 82, 88], seed=1)
    >>> p < 0.05
    True
    """
    design = change_design(before, after, before_keys, after_keys)
    return float(
        permutation_change_p(
            design.before_linked,
            design.after_linked,
            design.before_unlinked,
            design.after_unlinked,
            n_resamples=n_resamples,
            seed=seed,
        )[0]
    )


def _midranks(v: np.ndarray) -> np.ndarray:
    """Ranks with ties given their mean rank, as ``scipy.stats.rankdata(v, method="average")``.

    Every rank is a whole or half number, so the result is the same to the last bit.
    """
    _, inverse, counts = np.unique(v, return_inverse=True, return_counts=True)
    ends = np.cumsum(counts)
    return (ends - (counts - 1) / 2.0)[inverse.ravel()]


def permutation_delta_p(
    x: np.ndarray, y: np.ndarray, *, n_resamples: int = N_RESAMPLES, seed: int = DEFAULT_SEED
) -> float:
    """Two-sided permutation p of Cliff's delta, relabelling the pooled observations.

    :func:`permutation_delta_columns` on one pair of samples.
    """
    return float(permutation_delta_columns([x], [y], n_resamples=n_resamples, seed=seed)[0])


def permutation_delta_columns(
    xs: Sequence[np.ndarray],
    ys: Sequence[np.ndarray],
    *,
    n_resamples: int = N_RESAMPLES,
    seed: int = DEFAULT_SEED,
) -> np.ndarray:
    """:func:`permutation_delta_p` of several pairs of samples (say, dimensions) at once.

    Pairs of the same sizes share one relabelling matrix, as they would one by one, and
    are resampled with one matrix product. Ranks are whole or half numbers and their
    sums stay far below 2**24, so float32 arithmetic is exact and the result does not
    depend on how the pairs are grouped.
    """
    out = np.full(len(xs), np.nan)
    by_size: dict[tuple[int, int], list[int]] = {}
    for j, (x, y) in enumerate(zip(xs, ys, strict=True)):
        if x.size >= 1 and y.size >= 1:
            by_size.setdefault((int(x.size), int(y.size)), []).append(j)
    for (n1, n2), columns in by_size.items():
        ranks = np.empty((n1 + n2, len(columns)), dtype=np.float32)
        for c, j in enumerate(columns):
            ranks[:, c] = _midranks(np.concatenate([xs[j], ys[j]]))
        labels = _label_matrix(n1, n2, n_resamples, seed)  # 1.0 marks the y group
        rank_sum_y = labels @ ranks
        # delta = (2U - n1 n2) / (n1 n2) with U = (rank sum of x) - n1 (n1 + 1) / 2; midranks
        # make 2U an integer. |2U* - n1 n2| >= |2U - n1 n2| - 0.25 is compared halved, as
        # |rank sum of y* - centre| >= (|2U - n1 n2| - 0.25) / 2: every term is a multiple
        # of 1/8, exact in float32, so this is the same comparison in fewer passes.
        centre = (ranks.sum(axis=0) - n1 * (n1 + 1) / 2.0) - n1 * n2 / 2.0
        observed = np.abs(2.0 * (ranks[:n1].sum(axis=0) - n1 * (n1 + 1) / 2.0) - n1 * n2)
        hits = np.count_nonzero(np.abs(rank_sum_y - centre) >= (observed - 0.25) / 2.0, axis=0)
        out[columns] = (hits + 1.0) / (n_resamples + 1.0)
    return out


@lru_cache(maxsize=8)
def _permutation_indices(n: int, n_resamples: int, seed: int) -> np.ndarray:
    """Random orderings of n positions, one row per resample (shared by all dimensions)."""
    rng = np.random.default_rng([seed, 3, n])
    order = np.argsort(rng.random((n_resamples, n)), axis=1).astype(np.uint16)
    order.setflags(write=False)
    return order
