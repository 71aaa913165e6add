"""Blockers only when asked: plan(blockers=False) is the same plan without its blockers, keyed apart in the cache."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from solver.domain import InvalidScenario, PlanOptions
from solver.fingerprint import plan_key
from solver.scenario_json import parse_scenario
from solver.solve import plan
from solver.validate import check_plan

# A graduate whose readiness waits for skilled hours and who lost status: both kinds of blockers.
GOLDEN = Path(__file__).parents[1] / "fixtures" / "golden" / "g05-program-under-8-months.json"


def test_a_plan_without_blockers_is_the_same_plan_with_none() -> None:
    doc = json.loads(GOLDEN.read_text())
    parsed = parse_scenario(doc["scenario"], doc.get("options"))
    assert not isinstance(parsed, InvalidScenario)
    scenario, options = parsed
    options = dataclasses.replace(options, time_limit_ms=20_000)

    full = plan(scenario, options)
    bare = plan(scenario, options, blockers=False)

    assert {b.rule_id for b in full.blockers} == {"CEC.skilled_experience", "STATUS.restoration"}
    assert bare.blockers == ()
    assert dataclasses.replace(bare, solve_ms=0.0) == dataclasses.replace(full, blockers=(), solve_ms=0.0)
    check_plan(scenario, bare, options)


def test_a_plan_without_blockers_has_its_own_key_and_one_with_them_keeps_the_old_key() -> None:
    doc = json.loads(GOLDEN.read_text())
    parsed = parse_scenario(doc["scenario"], doc.get("options"))
    assert not isinstance(parsed, InvalidScenario)
    scenario, _ = parsed
    options = PlanOptions()
    assert plan_key(scenario, options, "v1", blockers=True) == plan_key(scenario, options, "v1")
    assert plan_key(scenario, options, "v1", blockers=False) != plan_key(scenario, options, "v1")
