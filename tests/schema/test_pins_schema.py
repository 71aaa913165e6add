"""Pins over GraphQL: planScenario's `pins` checked and planned around (Plan.pins), a stored household's pins
written whole by the household mutations (checked against its members and offers, audited, the version
counting the change), shown, and planned around by planHousehold. Both databases."""

from __future__ import annotations

import copy
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.models import Tenant
from db.repositories.plans import Plans
from tests.conftest import Gql
from tests.schema.records import CREATE_HOUSEHOLD, household_input
from tests.schema.test_unknown_and_null import SCENARIO

PLAN = """query($s: ScenarioInput!) { planScenario(scenario: $s, options: {timeLimitMs: 5000}) { __typename
    ... on Plan { permits { person code applyOn } pins { held stepDate stepAction stepCode pin { kind person code }
      reason { ruleId message } } }
    ... on InvalidScenario { errors { path message } } } }"""
SHOW = """query($id: ID!) { node(id: $id) { ... on Household { version
    pins { kind person code applyFrom applyTo offerRef program } } } }"""
UPDATE = """mutation($id: ID!, $input: UpdateHouseholdInput!, $v: Int) { updateHousehold(id: $id, input: $input,
    version: $v) { __typename ... on HouseholdPayload { household { version pins { kind offerRef } } }
    ... on InvalidInput { errors { path message } } ... on Conflict { message } } }"""
PLAN_HOUSEHOLD = """mutation($id: ID!) { planHousehold(householdId: $id, asOf: "2026-01-15",
    options: {timeLimitMs: 5000}) { __typename
    ... on StoredPlan { plan { jobs { offerRef } pins { held stepAction pin { kind offerRef } } } }
    ... on InvalidScenario { errors { path message } } } }"""

TAKE_OFFER = {"kind": "TAKE_OFFER", "person": "PRINCIPAL", "offerRef": "offer-0"}
EXCLUDE_C10 = {"kind": "EXCLUDE", "person": "PRINCIPAL", "code": "C10"}


def _scenario(*pins: dict[str, Any]) -> dict[str, Any]:
    scenario = copy.deepcopy(SCENARIO)
    scenario["pins"] = list(pins)
    return scenario


async def test_plan_scenario_plans_around_a_pin_and_shows_it(gql: Gql) -> None:
    # Unpinned, the plan applies for the TFWP on 2027-03-31.
    day = "2027-05-03"
    pin = {"kind": "APPLY", "person": "PRINCIPAL", "code": "TFWP", "applyFrom": day, "applyTo": day}
    plan = (await gql(PLAN, {"s": _scenario(pin)}))["planScenario"]
    assert plan["__typename"] == "Plan", plan
    assert plan["permits"] == [{"person": "PRINCIPAL", "code": "TFWP", "applyOn": day}]
    assert plan["pins"] == [
        {
            "held": True,
            "stepDate": day,
            "stepAction": "APPLY_PERMIT",
            "stepCode": "TFWP",
            "pin": {"kind": "APPLY", "person": "PRINCIPAL", "code": "TFWP"},
            "reason": None,
        }
    ]


async def test_plan_scenario_refuses_a_bad_pin_naming_its_path(gql: Gql) -> None:
    answer = await gql(PLAN, {"s": _scenario({"kind": "TAKE_OFFER", "person": "PRINCIPAL", "offerRef": "nope"})})
    assert answer["planScenario"] == {
        "__typename": "InvalidScenario",
        "errors": [
            {"path": "scenario.pins[0].offerRef", "message": "no offer has ref 'nope'; the offers' refs: 'acme'"}
        ],
    }


async def test_a_stored_households_pins_are_written_shown_replaced_and_planned_around(
    gql: Gql, sessions: async_sessionmaker[AsyncSession], tenant_id: int
) -> None:
    data = household_input()
    data["pins"] = [TAKE_OFFER, EXCLUDE_C10]
    created = (await gql(CREATE_HOUSEHOLD, {"input": data}))["createHousehold"]
    assert created["__typename"] == "HouseholdPayload", created
    household_id = created["household"]["id"]
    empty = {"code": None, "applyFrom": None, "applyTo": None, "offerRef": None, "program": None}
    assert (await gql(SHOW, {"id": household_id}))["node"] == {
        "version": 1,
        "pins": [{**empty, **TAKE_OFFER}, {**empty, **EXCLUDE_C10}],
    }

    planned = (await gql(PLAN_HOUSEHOLD, {"id": household_id}))["planHousehold"]
    assert planned["__typename"] == "StoredPlan", planned
    assert [job["offerRef"] for job in planned["plan"]["jobs"]].count("offer-0") == 1
    assert planned["plan"]["pins"] == [
        {"held": True, "stepAction": "START_JOB", "pin": {"kind": "TAKE_OFFER", "offerRef": "offer-0"}},
        {"held": True, "stepAction": None, "pin": {"kind": "EXCLUDE", "offerRef": None}},
    ]

    revision = await _revision(sessions, tenant_id)
    replaced = (await gql(UPDATE, {"id": household_id, "input": {"pins": [EXCLUDE_C10]}, "v": 1}))["updateHousehold"]
    assert replaced == {
        "__typename": "HouseholdPayload",
        "household": {"version": 2, "pins": [{"kind": "EXCLUDE", "offerRef": None}]},
    }
    assert await _revision(sessions, tenant_id) > revision
    async with sessions() as session:
        audit = await Plans(session, tenant_id=tenant_id).audit_entries(limit=3)
    # Newest first: the stored pins went, the given one came (the household's version is not audited).
    assert [(e.action, e.record_type) for e in audit] == [
        ("create", "HouseholdPin"),
        ("delete", "HouseholdPin"),
        ("delete", "HouseholdPin"),
    ]
    assert (audit[0].changes["kind"], audit[0].changes["code"]) == ("EXCLUDE", "C10")

    stale = (await gql(UPDATE, {"id": household_id, "input": {"pins": []}, "v": 1}))["updateHousehold"]
    assert stale["__typename"] == "Conflict"
    refused = (await gql(UPDATE, {"id": household_id, "input": {"pins": None}}))["updateHousehold"]
    assert refused == {
        "__typename": "InvalidInput",
        "errors": [{"path": "input.pins", "message": "must not be null; give [] for a household without pins"}],
    }
    emptied = (await gql(UPDATE, {"id": household_id, "input": {"pins": []}}))["updateHousehold"]
    assert emptied == {"__typename": "HouseholdPayload", "household": {"version": 3, "pins": []}}


async def _revision(sessions: async_sessionmaker[AsyncSession], tenant_id: int) -> int:
    async with sessions() as session:
        return int(await session.scalar(select(Tenant.revision).where(Tenant.id == tenant_id)) or 0)


async def test_household_mutations_refuse_pins_the_household_cannot_have(gql: Gql) -> None:
    data = household_input(spouse=False)
    data["pins"] = [
        {"kind": "LEAD_PR", "person": "SPOUSE"},
        {"kind": "TAKE_OFFER", "person": "PRINCIPAL", "offerRef": "nope"},
        {"kind": "APPLY", "person": "PRINCIPAL", "code": "C43", "offerRef": "offer-0"},
    ]
    answer = (await gql(CREATE_HOUSEHOLD, {"input": data}))["createHousehold"]
    assert answer == {
        "__typename": "InvalidInput",
        "errors": [
            {
                "path": "input.pins[0].person",
                "message": "the household has no spouse; a pin names a member of the household",
            },
            {"path": "input.pins[1].offerRef", "message": "no offer has ref 'nope'; the offers' refs: 'offer-0'"},
            {
                "path": "input.pins[2].offerRef",
                "message": "is not read by a APPLY pin, which reads applyFrom, applyTo, code",
            },
        ],
    }
    created = (await gql(CREATE_HOUSEHOLD, {"input": household_input()}))["createHousehold"]
    update = {"pins": [{"kind": "TAKE_OFFER", "person": "SPOUSE", "offerRef": "offer-0"}]}
    refused = (await gql(UPDATE, {"id": created["household"]["id"], "input": update}))["updateHousehold"]
    assert refused == {
        "__typename": "InvalidInput",
        "errors": [
            {
                "path": "input.pins[0].offerRef",
                "message": "offer 'offer-0' is held by PRINCIPAL; a member takes only their own",
            }
        ],
    }
