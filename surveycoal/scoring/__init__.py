"""Score rounds, compare them, and lay coalitions side by side.

This is what the command line, the JSON output, the exports and the HTML reports
call. It ties :mod:`surveycoal.stats` (the method of docs/METHODS.md sections 1 to 8) to
:class:`~surveycoal.rounddata.RoundData` and applies the anonymity rules of
:mod:`surveycoal.privacy` *inside* every result, so that nothing built from these
objects can show a group under the round's minimum:

* a round with fewer than ``min_group`` responses shows no dimension numbers;
* member-type cells follow complementary suppression and differencing protection;
* the gap between member types needs both groups shown (and n >= 5 each);
* item distributions need ``min_item_distribution`` answers (10);
* a suppressed figure is ``None`` (JSON ``null``), its n included, and a
  ``suppressed_reason`` code says why.

Where each family lives
-----------------------
``results``      the frozen result dataclasses (:class:`RoundScores`, :class:`RoundChange`, ...)
``json``         :func:`~surveycoal.scoring.json.to_plain`: a result as plain JSON data
``kept``         :func:`kept_round_scores`: a purged round's kept JSON read back
``prepared``     a round's answers read into arrays, :func:`respondent_scores`
``round``        :func:`score_round`
``reliability``  :func:`pool_reliability`, :func:`pooled_reliability`
``change``       :func:`compare_rounds`
``groups``       :func:`compare_groups`, :func:`compare_member_types`
``programme``    :func:`score_programme`
``tables``       :func:`responses_for_export`, :func:`codebook`

Every result object has ``to_json()`` returning plain, ``json.dumps(allow_nan=False)``-safe data.
"""

from __future__ import annotations

from surveycoal.scoring.change import compare_rounds
from surveycoal.scoring.groups import compare_groups, compare_member_types
from surveycoal.scoring.kept import kept_round_scores
from surveycoal.scoring.prepared import respondent_scores
from surveycoal.scoring.programme import score_programme
from surveycoal.scoring.reliability import pool_reliability, pooled_reliability
from surveycoal.scoring.results import (
    DEFAULT_SEED,
    GROUP_VERDICTS,
    PROFESSIONAL,
    PURGED_REASON,
    RESIDENT,
    UNKNOWN_TYPE,
    VERDICT_GROUPS,
    Band,
    CoalitionPosition,
    DimensionChange,
    DimensionScore,
    Gap,
    GroupComparison,
    GroupDifference,
    ItemScore,
    MemberTypeScore,
    OpenAnswers,
    PooledReliability,
    ProgrammeDimension,
    ProgrammeRound,
    ProgrammeScores,
    RoundChange,
    RoundScores,
    verdict_group,
)
from surveycoal.scoring.round import score_round
from surveycoal.scoring.tables import codebook, responses_for_export

__all__ = [
    "DEFAULT_SEED",
    "GROUP_VERDICTS",
    "PROFESSIONAL",
    "PURGED_REASON",
    "RESIDENT",
    "UNKNOWN_TYPE",
    "VERDICT_GROUPS",
    "Band",
    "CoalitionPosition",
    "DimensionChange",
    "DimensionScore",
    "Gap",
    "GroupComparison",
    "GroupDifference",
    "ItemScore",
    "MemberTypeScore",
    "OpenAnswers",
    "PooledReliability",
    "ProgrammeDimension",
    "ProgrammeRound",
    "ProgrammeScores",
    "RoundChange",
    "RoundScores",
    "codebook",
    "compare_groups",
    "compare_member_types",
    "compare_rounds",
    "kept_round_scores",
    "pool_reliability",
    "pooled_reliability",
    "respondent_scores",
    "responses_for_export",
    "score_programme",
    "score_round",
    "verdict_group",
]
