"""Plan jobs over HTTP and WebSocket: startPlan answers at once, planJob follows the job to DONE (the same plan
as planScenario), cancelPlanJob stops it, a full queue answers SOLVER_BUSY, jobs belong to their tenant, a job
left unfinished by a stopped service is FAILED at the next start, and planJobUpdates streams the job over
graphql-transport-ws. Both databases."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import json
import random
from collections.abc import AsyncIterator, Callable, MutableMapping
from contextlib import asynccontextmanager
from typing import Any

from starlette.applications import Starlette

from api.keys import Role
from api.plan_service import RESTART_REASON
from api.shape import solves
from api.solve_runner import ProcessRunner
from db.models import PlanJob
from db.repositories.jobs import PlanJobs
from loadtests.generate import scenario as generated_scenario
from loadtests.wire import scenario_json
from schema.stored_plans import global_id
from solver.domain import Plan, PlanOptions, PlanStatus
from solver.scenario_json import to_json
from solver.solve import plan as solve_plan
from tests.api.conftest import Service, serve, settings_for
from tests.api.runner_jobs import BUSY_S, sleep_then
from tests.api.slow import slow_household
from tests.api.test_plan_cache import PLAN, _variables, scenario_and_options
from tests.schema.records import household_input

JOB = """id state householdId createdAt startedAt finishedAt rulesVersion improvements error storedPlanId
  objectiveValues plan { status prReadyDate prProgram fees { total } permits { code applyOn }
  steps { date action code } rulesVersion }"""
START = f"""mutation($scenario: ScenarioInput, $householdId: ID, $options: PlanOptionsInput, $asOf: Date) {{
  startPlan(scenario: $scenario, householdId: $householdId, options: $options, asOf: $asOf) {{ __typename
    ... on PlanJob {{ {JOB} }} ... on NotFound {{ path id message }}
    ... on InvalidScenario {{ errors {{ path message }} }} ... on InvalidInput {{ errors {{ path message }} }} }} }}"""
READ = f"""query($id: ID!) {{ planJob(id: $id) {{ __typename ... on PlanJob {{ {JOB} }}
  ... on NotFound {{ path id message }} }} }}"""
CANCEL = f"""mutation($id: ID!) {{ cancelPlanJob(id: $id) {{ __typename ... on PlanJob {{ {JOB} }}
  ... on NotFound {{ path id message }} }} }}"""
UPDATES = """subscription($id: ID!) { planJobUpdates(id: $id) { __typename
  ... on PlanJob { state improvements plan { prReadyDate } } ... on NotFound { path id } } }"""
CREATE = """mutation($input: CreateHouseholdInput!) {
  createHousehold(input: $input) { ... on HouseholdPayload { household { id } } } }"""
FINISHED = ("DONE", "FAILED", "CANCELLED")
SAFETY_NET_S = 120.0  # how long a wait may last before the test fails (a loaded machine is slow)


async def _start(service: Service, key: str, variables: dict[str, Any]) -> dict[str, Any]:
    job: dict[str, Any] = (await service.data(START, key, variables))["startPlan"]
    return job


async def _read(service: Service, key: str, job_id: str) -> dict[str, Any]:
    job: dict[str, Any] = (await service.data(READ, key, {"id": job_id}))["planJob"]
    return job


async def _until(service: Service, key: str, job_id: str, seen: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
    """Reads the job until `seen` holds for it (the limit is only a safety net: nothing here measures time)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + SAFETY_NET_S
    while not seen(job := await _read(service, key, job_id)):
        assert loop.time() < deadline, f"job {job_id} never got there: {job}"
        await asyncio.sleep(0.02)
    return job


async def _until_finished(service: Service, key: str, job_id: str) -> dict[str, Any]:
    return await _until(service, key, job_id, lambda job: job["state"] in FINISHED)


def _runner(service: Service) -> ProcessRunner:
    runner: ProcessRunner = service.app.state.services.solve_runner
    return runner


@asynccontextmanager
async def _pooled(database_url: str, clock: Callable[[], dt.datetime] | None = None) -> AsyncIterator[Service]:
    """The service with one solver worker process and a queue of one."""
    settings = settings_for(
        database_url, rate_capacity=100_000.0, rate_per_second=100_000.0, solver_workers=1, solver_queue=1
    )
    async with serve(settings, clock=clock) as service:
        yield service


async def test_a_job_answers_at_once_and_ends_with_the_plan_of_plan_scenario(service: Service) -> None:
    tenant = await service.tenant()
    key = await service.key(tenant, Role.CONSULTANT)

    started = await _start(service, key, _variables())
    assert started["__typename"] == "PlanJob"
    assert started["state"] in ("QUEUED", "RUNNING") and started["plan"] is None and started["householdId"] is None

    done = await _until_finished(service, key, started["id"])
    direct = (await service.data(PLAN, key, _variables()))["planScenario"]
    assert done["state"] == "DONE" and done["error"] is None and done["storedPlanId"] is None
    assert {k: done["plan"][k] for k in ("prReadyDate", "prProgram", "permits", "steps")} == {
        k: direct[k] for k in ("prReadyDate", "prProgram", "permits", "steps")
    }
    assert done["objectiveValues"]["PR_READY"] > 0
    assert done["startedAt"] is not None and done["finishedAt"] >= done["startedAt"]


async def test_a_finished_job_carries_the_plans_deadlines(service: Service) -> None:
    tenant = await service.tenant()
    key = await service.key(tenant, Role.CONSULTANT)
    started = await _start(service, key, _variables())
    await _until_finished(service, key, started["id"])

    read = """query($id: ID!) { planJob(id: $id) { ... on PlanJob { state plan {
      deadlines { person kind date ruleId message stepDate stepAction stepCode } } } } }"""
    done = (await service.data(read, key, {"id": started["id"]}))["planJob"]
    scenario, options = scenario_and_options()
    expected = solve_plan(scenario, dataclasses.replace(options, time_limit_ms=3000))
    assert done["state"] == "DONE" and expected.deadlines
    assert done["plan"]["deadlines"] == to_json(expected.deadlines)


async def test_a_household_job_stores_the_households_plan(service: Service) -> None:
    tenant = await service.tenant()
    key = await service.key(tenant, Role.CONSULTANT)
    household = (await service.data(CREATE, key, {"input": household_input()}))["createHousehold"]["household"]["id"]

    started = await _start(service, key, {"householdId": household, "asOf": "2026-01-15"})
    done = await _until_finished(service, key, started["id"])

    assert done["state"] == "DONE" and done["householdId"] == household
    listed = await service.data(
        "query($id: ID!) { householdPlans(householdId: $id) { ... on StoredPlanList { plans { id asOf } } } }",
        key,
        {"id": household},
    )
    assert listed["householdPlans"]["plans"] == [{"id": done["storedPlanId"], "asOf": "2026-01-15"}]


async def test_a_job_names_exactly_one_input(service: Service) -> None:
    tenant = await service.tenant()
    key = await service.key(tenant, Role.CONSULTANT)
    neither = await _start(service, key, {})
    assert neither == {
        "__typename": "InvalidInput",
        "errors": [{"path": "householdId", "message": "give either householdId or scenario"}],
    }


async def test_a_job_refuses_a_null_with_a_default_and_an_unknown_noc_naming_them(service: Service) -> None:
    tenant = await service.tenant()
    key = await service.key(tenant, Role.CONSULTANT)
    variables = _variables()
    variables["scenario"]["principal"]["education"][0]["pgwpEligibleDli"] = None
    variables["options"]["itaWaitDays"] = None
    assert await _start(service, key, variables) == {
        "__typename": "InvalidScenario",
        "errors": [
            {
                "path": "scenario.principal.education[0].pgwpEligibleDli",
                "message": "must not be null; omit it to use the default (false)",
            },
            {"path": "options.itaWaitDays", "message": "must not be null; omit it to use the default (30)"},
        ],
    }
    variables = _variables()
    variables["scenario"]["offers"][0]["nocCode"] = "21999"
    refused = await _start(service, key, variables)
    assert refused["__typename"] == "InvalidScenario"
    assert [(e["path"], e["message"].split(";")[0]) for e in refused["errors"]] == [
        ("scenario.offers[0].nocCode", "'21999' is not a NOC 2021 unit group")
    ]


async def test_another_firms_jobs_are_not_found_and_readonly_keys_only_read(service: Service) -> None:
    owner, thief = await service.tenant(), await service.tenant()
    key, thief_key = await service.key(owner, Role.CONSULTANT), await service.key(thief, Role.ADMIN)
    job = await _until_finished(service, key, (await _start(service, key, _variables()))["id"])
    not_found = {
        "__typename": "NotFound",
        "path": "id",
        "id": job["id"],
        "message": f"no PlanJob with id {job['id']!r} in your firm",
    }

    assert await _read(service, thief_key, job["id"]) == not_found
    assert (await service.data(CANCEL, thief_key, {"id": job["id"]}))["cancelPlanJob"] == not_found

    readonly = await service.key(owner, Role.READONLY)
    assert (await _read(service, readonly, job["id"]))["state"] == "DONE"
    for body in ({"query": START, "variables": _variables()}, {"query": CANCEL, "variables": {"id": job["id"]}}):
        response = await service.post(body, readonly)
        assert response.status_code == 403
        assert response.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_a_queued_job_is_cancelled_and_a_full_queue_is_solver_busy(database_url: str) -> None:
    async with _pooled(database_url) as service:
        tenant = await service.tenant()
        key = await service.key(tenant, Role.CONSULTANT)
        blocker = _runner(service).submit(sleep_then, BUSY_S)  # the only worker is busy

        queued = await _start(service, key, _variables())
        assert queued["state"] == "QUEUED"
        busy = await service.post({"query": START, "variables": _variables()}, key)
        assert busy.status_code == 429 and busy.headers["Retry-After"] == "1"
        assert busy.json()["errors"][0]["extensions"]["code"] == "SOLVER_BUSY"

        cancelled = (await service.data(CANCEL, key, {"id": queued["id"]}))["cancelPlanJob"]
        assert cancelled["state"] == "CANCELLED" and cancelled["finishedAt"] is not None
        assert (await _read(service, key, queued["id"]))["state"] == "CANCELLED"
        assert _runner(service).queue_depth == 0
        # Cancelling a finished job leaves it as it was.
        assert (await service.data(CANCEL, key, {"id": queued["id"]}))["cancelPlanJob"] == cancelled
        _runner(service).cancel(blocker)


def slow_variables(time_limit_ms: int = 9000) -> dict[str, Any]:
    """A household whose search uses the whole time limit (several seconds): tests/api/slow.py."""
    return {"scenario": scenario_json(slow_household()), "options": {"timeLimitMs": time_limit_ms}}


async def test_a_running_job_is_cancelled_and_its_worker_freed(database_url: str) -> None:
    async with _pooled(database_url) as service:
        tenant = await service.tenant()
        key = await service.key(tenant, Role.CONSULTANT)
        job = await _start(service, key, slow_variables())
        await _until(service, key, job["id"], lambda seen: seen["state"] == "RUNNING")
        assert _runner(service).busy_workers == 1

        cancelled = (await service.data(CANCEL, key, {"id": job["id"]}))["cancelPlanJob"]

        assert cancelled["state"] == "CANCELLED"
        assert _runner(service).busy_workers == 0  # the worker process was replaced at once
        after = await _until_finished(service, key, (await _start(service, key, _variables()))["id"])
        assert after["state"] == "DONE"
        assert (await _read(service, key, job["id"]))["state"] == "CANCELLED"


async def test_a_job_left_unfinished_is_failed_at_the_next_start(database_url: str) -> None:
    async with _pooled(database_url) as service:
        tenant = await service.tenant()
        key = await service.key(tenant, Role.CONSULTANT)
        _runner(service).submit(sleep_then, BUSY_S)
        queued = await _start(service, key, _variables())
        assert queued["state"] == "QUEUED"
    async with _pooled(database_url) as restarted:
        failed = await _read(restarted, key, queued["id"])
    assert failed["state"] == "FAILED"
    assert failed["error"] == RESTART_REASON.format(state="QUEUED")
    assert failed["error"] == "the service restarted while this job was QUEUED; start it again"


# --- graphql-transport-ws ---------------------------------------------------------------------------


class Socket:
    """A WebSocket client speaking to the ASGI app in this event loop."""

    def __init__(self, app: Starlette, headers: list[tuple[bytes, bytes]] | None = None) -> None:
        self._to_app: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._from_app: asyncio.Queue[MutableMapping[str, Any]] = asyncio.Queue()
        scope = {
            "type": "websocket",
            "asgi": {"version": "3.0"},
            "scheme": "ws",
            "path": "/graphql",
            "raw_path": b"/graphql",
            "root_path": "",
            "query_string": b"",
            "headers": [
                (b"host", b"testserver"),
                (b"sec-websocket-protocol", b"graphql-transport-ws"),
                *(headers or []),
            ],
            "subprotocols": ["graphql-transport-ws"],
            "client": ("127.0.0.1", 50000),
            "server": ("testserver", 80),
        }
        self._to_app.put_nowait({"type": "websocket.connect"})
        self.task = asyncio.create_task(app(scope, self._to_app.get, self._from_app.put))

    async def event(self) -> dict[str, Any]:
        return dict(await asyncio.wait_for(self._from_app.get(), 30))

    async def send(self, message: dict[str, Any]) -> None:
        await self._to_app.put({"type": "websocket.receive", "text": json.dumps(message)})

    async def message(self) -> dict[str, Any]:
        event = await self.event()
        assert event["type"] == "websocket.send", event
        received: dict[str, Any] = json.loads(event["text"])
        return received

    async def close(self) -> None:
        await self._to_app.put({"type": "websocket.disconnect", "code": 1000})
        await asyncio.wait_for(self.task, 10)


async def test_updates_stream_the_job_over_graphql_transport_ws(service: Service) -> None:
    tenant = await service.tenant()
    key = await service.key(tenant, Role.READONLY)  # subscribing is reading
    writer = await service.key(tenant, Role.CONSULTANT)
    socket = Socket(service.app)
    assert (await socket.event())["subprotocol"] == "graphql-transport-ws"
    await socket.send({"type": "connection_init", "payload": {"Authorization": f"Bearer {key}"}})
    assert await socket.message() == {"type": "connection_ack"}

    job = await _start(service, writer, _variables())
    await socket.send({"id": "1", "type": "subscribe", "payload": {"query": UPDATES, "variables": {"id": job["id"]}}})
    states = []
    while (message := await socket.message())["type"] == "next":
        states.append(message["payload"]["data"]["planJobUpdates"])
    assert message == {"id": "1", "type": "complete"}
    assert states[-1]["state"] == "DONE" and states[-1]["plan"]["prReadyDate"] is not None
    assert [s["state"] for s in states] == sorted((s["state"] for s in states), key=["QUEUED", "RUNNING", "DONE"].index)
    assert len(states) == len({(s["state"], s["improvements"]) for s in states})  # one message per change

    # Only subscriptions run on the socket: a mutation goes over HTTP, where roles are checked.
    await socket.send({"id": "2", "type": "subscribe", "payload": {"query": START, "variables": _variables()}})
    refused = await socket.message()
    assert refused["type"] == "error" and refused["id"] == "2"
    await socket.close()


async def test_a_socket_without_a_valid_key_is_closed(service: Service) -> None:
    socket = Socket(service.app)
    await socket.event()
    await socket.send({"type": "connection_init", "payload": {"Authorization": "Bearer pp_000000000000_nope"}})
    assert await socket.event() == {"type": "websocket.close", "code": 4403, "reason": "Forbidden"}
    await socket.close()


async def test_another_firms_job_is_not_found_over_the_socket(service: Service) -> None:
    owner, thief = await service.tenant(), await service.tenant()
    job = await _start(service, await service.key(owner, Role.CONSULTANT), _variables())
    socket = Socket(service.app, [(b"authorization", f"Bearer {await service.key(thief, Role.ADMIN)}".encode())])
    await socket.event()
    await socket.send({"type": "connection_init"})
    assert await socket.message() == {"type": "connection_ack"}
    await socket.send({"id": "1", "type": "subscribe", "payload": {"query": UPDATES, "variables": {"id": job["id"]}}})
    assert await socket.message() == {
        "id": "1",
        "type": "next",
        "payload": {"data": {"planJobUpdates": {"__typename": "NotFound", "path": "id", "id": job["id"]}}},
    }
    assert await socket.message() == {"id": "1", "type": "complete"}
    await socket.close()


def test_starting_or_running_a_plan_costs_the_plan_rate_and_reading_a_job_does_not() -> None:
    priced = {name for name in ROOT_FIELDS if solves(name)}
    assert priced == {"planScenario", "planHousehold", "startPlan"}


ROOT_FIELDS = (
    "planScenario",
    "planHousehold",
    "startPlan",
    "planJob",
    "planJobUpdates",
    "cancelPlanJob",
    "storedPlan",
    "householdPlans",
)


async def test_a_running_job_shows_its_best_plan_so_far(service: Service) -> None:
    tenant = await service.tenant()
    key = await service.key(tenant, Role.CONSULTANT)
    job = await _start(service, key, slow_variables(4000))
    seen = await _until(service, key, job["id"], lambda job: job["state"] != "QUEUED" and job["improvements"] > 0)

    assert seen["state"] == "RUNNING"
    assert seen["plan"] is not None and seen["plan"]["status"] == "FEASIBLE"
    assert seen["objectiveValues"]["PR_READY"] > 0
    done = await _until_finished(service, key, job["id"])
    assert done["state"] == "DONE" and done["improvements"] >= seen["improvements"]


async def test_the_socket_streams_improving_plans_then_the_result(service: Service) -> None:
    tenant = await service.tenant()
    key = await service.key(tenant, Role.CONSULTANT)
    socket = Socket(service.app)
    await socket.event()
    await socket.send({"type": "connection_init", "payload": {"Authorization": f"Bearer {key}"}})
    assert await socket.message() == {"type": "connection_ack"}
    job = await _start(service, key, slow_variables(4000))
    await socket.send({"id": "1", "type": "subscribe", "payload": {"query": UPDATES, "variables": {"id": job["id"]}}})
    states = []
    while (message := await socket.message())["type"] == "next":
        states.append(message["payload"]["data"]["planJobUpdates"])
    await socket.close()

    improving = [s for s in states if s["state"] == "RUNNING" and s["plan"] is not None]
    assert len(improving) >= 2
    counts = [s["improvements"] for s in improving]
    assert counts == sorted(set(counts))  # each message a newer plan than the last
    assert states[-1]["state"] == "DONE" and states[-1]["improvements"] >= counts[-1]


def test_the_hook_leaves_the_plan_as_it_was() -> None:
    drawn = generated_scenario(random.Random(2), couple=True, offers=6, horizon_months=120)
    options = PlanOptions(time_limit_ms=1500)
    improvements: list[Plan] = []
    with_hook = solve_plan(drawn, options, on_improvement=improvements.append)
    without = solve_plan(drawn, options)
    assert dataclasses.replace(with_hook, solve_ms=0) == dataclasses.replace(without, solve_ms=0)
    assert len(improvements) >= 2 and all(p.status is PlanStatus.FEASIBLE for p in improvements)
    firsts = [p.objective_values["PR_READY"] for p in improvements]
    assert firsts == sorted(firsts, reverse=True)  # never worse on the first term


async def test_updates_follow_a_job_that_another_process_runs(service: Service) -> None:
    """The row is all this process knows of such a job: the subscription reads it again until it ends."""
    tenant = await service.tenant()
    key = await service.key(tenant, Role.READONLY)
    values = {"state": "RUNNING", "scenario": {}, "options": {}, "rules_version": "r", "plan_key": "k"}
    beat = service.hold_heartbeat_clock()  # web-2 keeps beating however long the test takes
    async with service.sessions() as session, session.begin():
        repo = PlanJobs(session, tenant_id=tenant.id)
        row = await repo.add_summarized(PlanJob, {**values, "owner": "web-2", "heartbeat_at": beat}, ("state",))
        job_id = row.id
    socket = Socket(service.app, [(b"authorization", f"Bearer {key}".encode())])
    await socket.event()
    await socket.send({"type": "connection_init"})
    assert await socket.message() == {"type": "connection_ack"}
    variables = {"id": global_id("PlanJob", job_id)}
    await socket.send({"id": "1", "type": "subscribe", "payload": {"query": UPDATES, "variables": variables}})
    assert (await socket.message())["payload"]["data"]["planJobUpdates"]["state"] == "RUNNING"

    async with service.sessions() as session, session.begin():  # web-2 finishes it
        job = await PlanJobs(session, tenant_id=tenant.id).get(PlanJob, job_id)
        assert job is not None
        job.state, job.error = "FAILED", "stopped elsewhere"

    assert (await socket.message())["payload"]["data"]["planJobUpdates"]["state"] == "FAILED"
    assert await socket.message() == {"id": "1", "type": "complete"}
    await socket.close()
