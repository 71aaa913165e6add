"""Why not: the routes a person could plausibly use that a plan leaves out, each with the rule that closes it.

For each member and each category its family calls plausible (`Family.plausible`) with no permit of that code
in the plan, the family's eligibility query is asked on the days that matter (`Family.moments`: the day the
plan starts from, the PGWP's window, an offer's start, ...). A route eligible on one of them was left out by
the optimizer, and says so; otherwise the answer with the fewest failing rules is the reason, with the
family's smallest change that would open it (`Family.smallest_fix`). Every finding cites its rule as applied
on the day it was asked (`solver.rules.decision.cited`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from solver import dates, phrases
from solver.categories import family_of
from solver.categories.base import Asked, CategoryEligibility, Family
from solver.domain import ClosedRoute, Finding, Plan, Scenario
from solver.phrases import Phrase
from solver.rules import catalog
from solver.rules.catalog import Category
from solver.rules.decision import Verdict, cited
from solver.rules.registry import RuleSet

# An answer on one day, per offer (None for a category without offers).
_Asked = tuple[dt.date, CategoryEligibility]


def closed_routes(scenario: Scenario, plan: Plan, rules: RuleSet) -> tuple[ClosedRoute, ...]:
    """Every plausible route of every member that `plan` holds no permit of, with why and what would open it."""
    horizon_end = dates.add_months(scenario.as_of, scenario.horizon_months)
    out: list[ClosedRoute] = []
    for role, person in scenario.members:
        planned = {p.code for p in plan.permits if p.person is role}
        asked = Asked(scenario, role, person, scenario.as_of, rules, horizon_end)
        for category in catalog.categories(scenario.as_of, rules):
            if category.code in planned:
                continue
            family = family_of(category.code)
            if family.plausible(asked, category):
                out.extend(_closed(family, asked, category, plan))
    return tuple(out)


def _closed(family: Family, asked: Asked, category: Category, plan: Plan) -> list[ClosedRoute]:
    by_offer: dict[str | None, list[_Asked]] = {}
    for on in family.moments(asked, category):
        for answer in family.eligibility(dataclasses.replace(asked, on=on), category):
            by_offer.setdefault(answer.offer_ref, []).append((on, answer))
    return [_route(family, asked, category, plan, answers) for answers in by_offer.values()]


def _route(family: Family, asked: Asked, category: Category, plan: Plan, answers: list[_Asked]) -> ClosedRoute:
    rules = asked.rules
    eligible = next(((on, a) for on, a in answers if a.verdict is Verdict.ELIGIBLE), None)
    if eligible is not None:
        on, a = eligible
        finding = _not_needed(a, on, plan) if family.planned(category) else _not_planned(a, on)
        return ClosedRoute(asked.role, a.code, a.name, (cited(rules, finding, on),), None, None, a.offer_ref, True)
    # The answer closest to opening: fewest failing rules, then the earliest day.
    on, a = min(answers, key=lambda pair: len(_failing(pair[1])))
    reasons = tuple(cited(rules, f, on) for f in _failing(a))
    fix = family.smallest_fix(dataclasses.replace(asked, on=on), category, a)
    return ClosedRoute(
        asked.role,
        a.code,
        a.name,
        reasons,
        None if fix is None else fix.change,
        None if fix is None else fix.by,
        a.offer_ref,
        fix_phrase=None if fix is None else fix.phrase,
    )


def why_not(routes: tuple[ClosedRoute, ...]) -> tuple[Finding, ...]:
    """Each closed route's reasons as findings a plan's explanation carries, naming the route, the person and the
    smallest fix: a client that selects only `explanation` (the contract's PlanScenario operation) still learns
    why a plausible route is left out. Routes that were open and not needed are left to `Plan.closed_routes`."""
    out: list[Finding] = []
    for route in routes:
        if route.open:
            continue
        if route.offer_ref is not None:
            named = Phrase.of("route.named_offer", name=route.name, code=route.code, offer=route.offer_ref)
        else:
            named = Phrase.of("route.named", name=route.name, code=route.code)
        for reason in route.reasons:
            why = _with_fix(route, reason.phrase or reason.message)
            said = Phrase.of("why_not", route=named, person=phrases.role(route.person), reason=why)
            keyed = reason.phrase is not None and (route.fix is None or route.fix_phrase is not None)
            out.append(dataclasses.replace(reason, message=said.english(), phrase=said if keyed else None))
    return tuple(out)


def _with_fix(route: ClosedRoute, reason: str | Phrase) -> str | Phrase:
    """A reason the route is closed, with what would open it (by its last useful day, unless the fix names it)."""
    if route.fix is None:
        return reason
    fix = route.fix_phrase or route.fix
    if route.fix_by is not None and route.fix_by.isoformat() not in route.fix:
        return Phrase.of("reason.with_fix_by", reason=reason, fix=fix, day=route.fix_by.isoformat())
    return Phrase.of("reason.with_fix", reason=reason, fix=fix)


def _failing(a: CategoryEligibility) -> tuple[Finding, ...]:
    return a.failing or a.reasons


def _not_planned(a: CategoryEligibility, on: dt.date) -> Finding:
    """The route is open but the planner never plans its category (answered for eligibility only)."""
    rule_id = a.reasons[0].rule_id if a.reasons else f"{a.code}.eligibility"
    said = Phrase.of("route.open_not_planned", day=on.isoformat())
    return Finding(rule_id, said.english(), phrase=said)


def _not_needed(a: CategoryEligibility, on: dt.date, plan: Plan) -> Finding:
    """The route was open on `on`; the optimizer preferred a plan without it. Cites the route's first rule."""
    rule_id = a.reasons[0].rule_id if a.reasons else f"{a.code}.eligibility"
    held = next((p for p in plan.permits if a.offer_ref is not None and p.offer_ref == a.offer_ref), None)
    job = next((j for j in plan.jobs if a.offer_ref is not None and j.offer_ref == a.offer_ref), None)
    if held is None and job is not None:
        said = Phrase.of("route.not_needed_job", offer=str(a.offer_ref), day=on.isoformat())
    elif plan.pr_ready_date is not None:
        said = Phrase.of("route.not_needed_pr", ready=plan.pr_ready_date.isoformat(), day=on.isoformat())
    else:
        said = Phrase.of("route.not_chosen", day=on.isoformat())
    return Finding(rule_id, said.english(), phrase=said)
