"""The read cache (api/response_cache.py): repeated reads are answered from memory, and never stale.

Runs on SQLite and PostgreSQL. Staleness is the failure that matters: every test that writes reads
again and expects the change, whether the write came through the API, through another process's
repository, or was rolled back.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.exc import IntegrityError

from api.keys import Role
from api.response_cache import MAX_ENTRY_BYTES, Entry, Key, ResponseCache
from db.models import Household
from db.repositories.households import Households
from db.repositories.tenants import tenant_revision
from tests.api.conftest import Service, Tenant
from tests.schema.records import household_input

HOUSEHOLDS = "query Households { households(first: 10) { edges { node { id name members { name } } } } }"
CREATE = """mutation Create($input: CreateHouseholdInput!) {
  createHousehold(input: $input) { ... on HouseholdPayload { household { id } } } }"""
RENAME = """mutation Rename($id: ID!, $name: String!) {
  updateHousehold(id: $id, input: {name: $name}) { __typename } }"""


def hits(service: Service) -> dict[str, float]:
    """The response-cache counters by result."""
    counter = service.app.state.metrics.response_cache
    return {result: counter.labels(result=result)._value.get() for result in ("hit", "miss")}


def names(data: dict[str, Any]) -> list[str]:
    return sorted(edge["node"]["name"] for edge in data["households"]["edges"])


async def firm(service: Service) -> tuple[Tenant, str]:
    tenant = await service.tenant()
    return tenant, await service.key(tenant, Role.CONSULTANT)


async def test_a_repeated_read_is_a_hit_with_the_same_body(service: Service) -> None:
    _, key = await firm(service)
    await service.data(CREATE, key, {"input": household_input("Tanaka")})
    before = hits(service)
    first = await service.post({"query": HOUSEHOLDS}, key)
    second = await service.post({"query": HOUSEHOLDS}, key)
    after = hits(service)
    assert first.content == second.content
    assert first.headers["content-type"] == second.headers["content-type"]
    assert after["miss"] - before["miss"] == 1 and after["hit"] - before["hit"] == 1


async def test_a_change_through_the_api_is_seen_at_once(service: Service) -> None:
    _, key = await firm(service)
    created = await service.data(CREATE, key, {"input": household_input("Tanaka")})
    assert names(await service.data(HOUSEHOLDS, key)) == ["Tanaka"]
    await service.data(RENAME, key, {"id": created["createHousehold"]["household"]["id"], "name": "Okafor"})
    assert names(await service.data(HOUSEHOLDS, key)) == ["Okafor"]
    await service.data(CREATE, key, {"input": household_input("Silva")})
    assert names(await service.data(HOUSEHOLDS, key)) == ["Okafor", "Silva"]


async def test_a_change_made_by_another_process_is_seen_at_once(service: Service) -> None:
    """A write that never passed through this process (the CLI, a second instance) still moves the revision."""
    tenant, key = await firm(service)
    assert names(await service.data(HOUSEHOLDS, key)) == []
    async with service.sessions() as session, session.begin():
        await Households(session, tenant_id=tenant.id).add(Household, {"name": "Written elsewhere"})
    assert names(await service.data(HOUSEHOLDS, key)) == ["Written elsewhere"]


async def test_a_rolled_back_change_leaves_the_revision(service: Service) -> None:
    tenant, _ = await firm(service)
    async with service.sessions() as session:
        before = await tenant_revision(session, tenant.id)
    with pytest.raises(IntegrityError):
        async with service.sessions() as session, session.begin():
            repository = Households(session, tenant_id=tenant.id)
            await repository.add(Household, {"name": "Doomed"})
            await repository.add(Household, {"name": None})  # NOT NULL: the whole transaction rolls back
    async with service.sessions() as session:
        assert await tenant_revision(session, tenant.id) == before


async def test_firms_never_share_an_entry(service: Service) -> None:
    _, first_key = await firm(service)
    _, second_key = await firm(service)
    await service.data(CREATE, first_key, {"input": household_input("Mine")})
    assert names(await service.data(HOUSEHOLDS, first_key)) == ["Mine"]
    assert names(await service.data(HOUSEHOLDS, second_key)) == []


async def test_answers_with_errors_are_not_kept(service: Service) -> None:
    _, key = await firm(service)
    query = "query Bad { eligibility(scenario: {principal: 1}) { __typename } }"
    before = hits(service)
    for _ in range(2):
        body = (await service.post({"query": query}, key)).json()
        assert body.get("errors"), body
    after = hits(service)
    assert after["miss"] - before["miss"] == 2 and after["hit"] == before["hit"]


async def test_plans_and_mutations_are_never_answered_from_the_cache(service: Service) -> None:
    _, key = await firm(service)
    before = hits(service)
    await service.data(CREATE, key, {"input": household_input("Tanaka")})
    await service.data("query Trivial { __typename }", key)
    assert hits(service) == before


@pytest.mark.parametrize(
    ("roots", "covered"),
    [
        (frozenset({"households"}), True),
        (frozenset({"households", "permitCategories", "__typename"}), True),
        (frozenset({"__typename"}), False),
        (frozenset(), False),
        (frozenset({"planScenario"}), False),
        (frozenset({"households", "planJob"}), False),
        (frozenset({"auditLog"}), False),
        (frozenset({"apiKeys"}), False),
        (frozenset({"createHousehold"}), False),
    ],
)
def test_which_operations_the_cache_covers(roots: frozenset[str], covered: bool) -> None:
    assert ResponseCache.covers(roots) is covered


def test_the_key_ignores_the_order_of_variables() -> None:
    a = ResponseCache.key(1, "consultant", HOUSEHOLDS, None, {"a": 1, "b": {"x": 1, "y": 2}}, "application/json")
    b = ResponseCache.key(1, "consultant", HOUSEHOLDS, None, {"b": {"y": 2, "x": 1}, "a": 1}, "application/json")
    c = ResponseCache.key(1, "consultant", HOUSEHOLDS, None, {"a": 2, "b": {"x": 1, "y": 2}}, "application/json")
    other_role = ResponseCache.key(1, "readonly", HOUSEHOLDS, None, {"a": 1, "b": {"x": 1, "y": 2}}, "application/json")
    assert a == b and a != c and a != other_role


def test_the_cache_keeps_within_its_entry_and_byte_bounds() -> None:
    cache = ResponseCache(None, max_entries=3, max_total_bytes=250)  # type: ignore[arg-type]  # no lookups here

    def key(n: int) -> Key:
        return ResponseCache.key(
            1,
            "consultant",
            f"query Q{n} {{ rulesVersion households {{ edges {{ cursor }} }} }}",
            None,
            {},
            "application/json",
        )

    for n in range(3):
        cache.put(key(n), Entry(1, b"x" * 100, 200, "application/json"))
    assert len(cache) == 2 and cache.size_bytes == 200  # the third entry pushed the first out (bytes)
    assert cache.get(key(0), 1) is None and cache.get(key(2), 1) is not None
    cache.put(key(2), Entry(2, b"y" * 50, 200, "application/json"))  # replacing counts the new size only
    assert cache.size_bytes == 150 and cache.get(key(2), 1) is None and cache.get(key(2), 2) is not None
    cache.put(key(9), Entry(1, b"z" * (MAX_ENTRY_BYTES + 1), 200, "application/json"))
    assert cache.get(key(9), 1) is None
