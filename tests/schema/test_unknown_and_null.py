"""Refusing what does not exist, over GraphQL: a NOC code that is no NOC 2021 unit group, an exemption code the
catalog does not know, and a null where the input has a default, each a field error naming its path; a stored
household holding a code from before the check still loads and is answered as invalid, never a 500."""

from __future__ import annotations

import copy
from typing import Any

import strawberry
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from strawberry.tools import merge_types

from db.models import JobOffer, WorkPeriod
from schema.context import Context
from schema.planning import PlanningQuery
from schema.root import schema
from schema.rules import RulesQuery
from tests.conftest import Gql
from tests.schema.records import CREATE_HOUSEHOLD, household_input

SCHEMA = strawberry.Schema(query=merge_types("Query", (PlanningQuery, RulesQuery)))
PLAN = """query($s: ScenarioInput!, $o: PlanOptionsInput) { planScenario(scenario: $s, options: $o) {
    __typename ... on InvalidScenario { errors { path message } } } }"""
NOT_A_UNIT_GROUP = (
    "is not a NOC 2021 unit group; allowed: one of the 516 unit groups of NOC 2021 Version 1.0, five digits"
    " (e.g. 21231 software engineers and designers)"
)
SCENARIO: dict[str, Any] = {
    "asOf": "2026-12-01",
    "horizonMonths": 24,
    "principal": {
        "birthDate": "1995-01-01",
        "citizenships": ["NG"],
        "inCanada": True,
        "status": {"kind": "WORKER", "validTo": "2027-06-30", "permitCode": "C43"},
        "education": [
            {
                "credential": "MASTER",
                "institution": "UNIVERSITY",
                "canadian": True,
                "start": "2023-09-01",
                "completion": "2025-05-31",
                "pgwpEligibleDli": True,
            }
        ],
        "workHistory": [{"nocCode": "21231", "start": "2025-07-01", "hoursPerWeek": 40, "inCanada": True}],
    },
    "offers": [
        {
            "ref": "acme",
            "holder": "PRINCIPAL",
            "nocCode": "21231",
            "province": "ON",
            "hoursPerWeek": 40,
            "earliestStart": "2027-01-04",
        }
    ],
}


def _scenario() -> dict[str, Any]:
    return copy.deepcopy(SCENARIO)


async def _plan(scenario: dict[str, Any], options: dict[str, Any] | None = None) -> dict[str, Any]:
    result = await SCHEMA.execute(PLAN, variable_values={"s": scenario, "o": options})
    assert result.errors is None, result.errors
    assert result.data is not None
    answer: dict[str, Any] = result.data["planScenario"]
    return answer


async def test_plan_scenario_refuses_a_noc_code_that_is_no_unit_group() -> None:
    scenario = _scenario()
    scenario["principal"]["workHistory"][0]["nocCode"] = "21999"
    scenario["offers"][0]["nocCode"] = "00018"
    assert await _plan(scenario) == {
        "__typename": "InvalidScenario",
        "errors": [
            {"path": "scenario.principal.workHistory[0].nocCode", "message": f"'21999' {NOT_A_UNIT_GROUP}"},
            {"path": "scenario.offers[0].nocCode", "message": f"'00018' {NOT_A_UNIT_GROUP}"},
        ],
    }


async def test_plan_scenario_refuses_an_exemption_code_the_catalog_does_not_know() -> None:
    scenario = _scenario()
    scenario["offers"][0]["lmiaExemptCode"] = "Z99"
    answer = await _plan(scenario)
    assert answer["__typename"] == "InvalidScenario"
    assert [(e["path"], e["message"].split(";")[0]) for e in answer["errors"]] == [
        ("scenario.offers[0].lmiaExemptCode", "'Z99' is not a permit category code")
    ]


async def test_plan_scenario_refuses_a_null_where_the_input_has_a_default() -> None:
    scenario = _scenario()
    scenario["horizonMonths"] = None
    scenario["principal"]["education"][0]["pgwpEligibleDli"] = None
    scenario["principal"]["status"]["employerSpecific"] = None
    scenario["principal"]["workHistory"][0]["authorized"] = None
    scenario["principal"]["languageTests"] = None
    scenario["offers"][0]["lmiaApproved"] = None
    assert await _plan(scenario, {"timeLimitMs": None, "itaWaitDays": None}) == {
        "__typename": "InvalidScenario",
        "errors": [
            {"path": path, "message": f"must not be null; omit it to use the default ({default})"}
            for path, default in [
                ("scenario.principal.status.employerSpecific", "false"),
                ("scenario.principal.education[0].pgwpEligibleDli", "false"),
                ("scenario.principal.languageTests", "[]"),
                ("scenario.principal.workHistory[0].authorized", "true"),
                ("scenario.offers[0].lmiaApproved", "false"),
                ("scenario.horizonMonths", "60"),
                ("options.timeLimitMs", "2000"),
                ("options.itaWaitDays", "30"),
            ]
        ],
    }


async def test_a_null_written_in_the_document_is_refused_like_one_in_the_variables() -> None:
    query = """{ planScenario(scenario: {asOf: "2026-12-01", principal: {birthDate: "1995-01-01",
        citizenships: ["NG"], inCanada: false, education: [{credential: MASTER, institution: UNIVERSITY,
        canadian: true, start: "2023-09-01", completion: "2025-05-31", pgwpEligibleDli: null}]}}) {
        __typename ... on InvalidScenario { errors { path message } } } }"""
    result = await SCHEMA.execute(query)
    assert result.errors is None
    assert result.data == {
        "planScenario": {
            "__typename": "InvalidScenario",
            "errors": [
                {
                    "path": "scenario.principal.education[0].pgwpEligibleDli",
                    "message": "must not be null; omit it to use the default (false)",
                }
            ],
        }
    }


async def test_a_null_optional_field_is_still_accepted() -> None:
    scenario = _scenario()
    scenario["spouse"] = None
    scenario["principal"]["passportExpiry"] = None
    scenario["principal"]["education"][0]["lengthMonths"] = None
    scenario["principal"]["workHistory"][0]["end"] = None
    scenario["offers"][0]["months"] = None
    scenario["offers"][0]["lmiaExemptCode"] = None
    assert (await _plan(scenario, {"rulesAsOf": None, "objective": None, "timeLimitMs": 5000}))["__typename"] == "Plan"


def test_eligibility_and_crs_refuse_an_unknown_noc_naming_the_field() -> None:
    scenario = _scenario()
    scenario["principal"]["workHistory"][0]["nocCode"] = "21999"
    result = SCHEMA.execute_sync("query($s: JSON!) { eligibility(scenario: $s) { code } }", {"s": scenario})
    assert result.errors is not None
    assert result.errors[0].message == f"scenario.principal.workHistory[0].nocCode: '21999' {NOT_A_UNIT_GROUP}"
    assert result.errors[0].extensions == {
        "code": "INVALID_INPUT",
        "fieldErrors": [
            {
                "path": "scenario.principal.workHistory[0].nocCode",
                "code": "UNKNOWN_CODE",
                "message": f"'21999' {NOT_A_UNIT_GROUP}",
            }
        ],
    }
    crs = "query($s: JSON!, $noc: String) { crs(scenario: $s, arrangedEmploymentNoc: $noc) { total } }"
    result = SCHEMA.execute_sync(crs, {"s": _scenario(), "noc": "21999"})
    assert result.errors is not None
    assert result.errors[0].message == f"arrangedEmploymentNoc: '21999' {NOT_A_UNIT_GROUP}"
    assert result.errors[0].extensions is not None
    assert result.errors[0].extensions["fieldErrors"][0]["path"] == "arrangedEmploymentNoc"


REFUSED = "__typename ... on InvalidInput { errors { path message } }"


async def test_household_mutations_refuse_an_unknown_noc(gql: Gql) -> None:
    data = household_input()
    data["principal"]["workHistory"][0]["nocCode"] = "21999"
    data["offers"][0]["nocCode"] = "21999"
    created = await gql(CREATE_HOUSEHOLD, {"input": data})
    assert created["createHousehold"] == {
        "__typename": "InvalidInput",
        "errors": [
            {"path": "input.principal.workHistory[0].nocCode", "message": f"'21999' {NOT_A_UNIT_GROUP}"},
            {"path": "input.offers[0].nocCode", "message": f"'21999' {NOT_A_UNIT_GROUP}"},
        ],
    }
    household = (await gql(CREATE_HOUSEHOLD, {"input": household_input()}))["createHousehold"]["household"]
    member = household["principal"]["id"]
    add_work = f"""mutation($m: ID!) {{ createWorkPeriod(memberId: $m, input: {{nocCode: "21999",
        start: "2025-01-01", hoursPerWeek: 40, inCanada: true}}) {{ {REFUSED} }} }}"""
    assert (await gql(add_work, {"m": member}))["createWorkPeriod"] == {
        "__typename": "InvalidInput",
        "errors": [{"path": "input.nocCode", "message": f"'21999' {NOT_A_UNIT_GROUP}"}],
    }
    change_offer = f"""mutation($id: ID!) {{ updateOffer(id: $id, input: {{nocCode: "21999"}}) {{ {REFUSED} }} }}"""
    assert (await gql(change_offer, {"id": household["offers"][0]["id"]}))["updateOffer"] == {
        "__typename": "InvalidInput",
        "errors": [{"path": "input.nocCode", "message": f"'21999' {NOT_A_UNIT_GROUP}"}],
    }


async def test_household_mutations_refuse_a_null_naming_the_field(
    gql: Gql, sessions: async_sessionmaker[AsyncSession], tenant_id: int
) -> None:
    data = household_input()
    data["principal"]["education"][0]["pgwpEligibleDli"] = None
    data["principal"]["status"]["employerSpecific"] = None
    data["principal"]["workHistory"][0]["authorized"] = None
    data["spouse"]["languageTests"] = None
    data["offers"][0]["lmiaApproved"] = None
    data["offers"][0]["complianceFeePaid"] = None
    assert (await gql(CREATE_HOUSEHOLD, {"input": data}))["createHousehold"] == {
        "__typename": "InvalidInput",
        "errors": [
            {"path": path, "message": f"must not be null; omit it to use the default ({default})"}
            for path, default in [
                ("input.principal.status.employerSpecific", "false"),
                ("input.principal.education[0].pgwpEligibleDli", "false"),
                ("input.principal.workHistory[0].authorized", "true"),
                ("input.spouse.languageTests", "[]"),
                ("input.offers[0].lmiaApproved", "false"),
                ("input.offers[0].complianceFeePaid", "false"),
            ]
        ],
    }
    assert await tenant_households(gql) == []

    household = (await gql(CREATE_HOUSEHOLD, {"input": household_input()}))["createHousehold"]["household"]
    member = household["principal"]["id"]
    add_work = f"""mutation($m: ID!) {{ createWorkPeriod(memberId: $m, input: {{nocCode: "21231",
        start: "2025-01-01", hoursPerWeek: 40, inCanada: true, selfEmployed: null}}) {{ {REFUSED} }} }}"""
    assert (await gql(add_work, {"m": member}))["createWorkPeriod"] == {
        "__typename": "InvalidInput",
        "errors": [{"path": "input.selfEmployed", "message": "must not be null; omit it to use the default (false)"}],
    }
    new_status = f"""mutation($m: ID!) {{ updateMember(id: $m, input: {{status: {{kind: WORKER,
        validTo: "2027-06-30", employerSpecific: null}}}}) {{ {REFUSED} }} }}"""
    assert (await gql(new_status, {"m": member}))["updateMember"] == {
        "__typename": "InvalidInput",
        "errors": [
            {"path": "input.status.employerSpecific", "message": "must not be null; omit it to use the default (false)"}
        ],
    }
    # An update's null would clear the stored value: refused for a field that must hold one.
    read = "query($id: ID!) { node(id: $id) { ... on HouseholdMember { education { id } } } }"
    education = (await gql(read, {"id": member}))["node"]["education"][0]["id"]
    change = f"""mutation($id: ID!) {{ updateEducation(id: $id, input: {{pgwpEligibleDli: null}}) {{ {REFUSED} }} }}"""
    assert (await gql(change, {"id": education}))["updateEducation"] == {
        "__typename": "InvalidInput",
        "errors": [{"path": "input.pgwpEligibleDli", "message": "is required; leave it out to keep the stored value"}],
    }


async def tenant_households(gql: Gql) -> list[Any]:
    edges: list[Any] = (await gql("{ households(first: 10) { edges { node { id } } } }"))["households"]["edges"]
    return edges


PLAN_HOUSEHOLD = """mutation($id: ID!) { planHousehold(householdId: $id, asOf: "2026-01-15") {
    __typename ... on InvalidScenario { errors { path message } } } }"""
HOUSEHOLD = """query($id: ID!) { node(id: $id) { ... on Household {
    principal { workHistory { nocCode } } offers { nocCode } } } }"""
ELIGIBILITY = 'query($id: ID!) { householdEligibility(id: $id, on: "2026-01-15") { code } }'


async def test_a_stored_household_holding_an_unknown_noc_loads_and_is_answered_as_invalid(
    gql: Gql, sessions: async_sessionmaker[AsyncSession], tenant_id: int
) -> None:
    household = (await gql(CREATE_HOUSEHOLD, {"input": household_input()}))["createHousehold"]["household"]
    # As a code stored before the check was added would be: written past the mutations' checks.
    async with sessions() as session, session.begin():
        await session.execute(update(WorkPeriod).where(WorkPeriod.tenant_id == tenant_id).values(noc_code="21999"))
        await session.execute(update(JobOffer).where(JobOffer.tenant_id == tenant_id).values(noc_code="26000"))

    assert await gql(HOUSEHOLD, {"id": household["id"]}) == {
        "node": {"principal": {"workHistory": [{"nocCode": "21999"}]}, "offers": [{"nocCode": "26000"}]}
    }
    assert (await gql(PLAN_HOUSEHOLD, {"id": household["id"]}))["planHousehold"] == {
        "__typename": "InvalidScenario",
        "errors": [
            {"path": "principal.workHistory[0].nocCode", "message": f"'21999' {NOT_A_UNIT_GROUP}"},
            {"path": "offers[0].nocCode", "message": f"'26000' {NOT_A_UNIT_GROUP}"},
        ],
    }
    context = Context.create(sessions, tenant_id)
    result = await schema.execute(ELIGIBILITY, variable_values={"id": household["id"]}, context_value=context)
    assert result.data == {"householdEligibility": None}
    assert result.errors is not None
    assert [e.message for e in result.errors] == [
        "the stored household is invalid (correct it with the record's update mutation):"
        f" principal.workHistory[0].nocCode: '21999' {NOT_A_UNIT_GROUP}; offers[0].nocCode: '26000' {NOT_A_UNIT_GROUP}"
    ]
