"""The plan cache: the same scenario, options and rules give the same plan for a lookup, in memory and (after a
restart) from the database; per tenant; a plan cut short by its time limit answers only that limit. Hits and
misses are counted in the metrics. Both databases."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from typing import Any

from api.keys import Role
from api.plan_service import PlanService
from db.plan_json import to_plain
from db.repositories.plans import Plans
from solver import domain
from solver.fingerprint import plan_key
from solver.scenario_json import parse_document
from tests.api.conftest import Service, serve, settings_for
from tests.api.slow import slow_household
from tests.api.test_solve_runner import until

SCENARIO = Path(__file__).parents[1] / "fixtures" / "scenarios" / "p01-bachelor-pgwp-cec.json"
PLAN = """query($scenario: ScenarioInput!, $options: PlanOptionsInput) { planScenario(scenario: $scenario,
  options: $options) { __typename ... on Plan { status prReadyDate prProgram fees { total } permits { code applyOn }
  steps { date action code } rulesVersion solveMs } } }"""


def scenario_and_options() -> tuple[domain.Scenario, domain.PlanOptions]:
    """The first public scenario as the planner reads it."""
    parsed = parse_document(json.loads(SCENARIO.read_text()))
    assert not isinstance(parsed, domain.InvalidScenario)
    return parsed


def _variables() -> dict[str, Any]:
    return {"scenario": json.loads(SCENARIO.read_text())["scenario"], "options": {"timeLimitMs": 3000}}


def _counts(service: Service) -> dict[str, float]:
    counter = service.app.state.metrics.plan_cache
    return {result: counter.labels(result=result)._value.get() for result in ("hit", "miss")}


async def _plan(service: Service, key: str, variables: dict[str, Any]) -> dict[str, Any]:
    plan: dict[str, Any] = (await service.data(PLAN, key, variables))["planScenario"]
    return plan


async def test_a_repeated_plan_is_a_cache_hit_with_the_same_plan(service: Service) -> None:
    tenant = await service.tenant()
    key = await service.key(tenant, Role.CONSULTANT)

    first = await _plan(service, key, _variables())
    assert _counts(service) == {"hit": 0, "miss": 1}
    # Key order, whitespace and a default spelled out change nothing.
    reordered = json.loads(json.dumps(dict(reversed(list(_variables().items()))), indent=2))
    reordered["scenario"]["horizonMonths"] = 60
    second = await _plan(service, key, reordered)

    assert second == first
    assert first["__typename"] == "Plan" and first["prProgram"] == "CEC"
    assert _counts(service) == {"hit": 1, "miss": 1}


async def test_the_cache_is_per_tenant(service: Service) -> None:
    one, other = await service.tenant(), await service.tenant()
    await _plan(service, await service.key(one, Role.CONSULTANT), _variables())
    await _plan(service, await service.key(other, Role.CONSULTANT), _variables())
    assert _counts(service) == {"hit": 0, "miss": 2}


async def test_the_database_cache_answers_after_a_restart(database_url: str) -> None:
    settings = settings_for(database_url, rate_capacity=100_000.0, rate_per_second=100_000.0)
    async with serve(settings) as service:
        tenant = await service.tenant()
        key = await service.key(tenant, Role.CONSULTANT)
        first = await _plan(service, key, _variables())
    async with serve(settings) as restarted:
        again = await _plan(restarted, key, _variables())
        assert _counts(restarted) == {"hit": 1, "miss": 0}
    assert again == first  # solveMs included: it is the stored plan, not a new solve


async def test_a_plan_cut_short_answers_only_its_own_time_limit(service: Service) -> None:
    tenant = await service.tenant()
    scenario, options = scenario_and_options()
    plans: PlanService = service.app.state.services.plans
    key = plans.key(scenario, options)
    cut_short = domain.Plan(status=domain.PlanStatus.FEASIBLE, rules_version="r", solve_ms=1000.0)
    async with service.sessions() as session, session.begin():
        values = {"time_limit_ms": 1000, "status": "FEASIBLE", "plan": to_plain(cut_short)}
        await Plans(session, tenant_id=tenant.id).put_cached_plan(key, values)

    assert await plans.cached(tenant.id, key, 1000) == cut_short
    assert await plans.cached(tenant.id, key, 5000) is None
    assert _counts(service) == {"hit": 1, "miss": 1}
    optimal = await plans.plan(tenant.id, scenario, options)  # solves, and replaces the entry
    assert optimal.status is domain.PlanStatus.OPTIMAL
    assert await plans.cached(tenant.id, key, 1000) == optimal
    assert await plans.cached(tenant.id, key, 5000) == optimal


async def test_a_plan_cached_before_plans_carried_deadlines_is_solved_again(service: Service) -> None:
    tenant = await service.tenant()
    scenario, options = scenario_and_options()
    plans: PlanService = service.app.state.services.plans
    key = plans.key(scenario, options)
    solved = domain.Plan(status=domain.PlanStatus.OPTIMAL, rules_version="r", solve_ms=10.0)
    older = {k: v for k, v in to_plain(solved).items() if k != "deadlines"}
    async with service.sessions() as session, session.begin():
        await Plans(session, tenant_id=tenant.id).put_cached_plan(
            key, {"time_limit_ms": 1000, "status": "OPTIMAL", "plan": older}
        )

    assert await plans.cached(tenant.id, key, 1000) is None
    fresh = await plans.plan(tenant.id, scenario, options)  # solves, and replaces the entry
    assert fresh.deadlines
    assert await plans.cached(tenant.id, key, 1000) == fresh


async def test_a_plan_with_its_blockers_is_cached_apart_from_one_without(service: Service) -> None:
    tenant = await service.tenant()
    key = await service.key(tenant, Role.CONSULTANT)
    with_blockers = PLAN.replace("rulesVersion", "rulesVersion blockers { ruleId }")

    bare = await _plan(service, key, _variables())
    shown = (await service.data(with_blockers, key, _variables()))["planScenario"]
    assert _counts(service) == {"hit": 0, "miss": 2}
    again = (await service.data(with_blockers, key, _variables()))["planScenario"]
    assert _counts(service) == {"hit": 1, "miss": 2}

    assert again == shown
    assert shown["blockers"] == [{"ruleId": "CEC.skilled_experience"}]
    assert {k: v for k, v in shown.items() if k not in ("blockers", "solveMs")} == {
        k: v for k, v in bare.items() if k != "solveMs"
    }


def test_a_new_rules_version_is_another_key() -> None:
    scenario, options = scenario_and_options()
    assert plan_key(scenario, options, "2026-11-01+aaa") != plan_key(scenario, options, "2026-11-01+bbb")


async def test_a_hit_costs_a_lookup(service: Service) -> None:
    """Reports the in-process latency of a miss and of a hit (memory and database) of the same question."""
    tenant = await service.tenant()
    scenario, options = scenario_and_options()
    plans: PlanService = service.app.state.services.plans
    started = time.perf_counter()
    solved = await plans.plan(tenant.id, scenario, options)
    miss = time.perf_counter() - started
    started = time.perf_counter()
    assert await plans.plan(tenant.id, scenario, options) == solved
    memory_hit = time.perf_counter() - started
    fresh = PlanService(service.sessions)  # an empty memory: the database answers
    started = time.perf_counter()
    assert await fresh.plan(tenant.id, scenario, options) == solved
    database_hit = time.perf_counter() - started
    print(
        f"\nplan cache: miss {miss * 1000:.1f} ms, memory hit {memory_hit * 1000:.3f} ms, "
        f"database hit {database_hit * 1000:.1f} ms"
    )
    assert memory_hit < miss and database_hit < miss


def _solves(service: Service) -> float:
    registry = service.app.state.metrics.registry
    return sum(
        registry.get_sample_value("permitpath_solve_seconds_count", {"status": s.value}) or 0.0
        for s in domain.PlanStatus
    )


async def test_the_same_question_asked_at_once_is_solved_once(service: Service) -> None:
    tenant = await service.tenant()
    scenario, options = scenario_and_options()
    plans: PlanService = service.app.state.services.plans

    first, second = await asyncio.gather(
        plans.plan(tenant.id, scenario, options), plans.plan(tenant.id, scenario, options)
    )

    assert first is second
    assert _solves(service) == 1
    assert _counts(service) == {"hit": 0, "miss": 2}


async def test_a_shared_solve_is_cancelled_only_when_every_asker_has_gone(database_url: str) -> None:
    settings = settings_for(database_url, solver_workers=1, solver_queue=1)
    async with serve(settings) as service:
        tenant = await service.tenant()
        plans: PlanService = service.app.state.services.plans
        runner = service.app.state.services.solve_runner
        slow = slow_household()
        # The longest limit allowed: the solve must still run whatever the machine's load; the test cancels it.
        options = domain.PlanOptions(time_limit_ms=600_000)
        askers = [asyncio.ensure_future(plans.plan(tenant.id, slow, options)) for _ in range(2)]
        await until(lambda: runner.busy_workers == 1, "the shared solve starts")

        askers[0].cancel()
        await asyncio.gather(askers[0], return_exceptions=True)  # its cancellation has been handled
        await asyncio.sleep(0.2)  # and had time to reach the worker, were it (wrongly) passed on
        assert runner.busy_workers == 1  # the other asker still waits for it
        askers[1].cancel()
        await asyncio.gather(askers[1], return_exceptions=True)
        await until(lambda: runner.busy_workers == 0, "the last asker's cancellation frees the worker")
        assert all(asker.cancelled() for asker in askers)
