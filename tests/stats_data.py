"""Reference data sets of the golden numbers in docs/METHODS.md sections 2 to 5.

The tests of surveycoal.stats import them with ``from stats_data import ...``.
"""

from __future__ import annotations

import numpy as np

# Student's sleep data (R datasets::sleep), extra hours of sleep under two drugs, paired by ID.
SLEEP_1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
SLEEP_2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]

# pingouin's `cronbach_wide_missing` data set (12 respondents x 11 binary items, from
# real-statistics.com), reconstructed exactly: it reproduces both pingouin goldens.
CRONBACH_WIDE_MISSING = np.array(
    [
        [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
        [1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 0],
        [np.nan, 0, 1, 1, np.nan, 1, 1, 1, 1, 0, 0],
        [1, 1, 1, 0, 1, 1, 0, 1, 1, 0, 0],
        [1, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0],
        [0, 1, np.nan, 0, 1, 1, 1, 1, 0, 0, 0],
        [1, 1, 1, 1, 0, 0, 1, 0, 0, 0, 0],
        [1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0],
        [0, 1, 0, 1, 1, 0, 0, 0, 0, 1, 0],
        [1, 0, 0, 1, 0, 1, 0, 0, np.nan, 0, 0],
        [1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0],
        [1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0],
    ]
)

# pingouin's `icc` data set: 8 wines rated by 4 judges (columns A-D).
ICC_WINES = {
    "A": [1, 1, 3, 6, 6, 7, 8, 9],
    "B": [2, 3, 8, 4, 5, 5, 7, 9],
    "C": [0, 3, 1, 3, 5, 6, 7, 9],
    "D": [1, 2, 4, 3, 6, 2, 9, 8],
}

# Cliff's delta golden (R effsize::cliff.delta), also the Brunner-Munzel and equality index data.
CLIFF_X = [10, 10, 20, 20, 20, 30, 30, 30, 40, 50]
CLIFF_Y = [10, 20, 30, 40, 40, 50]

# The median's and the mean's interval goldens (scipy quantile_test, ttest_1samp).
MEDIAN_DATA = [2.5, 3, 3.25, 3.5, 3.5, 3.75, 4, 4.25, 4.5]

# Derrick et al. (2017), R Partiallyoverlapping: two samples with eight pairs between them.
PO_A_UNPAIRED = [20, 21, 16, 18, 14, 12, 14, 17]
PO_A_PAIRED = [14, 15, 18, 20, 11, 19, 14, 15]
PO_B_UNPAIRED = [10, 16, 18, 16, 15, 14, 13, 10]
PO_B_PAIRED = [15, 10, 15, 17, 13, 19, 12, 13]


def beside(values, rng: np.random.Generator, n: int | None = None) -> np.ndarray:
    """The values as column 0 of a three-column matrix; the other columns are noise with gaps.

    The vectorised functions get a golden data set beside others, so a test shows that a
    column never borrows from its neighbours. With ``n`` the column is padded with NaN.
    """
    col = np.asarray(values, dtype=float)
    noise = rng.integers(0, 9, size=(col.size if n is None else n, 2)) * 12.5
    noise[rng.random(noise.shape) < 0.2] = np.nan
    if n is not None and n != col.size:
        col = np.concatenate([col, np.full(n - col.size, np.nan)])
    return np.column_stack([col, noise])
