"""The time limit bounds the whole plan() call: one deadline, read from an injected clock.

No test here depends on the machine's speed: the clock is fake and moves only when a test moves it (from
plan()'s `trace`, as each step ends); the limits are generous, so the real CP-SAT never runs into the
max_time_in_seconds it is given, and what is asserted is which steps ran and with what limits.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from solver.deadline import Deadline, OutOfTime
from solver.domain import InvalidScenario, Plan, PlanOptions, PlanStatus, Scenario
from solver.model.search import DTIME_PER_SECOND, MIN_SECONDS, POLISH_SECONDS, Step
from solver.scenario_json import parse_document
from solver.solve import BLOCKER_SHARE, plan
from solver.validate import validate

SCENARIOS = Path(__file__).parent.parent / "fixtures" / "scenarios"
GOLDEN = Path(__file__).parent.parent / "fixtures" / "golden"
START = 1000.0
LIMIT_MS = 20_000
LIMIT = LIMIT_MS / 1000
SEARCH_END = START + (1 - BLOCKER_SHARE) * LIMIT
END = START + LIMIT
OPTIONS = PlanOptions(time_limit_ms=LIMIT_MS)
CP_SAT_STEPS = ("stage", "tie-break", "fallback", "polish", "blocker")


def p01() -> Scenario:
    """A graduate whose plan is OPTIMAL in three stages and has a CEC.skilled_experience blocker."""
    parsed = parse_document(json.loads((SCENARIOS / "p01-bachelor-pgwp-cec.json").read_text()))
    assert not isinstance(parsed, InvalidScenario)
    return parsed[0]


class FakeClock:
    """A monotonic clock that stands still except by `tick` on each read and when a test moves it."""

    def __init__(self, tick: float = 0.0) -> None:
        self.now = START
        self.tick = tick

    def __call__(self) -> float:
        now = self.now
        self.now += self.tick
        return now


class Run:
    """One plan() on a fake clock: the steps it reported and the clock's time at the start of each."""

    def __init__(self, clock: FakeClock, moves: dict[str, float] | None = None, step: float = 0.0) -> None:
        self.clock = clock
        self.moves = moves or {}
        self.step = step
        self.steps: list[Step] = []
        self.began: list[float] = []  # the clock's time when each step was set up
        self._since = clock.now

    def __call__(self, step: Step) -> None:
        self.steps.append(step)
        self.began.append(self._since)
        self.clock.now += self.step + self.moves.get(step.name, 0.0)
        self._since = self.clock.now

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.steps]


def solve(scenario: Scenario, run: Run, improvements: list[Plan] | None = None) -> Plan:
    return plan(
        scenario,
        OPTIONS,
        clock=run.clock,
        trace=run,
        on_improvement=None if improvements is None else improvements.append,
    )


def test_with_time_to_spare_every_step_runs_and_the_plan_is_the_unbounded_one() -> None:
    scenario = p01()
    run = Run(FakeClock())
    result = solve(scenario, run)
    names = ["options", "model", "stage 1", "stage 2", "tie-break"]
    # The plan's applications replayed at the slow figure (solver/robustness.py): permits kept, filing days,
    # then the objective's terms (no tie-break).
    replay = ["replay p90 stage 1", "replay p90 stage 2"]
    assert run.names == [*names, *replay, "blocker CEC.language", "blocker CEC.skilled_experience"]
    assert result.status is PlanStatus.OPTIMAL
    assert [b.rule_id for b in result.blockers] == ["CEC.skilled_experience"]
    assert validate(scenario, result, OPTIONS) == ()
    # The fake clock never moved: the same plan as on the real clock.
    unbounded = plan(scenario, OPTIONS)
    assert (result.permits, result.jobs, result.objective_values) == (
        unbounded.permits,
        unbounded.jobs,
        unbounded.objective_values,
    )


def test_each_solve_is_bounded_by_its_share_of_the_wall_time_left_beside_its_deterministic_budget() -> None:
    run = Run(FakeClock(), step=0.5)
    solve(p01(), run)
    by_name = {s.name: (s, began) for s, began in zip(run.steps, run.began, strict=True)}
    assert [name for name in by_name if name.startswith(CP_SAT_STEPS)] == [
        "stage 1",
        "stage 2",
        "tie-break",
        "blocker CEC.language",
        "blocker CEC.skilled_experience",
    ]
    # The stages share what is left before the search's end (the blockers' share kept back): the first, with
    # no solution yet, may take all of it; later ones twice their fair share, the last all that is left.
    stage1, at1 = by_name["stage 1"]
    assert at1 == START + 1.0  # after "options" and "model"
    assert stage1.max_time_in_seconds == pytest.approx(SEARCH_END - at1)
    stage2, at2 = by_name["stage 2"]
    assert stage2.max_time_in_seconds == pytest.approx(min(SEARCH_END - at2, 2 * (SEARCH_END - at2) / 2))
    tie, at3 = by_name["tie-break"]
    assert tie.max_time_in_seconds == pytest.approx(SEARCH_END - at3)
    # Each blocker re-solve takes half of what is left before the deadline itself.
    for name in ("blocker CEC.language", "blocker CEC.skilled_experience"):
        step, at = by_name[name]
        assert step.max_time_in_seconds == pytest.approx(0.5 * (END - at))
    for step, at in zip(run.steps, run.began, strict=True):
        if step.max_time_in_seconds is not None:
            assert step.max_time_in_seconds <= END - at
    assert [s.status for s in run.steps[2:5]] == ["OPTIMAL"] * 3
    # The deterministic budget is unchanged beside it: stage 1 may use twice its share of three stages.
    search_dtime = (1 - BLOCKER_SHARE) * LIMIT * DTIME_PER_SECOND
    assert stage1.max_deterministic_time == pytest.approx(2 * search_dtime / 3)


def test_a_limit_reached_after_the_first_stage_returns_its_plan_as_feasible() -> None:
    scenario = p01()
    run = Run(FakeClock(), moves={"stage 1": LIMIT})  # the clock jumps past the deadline as stage 1 ends
    improvements: list[Plan] = []
    result = solve(scenario, run, improvements)
    # The later stages and the blockers are skipped; the polish keeps the plan valid (POLISH_SECONDS past it).
    assert run.names == ["options", "model", "stage 1", "polish"]
    assert run.steps[2].status == "OPTIMAL"
    assert run.steps[3].max_time_in_seconds == POLISH_SECONDS
    assert result.status is PlanStatus.FEASIBLE
    assert result.blockers == ()
    assert validate(scenario, result, OPTIONS) == ()
    # The plan is stage 1's best: its decisions, and the optimum of the first term (proven before the jump).
    assert improvements
    assert (result.permits, result.jobs) == (improvements[-1].permits, improvements[-1].jobs)
    assert result.objective_values["PR_READY"] == plan(scenario, OPTIONS).objective_values["PR_READY"]


def test_no_blocker_re_solve_runs_once_nothing_is_left() -> None:
    scenario = p01()
    run = Run(FakeClock(), moves={"tie-break": LIMIT})
    result = solve(scenario, run)
    assert run.names == ["options", "model", "stage 1", "stage 2", "tie-break"]
    assert result.status is PlanStatus.OPTIMAL  # every stage proven; only the blockers were not computed
    assert result.blockers == ()
    assert validate(scenario, result, OPTIONS) == ()


def test_a_blocker_re_solve_runs_only_with_what_the_one_before_it_left() -> None:
    run = Run(FakeClock(), moves={"blocker CEC.language": LIMIT})
    result = solve(p01(), run)
    assert run.names[-1] == "blocker CEC.language"
    assert result.blockers == ()


def test_a_search_with_no_time_left_falls_back_to_the_plan_without_applications() -> None:
    scenario = p01()
    # After the build only the blockers' share is left: no stage starts, the fallback uses what is left.
    left = BLOCKER_SHARE * LIMIT / 2
    run = Run(FakeClock(), moves={"model": END - left - START})
    result = solve(scenario, run)
    assert run.names[:4] == ["options", "model", "fallback", "polish"]
    assert run.steps[2].max_time_in_seconds == pytest.approx(left)
    # The blockers of that plan run with the rest, no more.
    assert {s.name for s in run.steps[4:]} <= {"blocker CEC.language", "blocker CEC.skilled_experience"}
    assert all(s.max_time_in_seconds is not None and s.max_time_in_seconds <= left for s in run.steps[4:])
    assert result.status is PlanStatus.FEASIBLE
    assert result.permits == ()
    assert validate(scenario, result, OPTIONS) == ()


def test_the_fallback_keeps_the_applications_the_client_already_filed() -> None:
    # A pending PGWP filed while the study permit was valid: without search time the plan is that filing alone.
    parsed = parse_document(json.loads((GOLDEN / "g50-pgwp-pending-maintained.json").read_text()))
    assert not isinstance(parsed, InvalidScenario)
    scenario = parsed[0]
    left = BLOCKER_SHARE * LIMIT / 2
    run = Run(FakeClock(), moves={"model": END - left - START})
    result = solve(scenario, run)
    assert run.names[:4] == ["options", "model", "fallback", "polish"]
    assert result.status is PlanStatus.FEASIBLE
    assert [(p.code, p.apply_on) for p in result.permits] == [
        (a.code, a.applied_on) for _, person in scenario.members for a in person.pending_applications
    ]
    assert validate(scenario, result, OPTIONS) == ()


def test_nothing_found_by_the_deadline_is_no_solution() -> None:
    run = Run(FakeClock(), moves={"model": LIMIT})
    result = solve(p01(), run)
    assert run.names == ["options", "model"]
    assert result.status is PlanStatus.NO_SOLUTION
    assert result.permits == () and result.pr_ready_date is None


def test_the_model_build_stops_between_its_parts_at_the_deadline() -> None:
    # Each read of the clock moves it a quarter of the limit: the build reads it between its parts.
    run = Run(FakeClock(tick=LIMIT / 4))
    result = solve(p01(), run)
    assert "model" not in run.names
    assert not [s for s in run.steps if s.name.startswith(CP_SAT_STEPS)]
    assert result.status is PlanStatus.NO_SOLUTION


def test_a_limit_shorter_than_any_build_is_no_solution_not_an_error() -> None:
    result = plan(p01(), PlanOptions(time_limit_ms=1), clock=FakeClock(tick=1.0))
    assert result.status is PlanStatus.NO_SOLUTION


def test_the_deadline_reads_its_clock_only_when_asked() -> None:
    clock = FakeClock()
    deadline = Deadline.after(2.0, clock)
    assert deadline.left() == 2.0
    assert deadline.earlier(0.5).left() == 1.5
    clock.now += 2.0
    assert deadline.left() == 0.0
    with pytest.raises(OutOfTime):
        deadline.check()
    deadline.earlier(-1.0).check()  # still 1 s before the later end


def test_a_solve_is_never_given_a_zero_limit() -> None:
    # CP-SAT reads 0 as "no time": the smallest limit a solve gets is MIN_SECONDS.
    run = Run(FakeClock(), moves={"model": LIMIT - MIN_SECONDS / 2})
    solve(p01(), run)
    fallback = next(s for s in run.steps if s.name == "fallback")
    assert fallback.max_time_in_seconds == MIN_SECONDS
