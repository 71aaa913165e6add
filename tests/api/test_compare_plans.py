"""comparePlans over HTTP: two stored plans of one household compared as `solver.compare` says, refusals typed
(NotFound naming `a` or `b`, another household's plan as InvalidInput naming `b`). Both databases."""

from __future__ import annotations

import base64
import datetime as dt
import json
from typing import Any

from api.keys import Role
from api.shape import solves
from tests.api.conftest import Service
from tests.api.test_stored_plans import _household, _plan
from tests.solver.test_solve_public import FILES

COMPARE = """query($a: ID!, $b: ID!) { comparePlans(a: $a, b: $b) { __typename
  ... on PlanDiff { same pr { readyBefore readyAfter readyDays programBefore programAfter }
    permitsAdded { person code applyOn } permitsRemoved { person code applyOn }
    permitsMoved { after { code } applyOnDays validFromDays validToDays }
    deadlinesMoved { days before { date } after { date } } deadlinesAdded { date ruleId } deadlinesGone { date ruleId }
    fees { part before { amount } after { amount } delta { amount cents currency } }
    findingsNew { kind ruleId message person code } findingsGone { kind ruleId }
    gaps { person withoutStatusBefore withoutStatusAfter withoutWorkBefore withoutWorkAfter } }
  ... on NotFound { path id message } ... on InvalidInput { errors { path code message } } } }"""

EMPTY: dict[str, list[Any]] = {
    "permitsAdded": [],
    "permitsRemoved": [],
    "permitsMoved": [],
    "deadlinesMoved": [],
    "deadlinesAdded": [],
    "deadlinesGone": [],
    "fees": [],
    "findingsNew": [],
    "findingsGone": [],
    "gaps": [],
}


async def _compare(service: Service, key: str, a: str, b: str) -> dict[str, Any]:
    result: dict[str, Any] = (await service.data(COMPARE, key, {"a": a, "b": b}))["comparePlans"]
    return result


async def test_two_plans_of_one_household_are_compared_b_minus_a(service: Service) -> None:
    tenant = await service.tenant()
    key = await service.key(tenant, Role.CONSULTANT)
    household_id = await _household(service, key)
    first = await _plan(service, key, household_id, "2026-01-15")
    later = await _plan(service, key, household_id, "2026-09-15")

    same = await _compare(service, key, first["id"], first["id"])
    assert same == {"__typename": "PlanDiff", "same": True, "pr": None, **EMPTY}

    forward = await _compare(service, key, first["id"], later["id"])
    backward = await _compare(service, key, later["id"], first["id"])
    assert forward["__typename"] == "PlanDiff" and forward["same"] is False
    a_ready, b_ready = first["prReadyDate"], later["prReadyDate"]
    if a_ready != b_ready:
        days = (dt.date.fromisoformat(b_ready) - dt.date.fromisoformat(a_ready)).days
        assert forward["pr"]["readyBefore"] == a_ready and forward["pr"]["readyAfter"] == b_ready
        assert (forward["pr"]["readyDays"], backward["pr"]["readyDays"]) == (days, -days)
    assert forward["permitsAdded"] == backward["permitsRemoved"]
    assert [m["applyOnDays"] for m in forward["permitsMoved"]] == [-m["applyOnDays"] for m in backward["permitsMoved"]]
    assert [d["days"] for d in forward["deadlinesMoved"]] == sorted(d["days"] for d in forward["deadlinesMoved"])
    for fee in forward["fees"]:
        assert fee["delta"]["currency"] == "CAD"
    # Asked twice, the same answer in the same order.
    assert await _compare(service, key, first["id"], later["id"]) == forward


async def test_plans_of_two_households_are_refused_naming_b(service: Service) -> None:
    tenant = await service.tenant()
    key = await service.key(tenant, Role.CONSULTANT)
    one = await _plan(service, key, await _household(service, key, "Tanaka"), "2026-01-15")
    other = await _plan(service, key, await _household(service, key, "Okafor"), "2026-01-15")
    refused = await _compare(service, key, one["id"], other["id"])
    assert refused == {
        "__typename": "InvalidInput",
        "errors": [
            {
                "path": "b",
                "code": "INVALID_VALUE",
                "message": "is a plan of another household than a: only plans of one household can be compared",
            }
        ],
    }


async def test_unknown_and_another_firms_plans_are_not_found(service: Service) -> None:
    victim, thief = await service.tenant(), await service.tenant()
    victim_key, thief_key = await service.key(victim, Role.CONSULTANT), await service.key(thief, Role.READONLY)
    stored = await _plan(service, victim_key, await _household(service, victim_key), "2026-01-15")
    missing = base64.b64encode(b"StoredPlan:2147483000").decode()

    assert await _compare(service, victim_key, stored["id"], missing) == {
        "__typename": "NotFound",
        "path": "b",
        "id": missing,
        "message": f"no StoredPlan with id {missing!r} in your firm",
    }
    assert await _compare(service, victim_key, "not-an-id", stored["id"]) == {
        "__typename": "NotFound",
        "path": "a",
        "id": "not-an-id",
        "message": "no StoredPlan with id 'not-an-id' in your firm",
    }
    stolen = await _compare(service, thief_key, stored["id"], stored["id"])
    assert (stolen["__typename"], stolen["path"]) == ("NotFound", "a")


SCENARIOS = """query($a: ScenarioInput!, $b: ScenarioInput!, $options: PlanOptionsInput) {
  comparePlanScenarios(a: $a, b: $b, options: $options) { __typename
    ... on PlanDiff { same pr { readyBefore readyAfter readyDays }
      permitsMoved { after { person code } validFromDays } }
    ... on InvalidScenario { errors { path code message } } } }"""


def _p03(earliest_start: str | None = None) -> dict[str, Any]:
    doc = json.loads((FILES[2]).read_text())
    scenario: dict[str, Any] = doc["scenario"]
    if earliest_start is not None:
        scenario["offers"][0]["earliestStart"] = earliest_start
    return scenario


async def test_two_scenarios_are_planned_and_compared(service: Service) -> None:
    tenant = await service.tenant()
    key = await service.key(tenant, Role.CONSULTANT)
    variables = {"a": _p03(), "b": _p03("2027-04-12"), "options": {"timeLimitMs": 3000}}
    compared = (await service.data(SCENARIOS, key, variables))["comparePlanScenarios"]
    assert compared["__typename"] == "PlanDiff" and compared["same"] is False
    assert compared["pr"] == {"readyBefore": "2028-01-10", "readyAfter": "2028-04-10", "readyDays": 91}
    assert {"person": "SPOUSE", "code": "C41"} in [m["after"] for m in compared["permitsMoved"]]
    same = (await service.data(SCENARIOS, key, {"a": _p03(), "b": _p03()}))["comparePlanScenarios"]
    assert same == {"__typename": "PlanDiff", "same": True, "pr": None, "permitsMoved": []}


async def test_invalid_scenarios_name_a_or_b_and_the_options_once(service: Service) -> None:
    tenant = await service.tenant()
    key = await service.key(tenant, Role.CONSULTANT)
    bad = _p03()
    bad["offers"][0]["hoursPerWeek"] = -1
    variables = {"a": _p03(), "b": bad, "options": {"itaWaitDays": -1}}
    refused = (await service.data(SCENARIOS, key, variables))["comparePlanScenarios"]
    assert refused["__typename"] == "InvalidScenario"
    paths = [e["path"] for e in refused["errors"]]
    assert paths == ["options.itaWaitDays"]
    refused = (await service.data(SCENARIOS, key, {"a": _p03(), "b": bad}))["comparePlanScenarios"]
    assert [e["path"] for e in refused["errors"]] == ["b.offers[0].hoursPerWeek"]


def test_compare_plan_scenarios_is_charged_as_a_solve() -> None:
    assert solves("comparePlanScenarios")
    assert not solves("comparePlans")
