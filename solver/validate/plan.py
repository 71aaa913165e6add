"""The whole plan: validation, the recomputed objective, and a completed plan for tests and brute force."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence

from solver.dates import add_months
from solver.domain import ObjectiveTerm, Plan, PlannedJob, PlannedPermit, PlanOptions, PlanStatus, Role, Scenario
from solver.rules.registry import RuleSet, load_rules
from solver.validate.context import PlanContext, Violation
from solver.validate.fees import biometrics_fee, client_fee, employer_fee, fee_issues, plan_fees
from solver.validate.jobs import _job_issues
from solver.validate.pending import canadian_issues, pending_issues
from solver.validate.permits import _permit_issues
from solver.validate.pins import pin_issues
from solver.validate.readiness import _pr_issues, first_ready_day
from solver.validate.status import _build_timeline, status_gaps

# --- the whole plan --------------------------------------------------------------------------------


def plan_context(scenario: Scenario, plan: Plan, options: PlanOptions, rules: RuleSet | None) -> PlanContext:
    """`plan` read with its rules (the registry's when None; pinned to `options.rules_as_of` when set, so a check
    asked on the application day reads the person's facts on that day and the what-if's rules), every member's
    timeline built."""
    pinned = (rules or load_rules()).pinned(options.rules_as_of)
    ctx = PlanContext(scenario, plan, options, pinned, add_months(scenario.as_of, scenario.horizon_months))
    for role, person in scenario.members:
        ctx.timelines[role] = _build_timeline(ctx, role, person)
    return ctx


def validate(
    scenario: Scenario, plan: Plan, options: PlanOptions, rules: RuleSet | None = None
) -> tuple[Violation, ...]:
    """Every way `plan` breaks the rules or docs/plan-semantics.md for `scenario`; empty when it is valid."""
    return _validate(plan_context(scenario, plan, options, rules))


def validate_and_score(
    scenario: Scenario, plan: Plan, options: PlanOptions, rules: RuleSet | None = None
) -> tuple[tuple[Violation, ...], tuple[int, ...]]:
    """validate() and the objective vector in `options.objective` order, from one reading of the plan."""
    ctx = plan_context(scenario, plan, options, rules)
    values = _objective(ctx)
    return _validate(ctx), tuple(values[term.value] for term in options.objective)


def _validate(ctx: PlanContext) -> tuple[Violation, ...]:
    scenario, plan = ctx.scenario, ctx.plan
    out: list[Violation] = []
    roles = {role for role, _ in scenario.members}
    people = [p.person for p in plan.permits] + [j.person for j in plan.jobs] + [g.person for g in plan.status_gaps]
    for who in people:
        if who not in roles:
            out.append(Violation("PLAN.person", who, None, f"{who.value} is not in the household"))
    if out:
        return tuple(out)
    if plan.status is PlanStatus.NO_SOLUTION:
        # The plan without applications or jobs is always valid (its gaps are facts, PR_READY is H + 1),
        # so a valid household always has a plan: NO_SOLUTION is a planner failure.
        message = "NO_SOLUTION, but the plan without applications is always valid"
        return (Violation("PLAN.status", None, None, message),)
    for role, person in scenario.members:
        for p in ctx.permits_of(role):
            out.extend(_permit_issues(ctx, role, person, p))
        out.extend(_job_issues(ctx, role, person))
        out.extend(pending_issues(ctx, role))
        out.extend(canadian_issues(ctx, role))
        want = status_gaps(ctx, role)
        have = sorted((g for g in plan.status_gaps if g.person is role), key=lambda g: g.start)
        for gap in want:
            if gap not in have:
                out.append(Violation("STATUS.gap", role, gap.start, f"hidden gap {gap.start}..{gap.end}"))
        for gap in have:
            if gap not in want:
                out.append(Violation("STATUS.gap", role, gap.start, f"phantom gap {gap.start}..{gap.end}"))
    out.extend(_pr_issues(ctx))
    out.extend(fee_issues(ctx))
    out.extend(pin_issues(ctx))
    if plan.objective_values:
        want_obj = _objective(ctx)
        for key, value in plan.objective_values.items():
            if want_obj.get(key) != value:
                out.append(Violation("PLAN.objective", None, None, f"{key} = {value}, recomputed {want_obj.get(key)}"))
    return tuple(out)


def _objective(ctx: PlanContext) -> dict[str, int]:
    s, plan = ctx.scenario, ctx.plan
    horizon_days = (ctx.horizon_end - s.as_of).days
    ready = plan.pr_ready_date
    no_status = sum(sum(1 for i in range(t.days) if t.in_canada[i] and not t.status[i]) for t in ctx.timelines.values())
    no_work = sum(sum(1 for i in range(t.days) if not t.any_work(i)) for t in ctx.timelines.values())
    # COST: the permits' fees, the client's (biometrics included) and the employer's; PR fees are not a choice.
    cost = math.ceil(round(sum(client_fee(ctx, p.person, p) + employer_fee(ctx, p) for p in plan.permits), 2))
    return {
        # max: a PR application submitted before as_of is ready on day 0.
        ObjectiveTerm.PR_READY.value: max((ready - s.as_of).days, 0) if ready is not None else horizon_days + 1,
        ObjectiveTerm.STATUS_CONTINUITY.value: no_status,
        ObjectiveTerm.WORK_CONTINUITY.value: no_work,
        ObjectiveTerm.COST.value: cost,
        ObjectiveTerm.FEWEST_APPLICATIONS.value: len(plan.permits),
    }


def objective(scenario: Scenario, plan: Plan, options: PlanOptions, rules: RuleSet | None = None) -> dict[str, int]:
    """Every objective term of `plan`, recomputed from its permits, jobs and dates (docs/plan-semantics.md)."""
    return _objective(plan_context(scenario, plan, options, rules))


def objective_vector(
    scenario: Scenario, plan: Plan, options: PlanOptions, rules: RuleSet | None = None
) -> tuple[int, ...]:
    """The objective terms in `options.objective` order: compare two plans lexicographically."""
    values = objective(scenario, plan, options, rules)
    return tuple(values[term.value] for term in options.objective)


def check_plan(scenario: Scenario, plan: Plan, options: PlanOptions, rules: RuleSet | None = None) -> None:
    """Raises AssertionError listing every violation of `plan` (for tests)."""
    violations = validate(scenario, plan, options, rules)
    if violations:
        lines = [f"  {v.rule_id} {v.person.value if v.person else '-'} {v.date}: {v.message}" for v in violations]
        raise AssertionError(f"{len(violations)} violation(s):\n" + "\n".join(lines))


def complete_plan(
    scenario: Scenario,
    options: PlanOptions,
    permits: Sequence[PlannedPermit],
    jobs: Sequence[PlannedJob],
    pr: tuple[Role, str] | None,
    rules: RuleSet | None = None,
) -> Plan:
    """A plan of `permits` and `jobs` with everything that follows from them filled in: the first PR-ready
    date of applicant and program `pr`, status gaps, fees and objective values (for tests and brute force)."""
    ruleset = rules or load_rules()
    draft = Plan(PlanStatus.FEASIBLE, ruleset.version, 0.0, permits=tuple(permits), jobs=tuple(jobs))
    ctx = plan_context(scenario, draft, options, ruleset)
    priced = tuple(
        dataclasses.replace(
            p,
            fee=client_fee(ctx, p.person, p),
            biometrics_fee=biometrics_fee(ctx, p.person, p),
            employer_fee=employer_fee(ctx, p),
        )
        for p in permits
    )
    ready = first_ready_day(ctx, pr[0], pr[1]) if pr is not None else None
    plan = Plan(
        PlanStatus.FEASIBLE,
        ruleset.version,
        0.0,
        pr_ready_date=ready,
        pr_program=pr[1] if ready is not None and pr is not None else None,
        pr_applicant=pr[0] if ready is not None and pr is not None else None,
        permits=priced,
        jobs=tuple(jobs),
    )
    ctx = plan_context(scenario, plan, options, ruleset)
    gaps = tuple(g for role, _ in scenario.members for g in status_gaps(ctx, role))
    fees = plan_fees(ctx)
    plan = dataclasses.replace(
        plan,
        status_gaps=gaps,
        fees_total=fees.total,
        fees_permits=fees.permits,
        fees_biometrics=fees.biometrics,
        fees_pr=fees.pr,
        fees_employer=fees.employer,
    )
    return dataclasses.replace(plan, objective_values=_objective(ctx))
