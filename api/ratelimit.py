"""Per-key rate limits: a token bucket per API key, where a plan costs more tokens than a read.

A solving operation is charged the plan cost before it runs (so a burst of plans is refused before any
work), then charged back down to a read's cost when it turned out not to solve: an invalid scenario answered
without solving, or a plan served from the plan cache. `SolveCharge` carries what the request did from the
plan service back to the endpoint.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass
class _Bucket:
    tokens: float
    updated: float


@dataclass(frozen=True)
class Decision:
    """Whether a request may spend its tokens, and if not how long until it could."""

    allowed: bool
    retry_after: float = 0.0


@dataclass(frozen=True)
class Quota:
    """A key's bucket as the RateLimit headers show it: its size, whole tokens left, seconds until full."""

    limit: int
    remaining: int
    reset: int

    def headers(self) -> dict[str, str]:
        """The IETF draft's `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` fields."""
        return {
            "RateLimit-Limit": str(self.limit),
            "RateLimit-Remaining": str(self.remaining),
            "RateLimit-Reset": str(self.reset),
        }


class TokenBuckets:
    """`capacity` tokens per key, refilled at `rate` tokens a second; each request spends its cost."""

    def __init__(
        self,
        capacity: float,
        rate: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = 100_000,
    ) -> None:
        if capacity <= 0 or rate <= 0:
            raise ValueError("capacity and rate must be positive")
        self.capacity = capacity
        self.rate = rate
        self._clock = clock
        self._max_keys = max_keys
        self._buckets: dict[str, _Bucket] = {}

    def take(self, key: str, cost: float = 1.0) -> Decision:
        """Spends `cost` tokens of `key`'s bucket, or says how long until it could."""
        bucket = self._refilled(key)
        if cost > self.capacity:
            return Decision(False, retry_after=math.inf)
        if bucket.tokens >= cost:
            bucket.tokens -= cost
            return Decision(True)
        return Decision(False, retry_after=(cost - bucket.tokens) / self.rate)

    def refund(self, key: str, tokens: float) -> None:
        """Gives `tokens` back to `key`'s bucket (never past its capacity): a request cost less than charged."""
        if tokens > 0:
            bucket = self._refilled(key)
            bucket.tokens = min(self.capacity, bucket.tokens + tokens)

    def quota(self, key: str) -> Quota:
        """What is left of `key`'s bucket now, in whole tokens, and the whole seconds until it is full."""
        bucket = self._refilled(key)
        missing = self.capacity - bucket.tokens
        return Quota(
            limit=math.floor(self.capacity),
            remaining=max(0, math.floor(bucket.tokens)),
            reset=max(0, math.ceil(missing / self.rate)) if missing > 1e-9 else 0,
        )

    def _refilled(self, key: str) -> _Bucket:
        """`key`'s bucket, refilled up to now (made full for a key not seen, or forgotten, before)."""
        now = self._clock()
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= self._max_keys:
                self._evict_full(now)
            bucket = self._buckets[key] = _Bucket(self.capacity, now)
        bucket.tokens = min(self.capacity, bucket.tokens + (now - bucket.updated) * self.rate)
        bucket.updated = now
        return bucket

    def _evict_full(self, now: float) -> None:
        """Forgets buckets that have refilled completely: they carry no state worth keeping."""
        for key, bucket in list(self._buckets.items()):
            if bucket.tokens + (now - bucket.updated) * self.rate >= self.capacity:
                del self._buckets[key]


@dataclass
class SolveCharge:
    """Whether a request charged the plan cost really solved (or joined a solve), set by the plan service."""

    solved: bool = False


# The charge of the request being served; None outside a solving request over HTTP (the CLI, jobs, tests).
solve_charge: ContextVar[SolveCharge | None] = ContextVar("solve_charge", default=None)


def note_solve() -> None:
    """Marks the request being served as one that solves: its plan cost stands."""
    charge = solve_charge.get()
    if charge is not None:
        charge.solved = True
