"""The solve runner: CPU-bound solves run in worker processes, never on the event loop.

This is the only module that knows about processes. The rest of the service calls the small `Runner`
interface (submit, status, result, cancel), which is also the seam where a distributed backend would plug
in. `ProcessRunner` keeps a fixed set of worker processes, each fed through its own pipe:

- a bounded queue: `submit` raises `SolverBusy` at once when every worker is busy and the queue is full;
- progress: a job's function may emit intermediate values (CP-SAT's improving solutions), which callers
  read from `status()` or await with `updates()`;
- cancellation: a queued job is dropped; a running job's worker process is terminated and replaced, so
  a client that disconnects frees its worker at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import itertools
import logging
import multiprocessing as mp
import os
import threading
import time
from collections import deque
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any, Protocol

log = logging.getLogger(__name__)

Emit = Callable[[Any], None]
JobFunction = Callable[[Any, Emit], Any]


class SolverBusy(Exception):
    """Every worker is busy and the queue is full; retry after `retry_after` seconds."""

    def __init__(self, retry_after: float) -> None:
        super().__init__(f"all solver workers are busy and the queue is full; retry after {retry_after:g} s")
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

    def submit(self, fn: JobFunction, payload: Any) -> str: ...
    def status(self, job_id: str) -> JobStatus | None: ...
    async def result(self, job_id: str) -> Any: ...
    def cancel(self, job_id: str) -> bool: ...


def _worker_main(conn: Connection, niceness: int = 0) -> None:
    """A worker process: runs jobs one at a time and reports progress, the result or the failure.

    It lowers its own scheduling priority by `niceness` first: when the solves fill every core, the
    service's event loop (health checks, reads, SOLVER_BUSY answers) still runs the moment it has work.
    """
    if niceness and hasattr(os, "nice"):
        os.nice(niceness)
    while True:
        try:
            message = conn.recv()
        except EOFError:
            return
        if message is None:
            return
        job_id, fn, payload = message

        def emit(value: Any, job_id: str = job_id) -> None:
            conn.send(("progress", job_id, value))

        try:
            result = fn(payload, emit)
        except Exception as exc:  # reported to the caller as JobFailed, logged here with the traceback
            logging.getLogger(__name__).exception("solve job %s failed", job_id)
            conn.send(("failed", job_id, f"{type(exc).__name__}: {exc}"))
        else:
            conn.send(("done", job_id, result))


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    job_id: str | None = None
    reader: threading.Thread | None = None


class ProcessRunner:
    """A fixed pool of worker processes with a bounded queue in front of it."""

    def __init__(self, workers: int, queue_size: int, *, retry_after: float = 1.0, niceness: int = 10) -> None:
        if workers < 1:
            raise ValueError("workers must be at least 1")
        self._size = workers
        self._queue_size = queue_size
        self._retry_after = retry_after
        self._niceness = niceness
        self._ctx = mp.get_context("spawn")
        self._workers: list[_Worker] = []
        self._queue: deque[tuple[str, JobFunction, Any]] = deque()
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
        for job_id, _, _ in list(self._queue):
            self._finish(job_id, JobState.CANCELLED)
        self._queue.clear()
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

    def submit(self, fn: JobFunction, payload: Any) -> str:
        """Queues `fn(payload, emit)` on a worker; raises SolverBusy when the queue is full."""
        if self._closed or self._loop is None:
            raise RuntimeError("the solve runner is not running")
        if self.busy_workers >= self._size and len(self._queue) >= self._queue_size:
            raise SolverBusy(self._retry_after)
        job_id = f"job-{next(self._ids)}"
        self._jobs[job_id] = JobStatus(JobState.QUEUED)
        self._events[job_id] = asyncio.Event()
        self._queue.append((job_id, fn, payload))
        self._dispatch()
        return job_id

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
        for item in self._queue:
            if item[0] == job_id:
                self._queue.remove(item)
                break
        for i, worker in enumerate(self._workers):
            if worker.job_id == job_id:
                # CP-SAT cannot be interrupted from outside its process: replace the process. The old
                # pipe is closed by its reader thread on EOF, so its descriptor is never reused under it.
                worker.process.terminate()
                self._workers[i] = self._spawn()
        self._finish(job_id, JobState.CANCELLED)
        self._dispatch()
        return True

    async def run(self, fn: JobFunction, payload: Any) -> Any:
        """Submits and waits; cancels the job if the caller is cancelled (a client that went away)."""
        job_id = self.submit(fn, payload)
        try:
            return await self.result(job_id)
        except asyncio.CancelledError:
            self.cancel(job_id)
            raise
        finally:
            self.forget(job_id)

    async def updates(self, job_id: str, poll: float = 0.05) -> AsyncIterator[Any]:
        """Yields each progress value of the job as it arrives, until the job ends."""
        seen = 0
        while True:
            job = self._jobs.get(job_id)
            if job is None:
                return
            while seen < len(job.progress):
                yield job.progress[seen]
                seen += 1
            if job.state not in (JobState.QUEUED, JobState.RUNNING):
                return
            await asyncio.sleep(poll)

    def forget(self, job_id: str) -> None:
        """Drops a finished job's bookkeeping."""
        job = self._jobs.get(job_id)
        if job is not None and job.state not in (JobState.QUEUED, JobState.RUNNING):
            self._jobs.pop(job_id, None)
            self._events.pop(job_id, None)

    # --- gauges for /metrics ---------------------------------------------------------------------

    @property
    def workers(self) -> int:
        return self._size

    @property
    def busy_workers(self) -> int:
        return sum(1 for w in self._workers if w.job_id is not None)

    @property
    def queue_depth(self) -> int:
        return len(self._queue)

    # --- internals -------------------------------------------------------------------------------

    def _spawn(self) -> _Worker:
        parent, child = self._ctx.Pipe()
        process = self._ctx.Process(
            target=_worker_main, args=(child, self._niceness), daemon=True, name="permitpath-solver"
        )
        process.start()
        child.close()
        worker = _Worker(process=process, conn=parent)
        worker.reader = threading.Thread(target=self._read, args=(worker,), daemon=True)
        worker.reader.start()
        return worker

    def _read(self, worker: _Worker) -> None:
        """Reader thread of one worker: hands each message to the event loop."""
        assert self._loop is not None
        while True:
            try:
                message = worker.conn.recv()
            except (EOFError, OSError):
                worker.conn.close()
                if worker.job_id is not None and worker in self._workers and not self._closed:
                    with contextlib.suppress(RuntimeError):
                        self._loop.call_soon_threadsafe(self._lost, worker)
                return
            with contextlib.suppress(RuntimeError):
                self._loop.call_soon_threadsafe(self._on_message, worker, message)

    def _on_message(self, worker: _Worker, message: tuple[str, str, Any]) -> None:
        kind, job_id, value = message
        job = self._jobs.get(job_id)
        if job is None or worker.job_id != job_id:
            return
        if kind == "progress":
            job.progress.append(value)
            return
        worker.job_id = None
        if kind == "done":
            job.result = value
            self._finish(job_id, JobState.DONE)
        else:
            job.error = str(value)
            self._finish(job_id, JobState.FAILED)
        self._dispatch()

    def _lost(self, worker: _Worker) -> None:
        """A worker died mid-job (killed, out of memory): fail the job and replace the worker."""
        if worker not in self._workers or worker.job_id is None:
            return
        job_id = worker.job_id
        log.error("solver worker %s died while running %s", worker.process.pid, job_id)
        self._jobs[job_id].error = "the solver worker stopped unexpectedly"
        self._finish(job_id, JobState.FAILED)
        self._workers[self._workers.index(worker)] = self._spawn()
        self._dispatch()

    def _dispatch(self) -> None:
        for worker in self._workers:
            if not self._queue:
                return
            if worker.job_id is None:
                job_id, fn, payload = self._queue.popleft()
                worker.job_id = job_id
                job = self._jobs[job_id]
                job.state = JobState.RUNNING
                job.started_at = time.monotonic()
                try:
                    worker.conn.send((job_id, fn, payload))
                except OSError:
                    self._lost(worker)
                    return

    def _finish(self, job_id: str, state: JobState) -> None:
        job = self._jobs.get(job_id)
        if job is None:
            return
        job.state = state
        job.finished_at = time.monotonic()
        event = self._events.get(job_id)
        if event is not None:
            event.set()
