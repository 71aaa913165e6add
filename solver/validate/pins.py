"""The consultant's pins, read from the plan alone: each held pin is what the plan does.

A plan shows one outcome per pin of the scenario, in order (`Plan.pins`). A held pin must be honoured: an
APPLY pin by a permit of its code (or of a successor of a pre-2022 code) applied for by its member within its
window, an EXCLUDE pin by no permit of its code applied for from as_of on, a TAKE_OFFER pin by a job of its
offer, a LEAD_PR pin by the plan's PR applicant (and program, when named). A pin that is not held must say why,
and the reason must be among the plan's blockers. A plan with no outcomes (brute force, a completed plan) is
held to every pin.
"""

from __future__ import annotations

from collections.abc import Iterator

from solver.domain import Pin, PinKind, PinOutcome
from solver.rules import catalog
from solver.validate.context import PlanContext, Violation

RULE = "PLAN.pins"


def pin_issues(ctx: PlanContext) -> Iterator[Violation]:
    """Every pin the plan claims to hold and does not, and every refused pin with no reason given."""
    pins = ctx.scenario.pins
    shown = ctx.plan.pins or tuple(PinOutcome(pin, held=True) for pin in pins)
    if tuple(o.pin for o in shown) != pins:
        yield Violation(RULE, None, None, f"the plan shows {len(shown)} pin outcome(s) for the {len(pins)} pin(s)")
        return
    for index, outcome in enumerate(shown):
        if not outcome.held:
            if outcome.reason is None or outcome.reason not in ctx.plan.blockers:
                yield Violation(RULE, outcome.pin.person, None, f"pins[{index}] is not held and no blocker says why")
            continue
        if (message := _broken(ctx, outcome.pin)) is not None:
            yield Violation(RULE, outcome.pin.person, outcome.step_date, f"pins[{index}] is shown held but {message}")


def _broken(ctx: PlanContext, pin: Pin) -> str | None:
    """What the plan does against `pin`, or None when it honours it."""
    plan = ctx.plan
    codes = catalog.current_code(pin.code) if pin.code is not None else ()
    mine = [p for p in plan.permits if p.person is pin.person and p.code in codes]
    if pin.kind is PinKind.APPLY:
        inside = [
            p
            for p in mine
            if (pin.apply_from is None or p.apply_on >= pin.apply_from)
            and (pin.apply_to is None or p.apply_on <= pin.apply_to)
        ]
        return None if inside else f"no {pin.code} is applied for by {pin.person.value} within the pin's days"
    if pin.kind is PinKind.EXCLUDE:
        planned = [p for p in mine if p.apply_on >= ctx.scenario.as_of]
        return None if not planned else f"{pin.code} is applied for on {planned[0].apply_on.isoformat()}"
    if pin.kind is PinKind.TAKE_OFFER:
        held = any(j.person is pin.person and j.offer_ref == pin.offer_ref for j in plan.jobs)
        return None if held else f"no job of offer {pin.offer_ref} is held"
    if plan.pr_applicant is not pin.person:
        return f"the PR applicant is {plan.pr_applicant.value if plan.pr_applicant else 'nobody'}"
    if pin.program is not None and plan.pr_program != pin.program:
        return f"the PR program is {plan.pr_program}"
    return None
