"""Tests of surveycoal.stats.verdict: the verdict rule (docs/METHODS.md section 8)."""

from __future__ import annotations

import pytest

import surveycoal.stats as S


@pytest.mark.parametrize(
    ("args", "kwargs", "verdict"),
    [
        ((8.0, 0.01, 2.0, 14.0), {"n_before": 4, "n_after": 20}, "too_few"),
        ((8.0, 0.01, 2.0, 14.0), {"n_before": 12, "n_after": 12}, "improved"),
        ((3.0, 0.01, 1.0, 5.0), {"n_before": 40, "n_after": 40}, "slightly_improved"),
        ((-9.0, 0.001, -14.0, -4.0), {"n_before": 12, "n_after": 12}, "declined"),
        ((-2.0, 0.03, -3.9, -0.6), {"n_before": 40, "n_after": 40}, "slightly_declined"),
        # printed "-4 to 0": the interval as shown holds zero, whatever the p-value says
        ((-2.0, 0.03, -3.9, -0.1), {"n_before": 40, "n_after": 40}, "no_detectable_change"),
        ((6.0, 0.03, 0.03, 12.0), {"n_before": 12, "n_after": 12}, "no_detectable_change"),
        # the interval leaves out zero, the Holm-adjusted p does not hold
        ((-16.0, 0.09, -27.0, -4.0), {"n_before": 12, "n_after": 12}, "possibly_declined"),
        ((15.0, 0.12, 2.0, 28.0), {"n_before": 12, "n_after": 12}, "possibly_improved"),
        ((2.0, 0.40, -8.0, 12.0), {"n_before": 12, "n_after": 12}, "no_detectable_change"),
        ((8.0, 0.20, -1.0, 17.0), {"n_before": 12, "n_after": 12}, "no_detectable_change"),
        (
            (8.0, 0.01, 2.0, 14.0),
            {"n_before": 12, "n_after": 12, "robust_p_adjusted": 0.2},
            "inconclusive",
        ),
        (
            (8.0, 0.20, -1.0, 17.0),
            {"n_before": 12, "n_after": 12, "robust_p_adjusted": 0.01},
            "inconclusive",
        ),
        ((6.0, 0.01, 2.0, 10.0), {"n_before": 12, "n_after": 12, "mid": 10.0}, "slightly_improved"),
    ],
)
def test_change_verdicts(args, kwargs, verdict) -> None:
    """docs/METHODS.md section 8: verdict words (never "unchanged")."""
    assert S.change_verdict(*args, **kwargs) == verdict
    assert verdict in S.VERDICTS
    group = S.change_verdict(*args, **kwargs, groups=True)
    assert group == S.GROUP_VERDICT.get(S.Verdict(verdict), verdict)
    assert (S.verdict_note(verdict) == "holm") == verdict.startswith("possibly")


def test_verdict_reads_the_interval_as_printed() -> None:
    """docs/METHODS.md section 8: rounded as Python formats it, half to even."""
    assert not S.printed_excludes_zero(0.03, 12.0)  # "0 to +12"
    assert not S.printed_excludes_zero(0.5, 12.0)  # "0 to +12" (half to even)
    assert S.printed_excludes_zero(0.51, 12.0)  # "+1 to +12"
    assert not S.printed_excludes_zero(-8.0, -0.5)
    assert S.printed_excludes_zero(-8.0, -1.49)
    assert not S.printed_excludes_zero(float("nan"), 3.0)


def test_group_verdicts_name_the_higher_side() -> None:
    assert S.higher_side("possibly_higher", "a", "b") == "a"
    assert S.higher_side("slightly_lower", "a", "b") == "b"
    assert S.higher_side("no_detectable_difference", "a", "b") is None
    assert S.higher_side("inconclusive", "a", "b") is None
