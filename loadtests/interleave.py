"""Trees compared plan by plan: the same households, each planned by every tree in turn, so a machine whose speed
drifts during the run (a shared host: the calibration moved 40% within one run here) slows every tree alike.

    python /path/to/loadtests/interleave.py --tree before=TREE_A --tree after=TREE_B
        [--headline 40] [--seed 2026] [--offers N] [--without-blockers] [--rounds 1]

One worker process per tree (`PYTHONPATH=TREE`, started from a directory outside the trees) builds the corpus as
`loadtests/headline_cpu.py` does (the headline couples, or with `--offers N` the offers-growth couples) and plans
the household it is sent in `reproducible()` mode, answering with the process CPU time of that `plan()` and
its status. The households go round the trees one at a time, the first tree rotating, nothing else running
beside. Printed per tree: CPU mean and median per plan, plans proved optimal, and against the first tree the
ratio of means and the geometric mean of the per-household ratios (the figure the drift moves least).
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from typing import Any


def _serve(args: argparse.Namespace) -> int:
    """A tree's worker: plans each household index read from stdin, answers `cpu_ms status` on stdout."""
    import inspect
    import random
    import time

    from loadtests.generate import corpus, scenario
    from solver.deadline import reproducible
    from solver.domain import PlanOptions
    from solver.solve import plan

    reproducible()
    if args.offers is None:
        rng = random.Random(args.seed + 1)
        households = [scenario(rng, couple=True, offers=3, horizon_months=60) for _ in range(args.headline)]
    else:
        households = list(corpus(args.seed, 16, couple=True, offers=args.offers, horizon_months=60))
    takes = "blockers" in inspect.signature(plan).parameters
    extra: dict[str, Any] = {"blockers": False} if args.without_blockers and takes else {}
    print(len(households), flush=True)
    for line in sys.stdin:
        household = households[int(line)]
        started = time.process_time()
        found = plan(household, PlanOptions(), **extra)
        print(f"{(time.process_time() - started) * 1000:.3f} {found.status.value}", flush=True)
    return 0


class _Worker:
    def __init__(self, name: str, tree: str, argv: list[str]) -> None:
        self.name = name
        env = {**os.environ, "PYTHONPATH": tree}
        self.proc = subprocess.Popen(
            [sys.executable, os.path.abspath(__file__), "--serve", *argv],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
            cwd=tempfile.gettempdir(),
        )
        self.count = int(self._read())
        self.cpu: list[float] = []
        self.optimal = 0

    def _read(self) -> str:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            raise SystemExit(f"the worker of {self.name} stopped")
        return line

    def plan(self, index: int) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(f"{index}\n")
        self.proc.stdin.flush()
        cpu, status = self._read().split()
        self.cpu.append(float(cpu))
        self.optimal += status == "OPTIMAL"

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait()


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tree", action="append", default=[], help="NAME=PATH, one per tree (at least two)")
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--headline", type=int, default=40)
    ap.add_argument("--offers", type=int, default=None)
    ap.add_argument("--without-blockers", action="store_true")
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.serve:
        return _serve(args)
    if len(args.tree) < 2:
        ap.error("give at least two --tree NAME=PATH")
    passed = ["--seed", str(args.seed), "--headline", str(args.headline)]
    passed += [] if args.offers is None else ["--offers", str(args.offers)]
    passed += ["--without-blockers"] if args.without_blockers else []
    workers = [_Worker(name, path, passed) for name, path in (t.split("=", 1) for t in args.tree)]
    count = workers[0].count
    for r in range(args.rounds):
        for i in range(count):
            shift = (i + r) % len(workers)
            for w in workers[shift:] + workers[:shift]:
                w.plan(i)
    for w in workers:
        w.close()
    first = workers[0]
    corpus_name = "headline" if args.offers is None else f"{args.offers} offers"
    mode = "without blockers" if args.without_blockers else "with blockers"
    print(f"{corpus_name}, {count} households x {args.rounds} round(s), {mode}, interleaved plan by plan:")
    for w in workers:
        paired = math.exp(statistics.fmean(math.log(b / a) for a, b in zip(first.cpu, w.cpu, strict=True)))
        ratio = statistics.fmean(w.cpu) / statistics.fmean(first.cpu)
        print(
            f"  {w.name:>10}: CPU mean {statistics.fmean(w.cpu):.0f} ms, median {statistics.median(w.cpu):.0f} ms, "
            f"optimal {w.optimal}/{len(w.cpu)}; against {first.name}: mean {ratio:.2f}x, "
            f"per household (geometric mean) {paired:.2f}x"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
