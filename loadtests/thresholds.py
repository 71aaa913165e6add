"""The load test's pass marks, in one place: failure ratio, p95 and p99 (ms) per request name and phase.

Figures are the goals of issue 6, met on the 2-core machine of docs/benchmarks.md ("Service under load"),
whose trivial-GraphQL ceiling was `REFERENCE_CEILING_RPS`. A run judges them as ratios to its own ceiling
(issue 17): on a machine whose ceiling is k times lower (`slowness`), every time mark is k times longer,
every rate mark and every offered rate k times lower. A faster machine is held to the marks as written. A
phase passes when every named request in it meets its marks; `run.py` exits non-zero when any phase misses one.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass


@dataclass(frozen=True)
class Mark:
    max_failure_ratio: float = 0.0
    p95_ms: float | None = None
    p99_ms: float | None = None
    min_rps: float | None = None

    def scaled(self, slowness: float) -> Mark:
        """The mark for a machine `slowness` times slower than the reference: times longer, rates lower."""
        return dataclasses.replace(
            self,
            p95_ms=None if self.p95_ms is None else self.p95_ms * slowness,
            p99_ms=None if self.p99_ms is None else self.p99_ms * slowness,
            min_rps=None if self.min_rps is None else self.min_rps / slowness,
        )


# The trivial-GraphQL ceiling (`{ __typename }`, requests/s) of the run the marks were set on (64477cb).
REFERENCE_CEILING_RPS = 1818.0


def slowness(ceiling_rps: float | None) -> float:
    """How many times slower than the reference this run's machine is, from its own trivial-GraphQL ceiling
    (1 when the ceiling was not measured, or when the machine is faster)."""
    if not ceiling_rps:
        return 1.0
    return max(1.0, REFERENCE_CEILING_RPS / ceiling_rps)


# phase -> request name -> mark
THRESHOLDS: dict[str, dict[str, Mark]] = {
    "reads": {
        "Households": Mark(p95_ms=50),
        "PermitCategories": Mark(p95_ms=50),
        "Aggregated": Mark(min_rps=800),
    },
    "integrator": {"PermitCategories (GET by id)": Mark(p95_ms=50)},
    "plans": {"PlanScenario (new)": Mark(p95_ms=1000, min_rps=8)},
    "cache": {"PlanScenario (hot)": Mark(p95_ms=50)},
    "overload": {
        "/healthz": Mark(p99_ms=50),
        "Households": Mark(p95_ms=50),
    },
}
# Under overload a plan may be refused (SOLVER_BUSY), quickly; no other failure is allowed.
OVERLOAD_BUSY_P95_MS = 50.0
EVENT_LOOP_LAG_P99_MS = 20.0
