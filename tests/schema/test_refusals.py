"""Bad input and unknown ids come back as typed results naming the field, and nothing is written."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from strawberry.relay import GlobalID

from db.models import RECORD_MODELS, Member
from db.repositories.households import Households
from schema import writes
from schema.context import Context
from schema.errors import FieldError, InvalidInput
from solver.domain import Role
from tests.conftest import Gql, new_tenant
from tests.schema.records import CREATE_HOUSEHOLD, OFFER, household_input

REFUSED = "__typename ... on InvalidInput { errors { path message } } ... on NotFound { path id message }"


async def tenant_rows(sessions: async_sessionmaker[AsyncSession], tenant_id: int) -> dict[str, int]:
    """How many rows of each table the tenant has."""
    counts: dict[str, int] = {}
    async with sessions() as session:
        for model in RECORD_MODELS:
            query = select(func.count()).select_from(model).where(model.tenant_id == tenant_id)
            counts[model.__tablename__] = (await session.execute(query)).scalar_one()
    return counts


def _empty() -> dict[str, int]:
    return {model.__tablename__: 0 for model in RECORD_MODELS}


async def _household(gql: Gql, **options: Any) -> dict[str, Any]:
    result = await gql(CREATE_HOUSEHOLD, {"input": household_input(**options)})
    household: dict[str, Any] = result["createHousehold"]["household"]
    return household


async def test_invalid_household_names_every_bad_field_and_writes_nothing(
    gql: Gql, sessions: async_sessionmaker[AsyncSession], tenant_id: int
) -> None:
    data = household_input()
    data["principal"]["citizenships"] = ["IN", "ZZ"]
    data["principal"]["education"][0]["completion"] = "2021-05-31"
    data["principal"]["education"][0]["start"] = "2022-09-01"
    data["principal"]["languageTests"][0]["writing"] = 13
    data["principal"]["languageTests"][0]["listening"] = 0
    data["principal"]["workHistory"][0]["nocCode"] = "2123"
    data["spouse"]["workHistory"] = [{"nocCode": "21231", "start": "2020-01-01", "hoursPerWeek": 81, "inCanada": True}]
    data["offers"][0]["hoursPerWeek"] = 0
    data["offers"][0]["offerNumber"] = "A123456"
    result = await gql(CREATE_HOUSEHOLD, {"input": data})
    assert result == {
        "createHousehold": {
            "__typename": "InvalidInput",
            "errors": [
                {
                    "path": "input.principal.citizenships[1]",
                    "message": "'ZZ' is not an ISO 3166-1 alpha-2 country code "
                    "(two upper-case letters, e.g. IN, FR, US)",
                },
                {
                    "path": "input.principal.education[0].completion",
                    "message": "completion 2021-05-31 is before start 2022-09-01",
                },
                {"path": "input.principal.languageTests[0].listening", "message": "CLB/NCLC level 0 is outside 1-12"},
                {"path": "input.principal.languageTests[0].writing", "message": "CLB/NCLC level 13 is outside 1-12"},
                {
                    "path": "input.principal.workHistory[0].nocCode",
                    "message": "'2123' is not a NOC 2021 unit group; allowed: one of the 516 unit groups of NOC 2021"
                    " Version 1.0, five digits (e.g. 21231 software engineers and designers); a four-digit code is"
                    " NOC 2016, which IRCC no longer uses",
                },
                {
                    "path": "input.spouse.workHistory[0].hoursPerWeek",
                    "message": "81 hours per week is outside (0, 80]",
                },
                {"path": "input.offers[0].hoursPerWeek", "message": "0 hours per week is outside (0, 80]"},
                {
                    "path": "input.offers[0].offerNumber",
                    "message": "'A123456' is not an offer-of-employment number: 'A' followed by 7 digits "
                    "(e.g. A1234567)",
                },
            ],
        }
    }
    assert await tenant_rows(sessions, tenant_id) == _empty()


async def test_a_mutation_refused_half_way_leaves_the_database_as_it_was(
    gql: Gql, sessions: async_sessionmaker[AsyncSession], tenant_id: int
) -> None:
    # The household, both members, their records and the first offer are flushed before the second
    # offer's duplicate ref is found: the transaction must roll all of it back.
    data = household_input(offers=2)
    data["offers"][1]["ref"] = data["offers"][0]["ref"]
    result = await gql(CREATE_HOUSEHOLD, {"input": data})
    assert result == {
        "createHousehold": {
            "__typename": "InvalidInput",
            "errors": [
                {
                    "path": "input.offers[1].ref",
                    "message": "ref 'offer-0' is already used by an offer of this household; refs are unique",
                }
            ],
        }
    }
    assert await tenant_rows(sessions, tenant_id) == _empty()


async def test_a_permit_naming_a_missing_offer_rolls_back_the_whole_household(
    gql: Gql, sessions: async_sessionmaker[AsyncSession], tenant_id: int
) -> None:
    data = household_input(offers=1)
    data["principal"]["permits"].append({"code": "C12", "open": False, "status": "PLANNED", "offerRef": "nope"})
    result = await gql(CREATE_HOUSEHOLD, {"input": data})
    assert result["createHousehold"] == {
        "__typename": "InvalidInput",
        "errors": [
            {"path": "input.principal.permits[1].offerRef", "message": "no offer with ref 'nope' in this household"}
        ],
    }
    assert await tenant_rows(sessions, tenant_id) == _empty()


async def test_a_refused_member_leaves_the_household_as_it_was(
    gql: Gql, sessions: async_sessionmaker[AsyncSession], tenant_id: int
) -> None:
    household = await _household(gql, spouse=False, offers=1)
    before = await tenant_rows(sessions, tenant_id)
    spouse = {
        "name": "Sam Lee",
        "birthDate": "1990-01-01",
        "citizenships": ["KR"],
        "inCanada": True,
        "education": [
            {
                "credential": "DIPLOMA",
                "institution": "COLLEGE",
                "canadian": True,
                "start": "2015-09-01",
                "completion": "2017-04-30",
            }
        ],
        # The principal holds offer-0: the spouse's permit cannot be for it (found after the spouse is flushed).
        "permits": [{"code": "C12", "open": False, "status": "PLANNED", "offerRef": "offer-0"}],
    }
    mutation = f"""mutation($h: ID!, $input: CreateMemberInput!) {{
        createMember(householdId: $h, role: SPOUSE, input: $input) {{ {REFUSED} }} }}"""
    result = await gql(mutation, {"h": household["id"], "input": spouse})
    assert result == {
        "createMember": {
            "__typename": "InvalidInput",
            "errors": [
                {
                    "path": "input.permits[0].offerRef",
                    "message": "offer 'offer-0' is held by the principal, not the spouse",
                }
            ],
        }
    }
    assert await tenant_rows(sessions, tenant_id) == before


async def test_unknown_malformed_and_foreign_ids_are_not_found(
    gql: Gql, sessions: async_sessionmaker[AsyncSession], tenant_id: int
) -> None:
    household = await _household(gql)
    other_tenant = await new_tenant(sessions)
    mutation = f"""mutation($m: ID!) {{
        createLanguageTest(memberId: $m, input: {{test: IELTS_GENERAL, taken: "2025-01-01", listening: 7,
            reading: 7, writing: 7, speaking: 7}}) {{ {REFUSED} }} }}"""
    missing = "SG91c2Vob2xkTWVtYmVyOjk5OTk5OQ=="  # HouseholdMember:999999
    for member_id in (missing, "not-an-id", household["id"]):
        assert await gql(mutation, {"m": member_id}) == {
            "createLanguageTest": {
                "__typename": "NotFound",
                "path": "memberId",
                "id": member_id,
                "message": f"no HouseholdMember with id {member_id!r} in your firm",
            }
        }
    # Another firm's member does not exist for this one.
    principal = household["principal"]["id"]
    foreign = await gql(mutation, {"m": principal}, tenant=other_tenant)
    assert foreign["createLanguageTest"]["__typename"] == "NotFound"
    assert await gql("query($id: ID!) { node(id: $id) { id } }", {"id": principal}, tenant=other_tenant) == {
        "node": None
    }


async def test_updates_validate_the_record_as_it_would_stand(gql: Gql) -> None:
    household = await _household(gql)
    read = "query($id: ID!) { node(id: $id) { ... on HouseholdMember { education { id } workHistory { id } } } }"
    member = (await gql(read, {"id": household["principal"]["id"]}))["node"]
    education_update = f"""mutation($id: ID!) {{
        updateEducation(id: $id, input: {{completion: "2020-01-31"}}) {{ {REFUSED} }} }}"""
    assert await gql(education_update, {"id": member["education"][0]["id"]}) == {
        "updateEducation": {
            "__typename": "InvalidInput",
            "errors": [{"path": "input.completion", "message": "completion 2020-01-31 is before start 2022-09-01"}],
        }
    }
    work_update = f"""mutation($id: ID!) {{
        updateWorkPeriod(id: $id, input: {{nocCode: null, hoursPerWeek: 0.5, end: "2024-01-01"}}) {{ {REFUSED} }} }}"""
    assert await gql(work_update, {"id": member["workHistory"][0]["id"]}) == {
        "updateWorkPeriod": {
            "__typename": "InvalidInput",
            "errors": [
                {"path": "input.nocCode", "message": "is required; leave it out to keep the stored value"},
                {"path": "input.end", "message": "end 2024-01-01 is before start 2024-07-01"},
            ],
        }
    }


async def test_household_rules_on_members_and_offers(gql: Gql) -> None:
    household = await _household(gql, spouse=False)
    add_principal = f"""mutation($h: ID!) {{ createMember(householdId: $h, role: PRINCIPAL, input: {{name: "X",
        birthDate: "1990-01-01", citizenships: ["US"], inCanada: false}}) {{ {REFUSED} }} }}"""
    assert (await gql(add_principal, {"h": household["id"]}))["createMember"] == {
        "__typename": "InvalidInput",
        "errors": [{"path": "role", "message": "the household already has a principal; update that member instead"}],
    }
    delete_principal = f"mutation($id: ID!) {{ deleteMember(id: $id) {{ {REFUSED} }} }}"
    assert (await gql(delete_principal, {"id": household["principal"]["id"]}))["deleteMember"] == {
        "__typename": "InvalidInput",
        "errors": [{"path": "id", "message": "the principal cannot be removed; delete the household instead"}],
    }
    spouse_offer = f"""mutation($h: ID!, $input: CreateOfferInput!) {{
        createOffer(householdId: $h, input: $input) {{ {REFUSED} }} }}"""
    offer = {**OFFER, "ref": "spouse-job", "holder": "SPOUSE", "province": "XX", "lmiaExemptCode": "C1"}
    assert (await gql(spouse_offer, {"h": household["id"], "input": offer}))["createOffer"] == {
        "__typename": "InvalidInput",
        "errors": [
            {
                "path": "input.province",
                "message": "'XX' is not a Canadian province or territory; allowed: AB, BC, MB, NB, NL, NS, NT, NU, ON, "
                "PE, QC, SK, YT",
            },
            {
                "path": "input.lmiaExemptCode",
                "message": "'C1' is not an exemption code: a letter and two digits (e.g. C43, A75, T13)",
            },
            {"path": "input.holder", "message": "SPOUSE holds this offer but the household has no spouse"},
        ],
    }
    approved_without_dates = f"""mutation($m: ID!) {{
        createPermit(memberId: $m, input: {{code: "C43", open: true, status: APPROVED}}) {{ {REFUSED} }} }}"""
    assert (await gql(approved_without_dates, {"m": household["principal"]["id"]}))["createPermit"] == {
        "__typename": "InvalidInput",
        "errors": [
            {"path": "input.validFrom", "message": "is required for a permit that is APPROVED"},
            {"path": "input.validTo", "message": "is required for a permit that is APPROVED"},
        ],
    }


async def test_deleting_the_spouse_takes_the_offers_they_hold(gql: Gql) -> None:
    household = await _household(gql, spouse=True, offers=0)
    add_offer = """mutation($h: ID!, $input: CreateOfferInput!) {
        createOffer(householdId: $h, input: $input) { __typename } }"""
    for ref, holder in (("p", "PRINCIPAL"), ("s", "SPOUSE")):
        created = await gql(add_offer, {"h": household["id"], "input": {**OFFER, "ref": ref, "holder": holder}})
        assert created == {"createOffer": {"__typename": "OfferPayload"}}
    deleted = await gql(
        "mutation($id: ID!) { deleteMember(id: $id) { __typename } }", {"id": household["spouse"]["id"]}
    )
    assert deleted == {"deleteMember": {"__typename": "Deleted"}}
    read = "query($id: ID!) { household(id: $id) { spouse { id } offers { ref holder } } }"
    assert await gql(read, {"id": household["id"]}) == {
        "household": {"spouse": None, "offers": [{"ref": "p", "holder": "PRINCIPAL"}]}
    }


async def test_another_firm_cannot_change_or_delete_a_household(
    gql: Gql, sessions: async_sessionmaker[AsyncSession], tenant_id: int
) -> None:
    household = await _household(gql)
    other = await new_tenant(sessions)
    rename = f"""mutation($id: ID!) {{ updateHousehold(id: $id, input: {{name: "Taken"}}) {{ {REFUSED} }} }}"""
    delete = f"mutation($id: ID!) {{ deleteHousehold(id: $id) {{ {REFUSED} }} }}"
    not_found = {
        "__typename": "NotFound",
        "path": "id",
        "id": household["id"],
        "message": f"no Household with id {household['id']!r} in your firm",
    }
    assert await gql(rename, {"id": household["id"]}, tenant=other) == {"updateHousehold": not_found}
    assert await gql(delete, {"id": household["id"]}, tenant=other) == {"deleteHousehold": not_found}
    assert (await gql("query($id: ID!) { household(id: $id) { name } }", {"id": household["id"]})) == {
        "household": {"name": "Tanaka"}
    }


async def test_a_constraint_violation_from_a_concurrent_write_is_refused_not_masked(
    gql: Gql, sessions: async_sessionmaker[AsyncSession], tenant_id: int
) -> None:
    household = await _household(gql, spouse=False)
    household_id = int(GlobalID.from_id(household["id"]).node_id)

    async def second_principal(repo: Households) -> Member:
        # What a request racing another could write: the checks passed, the unique constraint did not.
        values = {"household_id": household_id, "role": Role.PRINCIPAL, "name": "Twin", "in_canada": False}
        return await repo.add(Member, {**values, "birth_date": dt.date(1990, 1, 1), "citizenships": ["FR"]})

    before = await tenant_rows(sessions, tenant_id)
    outcome = await writes.run(Context.create(sessions, tenant_id), second_principal)
    assert outcome == InvalidInput(
        errors=[
            FieldError(
                path="input",
                message="conflicts with a record written at the same time (a duplicate ref or member); read and retry",
            )
        ]
    )
    assert await tenant_rows(sessions, tenant_id) == before
