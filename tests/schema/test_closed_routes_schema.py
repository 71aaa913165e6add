"""Plan.closedRoutes and Finding.effective over GraphQL, and stored plans with and without them."""

from __future__ import annotations

import strawberry
from strawberry.tools import merge_types

from db.plan_json import from_plain, to_plain
from schema.planning import PlanningQuery
from schema.rules import RulesQuery
from solver.domain import Plan, PlanOptions, Scenario
from solver.rules.registry import load_rules
from solver.scenario_json import to_json
from solver.solve import plan as solve_plan
from tests.solver.factories import D, graduate

SCHEMA = strawberry.Schema(query=merge_types("Query", (PlanningQuery, RulesQuery)))
QUERY = """query($s: ScenarioInput!) { planScenario(scenario: $s) { __typename ... on Plan {
    closedRoutes { person code name offerRef reasons { ruleId message source effective } fix fixBy }
    explanation { ruleId effective } } } }"""
SCENARIO = Scenario(D("2026-12-01"), graduate(clb=6))


async def test_a_plan_names_each_closed_route_with_its_rule_source_and_effective_date() -> None:
    result = await SCHEMA.execute(QUERY, variable_values={"s": to_json(SCENARIO, drop_none=True)})
    assert result.errors is None
    assert result.data == {
        "planScenario": {
            "__typename": "Plan",
            "closedRoutes": [
                {
                    "person": "PRINCIPAL",
                    "code": "C43",
                    "name": "Post-graduation work permit",
                    "offerRef": None,
                    "reasons": [
                        {
                            "ruleId": "C43.language",
                            "message": "needs CLB 7 in all four abilities on a test under 24 months old; "
                            "best valid is 6",
                            "source": load_rules().source("C43.language"),
                            "effective": "2025-03-11",
                        }
                    ],
                    "fix": "a CLB 7 result in all four abilities (a test under 24 months old) before applying by "
                    "2027-05-19 opens C43",
                    "fixBy": "2027-05-19",
                }
            ],
            # The closed route's reason also reaches the explanation (solver.closed_routes.why_not), cited alike.
            "explanation": [{"ruleId": "C43.language", "effective": "2025-03-11"}],
        }
    }


def test_a_plan_with_closed_routes_reads_back_exactly() -> None:
    plan = solve_plan(SCENARIO, PlanOptions())
    assert plan.closed_routes
    assert from_plain(to_plain(plan), Plan) == plan


def test_a_plan_stored_before_closed_routes_loads_with_none() -> None:
    plain = to_plain(solve_plan(Scenario(D("2026-12-01"), graduate()), PlanOptions()))
    del plain["closed_routes"]
    for f in plain["explanation"]:
        del f["effective"]
    old = from_plain(plain, Plan)
    assert old.closed_routes == ()
    assert old.explanation and all(f.effective is None for f in old.explanation)
