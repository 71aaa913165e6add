"""Which pins cannot hold and why, before the search; what became of each pin, after it (`Plan.pins`).

A pin that cannot hold is not a failed plan: the plan is made without it, and the pin's outcome (and a
blocker) says which rule keeps it from holding. First the cheap reasons, read from the candidates: no
candidate of the code (the family's eligibility says why), no application day in the window (the window's
rule), no job of the offer in the horizon. Then one feasibility solve with every other pin on; when it
fails, each pin is switched off in turn, and those whose absence makes the model feasible are the ones that
cannot hold (when none alone does, they conflict together), each explained by the eligibility of what it
asks (solver/eligibility.py), which cites the rule.
"""

from __future__ import annotations

import datetime as dt

from solver import phrases
from solver.cpsat import cp_model
from solver.dates import add_days
from solver.domain import Finding, Pin, PinKind, PinOutcome, Plan, PlanStep, Role, Scenario
from solver.eligibility import evaluate
from solver.model.build import fix_groups
from solver.model.constraints.pins import pin_group, pinned_nodes
from solver.model.decode import ACTION_JOB
from solver.model.search import Budget
from solver.model.variables import Vars
from solver.phrases import Phrase
from solver.rules import catalog
from solver.rules.decision import Verdict, cited

# Share of the search's deterministic budget (and of the wall time left) one feasibility solve may use.
FEASIBILITY_SHARE = 0.1
# The id of a reason that is the plan's own, not a rule's (as the validator's PLAN. ids).
HORIZON = "PLAN.horizon"
PINS_CONFLICT = "PLAN.pins"


def describe(pin: Pin) -> str:
    """The pin in words ("principal applies for C43 from 2026-07-01 to 2026-07-01")."""
    return phrase_of(pin).english()


def phrase_of(pin: Pin) -> Phrase:
    """The pin as a phrase (solver/phrases.py)."""
    who = phrases.role(pin.person)
    code = str(pin.code)
    if pin.kind is PinKind.APPLY:
        if pin.apply_from is not None and pin.apply_from == pin.apply_to:
            return Phrase.of("pin.apply_on", person=who, code=code, day=pin.apply_from.isoformat())
        if pin.apply_from is not None or pin.apply_to is not None:
            start = pin.apply_from.isoformat() if pin.apply_from else Phrase.of("pin.as_of")
            end = pin.apply_to.isoformat() if pin.apply_to else Phrase.of("pin.horizon")
            return Phrase.of("pin.apply_window", person=who, code=code, start=start, end=end)
        return Phrase.of("pin.apply", person=who, code=code)
    if pin.kind is PinKind.EXCLUDE:
        return Phrase.of("pin.exclude", person=who, code=code)
    if pin.kind is PinKind.TAKE_OFFER:
        return Phrase.of("pin.take_offer", person=who, offer=str(pin.offer_ref))
    if pin.program:
        return Phrase.of("pin.lead_pr_under", person=who, program=pin.program)
    return Phrase.of("pin.lead_pr", person=who)


def refusals(v: Vars, base: cp_model.CpModel, groups: dict[str, int], budget: Budget) -> dict[int, Finding]:
    """The pins that cannot hold (by index), each with the finding that says why."""
    pins = v.opts.scenario.pins
    out: dict[int, Finding] = {}
    for index, pin in enumerate(pins):
        found = _cheap_reason(v, pin)
        if found is not None:
            out[index] = _refused(v, index, pin, found)
    if not pins or len(out) == len(pins) or _feasible(base, groups, set(out), budget):
        return out
    rest = [i for i in range(len(pins)) if i not in out]
    # One pin left is the one that cannot hold; of several, those whose absence alone lets the model solve.
    alone = rest if len(rest) == 1 else [i for i in rest if _feasible(base, groups, {*out, i}, budget)]
    for index in alone or rest:
        reason = _rule_reason(v, pins[index]) if alone else _conflict(v)
        out[index] = _refused(v, index, pins[index], reason)
    return out


def _refused(v: Vars, index: int, pin: Pin, reason: Finding) -> Finding:
    refused = Phrase.of("pin.refused", index=index, pin=phrase_of(pin), reason=reason.phrase or reason.message)
    keyed = refused if reason.phrase is not None else None
    found = Finding(reason.rule_id, refused.english(), reason.source, reason.effective, keyed)
    return found if found.effective is not None else cited(v.opts.rules, found, v.opts.cal.as_of)


def _feasible(base: cp_model.CpModel, groups: dict[str, int], off: set[int], budget: Budget) -> bool:
    """Whether the model has a solution with the pins numbered in `off` switched off (unknown counts as yes:
    only a proven infeasibility refuses a pin)."""
    model = base.clone()
    fix_groups(model, groups, frozenset(pin_group(i) for i in off))
    dtime = max(budget.dtime * FEASIBILITY_SHARE, 1e-3)
    _, status = budget.solve("pins", model, dtime, budget.deadline.left() * FEASIBILITY_SHARE)
    return status != cp_model.INFEASIBLE


def _cheap_reason(v: Vars, pin: Pin) -> Finding | None:
    """Why the pin cannot hold, read from the candidates and jobs alone; None when they allow it."""
    opts = v.opts
    if pin.kind is PinKind.APPLY:
        nodes = [n for n in pinned_nodes(v, pin) if n.candidate is not None]
        if not nodes:
            return _ineligible(v, pin.person, pin.code or "", pin.apply_from or opts.cal.as_of)
        low = opts.cal.day(pin.apply_from) if pin.apply_from else -(10**9)
        high = opts.cal.day(pin.apply_to) if pin.apply_to else 10**9
        days = sorted(d for n in nodes if n.candidate is not None for d in n.candidate.apply_days)
        if days and not any(low <= d <= high for d in days):
            first, last = opts.cal.date(days[0]), opts.cal.date(days[-1])
            rule = nodes[0].candidate.rule_ids[0] if nodes[0].candidate and nodes[0].candidate.rule_ids else HORIZON
            only = Phrase.of("pin.window_only", code=str(pin.code), first=first.isoformat(), last=last.isoformat())
            return cited(opts.rules, _finding(rule, only), opts.on(first))
    if pin.kind is PinKind.TAKE_OFFER and not any(j.offer_ref == pin.offer_ref for j in opts.jobs):
        return _finding(HORIZON, Phrase.of("pin.offer_outside", offer=str(pin.offer_ref)))
    return None


def _finding(rule_id: str, reason: Phrase) -> Finding:
    return Finding(rule_id, reason.english(), phrase=reason)


def _ineligible(v: Vars, role: Role, code: str, on: dt.date) -> Finding:
    """The first failing reason the eligibility query gives for `code` on `on` (a category the planner has no
    candidate of)."""
    opts = v.opts
    codes = catalog.current_code(code)
    for answer in evaluate(opts.scenario, role, on, opts.rules):
        if answer.code in codes and answer.failing:
            return answer.failing[0]
    return _finding(HORIZON, Phrase.of("pin.no_application", code=code))


def _rule_reason(v: Vars, pin: Pin) -> Finding:
    """Why a pin the candidates allow still cannot hold: the failing rule of what it asks, on its day."""
    opts = v.opts
    last = add_days(opts.cal.date(opts.cal.horizon), -1)
    if pin.kind is PinKind.LEAD_PR:
        submitted = opts.submitted_pr()
        if submitted is not None and submitted[0] is not pin.person:
            return _finding(HORIZON, Phrase.of("pin.already_submitted", person=phrases.role(submitted[0])))
        programs = (pin.program,) if pin.program else ("CEC", "PNP")
        for answer in evaluate(opts.scenario, pin.person, last, opts.rules):
            failing = answer.failing or (answer.reasons if answer.verdict is not Verdict.ELIGIBLE else ())
            if answer.kind == "PR" and answer.code in programs and failing:
                return failing[0]
        return _conflict(v)
    if pin.kind is PinKind.TAKE_OFFER:
        offer = next(o for o in opts.scenario.offers if o.ref == pin.offer_ref)
        for answer in evaluate(opts.scenario, pin.person, offer.earliest_start, opts.rules):
            if answer.offer_ref == pin.offer_ref and answer.failing:
                return answer.failing[0]
        return _finding(HORIZON, Phrase.of("pin.no_permit_for_offer", offer=str(pin.offer_ref)))
    if pin.kind is PinKind.APPLY:
        return _ineligible(v, pin.person, pin.code or "", pin.apply_from or opts.cal.as_of)
    return _conflict(v)


def unfound(scenario: Scenario, refused: dict[int, Finding]) -> dict[int, Finding]:
    """The pins not refused, each with the finding that no plan holding it was found (the search found no plan
    within the time limit: a feasibility check cut short lets a pin through)."""
    return {
        index: _finding(PINS_CONFLICT, Phrase.of("pin.unfound", index=index, pin=phrase_of(pin)))
        for index, pin in enumerate(scenario.pins)
        if index not in refused
    }


def _conflict(v: Vars) -> Finding:
    return _finding(PINS_CONFLICT, Phrase.of("pin.conflict"))


# --- after the search: what became of each pin ------------------------------------------------------------------


def outcomes(scenario: Scenario, plan: Plan, refused: dict[int, Finding]) -> tuple[PinOutcome, ...]:
    """Each pin of `scenario`, held (with the step of `plan` it fixed) or refused (with its finding)."""
    out = []
    for index, pin in enumerate(scenario.pins):
        if index in refused:
            out.append(PinOutcome(pin, held=False, reason=refused[index]))
            continue
        step = _fixed_step(scenario, plan, pin)
        if step is None:
            out.append(PinOutcome(pin, held=True))
        else:
            out.append(PinOutcome(pin, True, step.date, step.action, step.code))
    return tuple(out)


def _fixed_step(scenario: Scenario, plan: Plan, pin: Pin) -> PlanStep | None:
    """The plan's step that carries out `pin` (None for an exclusion)."""
    mine = [s for s in plan.steps if s.person is pin.person]
    if pin.kind is PinKind.APPLY:
        codes = catalog.current_code(pin.code or "")
        for permit in plan.permits:
            if permit.person is pin.person and permit.code in codes and _in_window(pin, permit.apply_on):
                return next((s for s in mine if s.date == permit.apply_on and s.code == permit.code), None)
    if pin.kind is PinKind.TAKE_OFFER:
        job = next((j for j in plan.jobs if j.person is pin.person and j.offer_ref == pin.offer_ref), None)
        if job is not None:
            return next((s for s in mine if s.date == job.start and s.action == ACTION_JOB), None)
    if pin.kind is PinKind.LEAD_PR and plan.pr_program is not None:
        return next((s for s in mine if s.code == plan.pr_program), None)
    return None


def _in_window(pin: Pin, day: dt.date) -> bool:
    return (pin.apply_from is None or day >= pin.apply_from) and (pin.apply_to is None or day <= pin.apply_to)
