"""The caseload re-plan benchmark: households per second on the process pool and on Dask with 1 and 2 workers.

    python -m loadtests.replan_bench [--households 1000] [--seed 2026] [--workers 2] [--noops 400]

Generates `--households` seeded households (loadtests/generate.py) in a scratch SQLite database, each with a
stored plan (solved first, on the process pool, not timed), then times the whole caseload re-plan
(`api.replan_service.ReplanService`: tasks, the plan, the impact report, one recorded row per household) with the
rules as of 2025-01-21 on: the embedded process pool (`--workers` processes), and a Dask `LocalCluster` of 1, then
`--workers` worker processes (one thread each, over loopback). The engines' own cost per task is measured apart
with `--noops` tasks that do nothing, through the same paths. Prints a markdown table and the extrapolation to
10,000 households. Cluster and pool start-up are not timed.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import importlib
import os
import platform
import random
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from distributed import LocalCluster

from api.dask_runner import DaskRunner
from api.plan_service import Solve, plan_job
from api.replan_service import ReplanService, windowed
from api.services import ApiServices, SolveBackend
from api.solve_runner import ProcessRunner
from db.engine import make_engine, make_sessions, sqlite_url
from db.migrate import upgrade
from db.models import Household, ReplanRun, StoredPlan
from db.plan_json import stored_plan_values
from db.repositories.replans import Replans
from db.repositories.scoped import Actor, TenantScoped
from db.repositories.tenants import ensure_tenant
from loadtests.generate import scenario
from solver import domain
from solver.fingerprint import plan_key

RULES_AS_OF = dt.date(2025, 1, 21)
TODAY = dt.date(2026, 12, 1)
OPTIONS = domain.PlanOptions(time_limit_ms=5000)
BENCH = Actor("replan-bench")


@dataclass(frozen=True)
class Figure:
    engine: str
    workers: int
    households: int
    seconds: float
    noop_ms: float

    @property
    def rate(self) -> float:
        return self.households / self.seconds


def noop(_payload: Any, _emit: Any = None) -> None:
    """A task that does nothing: what an engine costs per task, without the solve."""
    return None


def _importable(fn: Any) -> Any:
    """`fn` as its module's own name holds it: run as `python -m`, this module is `__main__`, which a pool
    worker (whose main module is `solver.worker`) cannot find a function in."""
    return getattr(importlib.import_module("loadtests.replan_bench"), fn.__name__)


@asynccontextmanager
async def backend(engine: str, workers: int) -> AsyncIterator[SolveBackend]:
    """A started solve backend: the process pool, or a Dask LocalCluster with its client."""
    if engine == "process pool":
        pool = ProcessRunner(workers, 2 * workers, niceness=0, jobs_per_worker=None)
        await pool.start()
        try:
            yield pool
        finally:
            await pool.close()
        return
    async with LocalCluster(  # type: ignore[no-untyped-call]
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=":0",
        asynchronous=True,
    ) as cluster:
        dask = DaskRunner(cluster.scheduler_address, in_flight=4 * workers)
        await dask.start()
        try:
            yield dask
        finally:
            await dask.close()


async def noop_ms(runner: SolveBackend, count: int) -> float:
    """Milliseconds per no-op task through the path a re-plan takes on this backend (all in flight at once)."""
    items = [(i, i) for i in range(count)]
    started = time.perf_counter()
    if isinstance(runner, DaskRunner):
        async for _ in runner.map_unordered(_importable(noop), [(str(i), i) for i in range(count)]):
            pass
    else:

        def run(payload: int) -> Awaitable[Any]:
            return runner.run(_importable(noop), payload)

        async for _ in windowed(run, items, max(1, runner.workers)):
            pass
    return 1000 * (time.perf_counter() - started) / count


async def store_caseload(path: Path, households: int, seed: int, workers: int) -> tuple[Any, int]:
    """A scratch database with `households` seeded households, each with its stored plan (solved on the pool)."""
    engine = make_engine(sqlite_url(path))
    await upgrade(engine)
    sessions = make_sessions(engine)
    async with sessions() as session, session.begin():
        tenant_id = (await ensure_tenant(session, slug="bench", name="Benchmark firm")).id
    rng = random.Random(seed)
    scenarios = [scenario(rng) for _ in range(households)]
    async with backend("process pool", workers) as pool:
        assert isinstance(pool, ProcessRunner)

        def solve(index: int) -> Awaitable[Any]:
            return pool.run(plan_job, Solve(scenarios[index], OPTIONS))

        plans: dict[int, domain.Plan] = {}
        async for index, solved in windowed(solve, [(i, i) for i in range(households)], workers):
            plans[index] = solved
    async with sessions() as session, session.begin():
        repo = TenantScoped(session, tenant_id=tenant_id, actor=BENCH)
        for index, found in enumerate(scenarios):
            household = await repo.add(Household, {"name": f"bench {index}"})
            key = plan_key(found, OPTIONS, plans[index].rules_version)
            await repo.add(StoredPlan, stored_plan_values(found, OPTIONS, plans[index], key, household.id))
    return engine, tenant_id


async def replan(engine: Any, tenant_id: int, runner: SolveBackend) -> tuple[float, int]:
    """Seconds for one whole caseload re-plan on `runner`, and how many households it recorded."""
    sessions = make_sessions(engine)
    service = ReplanService(sessions, ApiServices(solve_runner=runner), owner="replan-bench")
    started = time.perf_counter()
    run_id = await service.start(tenant_id, BENCH, RULES_AS_OF, today=TODAY)
    await service.wait(run_id)
    seconds = time.perf_counter() - started
    async with sessions() as session:
        repo = Replans(session, tenant_id=tenant_id)
        run = await repo.get(ReplanRun, run_id)
        done, failed = await repo.counts(run_id)
    assert run is not None and run.state == "DONE", run and run.state
    assert failed == 0, f"{failed} households failed"
    return seconds, done


async def bench(households: int, seed: int, workers: int, noops: int) -> list[Figure]:
    with tempfile.TemporaryDirectory() as scratch:
        engine, tenant_id = await store_caseload(Path(scratch) / "bench.db", households, seed, workers)
        figures = []
        try:
            for engine_name, count in (("process pool", workers), ("dask", 1), ("dask", workers)):
                async with backend(engine_name, count) as runner:
                    await noop_ms(runner, 4 * count)  # warm-up: every worker started and its modules imported
                    overhead = await noop_ms(runner, noops)
                    seconds, done = await replan(engine, tenant_id, runner)
                figures.append(Figure(engine_name, count, done, seconds, overhead))
                print(f"  {engine_name}, {count} worker(s): {done / seconds:.2f} households/s", flush=True)
        finally:
            await engine.dispose()
    return figures


def report(figures: list[Figure], households: int) -> str:
    pool = figures[0]
    lines = [
        f"Caseload re-plan of {households} seeded households, rules as of {RULES_AS_OF} "
        f"({platform.processor() or platform.machine()}, {os.cpu_count()} cores, load average "
        f"{os.getloadavg()[0]:.1f} at the end)",
        "",
        "| engine | workers | households/s | s per household per worker | no-op task ms | vs pool | scaling |",
        "|---|---|---|---|---|---|---|",
    ]
    one = next((f for f in figures if f.engine == "dask" and f.workers == 1), None)
    for f in figures:
        per_household = f.seconds * f.workers / f.households
        scaling = f"{f.rate / one.rate:.2f}x of 1 worker" if one and f.engine == "dask" and f is not one else ""
        lines.append(
            f"| {f.engine} | {f.workers} | {f.rate:.2f} | {per_household:.3f} | {f.noop_ms:.2f} | "
            f"{f.noop_ms - pool.noop_ms:+.2f} ms | {scaling} |"
        )
    best = figures[-1]
    cost = best.seconds * best.workers / best.households  # CPU-seconds per household on this machine
    lines += [
        "",
        f"10,000 households at the measured cost per household per worker ({cost:.3f} s, engine overhead included):",
        "",
    ]
    for n in (2, 8, 32, 64):
        lines.append(f"- {n} workers: {10_000 * cost / n / 60:.1f} min")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--households", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--noops", type=int, default=400)
    args = parser.parse_args(argv)
    figures = asyncio.run(bench(args.households, args.seed, args.workers, args.noops))
    print(report(figures, args.households))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
