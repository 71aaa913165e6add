"""The process-pool solve runner: results, progress, the bounded queue, cancellation, dead workers."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator

import pytest

from api.solve_runner import JobCancelled, JobFailed, JobState, ProcessRunner, SolverBusy
from tests.api import runner_jobs


@pytest.fixture
async def runner() -> AsyncIterator[ProcessRunner]:
    pool = ProcessRunner(workers=2, queue_size=1, retry_after=2.0)
    await pool.start()
    yield pool
    await pool.close()


async def wait_running(pool: ProcessRunner, job_id: str) -> None:
    for _ in range(400):
        status = pool.status(job_id)
        if status is not None and status.state is JobState.RUNNING and status.progress:
            return
        await asyncio.sleep(0.025)
    raise AssertionError(f"{job_id} never started")


async def test_result_comes_back_from_a_worker(runner: ProcessRunner) -> None:
    assert await runner.run(runner_jobs.echo, {"a": [1, 2]}) == {"a": [1, 2]}


async def test_progress_values_arrive_in_order(runner: ProcessRunner) -> None:
    job_id = runner.submit(runner_jobs.count_up, 4)
    seen = [value async for value in runner.updates(job_id)]
    assert await runner.result(job_id) == 4
    assert seen == [0, 1, 2, 3]


async def test_a_failing_job_is_reported_and_the_worker_keeps_serving(runner: ProcessRunner) -> None:
    with pytest.raises(JobFailed, match="ValueError: bad input"):
        await runner.run(runner_jobs.fail, "bad input")
    assert await runner.run(runner_jobs.echo, 7) == 7


async def test_full_queue_answers_busy_at_once(runner: ProcessRunner) -> None:
    running = [runner.submit(runner_jobs.sleep_then, 5.0) for _ in range(2)]
    queued = runner.submit(runner_jobs.echo, 1)
    assert runner.busy_workers == 2
    assert runner.queue_depth == 1
    with pytest.raises(SolverBusy) as busy:
        runner.submit(runner_jobs.echo, 2)
    assert busy.value.retry_after == 2.0
    for job_id in [*running, queued]:
        assert runner.cancel(job_id) is True
    assert runner.queue_depth == 0


async def test_cancel_running_job_frees_its_worker(runner: ProcessRunner) -> None:
    job_id = runner.submit(runner_jobs.sleep_then, 30.0)
    await wait_running(runner, job_id)
    assert runner.cancel(job_id) is True
    with pytest.raises(JobCancelled):
        await runner.result(job_id)
    assert runner.status(job_id) is not None
    assert runner.cancel(job_id) is False
    # the replaced worker answers promptly
    assert await asyncio.wait_for(runner.run(runner_jobs.echo, "after"), timeout=30) == "after"


async def test_a_caller_that_goes_away_cancels_its_solve(runner: ProcessRunner) -> None:
    task = asyncio.create_task(runner.run(runner_jobs.sleep_then, 30.0))
    for _ in range(400):
        if runner.busy_workers == 1:
            break
        await asyncio.sleep(0.025)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert runner.busy_workers == 0


async def test_a_worker_that_dies_fails_its_job_and_is_replaced(runner: ProcessRunner) -> None:
    with pytest.raises(JobFailed, match="stopped unexpectedly"):
        await asyncio.wait_for(runner.run(runner_jobs.die, None), timeout=30)
    pids = {await runner.run(runner_jobs.pid, None) for _ in range(4)}
    assert 1 <= len(pids) <= 2


async def test_workers_run_at_a_lower_priority_than_the_service(runner: ProcessRunner) -> None:
    """Solves filling every core must not starve the event loop: workers are `nice`d below the service."""
    assert await runner.run(runner_jobs.niceness, None) == min(os.nice(0) + 10, 19)
