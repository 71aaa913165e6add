"""Exhaustive search for the optimal plan of a small household, independent of the CP-SAT model.

On a grid of `g` days (application dates and job starts on `as_of + k*g`, plus each offer's earliest start,
as docs/plan-semantics.md says), it enumerates every set of applications (each category at most once, on any
grid day) and every choice of jobs of a one-person household, builds each candidate Plan with the dates that
follow from the rules (the validator's `expected_valid_from` / `expected_valid_to`), keeps those `validate()`
accepts, and returns the lexicographic optimum of `objective()`. Nothing here imports the model or solve.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from solver.categories import employer
from solver.categories.offers import code_rules
from solver.dates import add_days, add_months
from solver.domain import ObjectiveTerm, Offer, Plan, PlannedJob, PlannedPermit, PlanOptions, PlanStatus, Role, Scenario
from solver.rules.catalog import open_codes
from solver.rules.registry import RuleSet, load_rules
from solver.validate import (
    complete_plan,
    eligibility_issues,
    expected_valid_from,
    expected_valid_to,
    plan_context,
    validate_and_score,
)

Spec = tuple[str, dt.date, str | None]  # (code, apply_on, offer_ref)
OfferChoice = tuple[dt.date, dt.date | None] | None  # (job start, permit apply date or None), or not taken


@dataclass(frozen=True)
class Optimum:
    """The best valid plan, its objective vector, and how many candidates were built and found valid."""

    plan: Plan
    vector: tuple[int, ...]
    candidates: int
    valid: int


def grid(scenario: Scenario, g: int) -> list[dt.date]:
    """`as_of + k*g` for every k inside the horizon."""
    end = add_months(scenario.as_of, scenario.horizon_months)
    out, day = [], scenario.as_of
    while day < end:
        out.append(day)
        day = add_days(day, g)
    return out


def job_starts(offer: Offer, days: Sequence[dt.date]) -> list[dt.date]:
    """The offer's earliest start and the grid days inside its start window."""
    latest = offer.latest_start or dt.date.max
    inside = [d for d in days if offer.earliest_start <= d <= latest]
    return sorted({*inside, offer.earliest_start}) if offer.earliest_start <= days[-1] else []


def offer_job(offer: Offer, start: dt.date) -> PlannedJob:
    end = add_days(add_months(start, offer.months), -1) if offer.months is not None else None
    return PlannedJob(offer.holder, offer.noc_code, start, end, offer.ref)


def _draft(
    rules: RuleSet,
    permits: Sequence[PlannedPermit],
    jobs: Sequence[PlannedJob],
    pr: tuple[Role, str] | None,
    ready: dt.date | None,
) -> Plan:
    return Plan(
        PlanStatus.FEASIBLE,
        rules.version,
        0.0,
        pr_ready_date=ready,
        pr_program=pr[1] if pr and ready else None,
        pr_applicant=pr[0] if pr and ready else None,
        permits=tuple(permits),
        jobs=tuple(jobs),
    )


def dated_permits(
    scenario: Scenario,
    options: PlanOptions,
    role: Role,
    specs: Sequence[Spec],
    jobs: Sequence[PlannedJob],
    pr: tuple[Role, str] | None,
    rules: RuleSet,
) -> list[PlannedPermit]:
    """The permits of `specs` with valid_from and valid_to as the rules set them, in application order."""
    person = scenario.person(role)
    assert person is not None
    done: list[PlannedPermit] = []
    ready: dt.date | None = None
    for code, apply_on, ref in sorted(specs, key=lambda s: (s[1], s[0])):
        # An empty validity (from the next day to apply_on) while the permit's own dates are worked out, so
        # that whether the person is in Canada on apply_on follows from the earlier permits only.
        p = PlannedPermit(role, code, code, code in open_codes(), apply_on, add_days(apply_on, 1), apply_on, 0.0, ref)
        if code == "A75" and ready is None:
            ready = complete_plan(scenario, options, done, jobs, pr, rules).pr_ready_date
        ctx = plan_context(scenario, _draft(rules, (*done, p), jobs, pr, ready), options, rules)
        p = dataclasses.replace(p, valid_from=expected_valid_from(ctx, role, p))
        ctx = plan_context(scenario, _draft(rules, (*done, p), jobs, pr, ready), options, rules)
        end = expected_valid_to(ctx, role, person, p)
        done.append(dataclasses.replace(p, valid_to=end if end is not None else p.valid_from))
    return done


def _eligible_alone(
    scenario: Scenario, options: PlanOptions, role: Role, spec: Spec, jobs: Sequence[PlannedJob], rules: RuleSet
) -> bool:
    """The category's own eligibility on that date (it does not depend on the other permits of one person)."""
    person = scenario.person(role)
    assert person is not None
    code, apply_on, ref = spec
    p = PlannedPermit(role, code, code, code in open_codes(), apply_on, apply_on, apply_on, 0.0, ref)
    ctx = plan_context(scenario, _draft(rules, (p,), jobs, None, None), options, rules)
    return not list(eligibility_issues(ctx, role, person, p))


def _offer_choices(
    scenario: Scenario, options: PlanOptions, offer: Offer, days: Sequence[dt.date], rules: RuleSet
) -> list[OfferChoice]:
    code = employer.offer_code(offer)
    out: list[OfferChoice] = [None]
    for start in job_starts(offer, days):
        job = offer_job(offer, start)
        out.append((start, None))
        out.extend(
            (start, a)
            for a in days
            if _eligible_alone(scenario, options, offer.holder, (code, a, offer.ref), (job,), rules)
        )
    return out


def _overlap(jobs: Sequence[PlannedJob]) -> bool:
    ordered = sorted(jobs, key=lambda j: j.start)
    return any(a.end is None or a.end >= b.start for a, b in itertools.pairwise(ordered))


def _history_ends(
    scenario: Scenario,
    options: PlanOptions,
    role: Role,
    jobs: Sequence[PlannedJob],
    permits: Sequence[PlannedPermit],
    rules: RuleSet,
) -> list[PlannedJob]:
    """The ongoing work-history job continued from as_of until the next planned job starts, or until its
    authorization from the permits runs out (ending it on another day never adds CEC hours, and jobs affect
    no other objective term)."""
    person = scenario.person(role)
    assert person is not None
    ongoing = [w for w in person.work_history if w.in_canada and (w.end is None or w.end >= scenario.as_of)]
    if not ongoing:
        return []
    w = ongoing[0]
    ends: list[dt.date | None] = [w.end]
    nxt = min((j.start for j in jobs), default=None)
    if nxt is not None:
        ends = [add_days(nxt, -1) if w.end is None else min(w.end, add_days(nxt, -1))]
    t = plan_context(scenario, _draft(rules, permits, jobs, None, None), options, rules).timelines[role]
    i = 0
    while i < t.days and t.authorized(i, None):
        i += 1
    if i < t.days:
        ends.append(add_days(scenario.as_of, i - 1))
    out: list[PlannedJob] = []
    for end in sorted(set(ends), key=lambda d: d or dt.date.max):
        if end is not None and (end < scenario.as_of or (ends[0] is not None and end > ends[0])):
            continue
        out.append(PlannedJob(role, w.noc_code, scenario.as_of, end, None))
    return out


def _offer_ends(
    scenario: Scenario,
    options: PlanOptions,
    role: Role,
    specs: Sequence[Spec],
    jobs: Sequence[PlannedJob],
    rules: RuleSet,
) -> list[list[PlannedJob]]:
    """The offers' jobs as offered, and with each open-ended one (end null) ended instead on the last day of an
    employer-specific permit of its offer that ends before the plan does (the model's only other end for it):
    every combination."""
    permits = dated_permits(scenario, options, role, specs, jobs, None, rules)
    last = add_days(add_months(scenario.as_of, scenario.horizon_months), -1)
    choices: list[list[PlannedJob]] = []
    for job in jobs:
        ends = [job]
        if job.end is None and job.offer_ref is not None:
            ends += [
                dataclasses.replace(job, end=p.valid_to)
                for p in permits
                if p.offer_ref == job.offer_ref and job.start <= p.valid_to < last
            ]
        choices.append(ends)
    return [list(combo) for combo in itertools.product(*choices)]


def candidates(scenario: Scenario, options: PlanOptions, g: int, rules: RuleSet | None = None) -> Iterator[Plan]:
    """Every candidate plan of a one-person household on a grid of `g` days (valid or not), best PR first."""
    yield from (plan for plan, _ in _search(scenario, options, g, rules or load_rules(), None))


def size(scenario: Scenario, options: PlanOptions, g: int, rules: RuleSet | None = None) -> int:
    """An upper bound on the candidates of `scenario` (to keep the exhaustive cases small)."""
    ruleset = rules or load_rules()
    role = Role.PRINCIPAL
    days = grid(scenario, g)
    count = 1
    for code in ("C43", "C21"):
        count *= 1 + sum(1 for a in days if _eligible_alone(scenario, options, role, (code, a, None), (), ruleset))
    for o in scenario.offers:
        # An open-ended offer's job may also end with its offer's permit (_offer_ends).
        count *= len(_offer_choices(scenario, options, o, days, ruleset)) * (2 if o.months is None else 1)
    history = any(w.in_canada and (w.end is None or w.end >= scenario.as_of) for w in scenario.principal.work_history)
    return count * (3 if history else 1) * (1 + len(days))


def _search(
    scenario: Scenario, options: PlanOptions, g: int, rules: RuleSet, bound: list[int] | None
) -> Iterator[tuple[Plan, int]]:
    """(candidate, its PR_READY days); with `bound` (a one-item list kept up to date by the caller), skips
    every candidate whose PR-ready date is already later than the best valid plan's."""
    role, person = Role.PRINCIPAL, scenario.principal
    assert scenario.spouse is None, "the brute force plans one-person households"
    days = grid(scenario, g)
    own = [
        [None, *(a for a in days if _eligible_alone(scenario, options, role, (code, a, None), (), rules))]
        for code in ("C43", "C21")
    ]
    offers = [o for o in scenario.offers if o.holder is role]
    per_offer = [_offer_choices(scenario, options, o, days, rules) for o in offers]
    programs = ["CEC"] + (["PNP"] if person.provincial_nomination is not None else [])
    own_choices: list[tuple[dt.date | None, ...]] = list(itertools.product(*own))
    offer_choices: list[tuple[OfferChoice, ...]] = list(itertools.product(*per_offer))
    for (c43, c21), chosen in itertools.product(own_choices, offer_choices):
        offered = [offer_job(o, c[0]) for o, c in zip(offers, chosen, strict=True) if c is not None]
        specs: list[Spec] = [(code, a, None) for code, a in (("C43", c43), ("C21", c21)) if a is not None]
        specs += [(employer.offer_code(o), c[1], o.ref) for o, c in zip(offers, chosen, strict=True) if c and c[1]]
        for program, offer_jobs in itertools.product(
            programs, _offer_ends(scenario, options, role, specs, offered, rules)
        ):
            if _overlap(offer_jobs):
                continue
            pr = (role, program)
            for extended_specs, extended_jobs in _extended(scenario, options, role, specs, offer_jobs, pr, rules):
                yield from _with_history(scenario, options, role, days, extended_specs, extended_jobs, pr, rules, bound)


def _with_history(
    scenario: Scenario,
    options: PlanOptions,
    role: Role,
    days: Sequence[dt.date],
    specs: Sequence[Spec],
    offer_jobs: Sequence[PlannedJob],
    pr: tuple[Role, str],
    rules: RuleSet,
    bound: list[int] | None,
) -> Iterator[tuple[Plan, int]]:
    """The plans of `specs` and `offer_jobs` with each end of the ongoing work-history job, and with A75 on each
    day from the PR submission."""
    horizon_days = (add_months(scenario.as_of, scenario.horizon_months) - scenario.as_of).days
    base = dated_permits(scenario, options, role, specs, offer_jobs, pr, rules)
    for history in [None, *_history_ends(scenario, options, role, offer_jobs, base, rules)]:
        jobs = [*offer_jobs, *([history] if history else [])]
        plan = _finish(scenario, options, base, jobs, pr, rules)
        ready = plan.pr_ready_date
        days_to_pr = (ready - scenario.as_of).days if ready else horizon_days + 1
        if bound is not None and days_to_pr > bound[0]:
            continue
        yield plan, days_to_pr
        if ready is None:
            continue
        submitted = add_days(ready, options.ita_wait_days)
        for a in days:
            if a >= submitted:
                permits = dated_permits(scenario, options, role, [*specs, ("A75", a, None)], jobs, pr, rules)
                yield _finish(scenario, options, permits, jobs, pr, rules), days_to_pr


def _extended(
    scenario: Scenario,
    options: PlanOptions,
    role: Role,
    specs: Sequence[Spec],
    jobs: Sequence[PlannedJob],
    pr: tuple[Role, str],
    rules: RuleSet,
) -> Iterator[tuple[list[Spec], list[PlannedJob]]]:
    """`specs` and `jobs` as they are, and with the permit of each subset of the offers whose code has extensions
    extended once (OFFER.extension: applied for `lead_days` before the permit's last day, docs/plan-semantics.md),
    the open-ended job of an extended offer running on or ending with the extension. As the planner, only the
    permit of a job that started as soon as that permit and its offer allowed is extended."""
    base = dated_permits(scenario, options, role, specs, jobs, pr, rules)
    starts = {j.offer_ref: j.start for j in jobs if j.offer_ref is not None}
    earliest = {o.ref: o.earliest_start for o in scenario.offers}
    extendable = [
        p
        for p in base
        if p.offer_ref is not None
        and (found := code_rules(p.code)) is not None
        and found.extension is not None
        and p.valid_to >= p.valid_from
        # Only a job that started as soon as the permit and the offer allowed (the planner's search space).
        and p.offer_ref in starts
        and starts[p.offer_ref] <= max(p.valid_from, earliest[p.offer_ref])
    ]
    for chosen in itertools.product([False, True], repeat=len(extendable)):
        added = [
            (p.code, add_days(p.valid_to, -int(rules.param("OFFER.extension", "lead_days", p.valid_to))), p.offer_ref)
            for p, on in zip(extendable, chosen, strict=True)
            if on
        ]
        if not added:
            yield list(specs), list(jobs)
            continue
        refs = {ref for _, _, ref in added}
        # An extended offer's job goes on past its first permit: open-ended, or ending with the extension.
        running = [
            dataclasses.replace(j, end=None) if j.offer_ref in refs and _open_ended(scenario, j) else j for j in jobs
        ]
        both = [*specs, *added]
        yield both, running
        permits = dated_permits(scenario, options, role, both, running, pr, rules)
        ends = {
            j.offer_ref: p.valid_to
            for j in running
            for p in permits
            if j.offer_ref in refs and j.end is None and p.offer_ref == j.offer_ref and p.apply_on > j.start
        }
        last = add_days(add_months(scenario.as_of, scenario.horizon_months), -1)
        if any(end < last for end in ends.values()):
            yield (
                both,
                [
                    dataclasses.replace(j, end=ends[j.offer_ref])
                    if j.offer_ref in ends and ends[j.offer_ref] < last
                    else j
                    for j in running
                ],
            )


def _open_ended(scenario: Scenario, job: PlannedJob) -> bool:
    return any(o.ref == job.offer_ref and o.months is None for o in scenario.offers)


def _finish(
    scenario: Scenario,
    options: PlanOptions,
    permits: Sequence[PlannedPermit],
    jobs: Sequence[PlannedJob],
    pr: tuple[Role, str],
    rules: RuleSet,
) -> Plan:
    return complete_plan(scenario, options, permits, jobs, pr, rules)


def optimum(scenario: Scenario, options: PlanOptions, g: int, rules: RuleSet | None = None) -> Optimum:
    """The lexicographic optimum of `objective()` over every valid candidate (the empty plan is one)."""
    ruleset = rules or load_rules()
    best: tuple[tuple[int, ...], Plan] | None = None
    built = valid = 0
    pr_first = options.objective[0] is ObjectiveTerm.PR_READY
    bound = [10**9] if pr_first else None
    for plan, _ in _search(scenario, options, g, ruleset, bound):
        built += 1
        violations, vector = validate_and_score(scenario, plan, options, ruleset)
        if violations:
            continue
        valid += 1
        if best is None or vector < best[0]:
            best = (vector, plan)
            if bound is not None:
                bound[0] = vector[0]
    assert best is not None, "the plan without applications is always valid"
    return Optimum(best[1], best[0], built, valid)
