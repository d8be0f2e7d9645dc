"""Corrections for several tests at once (docs/METHODS.md sections 4 and 6).

Holm's step-down adjustment for the dimensions of one comparison, Benjamini-Hochberg for
screens over a whole programme.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import stats


def holm(pvalues: Any) -> np.ndarray:
    """Holm's step-down adjustment; NaN entries are left out and stay NaN.

    Examples
    --------
    >>> holm([0.01, 0.02, 0.03, 0.04, 0.05]).round(2).tolist()
    [0.05, 0.08, 0.09, 0.09, 0.09]
    """
    p = np.asarray(pvalues, dtype=float).ravel()
    out = np.full(p.shape, np.nan)
    ok = np.flatnonzero(~np.isnan(p))
    m = ok.size
    if m == 0:
        return out
    order = ok[np.argsort(p[ok], kind="stable")]
    stepped = p[order] * (m - np.arange(m))
    out[order] = np.minimum(np.maximum.accumulate(stepped), 1.0)
    return out


def benjamini_hochberg(pvalues: Any) -> np.ndarray:
    """Benjamini-Hochberg adjustment (``scipy.stats.false_discovery_control``); NaN kept.

    Examples
    --------
    >>> benjamini_hochberg([0.01, 0.02, 0.03, 0.04, 0.05]).round(2).tolist()
    [0.05, 0.05, 0.05, 0.05, 0.05]
    """
    p = np.asarray(pvalues, dtype=float).ravel()
    out = np.full(p.shape, np.nan)
    ok = ~np.isnan(p)
    if ok.any():
        out[ok] = stats.false_discovery_control(p[ok], method="bh")
    return out
