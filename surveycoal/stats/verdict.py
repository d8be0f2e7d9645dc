"""The verdict rule for changes and group differences (docs/METHODS.md section 8).

One rule, decided once in the result scoring returns; terminal, JSON and reports only show
the code and its marker.
"""

from __future__ import annotations

import math
from enum import StrEnum

from surveycoal.stats.constants import DEFAULT_MID, MIN_N_TEST


class Verdict(StrEnum):
    """Every verdict a change or a group difference can get (docs/METHODS.md section 8).

    The members are strings, so a verdict compares equal to its code and is written
    to JSON as the code. Group codes are seen from the first group: "higher" means
    the first group scores higher.
    """

    IMPROVED = "improved"
    SLIGHTLY_IMPROVED = "slightly_improved"
    POSSIBLY_IMPROVED = "possibly_improved"
    DECLINED = "declined"
    SLIGHTLY_DECLINED = "slightly_declined"
    POSSIBLY_DECLINED = "possibly_declined"
    NO_DETECTABLE_CHANGE = "no_detectable_change"
    HIGHER = "higher"
    SLIGHTLY_HIGHER = "slightly_higher"
    POSSIBLY_HIGHER = "possibly_higher"
    LOWER = "lower"
    SLIGHTLY_LOWER = "slightly_lower"
    POSSIBLY_LOWER = "possibly_lower"
    NO_DETECTABLE_DIFFERENCE = "no_detectable_difference"
    INCONCLUSIVE = "inconclusive"
    TOO_FEW = "too_few"


#: A change's verdict -> the same verdict for a difference between two groups.
GROUP_VERDICT: dict[Verdict, Verdict] = {
    Verdict.IMPROVED: Verdict.HIGHER,
    Verdict.SLIGHTLY_IMPROVED: Verdict.SLIGHTLY_HIGHER,
    Verdict.POSSIBLY_IMPROVED: Verdict.POSSIBLY_HIGHER,
    Verdict.DECLINED: Verdict.LOWER,
    Verdict.SLIGHTLY_DECLINED: Verdict.SLIGHTLY_LOWER,
    Verdict.POSSIBLY_DECLINED: Verdict.POSSIBLY_LOWER,
    Verdict.NO_DETECTABLE_CHANGE: Verdict.NO_DETECTABLE_DIFFERENCE,
}


#: Verdicts that hold only before the correction for several dimensions (Holm): the
#: interval leaves out zero, the adjusted test does not. They carry the Holm footnote.
POSSIBLY: frozenset[Verdict] = frozenset(
    {
        Verdict.POSSIBLY_IMPROVED,
        Verdict.POSSIBLY_DECLINED,
        Verdict.POSSIBLY_HIGHER,
        Verdict.POSSIBLY_LOWER,
    }
)


#: Group verdicts in which the first group scores higher, and the second.
FIRST_HIGHER: frozenset[Verdict] = frozenset(
    {Verdict.HIGHER, Verdict.SLIGHTLY_HIGHER, Verdict.POSSIBLY_HIGHER}
)


SECOND_HIGHER: frozenset[Verdict] = frozenset(
    {Verdict.LOWER, Verdict.SLIGHTLY_LOWER, Verdict.POSSIBLY_LOWER}
)


#: Decimals an interval is printed with wherever a verdict stands beside it; the
#: verdict reads the interval rounded this way (docs/METHODS.md section 8).
VERDICT_DIGITS = 0


#: The marker of a verdict that does not survive the Holm correction.
HOLM_NOTE = "holm"


def printed_excludes_zero(low: float, high: float, digits: int = VERDICT_DIGITS) -> bool:
    """True when the interval, rounded as printed, leaves out zero.

    Rounding is Python's number formatting (half to even), the same as every output
    uses, so "0 to +12" is never called a change.

    Examples
    --------
    >>> printed_excludes_zero(0.03, 12.0), printed_excludes_zero(0.6, 12.0)
    (False, True)
    >>> printed_excludes_zero(-5.5, -0.5), printed_excludes_zero(-5.5, -0.51)
    (False, True)
    """
    if not (math.isfinite(low) and math.isfinite(high)):
        return False
    return float(f"{low:.{digits}f}") > 0 or float(f"{high:.{digits}f}") < 0


def change_verdict(
    diff: float,
    p_adjusted: float,
    ci_low: float,
    ci_high: float,
    *,
    n_before: int,
    n_after: int,
    mid: float = DEFAULT_MID,
    robust_p_adjusted: float | None = None,
    alpha: float = 0.05,
    groups: bool = False,
) -> Verdict:
    """The verdict of a change or a group difference (docs/METHODS.md section 8).

    In this order: "too_few" when a side has n < 5; "inconclusive" when a figure is
    undefined or the robustness check disagrees with the adjusted primary test;
    "improved"/"declined" when the adjusted p is below alpha and the interval, as
    printed, leaves out 0 ("slightly_..." when |diff| < mid); "possibly_..." when the
    printed interval leaves out 0 but the adjusted p does not hold; else
    "no_detectable_change". With ``groups`` the codes are those of a difference
    (first - second): "higher", "lower", "no_detectable_difference", ...

    Examples
    --------
    >>> str(change_verdict(8.0, 0.01, 3.0, 13.0, n_before=12, n_after=14))
    'improved'
    >>> str(change_verdict(-3.0, 0.04, -5.5, -0.6, n_before=30, n_after=30))
    'slightly_declined'
    >>> str(change_verdict(-16.0, 0.09, -27.0, -4.0, n_before=12, n_after=14))
    'possibly_declined'
    >>> str(change_verdict(2.0, 0.40, -8.0, 12.0, n_before=12, n_after=14))
    'no_detectable_change'
    >>> str(change_verdict(15.0, 0.12, 2.0, 28.0, n_before=9, n_after=8, groups=True))
    'possibly_higher'
    """
    verdict = _change_verdict(
        diff,
        p_adjusted,
        ci_low,
        ci_high,
        n_before=n_before,
        n_after=n_after,
        mid=mid,
        robust_p_adjusted=robust_p_adjusted,
        alpha=alpha,
    )
    return GROUP_VERDICT.get(verdict, verdict) if groups else verdict


def _change_verdict(
    diff: float,
    p_adjusted: float,
    ci_low: float,
    ci_high: float,
    *,
    n_before: int,
    n_after: int,
    mid: float,
    robust_p_adjusted: float | None,
    alpha: float,
) -> Verdict:
    if n_before < MIN_N_TEST or n_after < MIN_N_TEST:
        return Verdict.TOO_FEW
    if not all(math.isfinite(v) for v in (diff, p_adjusted, ci_low, ci_high)):
        return Verdict.INCONCLUSIVE
    holds = p_adjusted < alpha
    if robust_p_adjusted is not None and math.isfinite(robust_p_adjusted):
        if holds != (robust_p_adjusted < alpha):
            return Verdict.INCONCLUSIVE
    if not printed_excludes_zero(ci_low, ci_high):
        return Verdict.NO_DETECTABLE_CHANGE
    if not holds:
        return Verdict.POSSIBLY_IMPROVED if diff > 0 else Verdict.POSSIBLY_DECLINED
    slight = abs(diff) < mid
    if diff > 0:
        return Verdict.SLIGHTLY_IMPROVED if slight else Verdict.IMPROVED
    return Verdict.SLIGHTLY_DECLINED if slight else Verdict.DECLINED


def verdict_note(verdict: str) -> str | None:
    """The marker a verdict carries: "holm" for a verdict that the correction took away."""
    return HOLM_NOTE if verdict in POSSIBLY else None


def higher_side(verdict: str, first: str, second: str) -> str | None:
    """Which group scores higher according to a group verdict, or None when neither."""
    if verdict in FIRST_HIGHER:
        return first
    if verdict in SECOND_HIGHER:
        return second
    return None
