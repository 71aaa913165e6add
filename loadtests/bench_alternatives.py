"""Alternatives benchmark (`make bench-alternatives`): `count` alternatives against one plan on the headline corpus.

    python -m loadtests.bench_alternatives [--seed 2026] [--headline 40] [--count 3] [--time-limit-ms 2000]
        [--reproducible]

The headline households are `loadtests.bench`'s (a couple, 3 offers, 60 months, drawn with seed + 1). Each is
timed twice in one process, one call after the other: `solver.solve.plan()` and
`solver.alternatives.alternatives(count)` (one build, then a lexicographic solve, decode, blockers and closed
routes per alternative). Prints the medians, the ratio of the medians and the median of the per-household
ratios (the goal: at most `count` times one plan), and how many strategies came back. `--reproducible` stops
solves on their deterministic budgets alone (`solver.deadline.reproducible`), as the tests plan: on a loaded
machine the wall clock otherwise cuts some solves short, one plan's and the alternatives' alike.
"""

from __future__ import annotations

import argparse
import platform
import random
import statistics
import time
from collections import Counter
from collections.abc import Sequence

from loadtests.bench import percentile
from loadtests.generate import scenario
from solver.alternatives import alternatives
from solver.deadline import reproducible
from solver.domain import PlanOptions, Scenario
from solver.rules.registry import RuleSet, load_rules
from solver.solve import plan


def measure(household: Scenario, options: PlanOptions, count: int, rules: RuleSet) -> tuple[float, float, int]:
    """Milliseconds of one plan, of `count` alternatives, and how many alternatives came back."""
    started = time.perf_counter()
    plan(household, options, rules=rules)
    planned = time.perf_counter()
    found = alternatives(household, options, count, rules=rules)
    done = time.perf_counter()
    return (planned - started) * 1000, (done - planned) * 1000, len(found)


def main(argv: Sequence[str] | None = None) -> int:
    """Runs the benchmark and prints its table."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--headline", type=int, default=40, help="couples with 3 offers over 60 months")
    ap.add_argument("--count", type=int, default=3, help="alternatives asked for")
    ap.add_argument("--time-limit-ms", type=int, default=PlanOptions().time_limit_ms)
    ap.add_argument("--reproducible", action="store_true", help="no wall-clock bound: deterministic budgets only")
    args = ap.parse_args(argv)
    if args.reproducible:
        reproducible()
    options = PlanOptions(time_limit_ms=args.time_limit_ms)
    rules = load_rules()
    rng = random.Random(args.seed + 1)
    households = [scenario(rng, couple=True, offers=3, horizon_months=60) for _ in range(args.headline)]
    samples = [measure(h, options, args.count, rules) for h in households]
    one = [s[0] for s in samples]
    many = [s[1] for s in samples]
    ratios = [m / o for o, m, _ in samples]
    found = Counter(s[2] for s in samples)
    print(
        f"permitpath alternatives benchmark: seed {args.seed}, {args.count} alternatives, time limit "
        f"{args.time_limit_ms} ms{' (reproducible: no wall-clock bound)' if args.reproducible else ''}, "
        f"Python {platform.python_version()}"
    )
    print()
    print(
        "| households | n | one plan median ms | p95 | alternatives median ms | p95 | ratio of medians | median ratio |"
    )
    print("|---|---|---|---|---|---|---|---|")
    print(
        f"| couple, 3 offers, 60 months | {len(samples)} | {statistics.median(one):.0f} | "
        f"{percentile(one, 0.95):.0f} | {statistics.median(many):.0f} | {percentile(many, 0.95):.0f} | "
        f"{statistics.median(many) / statistics.median(one):.2f} | {statistics.median(ratios):.2f} |"
    )
    print()
    print("alternatives returned: " + ", ".join(f"{n}: {found[n]} households" for n in sorted(found)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
