"""The worker-process side of the solve runner (`api/solve_runner.py`), kept in the solver package.

A spawned process imports the module of its target and of every job function it is sent, and multiprocessing
runs the parent's main module again in it. With the loop here, a worker imports this module, `solver.job`
and what the solver needs, and nothing of api, schema or db (`api.solve_runner` makes this module the main
one while it spawns). The runner owns the pool; this module only runs what it is sent:

- messages in: `(job_id, fn, payload)`, or None to stop; out: `("ready", None, seconds)` once at start
  (after the warm-up), then per job `("taken", ...)`, any `("progress", ...)`, then `("done", ...)` or
  `("failed", ...)`;
- the worker lowers its priority, arranges to die with its parent, layers the service's rule overrides,
  and runs `warm_up` (if given) before it says ready.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from solver.rules.registry import use_overrides

# How often a worker's watchdog looks for its parent: the longest an orphaned solve keeps a core.
WATCHDOG_SECONDS = 0.5
_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>

WarmUp = Callable[[], object]


def worker_main(
    conn: Connection,
    niceness: int = 0,
    parent: int | None = None,
    deathsig: bool = False,
    rules_overrides: Path | None = None,
    warm_up: WarmUp | None = None,
) -> None:
    """A worker process: warms up, says it is ready, then runs jobs one at a time and reports each one.

    It lowers its own scheduling priority by `niceness` first: when the solves fill every core, the
    service's event loop (health checks, reads, SOLVER_BUSY answers) still runs the moment it has work.
    Then it arranges to die with `parent`, the service (see `_die_with`).
    """
    if niceness and hasattr(os, "nice"):
        os.nice(niceness)
    if parent is not None:
        _die_with(parent, deathsig)
    # A spawned process starts with the shipped rules: layer the service's rule overrides the same way.
    use_overrides(rules_overrides)
    conn.send(("ready", None, _warmed(warm_up)))
    while True:
        try:
            message = conn.recv()
        except EOFError:
            return
        if message is None:
            return
        job_id, fn, payload = message
        # Taken: from here on, the job fails if this process dies (before, it would go to another worker).
        conn.send(("taken", job_id, None))

        def emit(value: Any, job_id: str = job_id) -> None:
            conn.send(("progress", job_id, value))

        try:
            result = fn(payload, emit)
        except Exception as exc:  # reported to the caller as JobFailed, logged here with the traceback
            logging.getLogger(__name__).exception("solve job %s failed", job_id)
            conn.send(("failed", job_id, f"{type(exc).__name__}: {exc}"))
        else:
            conn.send(("done", job_id, result))


def _warmed(warm_up: WarmUp | None) -> float:
    """Runs `warm_up` and returns its seconds; a failing warm-up is logged, and the worker serves anyway."""
    started = time.perf_counter()
    if warm_up is not None:
        try:
            warm_up()
        except Exception:  # a cold worker is slower, not wrong: its jobs still run
            logging.getLogger(__name__).exception("the solver worker's warm-up failed")
    return time.perf_counter() - started


def _die_with(parent: int, deathsig: bool) -> None:
    """Makes this worker exit when the service `parent` dies, so no solve outlives its reason.

    Linux's PDEATHSIG kills at once, but it follows the *thread* that spawned the worker, so the runner asks
    for it only when that thread is the main one. The watchdog thread covers every other case (and other
    systems): when the parent is gone, the worker is re-parented and `getppid` changes.
    """
    if deathsig and sys.platform == "linux":
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the request above took effect
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True, name="permitpath-parent-watchdog").start()


def _watch_parent(parent: int) -> None:
    """Exits the process once `parent` is gone (a separate thread: CP-SAT holds the main one)."""
    while os.getppid() == parent:
        time.sleep(WATCHDOG_SECONDS)
    os._exit(1)
