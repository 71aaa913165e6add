# distributed ships no type hints for its client calls: they are checked by the tests against a real cluster.
# mypy: disable-error-code="no-untyped-call"
"""The distributed solve backend: the same `Runner` interface as the process pool, on a Dask cluster.

With `PERMITPATH_DASK_SCHEDULER` set (api/settings.py), the lifespan makes a `DaskRunner` instead of the
embedded `ProcessRunner` (`make_runner`, the one place the backend is chosen). Solves then run on the cluster's
workers, which need only permitpath importable (`permitpath worker --scheduler tcp://...`, below):

- bounded in-flight: this service keeps at most `in_flight` interactive solves on the cluster, and one firm at
  most `tenant_share` of them; beyond that `submit` raises `SolverBusy` at once, as the process pool does;
- progress: the job's function runs on a worker with an `emit` that logs each value as a Dask event on one
  topic (`PROGRESS_TOPIC`, the value pickled); the client subscribes to it once and files each value under its
  job, so `status().progress` and `updates()` read the same as with the process pool. A job first says it
  started (QUEUED -> RUNNING), and its result carries how many values it emitted, so the end waits (briefly)
  for the last of them;
- cancellation: `cancel` releases the future (`Client.cancel`) and ends the job CANCELLED at once, freeing its
  place in the bound. A solve already running on a worker's thread cannot be interrupted there: it ends within
  its time limit and its result is dropped by the scheduler;
- lost workers: the scheduler runs a task again elsewhere when its worker dies (up to
  `distributed.scheduler.allowed-failures` times), so a caller sees only the delay;
- bulk work (`map_unordered`): `Client.map` over many payloads at a lower priority than interactive solves,
  yielding each outcome as it lands (`as_completed`); the caller records them idempotently, since a task
  whose worker died may report twice across service restarts.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import pickle
import time
import uuid
from collections.abc import AsyncGenerator, AsyncIterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from api.solve_runner import (
    POLL_SECONDS,
    JobCancelled,
    JobFailed,
    JobFunction,
    JobState,
    JobStatus,
    SolverBusy,
    Tenant,
    job_updates,
    run_job,
)

if TYPE_CHECKING:  # distributed is imported when a cluster is used: the rest of the service never pays for it
    from distributed import Client, Future

log = logging.getLogger(__name__)

# The Dask event topic every job's progress travels on (one subscription per service process).
PROGRESS_TOPIC = "permitpath-progress"
# Interactive solves go before queued bulk tasks on the workers (Dask runs higher priorities first).
INTERACTIVE_PRIORITY = 10
BULK_PRIORITY = 0
# How long a finished job waits for progress values still on their way from the worker.
LAST_PROGRESS_WAIT_SECONDS = 2.0


@dataclass(frozen=True)
class _Outcome:
    """What a job returns from the worker: the function's result and how many values it emitted."""

    result: Any
    emitted: int


def run_on_worker(fn: JobFunction, payload: Any, job_key: str) -> _Outcome:
    """The task a worker runs: `fn(payload, emit)`, each emitted value sent to the client as an event."""
    from distributed import get_worker

    worker = get_worker()
    worker.log_event(PROGRESS_TOPIC, {"job": job_key, "kind": "started"})
    emitted = 0

    def emit(value: Any) -> None:
        nonlocal emitted
        emitted += 1
        worker.log_event(PROGRESS_TOPIC, {"job": job_key, "kind": "progress", "value": pickle.dumps(value)})

    return _Outcome(fn(payload, emit), emitted)


def run_bulk(fn: JobFunction, payload: Any) -> Any:
    """A bulk task: `fn(payload)` with no progress (each task is one household; the run counts them)."""
    return fn(payload, _ignore)


@dataclass
class _Job:
    key: str
    tenant: Tenant
    future: Future[_Outcome]
    status: JobStatus = field(default_factory=lambda: JobStatus(JobState.QUEUED))
    done: asyncio.Event = field(default_factory=asyncio.Event)
    task: asyncio.Task[None] | None = None


class DaskRunner:
    """Solves on a Dask cluster through the asyncio `distributed.Client`, behind the process pool's interface."""

    def __init__(
        self,
        scheduler: str,
        *,
        in_flight: int,
        tenant_share: int | None = None,
        retry_after: float = 1.0,
    ) -> None:
        if in_flight < 1:
            raise ValueError("in_flight must be at least 1")
        if tenant_share is not None and tenant_share < 1:
            raise ValueError("tenant_share must be at least 1")
        self._scheduler = scheduler
        self._in_flight = in_flight
        self._share = tenant_share or in_flight
        self._retry_after = retry_after
        self._client: Client | None = None
        self._jobs: dict[str, _Job] = {}

    # --- lifecycle -------------------------------------------------------------------------------

    async def start(self) -> None:
        """Connects to the scheduler and subscribes to the jobs' progress (call from the service's loop)."""
        from distributed import Client

        client: Client = await Client(self._scheduler, asynchronous=True, name="permitpath-service")
        client.subscribe_topic(PROGRESS_TOPIC, self._on_event)
        self._client = client

    @property
    def ready(self) -> bool:
        """Connected to the scheduler (`/readyz`); the cluster's workers warm themselves as they join."""
        return self._client is not None

    async def close(self) -> None:
        """Cancels what this service still has on the cluster and disconnects; unfinished jobs end CANCELLED."""
        for key in list(self._jobs):
            self.cancel(key)
        client, self._client = self._client, None
        if client is not None:
            with contextlib.suppress(Exception):
                client.unsubscribe_topic(PROGRESS_TOPIC)
            await client.close()

    @property
    def client(self) -> Client:
        if self._client is None:
            raise RuntimeError("the Dask runner is not running")
        return self._client

    # --- the Runner interface --------------------------------------------------------------------

    def submit(self, fn: JobFunction, payload: Any, *, tenant: Tenant = None) -> str:
        """Sends `fn(payload, emit)` to the cluster; raises SolverBusy beyond the service's or the firm's bound."""
        client = self.client
        busy = self.refusal(tenant)
        if busy is not None:
            raise busy
        key = f"permitpath-job-{uuid.uuid4().hex}"
        future: Future[_Outcome] = client.submit(
            run_on_worker, fn, payload, key, key=key, pure=False, priority=INTERACTIVE_PRIORITY
        )
        job = _Job(key, tenant, future)
        self._jobs[key] = job
        job.task = asyncio.create_task(self._follow(job))
        return key

    def refusal(self, tenant: Tenant = None) -> SolverBusy | None:
        """The SolverBusy that `submit` would raise for `tenant` now; None when it would take the job."""
        if self.in_flight >= self._in_flight:
            return SolverBusy(self._retry_after, f"this service's {self._in_flight} solves on the cluster are taken")
        if tenant is not None and self.held(tenant) >= self._share:
            reason = f"your firm's share of the solver ({self._share} solves running or waiting) is taken"
            return SolverBusy(self._retry_after, reason)
        return None

    def admits(self, tenant: Tenant = None) -> bool:
        """Whether `submit` would take a job of `tenant` now."""
        return self.refusal(tenant) is None

    def status(self, job_id: str) -> JobStatus | None:
        job = self._jobs.get(job_id)
        return None if job is None else job.status

    async def result(self, job_id: str) -> Any:
        """Waits for the job; returns its result or raises JobFailed / JobCancelled."""
        job = self._jobs.get(job_id)
        if job is None:
            raise KeyError(job_id)
        await job.done.wait()
        if job.status.state is JobState.DONE:
            return job.status.result
        if job.status.state is JobState.CANCELLED:
            raise JobCancelled(job_id)
        raise JobFailed(job.status.error or "the job failed")

    def cancel(self, job_id: str) -> bool:
        """Cancels a queued or running job; False when it had already finished or is unknown."""
        job = self._jobs.get(job_id)
        if job is None or job.status.state not in (JobState.QUEUED, JobState.RUNNING):
            return False
        if job.task is not None:
            job.task.cancel()
        if self._client is not None:
            # Releases the key: a queued task never runs; a running one's result is dropped when it ends.
            _background(self._client.cancel([job.future], reason="cancelled by permitpath"))
        self._finish(job, JobState.CANCELLED)
        return True

    async def run(self, fn: JobFunction, payload: Any, *, tenant: Tenant = None) -> Any:
        """Submits and waits (`run_job`)."""
        return await run_job(self, fn, payload, tenant=tenant)

    def updates(self, job_id: str, poll: float = POLL_SECONDS) -> AsyncIterator[Any]:
        """Each progress value of the job as it arrives, until the job ends (`job_updates`)."""
        return job_updates(self, job_id, poll)

    def forget(self, job_id: str) -> None:
        """Drops a finished job's bookkeeping."""
        job = self._jobs.get(job_id)
        if job is not None and job.status.state not in (JobState.QUEUED, JobState.RUNNING):
            del self._jobs[job_id]

    # --- bulk work -------------------------------------------------------------------------------

    async def map_unordered(
        self, fn: JobFunction, payloads: Sequence[tuple[str, Any]]
    ) -> AsyncGenerator[tuple[str, Any], None]:
        """Runs `fn(payload, emit)` for each `(name, payload)` on the cluster (`Client.map`, below interactive
        solves), yielding `(name, result)` as each lands, or `(name, JobFailed)` for a task that raised.

        Closing the iterator early (a cancelled run) cancels the tasks not yet landed.
        """
        if not payloads:
            return
        from distributed import as_completed

        client = self.client
        names = [name for name, _ in payloads]
        keys = [f"permitpath-bulk-{uuid.uuid4().hex}" for _ in payloads]
        futures = client.map(
            run_bulk, [fn] * len(payloads), [p for _, p in payloads], key=keys, pure=False, priority=BULK_PRIORITY
        )
        name_of = dict(zip(keys, names, strict=True))
        pending = set(keys)
        try:
            async for future in as_completed(futures):
                pending.discard(future.key)
                name = name_of[future.key]
                try:
                    yield name, await future
                except Exception as error:  # the task raised on its worker (or was lost too often)
                    yield name, JobFailed(f"{type(error).__name__}: {error}")
        finally:
            if pending and self._client is not None:
                await self._client.cancel([f for f in futures if f.key in pending])

    # --- gauges for /metrics ---------------------------------------------------------------------

    @property
    def workers(self) -> int:
        """The cluster's workers, as the scheduler last told this client (its identity, refreshed every few s)."""
        if self._client is None:
            return 0
        return int(self._client.scheduler_info().get("n_workers", 0))

    @property
    def busy_workers(self) -> int:
        """This service's solves running on a worker."""
        return sum(1 for job in self._jobs.values() if job.status.state is JobState.RUNNING)

    @property
    def queue_depth(self) -> int:
        """This service's solves waiting on the cluster."""
        return sum(1 for job in self._jobs.values() if job.status.state is JobState.QUEUED)

    @property
    def in_flight(self) -> int:
        return self.busy_workers + self.queue_depth

    @property
    def tenant_share(self) -> int:
        """How many jobs one tenant may hold, running and queued together."""
        return self._share

    def held(self, tenant: Tenant) -> int:
        """The tenant's jobs running or queued."""
        unfinished = (JobState.QUEUED, JobState.RUNNING)
        return sum(1 for job in self._jobs.values() if job.tenant == tenant and job.status.state in unfinished)

    # --- internals -------------------------------------------------------------------------------

    def _on_event(self, event: tuple[float, dict[str, Any]]) -> None:
        """A progress event from a worker: files it under its job (an unknown or finished job's is dropped)."""
        _, message = event
        job = self._jobs.get(message.get("job", ""))
        if job is None or job.status.state not in (JobState.QUEUED, JobState.RUNNING):
            return
        if message.get("kind") == "started":
            if job.status.state is JobState.QUEUED:
                job.status.state, job.status.started_at = JobState.RUNNING, time.monotonic()
            else:
                job.status.progress.clear()  # run again after its worker was lost: its values start over
            return
        job.status.progress.append(pickle.loads(message["value"]))

    async def _follow(self, job: _Job) -> None:
        """Waits for the job's future and settles its status (cancellation is `cancel`'s to settle)."""
        try:
            outcome = await job.future
        except asyncio.CancelledError:
            raise
        except Exception as error:  # the function raised on its worker, or the task was lost too often
            log.warning("solve job %s failed: %s", job.key, error)
            job.status.error = f"{type(error).__name__}: {error}"
            self._finish(job, JobState.FAILED)
            return
        await self._last_progress(job, outcome.emitted)
        job.status.result = outcome.result
        self._finish(job, JobState.DONE)

    async def _last_progress(self, job: _Job, emitted: int) -> None:
        """Gives progress values still on their way a moment to land before the job ends."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + LAST_PROGRESS_WAIT_SECONDS
        while len(job.status.progress) < emitted and loop.time() < deadline:
            await asyncio.sleep(POLL_SECONDS)

    def _finish(self, job: _Job, state: JobState) -> None:
        if job.status.state not in (JobState.QUEUED, JobState.RUNNING):
            return
        job.status.state = state
        job.status.finished_at = time.monotonic()
        job.done.set()


def _ignore(_: Any) -> None:
    return None


_background_tasks: set[asyncio.Future[Any]] = set()


def _background(awaitable: Any) -> None:
    """Runs a coroutine of the client to its end without waiting for it (kept referenced until then)."""
    if not asyncio.iscoroutine(awaitable) and not isinstance(awaitable, asyncio.Future):
        return
    task = asyncio.ensure_future(awaitable)
    _background_tasks.add(task)
    task.add_done_callback(_background_tasks.discard)


# --- the worker side: `permitpath worker` ---------------------------------------------------------


def dask_setup(worker: Any) -> None:
    """Dask's preload hook, run in each worker process `permitpath worker` starts: layers the firm's rule
    overrides, so the worker plans with the same rules as the service (both read the same settings). (The
    command lowers its own priority before starting the workers, which inherit it.)"""
    from api.settings import Settings
    from solver.rules.registry import use_overrides

    use_overrides(Settings.from_env().rules_overrides_dir)


def worker_arguments(scheduler: str, *, processes: int, name: str | None = None) -> list[str]:
    """The `dask worker` command line `permitpath worker` runs: one thread per process (CP-SAT plans with one
    thread; parallelism is processes), this module preloaded in each."""
    arguments = [scheduler, "--nworkers", str(processes), "--nthreads", "1", "--preload", __name__]
    if name:
        arguments += ["--name", name]
    return arguments
