"""How many threads the numerical libraries may use.

surveycoal's matrix work is many small products (a permutation test multiplies a
matrix of about 16 x 80 by 80 x 9,999). Spreading such a product over threads
gains little and loses much: on a quiet two-core machine two BLAS threads made
``compare_rounds`` about 10% faster (benchmarks/score.py, 1,000 changes: 2.6 s
against 2.9 s), but with other work on the machine they made it two to six times
slower (50 coalitions: 1.8-6.3 s against 0.9-1.9 s).

The command line therefore asks for one BLAS thread unless the user has chosen
otherwise. The setting must be made before numpy is first imported, which is why
it lives here, in a module that imports nothing heavy.
"""

from __future__ import annotations

import os
from collections.abc import MutableMapping

#: The variables that OpenBLAS, MKL and OpenMP read when they start.
THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "OMP_NUM_THREADS")


def prefer_single_threaded_blas(environ: MutableMapping[str, str] | None = None) -> None:
    """Ask for one thread in each numerical library, leaving any choice already made.

    >>> env = {"OMP_NUM_THREADS": "4"}
    >>> prefer_single_threaded_blas(env)
    >>> env == {"OMP_NUM_THREADS": "4", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    True
    """
    target = os.environ if environ is None else environ
    for name in THREAD_VARIABLES:
        target.setdefault(name, "1")
