"""Ids a client sends that cannot name a record (malformed, of another type, past the id columns' range) find
nothing wherever they are read, in each field's way of saying so (docs/integrators.md, "Not found"), and never
reach the database: PostgreSQL refuses an INTEGER parameter past 2^31 - 1. Both databases."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from strawberry.relay.utils import to_base64

from schema.context import Context
from schema.ids import MAX_RECORD_ID, decode, record_key
from schema.root import schema
from tests.conftest import Gql
from tests.schema.records import CREATE_HOUSEHOLD, household_input
from tests.schema.test_loaders import counting

PAST_THE_RANGE = to_base64("Household", MAX_RECORD_ID + 1)
FIELDS: dict[str, tuple[str, Any]] = {
    "updateHousehold": (
        'mutation($id: ID!) { updateHousehold(id: $id, input: {name: "x"}) { ... on NotFound { path id } } }',
        {"path": "id", "id": PAST_THE_RANGE},
    ),
    "deleteHousehold": (
        "mutation($id: ID!) { deleteHousehold(id: $id) { ... on NotFound { path id } } }",
        {"path": "id", "id": PAST_THE_RANGE},
    ),
    "planHousehold": (
        "mutation($id: ID!) { planHousehold(householdId: $id) { ... on NotFound { path id } } }",
        {"path": "householdId", "id": PAST_THE_RANGE},
    ),
    "household": ("query($id: ID!) { household(id: $id) { id } }", None),
    "node": ("query($id: ID!) { node(id: $id) { id } }", None),
    "auditLog": ("query($id: ID!) { auditLog(recordId: $id) { edges { cursor } } }", {"edges": []}),
    "householdEligibility": ("query($id: ID!) { householdEligibility(id: $id) { code } }", None),
}


@pytest.mark.parametrize("field", FIELDS)
async def test_an_id_past_the_range_finds_nothing(gql: Gql, field: str) -> None:
    query, expected = FIELDS[field]
    assert await gql(query, {"id": PAST_THE_RANGE}) == {field: expected}


def test_what_an_id_may_name() -> None:
    assert [record_key(text) for text in ("1", "42", str(MAX_RECORD_ID))] == [1, 42, MAX_RECORD_ID]
    assert [record_key(text) for text in ("", "0", "-1", "+1", " 1", "1.0", "٣", str(MAX_RECORD_ID + 1))] == [None] * 8
    assert decode(to_base64("Household", 7), "Household") == 7
    assert [decode(raw, "Household") for raw in (to_base64("Permit", 7), "garbage!!", "SG91c2Vob2xk")] == [None] * 3


async def test_nodes_refuses_more_than_a_page_of_ids(
    sessions: async_sessionmaker[AsyncSession], tenant_id: int
) -> None:
    ids = ", ".join(f'"{to_base64("Household", n)}"' for n in range(1, 102))
    context = Context.create(sessions, tenant_id)
    result = await schema.execute(f"{{ nodes(ids: [{ids}]) {{ id }} }}", context_value=context)
    assert result.data is None
    assert [(e.message, e.path) for e in result.errors or []] == [
        ("ids: 101 ids; at most 100 a request (ask in several)", ["nodes"])
    ]


async def test_nodes_reads_each_kind_of_record_in_one_query(gql: Gql, engine: AsyncEngine) -> None:
    created = [
        (await gql(CREATE_HOUSEHOLD, {"input": household_input(name)}))["createHousehold"]["household"]
        for name in ("Ahmed", "Bauer", "Costa")
    ]
    ids = [h["id"] for h in created] + [h["principal"]["permits"][0]["id"] for h in created[:2]]
    with counting(engine) as statements:
        answer = await gql("query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }", {"ids": ids})
    assert [node["id"] for node in answer["nodes"]] == ids
    assert sorted(s.split("\nFROM ")[1].split()[0] for s in statements) == ["households", "permits"], statements


CURSORS = {
    "households": "{ households(after: $after) { edges { cursor } } }",
    "permits": "{ permits(after: $after) { edges { cursor } } }",
    "auditLog": "{ auditLog(after: $after) { edges { cursor } } }",
}


@pytest.mark.parametrize("field", CURSORS)
async def test_a_cursor_past_the_range_is_refused_as_no_cursor(
    sessions: async_sessionmaker[AsyncSession], tenant_id: int, field: str
) -> None:
    prefix = "audit" if field == "auditLog" else "cursor"
    after = to_base64(prefix, MAX_RECORD_ID + 1)
    query = "query($after: String) " + CURSORS[field]
    context = Context.create(sessions, tenant_id)
    result = await schema.execute(query, variable_values={"after": after}, context_value=context)
    assert result.data is None
    [error] = result.errors or []
    assert (error.path, error.message.split(";")[0]) == (
        [field],
        f"after: {after!r} is not a cursor" + (" of the audit log" if field == "auditLog" else " of this connection"),
    )
