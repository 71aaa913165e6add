"""Golden households: each plan passes the validator and has the properties an RCIC expects (tests/fixtures/golden)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

from solver.domain import InvalidScenario, Plan
from solver.scenario_json import invalid_to_json, parse_scenario, plan_to_json, to_json
from solver.solve import plan as solve
from solver.validate import check_plan
from tests.solver.plan_properties import check

GOLDEN = Path(__file__).parent.parent / "fixtures" / "golden"
CASES = sorted(GOLDEN.glob("*.json"))


def load(path: Path) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(path.read_text())
    return doc


def test_there_are_at_least_25_households_beside_the_public_ones() -> None:
    assert len([p for p in CASES if not p.name.startswith("p0")]) >= 25


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_golden_plan(path: Path) -> None:
    doc = load(path)
    parsed = parse_scenario(doc["scenario"], doc.get("options"))
    if isinstance(parsed, InvalidScenario):
        assert check(invalid_to_json(parsed), doc["expect"]) == []
        return
    scenario, options = parsed
    # A generous time limit so that the answer is the proven optimum whatever the machine's speed.
    options = dataclasses.replace(options, time_limit_ms=max(options.time_limit_ms, 20_000))
    plan = solve(scenario, options)
    check_plan(scenario, plan, options)
    assert check(full_json(plan), doc["expect"]) == [], doc["why"]


def full_json(plan: Plan) -> dict[str, Any]:
    """The contract JSON of the plan with what its PlanScenario selection leaves out: closed routes, deadlines,
    pins and each finding's effective date (golden households assert them with `<list>_include`)."""
    out = plan_to_json(plan)
    out["closedRoutes"] = to_json(plan.closed_routes)
    out["deadlines"] = to_json(plan.deadlines)
    out["blockers"] = to_json(plan.blockers)
    out["explanation"] = to_json(plan.explanation)
    out["pins"] = to_json(plan.pins)
    return out
