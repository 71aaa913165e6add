"""Several service processes on one database: a process fails only the plan jobs nobody runs any more.

A job names its owner (the service process, stable across its restarts) and carries a heartbeat. At
startup a service fails its own previous run's jobs and any job whose heartbeat stopped; each heartbeat
(`PlanService.beat`) renews the jobs it follows and fails other owners' stale ones, and its own that no task
follows. Runs on SQLite and PostgreSQL (where row-level security makes the sweep go tenant by tenant).

The service reads heartbeats against a fixed clock (`NOW`): the tests do not depend on how long they take.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from api.keys import Role
from api.plan_service import ORPHAN_REASON, RESTART_REASON, STOPPED_REASON, PlanService
from db.models import PlanJob
from db.repositories.jobs import PlanJobs
from schema.ids import decode
from tests.api.conftest import Service, serve, settings_for
from tests.api.runner_jobs import BUSY_S, sleep_then
from tests.api.test_plan_cache import _variables
from tests.api.test_plan_jobs import _pooled, _runner, _start

NOW = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)


def fixed_clock() -> dt.datetime:
    return NOW


async def add_job(service: Service, tenant_id: int, owner: str | None, heartbeat: dt.datetime | None) -> int:
    """An unfinished job as another process (or this one's previous run) would have left it."""
    values: dict[str, Any] = {
        "state": "RUNNING",
        "scenario": {},
        "options": {},
        "rules_version": "r",
        "plan_key": "k",
        "owner": owner,
        "heartbeat_at": heartbeat,
    }
    async with service.sessions() as session, session.begin():
        job = await PlanJobs(session, tenant_id=tenant_id).add_summarized(PlanJob, values, ("state",))
        return job.id


async def states(service: Service, tenant_id: int) -> dict[int, tuple[str, str | None]]:
    async with service.sessions() as session:
        repo = PlanJobs(session, tenant_id=tenant_id)
        rows = (await session.scalars(select(PlanJob).where(PlanJob.tenant_id == repo.tenant_id))).all()
        return {row.id: (row.state, row.error) for row in rows}


async def test_a_start_fails_its_own_previous_jobs_and_stale_ones_but_not_a_live_neighbours(
    database_url: str,
) -> None:
    settings = settings_for(database_url, instance="web-1")
    async with serve(settings, clock=fixed_clock) as first:
        tenant = await first.tenant()
        mine = await add_job(first, tenant.id, "web-1", NOW)  # left by this service's previous run
        neighbours = await add_job(first, tenant.id, "web-2", NOW)  # web-2 is alive and beating
        stopped = await add_job(first, tenant.id, "web-3", NOW - dt.timedelta(minutes=5))
        legacy = await add_job(first, tenant.id, None, None)  # from before jobs had owners
    async with serve(settings, clock=fixed_clock) as restarted:
        found = await states(restarted, tenant.id)
    failed = ("FAILED", RESTART_REASON.format(state="RUNNING"))
    assert found == {mine: failed, neighbours: ("RUNNING", None), stopped: failed, legacy: failed}


async def test_a_heartbeat_fails_a_stopped_neighbours_jobs_and_its_own_that_no_task_follows(
    database_url: str,
) -> None:
    async with serve(settings_for(database_url, instance="web-1"), clock=fixed_clock) as service:
        plans: PlanService = service.app.state.services.plans
        tenant = await service.tenant()
        neighbours = await add_job(service, tenant.id, "web-2", NOW)
        stopped = await add_job(service, tenant.id, "web-3", NOW - dt.timedelta(minutes=5))
        # Left by a follower of this very process that gave up (its end could not be written), or lost.
        orphaned = await add_job(service, tenant.id, "web-1", NOW - dt.timedelta(minutes=5))
        just_started = await add_job(service, tenant.id, "web-1", NOW)  # its follower may be a moment away

        assert await plans.beat() == 2

        found = await states(service, tenant.id)
    assert found == {
        stopped: ("FAILED", STOPPED_REASON.format(state="RUNNING")),
        neighbours: ("RUNNING", None),
        orphaned: ("FAILED", ORPHAN_REASON.format(state="RUNNING")),
        just_started: ("RUNNING", None),
    }


async def test_after_a_failed_heartbeat_the_next_one_only_renews(database_url: str) -> None:
    """The database was away for every process: the others get a heartbeat to renew theirs before a sweep."""
    async with serve(settings_for(database_url, instance="web-1"), clock=fixed_clock) as service:
        plans: PlanService = service.app.state.services.plans
        tenant = await service.tenant()
        late = await add_job(service, tenant.id, "web-2", NOW - dt.timedelta(minutes=5))
        plans._beat_failed = True  # what a beat that met a database fault leaves

        assert await plans.beat() == 0
        assert (await states(service, tenant.id))[late] == ("RUNNING", None)
        assert await plans.beat() == 1
        assert (await states(service, tenant.id))[late] == ("FAILED", STOPPED_REASON.format(state="RUNNING"))


async def test_a_heartbeat_renews_the_jobs_this_process_runs(database_url: str) -> None:
    async with _pooled(database_url, clock=fixed_clock) as service:
        plans: PlanService = service.app.state.services.plans
        tenant = await service.tenant()
        key = await service.key(tenant, Role.CONSULTANT)
        _runner(service).submit(sleep_then, BUSY_S)  # the only worker is busy: the job stays QUEUED
        job_id = int(decode((await _start(service, key, _variables()))["id"], "PlanJob") or 0)
        long_ago = NOW - dt.timedelta(minutes=5)
        async with service.sessions() as session, session.begin():
            job = await PlanJobs(session, tenant_id=tenant.id).get(PlanJob, job_id)
            assert job is not None and job.owner == plans.owner and job.state == "QUEUED"
            job.heartbeat_at = long_ago

        assert await plans.beat() == 0  # its own job, followed by a task: renewed, not failed

        async with service.sessions() as session:
            job = await PlanJobs(session, tenant_id=tenant.id).get(PlanJob, job_id)
            assert job is not None and job.state == "QUEUED"
            beat = job.heartbeat_at
            assert beat is not None and (beat if beat.tzinfo else beat.replace(tzinfo=dt.UTC)) == NOW
