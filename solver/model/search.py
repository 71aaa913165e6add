"""Lexicographic CP-SAT search: minimize each stage in turn, fixing each optimum, hinting the next stage.

Determinism: one search worker (SOLVER_WORKERS), a fixed seed, and budgets in CP-SAT's deterministic time
(DTIME_PER_SECOND units per second of options.time_limit_ms), so identical input gives an identical plan even
when a stage is cut short. A wall-clock cap (WALL_CAP times the limit) only guards against a pathological
machine; below it the answer never depends on the machine's speed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model

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
WALL_CAP = 3.0


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
    """Deterministic time left for a search, and the wall-clock seconds that cap it."""

    dtime: float

    @staticmethod
    def of_seconds(seconds: float) -> Budget:
        return Budget(max(seconds, 0.0) * DTIME_PER_SECOND)

    def solver(self, dtime: float, linearization: int = LINEARIZATION_LEVEL) -> cp_model.CpSolver:
        """A solver limited to `dtime` deterministic units (and the wall-clock cap)."""
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = SOLVER_WORKERS
        solver.parameters.random_seed = SOLVER_SEED
        solver.parameters.linearization_level = linearization
        solver.parameters.max_presolve_iterations = MAX_PRESOLVE_ITERATIONS
        solver.parameters.cp_model_probing_level = PROBING_LEVEL
        solver.parameters.max_deterministic_time = max(dtime, 1e-4)
        solver.parameters.max_time_in_seconds = max(WALL_CAP * dtime / DTIME_PER_SECOND, 0.05)
        return solver

    def spend(self, solver: cp_model.CpSolver) -> None:
        self.dtime -= solver.response_proto.deterministic_time


def solve_model(
    v: Vars,
    objective: list[cp_model.LinearExprT],
    budget: Budget,
    on_solution: Callable[[list[int]], None] | None = None,
) -> Solved | None:
    """Minimizes each expression in turn, fixing each optimum before the next; None when nothing was found.

    `on_solution`, when given, receives the values of each solution CP-SAT reports, stage after stage (each
    at least as good as the last in the lexicographic order: a stage keeps the earlier stages' optima).
    """
    m = v.model
    values: list[int] | None = None
    optimal = True
    for k, expr in enumerate(objective):
        if budget.dtime <= 0:
            optimal = False
            break
        # A stage that cannot prove its optimum must leave time to the later ones: twice its fair share.
        left = len(objective) - k
        share = budget.dtime if left == 1 else min(budget.dtime, 2 * budget.dtime / left)
        m.minimize(expr)
        if values is not None:
            m.clear_hints()  # type: ignore[no-untyped-call]
            for i, val in enumerate(values):
                m.add_hint(m.get_int_var_from_proto_index(i), val)
        solver = budget.solver(share)
        # The callback only observes: with one worker and a fixed seed the search is the same with or without it.
        status = solver.solve(m) if on_solution is None else solver.solve(m, _Relay(on_solution))
        budget.spend(solver)
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


# Deterministic time the polish of an unproven solution may take.
POLISH_DTIME = 0.05


def polish(solved: Solved) -> Solved:
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
    m.clear_hints()  # type: ignore[no-untyped-call]
    for i, val in enumerate(solved.values):
        m.add_hint(m.get_int_var_from_proto_index(i), val)
    solver = Budget(POLISH_DTIME).solver(POLISH_DTIME)
    if solver.solve(m) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return solved
    return Solved(v, list(solver.response_proto.solution), optimal=False)


# Deterministic time the fallback (the plan without applications) may take.
FALLBACK_DTIME = 1.0


def fallback(v: Vars) -> Solved | None:
    """The plan without applications or new jobs (always valid), when the search found nothing in time."""
    m = v.model.clone()
    m.clear_objective()  # type: ignore[no-untyped-call]
    for node in v.nodes.values():
        if node.candidate is not None:
            m.add(m.get_bool_var_from_proto_index(node.present.index) == 0)
    for jv in v.jobs.values():
        if jv.job.offer_ref is not None:
            m.add(m.get_bool_var_from_proto_index(jv.present.index) == 0)
    m.add(m.get_bool_var_from_proto_index(v.prv().ready.index) == 0)
    solver = Budget(FALLBACK_DTIME).solver(FALLBACK_DTIME)
    if solver.solve(m) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return Solved(v, list(solver.response_proto.solution), optimal=False)


class _Relay(cp_model.CpSolverSolutionCallback):
    """Hands each solution's values to `on_solution`."""

    def __init__(self, on_solution: Callable[[list[int]], None]) -> None:
        super().__init__()
        self._on_solution = on_solution

    def on_solution_callback(self) -> None:
        self._on_solution(list(self.response_proto.solution))
