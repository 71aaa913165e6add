"""Plan jobs end whatever the database does meanwhile, and a deleted household's jobs stop.

A real outage: the plan service's engine goes through `tests.tcp_proxy.TcpProxy` to PostgreSQL, and the
test cuts it while the job runs. Retries are driven by an injected sleep (which ends the outage, or not),
heartbeats by a fixed clock: nothing here depends on how fast the machine is. The subscriber is the real
`planJobUpdates` subscription, reading on the test's own (unproxied) sessions.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.keys import Role
from api.plan_service import FIRST_RETRY_SECONDS, HOUSEHOLD_DELETED_REASON, ORPHAN_REASON, PlanService
from db.engine import make_engine, make_sessions
from db.models import PlanJob
from db.repositories.jobs import PlanJobs
from db.repositories.scoped import SYSTEM
from schema.context import Context
from schema.ids import decode
from schema.root import schema
from schema.services import Services
from schema.stored_plans import global_id
from solver import domain
from solver.scenario_json import parse_scenario
from tests.api.conftest import Service
from tests.api.runner_jobs import BUSY_S, sleep_then
from tests.api.test_plan_cache import SCENARIO, _variables
from tests.api.test_plan_jobs import CREATE, START, _pooled, _read, _runner
from tests.conftest import new_tenant
from tests.schema.records import household_input
from tests.tcp_proxy import TcpProxy

NOW = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)
UPDATES = "subscription($id: ID!) { planJobUpdates(id: $id) { ... on PlanJob { state error } } }"
DELETE = "mutation($id: ID!) { deleteHousehold(id: $id) { __typename } }"


def _question() -> tuple[domain.Scenario, domain.PlanOptions]:
    read = parse_scenario(json.loads(SCENARIO.read_text())["scenario"], {"timeLimitMs": 3000})
    assert not isinstance(read, domain.InvalidScenario)
    return read


class Clock:
    """A clock that moves only when the test says so."""

    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
async def proxied(postgres_database: str) -> AsyncIterator[tuple[TcpProxy, async_sessionmaker[AsyncSession]]]:
    """Sessions on the test's PostgreSQL database through a proxy the test can cut."""
    async with TcpProxy() as proxy:
        url = make_url(postgres_database).set(host="127.0.0.1", port=proxy.port)
        engine = make_engine(url.render_as_string(hide_password=False))
        yield proxy, make_sessions(engine)
        await engine.dispose()


@pytest.fixture
async def direct(postgres_database: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = make_engine(postgres_database)
    yield make_sessions(engine)
    await engine.dispose()


async def _updates(
    sessions: async_sessionmaker[AsyncSession], plans: PlanService, tenant_id: int, job_id: int
) -> AsyncIterator[dict[str, Any]]:
    """The real `planJobUpdates` subscription, as the tenant, on `sessions`."""
    context = Context.create(sessions, tenant_id, services=Services(plans=plans))
    variables = {"id": global_id("PlanJob", job_id)}
    stream = await schema.subscribe(UPDATES, variable_values=variables, context_value=context)
    assert not hasattr(stream, "errors"), stream
    async for result in stream:
        assert result.errors is None, result.errors
        assert result.data is not None
        yield result.data["planJobUpdates"]


async def _row(sessions: async_sessionmaker[AsyncSession], tenant_id: int, job_id: int) -> PlanJob:
    async with sessions() as session:
        row = await PlanJobs(session, tenant_id=tenant_id).get(PlanJob, job_id)
    assert row is not None
    return row


@pytest.mark.postgres
async def test_a_job_whose_database_went_away_ends_done_once_it_returns(
    proxied: tuple[TcpProxy, async_sessionmaker[AsyncSession]], direct: async_sessionmaker[AsyncSession]
) -> None:
    proxy, sessions = proxied
    pauses: list[float] = []

    async def sleep(seconds: float) -> None:  # the outage ends while the end waits to be written again
        pauses.append(seconds)
        proxy.restore()

    plans = PlanService(sessions, clock=Clock(), sleep=sleep)
    tenant_id = await new_tenant(direct)
    job_id = await plans.start(tenant_id, SYSTEM, *_question())
    proxy.cut()  # before the job's task has run a step: RUNNING, each plan and DONE all meet the outage

    seen = [update async for update in _updates(direct, plans, tenant_id, job_id)]

    row = await _row(direct, tenant_id, job_id)
    assert (row.state, row.error) == ("DONE", None)
    assert row.plan is not None and row.started_at is not None  # the RUNNING step was carried into DONE
    assert pauses == [FIRST_RETRY_SECONDS]
    assert seen == [{"state": "QUEUED", "error": None}, {"state": "DONE", "error": None}]
    await plans.close()


@pytest.mark.postgres
async def test_a_job_whose_end_could_not_be_written_is_failed_by_the_sweep_once_the_database_returns(
    proxied: tuple[TcpProxy, async_sessionmaker[AsyncSession]], direct: async_sessionmaker[AsyncSession]
) -> None:
    proxy, sessions = proxied
    pauses: list[float] = []

    async def sleep(seconds: float) -> None:  # the outage outlasts every retry
        pauses.append(seconds)

    clock = Clock()
    plans = PlanService(sessions, clock=clock, sleep=sleep, retry_for=2.0)
    tenant_id = await new_tenant(direct)
    job_id = await plans.start(tenant_id, SYSTEM, *_question())
    follower = plans._live[job_id].task
    assert follower is not None
    proxy.cut()
    subscriber = asyncio.ensure_future(_collect(_updates(direct, plans, tenant_id, job_id)))

    await follower  # it gave up: nothing escaped it
    assert pauses == [0.5, 1.0, 2.0]
    assert (await _row(direct, tenant_id, job_id)).state == "QUEUED"
    assert not subscriber.done()  # the subscriber waits for the end

    proxy.restore()
    clock.now = NOW + dt.timedelta(minutes=1)  # the job's heartbeat is three beats old
    # The sweep fails every stale job of the database: other tests of this process may have left theirs, so the
    # count is at least this one; the row below says it was this one.
    assert await plans.beat() >= 1

    reason = ORPHAN_REASON.format(state="QUEUED")
    assert (await _row(direct, tenant_id, job_id)).error == reason
    seen = await asyncio.wait_for(subscriber, 30)
    assert seen[-1] == {"state": "FAILED", "error": reason}
    await plans.close()


async def _collect(updates: AsyncIterator[dict[str, Any]]) -> list[dict[str, Any]]:
    return [update async for update in updates]


async def test_deleting_a_household_cancels_its_jobs_and_frees_their_solves(database_url: str) -> None:
    async with _pooled(database_url) as service:
        tenant = await service.tenant()
        key = await service.key(tenant, Role.CONSULTANT)
        blocker = _runner(service).submit(sleep_then, BUSY_S)  # the only worker is busy: the job waits in the queue
        household = (await service.data(CREATE, key, {"input": household_input()}))["createHousehold"]["household"]
        job = (await service.data(START, key, {"householdId": household["id"], "asOf": "2026-01-15"}))["startPlan"]
        assert job["state"] == "QUEUED" and _runner(service).queue_depth == 1

        deleted = await service.data(DELETE, key, {"id": household["id"]})

        assert deleted == {"deleteHousehold": {"__typename": "Deleted"}}
        assert _runner(service).queue_depth == 0  # its solve no longer waits for a worker
        found = await _read(service, key, job["id"])
        assert (found["state"], found["error"], found["householdId"]) == ("CANCELLED", HOUSEHOLD_DELETED_REASON, None)
        assert found["finishedAt"] is not None
        _runner(service).cancel(blocker)


async def test_a_job_another_process_ended_is_stopped_at_the_next_beat(database_url: str) -> None:
    async with _pooled(database_url) as service:
        plans: PlanService = service.app.state.services.plans
        tenant = await service.tenant()
        key = await service.key(tenant, Role.CONSULTANT)
        blocker = _runner(service).submit(sleep_then, BUSY_S)
        job = await _queued_job(service, key)
        async with service.sessions() as session, session.begin():  # cancelled by another service process
            row = await PlanJobs(session, tenant_id=tenant.id).get(PlanJob, job)
            assert row is not None
            row.state = "CANCELLED"

        assert await plans.beat() == 0

        assert _runner(service).queue_depth == 0 and job not in plans._live
        _runner(service).cancel(blocker)


async def _queued_job(service: Service, key: str) -> int:
    started = (await service.data(START, key, _variables()))["startPlan"]
    assert started["state"] == "QUEUED"
    return int(decode(started["id"], "PlanJob") or 0)
