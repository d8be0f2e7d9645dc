"""Every threshold and default of the method in one place.

The smallest groups a statistic runs on (docs/METHODS.md sections 2 to 5), the seed and
the number of resamples of every resampling (docs/METHODS.md section 0), the default
smallest change that matters, and the codes (verdicts, reliability flags, answer bands)
that results carry and reports translate.
"""

from __future__ import annotations

#: Seed used when a caller does not give one (reports must be reproducible).
DEFAULT_SEED = 20_251_123

#: Resamples for permutation tests (docs/METHODS.md section 0).
N_RESAMPLES = 9_999

#: Random data sets simulated for the rwg(j) random-answer cut-off.
N_RWG_SIMULATIONS = 10_000

#: Smallest n for a coalition's own Cronbach's alpha (docs/METHODS.md section 2).
MIN_N_ALPHA = 20

#: Smallest n a round needs before a change is tested (docs/METHODS.md section 4).
MIN_N_TEST = 5

#: Under this many in a group the gap is tested by permutation, not Brunner-Munzel.
MIN_N_BRUNNER_MUNZEL = 10

#: Default smallest change that matters, in points on 0-100 (docs/METHODS.md section 4).
DEFAULT_MID = 5.0

#: Verdict codes of a change between rounds; reports translate them into words.
VERDICTS = (
    "too_few",
    "improved",
    "slightly_improved",
    "declined",
    "slightly_declined",
    "possibly_improved",
    "possibly_declined",
    "no_detectable_change",
    "inconclusive",
)

#: Reliability flag codes (docs/METHODS.md section 2).
RELIABILITY_FLAGS = ("imprecise", "not_a_scale", "questionable", "check_reverse_keying")

#: The answer bands of an item or a score, lowest first (docs/METHODS.md section 3).
BANDS = ("disagree", "neutral", "agree")

#: Fewer linked pairs than this cannot estimate their correlation: test as unlinked.
MIN_LINKED_PAIRS = 3

#: Up to this many respondents the Kruskal-Wallis p comes from permutations.
KRUSKAL_PERMUTATION_MAX_N = 300
