"""Several service processes on one database: a process fails only the plan jobs nobody runs any more.

A job names its owner (the service process, stable across its restarts) and carries a heartbeat. At
startup a service fails its own previous run's jobs and any job whose heartbeat stopped; each heartbeat
(`PlanService.beat`) renews its own jobs and fails other owners' stale ones. Runs on SQLite and PostgreSQL
(where row-level security makes the sweep go tenant by tenant).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from api.keys import Role
from api.plan_service import RESTART_REASON, STOPPED_REASON, PlanService
from db.models import PlanJob
from db.repository import Repository
from schema.stored_plans import decode
from tests.api.conftest import Service, serve, settings_for
from tests.api.runner_jobs import sleep_then
from tests.api.test_plan_cache import _variables
from tests.api.test_plan_jobs import _pooled, _runner, _start


def now() -> dt.datetime:
    """The time when a job is added: a fresh heartbeat is fresh however long the suite ran before this test."""
    return dt.datetime.now(dt.UTC)


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
        job = await Repository(session, tenant_id=tenant_id).add_summarized(PlanJob, values, ("state",))
        return job.id


async def states(service: Service, tenant_id: int) -> dict[int, tuple[str, str | None]]:
    async with service.sessions() as session:
        repo = Repository(session, tenant_id=tenant_id)
        rows = (await session.scalars(select(PlanJob).where(PlanJob.tenant_id == repo.tenant_id))).all()
        return {row.id: (row.state, row.error) for row in rows}


async def test_a_start_fails_its_own_previous_jobs_and_stale_ones_but_not_a_live_neighbours(
    database_url: str,
) -> None:
    settings = settings_for(database_url, instance="web-1")
    async with serve(settings) as first:
        tenant = await first.tenant()
        mine = await add_job(first, tenant.id, "web-1", now())  # left by this service's previous run
        neighbours = await add_job(first, tenant.id, "web-2", now())  # web-2 is alive and beating
        stopped = await add_job(first, tenant.id, "web-3", now() - dt.timedelta(minutes=5))
        legacy = await add_job(first, tenant.id, None, None)  # from before jobs had owners
    async with serve(settings) as restarted:
        found = await states(restarted, tenant.id)
    failed = ("FAILED", RESTART_REASON.format(state="RUNNING"))
    assert found == {mine: failed, neighbours: ("RUNNING", None), stopped: failed, legacy: failed}


async def test_a_heartbeat_renews_its_own_jobs_and_fails_a_stopped_neighbours(service: Service) -> None:
    plans: PlanService = service.app.state.services["plans"]
    tenant = await service.tenant()
    neighbours = await add_job(service, tenant.id, "web-2", now())
    stopped = await add_job(service, tenant.id, "web-3", now() - dt.timedelta(minutes=5))
    old_own = await add_job(service, tenant.id, plans.owner, now() - dt.timedelta(minutes=5))

    assert await plans.beat() >= 1

    found = await states(service, tenant.id)
    assert found[stopped] == ("FAILED", STOPPED_REASON.format(state="RUNNING"))
    assert found[neighbours] == ("RUNNING", None)
    assert found[old_own] == ("RUNNING", None)  # a process never fails its own jobs while it runs


async def test_a_heartbeat_renews_the_jobs_this_process_runs(database_url: str) -> None:
    async with _pooled(database_url) as service:
        plans: PlanService = service.app.state.services["plans"]
        tenant = await service.tenant()
        key = await service.key(tenant, Role.CONSULTANT)
        _runner(service).submit(sleep_then, 30.0)  # the only worker is busy: the job stays QUEUED
        job_id = int(decode((await _start(service, key, _variables()))["id"], "PlanJob") or 0)
        long_ago = now() - dt.timedelta(minutes=5)
        async with service.sessions() as session, session.begin():
            job = await Repository(session, tenant_id=tenant.id).get(PlanJob, job_id)
            assert job is not None and job.owner == plans.owner and job.state == "QUEUED"
            job.heartbeat_at = long_ago

        await plans.beat()

        async with service.sessions() as session:
            job = await Repository(session, tenant_id=tenant.id).get(PlanJob, job_id)
            assert job is not None and job.state == "QUEUED"
            beat = job.heartbeat_at
            assert beat is not None and (beat if beat.tzinfo else beat.replace(tzinfo=dt.UTC)) > long_ago
