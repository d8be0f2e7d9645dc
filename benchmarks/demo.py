"""Time the demo, the README's main job: build, answer, score and report a programme.

Target: under 30 s on two cores. Prints the wall time of each run and the load the
machine was under (a shared machine's load makes one run unreliable: take several).

Run from the project root::

    python benchmarks/demo.py
    python benchmarks/demo.py --runs 3
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

# Run the numerical libraries as the command line does; before numpy is imported.
from surveycoal.threads import prefer_single_threaded_blas  # noqa: E402

prefer_single_threaded_blas()

from surveycoal.demo import build_demo  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1, help="how many times to build the demo")
    args = parser.parse_args(argv)
    for run in range(1, args.runs + 1):
        with tempfile.TemporaryDirectory() as folder:
            load = os.getloadavg()[0]
            start = time.perf_counter()
            result = build_demo(Path(folder) / "surveycoal-demo")
            seconds = time.perf_counter() - start
            print(
                f"run {run}: demo built and {len(result.reports)} reports written in "
                f"{seconds:.1f} s (load average {load:.1f}; target under 30 s)"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
