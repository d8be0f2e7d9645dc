"""Statistics for small coalitions: the method of docs/METHODS.md sections 0 to 8.

Every function here is pure: arrays or DataFrames in, a number, a small frozen
dataclass or a DataFrame out. Nothing here knows about rounds, coalitions or
anonymity; :mod:`surveycoal.scoring` ties the pieces together and
:mod:`surveycoal.privacy` decides what may be shown.

One module a family, each naming the section of the method document it implements:

========================  ==========================================================
``constants``             thresholds, seed, resamples, codes (every section)
``items``                 reverse keying, 0-100 points, dimension scores (section 1)
``reliability``           Cronbach's alpha, Feldt interval, Spearman-Brown (section 2)
``intervals``             mean, median and Wilson intervals, answer bands (section 3)
``agreement``             rwg(j) and the shared-view rule (section 3)
``ttests``                Welch, paired, partially overlapping; panel links (section 4)
``power``                 the smallest detectable change (section 4)
``resampling``            seeded permutation tests (sections 0, 4, 5 and 6)
``effects``               Hedges' g, d_z, Cliff's delta, equality index (sections 4, 5)
``groups``                Brunner-Munzel, the rank test, member-type gaps (section 5)
``multiple``              Holm and Benjamini-Hochberg (sections 4 and 6)
``coalitions``            ICC, Kruskal-Wallis, funnel, rank groups (section 6)
``verdict``               the verdict rule (section 8)
========================  ==========================================================

Every public name is available here as well, so ``from surveycoal import stats`` and
``stats.holm`` work without knowing the module.

Conventions
-----------
* Scores are on 0-100 (:func:`to_points`) before any statistic runs on them.
* "Don't know" is missing (NaN), never the midpoint.
* Each test has one implementation, vectorised over the columns (dimensions) of a
  matrix; the function for one sample or one pair of samples is that implementation
  on one column, so the reference values of docs/METHODS.md sections 1 to 6 hold the code
  that production runs.
* Functions that compare two samples report ``diff = mean(x) - mean(y)``, the
  order of :func:`scipy.stats.ttest_ind`; :func:`change_test` and :func:`change_tests`
  are the exception and report ``after - before`` because that is what a change is.
* Every resampling takes a ``seed`` and draws from ``np.random.default_rng``; the
  same seed gives the same answer.
* Distribution functions come from :mod:`scipy.special` (ufuncs, cheap enough to
  call thousands of times a report); the tests hold every formula to the
  corresponding :mod:`scipy.stats` test run with an explicit ``method=``.
"""

from __future__ import annotations

from surveycoal.stats.agreement import (
    rwg_from_variances,
    rwg_j,
    rwg_random_cutoff,
    shared_view,
)
from surveycoal.stats.coalitions import (
    FUNNEL_COVERAGES,
    ICC,
    Funnel,
    funnel,
    funnel_limits,
    icc_from_arrays,
    icc_oneway,
    kruskal_h,
    kruskal_wallis,
    rank_groups,
)
from surveycoal.stats.constants import (
    BANDS,
    DEFAULT_MID,
    DEFAULT_SEED,
    KRUSKAL_PERMUTATION_MAX_N,
    MIN_LINKED_PAIRS,
    MIN_N_ALPHA,
    MIN_N_BRUNNER_MUNZEL,
    MIN_N_TEST,
    N_RESAMPLES,
    N_RWG_SIMULATIONS,
    RELIABILITY_FLAGS,
    VERDICTS,
)
from surveycoal.stats.effects import (
    CliffsDelta,
    EqualityIndex,
    cliffs_delta,
    cohens_dz,
    delta_columns,
    delta_magnitude,
    dominance,
    equality_index,
    feng_cliff,
    hedges_g,
    pooled_sd,
)
from surveycoal.stats.groups import (
    GapColumns,
    GroupTest,
    brunner_munzel,
    brunner_munzel_from_dominance,
    gap_columns,
    rank_test,
    rank_tests,
)
from surveycoal.stats.intervals import (
    MeanEstimate,
    MedianEstimate,
    band_counts,
    column_moments,
    item_bands,
    mean_ci,
    median_ci,
    order_statistic_ci,
    sorted_median_ci,
    t_interval,
    wilson_ci,
)
from surveycoal.stats.items import (
    DimensionScores,
    dimension_scores,
    min_items_required,
    reverse_key,
    score_matrix,
    to_points,
)
from surveycoal.stats.multiple import (
    benjamini_hochberg,
    holm,
)
from surveycoal.stats.power import (
    detectable_difference,
    detectable_effect,
    noncentrality_for_power,
)
from surveycoal.stats.reliability import (
    Reliability,
    alpha_columns,
    alpha_from_covariance,
    cronbach_alpha,
    dimension_reliability,
    feldt_ci,
    pairwise_covariance,
    reliability_flags,
    reliability_from_covariance,
    spearman_brown,
    two_item_reliability,
)
from surveycoal.stats.resampling import (
    permutation_change_p,
    permutation_change_test,
    permutation_delta_columns,
    permutation_delta_p,
)
from surveycoal.stats.ttests import (
    ChangeColumns,
    ChangeDesign,
    TTest,
    change_design,
    change_test,
    change_tests,
    design_test,
    link_by_key,
    paired_test,
    partially_overlapping_test,
    welch_test,
)
from surveycoal.stats.verdict import (
    FIRST_HIGHER,
    GROUP_VERDICT,
    HOLM_NOTE,
    POSSIBLY,
    SECOND_HIGHER,
    VERDICT_DIGITS,
    Verdict,
    change_verdict,
    higher_side,
    printed_excludes_zero,
    verdict_note,
)

__all__ = [
    "BANDS",
    "DEFAULT_MID",
    "DEFAULT_SEED",
    "KRUSKAL_PERMUTATION_MAX_N",
    "MIN_LINKED_PAIRS",
    "MIN_N_ALPHA",
    "MIN_N_BRUNNER_MUNZEL",
    "MIN_N_TEST",
    "N_RESAMPLES",
    "N_RWG_SIMULATIONS",
    "RELIABILITY_FLAGS",
    "VERDICTS",
    "DimensionScores",
    "dimension_scores",
    "min_items_required",
    "reverse_key",
    "score_matrix",
    "to_points",
    "Reliability",
    "alpha_columns",
    "alpha_from_covariance",
    "cronbach_alpha",
    "dimension_reliability",
    "feldt_ci",
    "pairwise_covariance",
    "reliability_flags",
    "reliability_from_covariance",
    "spearman_brown",
    "two_item_reliability",
    "MeanEstimate",
    "column_moments",
    "MedianEstimate",
    "band_counts",
    "item_bands",
    "mean_ci",
    "median_ci",
    "order_statistic_ci",
    "sorted_median_ci",
    "t_interval",
    "wilson_ci",
    "rwg_from_variances",
    "rwg_j",
    "rwg_random_cutoff",
    "shared_view",
    "ChangeColumns",
    "ChangeDesign",
    "TTest",
    "change_design",
    "change_test",
    "change_tests",
    "design_test",
    "link_by_key",
    "paired_test",
    "partially_overlapping_test",
    "welch_test",
    "detectable_difference",
    "detectable_effect",
    "noncentrality_for_power",
    "permutation_change_p",
    "permutation_change_test",
    "permutation_delta_columns",
    "permutation_delta_p",
    "CliffsDelta",
    "EqualityIndex",
    "cliffs_delta",
    "cohens_dz",
    "delta_columns",
    "delta_magnitude",
    "dominance",
    "equality_index",
    "feng_cliff",
    "hedges_g",
    "pooled_sd",
    "GapColumns",
    "GroupTest",
    "brunner_munzel",
    "brunner_munzel_from_dominance",
    "gap_columns",
    "rank_test",
    "rank_tests",
    "benjamini_hochberg",
    "holm",
    "Funnel",
    "ICC",
    "FUNNEL_COVERAGES",
    "funnel",
    "funnel_limits",
    "icc_from_arrays",
    "icc_oneway",
    "kruskal_h",
    "kruskal_wallis",
    "rank_groups",
    "FIRST_HIGHER",
    "GROUP_VERDICT",
    "HOLM_NOTE",
    "POSSIBLY",
    "SECOND_HIGHER",
    "VERDICT_DIGITS",
    "Verdict",
    "change_verdict",
    "higher_side",
    "printed_excludes_zero",
    "verdict_note",
]
