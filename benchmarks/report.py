"""Time the programme report of a large programme: 50 coalitions x 4 rounds by default.

Builds the rounds in memory (seeded, like benchmarks/score.py), then times

1. the context: every round scored, every coalition's change since its first round,
   the programme view, and all charts and tables;
2. rendering the templates;
3. writing the file;
4. printing it to PDF with chromium (skipped with ``--no-pdf`` or without chromium);

and prints wall time, peak memory (ru_maxrss) and the report's size. Targets: the
HTML report in under 3 s and its PDF in under 15 s, on two cores.

Run from the project root::

    python benchmarks/report.py
    python benchmarks/report.py --coalitions 20 --rounds 3 --respondents 15 --out /tmp/p.html
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from score import build_instrument, build_programme  # noqa: E402

from surveycoal.reports.gather import CoalitionData, RoundInfo  # noqa: E402
from surveycoal.reports.programme import programme_context  # noqa: E402
from surveycoal.reports.render import render, write_html  # noqa: E402


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def as_coalitions(programme: list[list]) -> list[CoalitionData]:  # type: ignore[type-arg]
    start = dt.date(2024, 3, 1)
    out = []
    for rounds in programme:
        infos = tuple(
            RoundInfo(
                r.round,
                "closed",
                start + dt.timedelta(days=182 * (r.round - 1)),
                start + dt.timedelta(days=182 * (r.round - 1) + 21),
            )
            for r in rounds
        )
        first = rounds[0]
        out.append(
            CoalitionData(
                slug=first.coalition,
                name=f"Coalitie {first.coalition[-3:]}",
                programme=first.programme,
                rounds=tuple(rounds),
                infos=infos,
            )
        )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--coalitions", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--respondents", type=int, default=20)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--lang", default="nl")
    parser.add_argument("--out", type=Path, default=None, help="Keep the report here.")
    parser.add_argument("--no-pdf", action="store_true", help="Time the HTML report only.")
    args = parser.parse_args(argv)

    instrument = build_instrument()
    t0 = time.perf_counter()
    coalitions = as_coalitions(
        build_programme(instrument, args.coalitions, args.rounds, args.respondents, args.seed)
    )
    print(
        f"built {args.coalitions} coalitions x {args.rounds} rounds x {args.respondents} "
        f"respondents in {time.perf_counter() - t0:.2f} s (not timed below)"
    )

    phases: list[tuple[str, float]] = []

    def phase(name: str, func):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        result = func()
        seconds = time.perf_counter() - start
        phases.append((name, seconds))
        print(f"{name:<28} {seconds:7.2f} s   peak {peak_mb():7.0f} MB")
        return result

    context = phase(
        "context (scoring, charts)",
        lambda: programme_context("Nationaal programma", coalitions, lang=args.lang),
    )
    html = phase("render templates", lambda: render("programme", context))
    with tempfile.TemporaryDirectory() as tmp:
        target = args.out or Path(tmp) / "programme.html"
        phase("write file", lambda: write_html(target, html))
        size = target.stat().st_size
        total = sum(s for _, s in phases)
        print(f"{'total (HTML)':<28} {total:7.2f} s   peak {peak_mb():7.0f} MB")
        print(
            f"report: {size / 1024:,.0f} KB, {html.count('<svg')} charts, {html.count('<table')} tables"
        )
        print(f"target: HTML under 3 s -> {'met' if total < 3 else 'NOT met'}")
        if not args.no_pdf:
            from surveycoal.errors import SurveycoalError
            from surveycoal.reports.pdf import engine, write_pdf

            try:
                which = engine()
            except SurveycoalError as exc:
                print(f"PDF not timed: {exc}")
            else:
                pdf_target = target.with_suffix(".pdf")
                start = time.perf_counter()
                write_pdf(pdf_target, html)
                seconds = time.perf_counter() - start
                pages = _page_count(pdf_target)
                print(
                    f"{'PDF (' + which + ')':<28} {seconds:7.2f} s   "
                    f"{pdf_target.stat().st_size / 1024:,.0f} KB, {pages} pages"
                )
                print(f"target: PDF under 15 s -> {'met' if seconds < 15 else 'NOT met'}")
        if args.out:
            print(f"kept at {target}")
    return 0


def _page_count(path: Path) -> str:
    try:
        from pypdf import PdfReader
    except ImportError:
        return "?"
    return str(len(PdfReader(path).pages))


if __name__ == "__main__":
    raise SystemExit(main())
