"""`saveHouseholdFacts` with lists: the offers and a member's records given replace the stored ones, in the
save's one transaction (SQLite and PostgreSQL, the `gql` fixture)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.conftest import Gql
from tests.schema.records import CREATE_HOUSEHOLD, OFFER, PRINCIPAL, SPOUSE, household_input
from tests.schema.test_household_facts import SAVE
from tests.schema.test_refusals import tenant_rows

LISTS = """query($id: ID!) { node(id: $id) { ... on Household { version
  offers { id ref nocCode version }
  principal { version languageTests { id test listening } permits { code offer { ref } } } } } }"""
TEST = {"test": "CELPIP_GENERAL", "taken": "2025-06-01", "listening": 10, "reading": 9, "writing": 9, "speaking": 9}


async def _lists(gql: Gql, household_id: str) -> dict[str, Any]:
    shown: dict[str, Any] = (await gql(LISTS, {"id": household_id}))["node"]
    return shown


async def _created(gql: Gql) -> str:
    data = household_input(spouse=False)
    data["principal"]["permits"][0]["offerRef"] = None
    created = (await gql(CREATE_HOUSEHOLD, {"input": data}))["createHousehold"]
    household_id: str = created["household"]["id"]
    return household_id


async def test_the_lists_given_replace_the_stored_ones_keeping_what_is_unchanged(gql: Gql) -> None:
    household_id = await _created(gql)
    before = await _lists(gql, household_id)
    [kept_test] = before["principal"]["languageTests"]
    facts = {
        "offers": [{**OFFER, "ref": "offer-0", "nocCode": "21232"}, {**OFFER, "ref": "new-offer"}],
        "principal": {"languageTests": [PRINCIPAL["languageTests"][0], TEST]},
    }
    saved = await gql(SAVE, {"id": household_id, "input": facts, "version": 1})
    assert saved["saveHouseholdFacts"]["__typename"] == "HouseholdPayload"
    after = await _lists(gql, household_id)
    assert after["version"] == 2 and after["principal"]["version"] == 2
    assert [(o["ref"], o["nocCode"], o["version"]) for o in after["offers"]] == [
        ("offer-0", "21232", 2),
        ("new-offer", "21231", 1),
    ]
    assert after["offers"][0]["id"] == before["offers"][0]["id"]  # updated in place
    assert [t["test"] for t in after["principal"]["languageTests"]] == ["IELTS_GENERAL", "CELPIP_GENERAL"]
    assert after["principal"]["languageTests"][0]["id"] == kept_test["id"]

    emptied = await gql(SAVE, {"id": household_id, "input": {"offers": [], "principal": {"languageTests": []}}})
    assert emptied["saveHouseholdFacts"]["__typename"] == "HouseholdPayload"
    cleared = await _lists(gql, household_id)
    assert cleared["offers"] == [] and cleared["principal"]["languageTests"] == []


async def test_a_refused_record_names_its_index_and_nothing_is_written(
    gql: Gql, sessions: async_sessionmaker[AsyncSession], tenant_id: int
) -> None:
    household_id = await _created(gql)
    before = await _lists(gql, household_id)
    rows = await tenant_rows(sessions, tenant_id)
    facts = {
        "name": "Tanaka-Sato",
        "offers": [{**OFFER, "ref": "offer-0"}, {**OFFER, "ref": "spouse-job", "holder": "SPOUSE"}],
        "principal": {"name": "Mei Sato", "languageTests": [TEST, {**TEST, "listening": 13}]},
    }
    result = await gql(SAVE, {"id": household_id, "input": facts})
    refused = result["saveHouseholdFacts"]
    assert refused["__typename"] == "InvalidInput"
    assert [e["path"] for e in refused["errors"]] == [
        "input.offers[1].holder",
        "input.principal.languageTests[1].listening",
    ]
    assert await _lists(gql, household_id) == before
    assert await tenant_rows(sessions, tenant_id) == rows


async def test_a_permit_names_an_offer_the_same_save_adds(gql: Gql) -> None:
    household_id = await _created(gql)
    permit = {"code": "A75", "open": False, "status": "PLANNED", "offerRef": "new-offer"}
    facts = {"offers": [{**OFFER, "ref": "new-offer"}], "principal": {"permits": [permit]}}
    saved = await gql(SAVE, {"id": household_id, "input": facts})
    assert saved["saveHouseholdFacts"]["__typename"] == "HouseholdPayload", saved
    after = await _lists(gql, household_id)
    assert after["principal"]["permits"] == [{"code": "A75", "offer": {"ref": "new-offer"}}]


async def test_a_new_spouse_comes_with_records_and_an_offer_of_the_same_save(gql: Gql) -> None:
    household_id = await _created(gql)
    permit = {"code": "A75", "open": False, "status": "PLANNED", "offerRef": "spouse-job"}
    spouse = {**SPOUSE, "languageTests": [TEST], "permits": [permit]}
    facts = {"offers": [{**OFFER, "ref": "spouse-job", "holder": "SPOUSE"}], "spouse": spouse}
    saved = await gql(SAVE, {"id": household_id, "input": facts})
    assert saved["saveHouseholdFacts"]["__typename"] == "HouseholdPayload", saved
    shown = await gql(SPOUSE_LISTS, {"id": household_id})
    assert shown["node"]["spouse"] == {
        "version": 1,
        "languageTests": [{"test": "CELPIP_GENERAL"}],
        "permits": [{"code": "A75", "offer": {"ref": "spouse-job"}}],
    }


SPOUSE_LISTS = """query($id: ID!) { node(id: $id) { ... on Household {
  spouse { version languageTests { test } permits { code offer { ref } } } } } }"""
