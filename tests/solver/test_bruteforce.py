"""The model's optimum equals an exhaustive search's on small generated households (same grid, same rules).

Each case is one person (graduate, worker or abroad) with 0-2 offers whose start windows are short, over
24-36 months, on a grid of 60 days (30 in the slow sweep). The brute force (tests/solver/bruteforce.py)
shares only the validator and the rules with the planner, never the model.
"""

from __future__ import annotations

import dataclasses
import os
import random

import pytest

from loadtests.generate import scenario as generated
from solver.dates import add_days
from solver.domain import Plan, PlanOptions, PlanStatus, ProcessingBasis, ProcessingTime, Scenario
from solver.rules import catalog
from solver.rules.processing import spread
from solver.rules.registry import load_rules
from solver.solve import plan as solve
from solver.validate import check_plan, objective_vector
from tests.solver.bruteforce import optimum, size

OPTIONS = PlanOptions(time_limit_ms=20_000)
RULES = load_rules()


def small_case(seed: int, max_offers: int = 2) -> Scenario:
    """A one-person household from `seed`: short offer start windows keep the search exhaustive yet small."""
    rng = random.Random(seed)
    base = generated(rng, couple=False, offers=rng.randint(0, max_offers), horizon_months=rng.choice((24, 30, 36)))
    offers = tuple(
        dataclasses.replace(o, latest_start=add_days(o.earliest_start, rng.choice((0, 30, 60)))) for o in base.offers
    )
    return dataclasses.replace(base, offers=offers)


def seeds(first: int, count: int, grid: int, max_offers: int, max_size: int) -> list[int]:
    """The first `count` seeds from `first` whose household has at most `max_size` candidates."""
    out: list[int] = []
    seed = first
    while len(out) < count:
        if size(small_case(seed, max_offers), OPTIONS, grid) <= max_size:
            out.append(seed)
        seed += 1
    return out


def compare(seed: int, grid: int, max_offers: int) -> None:
    scenario = small_case(seed, max_offers)
    plan = solve(scenario, OPTIONS, grid_days=grid)
    assert plan.status is PlanStatus.OPTIMAL, f"seed {seed}: {plan.status}"
    check_plan(scenario, plan, OPTIONS)
    got = objective_vector(scenario, plan, OPTIONS)
    best = optimum(scenario, at_basis(scenario, plan), grid)
    assert got == best.vector, f"seed {seed}: model {got}, brute force {best.vector} with {best.plan}"


def at_basis(scenario: Scenario, plan: Plan) -> PlanOptions:
    """The options under which the brute force dates permits as the plan does: a plan made at the slow figure
    (robustness basis P90, docs/plan-semantics.md) is the optimum of the plans whose processing is the slow
    figure, so every category's expected figure is set to its slow one."""
    if plan.robustness is None or plan.robustness.basis is ProcessingBasis.P50:
        return OPTIONS
    slow = tuple(
        ProcessingTime(code, inside, days.p90, days.p90)
        for code in catalog.codes()
        for inside in (True, False)
        for days in [spread(code, scenario.as_of, RULES, inside=inside)]
    )
    return dataclasses.replace(OPTIONS, processing=slow)


@pytest.mark.parametrize("seed", seeds(0, 100, grid=60, max_offers=1, max_size=4000))
def test_model_optimum_equals_brute_force(seed: int) -> None:
    compare(seed, grid=60, max_offers=1)


# 200 two-offer households on a 30-day grid (about 2 minutes), only when asked for.
SWEEP = list(range(1000, 1200)) if os.environ.get("PERMITPATH_SLOW") else []


# Two-offer households where a wider search found the model's plan valid but not optimal: (grid, model vs
# optimum). Vectors are (PR_READY, STATUS_CONTINUITY, WORK_CONTINUITY, COST, FEWEST_APPLICATIONS). Open model
# gaps, listed in the report of issue 4; the test below holds whether or not they are fixed.
KNOWN_MODEL_GAPS = {
    # Outside the planner's search space (docs/plan-semantics.md: one pending application at a time): the
    # optimum files C43 while a TFWP application is still pending.
    2093: (60, "one pending application at a time: (1097, 543, 663, 340, 1) vs (1097, 186, 246, 1495, 2)"),
    2549: (60, "one pending application at a time: (732, 117, 297, 340, 1) vs (732, 0, 120, 1495, 2)"),
    2599: (60, "one pending application at a time: (732, 0, 190, 1240, 1) vs (732, 0, 180, 1495, 2)"),
    # Inside the search space: the offer's job starts under an open permit (or maintained status) and its
    # TFWP is filed before that status ends; the model never finds such a plan.
    2443: (60, "job before its TFWP: (1097, 360, 360, 525, 1) vs (1097, 0, 0, 1680, 2)"),
    3080: (30, "job before its TFWP: (1097, 543, 543, 0, 0) vs (1097, 0, 0, 1240, 1)"),
    3116: (30, "job before its TFWP: (916, 560, 560, 0, 0) vs (916, 34, 34, 1240, 1)"),
    3391: (30, "job before its TFWP: (915, 492, 492, 0, 0) vs (915, 0, 0, 1240, 1)"),
}


@pytest.mark.parametrize(("seed", "grid"), [(seed, grid) for seed, (grid, _) in KNOWN_MODEL_GAPS.items()])
def test_model_plan_is_valid_and_never_beats_the_brute_force_on_known_gaps(seed: int, grid: int) -> None:
    scenario = small_case(seed, 2)
    best = optimum(scenario, OPTIONS, grid)
    plan = solve(scenario, OPTIONS, grid_days=grid)
    check_plan(scenario, plan, OPTIONS)
    # The enumeration is exhaustive on the model's grid: a better valid model plan would be a brute-force bug.
    assert best.vector <= objective_vector(scenario, plan, OPTIONS)


# Found and fixed: a student's job started before completion (JOB.student).
REGRESSIONS = [2122]


@pytest.mark.parametrize("seed", REGRESSIONS)
def test_model_optimum_equals_brute_force_regressions(seed: int) -> None:
    compare(seed, grid=60, max_offers=2)


@pytest.mark.slow
@pytest.mark.skipif(not SWEEP, reason="the sweep runs with PERMITPATH_SLOW=1")
@pytest.mark.parametrize("seed", SWEEP or [0])
def test_model_optimum_equals_brute_force_sweep(seed: int) -> None:
    if size(small_case(seed, 2), OPTIONS, 30) > 10_000:
        pytest.skip("too many candidates for an exhaustive search")
    compare(seed, grid=30, max_offers=2)
