"""Diverse alternatives (solver/alternatives.py): golden households with known alternative strategies
(tests/fixtures/alternatives), each plan valid, none a date-shift of another, ranked by the objective."""

from __future__ import annotations

import dataclasses
import json
import random
from pathlib import Path
from typing import Any

import pytest

from loadtests.generate import scenario as generated
from solver.alternatives import MAX_COUNT, Alternative, Strategy, alternatives, count_errors, strategy_of
from solver.domain import InvalidScenario, ObjectiveTerm, PlanOptions, Role, Scenario
from solver.scenario_json import parse_scenario
from solver.solve import plan
from solver.validate import check_plan

FIXTURES = Path(__file__).parent.parent / "fixtures" / "alternatives"
CASES = sorted(FIXTURES.glob("*.json"))


def load(path: Path) -> tuple[dict[str, Any], Scenario, PlanOptions]:
    doc: dict[str, Any] = json.loads(path.read_text())
    parsed = parse_scenario(doc["scenario"], doc.get("options"))
    assert not isinstance(parsed, InvalidScenario), parsed
    scenario, options = parsed
    # A generous limit so that each alternative is its strategy's proven optimum whatever the machine's speed.
    return doc, scenario, dataclasses.replace(options, time_limit_ms=max(options.time_limit_ms, 20_000))


def matches(strategy: Strategy, label: str, want: dict[str, Any]) -> bool:
    """Whether an alternative has the wanted PR route, permits (and not the excluded ones) and label."""
    applicant = None if want["prApplicant"] is None else Role(want["prApplicant"])
    if (strategy.pr_applicant, strategy.pr_program) != (applicant, want["prProgram"]):
        return False
    held = {(person.value, code) for person, code, _ in strategy.permits}
    if any((p["person"], p["code"]) not in held for p in want.get("permits_include", [])):
        return False
    if any((p["person"], p["code"]) in held for p in want.get("permits_exclude", [])):
        return False
    return "label" not in want or want["label"] == label


def variation(earlier: Strategy, later: Strategy) -> bool:
    """Whether `later` is `earlier` with permits added or offers left untaken: what no alternative may be."""
    return (
        (later.pr_applicant, later.pr_program) == (earlier.pr_applicant, earlier.pr_program)
        and set(earlier.permits) <= set(later.permits)
        and set(later.offers) <= set(earlier.offers)
    )


def test_there_are_at_least_8_households() -> None:
    assert len(CASES) >= 8


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_golden_alternatives(path: Path) -> None:
    doc, scenario, options = load(path)
    found = alternatives(scenario, options, doc["count"])
    assert [a.rank for a in found] == list(range(1, len(found) + 1))
    for alternative in found:
        check_plan(scenario, alternative.plan, options)
        assert alternative.strategy == strategy_of(alternative.plan)
    strategies = [a.strategy for a in found]
    assert len(set(strategies)) == len(strategies), "two alternatives are a date-shift of one strategy"
    for i, later in enumerate(strategies):
        assert not any(variation(earlier, later) for earlier in strategies[:i]), (i, later)
    for want in doc["expect"]["strategies_include"]:
        assert any(matches(a.strategy, a.label, want) for a in found), (want, [(a.label, a.strategy) for a in found])
    assert found[0].strategy == strategy_of(found[0].plan)
    assert all(a.differences for a in found[1:]), doc["why"]


def objective(a: Alternative) -> list[int]:
    return [a.plan.objective_values[term.value] for term in ObjectiveTerm]


def test_ranked_by_the_objective_and_the_first_is_the_plan() -> None:
    _, scenario, options = load(FIXTURES / "a01-spouse-leads-vs-principal-leads.json")
    found = alternatives(scenario, options, MAX_COUNT)
    assert [objective(a) for a in found] == sorted(objective(a) for a in found)
    best = plan(scenario, options)
    assert dataclasses.replace(found[0].plan, solve_ms=0) == dataclasses.replace(best, solve_ms=0)
    assert found[0].label == "Best plan: the spouse leads PR (CEC)"
    principal = next(a for a in found if a.strategy.pr_applicant is Role.PRINCIPAL)
    assert principal.label == "The principal leads PR (CEC)"
    assert principal.differences == ("PR: the principal leads PR (CEC) instead of the spouse leads PR (CEC)",)
    assert principal.trade_offs.pr_ready_date is not None
    assert found[0].trade_offs.pr_ready_date is not None
    assert principal.trade_offs.pr_ready_date > found[0].trade_offs.pr_ready_date


def test_trade_offs_come_from_the_plan() -> None:
    _, scenario, options = load(FIXTURES / "a02-pgwp-a75-vs-lmia-bridge.json")
    found = alternatives(scenario, options, 2)
    lmia = found[1]
    assert lmia.label == "LMIA permit instead of A75 for the principal (offer shop)"
    assert lmia.trade_offs.fees_client == lmia.plan.fees_total
    assert lmia.trade_offs.fees_employer == 1000.0
    assert found[0].trade_offs.fees_employer == 0.0
    assert lmia.trade_offs.days_without_work == lmia.plan.objective_values["WORK_CONTINUITY"]
    assert lmia.trade_offs.risk_count == len(lmia.trade_offs.risks)


def test_the_same_question_gives_the_same_alternatives() -> None:
    _, scenario, options = load(FIXTURES / "a03-pnp-vs-cec.json")
    first = alternatives(scenario, options, 3)
    second = alternatives(scenario, options, 3)
    assert [(a.label, a.strategy, a.plan.permits) for a in first] == [
        (a.label, a.strategy, a.plan.permits) for a in second
    ]


def test_one_alternative_is_the_best_plan_alone() -> None:
    _, scenario, options = load(FIXTURES / "a03-pnp-vs-cec.json")
    found = alternatives(scenario, options, 1)
    assert [(a.rank, a.label) for a in found] == [(1, "Best plan: the principal leads PR (PNP)")]


def test_fewer_strategies_than_asked_stops_early() -> None:
    _, scenario, options = load(FIXTURES / "a02-pgwp-a75-vs-lmia-bridge.json")
    assert len(alternatives(scenario, options, MAX_COUNT)) == 2


@pytest.mark.parametrize("count", [0, -1, 6])
def test_a_count_outside_1_to_5_is_refused(count: int) -> None:
    _, scenario, options = load(FIXTURES / "a03-pnp-vs-cec.json")
    (error,) = count_errors(count)
    assert (error.path, error.message) == ("count", f"must be between 1 and 5 (got {count})")
    with pytest.raises(ValueError, match="must be between 1 and 5"):
        alternatives(scenario, options, count)


@pytest.mark.parametrize("seed", range(8))
def test_every_alternative_of_a_generated_household_validates(seed: int) -> None:
    scenario = generated(random.Random(seed), couple=seed % 2 == 0, offers=seed % 4, horizon_months=60)
    options = PlanOptions(time_limit_ms=5000)
    found = alternatives(scenario, options, MAX_COUNT)
    assert found, "no plan at all"
    strategies = [a.strategy for a in found]
    assert len(set(strategies)) == len(strategies)
    for alternative in found:
        check_plan(scenario, alternative.plan, options)
