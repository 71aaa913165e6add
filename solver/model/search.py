"""Lexicographic CP-SAT search: minimize each stage in turn, fixing each optimum, hinting the next stage.

Determinism: one search worker (SOLVER_WORKERS), a fixed seed, and budgets in CP-SAT's deterministic time
(DTIME_PER_SECOND units per second of options.time_limit_ms), so identical input gives an identical plan
whenever the wall clock does not cut a stage short. Beside it every solve carries a wall-clock bound,
max_time_in_seconds: its share of what is left before plan()'s deadline (solver/deadline.py), so that a slow
machine or a heavy model stops at the limit instead of running past it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from solver.cpsat import cp_model
from solver.deadline import NEVER, Deadline
from solver.model.variables import Vars

SOLVER_WORKERS = 1
SOLVER_SEED = 7
# Chosen by measurement on the benchmark corpus (docs/benchmarks.md "CP-SAT parameters"): the full LP
# relaxation proves the work-continuity stage optimal far more often, and one presolve round with light
# probing is enough (presolve costs wall-clock time that the deterministic budget barely sees).
LINEARIZATION_LEVEL = 2
MAX_PRESOLVE_ITERATIONS = 1
PROBING_LEVEL = 1
# CP-SAT's deterministic time advances about 0.25-0.45 units per wall-clock second of search here.
DTIME_PER_SECOND = 0.25
# CP-SAT wants a positive limit; a solve given no time still returns at once.
MIN_SECONDS = 1e-3


@dataclass(frozen=True)
class Step:
    """One step of plan() as it ends: a build phase (no limits, no status) or a CP-SAT solve and its limits."""

    name: str
    max_time_in_seconds: float | None = None
    max_deterministic_time: float | None = None
    status: str | None = None


Trace = Callable[[Step], None]


def untraced(step: Step) -> None:
    """A trace that hears nothing (the default of every budget and call)."""


@dataclass
class Solved:
    """The values of the last solution of a model, and whether every stage was proven optimal."""

    vars: Vars
    values: list[int]
    optimal: bool

    def value(self, var: cp_model.IntVar) -> int:
        return self.values[var.index]


@dataclass
class Budget:
    """Deterministic time left for a search, the deadline that bounds it in wall time, and who hears of each solve."""

    dtime: float
    deadline: Deadline = NEVER
    trace: Trace = field(default=untraced)

    @staticmethod
    def of_seconds(seconds: float, deadline: Deadline = NEVER, trace: Trace = untraced) -> Budget:
        """The deterministic time that `seconds` of the time limit buy, bounded in wall time by `deadline`."""
        return Budget(max(seconds, 0.0) * DTIME_PER_SECOND, deadline, trace)

    def solve(
        self,
        name: str,
        model: cp_model.CpModel,
        dtime: float,
        seconds: float,
        *,
        linearization: int = LINEARIZATION_LEVEL,
        on_solution: Callable[[list[int]], None] | None = None,
    ) -> tuple[cp_model.CpSolver, cp_model.CpSolverStatus]:
        """Solves `model` within `dtime` deterministic units and `seconds` of wall time; spends the units."""
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = SOLVER_WORKERS
        solver.parameters.random_seed = SOLVER_SEED
        solver.parameters.linearization_level = linearization
        solver.parameters.max_presolve_iterations = MAX_PRESOLVE_ITERATIONS
        solver.parameters.cp_model_probing_level = PROBING_LEVEL
        solver.parameters.max_deterministic_time = max(dtime, 1e-4)
        solver.parameters.max_time_in_seconds = max(seconds, MIN_SECONDS)
        # The callback only observes: with one worker and a fixed seed the search is the same with or without it.
        status = solver.solve(model) if on_solution is None else solver.solve(model, _Relay(on_solution))
        self.dtime -= solver.response_proto.deterministic_time
        limits = solver.parameters
        self.trace(Step(name, limits.max_time_in_seconds, limits.max_deterministic_time, solver.status_name(status)))
        return solver, status


def solve_model(
    v: Vars,
    objective: list[cp_model.LinearExprT],
    budget: Budget,
    on_solution: Callable[[list[int]], None] | None = None,
    *,
    tie_break: bool = True,
) -> Solved | None:
    """Minimizes each expression in turn, fixing each optimum before the next; None when nothing was found.

    Each stage may take twice its fair share of the deterministic time and of the wall time left before
    the budget's deadline (a stage that cannot prove its optimum must leave time to the later ones; in wall
    time, a stage before any solution may take all that is left); once either is spent, the later stages
    are skipped and the solution so far is the answer (not optimal).
    `on_solution`, when given, receives the values of each solution CP-SAT reports, stage after stage (each
    at least as good as the last in the lexicographic order: a stage keeps the earlier stages' optima).
    The steps are traced as `stage 1`, `stage 2`, ..., the last as `tie-break` unless `tie_break` is false.
    """
    m = v.model
    values: list[int] | None = None
    optimal = True
    for k, expr in enumerate(objective):
        seconds = budget.deadline.left()
        if budget.dtime <= 0 or seconds <= 0:
            optimal = False
            break
        left = len(objective) - k
        share = budget.dtime if left == 1 else min(budget.dtime, 2 * budget.dtime / left)
        # Until a stage has found a solution there is nothing to hand on: the first may use all the wall time.
        wall = seconds if left == 1 or values is None else min(seconds, 2 * seconds / left)
        m.minimize(expr)
        if values is not None:
            hint(m, values)
        name = "tie-break" if left == 1 and tie_break else f"stage {k + 1}"
        solver, status = budget.solve(name, m, share, wall, on_solution=on_solution)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            optimal = False
            break
        values = list(solver.response_proto.solution)
        if status != cp_model.OPTIMAL:
            optimal = False
        m.add(expr <= round(solver.objective_value))
    if values is None:
        return None
    return Solved(v, values, optimal)


def hint(model: cp_model.CpModel, values: list[int]) -> None:
    """Hints every variable of `model` with its value in `values` (by proto index), replacing any hint: one
    bulk write to the proto (CpModel.add_hint per variable costs two Python calls each)."""
    model.clear_hints()  # type: ignore[no-untyped-call]
    hinted = model.proto.solution_hint
    hinted.vars.extend(range(len(values)))
    hinted.values.extend(values)


# Deterministic time the polish of an unproven solution may take.
POLISH_DTIME = 0.05
# Wall time the polish may take even after the deadline: without it the plan's ready day may not be the first
# day the plan meets the program, and the validator refuses such a plan. It solves a model whose decisions
# are all fixed (tens of milliseconds on the heaviest benchmark households).
POLISH_SECONDS = 0.25


def polish(solved: Solved, deadline: Deadline = NEVER, trace: Trace = untraced) -> Solved:
    """With every decision of an unproven solution fixed, the ready day as early as that plan allows.

    The ready day is the first day the plan meets the program; a search cut short may leave it later.
    """
    v = solved.vars
    m = v.model.clone()
    m.clear_objective()  # type: ignore[no-untyped-call]
    fixed: list[cp_model.IntVar] = []
    for node in v.nodes.values():
        if node.candidate is not None:
            fixed += [node.present, node.apply]
    for jv in v.jobs.values():
        fixed += [jv.present, jv.start, jv.end]
    fixed += list(v.prv().branches.values())
    for var in fixed:
        m.add(m.get_int_var_from_proto_index(var.index) == solved.value(var))
    m.minimize(m.get_int_var_from_proto_index(v.prv().day.index))
    hint(m, solved.values)
    seconds = max(deadline.left(), POLISH_SECONDS)
    solver, status = Budget(POLISH_DTIME, deadline, trace).solve("polish", m, POLISH_DTIME, seconds)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return solved
    return Solved(v, list(solver.response_proto.solution), optimal=False)


# Deterministic time the fallback (the plan without applications) may take.
FALLBACK_DTIME = 1.0


def fallback(v: Vars, deadline: Deadline = NEVER, trace: Trace = untraced) -> Solved | None:
    """The plan without applications or new jobs (always valid; the client's own filings stay), when the search
    found nothing in time.

    It runs only in what is left before the deadline: with nothing left, there is no plan.
    """
    seconds = deadline.left()
    if seconds <= 0:
        return None
    m = v.model.clone()
    m.clear_objective()  # type: ignore[no-untyped-call]
    for node in v.nodes.values():
        # An application the client already filed stays: it is a fact, not a decision of the plan.
        if node.candidate is not None and node.candidate.filed_on is None:
            m.add(m.get_bool_var_from_proto_index(node.present.index) == 0)
    for jv in v.jobs.values():
        if jv.job.offer_ref is not None:
            m.add(m.get_bool_var_from_proto_index(jv.present.index) == 0)
    m.add(m.get_bool_var_from_proto_index(v.prv().ready.index) == 0)
    solver, status = Budget(FALLBACK_DTIME, deadline, trace).solve("fallback", m, FALLBACK_DTIME, seconds)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return Solved(v, list(solver.response_proto.solution), optimal=False)


class _Relay(cp_model.CpSolverSolutionCallback):
    """Hands each solution's values to `on_solution`."""

    def __init__(self, on_solution: Callable[[list[int]], None]) -> None:
        super().__init__()
        self._on_solution = on_solution

    def on_solution_callback(self) -> None:
        self._on_solution(list(self.response_proto.solution))
