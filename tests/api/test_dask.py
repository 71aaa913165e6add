# distributed ships no type hints for its cluster and client.
# mypy: disable-error-code="no-untyped-call"
"""The Dask backend on a real cluster: a `LocalCluster` of two worker processes over loopback (one thread each),
shared by the module. An interactive plan, a plan job with its progress and a cancel, SOLVER_BUSY, a caseload
re-plan whose reports match planning each household alone, a worker killed mid-run (every household recorded
exactly once), and a service restarted mid-run that resumes its run. Both databases.

The bulk re-plan covers BULK (50) households, short seeded ones (24 months, at most one offer); their stored
plans, and the plans each gives alone under the new rules, are solved once per module in this process.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import os
import random
import signal
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from distributed import Client, LocalCluster
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.dask_runner import DaskRunner
from api.keys import Role
from api.plan_service import Solve, plan_job
from api.replan_service import ReplanService
from api.services import ApiServices
from api.solve_runner import JobCancelled, JobState, SolverBusy
from db.models import Household, ReplanResult, ReplanRun, StoredPlan
from db.plan_json import from_plain, stored_plan_values
from db.repositories.replans import Replans
from db.repositories.scoped import Actor, TenantScoped
from loadtests.generate import scenario as generated_scenario
from loadtests.wire import scenario_json
from schema.stored_plans import global_id
from solver import domain
from solver.fingerprint import plan_key
from solver.impact import impact
from solver.rules.registry import load_rules
from solver.solve import plan as solve_plan
from solver.validate import check_plan
from tests.api.conftest import Service, serve, settings_for
from tests.api.runner_jobs import sleep_then
from tests.api.test_plan_jobs import Socket

BULK = 50
RULES_AS_OF = dt.date(2025, 1, 21)
TODAY = dt.date(2026, 12, 1)
OPTIONS = domain.PlanOptions(time_limit_ms=5000)
TEST_ACTOR = Actor("test")
SAFETY_NET_S = 300.0  # how long a wait may last before the test fails (nothing here measures time)
# How long a "slow" job sleeps on its worker's thread: far longer than a cancel takes to follow its submit, short
# enough that the thread, which a cancel cannot interrupt, is soon free for the next test.
HELD_S = 10.0


@pytest.fixture(scope="module")
def cluster() -> Iterator[LocalCluster]:
    """Two worker processes over loopback, one thread each, for the whole module."""
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=":0"
    ) as local:
        yield local


@dataclass(frozen=True)
class Household_:
    scenario: domain.Scenario
    stored: domain.Plan  # the plan stored before the rule change
    alone: domain.Plan  # the plan the household gets alone, with the rules as of RULES_AS_OF


@pytest.fixture(scope="module")
def caseload() -> list[Household_]:
    """BULK seeded households, each with its stored plan and the plan it gets alone under the new rules."""
    rng = random.Random(16)
    made: list[Household_] = []
    alone_options = dataclasses.replace(OPTIONS, rules_as_of=RULES_AS_OF)
    for _ in range(BULK):
        scenario = generated_scenario(rng, horizon_months=24, offers=rng.randint(0, 1))
        stored, alone = solve_plan(scenario, OPTIONS), solve_plan(scenario, alone_options)
        check_plan(scenario, stored, OPTIONS)
        check_plan(scenario, alone, alone_options)
        made.append(Household_(scenario, stored, alone))
    return made


async def until(condition: Callable[[], Any], what: str) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + SAFETY_NET_S
    while not await condition():
        assert loop.time() < deadline, f"never: {what}"
        await asyncio.sleep(0.05)


def _same(a: domain.Plan, b: domain.Plan) -> bool:
    return dataclasses.replace(a, solve_ms=0) == dataclasses.replace(b, solve_ms=0)


@pytest.fixture
async def runner(cluster: LocalCluster) -> AsyncIterator[DaskRunner]:
    dask = DaskRunner(cluster.scheduler_address, in_flight=2, tenant_share=1, retry_after=2.0)
    await dask.start()
    yield dask
    await dask.close()


# --- the runner --------------------------------------------------------------------------------------


async def test_a_plan_job_reports_progress_and_the_plan_alone(runner: DaskRunner, caseload: list[Household_]) -> None:
    scenario = caseload[0].scenario
    job = runner.submit(plan_job, Solve(scenario, OPTIONS, progress=True), tenant=1)
    result: domain.Plan = await runner.result(job)
    status = runner.status(job)
    assert status is not None and status.state is JobState.DONE
    assert status.progress, "no improving plan reached the service"
    assert all(isinstance(improving, domain.Plan) for improving in status.progress)
    assert _same(result, solve_plan(scenario, OPTIONS))
    check_plan(scenario, result, OPTIONS)


async def test_bounded_in_flight_per_service_and_per_firm(runner: DaskRunner) -> None:
    first = runner.submit(sleep_then, HELD_S, tenant=1)
    with pytest.raises(SolverBusy, match="your firm's share"):
        runner.submit(sleep_then, 0.0, tenant=1)
    second = runner.submit(sleep_then, HELD_S, tenant=2)
    busy = runner.refusal(3)
    assert busy is not None and busy.retry_after == 2.0
    with pytest.raises(SolverBusy, match="solves on the cluster are taken"):
        runner.submit(sleep_then, 0.0, tenant=3)
    # A cancel frees the place at once (the worker's thread ends its sleep on its own).
    assert runner.cancel(first) and runner.cancel(second)
    with pytest.raises(JobCancelled):
        await runner.result(first)
    assert runner.admits(1) and runner.in_flight == 0


async def test_a_caller_that_goes_away_cancels_its_job(runner: DaskRunner) -> None:
    waiting = asyncio.ensure_future(runner.run(sleep_then, HELD_S, tenant=1))
    await until(lambda: _true(runner.in_flight == 1), "the job is in flight")
    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting
    assert runner.in_flight == 0 and runner.admits(1)


async def _true(value: bool) -> bool:
    return value


# --- the service -------------------------------------------------------------------------------------

PLAN = """query($scenario: ScenarioInput!, $options: PlanOptionsInput) {
  planScenario(scenario: $scenario, options: $options) {
    ... on Plan { status prReadyDate permits { code applyOn } } } }"""
START = """mutation($scenario: ScenarioInput) { startPlan(scenario: $scenario) { ... on PlanJob { id state } } }"""
READ = """query($id: ID!) { planJob(id: $id) { ... on PlanJob { state improvements plan { prReadyDate } } } }"""
CANCEL = """mutation($id: ID!) { cancelPlanJob(id: $id) { ... on PlanJob { state } } }"""


@pytest.fixture
async def service(database_url: str, cluster: LocalCluster) -> AsyncIterator[Service]:
    settings = settings_for(
        database_url, rate_capacity=100_000.0, rate_per_second=100_000.0, dask_scheduler=cluster.scheduler_address
    )
    async with serve(settings) as running:
        yield running


async def test_the_service_plans_on_the_cluster(service: Service, caseload: list[Household_]) -> None:
    assert isinstance(service.app.state.services.solve_runner, DaskRunner)
    key = await service.key(await service.tenant(), Role.CONSULTANT)
    scenario = caseload[1].scenario
    answer = (await service.data(PLAN, key, {"scenario": scenario_json(scenario)}))["planScenario"]
    alone = solve_plan(scenario, domain.PlanOptions())
    assert answer["status"] == alone.status.value
    assert answer["prReadyDate"] == (alone.pr_ready_date.isoformat() if alone.pr_ready_date else None)
    assert [p["code"] for p in answer["permits"]] == [p.code for p in alone.permits]

    # Another household: the first one's plan is in the plan cache now (a job would be DONE at once).
    job = (await service.data(START, key, {"scenario": scenario_json(caseload[3].scenario)}))["startPlan"]

    async def finished() -> bool:
        state = (await service.data(READ, key, {"id": job["id"]}))["planJob"]["state"]
        return bool(state in ("DONE", "FAILED", "CANCELLED"))

    await until(finished, "the plan job ends")
    done = (await service.data(READ, key, {"id": job["id"]}))["planJob"]
    assert done["state"] == "DONE" and done["improvements"] >= 1

    # A job cancelled while it runs on the cluster ends CANCELLED and frees its place.
    other = (await service.data(START, key, {"scenario": scenario_json(caseload[2].scenario)}))["startPlan"]
    assert (await service.data(CANCEL, key, {"id": other["id"]}))["cancelPlanJob"]["state"] == "CANCELLED"
    runner: DaskRunner = service.app.state.services.solve_runner
    await until(lambda: _true(runner.in_flight == 0), "the cancelled job leaves the cluster")


# --- caseload re-plans -------------------------------------------------------------------------------


async def _store_caseload(
    sessions: async_sessionmaker[AsyncSession], tenant_id: int, caseload: list[Household_]
) -> list[int]:
    """Each household as a row with its stored plan; their ids, in caseload order."""
    ids = []
    async with sessions() as session, session.begin():
        repo = TenantScoped(session, tenant_id=tenant_id)
        for index, item in enumerate(caseload):
            household = await repo.add(Household, {"name": f"household {index}"})
            key = plan_key(item.scenario, OPTIONS, item.stored.rules_version)
            await repo.add(StoredPlan, stored_plan_values(item.scenario, OPTIONS, item.stored, key, household.id))
            ids.append(household.id)
    return ids


async def _results(sessions: async_sessionmaker[AsyncSession], tenant_id: int, run_id: int) -> list[ReplanResult]:
    async with sessions() as session:
        return list(await Replans(session, tenant_id=tenant_id).results(run_id))


async def _run_state(sessions: async_sessionmaker[AsyncSession], tenant_id: int, run_id: int) -> str:
    async with sessions() as session:
        run = await Replans(session, tenant_id=tenant_id).get(ReplanRun, run_id)
        assert run is not None
        return run.state


def _check_reports(results: list[ReplanResult], ids: list[int], caseload: list[Household_]) -> None:
    """Every household once, each report what planning it alone says, most urgent first."""
    assert sorted(r.household_id for r in results) == sorted(ids)
    by_household = {r.household_id: r for r in results}
    for household_id, item in zip(ids, caseload, strict=True):
        row = by_household[household_id]
        assert row.error is None, row.error
        assert row.plan is not None
        replanned = from_plain(row.plan, domain.Plan)
        assert _same(replanned, item.alone)  # which the validator accepted (`caseload`)
        expected = impact(item.stored, item.alone, TODAY)
        assert row.impact is not None and row.urgency == expected.urgency.value
        assert from_plain(row.impact, type(expected)) == expected
        assert row.rules_version_before == item.stored.rules_version
        assert row.rules_version_after == load_rules().version
    ranks = [(r.rank_level, r.rank_day or dt.date.max) for r in results]
    assert ranks == sorted(ranks)


REPLAN = """mutation($asOf: Date, $today: Date) { startCaseloadReplan(rulesAsOf: $asOf, today: $today) {
  __typename ... on CaseloadReplan { id state total } ... on InvalidInput { errors { path message } } } }"""
UPDATES = """subscription($id: ID!) { caseloadReplanUpdates(id: $id) { ... on CaseloadReplan {
  state done total householdsPerSecond estimatedEnd } } }"""
REOPEN = """query($id: ID!) { caseloadReplan(id: $id) { ... on CaseloadReplan { id state total done failed rulesAsOf
  rulesVersion rulesVersionsBefore householdsPerSecond
  households { urgency household { id } prReadyBefore prReadyAfter permitsGained { code } permitsLost { code }
    deadlinesMoved { ruleId days } newBlockers { ruleId } } } } }"""


async def test_a_caseload_replan_reports_what_each_household_gets_alone(
    service: Service, caseload: list[Household_]
) -> None:
    tenant = await service.tenant()
    admin = await service.key(tenant, Role.ADMIN)
    ids = await _store_caseload(service.sessions, tenant.id, caseload)
    variables = {"asOf": RULES_AS_OF.isoformat(), "today": TODAY.isoformat()}
    socket = Socket(service.app)
    assert (await socket.event())["subprotocol"] == "graphql-transport-ws"
    await socket.send({"type": "connection_init", "payload": {"Authorization": f"Bearer {admin}"}})
    assert await socket.message() == {"type": "connection_ack"}
    started = (await service.data(REPLAN, admin, variables))["startCaseloadReplan"]
    assert started["__typename"] == "CaseloadReplan" and started["total"] == BULK
    run_id = int(from_global(started["id"]))

    # Progress over the job subscription mechanism: done/total as households land, until the run ends.
    payload = {"query": UPDATES, "variables": {"id": started["id"]}}
    await socket.send({"id": "1", "type": "subscribe", "payload": payload})
    seen = []
    while (message := await socket.message())["type"] == "next":
        seen.append(message["payload"]["data"]["caseloadReplanUpdates"])
    assert message == {"id": "1", "type": "complete"}
    await socket.close()
    assert seen[-1]["state"] == "DONE" and seen[-1]["done"] == BULK and seen[-1]["total"] == BULK
    assert [s["done"] for s in seen] == sorted(s["done"] for s in seen)
    assert any(s["state"] == "RUNNING" and s["estimatedEnd"] is not None for s in seen)

    _check_reports(await _results(service.sessions, tenant.id, run_id), ids, caseload)

    report = (await service.data(REOPEN, admin, {"id": started["id"]}))["caseloadReplan"]
    assert (report["state"], report["done"], report["failed"], report["total"]) == ("DONE", BULK, 0, BULK)
    assert report["rulesAsOf"] == RULES_AS_OF.isoformat()
    assert report["rulesVersionsBefore"] == sorted({c.stored.rules_version for c in caseload})
    assert report["householdsPerSecond"] > 0
    assert {h["household"]["id"] for h in report["households"]} == {global_id("Household", i) for i in ids}

    consultant = await service.key(tenant, Role.CONSULTANT)
    refused = await service.post({"query": REPLAN, "variables": variables}, consultant)
    assert "errors" in refused.json()


def from_global(raw: str) -> int:
    from schema.ids import decode

    found = decode(raw, "CaseloadReplan")
    assert found is not None
    return found


async def test_a_worker_killed_mid_run_loses_no_household_and_records_none_twice(
    database_url: str,
    sessions: async_sessionmaker[AsyncSession],
    tenant_id: int,
    cluster: LocalCluster,
    caseload: list[Household_],
) -> None:
    ids = await _store_caseload(sessions, tenant_id, caseload)
    runner = DaskRunner(cluster.scheduler_address, in_flight=2)
    await runner.start()
    replans = ReplanService(sessions, ApiServices(solve_runner=runner), owner="kill-test")
    try:
        run_id = await replans.start(tenant_id, TEST_ACTOR, RULES_AS_OF, today=TODAY)

        async def some_landed() -> bool:
            async with sessions() as session:
                done, _ = await Replans(session, tenant_id=tenant_id).counts(run_id)
            return done >= 2

        await until(some_landed, "the first households land")
        async with sessions() as session:
            landed, _ = await Replans(session, tenant_id=tenant_id).counts(run_id)
        assert landed < BULK, "the run ended before a worker could be killed"
        pids = await runner.client.run(os.getpid)
        victim = sorted(pids.values())[0]
        os.kill(victim, signal.SIGKILL)
        await replans.wait(run_id)
        assert await _run_state(sessions, tenant_id, run_id) == "DONE"
        results = await _results(sessions, tenant_id, run_id)
        _check_reports(results, ids, caseload)
        async with sessions() as session:
            count = await session.scalar(
                select(func.count()).select_from(ReplanResult).where(ReplanResult.run_id == run_id)
            )
        assert count == BULK
    finally:
        await replans.close()
        await runner.close()
        async with Client(cluster.scheduler_address, asynchronous=True) as client:
            await client.wait_for_workers(2, timeout=120)


async def test_a_restarted_service_resumes_its_run_where_it_stopped(
    database_url: str, cluster: LocalCluster, caseload: list[Household_]
) -> None:
    settings = settings_for(database_url, dask_scheduler=cluster.scheduler_address, instance="resume-test")
    async with serve(settings) as first:
        tenant = await first.tenant()
        ids = await _store_caseload(first.sessions, tenant.id, caseload)
        replans: ReplanService = first.app.state.services.replans
        run_id = await replans.start(tenant.id, TEST_ACTOR, RULES_AS_OF, today=TODAY)

        async def some_landed() -> bool:
            async with first.sessions() as session:
                done, _ = await Replans(session, tenant_id=tenant.id).counts(run_id)
            return done >= 2

        await until(some_landed, "the first households land")
    # The service stopped mid-run: the run stays RUNNING with what it recorded.
    assert await _run_state(first.sessions, tenant.id, run_id) == "RUNNING"
    kept = {r.household_id: r.id for r in await _results(first.sessions, tenant.id, run_id)}
    assert 2 <= len(kept) < BULK

    async with serve(settings) as second:

        async def finished() -> bool:
            return await _run_state(second.sessions, tenant.id, run_id) == "DONE"

        await until(finished, "the resumed re-plan ends")
        results = await _results(second.sessions, tenant.id, run_id)
    _check_reports(results, ids, caseload)
    # What was recorded before the restart stays as it was: only the missing households were planned again.
    assert {r.household_id: r.id for r in results if r.household_id in kept} == kept
