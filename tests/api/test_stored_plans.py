"""planHousehold over HTTP: the plan of a stored household is stored with what it was based on, reopened by
id, listed newest first, and belongs to the tenant (another firm's ids find nothing). Both databases."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import secrets
from typing import Any

from sqlalchemy import select, text

from api.keys import Role
from db.engine import make_engine, make_sessions
from db.models import CachedPlan, Household, PlanJob, StoredPlan
from db.plan_json import from_plain, stored_plan_values, to_plain
from db.repositories.households import Households
from db.repositories.jobs import fail_unfinished_jobs
from db.repositories.plans import Plans
from db.repositories.scoped import TenantScoped
from db.scenario import household_to_scenario
from solver.domain import Plan, PlanOptions, PlanStatus, Scenario
from solver.rules.registry import load_rules
from solver.scenario_json import to_json
from solver.solve import plan as solve_plan
from tests.api.conftest import Service
from tests.api.test_plan_cache import scenario_and_options
from tests.conftest import new_tenant
from tests.schema.records import household_input

CREATE = """mutation($input: CreateHouseholdInput!) {
  createHousehold(input: $input) { ... on HouseholdPayload { household { id } } } }"""
STORED = """id householdId createdAt asOf status prReadyDate rulesVersion objective objectiveValues solverParameters
  scenario options planKey plan { status prReadyDate prProgram rulesVersion fees { total } permits { code applyOn } }"""
PLAN_HOUSEHOLD = f"""mutation($id: ID!, $asOf: Date, $options: PlanOptionsInput) {{
  planHousehold(householdId: $id, asOf: $asOf, options: $options) {{
    __typename ... on StoredPlan {{ {STORED} }}
    ... on NotFound {{ path id message }} ... on InvalidScenario {{ errors {{ path message }} }} }} }}"""
LIST = """query($id: ID!, $first: Int!, $before: ID) {
  householdPlans(householdId: $id, first: $first, before: $before) { __typename
    ... on StoredPlanList { hasMore plans { id asOf } } ... on NotFound { path id message } } }"""
REOPEN = f"""query($id: ID!) {{ storedPlan(id: $id) {{ __typename ... on StoredPlan {{ {STORED} }}
  ... on NotFound {{ path id message }} }} }}"""
OPTIONS = {"timeLimitMs": 3000}


async def _household(service: Service, key: str, name: str = "Tanaka") -> str:
    created = await service.data(CREATE, key, {"input": household_input(name)})
    household_id: str = created["createHousehold"]["household"]["id"]
    return household_id


async def _plan(service: Service, key: str, household_id: str, as_of: str) -> dict[str, Any]:
    data = await service.data(PLAN_HOUSEHOLD, key, {"id": household_id, "asOf": as_of, "options": OPTIONS})
    result: dict[str, Any] = data["planHousehold"]
    return result


async def _scenario_of(service: Service, tenant_id: int, household_id: str, as_of: dt.date) -> Scenario:
    record_id = int(base64.b64decode(household_id).decode().split(":")[1])
    async with service.sessions() as session:
        household = await Households(session, tenant_id=tenant_id).load_household_graph(record_id)
    assert household is not None and isinstance(household, Household)
    return household_to_scenario(household, as_of)


async def test_a_stored_plan_keeps_what_it_was_based_on(service: Service) -> None:
    tenant = await service.tenant()
    key = await service.key(tenant, Role.CONSULTANT)
    household_id = await _household(service, key)

    stored = await _plan(service, key, household_id, "2026-01-15")

    scenario = await _scenario_of(service, tenant.id, household_id, dt.date(2026, 1, 15))
    options = PlanOptions(time_limit_ms=3000)
    expected = solve_plan(scenario, options)
    assert stored["__typename"] == "StoredPlan"
    assert stored["householdId"] == household_id
    assert stored["asOf"] == "2026-01-15"
    assert stored["rulesVersion"] == load_rules().version == stored["plan"]["rulesVersion"]
    assert from_plain(stored["scenario"], Scenario) == scenario  # the input snapshot is the planner's input
    assert from_plain(stored["options"], PlanOptions) == options
    assert stored["objective"] == ["PR_READY", "STATUS_CONTINUITY", "WORK_CONTINUITY", "COST", "FEWEST_APPLICATIONS"]
    assert stored["objectiveValues"] == expected.objective_values
    assert stored["solverParameters"] == {
        "engine": "CP-SAT (OR-Tools)",
        "num_workers": 1,
        "random_seed": 7,
        "time_limit_ms": 3000,
        "deterministic_time_per_second": 0.25,
        "grid_days": 1,
    }
    assert stored["status"] == expected.status.value == stored["plan"]["status"]
    assert expected.pr_ready_date is not None
    assert stored["prReadyDate"] == stored["plan"]["prReadyDate"] == expected.pr_ready_date.isoformat()
    assert [p["code"] for p in stored["plan"]["permits"]] == [p.code for p in expected.permits]

    reopened = (await service.data(REOPEN, key, {"id": stored["id"]}))["storedPlan"]
    assert reopened == stored
    async with service.sessions() as session:
        audit = await Plans(session, tenant_id=tenant.id).audit_entries(limit=1, record_type="StoredPlan")
    assert [(e.action, e.actor, e.changes) for e in audit] == [
        (
            "create",
            "consultant key",
            {
                "household_id": int(base64.b64decode(household_id).decode().split(":")[1]),
                "status": expected.status.value,
                "rules_version": load_rules().version,
                "plan_key": stored["planKey"],
            },
        )
    ]  # the plan and its snapshot are in the stored plan, not copied into the trail


async def test_a_households_plans_are_listed_newest_first_in_pages(service: Service) -> None:
    tenant = await service.tenant()
    key = await service.key(tenant, Role.CONSULTANT)
    household_id = await _household(service, key)
    ids = [(await _plan(service, key, household_id, day))["id"] for day in ("2026-01-15", "2026-03-01", "2026-05-01")]

    page = (await service.data(LIST, key, {"id": household_id, "first": 2}))["householdPlans"]
    assert page == {
        "__typename": "StoredPlanList",
        "hasMore": True,
        "plans": [{"id": ids[2], "asOf": "2026-05-01"}, {"id": ids[1], "asOf": "2026-03-01"}],
    }
    rest = (await service.data(LIST, key, {"id": household_id, "first": 2, "before": ids[1]}))["householdPlans"]
    assert rest == {"__typename": "StoredPlanList", "hasMore": False, "plans": [{"id": ids[0], "asOf": "2026-01-15"}]}


async def test_another_firms_households_and_plans_are_not_found(service: Service) -> None:
    victim, thief = await service.tenant(), await service.tenant()
    victim_key, thief_key = await service.key(victim, Role.CONSULTANT), await service.key(thief, Role.ADMIN)
    household_id = await _household(service, victim_key)
    stored = await _plan(service, victim_key, household_id, "2026-01-15")

    planned = await _plan(service, thief_key, household_id, "2026-01-15")
    assert planned == {
        "__typename": "NotFound",
        "path": "householdId",
        "id": household_id,
        "message": f"no Household with id {household_id!r} in your firm",
    }
    listed = (await service.data(LIST, thief_key, {"id": household_id, "first": 5}))["householdPlans"]
    assert listed == {**planned, "__typename": "NotFound"}
    reopened = (await service.data(REOPEN, thief_key, {"id": stored["id"]}))["storedPlan"]
    assert reopened == {
        "__typename": "NotFound",
        "path": "id",
        "id": stored["id"],
        "message": f"no StoredPlan with id {stored['id']!r} in your firm",
    }


async def test_a_readonly_key_reads_plans_but_may_not_plan(service: Service) -> None:
    tenant = await service.tenant()
    key, readonly = await service.key(tenant, Role.CONSULTANT), await service.key(tenant, Role.READONLY)
    household_id = await _household(service, key)
    stored = await _plan(service, key, household_id, "2026-01-15")

    assert (await service.data(REOPEN, readonly, {"id": stored["id"]}))["storedPlan"]["id"] == stored["id"]
    response = await service.post({"query": PLAN_HOUSEHOLD, "variables": {"id": household_id}}, readonly)
    assert response.status_code == 403
    assert response.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_invalid_options_and_unknown_ids_are_typed_results(service: Service) -> None:
    tenant = await service.tenant()
    key = await service.key(tenant, Role.CONSULTANT)
    household_id = await _household(service, key)

    bad = await service.data(
        PLAN_HOUSEHOLD, key, {"id": household_id, "options": {"itaWaitDays": -1, "objective": ["COST", "COST"]}}
    )
    assert bad["planHousehold"] == {
        "__typename": "InvalidScenario",
        "errors": [
            {"path": "options.itaWaitDays", "message": "-1 must not be negative"},
            {"path": "options.objective", "message": "each objective term may appear once"},
        ],
    }
    not_a_household = base64.b64encode(b"Household:2147483000").decode()
    missing = await _plan(service, key, not_a_household, "2026-01-15")
    assert missing["__typename"] == "NotFound" and missing["id"] == not_a_household
    garbage = await _plan(service, key, "not-an-id", "2026-01-15")
    assert garbage["__typename"] == "NotFound" and garbage["path"] == "householdId"


def test_plans_and_snapshots_read_back_exactly_as_they_were() -> None:
    scenario, options = scenario_and_options()
    plan = solve_plan(scenario, options)
    assert from_plain(to_plain(scenario), Scenario) == scenario
    assert from_plain(to_plain(options), PlanOptions) == options
    assert from_plain(to_plain(plan), Plan) == plan


def test_a_plan_keeps_its_deadlines_and_one_stored_before_them_reads_back_with_none() -> None:
    scenario, options = scenario_and_options()
    plan = solve_plan(scenario, options)
    assert plan.deadlines
    assert from_plain(to_plain(plan), Plan) == plan
    older = {k: v for k, v in to_plain(plan).items() if k != "deadlines"}
    assert from_plain(older, Plan) == dataclasses.replace(plan, deadlines=())


DEADLINES = """query($id: ID!) { storedPlan(id: $id) { ... on StoredPlan { plan {
  deadlines { person kind date ruleId message stepDate stepAction stepCode } } } } }"""


async def test_a_stored_plan_serves_its_deadlines_and_one_stored_before_them_serves_none(service: Service) -> None:
    tenant = await service.tenant()
    key = await service.key(tenant, Role.CONSULTANT)
    household_id = await _household(service, key)
    stored = await _plan(service, key, household_id, "2026-01-15")
    scenario = await _scenario_of(service, tenant.id, household_id, dt.date(2026, 1, 15))
    expected = solve_plan(scenario, PlanOptions(time_limit_ms=3000))
    assert expected.deadlines

    served = (await service.data(DEADLINES, key, {"id": stored["id"]}))["storedPlan"]["plan"]["deadlines"]
    assert served == to_json(expected.deadlines)

    record_id = int(base64.b64decode(stored["id"]).decode().split(":")[1])
    async with service.sessions() as session, session.begin():
        row = await session.get(StoredPlan, record_id)
        assert row is not None
        row.plan = {k: v for k, v in row.plan.items() if k != "deadlines"}
    # Another document than the one above: the read cache keeps its answer, the tenant's revision unmoved.
    again = (await service.data("# stored before deadlines\n" + DEADLINES, key, {"id": stored["id"]}))["storedPlan"]
    assert again == {"plan": {"deadlines": []}}


async def test_postgres_row_security_covers_plans_jobs_and_the_cache(postgres_database: str) -> None:
    """As an ordinary role, an unscoped query of the plan tables sees only the transaction's tenant, and the
    startup sweep of unfinished jobs still reaches every tenant's jobs (it names each tenant in turn)."""
    role = f"permitpath_rls_{secrets.token_hex(4)}"
    engine = make_engine(postgres_database)
    sessions = make_sessions(engine)
    scenario, options = scenario_and_options()
    plan = Plan(status=PlanStatus.NO_SOLUTION, rules_version="r", solve_ms=1.0)
    try:
        async with engine.begin() as connection:
            await connection.execute(text(f"CREATE ROLE {role} NOLOGIN"))
            await connection.execute(
                text(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}")
            )
            await connection.execute(text(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {role}"))
        tenants = [await new_tenant(sessions), await new_tenant(sessions)]
        for tenant in tenants:
            async with sessions() as session, session.begin():
                repo = Plans(session, tenant_id=tenant)
                household = await repo.add(Household, {"name": f"Household of {tenant}"})
                values = stored_plan_values(scenario, options, plan, f"key-{tenant}", household.id)
                await repo.add_summarized(StoredPlan, values, ("status",))
                job = {"state": "RUNNING", "scenario": {}, "options": {}, "rules_version": "r", "plan_key": "k"}
                await repo.add_summarized(PlanJob, job, ("state",))
                cached = {"time_limit_ms": 1, "status": "NO_SOLUTION", "plan": to_plain(plan)}
                await repo.put_cached_plan(f"key-{tenant}", cached)

        async with sessions() as session, session.begin():
            TenantScoped(session, tenant_id=tenants[0])
            await session.execute(text(f"SET LOCAL ROLE {role}"))
            for model in (StoredPlan, PlanJob, CachedPlan):
                assert set((await session.scalars(select(model.tenant_id))).all()) == {tenants[0]}

        async with sessions() as session, session.begin():
            await session.execute(text(f"SET LOCAL ROLE {role}"))
            assert await fail_unfinished_jobs(session, lambda state: f"was {state}") >= 2
        async with sessions() as session:
            jobs = (await session.scalars(select(PlanJob).where(PlanJob.tenant_id.in_(tenants)))).all()
            assert [(job.state, job.error) for job in jobs] == [("FAILED", "was RUNNING")] * 2
    finally:
        async with engine.begin() as connection:
            await connection.execute(text(f"DROP OWNED BY {role}"))
            await connection.execute(text(f"DROP ROLE {role}"))
        await engine.dispose()
