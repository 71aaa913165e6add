"""A service stand-in for the orphan test: starts a ProcessRunner, a long job, prints the worker pids, waits.

`python -m tests.api.runner_parent [--loop-in-thread]`; with the flag, the runner lives on an event loop
in a thread that is not the main one (so the workers rely on their watchdog, not on PDEATHSIG).
"""

from __future__ import annotations

import asyncio
import json
import sys
import threading

from api.solve_runner import ProcessRunner
from tests.api import runner_jobs


async def serve() -> None:
    """Runs a long job on a pool of two and reports the workers' pids once it runs."""
    pool = ProcessRunner(workers=2, queue_size=0)
    await pool.start()
    job_id = pool.submit(runner_jobs.sleep_then, 600.0)
    while not (status := pool.status(job_id)) or not status.progress:
        await asyncio.sleep(0.01)
    print(json.dumps(pool.worker_pids), flush=True)
    await asyncio.Event().wait()


def main() -> None:
    if "--loop-in-thread" in sys.argv:
        thread = threading.Thread(target=asyncio.run, args=(serve(),))
        thread.start()
        thread.join()
    else:
        asyncio.run(serve())


if __name__ == "__main__":
    main()
