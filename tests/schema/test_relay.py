"""Relay: global ids, `node(id:)`, cursor pages with a size cap, and the consultants' filters."""

from __future__ import annotations

import datetime as dt
from typing import Any

from strawberry.relay import GlobalID

from schema.context import Context
from schema.root import schema
from tests.conftest import Gql
from tests.schema.records import CREATE_HOUSEHOLD, household_input

PAGE = """query($first: Int, $after: String, $name: String, $before: Date) {
  households(first: $first, after: $after, nameContains: $name, permitExpiringBefore: $before) {
    edges { node { name } }
    pageInfo { hasNextPage hasPreviousPage endCursor }
  }
}"""


async def _add(gql: Gql, name: str, *, c43_valid_to: str = "2027-06-30", spouse_name: str = "Kenji Tanaka") -> str:
    data = household_input(name, offers=0)
    data["principal"]["permits"][0]["validTo"] = c43_valid_to
    data["spouse"]["name"] = spouse_name
    result = await gql(CREATE_HOUSEHOLD, {"input": data})
    household_id: str = result["createHousehold"]["household"]["id"]
    return household_id


def _names(data: dict[str, Any]) -> list[str]:
    return [edge["node"]["name"] for edge in data["households"]["edges"]]


async def test_pages_follow_end_cursors(gql: Gql) -> None:
    for name in ("Ahmed", "Bauer", "Costa", "Dlamini", "Eriksen"):
        await _add(gql, name)
    first = await gql(PAGE, {"first": 2})
    assert _names(first) == ["Ahmed", "Bauer"]
    info = first["households"]["pageInfo"]
    assert (info["hasNextPage"], info["hasPreviousPage"]) == (True, False)
    second = await gql(PAGE, {"first": 2, "after": info["endCursor"]})
    assert _names(second) == ["Costa", "Dlamini"]
    third = await gql(PAGE, {"first": 2, "after": second["households"]["pageInfo"]["endCursor"]})
    assert _names(third) == ["Eriksen"]
    assert third["households"]["pageInfo"] == {
        "hasNextPage": False,
        "hasPreviousPage": True,
        "endCursor": third["households"]["pageInfo"]["endCursor"],
    }
    empty = await gql(PAGE, {"first": 0})
    assert empty["households"] == {
        "edges": [],
        "pageInfo": {"hasNextPage": True, "hasPreviousPage": False, "endCursor": None},
    }


async def test_filters_by_name_and_by_permit_expiry(gql: Gql) -> None:
    await _add(gql, "Moreau", c43_valid_to="2026-03-31", spouse_name="Lea Moreau")
    await _add(gql, "Novak", c43_valid_to="2027-12-31", spouse_name="Ivan Novak")
    await _add(gql, "Oyelaran", c43_valid_to="2026-09-30", spouse_name="Ada Moreau-Oyelaran")
    assert _names(await gql(PAGE, {"name": "moreau"})) == ["Moreau", "Oyelaran"]
    assert _names(await gql(PAGE, {"name": "IVAN"})) == ["Novak"]
    assert _names(await gql(PAGE, {"before": "2026-10-01"})) == ["Moreau", "Oyelaran"]
    assert _names(await gql(PAGE, {"before": "2026-10-01", "name": "oye"})) == ["Oyelaran"]
    assert _names(await gql(PAGE, {"before": "2026-03-31"})) == []
    assert _names(await gql(PAGE, {"name": "%"})) == []  # matched literally, not as a wildcard


async def test_permits_expiring_before_a_date(gql: Gql) -> None:
    await _add(gql, "Moreau", c43_valid_to="2026-03-31")
    await _add(gql, "Novak", c43_valid_to="2027-12-31")
    query = """{ permits(expiringBefore: "2027-01-01", status: APPROVED) {
        edges { node { code validTo member { household { name } } } } } }"""
    assert await gql(query) == {
        "permits": {
            "edges": [{"node": {"code": "C43", "validTo": "2026-03-31", "member": {"household": {"name": "Moreau"}}}}]
        }
    }


async def test_node_resolves_every_type_by_global_id(gql: Gql) -> None:
    household_id = await _add(gql, "Ahmed")
    assert GlobalID.from_id(household_id).type_name == "Household"
    query = """query($id: ID!) { node(id: $id) { __typename id ... on Household { name } } }"""
    assert await gql(query, {"id": household_id}) == {
        "node": {"__typename": "Household", "id": household_id, "name": "Ahmed"}
    }
    unknown = str(GlobalID(type_name="Household", node_id="987654"))
    assert await gql(query, {"id": unknown}) == {"node": None}


async def test_page_size_cap_and_bad_cursors_are_explained(sessions: Any, tenant_id: int) -> None:
    context = Context.create(sessions, tenant_id)
    too_many = await schema.execute("{ households(first: 101) { edges { cursor } } }", context_value=context)
    assert too_many.data is None
    assert [e.message for e in too_many.errors or []] == ["first must be between 0 and 100; got 101"]
    bad_cursor = await schema.execute('{ households(after: "nope") { edges { cursor } } }', context_value=context)
    assert [e.message for e in bad_cursor.errors or []] == [
        "after: 'nope' is not a cursor of this connection; pass an endCursor it returned"
    ]


async def test_created_at_is_utc_on_every_database(gql: Gql) -> None:
    before = dt.datetime.now(dt.UTC)
    household_id = await _add(gql, "Ahmed")
    after = dt.datetime.now(dt.UTC)
    read = await gql("query($id: ID!) { household(id: $id) { createdAt } }", {"id": household_id})
    created = dt.datetime.fromisoformat(read["household"]["createdAt"])
    assert created.utcoffset() == dt.timedelta(0)
    # Taken while it was added, however long that took (a second either side for the database's clock).
    assert before - dt.timedelta(seconds=1) <= created <= after + dt.timedelta(seconds=1)
