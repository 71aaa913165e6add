"""The solver's frozen dataclasses (Plan, Scenario, PlanOptions) as JSON columns, and back, losslessly.

The plain form is the dataclasses' own field names (snake_case), dates as ISO strings and enums by value;
`from_plain(to_plain(x), type(x)) == x` for every type the planner exchanges, so a stored plan or cached
plan reads back as the very `Plan` that was solved, and a stored input snapshot as the `Scenario` it was.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import functools
import types
import typing
from typing import Any, TypeVar

from solver.domain import Plan, PlanOptions, Scenario

T = TypeVar("T")


def to_plain(value: Any) -> Any:
    """A dataclass tree as JSON values (dicts, lists, strings, numbers, booleans, None)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [to_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_plain(v) for k, v in value.items()}
    return value


def from_plain(raw: Any, cls: type[T]) -> T:
    """The dataclass `cls` read back from `to_plain`'s form."""
    value: T = _read(raw, cls)
    return value


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _read(raw: Any, hint: Any) -> Any:
    if raw is None:
        return None
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        return _read(raw, options[0])  # the planner's unions are all `X | None`
    if origin is tuple:
        item = typing.get_args(hint)[0]
        return tuple(_read(v, item) for v in raw)
    if origin is list:
        item = typing.get_args(hint)[0]
        return [_read(v, item) for v in raw]
    if origin is dict:
        _, item = typing.get_args(hint)
        return {k: _read(v, item) for k, v in raw.items()}
    if isinstance(hint, type):
        if dataclasses.is_dataclass(hint):
            hints = _hints(hint)
            fields = {f.name for f in dataclasses.fields(hint)}
            return hint(**{k: _read(v, hints[k]) for k, v in raw.items() if k in fields})
        if issubclass(hint, enum.Enum):
            return hint(raw)
        if hint is dt.date:
            return dt.date.fromisoformat(raw)
        if hint is float:
            return float(raw)
    return raw


def stored_plan_values(
    scenario: Scenario, options: PlanOptions, plan: Plan, plan_key: str, household_id: int
) -> dict[str, Any]:
    """The columns of a `StoredPlan`: the plan with the input, rules, solver parameters and objective it came from."""
    # Imported here: the parameters are the planner's search settings, read where they are defined.
    from solver.model.search import DTIME_PER_SECOND, SOLVER_SEED, SOLVER_WORKERS

    return {
        "household_id": household_id,
        "as_of": scenario.as_of,
        "scenario": to_plain(scenario),
        "options": to_plain(options),
        "rules_version": plan.rules_version,
        "solver_parameters": {
            "engine": "CP-SAT (OR-Tools)",
            "num_workers": SOLVER_WORKERS,
            "random_seed": SOLVER_SEED,
            "time_limit_ms": options.time_limit_ms,
            "deterministic_time_per_second": DTIME_PER_SECOND,
            "grid_days": 1,
        },
        "objective": [term.value for term in options.objective],
        "objective_values": dict(plan.objective_values),
        "status": plan.status.value,
        "pr_ready_date": plan.pr_ready_date,
        "plan_key": plan_key,
        "plan": to_plain(plan),
    }
