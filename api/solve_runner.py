"""The solve runner: CPU-bound solves run in worker processes, never on the event loop.

This is the only module of the service that knows about processes (the worker's side is `solver/worker.py`,
which only runs what it is sent). The rest of the service calls the small `Runner`
interface (submit, status, result, cancel), which is also the seam where a distributed backend would plug
in. `ProcessRunner` keeps a fixed set of worker processes, each fed through its own pipe:

- a bounded queue: `submit` raises `SolverBusy` at once when every worker is busy and the queue is full;
- fair sharing: each tenant (a firm) may hold at most `tenant_share` jobs, running and queued together
  (default: as many as the queue holds, so one firm alone still fills every worker when the queue is at
  least as long as the pool, and a pool's worth of places is always left to the others); beyond its share that
  tenant gets `SolverBusy` while others are still admitted. `refusal(tenant)` answers the same question
  without submitting, so the endpoint can refuse before doing any other work. Queued jobs are dispatched
  round-robin across tenants (the tenant served least recently goes first), not first-come overall.
  Jobs without a tenant (the CLI, embedded use) are bounded by the queue only;
- progress: a job's function may emit intermediate values (CP-SAT's improving solutions), which callers
  read from `status()` or await with `updates()`;
- cancellation: a queued job is dropped; a running job's worker process is terminated and replaced, so
  a client that disconnects frees its worker at once;
- dead workers: each worker has a reader thread; its end of file means the process is gone, whether it was
  running a job (the job fails), idle, or terminated by a cancellation. The thread reaps the process (no
  zombies) and the event loop replaces it. A worker acknowledges each job before running it: a job sent to
  a worker that died before taking it is queued again (once), and liveness is checked before each hand-off,
  so a worker that died idle never costs a client its request;
- recycling: a worker that has finished `jobs_per_worker` jobs is retired after its last one and a fresh
  process takes its place, so whatever a long-lived solver process accumulates (CP-SAT's and the
  allocator's arenas) is given back to the system;
- no orphans: a worker dies with its service. It asks Linux for SIGKILL when its parent dies
  (`PR_SET_PDEATHSIG`, only when spawned from the main thread: the signal follows the spawning *thread*),
  and a watchdog thread in the worker exits when its parent is gone (CP-SAT holds the main thread);
- warm workers: the worker's side lives in `solver/worker.py`, and a worker is spawned with that module as
  its main one, so it imports the solver and nothing of api, schema or db (nor the `permitpath` script that
  started the service). It runs `warm_up` (the service's: a small plan) before it says it is ready; `ready`
  answers whether every worker of the first pool has, which `/readyz` waits for.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import itertools
import logging
import multiprocessing as mp
import os
import sys
import threading
import time
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any, Protocol

from solver import worker as worker_module
from solver.rules.registry import overrides_dir
from solver.worker import WarmUp, worker_main

log = logging.getLogger(__name__)

Emit = Callable[[Any], None]
JobFunction = Callable[[Any, Emit], Any]
# Whose job it is, for fair sharing (the service passes the tenant's id); None: nobody's in particular.
Tenant = int | str | None


class SolverBusy(Exception):
    """The solver cannot take the job now (all busy, or the firm's share taken); retry after `retry_after` s."""

    def __init__(self, retry_after: float, reason: str = "all solver workers are busy and the queue is full") -> None:
        super().__init__(f"{reason}; retry after {retry_after:g} s")
        self.retry_after = retry_after


class JobFailed(Exception):
    """The job's function raised; the message is the worker's summary (logged there in full)."""


class JobCancelled(Exception):
    """The job was cancelled before it finished."""


class JobState(enum.Enum):
    QUEUED = "QUEUED"
    RUNNING = "RUNNING"
    DONE = "DONE"
    FAILED = "FAILED"
    CANCELLED = "CANCELLED"


@dataclass
class JobStatus:
    state: JobState
    progress: list[Any] = field(default_factory=list)
    result: Any = None
    error: str | None = None
    submitted_at: float = field(default_factory=time.monotonic)
    started_at: float | None = None
    finished_at: float | None = None


class Runner(Protocol):
    """What the service needs from a solve backend."""

    def submit(self, fn: JobFunction, payload: Any, *, tenant: Tenant = None) -> str: ...
    def refusal(self, tenant: Tenant = None) -> SolverBusy | None: ...
    def status(self, job_id: str) -> JobStatus | None: ...
    async def result(self, job_id: str) -> Any: ...
    def cancel(self, job_id: str) -> bool: ...
    def forget(self, job_id: str) -> None: ...


# How often `job_updates` looks for a job's new progress values.
POLL_SECONDS = 0.05


async def run_job(runner: Runner, fn: JobFunction, payload: Any, *, tenant: Tenant = None) -> Any:
    """Submits to `runner` and waits; cancels the job if the caller is cancelled (a client that went away)."""
    job_id = runner.submit(fn, payload, tenant=tenant)
    try:
        return await runner.result(job_id)
    except asyncio.CancelledError:
        runner.cancel(job_id)
        raise
    finally:
        runner.forget(job_id)


async def job_updates(runner: Runner, job_id: str, poll: float = POLL_SECONDS) -> AsyncIterator[Any]:
    """Yields each progress value of `runner`'s job as it arrives, until the job ends."""
    seen = 0
    while True:
        status = runner.status(job_id)
        if status is None:
            return
        while seen < len(status.progress):
            yield status.progress[seen]
            seen += 1
        if status.state not in (JobState.QUEUED, JobState.RUNNING):
            return
        await asyncio.sleep(poll)


@dataclass
class _Job:
    """A submitted job on its way to, or on, a worker."""

    job_id: str
    fn: JobFunction
    payload: Any
    tenant: Tenant
    # Queued again once already because its worker died without saying it had taken it: a job that
    # kills its worker before the acknowledgement must not kill them all in turn.
    requeued: bool = False


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    job: _Job | None = None
    taken: bool = False
    reader: threading.Thread | None = None
    finished: int = 0
    # It said it is ready: imported and warmed up (see `solver.worker`).
    warm: bool = False

    @property
    def job_id(self) -> str | None:
        return None if self.job is None else self.job.job_id

    @property
    def alive(self) -> bool:
        """Whether the process runs and its pipe is open (its reader closes the pipe when it ends)."""
        return not self.conn.closed and self.process.is_alive()


class ProcessRunner:
    """A fixed pool of worker processes with a bounded queue in front of it, shared fairly between tenants."""

    def __init__(
        self,
        workers: int,
        queue_size: int,
        *,
        retry_after: float = 1.0,
        niceness: int = 10,
        tenant_share: int | None = None,
        jobs_per_worker: int | None = None,
        warm_up: WarmUp | None = None,
    ) -> None:
        if workers < 1:
            raise ValueError("workers must be at least 1")
        if jobs_per_worker is not None and jobs_per_worker < 1:
            raise ValueError("jobs_per_worker must be at least 1")
        if tenant_share is not None and tenant_share < 1:
            raise ValueError("tenant_share must be at least 1")
        self._size = workers
        self._queue_size = queue_size
        self._share = tenant_share or max(1, queue_size)
        self._jobs_per_worker = jobs_per_worker
        self.retired = 0
        self._retry_after = retry_after
        self._niceness = niceness
        self._warm_up = warm_up
        # Set once every worker of the first pool has said it is ready (replacements later do not unset it).
        self._warmed = False
        self._ctx = mp.get_context("spawn")
        self._workers: list[_Worker] = []
        # Queued jobs per tenant (only tenants with some), and when each tenant holding jobs was last served.
        self._queues: dict[Tenant, deque[_Job]] = {}
        self._served: dict[Tenant, int] = {}
        self._turns = itertools.count()
        self._jobs: dict[str, JobStatus] = {}
        self._events: dict[str, asyncio.Event] = {}
        self._ids = itertools.count(1)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._closed = False

    # --- lifecycle -------------------------------------------------------------------------------

    async def start(self) -> None:
        """Starts the worker processes (call from the event loop that will use the runner)."""
        self._loop = asyncio.get_running_loop()
        for _ in range(self._size):
            self._workers.append(self._spawn())

    async def close(self) -> None:
        """Stops every worker; queued and running jobs end CANCELLED."""
        self._closed = True
        for queue in self._queues.values():
            for job in queue:
                self._finish(job.job_id, JobState.CANCELLED)
        self._queues.clear()
        for worker in self._workers:
            if worker.job_id is not None:
                self._finish(worker.job_id, JobState.CANCELLED)
            with contextlib.suppress(OSError):
                worker.conn.send(None)
        for worker in self._workers:
            await asyncio.to_thread(worker.process.join, 2)
            if worker.process.is_alive():
                worker.process.terminate()
            if worker.reader is not None:
                await asyncio.to_thread(worker.reader.join, 2)
        self._workers.clear()

    # --- the Runner interface --------------------------------------------------------------------

    def submit(self, fn: JobFunction, payload: Any, *, tenant: Tenant = None) -> str:
        """Queues `fn(payload, emit)` on a worker; raises SolverBusy when the queue or the tenant's share is full."""
        if self._closed or self._loop is None:
            raise RuntimeError("the solve runner is not running")
        busy = self.refusal(tenant)
        if busy is not None:
            raise busy
        job_id = f"job-{next(self._ids)}"
        self._jobs[job_id] = JobStatus(JobState.QUEUED)
        self._events[job_id] = asyncio.Event()
        self._queues.setdefault(tenant, deque()).append(_Job(job_id, fn, payload, tenant))
        self._dispatch()
        return job_id

    def refusal(self, tenant: Tenant = None) -> SolverBusy | None:
        """The SolverBusy that `submit` would raise for `tenant` now; None when it would take the job."""
        if self.busy_workers >= self._size and self.queue_depth >= self._queue_size:
            return SolverBusy(self._retry_after)
        if tenant is not None and self.held(tenant) >= self._share:
            reason = f"your firm's share of the solver ({self._share} solves running or waiting) is taken"
            return SolverBusy(self._retry_after, reason)
        return None

    def admits(self, tenant: Tenant = None) -> bool:
        """Whether `submit` would take a job of `tenant` now."""
        return self.refusal(tenant) is None

    def status(self, job_id: str) -> JobStatus | None:
        return self._jobs.get(job_id)

    async def result(self, job_id: str) -> Any:
        """Waits for the job; returns its result or raises JobFailed / JobCancelled."""
        event = self._events.get(job_id)
        if event is None:
            raise KeyError(job_id)
        await event.wait()
        job = self._jobs[job_id]
        if job.state is JobState.DONE:
            return job.result
        if job.state is JobState.CANCELLED:
            raise JobCancelled(job_id)
        raise JobFailed(job.error or "the job failed")

    def cancel(self, job_id: str) -> bool:
        """Cancels a queued or running job; False when it had already finished or is unknown."""
        job = self._jobs.get(job_id)
        if job is None or job.state not in (JobState.QUEUED, JobState.RUNNING):
            return False
        for tenant, queue in self._queues.items():
            if any(item.job_id == job_id for item in queue):
                self._queues[tenant] = remaining = deque(item for item in queue if item.job_id != job_id)
                if not remaining:
                    del self._queues[tenant]
                break
        for worker in self._workers:
            if worker.job_id == job_id:
                # CP-SAT cannot be interrupted from outside its process: replace the process. Its reader
                # thread reaps it and closes the old pipe, so the descriptor is never reused under it.
                worker.process.terminate()
                self._replace(worker)
        self._finish(job_id, JobState.CANCELLED)
        self._dispatch()
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
        if job is not None and job.state not in (JobState.QUEUED, JobState.RUNNING):
            self._jobs.pop(job_id, None)
            self._events.pop(job_id, None)

    # --- gauges for /metrics ---------------------------------------------------------------------

    @property
    def workers(self) -> int:
        """Live worker processes (a dead one counts no more, until its replacement runs)."""
        return sum(1 for w in self._workers if w.alive)

    @property
    def busy_workers(self) -> int:
        return sum(1 for w in self._workers if w.job is not None)

    @property
    def queue_depth(self) -> int:
        return sum(len(queue) for queue in self._queues.values())

    @property
    def ready(self) -> bool:
        """Whether the pool is warm: every worker of the first pool has imported the solver and warmed up.

        A worker started later (a replacement after a cancellation, a recycled one) warms up while the others
        serve; the service stays ready meanwhile.
        """
        return self._warmed

    @property
    def tenant_share(self) -> int:
        """How many jobs one tenant may hold, running and queued together."""
        return self._share

    @property
    def worker_pids(self) -> list[int]:
        """The worker processes' ids, in pool order."""
        return [w.process.pid for w in self._workers if w.process.pid is not None]

    def held(self, tenant: Tenant) -> int:
        """The tenant's jobs running or queued."""
        running = sum(1 for w in self._workers if w.job is not None and w.job.tenant == tenant)
        return running + len(self._queues.get(tenant, ()))

    # --- internals -------------------------------------------------------------------------------

    def _spawn(self) -> _Worker:
        parent, child = self._ctx.Pipe()
        # PDEATHSIG fires when the spawning *thread* ends: only ask for it from the main thread, which lives
        # as long as the process (an event loop in another thread may end before its process does).
        deathsig = threading.current_thread() is threading.main_thread()
        process = self._ctx.Process(
            target=worker_main,
            args=(child, self._niceness, os.getpid(), deathsig, overrides_dir(), self._warm_up),
            daemon=True,
            name="permitpath-solver",
        )
        with _solver_main_module():
            process.start()
        child.close()
        worker = _Worker(process=process, conn=parent)
        worker.reader = threading.Thread(target=self._read, args=(worker,), daemon=True)
        worker.reader.start()
        return worker

    def _replace(self, worker: _Worker) -> None:
        self._workers[self._workers.index(worker)] = self._spawn()

    def _read(self, worker: _Worker) -> None:
        """Reader thread of one worker: hands each message to the event loop; at the end, reaps the process."""
        while True:
            try:
                message = worker.conn.recv()
            except (EOFError, OSError):
                break
            self._call_soon(self._on_message, worker, message)
        worker.conn.close()
        # The pipe's end is the process's end (killed, crashed, terminated by a cancel, or stopped): wait for
        # it so it leaves no zombie, then let the event loop settle its job and replace it.
        worker.process.join()
        self._call_soon(self._gone, worker)

    def _call_soon(self, callback: Callable[..., None], *args: Any) -> None:
        assert self._loop is not None
        with contextlib.suppress(RuntimeError):  # the loop has closed: nobody is left to tell
            self._loop.call_soon_threadsafe(callback, *args)

    def _on_message(self, worker: _Worker, message: tuple[str, str | None, Any]) -> None:
        kind, job_id, value = message
        if kind == "ready":
            self._on_ready(worker, value)
            return
        assert job_id is not None
        job = self._jobs.get(job_id)
        if job is None or worker.job_id != job_id:
            return
        if kind == "taken":
            worker.taken = True
            return
        if kind == "progress":
            job.progress.append(value)
            return
        worker.job = None
        worker.finished += 1
        if kind == "done":
            job.result = value
            self._finish(job_id, JobState.DONE)
        else:
            job.error = str(value)
            self._finish(job_id, JobState.FAILED)
        if self._jobs_per_worker is not None and worker.finished >= self._jobs_per_worker:
            self._retire(worker)
        self._dispatch()

    def _on_ready(self, worker: _Worker, seconds: float) -> None:
        """A worker has imported the solver and warmed up; the pool is ready once the first pool all has."""
        worker.warm = True
        log.debug("solver worker %s ready after a warm-up of %.2f s", worker.process.pid, seconds)
        if not self._warmed and all(w.warm for w in self._workers):
            self._warmed = True
            log.info("solver workers ready (%d warm)", len(self._workers))

    def _retire(self, worker: _Worker) -> None:
        """Lets an idle worker end (its reader reaps it) and puts a fresh process in its place."""
        with contextlib.suppress(OSError):
            worker.conn.send(None)
        self._replace(worker)  # no longer in the pool: its end is expected, `_gone` leaves it be
        self.retired += 1

    def _gone(self, worker: _Worker) -> None:
        """A worker's process ended: fail its job if it had taken one, else hand the job on; replace it."""
        if self._closed or worker not in self._workers:
            return  # stopped on purpose, or already replaced (found dead at a hand-off)
        job, worker.job = worker.job, None
        pid, code = worker.process.pid, worker.process.exitcode
        if job is None:
            log.warning("idle solver worker %s stopped (exit code %s); starting another", pid, code)
        elif not worker.taken and not job.requeued:
            log.warning("solver worker %s stopped before taking %s; the job is queued again", pid, job.job_id)
            job.requeued = True
            self._requeue(job)
        else:
            log.error("solver worker %s died while running %s (exit code %s)", pid, job.job_id, code)
            self._jobs[job.job_id].error = "the solver worker stopped unexpectedly"
            self._finish(job.job_id, JobState.FAILED)
        self._replace(worker)
        self._dispatch()

    def _requeue(self, job: _Job) -> None:
        """Puts a job that never ran back at the head of its tenant's queue."""
        status = self._jobs[job.job_id]
        status.state, status.started_at = JobState.QUEUED, None
        self._queues.setdefault(job.tenant, deque()).appendleft(job)

    def _next_job(self) -> _Job:
        """The head of the queue of the tenant served least recently (a tenant never served first)."""
        tenant = min(self._queues, key=lambda t: self._served.get(t, -1))
        queue = self._queues[tenant]
        job = queue.popleft()
        if not queue:
            del self._queues[tenant]
        self._served[tenant] = next(self._turns)
        return job

    def _dispatch(self) -> None:
        """Hands queued jobs to idle live workers, replacing any worker found dead on the way."""
        for tenant in [t for t in self._served if not self.held(t)]:
            del self._served[tenant]  # a tenant holding nothing starts afresh: its turn is kept no longer
        replacements = 0
        while self._queues and not self._closed:
            worker = next((w for w in self._workers if w.job is None), None)
            if worker is None or replacements > self._size:
                return  # (workers dying as they start: their readers call back here when they do)
            if not worker.alive:
                replacements += 1
                self._replace(worker)
                continue
            job = self._next_job()
            worker.job, worker.taken = job, False
            status = self._jobs[job.job_id]
            status.state, status.started_at = JobState.RUNNING, time.monotonic()
            try:
                worker.conn.send((job.job_id, job.fn, job.payload))
            except OSError:  # it died idle since the check: nothing was delivered, the job goes to another
                worker.job = None
                self._requeue(job)
                replacements += 1
                self._replace(worker)
            except Exception as error:  # the payload does not pickle: the caller's bug, this job's failure
                worker.job = None
                log.exception("solve job %s could not be sent to a worker", job.job_id)
                status.error = f"{type(error).__name__}: {error}"
                self._finish(job.job_id, JobState.FAILED)

    def _finish(self, job_id: str, state: JobState) -> None:
        job = self._jobs.get(job_id)
        if job is None:
            return
        job.state = state
        job.finished_at = time.monotonic()
        event = self._events.get(job_id)
        if event is not None:
            event.set()


@contextlib.contextmanager
def _solver_main_module() -> Iterator[None]:
    """Makes `solver.worker` the main module while a worker is spawned, so the child runs nothing else.

    multiprocessing's spawn runs the parent's main module again in the child (as `__mp_main__`): under
    `permitpath serve` that is the script, which imports the whole command line, SQLAlchemy and the schema,
    seconds of CPU per worker. The child is told to import the module named here instead.
    """
    main = sys.modules["__main__"]
    sys.modules["__main__"] = worker_module
    try:
        yield
    finally:
        sys.modules["__main__"] = main
