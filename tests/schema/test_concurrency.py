"""Concurrent writers, really concurrent (one engine, many transactions at once), on SQLite and PostgreSQL:
versions refuse lost updates, the audit names what each change replaced, stored limits hold, and an
idempotency key makes a retried create return the first record."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any, cast

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.models import AuditEntry, Education, Household, IdempotencyKey
from db.repositories.idempotency import IDEMPOTENCY_KEY_TTL
from schema.context import Context
from schema.root import schema
from tests.conftest import Gql, new_tenant
from tests.schema.records import CREATE_HOUSEHOLD, household_input

UPDATE = """
mutation U($id: ID!, $name: String!, $version: Int) {
  updateHousehold(id: $id, input: {name: $name}, version: $version) {
    __typename
    ... on HouseholdPayload { household { name version } }
    ... on Conflict { path code currentVersion message }
  }
}
"""

EDUCATION = """
mutation E($m: ID!) {
  createEducation(memberId: $m, input: {credential: BACHELOR, institution: UNIVERSITY, canadian: true,
                                        start: "2019-09-01", completion: "2023-05-31"}) {
    __typename
    ... on InvalidInput { errors { path message } }
  }
}
"""

CREATE_KEYED = """
mutation C($input: CreateHouseholdInput!, $key: String) {
  createHousehold(input: $input, idempotencyKey: $key) {
    __typename
    ... on HouseholdPayload { household { id name version } }
    ... on Conflict { path code message }
    ... on InvalidInput { errors { path } }
  }
}
"""

Sessions = async_sessionmaker[AsyncSession]


async def _run(sessions: Sessions, tenant: int, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    """One request of its own (its own context, loaders and transaction), as a client would send it."""
    result = await schema.execute(query, variable_values=variables, context_value=Context.create(sessions, tenant))
    assert result.errors is None, result.errors
    assert result.data is not None
    return dict(next(iter(result.data.values())))


async def _household(gql: Gql, *, spouse: bool = False) -> dict[str, Any]:
    created = await gql(CREATE_HOUSEHOLD, {"input": household_input(spouse=spouse)})
    household: dict[str, Any] = created["createHousehold"]["household"]
    return household


async def _name_audit(sessions: Sessions, tenant: int) -> list[dict[str, Any]]:
    async with sessions() as session:
        rows = await session.scalars(
            select(AuditEntry)
            .where(AuditEntry.tenant_id == tenant, AuditEntry.record_type == "Household", AuditEntry.action == "update")
            .order_by(AuditEntry.id)
        )
        return [cast("dict[str, Any]", row.changes["name"]) for row in rows]


def _chained(changes: list[dict[str, Any]], first: str) -> bool:
    """Every audit row's `from` is what the row before it set (the first one's is the created name)."""
    froms = [change["from"] for change in changes]
    return froms == [first] + [change["to"] for change in changes[:-1]]


async def test_fifty_parallel_updates_of_one_version_let_exactly_one_win(
    gql: Gql, sessions: Sessions, tenant_id: int
) -> None:
    household = await _household(gql)
    answers = await asyncio.gather(
        *(_run(sessions, tenant_id, UPDATE, {"id": household["id"], "name": f"n{i}", "version": 1}) for i in range(50))
    )
    won = [a for a in answers if a["__typename"] == "HouseholdPayload"]
    lost = [a for a in answers if a["__typename"] == "Conflict"]
    assert len(won) == 1 and len(lost) == 49
    assert won[0]["household"]["version"] == 2
    assert {(a["path"], a["code"], a["currentVersion"]) for a in lost} == {("version", "CONFLICT", 2)}
    changes = await _name_audit(sessions, tenant_id)
    assert changes == [{"from": "Tanaka", "to": won[0]["household"]["name"]}]


async def test_chained_parallel_updates_each_win_once_and_the_audit_is_a_chain(
    gql: Gql, sessions: Sessions, tenant_id: int
) -> None:
    """Each client retries with the version a Conflict reports until its change lands: all 50 land, in some
    order, each exactly once, and each audit row replaced what the previous one wrote (20 clients: the
    retries grow with the square of their number)."""
    household = await _household(gql)

    async def until_applied(i: int) -> None:
        version = 1
        while True:
            answer = await _run(
                sessions, tenant_id, UPDATE, {"id": household["id"], "name": f"n{i}", "version": version}
            )
            if answer["__typename"] == "HouseholdPayload":
                return
            assert answer["__typename"] == "Conflict"
            version = answer["currentVersion"]

    await asyncio.gather(*(until_applied(i) for i in range(20)))
    changes = await _name_audit(sessions, tenant_id)
    assert sorted(change["to"] for change in changes) == sorted(f"n{i}" for i in range(20))
    assert _chained(changes, "Tanaka")
    final = await gql(
        "query($id: ID!) { node(id: $id) { ... on Household { version name } } }", {"id": household["id"]}
    )
    assert final["node"] == {"version": 21, "name": changes[-1]["to"]}


async def test_parallel_updates_without_a_version_all_land_and_the_audit_is_still_true(
    gql: Gql, sessions: Sessions, tenant_id: int
) -> None:
    household = await _household(gql)
    answers = await asyncio.gather(
        *(_run(sessions, tenant_id, UPDATE, {"id": household["id"], "name": f"n{i}"}) for i in range(50))
    )
    assert {a["__typename"] for a in answers} == {"HouseholdPayload"}
    changes = await _name_audit(sessions, tenant_id)
    assert len(changes) == 50 and _chained(changes, "Tanaka")


async def test_fifty_parallel_creates_against_a_limit_of_twenty_store_exactly_twenty(
    gql: Gql, sessions: Sessions, tenant_id: int
) -> None:
    spouse = (await _household(gql, spouse=True))["spouse"]  # the spouse starts with no education
    answers = await asyncio.gather(*(_run(sessions, tenant_id, EDUCATION, {"m": spouse["id"]}) for _ in range(50)))
    assert [a["__typename"] for a in answers].count("EducationPayload") == 20
    refused = [a for a in answers if a["__typename"] == "InvalidInput"]
    assert len(refused) == 30
    assert {e["path"] for a in refused for e in a["errors"]} == {"memberId"}
    assert "the limit is 20 per member" in refused[0]["errors"][0]["message"]
    async with sessions() as session:
        stored = await session.scalar(
            select(func.count()).select_from(Education).where(Education.tenant_id == tenant_id)
        )
    assert stored == 20 + 1  # and the principal's one


async def test_a_hundred_concurrent_nested_creates_all_commit(sessions: Sessions, tenant_id: int) -> None:
    answers = await asyncio.gather(
        *(_run(sessions, tenant_id, CREATE_KEYED, {"input": household_input(f"h{i}")}) for i in range(100))
    )
    assert [a["__typename"] for a in answers] == ["HouseholdPayload"] * 100
    async with sessions() as session:
        names = (await session.scalars(select(Household.name).where(Household.tenant_id == tenant_id))).all()
    assert sorted(names) == sorted(f"h{i}" for i in range(100))


async def test_the_same_idempotency_key_twice_stores_one_household(
    gql: Gql, sessions: Sessions, tenant_id: int
) -> None:
    variables = {"input": household_input("Retried"), "key": "client-42"}
    at_once = await asyncio.gather(*(_run(sessions, tenant_id, CREATE_KEYED, variables) for _ in range(5)))
    later = await _run(sessions, tenant_id, CREATE_KEYED, variables)
    assert {a["__typename"] for a in at_once} == {"HouseholdPayload"}
    assert {a["household"]["id"] for a in [*at_once, later]} == {later["household"]["id"]}
    async with sessions() as session:
        named = await session.scalar(
            select(func.count()).where(Household.tenant_id == tenant_id, Household.name == "Retried")
        )
    assert named == 1


async def test_an_idempotency_key_with_another_input_is_a_conflict(gql: Gql) -> None:
    first = await gql(CREATE_KEYED, {"input": household_input("First"), "key": "k-1"})
    assert first["createHousehold"]["__typename"] == "HouseholdPayload"
    other = (await gql(CREATE_KEYED, {"input": household_input("Other"), "key": "k-1"}))["createHousehold"]
    assert (other["__typename"], other["path"], other["code"]) == ("Conflict", "idempotencyKey", "CONFLICT")
    unkeyed = (await gql(CREATE_KEYED, {"input": household_input("First")}))["createHousehold"]
    assert unkeyed["household"]["id"] != first["createHousehold"]["household"]["id"]  # no key: a new record
    too_long = (await gql(CREATE_KEYED, {"input": household_input("First"), "key": "x" * 201}))["createHousehold"]
    assert too_long == {"__typename": "InvalidInput", "errors": [{"path": "idempotencyKey"}]}


async def test_an_idempotency_key_is_forgotten_after_a_day(gql: Gql, sessions: Sessions, tenant_id: int) -> None:
    variables = {"input": household_input("Daily"), "key": "k-daily"}
    first = (await gql(CREATE_KEYED, variables))["createHousehold"]["household"]["id"]
    async with sessions() as session, session.begin():
        await session.execute(
            update(IdempotencyKey)
            .where(IdempotencyKey.tenant_id == tenant_id)
            .values(created_at=dt.datetime.now(dt.UTC) - IDEMPOTENCY_KEY_TTL - dt.timedelta(hours=1))
        )
    again = (await gql(CREATE_KEYED, variables))["createHousehold"]["household"]["id"]
    assert again != first


async def test_a_key_is_per_tenant(gql: Gql, sessions: Sessions) -> None:
    variables = {"input": household_input("Shared"), "key": "same-key"}
    mine = (await gql(CREATE_KEYED, variables))["createHousehold"]["household"]["id"]
    theirs = await _run(sessions, await new_tenant(sessions), CREATE_KEYED, variables)
    assert theirs["household"]["id"] != mine
