"""planScenario over GraphQL: the contract's PlanScenario operation on the public scenarios."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import pytest
import strawberry
from strawberry.tools import merge_types

from schema.planning import PlanningQuery
from schema.rules import RulesQuery
from schema.services import Services
from solver.domain import Plan, PlanOptions, Scenario
from solver.rules import catalog
from solver.solve import plan as solve_plan
from tests.solver.test_solve_public import FILES, expectation_failures, load

OPERATIONS = (Path(__file__).parent.parent / "fixtures" / "contract" / "operations.graphql").read_text()
SCHEMA = strawberry.Schema(query=merge_types("Query", (PlanningQuery, RulesQuery)))


@pytest.mark.parametrize("path", FILES, ids=[f.stem for f in FILES])
async def test_plan_scenario_operation_answers_each_public_scenario(path: Path) -> None:
    case = load(path)
    result = await SCHEMA.execute(
        OPERATIONS,
        variable_values={"scenario": case["scenario"], "options": case["options"] or None},
        operation_name="PlanScenario",
    )
    assert result.errors is None
    assert result.data is not None
    assert expectation_failures(result.data["planScenario"], case["expect"]) == []


async def test_invalid_scenario_is_a_typed_result_naming_the_fields() -> None:
    query = """query($s: ScenarioInput!) { planScenario(scenario: $s) {
        __typename ... on InvalidScenario { errors { path message } } } }"""
    scenario = {
        "asOf": "2026-12-01",
        "horizonMonths": 500,
        "principal": {"birthDate": "1995-01-01", "citizenships": ["XX"], "inCanada": False},
    }
    result = await SCHEMA.execute(query, variable_values={"s": scenario})
    assert result.errors is None
    assert result.data == {
        "planScenario": {
            "__typename": "InvalidScenario",
            "errors": [
                {"path": "scenario.horizonMonths", "message": "500 is outside 1-240 months"},
                {
                    "path": "scenario.principal.citizenships[0]",
                    "message": "'XX' is not an ISO 3166-1 alpha-2 country code"
                    " (two upper-case letters, e.g. IN, FR, US)",
                },
            ],
        }
    }


# The catalog's current codes (an added category extends the list), TFWP aside: an offer names no code for it.
UNKNOWN_C99 = (
    "'C99' is not a permit category code; allowed: "
    + ", ".join(code for code in catalog.codes() if code != catalog.TFWP_CODE)
    + ", or a code used before 2022-12-15: C12, T21, T22, T23, T24"
)


async def test_an_unknown_permit_code_is_a_field_error_and_a_split_alias_is_accepted() -> None:
    query = """query($s: ScenarioInput!) { planScenario(scenario: $s) {
        __typename ... on InvalidScenario { errors { path message } } } }"""
    scenario = load(FILES[2])["scenario"]
    scenario["principal"]["permitHistory"] = [{"code": "T24", "validFrom": "2020-01-01", "validTo": "2020-12-31"}]
    scenario["spouse"]["permitHistory"] = [{"code": "C12", "validFrom": "2020-01-01", "validTo": "2020-12-31"}]
    scenario["offers"][0]["lmiaExemptCode"] = "C99"
    result = await SCHEMA.execute(query, variable_values={"s": scenario})
    assert result.errors is None
    assert result.data == {
        "planScenario": {
            "__typename": "InvalidScenario",
            "errors": [{"path": "scenario.offers[0].lmiaExemptCode", "message": UNKNOWN_C99}],
        }
    }


async def test_options_reach_the_planner() -> None:
    query = """query($s: ScenarioInput!, $o: PlanOptionsInput) { planScenario(scenario: $s, options: $o) {
        ... on Plan { status prReadyDate permits { code } } } }"""
    case = load(FILES[3])
    result = await SCHEMA.execute(
        query, variable_values={"s": case["scenario"], "o": {"objective": ["COST"], "timeLimitMs": 3000}}
    )
    assert result.errors is None
    # Cheapest first: no bridging permit at all.
    assert result.data == {"planScenario": {"status": "OPTIMAL", "prReadyDate": "2026-11-02", "permits": []}}


class _Plans:
    """A plan backend that records the limit it was asked to plan with, then plans in-process."""

    def __init__(self) -> None:
        self.limits: list[int] = []

    async def plan(self, tenant_id: int, scenario: Scenario, options: PlanOptions, blockers: bool = True) -> Plan:
        self.limits.append(options.time_limit_ms)
        return solve_plan(scenario, options)


@dataclass
class _Context:
    services: Services
    tenant_id: int = 1


async def test_the_service_time_cap_applies_to_the_default_limit() -> None:
    plans = _Plans()
    query = "query($s: ScenarioInput!) { planScenario(scenario: $s) { __typename } }"
    context = _Context(Services(plans=cast("Any", plans), solve_time_cap_ms=500))
    result = await SCHEMA.execute(query, variable_values={"s": load(FILES[0])["scenario"]}, context_value=context)
    assert result.errors is None
    assert result.data == {"planScenario": {"__typename": "Plan"}}
    assert plans.limits == [500]


class _Asked:
    """A plan backend that records whether it was asked for the blockers, then plans in-process."""

    def __init__(self) -> None:
        self.blockers: list[bool] = []

    async def plan(self, tenant_id: int, scenario: Scenario, options: PlanOptions, blockers: bool = True) -> Plan:
        self.blockers.append(blockers)
        return solve_plan(scenario, options, blockers=blockers)


@pytest.mark.parametrize(
    ("selection", "wanted"),
    [
        pytest.param("__typename ... on Plan { status prReadyDate }", False, id="not selected"),
        pytest.param("... on Plan { status blockers { ruleId } }", True, id="inline fragment"),
        pytest.param("... on Plan { why: blockers { message } }", True, id="alias"),
        pytest.param("...Shown", True, id="named fragment"),
    ],
)
async def test_blockers_are_found_only_when_the_query_selects_them(selection: str, wanted: bool) -> None:
    plans = _Asked()
    query = (
        f"query($s: ScenarioInput!) {{ planScenario(scenario: $s) {{ {selection} }} }}\n"
        "fragment Shown on Plan { blockers { ruleId } }"
        if "Shown" in selection
        else f"query($s: ScenarioInput!) {{ planScenario(scenario: $s) {{ {selection} }} }}"
    )
    context = _Context(Services(plans=cast("Any", plans)))
    result = await SCHEMA.execute(query, variable_values={"s": load(FILES[0])["scenario"]}, context_value=context)
    assert result.errors is None
    assert plans.blockers == [wanted]
