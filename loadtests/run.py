"""One command for the load test: start a service of its own, drive it with Locust, judge the figures.

    .venv/bin/python -m loadtests.run [--database-url URL] [--seconds 30] [--out loadtests/out]

It migrates a fresh database (a SQLite file in a temporary folder unless a URL is given), creates a
consultant and an integrator key, seeds 48 households through the API, starts `permitpath serve` on a
free loopback port with its solver worker pool, then runs the phases below one after another with Locust
headless (each writes CSVs under --out). It prints one table, the ratios to the ceiling phases, and exits
non-zero when a mark of `loadtests/thresholds.py` is missed. Traffic goes to 127.0.0.1 only; every
phase has a fixed duration, so the run stops by itself.

Figures that travel (issue 17): the run starts with the fixed CPU calibration (`loadtests/calibration.py`)
and prints it; the ceiling phases run first, and the marks and the offered rates of the later phases are
scaled by the run's own slowness (`thresholds.slowness`: the reference ceiling over this run's), so a slower
machine is asked what a faster one was, in proportion.
"""

from __future__ import annotations

import argparse
import copy
import csv
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from api.demo import DEMO_HOUSEHOLDS
from loadtests.calibration import calibrate
from loadtests.thresholds import EVENT_LOOP_LAG_P99_MS, OVERLOAD_BUSY_P95_MS, THRESHOLDS, Mark, slowness

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
KEY = re.compile(r"pp_[0-9a-f]{12}_[A-Za-z0-9_-]+")


@dataclass(frozen=True)
class Phase:
    name: str
    users: tuple[str, ...]
    count: int
    env: dict[str, str] = field(default_factory=dict)
    what: str = ""


# 50 readers each starting a request every 0.055 s offer about 900 requests/s: the goal is 800 served with
# p95 within 50 ms, measured at that rate (a closed loop without pauses would measure saturation instead,
# where latency is users / throughput whatever the service does).
READER_PACING = "0.055"
# Likewise 8 planners each asking for a new plan every 0.9 s offer about 9 solves/s (the goal: 8, p95 1 s).
PLANNER_PACING = "0.9"
# The offered rates above are the reference machine's: a slower run's pauses are longer in proportion.
PACED = ("PERMITPATH_LOAD_PACING", "PERMITPATH_LOAD_PLANNER_PACING")

PHASES = (
    Phase("ceiling-bare", ("BareEndpoint",), 50, what="bare Starlette endpoint, 50 users"),
    Phase("ceiling-graphql", ("TrivialQuery",), 50, what="{ __typename } through the endpoint, 50 users"),
    Phase(
        "reads",
        ("Consultant",),
        50,
        {"PERMITPATH_LOAD_PACING": READER_PACING},
        "households with people, permits, offers; categories; 50 users offering about 900 requests/s",
    ),
    Phase(
        "integrator",
        ("Integrator",),
        50,
        {"PERMITPATH_LOAD_PACING": READER_PACING},
        "persisted document by id over GET, 50 users offering about 900 requests/s",
    ),
    Phase(
        "plans",
        ("FrontendPlanner",),
        8,
        {
            "PERMITPATH_LOAD_HIT_RATIO": "0",
            "PERMITPATH_LOAD_PLANNER_PACING": PLANNER_PACING,
            "PERMITPATH_LOAD_SHAPE": "headline",
        },
        "cache-miss planScenario, a couple with 3 offers over 60 months, 8 planners offering about 9 plans/s",
    ),
    Phase(
        "cache",
        ("FrontendPlanner",),
        8,
        {"PERMITPATH_LOAD_HIT_RATIO": "1", "PERMITPATH_LOAD_PLANNER_WAIT": "0"},
        "repeated planScenario (plan cache hits), 8 planners",
    ),
    Phase(
        "overload",
        ("FrontendPlanner", "Consultant", "HealthProbe"),
        60,
        {"PERMITPATH_LOAD_HIT_RATIO": "0", "PERMITPATH_LOAD_PLANNER_WAIT": "0", "PERMITPATH_LOAD_BUSY_OK": "1"},
        "every solver worker busy, queue full: planners, readers and the health probe together",
    ),
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def permitpath(*args: str, env: dict[str, str]) -> str:
    done = subprocess.run([str(BIN / "permitpath"), *args], env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"permitpath {' '.join(args)} failed: {done.stderr.strip()[-500:]}")
    return done.stdout


def create_key(role: str, env: dict[str, str]) -> str:
    out = permitpath("keys", "create", "--role", role, "--name", f"load-{role}", env=env)
    match = KEY.search(out)
    if match is None:
        raise SystemExit(f"no key in the output of keys create: {out!r}")
    return match.group(0)


def post(url: str, body: dict[str, object], key: str) -> dict[str, object]:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {key}"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        result: dict[str, object] = json.loads(response.read())
        return result


def seed(url: str, key: str, copies: int = 12) -> int:
    """Adds DEMO_HOUSEHOLDS `copies` times (with distinct names and offer refs) through createHousehold."""
    mutation = (
        "mutation Seed($input: CreateHouseholdInput!) { createHousehold(input: $input) { __typename "
        "... on InvalidInput { errors { path message } } } }"
    )
    added = 0
    for i in range(copies):
        for household in DEMO_HOUSEHOLDS:
            variables = copy.deepcopy(household)
            variables["name"] = f"{household['name']} {i}"
            answer = post(url, {"query": mutation, "variables": {"input": variables}}, key)
            if "errors" in answer or json.dumps(answer).find("HouseholdPayload") < 0:
                raise SystemExit(f"seeding failed: {answer}")
            added += 1
    return added


def wait_ready(base: str, process: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("the service exited while starting")
        try:
            with urllib.request.urlopen(f"{base}/readyz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.25)
    raise SystemExit("the service did not become ready")


def paced(phase: Phase, slow: float) -> dict[str, str]:
    """The phase's environment with its pauses `slow` times longer (the offered rate `slow` times lower)."""
    return {name: f"{float(value) * slow:.4f}" if name in PACED else value for name, value in phase.env.items()}


def run_locust(phase: Phase, base: str, seconds: int, out: Path, env: dict[str, str], slow: float = 1.0) -> Path:
    prefix = out / phase.name
    command = [
        str(BIN / "locust"),
        "-f",
        str(ROOT / "loadtests" / "locustfile.py"),
        "--headless",
        "--only-summary",
        "-u",
        str(phase.count),
        "-r",
        str(phase.count),
        "-t",
        f"{seconds}s",
        "--stop-timeout",
        "5",
        "--host",
        base,
        "--csv",
        str(prefix),
        "--exit-code-on-error",
        "0",
        *phase.users,
    ]
    subprocess.run(
        command, env={**env, **paced(phase, slow)}, capture_output=True, text=True, check=False, timeout=seconds + 60
    )
    return prefix.with_name(prefix.name + "_stats.csv")


@dataclass(frozen=True)
class Row:
    phase: str
    name: str
    count: int
    failures: int
    rps: float
    p50: float
    p95: float
    p99: float

    @property
    def failure_ratio(self) -> float:
        return self.failures / self.count if self.count else 0.0


def read_stats(phase: str, path: Path) -> list[Row]:
    if not path.exists():
        return []
    rows = []
    with path.open() as f:
        for line in csv.DictReader(f):
            rows.append(
                Row(
                    phase=phase,
                    name=line["Name"],
                    count=int(line["Request Count"]),
                    failures=int(line["Failure Count"]),
                    rps=float(line["Requests/s"]),
                    p50=float(line["50%"] or 0),
                    p95=float(line["95%"] or 0),
                    p99=float(line["99%"] or 0),
                )
            )
    return rows


def judge(rows: Sequence[Row], phases: Sequence[str], slow: float = 1.0) -> list[str]:
    """Every missed mark of the phases that ran, as a sentence; the marks scaled by the run's slowness."""
    misses = []
    by_key = {(r.phase, r.name): r for r in rows}
    for phase, marks in THRESHOLDS.items():
        if phase not in phases:
            continue
        for name, mark in marks.items():
            row = by_key.get((phase, name))
            if row is None or row.count == 0:
                misses.append(f"{phase}/{name}: no requests recorded")
                continue
            misses += _miss(phase, name, row, mark.scaled(slow))
    busy = by_key.get(("overload", "PlanScenario (busy)"))
    if busy is not None and busy.p95 > OVERLOAD_BUSY_P95_MS * slow:
        misses.append(f"overload/SOLVER_BUSY answers: p95 {busy.p95:.0f} ms > {OVERLOAD_BUSY_P95_MS * slow:.0f} ms")
    return misses


def _miss(phase: str, name: str, row: Row, mark: Mark) -> list[str]:
    out = []
    if row.failure_ratio > mark.max_failure_ratio:
        out.append(f"{phase}/{name}: failure ratio {row.failure_ratio:.3f} > {mark.max_failure_ratio}")
    if mark.p95_ms is not None and row.p95 > mark.p95_ms:
        out.append(f"{phase}/{name}: p95 {row.p95:.0f} ms > {mark.p95_ms:.0f} ms")
    if mark.p99_ms is not None and row.p99 > mark.p99_ms:
        out.append(f"{phase}/{name}: p99 {row.p99:.0f} ms > {mark.p99_ms:.0f} ms")
    if mark.min_rps is not None and row.rps < mark.min_rps:
        out.append(f"{phase}/{name}: {row.rps:.1f} requests/s < {mark.min_rps:.0f}")
    return out


def loop_lag_buckets(base: str) -> dict[float, float]:
    """The service's event-loop lag histogram (from /metrics): cumulative count by bucket bound, +Inf too."""
    try:
        with urllib.request.urlopen(f"{base}/metrics", timeout=5) as response:
            text = response.read().decode()
    except OSError:
        return {}
    return {
        float(m.group(1)): float(m.group(2))
        for m in re.finditer(r'permitpath_event_loop_lag_seconds_bucket\{le="([0-9.e+-]+|\+Inf)"\} ([0-9.e+]+)', text)
    }


def lag_p99_ms(before: dict[float, float], after: dict[float, float]) -> float | None:
    """The p99 event-loop lag (bucket bound, ms) of the samples taken between two readings."""
    counts = {bound: after[bound] - before.get(bound, 0.0) for bound in after}
    total = counts.get(float("inf"), 0.0)
    if total <= 0:
        return None
    for bound in sorted(counts):
        if counts[bound] >= 0.99 * total:
            return bound * 1000
    return float("inf")


def table(rows: Sequence[Row], ceiling: dict[str, Row]) -> str:
    head = (
        f"{'phase':<16} {'request':<30} {'count':>7} {'fail':>6} {'req/s':>8} {'p50':>6} {'p95':>6} {'p99':>6}  ratio"
    )
    lines = [head, "-" * len(head)]
    for r in rows:
        ref = ceiling.get("graphql") if r.name not in ("/healthz", "ceiling: /healthz") else ceiling.get("bare")
        ratio = f"{r.rps / ref.rps:.2f}x rps" if ref and ref.rps and r.name != "Aggregated" else ""
        lines.append(
            f"{r.phase:<16} {r.name[:30]:<30} {r.count:>7} {r.failures:>6} {r.rps:>8.1f} "
            f"{r.p50:>6.0f} {r.p95:>6.0f} {r.p99:>6.0f}  {ratio}"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--database-url", help="default: a SQLite file in a temporary folder")
    parser.add_argument("--seconds", type=int, default=30, help="duration of each phase")
    parser.add_argument(
        "--overload-seconds", type=int, help="duration of the overload phase (default: --seconds; the goal: 600)"
    )
    parser.add_argument("--out", type=Path, default=ROOT / "loadtests" / "out")
    parser.add_argument("--phases", default=",".join(p.name for p in PHASES))
    parser.add_argument("--solver-workers", default="2")
    parser.add_argument("--solver-queue", default="8")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    print(calibrate().line(), flush=True)
    slow = 1.0
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite+aiosqlite:///{tmp}/load.db"
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "PERMITPATH_TENANT": "demo",
            "PERMITPATH_RATE_CAPACITY": "1000000",
            "PERMITPATH_RATE_PER_SECOND": "1000000",
            "PERMITPATH_SOLVER_WORKERS": args.solver_workers,
            "PERMITPATH_SOLVER_QUEUE": args.solver_queue,
            "PERMITPATH_LOG_LEVEL": "warning",
        }
        permitpath("migrate", env=env)
        env["PERMITPATH_LOAD_CONSULTANT_KEY"] = create_key("consultant", env)
        env["PERMITPATH_LOAD_INTEGRATOR_KEY"] = create_key("integrator", env)
        service = subprocess.Popen(
            [str(BIN / "permitpath"), "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL
        )
        try:
            wait_ready(base, service)
            print(f"seeded {seed(base + '/graphql', env['PERMITPATH_LOAD_CONSULTANT_KEY'])} households", flush=True)
            rows: list[Row] = []
            lag = None
            for phase in PHASES:
                if phase.name not in args.phases.split(","):
                    continue
                seconds = args.overload_seconds or args.seconds if phase.name == "overload" else args.seconds
                print(f"phase {phase.name}: {phase.what} ({seconds} s)", flush=True)
                before = loop_lag_buckets(base)
                rows += read_stats(phase.name, run_locust(phase, base, seconds, args.out, env, slow))
                if phase.name == "overload":
                    lag = lag_p99_ms(before, loop_lag_buckets(base))
                if phase.name == "ceiling-graphql":
                    slow = slowness(next((r.rps for r in rows if r.name == "ceiling: Trivial"), None))
                    print(f"slowness {slow:.2f}: marks and offered rates scaled by it (thresholds.py)", flush=True)
        finally:
            service.terminate()
            service.wait(timeout=30)
    ceiling = {
        "bare": next((r for r in rows if r.name == "ceiling: /healthz"), None),
        "graphql": next((r for r in rows if r.name == "ceiling: Trivial"), None),
    }
    print(table(rows, {k: v for k, v in ceiling.items() if v is not None}))
    misses = judge(rows, args.phases.split(","), slow)
    if lag is not None:
        print(f"event-loop lag p99 during overload: {lag:.1f} ms (bucket bound)")
        if lag > EVENT_LOOP_LAG_P99_MS * slow:
            misses.append(f"event-loop lag p99 {lag:.1f} ms > {EVENT_LOOP_LAG_P99_MS * slow:.0f} ms")
    for miss in misses:
        print(f"MISSED {miss}")
    print("all marks met" if not misses else f"{len(misses)} marks missed")
    return 1 if misses else 0


if __name__ == "__main__":
    raise SystemExit(main())
