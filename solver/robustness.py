"""Plans that hold when processing is slow: the plan's applications replayed at the other processing figure.

A plan is made at the expected figure (p50). Its applications (the same permits, each filed on the plan's day or,
when the one-application-at-a-time rule needs it, as soon after as allowed) are then decided after the slow figure
(p90) instead: `replay` re-solves a model built at p90 that holds only those applications, in two stages (the
permits kept and each filed as close to its day as it can be; then status, work and the ready day; no tie-break:
filing days with the same slips and the same terms are left to the search, deterministic as every solve), and
`outcome` reads, per person, the days without status and without work and the PR ready date. When a gap opens or
grows only at the slow figure (`opens_gap`), solver/solve.py plans again at p90, so every filing is early enough
that a slow decision leaves no gap, and replays that plan at p50 for the expected figures. docs/plan-semantics.md
says which figure the plan's dates use (`Robustness.basis`).

The days are counted by the independent validator's timelines (solver/validate), the same reading that
recomputes the plan's objective, so the two figures are comparable with each other and with the plan's terms.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence

from solver.cpsat import cp_model
from solver.deadline import NEVER, Deadline
from solver.domain import (
    ExposureGap,
    LostPermit,
    ObjectiveTerm,
    Plan,
    PlanOptions,
    PlanStatus,
    ProcessingBasis,
    Role,
    Scenario,
)
from solver.domain import ProcessingOutcome as Outcome
from solver.model.build import build, fix_groups
from solver.model.decode import decode
from solver.model.objective import stages
from solver.model.search import Budget, Solved, Step, Trace, solve_model
from solver.options import Figures
from solver.rules.registry import RuleSet
from solver.validate import plan_context

# Deterministic time a replay may take: its permits are fixed, only filing days, jobs and the ready day move.
REPLAY_DTIME = 2.0
# The replay's order: no status, then no work, then the ready day (the plan's own choices are fixed).
REPLAY_ORDER = (ObjectiveTerm.STATUS_CONTINUITY, ObjectiveTerm.WORK_CONTINUITY, ObjectiveTerm.PR_READY)


def replay(
    solved: Solved,
    figures: Figures,
    *,
    slow: bool,
    deadline: Deadline = NEVER,
    trace: Trace | None = None,
) -> Plan | None:
    """`solved`'s applications decided after the `slow` (p90) or expected (p50) figure (without those the figure
    leaves no day for); None when the replay found nothing in time. `figures` holds the question's options (the
    scenario, plan options, rules and grid of `solved`'s)."""
    # Only the plan's own applications are replayed: the model holds no other candidate.
    filed = {
        key for key, node in solved.vars.nodes.items() if node.candidate is not None and solved.value(node.present)
    }
    every = figures.at(slow=slow, deadline=deadline)
    opts = dataclasses.replace(every, candidates=[c for c in every.candidates if c.key in filed])
    v = build(opts, deadline)
    fix_groups(v.model, {name: lit.index for name, lit in v.groups.items()})
    m = v.model
    kept: list[cp_model.IntVar] = []
    slips: list[cp_model.IntVar] = []
    for key, node in v.nodes.items():
        if node.candidate is None:
            continue
        planned = solved.vars.nodes[key]
        kept.append(node.present)
        # Filed on the plan's day, or as soon after as the other figure allows (one application at a time).
        day = solved.value(planned.apply)
        m.add(node.apply >= day).only_enforce_if(node.present)
        slip = m.new_int_var(0, v.big, f"slip[{key}]")
        m.add(slip >= node.apply - day).only_enforce_if(node.present)
        slips.append(slip)
    # Every permit of the plan that the other figure still leaves a day for (a permit issued too late to be of
    # use, e.g. after the permit it rests on has ended, is lost), each filed as close to its day as it can be,
    # then no status, no work, the ready day.
    lost = len(kept) - sum(kept)
    # One stage for the first two (a lost permit outweighs every slip), one for the rest; no tie-break (the
    # module's docstring).
    first = lost * (len(slips) * v.big + 1) + sum(slips)
    objective: list[cp_model.LinearExprT] = [first, *stages(v, list(REPLAY_ORDER))]
    budget = Budget(REPLAY_DTIME, deadline) if trace is None else Budget(REPLAY_DTIME, deadline, _named(trace, slow))
    found = solve_model(v, objective, budget, tie_break=False)
    if found is None:
        return None
    return decode(found, status=PlanStatus.FEASIBLE, solve_ms=0.0, blockers=())


def _named(trace: Trace, slow: bool) -> Trace:
    """`trace` hearing the replay's solves as `replay p90 <stage>` (or p50), apart from the plan's own."""
    figure = "p90" if slow else "p50"

    def heard(step: Step) -> None:
        trace(dataclasses.replace(step, name=f"replay {figure} {step.name}"))

    return heard


def outcome(
    scenario: Scenario, plan: Plan, options: PlanOptions, rules: RuleSet, basis: ProcessingBasis, planned: Plan
) -> Outcome:
    """Per person, the days in Canada without status and without authorization to work of `plan` at `basis`
    (gaps that close before the plan's end), and its ready date. `planned` is the plan made: its permits that
    `plan`, a replay, leaves out are lost."""
    ctx = plan_context(scenario, plan, options, rules)
    gaps: list[ExposureGap] = []
    lost = tuple(
        LostPermit(p.person, p.code)
        for p in planned.permits
        if not any((q.person, q.code, q.offer_ref) == (p.person, p.code, p.offer_ref) for q in plan.permits)
    )
    for role, _ in scenario.members:
        t = ctx.timelines[role]
        # Only gaps that close count: the days after the last day of status (or of work) are no wait for a
        # decision but the plan's end (no further application, or the horizon), which a later permit pushes back.
        last_status = max((i for i in range(t.days) if t.status[i]), default=-1)
        last_work = max((i for i in range(t.days) if t.any_work(i)), default=-1)
        no_status = [i for i in range(last_status) if t.in_canada[i] and not t.status[i]]
        # A person abroad waiting for a first permit has no gap: only days in Canada without work count.
        no_work = [i for i in range(last_work) if t.in_canada[i] and not t.any_work(i)]
        if not no_status and not no_work:
            continue
        idle = set(no_status) | set(no_work)
        drivers = tuple(
            p.code
            for p in ctx.permits_of(role)
            if (p.valid_from - scenario.as_of).days - 1 in idle and p.valid_from > p.apply_on
        )
        gaps.append(ExposureGap(role, len(no_status), len(no_work), drivers))
    return Outcome(basis, plan.pr_ready_date, tuple(gaps), lost)


def exposure(result: Outcome, role: Role) -> tuple[int, int]:
    """(days without status, days without work) of `role` in `result`."""
    for gap in result.gaps:
        if gap.person is role:
            return gap.days_without_status, gap.days_without_work
    return 0, 0


def opens_gap(expected: Outcome, slow: Outcome, scenario: Scenario) -> bool:
    """Whether someone has more days without status, or without work, at the slow figure than at the expected one."""
    return any(exposure(slow, role)[k] > exposure(expected, role)[k] for role, _ in scenario.members for k in (0, 1))


def better(a: Outcome, b: Outcome, order: Sequence[ObjectiveTerm]) -> bool:
    """Whether `a` beats `b` at the same figure: its ready date, days without status and days without work (the
    household's), compared in the plan's objective order; a tie is no better."""
    return _vector(a, order) < _vector(b, order)


def _vector(result: Outcome, order: Sequence[ObjectiveTerm]) -> tuple[int, ...]:
    ready = (result.pr_ready_date or dt.date.max).toordinal()
    values = {
        ObjectiveTerm.PR_READY: ready,
        ObjectiveTerm.STATUS_CONTINUITY: sum(g.days_without_status for g in result.gaps),
        ObjectiveTerm.WORK_CONTINUITY: sum(g.days_without_work for g in result.gaps),
    }
    terms = [t for t in order if t in values] + [t for t in values if t not in order]
    return tuple(values[t] for t in terms)
