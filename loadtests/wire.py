"""Domain scenarios as the contract's JSON (camelCase keys, ISO dates, enum values as strings)."""

from __future__ import annotations

from typing import Any

from solver.domain import Scenario
from solver.scenario_json import to_json


def scenario_json(scenario: Scenario) -> dict[str, Any]:
    """A `ScenarioInput` value for the PlanScenario operation (None fields left out, as a client would)."""
    result = to_json(scenario, drop_none=True)
    assert isinstance(result, dict)
    return result
