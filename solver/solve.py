"""plan(scenario, options) -> Plan: build the model, solve it lexicographically, decode, explain.

Lexicographic pattern: minimize the first term, fix it at its optimum, minimize the next (hinted with the
previous solution), and so on, then a deterministic tie-break (earliest applications, lowest codes, earliest
and longest jobs), all within options.time_limit_ms. Determinism: one search worker (SOLVER_WORKERS) and a
fixed seed, so identical input gives an identical plan unless the time limit cuts a stage short. Outcomes are
statuses: a stage cut short leaves FEASIBLE; no solution at all is NO_SOLUTION.

The limit bounds the whole call in wall time: one deadline, computed at entry, covers the model build
(checked between its parts), every stage, the fallback and the blocker re-solves, each CP-SAT call bounded
by max_time_in_seconds from what is left. Past it only the polish of an unproven solution (POLISH_SECONDS at
most, so the plan stays valid) and decoding run; a build still unfinished at the deadline gives NO_SOLUTION.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable

from solver import pinning
from solver.closed_routes import closed_routes, why_not
from solver.deadline import NEVER, Clock, Deadline, OutOfTime, wall_bounded
from solver.domain import Finding, ObjectiveTerm, Plan, PlanOptions, PlanStatus, Scenario
from solver.model.build import build, fix_groups
from solver.model.constraints.pins import pin_group
from solver.model.decode import decode
from solver.model.explain import blockers
from solver.model.objective import stages, tie_break
from solver.model.search import Budget, Solved, Step, Trace, fallback, polish, solve_model
from solver.model.variables import Vars
from solver.options import build_options
from solver.restoration import restoration_blockers
from solver.rules.registry import RuleSet, load_rules

BLOCKER_SHARE = 0.15


def plan(
    scenario: Scenario,
    options: PlanOptions | None = None,
    *,
    rules: RuleSet | None = None,
    grid_days: int = 1,
    on_improvement: Callable[[Plan], None] | None = None,
    clock: Clock | None = None,
    trace: Trace | None = None,
) -> Plan:
    """The best plan for `scenario` (see the module docstring for the objective, determinism and the limit).

    `on_improvement`, when given, receives each improving plan the search finds (status FEASIBLE, without
    blockers); the returned plan is the same with or without it. `clock` is the monotonic clock the deadline
    is read from (by default the wall clock; none at all after `solver.deadline.reproducible()`); `trace`,
    when given, hears of each step as it ends (build phases, then each CP-SAT solve
    with its limits).
    """
    started = time.perf_counter()
    options = options or PlanOptions()
    seconds = options.time_limit_ms / 1000.0
    if clock is None and wall_bounded():
        clock = time.monotonic
    deadline = NEVER if clock is None else Deadline.after(seconds, clock)
    heard = trace or _ignore
    rules = rules or load_rules()
    # The blocker re-solves get what the main search leaves, and at least this share (of both budgets).
    search = Budget.of_seconds((1 - BLOCKER_SHARE) * seconds, deadline.earlier(BLOCKER_SHARE * seconds), heard)
    blocker_budget = Budget.of_seconds(BLOCKER_SHARE * seconds, deadline, heard)
    try:
        opts = build_options(scenario, options, rules, grid_days, deadline)
        heard(Step("options"))
        v = build(opts, deadline)
        heard(Step("model"))
    except OutOfTime:
        return _no_solution(scenario, rules, started, {})
    base = v.model.clone()
    groups = {name: lit.index for name, lit in v.groups.items()}
    refused = pinning.refusals(v, base, groups, search) if scenario.pins else {}
    # A pin that cannot hold is left out of the plan, and of the blockers' re-solves.
    unpinned = frozenset(pin_group(index) for index in refused)
    fix_groups(v.model, groups, unpinned)
    fix_groups(base, {name: groups[name] for name in unpinned}, unpinned)
    groups = {name: index for name, index in groups.items() if name not in unpinned}
    # The ready day is the first day the plan meets the program: minimize it even when not asked to.
    extra = [] if ObjectiveTerm.PR_READY in options.objective else [ObjectiveTerm.PR_READY]
    objective = [*stages(v, [*options.objective, *extra]), tie_break(v)]
    relay = None if on_improvement is None else _Improvements(v, started, on_improvement)
    solved = solve_model(v, objective, search, relay) or fallback(v, deadline, heard)
    if solved is not None and not solved.optimal:
        solved = polish(solved, deadline, heard)
    if solved is None:
        return _no_solution(scenario, rules, started, refused)
    blocker_budget.dtime += max(search.dtime, 0.0)
    found = blockers(opts, solved, base, groups, blocker_budget)
    decoded = decode(solved, status=_status(solved), solve_ms=_ms(started), blockers=found)
    # Asked with the options' rules: pinned to rules_as_of for a what-if, as the plan was made.
    routes = closed_routes(scenario, decoded, opts.rules)
    told = set(decoded.explanation)
    explanation = decoded.explanation + tuple(f for f in why_not(routes) if f not in told)
    decoded = dataclasses.replace(decoded, closed_routes=routes, explanation=explanation)
    return dataclasses.replace(
        decoded,
        blockers=decoded.blockers
        + restoration_blockers(scenario, decoded, options, opts.rules)
        + tuple(refused.values()),
        pins=pinning.outcomes(scenario, decoded, refused),
    )


def _no_solution(scenario: Scenario, rules: RuleSet, started: float, refused: dict[int, Finding]) -> Plan:
    """No plan at all: no pin is held (those not refused are reported as not found in time)."""
    unfound = pinning.unfound(scenario, refused)
    empty = Plan(status=PlanStatus.NO_SOLUTION, rules_version=rules.version, solve_ms=_ms(started))
    reasons = {**refused, **unfound}
    return dataclasses.replace(
        empty, blockers=tuple(reasons[i] for i in sorted(reasons)), pins=pinning.outcomes(scenario, empty, reasons)
    )


def _ignore(step: Step) -> None:
    pass


def _status(solved: Solved) -> PlanStatus:
    return PlanStatus.OPTIMAL if solved.optimal else PlanStatus.FEASIBLE


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)


class _Improvements:
    """Decodes each new solution of the search into a plan for `on_improvement` (a repeated one is skipped)."""

    def __init__(self, v: Vars, started: float, on_improvement: Callable[[Plan], None]) -> None:
        self._v = v
        self._started = started
        self._on_improvement = on_improvement
        self._last: list[int] | None = None

    def __call__(self, values: list[int]) -> None:
        if values == self._last:  # a stage starts from the previous stage's best (its hint)
            return
        self._last = values
        solved = Solved(self._v, values, optimal=False)
        self._on_improvement(decode(solved, status=PlanStatus.FEASIBLE, solve_ms=_ms(self._started), blockers=()))
