"""`saveHouseholdFacts`: the household's name and its members' facts are stored together or not at all.

Runs on SQLite and PostgreSQL (the `gql` fixture). Each refused save is followed by a read of the whole
household and a count of the tenant's rows: nothing of the save's other parts was written.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.conftest import Gql
from tests.schema.records import CREATE_HOUSEHOLD, household_input
from tests.schema.test_refusals import tenant_rows

SAVE = """
mutation Save($id: ID!, $input: HouseholdFactsInput!, $version: Int) {
  saveHouseholdFacts(id: $id, input: $input, version: $version) {
    __typename
    ... on HouseholdPayload { household { name version principal { name version } spouse { name birthDate version } } }
    ... on InvalidInput { errors { path code message } }
    ... on Conflict { path message currentVersion }
    ... on NotFound { path message }
  }
}"""
SHOW = """query($id: ID!) { node(id: $id) { ... on Household {
  name version principal { name citizenships version } spouse { name birthDate version } } } }"""
RENAME_PRINCIPAL = """mutation($id: ID!) { updateMember(id: $id, input: {name: "Mei Sato"}) { __typename } }"""


async def _created(gql: Gql, *, spouse: bool = True) -> str:
    created = (await gql(CREATE_HOUSEHOLD, {"input": household_input(spouse=spouse)}))["createHousehold"]
    household_id: str = created["household"]["id"]
    return household_id


async def _shown(gql: Gql, household_id: str) -> dict[str, Any]:
    shown: dict[str, Any] = (await gql(SHOW, {"id": household_id}))["node"]
    return shown


AS_CREATED = {
    "name": "Tanaka",
    "version": 1,
    "principal": {"name": "Mei Tanaka", "citizenships": ["JP"], "version": 1},
    "spouse": {"name": "Kenji Tanaka", "birthDate": "1994-08-02", "version": 1},
}


async def test_a_save_whose_member_part_is_refused_stores_nothing(
    gql: Gql, sessions: async_sessionmaker[AsyncSession], tenant_id: int
) -> None:
    household_id = await _created(gql)
    rows = await tenant_rows(sessions, tenant_id)
    facts = {
        "name": "Tanaka-Sato",
        "principal": {"name": "Mei Sato", "citizenships": ["JP", "CA"], "version": 1},
        "spouse": {"birthDate": "2094-08-02", "version": 1},
    }
    refused = (await gql(SAVE, {"id": household_id, "input": facts, "version": 1}))["saveHouseholdFacts"]
    assert refused["__typename"] == "InvalidInput"
    [error] = refused["errors"]
    assert (error["path"], error["code"]) == ("input.spouse.birthDate", "INVALID_VALUE")
    assert error["message"].startswith("2094-08-02 is after today") and "not in the future" in error["message"]
    assert await _shown(gql, household_id) == AS_CREATED
    assert await tenant_rows(sessions, tenant_id) == rows


async def test_every_parts_field_errors_come_back_together_by_their_input_paths(gql: Gql) -> None:
    household_id = await _created(gql)
    facts = {"name": " ", "principal": {"citizenships": ["ZZ"]}, "spouse": {"name": None}}
    result = await gql(SAVE, {"id": household_id, "input": facts})
    errors = result["saveHouseholdFacts"]["errors"]
    assert [(e["path"], e["code"]) for e in errors] == [
        ("input.name", "REQUIRED"),
        ("input.principal.citizenships[0]", "UNKNOWN_CODE"),
        ("input.spouse.name", "NOT_NULL"),
    ]
    assert await _shown(gql, household_id) == AS_CREATED


async def test_a_good_save_stores_every_part_and_moves_each_changed_version(gql: Gql) -> None:
    household_id = await _created(gql)
    facts = {
        "name": "Tanaka-Sato",
        "principal": {"name": "Mei Sato", "version": 1},
        "spouse": {"birthDate": "1994-08-03", "version": 1},
    }
    result = await gql(SAVE, {"id": household_id, "input": facts, "version": 1})
    saved = {
        "name": "Tanaka-Sato",
        "version": 2,
        "principal": {"name": "Mei Sato", "version": 2},
        "spouse": {"name": "Kenji Tanaka", "birthDate": "1994-08-03", "version": 2},
    }
    assert result["saveHouseholdFacts"] == {"__typename": "HouseholdPayload", "household": saved}
    shown = await _shown(gql, household_id)
    assert shown == {**saved, "principal": {"name": "Mei Sato", "citizenships": ["JP"], "version": 2}}


async def test_a_new_spouse_is_added_with_the_households_changes_or_not_at_all(gql: Gql) -> None:
    household_id = await _created(gql, spouse=False)
    incomplete: dict[str, Any] = {"name": "Tanaka-Sato", "spouse": {"name": "Kenji Tanaka", "citizenships": ["JP"]}}
    refused = await gql(SAVE, {"id": household_id, "input": incomplete})
    assert refused["saveHouseholdFacts"]["errors"] == [
        {"path": "input.spouse.birthDate", "code": "REQUIRED", "message": "is required for a new member"},
        {"path": "input.spouse.inCanada", "code": "REQUIRED", "message": "is required for a new member"},
    ]
    assert (await _shown(gql, household_id))["name"] == "Tanaka"
    spouse = {**incomplete["spouse"], "birthDate": "1994-08-02", "inCanada": True}
    added = await gql(SAVE, {"id": household_id, "input": {**incomplete, "spouse": spouse}})
    assert added["saveHouseholdFacts"]["household"] == {
        "name": "Tanaka-Sato",
        "version": 2,
        "principal": {"name": "Mei Tanaka", "version": 1},
        "spouse": {"name": "Kenji Tanaka", "birthDate": "1994-08-02", "version": 1},
    }


@pytest.mark.parametrize(
    ("household_version", "principal_version", "path"),
    [
        pytest.param(1, 1, "version", id="the-household-is-stale"),
        pytest.param(2, 1, "input.principal.version", id="the-principal-is-stale"),
    ],
)
async def test_a_stale_version_is_refused_without_writing(
    gql: Gql,
    sessions: async_sessionmaker[AsyncSession],
    tenant_id: int,
    household_version: int,
    principal_version: int,
    path: str,
) -> None:
    household_id = await _created(gql)
    shown = await gql(
        "query($id: ID!) { node(id: $id) { ... on Household { principal { id } } } }", {"id": household_id}
    )
    principal_id = shown["node"]["principal"]["id"]
    await gql(RENAME_PRINCIPAL, {"id": principal_id})  # the principal moves to version 2
    await gql(SAVE, {"id": household_id, "input": {"name": "Sato"}})  # the household moves to version 2
    before = await _shown(gql, household_id)
    rows = await tenant_rows(sessions, tenant_id)
    facts = {
        "name": "Tanaka-Sato",
        "principal": {"citizenships": ["CA"], "version": principal_version},
        "spouse": {"name": "Ken Tanaka", "version": 1},
    }
    result = await gql(SAVE, {"id": household_id, "input": facts, "version": household_version})
    conflict = result["saveHouseholdFacts"]
    assert (conflict["__typename"], conflict["path"], conflict["currentVersion"]) == ("Conflict", path, 2)
    assert await _shown(gql, household_id) == before
    assert await tenant_rows(sessions, tenant_id) == rows


async def test_a_version_for_a_spouse_no_longer_there_is_a_conflict(gql: Gql) -> None:
    household_id = await _created(gql, spouse=False)
    spouse = {"name": "Kenji Tanaka", "birthDate": "1994-08-02", "citizenships": ["JP"], "inCanada": True}
    result = await gql(SAVE, {"id": household_id, "input": {"name": "Sato", "spouse": {**spouse, "version": 1}}})
    assert result["saveHouseholdFacts"] == {
        "__typename": "Conflict",
        "path": "input.spouse.version",
        "message": "the household has no spouse now: removed since you read it; read it again",
        "currentVersion": None,
    }
    assert (await _shown(gql, household_id))["name"] == "Tanaka"
