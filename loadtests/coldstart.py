"""Cold start, timed: how long `permitpath serve --dev` takes to be up and ready, and its first plans.

    python -m loadtests.coldstart [--tree DIR] [--rounds 3]

Starts `permitpath serve --dev` (the code of `--tree`, default this checkout: compare two commits from two
worktrees in one run) on a free port with a fresh SQLite file, then times `/healthz` answering, `/readyz`
answering 200, and two cache-miss plans of the same household sent one after the other once ready (the
second differs by an offer's name only, so it misses the plan cache and costs the same solve). Prints the
calibration (`loadtests/calibration.py`) first and one line per round.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from loadtests.calibration import calibrate
from loadtests.run import free_port

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "tests" / "fixtures" / "scenarios" / "p01-bachelor-pgwp-cec.json"
# What a frontend asks for (loadtests/locustfile.py's fields; not imported: Locust patches the standard library).
PLAN_SCENARIO = """query PlanScenario($scenario: ScenarioInput!) {
  planScenario(scenario: $scenario) { __typename ... on Plan { status prReadyDate prProgram
    permits { code applyOn validTo } fees { total } solveMs } } }"""


def _status(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


def _wait(url: str, process: subprocess.Popen[bytes], started: float, limit_s: float = 120) -> float:
    """Seconds from `started` until `url` answers 200."""
    while _status(url) != 200:
        if process.poll() is not None or time.perf_counter() - started > limit_s:
            raise SystemExit(f"{url} never answered 200")
        time.sleep(0.02)
    return time.perf_counter() - started


def _plan(url: str, scenario: dict[str, Any]) -> tuple[float, float]:
    """Seconds one planScenario takes, as the client sees it, and the plan's own solveMs (in seconds)."""
    body = json.dumps({"query": PLAN_SCENARIO, "variables": {"scenario": scenario}}).encode()
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=120) as response:
        answer = json.loads(response.read())
    took = time.perf_counter() - started
    plan = answer.get("data", {}).get("planScenario", {})
    if plan.get("__typename") != "Plan":
        raise SystemExit(f"no plan: {answer}")
    return took, float(plan["solveMs"]) / 1000


def one_round(tree: Path) -> dict[str, float]:
    """Starts a service from `tree` and times it: up, ready, first and second plan (seconds)."""
    scenario = json.loads(SCENARIO.read_text())["scenario"]
    other = copy.deepcopy(scenario)
    other["offers"][0]["ref"] = "acme-2"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "PYTHONPATH": str(tree), "PERMITPATH_LOG_LEVEL": "warning"}
        env.pop("DATABASE_URL", None)
        command = [str(Path(sys.executable).with_name("permitpath")), "serve", "--dev", "--port", str(port)]
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=tmp, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            up = _wait(f"{base}/healthz", process, started)
            ready = _wait(f"{base}/readyz", process, started)
            first, first_solve = _plan(f"{base}/graphql", scenario)
            second, second_solve = _plan(f"{base}/graphql", other)
        finally:
            process.terminate()
            process.wait(timeout=30)
    return {
        "up_s": up,
        "ready_s": ready,
        "first_plan_s": first,
        "second_plan_s": second,
        "first_solve_s": first_solve,
        "second_solve_s": second_solve,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--tree", type=Path, default=ROOT, help="the checkout whose code to serve")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    print(calibrate().line(), flush=True)
    rounds = []
    for _ in range(args.rounds):
        rounds.append(one_round(args.tree))
        r = rounds[-1]
        print(
            f"{args.tree}: /healthz {r['up_s']:.2f} s, /readyz {r['ready_s']:.2f} s, first plan"
            f" {r['first_plan_s']:.3f} s (solve {r['first_solve_s']:.3f}), second {r['second_plan_s']:.3f} s"
            f" (solve {r['second_solve_s']:.3f}), ratio {r['first_plan_s'] / r['second_plan_s']:.2f}",
            flush=True,
        )
    ratios = [r["first_plan_s"] / r["second_plan_s"] for r in rounds]
    print(f"median first/second plan: {statistics.median(ratios):.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
