"""The headline corpus's CPU time per plan, in reproducible mode: a figure two trees can be compared on.

    PYTHONPATH=TREE python -m loadtests.headline_cpu [--headline 40] [--seed 2026] [--without-blockers]
                                                     [--offers N]

Plans the bench's headline households (couples, 3 offers, 60 months: `loadtests.generate.scenario` from seed
2027, as `loadtests/bench.py` draws them) one after another in this process with
`solver.deadline.reproducible()`, so the deterministic budgets decide and two trees do the same search whatever
the machine's load; prints the process CPU time per plan (mean, median) and how many plans were proved
optimal. Run it with PYTHONPATH set to each tree in turn, in one session, and compare the ratio: the absolute
figures are this machine's. `--without-blockers` plans as a query that does not select blockers, on a tree whose
`plan()` takes `blockers` (an older tree ignores it and says so). `--offers N` plans the bench's offers-growth
couples instead (`corpus(seed, 16, couple=True, offers=N, horizon_months=60)`, as `loadtests/bench.py
--offers-growth 16` draws them) and prints each plan's status, O (optimal) or F.
"""

from __future__ import annotations

import argparse
import inspect
import random
import statistics
import time
from collections.abc import Sequence
from typing import Any

from loadtests.generate import corpus, scenario
from solver.deadline import reproducible
from solver.domain import PlanOptions, PlanStatus
from solver.solve import plan


def main(argv: Sequence[str] | None = None) -> int:
    """Plans the corpus and prints one line of figures."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--headline", type=int, default=40)
    ap.add_argument("--without-blockers", action="store_true")
    ap.add_argument("--offers", type=int, default=None, help="plan 16 couples with this many offers instead")
    args = ap.parse_args(argv)
    reproducible()
    if args.offers is None:
        rng = random.Random(args.seed + 1)
        households = [scenario(rng, couple=True, offers=3, horizon_months=60) for _ in range(args.headline)]
        corpus_name = "headline"
    else:
        households = list(corpus(args.seed, 16, couple=True, offers=args.offers, horizon_months=60))
        corpus_name = f"{args.offers} offers"
    takes_blockers = "blockers" in inspect.signature(plan).parameters
    extra: dict[str, Any] = {"blockers": False} if args.without_blockers and takes_blockers else {}
    options = PlanOptions()
    cpu: list[float] = []
    optimal = 0
    statuses = ""
    for household in households:
        started = time.process_time()
        found = plan(household, options, **extra)
        cpu.append((time.process_time() - started) * 1000)
        optimal += found.status is PlanStatus.OPTIMAL
        statuses += "O" if found.status is PlanStatus.OPTIMAL else "F"
    mode = (
        "without blockers"
        if extra
        else (
            "with blockers"
            if takes_blockers or not args.without_blockers
            else "with blockers (this tree always finds them)"
        )
    )
    print(
        f"{corpus_name} {len(cpu)} plans, {mode}: CPU mean {statistics.fmean(cpu):.0f} ms, "
        f"median {statistics.median(cpu):.0f} ms, optimal {optimal}/{len(cpu)}"
        + (f" ({statuses})" if args.offers is not None else "")
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
