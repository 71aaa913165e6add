"""A visitor in Canada applying for a work permit: inside Canada only while the visitor policy allowed it, or with
an R199 ground; otherwise the application is processed outside Canada, with no maintained status.

Rules: STATUS.visitor_work_permit (the public policy of 2020-08-24 to 2024-08-27; addendum §8: applications
received before 2024-08-28 keep it), STATUS.r199 (permit holders and certain family members may still apply
inside; a candidate names its ground in `Candidate.r199`), PROCESSING.outside_canada.
"""

from __future__ import annotations

from solver.cpsat import cp_model
from solver.model.variables import Arc, Vars
from solver.options import Candidate, Depot, DepotKind, Options
from solver.rules.status import visitor_may_apply_inside


def policy_last_day(opts: Options) -> int:
    """The last day index in the horizon on which a visitor may apply inside Canada without an R199 ground
    (STATUS.visitor_work_permit read on each day, or on options.rules_as_of); -1 when none."""
    days = opts.eligible_days(0, opts.cal.horizon - 1, None, lambda on: visitor_may_apply_inside(on, opts.rules))
    # eligible_days answers grid days only; the policy is one stretch of days, so its last grid day bounds it.
    return max(days, default=-1)


def visitor_applies_outside(opts: Options, depot: Depot, c: Candidate) -> bool:
    """Whether `c`, applied for first by this visitor, may have to be processed outside Canada: no R199 ground
    and the visitor policy not in force on every day of the horizon."""
    if depot.kind is not DepotKind.VISITOR or c.r199 is not None or c.issued_by_family:
        return False
    return policy_last_day(opts) < opts.cal.horizon - 1


def link_from_visitor(v: Vars, arc: Arc) -> cp_model.IntVar:
    """The first application of a visitor without an R199 ground: inside Canada (maintained status, restoration)
    only on a day the policy allowed; else processed outside Canada (applied for while still a visitor), with
    no maintained status and no restoration. Returns the literal "processed outside" of the arc."""
    m = v.model
    tail, head, z = arc.tail, arc.head, arc.lit
    assert head is not None and head.candidate is not None and tail.maintained is not None
    assert head.restoring is not None
    c = head.candidate
    outside = m.new_bool_var(f"processed_outside[{tail.key}->{head.key}]")
    m.add_implication(outside, z)
    m.add(head.apply <= policy_last_day(v.opts)).only_enforce_if([z, outside.Not()])
    m.add(head.start == head.apply + c.processing_inside).only_enforce_if([z, outside.Not()])
    m.add(head.start == head.apply + c.processing_outside).only_enforce_if(outside)
    m.add(head.apply <= tail.end).only_enforce_if(outside)
    m.add(tail.maintained == 0).only_enforce_if(outside)
    m.add(head.restoring == 0).only_enforce_if(outside)
    head.processed_outside = outside
    return outside
