"""The wall-clock end of one plan() call, read from an injectable monotonic clock.

plan() computes one Deadline at entry from options.time_limit_ms; the model build checks it between phases
(OutOfTime when it has passed), and every CP-SAT call takes its max_time_in_seconds from what is left.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

Clock = Callable[[], float]


class OutOfTime(Exception):
    """The deadline passed before the model was built (plan() answers NO_SOLUTION)."""


@dataclass(frozen=True)
class Deadline:
    """A point on `clock` (seconds, monotonic) after which plan() starts nothing new."""

    end: float
    clock: Clock = time.monotonic

    @staticmethod
    def after(seconds: float, clock: Clock = time.monotonic) -> Deadline:
        """The deadline `seconds` from now on `clock`."""
        return Deadline(clock() + max(seconds, 0.0), clock)

    def left(self) -> float:
        """Seconds until the deadline, 0 once it has passed."""
        return max(0.0, self.end - self.clock())

    def earlier(self, seconds: float) -> Deadline:
        """The same clock, `seconds` sooner (time kept back for what follows)."""
        return Deadline(self.end - seconds, self.clock)

    def check(self) -> None:
        """Raises OutOfTime once the deadline has passed."""
        if self.clock() >= self.end:
            raise OutOfTime


NEVER = Deadline(float("inf"))


def reproducible(on: bool = True) -> None:
    """Solves in this process stop on the deterministic budget alone, never on the wall clock.

    A plan is then the same on any machine however loaded (what a test suite needs: it must not depend on
    the machine's speed), at the price of the bound: a heavy household may take several times its limit.
    """
    global _wall_bound
    _wall_bound = not on


def wall_bounded() -> bool:
    """Whether plan() bounds solves by the wall clock (the default; see `reproducible`)."""
    return _wall_bound


_wall_bound = True
