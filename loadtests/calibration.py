"""A fixed CPU calibration: the same pure-Python and CP-SAT work on any machine, timed, to print beside figures.

    python -m loadtests.calibration

Absolute figures do not carry between machines (issue 17: a machine 3.8x slower gave the same code 3.8x the
time), so every benchmark and load run prints this first, and docs/benchmarks.md quotes it beside each
figure: a figure divided by the calibration of its run compares across machines. The work is fixed and
owes nothing to this project's code, so the calibration does not move when the planner gets faster:

- pure Python: a fixed loop of integer arithmetic, dict and list work (the interpreter's speed, what the
  service's event loop spends most of its time on);
- CP-SAT: a fixed job shop (Fisher and Thompson's 6x6, optimum 55) solved to optimality `CPSAT_SOLVES` times
  on one worker with a fixed seed (the solver's speed, what a plan spends most of its time on).

Each is run `rounds` times and the fastest is kept (the least disturbed by other work on the machine).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from solver.cpsat import cp_model

# ft06 (Fisher and Thompson 1963): per job, its (machine, duration) operations in order. Optimal makespan 55.
FT06 = (
    ((2, 1), (0, 3), (1, 6), (3, 7), (5, 3), (4, 6)),
    ((1, 8), (2, 5), (4, 10), (5, 10), (0, 10), (3, 4)),
    ((2, 5), (3, 4), (5, 8), (0, 9), (1, 1), (4, 7)),
    ((1, 5), (0, 5), (2, 5), (3, 3), (4, 8), (5, 9)),
    ((2, 9), (1, 3), (4, 5), (5, 4), (0, 3), (3, 1)),
    ((1, 3), (3, 3), (5, 9), (0, 10), (4, 4), (2, 1)),
)
FT06_OPTIMUM = 55
PYTHON_STEPS = 150_000
# The job shop is solved this many times per round: long enough to time, short enough to start every run.
CPSAT_SOLVES = 3


@dataclass(frozen=True)
class Calibration:
    """The fastest of the rounds of each workload, in milliseconds."""

    python_ms: float
    cpsat_ms: float

    def line(self) -> str:
        """How figures quote it: `calibration: Python 123 ms, CP-SAT 45 ms`."""
        return f"calibration: Python {self.python_ms:.0f} ms, CP-SAT {self.cpsat_ms:.0f} ms (loadtests/calibration.py)"


def python_work(steps: int = PYTHON_STEPS) -> int:
    """A fixed amount of interpreter work: arithmetic, a dict and a list, with a checksum so none is skipped."""
    seen: dict[int, int] = {}
    values: list[int] = []
    total = 0
    for i in range(steps):
        key = (i * 2_654_435_761) % 1_000_003
        seen[key % 4096] = seen.get(key % 4096, 0) + i
        values.append(key)
        if len(values) > 64:
            total += sum(values) % 97
            values.clear()
    return total + len(seen)


def cpsat_work() -> int:
    """The ft06 job shop solved to optimality on one worker with a fixed seed; returns the makespan."""
    model = cp_model.CpModel()
    horizon = sum(duration for job in FT06 for _, duration in job)
    by_machine: dict[int, list[cp_model.IntervalVar]] = {}
    ends: list[cp_model.IntVar] = []
    for j, job in enumerate(FT06):
        previous_end: cp_model.IntVar | None = None
        for k, (machine, duration) in enumerate(job):
            start = model.new_int_var(0, horizon, f"s{j}_{k}")
            end = model.new_int_var(0, horizon, f"e{j}_{k}")
            by_machine.setdefault(machine, []).append(model.new_interval_var(start, duration, end, f"i{j}_{k}"))
            if previous_end is not None:
                model.add(start >= previous_end)
            previous_end = end
        if previous_end is not None:
            ends.append(previous_end)
    for intervals in by_machine.values():
        model.add_no_overlap(intervals)
    makespan = model.new_int_var(0, horizon, "makespan")
    model.add_max_equality(makespan, ends)
    model.minimize(makespan)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 0
    if solver.solve(model) != cp_model.OPTIMAL:
        raise RuntimeError("the calibration job shop was not solved to optimality")
    return int(solver.objective_value)


def fastest_ms(work: Callable[[], object], rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    return best * 1000


def calibrate(rounds: int = 5) -> Calibration:
    """Times both workloads (the fastest of `rounds` each)."""
    return Calibration(
        python_ms=fastest_ms(python_work, rounds),
        cpsat_ms=fastest_ms(lambda: [cpsat_work() for _ in range(CPSAT_SOLVES)], rounds),
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=5)
    print(calibrate(parser.parse_args(argv).rounds).line())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
