"""Per-key rate limits over HTTP: 429 with Retry-After, a plan costs more than a read, keys are apart."""

from __future__ import annotations

import json
from pathlib import Path

from api.keys import Role
from api.ratelimit import TokenBuckets
from api.solve_runner import SolverBusy
from tests.api.conftest import BUILTIN_ID, Service, serve, settings_for

SCENARIOS = Path(__file__).parents[1] / "fixtures" / "scenarios"
VALID_SCENARIO = json.loads((SCENARIOS / "p01-bachelor-pgwp-cec.json").read_text())["scenario"]

READ = {"query": "{ rulesVersion }"}
LIMITED = {
    "errors": [{"message": "rate limit of this key reached; retry after 100 s", "extensions": {"code": "RATE_LIMITED"}}]
}
# Refused by the planner's field checks at once (birth date after asOf), so no solve runs.
INVALID_PLAN = {
    "documentId": BUILTIN_ID,
    "operationName": "PlanScenario",
    "variables": {
        "scenario": {
            "asOf": "2026-12-01",
            "principal": {"birthDate": "2030-01-01", "citizenships": ["NG"], "inCanada": False},
        }
    },
}


class Clock:
    """A clock that moves only when told, so refills and Retry-After are exact."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def frozen_buckets(service: Service, capacity: float, rate: float) -> Clock:
    """Replaces the app's buckets with ones on a clock the test moves."""
    clock = Clock()
    service.app.state.gateway.buckets = TokenBuckets(capacity, rate, clock=clock)
    return clock


async def test_a_key_over_its_rate_gets_429_with_retry_after(database_url: str) -> None:
    # Two tokens, refilled at one per 100 s: the third read waits 100 s.
    async with serve(settings_for(database_url)) as service:
        clock = frozen_buckets(service, capacity=2.0, rate=0.01)
        tenant = await service.tenant()
        key = await service.key(tenant, Role.CONSULTANT)
        other = await service.key(tenant, Role.CONSULTANT)
        assert [(await service.post(READ, key)).status_code for _ in range(2)] == [200, 200]
        limited = await service.post(READ, key)
        assert (limited.status_code, limited.headers["retry-after"], limited.json()) == (429, "100", LIMITED)
        as_json = await service.post(READ, key, accept="application/json")
        assert as_json.status_code == 429
        assert (await service.post(READ, other)).status_code == 200  # each key has its own bucket
        clock.now += 60
        assert (await service.post(READ, key)).headers["retry-after"] == "40"
        clock.now += 40
        assert (await service.post(READ, key)).status_code == 200


async def test_a_plan_costs_more_tokens_than_a_read(database_url: str) -> None:
    async with serve(settings_for(database_url, plan_cost=10.0)) as service:
        frozen_buckets(service, capacity=12.0, rate=0.01)
        key = await service.key(await service.tenant(), Role.INTEGRATOR)
        # An invalid scenario is answered without solving: charged the plan cost up front, a read's cost after.
        planned = await service.post(INVALID_PLAN, key)
        assert planned.status_code == 200
        assert planned.json()["data"]["planScenario"]["__typename"] == "InvalidScenario"
        assert planned.headers["ratelimit-remaining"] == "11"
        # 11 tokens are not enough to be charged a plan's 10 up front and keep one: the second plan is refused
        # only once the bucket holds fewer than 10.
        reads = {"documentId": BUILTIN_ID, "operationName": "PermitCategories"}
        assert [(await service.post(reads, key)).status_code for _ in range(2)] == [200, 200]
        second_plan = await service.post(INVALID_PLAN, key)
        assert (second_plan.status_code, second_plan.headers["retry-after"]) == (429, "100")


class BusyRunner:
    """A solve runner whose queue is always full (the real one raises SolverBusy the same way)."""

    def refusal(self, tenant: object = None) -> SolverBusy | None:
        return None  # admitted at the door, refused at submit: the race the execution's answer covers

    async def run(self, fn: object, payload: object, *, tenant: object = None) -> object:
        raise SolverBusy(retry_after=2.5)


async def test_a_busy_solver_is_429_with_retry_after_and_its_code(database_url: str) -> None:
    async with serve(settings_for(database_url)) as service:
        service.app.state.services.solve_runner = BusyRunner()
        key = await service.key(await service.tenant(), Role.INTEGRATOR)
        body = {**INVALID_PLAN, "variables": {"scenario": VALID_SCENARIO}}
        response = await service.post(body, key)
        assert (response.status_code, response.headers["retry-after"], response.json()) == (
            429,
            "3",
            {
                "data": None,
                "errors": [
                    {
                        "message": "all solver workers are busy and the queue is full; retry after 2.5 s",
                        "locations": [{"line": 9, "column": 3}],
                        "path": ["planScenario"],
                        "extensions": {"code": "SOLVER_BUSY"},
                    }
                ],
            },
        )
