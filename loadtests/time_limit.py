"""Wall time of plan() against its time limit on heavy households (docs/benchmarks.md, issue 10).

    python -m loadtests.time_limit LIMIT_MS N_HEADLINE N_HEAVY

Headline households (couple, 3 offers, 60 months, seed 2027) then heavy couples (6-10 offers, 120 months,
seed 4242), one plan() each in one process; prints each wall time and how far past the limit it ended.
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Sequence

from loadtests.generate import scenario
from solver.domain import PlanOptions, Scenario
from solver.rules.registry import load_rules
from solver.solve import plan


def households(headline: int, heavy: int) -> list[tuple[str, Scenario]]:
    """The headline households, then the heavy couples, each from its own seed."""
    rng = random.Random(2027)
    out = [("headline", scenario(rng, couple=True, offers=3, horizon_months=60)) for _ in range(headline)]
    rng = random.Random(4242)
    out += [("heavy", scenario(rng, couple=True, offers=6 + i % 5, horizon_months=120)) for i in range(heavy)]
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """Plans each household under the limit and prints its wall time."""
    limit, headline, heavy = (int(a) for a in (argv if argv is not None else sys.argv[1:4]))
    rules = load_rules()
    for kind, household in households(headline, heavy):
        started = time.perf_counter()
        result = plan(household, PlanOptions(time_limit_ms=limit), rules=rules)
        wall = (time.perf_counter() - started) * 1000
        print(
            f"{kind} offers={len(household.offers)} limit={limit} wall_ms={wall:.0f} over_ms={wall - limit:.0f} "
            f"status={result.status.value}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
