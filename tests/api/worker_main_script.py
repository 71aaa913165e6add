"""Stands in for the `permitpath` script in a test: imports the command line at top level as the script does,
then (run as a program) starts a warm solver pool, plans once and prints what a worker has loaded as JSON.

`python tests/api/worker_main_script.py`: multiprocessing's spawn would run this file again in each worker
(as `__mp_main__`) unless the runner says otherwise, and with it the whole command line.
"""

from __future__ import annotations

import asyncio
import json

from api.cli import main  # noqa: F401  (what the permitpath script imports; the test checks workers do not)
from api.solve_runner import ProcessRunner
from solver.job import WARM_UP_DOCUMENT, Solve, plan_job, warm_up
from solver.scenario_json import parse_document
from tests.api import worker_probe


async def probe() -> dict[str, object]:
    """A pool of one warm worker: the modules it loaded after a plan, and its main module."""
    runner = ProcessRunner(1, 1, warm_up=warm_up)
    await runner.start()
    try:
        parsed = parse_document(WARM_UP_DOCUMENT)
        assert not isinstance(parsed, Exception) and isinstance(parsed, tuple)
        plan = await runner.run(plan_job, Solve(*parsed))
        return {
            "ready": runner.ready,
            "status": plan.status.value,
            "modules": await runner.run(worker_probe.loaded_modules, None),
            "main": await runner.run(worker_probe.main_module, None),
        }
    finally:
        await runner.close()


if __name__ == "__main__":
    print(json.dumps(asyncio.run(probe())))
