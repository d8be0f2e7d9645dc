"""Statistics for small coalitions: the method of docs/METHODS.md sections 0 to 8.

The package re-exports every public name of its modules, so ``from surveycoal import stats``
and ``stats.holm`` keep working.
"""

from __future__ import annotations

from surveycoal.stats.ttests import *  # noqa: F403
from surveycoal.stats.ttests import (  # noqa: F401
    KRUSKAL_PERMUTATION_MAX_N,
    MIN_LINKED_PAIRS,
    MIN_N_BRUNNER_MUNZEL,
    N_RWG_SIMULATIONS,
    _noncentrality_for_power,
)
