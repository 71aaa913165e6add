"""DataLoaders batch every nested lookup: listing households costs the same number of queries for 5 or 50."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.conftest import Gql
from tests.schema.records import CREATE_HOUSEHOLD, household_input

LIST = """
{
  households(first: 100) {
    edges {
      node {
        name
        principal { name }
        members {
          name
          education { credential }
          languageTests { test }
          workHistory { nocCode }
          permits { code offer { ref household { name } } }
          household { name }
        }
        offers { ref household { name } }
      }
    }
  }
}
"""
# One query each: the households page; members by household (principal, spouse and members share it);
# offers by household; education, language tests, work and permits by member; offers by id (of permits);
# households by id (of members and offers).
EXPECTED_QUERIES = 9


@contextmanager
def counting(engine: AsyncEngine) -> Iterator[list[str]]:
    """The SQL statements the engine runs inside the block (not the per-transaction tenant setting that
    PostgreSQL's row-level security reads, which is no query of records)."""
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not statement.startswith("SELECT set_config('app.tenant_id'"):
            statements.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)


async def _add_households(gql: Gql, count: int, start: int) -> None:
    for i in range(start, start + count):
        data = household_input(f"Household {i:03}", spouse=True, offers=2)
        data["principal"]["permits"].append({"code": "C12", "open": False, "status": "PLANNED", "offerRef": "offer-1"})
        result = await gql(CREATE_HOUSEHOLD, {"input": data})
        assert result["createHousehold"]["__typename"] == "HouseholdPayload"


async def test_listing_households_costs_a_constant_number_of_queries(gql: Gql, engine: AsyncEngine) -> None:
    await _add_households(gql, 5, 0)
    with counting(engine) as five:
        small = await gql(LIST)
    await _add_households(gql, 45, 5)
    with counting(engine) as fifty:
        large = await gql(LIST)

    assert len(small["households"]["edges"]) == 5
    assert len(large["households"]["edges"]) == 50
    node = large["households"]["edges"][49]["node"]
    assert node["name"] == "Household 049"
    assert [m["name"] for m in node["members"]] == ["Mei Tanaka", "Kenji Tanaka"]
    assert node["members"][0]["permits"] == [
        {"code": "C43", "offer": None},
        {"code": "C12", "offer": {"ref": "offer-1", "household": {"name": "Household 049"}}},
    ]
    assert (len(five), len(fifty)) == (EXPECTED_QUERIES, EXPECTED_QUERIES), fifty


PAGE_THROUGH_FRAGMENTS = """
fragment Person on HouseholdMember { name permits { code } languageTests { test } }
query Page {
  households(first: 50) { edges { node { name ... on Household { members { ...Person } } offers { ref } } } }
}
"""


async def test_a_page_prefetches_what_it_selects_through_fragments(gql: Gql, engine: AsyncEngine) -> None:
    """The page, then offers, members, permits and language tests by parent: five statements, however the
    GraphQL executor spreads the nested fields over the event loop's turns."""
    await _add_households(gql, 20, 0)
    with counting(engine) as statements:
        page = await gql(PAGE_THROUGH_FRAGMENTS)
    assert len(page["households"]["edges"]) == 20
    tables = [s.split("\nFROM ")[1].split()[0] for s in statements]
    assert tables == ["households", "offers", "members", "permits", "language_tests"], statements
    first = page["households"]["edges"][0]["node"]
    assert [m["name"] for m in first["members"]] == ["Mei Tanaka", "Kenji Tanaka"]
    assert [o["ref"] for o in first["offers"]] == ["offer-0", "offer-1"]
