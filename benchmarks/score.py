"""Time scoring at national scale: every round, every consecutive change, every programme view.

Builds a seeded programme directly as RoundData objects (default 200 coalitions x 6
rounds x 40 respondents x 32 items, about 1.5 million answers), then times

1. ``score_round`` on every round,
2. ``compare_rounds`` on every pair of consecutive rounds of a coalition,
3. ``score_programme`` for every round number,

and prints wall time and peak memory (ru_maxrss) per phase and in total.
Target: under 10 s and under 2 GB on two cores.

Run from the project root::

    python benchmarks/score.py
    python benchmarks/score.py --coalitions 20 --rounds 3 --respondents 15
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

# Run the numerical libraries as the command line does (one BLAS thread unless the
# environment says otherwise); this must happen before numpy is imported.
from surveycoal.threads import THREAD_VARIABLES, prefer_single_threaded_blas  # noqa: E402

prefer_single_threaded_blas()

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from surveycoal import scoring  # noqa: E402
from surveycoal.instruments import (  # noqa: E402
    Dimension,
    Instrument,
    Item,
    MemberType,
    PrivacySettings,
    Scale,
)
from surveycoal.rounddata import RoundData  # noqa: E402

DIMENSIONS = (
    "trust",
    "equality",
    "shared_goal",
    "ownership",
    "meeting",
    "knowing",
    "durability",
    "results",
)
MEMBER_TYPES = ("resident_initiative", "welfare_organisation", "municipality", "other")
TYPE_SHARES = np.array([0.45, 0.35, 0.12, 0.08])


def build_instrument() -> Instrument:
    def text(s: str) -> dict[str, str]:
        return {"nl": s, "en": s}

    scale = Scale("agree5", 5, tuple(text(str(i)) for i in range(1, 6)), text("?"))
    items = tuple(
        Item(f"{d}_{j}", d, text(f"{d} {j}"), reverse=(j == 2), scale="agree5")
        for d in DIMENSIONS
        for j in range(1, 5)
    )
    return Instrument(
        id="coalition-monitor",
        version="1.0",
        languages=("nl", "en"),
        title=text("Monitor"),
        intro=text(""),
        scales=(scale,),
        dimensions=tuple(Dimension(d, text(d), text("")) for d in DIMENSIONS),
        items=items,
        member_types=tuple(MemberType(m, text(m)) for m in MEMBER_TYPES),
        privacy=PrivacySettings(),
    )


def build_programme(
    instrument: Instrument, n_coalitions: int, n_rounds: int, n_respondents: int, seed: int
) -> list[list[RoundData]]:
    """Rounds per coalition. Each coalition has a pool of members (1.5 x a round's size);
    every round, a random 40 of them answer and about 70% of those carry a panel key."""
    rng = np.random.default_rng(seed)
    n_items = len(instrument.items)
    item_dim = np.array([DIMENSIONS.index(i.dimension) for i in instrument.items])
    reverse = np.array([i.reverse for i in instrument.items])
    item_ids = list(instrument.item_ids)
    pool = int(n_respondents * 1.5)
    programme = []
    for c in range(n_coalitions):
        name = f"coalition-{c:03d}"
        level = rng.normal(0.0, 0.35, size=len(DIMENSIONS))
        person = rng.normal(0.0, 0.7, size=(pool, len(DIMENSIONS)))
        person_type = rng.choice(len(MEMBER_TYPES), size=pool, p=TYPE_SHARES)
        has_key = rng.random(pool) < 0.7
        keys = np.char.add(f"{name}-", np.arange(pool).astype(str)).astype(object)
        keys[~has_key] = None
        rounds = []
        for r in range(1, n_rounds + 1):
            level = level + rng.normal(0.05, 0.15, size=len(DIMENSIONS))
            who = rng.choice(pool, size=n_respondents, replace=False)
            latent = level + person[who] + rng.normal(0, 0.2, size=(n_respondents, len(level)))
            raw = np.clip(
                np.rint(
                    3.3 + latent[:, item_dim] + rng.normal(0, 0.7, size=(n_respondents, n_items))
                ),
                1,
                5,
            )
            raw[:, reverse] = 6 - raw[:, reverse]
            dk = rng.random(raw.shape) < 0.04
            raw[dk] = np.nan
            ids = pd.Index(
                np.char.add(f"{name}-r{r}-", np.arange(n_respondents).astype(str)),
                name="response_id",
            )
            responses = pd.DataFrame(
                {
                    "member_type": np.array(MEMBER_TYPES, dtype=object)[person_type[who]],
                    "panel_key": keys[who],
                },
                index=ids,
            )
            rounds.append(
                RoundData(
                    coalition=name,
                    round=r,
                    instrument=instrument,
                    privacy=instrument.privacy,
                    responses=responses,
                    values=pd.DataFrame(raw, index=ids, columns=item_ids),
                    dont_know=pd.DataFrame(dk, index=ids, columns=item_ids),
                    open_answers=pd.DataFrame({"question_id": [], "text": []}),
                    coalition_name=name,
                    programme="Nationaal programma",
                )
            )
        programme.append(rounds)
    return programme


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--coalitions", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--respondents", type=int, default=40)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)

    instrument = build_instrument()
    t0 = time.perf_counter()
    programme = build_programme(
        instrument, args.coalitions, args.rounds, args.respondents, args.seed
    )
    build = time.perf_counter() - t0
    n_rounds = sum(len(r) for r in programme)
    answers = n_rounds * args.respondents * len(instrument.items)
    print(
        f"built {args.coalitions} coalitions x {args.rounds} rounds x {args.respondents} "
        f"respondents x {len(instrument.items)} items = {answers:,} answers "
        f"in {build:.2f} s (not timed below)"
    )
    threads = ", ".join(f"{name}={os.environ[name]}" for name in THREAD_VARIABLES)
    print(f"numerical library threads: {threads}; load average {os.getloadavg()[0]:.1f}")

    phases = []

    def phase(name: str, func) -> object:
        start = time.perf_counter()
        result = func()
        seconds = time.perf_counter() - start
        phases.append((name, seconds))
        print(f"{name:<34} {seconds:7.2f} s   peak {peak_mb():7.0f} MB")
        return result

    scores = phase(
        f"score_round x {n_rounds}",
        lambda: [
            scoring.score_round(data, seed=args.seed) for rounds in programme for data in rounds
        ],
    )
    n_changes = sum(max(len(r) - 1, 0) for r in programme)
    changes = phase(
        f"compare_rounds x {n_changes}",
        lambda: [
            scoring.compare_rounds(a, b, seed=args.seed)
            for rounds in programme
            for a, b in zip(rounds, rounds[1:], strict=False)
        ],
    )
    everything = [data for rounds in programme for data in rounds]
    views = phase(
        f"score_programme x {args.rounds}",
        lambda: [
            scoring.score_programme(everything, round_number=r, seed=args.seed)
            for r in range(1, args.rounds + 1)
        ],
    )
    total = sum(s for _, s in phases)
    print(f"{'total':<34} {total:7.2f} s   peak {peak_mb():7.0f} MB")
    # keep the results alive until the end so the peak is honest
    del scores, changes, views
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
