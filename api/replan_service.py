"""Caseload re-plans: every household of a firm planned again under a rules date, each compared with its stored plan.

`start` fixes the run's households (each household's newest stored plan, by id) in a `replan_runs` row and
returns at once; a task of this process drives the run:

- each household's task (`api.replan_job.replan_job`: the stored plan's question, the run's `rules_as_of`, then
  `solver.impact`) runs on the solve backend: the Dask cluster's workers (`DaskRunner.map_unordered`,
  `Client.map` below interactive solves), else the process pool (at most one task per worker in flight, so
  interactive solves still find the queue), else a thread;
- each result is recorded as it lands, in its own transaction, once: `replan_results` is unique per run and
  household and the insert does nothing on a conflict, so a task run twice (its worker was lost and the
  scheduler ran it elsewhere, or the service restarted) is kept once;
- a service restarted mid-run resumes it (`resume_unfinished_runs`, at startup, for the runs this service
  process owns): only the households with no result yet are submitted again;
- stored plans are never written: a re-plan reads the question of each household's stored plan and records
  its report apart, so it can never overwrite a newer plan (a consultant re-plans a household to keep one);
- `cancel` marks the run CANCELLED and stops its task, which cancels the tasks not yet landed.

Progress (done/total) is the count of recorded results; `changes` wakes subscribers at each one.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import datetime as dt
import logging
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.changes import Changes
from api.dask_runner import DaskRunner
from api.replan_job import ReplanOutcome, ReplanTask, replan_job
from api.services import ApiServices
from api.solve_runner import JobFailed, ProcessRunner, SolverBusy
from db.models import ReplanRun, StoredPlan
from db.plan_json import from_plain, to_plain
from db.repositories.replans import Replans, unfinished_runs
from db.repositories.scoped import Actor
from solver import domain
from solver.rules.registry import load_rules

log = logging.getLogger("permitpath.replans")

FINISHED = frozenset({"DONE", "FAILED", "CANCELLED"})
DATABASE_FAULTS = (OSError, SQLAlchemyError, TimeoutError)
# A failed household sorts after every report (it is counted apart as `failed`).
FAILED_LEVEL = 9
# How often a subscriber's row is read again without a change announced by this process.
POLL_SECONDS = 1.0
BUSY_PAUSE_SECONDS = 0.5

Clock = Callable[[], dt.datetime]
T = TypeVar("T")
Outcome = ReplanOutcome | JobFailed


class RulesVersionMismatch(ValueError):
    """The re-plan named a rules version this service does not plan with."""


@dataclass
class _Live:
    """A run this process drives: its task and a signal for each recorded result."""

    tenant_id: int
    task: asyncio.Task[None] | None = None
    rules_version: str = ""
    changes: Changes = field(default_factory=Changes)


class ReplanService:
    """The caseload re-plans of one process."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        services: ApiServices | None = None,
        *,
        owner: str = "permitpath",
        clock: Clock | None = None,
    ) -> None:
        self._sessions = sessions
        self._services = services if services is not None else ApiServices()
        self.owner = owner
        self.clock: Clock = clock or _utc_now
        self._live: dict[int, _Live] = {}

    # --- the backend the schema calls -------------------------------------------------------------

    async def start(
        self,
        tenant_id: int,
        actor: Actor,
        rules_as_of: dt.date | None,
        rules_version: str | None = None,
        today: dt.date | None = None,
    ) -> int:
        """Starts re-planning every household of the tenant with a stored plan; the run's id, at once.

        Raises RulesVersionMismatch when `rules_version` names rules other than the ones this service plans with.
        """
        current = load_rules().version
        if rules_version is not None and rules_version != current:
            raise RulesVersionMismatch(f"this service plans with rules version {current}, not {rules_version}")
        async with self._sessions() as session, session.begin():
            repo = Replans(session, tenant_id=tenant_id, actor=actor)
            households = await repo.latest_stored_plans()
            values = {
                "state": "QUEUED",
                "rules_as_of": rules_as_of,
                "rules_version": current,
                "today": today or self.clock().date(),
                "households": [list(pair) for pair in households],
                "total": len(households),
                "owner": self.owner,
                "heartbeat_at": self.clock(),
            }
            run = await repo.add_summarized(ReplanRun, values, ("state", "rules_as_of", "rules_version", "total"))
            run_id = run.id
        self._drive(tenant_id, run_id)
        return run_id

    async def cancel(self, tenant_id: int, actor: Actor, run_id: int) -> ReplanRun | None:
        """Cancels the tenant's run (a finished run stays as it is); None when the tenant has no such run."""
        async with self._sessions() as session, session.begin():
            repo = Replans(session, tenant_id=tenant_id, actor=actor)
            run = await repo.get(ReplanRun, run_id)
            if run is None or run.state in FINISHED:
                return run
            run = await repo.update(run, {"state": "CANCELLED", "finished_at": self.clock()})
        live = self._live.get(run_id)
        if live is not None and live.task is not None:
            live.task.cancel()
        return run

    async def changes(self, tenant_id: int, run_id: int) -> AsyncIterator[None]:
        """Yields now, then after each result this process records for the run (at least every POLL_SECONDS);
        never ends by itself: the caller stops once the row says the run has finished."""
        yield None
        seen: int | None = None
        while True:
            live = self._live.get(run_id)
            if live is None or live.tenant_id != tenant_id:
                await asyncio.sleep(POLL_SECONDS)
            else:
                seen = await live.changes.after(seen, POLL_SECONDS)
            yield None

    async def wait(self, run_id: int) -> None:
        """Waits until this process stops driving the run (it finished, was cancelled, or the service closes)."""
        live = self._live.get(run_id)
        if live is not None and live.task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.shield(live.task)

    # --- restarts ---------------------------------------------------------------------------------

    async def resume_unfinished_runs(self, tenant_id: int | None = None) -> list[int]:
        """At startup: drives again the runs this service process left unfinished (only their households with no
        result yet are planned), of every tenant or of `tenant_id`; their ids."""
        async with self._sessions() as session, session.begin():
            runs = await unfinished_runs(session, self.owner)
        runs = [(tenant, run_id) for tenant, run_id in runs if tenant_id is None or tenant == tenant_id]
        for tenant, run_id in runs:
            log.info("resuming caseload re-plan %d", run_id)
            self._drive(tenant, run_id)
        return [run_id for _, run_id in runs]

    async def close(self) -> None:
        """Stops driving runs (their rows stay unfinished: the next start of this service resumes them)."""
        for live in list(self._live.values()):
            if live.task is not None:
                live.task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await live.task
        self._live.clear()

    # --- the run ----------------------------------------------------------------------------------

    def _drive(self, tenant_id: int, run_id: int) -> None:
        live = _Live(tenant_id)
        self._live[run_id] = live
        live.task = asyncio.create_task(self._run(run_id, live))

    async def _run(self, run_id: int, live: _Live) -> None:
        """Plans the run's households that have no result yet, recording each as it lands, then ends the run."""
        try:
            tasks = await self._tasks(run_id, live)
            if tasks is None:
                return
            async with contextlib.aclosing(self._outcomes(tasks)) as outcomes:
                async for household_id, outcome in outcomes:
                    await self._record(run_id, live, tasks[household_id], outcome)
            await self._end(run_id, live, {"state": "DONE", "finished_at": self.clock()})
        except asyncio.CancelledError:
            raise
        except Exception as error:  # the run's failure, not the service's crash
            log.exception("caseload re-plan %d failed", run_id)
            with contextlib.suppress(*DATABASE_FAULTS):
                await self._end(
                    run_id, live, {"state": "FAILED", "error": _summary(error), "finished_at": self.clock()}
                )
        finally:
            if self._live.get(run_id) is live:
                del self._live[run_id]
            live.changes.announce()

    async def _tasks(self, run_id: int, live: _Live) -> dict[int, ReplanTask] | None:
        """The run's households still to plan, each as its task; None when the run has finished already."""
        async with self._sessions() as session, session.begin():
            repo = Replans(session, tenant_id=live.tenant_id)
            run = await repo.get(ReplanRun, run_id)
            if run is None or run.state in FINISHED:
                return None
            recorded = await repo.recorded(run_id)
            wanted = [(h, p) for h, p in run.households if h not in recorded]
            plans = await repo.stored_plans([p for _, p in wanted])
            step: dict[str, Any] = {"state": "RUNNING", "heartbeat_at": self.clock()}
            if run.started_at is None:
                step["started_at"] = self.clock()
            await repo.save_run(run, step)
            today, rules_as_of, live.rules_version = run.today, run.rules_as_of, run.rules_version
        live.changes.announce()
        return {
            household_id: _task(household_id, plans[plan_id], rules_as_of, today)
            for household_id, plan_id in wanted
            if plan_id in plans  # a plan deleted since (with its household) has nothing to compare
        }

    def _outcomes(self, tasks: dict[int, ReplanTask]) -> AsyncGenerator[tuple[int, Any], None]:
        """Each household's outcome as it lands, from the service's solve backend."""
        runner = self._services.solve_runner
        items = [(household_id, task) for household_id, task in tasks.items()]
        if isinstance(runner, DaskRunner):
            return _named(runner.map_unordered(replan_job, [(str(h), t) for h, t in items]))
        if isinstance(runner, ProcessRunner):
            window = max(1, runner.workers)

            def on_pool(task: ReplanTask) -> Awaitable[Any]:
                return _until_admitted(lambda: runner.run(replan_job, task))

            return windowed(on_pool, items, window)
        return windowed(lambda task: asyncio.to_thread(replan_job, task), items, 1)

    async def _record(self, run_id: int, live: _Live, task: ReplanTask, outcome: Any) -> None:
        """Records the household's result (once per run), then tells subscribers."""
        if isinstance(outcome, ReplanOutcome) and outcome.plan.rules_version != live.rules_version:
            # A worker installed with other rules files than this service: its plan answers another question.
            found = outcome.plan.rules_version
            outcome = JobFailed(f"the worker planned with rules version {found}, the run with {live.rules_version}")
        values = result_values(task, outcome, live.rules_version)
        try:
            async with self._sessions() as session, session.begin():
                repo = Replans(session, tenant_id=live.tenant_id)
                await repo.record(run_id, task.household_id, values)
        except IntegrityError:  # the household was deleted while it was re-planned: nothing left to report on
            log.info("caseload re-plan %d: household %d was deleted; no report", run_id, task.household_id)
            return
        live.changes.announce()

    async def _end(self, run_id: int, live: _Live, values: dict[str, Any]) -> None:
        async with self._sessions() as session, session.begin():
            repo = Replans(session, tenant_id=live.tenant_id)
            run = await repo.get(ReplanRun, run_id)
            if run is not None and run.state not in FINISHED:  # a cancel wins over a late end
                await repo.save_run(run, {**values, "heartbeat_at": self.clock()})


def _task(household_id: int, stored: StoredPlan, rules_as_of: dt.date | None, today: dt.date) -> ReplanTask:
    """The stored plan's question under the run's rules date, with the stored plan to compare against."""
    options = from_plain(stored.options, domain.PlanOptions)
    return ReplanTask(
        household_id=household_id,
        stored_plan_id=stored.id,
        scenario=from_plain(stored.scenario, domain.Scenario),
        options=dataclasses.replace(options, rules_as_of=rules_as_of),
        before=from_plain(stored.plan, domain.Plan),
        today=today,
    )


def result_values(task: ReplanTask, outcome: Any, rules_after: str) -> dict[str, Any]:
    """The columns of a household's `replan_results` row: its impact report, or why it failed."""
    common = {
        "stored_plan_id": task.stored_plan_id,
        "rules_version_before": task.before.rules_version,
        "rules_version_after": rules_after,
        "pr_before": task.before.pr_ready_date,
    }
    if not isinstance(outcome, ReplanOutcome):
        error = str(outcome) if isinstance(outcome, BaseException) else f"unexpected result {type(outcome).__name__}"
        return {**common, "urgency": "FAILED", "rank_level": FAILED_LEVEL, "error": error[:2000]}
    level, day = outcome.impact.rank_key
    return {
        **common,
        "urgency": outcome.impact.urgency.value,
        "rank_level": level,
        "rank_day": None if day == dt.date.max else day,
        "pr_after": outcome.plan.pr_ready_date,
        "impact": to_plain(outcome.impact),
        "plan": to_plain(outcome.plan),
    }


async def windowed(
    start: Callable[[T], Awaitable[Any]], items: Sequence[tuple[int, T]], window: int
) -> AsyncGenerator[tuple[int, Any], None]:
    """Runs `start(task)` for each item with at most `window` in flight, yielding (household, outcome) as each
    lands (a JobFailed outcome for one that raised); closing early cancels those in flight."""
    queue = list(reversed(items))
    flying: dict[asyncio.Future[Any], int] = {}
    try:
        while queue or flying:
            while queue and len(flying) < window:
                household_id, task = queue.pop()
                flying[asyncio.ensure_future(start(task))] = household_id
            landed, _ = await asyncio.wait(flying, return_when=asyncio.FIRST_COMPLETED)
            for future in landed:
                household_id = flying.pop(future)
                error = future.exception()
                yield household_id, (future.result() if error is None else JobFailed(_summary(error)))
    finally:
        for future in flying:
            future.cancel()


async def _until_admitted(run: Callable[[], Awaitable[Any]]) -> Any:
    """`run()`, tried again after a pause while the solver answers SolverBusy (interactive solves go first)."""
    while True:
        try:
            return await run()
        except SolverBusy as busy:
            await asyncio.sleep(min(busy.retry_after, BUSY_PAUSE_SECONDS))


async def _named(outcomes: AsyncGenerator[tuple[str, Any], None]) -> AsyncGenerator[tuple[int, Any], None]:
    async with contextlib.aclosing(outcomes):
        async for name, outcome in outcomes:
            yield int(name), outcome


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _summary(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:500]
