"""The trivial-GraphQL ceiling as the service's own CPU time per `{ __typename }`, robust to a busy machine.

    python -m loadtests.trivial_cost [--tree DIR] [--requests 3000] [--database-url URL]

Starts `permitpath serve` (the code of `--tree`, default this checkout) on a fresh SQLite file (or the
database given, migrated), creates a key, sends `--requests` trivial requests with it over 20 keep-alive
connections, and reads the service process's CPU time (user + system, /proc) before and after. One event
loop serves every request, so 1000 / (CPU ms per request) is the ceiling in requests/s that the process
reaches on a core of its own, whatever else the machine runs meanwhile (Locust's ceiling phase measures
the same endpoint, but shares the cores with its own client). Prints the calibration first.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from http.client import HTTPConnection
from pathlib import Path

from loadtests.calibration import calibrate
from loadtests.run import free_port, wait_ready

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
KEY = re.compile(r"pp_[0-9a-f]{12}_[A-Za-z0-9_-]+")
BODY = json.dumps({"query": "query Trivial { __typename }"}).encode()
CONNECTIONS = 20


def _cpu_s(pid: int) -> float:
    """User + system CPU seconds of process `pid` (its own, not its children's)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _send(port: int, key: str, count: int) -> int:
    """`count` trivial requests on one keep-alive connection; returns how many answered 200."""
    connection = HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {key}"}
    ok = 0
    for _ in range(count):
        connection.request("POST", "/graphql", body=BODY, headers=headers)
        response = connection.getresponse()
        response.read()
        ok += response.status == 200
    connection.close()
    return ok


def measure(tree: Path, requests: int, database_url: str | None) -> tuple[float, float]:
    """(service CPU ms per trivial request, wall requests/s) for the code of `tree`."""
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "PYTHONPATH": str(tree),
            "DATABASE_URL": database_url or f"sqlite+aiosqlite:///{tmp}/trivial.db",
            "PERMITPATH_TENANT": "demo",
            "PERMITPATH_RATE_CAPACITY": "1000000",
            "PERMITPATH_RATE_PER_SECOND": "1000000",
            "PERMITPATH_SOLVER_WORKERS": "1",
            "PERMITPATH_LOG_LEVEL": "warning",
        }
        permitpath = str(BIN / "permitpath")
        subprocess.run([permitpath, "migrate"], env=env, check=True, capture_output=True)
        made = subprocess.run(
            [permitpath, "keys", "create", "--role", "readonly", "--name", "trivial"],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        match = KEY.search(made.stdout)
        assert match is not None, made.stdout
        port = free_port()
        service = subprocess.Popen([permitpath, "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL)
        try:
            wait_ready(f"http://127.0.0.1:{port}", service, seconds=300)
            _send(port, match.group(0), 50)  # the first requests (parsing, caches) are not the ceiling's
            cpu, started = _cpu_s(service.pid), time.perf_counter()
            with ThreadPoolExecutor(CONNECTIONS) as pool:
                answered = sum(
                    pool.map(lambda n: _send(port, match.group(0), n), [requests // CONNECTIONS] * CONNECTIONS)
                )
            wall, cpu = time.perf_counter() - started, _cpu_s(service.pid) - cpu
        finally:
            service.terminate()
            service.wait(timeout=30)
    if answered != requests // CONNECTIONS * CONNECTIONS:
        raise SystemExit(f"only {answered} requests answered 200")
    return cpu * 1000 / answered, answered / wall


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--tree", type=Path, default=ROOT, help="the checkout whose code to serve")
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--database-url", help="default: a fresh SQLite file")
    args = parser.parse_args(argv)
    print(calibrate().line(), flush=True)
    cpu_ms, rps = measure(args.tree, args.requests, args.database_url)
    print(
        f"{args.tree}: {cpu_ms:.2f} ms of service CPU per trivial request: ceiling {1000 / cpu_ms:.0f} requests/s"
        f" on a core of its own ({rps:.0f}/s measured here, sharing the machine)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
