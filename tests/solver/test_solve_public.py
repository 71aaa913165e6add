"""The public scenarios (copied into tests/fixtures/scenarios) through solver.solve.plan.

`expectation_failures` checks a contract-shaped plan against a scenario's "expect" block the way the public
check.py does; the CLI and GraphQL tests reuse it on their outputs.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from solver.domain import InvalidScenario, PlanStatus
from solver.scenario_json import invalid_to_json, parse_document, plan_to_json
from solver.solve import plan
from solver.validate import validate

SCENARIOS = Path(__file__).parent.parent / "fixtures" / "scenarios"
FILES = sorted(SCENARIOS.glob("*.json"))


def load(path: Path) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(path.read_text())
    return doc


def _day(s: str) -> dt.date:
    return dt.date.fromisoformat(s)


def _permit_failures(p: dict[str, Any], want: dict[str, Any], plan_json: dict[str, Any]) -> list[str]:
    bad = []
    if "offerRef" in want and p.get("offerRef") != want["offerRef"]:
        bad.append(f"offerRef {p.get('offerRef')}")
    if "open" in want and p.get("open") != want["open"]:
        bad.append(f"open {p.get('open')}")
    if "applyOn_max" in want and _day(p["applyOn"]) > _day(want["applyOn_max"]):
        bad.append(f"applyOn {p['applyOn']} > {want['applyOn_max']}")
    if "validMonths" in want:
        months = (_day(p["validTo"]) - _day(p["validFrom"])).days / 30.4375
        lo, hi = want["validMonths"]
        if not lo <= months <= hi:
            bad.append(f"validity {months:.1f} months")
    return bad


def _matches(p: dict[str, Any], want: dict[str, Any]) -> bool:
    if "person" in want and p.get("person") != want["person"]:
        return False
    if "code" in want and p.get("code") != want["code"]:
        return False
    return not ("code_in" in want and p.get("code") not in want["code_in"])


def expectation_failures(result: dict[str, Any], expect: dict[str, Any]) -> list[str]:
    """What in `result` (Plan or InvalidScenario JSON) breaks `expect` (the check.py properties we use)."""
    if result.get("__typename") != expect["typename"]:
        return [f"__typename {result.get('__typename')}"]
    if expect["typename"] == "InvalidScenario":
        paths = " ".join(e["path"] + " " + e["message"] for e in result["errors"]).lower()
        return [
            f"no error names {g}"
            for g in expect.get("invalid_paths_mention", [])
            if not any(x.lower() in paths for x in g)
        ]
    fails: list[str] = []
    for key in ("prProgram", "prApplicant"):
        if key in expect and result.get(key) != expect[key]:
            fails.append(f"{key} {result.get(key)}")
    if "prReadyDate" in expect:
        got = result.get("prReadyDate")
        want = expect["prReadyDate"]
        if got is None or not _day(want["min"]) <= _day(got) <= _day(want["max"]):
            fails.append(f"prReadyDate {got}")
    for want in expect.get("permits_include", []):
        cands = [p for p in result["permits"] if _matches(p, want)]
        if not cands or all(_permit_failures(p, want, result) for p in cands):
            fails.append(f"permit {want}")
    for want in expect.get("jobs_include", []):
        if not any(j.get("offerRef") == want["offerRef"] for j in result["jobs"]):
            fails.append(f"job {want}")
    for who in expect.get("no_gaps_for", []):
        if any(g["person"] == who for g in result["statusGaps"]):
            fails.append(f"gaps for {who}")
    return fails


@pytest.mark.parametrize("path", FILES, ids=[f.stem for f in FILES])
def test_public_scenario_plans_have_their_properties_and_validate(path: Path) -> None:
    case = load(path)
    parsed = parse_document({"scenario": case["scenario"], "options": case["options"]})
    if isinstance(parsed, InvalidScenario):
        assert expectation_failures(invalid_to_json(parsed), case["expect"]) == []
        return
    scenario, options = parsed
    result = plan(scenario, options)
    assert result.status is PlanStatus.OPTIMAL
    assert expectation_failures(plan_to_json(result), case["expect"]) == []
    assert validate(scenario, result, options) == ()


def test_identical_input_gives_an_identical_plan() -> None:
    parsed = parse_document(load(SCENARIOS / "p03-ict-specialized-knowledge.json"))
    assert not isinstance(parsed, InvalidScenario)
    first, second = plan(*parsed), plan(*parsed)
    assert (first.permits, first.jobs, first.steps, first.objective_values) == (
        second.permits,
        second.jobs,
        second.steps,
        second.objective_values,
    )


def test_bachelor_graduate_plan_is_exact() -> None:
    parsed = parse_document(load(SCENARIOS / "p01-bachelor-pgwp-cec.json"))
    assert not isinstance(parsed, InvalidScenario)
    result = plan(*parsed)
    assert result.pr_ready_date == dt.date(2028, 1, 3)
    assert [(p.code, p.apply_on, p.valid_from, p.valid_to, p.fee) for p in result.permits] == [
        ("C43", dt.date(2026, 12, 1), dt.date(2027, 6, 9), dt.date(2030, 6, 8), 340.0)
    ]
    assert result.objective_values == {
        "PR_READY": 398,
        "STATUS_CONTINUITY": 0,
        "WORK_CONTINUITY": 0,
        "COST": 340,
        "FEWEST_APPLICATIONS": 1,
    }
    assert [s.action for s in result.steps] == ["APPLY_PERMIT", "START_JOB", "CREATE_EE_PROFILE", "SUBMIT_PR"]
