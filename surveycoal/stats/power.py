"""The smallest change a design would find (docs/METHODS.md section 4).

Noncentral-t power: the smallest standardised effect and the smallest difference a t test
finds with 80% power at alpha .05.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
from scipy import special
from scipy.optimize import brentq


@lru_cache(maxsize=4096)
def _noncentrality_for_power(df: float, alpha: float, power: float) -> float:
    """Noncentrality at which a two-sided t test on df reaches the power."""
    crit = float(special.stdtrit(df, 1.0 - alpha / 2.0))

    def shortfall(ncp: float) -> float:
        # scipy's nctdtr gives NaN far out in the tails (seen at df=6, ncp near 47):
        # there the upper tail holds all the power and the lower tail none.
        upper = np.nan_to_num(1.0 - special.nctdtr(df, ncp, crit), nan=1.0)
        lower = np.nan_to_num(special.nctdtr(df, ncp, -crit), nan=0.0)
        return float(upper + lower) - power

    if shortfall(60.0) < 0:  # on well under one degree of freedom no design reaches the power
        return math.nan
    return float(brentq(shortfall, 0.0, 60.0, xtol=1e-10))


def detectable_effect(
    n1: int,
    n2: int | None = None,
    *,
    paired: bool = False,
    alpha: float = 0.05,
    power: float = 0.80,
) -> float:
    """Smallest standardised effect a t test finds with the given power (noncentral t).

    Independent: d for groups of n1 and n2 (n2 = n1 if not given). Paired: d_z for n1 pairs.

    Examples
    --------
    >>> [round(detectable_effect(n), 2) for n in (10, 20, 40)]
    [1.32, 0.91, 0.63]
    >>> [round(detectable_effect(n, paired=True), 2) for n in (10, 20, 40)]
    [1.0, 0.66, 0.45]
    """
    if paired:
        if n1 < 2:
            return math.nan
        return _noncentrality_for_power(float(n1 - 1), alpha, power) / math.sqrt(n1)
    n2 = n1 if n2 is None else n2
    if n1 < 1 or n2 < 1 or n1 + n2 < 3:
        return math.nan
    return _noncentrality_for_power(float(n1 + n2 - 2), alpha, power) * math.sqrt(1 / n1 + 1 / n2)


def detectable_difference(
    se: float, df: float, *, alpha: float = 0.05, power: float = 0.80
) -> float:
    """Smallest difference (in the units of ``se``) a t test with this SE and df finds with the power."""
    if not (math.isfinite(se) and math.isfinite(df) and df > 0 and se > 0):
        return math.nan
    return noncentrality_for_power(float(df), alpha=alpha, power=power) * se


def noncentrality_for_power(df: float, *, alpha: float = 0.05, power: float = 0.80) -> float:
    """Noncentrality a two-sided t test on ``df`` needs for the power.

    Solved exactly (and cached) at integer df and interpolated linearly between them,
    which is accurate to about 1e-4 and keeps thousands of calls cheap.
    """
    if df < 1:
        return _noncentrality_for_power(float(df), alpha, power)
    low = math.floor(df)
    frac = df - low
    k_low = _noncentrality_for_power(float(low), alpha, power)
    if frac == 0:
        return k_low
    return k_low + frac * (_noncentrality_for_power(float(low + 1), alpha, power) - k_low)
