"""Plans as a service: the plan cache and plan jobs, over the solve runner (or a thread when there is none).

This module (with its cache, `api/plan_cache.py`) is the only one that knows how plans are cached and how
jobs run; resolvers reach it through the context's services ("plans") by `schema.stored_plans.PlanBackend`.

- `plan`: a cached plan (`PlanCache`: by plan key, per tenant, in memory and in `cached_plans`), else a solve
  on the runner, cached.
- Jobs: `start` writes a QUEUED `plan_jobs` row, hands the solve to the runner (SolverBusy when its queue is
  full: then no job is written) and follows it in a task: RUNNING, each improving plan (the job function's
  `emit`), then DONE with the plan (stored as the household's plan for a household job), FAILED or CANCELLED.
  A job in the cache is DONE at once. Every change is written to the row first, then announced to watchers.
  Jobs outlive nothing but their rows, and they are not re-queued: each job names the process that runs it
  (`owner`, stable across restarts of one service: host and port) and carries its heartbeat, which that
  process renews every `heartbeat_seconds`. At startup `fail_unfinished_jobs` marks FAILED, saying why,
  what this service's previous run left QUEUED or RUNNING and what any other process stopped beating for
  `STALE_BEATS` heartbeats; `beat()` sweeps the others' again on each heartbeat. Several service processes
  can share one database: none fails a job another still runs.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.observability import Metrics
from api.plan_cache import PlanCache
from api.solve_runner import Emit, JobState, ProcessRunner, SolverBusy
from db.models import Household, PlanJob, StoredPlan
from db.plan_json import stored_plan_values, to_plain
from db.repository import Abandoned, Actor, Repository, fail_unfinished_jobs
from solver import domain
from solver.rules.registry import load_rules
from solver.solve import plan as solve_plan

log = logging.getLogger("permitpath.plans")

FINISHED = frozenset({"DONE", "FAILED", "CANCELLED"})
RESTART_REASON = "the service restarted while this job was {state}; start it again"
STOPPED_REASON = "the service process running this job stopped while it was {state}; start it again"
# A job whose owner missed this many heartbeats in a row is taken for abandoned.
STALE_BEATS = 3
# How often a job run by the process pool is checked for a new state or an improving plan.
POLL_SECONDS = 0.05
# How often a subscriber to a job that another process runs has its row read again.
REMOTE_POLL_SECONDS = 0.5

Payload = tuple[domain.Scenario, domain.PlanOptions]


def plan_job(payload: Payload, emit: Emit) -> domain.Plan:
    """The solve runner's job for `plan`: plan one scenario (module level, so a worker process can import it)."""
    scenario, options = payload
    return solve_plan(scenario, options)


def progress_job(payload: Payload, emit: Emit) -> domain.Plan:
    """The solve runner's job for a plan job: plan one scenario, emitting each improving plan on the way."""
    scenario, options = payload
    return solve_plan(scenario, options, on_improvement=emit)


@dataclass
class _Flight:
    """A solve of `plan` in progress, and how many callers wait for it."""

    task: asyncio.Future[domain.Plan]
    waiters: int = 0


@dataclass
class _Live:
    """A job this process is running: its task, its runner job, and a signal for each change."""

    tenant_id: int
    changed: asyncio.Event = field(default_factory=asyncio.Event)
    task: asyncio.Task[None] | None = None
    runner_job: str | None = None
    version: int = 0

    def announce(self) -> None:
        self.version += 1
        self.changed.set()
        self.changed = asyncio.Event()


class PlanService:
    """The plan cache and the plan jobs of one process."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        services: dict[str, Any] | None = None,
        *,
        memory_size: int = 1024,
        owner: str = "permitpath",
        heartbeat_seconds: float = 10.0,
    ) -> None:
        self._sessions = sessions
        self.owner = owner
        self.heartbeat_seconds = heartbeat_seconds
        # The lifespan's services, read at each use: the solve runner ("solve_runner") and metrics ("metrics").
        self._services = services if services is not None else {}
        self.cache = PlanCache(sessions, self._services, memory_size=memory_size)
        self._live: dict[int, _Live] = {}
        self._flights: dict[tuple[int, str, int], _Flight] = {}

    @property
    def _runner(self) -> ProcessRunner | None:
        runner: ProcessRunner | None = self._services.get("solve_runner")
        return runner

    @property
    def _metrics(self) -> Metrics | None:
        metrics: Metrics | None = self._services.get("metrics")
        return metrics

    # --- the cache ------------------------------------------------------------------------------

    def key(self, scenario: domain.Scenario, options: domain.PlanOptions) -> str:
        """The cache key of a question under the rules this process plans with."""
        return self.cache.key(scenario, options)

    async def cached(self, tenant_id: int, key: str, time_limit_ms: int) -> domain.Plan | None:
        """The cached plan that answers `key` under `time_limit_ms`, or None (counted as a hit or a miss)."""
        return await self.cache.lookup(tenant_id, key, time_limit_ms)

    async def plan(self, tenant_id: int, scenario: domain.Scenario, options: domain.PlanOptions) -> domain.Plan:
        """The plan for the question: from the cache, else solved (off the event loop) and cached.

        The same question asked again while it is being solved waits for that solve (one solve, however many
        ask); the solve is cancelled, freeing its worker, only when every asker has gone away.
        """
        key = self.key(scenario, options)
        found = await self.cached(tenant_id, key, options.time_limit_ms)
        if found is not None:
            return found
        name = (tenant_id, key, options.time_limit_ms)
        flight = self._flights.get(name)
        if flight is None:
            flight = _Flight(asyncio.ensure_future(self._solve_and_keep(tenant_id, key, scenario, options)))
            self._flights[name] = flight
            flight.task.add_done_callback(lambda _: self._land(name, flight))
        flight.waiters += 1
        try:
            return await asyncio.shield(flight.task)
        except asyncio.CancelledError:
            flight.waiters -= 1
            if flight.waiters == 0:
                flight.task.cancel()
            raise

    async def _solve_and_keep(
        self, tenant_id: int, key: str, scenario: domain.Scenario, options: domain.PlanOptions
    ) -> domain.Plan:
        runner = self._runner
        if runner is not None:
            try:
                result: domain.Plan = await runner.run(plan_job, (scenario, options), tenant=tenant_id)
            except SolverBusy:
                self._count_busy()
                raise
        else:
            result = await asyncio.to_thread(plan_job, (scenario, options), _ignore)
        await self.cache.store(tenant_id, key, options.time_limit_ms, result)
        return result

    def _land(self, name: tuple[int, str, int], flight: _Flight) -> None:
        if self._flights.get(name) is flight:
            del self._flights[name]
        if not flight.task.cancelled():
            flight.task.exception()  # retrieved here: every asker may have gone before it failed

    # --- jobs -----------------------------------------------------------------------------------

    async def start(
        self,
        tenant_id: int,
        actor: Actor,
        scenario: domain.Scenario,
        options: domain.PlanOptions,
        household_id: int | None = None,
    ) -> int:
        """Starts a plan job and returns its id at once; raises SolverBusy (writing nothing) when the queue is full."""
        key = self.key(scenario, options)
        found = await self.cached(tenant_id, key, options.time_limit_ms)
        values: dict[str, Any] = {
            "state": "QUEUED",
            "household_id": household_id,
            "scenario": to_plain(scenario),
            "options": to_plain(options),
            "rules_version": load_rules().version,
            "plan_key": key,
            "improvements": 0,
            "owner": self.owner,
            "heartbeat_at": _now(),
        }
        live = _Live(tenant_id)
        async with self._sessions() as session, session.begin():
            repo = Repository(session, tenant_id=tenant_id, actor=actor)
            job = await repo.add_summarized(PlanJob, values, ("state", "household_id", "rules_version", "plan_key"))
            job_id = job.id
            runner = self._runner
            if found is None and runner is not None:
                try:
                    live.runner_job = runner.submit(progress_job, (scenario, options), tenant=tenant_id)
                except SolverBusy:
                    self._count_busy()
                    raise  # the transaction rolls back: no job was started
        self._live[job_id] = live
        live.task = asyncio.create_task(self._follow(job_id, live, scenario, options, key, household_id, found))
        return job_id

    async def cancel(self, tenant_id: int, actor: Actor, job_id: int) -> PlanJob | None:
        """Cancels the tenant's job (a finished job stays as it is); None when the tenant has no such job."""
        async with self._sessions() as session, session.begin():
            repo = Repository(session, tenant_id=tenant_id, actor=actor)
            job = await repo.get(PlanJob, job_id)
            if job is None or job.state in FINISHED:
                return job
            now = dt.datetime.now(dt.UTC)
            job = await repo.update(job, {"state": "CANCELLED", "finished_at": now, "error": None})
        live = self._live.get(job_id)
        if live is not None and live.tenant_id == tenant_id:
            runner = self._runner
            if live.runner_job is not None and runner is not None:
                runner.cancel(live.runner_job)  # frees the worker at once
                runner.forget(live.runner_job)
            if live.task is not None:
                live.task.cancel()
            live.announce()
        return job

    async def changes(self, tenant_id: int, job_id: int) -> AsyncIterator[None]:
        """Yields once now and again after each change of a job this process runs, until it has finished.

        A job this process does not run (another process's, or one already finished) may still change in
        the database: then it yields every `REMOTE_POLL_SECONDS`, and the caller, which reads the row each
        time, stops once the row says the job has finished (the heartbeat sweep ends an abandoned one).
        """
        live = self._live.get(job_id)
        yield None
        if live is None or live.tenant_id != tenant_id:
            while True:
                await asyncio.sleep(REMOTE_POLL_SECONDS)
                yield None
        seen = 0
        while True:
            if live.version == seen:
                if job_id not in self._live:
                    return
                await live.changed.wait()
            seen = live.version
            yield None

    async def fail_unfinished_jobs(self) -> int:
        """At startup: marks FAILED the unfinished jobs of this service's previous run and those whose owner
        stopped beating; how many there were."""
        which = Abandoned(stale_before=self._stale_before(), gone_owner=self.owner)
        async with self._sessions() as session, session.begin():
            return await fail_unfinished_jobs(session, lambda state: RESTART_REASON.format(state=state), which)

    async def beat(self) -> int:
        """Renews the heartbeat of this process's unfinished jobs, then fails the jobs of other processes that
        stopped beating; how many it failed."""
        now = _now()
        for tenant_id in sorted({live.tenant_id for live in self._live.values()}):
            async with self._sessions() as session, session.begin():
                await Repository(session, tenant_id=tenant_id).touch_jobs(self.owner, now)
        which = Abandoned(stale_before=self._stale_before(), live_owner=self.owner)
        async with self._sessions() as session, session.begin():
            return await fail_unfinished_jobs(session, lambda state: STOPPED_REASON.format(state=state), which)

    async def keep_beating(self) -> None:
        """`beat()` every `heartbeat_seconds`, for the life of the process (a failed beat is logged, not fatal)."""
        while True:
            await asyncio.sleep(self.heartbeat_seconds)
            try:
                if failed := await self.beat():
                    log.warning("%d plan jobs of a stopped service process marked FAILED", failed)
            except (OSError, SQLAlchemyError) as error:
                log.warning("plan job heartbeat failed: %s", error)

    def _stale_before(self) -> dt.datetime:
        return _now() - dt.timedelta(seconds=STALE_BEATS * self.heartbeat_seconds)

    async def close(self) -> None:
        """Stops following jobs (their rows stay as written; the next start marks them FAILED)."""
        for live in list(self._live.values()):
            if live.task is not None:
                live.task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await live.task
        self._live.clear()

    async def _follow(
        self,
        job_id: int,
        live: _Live,
        scenario: domain.Scenario,
        options: domain.PlanOptions,
        key: str,
        household_id: int | None,
        found: domain.Plan | None,
    ) -> None:
        """Moves the job along and writes each step; the task is cancelled when the job is."""
        try:
            if found is not None:
                await self._finish(job_id, live, found, household_id, key, scenario, options)
                return
            result = await self._solve(job_id, live, scenario, options)
            await self.cache.store(live.tenant_id, key, options.time_limit_ms, result)
            await self._finish(job_id, live, result, household_id, key, scenario, options)
        except asyncio.CancelledError:
            raise
        except Exception as error:  # a failed solve is the job's outcome, not the service's crash
            log.exception("plan job %d failed", job_id)
            await self._save(job_id, live, {"state": "FAILED", "error": _summary(error), "finished_at": _now()})
        finally:
            self._live.pop(job_id, None)
            live.announce()

    async def _solve(
        self, job_id: int, live: _Live, scenario: domain.Scenario, options: domain.PlanOptions
    ) -> domain.Plan:
        runner, runner_job = self._runner, live.runner_job
        if runner is None or runner_job is None:
            await self._save(job_id, live, {"state": "RUNNING", "started_at": _now()})
            loop = asyncio.get_running_loop()
            improved: asyncio.Queue[domain.Plan] = asyncio.Queue()

            def emit(value: Any) -> None:
                loop.call_soon_threadsafe(improved.put_nowait, value)

            solving = asyncio.ensure_future(asyncio.to_thread(progress_job, (scenario, options), emit))
            seen = 0
            while not solving.done() or not improved.empty():
                getting = asyncio.ensure_future(improved.get())
                await asyncio.wait({solving, getting}, return_when=asyncio.FIRST_COMPLETED)
                if getting.done():
                    seen += 1
                    await self._improved(job_id, live, getting.result(), seen)
                else:
                    getting.cancel()
            return solving.result()
        seen, running = 0, False
        while True:
            status = runner.status(runner_job)
            if status is None:
                raise RuntimeError("the solve runner forgot the job")
            if not running and status.state is not JobState.QUEUED:
                running = True
                await self._save(job_id, live, {"state": "RUNNING", "started_at": _now()})
            while seen < len(status.progress):
                seen += 1
                await self._improved(job_id, live, status.progress[seen - 1], seen)
            if status.state not in (JobState.QUEUED, JobState.RUNNING):
                try:
                    result: domain.Plan = await runner.result(runner_job)
                    return result
                finally:
                    runner.forget(runner_job)
            await asyncio.sleep(POLL_SECONDS)

    async def _improved(self, job_id: int, live: _Live, plan: domain.Plan, count: int) -> None:
        await self._save(job_id, live, {"plan": to_plain(plan), "improvements": count})

    async def _finish(
        self,
        job_id: int,
        live: _Live,
        result: domain.Plan,
        household_id: int | None,
        key: str,
        scenario: domain.Scenario,
        options: domain.PlanOptions,
    ) -> None:
        values: dict[str, Any] = {"state": "DONE", "plan": to_plain(result), "finished_at": _now(), "error": None}

        async def store(repo: Repository) -> None:
            # A household deleted while it was being planned keeps no plan; the job still ends DONE with it.
            if household_id is not None and await repo.get(Household, household_id) is not None:
                columns = stored_plan_values(scenario, options, result, key, household_id)
                summary = ("household_id", "status", "rules_version", "plan_key")
                stored = await repo.add_summarized(StoredPlan, columns, summary)
                values["stored_plan_id"] = stored.id

        await self._save(job_id, live, values, before=store)

    async def _save(
        self,
        job_id: int,
        live: _Live,
        values: dict[str, Any],
        before: Callable[[Repository], Any] | None = None,
    ) -> None:
        """Writes a step of the job unless it has finished already (a cancel wins over a late result)."""
        async with self._sessions() as session, session.begin():
            repo = Repository(session, tenant_id=live.tenant_id)
            job = await repo.get(PlanJob, job_id)
            if job is None or job.state in FINISHED:
                return
            if before is not None:
                await before(repo)
            await repo.save_job(job, {**values, "heartbeat_at": _now()})
        live.announce()

    def _count_busy(self) -> None:
        if self._metrics is not None:
            self._metrics.solver_busy.inc()


def _ignore(_: Any) -> None:
    return None


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _summary(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:500]
