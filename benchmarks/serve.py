"""Time saving one screen's answer while 30 phones answer at once through `surveycoal serve`.

Target: under 50 ms at the 95th percentile on SQLite on two cores. Starts a real
server (uvicorn in a subprocess, as the lead runs it) on a fresh database with the
shipped questionnaire (32 statements), lets 30 clients answer the whole
questionnaire with short pauses between screens, and prints the 50th and 95th
percentile of the answer's POST (the save: the draft written, the 303 back) and
of a whole screen turn (the POST and the next page), and the machine's load.

Run from the project root::

    python benchmarks/serve.py
    python benchmarks/serve.py --phones 30 --pause 0.5 --db postgresql+psycopg://...

Each phone pauses between 0 and ``--pause`` seconds (default 2, so about one
screen a second: ten times faster than people read and answer a statement).
The server's own CPU time per screen is printed too: unlike the percentiles, it
hardly depends on what else the machine is doing.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_HIDDEN = re.compile(r'<input type="hidden" name="(\w+)" value="([^"]*)"')


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _cli(db: str, *args: str) -> None:
    env = os.environ | {"SURVEYCOAL_DB": db}
    subprocess.run(
        [sys.executable, "-m", "surveycoal", *args],
        check=True,
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )


def _phone(
    url: str, seed: int, pause: float, saves: list[float], turns: list[float], every: list[int]
) -> int:
    import httpx

    rng = random.Random(seed)
    errors = 0
    with httpx.Client(base_url=url, timeout=60) as client:
        page = client.get("/", follow_redirects=True)
        while True:
            form = dict(_HIDDEN.findall(page.text))
            screen = form.get("s", "")
            if not screen:
                break
            if screen == "language":
                form["choice"] = "nl"
            elif screen == "welcome":
                form["choice"] = "start"
            elif screen == "member_type":
                form["choice"] = rng.choice(["resident_initiative", "welfare_organisation"])
            elif screen.startswith("item:"):
                form["choice"] = rng.choice(["1", "2", "3", "4", "5", "dk"])
            elif screen.startswith("open:"):
                form["text"] = ""
            elif screen == "summary":
                form["choice"] = "send"
            time.sleep(rng.uniform(0, pause))
            start = time.perf_counter()
            saved = client.post("/q", data=form)
            middle = time.perf_counter()
            every.append(1)
            if saved.status_code != 303:
                errors += 1
                break
            page = client.get(saved.headers["location"])
            end = time.perf_counter()
            if screen.startswith("item:"):
                saves.append(middle - start)
                turns.append(end - start)
            if page.status_code != 200:
                errors += 1
                break
    return errors


def _cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process so far (Linux; NaN elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _percentile(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=30, help="phones answering at once")
    parser.add_argument(
        "--pause",
        type=float,
        default=2.0,
        help="longest pause between screens, in seconds (people take about 12 s a statement)",
    )
    parser.add_argument("--db", help="a database URL to use instead of a fresh SQLite file")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        db = args.db or str(Path(folder) / "bench.db")
        _cli(db, "init")
        slug = f"bench-{os.getpid()}-{int(time.time())}"
        _cli(db, "coalition", "add", slug)
        _cli(db, "round", "open", slug, "--instrument", "coalition-health")
        port = _free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "surveycoal", "serve", f"{slug}/1", "--port", str(port)],
            env=os.environ | {"SURVEYCOAL_DB": db},
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise SystemExit("the server did not start") from None
                    time.sleep(0.1)
            saves: list[float] = []
            turns: list[float] = []
            every: list[int] = []
            load = os.getloadavg()[0]
            cpu_before = _cpu_seconds(server.pid)
            start = time.perf_counter()
            url = f"http://127.0.0.1:{port}"
            with ThreadPoolExecutor(args.phones) as pool:
                futures = [
                    pool.submit(_phone, url, seed, args.pause, saves, turns, every)
                    for seed in range(args.phones)
                ]
                errors = sum(f.result() for f in futures)
            seconds = time.perf_counter() - start
            cpu = _cpu_seconds(server.pid) - cpu_before
        finally:
            server.send_signal(signal.SIGINT)
            server.wait(timeout=20)
    kind = "PostgreSQL" if args.db and args.db.startswith("postgres") else "SQLite"
    print(
        f"{args.phones} phones, {len(saves)} answers saved in {seconds:.1f} s on {kind} "
        f"(load before: {load:.2f}), {errors} errors"
    )
    print(
        f"saving one answer (POST):         p50 {_percentile(saves, 50):6.1f} ms   "
        f"p95 {_percentile(saves, 95):6.1f} ms   (target p95 < 50 ms on SQLite)"
    )
    print(
        f"a whole screen (POST + next page): p50 {_percentile(turns, 50):6.1f} ms   "
        f"p95 {_percentile(turns, 95):6.1f} ms"
    )
    print(
        f"server CPU per screen (POST + next page), all {len(every)} screens: "
        f"{cpu / max(1, len(every)) * 1000:.1f} ms"
    )
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
