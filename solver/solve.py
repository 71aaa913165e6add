"""plan(scenario, options) -> Plan: build the model, solve it lexicographically, decode, explain.

Lexicographic pattern: minimize the first term, fix it at its optimum, minimize the next (hinted with the
previous solution), and so on, then a deterministic tie-break (earliest applications, lowest codes, earliest
and longest jobs), all within options.time_limit_ms. Determinism: one search worker (SOLVER_WORKERS) and a
fixed seed, so identical input gives an identical plan unless the time limit cuts a stage short. Outcomes are
statuses: a stage cut short leaves FEASIBLE; no solution at all is NO_SOLUTION.

Blockers (the re-solves with a rule group relaxed, a fifth of a plan's time) are found only when asked for
(`blockers=True`, the default); without them the plan is the same, its blockers empty.

Extensions (OFFER.extension): a household of more than `max_offers` offers is searched without them, and its plan
is then extended where that does better (`_extend`); a smaller one has them in its search.

The limit bounds the whole call in wall time: one deadline, computed at entry, covers the model build
(checked between its parts), every stage, the fallback and the blocker re-solves, each CP-SAT call bounded
by max_time_in_seconds from what is left. Past it only the polish of an unproven solution (POLISH_SECONDS at
most, so the plan stays valid) and decoding run; a build still unfinished at the deadline gives NO_SOLUTION.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable

from solver import pinning, robustness
from solver.closed_routes import closed_routes, why_not
from solver.cpsat import cp_model
from solver.deadline import NEVER, Clock, Deadline, OutOfTime, wall_bounded
from solver.domain import (
    Finding,
    ObjectiveTerm,
    Plan,
    PlanOptions,
    PlanStatus,
    ProcessingBasis,
    ProcessingOutcome,
    Robustness,
    Scenario,
)
from solver.model.build import build, fix_groups
from solver.model.constraints.pins import pin_group
from solver.model.decode import decode, objective_values
from solver.model.explain import blockers as find_blockers
from solver.model.objective import stages, tie_break
from solver.model.search import Budget, Solved, Step, Trace, fallback, polish, solve_model, untraced
from solver.model.variables import Node, Vars
from solver.options import Candidate, Figures, Options
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
    blockers: bool = True,
) -> Plan:
    """The best plan for `scenario` (see the module docstring for the objective, determinism and the limit).

    `on_improvement`, when given, receives each improving plan the search finds (status FEASIBLE, without
    blockers); the returned plan is the same with or without it. `clock` is the monotonic clock the deadline
    is read from (by default the wall clock; none at all after `solver.deadline.reproducible()`); `trace`,
    when given, hears of each step as it ends (build phases, then each CP-SAT solve
    with its limits). `blockers=False` skips finding the blockers (Plan.blockers is empty): a caller that
    does not show them spares their re-solves; every other part of the plan is the same.
    """
    started = time.perf_counter()
    options = options or PlanOptions()
    seconds = options.time_limit_ms / 1000.0
    if clock is None and wall_bounded():
        clock = time.monotonic
    deadline = NEVER if clock is None else Deadline.after(seconds, clock)
    heard = trace or untraced
    rules = rules or load_rules()
    search, blocker_budget = budgets(options, deadline, heard)
    figures = Figures(scenario, options, rules, grid_days)
    found, refused = _search(figures, deadline, search, heard, on_improvement, started, slow=False)
    if found is None:
        return _no_solution(scenario, rules, started, refused)
    robust = _robust(figures, deadline, heard, started, found.solved)
    if robust is not None and robust[0] is not None:
        found = robust[0]
    blocker_budget.dtime += max(search.dtime, 0.0)
    held = Finished(scenario, options, refused, started, blocker_budget if blockers else None)
    return finish(held, found, None if robust is None else robust[1])


def budgets(options: PlanOptions, deadline: Deadline, heard: Trace = untraced) -> tuple[Budget, Budget]:
    """The search's budget and the blockers' re-solves': these get what the search leaves, and at least
    BLOCKER_SHARE of the time limit (of both the deterministic and the wall-clock budget)."""
    seconds = options.time_limit_ms / 1000.0
    search = Budget.of_seconds((1 - BLOCKER_SHARE) * seconds, deadline.earlier(BLOCKER_SHARE * seconds), heard)
    return search, Budget.of_seconds(BLOCKER_SHARE * seconds, deadline, heard)


@dataclasses.dataclass(frozen=True)
class Searched:
    """A solution, the model before its rule groups were fixed (the blockers' re-solves) and the groups."""

    solved: Solved
    base: cp_model.CpModel
    groups: dict[str, int]


@dataclasses.dataclass(frozen=True)
class Prepared:
    """A built model with its rule groups fixed, the pins that cannot hold left out (`refused`, by index, with
    the rule that keeps each from holding), the same model before the groups were fixed, and the objective."""

    vars: Vars
    base: cp_model.CpModel
    groups: dict[str, int]
    refused: dict[int, Finding]
    objective: list[cp_model.LinearExprT]


@dataclasses.dataclass(frozen=True)
class Finished:
    """What turns a solution into the plan: the question, the refused pins, when the solve started, and the
    budget of the blockers' re-solves (None: no blockers are found)."""

    scenario: Scenario
    options: PlanOptions
    refused: dict[int, Finding]
    started: float
    blocker_budget: Budget | None


def prepare(
    figures: Figures,
    deadline: Deadline,
    search: Budget,
    heard: Trace,
    *,
    slow: bool = False,
    only: frozenset[str] | None = None,
) -> Prepared | None:
    """Builds the model of the question `figures` holds (its options at the expected or `slow` processing figure),
    leaves out the pins that cannot hold, fixes the rule groups and makes the objective's stages; None when the
    build ran out of time. A household of more than OFFER.extension's max_offers offers is built without
    extensions (`_extend` adds them to its plan); `only`, when given, keeps only the candidates of those keys.

    `solver.alternatives` starts from the same model, so its plans hold the same pins and rules."""
    scenario, options = figures.scenario, figures.plan_options
    try:
        opts = figures.at(slow=slow, deadline=deadline)
        if only is not None:
            opts = _narrowed(opts, lambda c: c.key in only)
        elif extensions_left_out(opts):
            opts = _narrowed(opts, lambda c: c.extends is None)
        heard(Step("options"))
        v = build(opts, deadline)
        heard(Step("model"))
    except OutOfTime:
        return None
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
    return Prepared(v, base, groups, refused, objective)


def finish(held: Finished, found: Searched, robust: Robustness | None) -> Plan:
    """The plan of a solution: decoded, with its blockers (when asked for), closed routes, restoration
    blockers, robustness section and pins, as `plan()` and each of `solver.alternatives` answer it."""
    scenario, options, refused = held.scenario, held.options, held.refused
    solved = found.solved
    # The options' rules: pinned to rules_as_of for a what-if (RuleSet.pinned), as the plan was made.
    rules = solved.vars.opts.rules
    budget = held.blocker_budget
    found_blockers = () if budget is None else find_blockers(solved.vars.opts, solved, found.base, found.groups, budget)
    decoded = decode(solved, status=_status(solved), solve_ms=_ms(held.started), blockers=found_blockers)
    routes = closed_routes(scenario, decoded, rules)
    told = set(decoded.explanation)
    explanation = decoded.explanation + tuple(f for f in why_not(routes) if f not in told)
    decoded = dataclasses.replace(decoded, closed_routes=routes, explanation=explanation, robustness=robust)
    pins = pinning.outcomes(scenario, decoded, refused)
    if budget is None:  # a pin that cannot hold still says why (its outcome's reason is a blocker)
        return dataclasses.replace(decoded, blockers=tuple(refused.values()), pins=pins)
    return dataclasses.replace(
        decoded,
        blockers=decoded.blockers + restoration_blockers(scenario, decoded, options, rules) + tuple(refused.values()),
        pins=pins,
    )


def _no_solution(scenario: Scenario, rules: RuleSet, started: float, refused: dict[int, Finding]) -> Plan:
    """No plan at all: no pin is held (those not refused are reported as not found in time)."""
    unfound = pinning.unfound(scenario, refused)
    empty = Plan(status=PlanStatus.NO_SOLUTION, rules_version=rules.version, solve_ms=_ms(started))
    reasons = {**refused, **unfound}
    return dataclasses.replace(
        empty, blockers=tuple(reasons[i] for i in sorted(reasons)), pins=pinning.outcomes(scenario, empty, reasons)
    )


def _search(
    figures: Figures,
    deadline: Deadline,
    search: Budget,
    heard: Trace,
    on_improvement: Callable[[Plan], None] | None,
    started: float,
    *,
    slow: bool,
) -> tuple[Searched | None, dict[int, Finding]]:
    """The best solution with processing at the expected (or `slow`) figure (None when the build ran out of
    time or nothing was found), and the pins that cannot hold, left out of it (`prepare`)."""
    prepared = prepare(figures, deadline, search, heard, slow=slow)
    if prepared is None:
        return None, {}
    v = prepared.vars
    relay = None if on_improvement is None else _Improvements(v, started, on_improvement)
    solved = solve_model(v, prepared.objective, search, relay) or fallback(v, deadline, heard)
    if solved is not None and not solved.optimal:
        solved = polish(solved, deadline, heard)
    found = None if solved is None else Searched(solved, prepared.base, prepared.groups)
    if found is not None and extensions_left_out(figures.at(slow=slow, deadline=deadline)):
        found = _extend(figures, deadline, heard, found, prepared.refused, slow=slow)
    return found, prepared.refused


def _narrowed(opts: Options, keep: Callable[[Candidate], bool]) -> Options:
    """`opts` with only the candidates `keep` keeps, less those resting on a partner's permit (`source`) left out."""
    kept = [c for c in opts.candidates if keep(c)]
    dropped = {c.key for c in opts.candidates} - {c.key for c in kept}
    return dataclasses.replace(opts, candidates=[c for c in kept if c.source not in dropped])


# Deterministic time the extension of a large household's plan may take (`_extend`): a model of the plan's own
# permits and their extensions, a fraction of the household's.
EXTEND_DTIME = 1.0


def extensions_left_out(opts: Options) -> bool:
    """Whether the household has more offers than OFFER.extension's max_offers, so its search leaves the
    extensions out (with them it finds no first plan in time: docs/benchmarks.md)."""
    if not any(c.extends is not None for c in opts.candidates):
        return False
    limit = int(opts.rules.param("OFFER.extension", "max_offers", opts.scenario.as_of))
    return len(opts.scenario.offers) > limit


def _extend(
    figures: Figures, deadline: Deadline, heard: Trace, found: Searched, refused: dict[int, Finding], *, slow: bool
) -> Searched:
    """`found`, a plan made without extensions, with the permits it files extended where that does better: the
    plan's own permits and their extensions planned again (each objective stage in turn), kept when their
    objective is lexicographically better. The better plan is not proved optimal (FEASIBLE): the extensions
    were not open to the search of every permit."""
    solved = found.solved
    keys = {key for key, n in solved.vars.nodes.items() if n.candidate is not None and solved.value(n.present)}
    every = figures.at(slow=slow, deadline=deadline)
    extensions = {c.key: c.extends for c in every.candidates if c.extends in keys}
    if not _may_gain(solved, {first for first in extensions.values() if first is not None}):
        return found
    named = _named(heard)
    budget = Budget(EXTEND_DTIME, deadline, named)
    prepared = prepare(figures, deadline, budget, named, slow=slow, only=frozenset(keys | extensions.keys()))
    if prepared is None or prepared.refused.keys() != refused.keys():
        return found
    again = solve_model(prepared.vars, prepared.objective, budget)
    if again is None:
        return found
    order = [term.value for term in found.solved.vars.opts.plan_options.objective]
    before, after = objective_values(solved), objective_values(again)
    if [after[t] for t in order] >= [before[t] for t in order]:
        return found
    return Searched(Solved(again.vars, again.values, optimal=False), prepared.base, prepared.groups)


def _may_gain(solved: Solved, extendable: set[str]) -> bool:
    """Whether after a permit of `extendable` ends, and before PR approval, its holder has a day outside every work
    window of their permits (without status, or without the work it allows): only then can its extension cover a
    day."""
    v = solved.vars
    approval = solved.value(v.prv().approval_capped)
    for key in extendable:
        node = v.nodes[key]
        if not _job_goes_on(solved, node):
            continue
        windows = sorted(
            (solved.value(n.window_start), solved.value(n.window_end))
            for n in v.person_nodes(node.person)
            if n.is_depot or solved.value(n.present)
        )
        day = solved.value(node.end) + 1
        for first, last in windows:
            if first <= day <= last:
                day = last + 1
        if day < approval:
            return True
    return False


def _job_goes_on(solved: Solved, node: Node) -> bool:
    """Whether the job of `node`'s offer could go on past the permit: open-ended, or (as the plan holds it, or
    started later) longer than the permit from its first day."""
    for jv in solved.vars.jobs.values():
        if jv.job.person is node.person and jv.job.offer_ref == node.offer_ref and solved.value(jv.present):
            if jv.job.months is None:
                return True
            latest = max(jv.job.start_days)
            return solved.value(jv.end) > solved.value(node.end) or latest > solved.value(jv.start)
    return False


def _named(trace: Trace) -> Trace:
    """`trace` hearing the extension's solves as `extend <stage>`, apart from the plan's own."""

    def heard(step: Step) -> None:
        trace(dataclasses.replace(step, name=f"extend {step.name}"))

    return heard


def _robust(
    figures: Figures,
    deadline: Deadline,
    heard: Trace,
    started: float,
    solved: Solved,
) -> tuple[Searched | None, Robustness] | None:
    """The plan's robustness (solver/robustness.py), and the solution made at the slow figure when a gap opens
    only at that figure and planning at it closes it (else None: the expected-figure plan stands).

    None altogether when the plan has no application whose decision could come later, or the deadline passed.
    """
    if not _applies(solved):
        return None
    scenario, options, rules = figures.scenario, figures.plan_options, figures.rules
    try:
        expected, slow = _expected_and_slow(figures, solved, deadline, heard)
        if slow is not None and not robustness.opens_gap(expected, slow, scenario):
            return None, Robustness(ProcessingBasis.P50, expected, slow)
        # A gap opens only when IRCC is slow: plan again with every decision at the slow figure.
        budget = Budget.of_seconds(options.time_limit_ms / 1000.0 * (1 - BLOCKER_SHARE), deadline, heard)
        again, _ = _search(figures, deadline, budget, heard, None, started, slow=True)
    except OutOfTime:
        return None
    if again is None:
        return None if slow is None else (None, Robustness(ProcessingBasis.P50, expected, slow))
    held = decode(again.solved, status=_status(again.solved), solve_ms=0.0, blockers=())
    held_slow = robustness.outcome(scenario, held, options, rules, ProcessingBasis.P90, held)
    if slow is not None and not robustness.better(held_slow, slow, options.objective):
        # Planning at the slow figure does no better at that figure: the expected plan stands.
        return None, Robustness(ProcessingBasis.P50, expected, slow)
    try:
        at_p50 = robustness.replay(again.solved, figures, slow=False, deadline=deadline, trace=heard)
    except OutOfTime:
        at_p50 = None
    if at_p50 is None:
        return None if slow is None else (None, Robustness(ProcessingBasis.P50, expected, slow))
    held_expected = robustness.outcome(scenario, at_p50, options, rules, ProcessingBasis.P50, held)
    return again, Robustness(ProcessingBasis.P90, held_expected, held_slow)


def robustness_of(figures: Figures, solved: Solved, deadline: Deadline, heard: Trace) -> Robustness | None:
    """The robustness section of a solution as it stands, at the expected and the slow figure, without planning
    again at the slow one (each of `solver.alternatives`' strategies shows what slow processing does to it);
    None when it has no application or the deadline passed."""
    if not _applies(solved):
        return None
    try:
        expected, slow = _expected_and_slow(figures, solved, deadline, heard)
    except OutOfTime:
        return None
    return None if slow is None else Robustness(ProcessingBasis.P50, expected, slow)


def _applies(solved: Solved) -> bool:
    """Whether the solution files any application (whose decision could come later)."""
    return any(n.candidate is not None and solved.value(n.present) for n in solved.vars.nodes.values())


def _expected_and_slow(
    figures: Figures, solved: Solved, deadline: Deadline, heard: Trace
) -> tuple[ProcessingOutcome, ProcessingOutcome | None]:
    """The solution's outcome at the expected figure, and replayed at the slow one (None: no replay found)."""
    scenario, options, rules = figures.scenario, figures.plan_options, figures.rules
    expected_plan = decode(solved, status=_status(solved), solve_ms=0.0, blockers=())
    expected = robustness.outcome(scenario, expected_plan, options, rules, ProcessingBasis.P50, expected_plan)
    replayed = robustness.replay(solved, figures, slow=True, deadline=deadline, trace=heard)
    if replayed is None:
        return expected, None
    return expected, robustness.outcome(scenario, replayed, options, rules, ProcessingBasis.P90, expected_plan)


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
