"""What operators see: Prometheus metrics and structured logs that carry the request id on every line."""

from __future__ import annotations

import asyncio
import contextvars
import json
import logging
import time
import uuid
from collections.abc import Callable

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

LATENCY_BUCKETS = (0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class Metrics:
    """The service's metrics in their own registry (so tests and several apps never collide)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Histogram(
            "permitpath_graphql_request_seconds",
            "GraphQL request latency by operation name and outcome",
            ("operation", "outcome"),
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.solves = Histogram(
            "permitpath_solve_seconds",
            "Solve time in the worker by plan status",
            ("status",),
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.plan_cache = Counter(
            "permitpath_plan_cache_total",
            "Plan cache lookups by result (hit, miss)",
            ("result",),
            registry=self.registry,
        )
        self.response_cache = Counter(
            "permitpath_response_cache_total",
            "Read queries answered from the response cache (hit) or executed (miss)",
            ["result"],
            registry=self.registry,
        )
        self.solver_busy = Counter(
            "permitpath_solver_busy_total",
            "Plan requests refused because the queue or the firm's share was full",
            registry=self.registry,
        )
        self.queue_depth = Gauge("permitpath_solver_queue_depth", "Solves waiting for a worker", registry=self.registry)
        self.busy_workers = Gauge("permitpath_solver_busy_workers", "Workers running a solve", registry=self.registry)
        self.workers = Gauge("permitpath_solver_workers", "Live solver worker processes", registry=self.registry)
        self.loop_lag = Histogram(
            "permitpath_event_loop_lag_seconds",
            "How late the event loop woke a 50 ms timer (time it was blocked)",
            buckets=(0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1.0),
            registry=self.registry,
        )
        self.db_pool_in_use = Gauge(
            "permitpath_db_pool_checked_out", "Database connections checked out of the pool", registry=self.registry
        )
        self._collectors: list[Callable[[], None]] = []

    def on_scrape(self, collect: Callable[[], None]) -> None:
        """Registers a function that refreshes gauges just before each scrape."""
        self._collectors.append(collect)

    def render(self) -> tuple[bytes, str]:
        """The exposition text and its content type."""
        for collect in self._collectors:
            collect()
        return generate_latest(self.registry), CONTENT_TYPE_LATEST


async def watch_event_loop(histogram: Histogram, interval: float = 0.05) -> None:
    """Measures event-loop lag forever: how much later than asked a short sleep wakes up."""
    while True:
        started = time.perf_counter()
        await asyncio.sleep(interval)
        histogram.observe(max(0.0, time.perf_counter() - started - interval))


def new_request_id(incoming: str | None) -> str:
    """The caller's X-Request-ID when it is sane, otherwise a fresh one."""
    if incoming and 8 <= len(incoming) <= 128 and incoming.isascii() and incoming.isprintable():
        return incoming
    return uuid.uuid4().hex


class JsonFormatter(logging.Formatter):
    """One JSON object per line, with the request id of the request being served."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "request_id": getattr(record, "request_id", None) or request_id_var.get(),
            "message": record.getMessage(),
        }
        for key in ("operation", "duration_ms", "status", "job_id"):
            if hasattr(record, key):
                entry[key] = getattr(record, key)
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def configure_logging(level: str = "INFO", json_lines: bool = True) -> None:
    """Routes the root logger to stderr, as JSON lines (or plain text for a developer's terminal)."""
    handler = logging.StreamHandler()
    if json_lines:
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"))
        handler.addFilter(_RequestIdFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)


class _RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True
