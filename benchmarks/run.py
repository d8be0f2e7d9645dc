"""Every speed figure of a national programme on one shared server, each beside its baseline.

Prints, for SQLite and for PostgreSQL, against a baseline measured in the same run:

1. a submit with a code (answers saved, draft deleted, code used) into a database that
   already holds about 1.5 million answers, against the same submits into an empty
   database: 95th percentile, target under 100 ms and at most 1.5 x the baseline;
2. saving one answer during a questionnaire (one draft save): 95th percentile, target
   under 20 ms;
3. 30 processes that each hold a finished questionnaire and send it at the same moment,
   at national scale: all stored, none lost, the slowest under 3 s;
4. importing 100,000 response rows from CSV: target under 20 s (baseline: the same
   file into an empty database);
5. scoring the national programme read from the database, loading included: target
   under 15 s (baseline: the same scoring of data already in memory);
6. ``surveycoal --help`` against a bare one-command typer app: at most 1.3 x.

The national programme is 200 coalitions x 6 rounds x 40 respondents x 32 items,
written straight into the tables (not timed). PostgreSQL: give ``--postgres URL`` (a
server where the benchmark may create and drop databases), or let it start a
throwaway server in a temporary folder when Debian's PostgreSQL is installed.

Run from the project root::

    python benchmarks/run.py
    python benchmarks/run.py --coalitions 20 --import-rows 10000   # a quick look
    python benchmarks/run.py --figures import,scoring              # some figures only
    python benchmarks/run.py --postgres postgresql+psycopg://postgres@/postgres?host=/tmp/pg

Times are wall clock on a shared machine: the load average is printed with them.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import json
import multiprocessing
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from surveycoal.threads import prefer_single_threaded_blas  # noqa: E402

prefer_single_threaded_blas()

from surveycoal import store as st  # noqa: E402
from surveycoal.instruments import Instrument, load_instrument  # noqa: E402
from surveycoal.store import schema  # noqa: E402
from surveycoal.store.traces import new_row_id  # noqa: E402

RESULTS: list[tuple[str, str, str, str, str]] = []
TODAY = dt.date.today()


def record(figure: str, backend: str, measured: str, baseline: str, verdict: str) -> None:
    RESULTS.append((figure, backend, measured, baseline, verdict))
    print(f"  {figure} [{backend}]: {measured} (baseline {baseline}) {verdict}", flush=True)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def ok(condition: bool) -> str:
    return "met" if condition else "MISSED"


# -- databases ----------------------------------------------------------------------


@contextlib.contextmanager
def throwaway_postgres() -> Iterator[str | None]:
    """A PostgreSQL server on a Unix socket in a temporary folder, as tests/run.sh starts one."""
    bins = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    pg_ctl = str(bins[-1]) if bins else shutil.which("pg_ctl")
    if pg_ctl is None:
        yield None
        return
    initdb = str(Path(pg_ctl).with_name("initdb"))
    folder = Path(tempfile.mkdtemp(prefix="surveycoal-bench-pg."))
    as_pg: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
        as_pg = ["runuser", "-u", "postgres", "--"]
    data = folder / "data"
    subprocess.run(
        [*as_pg, initdb, "-D", str(data), "-U", "postgres", "-A", "trust"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    subprocess.run(
        [
            *as_pg,
            pg_ctl,
            "-D",
            str(data),
            "-l",
            str(folder / "server.log"),
            "-w",
            "-o",
            f"-c listen_addresses='' -k {folder} -c max_connections=100",
            "start",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    try:
        yield f"postgresql+psycopg://postgres@/postgres?host={folder}"
    finally:
        subprocess.run(
            [*as_pg, pg_ctl, "-D", str(data), "-m", "immediate", "stop"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        shutil.rmtree(folder, ignore_errors=True)


class Databases:
    """New empty databases of one backend: SQLite files in a folder or PostgreSQL databases."""

    def __init__(self, backend: str, folder: Path, server: str | None) -> None:
        self.backend, self.folder, self.server = backend, folder, server
        self.made: list[str] = []

    def new(self, name: str) -> str:
        if self.backend == "sqlite":
            return str(self.folder / f"{name}.db")
        from sqlalchemy import create_engine, text
        from sqlalchemy.engine import make_url

        assert self.server is not None
        database = f"bench_{name}_{uuid.uuid4().hex[:8]}"
        admin = create_engine(self.server, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{database}"'))
        admin.dispose()
        self.made.append(database)
        return make_url(self.server).set(database=database).render_as_string(hide_password=False)

    def drop_all(self) -> None:
        if self.backend == "sqlite" or not self.made:
            return
        from sqlalchemy import create_engine, text

        assert self.server is not None
        admin = create_engine(self.server, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            for database in self.made:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        admin.dispose()


def add_round(
    conn: Any, coalition_id: int, number: int, instrument: Instrument, status: str
) -> int:
    from sqlalchemy import insert

    result = conn.execute(
        insert(schema.rounds).values(
            coalition_id=coalition_id,
            number=number,
            instrument_id=instrument.id,
            instrument_version=instrument.version,
            instrument_hash=instrument.content_hash,
            instrument_json=json.dumps(instrument.to_dict(), ensure_ascii=False),
            privacy_json=json.dumps(instrument.privacy.to_dict()),
            link_rounds=True,
            incomplete_policy="discard",
            status=status,
            opened_on=TODAY,
            closed_on=TODAY if status == "closed" else None,
        )
    )
    return int(result.inserted_primary_key[0])


def answers_for(rng: random.Random, instrument: Instrument, level: float) -> dict[str, int | None]:
    answers: dict[str, int | None] = {}
    for item in instrument.items:
        if rng.random() < 0.04:
            answers[item.id] = None
        else:
            answers[item.id] = min(5, max(1, round(rng.gauss(3.3 + level, 0.9))))
    return answers


def build_national(
    url: str, instrument: Instrument, coalitions: int, rounds: int, respondents: int, targets: int
) -> tuple[list[str], list[str]]:
    """A programme written straight into the tables; returns every round's ref and the
    refs of ``targets`` open rounds left empty for the submits being timed."""
    store = st.create_store(url)
    st.add_programme(store, "Nationaal programma")
    rng = random.Random(2026)
    refs, empty = [], []
    member_types = instrument.member_type_ids
    with store.write() as conn:
        programme_id = conn.exec_driver_sql("SELECT id FROM programmes").scalar()
        rows_r: list[tuple[Any, ...]] = []
        rows_a: list[tuple[Any, ...]] = []
        for c in range(coalitions):
            slug = f"coalitie-{c:03d}"
            from sqlalchemy import insert

            coalition_id = conn.execute(
                insert(schema.coalitions).values(
                    slug=slug, name=f"Coalitie {c}", programme_id=programme_id, created_on=TODAY
                )
            ).inserted_primary_key[0]
            level = rng.gauss(0, 0.35)
            for number in range(1, rounds + 1):
                status = "open" if number == rounds else "closed"
                round_id = add_round(conn, coalition_id, number, instrument, status)
                refs.append(f"{slug}/{number}")
                if status == "open" and c < targets:
                    empty.append(f"{slug}/{number}")
                    continue
                for person in range(respondents):
                    response_id = new_row_id(round_id)
                    rows_r.append(
                        (
                            response_id,
                            round_id,
                            rng.choice(member_types),
                            f"{slug}-{person}",
                            True,
                            TODAY,
                        )
                    )
                    rows_a.extend(
                        (response_id, item, value)
                        for item, value in answers_for(rng, instrument, level).items()
                    )
        rows_r.sort()
        rows_a.sort(key=lambda row: row[:2])
        bulk_insert(conn, "responses", schema.responses, rows_r)
        bulk_insert(conn, "answers", schema.answers, rows_a)
    if store.engine.dialect.name == "postgresql":
        # What autovacuum does soon after a bulk load: without statistics the planner
        # reads whole tables for one round.
        with store.engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE")
    store.close()
    return refs, empty


def bulk_insert(conn: Any, name: str, table: Any, rows: list[tuple[Any, ...]]) -> None:
    columns = [c.name for c in table.columns]
    if conn.dialect.name == "postgresql":
        raw = conn.connection.driver_connection
        with (
            raw.cursor() as cursor,
            cursor.copy(f"COPY {name} ({', '.join(columns)}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
        return
    stored = [
        tuple(
            v.isoformat() if isinstance(v, dt.date) else int(v) if isinstance(v, bool) else v
            for v in row
        )
        for row in rows
    ]
    marks = ", ".join("?" * len(columns))
    conn.exec_driver_sql(f"INSERT INTO {name} ({', '.join(columns)}) VALUES ({marks})", stored)


def build_empty(url: str, instrument: Instrument, targets: int) -> list[str]:
    store = st.create_store(url)
    refs = []
    for c in range(targets):
        slug = st.add_coalition(store, f"Leeg {c}").slug
        refs.append(st.open_round(store, slug, instrument, link_rounds=True).ref)
    store.close()
    return refs


# -- 1 and 2: submits and draft saves -------------------------------------------------


def answer_rounds(
    url: str, refs: list[str], instrument: Instrument, respondents: int
) -> tuple[list[float], list[float]]:
    """Answer every round in ``refs`` with codes: a draft save per answer, then the submit."""
    from surveycoal.store.answering import (
        create_invitations,
        find_invitation,
        save_draft,
        submit_with_code,
    )

    store = st.open_store(url)
    rng = random.Random(7)
    submits, saves = [], []
    try:
        for ref in refs:
            for code in create_invitations(store, ref, respondents):
                code_hash = find_invitation(store, code).code_hash
                answers = answers_for(rng, instrument, 0.0)
                so_far: dict[str, int | None] = {}
                for item, value in answers.items():
                    so_far[item] = value
                    start = time.perf_counter()
                    save_draft(store, code_hash, {"answers": so_far, "position": len(so_far)})
                    saves.append(time.perf_counter() - start)
                response = st.NewResponse(rng.choice(instrument.member_type_ids), answers)
                start = time.perf_counter()
                submit_with_code(store, code_hash, response)
                submits.append(time.perf_counter() - start)
    finally:
        store.close()
    return submits, saves


# -- 3: 30 at once --------------------------------------------------------------------


def _send_at_once(url: str, code: str, barrier: Any, results: Any) -> None:
    from surveycoal.store.answering import find_invitation, save_draft, submit_with_code

    instrument = load_instrument("coalition-health")
    store = st.open_store(url)
    try:
        code_hash = find_invitation(store, code).code_hash
        answers = answers_for(random.Random(code), instrument, 0.0)
        save_draft(store, code_hash, {"answers": answers})
        response = st.NewResponse(instrument.member_type_ids[0], answers)
        barrier.wait()
        released = time.time()
        submit_with_code(store, code_hash, response)
        results.put((released, time.time(), ""))
    except Exception as exc:  # reported, never hidden
        results.put((0.0, 0.0, repr(exc)))
    finally:
        store.close()


def all_at_once(url: str, ref: str, count: int) -> tuple[float, int, list[str]]:
    """``count`` processes send at one moment; the slowest's time from release, and how many
    responses the round holds afterwards."""
    from surveycoal.store.answering import create_invitations, invitation_counts

    store = st.open_store(url)
    codes = create_invitations(store, ref, count)
    store.close()
    ctx = multiprocessing.get_context("fork")
    barrier, results = ctx.Barrier(count), ctx.Queue()
    workers = [
        ctx.Process(target=_send_at_once, args=(url, code, barrier, results)) for code in codes
    ]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=600) for _ in workers]
    for worker in workers:
        worker.join()
    errors = [e for _, _, e in outcomes if e]
    slowest = max(end for _, end, _ in outcomes) - min(r for r, _, _ in outcomes if r)
    store = st.open_store(url)
    stored = st.count_responses(store, ref)
    used = invitation_counts(store, ref)["used"]
    store.close()
    if used != count:
        errors.append(f"{used} of {count} codes used")
    return slowest, stored, errors


# -- 4: import --------------------------------------------------------------------------


def write_csv(path: Path, instrument: Instrument, rows: int) -> None:
    rng = random.Random(3)
    words = ["1", "2", "3", "4", "5", "dk", ""]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["member_type", *instrument.item_ids])
        for _ in range(rows):
            writer.writerow(
                [
                    rng.choice(instrument.member_type_ids),
                    *(rng.choice(words) for _ in instrument.items),
                ]
            )


def time_import(url: str, instrument: Instrument, path: Path) -> float:
    from surveycoal.importer import import_answers

    store = st.open_store(url)
    try:
        slug = st.add_coalition(store, f"Papier {uuid.uuid4().hex[:6]}").slug
        ref = st.open_round(store, slug, instrument).ref
        start = time.perf_counter()
        import_answers(store, ref, path)
        return time.perf_counter() - start
    finally:
        store.close()


# -- 5: scoring ---------------------------------------------------------------------------


def score_everything(datas: list[Any]) -> None:
    from surveycoal import scoring

    by_coalition: dict[str, list[Any]] = {}
    for data in datas:
        scoring.score_round(data, seed=1)
        by_coalition.setdefault(data.coalition, []).append(data)
    for rounds in by_coalition.values():
        rounds.sort(key=lambda d: d.round)
        for a, b in zip(rounds, rounds[1:], strict=False):
            scoring.compare_rounds(a, b, seed=1)
    for number in sorted({d.round for d in datas}):
        scoring.score_programme(datas, round_number=number, seed=1)


def time_scoring(url: str, refs: list[str]) -> tuple[float, float]:
    store = st.open_store(url)
    try:
        start = time.perf_counter()
        datas = st.load_many(store, refs)
        loaded = time.perf_counter() - start
        score_everything(datas)
        total = time.perf_counter() - start
    finally:
        store.close()
    start = time.perf_counter()
    score_everything(datas)
    in_memory = time.perf_counter() - start
    print(f"    (loading {loaded:.1f} s of {total:.1f} s)")
    return total, in_memory


# -- 6: --help ----------------------------------------------------------------------------

BARE_APP = """
import typer
app = typer.Typer()
@app.command()
def hello(name: str = "wereld") -> None:
    \"\"\"Say hello.\"\"\"
    print(name)
if __name__ == "__main__":
    app()
"""


def time_help(folder: Path, runs: int) -> tuple[float, float]:
    bare = folder / "bare_typer_app.py"
    bare.write_text(BARE_APP, encoding="utf-8")
    commands = {
        "surveycoal": [sys.executable, "-m", "surveycoal", "--help"],
        "bare": [sys.executable, str(bare), "--help"],
    }
    # Both start as an installed program does: from compiled bytecode. A machine that sets
    # PYTHONDONTWRITEBYTECODE would compile surveycoal's sources on every start (about
    # 25 ms) while typer's own come compiled from its wheel; the bytecode goes to a folder
    # of this run, not into the source tree, and a first, untimed start writes it.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(folder / "pycache")
    for command in commands.values():
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():  # interleaved, so load changes hit both
            start = time.perf_counter()
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env)
            times[name].append(time.perf_counter() - start)
    return statistics.median(times["surveycoal"]), statistics.median(times["bare"])


# -- the run ---------------------------------------------------------------------------------


def run_backend(backend: str, dbs: Databases, args: argparse.Namespace, csv_path: Path) -> None:
    instrument = load_instrument("coalition-health")
    print(f"\n{backend}: building the national programme ...", flush=True)
    start = time.perf_counter()
    national = dbs.new("national")
    refs, targets = build_national(
        national, instrument, args.coalitions, args.rounds, args.respondents, args.targets + 1
    )
    crowd_ref = targets.pop()
    store = st.open_store(national)
    with store.read() as conn:
        answers = conn.exec_driver_sql("SELECT count(*) FROM answers").scalar()
    store.close()
    print(
        f"  {answers:,} answers in {len(refs)} rounds, built in {time.perf_counter() - start:.0f} s"
    )
    empty = dbs.new("empty")
    empty_refs = build_empty(empty, instrument, args.targets)
    if "submit" in args.figures:
        submit_figures(
            backend, args, national, empty, instrument, answers, targets, crowd_ref, empty_refs
        )
    if "import" in args.figures:
        imported = time_import(national, instrument, csv_path)
        base_import = time_import(empty, instrument, csv_path)
        record(
            f"importing {args.import_rows:,} CSV rows",
            backend,
            f"{imported:.1f} s",
            f"{base_import:.1f} s empty database",
            ok(imported < 20.0),
        )
    if "scoring" in args.figures:
        scored, in_memory = time_scoring(national, refs)
        record(
            "scoring the national programme, loading included",
            backend,
            f"{scored:.1f} s",
            f"{in_memory:.1f} s scoring the same data in memory",
            ok(scored < 15.0),
        )


def submit_figures(
    backend: str,
    args: argparse.Namespace,
    national: str,
    empty: str,
    instrument: Instrument,
    answers: int,
    targets: list[str],
    crowd_ref: str,
    empty_refs: list[str],
) -> None:
    base_submits, base_saves = answer_rounds(empty, empty_refs, instrument, args.respondents)
    submits, saves = answer_rounds(national, targets, instrument, args.respondents)
    full, base = p95(submits), p95(base_submits)
    record(
        f"submit p95, {answers / 1e6:.2f} M answers stored",
        backend,
        f"{full * 1000:.0f} ms",
        f"{base * 1000:.0f} ms empty database, ratio {full / base:.2f}",
        ok(full < 0.100 and full <= 1.5 * base),
    )
    record(
        "saving one answer (draft) p95",
        backend,
        f"{p95(saves) * 1000:.1f} ms",
        f"{p95(base_saves) * 1000:.1f} ms empty database",
        ok(p95(saves) < 0.020),
    )
    slowest, stored, errors = all_at_once(national, crowd_ref, args.crowd)
    record(
        f"{args.crowd} processes sending at once",
        backend,
        f"slowest {slowest:.2f} s, {stored} of {args.crowd} stored",
        f"one submit p95 {full * 1000:.0f} ms",
        ok(slowest < 3.0 and stored == args.crowd and not errors)
        + (f" {errors}" if errors else ""),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--coalitions", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--respondents", type=int, default=40)
    parser.add_argument(
        "--targets", type=int, default=2, help="rounds answered for the submit figures"
    )
    parser.add_argument("--crowd", type=int, default=30)
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument("--help-runs", type=int, default=15)
    parser.add_argument("--postgres", help="a server URL; otherwise a throwaway server is started")
    parser.add_argument("--only", choices=("sqlite", "postgresql"), help="one backend only")
    parser.add_argument(
        "--figures",
        default="help,submit,import,scoring",
        type=lambda text: set(text.split(",")),
        help="which figures, comma-separated (default: help,submit,import,scoring)",
    )
    args = parser.parse_args(argv)
    # Stopped from outside: still stop the throwaway server and remove the files.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))

    print(f"load average at the start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    folder = Path(tempfile.mkdtemp(prefix="surveycoal-bench."))
    try:
        instrument = load_instrument("coalition-health")
        csv_path = folder / "papier.csv"
        write_csv(csv_path, instrument, args.import_rows)
        if "help" in args.figures:
            surveycoal_help, bare_help = time_help(folder, args.help_runs)
            record(
                "surveycoal --help (median)",
                "-",
                f"{surveycoal_help * 1000:.0f} ms, ratio {surveycoal_help / bare_help:.2f}",
                f"{bare_help * 1000:.0f} ms bare typer app",
                ok(surveycoal_help <= 1.3 * bare_help),
            )
        if args.only != "postgresql":
            run_backend("sqlite", Databases("sqlite", folder, None), args, csv_path)
        if args.only != "sqlite":
            with contextlib.ExitStack() as stack:
                server = args.postgres or stack.enter_context(throwaway_postgres())
                if server is None:
                    print("\npostgresql: no --postgres URL and no PostgreSQL installed; skipped")
                else:
                    dbs = Databases("postgresql", folder, server)
                    try:
                        run_backend("postgresql", dbs, args, csv_path)
                    finally:
                        dbs.drop_all()
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    print(f"\nload average at the end: {os.getloadavg()[0]:.1f}")
    widths = [max(len(row[i]) for row in RESULTS + [HEADER]) for i in range(5)]
    for row in [HEADER, tuple("-" * w for w in widths), *RESULTS]:
        print(" | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))
    return 0


HEADER = ("figure", "backend", "measured", "baseline (same run)", "target")


if __name__ == "__main__":
    raise SystemExit(main())
