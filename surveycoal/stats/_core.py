"""Shared checks and small numerical kernels of the statistics package (not public)."""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import special

from surveycoal.errors import InputError


def _check_ci(ci: float) -> float:
    if not 0.0 < float(ci) < 1.0:
        raise InputError(f"A confidence level must lie between 0 and 1, not {ci!r}.")
    return float(ci)


def _vector(x: Any, name: str = "data") -> np.ndarray:
    """A 1-D float array with the missing values dropped."""
    try:
        arr = np.asarray(x, dtype=float).ravel()
    except (TypeError, ValueError) as exc:
        raise InputError(f"{name} must hold numbers only.") from exc
    return arr[~np.isnan(arr)]


def _matrix(data: Any, name: str = "data") -> np.ndarray:
    """A 2-D float array (rows = respondents, columns = items), NaN kept."""
    try:
        arr = np.asarray(data, dtype=float)
    except (TypeError, ValueError) as exc:
        raise InputError(f"{name} must hold numbers only.") from exc
    if arr.ndim != 2:
        raise InputError(f"{name} must be a table of respondents x items.")
    return arr


def _two_sided_quantile(ci: float) -> float:
    return 1.0 - (1.0 - ci) / 2.0


def _t_quantile(df: Any, ci: float) -> Any:
    return special.stdtrit(df, _two_sided_quantile(ci))


def _t_pvalue(t: Any, df: Any) -> Any:
    return 2.0 * special.stdtr(df, -np.abs(t))


def _masked_moments(x: np.ndarray, valid: np.ndarray) -> tuple[np.ndarray, ...]:
    """n, mean, variance (ddof 1) and deviations of every column's valid values.

    A column whose values are all the same has exactly that mean and no spread: summing
    them can leave a rounding error of about 1e-15 in the mean and 1e-30 in the variance,
    which a t test would read as certainty (docs/METHODS.md section 8: no spread, no test).
    """
    n = valid.sum(axis=0).astype(float)
    filled = np.where(valid, x, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = filled.sum(axis=0) / n
        dev = np.where(valid, x - mean, 0.0)
        var = (dev**2).sum(axis=0) / (n - 1)
        # only a variance at rounding level can be a constant column; check those exactly
        if np.any(var <= 1e-20 * mean**2):
            low = np.where(valid, x, np.inf).min(axis=0)
            constant = low == np.where(valid, x, -np.inf).max(axis=0)
            if constant.any():
                mean = np.where(constant, low, mean)
                dev = np.where(valid, x - mean, 0.0)
                var = (dev**2).sum(axis=0) / (n - 1)
    return n, mean, var, dev
