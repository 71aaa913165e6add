"""`Household.plans`: a household's stored plans as a Relay connection, newest first, paged by `first` and
`after` like the other connections; a page of households asking each for its plans costs one query for all
of them; the deprecated `householdPlans` still answers. Both databases."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from strawberry.relay.utils import from_base64, to_base64

from db.models import StoredPlan
from db.plan_json import stored_plan_values
from db.repositories.plans import Plans
from schema.context import Context
from schema.root import schema
from solver.domain import Plan, PlanStatus
from tests.api.test_plan_cache import scenario_and_options
from tests.conftest import Gql, new_tenant
from tests.schema.records import CREATE_HOUSEHOLD, household_input
from tests.schema.test_loaders import counting

PLANS = """query($id: ID!, $first: Int!, $after: String) { household(id: $id) {
  plans(first: $first, after: $after) { edges { node { id asOf household { id } } }
    pageInfo { hasNextPage hasPreviousPage endCursor } } } }"""
PASS_A_CURSOR = "pass an endCursor it returned"
DAYS = ("2026-01-15", "2026-03-01", "2026-05-01")


async def _household(gql: Gql, name: str) -> str:
    created = await gql(CREATE_HOUSEHOLD, {"input": household_input(name)})
    household_id: str = created["createHousehold"]["household"]["id"]
    return household_id


async def _store_plans(sessions: async_sessionmaker[AsyncSession], tenant_id: int, household_id: str) -> list[str]:
    """Stored plans of the household on each of DAYS, oldest first (as planHousehold writes them, minus the
    solve); their global ids."""
    scenario, options = scenario_and_options()
    plan = Plan(status=PlanStatus.NO_SOLUTION, rules_version="r", solve_ms=1.0)
    record_id = int(from_base64(household_id)[1])
    ids = []
    async with sessions() as session, session.begin():
        repo = Plans(session, tenant_id=tenant_id)
        for day in DAYS:
            values = stored_plan_values(scenario, options, plan, f"key-{day}", record_id)
            row = await repo.add_summarized(StoredPlan, {**values, "as_of": dt.date.fromisoformat(day)}, ("status",))
            ids.append(f"{row.id}")
    return [to_base64("StoredPlan", record) for record in ids]


def _page(data: dict[str, Any]) -> tuple[list[str], dict[str, Any]]:
    plans = data["household"]["plans"]
    return [edge["node"]["asOf"] for edge in plans["edges"]], plans["pageInfo"]


async def test_plans_page_newest_first_by_cursor(
    gql: Gql, sessions: async_sessionmaker[AsyncSession], tenant_id: int
) -> None:
    household = await _household(gql, "Tanaka")
    ids = await _store_plans(sessions, tenant_id, household)

    first = await gql(PLANS, {"id": household, "first": 2})
    assert first["household"]["plans"]["edges"] == [
        {"node": {"id": ids[2], "asOf": "2026-05-01", "household": {"id": household}}},
        {"node": {"id": ids[1], "asOf": "2026-03-01", "household": {"id": household}}},
    ]
    info = first["household"]["plans"]["pageInfo"]
    assert (info["hasNextPage"], info["hasPreviousPage"]) == (True, False)
    rest = await gql(PLANS, {"id": household, "first": 2, "after": info["endCursor"]})
    days, rest_info = _page(rest)
    assert days == ["2026-01-15"]
    assert (rest_info["hasNextPage"], rest_info["hasPreviousPage"]) == (False, True)
    assert _page(await gql(PLANS, {"id": household, "first": 0})) == (
        [],
        {"hasNextPage": True, "hasPreviousPage": False, "endCursor": None},
    )
    # The deprecated list answers the same plans.
    old = """query($id: ID!) { householdPlans(householdId: $id, first: 5) {
      ... on StoredPlanList { hasMore plans { id } } } }"""
    assert (await gql(old, {"id": household}))["householdPlans"] == {
        "hasMore": False,
        "plans": [{"id": plan_id} for plan_id in reversed(ids)],
    }


async def test_a_household_without_plans_and_another_firms_household(
    gql: Gql, sessions: async_sessionmaker[AsyncSession], tenant_id: int
) -> None:
    household = await _household(gql, "Tanaka")
    assert _page(await gql(PLANS, {"id": household, "first": 5})) == (
        [],
        {"hasNextPage": False, "hasPreviousPage": False, "endCursor": None},
    )
    await _store_plans(sessions, tenant_id, household)
    other = await new_tenant(sessions)
    assert await gql(PLANS, {"id": household, "first": 5}, tenant=other) == {"household": None}


async def test_a_bad_page_size_or_cursor_is_explained(
    gql: Gql, sessions: async_sessionmaker[AsyncSession], tenant_id: int
) -> None:
    household = await _household(gql, "Tanaka")
    for variables, message in (
        ({"first": 101}, "first must be between 0 and 100; got 101"),
        (
            {"first": 2, "after": "nope"},
            "after: 'nope' is not a cursor of this connection; pass an endCursor it returned",
        ),
    ):
        result = await schema.execute(
            PLANS, variable_values={"id": household, **variables}, context_value=Context.create(sessions, tenant_id)
        )
        assert result.data == {"household": None}  # the household is nullable: the error nulls it
        assert [(e.message, e.path) for e in result.errors or []] == [(message, ["household", "plans"])]


PAGE_WITH_PLANS = """{ households(first: 50) { edges { node { name principal { name }
  plans(first: 2) { edges { node { asOf household { name } } } pageInfo { hasNextPage } } } } } }"""


async def test_a_page_of_households_reads_all_their_plans_in_one_query(
    gql: Gql, sessions: async_sessionmaker[AsyncSession], tenant_id: int, engine: AsyncEngine
) -> None:
    for i in range(4):
        household = await _household(gql, f"Household {i}")
        if i % 2 == 0:
            await _store_plans(sessions, tenant_id, household)
    with counting(engine) as statements:
        page = await gql(PAGE_WITH_PLANS)
    nodes = [edge["node"] for edge in page["households"]["edges"]]
    assert [(n["name"], [e["node"]["asOf"] for e in n["plans"]["edges"]]) for n in nodes] == [
        ("Household 0", ["2026-05-01", "2026-03-01"]),
        ("Household 1", []),
        ("Household 2", ["2026-05-01", "2026-03-01"]),
        ("Household 3", []),
    ]
    assert [n["plans"]["pageInfo"]["hasNextPage"] for n in nodes] == [True, False, True, False]
    assert all(e["node"]["household"]["name"] == n["name"] for n in nodes for e in n["plans"]["edges"])
    tables = sorted(s.split("\nFROM ")[1].split()[0] for s in statements)
    # The page, its members (for the principal), the plans of all four households, and the plans' households.
    assert tables == ["(SELECT", "households", "households", "members"], statements
