"""Coalitions of a programme side by side: :func:`score_programme` (docs/METHODS.md section 6)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from surveycoal import privacy as priv
from surveycoal import stats
from surveycoal.errors import InputError
from surveycoal.i18n import _
from surveycoal.rounddata import RoundData
from surveycoal.scoring.prepared import _prepare, _round_gate
from surveycoal.scoring.results import (
    DEFAULT_SEED,
    CoalitionPosition,
    ProgrammeDimension,
    ProgrammeRound,
    ProgrammeScores,
)


def _num(value: Any, digits: int | None = None) -> float | None:
    """A JSON-safe float: numpy scalars converted, NaN and inf become None."""
    if value is None:
        return None
    value = float(value)
    if not math.isfinite(value):
        return None
    return round(value, digits) if digits is not None else value


def _select_rounds(rounds: Sequence[RoundData], round_number: int | None) -> list[RoundData]:
    chosen: dict[str, RoundData] = {}
    for data in rounds:
        if round_number is not None and data.round != round_number:
            continue
        current = chosen.get(data.coalition)
        if current is None or data.round > current.round:
            chosen[data.coalition] = data
    return [chosen[c] for c in sorted(chosen)]


def score_programme(
    rounds: Sequence[RoundData],
    *,
    round_number: int | None = None,
    seed: int = DEFAULT_SEED,
    winsorise: bool = True,
    ci: float = 0.95,
) -> ProgrammeScores:
    """Coalitions side by side per dimension (docs/METHODS.md section 6).

    Parameters
    ----------
    rounds : list of RoundData
        Rounds of the programme's coalitions (several rounds each is fine).
    round_number : int, optional
        Use this round of every coalition; None takes each coalition's latest.
    winsorise : bool
        Winsorise the funnel's z scores (10% each end) before estimating overdispersion.

    Returns
    -------
    ProgrammeScores
        See its docstring for the JSON shape.
    """
    chosen = _select_rounds(rounds, round_number)
    if not chosen:
        raise InputError(
            _("There are no rounds to compare.")
            if round_number is None
            else _("No coalition has a round {number}.").format(number=round_number)
        )
    preps = [_prepare(d) for d in chosen]
    gates = [_round_gate(p) for p in preps]
    dims = [
        d for d in preps[0].layout.dimension_ids if all(d in p.layout.dimension_ids for p in preps)
    ]
    coalitions = tuple(
        ProgrammeRound(
            d.coalition,
            int(d.round),
            None if g.suppressed and d.n_responses else d.n_responses,
            g.suppressed,
            g.reason,
        )
        for d, g in zip(chosen, gates, strict=True)
    )
    names = [d.coalition for d in chosen]
    per_dim = []
    for dim in dims:
        cols = [p.scores[:, p.layout.dimension_ids.index(dim)] for p in preps]
        per_dim.append(_programme_dimension(dim, chosen, cols, gates, names, seed, winsorise, ci))
    # Benjamini-Hochberg over every programme-wide screen
    screens = [c["screen_p"] for d in per_dim for c in d["rows"]]
    adjusted = iter(stats.benjamini_hochberg(np.array(screens, dtype=float)))
    kw_adjusted = stats.benjamini_hochberg(
        [d["kruskal"].p if d["kruskal"] else np.nan for d in per_dim]
    )
    out = []
    for j, d in enumerate(per_dim):
        positions = []
        for row in d["rows"]:
            p_adj = next(adjusted)
            positions.append(CoalitionPosition(**{**row, "screen_p_adjusted": _num(p_adj)}))
        out.append(
            ProgrammeDimension(
                d["id"],
                d["n_coalitions"],
                d["icc"],
                d["kruskal"],
                _num(kw_adjusted[j]),
                d["centre"],
                d["sigma"],
                d["phi"],
                d["tau2"],
                tuple(positions),
                mean=d["mean"],
                ci_low=d["ci_low"],
                ci_high=d["ci_high"],
            )
        )
    programme = chosen[0].programme
    return ProgrammeScores(programme, round_number, coalitions, tuple(out), seed)


def _clip(value: float) -> float:
    return float(min(100.0, max(0.0, value)))


def _programme_dimension(
    dim: str,
    chosen: Sequence[RoundData],
    cols: Sequence[np.ndarray],
    gates: Sequence[priv.CellDecision],
    names: Sequence[str],
    seed: int,
    winsorise: bool,
    ci: float,
) -> dict[str, Any]:
    ns = np.array([int(np.sum(~np.isnan(c))) for c in cols])
    decisions = [
        gate if gate.suppressed else priv.cell_decision(int(n), data.privacy.min_group)
        for gate, n, data in zip(gates, ns, chosen, strict=True)
    ]
    shown = [i for i, d in enumerate(decisions) if d.shown]
    means = np.full(len(cols), np.nan)
    sds = np.full(len(cols), np.nan)
    for i in shown:
        v = cols[i][~np.isnan(cols[i])]
        means[i] = v.mean()
        sds[i] = v.std(ddof=1) if v.size > 1 else np.nan
    low, high = stats.t_interval(ns, means, sds, ci=ci)
    icc = kw = None
    fun = None
    groups = None
    if len(shown) >= 2:
        values = np.concatenate([cols[i][~np.isnan(cols[i])] for i in shown])
        codes = np.concatenate([np.full(ns[i], j) for j, i in enumerate(shown)])
        icc = stats.icc_from_arrays(values, codes, len(shown))
        frame = pd.DataFrame({"score": values, "coalition": codes})
        kw = stats.kruskal_wallis(frame, dv="score", group="coalition", seed=seed)
        sigma = math.sqrt(icc.ms_within) if math.isfinite(icc.ms_within) else math.nan
        if math.isfinite(sigma) and sigma > 0:
            fun = stats.funnel(means[shown], ns[shown], sigma=sigma, winsorise=winsorise)
        groups = stats.rank_groups(means[shown], sds[shown], ns[shown])
    rows = []
    position = {i: j for j, i in enumerate(shown)}
    table = {c: fun.table[c].to_numpy() for c in fun.table.columns} if fun is not None else None
    group_of = groups["group"].to_numpy() if groups is not None else None
    for i, name in enumerate(names):
        d = decisions[i]
        base = {"coalition": name, "round": int(chosen[i].round)}
        if d.suppressed:
            rows.append(
                {
                    **base,
                    "n": None,
                    "mean": None,
                    "ci_low": None,
                    "ci_high": None,
                    "lower95": None,
                    "upper95": None,
                    "lower998": None,
                    "upper998": None,
                    "position95": None,
                    "position998": None,
                    "screen_p": None,
                    "group": None,
                    "suppressed": True,
                    "suppressed_reason": d.reason,
                }
            )
            continue
        j = position[i]
        row = {
            **base,
            "n": int(ns[i]),
            "mean": float(means[i]),
            "ci_low": _num(low[i]),
            "ci_high": _num(high[i]),
            "suppressed": False,
            "suppressed_reason": None,
        }
        if table is not None:
            # limits shown on the scale; positions were decided before clipping
            row.update(
                lower95=_clip(table["lower95"][j]),
                upper95=_clip(table["upper95"][j]),
                lower998=_clip(table["lower998"][j]),
                upper998=_clip(table["upper998"][j]),
                position95=str(table["position95"][j]),
                position998=str(table["position998"][j]),
                screen_p=float(table["p"][j]),
            )
        else:
            row.update(
                lower95=None,
                upper95=None,
                lower998=None,
                upper998=None,
                position95=None,
                position998=None,
                screen_p=None,
            )
        row["group"] = str(group_of[j]) if group_of is not None else None
        rows.append(row)
    overall = stats.mean_ci(means[shown]) if len(shown) >= 2 else None
    return {
        "id": dim,
        "n_coalitions": len(shown),
        "mean": overall.mean if overall else None,
        "ci_low": _num(overall.ci_low) if overall else None,
        "ci_high": _num(overall.ci_high) if overall else None,
        "icc": icc,
        "kruskal": kw,
        "centre": fun.centre if fun else None,
        "sigma": fun.sigma if fun else None,
        "phi": fun.phi if fun else None,
        "tau2": fun.tau2 if fun else None,
        "rows": rows,
    }
