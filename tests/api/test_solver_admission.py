"""SOLVER_BUSY at the door: a plan the solver would refuse the key's firm is answered 429 before any GraphQL or
plan-path database work, while another firm's plan is still admitted and served."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import event

from api.keys import Role
from api.solve_runner import ProcessRunner
from tests.api.conftest import serve, settings_for
from tests.api.runner_jobs import BUSY_S, sleep_then
from tests.api.test_http_ratelimit import VALID_SCENARIO
from tests.api.test_plan_cache import PLAN
from tests.api.test_plan_jobs import START
from tests.api.test_solve_runner import until

SHARE_TAKEN = {
    "errors": [
        {
            "message": "your firm's share of the solver (1 solves running or waiting) is taken; retry after 1 s",
            "extensions": {"code": "SOLVER_BUSY"},
        }
    ]
}


async def test_a_firm_at_its_share_is_refused_before_any_work_and_another_firm_is_served(database_url: str) -> None:
    settings = settings_for(
        database_url, solver_workers=1, solver_queue=1, rate_capacity=100_000.0, rate_per_second=100_000.0
    )
    async with serve(settings) as service:
        busy_firm, other_firm = await service.tenant(), await service.tenant()
        busy_key = await service.key(busy_firm, Role.CONSULTANT)
        other_key = await service.key(other_firm, Role.CONSULTANT)
        runner: ProcessRunner = service.app.state.services.solve_runner
        assert runner.tenant_share == 1
        blocker = runner.submit(sleep_then, BUSY_S, tenant=busy_firm.id)  # the busy firm's whole share
        variables = {"scenario": VALID_SCENARIO, "options": {"timeLimitMs": 2000}}

        statements: list[str] = []

        def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
            statements.append(statement)

        engine = service.app.state.engine.sync_engine
        event.listen(engine, "before_cursor_execute", record)
        try:
            for query in (PLAN, START):
                refused = await service.post({"query": query, "variables": variables}, busy_key)
                assert (refused.status_code, refused.headers["Retry-After"], refused.json()) == (429, "1", SHARE_TAKEN)
        finally:
            event.remove(engine, "before_cursor_execute", record)
        # Only the key check read the database: no plan cache lookup, no job row written and rolled back.
        assert statements and not [s for s in statements if "cached_plans" in s or "plan_jobs" in s]
        assert service.app.state.metrics.solver_busy._value.get() == 2

        other = asyncio.create_task(service.post({"query": PLAN, "variables": variables}, other_key))
        await until(lambda: runner.queue_depth == 1, "the other firm's plan is queued")
        assert runner.cancel(blocker)
        served = await asyncio.wait_for(other, timeout=120)
        assert served.status_code == 200
        assert served.json()["data"]["planScenario"]["__typename"] == "Plan"
