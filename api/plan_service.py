"""Plans as a service: the plan cache and plan jobs, over the solve runner (or a thread when there is none).

This module (with its cache, `api/plan_cache.py`) is the only one that knows how plans are cached and how
jobs run; resolvers reach it through the context's services (`plans`) by `schema.services.Plans`.

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
  `STALE_BEATS` heartbeats; `beat()` sweeps the others' again on each heartbeat, and this process's own that
  no task of it holds any more. Several service processes can share one database: none fails a job another
  still runs.
- Faults: a step's write that meets a database fault does not stop the job. A progress step (RUNNING, a
  better plan) is carried into the next write; the last one (DONE, FAILED) is tried again with backoff for
  up to `retry_for` seconds, and a DONE the database refuses becomes FAILED saying why. A job whose end
  could not be written at all is let go, and the sweep fails it once the database answers again.
- A household's deletion cancels its unfinished jobs (`cancel_household_jobs`, in the deletion's
  transaction), and `stop` then frees their solves; a job another process ended is stopped at the next beat.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.changes import Changes
from api.observability import Metrics
from api.plan_cache import PlanCache
from api.ratelimit import note_solve
from api.services import ApiServices, SolveBackend
from api.solve_runner import JobState, SolverBusy
from db.models import Household, PlanJob, StoredPlan
from db.plan_json import stored_plan_values, to_plain
from db.repositories.jobs import Abandoned, PlanJobs, fail_unfinished_jobs
from db.repositories.scoped import Actor, TenantScoped, bumps_no_revision
from solver import domain
from solver.alternatives import Alternative

# The jobs live in the solver (solver/job.py): a worker imports nothing of the service; they are kept here by
# name for their callers.
from solver.job import Alternatives as Alternatives
from solver.job import Solve as Solve
from solver.job import alternatives_job as alternatives_job
from solver.job import plan_job as plan_job
from solver.rules.registry import load_rules

log = logging.getLogger("permitpath.plans")

FINISHED = frozenset({"DONE", "FAILED", "CANCELLED"})
RESTART_REASON = "the service restarted while this job was {state}; start it again"
STOPPED_REASON = "the service process running this job stopped while it was {state}; start it again"
ORPHAN_REASON = (
    "the service could not record the end of this job while it was {state} (the database did not answer); "
    "start it again"
)
UNSAVED_REASON = "the plan was found but could not be saved ({error}); start it again"
HOUSEHOLD_DELETED_REASON = "the household was deleted"
# What a write meets when the database is away for a moment (down, unreachable, locked, its pool exhausted).
DATABASE_FAULTS = (OSError, SQLAlchemyError, TimeoutError)
# A job whose owner missed this many heartbeats in a row is taken for abandoned.
STALE_BEATS = 3
# How often a job run by the process pool is checked for a new state or an improving plan.
POLL_SECONDS = 0.05
# How often a subscriber to a job that another process runs has its row read again.
REMOTE_POLL_SECONDS = 0.5
# How often a subscriber to a job this process runs has its row read again without a change announced here
# (another process may have ended it: a sweep, a cancel, a household's deletion).
LOCAL_POLL_SECONDS = 5.0
# How long the last write of a job is tried again while the database does not answer, and the backoff.
RETRY_FOR_SECONDS = 300.0
FIRST_RETRY_SECONDS = 0.5
LONGEST_RETRY_SECONDS = 30.0
# Connections of the plan service's own pool (job writes, the plan cache): a burst of plans waits for these
# and never takes the connections requests read with.
POOL_SIZE = 4

Clock = Callable[[], dt.datetime]
Sleep = Callable[[float], Awaitable[None]]
# A write made in the job's transaction before its step (storing a household's plan); returns more columns.
Before = Callable[[TenantScoped], Awaitable[dict[str, Any]]]


@dataclass
class _Flight:
    """A solve of `plan` in progress, and how many callers wait for it."""

    task: asyncio.Future[domain.Plan]
    waiters: int = 0


@dataclass
class _Live:
    """A job this process is running: its task, its runner job, and a signal for each change."""

    tenant_id: int
    household_id: int | None = None
    changes: Changes = field(default_factory=Changes)
    task: asyncio.Task[None] | None = None
    runner_job: str | None = None
    # Progress steps the database did not take: written with the next step.
    pending: dict[str, Any] = field(default_factory=dict)


class PlanService:
    """The plan cache and the plan jobs of one process."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        services: ApiServices | None = None,
        *,
        memory_size: int = 1024,
        owner: str = "permitpath",
        heartbeat_seconds: float = 10.0,
        clock: Clock | None = None,
        sleep: Sleep = asyncio.sleep,
        retry_for: float = RETRY_FOR_SECONDS,
    ) -> None:
        self._sessions = sessions
        self.owner = owner
        self.heartbeat_seconds = heartbeat_seconds
        self.clock: Clock = clock or _utc_now
        self._sleep = sleep
        self.retry_for = retry_for
        # After a beat that failed, the next one only renews: the other processes could not beat either.
        self._beat_failed = False
        # The lifespan's services, read at each use: the solve runner and the metrics.
        self._services = services if services is not None else ApiServices()
        self.cache = PlanCache(sessions, self._services, memory_size=memory_size)
        self._live: dict[int, _Live] = {}
        self._flights: dict[tuple[int, str, int], _Flight] = {}

    @property
    def _runner(self) -> SolveBackend | None:
        return self._services.solve_runner

    @property
    def _metrics(self) -> Metrics | None:
        return self._services.metrics

    # --- the cache ------------------------------------------------------------------------------

    def key(self, scenario: domain.Scenario, options: domain.PlanOptions, blockers: bool = True) -> str:
        """The cache key of a question under the rules this process plans with."""
        return self.cache.key(scenario, options, blockers)

    async def cached(self, tenant_id: int, key: str, time_limit_ms: int) -> domain.Plan | None:
        """The cached plan that answers `key` under `time_limit_ms`, or None (counted as a hit or a miss)."""
        return await self.cache.lookup(tenant_id, key, time_limit_ms)

    async def plan(
        self, tenant_id: int, scenario: domain.Scenario, options: domain.PlanOptions, blockers: bool = True
    ) -> domain.Plan:
        """The plan for the question: from the cache, else solved (off the event loop) and cached; with its
        blockers unless `blockers` is false (then cached apart).

        The same question asked again while it is being solved waits for that solve (one solve, however many
        ask); the solve is cancelled, freeing its worker, only when every asker has gone away.
        """
        key = self.key(scenario, options, blockers)
        found = await self.cached(tenant_id, key, options.time_limit_ms)
        if found is not None:
            return found
        note_solve()  # a cached plan is charged as a read; this one solves (or joins a solve) at full cost
        name = (tenant_id, key, options.time_limit_ms)
        flight = self._flights.get(name)
        if flight is None:
            solve = Solve(scenario, options, blockers=blockers)
            flight = _Flight(asyncio.ensure_future(self._solve_and_keep(tenant_id, key, solve)))
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

    async def alternatives(
        self, tenant_id: int, scenario: domain.Scenario, options: domain.PlanOptions, count: int
    ) -> list[Alternative]:
        """Up to `count` plans of different strategies (`solver.alternatives`), solved on the runner (or a thread).

        Not cached: the plan cache keeps single plans. The request is charged as `count` plans.
        """
        note_solve()
        ask = Alternatives(scenario, options, count)
        runner = self._runner
        if runner is None:
            return await asyncio.to_thread(alternatives_job, ask, _ignore)
        try:
            found: list[Alternative] = await runner.run(alternatives_job, ask, tenant=tenant_id)
        except SolverBusy:
            self._count_busy()
            raise
        return found

    async def _solve_and_keep(self, tenant_id: int, key: str, solve: Solve) -> domain.Plan:
        runner = self._runner
        if runner is not None:
            try:
                result: domain.Plan = await runner.run(plan_job, solve, tenant=tenant_id)
            except SolverBusy:
                self._count_busy()
                raise
        else:
            result = await asyncio.to_thread(plan_job, solve, _ignore)
        await self._keep(tenant_id, key, solve.options.time_limit_ms, result)
        return result

    async def _keep(self, tenant_id: int, key: str, time_limit_ms: int, result: domain.Plan) -> None:
        """Caches a solved plan; a database fault costs only the stored copy (the memory keeps it)."""
        try:
            await self.cache.store(tenant_id, key, time_limit_ms, result)
        except DATABASE_FAULTS as error:
            log.warning("a solved plan was not stored in the plan cache: %s", _summary(error))

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
        if found is None:
            note_solve()
        values: dict[str, Any] = {
            "state": "QUEUED",
            "household_id": household_id,
            "scenario": to_plain(scenario),
            "options": to_plain(options),
            "rules_version": load_rules().version,
            "plan_key": key,
            "improvements": 0,
            "owner": self.owner,
            "heartbeat_at": self.clock(),
        }
        live = _Live(tenant_id, household_id)
        async with self._sessions() as session, session.begin():
            repo = PlanJobs(session, tenant_id=tenant_id, actor=actor)
            job = await repo.add_summarized(PlanJob, values, ("state", "household_id", "rules_version", "plan_key"))
            job_id = job.id
            runner = self._runner
            if found is None and runner is not None:
                try:
                    live.runner_job = runner.submit(plan_job, Solve(scenario, options, progress=True), tenant=tenant_id)
                except SolverBusy:
                    self._count_busy()
                    raise  # the transaction rolls back: no job was started
        self._live[job_id] = live
        live.task = asyncio.create_task(self._follow(job_id, live, scenario, options, key, household_id, found))
        live.task.add_done_callback(_retrieve)
        return job_id

    async def cancel(self, tenant_id: int, actor: Actor, job_id: int) -> PlanJob | None:
        """Cancels the tenant's job (a finished job stays as it is); None when the tenant has no such job."""
        async with self._sessions() as session, session.begin():
            repo = PlanJobs(session, tenant_id=tenant_id, actor=actor)
            job = await repo.get(PlanJob, job_id)
            if job is None or job.state in FINISHED:
                return job
            job = await repo.update(job, {"state": "CANCELLED", "finished_at": self.clock(), "error": None})
        live = self._live.get(job_id)
        if live is not None and live.tenant_id == tenant_id:
            self.stop([job_id])
        return job

    async def cancel_household_jobs(self, jobs: PlanJobs, household_id: int) -> list[int]:
        """In the caller's transaction (a household's deletion): marks the household's unfinished jobs
        CANCELLED, saying why; their ids, for `stop` once the transaction has committed."""
        values = {"state": "CANCELLED", "finished_at": self.clock(), "error": HOUSEHOLD_DELETED_REASON}
        return [(await jobs.update(job, values)).id for job in await jobs.unfinished_jobs(household_id)]

    def stop(self, job_ids: Iterable[int]) -> None:
        """Stops following jobs whose end was written already: frees their solves and wakes their watchers."""
        runner = self._runner
        for job_id in job_ids:
            live = self._live.get(job_id)
            if live is None:
                continue
            if live.runner_job is not None and runner is not None:
                runner.cancel(live.runner_job)  # frees the worker at once
                runner.forget(live.runner_job)
            if live.task is not None:
                live.task.cancel()
            live.changes.announce()

    async def changes(self, tenant_id: int, job_id: int) -> AsyncIterator[None]:
        """Yields once now, then after each change this process makes to the job, and never ends by itself:
        the caller, which reads the row each time, stops once the row says the job has finished or is gone.

        A job this process does not run (another process's, or one whose follower has ended) may still change
        in the database: then it yields every `REMOTE_POLL_SECONDS`; one it runs, at least every
        `LOCAL_POLL_SECONDS` (another process may end it). So a subscriber sees the end, whoever writes it.
        """
        yield None
        seen: int | None = None
        while True:
            live = self._live.get(job_id)
            if live is None or live.tenant_id != tenant_id:
                await asyncio.sleep(REMOTE_POLL_SECONDS)
            else:
                seen = await live.changes.after(seen, LOCAL_POLL_SECONDS)
            yield None

    async def fail_unfinished_jobs(self) -> int:
        """At startup: marks FAILED the unfinished jobs of this service's previous run and those whose owner
        stopped beating; how many there were."""
        which = Abandoned(stale_before=self._stale_before(), gone_owner=self.owner)
        async with self._sessions() as session, session.begin():
            reason = RESTART_REASON.format
            return await fail_unfinished_jobs(session, lambda state: reason(state=state), which, self.clock())

    async def beat(self) -> int:
        """Renews the heartbeat of the jobs this process follows (stopping those someone else ended), then
        fails the jobs of other processes that stopped beating and its own that no task follows; how many.

        After a beat that failed, this one only renews: the database was away for every process, so the
        others' heartbeats are late too, and they get one heartbeat to renew theirs before they are judged.
        """
        try:
            await self._renew()
        except BaseException:
            self._beat_failed = True
            raise
        if self._beat_failed:
            self._beat_failed = False
            return 0
        now, stale_before = self.clock(), self._stale_before()
        held = frozenset(self._live)
        others = Abandoned(stale_before=stale_before, live_owner=self.owner)
        orphans = Abandoned(stale_before=stale_before, orphans_of=self.owner, held=held)
        async with self._sessions() as session, session.begin():
            await bumps_no_revision(session)
            stopped = await fail_unfinished_jobs(session, lambda state: STOPPED_REASON.format(state=state), others, now)
            lost = await fail_unfinished_jobs(session, lambda state: ORPHAN_REASON.format(state=state), orphans, now)
        if lost:
            log.warning("%d plan jobs of this process that no task followed marked FAILED", lost)
        return stopped + lost

    async def _renew(self) -> None:
        now = self.clock()
        by_tenant: dict[int, list[int]] = {}
        for job_id, live in self._live.items():
            by_tenant.setdefault(live.tenant_id, []).append(job_id)
        for tenant_id, held in sorted(by_tenant.items()):
            async with self._sessions() as session, session.begin():
                await bumps_no_revision(session)
                renewed = await PlanJobs(session, tenant_id=tenant_id).touch_jobs(self.owner, now, held)
            # Ended by someone else (a cancel or a household's deletion in another process, a sweep): stop.
            self.stop(set(held) - set(renewed))

    async def keep_beating(self) -> None:
        """`beat()` every `heartbeat_seconds`, for the life of the process (a failed beat is logged, not fatal)."""
        while True:
            await asyncio.sleep(self.heartbeat_seconds)
            try:
                if failed := await self.beat():
                    log.warning("%d abandoned plan jobs marked FAILED", failed)
            except DATABASE_FAULTS as error:
                log.warning("plan job heartbeat failed: %s", _summary(error))

    def _stale_before(self) -> dt.datetime:
        return self.clock() - dt.timedelta(seconds=STALE_BEATS * self.heartbeat_seconds)

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
        """Moves the job along and writes each step; the task is cancelled when the job is.

        Nothing escapes it but its cancellation: a failed solve ends the job FAILED, and `_end` deals with
        a database that does not take the end.
        """
        try:
            if found is None:
                found = await self._solve(job_id, live, scenario, options)
                await self._keep(live.tenant_id, key, options.time_limit_ms, found)
            await self._finish(job_id, live, found, household_id, key, scenario, options)
        except asyncio.CancelledError:
            raise
        except Exception as error:  # a failed solve is the job's outcome, not the service's crash
            log.exception("plan job %d failed", job_id)
            await self._end(job_id, live, {"state": "FAILED", "error": _summary(error), "finished_at": self.clock()})
        finally:
            self._live.pop(job_id, None)
            live.changes.announce()

    async def _solve(
        self, job_id: int, live: _Live, scenario: domain.Scenario, options: domain.PlanOptions
    ) -> domain.Plan:
        runner, runner_job = self._runner, live.runner_job
        if runner is None or runner_job is None:
            await self._step(job_id, live, {"state": "RUNNING", "started_at": self.clock()})
            loop = asyncio.get_running_loop()
            improved: asyncio.Queue[domain.Plan] = asyncio.Queue()

            def emit(value: Any) -> None:
                loop.call_soon_threadsafe(improved.put_nowait, value)

            solving = asyncio.ensure_future(asyncio.to_thread(plan_job, Solve(scenario, options, progress=True), emit))
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
                await self._step(job_id, live, {"state": "RUNNING", "started_at": self.clock()})
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
        await self._step(job_id, live, {"plan": to_plain(plan), "improvements": count})

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
        values: dict[str, Any] = {
            "state": "DONE",
            "plan": to_plain(result),
            "finished_at": self.clock(),
            "error": None,
        }

        async def store(repo: TenantScoped) -> dict[str, Any]:
            # A household deleted while it was being planned keeps no plan; the job still ends DONE with it.
            if household_id is None or await repo.get(Household, household_id) is None:
                return {}
            columns = stored_plan_values(scenario, options, result, key, household_id)
            summary = ("household_id", "status", "rules_version", "plan_key")
            stored = await repo.add_summarized(StoredPlan, columns, summary)
            return {"stored_plan_id": stored.id}

        await self._end(job_id, live, values, before=store)

    async def _step(self, job_id: int, live: _Live, values: dict[str, Any]) -> None:
        """Writes a progress step; when the database does not take it, the next write carries it."""
        try:
            await self._save(job_id, live, {**live.pending, **values})
        except DATABASE_FAULTS as error:
            live.pending.update(values)
            log.warning("plan job %d: a progress step was not written (%s); the next write carries it", job_id, error)
        else:
            live.pending.clear()

    async def _end(
        self,
        job_id: int,
        live: _Live,
        values: dict[str, Any],
        before: Before | None = None,
    ) -> None:
        """Writes the job's end, trying again while the database is away; never raises but its cancellation.

        A DONE the database refuses outright (it answered, with an error) becomes FAILED saying why. An end
        not written within `retry_for` seconds is given up: the task lets the job go, and the heartbeat sweep
        fails it once the database answers (`ORPHAN_REASON`).
        """
        try:
            await self._retrying(job_id, lambda: self._save(job_id, live, {**live.pending, **values}, before))
            return
        except asyncio.CancelledError:
            raise
        except DATABASE_FAULTS as error:
            if _unreachable(error) or values.get("state") != "DONE":
                log.error("plan job %d: its end was not written (%s); the sweep will fail it", job_id, error)
                return
            log.exception("plan job %d: the database refused its plan", job_id)
            refused = error
        failed = {
            "state": "FAILED",
            "error": UNSAVED_REASON.format(error=_summary(refused)),
            "finished_at": self.clock(),
        }
        try:
            await self._retrying(job_id, lambda: self._save(job_id, live, failed))
        except DATABASE_FAULTS as error:
            log.error("plan job %d: its end was not written (%s); the sweep will fail it", job_id, error)

    async def _retrying(self, job_id: int, write: Callable[[], Awaitable[None]]) -> None:
        """`write()`, tried again with a growing pause while the database is unreachable, for `retry_for` s."""
        waited, pause = 0.0, FIRST_RETRY_SECONDS
        while True:
            try:
                await write()
                return
            except DATABASE_FAULTS as error:
                if not _unreachable(error) or waited >= self.retry_for:
                    raise
                log.warning("plan job %d: the database did not take its end (%s); again in %g s", job_id, error, pause)
            await self._sleep(pause)
            waited += pause
            pause = min(pause * 2, LONGEST_RETRY_SECONDS)

    async def _save(
        self,
        job_id: int,
        live: _Live,
        values: dict[str, Any],
        before: Before | None = None,
    ) -> None:
        """Writes a step of the job unless it has finished already (a cancel wins over a late result)."""
        async with self._sessions() as session, session.begin():
            repo = PlanJobs(session, tenant_id=live.tenant_id)
            job = await repo.get(PlanJob, job_id)
            if job is None or job.state in FINISHED:
                return
            added = await before(repo) if before is not None else {}
            await repo.save_job(job, {**values, **added, "heartbeat_at": self.clock()})
        live.changes.announce()

    def _count_busy(self) -> None:
        if self._metrics is not None:
            self._metrics.solver_busy.inc()


def _ignore(_: Any) -> None:
    return None


def _retrieve(task: asyncio.Task[None]) -> None:
    """A job's task ends without an exception by design; should one escape, it is logged, not left unretrieved."""
    if not task.cancelled() and (error := task.exception()) is not None:
        log.error("plan job follower failed", exc_info=error)


def _unreachable(error: BaseException) -> bool:
    """Whether the database could not be reached (worth trying again), rather than refusing the statement."""
    if isinstance(error, OSError | TimeoutError | PoolTimeout | OperationalError | InterfaceError):
        return True
    return isinstance(error, DBAPIError) and error.connection_invalidated


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _summary(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:500]
