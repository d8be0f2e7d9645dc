"""Score rounds, compare them, and lay coalitions side by side (see :mod:`surveycoal.scoring.round`)."""

from __future__ import annotations

from surveycoal.scoring.round import *  # noqa: F403
from surveycoal.scoring.round import DEFAULT_SEED, UNKNOWN_TYPE, __all__  # noqa: F401
