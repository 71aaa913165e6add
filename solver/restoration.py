"""Nobody left without status in silence: a lost status the plan restores with no application becomes a blocker.

A restoration deadline (`RESTORATION_ENDS`, solver/deadlines.py) that no planned step acts on means no permit
was open to the person within STATUS.restoration days of losing status (the optimizer restores status whenever
a permit allows it: every day without status counts). The blocker says so, with the last day to apply, what
restoring visitor status alone costs (FEES.restoration `restore`), and the routes that would open a permit
(the plan's closed routes for that person, with their smallest fixes).
"""

from __future__ import annotations

from solver import phrases
from solver.domain import ClosedRoute, Deadline, DeadlineKind, Finding, Plan, PlanOptions, Scenario, StatusKind
from solver.phrases import Phrase, all_of
from solver.rules.decision import cited
from solver.rules.registry import RuleSet
from solver.rules.status import lost_status

RULE = "STATUS.restoration"


def restoration_blockers(scenario: Scenario, plan: Plan, options: PlanOptions, rules: RuleSet) -> tuple[Finding, ...]:
    """One finding per restoration deadline of `plan` that no step acts on, and one per member in Canada without
    status whose day of loss is unknown, citing STATUS.restoration."""
    out = list(_unknown_loss(scenario, plan, options, rules))
    for d in plan.deadlines:
        if d.kind is not DeadlineKind.RESTORATION_ENDS or d.step_date is not None:
            continue
        if any(p.person is d.person and p.apply_on <= d.date and p.valid_to >= d.date for p in plan.permits):
            continue  # a permit already issued covers the window: nothing to restore then
        on = options.rules_as_of or d.date
        fee = float(rules.param("FEES.restoration", "restore", on))
        routes = [r for r in plan.closed_routes if r.person is d.person and r.fix and not r.open]
        out.append(cited(rules, _no_permit_to_restore(d, fee, routes), on))
    return tuple(out)


def _no_permit_to_restore(d: Deadline, fee: float, routes: list[ClosedRoute]) -> Finding:
    """The restoration window `d` with no permit to restore with: what restoring costs, and what would open one (the
    closed routes' fixes; the finding has no phrase when one of them is not keyed)."""
    fixes = [_fix(r) for r in routes]
    opens = all_of(fixes, "each") if fixes else Phrase.of("opens.exempt_or_lmia")
    deadline = d.phrase if d.phrase is not None else d.message
    said = Phrase.of(
        "blocker.no_permit_to_restore",
        person=phrases.role(d.person),
        day=d.date.isoformat(),
        deadline=deadline,
        fee=f"{fee:.2f}",
        opens=opens,
    )
    keyed = isinstance(deadline, Phrase) and all(r.fix_phrase is not None for r in routes)
    return Finding(rule_id=RULE, message=said.english(), phrase=said if keyed else None)


def _fix(r: ClosedRoute) -> Phrase:
    """A closed route's fix, named by its code and with its last useful day."""
    fix = r.fix_phrase or str(r.fix)
    if r.fix_by is None:
        return Phrase.of("route.fix", code=r.code, fix=fix)
    return Phrase.of("route.fix_by", code=r.code, fix=fix, day=r.fix_by.isoformat())


def _unknown_loss(scenario: Scenario, plan: Plan, options: PlanOptions, rules: RuleSet) -> list[Finding]:
    """Members in Canada with no status on as_of and no permit in their history that ended before it: the day
    status was lost is unknown, so restoration cannot be planned (and the plan holds no permit for them)."""
    out: list[Finding] = []
    for role, person in scenario.members:
        status = person.status
        if not person.in_canada or (status is not None and status.kind is not StatusKind.NONE):
            continue
        if lost_status(person, scenario.as_of) is not None or any(p.person is role for p in plan.permits):
            continue
        on = options.rules_as_of or scenario.as_of
        days = int(rules.param(RULE, "days", on))
        said = Phrase.of("blocker.unknown_loss", person=phrases.role(role), day=scenario.as_of.isoformat(), days=days)
        out.append(cited(rules, Finding(rule_id=RULE, message=said.english(), phrase=said), on))
    return out
