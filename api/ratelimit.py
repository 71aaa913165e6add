"""Per-key rate limits: a token bucket per API key, where a plan costs more tokens than a read."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class _Bucket:
    tokens: float
    updated: float


@dataclass(frozen=True)
class Decision:
    allowed: bool
    retry_after: float = 0.0


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
        now = self._clock()
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= self._max_keys:
                self._evict_full(now)
            bucket = self._buckets[key] = _Bucket(self.capacity, now)
        bucket.tokens = min(self.capacity, bucket.tokens + (now - bucket.updated) * self.rate)
        bucket.updated = now
        if cost > self.capacity:
            return Decision(False, retry_after=math.inf)
        if bucket.tokens >= cost:
            bucket.tokens -= cost
            return Decision(True)
        return Decision(False, retry_after=(cost - bucket.tokens) / self.rate)

    def _evict_full(self, now: float) -> None:
        """Forgets buckets that have refilled completely: they carry no state worth keeping."""
        for key, bucket in list(self._buckets.items()):
            if bucket.tokens + (now - bucket.updated) * self.rate >= self.capacity:
                del self._buckets[key]
