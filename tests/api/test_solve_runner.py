"""The process-pool solve runner: results, progress, the bounded queue, fair sharing between tenants,
cancellation, dead workers (busy or idle), and workers that die with their service."""

from __future__ import annotations

import asyncio
import functools
import json
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from api.solve_runner import JobCancelled, JobFailed, JobState, ProcessRunner, SolverBusy
from solver.rules.registry import load_rules, use_overrides
from tests.api import runner_jobs, worker_probe


@pytest.fixture
async def runner() -> AsyncIterator[ProcessRunner]:
    pool = ProcessRunner(workers=2, queue_size=1, retry_after=2.0)
    await pool.start()
    yield pool
    await pool.close()


ROOT = Path(__file__).resolve().parents[2]


async def until(condition: Callable[[], bool], what: str, timeout: float = 60.0) -> None:
    """Waits for `condition` (the timeout is only a safety net: nothing here measures time)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"never: {what}")
        await asyncio.sleep(0.02)


def running(pid: int | None) -> bool:
    """Whether the process exists and is not a zombie (an orphan's new parent may never reap it)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"


def exists(pid: int | None) -> bool:
    """Whether the process table still holds `pid`, a zombie included."""
    return Path(f"/proc/{pid}").exists()


async def wait_running(pool: ProcessRunner, job_id: str) -> None:
    def started() -> bool:
        status = pool.status(job_id)
        return status is not None and status.state is JobState.RUNNING and bool(status.progress)

    await until(started, f"{job_id} starts")


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
    job_id = runner.submit(runner_jobs.sleep_then, runner_jobs.BUSY_S)
    await wait_running(runner, job_id)
    assert runner.cancel(job_id) is True
    with pytest.raises(JobCancelled):
        await runner.result(job_id)
    assert runner.status(job_id) is not None
    assert runner.cancel(job_id) is False
    # the replaced worker answers promptly
    assert await asyncio.wait_for(runner.run(runner_jobs.echo, "after"), timeout=30) == "after"


async def test_a_caller_that_goes_away_cancels_its_solve(runner: ProcessRunner) -> None:
    task = asyncio.create_task(runner.run(runner_jobs.sleep_then, runner_jobs.BUSY_S))
    await until(lambda: runner.busy_workers == 1, "the job starts")
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


async def test_a_firm_beyond_its_share_is_refused_while_another_is_admitted_and_served_first(tmp_path: Path) -> None:
    pool = ProcessRunner(workers=1, queue_size=4, tenant_share=3)
    await pool.start()
    try:
        gate, order = tmp_path / "gate", tmp_path / "order"
        first = pool.submit(runner_jobs.wait_for_file, str(gate), tenant="A")
        await wait_running(pool, first)
        later = [pool.submit(runner_jobs.append_line, (str(order), f"A{i}"), tenant="A") for i in (2, 3)]
        with pytest.raises(SolverBusy, match=r"your firm's share of the solver \(3 solves running or waiting\)"):
            pool.submit(runner_jobs.append_line, (str(order), "A4"), tenant="A")
        assert (pool.admits("A"), pool.admits("B"), pool.queue_depth) == (False, True, 2)

        other = pool.submit(runner_jobs.append_line, (str(order), "B1"), tenant="B")
        gate.touch()
        for job_id in (first, *later, other):
            await asyncio.wait_for(pool.result(job_id), timeout=60)
        # B came after A's queued jobs, and ran before them: A had just been served.
        assert order.read_text().split() == ["B1", "A2", "A3"]
        assert pool.admits("A")
    finally:
        await pool.close()


async def test_a_full_pool_refuses_every_tenant_and_untenanted_jobs_count_against_the_queue_only() -> None:
    pool = ProcessRunner(workers=1, queue_size=1, retry_after=2.0)
    await pool.start()
    try:
        assert pool.tenant_share == 1
        blocker = pool.submit(runner_jobs.sleep_then, runner_jobs.BUSY_S)
        queued = pool.submit(runner_jobs.echo, 1)
        for tenant in ("A", "B", None):
            busy = pool.refusal(tenant)
            assert busy is not None and busy.retry_after == 2.0
            assert str(busy) == "all solver workers are busy and the queue is full; retry after 2 s"
        assert pool.cancel(queued) and pool.cancel(blocker)
    finally:
        await pool.close()


async def test_a_killed_idle_worker_is_replaced_and_reaped_and_the_next_job_runs() -> None:
    pool = ProcessRunner(workers=1, queue_size=1)
    await pool.start()
    try:
        [dead] = pool.worker_pids
        os.kill(dead, signal.SIGKILL)
        assert await asyncio.wait_for(pool.run(runner_jobs.pid, None), timeout=60) != dead
        await until(lambda: pool.workers == 1 and dead not in pool.worker_pids, "the pool is whole again")
        await until(lambda: not exists(dead), "the killed worker is reaped")
    finally:
        await pool.close()


async def test_a_job_sent_to_a_worker_that_dies_before_taking_it_runs_on_another() -> None:
    pool = ProcessRunner(workers=1, queue_size=1)
    await pool.start()
    try:
        [stopped] = pool.worker_pids
        os.kill(stopped, signal.SIGSTOP)  # alive, so the job is handed to it, but it cannot read it
        job_id = pool.submit(runner_jobs.pid, None)
        status = pool.status(job_id)
        assert status is not None and status.state is JobState.RUNNING
        os.kill(stopped, signal.SIGKILL)
        assert await asyncio.wait_for(pool.result(job_id), timeout=60) not in (stopped, None)
        assert pool.workers == 1
    finally:
        await pool.close()


async def test_a_cancelled_jobs_worker_is_reaped(runner: ProcessRunner) -> None:
    job_id = runner.submit(runner_jobs.sleep_then, runner_jobs.BUSY_S)
    await wait_running(runner, job_id)
    before = set(runner.worker_pids)
    assert runner.cancel(job_id) is True
    [terminated] = before - set(runner.worker_pids)
    await until(lambda: not exists(terminated), "the terminated worker is reaped, not left a zombie")


async def test_a_worker_is_replaced_by_a_fresh_process_after_its_share_of_jobs() -> None:
    pool = ProcessRunner(workers=1, queue_size=2, jobs_per_worker=2)
    await pool.start()
    try:
        pids = [await asyncio.wait_for(pool.run(runner_jobs.pid, None), timeout=60) for _ in range(5)]
        assert pids[0] == pids[1] != pids[2] == pids[3] != pids[4]
        assert pool.retired == 2 and pool.workers == 1
        await until(lambda: not exists(pids[0]) and not exists(pids[2]), "the retired workers are reaped")
    finally:
        await pool.close()


@pytest.mark.parametrize("flags", [[], ["--loop-in-thread"]], ids=["pdeathsig", "watchdog"])
async def test_workers_die_with_their_service(flags: list[str]) -> None:
    """kill -9 of the service leaves no solver running (before: an orphan kept a core busy for ~70 s)."""
    parent = subprocess.Popen(
        [sys.executable, "-m", "tests.api.runner_parent", *flags], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        assert parent.stdout is not None
        line = await asyncio.wait_for(asyncio.to_thread(parent.stdout.readline), timeout=120)
        pids = json.loads(line)
        assert len(pids) == 2 and all(running(pid) for pid in pids)
    finally:
        parent.kill()
        parent.wait()
    try:
        await until(lambda: not any(running(pid) for pid in pids), "the orphaned workers are gone")
    finally:
        for pid in filter(running, pids):  # a failed run leaves no solver behind on the machine
            os.kill(pid, signal.SIGKILL)


async def test_workers_plan_with_the_services_rule_overrides(tmp_path: Path) -> None:
    # A spawned worker starts with the shipped rules only: the runner hands it the overrides directory.
    (tmp_path / "fees.toml").write_text(
        '[[rule]]\nid = "FEES.pr"\ntitle = "PR fees (firm)"\ntrigger = "PR application date"\n'
        'source = "https://example.org/fees"\nconfidence = "M"\n'
        "[[rule.version]]\neffective = 2026-04-01\n"
        "params = { processing = 1000, rprf = 600, dependent_child = 270 }\n"
    )
    layered = use_overrides(tmp_path).version
    pool = ProcessRunner(workers=1, queue_size=1)
    try:
        await pool.start()
        assert await pool.run(runner_jobs.rules_version, None) == layered
    finally:
        await pool.close()
        use_overrides(None)
    assert load_rules().version != layered


# The project's own packages and the service's frameworks: a solver worker needs none of them.
SERVICE_MODULES = ("api", "schema", "db", "sqlalchemy", "strawberry", "starlette", "alembic")


def test_a_worker_imports_the_solver_and_nothing_of_the_service() -> None:
    # Run as a program whose main module imports the command line, as the `permitpath` script does.
    script = Path(__file__).with_name("worker_main_script.py")
    root = Path(__file__).parents[2]
    done = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": str(root)},
        check=True,
    )
    found = json.loads(done.stdout)
    assert found["ready"] and found["status"] in ("OPTIMAL", "FEASIBLE")
    assert found["main"] == "solver.worker"  # not the script: spawn did not run the command line again
    modules = set(found["modules"])
    assert {"solver.job", "solver.solve", "solver.worker"} <= modules
    assert not {m for m in modules if m.split(".")[0] in SERVICE_MODULES}


async def test_the_pool_is_ready_once_every_worker_has_warmed_up(tmp_path: Path) -> None:
    warm = tmp_path / "warm"
    pool = ProcessRunner(workers=2, queue_size=2, warm_up=functools.partial(worker_probe.wait_for, warm))
    await pool.start()
    try:
        # A job sent now waits in the worker behind its warm-up; the pool does not say it is ready.
        job_id = pool.submit(runner_jobs.echo, "first")
        await asyncio.sleep(0.2)
        assert not pool.ready and pool.status(job_id).state is not JobState.DONE  # type: ignore[union-attr]
        warm.touch()
        await until(lambda: pool.ready, "the pool said it was ready")
        assert await pool.result(job_id) == "first"
    finally:
        await pool.close()
