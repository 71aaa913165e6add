"""Domain scenarios as the contract's JSON (camelCase keys, ISO dates, enum values as strings)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
from typing import Any

from solver.domain import Scenario


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def to_json(value: Any) -> Any:
    """The contract JSON of a domain value (None fields are left out, as a client would)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out = {}
        for f in dataclasses.fields(value):
            item = getattr(value, f.name)
            if item is not None:
                out[camel(f.name)] = to_json(item)
        return out
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [to_json(v) for v in value]
    return value


def scenario_json(scenario: Scenario) -> dict[str, Any]:
    """A `ScenarioInput` value for the PlanScenario operation."""
    result = to_json(scenario)
    assert isinstance(result, dict)
    return result
