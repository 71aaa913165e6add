"""planAlternatives and planHouseholdAlternatives over HTTP: strategies side by side, a bad count refused naming
`count`, a household's alternatives stored as its plans (comparable with comparePlans), and the charge of
`count` plans (api/shape.py, schema/cost.py). Both databases."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from graphql import OperationDefinitionNode, TypeInfo, parse
from graphql.validation.validation_context import ValidationContext

from api.keys import Role
from api.limits import Limits
from api.plan_service import Alternatives, alternatives_job
from api.shape import document_shape
from api.solve_runner import ProcessRunner
from schema.cost import selection_cost
from schema.root import schema
from solver.alternatives import alternatives as solve_alternatives
from solver.domain import InvalidScenario
from solver.scenario_json import parse_scenario
from tests.api.conftest import Service, serve, settings_for
from tests.api.test_http_ratelimit import frozen_buckets
from tests.api.test_stored_plans import CREATE
from tests.schema.records import household_input

FIXTURES = Path(__file__).parent.parent / "fixtures" / "alternatives"

ALTERNATIVES = """query($s: ScenarioInput!, $o: PlanOptionsInput, $n: Int!) {
  planAlternatives(scenario: $s, options: $o, count: $n) { __typename
    ... on PlanAlternatives { requested alternatives { rank label differences
      strategy { prApplicant prProgram permits { person code offerRef } offers }
      tradeOffs { prReadyDate feesClient { amount } feesEmployer { amount } daysWithoutWork daysWithoutStatus
        riskCount risks { ruleId } }
      plan { prReadyDate prProgram permits { person code } } storedPlan { id } } }
    ... on InvalidScenario { errors { path message } } } }"""

HOUSEHOLD = """mutation($id: ID!, $n: Int!) {
  planHouseholdAlternatives(householdId: $id, asOf: "2026-01-15", options: {timeLimitMs: 3000}, count: $n) {
    __typename
    ... on PlanAlternatives { requested alternatives { rank label plan { prReadyDate }
      storedPlan { id prReadyDate solverParameters } } }
    ... on NotFound { path } ... on InvalidScenario { errors { path message } } } }"""

COMPARE = """query($a: ID!, $b: ID!) { comparePlans(a: $a, b: $b) { __typename ... on PlanDiff { same } } }"""


async def _household(service: Service, key: str) -> str:
    """A stored couple whose spouse, a visitor in Canada, may work on C41 or C49 or not at all."""
    household = household_input("Tanaka")
    household["spouse"]["status"] = {"kind": "VISITOR", "validTo": "2026-06-30"}
    created = await service.data(CREATE, key, {"input": household})
    household_id: str = created["createHousehold"]["household"]["id"]
    return household_id


def _scenario(name: str) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads((FIXTURES / f"{name}.json").read_text())
    scenario: dict[str, Any] = doc["scenario"]
    return scenario


async def test_alternatives_of_a_scenario_side_by_side(service: Service) -> None:
    key = await service.key(await service.tenant(), Role.CONSULTANT)
    variables = {"s": _scenario("a02-pgwp-a75-vs-lmia-bridge"), "o": {"timeLimitMs": 5000}, "n": 3}
    answer = (await service.data(ALTERNATIVES, key, variables))["planAlternatives"]
    assert answer["__typename"] == "PlanAlternatives" and answer["requested"] == 3
    found = answer["alternatives"]
    assert [(a["rank"], a["label"]) for a in found] == [
        (1, "Best plan: the principal leads PR (CEC)"),
        (2, "LMIA permit instead of A75 for the principal (offer shop)"),
    ]
    best, lmia = found
    assert best["strategy"]["permits"] == [
        {"person": "PRINCIPAL", "code": "A75", "offerRef": None},
        {"person": "PRINCIPAL", "code": "C43", "offerRef": None},
    ]
    assert lmia["strategy"]["permits"] == [
        {"person": "PRINCIPAL", "code": "C43", "offerRef": None},
        {"person": "PRINCIPAL", "code": "TFWP", "offerRef": "shop"},
    ]
    assert (best["tradeOffs"]["feesEmployer"], lmia["tradeOffs"]["feesEmployer"]) == (
        {"amount": "0.00"},
        {"amount": "1000.00"},
    )
    assert lmia["tradeOffs"]["prReadyDate"] == lmia["plan"]["prReadyDate"]
    assert lmia["tradeOffs"]["riskCount"] == len(lmia["tradeOffs"]["risks"])
    assert lmia["differences"][0].startswith("adds TFWP")
    assert best["storedPlan"] is None


@pytest.mark.parametrize("count", [0, 6])
async def test_a_count_outside_1_to_5_is_refused_naming_count(service: Service, count: int) -> None:
    key = await service.key(await service.tenant(), Role.CONSULTANT)
    variables = {"s": _scenario("a03-pnp-vs-cec"), "n": count}
    answer = (await service.data(ALTERNATIVES, key, variables))["planAlternatives"]
    assert answer == {
        "__typename": "InvalidScenario",
        "errors": [{"path": "count", "message": f"must be between 1 and 5 (got {count})"}],
    }


async def test_a_households_alternatives_are_stored_as_its_plans(service: Service) -> None:
    key = await service.key(await service.tenant(), Role.CONSULTANT)
    household_id = await _household(service, key)
    answer = (await service.data(HOUSEHOLD, key, {"id": household_id, "n": 2}))["planHouseholdAlternatives"]
    assert answer["__typename"] == "PlanAlternatives"
    found = answer["alternatives"]
    assert [a["rank"] for a in found] == list(range(1, len(found) + 1))
    for a in found:
        assert a["storedPlan"]["prReadyDate"] == a["plan"]["prReadyDate"]
        assert a["storedPlan"]["solverParameters"]["alternative"] == {
            "rank": a["rank"],
            "count": 2,
            "label": a["label"],
        }
    assert len(found) == 2
    ids = [a["storedPlan"]["id"] for a in found]
    compared = (await service.data(COMPARE, key, {"a": ids[0], "b": ids[1]}))["comparePlans"]
    assert compared == {"__typename": "PlanDiff", "same": False}


async def test_a_readonly_key_may_not_plan_a_households_alternatives(service: Service) -> None:
    tenant = await service.tenant()
    household_id = await _household(service, await service.key(tenant, Role.CONSULTANT))
    reader = await service.key(tenant, Role.READONLY)
    response = await service.post({"query": HOUSEHOLD, "variables": {"id": household_id, "n": 2}}, reader)
    assert response.status_code == 403


LIMITS = Limits()


def _plans(document: str, variables: dict[str, object]) -> int:
    shape = document_shape(document, None, LIMITS)
    assert shape is not None
    return shape.plans(variables)


def test_alternatives_are_charged_count_plans() -> None:
    assert _plans("query { planAlternatives(scenario: {}, count: 4) { __typename } }", {}) == 4
    assert _plans("query { planAlternatives(scenario: {}) { __typename } }", {}) == 3
    assert _plans("query($n: Int!) { planAlternatives(scenario: {}, count: $n) { __typename } }", {"n": 5}) == 5
    # A count the resolver refuses solves nothing; it is charged within 1..5 and handed back.
    assert _plans("query($n: Int!) { planAlternatives(scenario: {}, count: $n) { __typename } }", {"n": 99}) == 5
    both = "query { planScenario(scenario: {}) { __typename } planAlternatives(scenario: {}, count: 2) { __typename } }"
    assert _plans(both, {}) == 3
    assert _plans("query { planScenario(scenario: {}) { __typename } }", {}) == 1
    assert _plans("query { catalog { code } }", {}) == 0
    mutation = "mutation { planHouseholdAlternatives(householdId: 1, count: 2) { __typename } }"
    assert _plans(mutation, {}) == 2


def _cost(document: str) -> int:
    parsed = parse(document)
    context = ValidationContext(schema._schema, parsed, TypeInfo(schema._schema), lambda _: None)
    operation = parsed.definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    return selection_cost(operation.selection_set, context, 100)


def test_the_query_cost_counts_an_alternatives_selection_count_times() -> None:
    selection = "{ ... on PlanAlternatives { alternatives { plan { permits { code } } } } }"
    one = _cost(f"query {{ planAlternatives(scenario: {{}}, count: 1) {selection} }}")
    four = _cost(f"query {{ planAlternatives(scenario: {{}}, count: 4) {selection} }}")
    variable = _cost(f"query($n: Int!) {{ planAlternatives(scenario: {{}}, count: $n) {selection} }}")
    default = _cost(f"query {{ planAlternatives(scenario: {{}}) {selection} }}")
    assert (one - 1) * 4 == four - 1
    assert (one - 1) * 5 == variable - 1
    assert (one - 1) * 3 == default - 1


async def test_alternatives_run_in_a_solver_worker_process() -> None:
    doc = json.loads((FIXTURES / "a02-pgwp-a75-vs-lmia-bridge.json").read_text())
    parsed = parse_scenario(doc["scenario"], {"timeLimitMs": 5000})
    assert not isinstance(parsed, InvalidScenario)
    scenario, options = parsed
    pool = ProcessRunner(workers=1, queue_size=1)
    await pool.start()
    try:
        found = await pool.run(alternatives_job, Alternatives(scenario, options, 3), tenant=1)
    finally:
        await pool.close()
    here = solve_alternatives(scenario, options, 3)
    assert [(a.rank, a.label, a.strategy) for a in found] == [(a.rank, a.label, a.strategy) for a in here]


async def test_alternatives_spend_count_plans_and_an_invalid_count_costs_a_read(database_url: str) -> None:
    async with serve(settings_for(database_url, plan_cost=10.0)) as service:
        frozen_buckets(service, capacity=100.0, rate=0.001)
        key = await service.key(await service.tenant(), Role.CONSULTANT)
        variables = {"s": _scenario("a03-pnp-vs-cec"), "o": {"timeLimitMs": 3000}}
        refused = await service.post({"query": ALTERNATIVES, "variables": {**variables, "n": 9}}, key)
        assert refused.json()["data"]["planAlternatives"]["__typename"] == "InvalidScenario"
        assert refused.headers["ratelimit-remaining"] == "99"
        planned = await service.post({"query": ALTERNATIVES, "variables": {**variables, "n": 3}}, key)
        assert planned.json()["data"]["planAlternatives"]["__typename"] == "PlanAlternatives"
        assert planned.headers["ratelimit-remaining"] == "69"
        # More plans than the bucket holds are charged the whole bucket (refused until it is full), not for ever.
        frozen_buckets(service, capacity=40.0, rate=0.001)
        five = await service.post({"query": ALTERNATIVES, "variables": {**variables, "n": 5}}, key)
        assert five.status_code == 200
        assert five.headers["ratelimit-remaining"] == "0"
