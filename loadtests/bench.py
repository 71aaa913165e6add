"""The solver benchmark (`make bench`): model-build and solve time over a seeded corpus of households.

    python -m loadtests.bench [--seed 2026] [--count 120] [--headline 40] [--time-limit-ms 2000]
                              [--without-blockers] [--offers-growth 16]

Prints markdown tables: the whole corpus (single and couple, 0-6 offers, 36-120 months), growth with the
number of offers and with the horizon, and the headline case (a couple, 3 offers, 60 months). Times are wall
clock in one process; the CP-SAT search runs on one worker (solver.model.search.SOLVER_WORKERS).
`--without-blockers` plans as a query that does not select the blockers does (plan(blockers=False));
`--offers-growth N` adds N couples over 60 months for each of 0, 1, 3, 6 and 10 offers.
"""

from __future__ import annotations

import argparse
import platform
import random
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from loadtests.calibration import calibrate
from loadtests.generate import corpus, scenario
from solver.domain import PlanOptions, PlanStatus, Scenario
from solver.model.build import build
from solver.options import build_options
from solver.rules.registry import load_rules
from solver.solve import plan


@dataclass(frozen=True)
class Sample:
    """One household's timings in milliseconds and the plan's status."""

    offers: int
    months: int
    couple: bool
    build_ms: float
    total_ms: float
    optimal: bool

    @property
    def solve_ms(self) -> float:
        return max(0.0, self.total_ms - self.build_ms)


def measure(household: Scenario, options: PlanOptions, blockers: bool = True) -> Sample:
    """Times building the model alone, then the whole plan() (build, lexicographic solve, decode, and the
    blockers unless `blockers` is false)."""
    rules = load_rules()
    started = time.perf_counter()
    build(build_options(household, options, rules))
    built = time.perf_counter()
    result = plan(household, options, rules=rules, blockers=blockers)
    done = time.perf_counter()
    return Sample(
        offers=len(household.offers),
        months=household.horizon_months,
        couple=household.spouse is not None,
        build_ms=(built - started) * 1000,
        total_ms=(done - built) * 1000,
        optimal=result.status is PlanStatus.OPTIMAL,
    )


def percentile(values: Sequence[float], q: float) -> float:
    """The q-quantile (0..1) by the nearest-rank method."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q * len(ordered) + 0.5)))
    return ordered[rank - 1]


def row(label: str, samples: Sequence[Sample]) -> str:
    """One markdown table row: count, build and solve medians, mean, median, p95 and max of the total, share
    optimal."""
    if not samples:
        return f"| {label} | 0 | | | | | | | |"
    total = [s.total_ms for s in samples]
    return (
        f"| {label} | {len(samples)} | {statistics.median(s.build_ms for s in samples):.0f} | "
        f"{statistics.median(s.solve_ms for s in samples):.0f} | {statistics.mean(total):.0f} | "
        f"{statistics.median(total):.0f} | {percentile(total, 0.95):.0f} | {max(total):.0f} | "
        f"{100 * sum(s.optimal for s in samples) / len(samples):.0f}% |"
    )


HEADER = (
    "| households | n | build median ms | solve median ms | total mean ms | total median ms | total p95 ms "
    "| total max ms | optimal |\n"
    "|---|---|---|---|---|---|---|---|---|"
)
# The offer counts of the growth section (`--offers-growth`).
GROWTH_OFFERS = (0, 1, 3, 6, 10)


def table(title: str, groups: Sequence[tuple[str, Callable[[Sample], bool]]], samples: Sequence[Sample]) -> str:
    lines = [f"### {title}", "", HEADER]
    lines += [row(label, [s for s in samples if keep(s)]) for label, keep in groups]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Runs the benchmark and prints its tables."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--count", type=int, default=120, help="households in the mixed corpus")
    ap.add_argument("--headline", type=int, default=40, help="couples with 3 offers over 60 months")
    ap.add_argument("--time-limit-ms", type=int, default=PlanOptions().time_limit_ms)
    ap.add_argument("--without-blockers", action="store_true", help="plan as a query that does not select blockers")
    ap.add_argument("--offers-growth", type=int, default=0, help="couples for each of 0, 1, 3, 6 and 10 offers")
    args = ap.parse_args(argv)
    options = PlanOptions(time_limit_ms=args.time_limit_ms)
    blockers = not args.without_blockers
    mixed = [measure(h, options, blockers) for h in corpus(args.seed, args.count)]
    rng = random.Random(args.seed + 1)
    headline = [
        measure(scenario(rng, couple=True, offers=3, horizon_months=60), options, blockers)
        for _ in range(args.headline)
    ]
    limit = args.time_limit_ms
    print(
        f"permitpath solver benchmark: seed {args.seed}, time limit {limit} ms, Python {platform.python_version()}"
        + ("" if blockers else ", without blockers")
    )
    print(calibrate().line())  # beside the figures: they compare across machines divided by it (issue 17)
    print()
    print(table("Headline: couple, 3 offers, 60 months", [("couple, 3 offers, 60 months", lambda s: True)], headline))
    print()
    everyone = [("all", lambda s: True), ("single", lambda s: not s.couple), ("couple", lambda s: s.couple)]
    print(table("Mixed corpus (single and couple, 0-6 offers, 36-120 months)", everyone, mixed))
    print()
    by_offers = [(f"{n} offers", lambda s, n=n: s.offers == n) for n in range(7)]
    print(table("Growth with the number of offers (mixed corpus)", by_offers, mixed))
    print()
    spans = ((36, 60), (61, 90), (91, 120))
    by_months = [(f"{lo}-{hi} months", lambda s, lo=lo, hi=hi: lo <= s.months <= hi) for lo, hi in spans]
    print(table("Growth with the horizon (mixed corpus)", by_months, mixed))
    if args.offers_growth:
        growth = [
            measure(h, options, blockers)
            for n in GROWTH_OFFERS
            for h in corpus(args.seed, args.offers_growth, couple=True, offers=n, horizon_months=60)
        ]
        print()
        by_count = [(f"{n} offers", lambda s, n=n: s.offers == n) for n in GROWTH_OFFERS]
        title = f"Growth with the number of offers ({args.offers_growth} couples each, 60 months)"
        print(table(title, by_count, growth))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
