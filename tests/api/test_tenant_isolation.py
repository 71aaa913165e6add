"""Tenant isolation over HTTP: with the ids of another firm's records, every query, node lookup,
connection, mutation, key and document finds nothing: the same answer as for an id that never existed.

Runs on SQLite and PostgreSQL (the `database_url` fixture). `planScenario` is stateless; stored plans
and plan jobs have their own isolation tests (tests/api/test_stored_plans.py, test_plan_jobs.py). On
PostgreSQL, row-level security stands behind the repository's tenant filter (the last test).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import secrets
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from api.keys import Role
from db.engine import make_engine, make_sessions
from db.models import AuditEntry, Household, Member
from db.repositories.households import Households
from db.repositories.scoped import TenantScoped
from solver.domain import Role as Person
from tests.api.conftest import Service
from tests.conftest import new_tenant
from tests.schema.records import household_input

GRAPH = """query($id: ID!) { household(id: $id) { id name
  members { id name education { id } languageTests { id } workHistory { id } permits { id code status } }
  offers { id ref employerName } } }"""
CREATE = """mutation($input: CreateHouseholdInput!) {
  createHousehold(input: $input) { ... on HouseholdPayload { household { id } } } }"""
RESULT = "{ __typename ... on NotFound { path id message } ... on InvalidInput { errors { path message } } }"
MEMBER = '{name: "Eve", birthDate: "1990-01-01", citizenships: ["FR"], inCanada: false}'
EDUCATION = (
    '{credential: MASTER, institution: UNIVERSITY, canadian: true, start: "2020-01-01", completion: "2021-12-01"}'
)
TEST = '{test: CELPIP_GENERAL, taken: "2025-01-01", listening: 9, reading: 9, writing: 9, speaking: 9}'
WORK = '{nocCode: "21231", start: "2024-01-01", hoursPerWeek: 40, inCanada: true}'
OFFER = (
    '{ref: "stolen", holder: PRINCIPAL, employerName: "Eve Inc.", nocCode: "21231", province: "ON",'
    ' hoursPerWeek: 40, earliestStart: "2027-01-01"}'
)
PERMIT = '{code: "C43", open: true, status: PLANNED}'

# (mutation field, which of the victim's ids it takes, the call with `$id`)
MUTATIONS = [
    ("updateHousehold", "household", 'updateHousehold(id: $id, input: {name: "Stolen"})'),
    ("saveHouseholdFacts", "household", 'saveHouseholdFacts(id: $id, input: {principal: {name: "Stolen"}})'),
    ("createMember", "household", f"createMember(householdId: $id, role: SPOUSE, input: {MEMBER})"),
    ("createOffer", "household", f"createOffer(householdId: $id, input: {OFFER})"),
    ("updateMember", "principal", 'updateMember(id: $id, input: {name: "Stolen"})'),
    ("createEducation", "principal", f"createEducation(memberId: $id, input: {EDUCATION})"),
    ("createLanguageTest", "principal", f"createLanguageTest(memberId: $id, input: {TEST})"),
    ("createWorkPeriod", "principal", f"createWorkPeriod(memberId: $id, input: {WORK})"),
    ("createPermit", "principal", f"createPermit(memberId: $id, input: {PERMIT})"),
    ("updateEducation", "education", "updateEducation(id: $id, input: {canadian: false})"),
    ("updateLanguageTest", "languageTest", "updateLanguageTest(id: $id, input: {listening: 4})"),
    ("updateWorkPeriod", "workPeriod", "updateWorkPeriod(id: $id, input: {hoursPerWeek: 10})"),
    ("updateOffer", "offer", 'updateOffer(id: $id, input: {employerName: "Eve Inc."})'),
    ("updatePermit", "permit", "updatePermit(id: $id, input: {status: REFUSED})"),
    ("deleteEducation", "education", "deleteEducation(id: $id)"),
    ("deleteLanguageTest", "languageTest", "deleteLanguageTest(id: $id)"),
    ("deleteWorkPeriod", "workPeriod", "deleteWorkPeriod(id: $id)"),
    ("deleteOffer", "offer", "deleteOffer(id: $id)"),
    ("deletePermit", "permit", "deletePermit(id: $id)"),
    ("deleteMember", "spouse", "deleteMember(id: $id)"),
    ("deleteHousehold", "household", "deleteHousehold(id: $id)"),
]


def ghost(global_id: str) -> str:
    """An id of the same type that no tenant has."""
    type_name = base64.b64decode(global_id).decode().split(":")[0]
    return base64.b64encode(f"{type_name}:2147483000".encode()).decode()


def same_answer(mine: Any, theirs: Any, their_id: str, ghost_id: str) -> bool:
    """The answer for another firm's id is the answer for an id that never existed (ids swapped)."""
    return json.dumps(mine).replace(their_id, "<id>") == json.dumps(theirs).replace(ghost_id, "<id>")


async def victim_records(service: Service, key: str) -> tuple[dict[str, str], dict[str, Any]]:
    """Tenant B's household with one record of every kind: its ids by kind, and the whole graph."""
    created = await service.data(CREATE, key, {"input": household_input("Victim")})
    household_id = created["createHousehold"]["household"]["id"]
    graph = (await service.data(GRAPH, key, {"id": household_id}))["household"]
    principal, spouse = graph["members"]
    ids = {
        "household": household_id,
        "principal": principal["id"],
        "spouse": spouse["id"],
        "education": principal["education"][0]["id"],
        "languageTest": principal["languageTests"][0]["id"],
        "workPeriod": principal["workHistory"][0]["id"],
        "permit": principal["permits"][0]["id"],
        "offer": graph["offers"][0]["id"],
    }
    return ids, graph


@pytest.fixture
async def firms(service: Service) -> dict[str, Any]:
    """Two firms: A (the intruder, with every role) and B (the victim, with records, a key and a document)."""
    a, b = await service.tenant(), await service.tenant()
    b_admin = await service.key(b, Role.ADMIN)
    b_consultant = await service.key(b, Role.CONSULTANT)
    ids, graph = await victim_records(service, b_consultant)
    document = "query VictimOnly { rulesVersion }"
    digest = hashlib.sha256(document.encode()).hexdigest()
    await service.data(
        "mutation($m: JSON!) { registerDocuments(manifest: $m) { __typename } }", b_admin, {"m": {digest: document}}
    )
    return {
        "a": {role: await service.key(a, role) for role in Role},
        "b_consultant": b_consultant,
        "b_key_id": b_admin.split("_")[1],
        "b_document": f"sha256:{digest}",
        "ids": ids,
        "graph": graph,
    }


async def test_node_lookups_with_another_firms_ids_find_nothing(service: Service, firms: dict[str, Any]) -> None:
    key = firms["a"][Role.CONSULTANT]
    for kind, their_id in firms["ids"].items():
        for query in ("query($id: ID!) { node(id: $id) { id } }", "query($id: ID!) { household(id: $id) { id } }"):
            response = await service.post({"query": query, "variables": {"id": their_id}}, key)
            assert response.status_code == 200, kind
            body = response.json()
            assert "errors" not in body and list(body["data"].values()) == [None], (kind, body)
        eligibility = "query($id: ID!) { householdEligibility(id: $id) { code } }"
        assert await service.data(eligibility, key, {"id": their_id}) == {"householdEligibility": None}


async def test_connections_show_nothing_of_another_firm(service: Service, firms: dict[str, Any]) -> None:
    key = firms["a"][Role.CONSULTANT]
    assert await service.data('{ households(nameContains: "victim") { edges { node { id } } } }', key) == {
        "households": {"edges": []}
    }
    assert await service.data("{ households { edges { node { id } } } }", key) == {"households": {"edges": []}}
    assert await service.data("{ permits(first: 100) { edges { node { id } } } }", key) == {"permits": {"edges": []}}
    audit = await service.data("{ auditLog(first: 100) { edges { node { recordType recordId } } } }", key)
    assert {edge["node"]["recordType"] for edge in audit["auditLog"]["edges"]} == {"ApiKey"}  # A's own keys only
    for their_id in firms["ids"].values():
        one = await service.data(
            "query($id: ID!) { auditLog(recordId: $id) { edges { cursor } } }", key, {"id": their_id}
        )
        assert one == {"auditLog": {"edges": []}}


async def test_mutations_with_another_firms_ids_are_not_found_like_ids_that_never_existed(
    service: Service, firms: dict[str, Any]
) -> None:
    key = firms["a"][Role.CONSULTANT]
    for field, kind, call in MUTATIONS:
        query = f"mutation($id: ID!) {{ {call} {RESULT} }}"
        their_id = firms["ids"][kind]
        theirs = await service.data(query, key, {"id": their_id})
        never = await service.data(query, key, {"id": ghost(their_id)})
        assert theirs[field]["__typename"] == "NotFound", (field, theirs)
        assert same_answer(theirs, never, their_id, ghost(their_id)), (field, theirs, never)
    # B's records are exactly as they were.
    graph = await service.data(GRAPH, firms["b_consultant"], {"id": firms["ids"]["household"]})
    assert graph == {"household": firms["graph"]}


async def test_another_firms_keys_and_documents_are_out_of_reach(service: Service, firms: dict[str, Any]) -> None:
    admin = firms["a"][Role.ADMIN]
    keys = await service.data("{ apiKeys { keyId } }", admin)
    assert firms["b_key_id"] not in {key["keyId"] for key in keys["apiKeys"]}
    assert len(keys["apiKeys"]) == len(Role)
    assert await service.data("{ persistedDocuments { id } }", admin) == {"persistedDocuments": []}
    revoke = "mutation($k: String!) { revokeApiKey(keyId: $k) { __typename ... on NotFound { message } } }"
    theirs = await service.data(revoke, admin, {"k": firms["b_key_id"]})
    never = await service.data(revoke, admin, {"k": "0" * 12})
    assert same_answer(theirs, never, firms["b_key_id"], "0" * 12)
    assert theirs["revokeApiKey"]["__typename"] == "NotFound"
    revoke_document = "mutation($d: String!) { revokeDocument(id: $d) { __typename ... on NotFound { message } } }"
    theirs = await service.data(revoke_document, admin, {"d": firms["b_document"]})
    never_id = "sha256:" + "1" * 64
    never = await service.data(revoke_document, admin, {"d": never_id})
    assert same_answer(theirs, never, firms["b_document"], never_id)
    for role in (Role.INTEGRATOR, Role.CONSULTANT):
        mine = await service.post({"documentId": firms["b_document"]}, firms["a"][role])
        unknown = await service.post({"documentId": never_id}, firms["a"][role])
        assert mine.status_code == unknown.status_code == 400
        assert same_answer(mine.json(), unknown.json(), firms["b_document"], never_id)
    # B's key still works: nothing A did reached it.
    assert (await service.post({"query": "{ rulesVersion }"}, firms["b_consultant"])).status_code == 200


# --- PostgreSQL row-level security: the second wall ---------------------------------------------------


async def test_postgres_row_security_hides_other_tenants_even_from_an_unscoped_query(postgres_database: str) -> None:
    """As an ordinary role (superusers bypass row security), a query that forgets the tenant filter sees
    only the repository's tenant, a session without a tenant sees nothing, and no row goes to another tenant.
    """
    role = f"permitpath_rls_{secrets.token_hex(4)}"
    engine = make_engine(postgres_database)
    sessions = make_sessions(engine)
    try:
        async with engine.begin() as connection:
            await connection.execute(text(f"CREATE ROLE {role} NOLOGIN"))
            await connection.execute(
                text(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}")
            )
            await connection.execute(text(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {role}"))
        a, b = await new_tenant(sessions), await new_tenant(sessions)
        for tenant, name in ((a, "Ours"), (b, "Theirs")):
            async with sessions() as session, session.begin():
                await Households(session, tenant_id=tenant).add(Household, {"name": name})

        async with sessions() as session, session.begin():
            repo = Households(session, tenant_id=a)
            await session.execute(text(f"SET LOCAL ROLE {role}"))
            # No tenant filter at all: row security still shows only tenant A's rows.
            names = set((await session.scalars(select(Household.name))).all())
            assert names == {"Ours"}
            audited = set((await session.scalars(select(AuditEntry.tenant_id))).all())
            assert audited == {a}
            # The repository works as before under the role, audit rows and cascades included.
            added = await repo.add(Household, {"name": "Ours too"})
            member = await repo.add(
                Member,
                {
                    "household_id": added.id,
                    "role": Person.PRINCIPAL,
                    "name": "P",
                    "birth_date": dt.date(1990, 1, 1),
                    "citizenships": ["FR"],
                    "in_canada": False,
                },
            )
            assert await repo.delete(Household, added.id) is True
            assert await repo.get(Member, member.id) is None

        async with sessions() as session, session.begin():
            await session.execute(text(f"SET LOCAL ROLE {role}"))
            assert (await session.scalars(select(Household.name))).all() == []  # no tenant: nothing

        with pytest.raises(DBAPIError, match="row-level security"):
            async with sessions() as session, session.begin():
                TenantScoped(session, tenant_id=a)
                await session.execute(text(f"SET LOCAL ROLE {role}"))
                session.add(Household(name="Planted", tenant_id=b))
                await session.flush()
    finally:
        async with engine.begin() as connection:
            await connection.execute(text(f"DROP OWNED BY {role}"))
            await connection.execute(text(f"DROP ROLE {role}"))
        await engine.dispose()
