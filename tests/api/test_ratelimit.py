"""Token buckets per key: spending, refilling, retry-after, costs above capacity, eviction."""

from __future__ import annotations

import math

import pytest

from api.ratelimit import Decision, Quota, TokenBuckets


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_full_bucket_allows_up_to_its_capacity_then_says_when_to_retry() -> None:
    clock = Clock()
    buckets = TokenBuckets(capacity=3, rate=1, clock=clock)
    assert [buckets.take("k").allowed for _ in range(3)] == [True, True, True]
    assert buckets.take("k") == Decision(False, retry_after=1.0)


def test_tokens_refill_with_time_but_never_past_capacity() -> None:
    clock = Clock()
    buckets = TokenBuckets(capacity=2, rate=0.5, clock=clock)
    buckets.take("k", 2)
    clock.now = 2.0
    assert buckets.take("k") == Decision(True)
    clock.now = 100.0
    assert buckets.take("k", 2) == Decision(True)
    assert buckets.take("k") == Decision(False, retry_after=2.0)


def test_expensive_requests_spend_more() -> None:
    clock = Clock()
    buckets = TokenBuckets(capacity=10, rate=1, clock=clock)
    assert buckets.take("k", 8).allowed
    assert buckets.take("k", 5) == Decision(False, retry_after=3.0)
    assert buckets.take("k", 2).allowed


def test_keys_do_not_share_buckets() -> None:
    buckets = TokenBuckets(capacity=1, rate=1, clock=Clock())
    assert buckets.take("a").allowed
    assert not buckets.take("a").allowed
    assert buckets.take("b").allowed


def test_a_cost_above_capacity_can_never_pass() -> None:
    buckets = TokenBuckets(capacity=5, rate=1, clock=Clock())
    assert buckets.take("k", 6) == Decision(False, retry_after=math.inf)


def test_full_buckets_are_evicted_when_too_many_keys() -> None:
    clock = Clock()
    buckets = TokenBuckets(capacity=1, rate=1, clock=clock, max_keys=2)
    buckets.take("a")
    buckets.take("b")
    clock.now = 5.0
    buckets.take("c")
    assert sorted(buckets._buckets) == ["c"]


def test_bad_configuration_is_refused() -> None:
    with pytest.raises(ValueError, match="positive"):
        TokenBuckets(capacity=0, rate=1)


def test_a_refund_gives_tokens_back_up_to_the_capacity() -> None:
    now = [0.0]
    buckets = TokenBuckets(10.0, 1.0, clock=lambda: now[0])
    assert buckets.take("k", 8.0).allowed
    buckets.refund("k", 5.0)
    assert buckets.quota("k") == Quota(limit=10, remaining=7, reset=3)
    buckets.refund("k", 50.0)
    assert buckets.quota("k") == Quota(limit=10, remaining=10, reset=0)


def test_the_quota_counts_whole_tokens_and_seconds() -> None:
    now = [0.0]
    buckets = TokenBuckets(5.0, 0.5, clock=lambda: now[0])
    assert buckets.quota("new") == Quota(limit=5, remaining=5, reset=0)  # a key not seen is full
    assert buckets.take("k", 5.0).allowed
    now[0] = 1.0  # half a token back: none whole yet, 9 s to full
    assert buckets.quota("k").headers() == {"RateLimit-Limit": "5", "RateLimit-Remaining": "0", "RateLimit-Reset": "9"}
