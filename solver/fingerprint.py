"""A canonical hash of a planning request: the same scenario, options and rules give the same key.

The hash is taken over the typed domain objects (defaults already filled in), serialized with sorted
keys and no whitespace, so key order, omitted defaults and formatting of the input never change it;
the rules version is part of the key, so a new rule set misses every cached plan by construction.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import hashlib
import json
from typing import Any

from solver.domain import PlanOptions, Scenario

# The shape of the Plan a key answers: bumped when a plan gains content (2: closed routes and findings' effective
# dates; 3: pins; 4: the robustness section; 6: the sentences' phrases, for a reader in French) or its meaning
# changes (5: a what-if reads the facts on each step's day, not on rules_as_of), so a plan cached before it is
# not served. A firm's processing times reach the key as options.processing (schema/planning.py adds them before
# the request's), so changing one misses.
PLAN_FORMAT = 6


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def plan_key(scenario: Scenario, options: PlanOptions, rules_version: str, *, blockers: bool = True) -> str:
    """Hex sha256 of the canonical form of (scenario, options, rules version, and whether the plan carries
    its blockers: solver.solve.plan's `blockers`).

    The time limit is left out: it bounds the search, it does not change the question. A plan with its blockers
    keeps the key it had before plans could be asked without them.
    """
    options_plain = _plain(options)
    options_plain.pop("time_limit_ms", None)
    question = {"scenario": _plain(scenario), "options": options_plain, "rules": rules_version, "format": PLAN_FORMAT}
    if not blockers:
        question["blockers"] = False
    canonical = json.dumps(question, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()
